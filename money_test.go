package kontor

import (
	"encoding/json"
	"math/big"
	"strings"
	"testing"
)

func TestAmountJSONKeepsDigits(t *testing.T) {
	for in, out := range map[string]string{
		"24.99": "24.99", "200": "200", "0": "0", "0.10": "0.10", "-5.5": "-5.5", "1.23": "1.23",
		"1e3": "1000", "2004.41": "2004.41", "-0.01": "-0.01", "99999999999999999.99": "99999999999999999.99",
	} {
		var a Amount
		if err := json.Unmarshal([]byte(in), &a); err != nil {
			t.Errorf("Unmarshal(%s): %v", in, err)
			continue
		}
		b, err := json.Marshal(a)
		if err != nil || string(b) != out {
			t.Errorf("%s round-trips to %s (%v), want %s", in, b, err, out)
		}
	}
}

func TestAmountRejects(t *testing.T) {
	for _, in := range []string{`"24.99"`, `true`, `null`, `{}`, `[]`, `"x"`, `1234567890.12345678901234`, `1e400`, `123456789012345678901`} {
		var a Amount
		if err := json.Unmarshal([]byte(in), &a); err == nil {
			t.Errorf("Unmarshal(%s) = %s, want an error", in, a)
		}
	}
}

func TestAmountSumIsExact(t *testing.T) {
	// A million times 0.10 is 100000.00 exactly; in float64 it is not.
	var sum Amount
	dime := MustParseAmount("0.10")
	var err error
	for range 1_000_000 {
		if sum, err = sum.Add(dime); err != nil {
			t.Fatal(err)
		}
	}
	if sum.String() != "100000.00" {
		t.Fatalf("sum = %s, want 100000.00", sum)
	}
	var f float64
	for range 1_000_000 {
		f += 0.10
	}
	if f == 100000 {
		t.Log("float64 happened to be exact too")
	}
}

func TestAmountCents(t *testing.T) {
	for in, want := range map[string]int64{"24.99": 2499, "-0.015": -2, "200": 20000, "0.005": 0} {
		if got, ok := MustParseAmount(in).Cents(); !ok || got != want {
			t.Errorf("Cents(%s) = %d, %v; want %d", in, got, ok, want)
		}
	}
}

// FuzzAmount checks that any number the decoder accepts comes back with
// exactly the same value, and that nothing panics.
func FuzzAmount(f *testing.F) {
	for _, s := range []string{"24.99", "-0.10", "1e3", "0", "99999999999999999.99", "1.2E-5", `"1"`, "-", "1e-400"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var a Amount
		if err := a.UnmarshalJSON([]byte(s)); err != nil {
			return
		}
		want, ok := new(big.Rat).SetString(strings.TrimSpace(s))
		if !ok {
			t.Fatalf("accepted %q, which is not a number", s)
		}
		got, _ := new(big.Rat).SetString(a.String())
		if got.Cmp(want) != 0 {
			t.Fatalf("%q decoded to %s", s, a)
		}
		var back Amount
		if err := json.Unmarshal(a.AppendJSON(nil), &back); err != nil || back.String() != a.String() {
			t.Fatalf("%s does not round-trip: %v", a, err)
		}
	})
}

// TestAmountAllocs checks that decoding and appending a plain amount
// allocate nothing.
func TestAmountAllocs(t *testing.T) {
	data := []byte("-1234.56")
	var a Amount
	if n := testing.AllocsPerRun(100, func() { a.UnmarshalJSON(data) }); n != 0 {
		t.Errorf("UnmarshalJSON allocates %v times", n)
	}
	buf := make([]byte, 0, 64)
	if n := testing.AllocsPerRun(100, func() { buf = a.AppendJSON(buf[:0]) }); n != 0 {
		t.Errorf("AppendJSON allocates %v times", n)
	}
	if string(buf) != "-1234.56" {
		t.Errorf("AppendJSON = %s", buf)
	}
}
