package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/jackc/pgx/v5"
	_ "modernc.org/sqlite" // the SQLite driver Kontor uses, for the baselines
)

// bench is one run of the suite.
type bench struct {
	cfg     *config
	tmp     string
	bin     string
	rows    []resultRow
	details []string
	dropDBs []string // PostgreSQL databases to drop at the end
	machine machine
}

// resultRow is one line of the report's table.
type resultRow struct {
	scenario, backend, kontor, baseline, ratio, target string
	met                                                bool
}

// newBench prepares a run: a temporary directory and the server binary.
func newBench(ctx context.Context, cfg *config) (*bench, error) {
	tmp, err := os.MkdirTemp("", "kontor-bench-")
	if err != nil {
		return nil, fmt.Errorf("creating temporary directory: %w", err)
	}
	b := &bench{cfg: cfg, tmp: tmp}
	if cfg.pprofDir != "" {
		if err := os.MkdirAll(cfg.pprofDir, 0o755); err != nil {
			b.close()
			return nil, fmt.Errorf("creating profile directory: %w", err)
		}
		if cfg.pprofDir, err = filepath.Abs(cfg.pprofDir); err != nil {
			b.close()
			return nil, fmt.Errorf("resolving profile directory: %w", err)
		}
	}
	b.bin = cfg.kontor
	if b.bin == "" {
		b.logf("building kontor")
		if b.bin, err = buildKontor(ctx, tmp, cfg.pprofDir != ""); err != nil {
			b.close()
			return nil, err
		}
	}
	b.machine = describeMachine(ctx, cfg)
	return b, nil
}

// close drops the databases the run created and removes its files.
func (b *bench) close() {
	if b.cfg.keepTemp {
		fmt.Fprintln(os.Stderr, "kontor-bench: kept", b.tmp, b.dropDBs)
		return
	}
	if len(b.dropDBs) > 0 {
		if conn, err := pgx.Connect(context.Background(), b.cfg.postgres); err == nil {
			for _, name := range b.dropDBs {
				if _, err := conn.Exec(context.Background(), `DROP DATABASE IF EXISTS `+pgx.Identifier{name}.Sanitize()+` WITH (FORCE)`); err != nil {
					fmt.Fprintf(os.Stderr, "kontor-bench: dropping database %s: %v\n", name, err)
				}
			}
			conn.Close(context.Background())
		} else {
			fmt.Fprintf(os.Stderr, "kontor-bench: dropping databases %v: %v\n", b.dropDBs, err)
		}
	}
	os.RemoveAll(b.tmp)
}

// logf prints progress in verbose mode.
func (b *bench) logf(format string, args ...any) {
	fmt.Fprintf(b.cfg.progress, "kontor-bench: "+format+"\n", args...)
}

// detailf adds a line to the report's details.
func (b *bench) detailf(format string, args ...any) {
	line := fmt.Sprintf(format, args...)
	b.details = append(b.details, line)
	b.logf("%s", line)
}

// add records a table row.
func (b *bench) add(r resultRow) { b.rows = append(b.rows, r) }

// runScenario runs one scenario on one backend.
func (b *bench) runScenario(ctx context.Context, scenario, backend string) error {
	switch scenario {
	case "import":
		return b.importScenario(ctx, backend)
	case "read":
		return b.readScenario(ctx, backend)
	case "mix":
		return b.mixScenario(ctx, backend)
	case "scale":
		return b.scaleScenario(ctx, backend)
	}
	return fmt.Errorf("unknown scenario %q", scenario)
}

// database is a fresh database of one scenario: the URL Kontor gets, and
// a handle for the benchmark's own queries (baselines, seeding).
type database struct {
	backend string
	url     string // sqlite:PATH or postgres://...
	dir     string
}

// newDatabase creates an empty database for a scenario on backend.
func (b *bench) newDatabase(ctx context.Context, scenario, backend string) (*database, error) {
	dir := filepath.Join(b.tmp, scenario+"-"+backend)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("creating %s: %w", dir, err)
	}
	d := &database{backend: backend, dir: dir}
	switch backend {
	case "sqlite":
		d.url = "sqlite:" + filepath.Join(dir, "kontor.db")
	case "postgres":
		var r [4]byte
		rand.Read(r[:])
		name := "kontor_bench_" + scenario + "_" + hex.EncodeToString(r[:])
		conn, err := pgx.Connect(ctx, b.cfg.postgres)
		if err != nil {
			return nil, fmt.Errorf("connecting to PostgreSQL: %w", err)
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, `CREATE DATABASE `+pgx.Identifier{name}.Sanitize()); err != nil {
			return nil, fmt.Errorf("creating database %s: %w", name, err)
		}
		b.dropDBs = append(b.dropDBs, name)
		u, err := url.Parse(b.cfg.postgres)
		if err != nil {
			return nil, fmt.Errorf("parsing -postgres: %w", err)
		}
		u.Path = "/" + name
		d.url = u.String()
	default:
		return nil, fmt.Errorf("unknown backend %q", backend)
	}
	return d, nil
}

// openSQL opens the database with database/sql for the benchmark's own
// queries.
func (d *database) openSQL() (*sql.DB, error) {
	if d.backend == "sqlite" {
		db, err := sql.Open("sqlite", "file:"+strings.TrimPrefix(d.url, "sqlite:")+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)")
		if err != nil {
			return nil, fmt.Errorf("opening sqlite: %w", err)
		}
		db.SetMaxOpenConns(1)
		return db, nil
	}
	db, err := sql.Open("pgx", d.url)
	if err != nil {
		return nil, fmt.Errorf("opening postgres: %w", err)
	}
	return db, nil
}

// instance is a started server with a client for it.
type instance struct {
	*server
	api   *api
	token string
	db    *database
}

// startKontor starts a server for a scenario on a fresh database and
// authenticates as its demo client. maxBody is the largest request body
// the scenario sends.
func (b *bench) startKontor(ctx context.Context, scenario, backend string, conns int, maxBody int) (*instance, error) {
	db, err := b.newDatabase(ctx, scenario, backend)
	if err != nil {
		return nil, err
	}
	return b.restart(ctx, nil, db, conns, maxBody)
}

// restart starts a server on db, which prev (stopped, or nil for a fresh
// database) served before, and authenticates as the demo client.
func (b *bench) restart(ctx context.Context, prev *instance, db *database, conns int, maxBody int) (*instance, error) {
	srv, err := startServer(ctx, serverOptions{
		bin: b.bin, dbURL: db.url, dir: filepath.Join(db.dir, "server"), maxUpload: int64(2 * maxBody),
		gomaxprocs: b.cfg.serverGOMAXPROCS, profiler: b.cfg.pprofDir != "",
	})
	if err != nil {
		return nil, err
	}
	if prev != nil {
		srv.demoName, srv.demoSecret = prev.demoName, prev.demoSecret
	}
	if srv.demoSecret == "" {
		srv.stop()
		return nil, errors.New("kontor printed no demo client credentials on an empty database")
	}
	k := &instance{server: srv, api: newAPI(srv.base, conns), db: db}
	if k.token, _, err = k.api.token(ctx, authBody(srv.demoName, srv.demoSecret)); err != nil {
		k.stop()
		return nil, err
	}
	b.logf("kontor serving at %s on %s", srv.base, db.backend)
	return k, nil
}

// stop stops the server and closes the client.
func (k *instance) stop() error {
	k.api.close()
	return k.server.stop()
}

// profile runs fn while the server records a CPU profile named after the
// phase, when -pprof is given.
func (b *bench) profile(ctx context.Context, k *instance, phase string, fn func() error) error {
	if b.cfg.pprofDir == "" {
		return fn()
	}
	base := filepath.Join(b.cfg.pprofDir, phase)
	if err := k.startProfile(ctx, base+".cpu.pprof"); err != nil {
		return err
	}
	err := fn()
	if perr := k.stopProfile(ctx, base+".allocs.pprof"); perr != nil {
		return errors.Join(err, perr)
	}
	b.logf("profiles written to %s.{cpu,allocs}.pprof", base)
	return err
}
