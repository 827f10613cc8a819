package httpx

import (
	"encoding/binary"
	"io"
	"math/bits"
)

// Elements is a run of consecutive elements of an array, read by
// Reader.Elements so that another Reader can decode them, while the first
// reads on.
type Elements struct {
	// Text is the elements' text as it came, with what separates them.
	Text []byte
	// Base is the input offset of Text's first byte.
	Base int64
	// N is the number of elements in Text.
	N int
	// Cut is set when the input failed inside the last element: Text holds
	// what came of it.
	Cut bool
}

// Elements reads on in the array being read, element by element as Next
// and Skip would, appending their text to dst, until the text reaches size
// bytes, the array ends, or the next element is not an object. The
// elements are read only as far as needed to find where each ends; a
// Reader that ResetElements set to the text finds any error in them at the
// offset and with the words that reading them here would have.
//
// more reports that the array has more elements; the Reader then stands
// before the comma that precedes the next, or, when pending is set, at the
// start of a next element that is not an object, which the caller reads
// itself (Next must not be called for it). On an error the Reader is
// unusable; the elements read before it are returned.
func (r *Reader) Elements(dst []byte, size int) (e Elements, more, pending bool, err error) {
	saved := r.rec
	defer func() { r.rec, r.recording = saved[:0], false }()
	end := 0 // len(r.rec) after the last whole element
	for {
		if e.N > 0 {
			r.rec = append(r.rec, r.buf[r.recFrom:r.pos]...)
			r.recFrom, end = r.pos, len(r.rec)
			if end >= size {
				e.Text = r.rec[:end]
				return e, true, false, nil
			}
		}
		more, err = r.Next()
		if err == nil && more {
			var c byte
			if c, err = r.peek(); err == nil && c != '{' {
				pending = true
			}
		}
		if err != nil || !more || pending {
			if e.N > 0 {
				e.Text = r.rec[:end]
			}
			return e, more, pending, err
		}
		if e.N == 0 {
			e.Base = r.Offset()
			r.recording, r.rec, r.recFrom = true, dst[:0], r.pos
		}
		e.N++
		if err := r.skipObject(); err != nil {
			r.rec = append(r.rec, r.buf[r.recFrom:r.pos]...)
			e.Text, e.Cut = r.rec, true
			return e, false, false, err
		}
	}
}

// skipObject reads the object that begins at the next byte as far as its
// closing brace, counting brackets and braces outside strings and nothing
// else.
func (r *Reader) skipObject() error {
	r.started = true
	depth, inString, escaped := 0, false, false
	i := r.pos
	for {
		buf := r.buf
		for i < len(buf) {
			if inString {
				if escaped {
					escaped, i = false, i+1
					continue
				}
				if i = quoteOrBackslash(buf, i); i == len(buf) {
					break
				}
				escaped, inString = buf[i] == '\\', buf[i] != '"'
				i++
				continue
			}
			switch skipClass[buf[i]] {
			case classQuote:
				inString = true
			case classOpen:
				depth++
			case classClose:
				if depth--; depth == 0 {
					r.pos = i + 1
					return nil
				}
			}
			i++
		}
		r.pos = i
		if !r.fill() {
			return r.eof()
		}
		i = r.pos
	}
}

// quoteOrBackslash returns the index of the first quote or backslash in
// buf from i on, or len(buf).
func quoteOrBackslash(buf []byte, i int) int {
	for ; i+8 <= len(buf); i += 8 {
		w := binary.LittleEndian.Uint64(buf[i:])
		quote, backslash := w^(ones*'"'), w^(ones*'\\')
		if m := ((quote-ones)&^quote | (backslash-ones)&^backslash) & highs; m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
	}
	for ; i < len(buf) && buf[i] != '"' && buf[i] != '\\'; i++ {
	}
	return i
}

// The bytes skipObject looks at outside strings.
const (
	classOther = iota
	classQuote
	classOpen
	classClose
)

var skipClass = func() (t [256]byte) {
	t['"'] = classQuote
	t['{'], t['['] = classOpen, classOpen
	t['}'], t[']'] = classClose, classClose
	return t
}()

// ResetElements makes r a Reader of the elements e, which Next steps
// through as elements of an array whose closing bracket never comes; byte
// slices r returns may point into e.Text. Offsets are the input's.
func (r *Reader) ResetElements(e Elements) {
	r.src, r.size, r.err = nil, 0, io.EOF
	r.buf, r.pos, r.base = e.Text, 0, e.Base
	r.started, r.recording = true, false
	r.stack = append(r.stack[:0], frame{object: false, first: true})
}
