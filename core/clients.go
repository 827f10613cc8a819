package core

import (
	"context"
	"regexp"
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
	ok, verr := auth.VerifySecret(hash, secret)
	if verr != nil && err == nil {
		s.log.Error("stored client secret hash is malformed", "client", c.ID)
	}
	if err != nil || !ok {
		return nil, kontor.Errorf(kontor.EUNAUTHORIZED, "Unauthorized. Invalid name or secret")
	}
	return c, nil
}
