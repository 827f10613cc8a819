// Package testdb gives tests and benchmarks databases of their own: a
// SQLite file in a temporary directory, or a fresh schema in the PostgreSQL
// database named by KONTOR_TEST_POSTGRES, dropped when the test ends.
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the pgx database/sql driver
)

// PostgresEnv names the environment variable with the PostgreSQL URL that
// PostgreSQL tests run against.
const PostgresEnv = "KONTOR_TEST_POSTGRES"

// SQLite returns the URL of a new SQLite database file.
func SQLite(tb testing.TB) string {
	tb.Helper()
	return "sqlite:" + filepath.Join(tb.TempDir(), "kontor.db")
}

// Postgres returns the URL of a new, empty schema in the test PostgreSQL
// database, dropped when tb ends. It skips tb, saying why, when
// KONTOR_TEST_POSTGRES is not set.
func Postgres(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		tb.Skipf("PostgreSQL test skipped: set %s to a PostgreSQL URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run it", PostgresEnv)
	}
	var b [6]byte
	rand.Read(b[:])
	schema := "kontor_test_" + hex.EncodeToString(b[:])

	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatalf("opening %s: %v", PostgresEnv, err)
	}
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		admin.Close()
		tb.Fatalf("creating schema: %v", err)
	}
	tb.Cleanup(func() {
		defer admin.Close()
		if _, err := admin.ExecContext(ctx, `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			tb.Errorf("dropping schema %s: %v", schema, err)
		}
	})

	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("parsing %s: %v", PostgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Each runs fn once per backend as a subtest: "sqlite" always, "postgres"
// when KONTOR_TEST_POSTGRES is set (skipped with a reason otherwise).
func Each(t *testing.T, fn func(t *testing.T, url string)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}
