package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/kontor-dev/kontor"
)

// The database floor of the API mix on PostgreSQL: each request's least
// database work, one statement a request, on Kontor's tables.
const (
	floorToken = `WITH f AS (INSERT INTO token_families (id, client_id, revoked, created_at) VALUES ($1, $2, false, now()))
		INSERT INTO refresh_tokens (id, family_id, expires_at) VALUES ($3, $1, now() + interval '30 minutes')`
	floorCreateUser = `INSERT INTO users (id, client_id, type, created_at) VALUES ($1, $2, 'person', now()) RETURNING pk`
	floorGetUser    = `SELECT id, type, created_at FROM users WHERE id = $1 AND client_id = $2`
	floorSetLogins  = `WITH l AS (
			INSERT INTO logins (user_pk, id, source, bank_name, bank_bic, bank_code, logo_url, logo_type, created_at)
			VALUES ($1, $2, 'upload', $3, $4, $5, '', '', now()) RETURNING pk),
		a AS (
			INSERT INTO accounts (login_pk, pos, id, iban, number, name, owner, type, balance, credit_line, monthly_spending_limit, currency)
			SELECT pk, 0, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15 FROM l RETURNING pk)
		INSERT INTO transactions (account_pk, pos, doc) SELECT a.pk, d.pos, d.doc FROM a, unnest($16::int[], $17::bytea[]) AS d(pos, doc)`
	floorGetLogins = `SELECT l.id, l.bank_name, a.id, a.iban, a.balance::text, t.pos, t.doc
		FROM users u JOIN logins l ON l.user_pk = u.pk JOIN accounts a ON a.login_pk = l.pk JOIN transactions t ON t.account_pk = a.pk
		WHERE u.id = $1 AND u.client_id = $2 ORDER BY l.pk, a.pos, t.pos`
)

// mixFloor runs the API mix's database work without Kontor and without
// HTTP, from the mix's clients through a pgx pool as large as Kontor's, on
// the database Kontor served (its schema and its demo client): a token
// family and refresh token written, a user created and read, the login
// with its account and transactions (as their JSON documents) inserted in
// one statement, and read back in one. No authorisation, validation,
// analysis or encoding: what no implementation storing this data in
// PostgreSQL can do without.
func (b *bench) mixFloor(ctx context.Context, d *database, clientName string, login kontor.Login) (*loadResult, error) {
	cfg, err := pgxpool.ParseConfig(d.url)
	if err != nil {
		return nil, fmt.Errorf("floor: %w", err)
	}
	cfg.MaxConns = 32
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("floor: %w", err)
	}
	defer pool.Close()
	var clientID string
	if err := pool.QueryRow(ctx, `SELECT id FROM clients WHERE name = $1`, clientName).Scan(&clientID); err != nil {
		return nil, fmt.Errorf("floor: finding the demo client: %w", err)
	}
	a := login.Accounts[0]
	positions := make([]int32, len(a.Transactions))
	docs := make([][]byte, len(a.Transactions))
	for i := range a.Transactions {
		positions[i] = int32(i)
		if docs[i], err = json.Marshal(&a.Transactions[i]); err != nil {
			return nil, fmt.Errorf("floor: encoding a transaction: %w", err)
		}
	}
	newID := func() string {
		var r [12]byte
		rand.Read(r[:])
		return hex.EncodeToString(r[:])
	}
	return runLoad(ctx, b.cfg.mixClients, b.cfg.warmup, b.cfg.mixDuration, func(ctx context.Context, _ int, rec *recorder) error {
		var (
			user   = newID()
			userPK int64
		)
		steps := []func() (int64, error){
			func() (int64, error) {
				_, err := pool.Exec(ctx, floorToken, newID(), clientID, newID())
				return 0, err
			},
			func() (int64, error) {
				return 0, pool.QueryRow(ctx, floorCreateUser, user, clientID).Scan(&userPK)
			},
			func() (int64, error) {
				rows, err := pool.Query(ctx, floorGetUser, user, clientID)
				if err != nil {
					return 0, err
				}
				return readAll(rows, 1)
			},
			func() (int64, error) {
				_, err := pool.Exec(ctx, floorSetLogins, userPK, login.ID, login.Bank.Name, login.Bank.BIC, login.Bank.BankCode,
					a.ID, a.IBAN, a.Number, a.Name, a.Owner, a.Type, a.Balance.String(), a.CreditLine.String(), a.MonthlySpendingLimit.String(), a.Currency,
					positions, docs)
				return 0, err
			},
			func() (int64, error) {
				rows, err := pool.Query(ctx, floorGetLogins, user, clientID)
				if err != nil {
					return 0, err
				}
				return readAll(rows, len(docs))
			},
		}
		for i, step := range steps {
			if err := rec.time(mixOps[i], step); err != nil {
				return fmt.Errorf("floor %s: %w", mixOps[i], err)
			}
		}
		return nil
	})
}

// readAll reads every row of a result, checks there are want of them, and
// returns the bytes received.
func readAll(rows pgx.Rows, want int) (int64, error) {
	defer rows.Close()
	var n, got int64
	for rows.Next() {
		got++
		for _, v := range rows.RawValues() {
			n += int64(len(v))
		}
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	if got != int64(want) {
		return n, fmt.Errorf("%d rows, want %d", got, want)
	}
	return n, nil
}
