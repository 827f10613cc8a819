package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/internal/testdb"
)

// finapiSnapshot is everything the bad requests could touch: the users as
// both dialects show them, and what the database holds of finAPI's users,
// tokens and processes. The failed-login count is left out: counting a
// failed login is what a wrong password is supposed to do.
func finapiSnapshot(t *testing.T, s *testServer, finoosTokens, userTokens []string) string {
	t.Helper()
	var b strings.Builder
	for _, tok := range finoosTokens {
		b.Write(s.do("GET", "/api/v1/users?perPage=500", nil, "Authorization", tok).Body)
	}
	for _, tok := range userTokens {
		res := s.do("GET", "/finapi/api/v2/users", nil, bearerAuth(tok)...)
		fmt.Fprintf(&b, "%d %s\n", res.Status, res.Body)
	}
	ctx := context.Background()
	for _, q := range []string{
		`SELECT COUNT(*) FROM clients`,
		`SELECT COUNT(*) FROM users`,
		`SELECT COUNT(finapi_username) FROM users`,
		`SELECT COUNT(finapi_email) FROM users`,
		`SELECT COUNT(finapi_phone) FROM users`,
		`SELECT COUNT(DISTINCT finapi_password_hash) FROM users`,
		`SELECT COALESCE(SUM(CASE WHEN finapi_auto_update THEN 1 ELSE 0 END), 0) FROM users`,
		`SELECT COALESCE(SUM(CASE WHEN finapi_locked THEN 1 ELSE 0 END), 0) FROM users`,
		`SELECT COUNT(*) FROM logins`,
		`SELECT COUNT(*) FROM finapi_tokens`,
		`SELECT COUNT(*) FROM finapi_processes`,
		`SELECT COALESCE(SUM(exchanges), 0) FROM finapi_processes`,
		`SELECT COALESCE(SUM(CASE WHEN invalidated THEN 1 ELSE 0 END), 0) FROM finapi_processes`,
	} {
		var n int64
		if err := s.Store().QueryRowForTest(ctx, q, &n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		fmt.Fprintf(&b, "%s = %d\n", q, n)
	}
	return b.String()
}

// hashOf is how the store keeps a finAPI token or process token.
func hashOf(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// TestFinAPIBadInput sends malformed, wrongly typed, unauthorized and
// hostile requests to every finAPI endpoint. Each gets the documented
// status and error shape and echoes no secret, and the stored data is the
// same afterwards.
func TestFinAPIBadInput(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dbURL string) {
		s := startServer(t, dbURL, func(c *Config) { c.FinAPI.AuthRateLimit, c.FinAPI.AuthRateBurst = 1000, 1000 })
		ctx := context.Background()
		demo, err := s.Store().ClientByName(ctx, s.demoName)
		if err != nil {
			t.Fatal(err)
		}
		_, otherSecret := s.newClient("other")
		ct := s.clientToken(s.demoName, s.demoSecret)
		otherCT := s.clientToken("other", otherSecret)
		for _, u := range []string{"anna", "victim", "locked", "revokee"} {
			wantStatus(t, s.finapiUser(ct, `{"id":"`+u+`","password":"`+u+`-password","email":"`+u+`@example.org"}`), http.StatusCreated)
		}
		ut, rt := s.userToken(s.demoName, s.demoSecret, "anna", "anna-password")
		creds := url.Values{"client_id": {s.demoName}, "client_secret": {s.demoSecret}}
		grant := func(kv ...string) string {
			v := url.Values{}
			for k, x := range creds {
				v[k] = x
			}
			for i := 0; i+1 < len(kv); i += 2 {
				v.Add(kv[i], kv[i+1])
			}
			return v.Encode()
		}
		// A locked user.
		for range 5 {
			s.tokenRequest(url.Values{"grant_type": {"password"}, "client_id": {s.demoName}, "client_secret": {s.demoSecret},
				"username": {"locked"}, "password": {"wrong-password"}})
		}
		// Revoked tokens.
		revokedAccess, revokedRefresh := s.userToken(s.demoName, s.demoSecret, "revokee", "revokee-password")
		wantStatus(t, s.do("POST", "/finapi/api/v2/oauth/revoke", "token="+revokedRefresh, append(bearerAuth(ct), "Content-Type", form)...), http.StatusOK)
		// An expired token.
		expired := strings.Repeat("e", 128)
		if err := s.Store().CreateFinAPITokens(ctx, []kontor.FinAPIToken{{
			ID: kontor.NewID(), Hash: hashOf(expired), Kind: kontor.FinAPIAccessToken, GrantID: kontor.NewID(),
			ClientID: demo.ID, ExpiresAt: time.Now().Add(-time.Minute), CreatedAt: time.Now().Add(-time.Hour),
		}}); err != nil {
			t.Fatal(err)
		}
		// Process tokens: used up, invalidated, expired.
		process := func() string {
			res := s.do("POST", "/finapi/api/v1/processes", map[string]any{"clientId": s.demoName, "clientSecret": s.demoSecret,
				"clientReferences": []any{map[string]string{"clientReference": "ref"}}, "processId": "USER_ONLY"})
			wantStatus(t, res, http.StatusOK)
			return res.JSON(t).(map[string]any)["processes"].([]any)[0].(map[string]any)["processToken"].(string)
		}
		exhausted, invalidated := process(), process()
		for range 10 {
			wantStatus(t, s.do("GET", "/finapi/api/v1/processes/"+exhausted, nil), http.StatusOK)
		}
		wantStatus(t, s.do("GET", "/finapi/api/v1/processes/"+invalidated+"?invalidate=true", nil), http.StatusOK)
		expiredProcess := "0d5c9a39-6f0e-4f43-9f2b-3c1d6c1e4a77"
		if err := s.Store().CreateProcesses(ctx, []kontor.Process{{
			TokenHash: hashOf(expiredProcess), ClientID: demo.ID, Reference: "ref", MaxExchanges: 10,
			ExpiresAt: time.Now().Add(-time.Second), CreatedAt: time.Now().Add(-time.Hour),
		}}); err != nil {
			t.Fatal(err)
		}
		finoosDemo, _ := s.tokens(s.demoName, s.demoSecret)
		finoosOther, _ := s.tokens("other", otherSecret)

		const (
			oauth = "oauth" // OAuth's error response
			api   = "api"   // ErrorMessage (or, for 401, BadCredentialsError)
		)
		jsonCT := []string{"Content-Type", "application/json"}
		formCT := []string{"Content-Type", form}
		with := func(tok string, h ...string) []string { return append(bearerAuth(tok), h...) }
		procBody := func(kv string) string {
			return `{"clientId":"` + s.demoName + `","clientSecret":"` + s.demoSecret + `",` + kv + `}`
		}
		refs := func(n int) string {
			var parts []string
			for i := range n {
				parts = append(parts, fmt.Sprintf(`{"clientReference":"r%d"}`, i))
			}
			return `"clientReferences":[` + strings.Join(parts, ",") + `]`
		}
		token := "/finapi/api/v2/oauth/token"
		users := "/finapi/api/v2/users"
		procs := "/finapi/api/v1/processes"
		cases := []struct {
			name         string
			method, path string
			body         string
			headers      []string
			status       int
			shape, code  string
		}{
			// Token endpoint.
			{"token JSON body", "POST", token, `{"grant_type":"client_credentials"}`, jsonCT, 400, oauth, "invalid_request"},
			{"token no content type", "POST", token, grant("grant_type", "client_credentials"), nil, 400, oauth, "invalid_request"},
			{"token multipart", "POST", token, "--x--", []string{"Content-Type", "multipart/form-data; boundary=x"}, 400, oauth, "invalid_request"},
			{"token missing grant_type", "POST", token, grant(), formCT, 400, oauth, "invalid_request"},
			{"token unknown grant_type", "POST", token, grant("grant_type", "authorization_code"), formCT, 400, oauth, "unsupported_grant_type"},
			{"token repeated grant_type", "POST", token, grant("grant_type", "password", "grant_type", "client_credentials"), formCT, 400, oauth, "invalid_request"},
			{"token bad escape", "POST", token, "grant_type=client_credentials&client_id=%zz", formCT, 400, oauth, "invalid_request"},
			{"token oversized", "POST", token, grant("grant_type", "client_credentials", "password", strings.Repeat("x", 10<<10)), formCT, 400, oauth, "invalid_request"},
			{"token unknown scope", "POST", token, grant("grant_type", "client_credentials", "scope", "admin"), formCT, 400, oauth, "invalid_scope"},
			{"token wrong client secret", "POST", token, url.Values{"grant_type": {"client_credentials"}, "client_id": {s.demoName}, "client_secret": {"wrong-secret-wrong"}}.Encode(), formCT, 401, oauth, "invalid_client"},
			{"token unknown client", "POST", token, url.Values{"grant_type": {"client_credentials"}, "client_id": {"nobody"}, "client_secret": {"whatever-secret"}}.Encode(), formCT, 401, oauth, "invalid_client"},
			{"token missing client secret", "POST", token, url.Values{"grant_type": {"client_credentials"}, "client_id": {s.demoName}}.Encode(), formCT, 401, oauth, "invalid_client"},
			{"token SQL in client_id", "POST", token, url.Values{"grant_type": {"client_credentials"}, "client_id": {"demo' OR '1'='1"}, "client_secret": {"x' OR '1'='1"}}.Encode(), formCT, 401, oauth, "invalid_client"},
			{"token wrong Basic secret", "POST", token, "grant_type=client_credentials", append([]string{"Authorization", "Basic " + basicAuth(s.demoName, "wrong-secret-wrong")}, formCT...), 401, oauth, "invalid_client"},
			{"token Basic and form differ", "POST", token, grant("grant_type", "client_credentials"), append([]string{"Authorization", "Basic " + basicAuth("other", otherSecret)}, formCT...), 400, oauth, "invalid_request"},
			{"token wrong password", "POST", token, grant("grant_type", "password", "username", "victim", "password", "wrong-password"), formCT, 400, oauth, "invalid_grant"},
			{"token unknown user", "POST", token, grant("grant_type", "password", "username", "nobody", "password", "whatever"), formCT, 400, oauth, "invalid_grant"},
			{"token user id too long", "POST", token, grant("grant_type", "password", "username", strings.Repeat("u", 5000), "password", "whatever"), formCT, 400, oauth, "invalid_grant"},
			{"token missing password", "POST", token, grant("grant_type", "password", "username", "anna"), formCT, 400, oauth, "invalid_request"},
			{"token other client's user", "POST", token, url.Values{"grant_type": {"password"}, "client_id": {"other"}, "client_secret": {otherSecret}, "username": {"anna"}, "password": {"anna-password"}}.Encode(), formCT, 400, oauth, "invalid_grant"},
			{"token locked user", "POST", token, grant("grant_type", "password", "username", "locked", "password", "locked-password"), formCT, 423, oauth, "invalid_grant"},
			{"token locked user wrong password", "POST", token, grant("grant_type", "password", "username", "LOCKED", "password", "nope-nope"), formCT, 423, oauth, "invalid_grant"},
			{"token missing refresh_token", "POST", token, grant("grant_type", "refresh_token"), formCT, 400, oauth, "invalid_request"},
			{"token refresh with access token", "POST", token, grant("grant_type", "refresh_token", "refresh_token", ut), formCT, 400, oauth, "invalid_grant"},
			{"token refresh garbage", "POST", token, grant("grant_type", "refresh_token", "refresh_token", "garbage"), formCT, 400, oauth, "invalid_grant"},
			{"token revoked refresh token", "POST", token, grant("grant_type", "refresh_token", "refresh_token", revokedRefresh), formCT, 400, oauth, "invalid_grant"},
			{"token other client's refresh token", "POST", token, url.Values{"grant_type": {"refresh_token"}, "client_id": {"other"}, "client_secret": {otherSecret}, "refresh_token": {rt}}.Encode(), formCT, 400, oauth, "invalid_grant"},
			{"token GET", "GET", token, ``, nil, 405, api, "METHOD_NOT_ALLOWED"},

			// Revoke.
			{"revoke with user token", "POST", "/finapi/api/v2/oauth/revoke", "token=" + ut, with(ut, formCT...), 403, api, "UNAUTHORIZED_ACCESS"},
			{"revoke without token", "POST", "/finapi/oauth/revoke", "token=" + ut, formCT, 401, api, "unauthorized"},
			{"revoke missing token field", "POST", "/finapi/api/v2/oauth/revoke", "token_type_hint=access_token", with(ct, formCT...), 400, api, "MISSING_FIELD"},
			{"revoke unknown hint", "POST", "/finapi/api/v2/oauth/revoke", "token=" + ut + "&token_type_hint=id_token", with(ct, formCT...), 400, api, "BAD_REQUEST"},
			{"revoke JSON body", "POST", "/finapi/api/v2/oauth/revoke", `{"token":"` + ut + `"}`, with(ct, jsonCT...), 400, api, "BAD_REQUEST"},
			{"revoke repeated token", "POST", "/finapi/api/v2/oauth/revoke", "token=" + ut + "&token=" + rt, with(ct, formCT...), 400, api, "BAD_REQUEST"},

			// Roles and tokens.
			{"create user with user token", "POST", users, `{"id":"new"}`, with(ut, jsonCT...), 403, api, "UNAUTHORIZED_ACCESS"},
			{"get user with client token", "GET", users, ``, with(ct), 403, api, "UNAUTHORIZED_ACCESS"},
			{"edit user with client token", "PATCH", users, `{"email":""}`, with(ct, jsonCT...), 403, api, "UNAUTHORIZED_ACCESS"},
			{"delete user with client token", "DELETE", users, ``, with(ct), 403, api, "UNAUTHORIZED_ACCESS"},
			{"delete override with client token", "POST", users, ``, with(ct, "X-HTTP-Method-Override", "DELETE"), 403, api, "UNAUTHORIZED_ACCESS"},
			{"create user without token", "POST", users, `{"id":"new"}`, jsonCT, 401, api, "unauthorized"},
			{"create user revoked token", "POST", users, `{"id":"new"}`, with(revokedAccess, jsonCT...), 401, api, "invalid_token"},
			{"get user revoked token", "GET", users, ``, with(revokedAccess), 401, api, "invalid_token"},
			{"create user expired token", "POST", users, `{"id":"new"}`, with(expired, jsonCT...), 401, api, "invalid_token"},
			{"create user garbage token", "POST", users, `{"id":"new"}`, with("garbage", jsonCT...), 401, api, "invalid_token"},
			{"create user refresh token", "POST", users, `{"id":"new"}`, with(rt, jsonCT...), 401, api, "invalid_token"},
			{"create user finoOS token", "POST", users, `{"id":"new"}`, with(finoosDemo, jsonCT...), 401, api, "invalid_token"},
			{"create user bare token", "POST", users, `{"id":"new"}`, append([]string{"Authorization", ct}, jsonCT...), 401, api, "invalid_token"},
			{"create user Basic auth", "POST", users, `{"id":"new"}`, append([]string{"Authorization", "Basic " + basicAuth(s.demoName, s.demoSecret)}, jsonCT...), 401, api, "invalid_token"},
			{"get user oversized token", "GET", users, ``, with(strings.Repeat("t", 9000)), 401, api, "invalid_token"},

			// Create user: malformed and illegal bodies.
			{"create user malformed JSON", "POST", users, `{"id":`, with(ct, jsonCT...), 400, api, "BAD_REQUEST"},
			{"create user empty body", "POST", users, ``, with(ct, jsonCT...), 400, api, "BAD_REQUEST"},
			{"create user null body", "POST", users, `null`, with(ct, jsonCT...), 400, api, "BAD_REQUEST"},
			{"create user array body", "POST", users, `[]`, with(ct, jsonCT...), 400, api, "BAD_REQUEST"},
			{"create user id as number", "POST", users, `{"id":42}`, with(ct, jsonCT...), 400, api, "BAD_REQUEST"},
			{"create user flag as string", "POST", users, `{"isAutoUpdateEnabled":"yes"}`, with(ct, jsonCT...), 400, api, "BAD_REQUEST"},
			{"create user unknown field", "POST", users, `{"id":"new","isAutoUpdateEnable":true}`, with(ct, jsonCT...), 400, api, "BAD_REQUEST"},
			{"create user trailing data", "POST", users, `{"id":"new"} {}`, with(ct, jsonCT...), 400, api, "BAD_REQUEST"},
			{"create user oversized", "POST", users, `{"email":"` + strings.Repeat("x", 70<<10) + `"}`, with(ct, jsonCT...), 400, api, "BAD_REQUEST"},
			{"create user form body", "POST", users, `id=new`, with(ct, formCT...), 400, api, "UNSUPPORTED_MEDIA_TYPE"},
			{"create user illegal id", "POST", users, `{"id":"a b"}`, with(ct, jsonCT...), 422, api, "ILLEGAL_FIELD_VALUE"},
			{"create user umlaut id", "POST", users, `{"id":"jürgen"}`, with(ct, jsonCT...), 422, api, "ILLEGAL_FIELD_VALUE"},
			{"create user SQL id", "POST", users, `{"id":"x' OR '1'='1"}`, with(ct, jsonCT...), 422, api, "ILLEGAL_FIELD_VALUE"},
			{"create user empty id", "POST", users, `{"id":""}`, with(ct, jsonCT...), 422, api, "ILLEGAL_FIELD_VALUE"},
			{"create user id too long", "POST", users, `{"id":"` + strings.Repeat("a", 37) + `"}`, with(ct, jsonCT...), 422, api, "ILLEGAL_FIELD_VALUE"},
			{"create user password too short", "POST", users, `{"password":"12345"}`, with(ct, jsonCT...), 422, api, "ILLEGAL_FIELD_VALUE"},
			{"create user password too long", "POST", users, `{"password":"` + strings.Repeat("p", 129) + `"}`, with(ct, jsonCT...), 422, api, "ILLEGAL_FIELD_VALUE"},
			{"create user password control char", "POST", users, `{"password":"abc\u0000defg"}`, with(ct, jsonCT...), 422, api, "ILLEGAL_FIELD_VALUE"},
			{"create user email too long", "POST", users, `{"email":"` + strings.Repeat("e", 321) + `"}`, with(ct, jsonCT...), 422, api, "ILLEGAL_FIELD_VALUE"},
			{"create user phone too long", "POST", users, `{"phone":"` + strings.Repeat("1", 51) + `"}`, with(ct, jsonCT...), 422, api, "ILLEGAL_FIELD_VALUE"},
			{"create user duplicate", "POST", users, `{"id":"anna"}`, with(ct, jsonCT...), 422, api, "ENTITY_EXISTS"},
			{"create user duplicate other case", "POST", users, `{"id":"ANNA","password":"another-one"}`, with(ct, jsonCT...), 422, api, "ENTITY_EXISTS"},

			// Edit user.
			{"edit user wrong type", "PATCH", users, `{"phone":7}`, with(ut, jsonCT...), 400, api, "BAD_REQUEST"},
			{"edit user unknown field", "PATCH", users, `{"id":"renamed"}`, with(ut, jsonCT...), 400, api, "BAD_REQUEST"},
			{"edit user null body", "PATCH", users, `null`, with(ut, jsonCT...), 400, api, "BAD_REQUEST"},
			{"edit user email too long", "PATCH", users, `{"email":"` + strings.Repeat("e", 321) + `"}`, with(ut, jsonCT...), 422, api, "ILLEGAL_FIELD_VALUE"},
			{"edit user override wrong type", "POST", users, `{"isAutoUpdateEnabled":1}`, with(ut, append(jsonCT, "X-HTTP-Method-Override", "PATCH")...), 400, api, "BAD_REQUEST"},

			// Process controller.
			{"process malformed JSON", "POST", procs, `{"clientId":`, jsonCT, 400, api, "BAD_REQUEST"},
			{"process form body", "POST", procs, `clientId=demo`, formCT, 400, api, "UNSUPPORTED_MEDIA_TYPE"},
			{"process null body", "POST", procs, `null`, jsonCT, 400, api, "BAD_REQUEST"},
			{"process missing clientId", "POST", procs, `{"clientSecret":"x","clientReferences":[],"processId":"USER_ONLY"}`, jsonCT, 400, api, "MISSING_FIELD"},
			{"process missing references", "POST", procs, procBody(`"processId":"USER_ONLY"`), jsonCT, 400, api, "MISSING_FIELD"},
			{"process missing processId", "POST", procs, procBody(refs(1)), jsonCT, 400, api, "MISSING_FIELD"},
			{"process reference without field", "POST", procs, procBody(`"clientReferences":[{}],"processId":"USER_ONLY"`), jsonCT, 400, api, "MISSING_FIELD"},
			{"process references wrong type", "POST", procs, procBody(`"clientReferences":"r1","processId":"USER_ONLY"`), jsonCT, 400, api, "BAD_REQUEST"},
			{"process unknown field", "POST", procs, procBody(refs(1) + `,"processId":"USER_ONLY","extra":1`), jsonCT, 400, api, "BAD_REQUEST"},
			{"process wrong secret", "POST", procs, `{"clientId":"` + s.demoName + `","clientSecret":"wrong-secret-wrong",` + refs(1) + `,"processId":"USER_ONLY"}`, jsonCT, 401, api, "invalid_client"},
			{"process unknown client", "POST", procs, `{"clientId":"nobody","clientSecret":"wrong-secret-wrong",` + refs(1) + `,"processId":"USER_ONLY"}`, jsonCT, 401, api, "invalid_client"},
			{"process unknown processId", "POST", procs, procBody(refs(1) + `,"processId":"FULL"`), jsonCT, 422, api, "ILLEGAL_FIELD_VALUE"},
			{"process no references", "POST", procs, procBody(refs(0) + `,"processId":"USER_ONLY"`), jsonCT, 422, api, "ILLEGAL_FIELD_VALUE"},
			{"process too many references", "POST", procs, procBody(refs(101) + `,"processId":"USER_ONLY"`), jsonCT, 422, api, "ILLEGAL_FIELD_VALUE"},
			{"process empty reference", "POST", procs, procBody(`"clientReferences":[{"clientReference":"ok"},{"clientReference":""}],"processId":"USER_ONLY"`), jsonCT, 422, api, "ILLEGAL_FIELD_VALUE"},
			{"process reference control char", "POST", procs, procBody(`"clientReferences":[{"clientReference":"a\nb"}],"processId":"USER_ONLY"`), jsonCT, 422, api, "ILLEGAL_FIELD_VALUE"},
			{"process reference too long", "POST", procs, procBody(`"clientReferences":[{"clientReference":"` + strings.Repeat("r", 256) + `"}],"processId":"USER_ONLY"`), jsonCT, 422, api, "ILLEGAL_FIELD_VALUE"},
			{"process token used up", "GET", procs + "/" + exhausted, ``, nil, 404, api, "UNKNOWN_ENTITY"},
			{"process token invalidated", "GET", procs + "/" + invalidated + "?invalidate=true", ``, nil, 404, api, "UNKNOWN_ENTITY"},
			{"process token expired", "GET", procs + "/" + expiredProcess, ``, nil, 404, api, "UNKNOWN_ENTITY"},
			{"process token unknown", "GET", procs + "/8f92ec58-b9b9-11ec-8422-0242ac120002", ``, nil, 404, api, "UNKNOWN_ENTITY"},
			{"process token not a UUID", "GET", procs + "/..%2F..%2Fetc%2Fpasswd", ``, nil, 404, api, "UNKNOWN_ENTITY"},
			{"process invalidate not a boolean", "GET", procs + "/" + exhausted + "?invalidate=maybe", ``, nil, 400, api, "BAD_REQUEST"},

			// Conventions.
			{"bad request ID", "GET", users, ``, with(ut, "X-Request-Id", "a b<script>"), 400, api, "BAD_REQUEST"},
			{"V1 path that does not exist", "GET", "/finapi/api/v1/accounts", ``, with(ut), 403, api, "FORBIDDEN"},
			{"unknown path", "GET", "/finapi/api/v2/accounts", ``, with(ut), 404, api, "UNKNOWN_ENTITY"},
			{"wrong method", "PUT", users, `{}`, with(ut, jsonCT...), 405, api, "METHOD_NOT_ALLOWED"},
		}

		finoosTokens := []string{finoosDemo, finoosOther}
		userTokens := []string{ut}
		secrets := []string{s.demoSecret, otherSecret, ct, otherCT, ut, rt, "anna-password", "victim-password", "locked-password", revokedAccess, exhausted}
		before := finapiSnapshot(t, s, finoosTokens, userTokens)
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				var body any
				if tc.body != "" {
					body = tc.body
				}
				res := s.do(tc.method, tc.path, body, tc.headers...)
				switch {
				case tc.shape == oauth, tc.status == http.StatusUnauthorized:
					wantOAuthError(t, res, tc.status, tc.code)
				default:
					wantFinAPIError(t, res, tc.status, tc.code)
				}
				for _, secret := range secrets {
					if bytes.Contains(res.Body, []byte(secret)) {
						t.Fatalf("the error echoes a secret: %s", res.Body)
					}
				}
				if bytes.Contains(res.Body, []byte("xxxxxxxxxx")) || bytes.Contains(res.Body, []byte("eeeeeeeeee")) {
					t.Fatalf("the error echoes the request: %.200s", res.Body)
				}
				if after := finapiSnapshot(t, s, finoosTokens, userTokens); after != before {
					t.Fatalf("stored data changed:\nbefore %s\nafter  %s", before, after)
				}
			})
		}
		logs := s.logs.String()
		for _, secret := range secrets {
			if strings.Contains(logs, secret) {
				t.Fatalf("the log holds a secret, password or token (%.8s...)", secret)
			}
		}
	})
}
