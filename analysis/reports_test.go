package analysis

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/kontor-dev/kontor"
)

func date(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func amounts(b *balances, from, to string) string {
	var out []string
	for d := dayOf(date(from)); d <= dayOf(date(to)); d++ {
		out = append(out, b.at(d).String())
	}
	return strings.Join(out, " ")
}

func TestDailyBalances(t *testing.T) {
	a := account(
		payment{"2025-01-02", "50.00", "income.other", "", ""},
		payment{"2025-01-04", "-200.00", "shopping.general", "", ""},
		payment{"2025-01-04", "-0.50", "fees.bank", "", ""},
		payment{"2025-01-06", "300.00", "income.other", "", ""},
	)[0]
	a.Balance = kontor.MustParseAmount("100.00")
	a.Transactions = append(a.Transactions, kontor.Transaction{Amount: kontor.MustParseAmount("-999"), BookingDate: kontor.TimestampOf(date("2025-01-05"))}) // pending
	b, err := dailyBalances(&a, dayOf(date("2025-01-01")), dayOf(date("2025-01-08")))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := amounts(b, "2025-01-01", "2025-01-08"), "-49.50 0.50 0.50 -200.00 -200.00 100.00 100.00 100.00"; got != want {
		t.Errorf("balances %s, want %s", got, want)
	}
	// A window that ends before the newest transaction still starts from
	// the current balance.
	b, _ = dailyBalances(&a, dayOf(date("2025-01-03")), dayOf(date("2025-01-04")))
	if got, want := amounts(b, "2025-01-03", "2025-01-04"), "0.50 -200.00"; got != want {
		t.Errorf("balances %s, want %s", got, want)
	}
}

func TestPersonReports(t *testing.T) {
	accounts := account(
		payment{"2025-01-30", "2500.00", "income.salary", "AG", ""},
		payment{"2025-01-31", "900.00", "income.pension", "DRV", ""},
		payment{"2025-02-03", "-800.00", "housing.rent", "Vermieter", ""},
		payment{"2025-02-10", "-60.00", "shopping.clothing", "Zalando", ""},
		payment{"2025-02-20", "60.00", "shopping.clothing", "Zalando", ""},
		payment{"2025-02-21", "-25.00", "gambling.betting", "Tipico", ""},
		payment{"2025-02-22", "40.00", "gambling.betting", "Tipico", ""},
		payment{"2025-02-25", "-3000.00", "transfers.own_account", "Ich", ""},
		payment{"2025-02-26", "96.00", "returned_debit.return", "Stadtwerke", ""},
		payment{"2025-02-26", "-3.00", "returned_debit.fee", "Bank", ""},
		payment{"2025-04-02", "-50.00", "collection.agency", "EOS", ""},
	)
	accounts[0].Balance = kontor.MustParseAmount("-20.00")
	accounts[0].Transactions[0].Tags = append(accounts[0].Transactions[0].Tags, kontor.Tag{Name: TagRecurring, Source: kontor.TagSourceKontor})

	inc, err := PersonIncome(accounts, Period{})
	if err != nil {
		t.Fatal(err)
	}
	if len(inc.Months) != 4 || inc.Months[0].Month != "2025-01" || inc.Months[3].Month != "2025-04" {
		t.Fatalf("months %+v", inc.Months)
	}
	jan := inc.Months[0]
	if jan.Total.String() != "3400.00" || len(jan.Kinds) != len(IncomeKinds) ||
		jan.Kinds[0] != (KindAmount{Kind: "salary", Amount: kontor.MustParseAmount("2500.00"), Recurring: kontor.MustParseAmount("2500.00"), Count: 1}) ||
		jan.Kinds[1].Kind != "pension" || jan.Kinds[1].Amount.String() != "900.00" || !jan.Kinds[1].Recurring.IsZero() {
		t.Errorf("January income %+v", jan)
	}
	if !inc.Months[2].Total.IsZero() {
		t.Errorf("March income %s", inc.Months[2].Total)
	}

	sp, err := PersonSpending(accounts, Period{From: date("2025-02-01"), To: date("2025-02-28")})
	if err != nil {
		t.Fatal(err)
	}
	if len(sp.Months) != 1 {
		t.Fatalf("months %+v", sp.Months)
	}
	feb := sp.Months[0]
	var got []string
	for _, c := range feb.Categories {
		got = append(got, c.Category+"="+c.Amount.String())
	}
	if want := "housing.rent=800.00 shopping.clothing=0.00 gambling.betting=-15.00 returned_debit.fee=3.00"; strings.Join(got, " ") != want {
		t.Errorf("February spending %s, want %s", strings.Join(got, " "), want)
	}
	if feb.Total.String() != "788.00" {
		t.Errorf("February total %s", feb.Total)
	}

	risk, err := PersonRisk(accounts, Period{})
	if err != nil {
		t.Fatal(err)
	}
	rf := risk.Months[1]
	if rf.ReturnedDebits.Count != 1 || rf.ReturnedDebits.Amount.String() != "96.00" ||
		rf.Gambling.Count != 2 || rf.Gambling.Amount.String() != "65.00" || rf.Collections.Count != 0 {
		t.Errorf("February risk %+v", rf)
	}
	if ra := risk.Months[3]; ra.Collections.Count != 1 || ra.Collections.Amount.String() != "50.00" {
		t.Errorf("April risk %+v", ra)
	}
	// Balance -20 now; before the collection payment on 2 April it was 30,
	// and only at the end of 25 February (3000 moved out, the returned
	// debit not yet booked back) was it below zero before that: -63.
	var days []int
	for _, m := range risk.Months {
		days = append(days, m.OverdraftDays)
	}
	if want := []int{0, 1, 0, 29}; !equalInts(days, want) {
		t.Errorf("overdraft days %v, want %v", days, want)
	}
	if od := risk.Months[1].MaxOverdraft.String(); od != "63.00" {
		t.Errorf("February max overdraft %s", od)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestCompanyReports(t *testing.T) {
	giro := account(
		payment{"2025-03-03", "1190.00", "revenue.sales", "Kunde GmbH", "DE89370400440532013000"},
		payment{"2025-03-05", "5950.00", "revenue.sales", "Van Dijk B.V.", "NL91ABNA0417164300"},
		payment{"2025-03-10", "-245.00", "operations.software", "Atlassian B.V.", "NL91ABNA0417164300"},
		payment{"2025-03-12", "-3680.00", "suppliers.services", "Piotr Nowak", "PL61109010140000071219812874"},
		payment{"2025-03-20", "-2000.00", "transfers.own_account", "Wir GmbH", "DE02120300000000202051"},
		payment{"2025-04-01", "-2100.00", "premises.rent", "Vermieter", "DE89370400440532013000"},
	)[0]
	giro.ID, giro.Balance = "giro", kontor.MustParseAmount("1000.00")
	tg := kontor.Account{ID: "tg", IBAN: "DE02120300000000202051", Type: kontor.AccountSavings, Balance: kontor.MustParseAmount("2000.00"),
		Transactions: account(payment{"2025-03-20", "2000.00", "transfers.own_account", "Wir GmbH", "DE12500105170648489890"})[0].Transactions}
	depot := kontor.Account{ID: "depot", Type: kontor.AccountDepot, Balance: kontor.MustParseAmount("99999")}
	accounts := []kontor.Account{giro, tg, depot}

	cash, err := CompanyCash(accounts, Period{})
	if err != nil {
		t.Fatal(err)
	}
	mar := cash.Months[0]
	if mar.In.String() != "7140.00" || mar.Out.String() != "3925.00" || mar.Net.String() != "3215.00" ||
		len(mar.InByCategory) != 1 || len(mar.OutByCategory) != 2 {
		t.Errorf("March cash %+v", mar)
	}

	liq, err := CompanyLiquidity(accounts, Period{})
	if err != nil {
		t.Fatal(err)
	}
	if len(liq.Accounts) != 2 {
		t.Fatalf("accounts %+v", liq.Accounts)
	}
	g := liq.Accounts[0].Months
	// Giro, backwards from 1000: 3100 before the rent, 5100 before the
	// transfer, 8780, 9025, 3075 and 1885 at the start of March.
	if g[0].MinBalance.String() != "1885.00" || g[0].MaxBalance.String() != "9025.00" || g[0].EndBalance.String() != "3100.00" ||
		g[0].Income.String() != "7140.00" || g[0].Expenses.String() != "5925.00" {
		t.Errorf("giro March %+v", g[0])
	}
	if g[1].EndBalance.String() != "1000.00" || g[1].MinBalance.String() != "1000.00" {
		t.Errorf("giro April %+v", g[1])
	}
	tot := liq.Total[0]
	if tot.Income.String() != "7140.00" || tot.Expenses.String() != "3925.00" || tot.EndBalance.String() != "5100.00" ||
		tot.MinBalance.String() != "1885.00" || tot.MaxBalance.String() != "9025.00" {
		t.Errorf("total March %+v", tot)
	}

	fp, err := CompanyForeignPayments(accounts, Period{})
	if err != nil {
		t.Fatal(err)
	}
	if fp.HomeCountry != "DE" || len(fp.Countries) != 2 || fp.Countries[0].Country != "NL" || fp.Countries[1].Country != "PL" {
		t.Fatalf("foreign payments %+v", fp)
	}
	nl := fp.Countries[0]
	if nl.In.String() != "5950.00" || nl.Out.String() != "245.00" || nl.CountIn != 1 || nl.CountOut != 1 ||
		len(nl.Counterparts) != 1 || nl.Counterparts[0].Count != 2 || nl.Months[0].In.String() != "5950.00" {
		t.Errorf("NL %+v", nl)
	}

	overdrawn := []kontor.Account{giro, tg}
	overdrawn[0].Balance = kontor.MustParseAmount("-2000.00") // 3000 less every day
	risk, err := CompanyRisk(overdrawn, Period{})
	if err != nil {
		t.Fatal(err)
	}
	if m := risk.Months; m[0].OverdraftDays != 2 || m[0].MaxOverdraft.String() != "1115.00" || m[1].OverdraftDays != 30 {
		t.Errorf("overdraft %+v", m)
	}

	b, err := json.Marshal(struct {
		*CashReport
		*LiquidityReport
	}{cash, liq})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"month":"2025-03"`, `"in":7140.00`, `"inByCategory":[{"category":"revenue.sales","group":"revenue","amount":7140.00`, `"minBalance":1885.00`, `"accountId":"giro"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON lacks %s:\n%s", want, b)
		}
	}
}

func TestReportsOfNothing(t *testing.T) {
	r, err := PersonIncome(nil, Period{})
	if err != nil || len(r.Months) != 0 {
		t.Errorf("%+v %v", r, err)
	}
	l, err := CompanyLiquidity([]kontor.Account{{ID: "a", Balance: kontor.MustParseAmount("5")}}, Period{From: date("2025-01-01"), To: date("2025-02-01")})
	if err != nil || len(l.Total) != 2 || l.Total[1].EndBalance.String() != "5" {
		t.Errorf("%+v %v", l, err)
	}
	risk, err := PersonRisk(nil, Period{From: date("2025-03-01"), To: date("2025-01-01")})
	if err != nil || len(risk.Months) != 0 {
		t.Errorf("%+v %v", risk, err)
	}
}
