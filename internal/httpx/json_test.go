package httpx

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/kontor-dev/kontor"
)

// readAny decodes any JSON value with a Reader, as json.Unmarshal with
// UseNumber decodes it into an any.
func readAny(rd *Reader) (any, error) {
	k, err := rd.Kind()
	if err != nil {
		return nil, err
	}
	switch k {
	case KindObject:
		m := map[string]any{}
		if err := rd.BeginObject(); err != nil {
			return nil, err
		}
		for {
			key, more, err := rd.Key()
			if err != nil {
				return nil, err
			}
			if !more {
				return m, nil
			}
			name := string(key)
			if m[name], err = readAny(rd); err != nil {
				return nil, err
			}
		}
	case KindArray:
		a := []any{}
		if err := rd.BeginArray(); err != nil {
			return nil, err
		}
		for {
			more, err := rd.Next()
			if err != nil {
				return nil, err
			}
			if !more {
				return a, nil
			}
			v, err := readAny(rd)
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
	case KindString:
		return rd.String()
	case KindNumber:
		b, err := rd.Number()
		return json.Number(b), err
	case KindBool:
		return rd.Bool()
	default:
		_, err := rd.Null()
		return nil, err
	}
}

// checkReader decodes input with a Reader, fed one byte at a time and
// whole, and with encoding/json: both accept it or both reject it, and
// accepted values are equal. Raw and Skip must agree too.
func checkReader(t *testing.T, input []byte) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(input))
	dec.UseNumber()
	var want any
	werr := dec.Decode(&want)
	if werr == nil {
		if _, err := dec.Token(); !errors.Is(err, io.EOF) {
			werr = errors.New("trailing data")
		}
	}
	for _, src := range []io.Reader{bytes.NewReader(input), iotest.OneByteReader(bytes.NewReader(input))} {
		rd := NewReader(src)
		got, err := readAny(rd)
		if err == nil {
			err = rd.End()
		}
		if (err == nil) != (werr == nil) {
			t.Fatalf("%q: Reader error %v, encoding/json error %v", input, err, werr)
		}
		if err == nil && !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: Reader read %#v, encoding/json %#v", input, got, want)
		}
	}
	if k, err := NewReader(bytes.NewReader(input)).Kind(); err == nil && k == KindArray {
		rd := NewReader(bytes.NewReader(input))
		whole, wholeErr := readAny(rd)
		for _, size := range []int{1, 16, 1 << 10} {
			for _, src := range []io.Reader{bytes.NewReader(input), iotest.OneByteReader(bytes.NewReader(input))} {
				got, err := readInParts(NewReader(src), size)
				if fmt.Sprintf("%v %#v", err, err) != fmt.Sprintf("%v %#v", wholeErr, wholeErr) {
					t.Fatalf("%q in parts of %d bytes: error %#v, read whole %#v", input, size, err, wholeErr)
				}
				if err == nil && !reflect.DeepEqual(got, whole) {
					t.Fatalf("%q in parts of %d bytes: %#v, read whole %#v", input, size, got, whole)
				}
			}
		}
	}
	if werr != nil {
		return
	}
	rd := NewReader(iotest.OneByteReader(bytes.NewReader(input)))
	raw, err := rd.Raw()
	if err != nil {
		t.Fatalf("%q: Raw: %v", input, err)
	}
	if trimmed := bytes.TrimSpace(input); !bytes.Equal(raw, trimmed) {
		t.Fatalf("Raw = %q, want %q", raw, trimmed)
	}
}

// readInParts reads an array as readAny does, its runs of objects through
// Elements, in parts of size bytes, each read by a Reader of its own.
func readInParts(rd *Reader, size int) (any, error) {
	if err := rd.BeginArray(); err != nil {
		return nil, err
	}
	a, part := []any{}, &Reader{}
	for {
		els, more, pending, err := rd.Elements(nil, size)
		if els.N > 0 {
			part.ResetElements(els)
			for range els.N {
				_, perr := part.Next()
				var v any
				if perr == nil {
					v, perr = readAny(part)
				}
				if perr == io.ErrUnexpectedEOF && els.Cut {
					return nil, err // the input ended inside the part
				} else if perr != nil {
					return nil, perr
				}
				a = append(a, v)
			}
		}
		switch {
		case err != nil:
			return nil, err
		case !more:
			return a, nil
		case pending:
			v, err := readAny(rd)
			if err != nil {
				return nil, err
			}
			a = append(a, v) // and on: Elements reads the comma after it
		}
	}
}

var readerInputs = []string{
	`[{"a":1},{"b":[1,{"c":"}"}]},2,{"d":"\"]"},{},[3],{"e":[]}]`, `[{"a":1},{"b":2]`, `[{"a":"x\\"},{}]`, `[{},{"a":tru}]`, `[{}{}]`,
	`[{"a":1},{"b"`, `[{"a":1} , {"b":{"c":{"d":[]}}}, null ]`, `[{"a":"\u0022}"},{"b":"` + "\x01" + `"}]`, `[{"a":1},]`, `[{"a":1}}]`,
	`{}`, `[]`, `""`, `0`, `-0`, `1.5e+10`, `-12.34E-2`, `true`, `false`, `null`, ` {"a" : [1, 2, {"b": null}], "c": "d"} `,
	`{"a":"\u00fc\ud83d\ude00\ud800x\udc00\u0041\/\b\f\n\r\t\"\\"}`, `"bad \xff utf8"`, `["a","b",]`, `{"a":1,}`, `{,}`, `[,1]`,
	`{"a" 1}`, `{"a":1 "b":2}`, `[1 2]`, `01`, `1.`, `.5`, `-`, `1e`, `1e+`, `+1`, `tru`, `truex`, `nul`, `nullx`, `[1]x`, `{} {}`,
	`"unterminated`, "\"ctl \x01\"", `"\x"`, `"\u12g4"`, `"\u12"`, `{"a":}`, `{"a"}`, `{1:2}`, `[`, `{`, ``, `   `, `{"a":[[[[[]]]]]}`,
	`{"a":1}{"b":2}`, `123abc`, `[1,2,3]`, `"` + strings.Repeat("x", 100_000) + `"`, `{"dup":1,"dup":2}`, `NaN`, `Infinity`, `[-]`,
	`"\ud800\ud800"`, `"\udbff\udfff"`, `"\ud83d\u0041"`, `{"\u0061":1}`, "[1,\n2\t,\r3 ]", `[1e5,2E-3,0.0,-0.5e0]`,
}

// TestReader runs checkReader on valid and invalid JSON.
func TestReader(t *testing.T) {
	for _, in := range readerInputs {
		checkReader(t, []byte(in))
	}
}

// FuzzReader compares the Reader with encoding/json on any input.
func FuzzReader(f *testing.F) {
	for _, in := range readerInputs {
		if len(in) < 1000 { // long seeds make every run slow
			f.Add([]byte(in))
		}
	}
	f.Fuzz(checkReader)
}

// TestDecodeStream checks the errors of DecodeStream: the same kinds as
// DecodeJSON's.
func TestDecodeStream(t *testing.T) {
	decode := func(rd *Reader) error {
		if err := rd.BeginObject(); err != nil {
			return err
		}
		for {
			key, more, err := rd.Key()
			if err != nil || !more {
				return err
			}
			if string(key) != "a" {
				return UnknownFieldError(key)
			}
			if err := rd.Skip(); err != nil {
				return err
			}
		}
	}
	for body, want := range map[string]string{
		`{"a":[1,{"x":2}]}`: "",
		``:                  "Bad request. The body is empty; a JSON object is required",
		`{"a":`:             "Bad request. The body is not complete JSON",
		`{"a":1,}`:          "Bad request. Malformed JSON at byte 8",
		`{"b":1}`:           `Bad request. Unknown field "b"`,
		`{"a":1} {}`:        "Bad request. The body must hold exactly one JSON object",
		`{"a":"` + strings.Repeat("x", 200) + `"}`: "Bad request. The body is larger than 100 bytes",
	} {
		r := httptest.NewRequest("POST", "/", strings.NewReader(body))
		err := DecodeStream(httptest.NewRecorder(), r, 100, decode)
		if got := kontor.ErrorMessage(err); got != want {
			t.Errorf("%.20q: error %q, want %q", body, got, want)
		}
	}
}
