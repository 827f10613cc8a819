package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
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
