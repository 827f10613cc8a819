package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/kontor-dev/kontor/internal/testdb"
)

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestHeaders(t *testing.T) {
	s := startServer(t, sqliteURL(t))
	token := s.demoToken()
	for _, tc := range []struct {
		name, method, path string
		headers            []string
	}{
		{"authenticated", "GET", "/api/v1/users", []string{"Authorization", token}},
		{"unauthenticated error", "GET", "/api/v1/users", nil},
		{"not found", "GET", "/api/v1/users/nope", []string{"Authorization", token}},
		{"document", "GET", "/api/v1/openapi.yaml", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := s.do(tc.method, tc.path, nil, tc.headers...)
			if v := res.Header.Get("API-Version"); v != "2020-06-16" {
				t.Errorf("API-Version = %q, want 2020-06-16", v)
			}
			if id := res.Header.Get("X-Request-ID"); !uuidRE.MatchString(id) {
				t.Errorf("generated X-Request-ID = %q, want a UUID", id)
			}
			res = s.do(tc.method, tc.path, nil, append(tc.headers, "X-Request-ID", "trace-42:a/b", "API-Version", "2020-06-16")...)
			if id := res.Header.Get("X-Request-ID"); id != "trace-42:a/b" {
				t.Errorf("X-Request-ID = %q, want the one sent", id)
			}
			if v := res.Header.Get("API-Version"); v != "2020-06-16" {
				t.Errorf("API-Version with override = %q", v)
			}
		})
	}
	res := s.do("GET", "/api/v1/users", nil, "Authorization", "Bearer "+token, "User-IP", "2001:db8::1")
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(s.logs.String(), "user_ip=2001:db8::1") {
		t.Error("User-IP is not recorded in the log")
	}
	if !strings.Contains(s.logs.String(), "request_id=trace-42:a/b") {
		t.Error("the request ID is not in the log")
	}
}

func TestRateLimit(t *testing.T) {
	s := startServer(t, sqliteURL(t), func(c *Config) {
		c.Core.RateLimit, c.Core.RateBurst = 0.5, 3
		c.FinoOS.AuthRateLimit, c.FinoOS.AuthRateBurst = 0.5, 4
	})
	token := s.demoToken()
	other, _ := s.newClient("other")
	for i := range 3 {
		wantStatus(t, s.do("GET", "/api/v1/users", nil, "Authorization", token), http.StatusOK)
		_ = i
	}
	res := s.do("GET", "/api/v1/users", nil, "Authorization", token)
	wantError(t, res, http.StatusTooManyRequests, "too_many_requests")
	if ra, err := strconv.Atoi(res.Header.Get("Retry-After")); err != nil || ra < 1 || ra > 2 {
		t.Fatalf("Retry-After = %q, want 1 or 2 seconds", res.Header.Get("Retry-After"))
	}
	// Another client has its own budget.
	wantStatus(t, s.do("GET", "/api/v1/users", nil, "Authorization", other), http.StatusOK)
	// Authentication attempts are limited per address (two were used).
	var last *response
	for range 4 {
		last = s.do("POST", "/api/v1/auth", `{"name":"demo","secret":"wrong-wrong-wrong"}`)
	}
	wantError(t, last, http.StatusTooManyRequests, "too_many_requests")
}

func TestRefreshRotation(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		s := startServer(t, url)
		access, refresh := s.tokens(s.demoName, s.demoSecret)
		refreshBody := func(tok string) string {
			return fmt.Sprintf(`{"name":%q,"secret":%q,"refreshToken":%q}`, s.demoName, s.demoSecret, tok)
		}
		res := s.do("POST", "/api/v1/auth/refresh", refreshBody(refresh))
		wantStatus(t, res, http.StatusOK)
		access2, refresh2 := res.Field(t, "accessToken"), res.Field(t, "refreshToken")
		if refresh2 == refresh || access2 == access {
			t.Fatal("refresh did not rotate the tokens")
		}
		wantStatus(t, s.do("GET", "/api/v1/users", nil, "Authorization", access2), http.StatusOK)
		wantStatus(t, s.do("GET", "/api/v1/users", nil, "Authorization", access), http.StatusOK)

		// Replaying the spent refresh token fails and revokes the chain:
		// the new refresh token and both access tokens stop working.
		wantError(t, s.do("POST", "/api/v1/auth/refresh", refreshBody(refresh)), http.StatusUnauthorized, "unauthorized")
		wantError(t, s.do("POST", "/api/v1/auth/refresh", refreshBody(refresh2)), http.StatusUnauthorized, "unauthorized")
		wantError(t, s.do("GET", "/api/v1/users", nil, "Authorization", access2), http.StatusUnauthorized, "unauthorized")
		wantError(t, s.do("GET", "/api/v1/users", nil, "Authorization", access), http.StatusUnauthorized, "unauthorized")

		// A new authentication starts a new, unaffected chain.
		fresh, _ := s.tokens(s.demoName, s.demoSecret)
		wantStatus(t, s.do("GET", "/api/v1/users", nil, "Authorization", fresh), http.StatusOK)
	})
}

func TestUsersAPI(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *testServer) {
		v := newValidator(t, s)
		token := s.demoToken()
		other, _ := s.newClient("other")
		var ids []string
		for i := range 5 {
			ids = append(ids, s.createUser(token, []string{"person", "company"}[i%2]))
		}
		s.createUser(other, "person")

		res := s.do("GET", "/api/v1/users?page=2&perPage=2", nil, "Authorization", token)
		wantStatus(t, res, http.StatusOK)
		v.check("GET", "/users", res)
		var page struct {
			Users []struct {
				ID, Type, CreatedAt string
			}
			Paging struct{ Page, PerPage, PageCount, TotalCount int }
		}
		if err := json.Unmarshal(res.Body, &page); err != nil {
			t.Fatal(err)
		}
		if page.Paging.TotalCount != 5 || page.Paging.PageCount != 3 || len(page.Users) != 2 || page.Users[0].ID != ids[2] || page.Users[1].ID != ids[3] {
			t.Fatalf("page 2 = %s", res.Body)
		}

		res = s.do("GET", "/api/v1/users/"+ids[1], nil, "Authorization", token)
		wantStatus(t, res, http.StatusOK)
		v.check("GET", "/users/{id}", res)
		if res.Field(t, "type") != "company" || res.Field(t, "id") != ids[1] {
			t.Fatalf("get user = %s", res.Body)
		}

		// Deleting a user removes it and its bank data.
		body := `{"logins":[{"id":"L","accounts":[{"id":"A","transactions":[{"id":"T","amount":-1.5}]}]}]}`
		wantStatus(t, s.do("POST", "/api/v1/users/"+ids[0]+"/banking/logins", body, "Authorization", token), http.StatusNoContent)
		res = s.do("DELETE", "/api/v1/users/"+ids[0], nil, "Authorization", token)
		wantStatus(t, res, http.StatusNoContent)
		v.check("DELETE", "/users/{id}", res)
		wantError(t, s.do("GET", "/api/v1/users/"+ids[0], nil, "Authorization", token), http.StatusNotFound, "not_found")
		wantError(t, s.do("GET", "/api/v1/users/"+ids[0]+"/banking/logins", nil, "Authorization", token), http.StatusNotFound, "not_found")
		var n int
		if err := s.Store().QueryRowForTest(context.Background(), `SELECT COUNT(*) FROM transactions`, &n); err != nil || n != 0 {
			t.Fatalf("%d transactions left in the database after deleting their user (%v)", n, err)
		}
	})
}

func TestLoginsAPI(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *testServer) {
		v := newValidator(t, s)
		token := s.demoToken()
		user := s.createUser(token, "person")
		path := "/api/v1/users/" + user + "/banking/logins"

		// Missing IDs are made; the same content gives the same
		// transaction ID; nested accountIDs default to the account's.
		body := `{"logins":[{"accounts":[{"id":"acc","balance":1e3,"transactions":[
			{"amount":-24.990,"bookingDate":"2020-05-26T19:11:22+02:00","purpose":"x"},
			{"amount":-24.990,"bookingDate":"2020-05-26T19:11:22+02:00","purpose":"x"}]}]},
			{"id":"keep","bank":{"name":"B"}}]}`
		wantStatus(t, s.do("POST", path, body, "Authorization", token), http.StatusNoContent)
		res := s.do("GET", path, nil, "Authorization", token)
		wantStatus(t, res, http.StatusOK)
		v.check("GET", "/users/{id}/banking/logins", res)
		var got struct {
			Logins []struct {
				ID       string
				Accounts []struct {
					Balance      json.Number
					Transactions []struct {
						ID, AccountID, BookingDate string
						Amount                     json.Number
						Tags, Codes                []any
					}
				}
			}
		}
		dec := json.NewDecoder(bytes.NewReader(res.Body))
		dec.UseNumber()
		if err := dec.Decode(&got); err != nil {
			t.Fatal(err)
		}
		l := got.Logins[0]
		txs := l.Accounts[0].Transactions
		if len(l.ID) != 24 || got.Logins[1].ID != "keep" || len(txs) != 2 {
			t.Fatalf("logins = %s", res.Body)
		}
		if txs[0].ID == "" || txs[0].ID == txs[1].ID || txs[0].AccountID != "acc" || txs[0].Amount != "-24.990" ||
			txs[0].BookingDate != "2020-05-26T17:11:22Z" || txs[0].Tags == nil || txs[0].Codes == nil || l.Accounts[0].Balance != "1000" {
			t.Fatalf("derived fields wrong: %s", res.Body)
		}
		first := txs[0].ID

		// Setting again replaces; the content-derived ID is stable.
		wantStatus(t, s.do("POST", path, body, "Authorization", token), http.StatusNoContent)
		res = s.do("GET", path, nil, "Authorization", token)
		if !bytes.Contains(res.Body, []byte(`"id":"`+first+`"`)) {
			t.Fatalf("transaction ID changed across uploads: %s", res.Body)
		}

		res = s.do("DELETE", path+"/keep", nil, "Authorization", token)
		wantStatus(t, res, http.StatusNoContent)
		v.check("DELETE", "/users/{id}/banking/logins/{loginId}", res)
		res = s.do("GET", path, nil, "Authorization", token)
		if bytes.Contains(res.Body, []byte(`"keep"`)) {
			t.Fatal("deleted login still listed")
		}
		wantStatus(t, s.do("POST", path, `{"logins":[]}`, "Authorization", token), http.StatusNoContent)
		if res := s.do("GET", path, nil, "Authorization", token); string(bytes.TrimSpace(res.Body)) != `{"logins":[]}` {
			t.Fatalf("after setting no logins: %s", res.Body)
		}
	})
}
