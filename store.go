package kontor

import (
	"context"
	"time"
)

// Store persists Kontor's data. Every method that takes a client ID only
// ever sees that client's data: a user or login of another client answers
// ENOTFOUND exactly like a missing one. Every write applies whole or not at
// all.
type Store interface {
	FinAPIStore // what the finAPI dialect adds (finapi.go)
	ConnectStore
	AnalysisStore
	// Ping reports whether the database is reachable.
	Ping(ctx context.Context) error
	// Close releases the database.
	Close() error

	// Setting returns the value stored under key, creating it with the
	// value made by create when there is none yet. Concurrent callers, also
	// in other processes, all get the same value.
	Setting(ctx context.Context, key string, create func() (string, error)) (string, error)

	// CreateClient stores a new API client; a taken name is ECONFLICT.
	CreateClient(ctx context.Context, c *Client) error
	// ClientByName returns the client with the given name, or ENOTFOUND.
	ClientByName(ctx context.Context, name string) (*Client, error)
	// CountClients returns the number of API clients.
	CountClients(ctx context.Context) (int, error)

	// CreateRefreshToken records an issued refresh token, creating its
	// family when it is new.
	CreateRefreshToken(ctx context.Context, t RefreshToken) error
	// SpendRefreshToken marks the refresh token as used. When it was used
	// before, its family is revoked and the result is EUNAUTHORIZED; an
	// unknown, expired or revoked token is EUNAUTHORIZED too.
	SpendRefreshToken(ctx context.Context, clientID, tokenID string, now time.Time) (RefreshToken, error)
	// AccessClient returns the client an access token belongs to, checking
	// in the same look-up that the token's family is not revoked
	// (EUNAUTHORIZED otherwise).
	AccessClient(ctx context.Context, clientID, familyID string) (*Client, error)
	// DeleteExpiredTokens removes refresh tokens that expired before now
	// and returns how many went.
	DeleteExpiredTokens(ctx context.Context, now time.Time) (int, error)

	// CreateUser stores a new user.
	CreateUser(ctx context.Context, u *User) error
	// User returns one user of the client.
	User(ctx context.Context, clientID, userID string) (*User, error)
	// Users returns one page of the client's users, oldest first, and the
	// total number of users.
	Users(ctx context.Context, clientID string, page Page) ([]User, int, error)
	// DeleteUser removes the user and all its bank data.
	DeleteUser(ctx context.Context, clientID, userID string) error

	// ReplaceUploadedLogins replaces all the user's uploaded logins with
	// logins, atomically. Logins the user connected through the Banking UI
	// stay; a login ID that one of them already has is ECONFLICT.
	ReplaceUploadedLogins(ctx context.Context, clientID, userID string, logins []Login) error
	// Logins returns all the user's logins with their accounts,
	// transactions, standing orders and securities, in the order they were
	// stored, each with the status of the user's analysis (AnalysisNone
	// before the first), all read from one snapshot.
	Logins(ctx context.Context, clientID, userID string) ([]Login, error)
	// EncodedLogins is Logins with each transaction only as its stored
	// JSON document, in Transaction.Encoded: what Get Logins writes.
	EncodedLogins(ctx context.Context, clientID, userID string) ([]Login, error)
	// DeleteLogin removes one login of the user and all its data.
	DeleteLogin(ctx context.Context, clientID, userID, loginID string) error
}
