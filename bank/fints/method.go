package fints

import (
	"context"
	"fmt"
	"slices"

	"github.com/kontor-dev/kontor/bank/fints/segment"
	"github.com/kontor-dev/kontor/bank/fints/wire"
)

// oneStep is the security function of the one-step procedure.
const oneStep = "999"

// availableMethods returns the two-step methods of the BPD (HKTAN 6 and
// 7) that the bank allows for the user (3920), in BPD order.
func availableMethods(b *BPD, allowed []string) []tanMethod {
	var out []tanMethod
	for _, m := range b.tanMethods() {
		if allowed == nil || slices.Contains(allowed, m.SecurityFunction) {
			out = append(out, m)
		}
	}
	return out
}

// choose settles the TAN method and medium for the working dialog. It
// keeps the user's earlier choice while the bank still allows it, picks
// the only method when there is one, and otherwise pauses for the user.
// When the method needs a medium name and the user has several media, it
// fetches them (HKTAB) and pauses for the choice.
func (c *Client) choose(ctx context.Context, st *State, pin wire.Secret) (*Step, error) {
	b, err := st.bpd()
	if err != nil {
		return nil, err
	}
	methods := availableMethods(b, st.Session.AllowedMethods)
	if len(methods) == 0 {
		if len(b.TAN) > 0 && !b.oneStepAllowed() {
			return nil, fmt.Errorf("%w: the bank offers no two-step TAN method of HKTAN version 6 or 7 for this user", ErrUnsupported)
		}
		st.Session.TANMethod, st.Session.TANMedium = oneStep, ""
		return nil, nil
	}
	i := slices.IndexFunc(methods, func(m tanMethod) bool { return m.SecurityFunction == st.Session.TANMethod })
	if i < 0 {
		if len(methods) > 1 {
			return st.Op.pause(StepChooseTANMethod, options(methods)), nil
		}
		i = 0
		st.Session.TANMethod, st.Session.TANMedium = methods[0].SecurityFunction, ""
	}
	m := methods[i]
	if m.MediumRequired != segment.MediumRequired || m.ActiveMedia == 1 || st.Session.TANMedium != "" {
		return nil, nil // the bank needs no medium name, or knows the only one
	}
	media, err := c.fetchMedia(ctx, st, pin, m)
	if err != nil {
		return nil, err
	}
	switch len(media) {
	case 0:
		return nil, nil // let the bank decide
	case 1:
		st.Session.TANMedium = media[0]
		return nil, nil
	}
	opt := options([]tanMethod{m})
	opt[0].Media = media
	return st.Op.pause(StepChooseTANMethod, opt), nil
}

// options lists methods for the user.
func options(ms []tanMethod) []TANOption {
	out := make([]TANOption, len(ms))
	for i, m := range ms {
		out[i] = TANOption{Method: m.SecurityFunction, Name: m.Name, Decoupled: m.IsDecoupled()}
	}
	return out
}

// pause records that the operation waits for the user.
func (op *Operation) pause(kind StepKind, opts []TANOption) *Step {
	op.Waiting, op.Options = string(kind), opts
	return &Step{Kind: kind, Options: opts}
}

// applyChoice takes the user's TAN method choice into the session.
func (op *Operation) applyChoice(st *State, in Input) error {
	i := slices.IndexFunc(op.Options, func(o TANOption) bool { return o.Method == in.TANMethod })
	if i < 0 {
		return invalidInput("TAN method %q is not among the offered ones", in.TANMethod)
	}
	if media := op.Options[i].Media; len(media) > 0 && !slices.Contains(media, in.TANMedium) {
		return invalidInput("TAN medium %q is not among the offered ones", in.TANMedium)
	}
	st.Session.TANMethod = in.TANMethod
	if in.TANMedium != "" || st.Session.TANMedium == "" {
		st.Session.TANMedium = in.TANMedium
	}
	op.Waiting, op.Options = "", nil
	return nil
}

// fetchMedia lists the names of the user's active TAN media in a dialog
// of its own, whose HKTAN names HKTAB, as the bank requires. It returns
// nil when the bank offers no HKTAB.
func (c *Client) fetchMedia(ctx context.Context, st *State, pin wire.Secret, m tanMethod) ([]string, error) {
	media, err := c.tanMedia(ctx, st, pin, m)
	if err != nil {
		return nil, err
	}
	var active, all []string
	for _, md := range media {
		if md.Name == "" {
			continue
		}
		all = append(all, md.Name)
		if md.Status == segment.MediumActive {
			active = append(active, md.Name)
		}
	}
	if len(active) > 0 {
		return active, nil
	}
	return all, nil
}

// tanMedia runs the HKTAB dialog.
func (c *Client) tanMedia(ctx context.Context, st *State, pin wire.Secret, m tanMethod) ([]segment.TANMedium, error) {
	b, err := st.bpd()
	if err != nil {
		return nil, err
	}
	v := b.JobVersion("HKTAB")
	if v == 0 {
		return nil, nil
	}
	d := newDialog()
	d.Profile, d.Function, d.TANVersion = 2, m.SecurityFunction, m.Version
	r, err := c.send(ctx, st, d, pin, "", c.hkidn(st), c.hkvvb(st), hktanStart(d, "HKTAB"))
	if err != nil {
		return nil, fmt.Errorf("TAN media dialog: %w", err)
	}
	if err := r.check("TAN media dialog", true); err != nil {
		return nil, err
	}
	if h, ok, _ := r.hitan(); ok && !h.IsDummy() && !r.has(codeNoSCARequired) {
		c.closeDialog(ctx, st, d, pin)
		return nil, fmt.Errorf("%w: the bank asks for SCA to list TAN media", ErrUnsupported)
	}
	segs := []wire.Segment{segment.HKTAB{Version: v, Type: segment.MediaAll, Class: segment.MediumClassAll}.Segment()}
	if b.NeedsTAN("HKTAB") {
		segs = append(segs, hktanStart(d, "HKTAB"))
	}
	r, err = c.send(ctx, st, d, pin, "", segs...)
	if err != nil {
		return nil, fmt.Errorf("TAN media: %w", err)
	}
	if err := r.check("TAN media", true); err != nil {
		return nil, err
	}
	c.closeDialog(ctx, st, d, pin)
	var media []segment.TANMedium
	for _, s := range r.msg.FindAll("HITAB") {
		h, err := segment.DecodeHITAB(s)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrProtocol, err)
		}
		media = append(media, h.Media...)
	}
	return media, nil
}

// TANMedia lists the user's TAN media (HKTAB) in a dialog of its own. It
// needs a synchronised state with a chosen two-step method; run Sync
// first. st's session is updated as in Sync.
func (c *Client) TANMedia(ctx context.Context, st *State, pin string) ([]segment.TANMedium, error) {
	if st == nil {
		return nil, invalidInput("nil state")
	}
	secret, err := checkPIN(pin)
	if err != nil {
		return nil, err
	}
	b, err := st.bpd()
	if err != nil || st.Session.SystemID == "" {
		return nil, invalidInput("state is not synchronised; run Sync first")
	}
	m, ok := b.method(st.Session.TANMethod)
	if !ok {
		return nil, invalidInput("no two-step TAN method chosen; run Sync first")
	}
	return c.tanMedia(ctx, st, secret, m)
}
