package fints

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kontor-dev/kontor/bank/fints/segment"
	"github.com/kontor-dev/kontor/bank/fints/wire"
)

// Client speaks FinTS 3.0 PIN/TAN to one bank for one login. It holds no
// dialog state of its own: everything lives in the State the caller
// passes, so a dialog paused in one process can be resumed in another. A
// Client is safe for concurrent use with different States.
type Client struct {
	cfg Config
}

// New returns a client for cfg.
func New(cfg Config) (*Client, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	return &Client{cfg: cfg}, nil
}

// Sync fetches the account list and, as req asks, balances, transactions,
// standing orders and holdings. It first obtains a system ID and the BPD
// when st has none, picks the TAN method, opens a dialog and runs one job
// per message.
//
// The returned Step is StepDone with the result, or says what the user
// must do before Resume continues (choose a TAN method, enter a TAN,
// approve in an app). st is updated in place, also when an error is
// returned; persist it after every call. A paused operation in st is
// abandoned by Sync.
//
// The PIN is never stored in st; pass it again to Resume.
func (c *Client) Sync(ctx context.Context, st *State, pin string, req Request) (*Step, error) {
	if st == nil {
		return nil, invalidInput("nil state")
	}
	secret, err := checkPIN(pin)
	if err != nil {
		return nil, err
	}
	if req.Format != FormatAuto && req.Format != FormatCamt && req.Format != FormatMT940 {
		return nil, invalidInput("unknown statement format %q", req.Format)
	}
	if st.Op != nil {
		c.abandon(ctx, st, secret)
	}
	st.Op = &Operation{Request: req, Phase: phaseSync, Started: time.Now()}
	return c.run(ctx, st, secret)
}

// Resume continues the operation paused in st with the user's input: the
// chosen TAN method, the TAN, or nothing for a decoupled approval (then
// Resume waits until the bank's next permitted status query, asks once,
// and returns StepDecoupled again while the approval is pending).
//
// Invalid input leaves st unchanged. ErrTANInvalid after a TAN keeps the
// operation, so the user may try another TAN; any other error ends it. If
// ctx ends while Resume waits to poll, st is unchanged.
func (c *Client) Resume(ctx context.Context, st *State, pin string, in Input) (*Step, error) {
	if st == nil || !st.Paused() {
		return nil, invalidInput("no paused operation to resume")
	}
	secret, err := checkPIN(pin)
	if err != nil {
		return nil, err
	}
	op := st.Op
	switch StepKind(op.Waiting) {
	case StepChooseTANMethod:
		if err := op.applyChoice(st, in); err != nil {
			return nil, err
		}
		return c.run(ctx, st, secret)
	case StepTAN:
		if in.TAN == "" {
			return nil, invalidInput("no TAN given")
		}
		return c.resumeSCA(ctx, st, secret, in.TAN)
	case StepDecoupled:
		if op.SCA == nil {
			return nil, invalidInput("state has no pending approval")
		}
		if err := sleepUntil(ctx, op.SCA.Challenge.NextPoll); err != nil {
			return nil, err
		}
		return c.resumeSCA(ctx, st, secret, "")
	}
	return nil, invalidInput("state waits for unknown step %q", op.Waiting)
}

// AwaitDecoupled polls a decoupled approval until the bank reports it
// given or refused, the operation pauses for something else, or ctx ends.
// It is for callers that may block, such as a command-line tool; a web UI
// calls Resume once per poll instead.
func (c *Client) AwaitDecoupled(ctx context.Context, st *State, pin string) (*Step, error) {
	for {
		step, err := c.Resume(ctx, st, pin, Input{})
		if err != nil || step.Kind != StepDecoupled {
			return step, err
		}
	}
}

// run advances the operation until it finishes or pauses. On error it
// ends the open dialog (when the bank is still talking) and drops the
// operation, except after a rejected TAN, which the user may retry.
func (c *Client) run(ctx context.Context, st *State, pin wire.Secret) (step *Step, err error) {
	defer func() {
		if err != nil {
			c.fail(ctx, st, pin, err)
		}
	}()
	for {
		op := st.Op
		switch op.Phase {
		case phaseSync:
			if err := c.synchronize(ctx, st, pin); err != nil {
				return nil, err
			}
			op.Phase = phaseChoose
		case phaseChoose:
			if step, err := c.choose(ctx, st, pin); step != nil || err != nil {
				return step, err
			}
			op.Phase = phaseInit
		case phaseInit:
			if step, err := c.openDialog(ctx, st, pin); step != nil || err != nil {
				return step, err
			}
		case phaseJobs:
			if step, err := c.runJobs(ctx, st, pin); step != nil || err != nil {
				return step, err
			}
			op.Phase = phaseEnd
		case phaseEnd:
			c.closeDialog(ctx, st, op.Dialog, pin)
			res := op.Result
			st.Op = nil
			return &Step{Kind: StepDone, Result: &res}, nil
		default:
			return nil, invalidInput("operation in unknown phase %q", op.Phase)
		}
	}
}

// fail cleans up after an error of run or resumeSCA.
func (c *Client) fail(ctx context.Context, st *State, pin wire.Secret, err error) {
	if st.Op == nil {
		return
	}
	if errors.Is(err, ErrTANInvalid) && StepKind(st.Op.Waiting) == StepTAN {
		return // the user may try another TAN
	}
	// End the dialog when the bank is still talking; not after transport
	// failures or when ctx has ended.
	var be *BankError
	if errors.As(err, &be) || (ctx.Err() == nil && !errors.Is(err, ErrBankUnavailable)) {
		c.closeDialog(ctx, st, st.Op.Dialog, pin)
	}
	st.Op = nil
}

// abandon ends a paused operation before a new one starts.
func (c *Client) abandon(ctx context.Context, st *State, pin wire.Secret) {
	if d := st.Op.Dialog; d != nil && !d.Closed {
		c.closeDialog(ctx, st, d, pin)
	}
	st.Op = nil
}

// synchronize runs a one-step dialog (PIN:1, function 999) that obtains a
// system ID (HKSYN) when st has none, the BPD and the allowed TAN methods.
// It is skipped when st holds a system ID and a BPD.
func (c *Client) synchronize(ctx context.Context, st *State, pin wire.Secret) error {
	needID := st.Session.SystemID == ""
	if !needID && len(st.Session.BPD) > 0 {
		return nil
	}
	d := newDialog()
	d.Profile, d.Function = 1, "999"
	st.Op.Dialog = d
	segs := []wire.Segment{c.hkidn(st), c.hkvvb(st)}
	if needID {
		segs = append(segs, segment.HKSYN{Mode: segment.SyncNewSystemID}.Segment())
	}
	r, err := c.send(ctx, st, d, pin, "", segs...)
	if err != nil {
		return fmt.Errorf("synchronisation: %w", err)
	}
	if err := r.check("synchronisation", true); err != nil {
		return err
	}
	if needID && st.Session.SystemID == "" {
		return protocolError("synchronisation answer has no HISYN")
	}
	if len(st.Session.BPD) == 0 {
		return protocolError("synchronisation answer has no BPD")
	}
	c.closeDialog(ctx, st, d, pin)
	st.Op.Dialog = nil
	return nil
}

// BankInfo runs an anonymous dialog and returns the bank's parameter
// data. Banks that do not offer anonymous dialogs answer ErrUnsupported;
// Sync does not need this call.
func (c *Client) BankInfo(ctx context.Context) (*BPD, error) {
	st := &State{}
	d := newDialog()
	d.Anonymous = true
	d.TANVersion = 6
	segs := []wire.Segment{
		segment.HKIDN{Bank: segment.BankID{Code: c.cfg.BankCode}, CustomerID: segment.AnonymousCustomerID}.Segment(),
		segment.HKVVB{ProductID: c.cfg.ProductID, ProductVersion: c.cfg.ProductVersion}.Segment(),
		hktanStart(d, "HKIDN"),
	}
	r, err := c.send(ctx, st, d, "", "", segs...)
	if err != nil {
		return nil, fmt.Errorf("anonymous dialog: %w", err)
	}
	if err := r.check("anonymous dialog", true); err != nil {
		return nil, err
	}
	c.closeDialog(ctx, st, d, "")
	if len(st.Session.BPD) == 0 {
		return nil, protocolError("anonymous dialog answer has no BPD")
	}
	return st.bpd()
}

// checkPIN validates a PIN and wraps it as a secret.
func checkPIN(pin string) (wire.Secret, error) {
	if pin == "" {
		return "", invalidInput("empty PIN")
	}
	if _, ok := wire.Latin1(pin); !ok {
		return "", invalidInput("PIN has characters outside ISO 8859-1")
	}
	return wire.Secret(pin), nil
}

// sleepUntil waits until t or until ctx ends.
func sleepUntil(ctx context.Context, t time.Time) error {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
