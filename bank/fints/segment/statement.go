package segment

import (
	"time"

	"github.com/kontor-dev/kontor/bank/fints/wire"
)

// HKKAZ asks for transactions as MT940 (versions 5–7; KTV up to version 6,
// KTI in version 7).
type HKKAZ struct {
	Version     int
	Account     Account
	AllAccounts bool
	From, To    time.Time
	MaxEntries  int
	Touchdown   string
}

// Segment builds the HKKAZ segment.
func (h HKKAZ) Segment() wire.Segment {
	s := wire.NewSegment("HKKAZ", h.Version)
	s.Add(h.Account.account(h.Version, 7)...)
	s.Add(wire.Bool(h.AllAccounts))
	s.Add(optDate(h.From))
	s.Add(optDate(h.To))
	s.Add(optNum(h.MaxEntries))
	s.Add(wire.Text(h.Touchdown))
	return s
}

// DecodeHKKAZ reads an HKKAZ segment.
func DecodeHKKAZ(s wire.Segment) (HKKAZ, error) {
	if err := checkType(s, "HKKAZ"); err != nil {
		return HKKAZ{}, err
	}
	r := newReader(s)
	h := HKKAZ{
		Version:     s.Header.Version,
		Account:     readAccount(r.el(0), s.Header.Version, 7),
		AllAccounts: r.el(1).bool(0),
		From:        r.el(2).date(0),
		To:          r.el(3).date(0),
		MaxEntries:  r.el(4).int(0),
		Touchdown:   r.el(5).val(0).String(),
	}
	return h, r.done()
}

// HIKAZ carries one page of transactions: booked ones as MT940 and
// pending ones as MT942, both raw.
type HIKAZ struct {
	Version int
	Ref     int
	Booked  []byte
	Pending []byte
}

// Segment builds the HIKAZ segment.
func (h HIKAZ) Segment() wire.Segment {
	s := wire.NewSegment("HIKAZ", h.Version)
	s.Header.Ref = h.Ref
	s.Add(wire.Binary(h.Booked))
	s.Add(optBin(h.Pending))
	return s
}

// DecodeHIKAZ reads an HIKAZ segment. Text instead of binary is accepted.
func DecodeHIKAZ(s wire.Segment) (HIKAZ, error) {
	if err := checkType(s, "HIKAZ"); err != nil {
		return HIKAZ{}, err
	}
	r := newReader(s)
	return HIKAZ{Version: s.Header.Version, Ref: s.Header.Ref, Booked: r.el(0).bin(0), Pending: r.el(1).bin(0)}, r.done()
}

// HKCAZ asks for transactions as camt.052 (version 1).
type HKCAZ struct {
	Version int
	Account Account
	// Formats are the camt descriptors the client accepts, e.g.
	// "urn:iso:std:iso:20022:tech:xsd:camt.052.001.02".
	Formats     []string
	AllAccounts bool
	From, To    time.Time
	MaxEntries  int
	Touchdown   string
}

// Segment builds the HKCAZ segment.
func (h HKCAZ) Segment() wire.Segment {
	s := wire.NewSegment("HKCAZ", h.Version)
	s.Add(h.Account.kti()...)
	s.Add(texts(h.Formats)...)
	s.Add(wire.Bool(h.AllAccounts))
	s.Add(optDate(h.From))
	s.Add(optDate(h.To))
	s.Add(optNum(h.MaxEntries))
	s.Add(wire.Text(h.Touchdown))
	return s
}

// DecodeHKCAZ reads an HKCAZ segment.
func DecodeHKCAZ(s wire.Segment) (HKCAZ, error) {
	if err := checkType(s, "HKCAZ"); err != nil {
		return HKCAZ{}, err
	}
	r := newReader(s)
	h := HKCAZ{
		Version:     s.Header.Version,
		Account:     readKTI(r.el(0)),
		Formats:     r.el(1).texts(0),
		AllAccounts: r.el(2).bool(0),
		From:        r.el(3).date(0),
		To:          r.el(4).date(0),
		MaxEntries:  r.el(5).int(0),
		Touchdown:   r.el(6).val(0).String(),
	}
	return h, r.done()
}

// HICAZ carries one page of transactions as camt.052 documents: booked
// ones (often one document per day or page) and one with pending entries.
type HICAZ struct {
	Version int
	Ref     int
	Account Account
	Format  string
	Booked  [][]byte
	Pending []byte
}

// Segment builds the HICAZ segment.
func (h HICAZ) Segment() wire.Segment {
	s := wire.NewSegment("HICAZ", h.Version)
	s.Header.Ref = h.Ref
	s.Add(h.Account.kti()...)
	s.Add(wire.Text(h.Format))
	booked := make([]wire.Value, len(h.Booked))
	for i, b := range h.Booked {
		booked[i] = wire.Binary(b)
	}
	s.Add(booked...)
	s.Add(optBin(h.Pending))
	return s
}

// DecodeHICAZ reads an HICAZ segment.
func DecodeHICAZ(s wire.Segment) (HICAZ, error) {
	if err := checkType(s, "HICAZ"); err != nil {
		return HICAZ{}, err
	}
	r := newReader(s)
	h := HICAZ{
		Version: s.Header.Version,
		Ref:     s.Header.Ref,
		Account: readKTI(r.el(0)),
		Format:  r.el(1).text(0),
		Pending: r.el(3).bin(0),
	}
	for _, v := range s.Element(2) {
		if !v.IsEmpty() {
			h.Booked = append(h.Booked, v.Data)
		}
	}
	return h, r.done()
}
