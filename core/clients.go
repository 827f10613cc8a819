package core

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"regexp"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/auth"
)

var clientNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$`)

// MinSecretLength is the shortest client secret Kontor accepts.
const MinSecretLength = 16

// CreateClient creates an API client. An empty secret gets a random one.
// The secret is returned once and stored only as an argon2id hash.
func (s *Service) CreateClient(ctx context.Context, name, secret string) (*kontor.Client, string, error) {
	if !clientNameRE.MatchString(name) {
		return nil, "", kontor.Errorf(kontor.EINVALID, "Client name must be 1 to 64 letters, digits or ._@- and start with a letter or digit")
	}
	if secret == "" {
		secret = auth.RandomSecret()
	}
	if utf8.RuneCountInString(secret) < MinSecretLength || len(secret) > 256 {
		return nil, "", kontor.Errorf(kontor.EINVALID, "Client secret must have %d to 256 characters", MinSecretLength)
	}
	hash, err := auth.HashSecret(secret, s.cfg.Hashing)
	if err != nil {
		return nil, "", err
	}
	c := &kontor.Client{
		ID:         kontor.NewID(),
		Name:       name,
		SecretHash: hash,
		APIVersion: kontor.DefaultAPIVersion,
		RateLimit:  s.cfg.RateLimit,
		RateBurst:  s.cfg.RateBurst,
		CreatedAt:  s.Now().UTC(),
	}
	if err := s.store.CreateClient(ctx, c); err != nil {
		return nil, "", err
	}
	return c, secret, nil
}

// DemoClientName is the name of the client created on an empty database.
const DemoClientName = "demo"

// EnsureDemoClient creates the demo client when the database has no API
// client at all. It returns the new client's secret, or "" when nothing was
// created.
func (s *Service) EnsureDemoClient(ctx context.Context) (name, secret string, err error) {
	n, err := s.store.CountClients(ctx)
	if err != nil || n > 0 {
		return "", "", err
	}
	_, secret, err = s.CreateClient(ctx, DemoClientName, "")
	if kontor.ErrorCode(err) == kontor.ECONFLICT {
		return "", "", nil // another replica created it first
	}
	if err != nil {
		return "", "", err
	}
	return DemoClientName, secret, nil
}

// authenticateClient checks a client's name and secret.
func (s *Service) authenticateClient(ctx context.Context, name, secret string) (*kontor.Client, error) {
	c, err := s.store.ClientByName(ctx, name)
	hash := s.dummyHash
	if err == nil {
		hash = c.SecretHash
	} else if kontor.ErrorCode(err) != kontor.ENOTFOUND {
		return nil, err
	}
	ok, verr := verifiedSecrets.verify(hash, secret, s.Now())
	if verr != nil && err == nil {
		s.log.Error("stored client secret hash is malformed", "client", c.ID)
	}
	if err != nil || !ok {
		return nil, kontor.Errorf(kontor.EUNAUTHORIZED, "Unauthorized. Invalid name or secret")
	}
	return c, nil
}

// Verified secrets are remembered for secretCacheTTL, at most
// secretCacheSize of them.
const (
	secretCacheTTL  = 5 * time.Minute
	secretCacheSize = 4096
)

// verifiedSecrets spares a client that authenticates again and again the
// argon2id verification of its secret (tens of milliseconds of CPU and
// 19 MiB of memory each time).
var verifiedSecrets = newSecretCache(secretCacheTTL, secretCacheSize)

// secretCache remembers for a short while which secrets matched which
// argon2id hashes. It keeps only an HMAC of the hash and the secret, under
// a key made at start that never leaves the process, so the secrets
// themselves are never kept. A wrong secret is never remembered: every
// guess still costs a full verification. Concurrent verifications of the
// same pair share one computation.
type secretCache struct {
	key      []byte
	ttl      time.Duration
	size     int
	mu       sync.Mutex
	verified map[[sha256.Size]byte]time.Time // HMAC -> expiry
	running  map[[sha256.Size]byte]*verification
}

// verification is one argon2id verification in progress.
type verification struct {
	done chan struct{}
	ok   bool
	err  error
}

// newSecretCache returns an empty cache with a fresh random key.
func newSecretCache(ttl time.Duration, size int) *secretCache {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		panic("core: crypto/rand failed: " + err.Error())
	}
	return &secretCache{
		key: key, ttl: ttl, size: size,
		verified: map[[sha256.Size]byte]time.Time{},
		running:  map[[sha256.Size]byte]*verification{},
	}
}

// verify reports whether secret matches the argon2id hash, as
// auth.VerifySecret does, answering from the cache when the pair verified
// within the TTL.
func (c *secretCache) verify(hash, secret string, now time.Time) (bool, error) {
	mac := hmac.New(sha256.New, c.key)
	mac.Write([]byte(hash))
	mac.Write([]byte{0})
	mac.Write([]byte(secret))
	var k [sha256.Size]byte
	mac.Sum(k[:0])

	c.mu.Lock()
	if exp, ok := c.verified[k]; ok {
		if now.Before(exp) {
			c.mu.Unlock()
			return true, nil
		}
		delete(c.verified, k)
	}
	if v, ok := c.running[k]; ok {
		c.mu.Unlock()
		<-v.done
		return v.ok, v.err
	}
	v := &verification{done: make(chan struct{})}
	c.running[k] = v
	c.mu.Unlock()

	v.ok, v.err = auth.VerifySecret(hash, secret)

	c.mu.Lock()
	delete(c.running, k)
	if v.ok && v.err == nil {
		if len(c.verified) >= c.size {
			c.evict(now)
		}
		c.verified[k] = now.Add(c.ttl)
	}
	c.mu.Unlock()
	close(v.done)
	return v.ok, v.err
}

// evict drops expired entries and, if the cache is still full, an
// arbitrary half of the rest. The caller holds c.mu.
func (c *secretCache) evict(now time.Time) {
	for k, exp := range c.verified {
		if !now.Before(exp) {
			delete(c.verified, k)
		}
	}
	for k := range c.verified {
		if len(c.verified) < c.size/2 {
			break
		}
		delete(c.verified, k)
	}
}
