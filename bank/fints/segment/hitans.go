package segment

import (
	"strings"

	"github.com/kontor-dev/kontor/bank/fints/wire"
)

// Values of TANMethod.MediumRequired.
const (
	MediumNotAllowed = 0
	MediumOptional   = 1
	MediumRequired   = 2
)

// TANMethod is one two-step method of HITANS (Verfahrensparameter
// Zwei-Schritt-Verfahren), as of versions 6 and 7.
type TANMethod struct {
	// SecurityFunction is the method's code (900–997).
	SecurityFunction string
	// Process is the TAN process variant, 1 or 2.
	Process     int
	TechnicalID string
	// DKMethod is the DK TAN method: HHD, HHDUC, mobileTAN, App,
	// Decoupled, DecoupledPush, …
	DKMethod        string
	DKVersion       string
	Name            string
	MaxTANLength    int
	TANFormat       int // 1 numeric, 2 alphanumeric
	ReturnValueText string
	MaxReturnLength int
	MultipleTANs    bool
	// TimeAndDialog is "TAN Zeit- und Dialogbezug": 1 means processes 2
	// and S must follow in the same dialog.
	TimeAndDialog    int
	CancelAllowed    bool
	SMSAccount       int
	PrincipalAccount int
	ChallengeClass   bool
	ChallengeHTML    bool
	InitMode         string
	MediumRequired   int
	HHDUCResponse    bool
	ActiveMedia      int
	MaxStatusQueries int  // v7; 0 = unlimited
	FirstQueryDelay  int  // v7; seconds
	NextQueryDelay   int  // v7; seconds
	ManualConfirm    bool // v7
	AutomatedQueries bool // v7
}

// Number of values per method in HITANS versions 6 and 7.
const (
	methodLenV6 = 21
	methodLenV7 = 26
)

// IsDecoupled reports whether approval happens in another channel (an app)
// rather than by entering a TAN. It looks at the DK method name and at the
// decoupled polling parameters, never at the code.
func (m TANMethod) IsDecoupled() bool {
	dk := strings.ToLower(m.DKMethod)
	return strings.HasPrefix(dk, "decoupled") || m.FirstQueryDelay > 0 || m.NextQueryDelay > 0 ||
		m.AutomatedQueries || m.ManualConfirm
}

func (m TANMethod) values(version int) []wire.Value {
	vs := []wire.Value{
		wire.Text(m.SecurityFunction), wire.Num(m.Process), wire.Text(m.TechnicalID), wire.Text(m.DKMethod),
		wire.Text(m.DKVersion), wire.Text(m.Name), optNum(m.MaxTANLength), optNum(m.TANFormat),
		wire.Text(m.ReturnValueText), optNum(m.MaxReturnLength), wire.Bool(m.MultipleTANs), wire.Num(m.TimeAndDialog),
		wire.Bool(m.CancelAllowed), wire.Num(m.SMSAccount), wire.Num(m.PrincipalAccount), wire.Bool(m.ChallengeClass),
		wire.Bool(m.ChallengeHTML), wire.Text(initMode(m.InitMode)), wire.Num(m.MediumRequired), wire.Bool(m.HHDUCResponse),
		optNum(m.ActiveMedia),
	}
	if version >= 7 {
		if m.IsDecoupled() {
			vs = append(vs, wire.Num(m.MaxStatusQueries), wire.Num(m.FirstQueryDelay), wire.Num(m.NextQueryDelay),
				wire.Bool(m.ManualConfirm), wire.Bool(m.AutomatedQueries))
		} else {
			vs = append(vs, wire.Empty, wire.Empty, wire.Empty, wire.Empty, wire.Empty)
		}
	}
	return vs
}

func initMode(s string) string {
	if s == "" {
		return "00"
	}
	return s
}

func readTANMethod(v vals, version int) TANMethod {
	m := TANMethod{
		SecurityFunction: v.text(0),
		Process:          v.int(1),
		TechnicalID:      v.text(2),
		DKMethod:         v.text(3),
		DKVersion:        v.text(4),
		Name:             v.text(5),
		MaxTANLength:     v.int(6),
		TANFormat:        v.int(7),
		ReturnValueText:  v.text(8),
		MaxReturnLength:  v.int(9),
		MultipleTANs:     v.bool(10),
		TimeAndDialog:    v.int(11),
		CancelAllowed:    v.bool(12),
		SMSAccount:       v.int(13),
		PrincipalAccount: v.int(14),
		ChallengeClass:   v.bool(15),
		ChallengeHTML:    v.bool(16),
		InitMode:         v.text(17),
		MediumRequired:   v.int(18),
		HHDUCResponse:    v.bool(19),
		ActiveMedia:      v.int(20),
	}
	if version >= 7 {
		m.MaxStatusQueries = v.int(21)
		m.FirstQueryDelay = v.int(22)
		m.NextQueryDelay = v.int(23)
		m.ManualConfirm = v.bool(24)
		m.AutomatedQueries = v.bool(25)
	}
	return m
}

// HITANS holds the two-step parameters, versions 6 and 7.
type HITANS struct {
	Version       int
	Ref           int
	MaxJobs       int
	MinSignatures int
	SecurityClass int
	// OneStepAllowed says whether security function 999 may be used.
	OneStepAllowed bool
	// MultipleJobs allows more than one TAN-requiring job per message.
	MultipleJobs bool
	// HashMethod is the job hash method: 0 none, 1 RIPEMD-160, 2 SHA-1.
	HashMethod int
	Methods    []TANMethod
}

// Method returns the method with the given security function.
func (h HITANS) Method(code string) (TANMethod, bool) {
	for _, m := range h.Methods {
		if m.SecurityFunction == code {
			return m, true
		}
	}
	return TANMethod{}, false
}

// Segment builds the HITANS segment.
func (h HITANS) Segment() wire.Segment {
	s := wire.NewSegment("HITANS", h.Version)
	s.Header.Ref = h.Ref
	s.Add(wire.Num(h.MaxJobs))
	s.Add(wire.Num(h.MinSignatures))
	s.Add(wire.Num(h.SecurityClass))
	p := []wire.Value{wire.Bool(h.OneStepAllowed), wire.Bool(h.MultipleJobs), wire.Num(h.HashMethod)}
	n := methodLen(h.Version)
	for i, m := range h.Methods {
		vs := m.values(h.Version)
		if i < len(h.Methods)-1 {
			vs = padded(vs, n)
		}
		p = append(p, vs...)
	}
	s.Add(p...)
	return s
}

func methodLen(version int) int {
	if version >= 7 {
		return methodLenV7
	}
	return methodLenV6
}

// DecodeHITANS reads an HITANS segment of version 6 or 7. Older versions
// have other method layouts and are rejected.
func DecodeHITANS(s wire.Segment) (HITANS, error) {
	if err := checkType(s, "HITANS"); err != nil {
		return HITANS{}, err
	}
	if v := s.Header.Version; v < 6 || v > 7 {
		return HITANS{}, decodeErr(s, errUnsupportedVersion)
	}
	r := newReader(s)
	p := r.el(3)
	h := HITANS{
		Version:        s.Header.Version,
		Ref:            s.Header.Ref,
		MaxJobs:        r.el(0).int(0),
		MinSignatures:  r.el(1).int(0),
		SecurityClass:  r.el(2).int(0),
		OneStepAllowed: p.bool(0),
		MultipleJobs:   p.bool(1),
		HashMethod:     p.int(2),
	}
	n := methodLen(h.Version)
	for j := 3; j < p.len(); j += n {
		v := p.sub(j, n)
		if v.empty(0) {
			continue
		}
		h.Methods = append(h.Methods, readTANMethod(v, h.Version))
	}
	return h, r.done()
}
