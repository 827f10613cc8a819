package httpx

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/bits"
	"net/http"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/kontor-dev/kontor"
)

// DecodeJSON decodes the request body, at most limit bytes, into v. It
// accepts exactly one JSON value, rejects fields v does not have, and turns
// every failure into a *kontor.Error whose message tells the caller what is
// wrong and where, without echoing the body.
func DecodeJSON(w http.ResponseWriter, r *http.Request, limit int64, v any) error {
	body := http.MaxBytesReader(w, r.Body, limit)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err, limit)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return decodeError(err, limit)
		}
		return kontor.Errorf(kontor.EINVALID, "Bad request. The body must hold exactly one JSON object")
	}
	return nil
}

// DecodeStream decodes the request body, at most limit bytes, with decode
// reading it from a Reader, so that the body is never held whole. Like
// DecodeJSON it accepts exactly one JSON value and turns every failure into
// a *kontor.Error; decode reports type mismatches as
// *json.UnmarshalTypeError and unknown fields as encoding/json words them.
func DecodeStream(w http.ResponseWriter, r *http.Request, limit int64, decode func(*Reader) error) error {
	known := r.ContentLength > 0 && r.ContentLength <= limit
	size := readerBuffer
	if known && r.ContentLength < readerBuffer {
		// A small body fits a buffer of its size; one byte more lets
		// the read that meets its end return at once.
		size = int(r.ContentLength) + 1
	}
	rd := newReader(http.MaxBytesReader(w, r.Body, limit), size)
	if known {
		rd.SetSize(r.ContentLength)
	}
	if err := decode(rd); err != nil {
		return decodeError(err, limit)
	}
	if err := rd.End(); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return decodeError(err, limit)
		}
		return kontor.Errorf(kontor.EINVALID, "Bad request. The body must hold exactly one JSON object")
	}
	return nil
}

// UnknownFieldError is the error for an object member that the value
// decoded into has no field for, worded as encoding/json words it.
func UnknownFieldError(key []byte) error {
	return fmt.Errorf("json: unknown field %q", key)
}

func decodeError(err error, limit int64) error {
	var (
		rsyntax   *SyntaxError
		syntax    *json.SyntaxError
		typ       *json.UnmarshalTypeError
		tooLarge  *http.MaxBytesError
		amountErr *kontor.AmountTypeError
	)
	switch {
	case errors.As(err, &tooLarge):
		return kontor.Errorf(kontor.ETOOLARGE, "Bad request. The body is larger than %d bytes", limit)
	case errors.Is(err, io.EOF):
		return kontor.Errorf(kontor.EINVALID, "Bad request. The body is empty; a JSON object is required")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return kontor.Errorf(kontor.EINVALID, "Bad request. The body is not complete JSON")
	case errors.As(err, &syntax):
		return kontor.Errorf(kontor.EINVALID, "Bad request. Malformed JSON at byte %d", syntax.Offset)
	case errors.As(err, &rsyntax):
		return kontor.Errorf(kontor.EINVALID, "Bad request. Malformed JSON at byte %d", rsyntax.Offset)
	case errors.As(err, &typ):
		if typ.Field == "" {
			return kontor.Errorf(kontor.EINVALID, "Bad request. The body must be a JSON object")
		}
		return kontor.Errorf(kontor.EINVALID, "Bad request. Field %s must be %s, not %s", typ.Field, jsonKind(typ.Type.Kind().String(), typ.Type.String()), typ.Value)
	case errors.As(err, &amountErr):
		return kontor.Errorf(kontor.EINVALID, "Bad request. An amount must be a JSON number: %s", amountErr.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return kontor.Errorf(kontor.EINVALID, "Bad request. Unknown field %s", strings.TrimPrefix(err.Error(), "json: unknown field "))
	default:
		// Errors of the domain types' own decoders (timestamps, amounts)
		// describe the value, not internals.
		return kontor.Errorf(kontor.EINVALID, "Bad request. %s", strings.TrimPrefix(err.Error(), "json: "))
	}
}

func jsonKind(kind, name string) string {
	switch kind {
	case "string":
		return "a string"
	case "bool":
		return "a boolean"
	case "int", "int64", "int32", "uint", "uint64", "float64":
		return "a number"
	case "slice", "array":
		return "an array"
	case "struct", "map":
		if strings.HasSuffix(name, "Amount") {
			return "a number"
		}
		if strings.HasSuffix(name, "Timestamp") {
			return "an RFC 3339 timestamp string"
		}
		return "an object"
	}
	return fmt.Sprintf("of type %s", name)
}

// WriteJSON writes v as a JSON response with the given status.
func WriteJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		return &ResponseError{Err: err}
	}
	return nil
}

// ResponseError is a failure to write a response that had begun: its
// status is sent, so no error response can follow.
type ResponseError struct{ Err error }

func (e *ResponseError) Error() string { return "writing response: " + e.Err.Error() }

// Unwrap returns the write's error.
func (e *ResponseError) Unwrap() error { return e.Err }

// Undeliverable reports whether err leaves nobody to answer, and then logs
// it at debug level: writing the response failed once it had begun, or
// the client went away (the request's context ended) and err is that.
// Neither is the server's fault, and no error response can or need be
// written.
func Undeliverable(log *slog.Logger, r *http.Request, err error) bool {
	var re *ResponseError
	ctxErr := r.Context().Err()
	clientGone := ctxErr != nil && errors.Is(err, ctxErr)
	if !clientGone && !errors.As(err, &re) {
		return false
	}
	log.Debug("response not delivered", "request_id", RequestIDFrom(r.Context()), "error", err)
	return true
}

// SyntaxError is malformed JSON found by a Reader.
type SyntaxError struct {
	msg    string
	Offset int64 // the error occurred after reading Offset bytes
}

func (e *SyntaxError) Error() string { return e.msg }

// Kind is the kind of a JSON value.
type Kind byte

// The kinds of JSON values.
const (
	KindObject Kind = iota + 1
	KindArray
	KindString
	KindNumber
	KindBool
	KindNull
)

// Name returns the kind's name as encoding/json reports it in an
// UnmarshalTypeError: "object", "array", "string", "number", "bool" or
// "null".
func (k Kind) Name() string {
	return [...]string{"", "object", "array", "string", "number", "bool", "null"}[k]
}

// maxDepth bounds the nesting of values a Reader skips, as encoding/json
// bounds it.
const maxDepth = 10000

// Reader reads one JSON value from a stream token by token, keeping no
// more of the input than the token at hand in memory, so that a large
// request body is decoded straight into the values it describes. It
// accepts the JSON that encoding/json accepts and decodes strings as it
// does (invalid UTF-8 and lone surrogates become U+FFFD). Byte slices it
// returns are valid until its next call.
type Reader struct {
	src     io.Reader
	size    int64 // the input's length, 0 when unknown
	buf     []byte
	pos     int   // the next unread byte of buf
	base    int64 // stream offset of buf[0]
	err     error // the source's error, once it returned one (io.EOF at the end)
	started bool  // a byte of the value was read
	stack   []frame
	scratch []byte
	key     []byte
	strs    map[string]string

	recording bool
	rec       []byte // what Raw captured so far
	recFrom   int    // buf[recFrom:pos] is read but not yet in rec
}

// frame is an object or array being read.
type frame struct {
	object, first bool
}

// readerBuffer is the size of a Reader's buffer, which grows only for a
// token longer than it.
const readerBuffer = 32 << 10

// NewReader returns a Reader of src.
func NewReader(src io.Reader) *Reader { return newReader(src, readerBuffer) }

// newReader returns a Reader of src whose buffer starts at size bytes.
func newReader(src io.Reader, size int) *Reader {
	return &Reader{src: src, buf: make([]byte, 0, size)}
}

// Offset returns the number of bytes read before the next unread one.
func (r *Reader) Offset() int64 { return r.base + int64(r.pos) }

// SetSize tells the Reader the input's length, such as a request's
// Content-Length, for Remaining.
func (r *Reader) SetSize(n int64) { r.size = n }

// Remaining returns how many bytes of the input are left to read, or -1
// when the input's length is unknown. Decoders use it to size slices.
func (r *Reader) Remaining() int64 {
	if r.size <= 0 {
		return -1
	}
	return max(0, r.size-r.Offset())
}

// fill reads more input after the unread bytes buf[pos:], which move to
// the start of buf; byte slices into buf become invalid. It reports false
// at the end of the input or on a read error.
func (r *Reader) fill() bool {
	if r.err != nil {
		return false
	}
	if r.pos > 0 {
		if r.recording {
			r.rec = append(r.rec, r.buf[r.recFrom:r.pos]...)
			r.recFrom = 0
		}
		n := copy(r.buf, r.buf[r.pos:])
		r.base += int64(r.pos)
		r.buf, r.pos = r.buf[:n], 0
	}
	if len(r.buf) == cap(r.buf) { // one token fills the buffer
		r.buf = append(r.buf, make([]byte, len(r.buf))...)[:len(r.buf)]
	}
	for {
		n, err := r.src.Read(r.buf[len(r.buf):cap(r.buf)])
		r.buf = r.buf[:len(r.buf)+n]
		if err != nil {
			r.err = err
		}
		if n > 0 {
			return true
		}
		if err != nil {
			return false
		}
	}
}

// eof returns the error for input that ended: the source's error, or
// io.ErrUnexpectedEOF within a value (io.EOF before it).
func (r *Reader) eof() error {
	if r.err != nil && r.err != io.EOF {
		return r.err
	}
	if r.started {
		return io.ErrUnexpectedEOF
	}
	return io.EOF
}

// syntax returns a SyntaxError at the next unread byte.
func (r *Reader) syntax(format string, args ...any) error {
	return &SyntaxError{msg: fmt.Sprintf(format, args...), Offset: r.Offset() + 1}
}

// peek skips whitespace and returns the next byte without reading it.
func (r *Reader) peek() (byte, error) {
	if r.pos < len(r.buf) && r.buf[r.pos] > ' ' {
		return r.buf[r.pos], nil
	}
	return r.peekSlow()
}

func (r *Reader) peekSlow() (byte, error) {
	for {
		for r.pos < len(r.buf) {
			switch c := r.buf[r.pos]; c {
			case ' ', '\t', '\n', '\r':
				r.pos++
			default:
				return c, nil
			}
		}
		if !r.fill() {
			return 0, r.eof()
		}
	}
}

// at returns the byte i bytes after the next unread one, reading more
// input as needed; ok is false at the end of the input.
func (r *Reader) at(i int) (c byte, ok bool) {
	for r.pos+i >= len(r.buf) {
		if !r.fill() {
			return 0, false
		}
	}
	return r.buf[r.pos+i], true
}

// delimiter reports whether c may follow a number or literal.
func delimiter(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', ',', '}', ']':
		return true
	}
	return false
}

// Kind returns the kind of the next value without reading it.
func (r *Reader) Kind() (Kind, error) {
	c, err := r.peek()
	if err != nil {
		return 0, err
	}
	switch {
	case c == '{':
		return KindObject, nil
	case c == '[':
		return KindArray, nil
	case c == '"':
		return KindString, nil
	case c == '-' || (c >= '0' && c <= '9'):
		return KindNumber, nil
	case c == 't' || c == 'f':
		return KindBool, nil
	case c == 'n':
		return KindNull, nil
	}
	return 0, r.syntax("invalid character %q looking for beginning of value", c)
}

// open reads the opening brace or bracket c.
func (r *Reader) open(c byte) error {
	got, err := r.peek()
	if err != nil {
		return err
	}
	if got != c {
		return r.syntax("invalid character %q looking for %q", got, c)
	}
	r.pos++
	r.started = true
	r.stack = append(r.stack, frame{object: c == '{', first: true})
	return nil
}

// BeginObject reads the start of an object; Key then reads its members.
func (r *Reader) BeginObject() error { return r.open('{') }

// BeginArray reads the start of an array; Next then steps through its
// elements.
func (r *Reader) BeginArray() error { return r.open('[') }

// step reads what comes before the next member or element of the
// innermost object or array: nothing before the first, a comma before
// the others. It reports false, having read the closing brace or
// bracket, when there are no more.
func (r *Reader) step(object bool) (more bool, err error) {
	top := len(r.stack) - 1
	if top < 0 || r.stack[top].object != object {
		panic("httpx: Reader.Key or Next outside its object or array")
	}
	c, err := r.peek()
	if err != nil {
		return false, err
	}
	closing := byte(']')
	if object {
		closing = '}'
	}
	if c == closing {
		r.pos++
		r.stack = r.stack[:top]
		return false, nil
	}
	if r.stack[top].first {
		r.stack[top].first = false
		return true, nil
	}
	if c != ',' {
		return false, r.syntax("invalid character %q after %s", c, map[bool]string{true: "object key:value pair", false: "array element"}[object])
	}
	r.pos++
	return true, nil
}

// Key reads the name of the object's next member and the colon after it.
// It reports false, having read the closing brace, when there are no
// more members.
func (r *Reader) Key() (key []byte, more bool, err error) {
	if more, err = r.step(true); !more || err != nil {
		return nil, more, err
	}
	c, err := r.peek()
	if err != nil {
		return nil, false, err
	}
	if c != '"' {
		return nil, false, r.syntax("invalid character %q looking for beginning of object key string", c)
	}
	k, err := r.str()
	if err != nil {
		return nil, false, err
	}
	r.key = append(r.key[:0], k...) // reading on may move the buffer
	if c, err = r.peek(); err != nil {
		return nil, false, err
	}
	if c != ':' {
		return nil, false, r.syntax("invalid character %q after object key", c)
	}
	r.pos++
	return r.key, true, nil
}

// Next reads up to the array's next element. It reports false, having
// read the closing bracket, when there are no more elements.
func (r *Reader) Next() (more bool, err error) { return r.step(false) }

// Null reads a null and reports true, or reports false and reads nothing
// when the next value is not null.
func (r *Reader) Null() (bool, error) {
	c, err := r.peek()
	if err != nil || c != 'n' {
		return false, err
	}
	return true, r.literal("null")
}

// Bool reads true or false.
func (r *Reader) Bool() (bool, error) {
	c, err := r.peek()
	if err != nil {
		return false, err
	}
	if c == 't' {
		return true, r.literal("true")
	}
	return false, r.literal("false")
}

// literal reads the word (true, false or null) at the next byte.
func (r *Reader) literal(word string) error {
	r.started = true
	for i := range len(word) {
		c, ok := r.at(i)
		if !ok {
			return r.eof()
		}
		if c != word[i] {
			r.pos += i
			return r.syntax("invalid character %q in literal %s (expecting %q)", c, word, word[i])
		}
	}
	if c, ok := r.at(len(word)); ok && !delimiter(c) {
		r.pos += len(word)
		return r.syntax("invalid character %q after literal %s", c, word)
	}
	r.pos += len(word)
	return nil
}

// Number reads a number and returns its text.
func (r *Reader) Number() ([]byte, error) {
	if _, err := r.peek(); err != nil {
		return nil, err
	}
	r.started = true
	i := 0
	digits := func() int {
		n := 0
		for c, ok := r.at(i); ok && c >= '0' && c <= '9'; c, ok = r.at(i) {
			i++
			n++
		}
		return n
	}
	bad := func() error {
		c, ok := r.at(i)
		if !ok {
			return r.eof()
		}
		r.pos += i
		return r.syntax("invalid character %q in numeric literal", c)
	}
	if c, _ := r.at(i); c == '-' {
		i++
	}
	switch c, ok := r.at(i); {
	case !ok:
		return nil, r.eof()
	case c == '0':
		i++
	case c >= '1' && c <= '9':
		digits()
	default:
		return nil, bad()
	}
	if c, ok := r.at(i); ok && c == '.' {
		i++
		if digits() == 0 {
			return nil, bad()
		}
	}
	if c, ok := r.at(i); ok && (c == 'e' || c == 'E') {
		i++
		if c, ok := r.at(i); ok && (c == '+' || c == '-') {
			i++
		}
		if digits() == 0 {
			return nil, bad()
		}
	}
	if c, ok := r.at(i); ok && !delimiter(c) {
		return nil, bad()
	}
	b := r.buf[r.pos : r.pos+i]
	r.pos += i
	return b, nil
}

// Str reads a string and returns its decoded bytes.
func (r *Reader) Str() ([]byte, error) {
	c, err := r.peek()
	if err != nil {
		return nil, err
	}
	if c != '"' {
		return nil, r.syntax("invalid character %q looking for beginning of string", c)
	}
	return r.str()
}

// String reads a string.
func (r *Reader) String() (string, error) {
	b, err := r.Str()
	return string(b), err
}

// Interned reads a string like String, but returns the same string for
// equal values, as Intern does.
func (r *Reader) Interned() (string, error) {
	b, err := r.Str()
	if err != nil {
		return "", err
	}
	return r.Intern(b), nil
}

// Intern returns b as a string, the same string for equal values while
// the Reader has seen fewer than 4096 distinct short ones, so that values
// repeated over thousands of items (currencies, account IDs,
// counterparts, code types) share memory.
func (r *Reader) Intern(b []byte) string {
	if len(b) > 64 {
		return string(b)
	}
	if s, ok := r.strs[string(b)]; ok {
		return s
	}
	s := string(b)
	if r.strs == nil {
		r.strs = map[string]string{}
	}
	if len(r.strs) < 4096 {
		r.strs[s] = s
	}
	return s
}

// str reads the string whose opening quote is the next byte.
func (r *Reader) str() ([]byte, error) {
	r.started = true
	r.pos++ // the opening quote
	i, plain := 0, true
	for {
		buf := r.buf[r.pos:]
		for i < len(buf) {
			for i+8 <= len(buf) { // eight bytes at a time to the next one to look at
				if m := stringStops(binary.LittleEndian.Uint64(buf[i:])); m != 0 {
					i += bits.TrailingZeros64(m) >> 3
					break
				}
				i += 8
			}
			if i == len(buf) {
				break
			}
			c := buf[i]
			if strByte[c] == 0 {
				i++
				continue
			}
			switch {
			case c == '"':
				s := buf[:i]
				r.pos += i + 1
				if plain {
					return s, nil
				}
				return r.unquote(s)
			case c == '\\':
				plain = false
				i += 2 // and the escaped byte, checked by unquote
			case c < 0x20:
				r.pos += i
				return nil, r.syntax("invalid character %q in string literal", c)
			default: // not ASCII: checked by unquote
				plain = false
				i++
			}
		}
		if !r.fill() {
			return nil, r.eof()
		}
	}
}

// Eight bytes in a word, for looking at them all at once.
const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// stringStops marks, with its high bit, every byte of the eight in w
// (the first in the lowest) that strByte marks, and perhaps bytes after
// the first it marks: none before it.
func stringStops(w uint64) uint64 {
	quote := w ^ (ones * '"')
	backslash := w ^ (ones * '\\')
	return ((quote-ones)&^quote | (backslash-ones)&^backslash | (w-ones*0x20)&^w | w) & highs
}

// strByte marks the bytes a string scan must stop at: the quote, the
// backslash, control characters and bytes of non-ASCII characters.
var strByte = func() (t [256]byte) {
	for c := range 256 {
		if c == '"' || c == '\\' || c < 0x20 || c >= utf8.RuneSelf {
			t[c] = 1
		}
	}
	return t
}()

// unquote decodes a string's escapes and invalid UTF-8 as encoding/json
// does.
func (r *Reader) unquote(s []byte) ([]byte, error) {
	if bytes.IndexByte(s, '\\') < 0 && utf8.Valid(s) {
		return s, nil
	}
	out := r.scratch[:0]
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf && c != '\\' {
			out = append(out, c)
			i++
			continue
		}
		if c != '\\' {
			rr, size := utf8.DecodeRune(s[i:])
			if rr == utf8.RuneError && size == 1 {
				out = utf8.AppendRune(out, utf8.RuneError)
			} else {
				out = append(out, s[i:i+size]...)
			}
			i += size
			continue
		}
		switch e := s[i+1]; e { // str saw the byte after every backslash
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			rr := hex4(s[i+2:])
			if rr < 0 {
				return nil, r.syntax("invalid character in \\u hexadecimal character escape")
			}
			i += 6
			if utf16.IsSurrogate(rr) {
				rr2 := rune(-1)
				if len(s) > i+1 && s[i] == '\\' && s[i+1] == 'u' {
					rr2 = hex4(s[i+2:])
				}
				if dec := utf16.DecodeRune(rr, rr2); dec != utf8.RuneError {
					out = utf8.AppendRune(out, dec)
					i += 6
					continue
				}
				rr = utf8.RuneError
			}
			out = utf8.AppendRune(out, rr)
			continue
		default:
			return nil, r.syntax("invalid character %q in string escape code", e)
		}
		i += 2
	}
	r.scratch = out
	return out, nil
}

// hex4 decodes four hexadecimal digits, or returns -1.
func hex4(s []byte) rune {
	if len(s) < 4 {
		return -1
	}
	var v rune
	for _, c := range s[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		v = v<<4 | rune(c)
	}
	return v
}

// Skip reads the next value, of any kind, and drops it.
func (r *Reader) Skip() error {
	depth := 0
	for {
		k, err := r.Kind()
		if err != nil {
			return err
		}
		switch k {
		case KindObject, KindArray:
			if depth++; depth > maxDepth {
				return r.syntax("exceeded max depth")
			}
			err = r.open("{["[k-KindObject])
		case KindString:
			_, err = r.Str()
		case KindNumber:
			_, err = r.Number()
		case KindBool:
			_, err = r.Bool()
		case KindNull:
			_, err = r.Null()
		}
		if err != nil {
			return err
		}
		for depth > 0 {
			var more bool
			if r.stack[len(r.stack)-1].object {
				_, more, err = r.Key()
			} else {
				more, err = r.Next()
			}
			if err != nil {
				return err
			}
			if more {
				break
			}
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}

// Raw reads the next value, of any kind, and returns its text as it came,
// which is what encoding/json hands to an UnmarshalJSON method.
func (r *Reader) Raw() ([]byte, error) {
	if _, err := r.peek(); err != nil {
		return nil, err
	}
	r.recording, r.rec, r.recFrom = true, r.rec[:0], r.pos
	err := r.Skip()
	r.recording = false
	if err != nil {
		return nil, err
	}
	r.rec = append(r.rec, r.buf[r.recFrom:r.pos]...)
	return r.rec, nil
}

// End checks that nothing but whitespace follows the value read.
func (r *Reader) End() error {
	c, err := r.peek()
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		return nil // the end of the input, after the value
	case err != nil:
		return err
	}
	return r.syntax("invalid character %q after top-level value", c)
}
