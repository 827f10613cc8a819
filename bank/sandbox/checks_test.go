package sandbox

import (
	"testing"
	"time"
)

func TestIBAN(t *testing.T) {
	// The standard German example IBAN.
	if got := germanIBAN("37040044", "0532013000"); got != "DE89370400440532013000" {
		t.Errorf("germanIBAN = %s, want DE89370400440532013000", got)
	}
	for _, s := range []string{"DE89370400440532013000", "DE83701999010000002000", germanIBAN(BankCode, "0000000001")} {
		if !validIBAN(s) {
			t.Errorf("validIBAN(%s) = false", s)
		}
	}
	for _, s := range []string{
		"DE88370400440532013000", // wrong check digits
		"DE89370400440532013001", // changed account
		"DE8937040044053201300",  // too short for Germany
		"de89370400440532013000", // lower case
		"DE64100200007791587578", // the finoOS example, whose check digits are wrong
		"",
	} {
		if validIBAN(s) {
			t.Errorf("validIBAN(%s) = true", s)
		}
	}
}

func TestCreditorID(t *testing.T) {
	// The Bundesbank's example creditor identifier.
	if got := germanCreditorID("09999999999"); got != "DE98ZZZ09999999999" {
		t.Errorf("germanCreditorID = %s, want DE98ZZZ09999999999", got)
	}
	if !validCreditorID("DE98ZZZ09999999999") {
		t.Error("validCreditorID(DE98ZZZ09999999999) = false")
	}
	// The business code is not part of the check.
	if !validCreditorID("DE98ABC09999999999") {
		t.Error("validCreditorID ignores the business code")
	}
	for _, s := range []string{"DE97ZZZ09999999999", "DE98ZZZ09999999998", "DE97ZZZ12345678901", ""} {
		if validCreditorID(s) {
			t.Errorf("validCreditorID(%s) = true", s)
		}
	}
	for _, name := range []string{credAllianz, credTelekom, credBroadcast, "RheinEnergie AG"} {
		if id := creditorOf(name); !validCreditorID(id) || len(id) != 18 || id[4:7] != "ZZZ" {
			t.Errorf("creditorOf(%q) = %s", name, id)
		}
	}
}

func TestISIN(t *testing.T) {
	for _, s := range []string{"IE00B4L5Y983", "US0378331005", "DE0007164600", "DE0008404005", "US5949181045", "DE0005557508", "DE0007236101", "IE00B3RBWM25"} {
		if !validISIN(s) {
			t.Errorf("validISIN(%s) = false", s)
		}
	}
	for _, s := range []string{"US0378331006", "IE00B4L5Y984", "DE000716460", "1E00B4L5Y983", ""} {
		if validISIN(s) {
			t.Errorf("validISIN(%s) = true", s)
		}
	}
	for _, s := range securities {
		if !validISIN(s.isin) {
			t.Errorf("catalogue ISIN %s is invalid", s.isin)
		}
	}
}

func TestCalendar(t *testing.T) {
	for year, want := range map[int]string{2018: "2018-04-01", 2024: "2024-03-31", 2025: "2025-04-20", 2026: "2026-04-05", 2027: "2027-03-28"} {
		if got := easterSunday(year).Format(time.DateOnly); got != want {
			t.Errorf("Easter %d = %s, want %s", year, got, want)
		}
	}
	info := func(s string) dayInfo {
		t.Helper()
		tm, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return dayOf(tm).info()
	}
	for date, want := range map[string][2]bool{ // bank day, shop day
		"2025-12-24": {false, true},  // Wednesday, Christmas Eve
		"2025-12-25": {false, false}, // Christmas
		"2025-12-23": {true, true},
		"2026-04-03": {false, false}, // Good Friday
		"2026-04-06": {false, false}, // Easter Monday
		"2026-05-14": {false, false}, // Ascension
		"2026-05-25": {false, false}, // Whit Monday
		"2026-10-03": {false, false}, // Saturday, but Unity Day: shops closed
		"2026-11-21": {false, true},  // Saturday
		"2026-11-22": {false, false}, // Sunday
		"2026-11-23": {true, true},
	} {
		i := info(date)
		if i.bankDay != want[0] || i.shopDay != want[1] {
			t.Errorf("%s: bank day %v, shop day %v; want %v", date, i.bankDay, i.shopDay, want)
		}
	}
	d := dayOf(time.Date(2025, 12, 24, 0, 0, 0, 0, time.UTC))
	if got := nextBankDay(d).date().Format(time.DateOnly); got != "2025-12-29" {
		t.Errorf("next bank day after 24 December 2025 = %s", got)
	}
	if got := dayOfMonth(dayOf(time.Date(2026, 2, 10, 0, 0, 0, 0, time.UTC)), 31).date().Format(time.DateOnly); got != "2026-02-28" {
		t.Errorf("dayOfMonth(February, 31) = %s", got)
	}
	if !info("2026-02-28").monthEnd || info("2026-02-27").monthEnd {
		t.Error("monthEnd is wrong")
	}
	if d := dayOf(time.Date(2017, 12, 31, 23, 0, 0, 0, time.UTC)); d != -1 {
		t.Errorf("dayOf(31 December 2017) = %d, want -1", d)
	}
	if d := dayOf(time.Date(2018, 1, 1, 23, 59, 0, 0, time.FixedZone("x", -3600))); d != 1 {
		t.Errorf("dayOf uses the UTC date: got %d, want 1", d)
	}
}

func TestStableHelpers(t *testing.T) {
	if a, b := stableID("a", "b"), stableID("a", "b"); a != b || len(a) != 24 {
		t.Errorf("stableID not stable: %s %s", a, b)
	}
	if stableID("ab", "c") == stableID("a", "bc") {
		t.Error("stableID parts run together")
	}
	if d := digits(10, "x"); len(d) != 10 || d[0] == '0' {
		t.Errorf("digits = %q", d)
	}
	for _, tc := range []struct {
		units int64
		scale int
		want  string
	}{{10850, 4, "1.0850"}, {130466, 3, "130.466"}, {5, 3, "0.005"}, {-5, 2, "-0.05"}, {42, 0, "42"}} {
		if got := fixed(tc.units, tc.scale).String(); got != tc.want {
			t.Errorf("fixed(%d, %d) = %s, want %s", tc.units, tc.scale, got, tc.want)
		}
	}
}
