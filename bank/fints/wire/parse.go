package wire

import (
	"bytes"
	"fmt"
)

// SyntaxError reports malformed FinTS bytes and where they went wrong.
type SyntaxError struct {
	Offset int    // byte offset into the parsed input
	Msg    string // what was wrong
}

// Error returns the offset and what was wrong.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("fints syntax error at byte %d: %s", e.Offset, e.Msg)
}

// maxBinaryDigits bounds the length prefix of binary data (999 999 999
// bytes), far above any real message.
const maxBinaryDigits = 9

// ParseSegments splits b into segments. It copies b first, so the result
// does not alias the caller's buffer. Whitespace after the last segment is
// ignored; anything else that is not a complete segment is an error.
func ParseSegments(b []byte) ([]Segment, error) {
	p := parser{b: bytes.Clone(b)}
	var segs []Segment
	for {
		if len(bytes.TrimLeft(p.b[p.pos:], " \r\n\t")) == 0 {
			break
		}
		s, err := p.segment()
		if err != nil {
			return nil, err
		}
		segs = append(segs, s)
	}
	if len(segs) == 0 {
		return nil, &SyntaxError{Offset: 0, Msg: "no segments"}
	}
	return segs, nil
}

// parser is a cursor over the bytes of one message.
type parser struct {
	b   []byte
	pos int
}

func (p *parser) errorf(format string, args ...any) error {
	return &SyntaxError{Offset: p.pos, Msg: fmt.Sprintf(format, args...)}
}

// segment reads one segment including its terminator.
func (p *parser) segment() (Segment, error) {
	start := p.pos
	var elems []Element
	var cur Element
	for {
		v, err := p.value()
		if err != nil {
			return Segment{}, err
		}
		cur = append(cur, v)
		if p.pos >= len(p.b) {
			return Segment{}, p.errorf("segment not terminated")
		}
		delim := p.b[p.pos]
		p.pos++
		if delim == ':' {
			continue
		}
		elems = append(elems, cur)
		cur = nil
		if delim == '\'' {
			break
		}
	}
	h, err := headerFrom(elems[0])
	if err != nil {
		return Segment{}, &SyntaxError{Offset: start, Msg: err.Error()}
	}
	return Segment{Header: h, Elements: elems[1:], Raw: p.b[start:p.pos:p.pos]}, nil
}

// value reads one data element up to (not including) the next delimiter.
func (p *parser) value() (Value, error) {
	if p.pos < len(p.b) && p.b[p.pos] == '@' {
		if v, ok, err := p.binary(); ok || err != nil {
			return v, err
		}
	}
	start := p.pos
	escaped := false
	for p.pos < len(p.b) {
		c := p.b[p.pos]
		if c == '?' {
			if p.pos+1 >= len(p.b) {
				return Value{}, p.errorf("release character at end of input")
			}
			escaped = true
			p.pos += 2
			continue
		}
		if c == '+' || c == ':' || c == '\'' {
			break
		}
		p.pos++
	}
	raw := p.b[start:p.pos:p.pos]
	if !escaped {
		return Value{Data: raw}, nil
	}
	out := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		if raw[i] == '?' {
			i++
		}
		out = append(out, raw[i])
	}
	return Value{Data: out}, nil
}

// binary reads @len@data at the cursor. It reports ok=false without error
// when the bytes do not match @digits@, so that a stray '@' is read as
// text.
func (p *parser) binary() (Value, bool, error) {
	i := p.pos + 1
	for i < len(p.b) && p.b[i] >= '0' && p.b[i] <= '9' {
		i++
	}
	digits := p.b[p.pos+1 : i]
	if len(digits) == 0 || i >= len(p.b) || p.b[i] != '@' {
		return Value{}, false, nil
	}
	if len(digits) > maxBinaryDigits {
		return Value{}, false, p.errorf("binary length %q too large", truncated(digits))
	}
	n, _ := atoiStrict(digits)
	dataStart := i + 1
	if n > len(p.b)-dataStart {
		return Value{}, false, p.errorf("binary length %d exceeds the remaining %d bytes", n, len(p.b)-dataStart)
	}
	end := dataStart + n
	if end < len(p.b) && !isDelimiter(p.b[end]) {
		return Value{}, false, &SyntaxError{Offset: end, Msg: "binary data not followed by a delimiter"}
	}
	p.pos = end
	return Value{Data: p.b[dataStart:end:end], Binary: true}, true, nil
}

func isDelimiter(c byte) bool { return c == '+' || c == ':' || c == '\'' }
