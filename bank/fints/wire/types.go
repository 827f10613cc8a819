package wire

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kontor-dev/kontor"
)

// ErrMissing is returned by the typed accessors when a required value is
// empty or absent.
var ErrMissing = errors.New("missing value")

// maxNumDigits bounds numeric values so that they always fit an int.
const maxNumDigits = 18

// Int parses a num or dig value. Leading zeros are accepted.
func (v Value) Int() (int, error) {
	if v.Binary {
		return 0, errors.New("numeric value is binary")
	}
	d := v.Data
	if len(d) == 0 {
		return 0, ErrMissing
	}
	if len(d) > maxNumDigits {
		return 0, fmt.Errorf("numeric value %q too long", truncated(d))
	}
	n := 0
	for _, c := range d {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("numeric value %q has a non-digit", truncated(d))
		}
		n = n*10 + int(c-'0')
	}
	return n, nil
}

// Bool parses a jn value: "J" is true, "N" and an omitted value are false.
func (v Value) Bool() (bool, error) {
	switch string(v.Data) {
	case "J", "j":
		return true, nil
	case "N", "n", "":
		return false, nil
	}
	return false, fmt.Errorf("yes/no value %q is neither J nor N", truncated(v.Data))
}

// Date parses a dat value (YYYYMMDD) as midnight UTC of that day.
func (v Value) Date() (time.Time, error) {
	if len(v.Data) == 0 {
		return time.Time{}, ErrMissing
	}
	t, err := time.Parse("20060102", string(v.Data))
	if err != nil || len(v.Data) != 8 {
		return time.Time{}, fmt.Errorf("date %q is not YYYYMMDD", truncated(v.Data))
	}
	return t, nil
}

// Clock parses a tim value (hhmmss) as the time since midnight.
func (v Value) Clock() (time.Duration, error) {
	d := v.Data
	if len(d) == 0 {
		return 0, ErrMissing
	}
	if len(d) != 6 {
		return 0, fmt.Errorf("time %q is not hhmmss", truncated(d))
	}
	var parts [3]int
	for i := range parts {
		hi, lo := d[2*i], d[2*i+1]
		if hi < '0' || hi > '9' || lo < '0' || lo > '9' {
			return 0, fmt.Errorf("time %q is not hhmmss", truncated(d))
		}
		parts[i] = int(hi-'0')*10 + int(lo-'0')
	}
	if parts[0] > 23 || parts[1] > 59 || parts[2] > 60 {
		return 0, fmt.Errorf("time %q out of range", truncated(d))
	}
	return time.Duration(parts[0])*time.Hour + time.Duration(parts[1])*time.Minute +
		time.Duration(parts[2])*time.Second, nil
}

// DateTime combines a dat and an optional tim value into one instant in
// loc (the sender's local time; nil means UTC).
func DateTime(date, clock Value, loc *time.Location) (time.Time, error) {
	d, err := date.Date()
	if err != nil {
		return time.Time{}, err
	}
	var c time.Duration
	if !clock.IsEmpty() {
		if c, err = clock.Clock(); err != nil {
			return time.Time{}, err
		}
	}
	if loc == nil {
		loc = time.UTC
	}
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc).Add(c), nil
}

// Amount parses a wrt/float value: digits with a decimal comma ("100,",
// "0,5", "1234,50"). A leading minus is tolerated although FinTS amounts
// carry their sign elsewhere. The result is exact.
func (v Value) Amount() (kontor.Amount, error) {
	s := strings.TrimSpace(string(v.Data))
	if s == "" {
		return kontor.Amount{}, ErrMissing
	}
	if v.Binary || len(s) > 40 {
		return kontor.Amount{}, fmt.Errorf("amount %q malformed", truncated(v.Data))
	}
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	whole, frac, _ := strings.Cut(s, ",")
	if (whole == "" && frac == "") || !allDigits(whole) || !allDigits(frac) {
		return kontor.Amount{}, fmt.Errorf("amount %q is not a decimal with comma", truncated(v.Data))
	}
	if whole == "" {
		whole = "0"
	}
	txt := whole
	if frac != "" {
		txt += "." + frac
	}
	if neg {
		txt = "-" + txt
	}
	a, err := kontor.ParseAmount(txt)
	if err != nil {
		return kontor.Amount{}, fmt.Errorf("amount %q: %w", truncated(v.Data), err)
	}
	return a, nil
}

// Date returns t's calendar day as a dat value (YYYYMMDD).
func Date(t time.Time) Value { return Value{Data: t.AppendFormat(nil, "20060102")} }

// Time returns t's clock time as a tim value (hhmmss).
func Time(t time.Time) Value { return Value{Data: t.AppendFormat(nil, "150405")} }

// Amount returns a as a wrt value: decimal comma, trailing zeros of the
// fraction cut, the comma always present ("100,", "12,5"). FinTS amounts
// have no sign; a negative amount is written with a leading minus, which
// callers should avoid by passing the magnitude and a credit/debit mark.
func Amount(a kontor.Amount) Value {
	s := a.Decimal().Trim(0).String()
	b := []byte(strings.Replace(s, ".", ",", 1))
	if !strings.Contains(s, ".") {
		b = append(b, ',')
	}
	return Value{Data: b}
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// truncated shortens b for use in error messages.
func truncated(b []byte) string {
	const n = 40
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}

// atoiStrict parses a non-negative decimal integer of at most 18 digits.
func atoiStrict(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > maxNumDigits || !allDigits(string(b)) {
		return 0, false
	}
	n, err := strconv.Atoi(string(b))
	return n, err == nil
}
