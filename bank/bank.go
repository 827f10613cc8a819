// Package bank defines how Kontor reaches banks: a Connector runs a dialog
// with one bank for one login. A dialog can pause for the user — to choose
// a TAN method, to enter a TAN, or to approve in a banking app — and be
// resumed in a later HTTP request, possibly in another replica, from the
// opaque state the connector returned. The Banking UI drives the dialog;
// the connectors (the sandbox bank, FinTS) sit behind this interface.
package bank

import (
	"context"
	"errors"
	"net/netip"
	"time"

	"github.com/kontor-dev/kontor"
)

// Bank identifies the bank a dialog talks to.
type Bank struct {
	Code     string // German bank code (BLZ)
	BIC      string
	Name     string
	City     string
	FinTSURL string
}

// Field is one input of a bank's login form.
type Field struct {
	Name   string // form field name, e.g. "loginName", "customerId", "pin"
	Label  map[string]string
	Secret bool // rendered as a password input, never stored in clear text
	// Optional fields may be left empty.
	Optional bool
}

// Credentials are what the user entered on the login form. PIN never
// appears in logs or errors: its String method masks it.
type Credentials struct {
	LoginName  string
	CustomerID string
	PIN        Secret
}

// Secret is a string that prints as asterisks.
type Secret string

// String masks the secret.
func (Secret) String() string { return "*****" }

// GoString masks the secret in %#v.
func (Secret) GoString() string { return `"*****"` }

// Reveal returns the secret itself, for the one place that sends it on.
func (s Secret) Reveal() string { return string(s) }

// Request is what every call of a dialog gets.
type Request struct {
	Bank        Bank
	Credentials Credentials
	// UserIP is the end user's address (the API's User-IP), passed on to
	// the bank where the protocol has room for it.
	UserIP netip.Addr
	// Since limits the transaction history asked for; zero means as much
	// as the bank gives.
	Since time.Time
	// Session is the connector's long-lived state of this bank login from
	// its last successful sync (Step.Session), nil on the first connect.
	// With it a refresh can run as the same client installation — for
	// FinTS the same system ID — so the bank may skip strong customer
	// authentication for account information, as PSD2 allows for 90 days.
	Session []byte
	// Previous are the login's accounts as stored after the last sync, so
	// that a transaction keeps its ID across syncs and a pending one that
	// got booked is updated rather than duplicated.
	Previous []kontor.Account
}

// StepKind says how a call ended.
type StepKind string

// Step kinds.
const (
	// StepDone: the dialog finished; Step.Accounts holds the data.
	StepDone StepKind = "done"
	// StepChooseTANMethod: the user must pick one of Step.Options.
	StepChooseTANMethod StepKind = "chooseTanMethod"
	// StepTAN: the user must enter the TAN for Step.Challenge.
	StepTAN StepKind = "tan"
	// StepDecoupled: the user must approve in a banking app; call Resume
	// with Input.Poll to ask whether it happened.
	StepDecoupled StepKind = "decoupled"
)

// Step is the outcome of Start or Resume.
type Step struct {
	Kind StepKind
	// State is the connector's dialog state, to be stored by the caller
	// and passed to Resume. It holds no PIN; the caller encrypts it at
	// rest all the same.
	State []byte
	// Accounts is the bank's data when Kind is StepDone, with
	// transactions, standing orders and securities.
	Accounts []kontor.Account
	// Session, when Kind is StepDone, is the connector's long-lived state
	// of the bank login, to be kept (encrypted) with the login and passed
	// back as Request.Session on the next sync. It holds no PIN.
	Session []byte
	// Options are the TAN methods to choose from.
	Options []TANOption
	// Challenge is what the user must do for a TAN or an approval.
	Challenge *Challenge
}

// TANOption is a TAN method the user can choose.
type TANOption struct {
	ID        string
	Name      string
	Decoupled bool
}

// Challenge is the bank's request for strong customer authentication.
type Challenge struct {
	Text string
	// TAN is set only by the sandbox bank, which shows its generated TAN
	// on screen (as the finoOS test bank does).
	TAN string
	// Image is a photoTAN or QR code, if the method uses one.
	Image *Image
	// PollAfter is how long to wait before asking again, for decoupled
	// approvals.
	PollAfter time.Duration
}

// Image is a challenge image.
type Image struct {
	MIMEType string
	Data     []byte
}

// Input is what the user supplied for a paused step.
type Input struct {
	TANMethod string // answers StepChooseTANMethod
	TAN       Secret // answers StepTAN
	Poll      bool   // asks about a pending decoupled approval
}

// Connector runs dialogs with banks.
type Connector interface {
	// LoginFields returns the fields of the bank's login form.
	LoginFields(b Bank) []Field
	// Start opens a dialog with the user's credentials and fetches the
	// login's accounts, or pauses for the user.
	Start(ctx context.Context, req Request) (*Step, error)
	// Resume continues a paused dialog from its state with the user's
	// input.
	Resume(ctx context.Context, req Request, state []byte, in Input) (*Step, error)
}

// Errors a connector returns, so that the Banking UI can tell the user
// what happened. Connectors wrap them with detail.
var (
	// ErrWrongCredentials: the login name or PIN is wrong; the user may
	// try again.
	ErrWrongCredentials = errors.New("wrong login name or PIN")
	// ErrLocked: the bank has locked the login.
	ErrLocked = errors.New("login locked by the bank")
	// ErrWrongTAN: the TAN is wrong; the user may try again.
	ErrWrongTAN = errors.New("wrong TAN")
	// ErrTANFailed: the SCA failed for good (expired, rejected in the
	// app, too many wrong TANs).
	ErrTANFailed = errors.New("strong customer authentication failed")
	// ErrUnavailable: the bank cannot be reached or does not answer.
	ErrUnavailable = errors.New("bank unavailable")
	// ErrUnsupported: the bank offers no way Kontor can use.
	ErrUnsupported = errors.New("bank not supported")
	// ErrProtocol: the bank answered something Kontor cannot read.
	ErrProtocol = errors.New("bank answered unexpectedly")
)

// StatefulError is implemented by connector errors after which the dialog
// goes on from a new state, such as a wrong TAN that used up a message of
// the bank's dialog: the caller stores DialogState for the next Resume.
type StatefulError interface {
	error
	DialogState() []byte
}

// Directory finds banks by bank code, or by name, code, BIC or city.
type Directory interface {
	Lookup(code string) (Bank, bool)
	Search(query string, limit int) []Bank
}

// Router picks the connector that reaches a bank; ErrUnsupported when
// none does.
type Router func(b Bank) (Connector, error)
