package segment

import (
	"time"

	"github.com/kontor-dev/kontor/bank/fints/wire"
)

// TAN processes of HKTAN (process variant 2).
const (
	// ProcessStart submits a job for SCA (TAN process 4).
	ProcessStart = "4"
	// ProcessSubmit sends the TAN for a task (TAN process 2).
	ProcessSubmit = "2"
	// ProcessStatus asks for the state of a decoupled approval
	// (TAN process S, HKTAN version 7).
	ProcessStatus = "S"
)

// Dummy values of the HITAN a bank sends when no SCA is needed (3076).
const (
	NoTaskRef   = "noref"
	NoChallenge = "nochallenge"
)

// HKTAN is the two-step TAN segment, versions 6 and 7 (the layouts are the
// same; version 7 adds TAN process S). Process 1 elements (job hash,
// principal account, challenge class) are not supported.
type HKTAN struct {
	Version int
	Process string
	// SegmentType is the Segmentkennung of the job the SCA is for: HKIDN
	// at dialog initialisation, otherwise the job's type. Empty for
	// processes 2 and S.
	SegmentType string
	// TaskRef is the Auftragsreferenz from HITAN (processes 2 and S).
	TaskRef string
	// FurtherTAN is "weitere TAN folgt"; written as N for processes 2 and S.
	FurtherTAN bool
	// Cancel asks the bank to cancel the task (process 2 only).
	Cancel bool
	// SMSAccount is the SMS charge account, when the method requires one.
	SMSAccount *Account
	// MediumName names the TAN medium, when the method requires one.
	MediumName string
}

// Segment builds the HKTAN segment.
func (h HKTAN) Segment() wire.Segment {
	s := wire.NewSegment("HKTAN", h.Version)
	s.Add(wire.Text(h.Process))
	s.Add(wire.Text(h.SegmentType))
	s.Add() // principal account (process 1)
	s.Add() // job hash (process 1)
	s.Add(wire.Text(h.TaskRef))
	if h.Process == ProcessSubmit || h.Process == ProcessStatus {
		s.Add(wire.Bool(h.FurtherTAN))
	} else {
		s.Add()
	}
	if h.Cancel {
		s.Add(wire.Bool(true))
	} else {
		s.Add()
	}
	if h.SMSAccount != nil {
		s.Add(h.SMSAccount.kti()...)
	} else {
		s.Add()
	}
	s.Add() // challenge class
	s.Add() // challenge class parameters
	s.Add(wire.Text(h.MediumName))
	return s
}

// DecodeHKTAN reads an HKTAN segment of version 6 or 7 (and, by the same
// layout, later ones).
func DecodeHKTAN(s wire.Segment) (HKTAN, error) {
	if err := checkType(s, "HKTAN"); err != nil {
		return HKTAN{}, err
	}
	r := newReader(s)
	h := HKTAN{
		Version:     s.Header.Version,
		Process:     r.el(0).text(0),
		SegmentType: r.el(1).text(0),
		TaskRef:     r.el(4).val(0).String(),
		FurtherTAN:  r.el(5).bool(0),
		Cancel:      r.el(6).bool(0),
		MediumName:  r.el(10).text(0),
	}
	if e := r.el(7); !e.e.IsEmpty() {
		a := readKTI(e)
		h.SMSAccount = &a
	}
	r.el(0).need(0)
	return h, r.done()
}

// HITAN is the bank's two-step TAN answer, versions 6 and 7.
type HITAN struct {
	Version int
	Ref     int
	Process string
	// TaskRef is the Auftragsreferenz; NoTaskRef in the dummy answer.
	TaskRef string
	// Challenge is the text for the user (may contain simple HTML when the
	// method's challenge is structured); NoChallenge in the dummy answer.
	Challenge string
	// ChallengeHHDUC is binary challenge data: flicker code or a photoTAN
	// image.
	ChallengeHHDUC []byte
	// ValidUntil is the end of the challenge's validity, when given.
	ValidUntil time.Time
	// MediumName names the TAN medium the bank used.
	MediumName string
}

// IsDummy reports whether this is the placeholder HITAN of an answer that
// needs no SCA.
func (h HITAN) IsDummy() bool { return h.TaskRef == NoTaskRef || h.Challenge == NoChallenge }

// Segment builds the HITAN segment.
func (h HITAN) Segment() wire.Segment {
	s := wire.NewSegment("HITAN", h.Version)
	s.Header.Ref = h.Ref
	s.Add(wire.Text(h.Process))
	s.Add() // job hash
	s.Add(wire.Text(h.TaskRef))
	s.Add(wire.Text(h.Challenge))
	s.Add(optBin(h.ChallengeHHDUC))
	if h.ValidUntil.IsZero() {
		s.Add()
	} else {
		s.Add(wire.Date(h.ValidUntil), wire.Time(h.ValidUntil))
	}
	s.Add(wire.Text(h.MediumName))
	return s
}

// DecodeHITAN reads an HITAN segment of version 6 or 7.
func DecodeHITAN(s wire.Segment) (HITAN, error) {
	if err := checkType(s, "HITAN"); err != nil {
		return HITAN{}, err
	}
	r := newReader(s)
	h := HITAN{
		Version:        s.Header.Version,
		Ref:            s.Header.Ref,
		Process:        r.el(0).text(0),
		TaskRef:        r.el(2).val(0).String(),
		Challenge:      r.el(3).val(0).String(),
		ChallengeHHDUC: r.el(4).bin(0),
		ValidUntil:     r.el(5).dateTime(0),
		MediumName:     r.el(6).text(0),
	}
	return h, r.done()
}
