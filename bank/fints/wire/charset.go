package wire

import (
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// decodeLatin1 converts ISO 8859-1 bytes to a UTF-8 string.
func decodeLatin1(b []byte) string {
	ascii := true
	for _, c := range b {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return string(b)
	}
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = charmap.ISO8859_1.DecodeByte(c)
	}
	return string(r)
}

// Latin1 converts s to ISO 8859-1 bytes. It reports false when s holds a
// character that ISO 8859-1 cannot represent (such as '€'); the returned
// bytes then carry '?' in its place.
func Latin1(s string) ([]byte, bool) {
	out := make([]byte, 0, len(s))
	ok := true
	for _, r := range s {
		b, fits := charmap.ISO8859_1.EncodeRune(r)
		if !fits {
			b, ok = '?', false
		}
		out = append(out, b)
	}
	return out, ok
}
