package fints

import (
	"errors"
	"fmt"
	"strings"

	"github.com/kontor-dev/kontor/bank/fints/wire"
)

// Sentinel errors a connector maps to its own error codes. Errors returned
// by the client wrap one of them; test with errors.Is.
var (
	// ErrWrongPIN: the bank rejected the PIN (9340, 9910, 9942). Never
	// retry the same PIN automatically: a few failures lock the access.
	ErrWrongPIN = errors.New("fints: wrong PIN")
	// ErrLocked: the access is locked or needs the user's action online
	// (9930, 9931, 3938, 3916).
	ErrLocked = errors.New("fints: access locked")
	// ErrBankUnavailable: the bank could not be reached or answered with
	// an HTTP error or 9010 at dialog initialisation.
	ErrBankUnavailable = errors.New("fints: bank unavailable")
	// ErrProtocol: the bank's answer could not be understood, or it broke
	// the protocol.
	ErrProtocol = errors.New("fints: protocol error")
	// ErrDialogAborted: the bank ended the dialog (9800), for example
	// because it timed out while the user looked for the TAN. Start over.
	ErrDialogAborted = errors.New("fints: dialog aborted by the bank")
	// ErrTANInvalid: the bank rejected the TAN or the approval (9941).
	ErrTANInvalid = errors.New("fints: TAN invalid or approval rejected")
	// ErrTANExpired: the challenge timed out (9951), or the decoupled
	// approval was not given within the bank's number of status queries.
	ErrTANExpired = errors.New("fints: TAN expired")
	// ErrRejected: the bank rejected the request for another reason; the
	// bank's text says why.
	ErrRejected = errors.New("fints: request rejected by the bank")
	// ErrUnsupported: the bank needs something this client does not
	// implement (for example only HKTAN versions below 6), or does not
	// offer what was asked (for example anonymous dialogs, 9400).
	ErrUnsupported = errors.New("fints: not supported")
	// ErrInvalidInput: the caller passed an invalid configuration, state
	// or input.
	ErrInvalidInput = errors.New("fints: invalid input")
)

// BankError is an error the bank reported through return codes. It wraps
// one of the sentinel errors and keeps the bank's codes and texts, which
// should be shown to the user verbatim.
type BankError struct {
	// Kind is the sentinel error this error is classified as.
	Kind error
	// Codes are the return codes that caused the error.
	Codes []wire.ReturnCode
	// Op names what the client was doing.
	Op string
}

// Error returns the kind, the operation and the bank's codes and texts.
func (e *BankError) Error() string {
	var b strings.Builder
	b.WriteString(e.Kind.Error())
	if e.Op != "" {
		b.WriteString(" (")
		b.WriteString(e.Op)
		b.WriteString(")")
	}
	for i, c := range e.Codes {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(c.String())
	}
	return b.String()
}

// Unwrap returns the sentinel error.
func (e *BankError) Unwrap() error { return e.Kind }

// Message returns the bank's texts for display, joined by newlines.
func (e *BankError) Message() string {
	texts := make([]string, 0, len(e.Codes))
	for _, c := range e.Codes {
		if c.Text != "" {
			texts = append(texts, c.Text)
		}
	}
	return strings.Join(texts, "\n")
}

// JobError records a job the bank refused for one account while the rest
// of the sync went on (for example 9210 for a period the bank does not
// serve).
type JobError struct {
	Job   string            `json:"job"`
	Codes []wire.ReturnCode `json:"codes"`
}

// Error returns the job and the bank's codes and texts.
func (e JobError) Error() string {
	parts := make([]string, len(e.Codes))
	for i, c := range e.Codes {
		parts[i] = c.String()
	}
	return fmt.Sprintf("fints: %s refused: %s", e.Job, strings.Join(parts, "; "))
}

func invalidInput(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalidInput, fmt.Sprintf(format, args...))
}

func protocolError(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrProtocol, fmt.Sprintf(format, args...))
}
