package main

import (
	"bytes"
	"context"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/kontor-dev/kontor/internal/testdb"
)

// TestSmoke runs every scenario with tiny sizes on SQLite, and on
// PostgreSQL when KONTOR_TEST_POSTGRES is set, so that breakage of the
// suite shows up in CI without running the full benchmark. It checks that
// the report has every row; the figures themselves are not asserted.
func TestSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server; skipped with -short")
	}
	args := []string{
		"-import-tx", "300", "-import-runs", "1",
		"-read-tx", "100", "-read-clients", "2", "-read-duration", "300ms",
		"-mix-tx", "5", "-mix-clients", "4", "-mix-duration", "500ms",
		"-scale-users", "5,40", "-scale-tx", "10", "-scale-user-tx", "3", "-scale-requests", "10",
		"-warmup", "100ms",
	}
	backends := []string{"sqlite"}
	pg := os.Getenv(testdb.PostgresEnv)
	if pg != "" {
		args = append(args, "-postgres", pg)
		backends = append(backends, "postgres")
	} else {
		t.Logf("PostgreSQL part skipped: set %s to run it", testdb.PostgresEnv)
	}
	var stdout, stderr bytes.Buffer
	getenv := func(string) string { return "" }
	if err := run(context.Background(), args, getenv, &stdout, &stderr); err != nil {
		t.Fatalf("kontor-bench: %v\n%s", err, stderr.String())
	}
	report := stdout.String()
	t.Log("\n" + report)
	for _, backend := range backends {
		for _, scenario := range []string{"Import 300 tx: time", "Import 300 tx: server peak RSS", "Read 100 tx, 2 clients: throughput",
			"API mix, 4 clients, 500ms: throughput", "API mix, 4 clients, 500ms: latency p50 / p99", "Scale: Get Logins p50, 40 vs 5 users"} {
			if !strings.Contains(report, "| "+scenario+" | "+backend+" |") {
				t.Errorf("the report has no row %q on %s", scenario, backend)
			}
		}
	}
	for _, backend := range backends {
		if !regexp.MustCompile(`mix/` + backend + `: .*; analyses when the load ended: (done|pending|running)`).MatchString(report) {
			t.Errorf("the mix on %s does not report its analysis queue", backend)
		}
	}
	if pg != "" && !regexp.MustCompile(`mix/postgres database floor .*: [0-9,]+ req/s`).MatchString(report) {
		t.Error("the report has no database floor of the mix on PostgreSQL")
	}
	if !strings.Contains(report, "Machine: ") {
		t.Error("the report does not name the machine")
	}
}

// TestFlags checks the flag validation.
func TestFlags(t *testing.T) {
	none := func(string) string { return "" }
	for _, args := range [][]string{
		{"-scenarios", "nope"},
		{"-backends", "postgres"},
		{"-scale-users", "1000"},
		{"-scale-users", "100000,1000"},
		{"-import-tx", "0"},
		{"extra"},
	} {
		if _, err := parseFlags(args, none, &bytes.Buffer{}); err == nil {
			t.Errorf("parseFlags(%q) = nil error", args)
		}
	}
	cfg, err := parseFlags(nil, func(k string) string {
		if k == "KONTOR_BENCH_POSTGRES" {
			return "postgres://x@127.0.0.1/db"
		}
		return ""
	}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(cfg.backends, ",") != "sqlite,postgres" || strings.Join(cfg.scenarios, ",") != "import,read,mix,scale" {
		t.Errorf("defaults: backends %v, scenarios %v", cfg.backends, cfg.scenarios)
	}
}

// TestCount checks the number formatting of the report.
func TestCount(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 100000: "100,000", 1234567: "1,234,567"} {
		if got := count(n); got != want {
			t.Errorf("count(%d) = %q, want %q", n, got, want)
		}
	}
}
