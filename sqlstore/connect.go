package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/kontor-dev/kontor"
)

// CreateConnectSession stores a new Banking UI session.
func (db *DB) CreateConnectSession(ctx context.Context, s *kontor.ConnectSession) error {
	return db.inTx(ctx, func(ctx context.Context, _ *sql.Conn, tx *sql.Tx) error {
		userPK, err := db.userPK(ctx, tx, s.ClientID, s.UserID)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, db.q(`
			INSERT INTO connect_sessions (id, client_id, user_pk, redirect_url, error_url, exit_url, recurring, user_ip,
				created_at, expires_at, state, browser_hash, bank_code, credentials, dialog, step, pin_attempts,
				tan_attempts, login_id, error, version)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			s.ID, s.ClientID, userPK, s.RedirectURL, s.ErrorURL, s.ExitURL, s.Recurring, s.UserIP,
			s.CreatedAt.UTC(), s.ExpiresAt.UTC(), string(s.State), s.BrowserHash, s.BankCode, s.Credentials, s.Dialog, s.Step,
			s.PINAttempts, s.TANAttempts, s.LoginID, s.Error, s.Version)
		if err != nil {
			return fmt.Errorf("creating connect session: %w", err)
		}
		return nil
	})
}

// ConnectSession returns a session by ID.
func (db *DB) ConnectSession(ctx context.Context, id string) (*kontor.ConnectSession, error) {
	var s kontor.ConnectSession
	err := db.read.QueryRowContext(ctx, db.q(`
		SELECT c.id, c.client_id, u.id, c.redirect_url, c.error_url, c.exit_url, c.recurring, c.user_ip, c.created_at,
			c.expires_at, c.state, c.browser_hash, c.bank_code, c.credentials, c.dialog, c.step, c.pin_attempts,
			c.tan_attempts, c.login_id, c.error, c.version
		FROM connect_sessions c JOIN users u ON u.pk = c.user_pk
		WHERE c.id = ?`), id).Scan(&s.ID, &s.ClientID, &s.UserID, &s.RedirectURL, &s.ErrorURL, &s.ExitURL, &s.Recurring,
		&s.UserIP, &s.CreatedAt, &s.ExpiresAt, &s.State, &s.BrowserHash, &s.BankCode, &s.Credentials, &s.Dialog, &s.Step,
		&s.PINAttempts, &s.TANAttempts, &s.LoginID, &s.Error, &s.Version)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, kontor.Errorf(kontor.ENOTFOUND, "Not found. Connect session does not exist")
	case err != nil:
		return nil, fmt.Errorf("reading connect session: %w", err)
	}
	s.CreatedAt, s.ExpiresAt = s.CreatedAt.UTC(), s.ExpiresAt.UTC()
	return &s, nil
}

// UpdateConnectSession stores the session's mutable fields if its version
// is still the stored one.
func (db *DB) UpdateConnectSession(ctx context.Context, s *kontor.ConnectSession) error {
	return db.inTx(ctx, func(ctx context.Context, _ *sql.Conn, tx *sql.Tx) error { return db.updateSession(ctx, tx, s) })
}

func (db *DB) updateSession(ctx context.Context, tx *sql.Tx, s *kontor.ConnectSession) error {
	res, err := tx.ExecContext(ctx, db.q(`
		UPDATE connect_sessions SET state = ?, browser_hash = ?, bank_code = ?, credentials = ?, dialog = ?, step = ?,
			pin_attempts = ?, tan_attempts = ?, login_id = ?, error = ?, version = version + 1
		WHERE id = ? AND version = ?`),
		string(s.State), s.BrowserHash, s.BankCode, s.Credentials, s.Dialog, s.Step, s.PINAttempts, s.TANAttempts,
		s.LoginID, s.Error, s.ID, s.Version)
	if err != nil {
		return fmt.Errorf("updating connect session: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("updating connect session: %w", err)
	} else if n == 0 {
		return kontor.Errorf(kontor.ECONFLICT, "Conflict. The session was changed by another request")
	}
	s.Version++
	return nil
}

// CompleteConnectSession stores the connected login, replacing a login of
// the same ID, and marks the session succeeded, atomically.
func (db *DB) CompleteConnectSession(ctx context.Context, s *kontor.ConnectSession, login kontor.Login, credentials, session []byte) error {
	return db.inTx(ctx, func(ctx context.Context, conn *sql.Conn, tx *sql.Tx) error {
		userPK, err := db.lockUser(ctx, tx, s.ClientID, s.UserID)
		if err != nil {
			return err
		}
		var source string
		err = tx.QueryRowContext(ctx, db.q(`SELECT source FROM logins WHERE user_pk = ? AND id = ?`), userPK, login.ID).Scan(&source)
		switch {
		case err == nil && source != string(kontor.SourceConnect):
			return kontor.Errorf(kontor.ECONFLICT, "Conflict. Login %q was uploaded and cannot be replaced by a connection", login.ID)
		case err != nil && !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("reading login: %w", err)
		}
		if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM logins WHERE user_pk = ? AND id = ?`), userPK, login.ID); err != nil {
			return fmt.Errorf("replacing login: %w", err)
		}
		login.Source = kontor.SourceConnect
		if err := db.insertLogins(ctx, conn, tx, userPK, []kontor.Login{login}, nil); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE logins SET credentials = ?, connector_session = ?, last_sync_at = ? WHERE user_pk = ? AND id = ?`),
			credentials, session, time.Now().UTC(), userPK, login.ID); err != nil {
			return fmt.Errorf("storing login credentials: %w", err)
		}
		if err := db.queueAnalysis(ctx, tx, userPK); err != nil {
			return err
		}
		return db.updateSession(ctx, tx, s)
	})
}

// RefreshableLogin returns a connected login with its sealed secrets.
func (db *DB) RefreshableLogin(ctx context.Context, clientID, userID, loginID string) (*kontor.RefreshableLogin, error) {
	logins, err := db.Logins(ctx, clientID, userID)
	if err != nil {
		return nil, err
	}
	r := &kontor.RefreshableLogin{ClientID: clientID, UserID: userID}
	found := false
	for _, l := range logins {
		if l.ID == loginID {
			r.Login, found = l, true
		}
	}
	if !found {
		return nil, kontor.Errorf(kontor.ENOTFOUND, "Not found. Login does not exist")
	}
	var lastSync sql.NullTime
	err = db.read.QueryRowContext(ctx, db.q(`
		SELECT l.credentials, l.connector_session, l.last_sync_at, l.refresh_error
		FROM logins l JOIN users u ON u.pk = l.user_pk
		WHERE u.id = ? AND u.client_id = ? AND l.id = ?`), userID, clientID, loginID).
		Scan(&r.Credentials, &r.Session, &lastSync, &r.RefreshError)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, kontor.Errorf(kontor.ENOTFOUND, "Not found. Login does not exist")
	} else if err != nil {
		return nil, fmt.Errorf("reading login secrets: %w", err)
	}
	if lastSync.Valid {
		r.LastSync = lastSync.Time.UTC()
	}
	return r, nil
}

// SaveRefresh replaces a connected login's data, keeping its credentials.
func (db *DB) SaveRefresh(ctx context.Context, clientID, userID string, login kontor.Login, session []byte, next time.Time) error {
	return db.inTx(ctx, func(ctx context.Context, conn *sql.Conn, tx *sql.Tx) error {
		userPK, err := db.lockUser(ctx, tx, clientID, userID)
		if err != nil {
			return err
		}
		var (
			source      string
			credentials []byte
		)
		err = tx.QueryRowContext(ctx, db.q(`SELECT source, credentials FROM logins WHERE user_pk = ? AND id = ?`), userPK, login.ID).
			Scan(&source, &credentials)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return kontor.Errorf(kontor.ENOTFOUND, "Not found. Login does not exist")
		case err != nil:
			return fmt.Errorf("reading login: %w", err)
		case source != string(kontor.SourceConnect):
			return kontor.Errorf(kontor.ECONFLICT, "Conflict. Login %q was uploaded and cannot be refreshed", login.ID)
		}
		if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM logins WHERE user_pk = ? AND id = ?`), userPK, login.ID); err != nil {
			return fmt.Errorf("replacing login: %w", err)
		}
		login.Source = kontor.SourceConnect
		if err := db.insertLogins(ctx, conn, tx, userPK, []kontor.Login{login}, nil); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, db.q(`
			UPDATE logins SET credentials = ?, connector_session = ?, last_sync_at = ?, refresh_after = ?, refresh_error = ''
			WHERE user_pk = ? AND id = ?`), credentials, session, time.Now().UTC(), nullTime(next), userPK, login.ID); err != nil {
			return fmt.Errorf("storing refreshed login: %w", err)
		}
		return db.queueAnalysis(ctx, tx, userPK)
	})
}

// ClaimDueRefresh leases one login whose refresh is due.
func (db *DB) ClaimDueRefresh(ctx context.Context, now, syncedBefore time.Time, lease time.Duration) (*kontor.RefreshableLogin, error) {
	var r *kontor.RefreshableLogin
	err := db.inTx(ctx, func(ctx context.Context, _ *sql.Conn, tx *sql.Tx) error {
		var (
			pk                        int64
			clientID, userID, loginID string
		)
		err := tx.QueryRowContext(ctx, db.q(`
			SELECT l.pk, u.client_id, u.id, l.id FROM logins l JOIN users u ON u.pk = l.user_pk
			WHERE l.credentials IS NOT NULL
			AND ((l.refresh_after IS NULL AND l.last_sync_at < ?) OR l.refresh_after <= ?)
			AND (l.refreshing_until IS NULL OR l.refreshing_until < ?)
			ORDER BY l.pk LIMIT 1`+db.dialect.skipLockedLogins()), syncedBefore.UTC(), now.UTC(), now.UTC()).
			Scan(&pk, &clientID, &userID, &loginID)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return nil
		case err != nil:
			return fmt.Errorf("claiming refresh: %w", err)
		}
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE logins SET refreshing_until = ? WHERE pk = ?`), now.Add(lease).UTC(), pk); err != nil {
			return fmt.Errorf("claiming refresh: %w", err)
		}
		r = &kontor.RefreshableLogin{ClientID: clientID, UserID: userID, Login: kontor.Login{ID: loginID}}
		return nil
	})
	return r, err
}

// FailRefresh records a failed refresh.
func (db *DB) FailRefresh(ctx context.Context, clientID, userID, loginID, reason string, next time.Time) error {
	_, err := db.exec(ctx, `
		UPDATE logins SET refresh_error = ?, refresh_after = ?, refreshing_until = NULL
		WHERE id = ? AND user_pk = (SELECT pk FROM users WHERE id = ? AND client_id = ?)`,
		reason, nullTime(next), loginID, userID, clientID)
	if err != nil {
		return fmt.Errorf("recording failed refresh: %w", err)
	}
	return nil
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}
