package sqlstore

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/kontor-dev/kontor"
)

// tagTexts are names, sources, values and types with everything JSON
// escapes or passes through: plain text, quotes, backslashes, HTML
// characters, control characters, umlauts, U+2028, invalid UTF-8.
var tagTexts = []string{"", "salary", "transactionCode", `a"b`, `back\slash`, "<b>&</b>", "tab\there", "Überweisung",
	"line\u2028sep", "bad\xffutf8", "\x7f", "kontor", "}", `","source":"x`, "]"}

// TestEncodeTagsLikeJSON checks that encodeTags and encodeCodes write
// exactly what json.Marshal writes, and that decodeTags and decodeCodes
// read it back.
func TestEncodeTagsLikeJSON(t *testing.T) {
	for _, a := range tagTexts {
		for _, b := range tagTexts {
			for n := range 3 {
				tags := slices.Repeat([]kontor.Tag{{Name: a, Source: b}}, n)
				codes := slices.Repeat([]kontor.Code{{Value: a, Type: b}}, n)
				wantTags, wantCodes := marshalList(t, tags), marshalList(t, codes)
				if got := encodeTags(tags); got != wantTags {
					t.Errorf("encodeTags(%q) = %s, want %s", tags, got, wantTags)
				}
				if got := encodeCodes(codes); got != wantCodes {
					t.Errorf("encodeCodes(%q) = %s, want %s", codes, got, wantCodes)
				}
				var back []kontor.Tag
				if err := json.Unmarshal([]byte(wantTags), &back); err != nil {
					t.Fatal(err)
				}
				if got, err := decodeTags(wantTags); err != nil || !slices.Equal(got, back) || got == nil {
					t.Errorf("decodeTags(%s) = %q, %v; want %q", wantTags, got, err, back)
				}
				var backCodes []kontor.Code
				if err := json.Unmarshal([]byte(wantCodes), &backCodes); err != nil {
					t.Fatal(err)
				}
				if got, err := decodeCodes(wantCodes); err != nil || !slices.Equal(got, backCodes) || got == nil {
					t.Errorf("decodeCodes(%s) = %q, %v; want %q", wantCodes, got, err, backCodes)
				}
			}
		}
	}
	if _, err := decodeTags(`[{"name":"x"`); err == nil {
		t.Error("decodeTags accepted a truncated list")
	}
}

// marshalList is json.Marshal as the store used it, "[]" for none.
func marshalList[T any](t *testing.T, list []T) string {
	if len(list) == 0 {
		return "[]"
	}
	b, err := json.Marshal(list)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
