package segment

import "github.com/kontor-dev/kontor/bank/fints/wire"

// HKWPD asks for the holdings of a depot as MT535 (versions 5 and 6).
type HKWPD struct {
	Version      int
	Account      Account
	Currency     string
	PriceQuality string
	MaxEntries   int
	Touchdown    string
}

// Segment builds the HKWPD segment.
func (h HKWPD) Segment() wire.Segment {
	s := wire.NewSegment("HKWPD", h.Version)
	s.Add(h.Account.ktv()...)
	s.Add(wire.Text(h.Currency))
	s.Add(wire.Text(h.PriceQuality))
	s.Add(optNum(h.MaxEntries))
	s.Add(wire.Text(h.Touchdown))
	return s
}

// DecodeHKWPD reads an HKWPD segment.
func DecodeHKWPD(s wire.Segment) (HKWPD, error) {
	if err := checkType(s, "HKWPD"); err != nil {
		return HKWPD{}, err
	}
	r := newReader(s)
	h := HKWPD{
		Version:      s.Header.Version,
		Account:      readKTV(r.el(0)),
		Currency:     r.el(1).text(0),
		PriceQuality: r.el(2).text(0),
		MaxEntries:   r.el(3).int(0),
		Touchdown:    r.el(4).val(0).String(),
	}
	return h, r.done()
}

// HIWPD carries the holdings as raw MT535.
type HIWPD struct {
	Version  int
	Ref      int
	Holdings []byte
}

// Segment builds the HIWPD segment.
func (h HIWPD) Segment() wire.Segment {
	s := wire.NewSegment("HIWPD", h.Version)
	s.Header.Ref = h.Ref
	s.Add(wire.Binary(h.Holdings))
	return s
}

// DecodeHIWPD reads an HIWPD segment.
func DecodeHIWPD(s wire.Segment) (HIWPD, error) {
	if err := checkType(s, "HIWPD"); err != nil {
		return HIWPD{}, err
	}
	r := newReader(s)
	return HIWPD{Version: s.Header.Version, Ref: s.Header.Ref, Holdings: r.el(0).bin(0)}, r.done()
}
