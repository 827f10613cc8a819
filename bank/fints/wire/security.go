package wire

import (
	"strconv"
	"time"
)

// Security describes the PIN/TAN security of a message: the "encryption"
// envelope (HNVSK/HNVSD, which under PIN/TAN carries cleartext) and, unless
// Unsigned is set, the signature head and closing (HNSHK/HNSHA) that carry
// the PIN and TAN.
//
// The filler values FinTS demands (key names, algorithms) are written as
// the specification shows them and never validated on input.
type Security struct {
	// Profile is the PIN/TAN profile version: 1 for one-step (function
	// 999), 2 for two-step.
	Profile int
	// Function is the security function of the signature: "999" for
	// one-step, otherwise the code of the chosen two-step method.
	Function string
	// Party is the role in the security identification details: 1 for
	// the message sender (client messages; the default), 2 for the
	// message receiver.
	Party int
	// Country is the country code of the bank (default "280").
	Country string
	// BankCode and UserID name the key owner ("280:<BLZ>:<user>:…").
	BankCode string
	UserID   string
	// SystemID is the customer system ID, "0" before synchronisation.
	SystemID string
	// Time is the security time stamp (default: now).
	Time time.Time
	// ControlRef is the security control reference that links HNSHK and
	// HNSHA.
	ControlRef string
	// Unsigned marks a message wrapped in HNVSK/HNVSD without HNSHK and
	// HNSHA, as banks usually answer.
	Unsigned bool
	// PIN and TAN go into the user-defined signature of HNSHA.
	PIN Secret
	TAN Secret
}

func (s *Security) country() string {
	if s.Country == "" {
		return "280"
	}
	return s.Country
}

func (s *Security) party() int {
	if s.Party == 0 {
		return 1
	}
	return s.Party
}

func (s *Security) systemID() string {
	if s.SystemID == "" {
		return "0"
	}
	return s.SystemID
}

func (s *Security) profile() Element {
	p := s.Profile
	if p == 0 {
		p = 2
	}
	return Element{Text("PIN"), Num(p)}
}

func (s *Security) identification() Element {
	return Element{Num(s.party()), Empty, Text(s.systemID())}
}

func (s *Security) dateTime(now time.Time) Element {
	return Element{Num(1), Date(now), Time(now)}
}

func (s *Security) keyName(kind string) Element {
	return Element{Text(s.country()), Text(s.BankCode), Text(s.UserID), Text(kind), Num(0), Num(0)}
}

// hnvsk builds the encryption head (HNVSK v3, number 998).
func (s *Security) hnvsk(now time.Time) Segment {
	seg := Segment{Header: Header{Type: "HNVSK", Number: 998, Version: 3}}
	seg.AddElement(s.profile())
	seg.Add(Num(998))
	seg.Add(Num(1))
	seg.AddElement(s.identification())
	seg.AddElement(s.dateTime(now))
	seg.Add(Num(2), Num(2), Num(13), Binary([]byte("00000000")), Num(5), Num(1))
	seg.AddElement(s.keyName("V"))
	seg.Add(Num(0))
	return seg
}

// hnshk builds the signature head (HNSHK v4).
func (s *Security) hnshk(number int, now time.Time) Segment {
	seg := Segment{Header: Header{Type: "HNSHK", Number: number, Version: 4}}
	seg.AddElement(s.profile())
	seg.Add(Text(s.Function))
	seg.Add(Text(s.ControlRef))
	seg.Add(Num(1))
	seg.Add(Num(1))
	seg.AddElement(s.identification())
	seg.Add(Num(1))
	seg.AddElement(s.dateTime(now))
	seg.Add(Num(1), Num(999), Num(1))
	seg.Add(Num(6), Num(10), Num(16))
	seg.AddElement(s.keyName("S"))
	return seg
}

// hnsha builds the signature closing (HNSHA v2) with PIN and TAN.
func (s *Security) hnsha(number int) Segment {
	seg := Segment{Header: Header{Type: "HNSHA", Number: number, Version: 2}}
	seg.Add(Text(s.ControlRef))
	seg.Add()
	sig := Element{Text(s.PIN.Reveal())}
	if s.TAN != "" {
		sig = append(sig, Text(s.TAN.Reveal()))
	}
	seg.AddElement(sig)
	return seg
}

// readHNVSK fills s from an encryption head, tolerating any filler.
func (s *Security) readHNVSK(seg Segment) {
	s.Profile = profileVersion(seg.Element(0))
	s.readIdentity(seg.Element(3), seg.Element(4), seg.Element(6))
}

// readHNSHK fills s from a signature head, tolerating any filler.
func (s *Security) readHNSHK(seg Segment) {
	s.Profile = profileVersion(seg.Element(0))
	s.Function = seg.Element(1).Text(0)
	s.ControlRef = seg.Element(2).Text(0)
	s.readIdentity(seg.Element(5), seg.Element(7), seg.Element(10))
}

func (s *Security) readIdentity(ident, dt, key Element) {
	if p, err := ident.Value(0).Int(); err == nil {
		s.Party = p
	}
	if id := ident.Value(2).String(); id != "" {
		s.SystemID = id
	}
	if t, err := DateTime(dt.Value(1), dt.Value(2), nil); err == nil {
		s.Time = t
	}
	if c := key.Text(0); c != "" {
		s.Country = c
	}
	if b := key.Text(1); b != "" {
		s.BankCode = b
	}
	if u := key.Text(2); u != "" {
		s.UserID = u
	}
}

// readHNSHA takes PIN and TAN from a signature closing.
func (s *Security) readHNSHA(seg Segment) {
	if ref := seg.Element(0).Text(0); ref != "" && s.ControlRef == "" {
		s.ControlRef = ref
	}
	sig := seg.Element(2)
	s.PIN = Secret(sig.Value(0).String())
	s.TAN = Secret(sig.Value(1).String())
}

func profileVersion(e Element) int {
	n, err := e.Value(1).Int()
	if err != nil {
		return 0
	}
	return n
}

// String describes the security settings with PIN and TAN masked.
func (s Security) String() string {
	signed := "signed"
	if s.Unsigned {
		signed = "unsigned"
	}
	return "PIN:" + strconv.Itoa(s.Profile) + " function " + s.Function + " " + signed +
		" user " + s.UserID + " system " + s.SystemID + " pin " + s.PIN.String() + " tan " + s.TAN.String()
}
