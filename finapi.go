package kontor

import (
	"context"
	"fmt"
	"time"
)

// This file holds what the finAPI dialect adds to the domain: a user's
// finAPI fields, the client's finAPI token lifetimes, finAPI's opaque OAuth
// tokens and the process controller's process tokens.

// ELOCKED is the code of an error about a user that is locked after too
// many failed logins (finAPI answers it with 423).
const ELOCKED = "locked"

// FieldError is an EINVALID error about one field of a request. The finAPI
// dialect reports it with its MISSING_FIELD or ILLEGAL_FIELD_VALUE codes;
// for everyone else it is an ordinary EINVALID *Error.
type FieldError struct {
	Field   string
	Missing bool // the field is required but absent
	Message string
}

// Error implements the error interface.
func (e *FieldError) Error() string {
	return fmt.Sprintf("kontor field error: field=%s missing=%t message=%s", e.Field, e.Missing, e.Message)
}

// Unwrap makes a FieldError an EINVALID *Error for ErrorCode and
// ErrorMessage.
func (e *FieldError) Unwrap() error { return &Error{Code: EINVALID, Message: e.Message} }

// FinAPIUser is a user with its finAPI fields. Users created through the
// finoOS dialect have none: their Username is empty and they have no
// password, so they cannot log in through finAPI.
type FinAPIUser struct {
	User
	// Username is the finAPI user "id", unique per client regardless of
	// case. The user's Kontor ID (User.ID) is a different, server-made
	// identifier.
	Username string
	// PasswordHash is the PHC argon2id hash of the finAPI password, ""
	// when the user has none.
	PasswordHash string
	// Email and Phone are nil when not set.
	Email, Phone *string
	// AutoUpdate is finAPI's isAutoUpdateEnabled.
	AutoUpdate bool
	// FailedLogins counts consecutive failed password logins; Locked is
	// set once they reach the limit.
	FailedLogins int
	Locked       bool
	// Reference is the process controller's client reference of a user
	// it created, "" for every other user.
	Reference string
}

// FinAPIClientSettings are an API client's finAPI token lifetimes. A nil
// lifetime means the server's default; zero means the token never expires
// (unless it is revoked or its user is locked).
type FinAPIClientSettings struct {
	ClientTokenTTL  *time.Duration
	UserTokenTTL    *time.Duration
	RefreshTokenTTL *time.Duration
}

// FinAPITokenKind tells an access token from a refresh token.
type FinAPITokenKind string

// Kinds of finAPI tokens.
const (
	FinAPIAccessToken  FinAPITokenKind = "access"
	FinAPIRefreshToken FinAPITokenKind = "refresh"
)

// FinAPIToken is the server-side record of an issued finAPI token. The
// token itself is never stored: Hash is its SHA-256, and ID the random
// identifier the token is derived from.
type FinAPIToken struct {
	ID   string
	Hash string
	Kind FinAPITokenKind
	// GrantID groups the tokens of one grant: a user's refresh token and
	// the access tokens issued with it or refreshed from it.
	GrantID  string
	ClientID string
	// UserID is the Kontor ID of the user of a user token, "" for a
	// client token.
	UserID string
	// ExpiresAt is the zero time for a token that never expires.
	ExpiresAt time.Time
	CreatedAt time.Time
}

// Live reports whether the token has not expired at now.
func (t *FinAPIToken) Live(now time.Time) bool {
	return t.ExpiresAt.IsZero() || now.Before(t.ExpiresAt)
}

// FinAPIAuth is what a finAPI access token authorizes: a client, and for a
// user token the user.
type FinAPIAuth struct {
	Client *Client
	// User is nil for a client token.
	User  *FinAPIUser
	Token FinAPIToken
}

// RevokeScope tells how much a revocation removes.
type RevokeScope int

// Revocation scopes, following finAPI's token_type_hint.
const (
	// RevokeGrant removes every token of the token's grant (no hint).
	RevokeGrant RevokeScope = iota
	// RevokeAccessToken removes only the access token itself.
	RevokeAccessToken
	// RevokeRefreshToken removes the refresh token and every access
	// token of its grant.
	RevokeRefreshToken
)

// Process is one process of the finAPI process controller: a process token
// that can be exchanged, a bounded number of times until it expires, for a
// user access token of the user created for a client reference.
type Process struct {
	// TokenHash is the SHA-256 of the process token.
	TokenHash string
	ClientID  string
	Reference string
	// UserID is the user of the client reference. CreateProcesses sets
	// it; NewUser is the user it creates when the reference has none.
	UserID       string
	NewUser      *FinAPIUser
	Exchanges    int
	MaxExchanges int
	Invalidated  bool
	ExpiresAt    time.Time
	CreatedAt    time.Time
}

// FinAPIStore persists what the finAPI dialect adds. As everywhere, a user
// of another client answers ENOTFOUND like a missing one.
type FinAPIStore interface {
	// FinAPIClientSettings returns the client's finAPI token lifetimes.
	FinAPIClientSettings(ctx context.Context, clientID string) (FinAPIClientSettings, error)
	// SetFinAPIClientSettings replaces the client's finAPI token
	// lifetimes.
	SetFinAPIClientSettings(ctx context.Context, clientID string, s FinAPIClientSettings) error

	// CreateFinAPIUser stores a new user with its finAPI fields. A
	// Username the client already has, in any case, is ECONFLICT.
	CreateFinAPIUser(ctx context.Context, u *FinAPIUser) error
	// FinAPIUser returns a user of the client with its finAPI fields.
	FinAPIUser(ctx context.Context, clientID, userID string) (*FinAPIUser, error)
	// FinAPIUserByName returns the client's user whose Username matches
	// username regardless of case, or ENOTFOUND.
	FinAPIUserByName(ctx context.Context, clientID, username string) (*FinAPIUser, error)
	// UpdateFinAPIUser stores the user's Email, Phone and AutoUpdate.
	UpdateFinAPIUser(ctx context.Context, u *FinAPIUser) error
	// RecordFinAPILogin records a password login of the user: a success
	// clears the failed logins; a failure counts one more and, when that
	// makes maxFailures, locks the user and removes all its finAPI
	// tokens. It returns whether the user is locked afterwards.
	RecordFinAPILogin(ctx context.Context, clientID, userID string, ok bool, maxFailures int) (locked bool, err error)

	// CreateFinAPITokens stores issued tokens, all or none.
	CreateFinAPITokens(ctx context.Context, tokens []FinAPIToken) error
	// FinAPIAccess returns what a live access token with the given hash
	// authorizes; an unknown, expired or revoked token, or one of a
	// locked user, is EUNAUTHORIZED.
	FinAPIAccess(ctx context.Context, hash string, now time.Time) (*FinAPIAuth, error)
	// FinAPIRefresh returns a live refresh token of the client with the
	// given hash, or EUNAUTHORIZED.
	FinAPIRefresh(ctx context.Context, clientID, hash string, now time.Time) (*FinAPIToken, error)
	// ReusableFinAPITokens returns the newest grant's tokens of the
	// client (userID "" for client tokens) whose access token lives at
	// least until minExpiry, and, when withRefresh, whose refresh token
	// lives too; nil when there is none.
	ReusableFinAPITokens(ctx context.Context, clientID, userID string, minExpiry time.Time, withRefresh bool) ([]FinAPIToken, error)
	// ReplaceFinAPIAccessToken removes the access tokens of t's grant and
	// stores t, atomically.
	ReplaceFinAPIAccessToken(ctx context.Context, t FinAPIToken) error
	// RevokeFinAPIToken removes the client's token with the given hash
	// and, depending on scope, the other tokens of its grant. An unknown
	// token is not an error.
	RevokeFinAPIToken(ctx context.Context, clientID, hash string, scope RevokeScope) error
	// DeleteExpiredFinAPITokens removes finAPI tokens and processes that
	// expired before now and returns how many tokens went.
	DeleteExpiredFinAPITokens(ctx context.Context, now time.Time) (int, error)

	// CreateProcesses stores processes, all or none. A process whose
	// client reference has no user yet creates its NewUser; either way
	// it gets UserID set.
	CreateProcesses(ctx context.Context, ps []Process) error
	// ExchangeProcess counts one exchange of the live process token with
	// the given hash and returns the process. With invalidate the token
	// cannot be exchanged again. An unknown, expired, invalidated or
	// exhausted token is ENOTFOUND.
	ExchangeProcess(ctx context.Context, hash string, invalidate bool, now time.Time) (*Process, error)
}
