package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/kontor-dev/kontor/core"
	"github.com/kontor-dev/kontor/finapi"
	"github.com/kontor-dev/kontor/finoos"
)

// Config is the server's configuration.
type Config struct {
	Addr        string
	DatabaseURL string
	// PublicURL is the base URL browsers reach Kontor at, for the Banking
	// UI's links; by default http:// and the listen address.
	PublicURL string
	// SecretKey holds the comma-separated AES-256 keys that encrypt bank
	// credentials at rest; the first encrypts, all decrypt.
	SecretKey string
	// ConnectSessionTTL is how long a Banking UI session may take.
	ConnectSessionTTL time.Duration
	// FinTSProductID is the product registration number the Deutsche
	// Kreditwirtschaft gives a FinTS client; real banks may warn about or
	// refuse a client without one. The sandbox bank accepts any.
	FinTSProductID string
	// FinTSProductVersion is the product version sent beside it (at most
	// 5 characters); by default derived from Kontor's version.
	FinTSProductVersion string
	// AnalysisWorkers is how many analyses this process runs at once; 0
	// runs none (other replicas do).
	AnalysisWorkers int
	// RefreshInterval is how often logins connected with recurring are
	// refreshed without the user; 0 turns scheduled refreshes off.
	RefreshInterval time.Duration
	LogLevel        slog.Level
	LogFormat       string // "text" or "json"
	// ShutdownTimeout bounds how long in-flight requests may drain after
	// SIGTERM.
	ShutdownTimeout time.Duration
	// HeapFloor is the heap size in bytes below which the garbage
	// collector does not run (see internal/heapfloor); 0 leaves Go's
	// pacing as it is, and so does GOGC set in the environment.
	HeapFloor int64
	Core      core.Config
	FinoOS    finoos.Config
	FinAPI    finapi.Config
}

// DefaultConfig returns the defaults: loopback port 8080 and a SQLite file
// in the working directory.
func DefaultConfig() Config {
	return Config{
		Addr:              "127.0.0.1:8080",
		DatabaseURL:       "sqlite:kontor.db",
		LogLevel:          slog.LevelInfo,
		LogFormat:         "text",
		ShutdownTimeout:   30 * time.Second,
		ConnectSessionTTL: 15 * time.Minute,
		AnalysisWorkers:   8,
		RefreshInterval:   24 * time.Hour,
		HeapFloor:         64 << 20,
		Core:              core.DefaultConfig(),
		FinoOS:            finoos.DefaultConfig(),
		FinAPI:            finapi.DefaultConfig(),
	}
}

// env reads settings from environment variables; a variable NAME_FILE
// names a file whose trimmed content is the value, for secrets kept out of
// the environment.
type env struct {
	getenv func(string) string
	err    error
}

func (e *env) lookup(name string) (string, bool) {
	if v := e.getenv(name); v != "" {
		return v, true
	}
	if path := e.getenv(name + "_FILE"); path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			e.fail(fmt.Errorf("reading %s_FILE: %w", name, err))
			return "", false
		}
		return strings.TrimSpace(string(b)), true
	}
	return "", false
}

func (e *env) fail(err error) {
	if e.err == nil {
		e.err = err
	}
}

func (e *env) string(name string, dst *string) {
	if v, ok := e.lookup(name); ok {
		*dst = v
	}
}

func (e *env) duration(name string, dst *time.Duration) {
	if v, ok := e.lookup(name); ok {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			e.fail(fmt.Errorf("%s: want a positive duration such as 300s, got %q", name, v))
			return
		}
		*dst = d
	}
}

func (e *env) int64(name string, dst *int64) {
	if v, ok := e.lookup(name); ok {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			e.fail(fmt.Errorf("%s: want a positive whole number, got %q", name, v))
			return
		}
		*dst = n
	}
}

func (e *env) float(name string, dst *float64) {
	if v, ok := e.lookup(name); ok {
		n, err := strconv.ParseFloat(v, 64)
		if err != nil || n <= 0 {
			e.fail(fmt.Errorf("%s: want a positive number, got %q", name, v))
			return
		}
		*dst = n
	}
}

// loadServeConfig reads the serve command's flags and environment.
func loadServeConfig(args []string, getenv func(string) string, stderr io.Writer) (Config, error) {
	cfg := DefaultConfig()
	e := &env{getenv: getenv}
	e.string("KONTOR_ADDR", &cfg.Addr)
	e.string("KONTOR_DATABASE_URL", &cfg.DatabaseURL)
	e.string("KONTOR_LOG_FORMAT", &cfg.LogFormat)
	e.string("KONTOR_PUBLIC_URL", &cfg.PublicURL)
	e.string("KONTOR_SECRET_KEY", &cfg.SecretKey)
	e.duration("KONTOR_CONNECT_SESSION_TTL", &cfg.ConnectSessionTTL)
	e.string("KONTOR_FINTS_PRODUCT_ID", &cfg.FinTSProductID)
	e.string("KONTOR_FINTS_PRODUCT_VERSION", &cfg.FinTSProductVersion)
	if v, ok := e.lookup("KONTOR_REFRESH_INTERVAL"); ok {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			e.fail(fmt.Errorf("KONTOR_REFRESH_INTERVAL: want a duration such as 24h (0 turns it off), got %q", v))
		}
		cfg.RefreshInterval = d
	}
	workers := int64(cfg.AnalysisWorkers)
	e.int64("KONTOR_ANALYSIS_WORKERS", &workers)
	cfg.AnalysisWorkers = int(workers)
	if v, ok := e.lookup("KONTOR_LOG_LEVEL"); ok {
		if err := cfg.LogLevel.UnmarshalText([]byte(v)); err != nil {
			e.fail(fmt.Errorf("KONTOR_LOG_LEVEL: %w", err))
		}
	}
	e.duration("KONTOR_SHUTDOWN_TIMEOUT", &cfg.ShutdownTimeout)
	if v, ok := e.lookup("KONTOR_HEAP_FLOOR_BYTES"); ok {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			e.fail(fmt.Errorf("KONTOR_HEAP_FLOOR_BYTES: want a whole number of bytes (0 turns it off), got %q", v))
		}
		cfg.HeapFloor = n
	}
	e.duration("KONTOR_ACCESS_TOKEN_TTL", &cfg.Core.AccessTTL)
	e.duration("KONTOR_REFRESH_TOKEN_TTL", &cfg.Core.RefreshTTL)
	e.float("KONTOR_RATE_LIMIT", &cfg.Core.RateLimit)
	var burst int64 = int64(cfg.Core.RateBurst)
	e.int64("KONTOR_RATE_BURST", &burst)
	cfg.Core.RateBurst = int(burst)
	e.float("KONTOR_AUTH_RATE_LIMIT", &cfg.FinoOS.AuthRateLimit)
	authBurst := int64(cfg.FinoOS.AuthRateBurst)
	e.int64("KONTOR_AUTH_RATE_BURST", &authBurst)
	cfg.FinoOS.AuthRateBurst = int(authBurst)
	e.int64("KONTOR_MAX_BODY_BYTES", &cfg.FinoOS.MaxBodyBytes)
	e.int64("KONTOR_MAX_UPLOAD_BYTES", &cfg.FinoOS.MaxUploadBytes)
	finAPIEnv(e, &cfg)
	if e.err != nil {
		return cfg, e.err
	}

	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "listen address (env KONTOR_ADDR)")
	fs.StringVar(&cfg.DatabaseURL, "db", cfg.DatabaseURL, "database: sqlite:PATH or a postgres:// URL (env KONTOR_DATABASE_URL)")
	fs.StringVar(&cfg.PublicURL, "public-url", cfg.PublicURL, "base URL browsers reach Kontor at (env KONTOR_PUBLIC_URL; default http://ADDR)")
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: kontor serve [flags]\n\nFlags:\n")
		fs.PrintDefaults()
		fmt.Fprint(stderr, serveEnvHelp)
	}
	if err := fs.Parse(args); err != nil {
		return cfg, errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "kontor serve: unexpected argument %q\n", fs.Arg(0))
		return cfg, errUsage
	}
	if cfg.LogFormat != "text" && cfg.LogFormat != "json" {
		return cfg, fmt.Errorf("KONTOR_LOG_FORMAT: want text or json, got %q", cfg.LogFormat)
	}
	if err := checkFinTSProduct(cfg); err != nil {
		return cfg, err
	}
	return cfg, nil
}

const serveEnvHelp = `
Environment (a flag wins over its variable; NAME_FILE reads NAME from a file):
  KONTOR_ADDR                listen address (default 127.0.0.1:8080)
  KONTOR_DATABASE_URL        sqlite:PATH (default sqlite:kontor.db) or postgres://...
  KONTOR_PUBLIC_URL          base URL browsers reach Kontor at (default http://ADDR)
  KONTOR_SECRET_KEY          AES-256 key(s) for bank credentials at rest: 32 bytes as hex or base64,
                             comma-separated for rotation (first encrypts); without one a development
                             key is generated and kept in the database, with a warning
  KONTOR_CONNECT_SESSION_TTL how long a Banking UI session may take (default 15m)
  KONTOR_FINTS_PRODUCT_ID    FinTS product registration number (Deutsche Kreditwirtschaft); without one
                             real banks may refuse the connection, the sandbox bank accepts any
  KONTOR_FINTS_PRODUCT_VERSION FinTS product version, up to 5 characters (default from Kontor's version)
  KONTOR_ANALYSIS_WORKERS    analyses this process runs at once (default 8)
  KONTOR_REFRESH_INTERVAL    how often logins connected with recurring are refreshed (default 24h; 0 off)
  KONTOR_LOG_LEVEL           debug, info, warn, error (default info)
  KONTOR_LOG_FORMAT          text or json (default text)
  KONTOR_SHUTDOWN_TIMEOUT    how long requests may drain on SIGTERM (default 30s)
  KONTOR_HEAP_FLOOR_BYTES    heap size below which the garbage collector does not run (default 67108864,
                             64 MiB; 0 off; ignored when GOGC is set)
  KONTOR_ACCESS_TOKEN_TTL    access token lifetime (default 300s)
  KONTOR_REFRESH_TOKEN_TTL   refresh token lifetime (default 1800s)
  KONTOR_RATE_LIMIT          requests per second for new API clients (default 100)
  KONTOR_RATE_BURST          burst for new API clients (default 200)
  KONTOR_AUTH_RATE_LIMIT     authentication attempts per second per address (default 20)
  KONTOR_AUTH_RATE_BURST     burst of authentication attempts per address (default 50)
  KONTOR_MAX_BODY_BYTES      request body limit (default 65536)
  KONTOR_MAX_UPLOAD_BYTES    Set Logins body limit (default 268435456)
` + finAPIEnvHelp

func newLogger(cfg Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
