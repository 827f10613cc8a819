package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/kontor-dev/kontor"
)

// Setting returns the value under key, creating it with create() when the
// key is new. When two processes race, the first insert wins and both
// return its value.
func (db *DB) Setting(ctx context.Context, key string, create func() (string, error)) (string, error) {
	var value string
	err := db.write.QueryRowContext(ctx, db.q(`SELECT value FROM settings WHERE key = ?`), key).Scan(&value)
	if err == nil {
		return value, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("reading setting %s: %w", key, err)
	}
	value, err = create()
	if err != nil {
		return "", fmt.Errorf("creating setting %s: %w", key, err)
	}
	if _, err := db.write.ExecContext(ctx, db.q(`INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`), key, value); err != nil {
		return "", fmt.Errorf("storing setting %s: %w", key, err)
	}
	if err := db.write.QueryRowContext(ctx, db.q(`SELECT value FROM settings WHERE key = ?`), key).Scan(&value); err != nil {
		return "", fmt.Errorf("reading setting %s: %w", key, err)
	}
	return value, nil
}

// CreateClient stores a new API client.
func (db *DB) CreateClient(ctx context.Context, c *kontor.Client) error {
	if c.CreatedAt.IsZero() {
		c.CreatedAt = time.Now().UTC()
	}
	_, err := db.exec(ctx, `
		INSERT INTO clients (id, name, secret_hash, api_version, rate_limit, rate_burst, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`,
		c.ID, c.Name, c.SecretHash, c.APIVersion, c.RateLimit, c.RateBurst, c.CreatedAt)
	switch {
	case db.dialect.isUniqueViolation(err):
		return kontor.Errorf(kontor.ECONFLICT, "An API client named %q exists already", c.Name)
	case err != nil:
		return fmt.Errorf("creating client: %w", err)
	}
	return nil
}

const clientColumns = `c.id, c.name, c.secret_hash, c.api_version, c.rate_limit, c.rate_burst, c.created_at`

func scanClient(row interface{ Scan(...any) error }, extra ...any) (*kontor.Client, error) {
	var c kontor.Client
	dest := append([]any{&c.ID, &c.Name, &c.SecretHash, &c.APIVersion, &c.RateLimit, &c.RateBurst, &c.CreatedAt}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	c.CreatedAt = c.CreatedAt.UTC()
	return &c, nil
}

// ClientByName returns the client called name.
func (db *DB) ClientByName(ctx context.Context, name string) (*kontor.Client, error) {
	c, err := scanClient(db.read.QueryRowContext(ctx, db.q(`SELECT `+clientColumns+` FROM clients c WHERE c.name = ?`), name))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, kontor.Errorf(kontor.ENOTFOUND, "No API client named %q", name)
	case err != nil:
		return nil, fmt.Errorf("reading client: %w", err)
	}
	return c, nil
}

// CountClients returns the number of API clients.
func (db *DB) CountClients(ctx context.Context) (int, error) {
	var n int
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM clients`).Scan(&n); err != nil {
		return 0, fmt.Errorf("counting clients: %w", err)
	}
	return n, nil
}
