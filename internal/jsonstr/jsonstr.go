// Package jsonstr writes JSON strings exactly as encoding/json does, for the
// hand-written encoders of the largest responses and stored documents.
package jsonstr

import "unicode/utf8"

// jsonEscape tells, for each ASCII byte, how encoding/json writes it in a
// string: 0 unchanged, a letter after a backslash, or 'u' for \u00XX.
// It escapes the HTML characters <, > and & as encoding/json does by
// default.
var jsonEscape = func() (t [utf8.RuneSelf]byte) {
	for c := range byte(0x20) {
		t[c] = 'u'
	}
	t['\b'], t['\f'], t['\n'], t['\r'], t['\t'] = 'b', 'f', 'n', 'r', 't'
	t['"'], t['\\'] = '"', '\\'
	t['<'], t['>'], t['&'] = 'u', 'u', 'u'
	return t
}()

// Append appends s as a JSON string, byte for byte as
// encoding/json's Marshal writes it: HTML characters, U+2028 and U+2029
// escaped, invalid UTF-8 replaced by U+FFFD.
func Append(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			e := jsonEscape[c]
			if e == 0 {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			if e == 'u' {
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			} else {
				b = append(b, '\\', e)
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
