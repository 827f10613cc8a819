package analysis

import "fmt"

// appendCompactUpper appends s to dst in upper case without spaces, the
// canonical form of IBANs, BICs, creditor IDs and mandate references.
func appendCompactUpper(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			continue
		case c >= 'a' && c <= 'z':
			c -= 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// compactUpper returns s in upper case without spaces.
func compactUpper(s string) string {
	return string(appendCompactUpper(make([]byte, 0, len(s)), s))
}

// appendCreditorKey appends the comparison key of a SEPA creditor
// identifier: country and check digits followed by the national identifier,
// without the creditor business code (characters 5 to 7), which a creditor
// may vary freely ("DE98ZZZ09999999999" and "DE98AAA09999999999" are the
// same creditor).
func appendCreditorKey(dst []byte, id string) []byte {
	start := len(dst)
	dst = appendCompactUpper(dst, id)
	key := dst[start:]
	if len(key) < 8 {
		return dst
	}
	n := copy(key[4:], key[7:])
	return dst[:start+4+n]
}

// creditorKey returns the comparison key of a creditor identifier.
func creditorKey(id string) string {
	return string(appendCreditorKey(nil, id))
}

// mod97 returns the ISO 7064 MOD 97-10 remainder of s, letters counting as
// 10 to 35; ok is false when s holds other characters.
func mod97(s string) (rem int, ok bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			rem = (rem*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			rem = (rem*100 + int(c-'A') + 10) % 97
		default:
			return 0, false
		}
	}
	return rem, true
}

func isUpperLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) > 0
}

// checkIBAN reports why a compact, upper-case IBAN is malformed, or nil.
func checkIBAN(iban string) error {
	if len(iban) < 15 || len(iban) > 34 {
		return fmt.Errorf("IBAN %q: length %d is not between 15 and 34", iban, len(iban))
	}
	if !isUpperLetters(iban[:2]) || !isDigits(iban[2:4]) {
		return fmt.Errorf("IBAN %q: must start with a country code and two check digits", iban)
	}
	if iban[:2] == "DE" && len(iban) != 22 {
		return fmt.Errorf("IBAN %q: a German IBAN has 22 characters, not %d", iban, len(iban))
	}
	rem, ok := mod97(iban[4:] + iban[:4])
	if !ok {
		return fmt.Errorf("IBAN %q: only letters and digits are allowed", iban)
	}
	if rem != 1 {
		return fmt.Errorf("IBAN %q: check digits do not match", iban)
	}
	return nil
}

// checkCreditorID reports why a compact, upper-case SEPA creditor
// identifier is malformed, or nil.
func checkCreditorID(id string) error {
	if len(id) < 8 || len(id) > 35 {
		return fmt.Errorf("creditor ID %q: length %d is not between 8 and 35", id, len(id))
	}
	if !isUpperLetters(id[:2]) || !isDigits(id[2:4]) {
		return fmt.Errorf("creditor ID %q: must start with a country code and two check digits", id)
	}
	if id[:2] == "DE" && len(id) != 18 {
		return fmt.Errorf("creditor ID %q: a German creditor ID has 18 characters, not %d", id, len(id))
	}
	rem, ok := mod97(id[7:] + id[:4])
	if !ok {
		return fmt.Errorf("creditor ID %q: only letters and digits are allowed", id)
	}
	if rem != 1 {
		return fmt.Errorf("creditor ID %q: check digits do not match", id)
	}
	return nil
}

// CountryOf returns the ISO 3166 country code of a counterpart: the first
// two letters of its IBAN, else the fifth and sixth of its BIC, else "".
func CountryOf(iban, bic string) string {
	if c := countryPrefix(iban, 0); c != "" {
		return c
	}
	return countryPrefix(bic, 4)
}

func countryPrefix(s string, at int) string {
	var b [2]byte
	n := 0
	for i := 0; i < len(s) && n < at+2; i++ {
		c := s[i]
		if c == ' ' {
			continue
		}
		if n >= at {
			if c >= 'a' && c <= 'z' {
				c -= 'a' - 'A'
			}
			if c < 'A' || c > 'Z' {
				return ""
			}
			b[n-at] = c
		}
		n++
	}
	if n < at+2 {
		return ""
	}
	return string(b[:])
}
