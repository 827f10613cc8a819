package kontor

import (
	"database/sql/driver"
	"fmt"
	"strings"
	"time"
)

// Timestamp is a point in time as the finoOS API writes it: RFC 3339 in
// UTC ("2020-05-26T17:11:22Z"), with fractional seconds only when they are
// not zero. Input may carry any RFC 3339 offset; it is kept as the same
// instant in UTC. The zero Timestamp is JSON null.
type Timestamp struct {
	time.Time
}

// TimestampOf returns t as a Timestamp in UTC.
func TimestampOf(t time.Time) Timestamp { return Timestamp{t.UTC()} }

// ParseTimestamp parses an RFC 3339 timestamp.
func ParseTimestamp(s string) (Timestamp, error) {
	if t, ok := parseUTC(s, 'T', "Z"); ok {
		return Timestamp{t}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return Timestamp{}, fmt.Errorf("parsing timestamp %q: want RFC 3339 such as 2020-05-26T17:11:22Z", s)
	}
	return Timestamp{t.UTC()}, nil
}

// String returns the RFC 3339 form, or "" for the zero Timestamp.
func (t Timestamp) String() string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// AppendJSON appends the timestamp as a JSON string, or null when zero.
func (t Timestamp) AppendJSON(b []byte) []byte {
	if t.IsZero() {
		return append(b, "null"...)
	}
	b = append(b, '"')
	b = t.UTC().AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

// MarshalJSON encodes the timestamp as an RFC 3339 string, or null.
func (t Timestamp) MarshalJSON() ([]byte, error) { return t.AppendJSON(nil), nil }

// UnmarshalJSON accepts an RFC 3339 string or null.
func (t *Timestamp) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		*t = Timestamp{}
		return nil
	}
	if len(data) < 2 || data[0] != '"' || data[len(data)-1] != '"' {
		return fmt.Errorf("expected an RFC 3339 string, got %s", truncate(data, 32))
	}
	if v, ok := parseUTC(data[1:len(data)-1], 'T', "Z"); ok {
		*t = Timestamp{v}
		return nil
	}
	v, err := ParseTimestamp(string(data[1 : len(data)-1]))
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// Value implements driver.Valuer: NULL for the zero Timestamp.
func (t Timestamp) Value() (driver.Value, error) {
	if t.IsZero() {
		return nil, nil
	}
	return t.UTC(), nil
}

// Scan implements sql.Scanner.
func (t *Timestamp) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*t = Timestamp{}
	case time.Time:
		*t = Timestamp{v.UTC()}
	case string:
		return t.scanText(v)
	case []byte:
		return t.scanText(string(v))
	default:
		return fmt.Errorf("scanning timestamp: unsupported type %T", src)
	}
	return nil
}

// storedLayout is how the SQLite driver stores a time.Time: its String
// form, in UTC for every time Kontor stores.
const storedLayout = "2006-01-02 15:04:05.999999999 -0700 MST"

func (t *Timestamp) scanText(s string) error {
	if v, ok := parseUTC(s, ' ', " +0000 UTC"); ok {
		*t = Timestamp{v}
		return nil
	}
	if i := strings.Index(s, " m="); i > 0 {
		s = s[:i] // a monotonic clock reading written by time.Time.String
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999Z07:00", storedLayout, "2006-01-02 15:04:05"} {
		if v, err := time.Parse(layout, s); err == nil {
			*t = Timestamp{v.UTC()}
			return nil
		}
	}
	return fmt.Errorf("scanning timestamp: cannot parse %q", s)
}

// Equal reports whether t and u are the same instant.
func (t Timestamp) Equal(u Timestamp) bool { return t.Time.Equal(u.Time) }

// parseUTC parses the common case of a timestamp quickly:
// "2006-01-02" sep "15:04:05", optionally "." and 1 to 9 digits of
// fractions, then utc, which must denote UTC ("Z" in RFC 3339, " +0000 UTC"
// in the stored form). ok is false for anything else, which the caller
// then hands to time.Parse; whatever parseUTC accepts, time.Parse reads as
// the same instant.
func parseUTC[T string | []byte](s T, sep byte, utc string) (t time.Time, ok bool) {
	const prefix = len("2006-01-02T15:04:05")
	if len(s) < prefix+len(utc) {
		return time.Time{}, false
	}
	for i, end := 0, len(s)-len(utc); i < len(utc); i++ {
		if s[end+i] != utc[i] {
			return time.Time{}, false
		}
	}
	if s[4] != '-' || s[7] != '-' || s[10] != sep || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	num := func(i, n int) int {
		v := 0
		for j := i; j < i+n; j++ {
			c := s[j]
			if c < '0' || c > '9' {
				return -1
			}
			v = v*10 + int(c-'0')
		}
		return v
	}
	year, month, day := num(0, 4), num(5, 2), num(8, 2)
	hour, minute, second := num(11, 2), num(14, 2), num(17, 2)
	if year < 0 || month < 1 || month > 12 || day < 1 || day > daysIn(time.Month(month), year) ||
		hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 {
		return time.Time{}, false
	}
	nsec := 0
	if frac := len(s) - len(utc) - prefix; frac > 0 {
		if frac < 2 || frac > 10 || s[prefix] != '.' {
			return time.Time{}, false
		}
		digits := frac - 1
		if nsec = num(prefix+1, digits); nsec < 0 {
			return time.Time{}, false
		}
		for range 9 - digits {
			nsec *= 10
		}
	}
	return time.Date(year, time.Month(month), day, hour, minute, second, nsec, time.UTC), true
}

// daysIn returns the number of days of a month.
func daysIn(m time.Month, year int) int {
	if m == time.February {
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	}
	return 30 + int((0b1010110101010>>m)&1) // 31 in January, March, May, July, August, October, December
}
