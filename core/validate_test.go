package core

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/kontor-dev/kontor"
)

// TestPrepareLoginsNamesThePath checks that a rejected upload names the
// offending value by its full JSON path at every depth: login, account,
// transaction, its tags and codes, standing order and security.
func TestPrepareLoginsNamesThePath(t *testing.T) {
	long := strings.Repeat("x", MaxTextLength+1)
	sample := func() []kontor.Login {
		tx := func() kontor.Transaction {
			return kontor.Transaction{Currency: "EUR", Tags: []kontor.Tag{{Name: "a"}, {Name: "b"}}, Codes: []kontor.Code{{Value: "1"}, {Value: "2"}}}
		}
		acc := func() kontor.Account {
			return kontor.Account{ID: "a", Currency: "EUR", Transactions: []kontor.Transaction{tx(), tx(), tx()},
				StandingOrders: []kontor.StandingOrder{{Currency: "EUR"}, {Currency: "EUR"}},
				Securities:     []kontor.Security{{Currency: "EUR"}, {Currency: "EUR"}}}
		}
		return []kontor.Login{{ID: "l0"}, {ID: "l1", Accounts: []kontor.Account{{ID: "other"}, acc()}}}
	}
	for _, c := range []struct {
		name  string
		spoil func(l []kontor.Login)
		want  string
	}{
		{"login", func(l []kontor.Login) { l[1].Bank.Name = long }, "logins[1].bank.name is longer than 4096 characters"},
		{"account", func(l []kontor.Login) { l[1].Accounts[1].Currency = "eur" }, "logins[1].accounts[1].currency must be an ISO 4217 code"},
		{"transaction", func(l []kontor.Login) { l[1].Accounts[1].Transactions[2].Purpose = "a\x00b" },
			"logins[1].accounts[1].transactions[2].purpose contains a control character"},
		{"tag", func(l []kontor.Login) { l[1].Accounts[1].Transactions[1].Tags[1].Name = "" },
			"logins[1].accounts[1].transactions[1].tags[1].name is required"},
		{"code", func(l []kontor.Login) { l[1].Accounts[1].Transactions[2].Codes[1].Type = long },
			"logins[1].accounts[1].transactions[2].codes[1].type is longer than"},
		{"standing order", func(l []kontor.Login) { l[1].Accounts[1].StandingOrders[1].ExecutionDay = 32 },
			"logins[1].accounts[1].standingOrders[1].executionDay must be between 0 and 31"},
		{"security", func(l []kontor.Login) { l[1].Accounts[1].Securities[1].PriceCurrency = "EURO" },
			"logins[1].accounts[1].securities[1].priceCurrency must be an ISO 4217 code"},
		{"transaction id", func(l []kontor.Login) { l[1].Accounts[1].Transactions[0].ID = strings.Repeat("i", MaxIDLength+1) },
			"logins[1].accounts[1].transactions[0].id is longer than 255 bytes"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := prepareLogins(sample()); err != nil {
				t.Fatalf("the unspoilt sample is rejected: %v", err)
			}
			l := sample()
			c.spoil(l)
			err := prepareLogins(l)
			if kontor.ErrorCode(err) != kontor.EINVALID || !strings.Contains(kontor.ErrorMessage(err), c.want) {
				t.Fatalf("error %v, want one saying %q", err, c.want)
			}
		})
	}
}

// TestTextFault checks the one-pass check of texts against its
// definition: more than MaxTextLength characters (runes, an invalid byte
// counting as one) is too long; else a control character other than
// newline, carriage return and tab is one.
func TestTextFault(t *testing.T) {
	want := func(s string) int {
		if utf8.RuneCountInString(s) > MaxTextLength {
			return tooLong
		}
		for _, r := range s {
			if r < 0x20 && r != '\n' && r != '\r' && r != '\t' || r == 0x7f {
				return controlCharacter
			}
		}
		return textOK
	}
	pieces := []string{"a", "ü", "€", "😀", "\xff", "\xe2\x82", "\n", "\t", "\r", "\x00", "\x1f", "\x7f", "\u0085", " "}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		var b strings.Builder
		for n := []int{3, 40, MaxTextLength - 2, MaxTextLength + 3, 2 * MaxTextLength}[rng.IntN(5)]; b.Len() < n; {
			if rng.IntN(50) == 0 {
				b.WriteString(pieces[rng.IntN(len(pieces))])
			} else {
				b.WriteString(pieces[rng.IntN(4)])
			}
		}
		s := b.String()
		if got := textFault(s); got != want(s) {
			t.Fatalf("%d bytes, %d runes: fault %d, want %d", len(s), utf8.RuneCountInString(s), got, want(s))
		}
	}
	for _, s := range []string{"", strings.Repeat("x", MaxTextLength), strings.Repeat("x", MaxTextLength+1),
		strings.Repeat("ü", MaxTextLength), strings.Repeat("ü", MaxTextLength+1), strings.Repeat("😀", MaxTextLength) + "\x00",
		strings.Repeat("\xff", MaxTextLength+1), strings.Repeat("x", MaxTextLength-1) + "\x01"} {
		if got := textFault(s); got != want(s) {
			t.Errorf("%d bytes, %d runes: fault %d, want %d", len(s), utf8.RuneCountInString(s), got, want(s))
		}
	}
}

// BenchmarkPrepareLogins validates a login with 100,000 transactions like
// the import benchmark's.
func BenchmarkPrepareLogins(b *testing.B) {
	txs := make([]kontor.Transaction, 100_000)
	for i := range txs {
		txs[i] = kontor.Transaction{ID: "T" + strconv.Itoa(i), AccountID: "A1", Currency: "EUR", MRef: "MREF" + strconv.Itoa(100000+i),
			Purpose: "Amazon EU S.a.r.l. Bestellung " + strconv.Itoa(i), Booked: true, Amount: kontor.AmountFromCents(int64(-i)),
			CounterPart: kontor.CounterPart{BIC: "COBADEFFXXX", IBAN: "DE89370400440532013000", Name: "REWE Markt GmbH"},
			Tags:        []kontor.Tag{}, Codes: []kontor.Code{{Value: "105", Type: kontor.CodeTransaction}}}
	}
	for b.Loop() {
		ls := []kontor.Login{{ID: "L1", Accounts: []kontor.Account{{ID: "A1", Currency: "EUR", Transactions: txs}}}}
		if err := prepareLogins(ls); err != nil {
			b.Fatal(err)
		}
	}
}
