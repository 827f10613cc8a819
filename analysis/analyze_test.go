package analysis_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/analysis"
	"github.com/kontor-dev/kontor/analysis/evaluation"
)

func loadUser(t *testing.T, id string) *evaluation.User {
	t.Helper()
	set, err := evaluation.Load("../testdata/analysis")
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range set.Users {
		if u.ID == id {
			return u
		}
	}
	t.Fatalf("no user %s", id)
	return nil
}

func TestAnalyzePerson(t *testing.T) {
	u := loadUser(t, "p04") // overdrawn, gambling, returned debits, collection, garnishment
	a, err := analysis.Analyze(nil, u.Type, u.Accounts, analysis.Period{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Person == nil || a.Company != nil || len(a.Recurring) == 0 {
		t.Fatalf("analysis %+v", a)
	}
	risk := map[string]analysis.RiskMonth{}
	for _, m := range a.Person.Risk.Months {
		risk[m.Month] = m
	}
	if m := risk["2024-10"]; m.ReturnedDebits.Count != 1 || m.ReturnedDebits.Amount.String() != "620.00" || m.Collections.Count != 2 || m.Gambling.Count != 2 {
		t.Errorf("October risk %+v", m)
	}
	if m := risk["2024-12"]; m.Garnishments.Count != 1 || m.Garnishments.Amount.String() != "350.00" || m.OverdraftDays == 0 {
		t.Errorf("December risk %+v", m)
	}
	inc := a.Person.Income.Months[len(a.Person.Income.Months)-1]
	if inc.Month != "2024-12" || inc.Kinds[0].Kind != "salary" || inc.Kinds[0].Amount.String() != "2140.00" || inc.Kinds[0].Recurring.String() != "2140.00" {
		t.Errorf("December income %+v", inc)
	}
	// Every transaction carries exactly one category tag of source kontor.
	tax, _ := analysis.TaxonomyFor(kontor.UserPerson)
	for _, acc := range u.Accounts {
		for _, tx := range acc.Transactions {
			n := 0
			for _, tag := range tx.Tags {
				if tag.Source == kontor.TagSourceKontor && tax.Has(tag.Name) {
					n++
				}
			}
			if n != 1 {
				t.Errorf("%s: tags %v", tx.ID, tx.Tags)
			}
		}
	}
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"userType":"person"`, `"recurring":[{"id":`, `"cycle":"MONTHLY"`, `"nextDate":"`, `"overdraftDays":`, `"returnedDebits":{"count":`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON lacks %s", want)
		}
	}
}

func TestAnalyzeCompany(t *testing.T) {
	u := loadUser(t, "c02")
	a, err := analysis.Analyze(nil, u.Type, u.Accounts, analysis.Period{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Company == nil || a.Person != nil {
		t.Fatalf("analysis %+v", a)
	}
	var countries []string
	for _, c := range a.Company.ForeignPayments.Countries {
		countries = append(countries, c.Country)
	}
	if got := strings.Join(countries, " "); got != "AT CH CZ IE LU NL PL SE" {
		t.Errorf("foreign countries %s", got)
	}
	liq := a.Company.Liquidity
	last := liq.Accounts[0].Months[len(liq.Accounts[0].Months)-1]
	if last.EndBalance.String() != "64210.77" {
		t.Errorf("giro end balance %s", last.EndBalance)
	}
	total := liq.Total[len(liq.Total)-1]
	if total.EndBalance.String() != "114335.07" {
		t.Errorf("total end balance %s", total.EndBalance)
	}
	// The transfer to the company's Tagesgeld is neither cash in nor out.
	jan := a.Company.Cash.Months[0]
	for _, c := range append(jan.InByCategory, jan.OutByCategory...) {
		if c.Category == "transfers.own_account" {
			t.Errorf("cash report counts %+v", c)
		}
	}
	if _, err := analysis.Analyze(nil, "robot", u.Accounts, analysis.Period{}); kontor.ErrorCode(err) != kontor.EINVALID {
		t.Errorf("unknown user type: %v", err)
	}
}
