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
	return db.inTx(ctx, func(_ *sql.Conn, tx *sql.Tx) error {
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
	return db.inTx(ctx, func(_ *sql.Conn, tx *sql.Tx) error { return db.updateSession(ctx, tx, s) })
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
func (db *DB) CompleteConnectSession(ctx context.Context, s *kontor.ConnectSession, login kontor.Login, credentials []byte) error {
	return db.inTx(ctx, func(conn *sql.Conn, tx *sql.Tx) error {
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
		if err := db.insertLogins(ctx, conn, tx, userPK, []kontor.Login{login}); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE logins SET credentials = ?, last_sync_at = ? WHERE user_pk = ? AND id = ?`),
			credentials, time.Now().UTC(), userPK, login.ID); err != nil {
			return fmt.Errorf("storing login credentials: %w", err)
		}
		if err := db.queueAnalysis(ctx, tx, userPK); err != nil {
			return err
		}
		return db.updateSession(ctx, tx, s)
	})
}
