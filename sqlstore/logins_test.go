package sqlstore

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/internal/testdb"
)

// tagTexts are names, sources, values and types with everything JSON
// escapes or passes through: plain text, quotes, backslashes, HTML
// characters, control characters, umlauts, U+2028, invalid UTF-8.
var tagTexts = []string{"", "salary", "transactionCode", `a"b`, `back\slash`, "<b>&</b>", "tab\there", "Überweisung",
	"line\u2028sep", "bad\xffutf8", "\x7f", "kontor", "}", `","source":"x`, "]"}

// TestEncodeTagsLikeJSON checks that encodeTags and encodeCodes write
// exactly what json.Marshal writes, and that decodeTags and decodeCodes
// read it back.
func TestEncodeTagsLikeJSON(t *testing.T) {
	for _, a := range tagTexts {
		for _, b := range tagTexts {
			for n := range 3 {
				tags := slices.Repeat([]kontor.Tag{{Name: a, Source: b}}, n)
				codes := slices.Repeat([]kontor.Code{{Value: a, Type: b}}, n)
				wantTags, wantCodes := marshalList(t, tags), marshalList(t, codes)
				if got := encodeTags(tags); got != wantTags {
					t.Errorf("encodeTags(%q) = %s, want %s", tags, got, wantTags)
				}
				if got := encodeCodes(codes); got != wantCodes {
					t.Errorf("encodeCodes(%q) = %s, want %s", codes, got, wantCodes)
				}
				var back []kontor.Tag
				if err := json.Unmarshal([]byte(wantTags), &back); err != nil {
					t.Fatal(err)
				}
				if got, err := decodeTags(wantTags); err != nil || !slices.Equal(got, back) || got == nil {
					t.Errorf("decodeTags(%s) = %q, %v; want %q", wantTags, got, err, back)
				}
				var backCodes []kontor.Code
				if err := json.Unmarshal([]byte(wantCodes), &backCodes); err != nil {
					t.Fatal(err)
				}
				if got, err := decodeCodes(wantCodes); err != nil || !slices.Equal(got, backCodes) || got == nil {
					t.Errorf("decodeCodes(%s) = %q, %v; want %q", wantCodes, got, err, backCodes)
				}
			}
		}
	}
	if _, err := decodeTags(`[{"name":"x"`); err == nil {
		t.Error("decodeTags accepted a truncated list")
	}
}

// marshalList is json.Marshal as the store used it, "[]" for none.
func marshalList[T any](t *testing.T, list []T) string {
	if len(list) == 0 {
		return "[]"
	}
	b, err := json.Marshal(list)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// BenchmarkLogins reads a user with 10,000 transactions and stores them
// anew, on SQLite and PostgreSQL (when KONTOR_TEST_POSTGRES is set).
//
//	go test -run '^$' -bench BenchmarkLogins ./sqlstore
func BenchmarkLogins(b *testing.B) {
	for name, url := range map[string]func(testing.TB) string{"sqlite": testdb.SQLite, "postgres": testdb.Postgres} {
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			db, err := Open(ctx, url(b))
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			c := &kontor.Client{ID: "c1", Name: "bench", SecretHash: "x", APIVersion: kontor.DefaultAPIVersion}
			u := &kontor.User{ID: "u1", ClientID: c.ID, Type: kontor.UserPerson}
			if err := db.CreateClient(ctx, c); err != nil {
				b.Fatal(err)
			}
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
		})
	}
}
