package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/kontor-dev/kontor"
)

// dataMigrations are steps in Go that complete a migration of the same
// name, in its transaction, where SQL alone cannot.
var dataMigrations = map[string]func(ctx context.Context, db *DB, tx *sql.Tx) error{
	"0007_transaction_docs.sql": encodeStoredTransactions,
}

// migrate applies the dialect's embedded migrations that the database has
// not seen yet, each in its own transaction, in file name order: all of
// them, or with last those up to the one of that name.
func (db *DB) migrate(ctx context.Context, last string) error {
	dir := "migrations/" + db.dialect.name()
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return fmt.Errorf("reading migrations: %w", err)
	}
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)

	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("creating schema_migrations: %w", err)
	}
	for _, name := range names {
		if last != "" && name > last {
			break
		}
		body, err := fs.ReadFile(migrations, dir+"/"+name)
		if err != nil {
			return fmt.Errorf("reading migration %s: %w", name, err)
		}
		err = db.inTx(ctx, func(ctx context.Context, _ *sql.Conn, tx *sql.Tx) error {
			if err := db.dialect.lockMigrations(ctx, tx); err != nil {
				return err
			}
			var n int
			if err := tx.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM schema_migrations WHERE name = ?`), name).Scan(&n); err != nil {
				return fmt.Errorf("checking migration %s: %w", name, err)
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return fmt.Errorf("applying migration %s: %w", name, err)
			}
			if step := dataMigrations[name]; step != nil {
				if err := step(ctx, db, tx); err != nil {
					return fmt.Errorf("applying migration %s: %w", name, err)
				}
			}
			_, err := tx.ExecContext(ctx, db.q(`INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`), name, time.Now().UTC().Format(time.RFC3339))
			if err != nil {
				return fmt.Errorf("recording migration %s: %w", name, err)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// encodeStoredTransactions gives every stored transaction its JSON
// document, a page at a time in key order, from the columns that held its
// fields until migration 0008 dropped them.
func encodeStoredTransactions(ctx context.Context, db *DB, tx *sql.Tx) error {
	const page = 1000
	ts := func(col string) string { return col }
	if db.dialect.name() == "sqlite" {
		ts = storedText
	}
	query := `SELECT t.account_pk, t.pos, t.id, t.account_id, ` + ts("t.booking_date") + `, ` + ts("t.value_date") + `,
			t.currency, t.mref, t.purpose, t.booked, t.amount, t.cp_bic, t.cp_iban, t.cp_creditor_id, t.cp_name, t.tags, t.codes
		FROM transactions t WHERE (t.account_pk, t.pos) > (?, ?) ORDER BY t.account_pk, t.pos LIMIT ` + strconv.Itoa(page)
	var (
		lastAccount int64 = -1
		lastPos           = -1
	)
	for {
		var (
			updates     []docUpdate
			docs        docArena
			pk          int64
			pos         int
			t           kontor.Transaction
			tags, codes string
		)
		dest := []any{&pk, &pos, &t.ID, &t.AccountID, &t.BookingDate, &t.ValueDate, &t.Currency, &t.MRef, &t.Purpose,
			&t.Booked, &t.Amount, &t.CounterPart.BIC, &t.CounterPart.IBAN, &t.CounterPart.CreditorID, &t.CounterPart.Name,
			&tags, &codes}
		err := db.each(ctx, tx, query, []any{lastAccount, lastPos}, func(rows *sql.Rows) error {
			if err := rows.Scan(dest...); err != nil {
				return err
			}
			t.Tags, t.Codes = []kontor.Tag{}, []kontor.Code{}
			if err := json.Unmarshal([]byte(tags), &t.Tags); err != nil {
				return fmt.Errorf("decoding stored tags: %w", err)
			}
			if err := json.Unmarshal([]byte(codes), &t.Codes); err != nil {
				return fmt.Errorf("decoding stored codes: %w", err)
			}
			updates = append(updates, docUpdate{pk, pos, docs.encode(&t)})
			return nil
		})
		if err != nil {
			return fmt.Errorf("reading transactions: %w", err)
		}
		if len(updates) == 0 {
			return nil
		}
		if err := db.dialect.updateDocs(ctx, tx, updates); err != nil {
			return fmt.Errorf("storing transaction documents: %w", err)
		}
		last := updates[len(updates)-1]
		lastAccount, lastPos = last.account, last.pos
	}
}
