// Package sqlstore implements kontor.Store on SQL databases: SQLite (pure Go,
// the embedded default) and PostgreSQL. Both share the queries in this
// package; a dialect supplies what differs (placeholders, bulk loading,
// constraint errors, migrations).
package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/kontor-dev/kontor"
)

//go:embed migrations
var migrations embed.FS

// DB is a kontor.Store on a SQL database.
type DB struct {
	// write takes every write; read serves reads. They are the same pool
	// on PostgreSQL. On SQLite, write holds a single connection so that
	// writers queue in the process instead of failing on a busy database,
	// while read holds several that read in parallel.
	write, read *sql.DB
	dialect     dialect
	// writer, on SQLite, runs the write transactions and commits those
	// that wait at the same time together.
	writer *groupCommitter
	// checkpoints, on a SQLite file, copies its write-ahead log into it.
	checkpoints *checkpointer

	queries sync.Map // query text with ? placeholders -> dialect's text
}

var _ kontor.Store = (*DB)(nil)

// Open connects to the database named by url and brings its schema up to
// date. url is "sqlite:PATH" (PATH may be ":memory:" only for a single
// process' throwaway data) or a "postgres://" / "postgresql://" URL.
func Open(ctx context.Context, url string) (*DB, error) {
	db, err := open(url)
	if err != nil {
		return nil, err
	}
	if err := db.migrate(ctx, ""); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// open opens the database at url without migrating it.
func open(url string) (*DB, error) {
	switch {
	case strings.HasPrefix(url, "sqlite:"):
		return openSQLite(strings.TrimPrefix(url, "sqlite:"))
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		return openPostgres(url)
	}
	return nil, fmt.Errorf("opening database: unsupported URL %q (want sqlite:PATH or postgres://...)", redact(url))
}

// redact hides the password of a database URL.
func redact(url string) string {
	at := strings.LastIndexByte(url, '@')
	scheme := strings.Index(url, "://")
	if at < 0 || scheme < 0 || at < scheme {
		return url
	}
	userinfo := url[scheme+3 : at]
	if user, _, ok := strings.Cut(userinfo, ":"); ok {
		return url[:scheme+3] + user + ":xxxxx" + url[at:]
	}
	return url
}

// Dialect returns "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.dialect.name() }

// Ping reports whether the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.read.PingContext(ctx); err != nil {
		return fmt.Errorf("pinging %s: %w", db.dialect.name(), err)
	}
	return nil
}

// Close closes the database.
func (db *DB) Close() error {
	if db.checkpoints != nil {
		db.checkpoints.close()
	}
	if db.writer != nil {
		db.writer.close()
	}
	err := db.write.Close()
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// q returns query in the dialect's placeholder syntax.
func (db *DB) q(query string) string {
	if v, ok := db.queries.Load(query); ok {
		return v.(string)
	}
	v := db.dialect.rebind(query)
	db.queries.Store(query, v)
	return v
}

// inTx runs fn in a write transaction on a dedicated connection, which the
// dialect may use for bulk loading. It commits when fn returns nil and
// rolls back otherwise. fn's ctx is not cancelled once fn has started, so
// that a caller who goes away cannot break a transaction others share.
func (db *DB) inTx(ctx context.Context, fn txFunc) error {
	if db.writer != nil {
		return db.writer.do(ctx, fn)
	}
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("getting a connection: %w", err)
	}
	defer conn.Close()
	ctx = context.WithoutCancel(ctx)
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("beginning transaction: %w", err)
	}
	if err := fn(ctx, conn, tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("committing: %w", err)
	}
	return nil
}

// exec runs one write statement in a transaction of its own: on SQLite
// through the group commit, elsewhere as the statement's own implicit
// transaction, one round trip instead of three.
func (db *DB) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if db.writer == nil {
		return db.write.ExecContext(context.WithoutCancel(ctx), db.q(query), args...)
	}
	var res sql.Result
	err := db.inTx(ctx, func(ctx context.Context, _ *sql.Conn, tx *sql.Tx) error {
		var err error
		res, err = tx.ExecContext(ctx, db.q(query), args...)
		return err
	})
	return res, err
}

// readTx runs fn in a read-only transaction that sees one snapshot, open
// on conn, which the dialect may use directly (eachRow).
func (db *DB) readTx(ctx context.Context, fn func(conn *sql.Conn, tx *sql.Tx) error) error {
	conn, err := db.read.Conn(ctx)
	if err != nil {
		return fmt.Errorf("getting a connection: %w", err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, db.dialect.snapshotTx())
	if err != nil {
		return fmt.Errorf("beginning read transaction: %w", err)
	}
	defer tx.Rollback()
	return fn(conn, tx)
}

// dialect is what differs between the SQL databases.
type dialect interface {
	name() string
	// rebind turns ? placeholders into the dialect's own.
	rebind(query string) string
	// snapshotTx returns the options of a read transaction that sees one
	// consistent snapshot.
	snapshotTx() *sql.TxOptions
	// isUniqueViolation reports whether err is a unique constraint
	// violation.
	isUniqueViolation(err error) bool
	// bulkInsert inserts n rows into table within tx, row(i) giving the
	// values of row i in the order of columns.
	bulkInsert(ctx context.Context, conn *sql.Conn, tx *sql.Tx, table string, columns []string, n int, row func(i int) []any) error
	// forUpdate is the clause that locks the rows a SELECT reads until the
	// transaction ends ("" where the transaction locks the whole database).
	forUpdate() string
	// forUpdateOf is forUpdate for the rows of some tables of a join,
	// named by their aliases ("u" or "u, a").
	forUpdateOf(aliases string) string
	// combinedWrites reports whether writes that take several statements
	// elsewhere can be one statement, one round trip to the server: WITH
	// clauses holding INSERT, UPDATE and DELETE, UPDATE ... FROM ...
	// RETURNING, row locks with SKIP LOCKED in a subquery.
	combinedWrites() bool
	// skipLocked is the clause that locks the row a SELECT claims and
	// skips rows other transactions hold ("" where the transaction locks
	// the whole database).
	skipLocked() string
	// skipLockedLogins is skipLocked for a claim on the logins table.
	skipLockedLogins() string
	// eachRow runs query (in the dialect's placeholders) in the transaction
	// tx open on conn, and calls fn after scanning each row into dest. A
	// *sql.RawBytes in dest holds its column only until the next row.
	eachRow(ctx context.Context, conn *sql.Conn, tx *sql.Tx, query string, args, dest []any, fn func() error) error
	// updateDocs sets the documents of transactions.
	updateDocs(ctx context.Context, tx *sql.Tx, updates []docUpdate) error
	// replaceDocs sets the documents of all transactions of accounts, in
	// the transaction tx open on conn; updates holds one for each.
	replaceDocs(ctx context.Context, conn *sql.Conn, tx *sql.Tx, accounts []int64, updates []docUpdate) error
	// lockMigrations serialises migrations of concurrent processes within
	// tx.
	lockMigrations(ctx context.Context, tx *sql.Tx) error
}

// docUpdate is a transaction's new document (with the analysis's tags),
// the transaction named by its account's key and its position.
type docUpdate struct {
	account int64
	pos     int
	doc     []byte
}

// QueryRowForTest runs a single-row query on the database and scans the
// result; tests use it to look behind the API.
func (db *DB) QueryRowForTest(ctx context.Context, query string, dest ...any) error {
	return db.read.QueryRowContext(ctx, query).Scan(dest...)
}
