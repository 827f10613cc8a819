package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// machine describes where the benchmark ran.
type machine struct {
	cpu, memory, kernel, sqlite, postgres string
	load                                  string // load average at the start
	cores                                 int
}

// loadAverage returns the 1-minute load average, which tells whether
// anything else ran on the machine, or "unknown".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) > 0 {
		return f[0]
	}
	return "unknown"
}

// describeMachine reads the CPU model, cores, memory and database
// versions.
func describeMachine(ctx context.Context, cfg *config) machine {
	m := machine{cpu: "unknown CPU", cores: runtime.NumCPU(), memory: "unknown", kernel: runtime.GOOS, load: loadAverage()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
				kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
				m.memory = fmt.Sprintf("%.1f GiB", float64(kb)/(1<<20))
			}
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.kernel = "Linux " + strings.TrimSpace(string(b))
	}
	if db, err := sql.Open("sqlite", ":memory:"); err == nil {
		db.QueryRowContext(ctx, `SELECT sqlite_version()`).Scan(&m.sqlite)
		db.Close()
	}
	if cfg.postgres != "" {
		if conn, err := pgx.Connect(ctx, cfg.postgres); err == nil {
			conn.QueryRow(ctx, `SHOW server_version`).Scan(&m.postgres)
			conn.Close(ctx)
		}
	}
	return m
}

// report renders the results as markdown.
func (b *bench) report(took time.Duration) string {
	var s strings.Builder
	m := b.machine
	fmt.Fprintf(&s, "Machine: %s, %d cores, %s RAM, %s; %s %s/%s; SQLite %s (modernc.org/sqlite)",
		m.cpu, m.cores, m.memory, m.kernel, runtime.Version(), runtime.GOOS, runtime.GOARCH, m.sqlite)
	if m.postgres != "" {
		fmt.Fprintf(&s, "; PostgreSQL %s", strings.Fields(m.postgres)[0])
	}
	fmt.Fprintf(&s, ".\nRun: %s, %s; load average %s at the start, %s at the end.\n\n",
		time.Now().UTC().Format("2006-01-02 15:04 UTC"), took.Round(time.Second), m.load, loadAverage())
	s.WriteString("| scenario | backend | Kontor | baseline | ratio | target | met |\n")
	s.WriteString("|---|---|---|---|---|---|---|\n")
	for _, r := range b.rows {
		met := "yes"
		if !r.met {
			met = "**no**"
		}
		fmt.Fprintf(&s, "| %s | %s | %s | %s | %s | %s | %s |\n", r.scenario, r.backend, r.kontor, r.baseline, r.ratio, r.target, met)
	}
	if len(b.details) > 0 {
		s.WriteString("\nDetails:\n\n")
		for _, d := range b.details {
			fmt.Fprintf(&s, "- %s\n", d)
		}
	}
	return s.String()
}

// count writes n with thousands separators: 100,000.
func count(n int) string {
	s := strconv.Itoa(n)
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}

// seconds writes a duration in seconds or milliseconds.
func seconds(d time.Duration) string {
	if d < time.Second {
		return ms(d)
	}
	return fmt.Sprintf("%.2f s", d.Seconds())
}

// ms writes a duration in milliseconds.
func ms(d time.Duration) string {
	v := float64(d) / float64(time.Millisecond)
	switch {
	case v < 10:
		return fmt.Sprintf("%.2f ms", v)
	case v < 100:
		return fmt.Sprintf("%.1f ms", v)
	}
	return fmt.Sprintf("%.0f ms", v)
}

// mib writes bytes in MiB.
func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }

// rate writes a throughput.
func rate(perSecond float64) string {
	if perSecond < 100 {
		return fmt.Sprintf("%.1f req/s", perSecond)
	}
	return fmt.Sprintf("%s req/s", count(int(perSecond+0.5)))
}

// ratio writes a ratio.
func ratio(r float64) string { return fmt.Sprintf("%.2fx", r) }
