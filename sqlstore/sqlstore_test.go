package sqlstore

import (
	"context"
	"testing"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/internal/testdb"
	"github.com/kontor-dev/kontor/storetest"
)

func backend(url func(testing.TB) string) storetest.Backend {
	return storetest.Backend{
		Open: func(tb testing.TB) kontor.Store {
			db, err := Open(context.Background(), url(tb))
			if err != nil {
				tb.Fatal(err)
			}
			tb.Cleanup(func() { db.Close() })
			return db
		},
		FailTransactionInserts: func(tb testing.TB, s kontor.Store, purpose string) {
			db := s.(*DB)
			var stmts []string
			switch db.Dialect() {
			case "sqlite":
				stmts = []string{`CREATE TRIGGER fail_inserts BEFORE INSERT ON transactions
					WHEN instr(CAST(NEW.doc AS TEXT), '"purpose":"` + purpose + `"') > 0 BEGIN SELECT RAISE(ABORT, 'injected failure'); END`}
			case "postgres":
				stmts = []string{
					`CREATE FUNCTION fail_inserts() RETURNS trigger LANGUAGE plpgsql AS $$
					BEGIN IF position(convert_to('"purpose":"` + purpose + `"', 'UTF8') IN NEW.doc) > 0 THEN
						RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$`,
					`CREATE TRIGGER fail_inserts BEFORE INSERT ON transactions FOR EACH ROW EXECUTE FUNCTION fail_inserts()`,
				}
			}
			for _, q := range stmts {
				if _, err := db.write.Exec(q); err != nil {
					tb.Fatalf("installing failure trigger: %v", err)
				}
			}
		},
	}
}

// backends are the databases the store's own tests run on, by name; the
// PostgreSQL ones skip, saying why, without KONTOR_TEST_POSTGRES.
var backends = map[string]func(testing.TB) string{"sqlite": testdb.SQLite, "postgres": testdb.Postgres}

// openWithClient opens a new store at url, closed when tb ends, and
// creates an API client in it.
func openWithClient(tb testing.TB, url string) (*DB, *kontor.Client) {
	tb.Helper()
	db, err := Open(context.Background(), url)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	c := &kontor.Client{ID: "c1", Name: "acme", SecretHash: "x", APIVersion: kontor.DefaultAPIVersion, RateLimit: 1, RateBurst: 1}
	if err := db.CreateClient(context.Background(), c); err != nil {
		tb.Fatal(err)
	}
	return db, c
}

func TestSQLite(t *testing.T) { storetest.Run(t, backend(testdb.SQLite)) }

func TestPostgres(t *testing.T) { storetest.Run(t, backend(testdb.Postgres)) }

func TestOpenRejectsUnknownURL(t *testing.T) {
	if _, err := Open(context.Background(), "mysql://root:hunter2@localhost/db"); err == nil {
		t.Fatal("Open accepted a mysql URL")
	} else if got := err.Error(); contains(got, "hunter2") {
		t.Fatalf("error leaks the password: %s", got)
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}
