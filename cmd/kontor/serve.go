package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/bank/sandbox/fintsbank"
	"github.com/kontor-dev/kontor/connectui"
	"github.com/kontor-dev/kontor/core"
	"github.com/kontor-dev/kontor/finapi"
	"github.com/kontor-dev/kontor/finoos"
	"github.com/kontor-dev/kontor/internal/heapfloor"
	"github.com/kontor-dev/kontor/internal/httpx"
	"github.com/kontor-dev/kontor/sqlstore"
)

// Main is a running Kontor server: the database, the services and the HTTP
// server. End-to-end tests start one on a loopback port exactly as the
// serve command does.
type Main struct {
	Config Config
	// Stdout receives what an operator must see once, such as the demo
	// client's credentials; Log receives the log.
	Stdout io.Writer
	Log    *slog.Logger

	store   *sqlstore.DB
	svc     *core.Service
	ui      *connectui.Handler
	server  *http.Server
	ln      net.Listener
	done    chan error
	stop    context.CancelFunc
	workers sync.WaitGroup
}

// Run opens the database (running migrations), creates the demo client on
// an empty database, and starts serving in the background.
func (m *Main) Run(ctx context.Context) error {
	store, err := sqlstore.Open(ctx, m.Config.DatabaseURL)
	if err != nil {
		return err
	}
	m.store = store
	if m.svc, err = core.New(ctx, store, m.Config.Core, m.Log); err != nil {
		store.Close()
		return err
	}
	name, secret, err := m.svc.EnsureDemoClient(ctx)
	if err != nil {
		store.Close()
		return fmt.Errorf("creating demo client: %w", err)
	}
	if secret != "" {
		fmt.Fprintf(m.Stdout, "Created the demo API client. Its secret is shown only now:\n  name:   %s\n  secret: %s\n", name, secret)
	}

	if m.ln, err = net.Listen("tcp", m.Config.Addr); err != nil {
		store.Close()
		return fmt.Errorf("listening on %s: %w", m.Config.Addr, err)
	}
	if err := m.enableBanking(ctx); err != nil {
		m.ln.Close()
		store.Close()
		return err
	}
	m.server = &http.Server{
		Handler:           m.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(m.Log.Handler(), slog.LevelWarn),
	}
	bg, stop := context.WithCancel(context.Background())
	m.stop = stop
	m.background(func() { m.sweepTokens(bg) })
	m.background(func() { m.svc.RunAnalysisWorkers(bg, m.Config.AnalysisWorkers) })
	m.background(func() { m.svc.RunRefreshWorker(bg) })
	m.done = make(chan error, 1)
	go func() { m.done <- m.server.Serve(m.ln) }()
	m.Log.Info("kontor serving", "addr", m.ln.Addr().String(), "database", m.store.Dialect(), "version", Version())
	return nil
}

// enableBanking sets up the bank directory, the connectors, the credential
// vault and the Banking UI.
func (m *Main) enableBanking(ctx context.Context) error {
	if m.Config.PublicURL == "" {
		m.Config.PublicURL = "http://" + m.ln.Addr().String()
	}
	u, err := url.Parse(m.Config.PublicURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("KONTOR_PUBLIC_URL: want an absolute http(s) URL, got %q", m.Config.PublicURL)
	}
	dir, err := newDirectory(strings.TrimSuffix(m.Config.PublicURL, "/") + SandboxFinTSPath)
	if err != nil {
		return err
	}
	keys, err := keyring(ctx, m.Config, m.store, m.Log)
	if err != nil {
		return err
	}
	m.svc.SetBanking(core.Banking{
		Directory: dir, Route: m.router(), Vault: keys,
		SessionTTL: m.Config.ConnectSessionTTL, PublicURL: m.Config.PublicURL, RefreshInterval: m.Config.RefreshInterval,
	})
	if m.ui, err = connectui.New(m.svc, m.Log, u.Scheme == "https"); err != nil {
		return err
	}
	return nil
}

// background runs fn in a goroutine that Close waits for.
func (m *Main) background(fn func()) {
	m.workers.Add(1)
	go func() {
		defer m.workers.Done()
		fn()
	}()
}

// Addr returns the address the server listens on.
func (m *Main) Addr() string { return m.ln.Addr().String() }

// Store returns the server's store.
func (m *Main) Store() *sqlstore.DB { return m.store }

// Handler returns the server's HTTP handler: the finoOS v1 dialect under
// /api/v1, health checks, and request IDs and access logs around all.
func (m *Main) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle(finoos.Prefix+"/", finoos.New(m.svc, m.Config.FinoOS, m.Log))
	mux.Handle(finapi.Prefix+"/", finapi.New(m.svc, m.Config.FinAPI, m.Log))
	mux.Handle(connectui.Prefix+"/", m.ui)
	// The sandbox bank's FinTS face; its dialogs live in this process.
	mux.Handle("POST /fints/sandbox", fintsbank.New(fintsbank.Config{Now: time.Now, Log: m.Log}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		httpx.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := m.svc.Ready(ctx); err != nil {
			httpx.WriteJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "message": kontor.ErrorMessage(err)})
			return
		}
		httpx.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	onPanic := func(w http.ResponseWriter, r *http.Request) {
		httpx.WriteJSON(w, http.StatusInternalServerError, map[string]string{"type": "internal_server_error", "message": "Internal server error"})
	}
	return httpx.RequestID(httpx.RequestIDHeader, httpx.AccessLog(m.Log, onPanic, mux))
}

// sweepTokens deletes expired refresh tokens every few minutes.
func (m *Main) sweepTokens(ctx context.Context) {
	t := time.NewTicker(5 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := m.store.DeleteExpiredFinAPITokens(ctx, time.Now()); err != nil {
				m.Log.Warn("deleting expired finAPI tokens", "error", err)
			}
			if n, err := m.store.DeleteExpiredTokens(ctx, time.Now()); err != nil {
				m.Log.Warn("deleting expired tokens", "error", err)
			} else if n > 0 {
				m.Log.Debug("deleted expired tokens", "count", n)
			}
		}
	}
}

// Close stops accepting connections, lets in-flight requests finish within
// the shutdown timeout, and closes the database.
func (m *Main) Close() error {
	if m.stop != nil {
		m.stop()
	}
	var err error
	if m.server != nil {
		ctx, cancel := context.WithTimeout(context.Background(), m.Config.ShutdownTimeout)
		defer cancel()
		err = m.server.Shutdown(ctx)
		if serveErr := <-m.done; serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
			err = errors.Join(err, serveErr)
		}
	}
	// Background work (analyses, refreshes, sweeps) finishes its current
	// item before the database closes.
	m.workers.Wait()
	if m.store != nil {
		err = errors.Join(err, m.store.Close())
	}
	return err
}

// serve runs the server until ctx ends (SIGINT or SIGTERM), then drains.
func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := loadServeConfig(args, getenv, stderr)
	if err != nil {
		return err
	}
	m := &Main{Config: cfg, Stdout: stdout, Log: newLogger(cfg, stderr)}
	if getenv("GOGC") == "" {
		defer heapfloor.Set(uint64(cfg.HeapFloor))()
	}
	if err := m.Run(ctx); err != nil {
		return err
	}
	select {
	case <-ctx.Done():
		m.Log.Info("shutting down: draining in-flight requests", "timeout", cfg.ShutdownTimeout)
	case err := <-m.done:
		m.done <- err // for Close
		m.Log.Error("server stopped", "error", err)
	}
	if err := m.Close(); err != nil {
		return fmt.Errorf("shutting down: %w", err)
	}
	m.Log.Info("stopped")
	return nil
}

// createClient creates an API client and prints its name and secret as
// JSON.
func createClient(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg := DefaultConfig()
	e := &env{getenv: getenv}
	e.string("KONTOR_DATABASE_URL", &cfg.DatabaseURL)
	if e.err != nil {
		return e.err
	}
	var name, secret string
	fs := flag.NewFlagSet("client create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&name, "name", "", "the client's name (required)")
	fs.StringVar(&secret, "secret", "", "the client's secret, at least 16 characters (default: a random one)")
	fs.StringVar(&cfg.DatabaseURL, "db", cfg.DatabaseURL, "database: sqlite:PATH or a postgres:// URL (env KONTOR_DATABASE_URL)")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if name == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "Usage: kontor client create --name NAME [--secret SECRET] [--db URL]")
		return errUsage
	}
	svc, store, err := openService(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer store.Close()
	c, secret, err := svc.CreateClient(ctx, name, secret)
	if err != nil {
		return errors.New(strings.TrimSuffix(kontor.ErrorMessage(err), "."))
	}
	return json.NewEncoder(stdout).Encode(map[string]string{"name": c.Name, "secret": secret})
}

// openService opens the database and the services for a command that
// works on them directly, without serving. The caller closes the store.
func openService(ctx context.Context, cfg Config, stderr io.Writer) (*core.Service, *sqlstore.DB, error) {
	store, err := sqlstore.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, nil, err
	}
	svc, err := core.New(ctx, store, cfg.Core, newLogger(cfg, stderr))
	if err != nil {
		store.Close()
		return nil, nil, err
	}
	return svc, store, nil
}
