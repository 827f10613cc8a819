package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/internal/testdb"
	"github.com/kontor-dev/kontor/storetest"
)

// TestEncodeStoredTransactions checks the data step of migration 0007:
// transactions stored without a document, more than a page of them, get
// the one a fresh upload would have.
func TestEncodeStoredTransactions(t *testing.T) {
	for name, url := range map[string]func(testing.TB) string{"sqlite": testdb.SQLite, "postgres": testdb.Postgres} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			db, err := Open(ctx, url(t))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			c := &kontor.Client{ID: "c1", Name: "acme", SecretHash: "x", APIVersion: "1", RateLimit: 1, RateBurst: 1}
			if err := db.CreateClient(ctx, c); err != nil {
				t.Fatal(err)
			}
			u := &kontor.User{ID: "u1", ClientID: c.ID, Type: kontor.UserPerson}
			if err := db.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
			login := kontor.Login{ID: "l1", Source: kontor.SourceUpload}
			day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			for a, n := range []int{1200, 300} {
				acc := kontor.Account{ID: fmt.Sprintf("acc-%d", a), Currency: "EUR"}
				for i := range n {
					acc.Transactions = append(acc.Transactions, kontor.Transaction{
						ID: fmt.Sprintf("t-%d-%d", a, i), AccountID: acc.ID, Currency: "EUR",
						BookingDate: kontor.TimestampOf(day.AddDate(0, 0, i%365)), ValueDate: kontor.TimestampOf(day),
						Purpose: fmt.Sprintf("Rechnung <%d> & Co", i), Booked: i%7 != 0, Amount: kontor.AmountFromCents(int64(i*37 - 5000)),
						Tags: []kontor.Tag{{Name: "rent", Source: kontor.TagSourceKontor}}, Codes: []kontor.Code{{Value: "116", Type: "GVC"}},
					})
				}
				login.Accounts = append(login.Accounts, acc)
			}
			if err := db.ReplaceUploadedLogins(ctx, c.ID, u.ID, []kontor.Login{login}); err != nil {
				t.Fatal(err)
			}
			if _, err := db.exec(ctx, `UPDATE transactions SET doc = NULL`); err != nil {
				t.Fatal(err)
			}
			err = db.inTx(ctx, func(ctx context.Context, _ *sql.Conn, tx *sql.Tx) error {
				return encodeStoredTransactions(ctx, db, tx)
			})
			if err != nil {
				t.Fatal(err)
			}
			var missing int
			if err := db.QueryRowForTest(ctx, `SELECT COUNT(*) FROM transactions WHERE doc IS NULL`, &missing); err != nil || missing != 0 {
				t.Fatalf("%d transactions left without a document (%v)", missing, err)
			}
			storetest.CheckEncodedLogins(t, db, c.ID, u.ID)
		})
	}
}

// TestDocArena checks that documents an arena hands out stay as they were
// encoded or copied while it moves on through growing chunks, for
// documents far smaller and larger than a chunk, and that the chunks grow
// from the small first one.
func TestDocArena(t *testing.T) {
	var (
		a    docArena
		docs [][]byte
		want []string
	)
	for i := range 2000 {
		var doc []byte
		switch {
		case i%500 == 7: // larger than a whole chunk
			doc = a.copy([]byte(fmt.Sprintf(`{"big":%d,"pad":"%0*d"}`, i, docChunk+i, 0)))
		case i%2 == 0:
			tx := kontor.Transaction{ID: fmt.Sprintf("t%d", i), Purpose: fmt.Sprintf("%0*d", i%3000, i), Currency: "EUR"}
			doc = a.encode(&tx)
		default:
			doc = a.copy([]byte(fmt.Sprintf(`{"n":%d}`, i)))
		}
		if i == 0 && cap(a.chunk) != docChunkMin {
			t.Fatalf("first chunk holds %d bytes, want %d", cap(a.chunk), docChunkMin)
		}
		if cap(doc) != len(doc) {
			t.Fatalf("document %d has spare capacity %d: appending to it would overwrite the next", i, cap(doc)-len(doc))
		}
		docs, want = append(docs, doc), append(want, string(doc))
	}
	for i := range docs {
		if string(docs[i]) != want[i] {
			t.Fatalf("document %d changed after later ones: %.80q, want %.80q", i, docs[i], want[i])
		}
	}
	if !strings.HasPrefix(want[0], `{"id":"t0",`) {
		t.Errorf("first document %.80q is not the transaction's JSON", want[0])
	}
}
