package segment

import "github.com/kontor-dev/kontor/bank/fints/wire"

// AnonymousCustomerID is the customer ID of an anonymous dialog.
const AnonymousCustomerID = "9999999999"

// HKIDN is the identification segment (version 2) that opens a dialog.
type HKIDN struct {
	Bank       BankID
	CustomerID string
	// SystemID is "0" while none is assigned.
	SystemID string
	// SystemIDRequired is Kundensystem-Status 1 (PIN/TAN dialogs); false
	// means 0 (anonymous dialogs).
	SystemIDRequired bool
}

// Segment builds the HKIDN segment.
func (h HKIDN) Segment() wire.Segment {
	s := wire.NewSegment("HKIDN", 2)
	s.Add(h.Bank.values()...)
	s.Add(wire.Text(h.CustomerID))
	sys := h.SystemID
	if sys == "" {
		sys = "0"
	}
	s.Add(wire.Text(sys))
	if h.SystemIDRequired {
		s.Add(wire.Num(1))
	} else {
		s.Add(wire.Num(0))
	}
	return s
}

// DecodeHKIDN reads an HKIDN segment. A missing Kundensystem-Status is
// read as 0.
func DecodeHKIDN(s wire.Segment) (HKIDN, error) {
	if err := checkType(s, "HKIDN"); err != nil {
		return HKIDN{}, err
	}
	r := newReader(s)
	h := HKIDN{
		Bank:             readBankID(r.el(0)),
		CustomerID:       r.el(1).text(0),
		SystemID:         r.el(2).val(0).String(),
		SystemIDRequired: r.el(3).int(0) == 1,
	}
	return h, r.done()
}

// Dialog languages of HKVVB.
const (
	LanguageDefault = 0
	LanguageGerman  = 1
	LanguageEnglish = 2
	LanguageFrench  = 3
)

// HKVVB is the processing preparation segment (version 3).
type HKVVB struct {
	BPDVersion     int
	UPDVersion     int
	Language       int
	ProductID      string
	ProductVersion string
}

// Segment builds the HKVVB segment.
func (h HKVVB) Segment() wire.Segment {
	s := wire.NewSegment("HKVVB", 3)
	s.Add(wire.Num(h.BPDVersion))
	s.Add(wire.Num(h.UPDVersion))
	s.Add(wire.Num(h.Language))
	s.Add(wire.Text(h.ProductID))
	s.Add(wire.Text(h.ProductVersion))
	return s
}

// DecodeHKVVB reads an HKVVB segment.
func DecodeHKVVB(s wire.Segment) (HKVVB, error) {
	if err := checkType(s, "HKVVB"); err != nil {
		return HKVVB{}, err
	}
	r := newReader(s)
	h := HKVVB{
		BPDVersion:     r.el(0).int(0),
		UPDVersion:     r.el(1).int(0),
		Language:       r.el(2).int(0),
		ProductID:      r.el(3).text(0),
		ProductVersion: r.el(4).text(0),
	}
	return h, r.done()
}

// Synchronisation modes of HKSYN.
const (
	SyncNewSystemID   = 0
	SyncMessageNumber = 1
	SyncSignatureID   = 2
)

// HKSYN is the synchronisation request (version 3).
type HKSYN struct {
	Mode int
}

// Segment builds the HKSYN segment.
func (h HKSYN) Segment() wire.Segment {
	s := wire.NewSegment("HKSYN", 3)
	s.Add(wire.Num(h.Mode))
	return s
}

// DecodeHKSYN reads an HKSYN segment.
func DecodeHKSYN(s wire.Segment) (HKSYN, error) {
	if err := checkType(s, "HKSYN"); err != nil {
		return HKSYN{}, err
	}
	r := newReader(s)
	h := HKSYN{Mode: r.el(0).int(0)}
	return h, r.done()
}

// HISYN is the synchronisation answer (version 4).
type HISYN struct {
	Ref           int
	SystemID      string
	MessageNumber int
}

// Segment builds the HISYN segment.
func (h HISYN) Segment() wire.Segment {
	s := wire.NewSegment("HISYN", 4)
	s.Header.Ref = h.Ref
	s.Add(wire.Text(h.SystemID))
	s.Add(optNum(h.MessageNumber))
	return s
}

// DecodeHISYN reads an HISYN segment.
func DecodeHISYN(s wire.Segment) (HISYN, error) {
	if err := checkType(s, "HISYN"); err != nil {
		return HISYN{}, err
	}
	r := newReader(s)
	r.el(0).need(0)
	h := HISYN{Ref: s.Header.Ref, SystemID: r.el(0).val(0).String(), MessageNumber: r.el(1).int(0)}
	return h, r.done()
}

// HKEND ends a dialog (version 1).
type HKEND struct {
	DialogID string
}

// Segment builds the HKEND segment.
func (h HKEND) Segment() wire.Segment {
	s := wire.NewSegment("HKEND", 1)
	s.Add(wire.Text(h.DialogID))
	return s
}

// DecodeHKEND reads an HKEND segment.
func DecodeHKEND(s wire.Segment) (HKEND, error) {
	if err := checkType(s, "HKEND"); err != nil {
		return HKEND{}, err
	}
	return HKEND{DialogID: s.Value(0, 0).String()}, nil
}
