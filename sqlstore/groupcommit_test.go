package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// openGroupTest opens a SQLite store with a table t of keys; a trigger
// rolls the whole transaction back when the key "rollback" is inserted.
func openGroupTest(t *testing.T) *DB {
	t.Helper()
	ctx := context.Background()
	db, err := Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "group.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for _, q := range []string{
		`CREATE TABLE t (k TEXT PRIMARY KEY)`,
		`CREATE TRIGGER t_rollback BEFORE INSERT ON t WHEN NEW.k = 'rollback' BEGIN SELECT RAISE(ROLLBACK, 'rolled back by trigger'); END`,
	} {
		if _, err := db.exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func insertKey(k string) txFunc {
	return func(ctx context.Context, _ *sql.Conn, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO t (k) VALUES (?)`, k)
		return err
	}
}

func keys(t *testing.T, db *DB) []string {
	t.Helper()
	rows, err := db.read.Query(`SELECT k FROM t ORDER BY k`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			t.Fatal(err)
		}
		out = append(out, k)
	}
	return out
}

// holdWriter occupies the writer with a write that waits until release is
// called; the write's outcome arrives on done.
func holdWriter(t *testing.T, db *DB) (release func(), done <-chan error) {
	t.Helper()
	wait, started := make(chan struct{}), make(chan struct{})
	result := make(chan error, 1)
	go func() {
		result <- db.inTx(context.Background(), func(context.Context, *sql.Conn, *sql.Tx) error {
			close(started)
			<-wait
			return nil
		})
	}()
	<-started
	return func() { close(wait) }, result
}

// group runs fns as one group: it holds the writer with a write that
// waits until all of fns are queued behind it, in order, then lets them
// run. It returns each fn's outcome and how many transactions the writer
// began for them.
func group(t *testing.T, db *DB, ctxs []context.Context, fns ...txFunc) ([]error, int64) {
	t.Helper()
	release, holder := holdWriter(t, db)
	before := db.writer.groups.Load()
	errs := make([]error, len(fns))
	results := make([]chan error, len(fns))
	for i, fn := range fns {
		results[i] = make(chan error, 1)
		ctx := context.Background()
		if ctxs != nil {
			ctx = ctxs[i]
		}
		go func() { results[i] <- db.inTx(ctx, fn) }()
		deadline := time.Now().Add(10 * time.Second)
		for len(db.writer.queue) < i+1 {
			if time.Now().After(deadline) {
				t.Fatalf("write %d was not queued", i)
			}
			time.Sleep(time.Millisecond)
		}
	}
	release()
	if err := <-holder; err != nil {
		t.Fatal(err)
	}
	for i := range fns {
		errs[i] = <-results[i]
	}
	return errs, db.writer.groups.Load() - before
}

func TestGroupCommitOneTransaction(t *testing.T) {
	db := openGroupTest(t)
	errs, groups := group(t, db, nil, insertKey("a"), insertKey("b"), insertKey("c"))
	for i, err := range errs {
		if err != nil {
			t.Errorf("write %d: %v", i, err)
		}
	}
	if groups != 1 {
		t.Errorf("three waiting writes took %d transactions, want 1", groups)
	}
	if got := keys(t, db); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Errorf("keys = %q", got)
	}
}

func TestGroupCommitFailureStaysOwn(t *testing.T) {
	db := openGroupTest(t)
	if _, err := db.exec(context.Background(), `INSERT INTO t (k) VALUES ('taken')`); err != nil {
		t.Fatal(err)
	}
	own := errors.New("refused by the write itself")
	errs, groups := group(t, db, nil,
		insertKey("a"),
		func(ctx context.Context, conn *sql.Conn, tx *sql.Tx) error {
			if err := insertKey("half")(ctx, conn, tx); err != nil {
				return err
			}
			return own // after a write: it must be undone
		},
		insertKey("taken"), // a unique violation
		insertKey("b"))
	if groups != 1 {
		t.Errorf("took %d transactions, want 1", groups)
	}
	if errs[0] != nil || errs[3] != nil {
		t.Errorf("writes beside the failures failed: %v, %v", errs[0], errs[3])
	}
	if !errors.Is(errs[1], own) {
		t.Errorf("failing write got %v, want its own error", errs[1])
	}
	if !db.dialect.isUniqueViolation(errs[2]) {
		t.Errorf("duplicate key got %v, want a unique violation", errs[2])
	}
	if got := keys(t, db); !slices.Equal(got, []string{"a", "b", "taken"}) {
		t.Errorf("keys = %q, want a, b, taken", got)
	}
}

func TestGroupCommitTransactionRolledBack(t *testing.T) {
	db := openGroupTest(t)
	errs, _ := group(t, db, nil, insertKey("a"), insertKey("rollback"), insertKey("b"))
	if errs[0] == nil || !strings.Contains(errs[0].Error(), "rolled back") {
		t.Errorf("write before the rollback got %v, want an error saying its transaction was rolled back", errs[0])
	}
	if errs[1] == nil || !strings.Contains(errs[1].Error(), "rolled back by trigger") {
		t.Errorf("rolling-back write got %v", errs[1])
	}
	if errs[2] != nil {
		t.Errorf("write after the rollback got %v, want it run in a transaction of its own", errs[2])
	}
	if got := keys(t, db); !slices.Equal(got, []string{"b"}) {
		t.Errorf("keys = %q, want only b", got)
	}
}

func TestGroupCommitPanicReachesCaller(t *testing.T) {
	db := openGroupTest(t)
	var recovered any
	panicking := func(ctx context.Context, conn *sql.Conn, tx *sql.Tx) error {
		if err := insertKey("p")(ctx, conn, tx); err != nil {
			return err
		}
		panic("write body broke")
	}
	release, _ := holdWriter(t, db)
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() { recovered = recover() }()
		db.inTx(context.Background(), panicking)
	}()
	other := make(chan error, 1)
	for len(db.writer.queue) < 1 {
		time.Sleep(time.Millisecond)
	}
	go func() { other <- db.inTx(context.Background(), insertKey("a")) }()
	for len(db.writer.queue) < 2 {
		time.Sleep(time.Millisecond)
	}
	release()
	<-done
	if err := <-other; err != nil {
		t.Errorf("write beside the panic: %v", err)
	}
	if s, _ := recovered.(string); !strings.Contains(s, "write body broke") {
		t.Errorf("caller recovered %v, want the write's panic", recovered)
	}
	if got := keys(t, db); !slices.Equal(got, []string{"a"}) {
		t.Errorf("keys = %q, want only a", got)
	}
}

func TestGroupCommitCallerGone(t *testing.T) {
	db := openGroupTest(t)
	// A caller gone before its write starts leaves without it.
	release, _ := holdWriter(t, db)
	ctx, cancel2 := context.WithCancel(context.Background())
	result := make(chan error, 1)
	ran := false
	go func() {
		result <- db.inTx(ctx, func(ctx context.Context, conn *sql.Conn, tx *sql.Tx) error {
			ran = true
			return insertKey("late")(ctx, conn, tx)
		})
	}()
	for len(db.writer.queue) < 1 {
		time.Sleep(time.Millisecond)
	}
	cancel2()
	release()
	if err := <-result; !errors.Is(err, context.Canceled) {
		t.Errorf("write of a caller gone before it started: %v, want context.Canceled", err)
	}
	if ran || slices.Contains(keys(t, db), "late") {
		t.Error("the write of a caller gone before it started ran")
	}
}

func TestGroupCommitClosed(t *testing.T) {
	db := openGroupTest(t)
	db.writer.close()
	db.writer = nil // Close would stop it again
	w := newGroupCommitter(db.write)
	w.close()
	if err := w.do(context.Background(), insertKey("x")); !errors.Is(err, errClosed) {
		t.Errorf("write after close: %v, want errClosed", err)
	}
}
