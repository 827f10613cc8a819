package fints

import (
	"time"

	"github.com/kontor-dev/kontor/bank/fints/wire"
)

// StepKind says how a call to Sync or Resume ended.
type StepKind string

// Step kinds.
const (
	// StepDone: the operation finished; Step.Result holds the data.
	StepDone StepKind = "done"
	// StepChooseTANMethod: the user must pick one of Step.Options; pass
	// it as Input.TANMethod (and Input.TANMedium) to Resume.
	StepChooseTANMethod StepKind = "chooseTanMethod"
	// StepTAN: the user must enter the TAN for Step.Challenge; pass it as
	// Input.TAN to Resume.
	StepTAN StepKind = "tan"
	// StepDecoupled: the user must approve in another app. Call Resume
	// (no input) to ask the bank whether the approval was given; it
	// returns StepDecoupled again while it is pending.
	StepDecoupled StepKind = "decoupled"
)

// Step is the outcome of Sync or Resume: either the result, or what the
// user must do before Resume can continue.
type Step struct {
	Kind      StepKind
	Result    *Result
	Options   []TANOption
	Challenge *Challenge
}

// Input is what the user supplied for a paused step.
type Input struct {
	// TANMethod and TANMedium answer StepChooseTANMethod.
	TANMethod string
	TANMedium string
	// TAN answers StepTAN. It is masked whenever printed.
	TAN wire.Secret
}

// TANOption is a TAN method the user can choose.
type TANOption struct {
	// Method is the security function, e.g. "921".
	Method string `json:"method"`
	Name   string `json:"name"`
	// Decoupled methods are approved in an app instead of entering a TAN.
	Decoupled bool `json:"decoupled,omitempty"`
	// Media lists the TAN media to choose from when the method needs one.
	Media []string `json:"media,omitempty"`
}

// Challenge is what the bank asks the user to do for SCA.
type Challenge struct {
	// Text is the bank's instruction; it may hold simple HTML (<br>, <p>,
	// <b>, <i>, <u>, <ul>, <ol>, <li>) when HTML is set.
	Text string `json:"text"`
	HTML bool   `json:"html,omitempty"`
	// HHDUC is the raw binary challenge: flicker code or image data.
	HHDUC []byte `json:"hhduc,omitempty"`
	// Image is the photoTAN or QR image decoded from HHDUC, if it is one.
	Image *Image `json:"image,omitempty"`
	// ValidUntil is when the challenge expires, when the bank says.
	ValidUntil time.Time `json:"validUntil,omitzero"`
	// Method and Medium name the TAN method and medium in use.
	Method string `json:"method,omitempty"`
	Medium string `json:"medium,omitempty"`
	// Decoupled is set for app approvals. AutoPoll says whether the
	// client may query the status automatically; otherwise show an "I
	// have approved" button. NextPoll is the earliest time for the next
	// query.
	Decoupled bool      `json:"decoupled,omitempty"`
	AutoPoll  bool      `json:"autoPoll,omitempty"`
	NextPoll  time.Time `json:"nextPoll,omitzero"`
}

// Image is a challenge image.
type Image struct {
	MIMEType string `json:"mimeType"`
	Data     []byte `json:"data"`
}
