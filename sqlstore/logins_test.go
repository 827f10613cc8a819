package sqlstore

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/kontor-dev/kontor"
)

// tagTexts are names, sources, values and types with everything JSON
// escapes or passes through: plain text, quotes, backslashes, HTML
// characters, control characters, umlauts, U+2028, invalid UTF-8.
var tagTexts = []string{"", "salary", "transactionCode", `a"b`, `back\slash`, "<b>&</b>", "tab\there", "Überweisung",
	"line\u2028sep", "bad\xffutf8", "\x7f", "kontor", "}", `","source":"x`, "]"}

// TestTransactionDocuments checks that a transaction reads back from the
// document the store keeps as encoding/json reads back what it writes,
// with texts holding everything JSON escapes or passes through, and that
// a document that is not a transaction's is an error.
func TestTransactionDocuments(t *testing.T) {
	var docs docArena
	for _, a := range tagTexts {
		for _, b := range tagTexts {
			for n := range 3 {
				tx := kontor.Transaction{
					ID: a, AccountID: b, Currency: "EUR", MRef: a, Purpose: b + a, Booked: n == 1,
					BookingDate: kontor.TimestampOf(time.Date(2026, 11, 22, 10, 30, 0, 0, time.UTC)),
					Amount:      kontor.AmountFromCents(int64(n*1234 - 999)),
					CounterPart: kontor.CounterPart{BIC: a, IBAN: b, CreditorID: a, Name: b},
					Tags:        slices.Repeat([]kontor.Tag{{Name: a, Source: b}}, n),
					Codes:       slices.Repeat([]kontor.Code{{Value: a, Type: b}}, n),
				}
				doc := docs.encode(&tx)
				plain, err := json.Marshal(tx)
				if err != nil {
					t.Fatal(err)
				}
				if string(doc) != string(plain) {
					t.Fatalf("document %s, json.Marshal writes %s", doc, plain)
				}
				var want, got kontor.Transaction
				if err := json.Unmarshal(plain, &want); err != nil {
					t.Fatal(err)
				}
				if err := decodeTransaction(doc, &got); err != nil {
					t.Fatalf("decoding %s: %v", doc, err)
				}
				if !reflect.DeepEqual(got, want) || got.Tags == nil || got.Codes == nil {
					t.Fatalf("decoded %+v, want %+v", got, want)
				}
			}
		}
	}
	var got kontor.Transaction
	for _, bad := range []string{`{"id":"x"`, `[]`, `{"amount":"1.00"}`, ``} {
		if err := decodeTransaction([]byte(bad), &got); err == nil {
			t.Errorf("decodeTransaction(%q) succeeded", bad)
		}
	}
}

// BenchmarkLogins reads a user with 10,000 transactions and stores them
// anew, on SQLite and PostgreSQL (when KONTOR_TEST_POSTGRES is set).
//
//	go test -run '^$' -bench BenchmarkLogins ./sqlstore
func BenchmarkLogins(b *testing.B) {
	for name, url := range backends {
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			db, c := openWithClient(b, url(b))
			u := &kontor.User{ID: "u1", ClientID: c.ID, Type: kontor.UserPerson}
			if err := db.CreateUser(ctx, u); err != nil {
				b.Fatal(err)
			}
			a := kontor.Account{ID: "A1", Currency: "EUR", Balance: kontor.AmountFromCents(200441)}
			for i := range 10_000 {
				day := kontor.TimestampOf(time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -i/20))
				a.Transactions = append(a.Transactions, kontor.Transaction{
					ID: "T" + strconv.Itoa(i), AccountID: "A1", BookingDate: day, ValueDate: day, Currency: "EUR",
					MRef: "MREF" + strconv.Itoa(i), Purpose: "REWE Markt GmbH Einkauf " + strconv.Itoa(i), Booked: true,
					Amount:      kontor.AmountFromCents(-int64(i%9999 + 1)),
					CounterPart: kontor.CounterPart{BIC: "COBADEFFXXX", IBAN: "DE89370400440532013000", Name: "REWE Markt GmbH"},
					Tags:        []kontor.Tag{{Name: "groceries", Source: "app"}},
					Codes:       []kontor.Code{{Value: "105", Type: kontor.CodeTransaction}},
				})
			}
			logins := []kontor.Login{{ID: "L1", Bank: kontor.Bank{Name: "fino Bank"}, Accounts: []kontor.Account{a}}}
			b.Run("ReplaceUploadedLogins", func(b *testing.B) {
				for b.Loop() {
					if err := db.ReplaceUploadedLogins(ctx, c.ID, u.ID, logins); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("Logins", func(b *testing.B) {
				for b.Loop() {
					got, err := db.Logins(ctx, c.ID, u.ID)
					if err != nil || len(got[0].Accounts[0].Transactions) != 10_000 {
						b.Fatalf("%v", err)
					}
				}
			})
			// Saving an analysis rewrites every transaction's document;
			// saving the same job again does the same work.
			b.Run("SaveAnalysis", func(b *testing.B) {
				if err := db.ReplaceUploadedLogins(ctx, c.ID, u.ID, logins); err != nil {
					b.Fatal(err)
				}
				jobs, err := db.ClaimAnalysisJobs(ctx, time.Now().Add(time.Second), time.Hour, 1)
				if err != nil || len(jobs) != 1 {
					b.Fatalf("claiming: %v, %v", jobs, err)
				}
				stored, err := db.Logins(ctx, c.ID, u.ID)
				if err != nil {
					b.Fatal(err)
				}
				for b.Loop() {
					if saved, err := db.SaveAnalysis(ctx, jobs[0], stored, []byte(`{}`)); err != nil || !saved {
						b.Fatalf("SaveAnalysis = %v, %v", saved, err)
					}
				}
			})
		})
	}
}
