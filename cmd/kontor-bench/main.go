// Command kontor-bench measures Kontor's main jobs side by side with the
// fastest way to do the same work on the same machine, and prints a
// markdown table of both figures, their ratio and the target.
//
// It builds the kontor binary, starts it as a separate process on a fresh
// SQLite file (and on a fresh PostgreSQL database when a URL is given) and
// drives it over HTTP on loopback. The baselines run in this process with
// the same database drivers and plain net/http handlers:
//
//	import  Set Logins of one login with -import-tx transactions, against
//	        inserting the same rows with one prepared statement in one
//	        transaction (SQLite) or COPY (PostgreSQL); also the server's peak
//	        memory against the request body's size.
//	read    Get Logins of a user with -read-tx transactions from
//	        -read-clients concurrent clients, against a plain handler that
//	        encodes the same data held in memory.
//	mix     token, create user, get user, Set Logins (-mix-tx transactions)
//	        and Get Logins from -mix-clients clients for -mix-duration,
//	        against a plain handler that answers JSON bodies of the same
//	        sizes.
//	scale   p50 latency of Get Logins of one user with the first and the
//	        last of -scale-users users in the database.
//
// Usage:
//
//	go run ./cmd/kontor-bench [-postgres URL] [-scenarios import,read,mix,scale] [flags]
//
// The exit status is 1 when the benchmark could not run; missed targets
// are reported in the table, not in the exit status.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "kontor-bench:", err)
		}
		os.Exit(1)
	}
}

// config holds the benchmark's settings.
type config struct {
	postgres  string
	backends  []string
	scenarios []string
	kontor    string // a prebuilt kontor binary; empty builds one
	pprofDir  string // where server CPU profiles go; empty for none
	out       string // a file that also receives the table
	verbose   bool

	importTx, importRuns int
	readTx, readClients  int
	readDuration         time.Duration
	mixTx, mixClients    int
	mixDuration          time.Duration
	scaleUsers           []int
	scaleTx, scaleUserTx int
	scaleRequests        int
	warmup               time.Duration
	serverGOMAXPROCS     int
	keepTemp             bool
	progress             io.Writer // verbose output, or io.Discard
}

var (
	allScenarios = []string{"import", "read", "mix", "scale"}
	allBackends  = []string{"sqlite", "postgres"}
)

// parseFlags reads the command line.
func parseFlags(args []string, getenv func(string) string, stderr io.Writer) (*config, error) {
	c := &config{}
	fs := flag.NewFlagSet("kontor-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var scenarios, backends, scaleUsers string
	fs.StringVar(&c.postgres, "postgres", getenv("KONTOR_BENCH_POSTGRES"), "PostgreSQL URL; the benchmark creates and drops databases of its own there (env KONTOR_BENCH_POSTGRES)")
	fs.StringVar(&backends, "backends", "", "comma-separated backends: sqlite, postgres (default: sqlite, and postgres when -postgres is set)")
	fs.StringVar(&scenarios, "scenarios", strings.Join(allScenarios, ","), "comma-separated scenarios: "+strings.Join(allScenarios, ", "))
	fs.StringVar(&c.kontor, "kontor", "", "kontor binary to run (default: build ./cmd/kontor)")
	fs.StringVar(&c.pprofDir, "pprof", "", "write CPU and allocation profiles of the server's measured phases to this directory")
	fs.StringVar(&c.out, "out", "", "also write the markdown report to this file")
	fs.BoolVar(&c.verbose, "v", false, "print progress and per-operation figures to stderr")
	fs.IntVar(&c.importTx, "import-tx", 100_000, "transactions of the imported login")
	fs.IntVar(&c.importRuns, "import-runs", 3, "import runs per backend; the median counts")
	fs.IntVar(&c.readTx, "read-tx", 10_000, "transactions of the user that is read")
	fs.IntVar(&c.readClients, "read-clients", 16, "concurrent clients of the read scenario")
	fs.DurationVar(&c.readDuration, "read-duration", 10*time.Second, "how long the read scenario runs")
	fs.IntVar(&c.mixTx, "mix-tx", 20, "transactions of each Set Logins in the API mix")
	fs.IntVar(&c.mixClients, "mix-clients", 64, "concurrent clients of the API mix")
	fs.DurationVar(&c.mixDuration, "mix-duration", 20*time.Second, "how long the API mix runs")
	fs.StringVar(&scaleUsers, "scale-users", "1000,100000", "comma-separated user counts of the scale scenario; the first is the baseline")
	fs.IntVar(&c.scaleTx, "scale-tx", 100, "transactions of the user read in the scale scenario")
	fs.IntVar(&c.scaleUserTx, "scale-user-tx", 10, "transactions of every other user in the scale scenario")
	fs.IntVar(&c.scaleRequests, "scale-requests", 1000, "Get Logins requests per user count in the scale scenario")
	fs.DurationVar(&c.warmup, "warmup", time.Second, "unmeasured warm-up before each timed load")
	fs.IntVar(&c.serverGOMAXPROCS, "server-gomaxprocs", 0, "GOMAXPROCS of the server process (default: the Go runtime's)")
	fs.BoolVar(&c.keepTemp, "keep", false, "keep the temporary directory (server logs, SQLite files) and the PostgreSQL databases")
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: kontor-bench [flags]\n\nRuns Kontor's benchmark suite and prints a markdown table.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	var err error
	if c.scenarios, err = list(scenarios, allScenarios, "scenario"); err != nil {
		return nil, err
	}
	if backends == "" {
		c.backends = []string{"sqlite"}
		if c.postgres != "" {
			c.backends = append(c.backends, "postgres")
		}
	} else if c.backends, err = list(backends, allBackends, "backend"); err != nil {
		return nil, err
	}
	if slices.Contains(c.backends, "postgres") && c.postgres == "" {
		return nil, errors.New("the postgres backend needs -postgres URL or KONTOR_BENCH_POSTGRES")
	}
	for _, s := range strings.Split(scaleUsers, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(strings.ReplaceAll(s, "_", "")))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("-scale-users: want positive whole numbers, got %q", s)
		}
		c.scaleUsers = append(c.scaleUsers, n)
	}
	if len(c.scaleUsers) < 2 || !slices.IsSorted(c.scaleUsers) {
		return nil, errors.New("-scale-users: want at least two counts in increasing order")
	}
	for name, n := range map[string]int{"-import-tx": c.importTx, "-import-runs": c.importRuns, "-read-tx": c.readTx,
		"-read-clients": c.readClients, "-mix-tx": c.mixTx, "-mix-clients": c.mixClients, "-scale-tx": c.scaleTx,
		"-scale-requests": c.scaleRequests} {
		if n < 1 {
			return nil, fmt.Errorf("%s must be at least 1", name)
		}
	}
	if c.kontor != "" && c.pprofDir != "" {
		return nil, errors.New("-pprof builds its own kontor binary; it cannot be combined with -kontor")
	}
	return c, nil
}

// list parses a comma-separated list of names out of known.
func list(s string, known []string, what string) ([]string, error) {
	var out []string
	for _, v := range strings.Split(s, ",") {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		if !slices.Contains(known, v) {
			return nil, fmt.Errorf("unknown %s %q (want %s)", what, v, strings.Join(known, ", "))
		}
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no %s given", what)
	}
	return out, nil
}

// run runs the benchmark suite and writes the report to stdout.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := parseFlags(args, getenv, stderr)
	if err != nil {
		return err
	}
	cfg.progress = io.Discard
	if cfg.verbose {
		cfg.progress = stderr
	}
	b, err := newBench(ctx, cfg)
	if err != nil {
		return err
	}
	defer b.close()

	started := time.Now()
	for _, backend := range cfg.backends {
		for _, scenario := range cfg.scenarios {
			if err := ctx.Err(); err != nil {
				return err
			}
			b.logf("== %s on %s", scenario, backend)
			if err := b.runScenario(ctx, scenario, backend); err != nil {
				return fmt.Errorf("%s on %s: %w", scenario, backend, err)
			}
		}
	}
	report := b.report(time.Since(started))
	if _, err := io.WriteString(stdout, report); err != nil {
		return fmt.Errorf("writing report: %w", err)
	}
	if cfg.out != "" {
		if err := os.WriteFile(cfg.out, []byte(report), 0o644); err != nil {
			return fmt.Errorf("writing %s: %w", cfg.out, err)
		}
	}
	return nil
}
