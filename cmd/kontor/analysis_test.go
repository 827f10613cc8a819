package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
)

// jsonAt walks a decoded JSON document: keys for objects, ints for arrays.
func jsonAt(t *testing.T, v any, path ...any) any {
	t.Helper()
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("at %v: not an object", path)
			}
			v = m[k]
		case int:
			a, ok := v.([]any)
			if !ok || k >= len(a) {
				t.Fatalf("at %v: not an array of %d", path, k+1)
			}
			v = a[k]
		}
	}
	return v
}

// month returns the entry for month m of a report's "months".
func month(t *testing.T, report any, m string) map[string]any {
	t.Helper()
	for _, e := range jsonAt(t, report, "months").([]any) {
		if e.(map[string]any)["month"] == m {
			return e.(map[string]any)
		}
	}
	t.Fatalf("report has no month %s", m)
	return nil
}

func num(v any) string { return fmt.Sprint(v) }

func upload(t *testing.T, s *testServer, token, typ, file string) string {
	t.Helper()
	user := s.createUser(token, typ)
	body, err := os.ReadFile("testdata/analysis/" + file)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, s.do("POST", "/api/v1/users/"+user+"/banking/logins", body, "Authorization", token), http.StatusNoContent)
	return user
}

// TestAnalysisReports uploads hand-written data of a person and a company
// and checks the categories, the recurring payments and the reports
// against figures worked out by hand (see testdata/analysis/README.md).
func TestAnalysisReports(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *testServer) {
		v := newValidator(t, s)
		token := s.demoToken()
		report := func(user, name string) any {
			t.Helper()
			res := s.do("GET", "/api/v1/users/"+user+"/analysis/"+name, nil, "Authorization", token)
			wantStatus(t, res, http.StatusOK)
			v.check("GET", "/users/{id}/analysis/{report}", res)
			return res.JSON(t)
		}

		person := upload(t, s, token, "person", "person.json")
		if st := s.waitAnalysis(token, person); st != "done" {
			t.Fatalf("person analysis: %s", st)
		}
		v.check("GET", "/users/{id}/analysis", s.do("GET", "/api/v1/users/"+person+"/analysis", nil, "Authorization", token))

		// Categories are tags with source kontor; the caller's tag stays.
		res := s.do("GET", "/api/v1/users/"+person+"/banking/logins", nil, "Authorization", token)
		txs := jsonAt(t, res.JSON(t), "logins", 0, "accounts", 0, "transactions").([]any)
		want := map[string]string{"T1": "housing.rent", "T2": "groceries.food", "T3": "income.salary", "T6": "returned_debit.return", "T10": "gambling.betting", "T11": "income.salary"}
		for _, tx := range txs {
			m := tx.(map[string]any)
			var kontor []string
			for _, tag := range m["tags"].([]any) {
				if tg := tag.(map[string]any); tg["source"] == "kontor" && tg["name"] != "recurring" {
					kontor = append(kontor, tg["name"].(string))
				}
			}
			if w, ok := want[m["id"].(string)]; ok && (len(kontor) != 1 || kontor[0] != w) {
				t.Errorf("%s categorised as %v, want %s", m["id"], kontor, w)
			}
			if m["id"] == "T5" && !strings.Contains(fmt.Sprint(m["tags"]), "name:household source:me") {
				t.Errorf("the caller's tag on T5 was lost: %v", m["tags"])
			}
		}
		if status := jsonAt(t, res.JSON(t), "logins", 0, "analysisStatus"); status != "done" {
			t.Errorf("login analysisStatus = %v", status)
		}

		income := report(person, "income")
		for m, salary := range map[string]string{"2026-08": "3000.0", "2026-09": "3000.0", "2026-10": "3100.0"} {
			e := month(t, income, m)
			if got := num(jsonAt(t, e, "kinds", 0, "amount")); jsonAt(t, e, "kinds", 0, "kind") != "salary" || got != salary {
				t.Errorf("income %s: salary %s, want %s", m, got, salary)
			}
		}
		spending := month(t, report(person, "spending"), "2026-08")
		if num(spending["total"]) != "995.3" {
			t.Errorf("spending 2026-08 total = %v, want 995.3 (rent 950.00 + groceries 45.30)", spending["total"])
		}
		risk := report(person, "risk")
		for m, w := range map[string][4]string{
			// month: returned debits, gambling amount, overdraft days, max overdraft
			"2026-08": {"0", "0", "31", "6086.89"},
			"2026-09": {"1", "0", "30", "4096.99"},
			"2026-10": {"0", "50.0", "28", "2100.0"},
		} {
			e := month(t, risk, m)
			got := [4]string{num(jsonAt(t, e, "returnedDebits", "count")), num(jsonAt(t, e, "gambling", "amount")), num(e["overdraftDays"]), num(e["maxOverdraft"])}
			if got != w {
				t.Errorf("risk %s = %v, want %v", m, got, w)
			}
		}
		recurring := fmt.Sprint(report(person, "recurring"))
		for _, w := range []string{"category:housing.rent", "category:income.salary", "cycle:MONTHLY", "nextDate:2026-11-02T00:00:00Z"} {
			if !strings.Contains(recurring, w) {
				t.Errorf("recurring payments lack %s: %s", w, recurring)
			}
		}
		wantError(t, s.do("GET", "/api/v1/users/"+person+"/analysis/cash", nil, "Authorization", token), http.StatusNotFound, "not_found")
		wantError(t, s.do("GET", "/api/v1/users/"+person+"/analysis/horoscope", nil, "Authorization", token), http.StatusNotFound, "not_found")

		company := upload(t, s, token, "company", "company.json")
		if st := s.waitAnalysis(token, company); st != "done" {
			t.Fatalf("company analysis: %s", st)
		}
		cash := month(t, report(company, "cash"), "2026-09")
		if num(cash["in"]) != "16900.0" || num(cash["out"]) != "6580.0" || num(cash["net"]) != "10320.0" {
			t.Errorf("cash 2026-09 = in %v out %v net %v, want 16900.0 6580.0 10320.0", cash["in"], cash["out"], cash["net"])
		}
		liq := month(t, jsonAt(t, report(company, "liquidity"), "accounts", 0), "2026-09")
		if num(liq["minBalance"]) != "16180.0" || num(liq["maxBalance"]) != "30700.0" || num(liq["endBalance"]) != "26500.0" {
			t.Errorf("liquidity 2026-09 = %v", liq)
		}
		foreign := jsonAt(t, report(company, "foreign-payments"), "countries", 0).(map[string]any)
		if foreign["country"] != "FR" || num(foreign["in"]) != "5000.0" || num(foreign["countIn"]) != "1" {
			t.Errorf("foreign payments = %v", foreign)
		}
		wantError(t, s.do("GET", "/api/v1/users/"+company+"/analysis/income", nil, "Authorization", token), http.StatusNotFound, "not_found")
	})
}

// TestAnalysisPending checks that a report asked for before the analysis
// of the latest data has run is refused, not answered from older data.
func TestAnalysisPending(t *testing.T) {
	s := startServer(t, sqliteURL(t), func(c *Config) { c.AnalysisWorkers = 0 })
	token := s.demoToken()
	user := upload(t, s, token, "person", "person.json")
	res := s.do("GET", "/api/v1/users/"+user+"/analysis/income", nil, "Authorization", token)
	wantError(t, res, http.StatusConflict, "conflict")
	if res.Header.Get("Retry-After") != "1" {
		t.Errorf("Retry-After = %q", res.Header.Get("Retry-After"))
	}
	if st := s.do("GET", "/api/v1/users/"+user+"/analysis", nil, "Authorization", token).Field(t, "status"); st != "pending" {
		t.Errorf("status = %s, want pending", st)
	}
	logins := s.do("GET", "/api/v1/users/"+user+"/banking/logins", nil, "Authorization", token)
	if !strings.Contains(string(logins.Body), `"analysisStatus":"pending"`) {
		t.Errorf("Get Logins does not show the pending analysis")
	}
	empty := s.createUser(token, "person")
	wantError(t, s.do("GET", "/api/v1/users/"+empty+"/analysis/income", nil, "Authorization", token), http.StatusNotFound, "not_found")
	wantError(t, s.do("POST", "/api/v1/users/"+user+"/banking/logins", `{"logins":[{"analysisStatus":"done"}]}`, "Authorization", token), http.StatusBadRequest, "bad_request")
}

// TestAnalysisClientRules sets a client's own rule and sees it win over the
// built-in rules on the next analysis, for that client only.
func TestAnalysisClientRules(t *testing.T) {
	s := startServer(t, sqliteURL(t))
	token := s.demoToken()
	other, _ := s.newClient("other")

	for _, bad := range []string{"version: 1\nrules:\n  - id: x\n    category: no.such.category\n    keywords: [a]\n", "{{{", "version: 99\n"} {
		wantError(t, s.do("PUT", "/api/v1/analysis/rules", bad, "Authorization", token), http.StatusBadRequest, "bad_request")
	}
	wantError(t, s.do("PUT", "/api/v1/analysis/rules", strings.Repeat("#", 300<<10), "Authorization", token), http.StatusBadRequest, "bad_request")
	if got := s.do("GET", "/api/v1/analysis/rules", nil, "Authorization", token); got.Status != http.StatusOK || len(got.Body) != 0 {
		t.Fatalf("rules after bad uploads: %d %q", got.Status, got.Body)
	}

	rules := "version: 1\nrules:\n  - id: rewe-is-leisure\n    category: leisure.restaurants\n    for: person\n    keywords: [rewe]\n    priority: 100\n"
	wantStatus(t, s.do("PUT", "/api/v1/analysis/rules", rules, "Authorization", token), http.StatusNoContent)
	if got := s.do("GET", "/api/v1/analysis/rules", nil, "Authorization", token); string(got.Body) != rules {
		t.Fatalf("stored rules = %q", got.Body)
	}
	category := func(tok, user string) string {
		s.waitAnalysis(tok, user)
		res := s.do("GET", "/api/v1/users/"+user+"/banking/logins", nil, "Authorization", tok)
		tags := jsonAt(t, res.JSON(t), "logins", 0, "accounts", 0, "transactions", 1, "tags").([]any)
		return fmt.Sprint(jsonAt(t, tags[0], "name"))
	}
	if c := category(token, upload(t, s, token, "person", "person.json")); c != "leisure.restaurants" {
		t.Errorf("with the client's rule REWE is %s, want leisure.restaurants", c)
	}
	if c := category(other, upload(t, s, other, "person", "person.json")); c != "groceries.food" {
		t.Errorf("another client's REWE is %s, want groceries.food", c)
	}
	wantStatus(t, s.do("PUT", "/api/v1/analysis/rules", "", "Authorization", token), http.StatusNoContent)
	var removed json.RawMessage = s.do("GET", "/api/v1/analysis/rules", nil, "Authorization", token).Body
	if len(removed) != 0 {
		t.Errorf("rules after removal: %s", removed)
	}
}
