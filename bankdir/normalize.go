package bankdir

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// fold returns s in the form names are compared in: lower case, German
// umlauts and ß spelt out (ä → ae, ö → oe, ü → ue, ß → ss), other Latin
// letters with diacritics reduced to their base letter, and every run of
// characters that are neither letters nor digits replaced by one space.
// The result has no leading or trailing space.
func fold(s string) string {
	return foldWith(s, false)
}

// foldPlain is fold, but drops the umlaut dots instead of spelling them out
// (ä → a), so that a query typed without umlauts ("koln") still finds
// "Köln".
func foldPlain(s string) string {
	return foldWith(s, true)
}

func foldWith(s string, plain bool) string {
	var b strings.Builder
	b.Grow(len(s) + 4)
	space := true // suppresses leading and repeated spaces
	for _, r := range s {
		rep := foldRune(unicode.ToLower(r), plain)
		if rep == "" {
			if !space {
				b.WriteByte(' ')
				space = true
			}
			continue
		}
		b.WriteString(rep)
		space = false
	}
	out := b.String()
	return strings.TrimSuffix(out, " ")
}

// foldRune maps one lower-case rune to its folded spelling, or "" when the
// rune separates words.
func foldRune(r rune, plain bool) string {
	switch {
	case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
		return asciiRunes[r]
	case r < utf8.RuneSelf:
		return ""
	}
	switch r {
	case 'ä':
		if plain {
			return "a"
		}
		return "ae"
	case 'ö':
		if plain {
			return "o"
		}
		return "oe"
	case 'ü':
		if plain {
			return "u"
		}
		return "ue"
	case 'ß':
		return "ss"
	}
	if base, ok := latinBase[r]; ok {
		return base
	}
	if unicode.IsLetter(r) || unicode.IsDigit(r) {
		return string(r)
	}
	return ""
}

// asciiRunes holds the one-character strings of the ASCII letters and
// digits, so that folding them does not allocate.
var asciiRunes = func() (a [utf8.RuneSelf]string) {
	for r := 'a'; r <= 'z'; r++ {
		a[r] = string(r)
	}
	for r := '0'; r <= '9'; r++ {
		a[r] = string(r)
	}
	return a
}()

// latinBase maps lower-case Latin letters with diacritics that occur in
// bank and place names to their base letters.
var latinBase = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'å': "a", 'æ': "ae",
	'ç': "c", 'č': "c", 'ć': "c",
	'è': "e", 'é': "e", 'ê': "e", 'ë': "e",
	'ì': "i", 'í': "i", 'î': "i", 'ï': "i",
	'ñ': "n", 'ń': "n",
	'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o", 'ø': "o", 'œ': "oe",
	'ù': "u", 'ú': "u", 'û': "u",
	'ý': "y", 'ÿ': "y",
	'š': "s", 'ś': "s", 'ž': "z", 'ź': "z", 'ż': "z", 'ł': "l",
}

// tokens splits a folded string into its words.
func tokens(folded string) []string {
	if folded == "" {
		return nil
	}
	return strings.Split(folded, " ")
}
