package kontor

import (
	"encoding/json"
	"testing"
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
