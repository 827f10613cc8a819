package jsonstr

import (
	"bytes"
	"encoding/json"
	"testing"
)

// strs are strings with everything JSON treats specially.
var strs = []string{"", "plain", `q"uote`, `back\slash`, "<html>&amp;", "ctl\x00\x01\x1f\x7f", "\b\f\n\r\t", "Grüße, 東京",
	"sep\u2028\u2029", "bad\xff\xfe", "trunc\xe2\x82", "emoji \U0001F600", "/slash/"}

// TestAppend checks Append against json.Marshal.
func TestAppend(t *testing.T) {
	for _, s := range strs {
		checkAppend(t, s)
	}
}

func checkAppend(t *testing.T, s string) {
	t.Helper()
	want, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if got := Append(nil, s); !bytes.Equal(got, want) {
		t.Errorf("Append(%q) = %s, want %s", s, got, want)
	}
}

// FuzzAppend compares Append with json.Marshal on any string.
func FuzzAppend(f *testing.F) {
	for _, s := range strs {
		f.Add(s)
	}
	f.Fuzz(checkAppend)
}
