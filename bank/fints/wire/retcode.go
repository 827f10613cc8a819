package wire

import (
	"fmt"
	"strings"
)

// ReturnCode is one Rückmeldung of HIRMG or HIRMS: a four-digit code, the
// reference element (usually empty), a text and up to ten parameters.
type ReturnCode struct {
	Code   int      `json:"code"`
	Ref    string   `json:"ref,omitempty"`
	Text   string   `json:"text"`
	Params []string `json:"params,omitempty"`
}

// IsSuccess reports a 0xxx code.
func (r ReturnCode) IsSuccess() bool { return r.Code < 1000 }

// IsWarning reports a 3xxx code.
func (r ReturnCode) IsWarning() bool { return r.Code >= 3000 && r.Code < 4000 }

// IsError reports a 9xxx code.
func (r ReturnCode) IsError() bool { return r.Code >= 9000 }

// String returns the code, text and parameters, e.g.
// "3920 Zugelassene Verfahren [921 922]".
func (r ReturnCode) String() string {
	s := fmt.Sprintf("%04d %s", r.Code, r.Text)
	if len(r.Params) > 0 {
		s += " [" + strings.Join(r.Params, " ") + "]"
	}
	return s
}

// Element returns the return code in wire form.
func (r ReturnCode) Element() Element {
	e := Element{Dig(int64(r.Code), 4), Text(r.Ref), Text(r.Text)}
	for _, p := range r.Params {
		e = append(e, Text(p))
	}
	return e
}

// ParseReturnCode reads one return code element.
func ParseReturnCode(e Element) (ReturnCode, error) {
	v := e.Value(0)
	code, err := v.Int()
	if err != nil || len(v.Data) != 4 {
		return ReturnCode{}, fmt.Errorf("return code %q is not four digits", truncated(v.Data))
	}
	r := ReturnCode{Code: code, Ref: e.Text(1), Text: e.Value(2).String()}
	for _, p := range e.Slice(3) {
		r.Params = append(r.Params, p.String())
	}
	return r, nil
}

// Return is a return code together with the segment it came from.
type Return struct {
	ReturnCode
	// Segment is the number of the client segment the code refers to
	// (HIRMS), or 0 for message-level codes (HIRMG).
	Segment int
}

// Returns collects the codes of every HIRMG and HIRMS in segs, in order.
func Returns(segs []Segment) ([]Return, error) {
	var out []Return
	for _, s := range segs {
		if !s.Is("HIRMG") && !s.Is("HIRMS") {
			continue
		}
		ref := 0
		if s.Is("HIRMS") {
			ref = s.Header.Ref
		}
		for i, e := range s.Elements {
			if e.IsEmpty() {
				continue
			}
			rc, err := ParseReturnCode(e)
			if err != nil {
				return nil, fmt.Errorf("%s element %d: %w", s.Header, i+1, err)
			}
			out = append(out, Return{ReturnCode: rc, Segment: ref})
		}
	}
	return out, nil
}

// NewReturnSegment builds an HIRMG (ref 0) or HIRMS segment (version 2)
// with the given codes.
func NewReturnSegment(typ string, ref int, codes ...ReturnCode) Segment {
	s := Segment{Header: Header{Type: typ, Version: 2, Ref: ref}}
	for _, c := range codes {
		s.AddElement(c.Element())
	}
	return s
}
