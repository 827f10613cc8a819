package kontor

import (
	"encoding/json"
	"testing"
	"time"
)

func TestTimestampJSON(t *testing.T) {
	for in, out := range map[string]string{
		`"2020-05-26T17:11:22Z"`:          `"2020-05-26T17:11:22Z"`,
		`"2020-05-26T19:11:22+02:00"`:     `"2020-05-26T17:11:22Z"`,
		`"2020-05-26T17:11:22.250Z"`:      `"2020-05-26T17:11:22.25Z"`,
		`null`:                            `null`,
		`"2020-12-31T23:59:59.999-01:00"`: `"2021-01-01T00:59:59.999Z"`,
	} {
		var ts Timestamp
		if err := json.Unmarshal([]byte(in), &ts); err != nil {
			t.Errorf("Unmarshal(%s): %v", in, err)
			continue
		}
		if b, _ := json.Marshal(ts); string(b) != out {
			t.Errorf("%s -> %s, want %s", in, b, out)
		}
	}
	for _, bad := range []string{`"26.05.2020"`, `"2020-05-26"`, `1590513082`, `"2020-13-01T00:00:00Z"`, `""`, `true`} {
		var ts Timestamp
		if err := json.Unmarshal([]byte(bad), &ts); err == nil {
			t.Errorf("Unmarshal(%s) = %v, want an error", bad, ts)
		}
	}
}

func TestTimestampScan(t *testing.T) {
	var ts Timestamp
	for _, s := range []string{"2020-05-26 17:11:22+00:00", "2020-05-26T17:11:22Z", "2020-05-26 19:11:22.5+02:00"} {
		if err := ts.Scan(s); err != nil || ts.UTC().Hour() != 17 {
			t.Errorf("Scan(%q) = %v, %v", s, ts, err)
		}
	}
	if err := ts.Scan(nil); err != nil || !ts.IsZero() {
		t.Errorf("Scan(nil) = %v, %v", ts, err)
	}
	if err := ts.Scan(42); err == nil {
		t.Error("Scan(42) succeeded")
	}
}

// TestParseUTC checks the fast path against time.Parse: whatever it
// accepts, time.Parse reads as the same instant, and it accepts nothing
// time.Parse rejects.
func TestParseUTC(t *testing.T) {
	for _, s := range []string{
		"2020-05-26T17:11:22Z", "2020-05-26T17:11:22.5Z", "2020-05-26T17:11:22.123456789Z", "2024-02-29T00:00:00Z",
		"0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "2020-05-26T17:11:22.Z", "2020-05-26T17:11:22.1234567890Z",
		"2023-02-29T00:00:00Z", "2020-04-31T00:00:00Z", "2020-00-10T00:00:00Z", "2020-05-26T24:00:00Z", "2020-05-26T23:60:00Z",
		"2020-05-26T23:59:60Z", "2020-05-26t17:11:22Z", "2020-05-26T17:11:22z", "2020-05-26T17:11:22+00:00", "2020-5-26T17:11:22Z",
		"2020-05-26T17:11:2xZ", "-020-05-26T17:11:22Z", "2020-05-26T17:11:22,5Z", "2020-05-26 17:11:22Z", "",
	} {
		checkParseUTC(t, s)
	}
}

func checkParseUTC(t *testing.T, s string) {
	t.Helper()
	want, werr := time.Parse(time.RFC3339Nano, s)
	got, ok := parseUTC(s, 'T', "Z")
	if ok && (werr != nil || !got.Equal(want) || got.Location() != time.UTC) {
		t.Errorf("parseUTC(%q) = %v; time.Parse = %v, %v", s, got, want, werr)
	}
	if ts, err := ParseTimestamp(s); (err == nil) != (werr == nil) || (err == nil && !ts.Time.Equal(want)) {
		t.Errorf("ParseTimestamp(%q) = %v, %v; time.Parse = %v, %v", s, ts, err, want, werr)
	}
}

// FuzzParseUTC compares the fast path with time.Parse on any input.
func FuzzParseUTC(f *testing.F) {
	f.Add("2020-05-26T17:11:22Z")
	f.Add("2020-05-26T17:11:22.123456789Z")
	f.Add("2024-02-29T23:59:59.5Z")
	f.Fuzz(func(t *testing.T, s string) { checkParseUTC(t, s) })
}

// TestTimestampScanStored reads what the SQLite driver stores for a
// time.Time: its String form.
func TestTimestampScanStored(t *testing.T) {
	for _, want := range []time.Time{
		time.Date(2020, 5, 26, 17, 11, 22, 0, time.UTC),
		time.Date(2020, 5, 26, 17, 11, 22, 250_000_000, time.UTC),
		time.Date(1999, 12, 31, 23, 59, 59, 1, time.UTC),
		time.Date(2020, 5, 26, 19, 11, 22, 0, time.FixedZone("CEST", 2*3600)),
		time.Now(), // with a monotonic clock reading
	} {
		var ts Timestamp
		if err := ts.Scan(want.String()); err != nil || !ts.Time.Equal(want) || ts.Location() != time.UTC {
			t.Errorf("Scan(%q) = %v, %v", want.String(), ts, err)
		}
	}
}

// TestTimestampAllocs checks that decoding a UTC timestamp allocates
// nothing.
func TestTimestampAllocs(t *testing.T) {
	data := []byte(`"2020-05-26T17:11:22.25Z"`)
	var ts Timestamp
	if n := testing.AllocsPerRun(100, func() { ts.UnmarshalJSON(data) }); n != 0 {
		t.Errorf("UnmarshalJSON allocates %v times", n)
	}
	if n := testing.AllocsPerRun(100, func() { ts.Scan("2020-05-26 17:11:22 +0000 UTC") }); n != 0 {
		t.Errorf("Scan allocates %v times", n)
	}
}

// TestDaysIn checks the month lengths against the time package.
func TestDaysIn(t *testing.T) {
	for _, year := range []int{1900, 1999, 2000, 2023, 2024, 2100, 2400} {
		for m := time.January; m <= time.December; m++ {
			if got, want := daysIn(m, year), time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day(); got != want {
				t.Errorf("daysIn(%v, %d) = %d, want %d", m, year, got, want)
			}
		}
	}
}
