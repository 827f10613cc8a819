package wire

import (
	"bytes"
	"strconv"
)

// Value is one data element: its bytes after unescaping, and whether it
// was framed as binary data (@len@). Text values hold ISO 8859-1 bytes.
// The zero Value is an empty (omitted) data element.
type Value struct {
	Data   []byte
	Binary bool
}

// Element is the content between two '+' separators of a segment: a single
// data element (one Value) or a data element group (several Values
// separated by ':'). Groups nested inside a group are flattened.
type Element []Value

// Empty is the omitted data element.
var Empty = Value{}

// Text returns a text value holding s in ISO 8859-1. Characters that ISO
// 8859-1 cannot represent become '?'; use Latin1 first where that matters.
func Text(s string) Value {
	b, _ := Latin1(s)
	return Value{Data: b}
}

// RawText returns a text value holding b, which must already be ISO
// 8859-1. It is escaped on output like any other text.
func RawText(b []byte) Value { return Value{Data: b} }

// Binary returns a binary value (@len@ on the wire). Binary data is never
// escaped and may hold any byte.
func Binary(b []byte) Value {
	if b == nil {
		b = []byte{}
	}
	return Value{Data: b, Binary: true}
}

// Num returns a numeric value (FinTS num: digits without leading zeros).
func Num(n int) Value { return Value{Data: strconv.AppendInt(nil, int64(n), 10)} }

// Dig returns n as exactly width digits with leading zeros (FinTS dig).
func Dig(n int64, width int) Value {
	b := strconv.AppendInt(nil, n, 10)
	if pad := width - len(b); pad > 0 {
		b = append(bytes.Repeat([]byte{'0'}, pad), b...)
	}
	return Value{Data: b}
}

// Bool returns "J" for true and "N" for false (FinTS jn).
func Bool(b bool) Value {
	if b {
		return Value{Data: []byte{'J'}}
	}
	return Value{Data: []byte{'N'}}
}

// IsEmpty reports whether the value is an empty text value. A binary value
// of length zero (@0@) is not empty.
func (v Value) IsEmpty() bool { return !v.Binary && len(v.Data) == 0 }

// String returns the value as UTF-8 text, decoded from ISO 8859-1 and not
// trimmed. Binary values are decoded the same way.
func (v Value) String() string { return decodeLatin1(v.Data) }

// Text returns the value as UTF-8 text with leading and trailing spaces
// removed, as FinTS prescribes for alphanumeric (an) fields.
func (v Value) Text() string { return decodeLatin1(bytes.Trim(v.Data, " ")) }

// Equal reports whether v and w hold the same bytes and kind.
func (v Value) Equal(w Value) bool { return v.Binary == w.Binary && bytes.Equal(v.Data, w.Data) }

// Value returns the i-th value of the element, or Empty when the element
// has fewer values (trailing values may be omitted on the wire).
func (e Element) Value(i int) Value {
	if i < 0 || i >= len(e) {
		return Empty
	}
	return e[i]
}

// Text returns the i-th value as trimmed UTF-8 text ("" when absent).
func (e Element) Text(i int) string { return e.Value(i).Text() }

// IsEmpty reports whether every value of the element is empty.
func (e Element) IsEmpty() bool {
	for _, v := range e {
		if !v.IsEmpty() {
			return false
		}
	}
	return true
}

// Slice returns the values from i on, or nil when there are none.
func (e Element) Slice(i int) Element {
	if i < 0 || i >= len(e) {
		return nil
	}
	return e[i:]
}

// trimmed returns e without trailing empty values.
func (e Element) trimmed() Element {
	n := len(e)
	for n > 0 && e[n-1].IsEmpty() {
		n--
	}
	return e[:n]
}
