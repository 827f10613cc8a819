package analysis

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/kontor-dev/kontor"
)

// payment is a categorised, booked transaction for recurring-payment tests.
type payment struct {
	date, amount, category, name, iban string
}

func account(payments ...payment) []kontor.Account {
	a := kontor.Account{ID: "acc", IBAN: "DE02120300000000202051", Owner: "Anna Schneider", Balance: kontor.MustParseAmount("100")}
	for i, p := range payments {
		d, err := time.Parse("2006-01-02", p.date)
		if err != nil {
			panic(err)
		}
		a.Transactions = append(a.Transactions, kontor.Transaction{
			ID:          fmt.Sprintf("t%02d", i),
			AccountID:   "acc",
			BookingDate: kontor.TimestampOf(d),
			Amount:      kontor.MustParseAmount(p.amount),
			Currency:    "EUR",
			CounterPart: kontor.CounterPart{Name: p.name, IBAN: p.iban},
			Booked:      true,
			Tags:        []kontor.Tag{{Name: p.category, Source: kontor.TagSourceKontor}},
		})
	}
	return []kontor.Account{a}
}

func ids(r Recurring) string { return fmt.Sprint(r.TransactionIDs) }

func TestDetectRecurring(t *testing.T) {
	tax, _ := TaxonomyFor(kontor.UserPerson)
	const landlord = "DE89370400440532013000"
	for _, tc := range []struct {
		name     string
		payments []payment
		want     []string // "cycle amount next ids"
	}{
		{
			name: "monthly rent with weekend jitter and a missed month",
			payments: []payment{
				{"2025-01-02", "-850.00", "housing.rent", "Vermieter", landlord},
				{"2025-02-03", "-850.00", "housing.rent", "Vermieter", landlord}, // 1st was a Saturday
				{"2025-03-03", "-850.00", "housing.rent", "Vermieter", landlord},
				{"2025-05-02", "-850.00", "housing.rent", "Vermieter", landlord}, // April missing
				{"2025-06-02", "-850.00", "housing.rent", "Vermieter", landlord},
			},
			want: []string{"MONTHLY -850.00 2025-07-02 [t00 t01 t02 t03 t04]"},
		},
		{
			name: "month ends and a price rise",
			payments: []payment{
				{"2025-01-31", "-12.99", "leisure.streaming", "Netflix", ""},
				{"2025-02-28", "-12.99", "leisure.streaming", "NETFLIX.COM", ""},
				{"2025-03-31", "-13.99", "leisure.streaming", "Netflix", ""},
				{"2025-04-30", "-13.99", "leisure.streaming", "Netflix International B.V.", ""},
			},
			want: []string{"MONTHLY -13.99 2025-06-02 [t00 t01 t02 t03]"},
		},
		{
			name: "two subscriptions with one provider",
			payments: []payment{
				{"2025-01-05", "-9.99", "leisure.streaming", "PayPal", ""},
				{"2025-01-20", "-17.99", "leisure.streaming", "PayPal", ""},
				{"2025-02-05", "-9.99", "leisure.streaming", "PayPal", ""},
				{"2025-02-20", "-17.99", "leisure.streaming", "PayPal", ""},
				{"2025-03-05", "-9.99", "leisure.streaming", "PayPal", ""},
				{"2025-03-20", "-17.99", "leisure.streaming", "PayPal", ""},
			},
			want: []string{"MONTHLY -9.99 2025-04-07 [t00 t02 t04]", "MONTHLY -17.99 2025-04-21 [t01 t03 t05]"},
		},
		{
			name: "salary varies, bonus month included",
			payments: []payment{
				{"2025-01-30", "2874.31", "income.salary", "Arbeitgeber", "DE44500105175407324931"},
				{"2025-02-27", "2911.08", "income.salary", "Arbeitgeber", "DE44500105175407324931"},
				{"2025-03-28", "2874.31", "income.salary", "Arbeitgeber", "DE44500105175407324931"},
				{"2025-04-29", "4102.55", "income.salary", "Arbeitgeber", "DE44500105175407324931"},
			},
			want: []string{"MONTHLY 2911.08 2025-05-29 [t00 t01 t02 t03]"},
		},
		{
			name: "weekly",
			payments: []payment{
				{"2025-03-03", "-10.00", "transfers.outgoing", "Nachhilfe Tim", ""},
				{"2025-03-10", "-10.00", "transfers.outgoing", "Nachhilfe Tim", ""},
				{"2025-03-18", "-10.00", "transfers.outgoing", "Nachhilfe Tim", ""},
				{"2025-03-24", "-10.00", "transfers.outgoing", "Nachhilfe Tim", ""},
			},
			want: []string{"WEEKLY -10.00 2025-03-31 [t00 t01 t02 t03]"},
		},
		{
			name: "quarterly broadcast fee",
			payments: []payment{
				{"2025-02-17", "-55.08", "housing.broadcast_fee", "Rundfunk", ""},
				{"2025-05-15", "-55.08", "housing.broadcast_fee", "Rundfunk", ""},
			},
			want: []string{"QUARTERLY -55.08 2025-08-15 [t00 t01]"},
		},
		{
			name: "half-yearly and yearly",
			payments: []payment{
				{"2024-01-02", "-412.60", "insurance.vehicle", "HUK-COBURG", ""},
				{"2024-03-01", "-60.00", "leisure.memberships", "Verein", ""},
				{"2024-09-02", "-60.00", "leisure.memberships", "Verein", ""},
				{"2025-01-02", "-448.10", "insurance.vehicle", "HUK-COBURG", ""},
				{"2025-03-03", "-60.00", "leisure.memberships", "Verein", ""},
			},
			want: []string{"YEARLY -448.10 2026-01-02 [t00 t03]", "HALF_YEARLY -60.00 2025-09-01 [t01 t02 t04]"},
		},
		{
			name: "one-off categories and irregular payments are no contracts",
			payments: []payment{
				{"2025-01-04", "-30.00", "groceries.food", "REWE", ""},
				{"2025-02-04", "-30.00", "groceries.food", "REWE", ""},
				{"2025-03-04", "-30.00", "groceries.food", "REWE", ""},
				{"2025-01-10", "-50.00", "transfers.outgoing", "Lisa", ""},
				{"2025-01-29", "-50.00", "transfers.outgoing", "Lisa", ""},
				{"2025-04-11", "-50.00", "transfers.outgoing", "Lisa", ""},
			},
			want: nil,
		},
		{
			name: "two yearly payments of very different amounts are no contract",
			payments: []payment{
				{"2024-06-01", "-100.00", "shopping.general", "Versandhaus", ""},
				{"2025-06-02", "-300.00", "shopping.general", "Versandhaus", ""},
			},
			want: nil,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			found := DetectRecurring(tax, account(tc.payments...))
			var got []string
			for _, r := range found {
				got = append(got, fmt.Sprintf("%s %s %s %s", r.Cycle, r.Amount, r.NextDate.Format("2006-01-02"), ids(r)))
			}
			slices.Sort(got)
			want := slices.Clone(tc.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("found\n%q\nwant\n%q", got, want)
			}
		})
	}
}

func TestRecurringDetails(t *testing.T) {
	tax, _ := TaxonomyFor(kontor.UserPerson)
	accounts := account(
		payment{"2025-01-15", "-29.99", "housing.internet_phone", "o2", ""},
		payment{"2025-02-17", "-29.99", "housing.internet_phone", "o2", ""},
		payment{"2025-03-14", "-31.99", "housing.internet_phone", "o2", ""},
		payment{"2025-06-20", "-5.00", "groceries.food", "Bäcker", ""},
	)
	accounts[0].Transactions[2].MRef = "O2-4711"
	found := DetectRecurring(tax, accounts)
	if len(found) != 1 {
		t.Fatalf("found %d series", len(found))
	}
	r := found[0]
	if r.Direction != "out" || r.Category != "housing.internet_phone" || r.Count != 3 ||
		r.MinAmount.String() != "-29.99" || r.MaxAmount.String() != "-31.99" || r.Amount.String() != "-29.99" ||
		r.CounterPart.Name != "o2" || r.MRef != "O2-4711" || r.AccountID != "acc" || r.Currency != "EUR" ||
		r.FirstDate.Format("2006-01-02") != "2025-01-15" || r.LastDate.Format("2006-01-02") != "2025-03-14" ||
		r.NextDate.Format("2006-01-02") != "2025-04-15" {
		t.Errorf("series %+v", r)
	}
	if r.Active {
		t.Error("a series overdue for months is active")
	}
	if r.ID == "" || r.ID != DetectRecurring(tax, accounts)[0].ID {
		t.Error("ID is not stable")
	}

	MarkRecurring(accounts, found)
	for i, tx := range accounts[0].Transactions {
		if IsRecurring(&tx) != (i < 3) {
			t.Errorf("transaction %d: recurring %v", i, IsRecurring(&tx))
		}
	}
	MarkRecurring(accounts, found)
	if n := len(accounts[0].Transactions[0].Tags); n != 2 {
		t.Errorf("marking twice: %d tags", n)
	}
}

func TestDatesHelpers(t *testing.T) {
	d := func(s string) day {
		v, _ := time.Parse("2006-01-02", s)
		return dayOf(v)
	}
	for _, tc := range []struct {
		from string
		n    int
		want string
	}{
		{"2025-01-31", 1, "2025-02-28"},
		{"2024-01-31", 1, "2024-02-29"},
		{"2025-01-31", 2, "2025-03-31"},
		{"2025-11-15", 3, "2026-02-15"},
		{"2025-03-31", -1, "2025-02-28"},
	} {
		if got := addMonths(d(tc.from), tc.n).time().Format("2006-01-02"); got != tc.want {
			t.Errorf("addMonths(%s, %d) = %s, want %s", tc.from, tc.n, got, tc.want)
		}
	}
	if got := d("2025-03-01").businessDay().time().Format("2006-01-02"); got != "2025-03-03" {
		t.Errorf("business day after Saturday 1 March: %s", got)
	}
	if got := d("1969-12-28").weekday(); got != time.Sunday {
		t.Errorf("weekday before 1970: %v", got)
	}
	if m := monthOfDay(d("2025-02-10")); m.String() != "2025-02" || m.daysIn() != 28 {
		t.Errorf("month %s with %d days", m, m.daysIn())
	}
}
