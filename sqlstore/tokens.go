package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/kontor-dev/kontor"
)

var errTokenInvalid = kontor.Errorf(kontor.EUNAUTHORIZED, "Unauthorized. Invalid or expired refresh token")

// CreateRefreshToken records an issued refresh token and its family.
func (db *DB) CreateRefreshToken(ctx context.Context, t kontor.RefreshToken) error {
	if db.dialect.combinedWrites() {
		// The token's foreign key is checked at the end of the statement,
		// after the family's insert.
		_, err := db.exec(ctx, `
			WITH f AS (INSERT INTO token_families (id, client_id, revoked, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING)
			INSERT INTO refresh_tokens (id, family_id, expires_at) VALUES (?, ?, ?)`,
			t.FamilyID, t.ClientID, false, time.Now().UTC(), t.ID, t.FamilyID, t.ExpiresAt.UTC())
		if err != nil {
			return fmt.Errorf("creating refresh token: %w", err)
		}
		return nil
	}
	return db.inTx(ctx, func(ctx context.Context, _ *sql.Conn, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, db.q(`
			INSERT INTO token_families (id, client_id, revoked, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (id) DO NOTHING`), t.FamilyID, t.ClientID, false, time.Now().UTC()); err != nil {
			return fmt.Errorf("creating token family: %w", err)
		}
		if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO refresh_tokens (id, family_id, expires_at) VALUES (?, ?, ?)`),
			t.ID, t.FamilyID, t.ExpiresAt.UTC()); err != nil {
			return fmt.Errorf("creating refresh token: %w", err)
		}
		return nil
	})
}

// SpendRefreshToken marks a refresh token used, once. A second use revokes
// every token of its family.
func (db *DB) SpendRefreshToken(ctx context.Context, clientID, tokenID string, now time.Time) (kontor.RefreshToken, error) {
	var (
		t       kontor.RefreshToken
		usedAt  sql.NullTime
		revoked bool
		reused  bool
	)
	err := db.inTx(ctx, func(ctx context.Context, _ *sql.Conn, tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, db.q(`
			SELECT r.id, r.family_id, f.client_id, r.expires_at, r.used_at, f.revoked
			FROM refresh_tokens r JOIN token_families f ON f.id = r.family_id
			WHERE r.id = ?`), tokenID).Scan(&t.ID, &t.FamilyID, &t.ClientID, &t.ExpiresAt, &usedAt, &revoked)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return errTokenInvalid
		case err != nil:
			return fmt.Errorf("reading refresh token: %w", err)
		case t.ClientID != clientID, revoked, !now.Before(t.ExpiresAt):
			return errTokenInvalid
		}
		if !usedAt.Valid {
			res, err := tx.ExecContext(ctx, db.q(`UPDATE refresh_tokens SET used_at = ? WHERE id = ? AND used_at IS NULL`), now.UTC(), tokenID)
			if err != nil {
				return fmt.Errorf("spending refresh token: %w", err)
			}
			if n, err := res.RowsAffected(); err != nil || n == 1 {
				return err
			}
		}
		// Used before: someone holds a copy. Revoke the whole family and
		// commit that, then refuse.
		reused = true
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE token_families SET revoked = ? WHERE id = ?`), true, t.FamilyID); err != nil {
			return fmt.Errorf("revoking token family: %w", err)
		}
		return nil
	})
	if err != nil {
		return kontor.RefreshToken{}, err
	}
	if reused {
		return kontor.RefreshToken{}, kontor.Errorf(kontor.EUNAUTHORIZED, "Unauthorized. Refresh token was used before; all tokens of this session are revoked")
	}
	t.ExpiresAt = t.ExpiresAt.UTC()
	return t, nil
}

// AccessClient returns the client of an access token whose family is live.
func (db *DB) AccessClient(ctx context.Context, clientID, familyID string) (*kontor.Client, error) {
	var revoked bool
	c, err := scanClient(db.read.QueryRowContext(ctx, db.q(`
		SELECT `+clientColumns+`, f.revoked
		FROM clients c JOIN token_families f ON f.client_id = c.id
		WHERE c.id = ? AND f.id = ?`), clientID, familyID), &revoked)
	switch {
	case errors.Is(err, sql.ErrNoRows), err == nil && revoked:
		return nil, kontor.Errorf(kontor.EUNAUTHORIZED, "Unauthorized. Invalid or expired access token")
	case err != nil:
		return nil, fmt.Errorf("reading client: %w", err)
	}
	return c, nil
}

// DeleteExpiredTokens removes expired refresh tokens, and the families left
// without any token.
func (db *DB) DeleteExpiredTokens(ctx context.Context, now time.Time) (int, error) {
	var n int64
	err := db.inTx(ctx, func(ctx context.Context, _ *sql.Conn, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.q(`DELETE FROM refresh_tokens WHERE expires_at < ?`), now.UTC())
		if err != nil {
			return fmt.Errorf("deleting expired tokens: %w", err)
		}
		n, _ = res.RowsAffected()
		// A family outlives its last refresh token by an access token's
		// lifetime at most; keep a day for safety.
		_, err = tx.ExecContext(ctx, db.q(`
			DELETE FROM token_families WHERE created_at < ?
			AND NOT EXISTS (SELECT 1 FROM refresh_tokens r WHERE r.family_id = token_families.id)`), now.Add(-24*time.Hour).UTC())
		if err != nil {
			return fmt.Errorf("deleting empty token families: %w", err)
		}
		return nil
	})
	return int(n), err
}
