package finformat

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kontor-dev/kontor"
)

// maxFraction is the most decimal places an amount may have; more would be
// rounded, and amounts are never rounded.
const maxFraction = 19

// parseSwiftAmount parses a SWIFT amount: digits with a decimal comma and no
// thousands separators ("1234,56", "100,"). The comma may be missing.
func parseSwiftAmount(s string) (kontor.Amount, error) {
	if s == "" {
		return kontor.Amount{}, errors.New("empty amount")
	}
	comma := strings.IndexByte(s, ',')
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) && i != comma {
			return kontor.Amount{}, fmt.Errorf("amount %s: want digits with a decimal comma", quote(s))
		}
	}
	if comma == 0 && len(s) == 1 {
		return kontor.Amount{}, fmt.Errorf("amount %s has no digits", quote(s))
	}
	if comma >= 0 && len(s)-comma-1 > maxFraction {
		return kontor.Amount{}, fmt.Errorf("amount %s has more than %d decimal places", quote(s), maxFraction)
	}
	return kontor.ParseAmount(strings.Replace(s, ",", ".", 1))
}

// formatSwiftAmount writes a non-negative amount with a decimal comma,
// keeping its scale ("12,50", "100,").
func formatSwiftAmount(a kontor.Amount) string {
	s := a.Abs().String()
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return s[:i] + "," + s[i+1:]
	}
	return s + ","
}

// parseXMLAmount parses an ISO 20022 amount ("1234.56"). Negative amounts
// are refused: the sign is always carried by a separate indicator.
func parseXMLAmount(s string) (kontor.Amount, error) {
	if s == "" {
		return kontor.Amount{}, errors.New("empty amount")
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) && s[i] != '.' {
			return kontor.Amount{}, fmt.Errorf("amount %s: want digits with a decimal point", quote(s))
		}
	}
	if i := strings.IndexByte(s, '.'); i >= 0 && len(s)-i-1 > maxFraction {
		return kontor.Amount{}, fmt.Errorf("amount %s has more than %d decimal places", quote(s), maxFraction)
	}
	return kontor.ParseAmount(s)
}

// pivotYear is the century rule for two-digit years: 80–99 are 1980–1999,
// 00–79 are 2000–2079. It is fixed rather than relative to today, so that
// parsing never depends on the clock.
const pivotYear = 80

// fullYear expands a two-digit year.
func fullYear(yy int) int {
	if yy >= pivotYear {
		return 1900 + yy
	}
	return 2000 + yy
}

// shortYearOK reports whether a year can be written with two digits under
// the century rule.
func shortYearOK(year int) bool {
	return year >= 1900+pivotYear && year < 2000+pivotYear
}

// atoi2 converts two ASCII digits.
func atoi2(s string) int { return int(s[0]-'0')*10 + int(s[1]-'0') }

// date returns the calendar day, or false when it does not exist.
func date(year, month, day int) (time.Time, bool) {
	if month < 1 || month > 12 || day < 1 || day > 31 {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if t.Day() != day {
		return time.Time{}, false
	}
	return t, true
}

// parseYYMMDD parses a SWIFT date such as "250310".
func parseYYMMDD(s string) (time.Time, error) {
	if len(s) != 6 || !isDigits(s) {
		return time.Time{}, fmt.Errorf("date %s: want YYMMDD", quote(s))
	}
	t, ok := date(fullYear(atoi2(s)), atoi2(s[2:]), atoi2(s[4:]))
	if !ok {
		return time.Time{}, fmt.Errorf("date %s does not exist", quote(s))
	}
	return t, nil
}

// parseYYYYMMDD parses a date such as "20250310".
func parseYYYYMMDD(s string) (time.Time, error) {
	if len(s) != 8 || !isDigits(s) {
		return time.Time{}, fmt.Errorf("date %s: want YYYYMMDD", quote(s))
	}
	t, ok := date(atoi2(s)*100+atoi2(s[2:]), atoi2(s[4:]), atoi2(s[6:]))
	if !ok {
		return time.Time{}, fmt.Errorf("date %s does not exist", quote(s))
	}
	return t, nil
}

// formatYYMMDD writes a SWIFT date; the year must fit the century rule.
func formatYYMMDD(t time.Time) (string, error) {
	if !shortYearOK(t.Year()) {
		return "", fmt.Errorf("year %d cannot be written with two digits (%d–%d)", t.Year(), 1900+pivotYear, 1999+pivotYear)
	}
	return t.Format("060102"), nil
}

// entryDate resolves an MMDD entry date against its value date: of the
// years around the value date's, it takes the one that puts the entry date
// nearest to the value date, so that 31 Dec and 2 Jan are two days apart.
func entryDate(mmdd string, value time.Time) (time.Time, error) {
	if len(mmdd) != 4 || !isDigits(mmdd) {
		return time.Time{}, fmt.Errorf("entry date %s: want MMDD", quote(mmdd))
	}
	m, d := atoi2(mmdd), atoi2(mmdd[2:])
	var best time.Time
	var bestDist time.Duration
	for _, y := range []int{value.Year(), value.Year() - 1, value.Year() + 1} {
		t, ok := date(y, m, d)
		if !ok {
			continue
		}
		dist := t.Sub(value)
		if dist < 0 {
			dist = -dist
		}
		if best.IsZero() || dist < bestDist {
			best, bestDist = t, dist
		}
	}
	if best.IsZero() {
		return time.Time{}, fmt.Errorf("entry date %s does not exist", quote(mmdd))
	}
	return best, nil
}

// day returns t's calendar day at midnight UTC.
func day(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// timestamp turns a day into a kontor.Timestamp, keeping zero as zero.
func timestamp(t time.Time) kontor.Timestamp {
	if t.IsZero() {
		return kontor.Timestamp{}
	}
	return kontor.TimestampOf(t)
}
