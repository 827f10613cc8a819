package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"
)

// openPostgres opens a PostgreSQL database through pgx.
func openPostgres(url string) (*DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("opening postgres %s: %w", redact(url), err)
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(32)
	db.SetMaxIdleConns(32)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("opening postgres %s: %w", redact(url), err)
	}
	return &DB{write: db, read: db, dialect: postgresDialect{}}, nil
}

type postgresDialect struct{}

func (postgresDialect) name() string { return "postgres" }

func (postgresDialect) rebind(query string) string {
	var b strings.Builder
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	return b.String()
}

func (postgresDialect) forUpdate() string { return " FOR UPDATE" }

func (postgresDialect) forUpdateOf(aliases string) string { return " FOR UPDATE OF " + aliases }

func (postgresDialect) combinedWrites() bool { return true }

func (postgresDialect) skipLocked() string { return " FOR UPDATE OF j SKIP LOCKED" }

func (postgresDialect) skipLockedLogins() string { return " FOR UPDATE OF l SKIP LOCKED" }

// updateDocs updates all rows in one statement from arrays.
func (postgresDialect) updateDocs(ctx context.Context, tx *sql.Tx, updates []docUpdate) error {
	n := len(updates)
	accounts, positions, docs := make([]int64, n), make([]int32, n), make([][]byte, n)
	for i, u := range updates {
		accounts[i], positions[i], docs[i] = u.account, int32(u.pos), u.doc
	}
	_, err := tx.ExecContext(ctx, `
		UPDATE transactions AS t SET doc = v.doc
		FROM unnest($1::bigint[], $2::int[], $3::bytea[]) AS v(account_pk, pos, doc)
		WHERE t.account_pk = v.account_pk AND t.pos = v.pos`, accounts, positions, docs)
	return err
}

// replaceDocs updates up to unnestRows rows with updateDocs' one
// statement. More it deletes and loads anew with COPY: PostgreSQL writes a
// new version of every row either way, and the load is 1.6x as fast as
// the UPDATE for 10,000 (BenchmarkLogins/postgres/SaveAnalysis).
func (d postgresDialect) replaceDocs(ctx context.Context, conn *sql.Conn, tx *sql.Tx, accounts []int64, updates []docUpdate) error {
	if len(updates) <= unnestRows {
		return d.updateDocs(ctx, tx, updates)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM transactions WHERE account_pk = ANY($1)`, accounts); err != nil {
		return err
	}
	row := make([]any, len(transactionColumns))
	return d.bulkInsert(ctx, conn, tx, "transactions", transactionColumns, len(updates), func(i int) []any {
		u := &updates[i]
		row[0], row[1], row[2] = u.account, u.pos, u.doc
		return row
	})
}

func (postgresDialect) snapshotTx() *sql.TxOptions {
	return &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
}

// migrationLock is the advisory lock key that serialises migrations of
// replicas starting at the same time.
const migrationLock = 0x6b6f6e746f72 // "kontor"

func (postgresDialect) lockMigrations(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(migrationLock)); err != nil {
		return fmt.Errorf("locking migrations: %w", err)
	}
	return nil
}

func (postgresDialect) isUniqueViolation(err error) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && e.Code == "23505"
}

// eachRow reads the rows through pgx itself rather than database/sql,
// which makes every value a driver.Value first: a byte column is copied
// into a new slice per row there, where pgx lends the bytes it received.
func (postgresDialect) eachRow(ctx context.Context, conn *sql.Conn, _ *sql.Tx, query string, args, dest []any, fn func() error) error {
	native := make([]any, len(dest))
	for i, d := range dest {
		if b, ok := d.(*sql.RawBytes); ok {
			native[i] = (*pgtype.DriverBytes)(b)
		} else {
			native[i] = d
		}
	}
	return conn.Raw(func(dc any) error {
		rows, err := dc.(*stdlib.Conn).Conn().Query(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := rows.Scan(native...); err != nil {
				return err
			}
			if err := fn(); err != nil {
				return err
			}
		}
		return rows.Err()
	})
}

// unnestRows is the most rows bulkInsert sends as one INSERT of arrays
// rather than with COPY. COPY through pgx takes three round trips (the
// columns' types, the COPY statement, the data) and parses its statement
// every time; the INSERT takes one, prepared once per connection. Past a
// few thousand rows COPY's stream is faster than building the arrays.
const unnestRows = 1024

// bulkInsert loads the rows, inside the transaction that is open on conn:
// up to unnestRows of them with one INSERT from arrays (a column each),
// more with COPY.
func (postgresDialect) bulkInsert(ctx context.Context, conn *sql.Conn, _ *sql.Tx, table string, columns []string, n int, row func(i int) []any) error {
	if n == 0 {
		return nil
	}
	return conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		if n <= unnestRows {
			arrays := make([][]any, len(columns))
			for j := range arrays {
				arrays[j] = make([]any, 0, n)
			}
			for i := range n {
				for j, v := range row(i) {
					arrays[j] = append(arrays[j], v)
				}
			}
			args := make([]any, len(arrays))
			for j := range arrays {
				args[j] = arrays[j]
			}
			if _, err := pc.Exec(ctx, unnestInsertSQL(table, columns), args...); err != nil {
				return fmt.Errorf("inserting into %s: %w", table, err)
			}
			return nil
		}
		i := 0
		src := pgx.CopyFromFunc(func() ([]any, error) {
			if i == n {
				return nil, nil
			}
			i++
			return row(i - 1), nil
		})
		if _, err := pc.CopyFrom(ctx, pgx.Identifier{table}, columns, src); err != nil {
			return fmt.Errorf("copying into %s: %w", table, err)
		}
		return nil
	})
}

// unnestInsertSQL is the INSERT of rows given as one array per column,
// made once per table.
func unnestInsertSQL(table string, columns []string) string {
	return generated("unnest", table, 0, func() string {
		var b strings.Builder
		b.WriteString("INSERT INTO " + table + " (" + strings.Join(columns, ", ") + ") SELECT * FROM unnest(")
		for j, c := range columns {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "$%d::%s[]", j+1, columnType(c))
		}
		b.WriteString(")")
		return b.String()
	})
}

// columnType is the PostgreSQL type of a column of the item tables, by its
// name; a column missing here that is not text fails every upload's
// INSERT, which the store's tests make.
func columnType(column string) string {
	switch {
	case column == "account_pk":
		return "bigint"
	case column == "pos", column == "execution_day":
		return "integer"
	case strings.HasSuffix(column, "_date"):
		return "timestamptz"
	case column == "booked":
		return "boolean"
	case column == "amount", strings.HasSuffix(column, "_amount"), column == "exchange_rate", column == "quantity":
		return "numeric"
	case column == "doc":
		return "bytea"
	}
	return "text"
}
