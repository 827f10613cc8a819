package wire

import (
	"errors"
	"testing"
	"time"

	"github.com/kontor-dev/kontor"
)

func TestAmount(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"100,", "100"},
		{"0,5", "0.5"},
		{"4567,89", "4567.89"},
		{"1234,50", "1234.50"},
		{"12", "12"},
		{",5", "0.5"},
		{"-12,5", "-12.5"},
		{"99999999999999,99", "99999999999999.99"},
	}
	for _, tt := range tests {
		got, err := Value{Data: []byte(tt.in)}.Amount()
		if err != nil {
			t.Errorf("Amount(%q): %v", tt.in, err)
			continue
		}
		if got.String() != tt.want {
			t.Errorf("Amount(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
	for _, bad := range []string{"", ",", "1.5", "1,2,3", "abc", "1e3", "--1", "12 ,5"} {
		if _, err := (Value{Data: []byte(bad)}).Amount(); err == nil {
			t.Errorf("Amount(%q) succeeded", bad)
		}
	}
}

func TestAmountFormat(t *testing.T) {
	tests := []struct{ in, want string }{
		{"100", "100,"},
		{"100.00", "100,"},
		{"12.50", "12,5"},
		{"0.5", "0,5"},
		{"1523.17", "1523,17"},
		{"0", "0,"},
	}
	for _, tt := range tests {
		got := string(Amount(kontor.MustParseAmount(tt.in)).Data)
		if got != tt.want {
			t.Errorf("Amount(%s) = %q, want %q", tt.in, got, tt.want)
		}
		back, err := Value{Data: []byte(got)}.Amount()
		if err != nil || !back.Equal(kontor.MustParseAmount(tt.in)) {
			t.Errorf("round trip of %s: %v, %v", tt.in, back, err)
		}
	}
}

func TestIntBoolDateTime(t *testing.T) {
	if n, err := (Value{Data: []byte("0042")}).Int(); err != nil || n != 42 {
		t.Errorf("Int = %d, %v", n, err)
	}
	if _, err := (Value{}).Int(); !errors.Is(err, ErrMissing) {
		t.Errorf("Int of empty: %v", err)
	}
	for _, bad := range []string{"4x", "-1", "1234567890123456789"} {
		if _, err := (Value{Data: []byte(bad)}).Int(); err == nil {
			t.Errorf("Int(%q) succeeded", bad)
		}
	}
	if b, err := (Value{Data: []byte("J")}).Bool(); err != nil || !b {
		t.Errorf("Bool(J) = %v, %v", b, err)
	}
	if b, err := (Value{}).Bool(); err != nil || b {
		t.Errorf("Bool() = %v, %v", b, err)
	}
	if _, err := (Value{Data: []byte("X")}).Bool(); err == nil {
		t.Error("Bool(X) succeeded")
	}
	d, err := Value{Data: []byte("20250310")}.Date()
	if err != nil || !d.Equal(time.Date(2025, 3, 10, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Date = %v, %v", d, err)
	}
	for _, bad := range []string{"2025031", "20251310", "2025-03-10"} {
		if _, err := (Value{Data: []byte(bad)}).Date(); err == nil {
			t.Errorf("Date(%q) succeeded", bad)
		}
	}
	dt, err := DateTime(Value{Data: []byte("20250310")}, Value{Data: []byte("134501")}, nil)
	if err != nil || !dt.Equal(time.Date(2025, 3, 10, 13, 45, 1, 0, time.UTC)) {
		t.Errorf("DateTime = %v, %v", dt, err)
	}
	for _, bad := range []string{"2460", "246000", "12a000"} {
		if _, err := (Value{Data: []byte(bad)}).Clock(); err == nil {
			t.Errorf("Clock(%q) succeeded", bad)
		}
	}
	ts := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	if string(Date(ts).Data) != "20250102" || string(Time(ts).Data) != "030405" {
		t.Errorf("Date/Time = %s %s", Date(ts).Data, Time(ts).Data)
	}
	if string(Dig(42, 12).Data) != "000000000042" || string(Num(7).Data) != "7" {
		t.Error("Dig/Num")
	}
}
