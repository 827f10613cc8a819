// Package core holds Kontor's services: authentication of API clients,
// users, and their bank logins. The API dialects (finoOS v1, finAPI) are
// thin adapters over it: they decode a request, call one method here, and
// encode the result.
package core

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/netip"
	"time"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/analysis"
	"github.com/kontor-dev/kontor/auth"
)

// Config holds the services' settings.
type Config struct {
	// AccessTTL and RefreshTTL are the lifetimes of finoOS access and
	// refresh tokens (300 s and 1800 s by default, as finoOS documents).
	AccessTTL, RefreshTTL time.Duration
	// Hashing are the argon2id parameters for new client secrets.
	Hashing auth.Params
	// RateLimit and RateBurst are the request rate new clients get.
	RateLimit float64
	RateBurst int
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	return Config{
		AccessTTL:  300 * time.Second,
		RefreshTTL: 1800 * time.Second,
		Hashing:    auth.DefaultParams,
		RateLimit:  100,
		RateBurst:  200,
	}
}

// Service implements Kontor's core operations on a store.
type Service struct {
	store  kontor.Store
	signer *auth.Signer
	cfg    Config
	log    *slog.Logger
	// dummyHash is verified against when a client name is unknown, so that
	// a wrong name costs as much time as a wrong secret.
	dummyHash string
	banking   Banking
	analyzer  analyzer

	// Now returns the current time; tests may replace it.
	Now func() time.Time
	// access remembers the access checks of recent token families.
	access accessCache
}

// signingKeySetting is where the token signing key lives, so that every
// replica on one database signs and verifies with the same key.
const signingKeySetting = "token_signing_key"

// New returns a Service on store, loading the token signing key from the
// store (and creating it on first start).
func New(ctx context.Context, store kontor.Store, cfg Config, log *slog.Logger) (*Service, error) {
	encoded, err := store.Setting(ctx, signingKeySetting, func() (string, error) {
		key := make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return "", err
		}
		return base64.StdEncoding.EncodeToString(key), nil
	})
	if err != nil {
		return nil, fmt.Errorf("loading token signing key: %w", err)
	}
	key, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		return nil, fmt.Errorf("decoding token signing key: %w", err)
	}
	signer, err := auth.NewSigner(key)
	if err != nil {
		return nil, err
	}
	dummy, err := auth.HashSecret(auth.RandomSecret(), cfg.Hashing)
	if err != nil {
		return nil, err
	}
	return &Service{
		store: store, signer: signer, cfg: cfg, log: log, dummyHash: dummy, Now: time.Now,
		analyzer: analyzer{cache: map[[32]byte]*analysis.Categorizer{}, wake: make(chan struct{}, 1)},
	}, nil
}

// Store returns the service's store.
func (s *Service) Store() kontor.Store { return s.store }

// Ready reports whether the service can serve requests: the database
// answers.
func (s *Service) Ready(ctx context.Context) error {
	if err := s.store.Ping(ctx); err != nil {
		return kontor.Errorf(kontor.EUNAVAILABLE, "Database unavailable")
	}
	return nil
}

func parseIP(s string) (netip.Addr, error) { return netip.ParseAddr(s) }
