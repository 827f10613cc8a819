package main

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/bank/sandbox"
)

// categoryAmount returns the amount of a category in a spending month.
func categoryAmount(t *testing.T, m map[string]any, category string) string {
	t.Helper()
	for _, c := range m["categories"].([]any) {
		if c := c.(map[string]any); c["category"] == category {
			return num(c["amount"])
		}
	}
	return "none"
}

// TestAnalysisSandboxReports analyses the sandbox bank's dummy login as of
// 2026-11-22 and checks figures of October 2026 that were read off its
// giro and credit card accounts by hand: one salary of 3571.47
// ("LOHN/GEHALT 10/2026" from Elbwerk Medien GmbH), rent of 1050.00 to
// Hausverwaltung Becker GmbH, streaming of 22.98 (Netflix 4.99 on the giro
// card, Spotify 17.99 on the credit card), and one ATM withdrawal of 200.00,
// which is cash, not spending.
func TestAnalysisSandboxReports(t *testing.T) {
	s := startServer(t, sqliteURL(t))
	token := s.demoToken()
	user := s.createUser(token, "person")
	accounts := sandbox.Accounts("dummy", time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC))
	body, err := json.Marshal(map[string]any{"logins": []kontor.Login{{ID: "sandbox", Bank: sandbox.Bank(), Accounts: accounts}}})
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, s.do("POST", "/api/v1/users/"+user+"/banking/logins", body, "Authorization", token), http.StatusNoContent)
	if st := s.waitAnalysis(token, user); st != "done" {
		t.Fatalf("analysis: %s", st)
	}
	get := func(report string) any {
		res := s.do("GET", "/api/v1/users/"+user+"/analysis/"+report, nil, "Authorization", token)
		wantStatus(t, res, http.StatusOK)
		return res.JSON(t)
	}
	income := month(t, get("income"), "2026-10")
	if kind := jsonAt(t, income, "kinds", 0); jsonAt(t, kind, "kind") != "salary" || num(jsonAt(t, kind, "amount")) != "3571.47" || num(jsonAt(t, kind, "count")) != "1" {
		t.Errorf("October salary = %v, want one of 3571.47", kind)
	}
	spending := month(t, get("spending"), "2026-10")
	for category, want := range map[string]string{"housing.rent": "1050.00", "leisure.streaming": "22.98", "cash.withdrawal": "none"} {
		if got := categoryAmount(t, spending, category); got != want {
			t.Errorf("October %s = %s, want %s", category, got, want)
		}
	}
	res := s.do("GET", "/api/v1/users/"+user+"/banking/logins", nil, "Authorization", token)
	var logins struct{ Logins []kontor.Login }
	if err := json.Unmarshal(res.Body, &logins); err != nil {
		t.Fatal(err)
	}
	atm := 0
	for _, tx := range logins.Logins[0].Accounts[0].Transactions {
		if tx.BookingDate.Format("2006-01") == "2026-10" && tx.Amount.String() == "-200.00" {
			for _, tag := range tx.Tags {
				if tag.Name == "cash.withdrawal" && tag.Source == kontor.TagSourceKontor {
					atm++
				}
			}
		}
	}
	if atm != 1 {
		t.Errorf("%d October withdrawals of 200.00 tagged cash.withdrawal, want 1", atm)
	}
	recurring := get("recurring").([]any)
	var rent, salary bool
	for _, r := range recurring {
		r := r.(map[string]any)
		switch {
		case r["category"] == "housing.rent" && num(r["amount"]) == "-1050.00" && r["cycle"] == "MONTHLY":
			rent = true
		case r["category"] == "income.salary" && r["cycle"] == "MONTHLY" && jsonAt(t, r, "counterPart", "name") == "Elbwerk Medien GmbH":
			salary = true
		}
	}
	if !rent || !salary {
		t.Errorf("recurring payments lack the monthly rent of 1050.00 (%v) or the salary (%v): %v", rent, salary, recurring)
	}
}
