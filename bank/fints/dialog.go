package fints

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/kontor-dev/kontor/bank/fints/segment"
	"github.com/kontor-dev/kontor/bank/fints/wire"
)

// Return codes the client acts on.
const (
	codeSCARequired      = 30
	codeDialogEnded      = 100
	codeNoEntries        = 3010
	codeTouchdown        = 3040
	codeAllowedMethods   = 3920
	codeNoSCARequired    = 3076
	codeDecoupled        = 3955
	codeDecoupledPending = 3956
	codeAwaitPush        = 3957
	codePartlyFaulty     = 9050
	codeDialogAborted    = 9800
	codeTANInvalid       = 9941
	codeTANExpired       = 9951
)

// Codes that classify an answer as a whole.
var (
	lockedCodes      = []int{3916, 3938, 9930, 9931}
	wrongPINCodes    = []int{9340, 9910, 9942}
	unavailableCodes = []int{9010}
	unsupportedCodes = []int{9400}
	protocolCodes    = []int{9075, 9110, 9120}
	methodCodes      = []int{9380, 9955}
)

// response is a parsed bank answer.
type response struct {
	msg   *wire.Message
	codes []wire.Return
}

// segments returns the answer's inner segments.
func (r *response) segments() []wire.Segment { return r.msg.Segments }

// has reports whether any HIRMG or HIRMS carries code.
func (r *response) has(code int) bool {
	_, ok := r.find(code)
	return ok
}

// find returns the first return with code.
func (r *response) find(code int) (wire.Return, bool) {
	for _, c := range r.codes {
		if c.Code == code {
			return c, true
		}
	}
	return wire.Return{}, false
}

// errorCodes returns every error code (9xxx) of the answer.
func (r *response) errorCodes() []wire.ReturnCode {
	var out []wire.ReturnCode
	for _, c := range r.codes {
		if c.IsError() {
			out = append(out, c.ReturnCode)
		}
	}
	return out
}

// check classifies an answer. Lock and PIN codes, TAN codes and 9800 are
// fatal wherever they appear; other errors are fatal at message level
// (HIRMG, except 9050 "partly faulty") and, when strict, anywhere. Job
// errors of a non-strict check are left to the job.
func (r *response) check(op string, strict bool) error {
	fail := func(kind error) error {
		codes := r.errorCodes()
		for _, c := range r.codes {
			if c.IsWarning() && slices.Contains(lockedCodes, c.Code) {
				codes = append(codes, c.ReturnCode)
			}
		}
		return &BankError{Kind: kind, Codes: codes, Op: op}
	}
	switch {
	case r.hasAny(lockedCodes):
		return fail(ErrLocked)
	case r.hasAny(wrongPINCodes):
		return fail(ErrWrongPIN)
	case r.has(codeTANInvalid):
		return fail(ErrTANInvalid)
	case r.has(codeTANExpired):
		return fail(ErrTANExpired)
	case strict && r.hasAny(unavailableCodes):
		return fail(ErrBankUnavailable)
	case strict && r.hasAny(unsupportedCodes):
		return fail(ErrUnsupported)
	case r.has(codeDialogAborted):
		return fail(ErrDialogAborted)
	}
	var considered []int
	for _, c := range r.codes {
		if c.IsError() && (strict || c.Segment == 0) {
			considered = append(considered, c.Code)
		}
	}
	if len(considered) > 1 || !strict {
		// 9050 only says that details are in HIRMS.
		considered = slices.DeleteFunc(considered, func(code int) bool { return code == codePartlyFaulty })
	}
	switch {
	case len(considered) == 0:
		return nil
	case containsAny(considered, protocolCodes):
		return fail(ErrProtocol)
	}
	return fail(ErrRejected)
}

func containsAny(have, want []int) bool {
	for _, c := range have {
		if slices.Contains(want, c) {
			return true
		}
	}
	return false
}

func (r *response) hasAny(codes []int) bool {
	for _, c := range r.codes {
		if slices.Contains(codes, c.Code) {
			return true
		}
	}
	return false
}

// hitan returns the answer's HITAN, if any.
func (r *response) hitan() (segment.HITAN, bool, error) {
	s, ok := r.msg.Find("HITAN")
	if !ok {
		return segment.HITAN{}, false, nil
	}
	h, err := segment.DecodeHITAN(s)
	if err != nil {
		return segment.HITAN{}, false, protocolError("%v", err)
	}
	return h, true, nil
}

// newDialog returns the state of a dialog about to be opened.
func newDialog() *DialogState { return &DialogState{ID: "0", NextMessage: 1} }

// send sends segs as the next message of dialog d, signed with pin (and
// tan) unless the dialog is anonymous, and returns the parsed answer. It
// takes the BPD, UPD, system ID and allowed methods of the answer into
// st.Session. It does not classify return codes; see response.check.
func (c *Client) send(ctx context.Context, st *State, d *DialogState, pin, tan wire.Secret, segs ...wire.Segment) (*response, error) {
	msg := &wire.Message{DialogID: d.ID, Number: d.NextMessage, Segments: segs}
	if !d.Anonymous {
		msg.Security = &wire.Security{
			Profile:    d.Profile,
			Function:   d.Function,
			BankCode:   c.cfg.BankCode,
			UserID:     c.cfg.UserID,
			SystemID:   st.Session.SystemID,
			ControlRef: strconv.Itoa(1000000 + rand.IntN(9000000)),
			PIN:        pin,
			TAN:        tan,
		}
	}
	raw, err := msg.Marshal()
	if err != nil {
		return nil, fmt.Errorf("fints: %w", err)
	}
	d.NextMessage++
	c.cfg.Logger.DebugContext(ctx, "fints message sent", "dialog", d.ID, "number", msg.Number, "message", string(wire.Redact(raw)))
	ans, err := c.post(ctx, raw)
	if err != nil {
		return nil, err
	}
	c.cfg.Logger.DebugContext(ctx, "fints message received", "dialog", d.ID, "number", msg.Number, "message", string(wire.Redact(ans)))
	m, err := wire.ParseMessage(ans)
	if err != nil {
		return nil, fmt.Errorf("%w: bank answer: %w", ErrProtocol, err)
	}
	codes, err := wire.Returns(m.Segments)
	if err != nil {
		return nil, fmt.Errorf("%w: bank answer: %w", ErrProtocol, err)
	}
	if d.ID == "0" {
		d.ID = m.DialogID
	}
	r := &response{msg: m, codes: codes}
	if err := c.absorb(st, d, r); err != nil {
		return nil, err
	}
	return r, nil
}

// absorb applies the side effects of an answer: new BPD, UPD and system
// ID, the allowed TAN methods (3920), a dialog ended by the bank, and
// session data the bank declared invalid.
func (c *Client) absorb(st *State, d *DialogState, r *response) error {
	segs := r.segments()
	if raw := extractBPD(segs); raw != nil {
		old := st.Session.BPD
		st.Session.BPD = raw
		if _, err := st.bpd(); err != nil {
			st.Session.BPD = old
			return err
		}
	}
	if raw := extractUPD(segs); raw != nil {
		old := st.Session.UPD
		st.Session.UPD = raw
		if _, err := st.upd(); err != nil {
			st.Session.UPD = old
			return err
		}
	}
	if s, ok := wire.Find(segs, "HISYN"); ok {
		h, err := segment.DecodeHISYN(s)
		if err != nil {
			return fmt.Errorf("%w: %w", ErrProtocol, err)
		}
		st.Session.SystemID = h.SystemID
	}
	if rc, ok := r.find(codeAllowedMethods); ok {
		methods := []string{}
		for _, p := range rc.Params {
			if p = strings.TrimSpace(p); p != "" {
				methods = append(methods, p)
			}
		}
		st.Session.AllowedMethods = methods
	}
	if r.has(codeDialogAborted) {
		d.Closed = true
	}
	for _, rc := range r.codes {
		switch {
		case rc.Code == 9210 && strings.Contains(strings.ToLower(rc.Text), "kundensystem"):
			st.Session.SystemID = "" // resynchronise next time
		case slices.Contains(methodCodes, rc.Code):
			st.Session.TANMethod, st.Session.TANMedium = "", ""
		}
	}
	return nil
}

// closeDialog ends dialog d with HKEND unless the bank already aborted it.
// Failures are logged, not returned: the data is already in hand.
func (c *Client) closeDialog(ctx context.Context, st *State, d *DialogState, pin wire.Secret) {
	if d == nil || d.Closed || d.ID == "0" {
		return
	}
	d.Closed = true
	r, err := c.send(ctx, st, d, pin, "", segment.HKEND{DialogID: d.ID}.Segment())
	if err == nil {
		err = r.check("dialog end", true)
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		c.cfg.Logger.WarnContext(ctx, "fints dialog end failed", "dialog", d.ID, "error", err)
	}
}

// hkidn builds the identification for a personal dialog.
func (c *Client) hkidn(st *State) wire.Segment {
	return segment.HKIDN{
		Bank:             segment.BankID{Country: segment.CountryDE, Code: c.cfg.BankCode},
		CustomerID:       c.cfg.CustomerID,
		SystemID:         st.Session.SystemID,
		SystemIDRequired: true,
	}.Segment()
}

// hkvvb builds the processing preparation with the held BPD/UPD versions.
func (c *Client) hkvvb(st *State) wire.Segment {
	h := segment.HKVVB{ProductID: c.cfg.ProductID, ProductVersion: c.cfg.ProductVersion}
	if len(st.Session.BPD) > 0 {
		if b, err := st.bpd(); err == nil {
			h.BPDVersion = b.Version
		}
	}
	if u, err := st.upd(); err == nil {
		h.UPDVersion = u.Version
	}
	return h.Segment()
}

// hktan builds HKTAN process 4 for job (HKIDN at initialisation).
func hktanStart(d *DialogState, job string) wire.Segment {
	return segment.HKTAN{Version: d.TANVersion, Process: segment.ProcessStart, SegmentType: job, MediumName: d.Medium}.Segment()
}
