package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/core"
)

// finAPIEnv reads the finAPI dialect's settings from the environment. The
// per-address limit on credential checks and the body limit are the
// finoOS dialect's.
func finAPIEnv(e *env, cfg *Config) {
	f := &cfg.FinAPI
	e.duration("KONTOR_FINAPI_TOKEN_TTL", &f.Core.ClientTokenTTL)
	f.Core.UserTokenTTL = f.Core.ClientTokenTTL
	e.duration("KONTOR_FINAPI_USER_TOKEN_TTL", &f.Core.UserTokenTTL)
	e.duration("KONTOR_FINAPI_REFRESH_TOKEN_TTL", &f.Core.RefreshTokenTTL)
	e.duration("KONTOR_FINAPI_PROCESS_TTL", &f.Core.ProcessTTL)
	for name, dst := range map[string]*int{
		"KONTOR_FINAPI_MAX_LOGIN_ATTEMPTS": &f.Core.MaxLoginAttempts,
		"KONTOR_FINAPI_PROCESS_EXCHANGES":  &f.Core.ProcessExchanges,
	} {
		n := int64(*dst)
		e.int64(name, &n)
		if n > 1<<20 {
			e.fail(fmt.Errorf("%s: %d is too large", name, n))
		}
		*dst = int(n)
	}
	f.MaxBodyBytes = cfg.FinoOS.MaxBodyBytes
	f.AuthRateLimit, f.AuthRateBurst = cfg.FinoOS.AuthRateLimit, cfg.FinoOS.AuthRateBurst
}

const finAPIEnvHelp = `  KONTOR_FINAPI_TOKEN_TTL    finAPI access token lifetime for clients without their own (default 1h)
  KONTOR_FINAPI_USER_TOKEN_TTL     ... of user tokens only (default KONTOR_FINAPI_TOKEN_TTL)
  KONTOR_FINAPI_REFRESH_TOKEN_TTL  finAPI refresh token lifetime (default 720h)
  KONTOR_FINAPI_MAX_LOGIN_ATTEMPTS failed finAPI password logins in a row that lock a user (default 5)
  KONTOR_FINAPI_PROCESS_TTL        how long a process token can be exchanged (default 168h)
  KONTOR_FINAPI_PROCESS_EXCHANGES  how often a process token can be exchanged (default 10)
`

// lifetimeFlag is a token lifetime flag: a duration (0 for tokens that
// never expire), "default" for the server's, or unset to keep the current
// one.
type lifetimeFlag struct {
	set   bool
	value *time.Duration
}

func (f *lifetimeFlag) String() string {
	switch {
	case !f.set:
		return ""
	case f.value == nil:
		return "default"
	}
	return f.value.String()
}

func (f *lifetimeFlag) Set(s string) error {
	f.set = true
	if s == "default" {
		f.value = nil
		return nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 || d%time.Second != 0 {
		return errors.New(`want whole seconds such as 3600s or 1h, 0 for never, or "default"`)
	}
	f.value = &d
	return nil
}

// clientFinAPI sets an API client's finAPI token lifetimes and prints them
// as JSON ("default": the server's, "0s": never expire).
func clientFinAPI(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg := DefaultConfig()
	e := &env{getenv: getenv}
	e.string("KONTOR_DATABASE_URL", &cfg.DatabaseURL)
	if e.err != nil {
		return e.err
	}
	const help = ` (a duration, 0 for never expiring, "default" for the server's)`
	var (
		name  string
		flags = []struct {
			name, json, usage string
			value             lifetimeFlag
		}{
			{"client-token-ttl", "clientTokenTTL", "lifetime of client access tokens", lifetimeFlag{}},
			{"user-token-ttl", "userTokenTTL", "lifetime of user access tokens", lifetimeFlag{}},
			{"refresh-token-ttl", "refreshTokenTTL", "lifetime of refresh tokens", lifetimeFlag{}},
		}
	)
	fs := flag.NewFlagSet("client finapi", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&name, "name", "", "the client's name (required)")
	for i := range flags {
		fs.Var(&flags[i].value, flags[i].name, flags[i].usage+help)
	}
	fs.StringVar(&cfg.DatabaseURL, "db", cfg.DatabaseURL, "database: sqlite:PATH or a postgres:// URL (env KONTOR_DATABASE_URL)")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if name == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "Usage: kontor client finapi --name NAME [--client-token-ttl D] [--user-token-ttl D] [--refresh-token-ttl D] [--db URL]")
		return errUsage
	}

	svc, store, err := openService(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer store.Close()
	c, err := store.ClientByName(ctx, name)
	if err != nil {
		return errors.New(kontor.ErrorMessage(err))
	}
	settings, err := store.FinAPIClientSettings(ctx, c.ID)
	if err != nil {
		return err
	}
	current := []**time.Duration{&settings.ClientTokenTTL, &settings.UserTokenTTL, &settings.RefreshTokenTTL}
	for i, f := range flags {
		if f.value.set {
			*current[i] = f.value.value
		}
	}
	if err := core.NewFinAPI(svc, cfg.FinAPI.Core).SetClientSettings(ctx, c, settings); err != nil {
		return errors.New(strings.TrimSuffix(kontor.ErrorMessage(err), "."))
	}
	out := map[string]string{"name": c.Name}
	for i, f := range flags {
		out[f.json] = (&lifetimeFlag{set: true, value: *current[i]}).String()
	}
	return json.NewEncoder(stdout).Encode(out)
}
