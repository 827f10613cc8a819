package finformat

import (
	"strings"
	"unicode/utf8"
)

// Charset selects how the SWIFT generators (MT940, MT942, MT535) encode
// text.
type Charset int

// Charsets for generated SWIFT messages.
const (
	// Latin1 writes ISO-8859-1, what German banks send. Characters outside
	// it are replaced by a close ASCII spelling or '.'.
	Latin1 Charset = iota
	// ASCII spells umlauts out (ä → ae, ß → ss) and replaces every other
	// non-ASCII character, for clients that decode as UTF-8 or ASCII.
	ASCII
	// UTF8 writes UTF-8 unchanged.
	UTF8
)

// decodeText turns the bytes of a SWIFT message into a string. Input that is
// valid UTF-8 and contains multi-byte sequences is taken as UTF-8; anything
// else is ISO-8859-1, where every byte is one character. A leading byte
// order mark is dropped.
func decodeText(data []byte) string {
	if len(data) >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF {
		data = data[3:]
	}
	ascii := true
	for _, c := range data {
		if c >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii || utf8.Valid(data) {
		return string(data)
	}
	r := make([]rune, len(data))
	for i, c := range data {
		r[i] = rune(c)
	}
	return string(r)
}

// encodeText encodes generated text, which the generator has already passed
// through cleanText, in the charset.
func encodeText(s string, cs Charset) []byte {
	if cs == UTF8 {
		return []byte(s)
	}
	out := make([]byte, 0, len(s))
	for _, r := range s {
		if r > 0xFF {
			r = '.'
		}
		out = append(out, byte(r))
	}
	return out
}

// transliterations spells out characters that have a customary ASCII form.
var transliterations = map[rune]string{
	'ä': "ae", 'ö': "oe", 'ü': "ue", 'Ä': "Ae", 'Ö': "Oe", 'Ü': "Ue", 'ß': "ss",
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'å': "a", 'æ': "ae", 'ç': "c",
	'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ì': "i", 'í': "i", 'î': "i", 'ï': "i",
	'ñ': "n", 'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o", 'ø': "o", 'ù': "u", 'ú': "u",
	'û': "u", 'ý': "y", 'ÿ': "y", 'À': "A", 'Á': "A", 'Â': "A", 'Ã': "A", 'Å': "A",
	'Æ': "AE", 'Ç': "C", 'È': "E", 'É': "E", 'Ê': "E", 'Ë': "E", 'Ì': "I", 'Í': "I",
	'Î': "I", 'Ï': "I", 'Ñ': "N", 'Ò': "O", 'Ó': "O", 'Ô': "O", 'Õ': "O", 'Ø': "O",
	'Ù': "U", 'Ú': "U", 'Û': "U", 'Ý': "Y", '€': "EUR", '‚': ",", '„': "\"",
	'“': "\"", '”': "\"", '‘': "'", '’': "'", '–': "-", '—': "-", '…': "...",
	'\u00a0': " ",
}

// cleanText prepares one value for a generated SWIFT message in the charset.
func cleanText(s string, cs Charset) string {
	if cs == UTF8 {
		return s
	}
	ok := true
	for _, r := range s {
		if r >= 0x80 && (cs == ASCII || r > 0xFF) {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < 0x80, cs == Latin1 && r <= 0xFF:
			b.WriteRune(r)
		case transliterations[r] != "":
			b.WriteString(transliterations[r])
		default:
			b.WriteByte('.')
		}
	}
	return b.String()
}

// splitLines splits a SWIFT message into lines. CRLF, LF and CR end a line,
// and so does "@@", which some banks use instead of a line break.
func splitLines(s string) []string {
	var lines []string
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\n':
			lines = append(lines, s[start:i])
			start = i + 1
		case '\r':
			lines = append(lines, s[start:i])
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
			start = i + 1
		case '@':
			if i+1 < len(s) && s[i+1] == '@' {
				lines = append(lines, s[start:i])
				i++
				start = i + 1
			}
		}
	}
	if start < len(s) {
		lines = append(lines, s[start:])
	}
	return lines
}

// fieldTag returns the tag of a line that starts a SWIFT field (":61:",
// ":60F:", ":NS:") and the rest of the line; ok is false for other lines.
func fieldTag(line string) (tag, rest string, ok bool) {
	if len(line) < 4 || line[0] != ':' {
		return "", "", false
	}
	if isDigit(line[1]) && isDigit(line[2]) {
		if line[3] == ':' {
			return line[:4], line[4:], true
		}
		if len(line) >= 5 && line[3] >= 'A' && line[3] <= 'Z' && line[4] == ':' {
			return line[:5], line[5:], true
		}
		return "", "", false
	}
	if strings.HasPrefix(line, ":NS:") {
		return line[:4], line[4:], true
	}
	return "", "", false
}

// isTerminator reports whether a line ends a SWIFT message ("-", or "-}"
// after a SWIFT block 4, trailing blanks allowed).
func isTerminator(line string) bool {
	t := strings.TrimRight(line, " \t")
	return t == "-" || t == "-}"
}

// isHeader reports whether a line is a SWIFT envelope header ("{1:F01...").
func isHeader(line string) bool {
	return len(line) >= 3 && line[0] == '{' && line[1] >= '1' && line[1] <= '5' && line[2] == ':'
}

// isContinuationSafe reports whether a line can follow another inside a
// field without being read as something else.
func isContinuationSafe(line string) bool {
	if line == "" || isTerminator(line) || isHeader(line) {
		return false
	}
	_, _, field := fieldTag(line)
	return !field
}

// wrap breaks s into lines of at most width characters. A line is made
// shorter when the next one would otherwise start like a field, a header or
// a terminator, and "@@" (a line break to some banks) is always split, so
// that the parser reads the lines back as one value.
func wrap(s string, width int) []string {
	r := []rune(s)
	var lines []string
	for {
		n := min(len(r), width)
		for k := 0; k+1 < n; k++ {
			if r[k] == '@' && r[k+1] == '@' {
				n = k + 1
				break
			}
		}
		if n == len(r) {
			return append(lines, string(r))
		}
		for n > 1 && !isContinuationSafe(string(r[n:min(len(r), n+6)])) {
			n--
		}
		lines = append(lines, string(r[:n]))
		r = r[n:]
	}
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }
