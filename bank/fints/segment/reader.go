package segment

import (
	"fmt"
	"time"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/bank/fints/wire"
)

// reader reads typed values from a segment and keeps the first error.
type reader struct {
	seg wire.Segment
	err error
}

func newReader(s wire.Segment) *reader { return &reader{seg: s} }

// el returns a cursor over element i.
func (r *reader) el(i int) vals { return vals{r: r, e: r.seg.Element(i), elem: i} }

// done returns the first error, if any.
func (r *reader) done() error { return r.err }

// vals is a cursor over a flat run of values: one element, or a group
// nested inside one.
type vals struct {
	r    *reader
	e    wire.Element
	elem int // element index within the segment
	off  int // index of e[0] within the element
}

func (v vals) val(j int) wire.Value { return v.e.Value(j) }

func (v vals) fail(j int, err error) {
	if v.r.err == nil {
		v.r.err = fmt.Errorf("%s element %d value %d: %w", v.r.seg.Header, v.elem+1, v.off+j+1, err)
	}
}

// len returns the number of values present.
func (v vals) len() int { return len(v.e) }

// sub returns the n values starting at j as their own cursor.
func (v vals) sub(j, n int) vals {
	e := v.e.Slice(j)
	if len(e) > n {
		e = e[:n]
	}
	return vals{r: v.r, e: e, elem: v.elem, off: v.off + j}
}

// empty reports whether value j is empty or absent.
func (v vals) empty(j int) bool { return v.val(j).IsEmpty() }

// text returns value j as trimmed text.
func (v vals) text(j int) string { return v.val(j).Text() }

// need records an error when value j is empty.
func (v vals) need(j int) {
	if v.empty(j) {
		v.fail(j, wire.ErrMissing)
	}
}

// int returns value j as a number, 0 when empty.
func (v vals) int(j int) int {
	if v.empty(j) {
		return 0
	}
	n, err := v.val(j).Int()
	if err != nil {
		v.fail(j, err)
	}
	return n
}

// bool returns value j as J/N, false when empty.
func (v vals) bool(j int) bool {
	b, err := v.val(j).Bool()
	if err != nil {
		v.fail(j, err)
	}
	return b
}

// date returns value j as a date, zero when empty.
func (v vals) date(j int) time.Time {
	if v.empty(j) {
		return time.Time{}
	}
	t, err := v.val(j).Date()
	if err != nil {
		v.fail(j, err)
	}
	return t
}

// dateTime returns values j (dat) and j+1 (optional tim), zero when the
// date is empty.
func (v vals) dateTime(j int) time.Time {
	if v.empty(j) {
		return time.Time{}
	}
	t, err := wire.DateTime(v.val(j), v.val(j+1), nil)
	if err != nil {
		v.fail(j, err)
	}
	return t
}

// amount returns value j as an exact amount, zero when empty.
func (v vals) amount(j int) kontor.Amount {
	if v.empty(j) {
		return kontor.Amount{}
	}
	a, err := v.val(j).Amount()
	if err != nil {
		v.fail(j, err)
	}
	return a
}

// bin returns the bytes of value j, nil when empty.
func (v vals) bin(j int) []byte {
	x := v.val(j)
	if x.IsEmpty() {
		return nil
	}
	return x.Data
}

// texts returns the non-empty values from j on as text.
func (v vals) texts(j int) []string {
	var out []string
	for _, x := range v.e.Slice(j) {
		if !x.IsEmpty() {
			out = append(out, x.Text())
		}
	}
	return out
}

// optDate returns the dat value of t, or Empty for the zero time.
func optDate(t time.Time) wire.Value {
	if t.IsZero() {
		return wire.Empty
	}
	return wire.Date(t)
}

// optNum returns n as a num value, or Empty for zero.
func optNum(n int) wire.Value {
	if n == 0 {
		return wire.Empty
	}
	return wire.Num(n)
}

// optBin returns b as a binary value, or Empty for nil.
func optBin(b []byte) wire.Value {
	if b == nil {
		return wire.Empty
	}
	return wire.Binary(b)
}

// texts converts strings to text values.
func texts(ss []string) []wire.Value {
	out := make([]wire.Value, len(ss))
	for i, s := range ss {
		out[i] = wire.Text(s)
	}
	return out
}

// decodeErr wraps an error of a decoder that does not use a reader.
func decodeErr(s wire.Segment, err error) error {
	return fmt.Errorf("%s: %w", s.Header, err)
}

// checkType verifies the segment type before decoding.
func checkType(s wire.Segment, typ string) error {
	if s.Header.Type != typ {
		return fmt.Errorf("decoding %s: got segment %s", typ, s.Header.Type)
	}
	return nil
}
