package core

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"sync"
	"time"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/auth"
)

// FinAPIConfig holds the settings of the finAPI services.
type FinAPIConfig struct {
	// ClientTokenTTL, UserTokenTTL and RefreshTokenTTL are the token
	// lifetimes of clients that have none of their own; zero means
	// tokens never expire.
	ClientTokenTTL, UserTokenTTL, RefreshTokenTTL time.Duration
	// MaxLoginAttempts is how many consecutive failed password logins
	// lock a user; zero never locks.
	MaxLoginAttempts int
	// ProcessTTL is how long a process token can be exchanged, and
	// ProcessExchanges how many times.
	ProcessTTL       time.Duration
	ProcessExchanges int
}

// DefaultFinAPIConfig returns finAPI's documented defaults where it has
// them: access tokens live one hour, process tokens can be exchanged ten
// times. Refresh tokens live 30 days, process tokens 7 days, and five
// failed logins lock a user.
func DefaultFinAPIConfig() FinAPIConfig {
	return FinAPIConfig{
		ClientTokenTTL:   time.Hour,
		UserTokenTTL:     time.Hour,
		RefreshTokenTTL:  30 * 24 * time.Hour,
		MaxLoginAttempts: 5,
		ProcessTTL:       7 * 24 * time.Hour,
		ProcessExchanges: 10,
	}
}

// FinAPI implements the finAPI dialect's operations on a Service: OAuth
// tokens for clients and users, finAPI users, and the process controller.
//
// finAPI tokens are opaque: 128 characters of the URL-safe base64
// alphabet, derived with HMAC-SHA-512 from a random token ID and a key
// kept in the database, so every replica derives the same token. The
// database holds only the ID and the token's SHA-256, which is what a
// presented token is looked up by; revoking a token deletes its row. As
// finAPI documents, asking again with the same credentials while a token
// lives returns the same token, with the seconds it has left.
type FinAPI struct {
	svc *Service
	cfg FinAPIConfig

	mu  sync.Mutex
	key []byte // loaded from the store on first use
}

// NewFinAPI returns the finAPI services on svc.
func NewFinAPI(svc *Service, cfg FinAPIConfig) *FinAPI {
	return &FinAPI{svc: svc, cfg: cfg}
}

// finAPITokenKeySetting is where the key that tokens are derived with
// lives.
const finAPITokenKeySetting = "finapi_token_key"

// reuseMargin is how long a token must still live to be handed out again.
const reuseMargin = time.Minute

// maxTokenLength bounds a presented token; finAPI's are 128 characters,
// its documentation allows up to 8192.
const maxTokenLength = 8192

// tokenKey returns the token derivation key, loading it (and creating it
// on first start) from the store.
func (f *FinAPI) tokenKey(ctx context.Context) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.key != nil {
		return f.key, nil
	}
	encoded, err := f.svc.store.Setting(ctx, finAPITokenKeySetting, func() (string, error) {
		key := make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return "", err
		}
		return base64.StdEncoding.EncodeToString(key), nil
	})
	if err != nil {
		return nil, fmt.Errorf("loading finAPI token key: %w", err)
	}
	key, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil || len(key) < 32 {
		return nil, fmt.Errorf("decoding finAPI token key: malformed setting %s", finAPITokenKeySetting)
	}
	f.key = key
	return key, nil
}

// deriveToken returns the token with the given ID: 96 bytes of
// HMAC-SHA-512 output, URL-safe base64 without padding (128 characters).
func deriveToken(key []byte, id string) string {
	out := make([]byte, 0, 128)
	for _, block := range []byte{1, 2} {
		m := hmac.New(sha512.New, key)
		m.Write([]byte("kontor finapi token\x00"))
		m.Write([]byte(id))
		m.Write([]byte{block})
		out = m.Sum(out)
	}
	return base64.RawURLEncoding.EncodeToString(out[:96])
}

// hashToken returns the hex SHA-256 of a token, the form it is stored and
// looked up by.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// FinAPITokens is what the token endpoint returns.
type FinAPITokens struct {
	AccessToken string
	// RefreshToken is set only for the password grant.
	RefreshToken string
	// ExpiresIn is the access token's remaining lifetime in whole
	// seconds, 0 for one that never expires.
	ExpiresIn int
}

// expiresIn returns the whole seconds a token has left, not counting the
// one in progress: a fresh one-hour token has 3599, as finAPI's sample
// shows. A token that never expires has 0.
func expiresIn(t kontor.FinAPIToken, now time.Time) int {
	if t.ExpiresAt.IsZero() {
		return 0
	}
	return max(1, int((t.ExpiresAt.Sub(now)-1)/time.Second))
}

// lifetimes returns the client's effective token lifetimes.
func (f *FinAPI) lifetimes(ctx context.Context, clientID string) (client, user, refresh time.Duration, err error) {
	s, err := f.svc.store.FinAPIClientSettings(ctx, clientID)
	if err != nil {
		return 0, 0, 0, err
	}
	pick := func(d *time.Duration, def time.Duration) time.Duration {
		if d != nil {
			return *d
		}
		return def
	}
	return pick(s.ClientTokenTTL, f.cfg.ClientTokenTTL), pick(s.UserTokenTTL, f.cfg.UserTokenTTL),
		pick(s.RefreshTokenTTL, f.cfg.RefreshTokenTTL), nil
}

// newToken returns the record of a new token and the token itself.
func (f *FinAPI) newToken(key []byte, kind kontor.FinAPITokenKind, grant, clientID, userID string, now time.Time, ttl time.Duration) (kontor.FinAPIToken, string) {
	t := kontor.FinAPIToken{
		ID: kontor.NewID(), Kind: kind, GrantID: grant, ClientID: clientID, UserID: userID, CreatedAt: now.UTC(),
	}
	if ttl > 0 {
		t.ExpiresAt = now.Add(ttl).UTC()
	}
	token := deriveToken(key, t.ID)
	t.Hash = hashToken(token)
	return t, token
}

// issue returns the live tokens of the client's (or its user's) newest
// grant when there are some, and otherwise stores and returns a new grant:
// an access token and, withRefresh, a refresh token.
func (f *FinAPI) issue(ctx context.Context, clientID, userID string, accessTTL, refreshTTL time.Duration, withRefresh bool) (*FinAPITokens, error) {
	key, err := f.tokenKey(ctx)
	if err != nil {
		return nil, err
	}
	now := f.svc.Now()
	reuse, err := f.svc.store.ReusableFinAPITokens(ctx, clientID, userID, now.Add(reuseMargin), withRefresh)
	if err != nil {
		return nil, err
	}
	if len(reuse) > 0 {
		out := &FinAPITokens{AccessToken: deriveToken(key, reuse[0].ID), ExpiresIn: expiresIn(reuse[0], now)}
		if withRefresh {
			out.RefreshToken = deriveToken(key, reuse[1].ID)
		}
		return out, nil
	}
	grant := kontor.NewID()
	access, accessToken := f.newToken(key, kontor.FinAPIAccessToken, grant, clientID, userID, now, accessTTL)
	records := []kontor.FinAPIToken{access}
	out := &FinAPITokens{AccessToken: accessToken, ExpiresIn: expiresIn(access, now)}
	if withRefresh {
		refresh, refreshToken := f.newToken(key, kontor.FinAPIRefreshToken, grant, clientID, userID, now, refreshTTL)
		records = append(records, refresh)
		out.RefreshToken = refreshToken
	}
	if err := f.svc.store.CreateFinAPITokens(ctx, records); err != nil {
		return nil, err
	}
	return out, nil
}

// ClientToken authorizes an API client (grant_type=client_credentials):
// its finAPI client_id is its name.
func (f *FinAPI) ClientToken(ctx context.Context, name, secret string) (*FinAPITokens, *kontor.Client, error) {
	c, err := f.svc.authenticateClient(ctx, name, secret)
	if err != nil {
		return nil, nil, err
	}
	ttl, _, _, err := f.lifetimes(ctx, c.ID)
	if err != nil {
		return nil, nil, err
	}
	tokens, err := f.issue(ctx, c.ID, "", ttl, 0, false)
	return tokens, c, err
}

// errBadUserCredentials is the answer to any failed password login, so
// that it does not tell which part was wrong.
func errBadUserCredentials() error {
	return kontor.Errorf(kontor.EINVALID, "Bad user credentials")
}

func errUserLocked() error {
	return kontor.Errorf(kontor.ELOCKED, "The user is locked after too many failed logins")
}

// PasswordToken authorizes a user of the client (grant_type=password) with
// its finAPI id and password and returns an access and a refresh token.
// Failed logins count; at FinAPIConfig.MaxLoginAttempts in a row the user
// is locked (ELOCKED) and all its tokens are revoked.
func (f *FinAPI) PasswordToken(ctx context.Context, name, secret, username, password string) (*FinAPITokens, *kontor.Client, error) {
	c, err := f.svc.authenticateClient(ctx, name, secret)
	if err != nil {
		return nil, nil, err
	}
	u, err := f.svc.store.FinAPIUserByName(ctx, c.ID, username)
	if err != nil && kontor.ErrorCode(err) != kontor.ENOTFOUND {
		return nil, nil, err
	}
	if err != nil || u.PasswordHash == "" {
		// Unknown users and users without a finAPI password (made through
		// finoOS or by the process controller) cost the same time.
		auth.VerifySecret(f.svc.dummyHash, password)
		return nil, nil, errBadUserCredentials()
	}
	if u.Locked {
		return nil, nil, errUserLocked()
	}
	ok, verr := auth.VerifySecret(u.PasswordHash, password)
	if verr != nil {
		f.svc.log.Error("stored finAPI password hash is malformed", "user", u.ID)
	}
	locked, err := f.svc.store.RecordFinAPILogin(ctx, c.ID, u.ID, ok, f.cfg.MaxLoginAttempts)
	switch {
	case err != nil:
		return nil, nil, err
	case !ok:
		return nil, nil, errBadUserCredentials()
	case locked:
		return nil, nil, errUserLocked()
	}
	_, ttl, refreshTTL, err := f.lifetimes(ctx, c.ID)
	if err != nil {
		return nil, nil, err
	}
	tokens, err := f.issue(ctx, c.ID, u.ID, ttl, refreshTTL, true)
	return tokens, c, err
}

// RefreshToken issues a new access token for the user of a refresh token
// (grant_type=refresh_token). The refresh token stays valid until it
// expires; the access token it replaces is revoked.
func (f *FinAPI) RefreshToken(ctx context.Context, name, secret, refreshToken string) (*FinAPITokens, *kontor.Client, error) {
	c, err := f.svc.authenticateClient(ctx, name, secret)
	if err != nil {
		return nil, nil, err
	}
	if len(refreshToken) > maxTokenLength {
		return nil, nil, kontor.Errorf(kontor.EINVALID, "Invalid refresh token")
	}
	now := f.svc.Now()
	rt, err := f.svc.store.FinAPIRefresh(ctx, c.ID, hashToken(refreshToken), now)
	if kontor.ErrorCode(err) == kontor.EUNAUTHORIZED {
		return nil, nil, kontor.Errorf(kontor.EINVALID, "Invalid refresh token")
	} else if err != nil {
		return nil, nil, err
	}
	u, err := f.svc.store.FinAPIUser(ctx, c.ID, rt.UserID)
	if kontor.ErrorCode(err) == kontor.ENOTFOUND {
		return nil, nil, kontor.Errorf(kontor.EINVALID, "Invalid refresh token")
	} else if err != nil {
		return nil, nil, err
	}
	if u.Locked {
		return nil, nil, errUserLocked()
	}
	key, err := f.tokenKey(ctx)
	if err != nil {
		return nil, nil, err
	}
	_, ttl, _, err := f.lifetimes(ctx, c.ID)
	if err != nil {
		return nil, nil, err
	}
	access, token := f.newToken(key, kontor.FinAPIAccessToken, rt.GrantID, c.ID, u.ID, now, ttl)
	if err := f.svc.store.ReplaceFinAPIAccessToken(ctx, access); err != nil {
		return nil, nil, err
	}
	return &FinAPITokens{AccessToken: token, ExpiresIn: expiresIn(access, now)}, c, nil
}

// Authorize returns what a finAPI access token authorizes: its client and,
// for a user token, the user.
func (f *FinAPI) Authorize(ctx context.Context, accessToken string) (*kontor.FinAPIAuth, error) {
	if accessToken == "" || len(accessToken) > maxTokenLength {
		return nil, kontor.Errorf(kontor.EUNAUTHORIZED, "Invalid access token")
	}
	return f.svc.store.FinAPIAccess(ctx, hashToken(accessToken), f.svc.Now())
}

// Revoke revokes a token of the client as finAPI's token_type_hint says:
// RevokeAccessToken only that token, RevokeRefreshToken the refresh token
// and the access tokens of its grant, RevokeGrant every token of the
// grant. Unknown tokens and other clients' tokens are silently ignored.
func (f *FinAPI) Revoke(ctx context.Context, c *kontor.Client, token string, scope kontor.RevokeScope) error {
	if len(token) > maxTokenLength {
		return nil
	}
	return f.svc.store.RevokeFinAPIToken(ctx, c.ID, hashToken(token), scope)
}

// SetClientSettings sets a client's finAPI token lifetimes.
func (f *FinAPI) SetClientSettings(ctx context.Context, c *kontor.Client, s kontor.FinAPIClientSettings) error {
	for _, d := range []*time.Duration{s.ClientTokenTTL, s.UserTokenTTL, s.RefreshTokenTTL} {
		if d != nil && (*d < 0 || *d%time.Second != 0) {
			return kontor.Errorf(kontor.EINVALID, "Token lifetimes must be whole seconds, 0 for never expiring")
		}
	}
	return f.svc.store.SetFinAPIClientSettings(ctx, c.ID, s)
}
