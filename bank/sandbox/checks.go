package sandbox

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"strconv"
)

// mod97 returns the ISO 7064 MOD 97-10 remainder of s, where letters count
// as two-digit numbers (A = 10 … Z = 35) and other characters are skipped.
func mod97(s string) int {
	r := 0
	for i := range len(s) {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			r = (r*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			r = (r*100 + int(c-'A') + 10) % 97
		case c >= 'a' && c <= 'z':
			r = (r*100 + int(c-'a') + 10) % 97
		}
	}
	return r
}

// twoDigits formats 0 ≤ n < 100 with a leading zero.
func twoDigits(n int) string {
	return string([]byte{byte('0' + n/10), byte('0' + n%10)})
}

// germanIBAN returns the IBAN of a German account: "DE", two check digits,
// the eight-digit bank code and the ten-digit account number.
func germanIBAN(bankCode, account string) string {
	bban := bankCode + account
	return "DE" + twoDigits(98-mod97(bban+"DE00")) + bban
}

// validIBAN reports whether s is a well-formed IBAN with correct check
// digits (and, for Germany, 22 characters).
func validIBAN(s string) bool {
	if len(s) < 15 || len(s) > 34 {
		return false
	}
	for i := range len(s) {
		c := s[i]
		letter := c >= 'A' && c <= 'Z'
		digit := c >= '0' && c <= '9'
		if i < 2 && !letter || i >= 2 && i < 4 && !digit || !letter && !digit {
			return false
		}
	}
	if s[:2] == "DE" && len(s) != 22 {
		return false
	}
	return mod97(s[4:]+s[:4]) == 1
}

// germanCreditorID returns a German SEPA creditor identifier: "DE", two
// check digits, the business code "ZZZ" and an 11-character national
// identifier. The check digits cover the national identifier and the
// country code; the business code is not part of them.
func germanCreditorID(national string) string {
	return "DE" + twoDigits(98-mod97(national+"DE00")) + "ZZZ" + national
}

// validCreditorID reports whether s is a creditor identifier with correct
// check digits.
func validCreditorID(s string) bool {
	if len(s) < 8 || len(s) > 35 {
		return false
	}
	return mod97(s[7:]+s[:4]) == 1
}

// validISIN reports whether s is an ISIN (two letters, nine letters or
// digits, one check digit) whose check digit is right: letters become two
// digits (A = 10 …), and the Luhn algorithm runs over the digit string.
func validISIN(s string) bool {
	if len(s) != 12 {
		return false
	}
	var digits []byte
	for i := range 11 {
		c := s[i]
		switch {
		case c >= '0' && c <= '9' && i >= 2:
			digits = append(digits, c-'0')
		case c >= 'A' && c <= 'Z':
			n := int(c-'A') + 10
			digits = append(digits, byte(n/10), byte(n%10))
		default:
			return false
		}
	}
	if s[11] < '0' || s[11] > '9' {
		return false
	}
	sum := 0
	// Luhn with the check digit appended: double every second digit
	// counting from the right, starting with the rightmost payload digit.
	for i, k := len(digits)-1, 0; i >= 0; i, k = i-1, k+1 {
		d := int(digits[i])
		if k%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return (10-sum%10)%10 == int(s[11]-'0')
}

// digest hashes parts (separated so that no two lists of parts collide).
func digest(parts ...string) [sha256.Size]byte {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0x1f})
	}
	var out [sha256.Size]byte
	h.Sum(out[:0])
	return out
}

// stableID returns a 24-character lower-case hexadecimal identifier derived
// from parts: the same parts always give the same ID.
func stableID(parts ...string) string {
	d := digest(parts...)
	return hex.EncodeToString(d[:12])
}

// digits returns n decimal digits derived from parts, the first not zero.
func digits(n int, parts ...string) string {
	d := digest(parts...)
	v := binary.BigEndian.Uint64(d[:8])
	b := make([]byte, n)
	for i := n - 1; i >= 0; i-- {
		b[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			v = binary.BigEndian.Uint64(d[8:16]) ^ uint64(i)*0x9e3779b97f4a7c15
		}
	}
	if b[0] == '0' {
		b[0] = '1' + byte(d[20]%9)
	}
	return string(b)
}

// itoa is strconv.Itoa for the types used here.
func itoa[T ~int | ~int32 | ~int64](n T) string { return strconv.FormatInt(int64(n), 10) }
