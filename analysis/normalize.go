package analysis

import "unicode/utf8"

// Text is matched in a normal form: lower case, German umlauts and ß
// spelled out (ä → ae, ß → ss) and other accents dropped, every run of
// characters that is not a letter or digit turned into one space, with a
// space at both ends: "REWE Markt GmbH/Köln" becomes " rewe markt gmbh koeln ".
// Bank data often arrives in upper-case ASCII ("UEBERWEISUNG"); spelling
// umlauts out makes "Überweisung" match it.

// asciiFold maps an ASCII byte to its normal form, or 0 for a separator.
var asciiFold = func() (t [128]byte) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = byte(c)
		t[c-'a'+'A'] = byte(c)
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = byte(c)
	}
	return t
}()

// foldRune returns the normal form of a non-ASCII letter, or "" for a
// separator.
func foldRune(r rune) string {
	switch r {
	case 'ä', 'Ä', 'æ', 'Æ':
		return "ae"
	case 'ö', 'Ö', 'œ', 'Œ':
		return "oe"
	case 'ü', 'Ü':
		return "ue"
	case 'ß', 'ẞ':
		return "ss"
	case 'à', 'á', 'â', 'ã', 'å', 'À', 'Á', 'Â', 'Ã', 'Å':
		return "a"
	case 'ç', 'Ç', 'č', 'Č', 'ć', 'Ć':
		return "c"
	case 'è', 'é', 'ê', 'ë', 'È', 'É', 'Ê', 'Ë':
		return "e"
	case 'ì', 'í', 'î', 'ï', 'Ì', 'Í', 'Î', 'Ï':
		return "i"
	case 'ñ', 'Ñ', 'ń', 'Ń':
		return "n"
	case 'ò', 'ó', 'ô', 'õ', 'ø', 'Ò', 'Ó', 'Ô', 'Õ', 'Ø':
		return "o"
	case 'ù', 'ú', 'û', 'Ù', 'Ú', 'Û':
		return "u"
	case 'ý', 'ÿ', 'Ý':
		return "y"
	case 'š', 'Š', 'ś', 'Ś':
		return "s"
	case 'ž', 'Ž', 'ź', 'Ź', 'ż', 'Ż':
		return "z"
	case 'ł', 'Ł':
		return "l"
	}
	return ""
}

// normalizer appends text in normal form to a buffer. Several pieces of
// text can be appended; they are separated by one space.
type normalizer struct {
	buf   []byte
	space bool // the last byte in buf is a space
}

// reset empties the buffer and starts it with a space.
func (n *normalizer) reset() {
	n.buf = append(n.buf[:0], ' ')
	n.space = true
}

// add appends s in normal form.
func (n *normalizer) add(s string) {
	buf, space := n.buf, n.space
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < utf8.RuneSelf {
			if f := asciiFold[c]; f != 0 {
				buf = append(buf, f)
				space = false
			} else if !space {
				buf = append(buf, ' ')
				space = true
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size - 1
		if f := foldRune(r); f != "" {
			buf = append(buf, f...)
			space = false
		} else if !space {
			buf = append(buf, ' ')
			space = true
		}
	}
	n.buf, n.space = buf, space
}

// finish ends the text with a space and returns it.
func (n *normalizer) finish() []byte {
	if !n.space {
		n.buf = append(n.buf, ' ')
		n.space = true
	}
	return n.buf
}

// normalize returns s in normal form, with a space at both ends.
func normalize(s string) string {
	var n normalizer
	n.reset()
	n.add(s)
	return string(n.finish())
}
