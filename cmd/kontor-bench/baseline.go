package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // the pgx database/sql driver, for seeding
)

// baselineColumns are the columns of the baseline's transactions table,
// those of Kontor's.
var baselineColumns = []string{"account_pk", "pos", "doc"}

// baselineTable is the DDL of the baseline's table: Kontor's transactions
// table without its foreign key. %[1]s is the type of the document, %[2]s
// the table options.
const baselineTable = `CREATE TABLE baseline_transactions (
	account_pk BIGINT NOT NULL,
	pos        INTEGER NOT NULL,
	doc        %[1]s NOT NULL,
	PRIMARY KEY (account_pk, pos)
)%[2]s`

// inserter is a baseline that inserts rows the fastest way its driver
// offers and returns how long it took: into baseline_transactions, or
// with fk into baseline_transactions_fk, which has Kontor's foreign key
// to its accounts (shown for information: the targets compare with the
// plain table).
type inserter interface {
	insert(ctx context.Context, fk bool) (time.Duration, error)
	close() error
}

// baselineFK makes baseline_transactions_fk: the baseline table with a
// foreign key to an accounts table of one row, as Kontor's transactions
// reference its accounts. doc and opts are baselineTable's.
func baselineFK(ctx context.Context, exec func(ctx context.Context, q string) error, doc, opts string) error {
	for _, q := range []string{
		`CREATE TABLE baseline_accounts (pk BIGINT PRIMARY KEY)`,
		`INSERT INTO baseline_accounts (pk) VALUES (1)`,
		strings.Replace(strings.Replace(fmt.Sprintf(baselineTable, doc, opts), "baseline_transactions", "baseline_transactions_fk", 1),
			"account_pk BIGINT NOT NULL,", "account_pk BIGINT NOT NULL REFERENCES baseline_accounts (pk) ON DELETE CASCADE,", 1),
	} {
		if err := exec(ctx, q); err != nil {
			return fmt.Errorf("creating baseline table with foreign key: %w", err)
		}
	}
	return nil
}

// baselineName is the table an inserter loads.
func baselineName(fk bool) string {
	if fk {
		return "baseline_transactions_fk"
	}
	return "baseline_transactions"
}

// newInserter prepares the baseline of backend on its own table: in a
// separate SQLite file with Kontor's settings (WAL, synchronous FULL), or
// in the scenario's PostgreSQL database.
func newInserter(ctx context.Context, db *database, rows []transactionRow) (inserter, error) {
	if db.backend == "sqlite" {
		return newSQLiteInserter(ctx, filepath.Join(db.dir, "baseline.db"), rows)
	}
	return newPostgresInserter(ctx, db.url, rows)
}

// sqliteInserter inserts with one prepared statement in one transaction.
type sqliteInserter struct {
	db   *sql.DB
	rows []transactionRow
}

func newSQLiteInserter(ctx context.Context, path string, rows []transactionRow) (*sqliteInserter, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("opening baseline sqlite: %w", err)
	}
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, fmt.Sprintf(baselineTable, "BLOB", " WITHOUT ROWID")); err != nil {
		db.Close()
		return nil, fmt.Errorf("creating baseline table: %w", err)
	}
	exec := func(ctx context.Context, q string) error { _, err := db.ExecContext(ctx, q); return err }
	if err := baselineFK(ctx, exec, "BLOB", " WITHOUT ROWID"); err != nil {
		db.Close()
		return nil, err
	}
	return &sqliteInserter{db: db, rows: rows}, nil
}

func (s *sqliteInserter) insert(ctx context.Context, fk bool) (time.Duration, error) {
	table := baselineName(fk)
	if _, err := s.db.ExecContext(ctx, `DELETE FROM `+table); err != nil {
		return 0, fmt.Errorf("emptying baseline table: %w", err)
	}
	query := `INSERT INTO ` + table + ` (` + strings.Join(baselineColumns, ", ") + `) VALUES (` +
		strings.TrimSuffix(strings.Repeat("?, ", len(baselineColumns)), ", ") + `)`
	start := time.Now()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("beginning baseline transaction: %w", err)
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, query)
	if err != nil {
		return 0, fmt.Errorf("preparing baseline insert: %w", err)
	}
	for i := range s.rows {
		r := &s.rows[i]
		if _, err := stmt.ExecContext(ctx, int64(1), r.pos, r.doc); err != nil {
			return 0, fmt.Errorf("baseline insert: %w", err)
		}
	}
	if err := stmt.Close(); err != nil {
		return 0, fmt.Errorf("closing baseline statement: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("committing baseline: %w", err)
	}
	return time.Since(start), nil
}

func (s *sqliteInserter) close() error { return s.db.Close() }

// postgresInserter loads the rows with COPY through pgx.
type postgresInserter struct {
	conn *pgx.Conn
	rows [][]any
}

func newPostgresInserter(ctx context.Context, url string, rows []transactionRow) (*postgresInserter, error) {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("connecting baseline: %w", err)
	}
	if _, err := conn.Exec(ctx, fmt.Sprintf(baselineTable, "BYTEA", "")); err != nil {
		conn.Close(ctx)
		return nil, fmt.Errorf("creating baseline table: %w", err)
	}
	exec := func(ctx context.Context, q string) error { _, err := conn.Exec(ctx, q); return err }
	if err := baselineFK(ctx, exec, "BYTEA", ""); err != nil {
		conn.Close(ctx)
		return nil, err
	}
	// The values in the types pgx encodes natively, made before timing.
	values := make([][]any, len(rows))
	for i := range rows {
		values[i] = []any{int64(1), rows[i].pos, rows[i].doc}
	}
	return &postgresInserter{conn: conn, rows: values}, nil
}

func (p *postgresInserter) insert(ctx context.Context, fk bool) (time.Duration, error) {
	table := baselineName(fk)
	if _, err := p.conn.Exec(ctx, `TRUNCATE `+table); err != nil {
		return 0, fmt.Errorf("emptying baseline table: %w", err)
	}
	start := time.Now()
	tx, err := p.conn.Begin(ctx)
	if err != nil {
		return 0, fmt.Errorf("beginning baseline transaction: %w", err)
	}
	defer tx.Rollback(ctx)
	n, err := tx.CopyFrom(ctx, pgx.Identifier{table}, baselineColumns, pgx.CopyFromRows(p.rows))
	if err != nil {
		return 0, fmt.Errorf("baseline copy: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return 0, fmt.Errorf("committing baseline: %w", err)
	}
	if int(n) != len(p.rows) {
		return 0, fmt.Errorf("baseline copy: %d rows, want %d", n, len(p.rows))
	}
	return time.Since(start), nil
}

func (p *postgresInserter) close() error { return p.conn.Close(context.Background()) }

// plainServer is a baseline HTTP server in this process.
type plainServer struct {
	srv  *http.Server
	base string
	done chan error
}

// startPlain serves h on a loopback port.
func startPlain(h http.Handler) (*plainServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listening: %w", err)
	}
	p := &plainServer{srv: &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}, base: "http://" + ln.Addr().String(), done: make(chan error, 1)}
	go func() { p.done <- p.srv.Serve(ln) }()
	return p, nil
}

// stop shuts the server down.
func (p *plainServer) stop() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := p.srv.Shutdown(ctx)
	if serveErr := <-p.done; !errors.Is(serveErr, http.ErrServerClosed) {
		err = errors.Join(err, serveErr)
	}
	return err
}

// cannedHandler answers every request with a fixed status and JSON body,
// after reading the request body whole.
func cannedHandler(status int, body []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		if status == http.StatusNoContent {
			w.WriteHeader(status)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(status)
		w.Write(body)
	}
}
