package sandbox

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/bankdir"
)

// refDate is the reference date most tests use.
var refDate = time.Date(2026, time.March, 18, 14, 30, 0, 0, time.UTC)

func mustJSON(tb testing.TB, v any) string {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

func sum(tb testing.TB, amounts ...kontor.Amount) kontor.Amount {
	tb.Helper()
	total := kontor.AmountFromCents(0)
	for _, a := range amounts {
		var err error
		if total, err = total.Add(a); err != nil {
			tb.Fatal(err)
		}
	}
	return total
}

func gvc(tx kontor.Transaction) string {
	for _, c := range tx.Codes {
		if c.Type == kontor.CodeTransaction {
			return c.Value
		}
	}
	return ""
}

func TestBank(t *testing.T) {
	if b := Bank(); b.Name != "fino Bank" || b.BankCode != "10020000" || b.BIC != BIC {
		t.Errorf("Bank() = %+v", b)
	}
	dir, err := bankdir.New(DirectoryBank("http://127.0.0.1:8080/fints"))
	if err != nil {
		t.Fatalf("registering the sandbox bank: %v", err)
	}
	b, ok := dir.Lookup(BankCode)
	if !ok || b.Name != BankName || b.FinTSURL != "http://127.0.0.1:8080/fints" || !b.HasFinTS() {
		t.Errorf("directory entry = %+v, %v", b, ok)
	}
	if got := dir.Search("fino", 1); len(got) != 1 || got[0].BankCode != BankCode {
		t.Errorf("Search(fino) = %+v", got)
	}
}

func TestCounterpartyBanksAreInDirectory(t *testing.T) {
	for _, b := range banks {
		got, ok := bankdir.Lookup(b.code)
		if !ok || got.BIC != b.bic {
			t.Errorf("bank %s: directory has %+v, catalogue says BIC %s", b.code, got, b.bic)
		}
	}
}

func TestAccountsShape(t *testing.T) {
	data := Generate("dummy", refDate)
	if len(data) != 4 {
		t.Fatalf("%d accounts, want 4", len(data))
	}
	wantTypes := []string{kontor.AccountGiro, kontor.AccountSavings, kontor.AccountCreditCard, kontor.AccountDepot}
	ids := map[string]bool{}
	for i, a := range data {
		if a.Type != wantTypes[i] {
			t.Errorf("account %d has type %s, want %s", i, a.Type, wantTypes[i])
		}
		if a.ID == "" || ids[a.ID] {
			t.Errorf("account %d: empty or duplicate ID %q", i, a.ID)
		}
		ids[a.ID] = true
		if a.Owner == "" || a.Name == "" || a.Number == "" || a.Currency != "EUR" {
			t.Errorf("account %d incomplete: %+v", i, a.Account)
		}
		if a.Transactions == nil || a.StandingOrders == nil || a.Securities == nil {
			t.Errorf("account %d has nil lists", i)
		}
		for _, tx := range a.Transactions {
			if tx.AccountID != a.ID {
				t.Fatalf("transaction %s has account ID %s, want %s", tx.ID, tx.AccountID, a.ID)
			}
		}
		for _, so := range a.StandingOrders {
			if so.AccountID != a.ID {
				t.Errorf("standing order %s has account ID %s", so.ID, so.AccountID)
			}
		}
		for _, s := range a.Securities {
			if s.AccountID != a.ID {
				t.Errorf("security %s has account ID %s", s.ID, s.AccountID)
			}
		}
	}

	giro, savings, card, depot := data[0], data[1], data[2], data[3]
	for _, a := range []AccountData{giro, savings} {
		if !validIBAN(a.IBAN) || a.IBAN[4:12] != BankCode || a.IBAN[12:] != a.Number || len(a.Number) != 10 {
			t.Errorf("%s: IBAN %s, number %s", a.Name, a.IBAN, a.Number)
		}
	}
	if card.IBAN != "" || !strings.Contains(card.Number, "XXXXXXXX") || card.CreditLine.Sign() <= 0 {
		t.Errorf("credit card: IBAN %q, number %q, credit line %s", card.IBAN, card.Number, card.CreditLine)
	}
	if card.Balance.Sign() > 0 {
		t.Errorf("credit card balance %s, want what is owed (≤ 0)", card.Balance)
	}

	// The depot: valid ISINs, values that add up to the balance.
	if len(depot.Securities) < 3 || len(depot.Transactions) != 0 {
		t.Fatalf("depot: %d securities, %d transactions", len(depot.Securities), len(depot.Transactions))
	}
	var values []kontor.Amount
	for _, s := range depot.Securities {
		values = append(values, s.Amount)
		if !validISIN(s.ISIN) || s.Name == "" || s.ID == "" || s.Quantity.Sign() <= 0 || s.PriceAmount.Sign() <= 0 || s.PurchasePriceAmount.Sign() <= 0 {
			t.Errorf("security %+v", s)
		}
		switch s.PriceCurrency {
		case "EUR":
			if s.Market != "XETRA" || s.ExchangeRate.String() != "1" {
				t.Errorf("EUR security %s: market %s, rate %s", s.ISIN, s.Market, s.ExchangeRate)
			}
		case "USD":
			if s.Market != "NASDAQ" || s.ExchangeRate.Cmp(kontor.MustParseAmount("0.9")) < 0 || s.ExchangeRate.Cmp(kontor.MustParseAmount("1.3")) > 0 {
				t.Errorf("USD security %s: market %s, rate %s", s.ISIN, s.Market, s.ExchangeRate)
			}
		default:
			t.Errorf("security %s: price currency %s", s.ISIN, s.PriceCurrency)
		}
	}
	if total := sum(t, values...); !total.Equal(depot.Balance) {
		t.Errorf("depot balance %s, securities sum to %s", depot.Balance, total)
	}
	if depot.Securities[0].ISIN != "IE00B4L5Y983" {
		t.Errorf("first holding %s, want the MSCI World savings plan", depot.Securities[0].ISIN)
	}

	// IDs are unique across the whole login.
	seen := map[string]bool{}
	for _, a := range data {
		for _, tx := range a.Transactions {
			if seen[tx.ID] {
				t.Fatalf("duplicate transaction ID %s", tx.ID)
			}
			seen[tx.ID] = true
		}
	}
}

func TestDeterministic(t *testing.T) {
	a := mustJSON(t, Generate("dummy", refDate))
	b := mustJSON(t, Generate("dummy", refDate))
	if a != b {
		t.Fatal("two calls with the same login and date differ")
	}
	// Only the calendar date of the reference time matters, and the
	// login's case and spaces do not.
	late := time.Date(refDate.Year(), refDate.Month(), refDate.Day(), 23, 59, 59, 0, time.UTC)
	if c := mustJSON(t, Generate(" Dummy ", late)); c != a {
		t.Error("time of day or letter case changed the data")
	}
	// Concurrent calls agree.
	results := make(chan string, 4)
	for range 4 {
		go func() {
			b, _ := json.Marshal(Generate("dummy", refDate))
			results <- string(b)
		}()
	}
	for range 4 {
		if <-results != a {
			t.Error("concurrent calls differ")
		}
	}
	if Accounts("dummy", refDate)[0].ID != Generate("dummy", refDate)[0].ID {
		t.Error("Accounts and Generate differ")
	}
	// Other logins get other data.
	other := Generate("someone-else", refDate)
	if other[0].IBAN == Generate("dummy", refDate)[0].IBAN || other[0].ID == Generate("dummy", refDate)[0].ID {
		t.Error("two logins share an account")
	}
}

func TestStableAcrossReferenceDates(t *testing.T) {
	for _, login := range []string{"dummy", "twotan"} {
		first := Generate(login, refDate)
		for _, later := range []time.Time{refDate.AddDate(0, 0, 1), refDate.AddDate(0, 0, 3), refDate.AddDate(0, 0, 9), refDate.AddDate(0, 2, 0)} {
			next := Generate(login, later)
			for i := range first {
				a, b := first[i], next[i]
				if a.ID != b.ID || a.IBAN != b.IBAN {
					t.Fatalf("%s: account %d changed identity", login, i)
				}
				byID := map[string]kontor.Transaction{}
				for _, tx := range b.Transactions {
					byID[tx.ID] = tx
				}
				from := b.From
				for _, tx := range a.Transactions {
					got, ok := byID[tx.ID]
					if !ok {
						if !tx.BookingDate.Before(from) {
							t.Fatalf("%s %s: transaction %s of %s (%s %s) is gone on %s", login, a.Name, tx.ID, tx.BookingDate, tx.Amount, tx.Purpose, later.Format(time.DateOnly))
						}
						continue
					}
					if !got.Amount.Equal(tx.Amount) || got.Purpose != tx.Purpose || got.CounterPart != tx.CounterPart || got.MRef != tx.MRef {
						t.Fatalf("%s: transaction %s changed:\n %+v\n %+v", login, tx.ID, tx, got)
					}
					if tx.Booked {
						if !got.Booked || mustJSON(t, got) != mustJSON(t, tx) {
							t.Fatalf("%s: booked transaction %s changed:\n %+v\n %+v", login, tx.ID, tx, got)
						}
					}
				}
				for j := range a.StandingOrders {
					if a.StandingOrders[j].ID != b.StandingOrders[j].ID {
						t.Errorf("%s: standing order IDs changed", login)
					}
				}
				for j := range a.Securities {
					if a.Securities[j].ID != b.Securities[j].ID {
						t.Errorf("%s: security IDs changed", login)
					}
				}
			}
		}
	}
}

func TestPendingBecomesBooked(t *testing.T) {
	first := Generate("dummy", refDate)
	next := Generate("dummy", refDate.AddDate(0, 0, 7))
	booked := map[string]kontor.Transaction{}
	for _, tx := range next[0].Transactions {
		booked[tx.ID] = tx
	}
	n := 0
	for _, tx := range first[0].Transactions {
		if tx.Booked {
			continue
		}
		later, ok := booked[tx.ID]
		if !ok || !later.Booked || !later.Amount.Equal(tx.Amount) || later.BookingDate.Before(tx.BookingDate.Time) {
			t.Errorf("pending %s (%s) is not booked a week later: %+v", tx.ID, tx.Purpose, later)
		}
		n++
	}
	if n == 0 {
		t.Error("no pending transactions to follow")
	}
}

func TestBalancesAgree(t *testing.T) {
	dates := []time.Time{refDate, time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC), time.Date(2019, 2, 1, 0, 0, 0, 0, time.UTC), time.Date(2018, 3, 1, 0, 0, 0, 0, time.UTC)}
	for _, login := range []string{"dummy", "twotan", "decoupled", "anybody", "large"} {
		for _, date := range dates {
			for _, a := range Generate(login, date) {
				var booked []kontor.Amount
				for _, tx := range a.Transactions {
					if tx.Booked {
						booked = append(booked, tx.Amount)
					}
				}
				want := sum(t, append([]kontor.Amount{a.OpeningBalance}, booked...)...)
				if !a.Balance.Equal(want) {
					t.Errorf("%s %s on %s: balance %s, opening %s + %d booked = %s", login, a.Name, date.Format(time.DateOnly), a.Balance, a.OpeningBalance, len(booked), want)
				}
			}
		}
	}
}

func TestHistoryLength(t *testing.T) {
	data := Generate("dummy", refDate)
	wantFrom := time.Date(2024, time.December, 18, 0, 0, 0, 0, time.UTC)
	yearAgo := refDate.AddDate(-1, 0, 0)
	for _, a := range data[:3] { // giro, savings, credit card
		if !a.From.Equal(wantFrom) || !a.AsOf.Equal(time.Date(2026, 3, 18, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("%s: from %s as of %s", a.Name, a.From, a.AsOf)
		}
		if len(a.Transactions) == 0 || a.Transactions[0].BookingDate.After(yearAgo) {
			t.Fatalf("%s: history starts %v, want at least 12 months", a.Name, a.Transactions[0].BookingDate)
		}
		months := map[string]bool{}
		for _, tx := range a.Transactions {
			if tx.BookingDate.Before(wantFrom) || tx.BookingDate.After(refDate) {
				t.Errorf("%s: transaction of %s outside the window", a.Name, tx.BookingDate)
			}
			months[tx.BookingDate.Format("2006-01")] = true
		}
		if len(months) < 13 {
			t.Errorf("%s: transactions in %d months, want every month", a.Name, len(months))
		}
	}
	if n := len(data[0].Transactions); n < 500 {
		t.Errorf("giro: %d transactions in 15 months, want a realistic number", n)
	}
	// Ordered: booked by booking date, then pending.
	for _, a := range data[:3] {
		seenPending := false
		for i, tx := range a.Transactions {
			if !tx.Booked {
				seenPending = true
				continue
			}
			if seenPending {
				t.Fatalf("%s: booked transaction after a pending one", a.Name)
			}
			if i > 0 && tx.BookingDate.Before(a.Transactions[i-1].BookingDate.Time) {
				t.Fatalf("%s: transactions out of order at %d", a.Name, i)
			}
		}
	}
}

func TestEarlyReferenceDates(t *testing.T) {
	before := Generate("dummy", time.Date(2017, 6, 1, 0, 0, 0, 0, time.UTC))
	for _, a := range before {
		if len(a.Transactions) != 0 || !a.Balance.Equal(a.OpeningBalance) {
			t.Errorf("before the history: %s has %d transactions, balance %s, opening %s", a.Name, len(a.Transactions), a.Balance, a.OpeningBalance)
		}
	}
	early := Generate("dummy", time.Date(2018, 5, 1, 0, 0, 0, 0, time.UTC))
	if !early[0].From.Equal(epoch) || len(early[0].Transactions) == 0 {
		t.Errorf("early: from %s, %d transactions", early[0].From, len(early[0].Transactions))
	}
	now := Generate("dummy", time.Time{})
	y, m, d := time.Now().UTC().Date()
	if !now[0].AsOf.Equal(time.Date(y, m, d, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("zero reference date gave AsOf %s, want today", now[0].AsOf)
	}
}

func TestPending(t *testing.T) {
	// Every day has pending card payments on the giro account; cash
	// withdrawn on a weekend is pending too.
	for i := range 30 {
		date := refDate.AddDate(0, 0, i)
		giro := Generate("dummy", date)[0]
		pending := 0
		for _, tx := range giro.Transactions {
			if tx.Booked {
				continue
			}
			pending++
			if code := gvc(tx); code != gvcCard && code != gvcCash || tx.Amount.Sign() >= 0 {
				t.Errorf("%s: pending %s is neither a card payment nor a cash withdrawal", date.Format(time.DateOnly), tx.Purpose)
			}
			if age := dayOf(date) - dayOf(tx.BookingDate.Time); age < 0 || age > 5 {
				t.Errorf("%s: pending since %s", date.Format(time.DateOnly), tx.BookingDate)
			}
		}
		if pending == 0 {
			t.Errorf("%s: no pending transactions", date.Format(time.DateOnly))
		}
	}
}

// swiftText matches the SWIFT character set MT940 purposes are limited to.
var swiftText = regexp.MustCompile(`^[A-Za-z0-9/?:().,'+ -]*$`)

func TestGermanContent(t *testing.T) {
	data := Generate("dummy", refDate)
	giro, savings, card := data[0], data[1], data[2]
	byGVC := map[string][]kontor.Transaction{}
	for _, a := range data[:3] {
		for _, tx := range a.Transactions {
			byGVC[a.Type+gvc(tx)] = append(byGVC[a.Type+gvc(tx)], tx)
			if !swiftText.MatchString(tx.Purpose) || tx.Purpose == "" {
				t.Errorf("purpose %q is empty or outside the SWIFT character set", tx.Purpose)
			}
			if tx.CounterPart.Name == "" {
				t.Errorf("%q has no counterparty", tx.Purpose)
			}
			if tx.CounterPart.IBAN != "" && !validIBAN(tx.CounterPart.IBAN) {
				t.Errorf("counterparty IBAN %s of %q is invalid", tx.CounterPart.IBAN, tx.Purpose)
			}
			if tx.Currency != "EUR" || tx.ID == "" || len(tx.Codes) == 0 || tx.BookingDate.IsZero() || tx.ValueDate.IsZero() {
				t.Errorf("incomplete transaction %+v", tx)
			}
		}
	}
	g := func(code string) []kontor.Transaction { return byGVC[kontor.AccountGiro+code] }

	// Salary: every month, GVC 153, purpose code SALA, employer.
	salaries := g(gvcSalary)
	if len(salaries) < 14 {
		t.Errorf("%d salaries in 15 months", len(salaries))
	}
	for _, tx := range salaries {
		want := "LOHN/GEHALT " + tx.BookingDate.Format("01/2006")
		if tx.Purpose != want || tx.Amount.Sign() <= 0 || !slices.Contains(tx.Codes, kontor.Code{Value: "SALA", Type: kontor.CodePurpose}) ||
			!validIBAN(tx.CounterPart.IBAN) || tx.CounterPart.BIC == "" {
			t.Errorf("salary %+v", tx)
		}
	}

	// Standing orders: rent, savings plan, pocket money.
	var rent, plan, pocket int
	for _, tx := range g(gvcStandingOrder) {
		switch {
		case strings.HasPrefix(tx.Purpose, "Miete "):
			rent++
		case tx.Purpose == savingsPlanPurpose:
			plan++
			if tx.CounterPart.IBAN != savings.IBAN {
				t.Errorf("savings plan goes to %s", tx.CounterPart.IBAN)
			}
		case strings.HasPrefix(tx.Purpose, "Taschengeld"):
			pocket++
		}
	}
	if rent < 15 || plan < 15 || pocket < 15 {
		t.Errorf("standing order payments: rent %d, savings plan %d, pocket money %d", rent, plan, pocket)
	}
	if n := len(byGVC[kontor.AccountSavings+gvcStandingCredit]); n != plan {
		t.Errorf("savings account got %d savings plan credits, giro paid %d", n, plan)
	}

	// Direct debits: mandate reference and a valid creditor ID.
	debits := g(gvcDirectDebit)
	creditors := map[string]bool{}
	for _, tx := range debits {
		if tx.MRef == "" || !validCreditorID(tx.CounterPart.CreditorID) || tx.Amount.Sign() >= 0 {
			t.Errorf("direct debit %+v", tx)
		}
		creditors[tx.CounterPart.Name] = true
	}
	for _, c := range []string{credAllianz, credTelekom, credBroadcast} {
		if !creditors[c] {
			t.Errorf("no direct debit of %s", c)
		}
	}
	if len(creditors) < 5 {
		t.Errorf("direct debits from only %d creditors", len(creditors))
	}

	// Card payments: shops, masked card number, date in the purpose.
	cardText := regexp.MustCompile(`^.+ \d{8}//[A-Z]+/DE \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2} Debitkarte 4871X{8}\d{4}$`)
	shops := map[string]int{}
	for _, tx := range g(gvcCard) {
		if strings.HasPrefix(tx.Purpose, "NETFLIX") {
			shops["NETFLIX"]++
			continue
		}
		if !cardText.MatchString(tx.Purpose) {
			t.Errorf("card purpose %q", tx.Purpose)
		}
		shops[tx.Purpose[:strings.Index(tx.Purpose, " ")]]++
		if strings.HasPrefix(tx.Purpose, "REWE SAGT DANKE") {
			shops["REWE SAGT DANKE"]++
		}
		if strings.HasPrefix(tx.Purpose, "LIDL DIENSTL") {
			shops["LIDL DIENSTL"]++
		}
	}
	for _, s := range []string{"REWE SAGT DANKE", "EDEKA", "ALDI", "LIDL DIENSTL", "NETFLIX"} {
		if shops[s] == 0 {
			t.Errorf("no card payments at %s (have %v)", s, shops)
		}
	}
	// The discounter is the region's: ALDI SUED in the south and west.
	if p := newPersona("dummy"); p.city.south && shops["ALDI"] > 0 {
		for _, tx := range g(gvcCard) {
			if strings.HasPrefix(tx.Purpose, "ALDI NORD") {
				t.Errorf("ALDI NORD in %s", p.city.name)
			}
		}
	}
	if len(g(gvcCash)) == 0 {
		t.Error("no cash withdrawals")
	}
	refunds := 0
	for _, tx := range g(gvcCredit) {
		if strings.HasPrefix(tx.Purpose, "Erstattung") {
			refunds++
		}
	}
	if refunds == 0 {
		t.Error("no refunds")
	}

	// Savings: monthly interest.
	if n := len(byGVC[kontor.AccountSavings+gvcClosing]); n < 14 {
		t.Errorf("%d interest credits in 15 months", n)
	}

	// Credit card: purchases, Spotify, and a monthly settlement that the
	// giro account pays with the same amount on the same day.
	spotify := 0
	settlements := map[string]kontor.Transaction{}
	for _, tx := range card.Transactions {
		if strings.HasPrefix(tx.Purpose, "SPOTIFY") {
			spotify++
		}
		if strings.HasPrefix(tx.Purpose, "Ausgleich Kreditkartenabrechnung") {
			settlements[tx.BookingDate.Format(time.DateOnly)] = tx
		}
	}
	if spotify < 14 || len(settlements) < 14 {
		t.Errorf("credit card: %d Spotify payments, %d settlements", spotify, len(settlements))
	}
	paid := 0
	for _, tx := range giro.Transactions {
		if strings.HasPrefix(tx.Purpose, "Kreditkartenabrechnung") {
			s, ok := settlements[tx.BookingDate.Format(time.DateOnly)]
			if !ok || !s.Amount.Neg().Equal(tx.Amount) {
				t.Errorf("giro pays %s on %s, card credits %s", tx.Amount, tx.BookingDate, s.Amount)
			}
			paid++
		}
	}
	if paid != len(settlements) {
		t.Errorf("giro paid %d settlements, card shows %d", paid, len(settlements))
	}
}

func TestStandingOrders(t *testing.T) {
	giro := Generate("dummy", refDate)[0]
	if len(giro.StandingOrders) != 3 {
		t.Fatalf("%d standing orders, want rent, savings plan and pocket money", len(giro.StandingOrders))
	}
	for _, so := range giro.StandingOrders {
		if so.Interval != kontor.IntervalMonthly || so.Currency != "EUR" || so.Amount.Sign() <= 0 || so.ID == "" ||
			so.ExecutionDay < 1 || so.ExecutionDay > 28 || so.FirstExecutionDate.IsZero() || so.CreationDate.After(so.FirstExecutionDate.Time) {
			t.Errorf("standing order %+v", so)
		}
		// The last execution is the last matching transaction.
		var last kontor.Transaction
		for _, tx := range giro.Transactions {
			if tx.Purpose == so.Purpose && gvc(tx) == gvcStandingOrder {
				last = tx
			}
		}
		if last.ID == "" || !last.Amount.Neg().Equal(so.Amount) || !last.BookingDate.Equal(so.LastExecutionDate) {
			t.Errorf("standing order %q (%s, last %s) does not match its last payment %s on %s", so.Purpose, so.Amount, so.LastExecutionDate, last.Amount, last.BookingDate)
		}
	}
	if !strings.HasPrefix(giro.StandingOrders[0].Purpose, "Miete") || giro.StandingOrders[1].Purpose != savingsPlanPurpose || !strings.HasPrefix(giro.StandingOrders[2].Purpose, "Taschengeld") {
		t.Errorf("standing orders %q, %q, %q", giro.StandingOrders[0].Purpose, giro.StandingOrders[1].Purpose, giro.StandingOrders[2].Purpose)
	}
}

func TestLargeHistory(t *testing.T) {
	data := Generate("large", refDate)
	giro := data[0]
	if n := len(giro.Transactions); n != LargeHistoryTransactions {
		t.Fatalf("large: %d transactions, want %d", n, LargeHistoryTransactions)
	}
	ids := make(map[string]bool, LargeHistoryTransactions)
	for _, tx := range giro.Transactions {
		if ids[tx.ID] {
			t.Fatalf("duplicate ID %s", tx.ID)
		}
		ids[tx.ID] = true
	}
	if giro.From.After(refDate.AddDate(0, -6, 0)) {
		t.Errorf("large history starts only %s", giro.From)
	}
	again := Generate("large", refDate)[0]
	if again.Transactions[0].ID != giro.Transactions[0].ID || again.Transactions[49999].ID != giro.Transactions[49999].ID || !again.Balance.Equal(giro.Balance) {
		t.Error("large history is not deterministic")
	}
	// A day later the window moves, the IDs of the overlap stay.
	next := Generate("large", refDate.AddDate(0, 0, 1))[0]
	if len(next.Transactions) != LargeHistoryTransactions {
		t.Fatalf("a day later: %d transactions", len(next.Transactions))
	}
	common := 0
	for _, tx := range next.Transactions {
		if ids[tx.ID] {
			common++
		}
	}
	if common < LargeHistoryTransactions*9/10 {
		t.Errorf("only %d of the transactions are still there a day later", common)
	}
}

func TestScenarios(t *testing.T) {
	list := Scenarios()
	want := []string{"dummy", "wrongpin", "locked", "twotan", "decoupled", "large", "down"}
	var logins []string
	for _, s := range list {
		logins = append(logins, s.Login)
		if s.Description == "" || s.DescriptionDE == "" || s.Behaviour == "" {
			t.Errorf("scenario %s is incomplete", s.Login)
		}
		got, ok := ScenarioFor(strings.ToUpper(s.Login))
		if !ok || got.Login != s.Login {
			t.Errorf("ScenarioFor(%s) = %v", strings.ToUpper(s.Login), ok)
		}
		if s.TAN != "" && !strings.Contains(s.Challenge, s.TAN) {
			t.Errorf("%s: the challenge %q does not show the TAN", s.Login, s.Challenge)
		}
		for _, m := range s.TANMethods {
			if m.ID == "" || m.Name == "" {
				t.Errorf("%s: TAN method %+v", s.Login, m)
			}
		}
	}
	if !slices.Equal(logins, want) {
		t.Errorf("scenarios %v, want %v", logins, want)
	}
	if _, ok := ScenarioFor("nobody"); ok {
		t.Error("ScenarioFor(nobody) found a scenario")
	}

	dummy, _ := ScenarioFor("dummy")
	if dummy.Behaviour != BehaviourSuccess || !dummy.CheckPIN("654321") || dummy.CheckPIN("654322") || dummy.CheckPIN("") ||
		!dummy.CheckTAN(DummyTAN) || dummy.CheckTAN("000000") || len(dummy.TANMethods) != 1 {
		t.Errorf("dummy = %+v", dummy)
	}
	wrong, _ := ScenarioFor("wrongpin")
	for _, pin := range []string{"", "654321", "1234"} {
		if wrong.CheckPIN(pin) {
			t.Errorf("wrongpin accepts %q", pin)
		}
	}
	two, _ := ScenarioFor("twotan")
	if two.Behaviour != BehaviourTANMethodChoice || len(two.TANMethods) != 2 || two.TANMethods[0].Name != "chipTAN optisch" || two.TANMethods[1].Name != "pushTAN" {
		t.Errorf("twotan = %+v", two)
	}
	dec, _ := ScenarioFor("decoupled")
	if dec.Behaviour != BehaviourDecoupled || len(dec.TANMethods) != 1 || !dec.TANMethods[0].Decoupled || dec.ApproveAfter <= 0 || dec.ApprovePolls <= 0 || dec.TAN != "" {
		t.Errorf("decoupled = %+v", dec)
	}
	large, _ := ScenarioFor("large")
	if large.Behaviour != BehaviourLargeHistory || large.Transactions != 50000 {
		t.Errorf("large = %+v", large)
	}
	for login, b := range map[string]Behaviour{"locked": BehaviourLocked, "down": BehaviourUnavailable, "wrongpin": BehaviourWrongPIN} {
		if s, _ := ScenarioFor(login); s.Behaviour != b || s.FinTSCode == "" {
			t.Errorf("%s = %+v", login, s)
		}
	}

	// The catalogue cannot be changed through its copies.
	list[3].TANMethods[0].Name = "changed"
	list[0].PIN = "changed"
	if s, _ := ScenarioFor("twotan"); s.TANMethods[0].Name != "chipTAN optisch" {
		t.Error("Scenarios returned shared TAN methods")
	}
	if s, _ := ScenarioFor("dummy"); s.PIN != DummyPIN {
		t.Error("Scenarios returned the catalogue itself")
	}

	md := ScenariosMarkdown()
	for _, l := range want {
		if !strings.Contains(md, "`"+l+"`") {
			t.Errorf("Markdown table lacks %s", l)
		}
	}
}

func TestBookingText(t *testing.T) {
	for _, code := range []string{gvcCash, gvcDirectDebit, gvcCard, gvcTransfer, gvcStandingOrder, gvcStandingCredit, gvcSalary, gvcCredit, gvcClosing, gvcFee} {
		if BookingText(code) == "" {
			t.Errorf("no booking text for %s", code)
		}
	}
	if BookingText("999") != "" {
		t.Error("booking text for an unused code")
	}
	// Every code the generator uses has a booking text.
	for _, a := range Generate("large", refDate)[:3] {
		for _, tx := range a.Transactions {
			if BookingText(gvc(tx)) == "" {
				t.Fatalf("code %s of %q has no booking text", gvc(tx), tx.Purpose)
			}
		}
	}
}

func TestTransactionIDDerivation(t *testing.T) {
	data := Generate("dummy", refDate)
	// The first giro event: find its origin and number by recomputing.
	p := newPersona("dummy")
	s := simulate(p, dayOf(refDate), dayOf(refDate.AddDate(0, -HistoryMonths, 0)))
	e := s.events[aGiro][0]
	date := string(appendDate(nil, e.origin))
	if want := stableID("transaction", "dummy", "giro", date, fmt.Sprint(e.seq)); data[0].Transactions[0].ID != want {
		t.Errorf("transaction ID %s, want %s", data[0].Transactions[0].ID, want)
	}
}

func BenchmarkGenerateDummy(b *testing.B) {
	calendar()
	b.ReportAllocs()
	for b.Loop() {
		Generate("dummy", refDate)
	}
}

// BenchmarkGenerateLarge measures the "large" scenario: 50,000
// transactions on one giro account plus the other accounts.
func BenchmarkGenerateLarge(b *testing.B) {
	calendar()
	b.ReportAllocs()
	for b.Loop() {
		Generate("large", refDate)
	}
}
