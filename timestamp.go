package kontor

import (
	"database/sql/driver"
	"fmt"
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

func (t *Timestamp) scanText(s string) error {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05"} {
		if v, err := time.Parse(layout, s); err == nil {
			*t = Timestamp{v.UTC()}
			return nil
		}
	}
	return fmt.Errorf("scanning timestamp: cannot parse %q", s)
}

// Equal reports whether t and u are the same instant.
func (t Timestamp) Equal(u Timestamp) bool { return t.Time.Equal(u.Time) }
