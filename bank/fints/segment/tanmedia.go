package segment

import (
	"time"

	"github.com/kontor-dev/kontor/bank/fints/wire"
)

// TAN medium types and classes of HKTAB.
const (
	MediaAll       = "0"
	MediaActive    = "1"
	MediaAvailable = "2"

	MediumClassAll     = "A"
	MediumClassList    = "L"
	MediumClassGen     = "G"
	MediumClassMobile  = "M"
	MediumClassSecoder = "S"
)

// HKTAB asks for the user's TAN media (versions 4 and 5).
type HKTAB struct {
	Version int
	// Type is MediaAll, MediaActive or MediaAvailable.
	Type string
	// Class is one of the MediumClass constants.
	Class string
}

// Segment builds the HKTAB segment.
func (h HKTAB) Segment() wire.Segment {
	s := wire.NewSegment("HKTAB", h.Version)
	s.Add(wire.Text(h.Type))
	s.Add(wire.Text(h.Class))
	return s
}

// DecodeHKTAB reads an HKTAB segment.
func DecodeHKTAB(s wire.Segment) (HKTAB, error) {
	if err := checkType(s, "HKTAB"); err != nil {
		return HKTAB{}, err
	}
	return HKTAB{Version: s.Header.Version, Type: s.Element(0).Text(0), Class: s.Element(1).Text(0)}, nil
}

// TAN medium status values.
const (
	MediumActive            = 1
	MediumAvailable         = 2
	MediumActiveFollowUp    = 3
	MediumAvailableFollowUp = 4
)

// TANMedium is one entry of HITAB.
type TANMedium struct {
	Class  string
	Status int
	// SecurityFunction is set in version 5 only.
	SecurityFunction string
	CardNumber       string
	CardSequence     string
	CardType         int
	Account          *Account
	ValidFrom        time.Time
	ValidTo          time.Time
	ListNumber       string
	// Name is what HKTAN expects as the medium name.
	Name        string
	PhoneMasked string
	Phone       string
	FreeTANs    int
	LastUse     time.Time
	Activated   time.Time
}

// HITAB lists the TAN media (versions 4 and 5).
type HITAB struct {
	Version int
	Ref     int
	// Usage is 0 (all active media in parallel), 1 (exactly one) or 2
	// (mobile and generator).
	Usage int
	Media []TANMedium
}

// Segment builds the HITAB segment.
func (h HITAB) Segment() wire.Segment {
	s := wire.NewSegment("HITAB", h.Version)
	s.Header.Ref = h.Ref
	s.Add(wire.Num(h.Usage))
	for _, m := range h.Media {
		vs := []wire.Value{wire.Text(m.Class), wire.Num(m.Status)}
		if h.Version >= 5 {
			vs = append(vs, wire.Text(m.SecurityFunction))
		}
		vs = append(vs, wire.Text(m.CardNumber), wire.Text(m.CardSequence), optNum(m.CardType))
		if m.Account != nil {
			vs = append(vs, m.Account.ktv()...)
		} else {
			vs = append(vs, wire.Empty, wire.Empty, wire.Empty, wire.Empty)
		}
		vs = append(vs, optDate(m.ValidFrom), optDate(m.ValidTo), wire.Text(m.ListNumber), wire.Text(m.Name),
			wire.Text(m.PhoneMasked), wire.Text(m.Phone))
		vs = append(vs, wire.Empty, wire.Empty, wire.Empty, wire.Empty, wire.Empty, wire.Empty) // SMS account (KTI)
		vs = append(vs, optNum(m.FreeTANs), optDate(m.LastUse), optDate(m.Activated))
		s.Add(vs...)
	}
	return s
}

// DecodeHITAB reads an HITAB segment.
func DecodeHITAB(s wire.Segment) (HITAB, error) {
	if err := checkType(s, "HITAB"); err != nil {
		return HITAB{}, err
	}
	r := newReader(s)
	h := HITAB{Version: s.Header.Version, Ref: s.Header.Ref, Usage: r.el(0).int(0)}
	for i := 1; i < len(s.Elements); i++ {
		v := r.el(i)
		if v.e.IsEmpty() {
			continue
		}
		m := TANMedium{Class: v.text(0), Status: v.int(1)}
		j := 2
		if h.Version >= 5 {
			m.SecurityFunction = v.text(2)
			j = 3
		}
		m.CardNumber, m.CardSequence, m.CardType = v.text(j), v.text(j+1), v.int(j+2)
		if acc := v.sub(j+3, ktvLen); !acc.e.IsEmpty() {
			a := readKTV(acc)
			m.Account = &a
		}
		j += 3 + ktvLen
		m.ValidFrom, m.ValidTo, m.ListNumber, m.Name = v.date(j), v.date(j+1), v.text(j+2), v.text(j+3)
		m.PhoneMasked, m.Phone = v.text(j+4), v.text(j+5)
		j += 6 + ktiLen
		m.FreeTANs, m.LastUse, m.Activated = v.int(j), v.date(j+1), v.date(j+2)
		h.Media = append(h.Media, m)
	}
	return h, r.done()
}
