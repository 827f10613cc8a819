package wire

import (
	"fmt"
	"strconv"
)

// Header is the segment header: Segmentkennung, segment number, segment
// version and, in bank messages, the number of the client segment being
// answered (Bezugssegment; zero when absent).
type Header struct {
	Type    string
	Number  int
	Version int
	Ref     int
}

// String returns the header in wire form, e.g. "HIRMS:4:2:3".
func (h Header) String() string {
	s := h.Type + ":" + strconv.Itoa(h.Number) + ":" + strconv.Itoa(h.Version)
	if h.Ref > 0 {
		s += ":" + strconv.Itoa(h.Ref)
	}
	return s
}

// Segment is one FinTS segment: a header and the data elements after it.
type Segment struct {
	Header   Header
	Elements []Element

	// Raw holds the segment's bytes as they were parsed, terminator
	// included, so that unknown segments can be stored and echoed
	// byte-exactly. It is nil for segments built in code and is not
	// consulted when a segment is serialised.
	Raw []byte
}

// NewSegment returns an empty segment of the given type and version. Its
// number is assigned when the message is marshalled.
func NewSegment(typ string, version int) Segment {
	return Segment{Header: Header{Type: typ, Version: version}}
}

// Add appends one element made of vals: a single data element when one
// value is given, a data element group when several are, and an empty
// element when none is.
func (s *Segment) Add(vals ...Value) {
	s.Elements = append(s.Elements, Element(vals))
}

// AddElement appends e as one element.
func (s *Segment) AddElement(e Element) { s.Elements = append(s.Elements, e) }

// Element returns the i-th element after the header (0-based), or nil when
// the segment has fewer elements.
func (s Segment) Element(i int) Element {
	if i < 0 || i >= len(s.Elements) {
		return nil
	}
	return s.Elements[i]
}

// Value returns value j of element i, or Empty when absent.
func (s Segment) Value(i, j int) Value { return s.Element(i).Value(j) }

// Is reports whether the segment has the given type.
func (s Segment) Is(typ string) bool { return s.Header.Type == typ }

// String returns the serialised segment as text, for debugging, with any
// HNSHA signature (PIN and TAN) masked, also inside HNVSD.
func (s Segment) String() string { return decodeLatin1(Redact(s.Bytes())) }

// Bytes returns the serialised segment, terminator included.
func (s Segment) Bytes() []byte { return s.Append(nil) }

// Append appends the serialised segment to dst. Trailing empty values of
// each element and trailing empty elements are cut, as FinTS allows.
func (s Segment) Append(dst []byte) []byte {
	dst = appendEscaped(dst, []byte(s.Header.Type))
	dst = append(dst, ':')
	dst = strconv.AppendInt(dst, int64(s.Header.Number), 10)
	dst = append(dst, ':')
	dst = strconv.AppendInt(dst, int64(s.Header.Version), 10)
	if s.Header.Ref > 0 {
		dst = append(dst, ':')
		dst = strconv.AppendInt(dst, int64(s.Header.Ref), 10)
	}
	n := len(s.Elements)
	for n > 0 && len(s.Elements[n-1].trimmed()) == 0 {
		n--
	}
	for _, e := range s.Elements[:n] {
		dst = append(dst, '+')
		for j, v := range e.trimmed() {
			if j > 0 {
				dst = append(dst, ':')
			}
			dst = appendValue(dst, v)
		}
	}
	return append(dst, '\'')
}

// appendValue appends one value in wire form.
func appendValue(dst []byte, v Value) []byte {
	if v.Binary {
		dst = append(dst, '@')
		dst = strconv.AppendInt(dst, int64(len(v.Data)), 10)
		dst = append(dst, '@')
		return append(dst, v.Data...)
	}
	return appendEscaped(dst, v.Data)
}

// appendEscaped appends b with every syntax character preceded by '?'.
func appendEscaped(dst, b []byte) []byte {
	for _, c := range b {
		if isSyntax(c) {
			dst = append(dst, '?')
		}
		dst = append(dst, c)
	}
	return dst
}

func isSyntax(c byte) bool {
	return c == '+' || c == ':' || c == '\'' || c == '?' || c == '@'
}

// Marshal serialises segs one after another. Segment numbers are written as
// they are; Message.Marshal assigns them.
func Marshal(segs []Segment) []byte {
	var out []byte
	for _, s := range segs {
		out = s.Append(out)
	}
	return out
}

// Find returns the first segment of the given type, and whether there is one.
func Find(segs []Segment, typ string) (Segment, bool) {
	for _, s := range segs {
		if s.Header.Type == typ {
			return s, true
		}
	}
	return Segment{}, false
}

// FindAll returns every segment of the given type, in order.
func FindAll(segs []Segment, typ string) []Segment {
	var out []Segment
	for _, s := range segs {
		if s.Header.Type == typ {
			out = append(out, s)
		}
	}
	return out
}

// headerFrom interprets the first element of a parsed segment.
func headerFrom(e Element) (Header, error) {
	if len(e) < 3 {
		return Header{}, fmt.Errorf("segment header %q has fewer than 3 parts", headerText(e))
	}
	typ := e[0].Data
	if e[0].Binary || len(typ) == 0 || len(typ) > 6 {
		return Header{}, fmt.Errorf("segment header %q: bad segment type", headerText(e))
	}
	for _, c := range typ {
		if (c < 'A' || c > 'Z') && (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return Header{}, fmt.Errorf("segment header %q: bad segment type", headerText(e))
		}
	}
	num, ok1 := atoiStrict(e[1].Data)
	ver, ok2 := atoiStrict(e[2].Data)
	if !ok1 || !ok2 || e[1].Binary || e[2].Binary {
		return Header{}, fmt.Errorf("segment header %q: bad number or version", headerText(e))
	}
	h := Header{Type: string(typ), Number: num, Version: ver}
	if r := e.Value(3); len(r.Data) > 0 {
		ref, ok := atoiStrict(r.Data)
		if !ok || r.Binary {
			return Header{}, fmt.Errorf("segment header %q: bad reference", headerText(e))
		}
		h.Ref = ref
	}
	return h, nil
}

func headerText(e Element) string {
	var b []byte
	for i, v := range e {
		if i > 0 {
			b = append(b, ':')
		}
		if v.Binary {
			b = append(b, "@…@"...)
			continue
		}
		b = append(b, v.Data...)
	}
	return truncated(b)
}
