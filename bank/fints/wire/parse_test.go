package wire

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestParseSegments(t *testing.T) {
	in := []byte("HIRMS:4:2:3+3040::Es liegen weitere Informationen vor:9978-12-08-12.12.22.?:9789'" +
		"HIKAZ:5:7:3+@12@a+b:c'd@?efg++X'" +
		"HKIDN:3:2+280:10020000+test?@user+Ppp?+kWr+1'" +
		"HIRMG:2:2:+0010::Nachricht entgegengenommen'\r\n")
	segs, err := ParseSegments(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(segs) != 4 {
		t.Fatalf("got %d segments, want 4", len(segs))
	}
	if h := segs[0].Header; h != (Header{Type: "HIRMS", Number: 4, Version: 2, Ref: 3}) {
		t.Errorf("header = %+v", h)
	}
	if got := segs[0].Value(0, 3).String(); got != "9978-12-08-12.12.22.:9789" {
		t.Errorf("touchdown = %q", got)
	}
	bin := segs[1].Value(0, 0)
	if !bin.Binary || string(bin.Data) != "a+b:c'd@?efg" {
		t.Errorf("binary = %+v", bin)
	}
	if !segs[1].Element(1).IsEmpty() || segs[1].Value(2, 0).String() != "X" {
		t.Errorf("elements after binary = %v", segs[1].Elements)
	}
	if got := segs[2].Value(1, 0).String(); got != "test@user" {
		t.Errorf("escaped @ = %q", got)
	}
	if got := segs[2].Value(2, 0).String(); got != "Ppp+kWr" {
		t.Errorf("escaped + = %q", got)
	}
	if segs[3].Header.Ref != 0 {
		t.Errorf("empty reference = %d", segs[3].Header.Ref)
	}
	if !bytes.Equal(segs[1].Raw, []byte("HIKAZ:5:7:3+@12@a+b:c'd@?efg++X'")) {
		t.Errorf("raw = %q", segs[1].Raw)
	}
}

func TestParseSegmentsLenient(t *testing.T) {
	// A stray '@' that does not frame binary data is text.
	segs, err := ParseSegments([]byte("HKTST:1:1+@abc+@12x@+a@1@'"))
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"@abc", "@12x@", "a@1@"} {
		if v := segs[0].Value(i, 0); v.Binary || v.String() != want {
			t.Errorf("element %d = %+v, want text %q", i, v, want)
		}
	}
}

func TestParseSegmentsErrors(t *testing.T) {
	tests := map[string]string{
		"empty":              "",
		"whitespace only":    " \r\n",
		"unterminated":       "HNHBK:1:3+000000000000",
		"dangling release":   "HNHBK:1:3+abc?",
		"short header":       "HNHBK:1'",
		"bad number":         "HNHBK:x:3'",
		"bad type":           "H-BK:1:3'",
		"binary too long":    "HKTST:1:1+@99@abc'",
		"binary no delim":    "HKTST:1:1+@2@abcd'",
		"huge binary length": "HKTST:1:1+@99999999999@x'",
		"trailing garbage":   "HKTST:1:1'xyz",
		"binary type":        "@2@AB:1:1'",
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := ParseSegments([]byte(in))
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("ParseSegments(%q) error = %v, want *SyntaxError", in, err)
			}
		})
	}
}

func TestSegmentRoundTrip(t *testing.T) {
	s := NewSegment("HKTST", 3)
	s.Header.Number, s.Header.Ref = 5, 2
	s.Add(Text("Hans + Franz"), Text("richtig??"))
	s.Add()
	s.Add(Binary([]byte("x'y+z")), Empty, Empty)
	s.Add(Text("a:b'c@d"))
	s.Add(Empty)
	s.Add()
	got := string(s.Bytes())
	want := "HKTST:5:3:2+Hans ?+ Franz:richtig????++@5@x'y+z+a?:b?'c?@d'"
	if got != want {
		t.Fatalf("Bytes() = %q, want %q", got, want)
	}
	back, err := ParseSegments([]byte(got))
	if err != nil {
		t.Fatal(err)
	}
	if !sameSegments([]Segment{s}, back) {
		t.Errorf("round trip: %v != %v", back[0].Elements, s.Elements)
	}
}

func TestLatin1Text(t *testing.T) {
	v := Text("Müller € Straße")
	if !bytes.Equal(v.Data, []byte("M\xfcller ? Stra\xdfe")) {
		t.Errorf("Text() = %q", v.Data)
	}
	if _, ok := Latin1("€"); ok {
		t.Error("Latin1(€) reported ok")
	}
	if got := (Value{Data: []byte("Gr\xfc\xdfe ")}).Text(); got != "Grüße" {
		t.Errorf("Text() = %q", got)
	}
	if got := (Value{Data: []byte(" a ")}).String(); got != " a " {
		t.Errorf("String() = %q", got)
	}
}

// sameSegments compares segments by header and content, ignoring Raw and
// trailing empty values and elements, which the wire form cuts.
func sameSegments(a, b []Segment) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Header != b[i].Header || !bytes.Equal(Marshal(a[i:i+1]), Marshal(b[i:i+1])) {
			return false
		}
		ea, eb := trimElements(a[i].Elements), trimElements(b[i].Elements)
		if len(ea) != len(eb) {
			return false
		}
		for j := range ea {
			va, vb := ea[j].trimmed(), eb[j].trimmed()
			if len(va) != len(vb) {
				return false
			}
			for k := range va {
				if !va[k].Equal(vb[k]) {
					return false
				}
			}
		}
	}
	return true
}

func trimElements(es []Element) []Element {
	n := len(es)
	for n > 0 && len(es[n-1].trimmed()) == 0 {
		n--
	}
	return es[:n]
}

func TestHeaderString(t *testing.T) {
	if got := (Header{Type: "HIRMS", Number: 4, Version: 2, Ref: 3}).String(); got != "HIRMS:4:2:3" {
		t.Errorf("String() = %q", got)
	}
	if got := (Header{Type: "HKSAL", Number: 3, Version: 7}).String(); !strings.HasSuffix(got, ":7") {
		t.Errorf("String() = %q", got)
	}
}
