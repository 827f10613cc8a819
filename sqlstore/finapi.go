package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/kontor-dev/kontor"
)

// This file implements kontor.FinAPIStore: the finAPI fields of users, the
// clients' finAPI token lifetimes, finAPI's OAuth tokens (stored by their
// SHA-256 only) and the process controller's processes.

var _ kontor.FinAPIStore = (*DB)(nil)

func errFinAPITokenInvalid() error {
	return kontor.Errorf(kontor.EUNAUTHORIZED, "Invalid or expired access token")
}

// nullString maps "" to NULL.
func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// nullPtr maps nil to NULL.
func nullPtr(s *string) sql.NullString {
	if s == nil {
		return sql.NullString{}
	}
	return sql.NullString{String: *s, Valid: true}
}

// nullSeconds maps a nil lifetime to NULL and others to whole seconds.
func nullSeconds(d *time.Duration) sql.NullInt64 {
	if d == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: int64(*d / time.Second), Valid: true}
}

// nullExpiry maps the zero time (never expires) to NULL.
func nullExpiry(t time.Time) sql.NullTime {
	if t.IsZero() {
		return sql.NullTime{}
	}
	return sql.NullTime{Time: t.UTC(), Valid: true}
}

// FinAPIClientSettings returns the client's finAPI token lifetimes.
func (db *DB) FinAPIClientSettings(ctx context.Context, clientID string) (kontor.FinAPIClientSettings, error) {
	var ct, ut, rt sql.NullInt64
	err := db.read.QueryRowContext(ctx, db.q(`
		SELECT finapi_client_token_ttl, finapi_user_token_ttl, finapi_refresh_token_ttl FROM clients WHERE id = ?`),
		clientID).Scan(&ct, &ut, &rt)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return kontor.FinAPIClientSettings{}, kontor.Errorf(kontor.ENOTFOUND, "No such API client")
	case err != nil:
		return kontor.FinAPIClientSettings{}, fmt.Errorf("reading client's finAPI settings: %w", err)
	}
	seconds := func(n sql.NullInt64) *time.Duration {
		if !n.Valid {
			return nil
		}
		d := time.Duration(n.Int64) * time.Second
		return &d
	}
	return kontor.FinAPIClientSettings{ClientTokenTTL: seconds(ct), UserTokenTTL: seconds(ut), RefreshTokenTTL: seconds(rt)}, nil
}

// SetFinAPIClientSettings replaces the client's finAPI token lifetimes.
func (db *DB) SetFinAPIClientSettings(ctx context.Context, clientID string, s kontor.FinAPIClientSettings) error {
	res, err := db.exec(ctx, `
		UPDATE clients SET finapi_client_token_ttl = ?, finapi_user_token_ttl = ?, finapi_refresh_token_ttl = ? WHERE id = ?`,
		nullSeconds(s.ClientTokenTTL), nullSeconds(s.UserTokenTTL), nullSeconds(s.RefreshTokenTTL), clientID)
	if err != nil {
		return fmt.Errorf("storing client's finAPI settings: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("storing client's finAPI settings: %w", err)
	} else if n == 0 {
		return kontor.Errorf(kontor.ENOTFOUND, "No such API client")
	}
	return nil
}

const finAPIUserColumns = `u.id, u.client_id, u.type, u.created_at, u.finapi_username, u.finapi_password_hash,
	u.finapi_email, u.finapi_phone, u.finapi_auto_update, u.finapi_failed_logins, u.finapi_locked, u.finapi_reference`

// finAPIUserRow receives finAPIUserColumns; every column may be NULL, as
// it is when the user comes from an outer join.
type finAPIUserRow struct {
	id, clientID, typ, username, hash, email, phone, reference sql.NullString
	createdAt                                                  sql.NullTime
	autoUpdate, locked                                         sql.NullBool
	failed                                                     sql.NullInt64
}

func (r *finAPIUserRow) dest() []any {
	return []any{&r.id, &r.clientID, &r.typ, &r.createdAt, &r.username, &r.hash,
		&r.email, &r.phone, &r.autoUpdate, &r.failed, &r.locked, &r.reference}
}

// user returns the scanned user, nil when the row held none.
func (r *finAPIUserRow) user() *kontor.FinAPIUser {
	if !r.id.Valid {
		return nil
	}
	ptr := func(s sql.NullString) *string {
		if !s.Valid {
			return nil
		}
		v := s.String
		return &v
	}
	return &kontor.FinAPIUser{
		User: kontor.User{
			ID: r.id.String, ClientID: r.clientID.String, Type: kontor.UserType(r.typ.String), CreatedAt: r.createdAt.Time.UTC(),
		},
		Username:     r.username.String,
		PasswordHash: r.hash.String,
		Email:        ptr(r.email),
		Phone:        ptr(r.phone),
		AutoUpdate:   r.autoUpdate.Bool,
		FailedLogins: int(r.failed.Int64),
		Locked:       r.locked.Bool,
		Reference:    r.reference.String,
	}
}

// insertFinAPIUser inserts u within tx; suffix may add an ON CONFLICT
// clause.
func (db *DB) insertFinAPIUser(ctx context.Context, tx interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}, u *kontor.FinAPIUser, suffix string) (sql.Result, error) {
	if u.CreatedAt.IsZero() {
		u.CreatedAt = time.Now().UTC()
	}
	return tx.ExecContext(ctx, db.q(`
		INSERT INTO users (id, client_id, type, created_at, finapi_username, finapi_password_hash,
			finapi_email, finapi_phone, finapi_auto_update, finapi_failed_logins, finapi_locked, finapi_reference)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`+suffix),
		u.ID, u.ClientID, string(u.Type), u.CreatedAt.UTC(), nullString(u.Username), nullString(u.PasswordHash),
		nullPtr(u.Email), nullPtr(u.Phone), u.AutoUpdate, u.FailedLogins, u.Locked, nullString(u.Reference))
}

// CreateFinAPIUser stores a new user with its finAPI fields.
func (db *DB) CreateFinAPIUser(ctx context.Context, u *kontor.FinAPIUser) error {
	err := db.inTx(ctx, func(ctx context.Context, _ *sql.Conn, tx *sql.Tx) error {
		_, err := db.insertFinAPIUser(ctx, tx, u, "")
		return err
	})
	switch {
	case db.dialect.isUniqueViolation(err):
		return kontor.Errorf(kontor.ECONFLICT, "A user with this id exists already")
	case err != nil:
		return fmt.Errorf("creating finAPI user: %w", err)
	}
	return nil
}

func (db *DB) scanFinAPIUser(row *sql.Row) (*kontor.FinAPIUser, error) {
	var r finAPIUserRow
	err := row.Scan(r.dest()...)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, errUserNotFound()
	case err != nil:
		return nil, fmt.Errorf("reading finAPI user: %w", err)
	}
	return r.user(), nil
}

// FinAPIUser returns a user of the client with its finAPI fields.
func (db *DB) FinAPIUser(ctx context.Context, clientID, userID string) (*kontor.FinAPIUser, error) {
	return db.scanFinAPIUser(db.read.QueryRowContext(ctx, db.q(`
		SELECT `+finAPIUserColumns+` FROM users u WHERE u.id = ? AND u.client_id = ?`), userID, clientID))
}

// FinAPIUserByName returns the client's user with the given finAPI
// username, compared regardless of case.
func (db *DB) FinAPIUserByName(ctx context.Context, clientID, username string) (*kontor.FinAPIUser, error) {
	return db.scanFinAPIUser(db.read.QueryRowContext(ctx, db.q(`
		SELECT `+finAPIUserColumns+` FROM users u WHERE u.client_id = ? AND lower(u.finapi_username) = lower(?)`), clientID, username))
}

// UpdateFinAPIUser stores the user's email, phone and auto-update flag.
func (db *DB) UpdateFinAPIUser(ctx context.Context, u *kontor.FinAPIUser) error {
	res, err := db.exec(ctx, `
		UPDATE users SET finapi_email = ?, finapi_phone = ?, finapi_auto_update = ? WHERE id = ? AND client_id = ?`,
		nullPtr(u.Email), nullPtr(u.Phone), u.AutoUpdate, u.ID, u.ClientID)
	if err != nil {
		return fmt.Errorf("updating finAPI user: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("updating finAPI user: %w", err)
	} else if n == 0 {
		return errUserNotFound()
	}
	return nil
}

// RecordFinAPILogin counts a failed password login or clears the count
// after a successful one, locking the user at maxFailures.
func (db *DB) RecordFinAPILogin(ctx context.Context, clientID, userID string, ok bool, maxFailures int) (bool, error) {
	var locked bool
	err := db.inTx(ctx, func(ctx context.Context, _ *sql.Conn, tx *sql.Tx) error {
		var (
			pk     int64
			failed int
		)
		err := tx.QueryRowContext(ctx, db.q(`
			SELECT pk, finapi_failed_logins, finapi_locked FROM users WHERE id = ? AND client_id = ?`+db.dialect.forUpdate()),
			userID, clientID).Scan(&pk, &failed, &locked)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return errUserNotFound()
		case err != nil:
			return fmt.Errorf("reading user's failed logins: %w", err)
		case locked:
			return nil
		case ok:
			if failed == 0 {
				return nil
			}
			failed = 0
		default:
			failed++
			locked = maxFailures > 0 && failed >= maxFailures
		}
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE users SET finapi_failed_logins = ?, finapi_locked = ? WHERE pk = ?`),
			failed, locked, pk); err != nil {
			return fmt.Errorf("recording login: %w", err)
		}
		if locked {
			if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM finapi_tokens WHERE user_pk = ?`), pk); err != nil {
				return fmt.Errorf("revoking a locked user's tokens: %w", err)
			}
		}
		return nil
	})
	return locked, err
}

// insertFinAPIToken inserts t within tx, resolving its user.
func (db *DB) insertFinAPIToken(ctx context.Context, tx *sql.Tx, t kontor.FinAPIToken) error {
	var userPK sql.NullInt64
	if t.UserID != "" {
		pk, err := db.userPK(ctx, tx, t.ClientID, t.UserID)
		if err != nil {
			return err
		}
		userPK = sql.NullInt64{Int64: pk, Valid: true}
	}
	if t.CreatedAt.IsZero() {
		t.CreatedAt = time.Now()
	}
	_, err := tx.ExecContext(ctx, db.q(`
		INSERT INTO finapi_tokens (hash, id, kind, grant_id, client_id, user_pk, expires_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
		t.Hash, t.ID, string(t.Kind), t.GrantID, t.ClientID, userPK, nullExpiry(t.ExpiresAt), t.CreatedAt.UTC())
	if err != nil {
		return fmt.Errorf("storing finAPI token: %w", err)
	}
	return nil
}

// CreateFinAPITokens stores issued tokens in one transaction.
func (db *DB) CreateFinAPITokens(ctx context.Context, tokens []kontor.FinAPIToken) error {
	return db.inTx(ctx, func(ctx context.Context, _ *sql.Conn, tx *sql.Tx) error {
		for _, t := range tokens {
			if err := db.insertFinAPIToken(ctx, tx, t); err != nil {
				return err
			}
		}
		return nil
	})
}

// tokenRow receives a finapi_tokens row and its user's ID.
type tokenRow struct {
	id, kind, grant, client string
	userID                  sql.NullString
	expires                 sql.NullTime
	created                 time.Time
}

// tokenColumns are the columns tokenRow receives, the user's ID from the
// users table joined as u.
const tokenColumns = `t.id, t.kind, t.grant_id, t.client_id, u.id, t.expires_at, t.created_at`

func (r *tokenRow) dest() []any {
	return []any{&r.id, &r.kind, &r.grant, &r.client, &r.userID, &r.expires, &r.created}
}

func (r *tokenRow) token(hash string) kontor.FinAPIToken {
	t := kontor.FinAPIToken{
		ID: r.id, Hash: hash, Kind: kontor.FinAPITokenKind(r.kind), GrantID: r.grant, ClientID: r.client,
		UserID: r.userID.String, CreatedAt: r.created.UTC(),
	}
	if r.expires.Valid {
		t.ExpiresAt = r.expires.Time.UTC()
	}
	return t
}

// FinAPIAccess returns the client, and user, of a live access token.
func (db *DB) FinAPIAccess(ctx context.Context, hash string, now time.Time) (*kontor.FinAPIAuth, error) {
	var (
		tr tokenRow
		ur finAPIUserRow
	)
	c, err := scanClient(db.read.QueryRowContext(ctx, db.q(`
		SELECT `+clientColumns+`, `+tokenColumns+`, `+finAPIUserColumns+`
		FROM finapi_tokens t
		JOIN clients c ON c.id = t.client_id
		LEFT JOIN users u ON u.pk = t.user_pk
		WHERE t.hash = ? AND t.kind = ?`), hash, string(kontor.FinAPIAccessToken)), append(tr.dest(), ur.dest()...)...)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, errFinAPITokenInvalid()
	case err != nil:
		return nil, fmt.Errorf("reading finAPI token: %w", err)
	}
	a := &kontor.FinAPIAuth{Client: c, Token: tr.token(hash), User: ur.user()}
	if !a.Token.Live(now) || (a.Token.UserID != "" && (a.User == nil || a.User.Locked)) {
		return nil, errFinAPITokenInvalid()
	}
	return a, nil
}

// FinAPIRefresh returns a live refresh token of the client.
func (db *DB) FinAPIRefresh(ctx context.Context, clientID, hash string, now time.Time) (*kontor.FinAPIToken, error) {
	var tr tokenRow
	err := db.read.QueryRowContext(ctx, db.q(`
		SELECT `+tokenColumns+` FROM finapi_tokens t LEFT JOIN users u ON u.pk = t.user_pk
		WHERE t.hash = ? AND t.kind = ?`), hash, string(kontor.FinAPIRefreshToken)).Scan(tr.dest()...)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, kontor.Errorf(kontor.EUNAUTHORIZED, "Invalid refresh token")
	case err != nil:
		return nil, fmt.Errorf("reading finAPI refresh token: %w", err)
	}
	t := tr.token(hash)
	if t.ClientID != clientID || !t.Live(now) || t.UserID == "" {
		return nil, kontor.Errorf(kontor.EUNAUTHORIZED, "Invalid refresh token")
	}
	return &t, nil
}

// maxReuseCandidates bounds how many of an owner's newest tokens are
// looked at for one to hand out again.
const maxReuseCandidates = 64

// ReusableFinAPITokens returns the newest grant of the owner whose access
// token (and, withRefresh, refresh token) lives until minExpiry.
func (db *DB) ReusableFinAPITokens(ctx context.Context, clientID, userID string, minExpiry time.Time, withRefresh bool) ([]kontor.FinAPIToken, error) {
	owner := `t.user_pk IS NULL`
	args := []any{clientID}
	if userID != "" {
		owner = `t.user_pk = (SELECT pk FROM users WHERE id = ? AND client_id = ?)`
		args = append(args, userID, clientID)
	}
	rows, err := db.read.QueryContext(ctx, db.q(`
		SELECT t.hash, `+tokenColumns+` FROM finapi_tokens t LEFT JOIN users u ON u.pk = t.user_pk
		WHERE t.client_id = ? AND `+owner+`
		ORDER BY t.created_at DESC LIMIT `+fmt.Sprint(maxReuseCandidates)), args...)
	if err != nil {
		return nil, fmt.Errorf("reading finAPI tokens: %w", err)
	}
	defer rows.Close()
	var (
		access  []kontor.FinAPIToken
		refresh = map[string]kontor.FinAPIToken{}
	)
	for rows.Next() {
		var (
			hash string
			tr   tokenRow
		)
		if err := rows.Scan(append([]any{&hash}, tr.dest()...)...); err != nil {
			return nil, fmt.Errorf("reading finAPI tokens: %w", err)
		}
		t := tr.token(hash)
		if !t.ExpiresAt.IsZero() && t.ExpiresAt.Before(minExpiry) {
			continue
		}
		switch t.Kind {
		case kontor.FinAPIAccessToken:
			access = append(access, t)
		case kontor.FinAPIRefreshToken:
			refresh[t.GrantID] = t
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading finAPI tokens: %w", err)
	}
	for _, a := range access {
		r, ok := refresh[a.GrantID]
		switch {
		case !withRefresh:
			return []kontor.FinAPIToken{a}, nil
		case ok:
			return []kontor.FinAPIToken{a, r}, nil
		}
	}
	return nil, nil
}

// ReplaceFinAPIAccessToken removes the access tokens of t's grant and
// stores t.
func (db *DB) ReplaceFinAPIAccessToken(ctx context.Context, t kontor.FinAPIToken) error {
	return db.inTx(ctx, func(ctx context.Context, _ *sql.Conn, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM finapi_tokens WHERE grant_id = ? AND kind = ? AND client_id = ?`),
			t.GrantID, string(kontor.FinAPIAccessToken), t.ClientID); err != nil {
			return fmt.Errorf("removing replaced finAPI access tokens: %w", err)
		}
		return db.insertFinAPIToken(ctx, tx, t)
	})
}

// RevokeFinAPIToken removes the client's token and, by scope, others of
// its grant.
func (db *DB) RevokeFinAPIToken(ctx context.Context, clientID, hash string, scope kontor.RevokeScope) error {
	return db.inTx(ctx, func(ctx context.Context, _ *sql.Conn, tx *sql.Tx) error {
		var grant string
		err := tx.QueryRowContext(ctx, db.q(`SELECT grant_id FROM finapi_tokens WHERE hash = ? AND client_id = ?`), hash, clientID).Scan(&grant)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return nil
		case err != nil:
			return fmt.Errorf("reading finAPI token: %w", err)
		}
		var (
			query = `DELETE FROM finapi_tokens WHERE hash = ?`
			args  = []any{hash}
		)
		switch scope {
		case kontor.RevokeGrant:
			query, args = `DELETE FROM finapi_tokens WHERE grant_id = ? AND client_id = ?`, []any{grant, clientID}
		case kontor.RevokeRefreshToken:
			query = `DELETE FROM finapi_tokens WHERE hash = ? OR (grant_id = ? AND client_id = ? AND kind = ?)`
			args = append(args, grant, clientID, string(kontor.FinAPIAccessToken))
		}
		if _, err := tx.ExecContext(ctx, db.q(query), args...); err != nil {
			return fmt.Errorf("revoking finAPI token: %w", err)
		}
		return nil
	})
}

// DeleteExpiredFinAPITokens removes expired finAPI tokens and processes.
func (db *DB) DeleteExpiredFinAPITokens(ctx context.Context, now time.Time) (int, error) {
	var n int64
	err := db.inTx(ctx, func(ctx context.Context, _ *sql.Conn, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.q(`DELETE FROM finapi_tokens WHERE expires_at IS NOT NULL AND expires_at < ?`), now.UTC())
		if err != nil {
			return fmt.Errorf("deleting expired finAPI tokens: %w", err)
		}
		n, _ = res.RowsAffected()
		if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM finapi_processes WHERE expires_at < ?`), now.UTC()); err != nil {
			return fmt.Errorf("deleting expired processes: %w", err)
		}
		return nil
	})
	return int(n), err
}

// CreateProcesses stores processes, creating the users of client
// references that have none yet.
func (db *DB) CreateProcesses(ctx context.Context, ps []kontor.Process) error {
	return db.inTx(ctx, func(ctx context.Context, _ *sql.Conn, tx *sql.Tx) error {
		for i := range ps {
			p := &ps[i]
			pk, id, err := db.referenceUser(ctx, tx, p.ClientID, p.Reference)
			if errors.Is(err, sql.ErrNoRows) {
				if p.NewUser == nil {
					return fmt.Errorf("creating process: no user for a new client reference")
				}
				u := *p.NewUser
				u.ClientID, u.Reference = p.ClientID, p.Reference
				// Another request may create the same reference's user at
				// the same time: the first one wins and both use it.
				if _, err := db.insertFinAPIUser(ctx, tx, &u, ` ON CONFLICT (client_id, finapi_reference) DO NOTHING`); err != nil {
					return fmt.Errorf("creating process user: %w", err)
				}
				pk, id, err = db.referenceUser(ctx, tx, p.ClientID, p.Reference)
			}
			if err != nil {
				return fmt.Errorf("reading process user: %w", err)
			}
			p.UserID = id
			if p.CreatedAt.IsZero() {
				p.CreatedAt = time.Now()
			}
			if _, err := tx.ExecContext(ctx, db.q(`
				INSERT INTO finapi_processes (hash, client_id, user_pk, reference, exchanges, max_exchanges, invalidated, expires_at, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
				p.TokenHash, p.ClientID, pk, p.Reference, p.Exchanges, p.MaxExchanges, p.Invalidated, p.ExpiresAt.UTC(), p.CreatedAt.UTC()); err != nil {
				return fmt.Errorf("storing process: %w", err)
			}
		}
		return nil
	})
}

func (db *DB) referenceUser(ctx context.Context, tx *sql.Tx, clientID, reference string) (pk int64, id string, err error) {
	err = tx.QueryRowContext(ctx, db.q(`SELECT pk, id FROM users WHERE client_id = ? AND finapi_reference = ?`), clientID, reference).Scan(&pk, &id)
	return pk, id, err
}

func errProcessNotFound() error {
	return kontor.Errorf(kontor.ENOTFOUND, "Process token not found, expired or used up")
}

// ExchangeProcess counts one exchange of a live process token.
func (db *DB) ExchangeProcess(ctx context.Context, hash string, invalidate bool, now time.Time) (*kontor.Process, error) {
	var p kontor.Process
	err := db.inTx(ctx, func(ctx context.Context, _ *sql.Conn, tx *sql.Tx) error {
		var userPK int64
		err := tx.QueryRowContext(ctx, db.q(`
			SELECT client_id, user_pk, reference, exchanges, max_exchanges, invalidated, expires_at, created_at
			FROM finapi_processes WHERE hash = ?`+db.dialect.forUpdate()), hash).Scan(
			&p.ClientID, &userPK, &p.Reference, &p.Exchanges, &p.MaxExchanges, &p.Invalidated, &p.ExpiresAt, &p.CreatedAt)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return errProcessNotFound()
		case err != nil:
			return fmt.Errorf("reading process: %w", err)
		case p.Invalidated, p.Exchanges >= p.MaxExchanges, !now.Before(p.ExpiresAt):
			return errProcessNotFound()
		}
		p.Exchanges++
		p.Invalidated = invalidate
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE finapi_processes SET exchanges = ?, invalidated = ? WHERE hash = ?`),
			p.Exchanges, p.Invalidated, hash); err != nil {
			return fmt.Errorf("counting process exchange: %w", err)
		}
		if err := tx.QueryRowContext(ctx, db.q(`SELECT id FROM users WHERE pk = ?`), userPK).Scan(&p.UserID); err != nil {
			return fmt.Errorf("reading process user: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	p.TokenHash = hash
	p.ExpiresAt, p.CreatedAt = p.ExpiresAt.UTC(), p.CreatedAt.UTC()
	return &p, nil
}
