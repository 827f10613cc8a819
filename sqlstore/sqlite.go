package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"runtime"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// openSQLite opens the SQLite database file at path: WAL journal, foreign
// keys on, full fsync on commit so that an acknowledged write survives a
// crash, and writers that wait for each other rather than fail; the log
// is checkpointed in the background (see checkpoint.go). Temporary
// files stay in memory: the group commit runs each write in a savepoint,
// whose journal of the pages it changes otherwise spills to a file once
// it passes 64 KiB, a write system call per page (a sixth of the server's
// CPU in the API mix).
func openSQLite(path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("opening sqlite: empty path")
	}
	pragmas := []string{"foreign_keys(1)", "busy_timeout(10000)", "synchronous(FULL)", "temp_store(MEMORY)"}
	memory := path == ":memory:"
	if !memory {
		pragmas = append(pragmas, "journal_mode(WAL)")
	}
	dsn := func(extra ...string) string {
		q := url.Values{}
		for _, p := range append(pragmas, extra...) {
			q.Add("_pragma", p)
		}
		return "file:" + path + "?" + q.Encode()
	}
	open := func(dsn string) (*sql.DB, error) {
		c, err := sqlite.NewConnector(dsn)
		if err != nil {
			return nil, fmt.Errorf("opening sqlite %s: %w", path, err)
		}
		return sql.OpenDB(cachingConnector{c}), nil
	}
	var writeOnly []string
	if !memory {
		writeOnly = append(writeOnly, fmt.Sprintf("wal_autocheckpoint(%d)", walCheckpointPages))
	}
	write, err := open(dsn(writeOnly...) + "&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	read := write
	if !memory {
		if read, err = open(dsn("query_only(1)")); err != nil {
			write.Close()
			return nil, err
		}
		n := max(4, 2*runtime.GOMAXPROCS(0))
		read.SetMaxOpenConns(n)
		read.SetMaxIdleConns(n)
	}
	if err := write.Ping(); err != nil {
		write.Close()
		read.Close()
		return nil, fmt.Errorf("opening sqlite %s: %w", path, err)
	}
	db := &DB{write: write, read: read, dialect: sqliteDialect{}, writer: newGroupCommitter(write)}
	if !memory {
		db.checkpoints = startCheckpointer(read)
	}
	return db, nil
}

type sqliteDialect struct{}

func (sqliteDialect) name() string               { return "sqlite" }
func (sqliteDialect) rebind(query string) string { return query }
func (sqliteDialect) snapshotTx() *sql.TxOptions { return nil }
func (sqliteDialect) forUpdate() string          { return "" }
func (sqliteDialect) forUpdateOf(string) string  { return "" }
func (sqliteDialect) combinedWrites() bool       { return false }
func (sqliteDialect) skipLocked() string         { return "" }
func (sqliteDialect) skipLockedLogins() string   { return "" }

// replaceDocs updates the rows one by one: 1.4x as fast for 10,000 as
// deleting and inserting them (BenchmarkLogins/sqlite/SaveAnalysis).
func (d sqliteDialect) replaceDocs(ctx context.Context, _ *sql.Conn, tx *sql.Tx, _ []int64, updates []docUpdate) error {
	return d.updateDocs(ctx, tx, updates)
}

// updateDocs updates the rows one by one with one statement.
func (sqliteDialect) updateDocs(ctx context.Context, tx *sql.Tx, updates []docUpdate) error {
	for _, u := range updates {
		if _, err := tx.ExecContext(ctx, `UPDATE transactions SET doc = ? WHERE account_pk = ? AND pos = ?`, u.doc, u.account, u.pos); err != nil {
			return err
		}
	}
	return nil
}

func (sqliteDialect) eachRow(ctx context.Context, _ *sql.Conn, tx *sql.Tx, query string, args, dest []any, fn func() error) error {
	return eachRow(ctx, tx, query, args, func(rows *sql.Rows) error {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		return fn()
	})
}

func (sqliteDialect) lockMigrations(context.Context, *sql.Tx) error {
	return nil // the write transaction is BEGIN IMMEDIATE: it holds the lock
}

func (sqliteDialect) isUniqueViolation(err error) bool {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return false
	}
	return e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || e.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}

// sqliteBatch is how many rows one INSERT statement carries at most; it
// keeps the number of bound parameters well under SQLite's limit of 32766.
// A power of two, as the sizes of the smaller batches are.
const sqliteBatch = 256

// bulkInsert inserts the rows with multi-row INSERTs: full batches of
// sqliteBatch rows, then one batch for each bit of the rest's count (20
// rows are one INSERT of 16 and one of 4), so that every statement comes
// from a set of nine per table, each compiled once per connection, and a
// few rows cost one or two statements rather than one each: the fastest
// way SQLite offers through database/sql.
func (sqliteDialect) bulkInsert(ctx context.Context, _ *sql.Conn, tx *sql.Tx, table string, columns []string, n int, row func(i int) []any) error {
	var args []any
	for i, size := 0, sqliteBatch; i < n; {
		for i+size > n {
			size /= 2
		}
		args = args[:0]
		for j := i; j < i+size; j++ {
			args = append(args, row(j)...)
		}
		if _, err := tx.ExecContext(ctx, insertSQL(table, columns, size), args...); err != nil {
			return fmt.Errorf("inserting into %s: %w", table, err)
		}
		i += size
	}
	return nil
}
