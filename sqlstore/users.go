package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/kontor-dev/kontor"
)

func errUserNotFound() error {
	return kontor.Errorf(kontor.ENOTFOUND, "Not found. User does not exist")
}

// CreateUser stores a new user of a client.
func (db *DB) CreateUser(ctx context.Context, u *kontor.User) error {
	if u.CreatedAt.IsZero() {
		u.CreatedAt = time.Now().UTC()
	}
	_, err := db.exec(ctx, `INSERT INTO users (id, client_id, type, created_at) VALUES (?, ?, ?, ?)`,
		u.ID, u.ClientID, string(u.Type), u.CreatedAt)
	switch {
	case db.dialect.isUniqueViolation(err):
		return kontor.Errorf(kontor.ECONFLICT, "Conflict. A user with this id exists already")
	case err != nil:
		return fmt.Errorf("creating user: %w", err)
	}
	return nil
}

// User returns one user of the client.
func (db *DB) User(ctx context.Context, clientID, userID string) (*kontor.User, error) {
	var u kontor.User
	err := db.read.QueryRowContext(ctx, db.q(`SELECT id, client_id, type, created_at FROM users WHERE id = ? AND client_id = ?`),
		userID, clientID).Scan(&u.ID, &u.ClientID, &u.Type, &u.CreatedAt)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, errUserNotFound()
	case err != nil:
		return nil, fmt.Errorf("reading user: %w", err)
	}
	u.CreatedAt = u.CreatedAt.UTC()
	return &u, nil
}

// Users returns one page of the client's users, oldest first.
func (db *DB) Users(ctx context.Context, clientID string, page kontor.Page) ([]kontor.User, int, error) {
	users := []kontor.User{}
	var total int
	err := db.readTx(ctx, func(_ *sql.Conn, tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM users WHERE client_id = ?`), clientID).Scan(&total); err != nil {
			return fmt.Errorf("counting users: %w", err)
		}
		rows, err := tx.QueryContext(ctx, db.q(`
			SELECT id, client_id, type, created_at FROM users WHERE client_id = ?
			ORDER BY pk LIMIT ? OFFSET ?`), clientID, page.PerPage, page.Offset())
		if err != nil {
			return fmt.Errorf("listing users: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var u kontor.User
			if err := rows.Scan(&u.ID, &u.ClientID, &u.Type, &u.CreatedAt); err != nil {
				return fmt.Errorf("listing users: %w", err)
			}
			u.CreatedAt = u.CreatedAt.UTC()
			users = append(users, u)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, 0, err
	}
	return users, total, nil
}

// DeleteUser removes a user with all its logins and their data.
func (db *DB) DeleteUser(ctx context.Context, clientID, userID string) error {
	return db.inTx(ctx, func(ctx context.Context, _ *sql.Conn, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.q(`DELETE FROM users WHERE id = ? AND client_id = ?`), userID, clientID)
		if err != nil {
			return fmt.Errorf("deleting user: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("deleting user: %w", err)
		} else if n == 0 {
			return errUserNotFound()
		}
		return nil
	})
}

// userPK returns the internal key of a client's user.
func (db *DB) userPK(ctx context.Context, tx *sql.Tx, clientID, userID string) (int64, error) {
	return db.scanUserPK(ctx, tx, `SELECT pk FROM users WHERE id = ? AND client_id = ?`, clientID, userID)
}

// lockUser returns the internal key of a client's user and locks the user
// until tx ends, so that writes to one user's data never interleave.
func (db *DB) lockUser(ctx context.Context, tx *sql.Tx, clientID, userID string) (int64, error) {
	return db.scanUserPK(ctx, tx, `SELECT pk FROM users WHERE id = ? AND client_id = ?`+db.dialect.forUpdate(), clientID, userID)
}

func (db *DB) scanUserPK(ctx context.Context, tx *sql.Tx, query, clientID, userID string) (int64, error) {
	var pk int64
	err := tx.QueryRowContext(ctx, db.q(query), userID, clientID).Scan(&pk)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return 0, errUserNotFound()
	case err != nil:
		return 0, fmt.Errorf("reading user: %w", err)
	}
	return pk, nil
}
