package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/auth"
	"github.com/kontor-dev/kontor/internal/testdb"
)

// signingKey reads the server's token signing key from its database, as an
// attacker who stole it would, to make tokens the server did not issue.
func (s *testServer) signingKey() []byte {
	s.t.Helper()
	enc, err := s.Store().Setting(context.Background(), "token_signing_key", func() (string, error) {
		return "", fmt.Errorf("no signing key stored")
	})
	if err != nil {
		s.t.Fatal(err)
	}
	key, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		s.t.Fatal(err)
	}
	return key
}

func mustSign(t testing.TB, key []byte, typ string, issued time.Time, ttl time.Duration) string {
	t.Helper()
	signer, err := auth.NewSigner(key)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := signer.Sign(typ, "someclient", kontor.NewID(), kontor.NewID(), issued, ttl)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// snapshot is everything the bad requests could touch, as the API shows it.
func snapshot(s *testServer, tokens []string, users []string) string {
	var b strings.Builder
	for _, tok := range tokens {
		b.Write(s.do("GET", "/api/v1/users?perPage=500", nil, "Authorization", tok).Body)
		for _, u := range users {
			res := s.do("GET", "/api/v1/users/"+u+"/banking/logins", nil, "Authorization", tok)
			fmt.Fprintf(&b, "%d %s\n", res.Status, res.Body)
		}
	}
	return b.String()
}

// TestBadInput sends malformed, oversized, wrongly typed, unknown and
// hostile requests to every endpoint. Each gets the documented status and
// error type, and the stored data is the same afterwards.
func TestBadInput(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		s := startServer(t, url, func(c *Config) { c.FinoOS.MaxUploadBytes = 1 << 20 })
		token := s.demoToken()
		_, refresh := s.tokens(s.demoName, s.demoSecret)
		otherToken, _ := s.newClient("other")
		user := s.createUser(token, "person")
		foreignUser := s.createUser(otherToken, "company")
		seed, err := os.ReadFile("testdata/seed/set-logins-request.json")
		if err != nil {
			t.Fatal(err)
		}
		wantStatus(t, s.do("POST", "/api/v1/users/"+user+"/banking/logins", seed, "Authorization", token), http.StatusNoContent)
		if st := s.waitAnalysis(token, user); st != "done" {
			t.Fatalf("analysis of the seed's data: %s", st)
		}

		key := s.signingKey()
		now := time.Now()
		expired := mustSign(t, key, auth.TypeAccess, now.Add(-time.Hour), 5*time.Minute)
		forged := mustSign(t, []byte("an-attacker-s-own-key-of-32-bytes!"), auth.TypeAccess, now, 5*time.Minute)
		refreshAsAccess := refresh
		none, _ := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.MapClaims{
			"iss": "kontor", "sub": "x", "typ": "access", "fam": "f", "jti": "j", "exp": now.Add(time.Hour).Unix(), "iat": now.Unix(),
		}).SignedString(jwt.UnsafeAllowNoneSignatureType)
		// A token signed with the real key whose family the server never
		// issued: signature alone must not be enough.
		unissued := mustSign(t, key, auth.TypeAccess, now, 5*time.Minute)

		logins := "/api/v1/users/" + user + "/banking/logins"
		tx := func(field string) string {
			return `{"logins":[{"id":"L1","accounts":[{"id":"A1","transactions":[{"id":"T1",` + field + `}]}]}]}`
		}
		big := `{"name":"` + strings.Repeat("x", 70<<10) + `","secret":"y"}`
		huge := `{"logins":[{"id":"L1","bank":{"name":"` + strings.Repeat("x", 1<<20) + `"}}]}`

		type header = []string
		auth := func(tok string) header { return header{"Authorization", tok} }
		cases := []struct {
			name         string
			method, path string
			body         string
			headers      header
			status       int
			typ          string
		}{
			{"auth malformed JSON", "POST", "/api/v1/auth", `{"name":`, nil, 400, "bad_request"},
			{"auth empty body", "POST", "/api/v1/auth", ``, nil, 400, "bad_request"},
			{"auth array body", "POST", "/api/v1/auth", `[]`, nil, 400, "bad_request"},
			{"auth wrong types", "POST", "/api/v1/auth", `{"name":1,"secret":true}`, nil, 400, "bad_request"},
			{"auth missing secret", "POST", "/api/v1/auth", `{"name":"demo"}`, nil, 400, "bad_request"},
			{"auth unknown field", "POST", "/api/v1/auth", `{"name":"demo","secret":"x","admin":true}`, nil, 400, "bad_request"},
			{"auth two objects", "POST", "/api/v1/auth", `{"name":"a","secret":"b"}{"name":"c","secret":"d"}`, nil, 400, "bad_request"},
			{"auth oversized", "POST", "/api/v1/auth", big, nil, 400, "bad_request"},
			{"auth wrong secret", "POST", "/api/v1/auth", `{"name":"demo","secret":"wrong-secret-wrong"}`, nil, 401, "unauthorized"},
			{"auth unknown client", "POST", "/api/v1/auth", `{"name":"nobody","secret":"whatever-secret"}`, nil, 401, "unauthorized"},
			{"auth SQL in name", "POST", "/api/v1/auth", `{"name":"demo' OR '1'='1","secret":"x' OR '1'='1"}`, nil, 401, "unauthorized"},
			{"refresh missing token", "POST", "/api/v1/auth/refresh", `{"name":"demo","secret":"x"}`, nil, 400, "bad_request"},
			{"refresh forged token", "POST", "/api/v1/auth/refresh", fmt.Sprintf(`{"name":%q,"secret":%q,"refreshToken":%q}`, s.demoName, s.demoSecret, mustSign(t, []byte("an-attacker-s-own-key-of-32-bytes!"), "refresh", now, time.Hour)), nil, 401, "unauthorized"},
			{"refresh with access token", "POST", "/api/v1/auth/refresh", fmt.Sprintf(`{"name":%q,"secret":%q,"refreshToken":%q}`, s.demoName, s.demoSecret, token), nil, 401, "unauthorized"},
			{"refresh wrong secret", "POST", "/api/v1/auth/refresh", fmt.Sprintf(`{"name":%q,"secret":"wrong-secret-wrong","refreshToken":%q}`, s.demoName, refresh), nil, 401, "unauthorized"},
			{"refresh other client's token", "POST", "/api/v1/auth/refresh", fmt.Sprintf(`{"name":"other","secret":"wrong-secret-wrong","refreshToken":%q}`, refresh), nil, 401, "unauthorized"},

			{"create user unknown type", "POST", "/api/v1/users", `{"type":"alien"}`, auth(token), 400, "bad_request"},
			{"create user type wrong type", "POST", "/api/v1/users", `{"type":5}`, auth(token), 400, "bad_request"},
			{"create user missing type", "POST", "/api/v1/users", `{}`, auth(token), 400, "bad_request"},
			{"create user null body", "POST", "/api/v1/users", `null`, auth(token), 400, "bad_request"},
			{"create user no token", "POST", "/api/v1/users", `{"type":"person"}`, nil, 401, "unauthorized"},
			{"create user expired token", "POST", "/api/v1/users", `{"type":"person"}`, auth(expired), 401, "unauthorized"},
			{"create user forged token", "POST", "/api/v1/users", `{"type":"person"}`, auth(forged), 401, "unauthorized"},
			{"create user alg none token", "POST", "/api/v1/users", `{"type":"person"}`, auth(none), 401, "unauthorized"},
			{"create user unissued token", "POST", "/api/v1/users", `{"type":"person"}`, auth(unissued), 401, "unauthorized"},
			{"create user refresh token", "POST", "/api/v1/users", `{"type":"person"}`, auth(refreshAsAccess), 401, "unauthorized"},
			{"create user garbage token", "POST", "/api/v1/users", `{"type":"person"}`, auth("Bearer not-a-jwt"), 401, "unauthorized"},
			{"create user basic auth", "POST", "/api/v1/users", `{"type":"person"}`, auth("Basic ZGVtbzpzZWNyZXQ="), 401, "unauthorized"},

			{"list users bad page", "GET", "/api/v1/users?page=abc", ``, auth(token), 400, "bad_request"},
			{"list users page zero", "GET", "/api/v1/users?page=0", ``, auth(token), 400, "bad_request"},
			{"list users perPage too big", "GET", "/api/v1/users?perPage=501", ``, auth(token), 400, "bad_request"},
			{"get foreign user", "GET", "/api/v1/users/" + foreignUser, ``, auth(token), 404, "not_found"},
			{"get missing user", "GET", "/api/v1/users/5f22c402b6968c000128edb6", ``, auth(token), 404, "not_found"},
			{"get user path traversal", "GET", "/api/v1/users/..%2F..%2Fetc%2Fpasswd", ``, auth(token), 404, "not_found"},
			{"delete foreign user", "DELETE", "/api/v1/users/" + user, ``, auth(otherToken), 404, "not_found"},

			{"set logins malformed", "POST", logins, `{"logins":[{"id":"L1",]}`, auth(token), 400, "bad_request"},
			{"set logins missing logins", "POST", logins, `{}`, auth(token), 400, "bad_request"},
			{"set logins null logins", "POST", logins, `{"logins":null}`, auth(token), 400, "bad_request"},
			{"set logins logins not array", "POST", logins, `{"logins":{"id":"L1"}}`, auth(token), 400, "bad_request"},
			{"set logins amount as string", "POST", logins, tx(`"amount":"24.99"`), auth(token), 400, "bad_request"},
			{"set logins amount too precise", "POST", logins, tx(`"amount":1234567890.12345678901234`), auth(token), 400, "bad_request"},
			{"set logins amount not finite", "POST", logins, tx(`"amount":NaN`), auth(token), 400, "bad_request"},
			{"set logins date not RFC 3339", "POST", logins, tx(`"bookingDate":"26.05.2020"`), auth(token), 400, "bad_request"},
			{"set logins booked as string", "POST", logins, tx(`"booked":"yes"`), auth(token), 400, "bad_request"},
			{"set logins unknown field", "POST", logins, tx(`"ammount":12`), auth(token), 400, "bad_request"},
			{"set logins NUL in purpose", "POST", logins, tx(`"purpose":"a\u0000b"`), auth(token), 400, "bad_request"},
			{"set logins bad currency", "POST", logins, tx(`"currency":"euro"`), auth(token), 400, "bad_request"},
			{"set logins id too long", "POST", logins, tx(`"accountID":"` + strings.Repeat("a", 300) + `"`), auth(token), 400, "bad_request"},
			{"set logins duplicate login ids", "POST", logins, `{"logins":[{"id":"L1"},{"id":"L1"}]}`, auth(token), 400, "bad_request"},
			{"set logins duplicate account ids", "POST", logins, `{"logins":[{"id":"L1","accounts":[{"id":"A"},{"id":"A"}]}]}`, auth(token), 400, "bad_request"},
			{"set logins execution day", "POST", logins, `{"logins":[{"accounts":[{"standingOrders":[{"executionDay":40}]}]}]}`, auth(token), 400, "bad_request"},
			{"set logins tag without name", "POST", logins, tx(`"tags":[{"source":"me"}]`), auth(token), 400, "bad_request"},
			{"set logins trailing data", "POST", logins, `{"logins":[]} {}`, auth(token), 400, "bad_request"},
			{"set logins oversized", "POST", logins, huge, auth(token), 400, "bad_request"},
			{"set logins form encoded", "POST", logins, `logins=1`, append(auth(token), "Content-Type", "application/x-www-form-urlencoded"), 400, "bad_request"},
			{"set logins foreign user", "POST", "/api/v1/users/" + foreignUser + "/banking/logins", `{"logins":[]}`, auth(token), 404, "not_found"},
			{"set logins other client", "POST", logins, `{"logins":[]}`, auth(otherToken), 404, "not_found"},
			{"get logins other client", "GET", logins, ``, auth(otherToken), 404, "not_found"},
			{"delete login missing", "DELETE", logins + "/nope", ``, auth(token), 404, "not_found"},
			{"delete login other client", "DELETE", logins + "/5d7267d1b747aa683d88668f", ``, auth(otherToken), 404, "not_found"},

			{"unknown API version", "GET", "/api/v1/users", ``, append(auth(token), "API-Version", "1999-01-01"), 400, "bad_request"},
			{"bad request ID", "GET", "/api/v1/users", ``, append(auth(token), "X-Request-ID", "a b<script>"), 400, "bad_request"},
			{"long request ID", "GET", "/api/v1/users", ``, append(auth(token), "X-Request-ID", strings.Repeat("r", 300)), 400, "bad_request"},
			{"bad User-IP", "POST", "/api/v1/users", `{"type":"person"}`, append(auth(token), "User-IP", "999.1.1.1"), 400, "bad_request"},
			{"unknown route", "GET", "/api/v1/nothing", ``, auth(token), 404, "not_found"},
			{"wrong method", "PUT", "/api/v1/users", `{}`, auth(token), 405, "method_not_allowed"},
		}

		tokens := []string{token, otherToken}
		users := []string{user, foreignUser}
		before := snapshot(s, tokens, users)
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				var body any
				if tc.body != "" {
					body = tc.body
				}
				res := s.do(tc.method, tc.path, body, tc.headers...)
				wantError(t, res, tc.status, tc.typ)
				if bytes.Contains(res.Body, []byte(s.demoSecret)) || bytes.Contains(res.Body, []byte("xxxxxxxxxx")) {
					t.Fatalf("error echoes the request: %.200s", res.Body)
				}
				if after := snapshot(s, tokens, users); after != before {
					t.Fatalf("stored data changed:\nbefore %.500s\nafter  %.500s", before, after)
				}
			})
		}
		if strings.Contains(s.logs.String(), s.demoSecret) || strings.Contains(s.logs.String(), token) {
			t.Fatal("the log holds a client secret or token")
		}
	})
}
