package segment

import (
	"github.com/kontor-dev/kontor/bank/fints/wire"
)

// HIBPA is the head of the bank parameter data (version 3).
type HIBPA struct {
	Ref          int
	Version      int // BPD version
	Bank         BankID
	BankName     string
	MaxJobs      int // job types per message, 0 = unlimited
	Languages    []int
	HBCIVersions []int
	MaxMessageKB int
	MinTimeout   int
	MaxTimeout   int
}

// Segment builds the HIBPA segment.
func (h HIBPA) Segment() wire.Segment {
	s := wire.NewSegment("HIBPA", 3)
	s.Header.Ref = h.Ref
	s.Add(wire.Num(h.Version))
	s.Add(h.Bank.values()...)
	s.Add(wire.Text(h.BankName))
	s.Add(wire.Num(h.MaxJobs))
	s.Add(nums(h.Languages)...)
	s.Add(nums(h.HBCIVersions)...)
	s.Add(optNum(h.MaxMessageKB))
	s.Add(optNum(h.MinTimeout))
	s.Add(optNum(h.MaxTimeout))
	return s
}

// DecodeHIBPA reads an HIBPA segment.
func DecodeHIBPA(s wire.Segment) (HIBPA, error) {
	if err := checkType(s, "HIBPA"); err != nil {
		return HIBPA{}, err
	}
	r := newReader(s)
	h := HIBPA{
		Ref:          s.Header.Ref,
		Version:      r.el(0).int(0),
		Bank:         readBankID(r.el(1)),
		BankName:     r.el(2).text(0),
		MaxJobs:      r.el(3).int(0),
		Languages:    r.el(4).ints(),
		HBCIVersions: r.el(5).ints(),
		MaxMessageKB: r.el(6).int(0),
		MinTimeout:   r.el(7).int(0),
		MaxTimeout:   r.el(8).int(0),
	}
	return h, r.done()
}

// CommParams is one communication access of HIKOM.
type CommParams struct {
	// Service is 2 for TCP/IP and 3 for HTTPS.
	Service       int
	Address       string
	Supplement    string
	Filter        string // "MIM" for base64
	FilterVersion int
}

// HIKOM lists the bank's communication accesses (version 4).
type HIKOM struct {
	Ref      int
	Bank     BankID
	Language int
	Access   []CommParams
}

// Segment builds the HIKOM segment.
func (h HIKOM) Segment() wire.Segment {
	s := wire.NewSegment("HIKOM", 4)
	s.Header.Ref = h.Ref
	s.Add(h.Bank.values()...)
	s.Add(wire.Num(h.Language))
	for _, c := range h.Access {
		s.Add(wire.Num(c.Service), wire.Text(c.Address), wire.Text(c.Supplement), wire.Text(c.Filter), optNum(c.FilterVersion))
	}
	return s
}

// DecodeHIKOM reads an HIKOM segment.
func DecodeHIKOM(s wire.Segment) (HIKOM, error) {
	if err := checkType(s, "HIKOM"); err != nil {
		return HIKOM{}, err
	}
	r := newReader(s)
	h := HIKOM{Ref: s.Header.Ref, Bank: readBankID(r.el(0)), Language: r.el(1).int(0)}
	for i := 2; i < len(s.Elements); i++ {
		v := r.el(i)
		if v.e.IsEmpty() {
			continue
		}
		h.Access = append(h.Access, CommParams{
			Service: v.int(0), Address: v.text(1), Supplement: v.text(2), Filter: v.text(3), FilterVersion: v.int(4),
		})
	}
	return h, r.done()
}

// JobTAN is one entry of HIPINS: whether a job needs a TAN.
type JobTAN struct {
	Job string
	TAN bool
}

// HIPINS holds the PIN/TAN parameters (version 1).
type HIPINS struct {
	Ref            int
	MaxJobs        int
	MinSignatures  int
	SecurityClass  int
	MinPINLength   int
	MaxPINLength   int
	MaxTANLength   int
	UserIDText     string
	CustomerIDText string
	Jobs           []JobTAN
}

// NeedsTAN reports whether the bank lists job as TAN-relevant, and whether
// the job is listed at all.
func (h HIPINS) NeedsTAN(job string) (tan, listed bool) {
	for _, j := range h.Jobs {
		if j.Job == job {
			return j.TAN, true
		}
	}
	return false, false
}

// Segment builds the HIPINS segment.
func (h HIPINS) Segment() wire.Segment {
	s := wire.NewSegment("HIPINS", 1)
	s.Header.Ref = h.Ref
	s.Add(wire.Num(h.MaxJobs))
	s.Add(wire.Num(h.MinSignatures))
	s.Add(wire.Num(h.SecurityClass))
	p := []wire.Value{optNum(h.MinPINLength), optNum(h.MaxPINLength), optNum(h.MaxTANLength),
		wire.Text(h.UserIDText), wire.Text(h.CustomerIDText)}
	for _, j := range h.Jobs {
		p = append(p, wire.Text(j.Job), wire.Bool(j.TAN))
	}
	s.Add(p...)
	return s
}

// DecodeHIPINS reads an HIPINS segment.
func DecodeHIPINS(s wire.Segment) (HIPINS, error) {
	if err := checkType(s, "HIPINS"); err != nil {
		return HIPINS{}, err
	}
	r := newReader(s)
	p := r.el(3)
	h := HIPINS{
		Ref:            s.Header.Ref,
		MaxJobs:        r.el(0).int(0),
		MinSignatures:  r.el(1).int(0),
		SecurityClass:  r.el(2).int(0),
		MinPINLength:   p.int(0),
		MaxPINLength:   p.int(1),
		MaxTANLength:   p.int(2),
		UserIDText:     p.text(3),
		CustomerIDText: p.text(4),
	}
	for j := 5; j < p.len(); j += 2 {
		if p.empty(j) {
			continue
		}
		h.Jobs = append(h.Jobs, JobTAN{Job: p.text(j), TAN: p.bool(j + 1)})
	}
	return h, r.done()
}

// Params is a generic job parameter segment (HIxxxS): how many jobs of the
// kind a message may hold, the signatures and security class they need,
// and the job-specific parameter group, left for the typed views below.
type Params struct {
	Type          string
	Version       int
	Ref           int
	MaxJobs       int
	MinSignatures int
	SecurityClass int
	// Params is the job-specific parameter group; nil when absent.
	Params wire.Element
}

// legacyParams lists parameter segments whose versions up to the given
// one follow the HBCI 2.2 layout without a security class.
var legacyParams = map[string]int{
	"HIKAZS": 5,
	"HISALS": 5,
	"HIWPDS": 5,
}

func hasSecurityClass(typ string, version int) bool {
	max, ok := legacyParams[typ]
	return !ok || version > max
}

// Segment builds the parameter segment.
func (p Params) Segment() wire.Segment {
	s := wire.NewSegment(p.Type, p.Version)
	s.Header.Ref = p.Ref
	s.Add(wire.Num(p.MaxJobs))
	s.Add(wire.Num(p.MinSignatures))
	if hasSecurityClass(p.Type, p.Version) {
		s.Add(wire.Num(p.SecurityClass))
	}
	s.AddElement(p.Params)
	return s
}

// DecodeParams reads any job parameter segment.
func DecodeParams(s wire.Segment) (Params, error) {
	r := newReader(s)
	p := Params{
		Type:          s.Header.Type,
		Version:       s.Header.Version,
		Ref:           s.Header.Ref,
		MaxJobs:       r.el(0).int(0),
		MinSignatures: r.el(1).int(0),
	}
	next := 2
	if hasSecurityClass(p.Type, p.Version) {
		p.SecurityClass = r.el(2).int(0)
		next = 3
	}
	p.Params = s.Element(next)
	return p, r.done()
}

// IsParams reports whether a segment type names a parameter segment
// (HI…S) rather than a bank answer.
func IsParams(typ string) bool {
	return len(typ) == 6 && typ[0] == 'H' && typ[1] == 'I' && typ[5] == 'S'
}

func nums(ns []int) []wire.Value {
	out := make([]wire.Value, len(ns))
	for i, n := range ns {
		out[i] = wire.Num(n)
	}
	return out
}

// ints reads every value as a number, skipping empty ones.
func (v vals) ints() []int {
	var out []int
	for j := 0; j < v.len(); j++ {
		if !v.empty(j) {
			out = append(out, v.int(j))
		}
	}
	return out
}
