package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"sort"
	"testing"
)

// readSeed reads one of the finAPI seeds' samples.
func readSeed(t testing.TB, name string) ([]byte, any) {
	t.Helper()
	b, err := os.ReadFile("testdata/seed/finapi/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b, (&response{Body: b}).JSON(t)
}

// wantLike compares a response with a seed's sample field by field (see
// compareShape).
func wantLike(t testing.TB, step string, res *response, sampleFile string, same ...string) map[string]any {
	t.Helper()
	_, sample := readSeed(t, sampleFile)
	got := res.JSON(t)
	sameSet := map[string]bool{}
	for _, p := range same {
		sameSet[p] = true
	}
	var diffs []string
	compareShape("", sample, got, sameSet, &diffs)
	sort.Strings(diffs)
	for _, d := range diffs {
		t.Errorf("%s: %s", step, d)
	}
	if len(diffs) > 0 {
		t.Fatalf("%s: response %s differs from the seed's sample", step, res.Body)
	}
	return got.(map[string]any)
}

// TestFinAPISeedUserFlow runs seed 002's flow (repeated in seed 001)
// verbatim against a running Kontor: a client token, a user created with
// it, a user token for that user. Each response is compared with the
// seed's sample field by field and validated against the OpenAPI document.
func TestFinAPISeedUserFlow(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *testServer) {
		v := newFinAPIValidator(t, s)
		_, sampleToken := readSeed(t, "client-token-response.json")
		if !finapiTokenRE.MatchString(sampleToken.(map[string]any)["access_token"].(string)) {
			t.Fatal("the seed's token does not have the shape the test expects of Kontor's")
		}

		// Step 1: get authorized as a client (Access POST /oauth/token).
		res := s.do("POST", "/finapi/oauth/token",
			url.Values{"grant_type": {"client_credentials"}, "client_id": {s.demoName}, "client_secret": {s.demoSecret}}.Encode(),
			"Content-Type", form)
		wantStatus(t, res, http.StatusOK)
		v.check("POST", "/oauth/token", res)
		got := wantLike(t, "client token", res, "client-token-response.json", "token_type", "expires_in", "scope")
		clientToken := got["access_token"].(string)
		if !finapiTokenRE.MatchString(clientToken) {
			t.Fatalf("client token %q is not 128 URL-safe characters like the seed's", clientToken)
		}
		if res.Header.Get("Cache-Control") != "no-store" {
			t.Error("token response may be cached: no Cache-Control: no-store")
		}

		// Step 2: create a user with the seed's request body.
		body, _ := readSeed(t, "create-user-request.json")
		res = s.do("POST", "/finapi/api/v2/users", body, "Content-Type", "application/json", "Authorization", "Bearer "+clientToken)
		wantStatus(t, res, http.StatusCreated)
		v.check("POST", "/api/v2/users", res)
		wantLike(t, "create user", res, "create-user-response.json", "id", "password", "email", "phone", "isAutoUpdateEnabled")

		// Step 3: get authorized as the user.
		res = s.do("POST", "/finapi/oauth/token",
			url.Values{"grant_type": {"password"}, "client_id": {s.demoName}, "client_secret": {s.demoSecret},
				"username": {"username"}, "password": {"password"}}.Encode(),
			"Content-Type", form)
		wantStatus(t, res, http.StatusOK)
		v.check("POST", "/oauth/token", res)
		// finAPI's V2 reference sets refresh_token for grant_type=password;
		// the seed's sample leaves it out. Check it, then compare the rest.
		var withRefresh map[string]any
		if err := json.Unmarshal(res.Body, &withRefresh); err != nil {
			t.Fatal(err)
		}
		refresh, _ := withRefresh["refresh_token"].(string)
		if !finapiTokenRE.MatchString(refresh) {
			t.Fatalf("refresh_token %q is not a token", refresh)
		}
		delete(withRefresh, "refresh_token")
		rest, _ := json.Marshal(withRefresh)
		got = wantLike(t, "user token", &response{Body: rest}, "user-token-response.json", "token_type", "expires_in", "scope")
		userToken := got["access_token"].(string)
		if !finapiTokenRE.MatchString(userToken) || userToken == clientToken || userToken == refresh {
			t.Fatalf("user token %q is not a new 128-character token", userToken)
		}

		// "To get authorized as a User, use the obtained access_token."
		res = s.do("GET", "/finapi/api/v2/users", nil, bearerAuth(userToken)...)
		wantStatus(t, res, http.StatusOK)
		v.check("GET", "/api/v2/users", res)
		user := wantLike(t, "get user", res, "create-user-response.json", "id", "email", "phone", "isAutoUpdateEnabled")
		if user["password"] != "XXXXX" {
			t.Fatalf("get user shows password %v, want XXXXX", user["password"])
		}
	})
}

// TestFinAPISeedProcessFlow runs seed 001's process controller flow
// verbatim (only the client credentials replaced): create a process for a
// client reference, exchange its process token with invalidate=true for
// the user's access token, and use that token.
func TestFinAPISeedProcessFlow(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *testServer) {
		v := newFinAPIValidator(t, s)
		_, reqSample := readSeed(t, "process-request.json")
		req := reqSample.(map[string]any)
		req["clientId"], req["clientSecret"] = s.demoName, s.demoSecret

		// Step 1: create the process.
		res := s.do("POST", "/finapi/api/v1/processes", req, "Content-Type", "application/json")
		wantStatus(t, res, http.StatusOK)
		v.check("POST", "/api/v1/processes", res)
		got := wantLike(t, "create process", res, "process-response.json", "processes[0].clientReference")
		processToken := got["processes"].([]any)[0].(map[string]any)["processToken"].(string)
		if !anyUUIDRE.MatchString(processToken) {
			t.Fatalf("process token %q is not a UUID like the seed's", processToken)
		}

		// Step 2: get the OAuth token.
		res = s.do("GET", "/finapi/api/v1/processes/"+processToken+"?invalidate=true", nil)
		wantStatus(t, res, http.StatusOK)
		v.check("GET", "/api/v1/processes/{processToken}", res)
		got = wantLike(t, "exchange process token", res, "process-token-response.json")
		accessToken := got["accessToken"].(string)

		// The token is an ordinary user token of the process's user.
		res = s.do("GET", "/finapi/api/v2/users", nil, bearerAuth(accessToken)...)
		wantStatus(t, res, http.StatusOK)
		v.check("GET", "/api/v2/users", res)
		if !anyUUIDRE.MatchString(res.Field(t, "id")) {
			t.Fatalf("process user = %s, want a generated id", res.Body)
		}
		// invalidate=true: the process token is spent.
		res = s.do("GET", "/finapi/api/v1/processes/"+processToken+"?invalidate=true", nil)
		wantFinAPIError(t, res, http.StatusNotFound, "UNKNOWN_ENTITY")
		v.check("GET", "/api/v1/processes/{processToken}", res)

		// The process token never reaches the log.
		if regexp.MustCompile(regexp.QuoteMeta(processToken)).MatchString(s.logs.String()) {
			t.Fatal("the log holds a process token")
		}
		// The same client reference keeps its user.
		res = s.do("POST", "/finapi/api/v1/processes", req, "Content-Type", "application/json")
		wantStatus(t, res, http.StatusOK)
		second := res.JSON(t).(map[string]any)["processes"].([]any)[0].(map[string]any)["processToken"].(string)
		res = s.do("GET", "/finapi/api/v1/processes/"+second, nil)
		wantStatus(t, res, http.StatusOK)
		again := s.do("GET", "/finapi/api/v2/users", nil, bearerAuth(res.Field(t, "accessToken"))...)
		if again.Field(t, "id") == "" || string(again.Body) != string(s.do("GET", "/finapi/api/v2/users", nil, bearerAuth(accessToken)...).Body) {
			t.Fatalf("a second process for the same client reference has another user: %s", again.Body)
		}
		c, err := s.Store().ClientByName(context.Background(), s.demoName)
		if err != nil {
			t.Fatal(err)
		}
		if _, total, err := s.Store().Users(context.Background(), c.ID, pageAll); err != nil || total != 1 {
			t.Fatalf("the client has %d users (%v), want 1", total, err)
		}
	})
}
