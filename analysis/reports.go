package analysis

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/kontor-dev/kontor"
)

// The reports are pure functions of a user's accounts: they read the
// category of each booked transaction (see CategoryOf) and, where they
// split amounts into recurring and other, the tag TagRecurring. Pending
// transactions are left out. Amounts are exact; money spent is reported as
// a positive amount.

// IncomeKinds are the income kinds of the person income report, in the
// order it lists them: the finoOS income scopes.
var IncomeKinds = []string{
	"salary", "pension", "child-benefit", "parental-allowance", "rental",
	"investment", "loan", "alimony", "self-employment", "other",
}

// IncomeReport is a person's income per month and kind.
type IncomeReport struct {
	Months []IncomeMonth `json:"months"`
}

// IncomeMonth is a person's income in one month.
type IncomeMonth struct {
	// Month is "2006-01".
	Month string `json:"month"`
	// Total is the income of all kinds.
	Total kontor.Amount `json:"total"`
	// Kinds lists every income kind of IncomeKinds, in that order.
	Kinds []KindAmount `json:"kinds"`
}

// KindAmount is the income of one kind in one month.
type KindAmount struct {
	Kind string `json:"kind"`
	// Amount is the sum of the transactions (money back out of an
	// income category, such as a salary returned, counts against it).
	Amount kontor.Amount `json:"amount"`
	// Recurring is the part of Amount from recurring payments.
	Recurring kontor.Amount `json:"recurring"`
	// Count is the number of transactions.
	Count int `json:"count"`
}

// CategoryAmount is the money of one category in one month.
type CategoryAmount struct {
	// Category is the category's tag name, Group its group.
	Category string `json:"category"`
	Group    string `json:"group"`
	// Amount is positive: money spent in a spending report, money in
	// or out in a cash report.
	Amount kontor.Amount `json:"amount"`
	// Recurring is the part of Amount from recurring payments.
	Recurring kontor.Amount `json:"recurring"`
	// Count is the number of transactions.
	Count int `json:"count"`
}

// SpendingReport is a person's spending per month and category.
type SpendingReport struct {
	Months []SpendingMonth `json:"months"`
}

// SpendingMonth is a person's spending in one month.
type SpendingMonth struct {
	Month string `json:"month"`
	// Total is the money spent in all categories.
	Total kontor.Amount `json:"total"`
	// Categories lists the categories with transactions, in taxonomy
	// order. A category's amount is the money spent less the money
	// that came back in it (a refund booked to the category).
	Categories []CategoryAmount `json:"categories"`
}

// RiskReport holds the monthly risk indicators of a person or company.
type RiskReport struct {
	Months []RiskMonth `json:"months"`
}

// RiskMonth holds the risk indicators of one month.
type RiskMonth struct {
	Month string `json:"month"`
	// ReturnedDebits are direct debits booked back (finoOS backDebit).
	ReturnedDebits RiskIndicator `json:"returnedDebits"`
	// Garnishments are payments under an account garnishment.
	Garnishments RiskIndicator `json:"garnishments"`
	// Collections are payments to debt collectors, courts and bailiffs.
	Collections RiskIndicator `json:"collections"`
	// Gambling is money moved to or from betting, lotteries, casinos.
	Gambling RiskIndicator `json:"gambling"`
	// OverdraftDays counts the days of the month on which at least one
	// current account ended below zero.
	OverdraftDays int `json:"overdraftDays"`
	// MaxOverdraft is the deepest end-of-day overdraft of a current
	// account in the month, as a positive amount (0 when there was
	// none).
	MaxOverdraft kontor.Amount `json:"maxOverdraft"`
}

// RiskIndicator counts the transactions of one risk in one month.
type RiskIndicator struct {
	Count int `json:"count"`
	// Amount is the sum of the absolute amounts.
	Amount kontor.Amount `json:"amount"`
}

// CashReport is a company's money in and out per month, without the
// transfers between its own accounts.
type CashReport struct {
	Months []CashMonth `json:"months"`
}

// CashMonth is a company's money in and out in one month.
type CashMonth struct {
	Month string `json:"month"`
	// In and Out are positive; Net is In less Out.
	In  kontor.Amount `json:"in"`
	Out kontor.Amount `json:"out"`
	Net kontor.Amount `json:"net"`
	// InByCategory and OutByCategory split In and Out by category, in
	// taxonomy order.
	InByCategory  []CategoryAmount `json:"inByCategory"`
	OutByCategory []CategoryAmount `json:"outByCategory"`
}

// LiquidityReport is a company's liquidity per account and month, and for
// all its accounts together. Depots, loan and credit card accounts are
// left out.
type LiquidityReport struct {
	Accounts []AccountLiquidity `json:"accounts"`
	// Total adds up the accounts: balances are the sums of the
	// accounts' end-of-day balances; income and expenses leave out
	// transfers between the company's own accounts.
	Total []LiquidityMonth `json:"total"`
}

// AccountLiquidity is the liquidity of one account.
type AccountLiquidity struct {
	AccountID string           `json:"accountId"`
	IBAN      string           `json:"iban,omitempty"`
	Name      string           `json:"name,omitempty"`
	Currency  string           `json:"currency,omitempty"`
	Months    []LiquidityMonth `json:"months"`
}

// LiquidityMonth is the liquidity of an account (or of all) in one month.
// Balances are end-of-day balances, reconstructed backwards from the
// account's current balance and its booked transactions.
type LiquidityMonth struct {
	Month string `json:"month"`
	// Income and Expenses are the money in and out, both positive.
	Income   kontor.Amount `json:"income"`
	Expenses kontor.Amount `json:"expenses"`
	// MinBalance and MaxBalance are the lowest and highest end-of-day
	// balance of the month, EndBalance the balance at its end.
	MinBalance kontor.Amount `json:"minBalance"`
	MaxBalance kontor.Amount `json:"maxBalance"`
	EndBalance kontor.Amount `json:"endBalance"`
}

// ForeignPaymentsReport is a company's payments with counterparts abroad,
// by the counterpart's country (from its IBAN, else its BIC).
type ForeignPaymentsReport struct {
	// HomeCountry is the country of the company's accounts; payments
	// with counterparts there are not foreign.
	HomeCountry string `json:"homeCountry"`
	// Countries is sorted by country code.
	Countries []CountryPayments `json:"countries"`
}

// CountryPayments are the payments with counterparts in one country.
type CountryPayments struct {
	Country string `json:"country"`
	// In and Out are positive.
	In       kontor.Amount `json:"in"`
	Out      kontor.Amount `json:"out"`
	CountIn  int           `json:"countIn"`
	CountOut int           `json:"countOut"`
	// Months lists the months of the report period.
	Months []CountryMonth `json:"months"`
	// Counterparts is sorted by the money moved, most first.
	Counterparts []ForeignCounterpart `json:"counterparts"`
}

// CountryMonth is the money in and out with one country in one month.
type CountryMonth struct {
	Month string        `json:"month"`
	In    kontor.Amount `json:"in"`
	Out   kontor.Amount `json:"out"`
}

// ForeignCounterpart is one counterpart abroad.
type ForeignCounterpart struct {
	Name  string        `json:"name"`
	IBAN  string        `json:"iban,omitempty"`
	BIC   string        `json:"bic,omitempty"`
	In    kontor.Amount `json:"in"`
	Out   kontor.Amount `json:"out"`
	Count int           `json:"count"`
}

// PersonIncome returns a person's income per month and kind.
func PersonIncome(accounts []kontor.Account, p Period) (*IncomeReport, error) {
	tax, err := TaxonomyFor(kontor.UserPerson)
	if err != nil {
		return nil, err
	}
	s := spanOf(accounts, p)
	kindIndex := map[string]int{}
	for i, k := range IncomeKinds {
		kindIndex[k] = i
	}
	type cell struct{ amount, recurring total }
	cells := make([][]cell, s.months())
	totals := make([]total, s.months())
	counts := make([][]int, s.months())
	for m := range cells {
		cells[m] = make([]cell, len(IncomeKinds))
		counts[m] = make([]int, len(IncomeKinds))
	}
	eachBooked(accounts, func(_ *kontor.Account, tx *kontor.Transaction) {
		m := s.index(dayOf(tx.BookingDate.Time))
		if m < 0 {
			return
		}
		c := CategoryOf(tax, tx)
		if c.Kind != KindIncome || c.IncomeKind == "" {
			return
		}
		k, ok := kindIndex[c.IncomeKind]
		if !ok {
			k = kindIndex["other"]
		}
		cells[m][k].amount.add(tx.Amount)
		if IsRecurring(tx) {
			cells[m][k].recurring.add(tx.Amount)
		}
		counts[m][k]++
		totals[m].add(tx.Amount)
	})
	r := &IncomeReport{Months: make([]IncomeMonth, s.months())}
	for m := range r.Months {
		im := IncomeMonth{Month: (s.from + month(m)).String(), Kinds: make([]KindAmount, len(IncomeKinds))}
		if err := totals[m].err; err != nil {
			return nil, fmt.Errorf("income %s: %w", im.Month, err)
		}
		im.Total = totals[m].sum
		for k, kind := range IncomeKinds {
			c := &cells[m][k]
			if err := cmp.Or(c.amount.err, c.recurring.err); err != nil {
				return nil, fmt.Errorf("income %s %s: %w", im.Month, kind, err)
			}
			im.Kinds[k] = KindAmount{Kind: kind, Amount: c.amount.sum, Recurring: c.recurring.sum, Count: counts[m][k]}
		}
		r.Months[m] = im
	}
	return r, nil
}

// PersonSpending returns a person's spending per month and category: the
// transactions of expense categories.
func PersonSpending(accounts []kontor.Account, p Period) (*SpendingReport, error) {
	tax, err := TaxonomyFor(kontor.UserPerson)
	if err != nil {
		return nil, err
	}
	s := spanOf(accounts, p)
	grid := newCategoryGrid(tax, s.months())
	eachBooked(accounts, func(_ *kontor.Account, tx *kontor.Transaction) {
		m := s.index(dayOf(tx.BookingDate.Time))
		if m < 0 {
			return
		}
		if c := CategoryOf(tax, tx); c.Kind == KindExpense {
			grid.add(m, c, tx.Amount.Neg(), IsRecurring(tx))
		}
	})
	r := &SpendingReport{Months: make([]SpendingMonth, s.months())}
	for m := range r.Months {
		name := (s.from + month(m)).String()
		cats, sum, err := grid.month(m)
		if err != nil {
			return nil, fmt.Errorf("spending %s: %w", name, err)
		}
		r.Months[m] = SpendingMonth{Month: name, Total: sum, Categories: cats}
	}
	return r, nil
}

// PersonRisk returns a person's risk indicators per month.
func PersonRisk(accounts []kontor.Account, p Period) (*RiskReport, error) {
	return riskReport(kontor.UserPerson, accounts, p)
}

// CompanyRisk returns a company's risk indicators per month.
func CompanyRisk(accounts []kontor.Account, p Period) (*RiskReport, error) {
	return riskReport(kontor.UserCompany, accounts, p)
}

func riskReport(ut kontor.UserType, accounts []kontor.Account, p Period) (*RiskReport, error) {
	tax, err := TaxonomyFor(ut)
	if err != nil {
		return nil, err
	}
	s := spanOf(accounts, p)
	type cell struct {
		count  int
		amount total
	}
	risks := map[string]int{RiskReturnedDebit: 0, RiskGarnishment: 1, RiskCollection: 2, RiskGambling: 3}
	cells := make([][4]cell, s.months())
	eachBooked(accounts, func(_ *kontor.Account, tx *kontor.Transaction) {
		m := s.index(dayOf(tx.BookingDate.Time))
		if m < 0 {
			return
		}
		c := CategoryOf(tax, tx)
		if c.Risk == "" {
			return
		}
		cl := &cells[m][risks[c.Risk]]
		cl.count++
		cl.amount.add(tx.Amount.Abs())
	})
	r := &RiskReport{Months: make([]RiskMonth, s.months())}
	for m := range r.Months {
		rm := RiskMonth{Month: (s.from + month(m)).String()}
		for i, ind := range []*RiskIndicator{&rm.ReturnedDebits, &rm.Garnishments, &rm.Collections, &rm.Gambling} {
			cl := &cells[m][i]
			if cl.amount.err != nil {
				return nil, fmt.Errorf("risk %s: %w", rm.Month, cl.amount.err)
			}
			*ind = RiskIndicator{Count: cl.count, Amount: cl.amount.sum}
		}
		r.Months[m] = rm
	}
	if s.empty {
		return r, nil
	}
	// Overdraft days from the end-of-day balances of current accounts.
	first, last := s.from.first(), s.to.last()
	overdrawn := make([]bool, last-first+1)
	deepest := make([]kontor.Amount, s.months())
	for i := range accounts {
		a := &accounts[i]
		if !isCurrentAccount(a) {
			continue
		}
		b, err := dailyBalances(a, first, last)
		if err != nil {
			return nil, fmt.Errorf("overdraft days: %w", err)
		}
		for d := first; d <= last; d++ {
			bal := b.at(d)
			if bal.Sign() >= 0 {
				continue
			}
			overdrawn[d-first] = true
			m := int(monthOfDay(d) - s.from)
			if od := bal.Neg(); od.Cmp(deepest[m]) > 0 {
				deepest[m] = od
			}
		}
	}
	for d := first; d <= last; d++ {
		if overdrawn[d-first] {
			r.Months[monthOfDay(d)-s.from].OverdraftDays++
		}
	}
	for m := range r.Months {
		r.Months[m].MaxOverdraft = deepest[m]
	}
	return r, nil
}

// CompanyCash returns a company's money in and out per month. Transfers
// between its own accounts are left out; every other booked transaction
// counts, cash and returned debits included.
func CompanyCash(accounts []kontor.Account, p Period) (*CashReport, error) {
	tax, err := TaxonomyFor(kontor.UserCompany)
	if err != nil {
		return nil, err
	}
	s := spanOf(accounts, p)
	in := newCategoryGrid(tax, s.months())
	out := newCategoryGrid(tax, s.months())
	eachBooked(accounts, func(_ *kontor.Account, tx *kontor.Transaction) {
		m := s.index(dayOf(tx.BookingDate.Time))
		if m < 0 {
			return
		}
		c := CategoryOf(tax, tx)
		if internal(c) {
			return
		}
		switch tx.Amount.Sign() {
		case 1:
			in.add(m, c, tx.Amount, IsRecurring(tx))
		case -1:
			out.add(m, c, tx.Amount.Neg(), IsRecurring(tx))
		}
	})
	r := &CashReport{Months: make([]CashMonth, s.months())}
	for m := range r.Months {
		cm := CashMonth{Month: (s.from + month(m)).String()}
		var errIn, errOut error
		cm.InByCategory, cm.In, errIn = in.month(m)
		cm.OutByCategory, cm.Out, errOut = out.month(m)
		if err := cmp.Or(errIn, errOut); err != nil {
			return nil, fmt.Errorf("cash %s: %w", cm.Month, err)
		}
		if cm.Net, err = cm.In.Sub(cm.Out); err != nil {
			return nil, fmt.Errorf("cash %s: %w", cm.Month, err)
		}
		r.Months[m] = cm
	}
	return r, nil
}

// internal reports whether a category moves money between the user's own
// accounts.
func internal(c *Category) bool { return c.Name == "transfers.own_account" }

// CompanyLiquidity returns a company's income, expenses and end-of-day
// balances per account and month, and for all accounts together.
func CompanyLiquidity(accounts []kontor.Account, p Period) (*LiquidityReport, error) {
	tax, err := TaxonomyFor(kontor.UserCompany)
	if err != nil {
		return nil, err
	}
	s := spanOf(accounts, p)
	r := &LiquidityReport{Accounts: []AccountLiquidity{}, Total: make([]LiquidityMonth, s.months())}
	if s.empty {
		return r, nil
	}
	first, last := s.from.first(), s.to.last()
	sum := make([]total, last-first+1) // all accounts' end-of-day balances
	type flows struct{ in, out, allIn, allOut total }
	for i := range accounts {
		a := &accounts[i]
		if !isCashAccount(a) {
			continue
		}
		b, err := dailyBalances(a, first, last)
		if err != nil {
			return nil, fmt.Errorf("liquidity: %w", err)
		}
		f := make([]flows, s.months())
		for j := range a.Transactions {
			tx := &a.Transactions[j]
			if !booked(tx) {
				continue
			}
			m := s.index(dayOf(tx.BookingDate.Time))
			if m < 0 {
				continue
			}
			own := internal(CategoryOf(tax, tx))
			switch tx.Amount.Sign() {
			case 1:
				f[m].allIn.add(tx.Amount)
				if !own {
					f[m].in.add(tx.Amount)
				}
			case -1:
				f[m].allOut.add(tx.Amount.Neg())
				if !own {
					f[m].out.add(tx.Amount.Neg())
				}
			}
		}
		al := AccountLiquidity{AccountID: a.ID, IBAN: a.IBAN, Name: a.Name, Currency: a.Currency,
			Months: make([]LiquidityMonth, s.months())}
		for m := range al.Months {
			mo := s.from + month(m)
			fm := &f[m]
			if err := cmp.Or(fm.in.err, fm.out.err, fm.allIn.err, fm.allOut.err); err != nil {
				return nil, fmt.Errorf("liquidity %s %s: %w", a.ID, mo, err)
			}
			lm := balanceMonth(mo, func(d day) kontor.Amount { return b.at(d) })
			lm.Income, lm.Expenses = fm.allIn.sum, fm.allOut.sum
			al.Months[m] = lm
			var err error
			if r.Total[m].Income, err = r.Total[m].Income.Add(fm.in.sum); err != nil {
				return nil, fmt.Errorf("liquidity %s: %w", mo, err)
			}
			if r.Total[m].Expenses, err = r.Total[m].Expenses.Add(fm.out.sum); err != nil {
				return nil, fmt.Errorf("liquidity %s: %w", mo, err)
			}
		}
		for d := first; d <= last; d++ {
			sum[d-first].add(b.at(d))
		}
		r.Accounts = append(r.Accounts, al)
	}
	for d := range sum {
		if sum[d].err != nil {
			return nil, fmt.Errorf("liquidity total: %w", sum[d].err)
		}
	}
	for m := range r.Total {
		mo := s.from + month(m)
		lm := balanceMonth(mo, func(d day) kontor.Amount { return sum[d-first].sum })
		lm.Income, lm.Expenses = r.Total[m].Income, r.Total[m].Expenses
		r.Total[m] = lm
	}
	return r, nil
}

// balanceMonth returns the month's balances from the end-of-day balance
// function.
func balanceMonth(m month, at func(day) kontor.Amount) LiquidityMonth {
	lm := LiquidityMonth{Month: m.String()}
	for d := m.first(); d <= m.last(); d++ {
		bal := at(d)
		if d == m.first() || bal.Cmp(lm.MinBalance) < 0 {
			lm.MinBalance = bal
		}
		if d == m.first() || bal.Cmp(lm.MaxBalance) > 0 {
			lm.MaxBalance = bal
		}
	}
	lm.EndBalance = at(m.last())
	return lm
}

// CompanyForeignPayments returns a company's payments with counterparts in
// other countries than its own, by country. Transfers between its own
// accounts are left out.
func CompanyForeignPayments(accounts []kontor.Account, p Period) (*ForeignPaymentsReport, error) {
	tax, err := TaxonomyFor(kontor.UserCompany)
	if err != nil {
		return nil, err
	}
	s := spanOf(accounts, p)
	home := homeCountry(accounts)
	type partyAcc struct {
		party   ForeignCounterpart
		in, out total
	}
	type countryAcc struct {
		in, out           total
		countIn, countOut int
		months            [][2]total
		parties           map[string]*partyAcc
		order             []string
	}
	countries := map[string]*countryAcc{}
	eachBooked(accounts, func(_ *kontor.Account, tx *kontor.Transaction) {
		m := s.index(dayOf(tx.BookingDate.Time))
		if m < 0 || tx.Amount.Sign() == 0 {
			return
		}
		country := CountryOf(tx.CounterPart.IBAN, tx.CounterPart.BIC)
		if country == "" || country == home || internal(CategoryOf(tax, tx)) {
			return
		}
		ca := countries[country]
		if ca == nil {
			ca = &countryAcc{months: make([][2]total, s.months()), parties: map[string]*partyAcc{}}
			countries[country] = ca
		}
		key := compactUpper(tx.CounterPart.IBAN)
		if key == "" {
			key = "name:" + nameKey(tx.CounterPart.Name)
		}
		pa := ca.parties[key]
		if pa == nil {
			pa = &partyAcc{party: ForeignCounterpart{Name: tx.CounterPart.Name, IBAN: tx.CounterPart.IBAN, BIC: tx.CounterPart.BIC}}
			ca.parties[key] = pa
			ca.order = append(ca.order, key)
		}
		pa.party.Count++
		if tx.Amount.Sign() > 0 {
			ca.in.add(tx.Amount)
			ca.countIn++
			ca.months[m][0].add(tx.Amount)
			pa.in.add(tx.Amount)
		} else {
			v := tx.Amount.Neg()
			ca.out.add(v)
			ca.countOut++
			ca.months[m][1].add(v)
			pa.out.add(v)
		}
	})
	r := &ForeignPaymentsReport{HomeCountry: home, Countries: []CountryPayments{}}
	for country, ca := range countries {
		if err := cmp.Or(ca.in.err, ca.out.err); err != nil {
			return nil, fmt.Errorf("foreign payments %s: %w", country, err)
		}
		cp := CountryPayments{Country: country, In: ca.in.sum, Out: ca.out.sum, CountIn: ca.countIn, CountOut: ca.countOut,
			Months: make([]CountryMonth, s.months())}
		for m := range cp.Months {
			if err := cmp.Or(ca.months[m][0].err, ca.months[m][1].err); err != nil {
				return nil, fmt.Errorf("foreign payments %s: %w", country, err)
			}
			cp.Months[m] = CountryMonth{Month: (s.from + month(m)).String(), In: ca.months[m][0].sum, Out: ca.months[m][1].sum}
		}
		for _, key := range ca.order {
			pa := ca.parties[key]
			if err := cmp.Or(pa.in.err, pa.out.err); err != nil {
				return nil, fmt.Errorf("foreign payments %s: %w", country, err)
			}
			pa.party.In, pa.party.Out = pa.in.sum, pa.out.sum
			cp.Counterparts = append(cp.Counterparts, pa.party)
		}
		slices.SortStableFunc(cp.Counterparts, func(a, b ForeignCounterpart) int {
			va, _ := a.In.Add(a.Out)
			vb, _ := b.In.Add(b.Out)
			return vb.Cmp(va)
		})
		r.Countries = append(r.Countries, cp)
	}
	slices.SortFunc(r.Countries, func(a, b CountryPayments) int { return cmp.Compare(a.Country, b.Country) })
	return r, nil
}

// eachBooked calls f for every booked transaction of the accounts.
func eachBooked(accounts []kontor.Account, f func(*kontor.Account, *kontor.Transaction)) {
	for i := range accounts {
		a := &accounts[i]
		for j := range a.Transactions {
			if tx := &a.Transactions[j]; booked(tx) {
				f(a, tx)
			}
		}
	}
}

// categoryGrid sums amounts per month and category.
type categoryGrid struct {
	tax    *Taxonomy
	cells  [][]gridCell // [month][category index]
	totals []total
}

type gridCell struct {
	amount, recurring total
	count             int
}

func newCategoryGrid(tax *Taxonomy, months int) *categoryGrid {
	g := &categoryGrid{tax: tax, cells: make([][]gridCell, months), totals: make([]total, months)}
	for m := range g.cells {
		g.cells[m] = make([]gridCell, len(tax.Categories))
	}
	return g
}

func (g *categoryGrid) add(m int, c *Category, v kontor.Amount, recurring bool) {
	cell := &g.cells[m][c.index]
	cell.amount.add(v)
	if recurring {
		cell.recurring.add(v)
	}
	cell.count++
	g.totals[m].add(v)
}

// month returns the categories with transactions in month m, in taxonomy
// order, and their total.
func (g *categoryGrid) month(m int) ([]CategoryAmount, kontor.Amount, error) {
	out := []CategoryAmount{}
	for i, c := range g.tax.Categories {
		cell := &g.cells[m][i]
		if cell.count == 0 {
			continue
		}
		if err := cmp.Or(cell.amount.err, cell.recurring.err); err != nil {
			return nil, kontor.Amount{}, fmt.Errorf("%s: %w", c.Name, err)
		}
		out = append(out, CategoryAmount{Category: c.Name, Group: c.Group, Amount: cell.amount.sum,
			Recurring: cell.recurring.sum, Count: cell.count})
	}
	if err := g.totals[m].err; err != nil {
		return nil, kontor.Amount{}, err
	}
	return out, g.totals[m].sum, nil
}
