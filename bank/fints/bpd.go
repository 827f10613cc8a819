package fints

import (
	"fmt"
	"slices"
	"strings"

	"github.com/kontor-dev/kontor/bank/fints/segment"
	"github.com/kontor-dev/kontor/bank/fints/wire"
)

// BPD is the parsed bank parameter data.
type BPD struct {
	Version  int
	BankName string
	// MaxJobs is the number of job types allowed per message (0 = no limit).
	MaxJobs int
	// MinTimeout and MaxTimeout are the dialog timeouts in seconds, when
	// the bank states them.
	MinTimeout, MaxTimeout int
	Access                 []segment.CommParams
	PINTAN                 *segment.HIPINS
	// TAN holds the two-step parameters of versions 6 and 7, highest first.
	TAN []segment.HITANS
	// Params holds the job parameter segments by type ("HIKAZS", …),
	// highest version first.
	Params map[string][]segment.Params
}

// UPD is the parsed user parameter data.
type UPD struct {
	Version  int
	Usage    int
	Accounts []segment.HIUPD
}

// isBPDSegment reports whether a segment type belongs to the BPD.
func isBPDSegment(typ string) bool {
	switch typ {
	case "HIBPA", "HIKOM", "HISHV":
		return true
	}
	return len(typ) == 6 && typ[5] == 'S' && (strings.HasPrefix(typ, "HI") || strings.HasPrefix(typ, "DI"))
}

// extractBPD returns the raw BPD segments of an answer, or nil when it
// carries no BPD (no HIBPA).
func extractBPD(segs []wire.Segment) []byte {
	if _, ok := wire.Find(segs, "HIBPA"); !ok {
		return nil
	}
	return rawOf(segs, isBPDSegment)
}

// extractUPD returns the raw UPD segments of an answer, or nil when it
// carries no UPD (no HIUPA).
func extractUPD(segs []wire.Segment) []byte {
	if _, ok := wire.Find(segs, "HIUPA"); !ok {
		return nil
	}
	return rawOf(segs, func(t string) bool { return t == "HIUPA" || t == "HIUPD" })
}

func rawOf(segs []wire.Segment, keep func(string) bool) []byte {
	var out []byte
	for _, s := range segs {
		if !keep(s.Header.Type) {
			continue
		}
		if s.Raw != nil {
			out = append(out, s.Raw...)
		} else {
			out = s.Append(out)
		}
	}
	return out
}

// ParseBPD parses raw BPD segments as stored in Session.BPD. Segments the
// client does not know are skipped; known ones must be well-formed.
func ParseBPD(raw []byte) (*BPD, error) {
	segs, err := wire.ParseSegments(raw)
	if err != nil {
		return nil, fmt.Errorf("parsing BPD: %w", err)
	}
	b := &BPD{Params: map[string][]segment.Params{}}
	for _, s := range segs {
		if err := b.add(s); err != nil {
			return nil, fmt.Errorf("parsing BPD: %w", err)
		}
	}
	slices.SortFunc(b.TAN, func(x, y segment.HITANS) int { return y.Version - x.Version })
	for _, ps := range b.Params {
		slices.SortFunc(ps, func(x, y segment.Params) int { return y.Version - x.Version })
	}
	return b, nil
}

func (b *BPD) add(s wire.Segment) error {
	switch s.Header.Type {
	case "HIBPA":
		h, err := segment.DecodeHIBPA(s)
		if err != nil {
			return err
		}
		b.Version, b.BankName, b.MaxJobs = h.Version, h.BankName, h.MaxJobs
		b.MinTimeout, b.MaxTimeout = h.MinTimeout, h.MaxTimeout
	case "HIKOM":
		if h, err := segment.DecodeHIKOM(s); err == nil {
			b.Access = h.Access // only a hint: the configured URL is used
		}
	case "HIPINS":
		h, err := segment.DecodeHIPINS(s)
		if err != nil {
			return err
		}
		b.PINTAN = &h
	case "HITANS":
		if v := s.Header.Version; v < 6 || v > 7 {
			return nil // older layouts: not used by this client
		}
		h, err := segment.DecodeHITANS(s)
		if err != nil {
			return err
		}
		b.TAN = append(b.TAN, h)
	default:
		if !segment.IsParams(s.Header.Type) {
			return nil
		}
		p, err := segment.DecodeParams(s)
		if err != nil {
			return nil // a parameter segment the client does not use may follow any layout
		}
		b.Params[p.Type] = append(b.Params[p.Type], p)
	}
	return nil
}

// JobVersion returns the highest version of job (e.g. "HKKAZ") that the
// bank offers and the client implements, or 0 when there is none.
func (b *BPD) JobVersion(job string) int {
	for _, p := range b.Params[paramsType(job)] {
		if slices.Contains(clientVersions[job], p.Version) {
			return p.Version
		}
	}
	return 0
}

// params returns the parameter segment of job in the given version.
func (b *BPD) params(job string, version int) (segment.Params, bool) {
	for _, p := range b.Params[paramsType(job)] {
		if p.Version == version {
			return p, true
		}
	}
	return segment.Params{}, false
}

// NeedsTAN reports whether the bank's HIPINS marks job as TAN-relevant.
func (b *BPD) NeedsTAN(job string) bool {
	if b.PINTAN == nil {
		return false
	}
	tan, _ := b.PINTAN.NeedsTAN(job)
	return tan
}

// tanMethod is a two-step method with the HKTAN version to use for it.
type tanMethod struct {
	segment.TANMethod
	Version int
}

// TANMethods returns every two-step method of HITANS versions 6 and 7,
// each from the highest version that lists it.
func (b *BPD) TANMethods() []segment.TANMethod {
	ms := b.tanMethods()
	out := make([]segment.TANMethod, len(ms))
	for i, m := range ms {
		out[i] = m.TANMethod
	}
	return out
}

func (b *BPD) tanMethods() []tanMethod {
	var out []tanMethod
	seen := map[string]bool{}
	for _, h := range b.TAN {
		for _, m := range h.Methods {
			if seen[m.SecurityFunction] || m.SecurityFunction == "999" {
				continue
			}
			seen[m.SecurityFunction] = true
			out = append(out, tanMethod{TANMethod: m, Version: h.Version})
		}
	}
	return out
}

// method returns the two-step method with the given code.
func (b *BPD) method(code string) (tanMethod, bool) {
	for _, m := range b.tanMethods() {
		if m.SecurityFunction == code {
			return m, true
		}
	}
	return tanMethod{}, false
}

// oneStepAllowed reports whether the bank allows security function 999
// for jobs (HITANS "Ein-Schritt-Verfahren erlaubt").
func (b *BPD) oneStepAllowed() bool {
	for _, h := range b.TAN {
		if h.OneStepAllowed {
			return true
		}
	}
	return len(b.TAN) == 0
}

// ParseUPD parses raw UPD segments as stored in Session.UPD. HIUPD
// segments of versions other than 6 are skipped.
func ParseUPD(raw []byte) (*UPD, error) {
	segs, err := wire.ParseSegments(raw)
	if err != nil {
		return nil, fmt.Errorf("parsing UPD: %w", err)
	}
	u := &UPD{}
	for _, s := range segs {
		switch {
		case s.Is("HIUPA"):
			h, err := segment.DecodeHIUPA(s)
			if err != nil {
				return nil, fmt.Errorf("parsing UPD: %w", err)
			}
			u.Version, u.Usage = h.Version, h.Usage
		case s.Is("HIUPD") && s.Header.Version == 6:
			h, err := segment.DecodeHIUPD(s)
			if err != nil {
				return nil, fmt.Errorf("parsing UPD: %w", err)
			}
			u.Accounts = append(u.Accounts, h)
		}
	}
	return u, nil
}

// clientVersions lists the job versions this client implements.
var clientVersions = map[string][]int{
	"HKSPA": {1, 2, 3},
	"HKSAL": {5, 6, 7, 8},
	"HKKAZ": {5, 6, 7},
	"HKCAZ": {1},
	"HKWPD": {5, 6},
	"HKCDB": {1},
	"HKTAB": {4, 5},
}

// paramsType returns the parameter segment type of a job: HKKAZ → HIKAZS.
func paramsType(job string) string {
	if len(job) != 5 {
		return ""
	}
	return "HI" + job[2:] + "S"
}
