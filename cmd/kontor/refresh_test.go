package main

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"github.com/kontor-dev/kontor"
)

// transactionIDs returns the IDs of a login's transactions, sorted.
func transactionIDs(t *testing.T, s *testServer, token, user, loginID string) []string {
	t.Helper()
	res := s.do("GET", "/api/v1/users/"+user+"/banking/logins", nil, "Authorization", token)
	wantStatus(t, res, http.StatusOK)
	var got struct{ Logins []kontor.Login }
	if err := json.Unmarshal(res.Body, &got); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, l := range got.Logins {
		if l.ID != loginID {
			continue
		}
		for _, a := range l.Accounts {
			for _, tx := range a.Transactions {
				ids = append(ids, tx.ID)
			}
		}
	}
	slices.Sort(ids)
	return ids
}

// TestRefresh connects the sandbox's dummy login over FinTS with recurring
// set and refreshes it without the user: the bank skips the TAN for the
// same installation, the data is stored again, and every transaction keeps
// its ID. Logins without kept credentials cannot be refreshed.
func TestRefresh(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *testServer) {
		v := newValidator(t, s)
		token := s.demoToken()
		user := s.createUser(token, "person")
		loginID := connectOverFinTSRecurring(t, s, token, user, "dummy", true)
		before := transactionIDs(t, s, token, user, loginID)
		if len(before) < 100 {
			t.Fatalf("connected login has %d transactions", len(before))
		}
		s.waitAnalysis(token, user)

		res := s.do("POST", "/api/v1/users/"+user+"/banking/logins/"+loginID+"/refresh", nil, "Authorization", token)
		wantStatus(t, res, http.StatusNoContent)
		v.check("POST", "/users/{id}/banking/logins/{loginId}/refresh", res)
		if after := transactionIDs(t, s, token, user, loginID); !slices.Equal(before, after) {
			t.Fatalf("transaction IDs changed across a refresh: %d before, %d after", len(before), len(after))
		}
		if st := s.waitAnalysis(token, user); st != "done" {
			t.Fatalf("analysis after refresh: %s", st)
		}

		once := s.createUser(token, "person")
		onceLogin := connectOverFinTSRecurring(t, s, token, once, "dummy", false)
		res = s.do("POST", "/api/v1/users/"+once+"/banking/logins/"+onceLogin+"/refresh", nil, "Authorization", token)
		wantError(t, res, http.StatusConflict, "conflict")
		v.check("POST", "/users/{id}/banking/logins/{loginId}/refresh", res)

		uploaded := s.createUser(token, "person")
		wantStatus(t, s.do("POST", "/api/v1/users/"+uploaded+"/banking/logins", `{"logins":[{"id":"up"}]}`, "Authorization", token), http.StatusNoContent)
		wantError(t, s.do("POST", "/api/v1/users/"+uploaded+"/banking/logins/up/refresh", nil, "Authorization", token), http.StatusConflict, "conflict")
		wantError(t, s.do("POST", "/api/v1/users/"+user+"/banking/logins/nope/refresh", nil, "Authorization", token), http.StatusNotFound, "not_found")
		other, _ := s.newClient("other")
		wantError(t, s.do("POST", "/api/v1/users/"+user+"/banking/logins/"+loginID+"/refresh", nil, "Authorization", other), http.StatusNotFound, "not_found")
	})
}
