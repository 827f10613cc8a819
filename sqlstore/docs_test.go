package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/storetest"
)

// TestUpgradeStoredTransactions checks migrations 0007 and 0008 on a
// database from before them: transactions stored as columns only, more
// than a page of them, get the document a fresh upload would have, and
// read back as they were after the columns are dropped.
func TestUpgradeStoredTransactions(t *testing.T) {
	for name, url := range backends {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			db, err := open(url(t))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if err := db.migrate(ctx, "0006_indexes.sql"); err != nil {
				t.Fatal(err)
			}
			c := &kontor.Client{ID: "c1", Name: "acme", SecretHash: "x", APIVersion: "1", RateLimit: 1, RateBurst: 1}
			if err := db.CreateClient(ctx, c); err != nil {
				t.Fatal(err)
			}
			u := &kontor.User{ID: "u1", ClientID: c.ID, Type: kontor.UserPerson}
			if err := db.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
			login := kontor.Login{ID: "l1", Source: kontor.SourceUpload, Bank: kontor.Bank{Name: "Bank"}}
			day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			for a, n := range []int{1200, 300} {
				acc := kontor.Account{ID: fmt.Sprintf("acc-%d", a), Currency: "EUR", Transactions: []kontor.Transaction{}, StandingOrders: []kontor.StandingOrder{}, Securities: []kontor.Security{}}
				for i := range n {
					tx := kontor.Transaction{
						ID: fmt.Sprintf("t-%d-%d", a, i), AccountID: acc.ID, Currency: "EUR",
						BookingDate: kontor.TimestampOf(day.AddDate(0, 0, i%365)), ValueDate: kontor.TimestampOf(day),
						Purpose: fmt.Sprintf("Rechnung <%d> & Co \"ü\"", i), Booked: i%7 != 0, Amount: kontor.AmountFromCents(int64(i*37 - 5000)),
						CounterPart: kontor.CounterPart{Name: "Stadtwerke", IBAN: "DE02500105170137075030"},
						Tags:        []kontor.Tag{{Name: "rent", Source: kontor.TagSourceKontor}}, Codes: []kontor.Code{{Value: "116", Type: "GVC"}},
					}
					if i%3 == 0 {
						tx.BookingDate, tx.Tags, tx.Codes = kontor.Timestamp{}, []kontor.Tag{}, []kontor.Code{}
					}
					acc.Transactions = append(acc.Transactions, tx)
				}
				login.Accounts = append(login.Accounts, acc)
			}
			// The rows as the store wrote them before migration 0007.
			err = db.inTx(ctx, func(ctx context.Context, _ *sql.Conn, tx *sql.Tx) error {
				userPK, err := db.lockUser(ctx, tx, c.ID, u.ID)
				if err != nil {
					return err
				}
				q := db.in(ctx, tx)
				var loginPK int64
				if err := q.queryRow(qInsertLogin, userPK, login.ID, string(login.Source), login.Bank.Name, "", "", "", "", time.Now().UTC()).Scan(&loginPK); err != nil {
					return err
				}
				for ai, a := range login.Accounts {
					var accountPK int64
					if err := q.queryRow(qInsertAccount, loginPK, ai, a.ID, "", "", "", "", "", a.Balance, a.CreditLine, a.MonthlySpendingLimit, a.Currency).Scan(&accountPK); err != nil {
						return err
					}
					for p, t := range a.Transactions {
						tags, _ := json.Marshal(t.Tags)
						codes, _ := json.Marshal(t.Codes)
						_, err := q.exec(`INSERT INTO transactions (account_pk, pos, id, account_id, booking_date, value_date, currency, mref,
							purpose, booked, amount, cp_bic, cp_iban, cp_creditor_id, cp_name, tags, codes)
							VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
							accountPK, p, t.ID, t.AccountID, timeValue(t.BookingDate), timeValue(t.ValueDate), t.Currency, t.MRef,
							t.Purpose, t.Booked, db.amountValue(t.Amount), t.CounterPart.BIC, t.CounterPart.IBAN, t.CounterPart.CreditorID,
							t.CounterPart.Name, string(tags), string(codes))
						if err != nil {
							return err
						}
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}

			if err := db.migrate(ctx, ""); err != nil {
				t.Fatal(err)
			}
			got, err := db.Logins(ctx, c.ID, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || len(got[0].Accounts) != 2 {
				t.Fatalf("after the upgrade: %d logins", len(got))
			}
			for ai, want := range login.Accounts {
				g := got[0].Accounts[ai]
				if len(g.Transactions) != len(want.Transactions) {
					t.Fatalf("account %s: %d transactions after the upgrade, want %d", want.ID, len(g.Transactions), len(want.Transactions))
				}
				for i := range want.Transactions {
					w, h := want.Transactions[i], g.Transactions[i]
					if !w.BookingDate.Time.Equal(h.BookingDate.Time) || !w.ValueDate.Time.Equal(h.ValueDate.Time) || w.Amount.String() != h.Amount.String() {
						t.Fatalf("transaction %s: dates or amount changed: %+v, want %+v", w.ID, h, w)
					}
					h.BookingDate, h.ValueDate, h.Amount = w.BookingDate, w.ValueDate, w.Amount // equal, compared above
					if !reflect.DeepEqual(h, w) {
						t.Fatalf("transaction %d after the upgrade:\n%+v\nwant\n%+v", i, h, w)
					}
				}
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
