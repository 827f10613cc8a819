package sqlstore

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

// cached returns how many statements conn keeps.
func cached(t *testing.T, conn *sql.Conn) int {
	t.Helper()
	n := 0
	if err := conn.Raw(func(dc any) error {
		n = len(dc.(*cachingConn).stmts)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestStatementCache(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "stmts.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.exec(ctx, `CREATE TABLE t (k INTEGER PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	for k := range 3 {
		if _, err := db.exec(ctx, `INSERT INTO t (k) VALUES (?)`, k); err != nil {
			t.Fatal(err)
		}
	}
	conn, err := db.read.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()

	const q = `SELECT k FROM t WHERE k >= ? ORDER BY k`
	before := cached(t, conn)
	for range 5 {
		var k int
		if err := conn.QueryRowContext(ctx, q, 1).Scan(&k); err != nil || k != 1 {
			t.Fatalf("k = %d, %v", k, err)
		}
	}
	if got := cached(t, conn) - before; got != 1 {
		t.Errorf("five runs of one query kept %d statements, want 1", got)
	}

	// The same query again while its rows are open runs on a statement of
	// its own and leaves the open rows intact.
	outer, err := conn.QueryContext(ctx, q, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for outer.Next() {
		var k, first int
		if err := outer.Scan(&k); err != nil {
			t.Fatal(err)
		}
		if err := conn.QueryRowContext(ctx, q, k).Scan(&first); err != nil || first != k {
			t.Fatalf("inner query for %d = %d, %v", k, first, err)
		}
		got = append(got, k)
	}
	if err := outer.Close(); err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0] != 0 || got[2] != 2 {
		t.Errorf("outer rows = %v, want [0 1 2]", got)
	}
	if n := cached(t, conn) - before; n != 1 {
		t.Errorf("kept %d statements after nested use, want 1", n)
	}

	// A script of several statements runs, uncached, as a whole.
	wconn, err := db.write.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer wconn.Close()
	if _, err := wconn.ExecContext(ctx, `CREATE TEMP TABLE s (v INTEGER); INSERT INTO s VALUES (7)`); err != nil {
		t.Fatal(err)
	}
	var v int
	if err := wconn.QueryRowContext(ctx, `SELECT v FROM s`).Scan(&v); err != nil || v != 7 {
		t.Errorf("script's second statement did not run: %d, %v", v, err)
	}
}
