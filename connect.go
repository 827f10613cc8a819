package kontor

import (
	"context"
	"time"
)

// ConnectState is where a Banking UI visit stands.
type ConnectState string

// Connect session states. A session starts Created, is Opened by the first
// browser that visits it, moves through the login and SCA steps, and ends
// in one of the final states.
const (
	ConnectCreated   ConnectState = "created"
	ConnectOpened    ConnectState = "opened"     // bank chosen or being chosen
	ConnectChooseTAN ConnectState = "choose_tan" // waiting for the TAN method
	ConnectTAN       ConnectState = "tan"        // waiting for the TAN
	ConnectDecoupled ConnectState = "decoupled"  // waiting for the app approval
	ConnectSucceeded ConnectState = "succeeded"  // final: the login is stored
	ConnectFailed    ConnectState = "failed"     // final
	ConnectCancelled ConnectState = "cancelled"  // final
)

// Final reports whether a session in this state can no longer change.
func (s ConnectState) Final() bool {
	return s == ConnectSucceeded || s == ConnectFailed || s == ConnectCancelled
}

// ConnectSession is one visit of a user to the Banking UI, created by an
// API client for one of its users.
type ConnectSession struct {
	ID          string
	ClientID    string
	UserID      string
	RedirectURL string // where the user goes on success
	ErrorURL    string // ... on failure
	ExitURL     string // ... on cancel
	// Recurring sessions keep the login's credentials, encrypted, for
	// later refreshes without the user.
	Recurring bool
	// UserIP is the end user's address the API client sent, if any.
	UserIP    string
	CreatedAt time.Time
	ExpiresAt time.Time

	State ConnectState
	// BrowserHash is the hash of the random key set as a cookie on the
	// browser that opened the session: no other browser can continue it.
	BrowserHash string
	// BankCode is the bank the user chose.
	BankCode string
	// Credentials and Dialog are sealed (encrypted) with the vault key:
	// the user's login name and PIN for the dialog's duration, and the
	// connector's paused dialog state. Step is the sealed description of
	// the step the user is asked to complete.
	Credentials, Dialog, Step []byte
	// PINAttempts and TANAttempts count failed tries.
	PINAttempts, TANAttempts int
	// LoginID is the stored login on success; Error the failure's code.
	LoginID string
	Error   string
	// Version increases with every update; an update of a stale copy
	// fails with ECONFLICT, so two browser tabs cannot both advance it.
	Version int
}

// ConnectStore stores Banking UI sessions and the logins they connect.
type ConnectStore interface {
	// CreateConnectSession stores a new session for a client's user.
	CreateConnectSession(ctx context.Context, s *ConnectSession) error
	// ConnectSession returns a session by its ID (the browser knows no
	// client), or ENOTFOUND.
	ConnectSession(ctx context.Context, id string) (*ConnectSession, error)
	// UpdateConnectSession stores s if nobody updated it since it was
	// read (same Version), and increments its Version; ECONFLICT
	// otherwise.
	UpdateConnectSession(ctx context.Context, s *ConnectSession) error
	// CompleteConnectSession stores the connected login and the
	// succeeded session in one transaction. credentials, sealed, are kept
	// with the login for recurring refreshes (nil keeps none), and so is
	// the connector's sealed session state.
	CompleteConnectSession(ctx context.Context, s *ConnectSession, login Login, credentials, session []byte) error

	// RefreshableLogin returns a connected login with what a refresh
	// needs: its data, bank code and the sealed credentials and connector
	// session (nil when none were kept).
	RefreshableLogin(ctx context.Context, clientID, userID, loginID string) (*RefreshableLogin, error)
	// SaveRefresh replaces a connected login's data with a refresh's
	// result, keeps its credentials, stores the new sealed connector
	// session, and makes the next refresh due at next.
	SaveRefresh(ctx context.Context, clientID, userID string, login Login, session []byte, next time.Time) error
	// ClaimDueRefresh leases, until now+lease, one login with kept
	// credentials whose refresh is due — last synced before syncedBefore,
	// or whose retry time has come — or returns nil.
	ClaimDueRefresh(ctx context.Context, now, syncedBefore time.Time, lease time.Duration) (*RefreshableLogin, error)
	// FailRefresh records why a refresh failed and when to try again.
	FailRefresh(ctx context.Context, clientID, userID, loginID, reason string, next time.Time) error
}

// RefreshableLogin is a connected login and what refreshing it needs.
type RefreshableLogin struct {
	ClientID, UserID string
	Login            Login
	Credentials      []byte
	Session          []byte
	LastSync         time.Time
	RefreshError     string
}
