package kontor

import (
	"bytes"
	"database/sql/driver"
	"fmt"
	"math/big"

	"github.com/govalues/decimal"
)

// Amount is an exact decimal amount of money (or a quantity, price or rate).
// It never passes through float64: an amount that comes in as 24.99 is
// stored as 24.99 and goes out as 24.99, with the scale it came with, and
// sums are exact. Up to 19 significant digits are held; a value that would
// need more is rejected rather than rounded.
//
// In JSON an Amount is a number (never a string), as in the finoOS API.
type Amount struct {
	d decimal.Decimal
}

// ParseAmount parses a decimal number such as "24.99", "-5", "1e3" or
// "0.10". It fails on anything that is not a number and on numbers that
// cannot be held exactly.
func ParseAmount(s string) (Amount, error) {
	d, err := decimal.Parse(s)
	if err != nil {
		return Amount{}, fmt.Errorf("parsing amount %q: %w", s, err)
	}
	if !exact(d, s) {
		return Amount{}, fmt.Errorf("amount %q has more than %d significant digits", s, decimal.MaxPrec)
	}
	return Amount{d}, nil
}

// MustParseAmount is ParseAmount for constants; it panics on error.
func MustParseAmount(s string) Amount {
	a, err := ParseAmount(s)
	if err != nil {
		panic(err)
	}
	return a
}

// AmountFromCents returns the amount cents/100, with scale 2.
func AmountFromCents(cents int64) Amount {
	return Amount{decimal.MustNew(cents, 2)}
}

// exact reports whether d equals the number written in s, i.e. whether
// parsing did not round.
func exact(d decimal.Decimal, s string) bool {
	if d.Prec() < decimal.MaxPrec && !bytes.ContainsAny([]byte(s), "eE") {
		return true // fewer digits than the limit: nothing was rounded
	}
	want, ok := new(big.Rat).SetString(s)
	if !ok {
		return false
	}
	got, ok := new(big.Rat).SetString(d.String())
	return ok && got.Cmp(want) == 0
}

// String returns the amount in plain decimal notation, keeping its scale
// ("24.99", "200", "0.10").
func (a Amount) String() string { return a.d.String() }

// IsZero reports whether the amount is zero.
func (a Amount) IsZero() bool { return a.d.IsZero() }

// Sign returns -1, 0 or +1.
func (a Amount) Sign() int { return a.d.Sign() }

// Neg returns -a.
func (a Amount) Neg() Amount { return Amount{a.d.Neg()} }

// Abs returns |a|.
func (a Amount) Abs() Amount { return Amount{a.d.Abs()} }

// Cmp compares a and b numerically: -1, 0 or +1.
func (a Amount) Cmp(b Amount) int { return a.d.Cmp(b.d) }

// Equal reports whether a and b are numerically equal (1.0 equals 1).
func (a Amount) Equal(b Amount) bool { return a.d.Cmp(b.d) == 0 }

// Add returns a+b exactly, or an error if the result cannot be held.
func (a Amount) Add(b Amount) (Amount, error) {
	d, err := a.d.Add(b.d)
	if err != nil {
		return Amount{}, fmt.Errorf("adding %s and %s: %w", a, b, err)
	}
	return Amount{d}, nil
}

// Sub returns a-b exactly, or an error if the result cannot be held.
func (a Amount) Sub(b Amount) (Amount, error) {
	d, err := a.d.Sub(b.d)
	if err != nil {
		return Amount{}, fmt.Errorf("subtracting %s from %s: %w", b, a, err)
	}
	return Amount{d}, nil
}

// Cents returns the amount in hundredths, rounding half to even beyond two
// decimal places; ok is false when it does not fit an int64.
func (a Amount) Cents() (cents int64, ok bool) {
	whole, frac, ok := a.d.Round(2).Int64(2)
	if !ok {
		return 0, false
	}
	return whole*100 + frac, true
}

// Decimal returns the underlying decimal for arithmetic the type does not
// offer.
func (a Amount) Decimal() decimal.Decimal { return a.d }

// AmountOf wraps a decimal as an Amount.
func AmountOf(d decimal.Decimal) Amount { return Amount{d} }

// AppendJSON appends the amount as a JSON number.
func (a Amount) AppendJSON(b []byte) []byte {
	b, _ = a.d.AppendText(b) // never fails
	return b
}

// MarshalJSON encodes the amount as a JSON number.
func (a Amount) MarshalJSON() ([]byte, error) {
	return a.AppendJSON(nil), nil
}

// UnmarshalJSON accepts a JSON number only: strings, booleans and null are
// type errors, so a wrongly typed amount is reported rather than guessed.
func (a *Amount) UnmarshalJSON(data []byte) error {
	if len(data) == 0 || !(data[0] == '-' || (data[0] >= '0' && data[0] <= '9')) {
		return &AmountTypeError{Value: string(truncate(data, 32))}
	}
	// The common case, fewer digits than the limit and no exponent, needs
	// no exactness check and no copy of data.
	var d decimal.Decimal
	if d.UnmarshalText(data) == nil && d.Prec() < decimal.MaxPrec && !bytes.ContainsAny(data, "eE") {
		*a = Amount{d}
		return nil
	}
	v, err := ParseAmount(string(data))
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// AmountTypeError reports a JSON value that is not a number where an amount
// was expected.
type AmountTypeError struct{ Value string }

func (e *AmountTypeError) Error() string {
	return fmt.Sprintf("expected a number, got %s", e.Value)
}

func truncate(b []byte, n int) []byte {
	if len(b) > n {
		return append(b[:n:n], "..."...)
	}
	return b
}

// Value implements driver.Valuer: amounts are stored as exact decimal text.
func (a Amount) Value() (driver.Value, error) { return a.d.String(), nil }

// Scan implements sql.Scanner for the text or numeric column an amount is
// stored in.
func (a *Amount) Scan(src any) error {
	var s string
	switch v := src.(type) {
	case string:
		s = v
	case []byte:
		s = string(v)
	case int64:
		*a = Amount{decimal.MustNew(v, 0)}
		return nil
	case nil:
		*a = Amount{}
		return nil
	default:
		return fmt.Errorf("scanning amount: unsupported type %T", src)
	}
	v, err := ParseAmount(s)
	if err != nil {
		return err
	}
	*a = v
	return nil
}
