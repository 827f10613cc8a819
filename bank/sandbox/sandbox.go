// Package sandbox holds the data of Kontor's sandbox bank, "fino Bank" with
// bank code 10020000: the test bank of the finoOS quickstart, where the
// login "dummy" with PIN 654321 connects and the TAN is shown on screen.
//
// The package is data only. It generates, for any login name, a realistic
// and fully deterministic set of German accounts (giro, savings, credit
// card, depot) with 15 months of transactions, standing orders and
// securities, and it lists the sandbox logins and how the bank behaves for
// each (Scenarios). The connectors that speak to users (the Banking UI
// dialog, the FinTS server face) implement that behaviour and take their
// data from here.
//
// Determinism: the same login name always yields the same accounts, IDs and
// transactions. The history runs forward from 1 January 2018; a reference
// date only decides how much of it is visible, so a transaction seen today
// keeps its ID, amount and texts when the data is fetched again tomorrow
// (a pending card payment becomes booked under the same ID).
package sandbox

import (
	"time"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/bankdir"
)

// The sandbox bank.
const (
	// BankCode is the sandbox bank's bank code, as in the finoOS
	// quickstart.
	BankCode = "10020000"
	// BankName is the sandbox bank's name.
	BankName = "fino Bank"
	// BIC is the sandbox bank's invented BIC.
	BIC = "FINODEF1XXX"
	// HistoryMonths is how far back transactions reach from the
	// reference date.
	HistoryMonths = 15
)

// Bank returns the sandbox bank as a kontor.Bank.
func Bank() kontor.Bank {
	return kontor.Bank{Name: BankName, BIC: BIC, BankCode: BankCode}
}

// DirectoryBank returns the sandbox bank as a bank directory entry with the
// FinTS address the sandbox is served at, for bankdir.Register at start-up.
func DirectoryBank(fintsURL string) bankdir.Bank {
	return bankdir.Bank{
		BankCode:     BankCode,
		BIC:          BIC,
		Name:         BankName,
		Cities:       []string{"Berlin"},
		FinTSURL:     fintsURL,
		FinTSVersion: "FinTS V3.0",
	}
}

// AccountData is a generated account with what a bank statement needs
// beyond kontor.Account.
type AccountData struct {
	kontor.Account

	// OpeningBalance is the booked balance before the first booked
	// transaction in Transactions: Balance equals OpeningBalance plus the
	// amounts of all booked transactions, exactly.
	OpeningBalance kontor.Amount
	// From is the first day Transactions cover (midnight UTC). Usually
	// 15 months before the reference date; for a login whose scenario
	// fixes the number of transactions, the day of the first one kept,
	// whose earlier transactions of the same day are left out.
	From time.Time
	// AsOf is the reference day (midnight UTC): the balance is the
	// balance at its end, and card payments and cash withdrawals not
	// booked by then are pending.
	AsOf time.Time
}

// Generate returns the accounts of a login on the reference date asOf
// (the zero time means now): a giro account, a savings account, a credit
// card and a depot, in this order. Only asOf's calendar date in UTC
// matters. Every login name yields data; letter case and surrounding
// spaces do not matter. The giro account of a scenario with a fixed number
// of transactions (see Scenario.Transactions) holds exactly that many when
// the history is long enough.
//
// Transactions are ordered by booking date, pending ones last; amounts are
// negative for money going out. Generate is safe for concurrent use.
func Generate(login string, asOf time.Time) []AccountData {
	if asOf.IsZero() {
		asOf = time.Now()
	}
	p := newPersona(login)
	sc, _ := ScenarioFor(login)
	p.dense = sc.Transactions > 0

	to := dayOf(asOf)
	from := dayOf(asOf.AddDate(0, -HistoryMonths, 0))
	if from < 0 {
		from = 0
	}
	var s *sim
	if to >= 0 {
		s = simulate(p, to, from)
	} else { // before the history starts: the accounts as opened
		s = &sim{p: p, asOf: to, from: 0}
		s.bal[aGiro], s.opening[aGiro] = p.giroStart, p.giroStart
		s.bal[aSavings], s.opening[aSavings] = p.savingsStart, p.savingsStart
	}
	fromDay := [numAccts]day{from, from, from, from}
	if n := sc.Transactions; n > 0 && len(s.events[aGiro]) > n {
		drop := s.events[aGiro][:len(s.events[aGiro])-n]
		for _, e := range drop {
			s.opening[aGiro] += e.cents // dropped events are the oldest, all booked
		}
		s.events[aGiro] = s.events[aGiro][len(drop):]
		fromDay[aGiro] = s.events[aGiro][0].booking
	}
	return newOutput(p, s, to, fromDay).accounts()
}

// Accounts returns the accounts of a login on the reference date asOf as
// kontor.Account values; see Generate. Every nested transaction, standing
// order and security carries its account's ID.
func Accounts(login string, asOf time.Time) []kontor.Account {
	data := Generate(login, asOf)
	out := make([]kontor.Account, len(data))
	for i, d := range data {
		out[i] = d.Account
	}
	return out
}

// Account names and types, by account.
var accountNames = [numAccts]string{"Girokonto", "Tagesgeldkonto", "Visa Kreditkarte", "Depot"}

var accountTypes = [numAccts]string{kontor.AccountGiro, kontor.AccountSavings, kontor.AccountCreditCard, kontor.AccountDepot}

func accountID(key string, a acct) string { return stableID("account", key, acctKeys[a]) }

// output turns a simulation into kontor values.
type output struct {
	p       *persona
	s       *sim
	asOf    day
	from    [numAccts]day
	ids     [numAccts]string
	ibans   [numAccts]string
	text    textBuilder
	parties map[string]kontor.CounterPart // counterparties by kind and name
}

func newOutput(p *persona, s *sim, asOf day, from [numAccts]day) *output {
	o := &output{p: p, s: s, asOf: asOf, from: from, parties: map[string]kontor.CounterPart{}}
	for a := range numAccts {
		o.ids[a] = accountID(p.key, a)
	}
	o.ibans[aGiro] = germanIBAN(BankCode, p.giroNo)
	o.ibans[aSavings] = germanIBAN(BankCode, p.savingsNo)
	o.text.o = o
	return o
}

func (o *output) accounts() []AccountData {
	p := o.p
	out := make([]AccountData, numAccts)
	for a := range numAccts {
		acc := kontor.Account{
			ID:                   o.ids[a],
			IBAN:                 o.ibans[a],
			Name:                 accountNames[a],
			Owner:                p.owner(),
			Type:                 accountTypes[a],
			Balance:              kontor.AmountFromCents(o.s.bal[a]),
			CreditLine:           kontor.AmountFromCents(0),
			MonthlySpendingLimit: kontor.AmountFromCents(0),
			Currency:             "EUR",
			Transactions:         o.transactions(a),
			StandingOrders:       []kontor.StandingOrder{},
			Securities:           []kontor.Security{},
		}
		opening := kontor.AmountFromCents(o.s.opening[a])
		switch a {
		case aGiro:
			acc.Number = p.giroNo
			acc.CreditLine = kontor.AmountFromCents(p.overdraft)
			acc.StandingOrders = o.standingOrders()
		case aSavings:
			acc.Number = p.savingsNo
		case aCard:
			acc.Number = p.creditCard
			acc.CreditLine = kontor.AmountFromCents(p.cardLimit)
			acc.MonthlySpendingLimit = kontor.AmountFromCents(p.cardLimit)
		case aDepot:
			acc.Number = p.depotNo
			var total int64
			acc.Securities, total = o.holdings()
			acc.Balance = kontor.AmountFromCents(total)
			opening = acc.Balance
		}
		out[a] = AccountData{
			Account:        acc,
			OpeningBalance: opening,
			From:           max(o.from[a], 0).date(),
			AsOf:           o.asOf.date(),
		}
	}
	return out
}

// transactions builds the transactions of account a.
func (o *output) transactions(a acct) []kontor.Transaction {
	events := o.s.events[a]
	out := make([]kontor.Transaction, len(events))
	for i := range events {
		out[i] = o.transaction(a, &events[i])
	}
	return out
}

// standingOrders lists the giro account's standing orders that exist on
// the reference date.
func (o *output) standingOrders() []kontor.StandingOrder {
	p := o.p
	type order struct {
		key     string
		k       kind
		first   day // nominal first execution
		mday    int
		amount  int64
		purpose string
	}
	rentFirst := dayOfMonthSigned(p.rentStart, 1)
	pocketFirst := dayOfMonth(p.pocketStart, 5)
	if pocketFirst < p.pocketStart {
		pocketFirst = dayOfMonth(dayOfMonth(p.pocketStart, 31)+1, 5)
	}
	orders := []order{
		{"rent", kRent, rentFirst, 1, rentAt(p, max(o.asOf, 0)), o.text.rentPurpose()},
		{"savings plan", kSavingsPlan, dayOfMonth(0, 3), 3, p.savingsPlan, savingsPlanPurpose},
		{"pocket money", kPocketMoney, pocketFirst, 5, p.pocket, "Taschengeld " + firstWord(p.child)},
	}
	out := []kontor.StandingOrder{}
	for _, so := range orders {
		created := so.first - 12
		if created > o.asOf {
			continue
		}
		last, ok := o.s.lastExec[so.k]
		item := kontor.StandingOrder{
			ID:                 stableID("standing order", p.key, so.key),
			AccountID:          o.ids[aGiro],
			CreationDate:       kontor.TimestampOf(created.dateAny()),
			FirstExecutionDate: kontor.TimestampOf(so.first.dateAny()),
			ExecutionDay:       so.mday,
			Interval:           kontor.IntervalMonthly,
			Amount:             kontor.AmountFromCents(so.amount),
			Currency:           "EUR",
			Purpose:            so.purpose,
		}
		if ok {
			item.LastExecutionDate = kontor.TimestampOf(last.date())
		}
		out = append(out, item)
	}
	return out
}

// dayOfMonthSigned is dayOfMonth for days that may lie before the epoch.
func dayOfMonthSigned(d day, mday int) day {
	t := d.dateAny()
	y, m, _ := t.Date()
	return dayOfAny(time.Date(y, m, mday, 0, 0, 0, 0, time.UTC))
}

// dateAny is date for days before the epoch too.
func (d day) dateAny() time.Time { return epoch.AddDate(0, 0, int(d)) }

func dayOfAny(t time.Time) day { return day(t.Sub(epoch).Hours() / 24) }

func firstWord(s string) string {
	for i := range len(s) {
		if s[i] == ' ' {
			return s[:i]
		}
	}
	return s
}

// BookingText returns the booking text German banks show for a business
// transaction code (GVC), as in the sandbox's statements, or "" for codes
// the sandbox does not use.
func BookingText(gvc string) string { return bookingTexts[gvc] }

var bookingTexts = map[string]string{
	gvcCash:           "BARGELDAUSZAHLUNG",
	gvcDirectDebit:    "FOLGELASTSCHRIFT",
	gvcCard:           "KARTENZAHLUNG",
	gvcTransfer:       "UEBERWEISUNG",
	gvcStandingOrder:  "DAUERAUFTRAG",
	gvcStandingCredit: "GUTSCHR. DAUERAUFTRAG",
	gvcSalary:         "LOHN GEHALT",
	gvcCredit:         "GUTSCHRIFT",
	gvcClosing:        "ABSCHLUSS",
	gvcFee:            "ENTGELT",
}
