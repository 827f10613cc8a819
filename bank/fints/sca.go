package fints

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kontor-dev/kontor/bank/fints/segment"
	"github.com/kontor-dev/kontor/bank/fints/wire"
)

// scaForInit marks a TAN process that authorises the dialog itself.
const scaForInit = "init"

// maxPollDelay bounds the bank's wait before a decoupled status query, so
// that Resume never blocks for long on an odd BPD value.
const maxPollDelay = time.Minute

// pollDelay converts the bank's delay in seconds, bounded by maxPollDelay.
func pollDelay(seconds int) time.Duration {
	return min(time.Duration(seconds)*time.Second, maxPollDelay)
}

// openDialog opens the working dialog: HKIDN, HKVVB and, for a two-step
// method, HKTAN process 4 for HKIDN. The bank may ask for SCA here.
func (c *Client) openDialog(ctx context.Context, st *State, pin wire.Secret) (*Step, error) {
	op := st.Op
	d := newDialog()
	d.Profile, d.Function = 1, oneStep
	if code := st.Session.TANMethod; code != oneStep {
		b, err := st.bpd()
		if err != nil {
			return nil, err
		}
		m, ok := b.method(code)
		if !ok {
			return nil, fmt.Errorf("%w: TAN method %s is not in the BPD", ErrInvalidInput, code)
		}
		d.Profile, d.Function, d.TANVersion, d.Medium = 2, code, m.Version, st.Session.TANMedium
	}
	op.Dialog = d
	segs := []wire.Segment{c.hkidn(st), c.hkvvb(st)}
	if d.TANVersion > 0 {
		segs = append(segs, hktanStart(d, "HKIDN"))
	}
	r, err := c.send(ctx, st, d, pin, "", segs...)
	if err != nil {
		return nil, fmt.Errorf("dialog initialisation: %w", err)
	}
	if err := r.check("dialog initialisation", true); err != nil {
		if c.methodWithdrawn(st, err) {
			op.Dialog, op.Phase = nil, phaseChoose
			return nil, nil
		}
		return nil, err
	}
	if step, err := c.startSCA(st, r, scaForInit); step != nil || err != nil {
		return step, err
	}
	op.Phase = phaseJobs
	return nil, nil
}

// methodWithdrawn reports whether the bank aborted the initialisation
// because the chosen method is no longer allowed (9800 with a 3920 list
// lacking it), and prepares one new choice.
func (c *Client) methodWithdrawn(st *State, err error) bool {
	if !errors.Is(err, ErrDialogAborted) || st.Op.Retried > 0 || st.Session.AllowedMethods == nil {
		return false
	}
	for _, m := range st.Session.AllowedMethods {
		if m == st.Session.TANMethod {
			return false
		}
	}
	st.Op.Retried++
	st.Session.TANMethod, st.Session.TANMedium = "", ""
	return true
}

// startSCA inspects the answer to a message that carried HKTAN process 4.
// It returns a Step when the user must act and nil when the bank needs no
// SCA (3076 with the dummy HITAN, or no HITAN at all). Decoupled approval
// wins when 3955 is present or the method is decoupled, even if the bank
// also sends 0030.
func (c *Client) startSCA(st *State, r *response, forWhat string) (*Step, error) {
	h, ok, err := r.hitan()
	if err != nil {
		return nil, err
	}
	wantsSCA := r.has(codeSCARequired) || r.has(codeDecoupled)
	if !ok || h.IsDummy() || h.TaskRef == "" {
		if wantsSCA {
			return nil, protocolError("the bank asks for SCA but sends no HITAN with a task reference")
		}
		return nil, nil
	}
	if !wantsSCA && r.has(codeNoSCARequired) {
		return nil, nil
	}
	d := st.Op.Dialog
	var m tanMethod
	if b, err := st.bpd(); err == nil {
		m, _ = b.method(d.Function)
	}
	now := time.Now()
	ch := Challenge{
		Text:       h.Challenge,
		HTML:       m.ChallengeHTML,
		HHDUC:      h.ChallengeHHDUC,
		Image:      parseImage(h.ChallengeHHDUC),
		ValidUntil: h.ValidUntil,
		Method:     m.Name,
		Medium:     firstNonEmpty(h.MediumName, d.Medium),
	}
	if ch.Text == segment.NoChallenge {
		ch.Text = ""
	}
	sca := &PendingSCA{For: forWhat, TaskRef: h.TaskRef, Created: now}
	kind := StepTAN
	if r.has(codeDecoupled) || m.IsDecoupled() {
		kind = StepDecoupled
		ch.Decoupled = true
		ch.AutoPoll = d.TANVersion >= 7 && m.AutomatedQueries && !r.has(codeAwaitPush)
		ch.NextPoll = now.Add(pollDelay(m.FirstQueryDelay))
		sca.MaxPolls = m.MaxStatusQueries
		sca.NextDelay = pollDelay(m.NextQueryDelay)
	}
	sca.Challenge = ch
	st.Op.SCA = sca
	step := st.Op.pause(kind, nil)
	step.Challenge = &sca.Challenge
	return step, nil
}

// resumeSCA sends the TAN (HKTAN process 2, TAN in HNSHA) or a decoupled
// status query (process S with HKTAN 7; process 2 without TAN with HKTAN
// 6) and continues the operation with the answer.
func (c *Client) resumeSCA(ctx context.Context, st *State, pin, tan wire.Secret) (step *Step, err error) {
	op := st.Op
	sca, d := op.SCA, op.Dialog
	if sca == nil || d == nil {
		return nil, invalidInput("state has no pending TAN process")
	}
	decoupled := StepKind(op.Waiting) == StepDecoupled
	defer func() {
		if err != nil {
			c.fail(ctx, st, pin, err)
		}
	}()
	if decoupled && sca.MaxPolls > 0 && sca.Polls >= sca.MaxPolls {
		return nil, fmt.Errorf("%w: approval still pending after %d status queries", ErrTANExpired, sca.Polls)
	}
	process := segment.ProcessSubmit
	if decoupled && d.TANVersion >= 7 {
		process = segment.ProcessStatus
	}
	seg := segment.HKTAN{Version: d.TANVersion, Process: process, TaskRef: sca.TaskRef}.Segment()
	r, err := c.send(ctx, st, d, pin, tan, seg)
	if err != nil {
		return nil, fmt.Errorf("TAN: %w", err)
	}
	if decoupled {
		sca.Polls++
	}
	strict := sca.For == scaForInit
	if err := r.check("TAN", strict); err != nil {
		return nil, err
	}
	if decoupled && r.has(codeDecoupledPending) {
		sca.Challenge.NextPoll = time.Now().Add(sca.NextDelay)
		return &Step{Kind: StepDecoupled, Challenge: &sca.Challenge}, nil
	}
	op.SCA, op.Waiting = nil, ""
	if sca.For == scaForInit {
		op.Phase = phaseJobs
	} else if err := c.collect(st, r); err != nil {
		return nil, err
	}
	return c.run(ctx, st, pin)
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
