package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/core"
	"github.com/kontor-dev/kontor/internal/testdb"
)

// TestFinAPIOneCore shows that the finAPI and finoOS dialects share one
// core: a user made through finAPI is a user of the same client in finoOS,
// with a Kontor user ID; its bank logins are the same data; deleting it in
// one dialect deletes it in the other. finoOS users cannot log in through
// finAPI.
func TestFinAPIOneCore(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *testServer) {
		ctx := context.Background()
		clientToken := s.clientToken(s.demoName, s.demoSecret)
		wantStatus(t, s.finapiUser(clientToken, `{"id":"Alice","password":"alice-password"}`), http.StatusCreated)
		finoosToken := s.demoToken()

		res := s.do("GET", "/api/v1/users", nil, "Authorization", finoosToken)
		wantStatus(t, res, http.StatusOK)
		users := res.JSON(t).(map[string]any)["users"].([]any)
		if len(users) != 1 {
			t.Fatalf("finoOS lists %s, want the finAPI user", res.Body)
		}
		id := users[0].(map[string]any)["id"].(string)
		if !regexp.MustCompile(`^[0-9a-f]{24}$`).MatchString(id) {
			t.Fatalf("the finAPI user's Kontor ID is %q, want 24 hex digits", id)
		}
		c, err := s.Store().ClientByName(ctx, s.demoName)
		if err != nil {
			t.Fatal(err)
		}
		u, err := s.Store().FinAPIUserByName(ctx, c.ID, "ALICE")
		if err != nil || u.ID != id {
			t.Fatalf("finAPI user alice = %+v, %v; want Kontor ID %s", u, err, id)
		}
		wantStatus(t, s.do("GET", "/api/v1/users/"+id, nil, "Authorization", finoosToken), http.StatusOK)

		// Bank logins set through finoOS belong to the finAPI user.
		seed, err := os.ReadFile("testdata/seed/set-logins-request.json")
		if err != nil {
			t.Fatal(err)
		}
		wantStatus(t, s.do("POST", "/api/v1/users/"+id+"/banking/logins", seed, "Authorization", finoosToken), http.StatusNoContent)
		logins, err := s.Store().Logins(ctx, c.ID, u.ID)
		if err != nil || len(logins) != 1 || logins[0].ID != "5d7267d1b747aa683d88668f" {
			t.Fatalf("the finAPI user's logins = %+v, %v", logins, err)
		}

		// A finoOS user has no finAPI password.
		plain := s.createUser(finoosToken, "person")
		res = s.tokenRequest(url.Values{"grant_type": {"password"}, "client_id": {s.demoName}, "client_secret": {s.demoSecret},
			"username": {plain}, "password": {"whatever-password"}})
		wantOAuthError(t, res, http.StatusBadRequest, "invalid_grant")

		// Deleting through finAPI deletes the user and its logins for
		// finoOS too.
		userToken, _ := s.userToken(s.demoName, s.demoSecret, "alice", "alice-password")
		wantStatus(t, s.do("DELETE", "/finapi/api/v2/users", nil, bearerAuth(userToken)...), http.StatusOK)
		wantError(t, s.do("GET", "/api/v1/users/"+id, nil, "Authorization", finoosToken), http.StatusNotFound, "not_found")
		wantError(t, s.do("GET", "/api/v1/users/"+id+"/banking/logins", nil, "Authorization", finoosToken), http.StatusNotFound, "not_found")
		var n int
		if err := s.Store().QueryRowForTest(ctx, `SELECT COUNT(*) FROM logins`, &n); err != nil || n != 0 {
			t.Fatalf("%d logins left after deleting their user (%v)", n, err)
		}
		// The user's token went with it.
		wantOAuthError(t, s.do("GET", "/finapi/api/v2/users", nil, bearerAuth(userToken)...), http.StatusUnauthorized, "invalid_token")
	})
}

// TestFinAPITenants checks that clients are isolated: user ids are unique
// per client, and one client's credentials and tokens reach nothing of
// another's.
func TestFinAPITenants(t *testing.T) {
	s := startServer(t, sqliteURL(t))
	_, otherSecret := s.newClient("other")
	demo := s.clientToken(s.demoName, s.demoSecret)
	other := s.clientToken("other", otherSecret)
	wantStatus(t, s.finapiUser(demo, `{"id":"shared","password":"demo-password"}`), http.StatusCreated)
	wantStatus(t, s.finapiUser(other, `{"id":"shared","password":"other-password"}`), http.StatusCreated)
	res := s.tokenRequest(url.Values{"grant_type": {"password"}, "client_id": {"other"}, "client_secret": {otherSecret},
		"username": {"shared"}, "password": {"demo-password"}})
	wantOAuthError(t, res, http.StatusBadRequest, "invalid_grant")
	demoUser, demoRefresh := s.userToken(s.demoName, s.demoSecret, "shared", "demo-password")
	// Another client can neither refresh nor revoke the demo's tokens.
	res = s.tokenRequest(url.Values{"grant_type": {"refresh_token"}, "client_id": {"other"}, "client_secret": {otherSecret}, "refresh_token": {demoRefresh}})
	wantOAuthError(t, res, http.StatusBadRequest, "invalid_grant")
	wantStatus(t, s.do("POST", "/finapi/api/v2/oauth/revoke", "token="+demoUser, append(bearerAuth(other), "Content-Type", form)...), http.StatusOK)
	res = s.do("GET", "/finapi/api/v2/users", nil, bearerAuth(demoUser)...)
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(string(res.Body), `"id":"shared"`) {
		t.Fatalf("demo user = %s", res.Body)
	}
}

// TestFinAPITokens covers the token endpoint's grants and the revoke
// endpoint: the same token for the same credentials, refreshing, revoking
// by hint, Basic client authentication, per-client lifetimes.
func TestFinAPITokens(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *testServer) {
		creds := url.Values{"client_id": {s.demoName}, "client_secret": {s.demoSecret}}
		grant := func(typ string, extra ...string) url.Values {
			v := url.Values{"grant_type": {typ}}
			for k, x := range creds {
				v[k] = x
			}
			for i := 0; i+1 < len(extra); i += 2 {
				v.Set(extra[i], extra[i+1])
			}
			return v
		}
		// The same credentials give the same token while it lives, on
		// both paths; HTTP Basic client authentication works as well.
		first := s.tokenRequest(grant("client_credentials"))
		wantStatus(t, first, http.StatusOK)
		second := s.do("POST", "/finapi/oauth/token", "grant_type=client_credentials", "Content-Type", form,
			"Authorization", "Basic "+basicAuth(s.demoName, s.demoSecret))
		wantStatus(t, second, http.StatusOK)
		clientToken := first.Field(t, "access_token")
		if second.Field(t, "access_token") != clientToken {
			t.Fatal("a second client_credentials grant returned another token")
		}
		if n, _ := strconv.Atoi(string(decodeObject(t, second.Body)["expires_in"].(json.Number))); n < 3500 || n > 3599 {
			t.Fatalf("expires_in of a reused token = %d", n)
		}

		wantStatus(t, s.finapiUser(clientToken, `{"id":"bob","password":"bob-password"}`), http.StatusCreated)
		access, refresh := s.userToken(s.demoName, s.demoSecret, "bob", "bob-password")
		again, againRefresh := s.userToken(s.demoName, s.demoSecret, "BOB", "bob-password")
		if again != access || againRefresh != refresh {
			t.Fatal("a second password grant returned other tokens")
		}
		if access == clientToken {
			t.Fatal("the user token is the client token")
		}

		// Refreshing gives a new access token (without a refresh token)
		// and revokes the old one; the refresh token works again.
		res := s.tokenRequest(grant("refresh_token", "refresh_token", refresh))
		wantStatus(t, res, http.StatusOK)
		refreshed := decodeObject(t, res.Body)
		access2, _ := refreshed["access_token"].(string)
		if _, ok := refreshed["refresh_token"]; ok || access2 == access || refreshed["expires_in"] != json.Number("3599") {
			t.Fatalf("refresh response = %s", res.Body)
		}
		wantOAuthError(t, s.do("GET", "/finapi/api/v2/users", nil, bearerAuth(access)...), http.StatusUnauthorized, "invalid_token")
		wantStatus(t, s.do("GET", "/finapi/api/v2/users", nil, bearerAuth(access2)...), http.StatusOK)
		res = s.tokenRequest(grant("refresh_token", "refresh_token", refresh))
		wantStatus(t, res, http.StatusOK)
		access3 := res.Field(t, "access_token")

		// Revoke with hint access_token: only that token.
		revoke := func(path, body string) {
			t.Helper()
			res := s.do("POST", path, body, append(bearerAuth(clientToken), "Content-Type", form)...)
			wantStatus(t, res, http.StatusOK)
			if len(res.Body) != 0 {
				t.Fatalf("revoke answered a body: %s", res.Body)
			}
		}
		revoke("/finapi/api/v2/oauth/revoke", url.Values{"token": {access3}, "token_type_hint": {"access_token"}}.Encode())
		wantOAuthError(t, s.do("GET", "/finapi/api/v2/users", nil, bearerAuth(access3)...), http.StatusUnauthorized, "invalid_token")
		res = s.tokenRequest(grant("refresh_token", "refresh_token", refresh))
		wantStatus(t, res, http.StatusOK)
		access4 := res.Field(t, "access_token")
		// Hint refresh_token: the refresh token and its access tokens.
		revoke("/finapi/oauth/revoke", url.Values{"token": {refresh}, "token_type_hint": {"refresh_token"}}.Encode())
		wantOAuthError(t, s.do("GET", "/finapi/api/v2/users", nil, bearerAuth(access4)...), http.StatusUnauthorized, "invalid_token")
		wantOAuthError(t, s.tokenRequest(grant("refresh_token", "refresh_token", refresh)), http.StatusBadRequest, "invalid_grant")
		// An unknown token is fine; V1's query parameters work too.
		revoke("/finapi/oauth/revoke", "token=no-such-token")
		res = s.do("POST", "/finapi/oauth/revoke?token="+url.QueryEscape(clientToken), nil, bearerAuth(clientToken)...)
		wantStatus(t, res, http.StatusOK)
		wantOAuthError(t, s.do("POST", "/finapi/api/v2/users", `{}`, append(bearerAuth(clientToken), "Content-Type", "application/json")...),
			http.StatusUnauthorized, "invalid_token")
		if strings.Contains(s.logs.String(), clientToken) {
			t.Fatal("a token in the revoke query reached the log")
		}

		// A password grant after revocation starts a new grant.
		fresh, freshRefresh := s.userToken(s.demoName, s.demoSecret, "bob", "bob-password")
		if fresh == access4 || freshRefresh == refresh {
			t.Fatal("revoked tokens were handed out again")
		}
		// No hint: every token of the grant.
		clientToken = s.clientToken(s.demoName, s.demoSecret)
		revoke("/finapi/api/v2/oauth/revoke", "token="+freshRefresh)
		wantOAuthError(t, s.do("GET", "/finapi/api/v2/users", nil, bearerAuth(fresh)...), http.StatusUnauthorized, "invalid_token")
	})
}

func basicAuth(id, secret string) string {
	r, _ := http.NewRequest("GET", "/", nil)
	r.SetBasicAuth(url.QueryEscape(id), url.QueryEscape(secret))
	return strings.TrimPrefix(r.Header.Get("Authorization"), "Basic ")
}

// TestFinAPILifetimes checks per-client token lifetimes and that expired
// tokens and process tokens stop working.
func TestFinAPILifetimes(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dbURL string) {
		s := startServer(t, dbURL, func(c *Config) {
			c.FinAPI.Core.ClientTokenTTL = time.Second
			c.FinAPI.Core.UserTokenTTL = time.Second
			c.FinAPI.Core.ProcessTTL = time.Second
		})
		ctx := context.Background()
		_, otherSecret := s.newClient("other")
		other, err := s.Store().ClientByName(ctx, "other")
		if err != nil {
			t.Fatal(err)
		}
		two, never := 2*time.Minute, time.Duration(0)
		if err := core.NewFinAPI(s.svc, core.DefaultFinAPIConfig()).SetClientSettings(ctx, other,
			kontor.FinAPIClientSettings{ClientTokenTTL: &two, UserTokenTTL: &never}); err != nil {
			t.Fatal(err)
		}
		res := s.tokenRequest(url.Values{"grant_type": {"client_credentials"}, "client_id": {"other"}, "client_secret": {otherSecret}})
		if got := decodeObject(t, res.Body)["expires_in"]; got != json.Number("119") {
			t.Fatalf("expires_in with a 120 s lifetime = %v", got)
		}
		otherToken := res.Field(t, "access_token")
		wantStatus(t, s.finapiUser(otherToken, `{"id":"eve","password":"eve-password"}`), http.StatusCreated)
		res = s.tokenRequest(url.Values{"grant_type": {"password"}, "client_id": {"other"}, "client_secret": {otherSecret},
			"username": {"eve"}, "password": {"eve-password"}})
		if got := decodeObject(t, res.Body)["expires_in"]; got != json.Number("0") {
			t.Fatalf("expires_in of a never expiring token = %v", got)
		}
		eve := res.Field(t, "access_token")

		// The demo client has the server's one-second lifetimes.
		clientToken := s.clientToken(s.demoName, s.demoSecret)
		wantStatus(t, s.finapiUser(clientToken, `{"id":"carl","password":"carl-password"}`), http.StatusCreated)
		userToken, refresh := s.userToken(s.demoName, s.demoSecret, "carl", "carl-password")
		res = s.do("POST", "/finapi/api/v1/processes", map[string]any{"clientId": s.demoName, "clientSecret": s.demoSecret,
			"clientReferences": []any{map[string]string{"clientReference": "late"}}, "processId": "USER_ONLY"})
		wantStatus(t, res, http.StatusOK)
		processToken := res.JSON(t).(map[string]any)["processes"].([]any)[0].(map[string]any)["processToken"].(string)
		time.Sleep(1100 * time.Millisecond)

		wantOAuthError(t, s.finapiUser(clientToken, `{}`), http.StatusUnauthorized, "invalid_token")
		wantOAuthError(t, s.do("GET", "/finapi/api/v2/users", nil, bearerAuth(userToken)...), http.StatusUnauthorized, "invalid_token")
		wantFinAPIError(t, s.do("GET", "/finapi/api/v1/processes/"+processToken, nil), http.StatusNotFound, "UNKNOWN_ENTITY")
		wantStatus(t, s.do("GET", "/finapi/api/v2/users", nil, bearerAuth(eve)...), http.StatusOK)
		// The refresh token (30 days) outlives the access token.
		res = s.tokenRequest(url.Values{"grant_type": {"refresh_token"}, "client_id": {s.demoName}, "client_secret": {s.demoSecret}, "refresh_token": {refresh}})
		wantStatus(t, res, http.StatusOK)
		wantStatus(t, s.do("GET", "/finapi/api/v2/users", nil, bearerAuth(res.Field(t, "access_token"))...), http.StatusOK)

		// Expired tokens are swept from the database.
		var before, after int
		s.Store().QueryRowForTest(ctx, `SELECT COUNT(*) FROM finapi_tokens`, &before)
		if _, err := s.Store().DeleteExpiredFinAPITokens(ctx, time.Now()); err != nil {
			t.Fatal(err)
		}
		s.Store().QueryRowForTest(ctx, `SELECT COUNT(*) FROM finapi_tokens`, &after)
		if after >= before {
			t.Fatalf("sweeping left %d of %d tokens", after, before)
		}
	})
}

// TestFinAPILockedUser checks that consecutive failed logins lock a user:
// its tokens stop working and the token endpoint answers 423 even for the
// right password.
func TestFinAPILockedUser(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *testServer) {
		clientToken := s.clientToken(s.demoName, s.demoSecret)
		wantStatus(t, s.finapiUser(clientToken, `{"id":"dora","password":"dora-password"}`), http.StatusCreated)
		userToken, _ := s.userToken(s.demoName, s.demoSecret, "dora", "dora-password")
		login := func(password string) *response {
			return s.tokenRequest(url.Values{"grant_type": {"password"}, "client_id": {s.demoName}, "client_secret": {s.demoSecret},
				"username": {"dora"}, "password": {password}})
		}
		// A success in between starts the count again.
		for range 4 {
			wantOAuthError(t, login("wrong-password"), http.StatusBadRequest, "invalid_grant")
		}
		wantStatus(t, login("dora-password"), http.StatusOK)
		for range 5 {
			wantOAuthError(t, login("wrong-password"), http.StatusBadRequest, "invalid_grant")
		}
		wantOAuthError(t, login("dora-password"), http.StatusLocked, "invalid_grant")
		wantOAuthError(t, s.do("GET", "/finapi/api/v2/users", nil, bearerAuth(userToken)...), http.StatusUnauthorized, "invalid_token")
		if strings.Contains(s.logs.String(), "dora-password") || strings.Contains(s.logs.String(), userToken) {
			t.Fatal("the log holds a password or token")
		}
	})
}

// TestFinAPIUsers covers the users service beyond the seed: random ids
// and passwords, editing with PATCH (and X-HTTP-Method-Override), the V1
// path alias, deleting.
func TestFinAPIUsers(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *testServer) {
		v := newFinAPIValidator(t, s)
		clientToken := s.clientToken(s.demoName, s.demoSecret)
		res := s.do("POST", "/finapi/api/v1/users", `{}`, append(bearerAuth(clientToken), "Content-Type", "application/json")...)
		wantStatus(t, res, http.StatusCreated)
		v.check("POST", "/api/v1/users", res)
		u := decodeObject(t, res.Body)
		id, password := u["id"].(string), u["password"].(string)
		if !anyUUIDRE.MatchString(id) || len(password) < 6 || u["email"] != nil || u["phone"] != nil || u["isAutoUpdateEnabled"] != false {
			t.Fatalf("user with defaults = %s", res.Body)
		}
		userToken, _ := s.userToken(s.demoName, s.demoSecret, id, password)

		res = s.do("PATCH", "/finapi/api/v2/users", `{"email":"a@example.org","phone":"+49 1","isAutoUpdateEnabled":true}`,
			append(bearerAuth(userToken), "Content-Type", "application/json")...)
		wantStatus(t, res, http.StatusOK)
		v.check("PATCH", "/api/v2/users", res)
		want := `{"id":"` + id + `","password":"XXXXX","email":"a@example.org","phone":"+49 1","isAutoUpdateEnabled":true}`
		if strings.TrimSpace(string(res.Body)) != want {
			t.Fatalf("edited user = %s, want %s", res.Body, want)
		}
		// null keeps a field, "" removes it; POST with the override header
		// is a PATCH.
		res = s.do("POST", "/finapi/api/v1/users", `{"email":"","phone":null}`,
			append(bearerAuth(userToken), "Content-Type", "application/json", "X-HTTP-Method-Override", "PATCH")...)
		wantStatus(t, res, http.StatusOK)
		want = `{"id":"` + id + `","password":"XXXXX","email":null,"phone":"+49 1","isAutoUpdateEnabled":true}`
		if strings.TrimSpace(string(res.Body)) != want {
			t.Fatalf("edited user = %s, want %s", res.Body, want)
		}
		res = s.do("GET", "/finapi/api/v1/users", nil, bearerAuth(userToken)...)
		wantStatus(t, res, http.StatusOK)
		v.check("GET", "/api/v1/users", res)
		if strings.TrimSpace(string(res.Body)) != want {
			t.Fatalf("user = %s, want %s", res.Body, want)
		}
		res = s.do("POST", "/finapi/api/v2/users", nil, append(bearerAuth(userToken), "X-HTTP-Method-Override", "DELETE")...)
		wantStatus(t, res, http.StatusOK)
		v.check("DELETE", "/api/v2/users", res)
		wantOAuthError(t, s.do("GET", "/finapi/api/v2/users", nil, bearerAuth(userToken)...), http.StatusUnauthorized, "invalid_token")
		// The id is free again.
		wantStatus(t, s.finapiUser(clientToken, `{"id":"`+id+`"}`), http.StatusCreated)
	})
}

// TestFinAPIConventions checks request IDs, unknown paths, the V1 version
// mismatch, wrong methods and the served OpenAPI document.
func TestFinAPIConventions(t *testing.T) {
	s := startServer(t, sqliteURL(t))
	clientToken := s.clientToken(s.demoName, s.demoSecret)

	res := s.do("GET", "/finapi/api/v2/users", nil, bearerAuth(clientToken)...)
	wantFinAPIError(t, res, http.StatusForbidden, "UNAUTHORIZED_ACCESS")
	if id := res.Header.Get("X-Request-Id"); !strings.HasPrefix(id, "selfgen-") || !uuidRE.MatchString(strings.TrimPrefix(id, "selfgen-")) {
		t.Fatalf("generated X-Request-Id = %q, want selfgen-<uuid>", id)
	}
	m := decodeObject(t, res.Body)
	if m["endpoint"] != "GET /api/v2/users" || !strings.HasSuffix(m["authContext"].(string), "/-") || m["bank"] != nil {
		t.Fatalf("ErrorMessage = %s", res.Body)
	}
	if !strings.Contains(s.logs.String(), "request_id="+strings.TrimPrefix(res.Header.Get("X-Request-Id"), "selfgen-")) {
		t.Fatal("the generated request ID is not in the log")
	}
	res = s.do("GET", "/finapi/api/v2/users", nil, append(bearerAuth(clientToken), "X-Request-Id", "trace-7")...)
	if res.Header.Get("X-Request-Id") != "trace-7" || decodeObject(t, res.Body)["requestId"] != "trace-7" {
		t.Fatalf("X-Request-Id not echoed: %v %s", res.Header, res.Body)
	}
	res = s.tokenRequest(url.Values{"grant_type": {"client_credentials"}, "client_id": {s.demoName}, "client_secret": {s.demoSecret}},
		"X-Request-Id", "trace-8")
	wantStatus(t, res, http.StatusOK)
	if res.Header.Get("X-Request-Id") != "trace-8" {
		t.Fatalf("token endpoint X-Request-Id = %q", res.Header.Get("X-Request-Id"))
	}

	wantFinAPIError(t, s.do("GET", "/finapi/api/v1/banks", nil, bearerAuth(clientToken)...), http.StatusForbidden, "FORBIDDEN")
	wantFinAPIError(t, s.do("GET", "/finapi/api/v2/nothing", nil, bearerAuth(clientToken)...), http.StatusNotFound, "UNKNOWN_ENTITY")
	res = s.do("PUT", "/finapi/api/v2/users", `{}`, bearerAuth(clientToken)...)
	wantFinAPIError(t, res, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED")
	if allow := res.Header.Get("Allow"); allow != "GET, POST, PATCH, DELETE" {
		t.Fatalf("Allow = %q", allow)
	}
	res = s.do("GET", "/finapi/oauth/token", nil)
	wantFinAPIError(t, res, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED")

	res = s.do("GET", "/finapi/openapi.yaml", nil)
	wantStatus(t, res, http.StatusOK)
	if !strings.HasPrefix(res.Header.Get("Content-Type"), "application/yaml") || !strings.Contains(string(res.Body), "operationId: getToken") {
		t.Fatalf("openapi.yaml: %v %.100s", res.Header, res.Body)
	}
	// The finoOS dialect is untouched.
	wantStatus(t, s.do("GET", "/api/v1/openapi.yaml", nil), http.StatusOK)
}

// TestFinAPIRateLimit checks that requests with client credentials are
// limited per address, answered in each endpoint's error shape.
func TestFinAPIRateLimit(t *testing.T) {
	s := startServer(t, sqliteURL(t), func(c *Config) { c.FinAPI.AuthRateLimit, c.FinAPI.AuthRateBurst = 0.5, 2 })
	wrong := url.Values{"grant_type": {"client_credentials"}, "client_id": {s.demoName}, "client_secret": {"wrong-secret-wrong"}}
	wantOAuthError(t, s.tokenRequest(wrong), http.StatusUnauthorized, "invalid_client")
	wantOAuthError(t, s.tokenRequest(wrong), http.StatusUnauthorized, "invalid_client")
	res := s.tokenRequest(wrong)
	wantOAuthError(t, res, http.StatusTooManyRequests, "too_many_requests")
	if ra, err := strconv.Atoi(res.Header.Get("Retry-After")); err != nil || ra < 1 || ra > 2 {
		t.Fatalf("Retry-After = %q", res.Header.Get("Retry-After"))
	}
	res = s.do("POST", "/finapi/api/v1/processes", `{}`, "Content-Type", "application/json")
	wantFinAPIError(t, res, http.StatusTooManyRequests, "TOO_MANY_REQUESTS")
}
