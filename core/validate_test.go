package core

import (
	"strings"
	"testing"

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
