package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/finapi"
)

// Helpers of the finAPI dialect's end-to-end tests.

// form is the Content-Type of token requests.
const form = "application/x-www-form-urlencoded"

// finapiTokenRE is the shape of finAPI's sample tokens: 128 characters of
// the URL-safe base64 alphabet.
var finapiTokenRE = regexp.MustCompile(`^[A-Za-z0-9_-]{128}$`)

// anyUUIDRE matches a UUID of any version, as the seeds' process tokens.
var anyUUIDRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// finapiDateRE is finAPI's timestamp format.
var finapiDateRE = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$`)

// pageAll is a page with every user of the tests' clients.
var pageAll = kontor.Page{Page: 1, PerPage: 500}

// tokenRequest posts a form to the token endpoint.
func (s *testServer) tokenRequest(values url.Values, headers ...string) *response {
	s.t.Helper()
	return s.do("POST", "/finapi/api/v2/oauth/token", values.Encode(), append([]string{"Content-Type", form}, headers...)...)
}

// clientToken returns a finAPI client token of a client.
func (s *testServer) clientToken(name, secret string) string {
	s.t.Helper()
	res := s.tokenRequest(url.Values{"grant_type": {"client_credentials"}, "client_id": {name}, "client_secret": {secret}})
	if res.Status != http.StatusOK {
		s.t.Fatalf("client token: %d %s", res.Status, res.Body)
	}
	return res.Field(s.t, "access_token")
}

// userToken returns a finAPI user token and refresh token of a user.
func (s *testServer) userToken(name, secret, username, password string) (access, refresh string) {
	s.t.Helper()
	res := s.tokenRequest(url.Values{"grant_type": {"password"}, "client_id": {name}, "client_secret": {secret},
		"username": {username}, "password": {password}})
	if res.Status != http.StatusOK {
		s.t.Fatalf("user token: %d %s", res.Status, res.Body)
	}
	return res.Field(s.t, "access_token"), res.Field(s.t, "refresh_token")
}

// finapiUser creates a finAPI user with the client token.
func (s *testServer) finapiUser(clientToken, body string) *response {
	s.t.Helper()
	return s.do("POST", "/finapi/api/v2/users", body, "Content-Type", "application/json", "Authorization", "Bearer "+clientToken)
}

func bearerAuth(token string) []string { return []string{"Authorization", "Bearer " + token} }

// decodeObject decodes a JSON object body keeping numbers exact.
func decodeObject(t testing.TB, body []byte) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil {
		t.Fatalf("body is not a JSON object (%v): %s", err, body)
	}
	return m
}

// wantFinAPIError checks an ErrorMessage response: status, exactly
// finAPI's fields, the code, and the request ID of the response header.
func wantFinAPIError(t testing.TB, res *response, status int, code string) {
	t.Helper()
	wantStatus(t, res, status)
	m := decodeObject(t, res.Body)
	keys := []string{}
	for k := range m {
		keys = append(keys, k)
	}
	if len(m) != 6 || m["errors"] == nil || m["date"] == nil || m["requestId"] == nil || m["endpoint"] == nil || m["authContext"] == nil {
		t.Fatalf("ErrorMessage has fields %v, want errors, date, requestId, endpoint, authContext, bank: %s", keys, res.Body)
	}
	errs, _ := m["errors"].([]any)
	if len(errs) != 1 {
		t.Fatalf("ErrorMessage.errors = %v, want one entry", m["errors"])
	}
	d, _ := errs[0].(map[string]any)
	if d["code"] != code || (d["type"] != "BUSINESS" && d["type"] != "TECHNICAL") || d["message"] == "" || len(d) != 4 {
		t.Fatalf("ErrorDetails = %v, want code %s, a type and a message", d, code)
	}
	if !finapiDateRE.MatchString(m["date"].(string)) {
		t.Fatalf("date %q is not finAPI's timestamp format", m["date"])
	}
	if id := res.Header.Get("X-Request-Id"); id == "" || m["requestId"] != id {
		t.Fatalf("requestId %q differs from the X-Request-Id header %q", m["requestId"], id)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("Content-Type = %q", ct)
	}
}

// wantOAuthError checks an error in OAuth's (and BadCredentialsError's)
// shape: exactly {"error","error_description"}.
func wantOAuthError(t testing.TB, res *response, status int, code string) {
	t.Helper()
	wantStatus(t, res, status)
	m := decodeObject(t, res.Body)
	if len(m) != 2 || m["error"] != code {
		t.Fatalf("error body = %s, want exactly {\"error\":%q,\"error_description\":...}", res.Body, code)
	}
	if d, _ := m["error_description"].(string); d == "" {
		t.Fatalf("error body has no description: %s", res.Body)
	}
	if res.Header.Get("X-Request-Id") == "" {
		t.Fatal("no X-Request-Id header")
	}
}

// newFinAPIValidator checks responses against the finAPI dialect's
// OpenAPI document.
func newFinAPIValidator(t testing.TB, s *testServer) *validator {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(finapi.OpenAPI())
	if err != nil {
		t.Fatal(err)
	}
	return newValidatorFor(t, s, doc, finapi.Prefix)
}

// compareShape (with join of quickstart_test.go) compares a response with a seed's sample field by field:
// the same fields, each of the same JSON type, recursively. Where the
// sample's value is one the server must reproduce (same[path]), the value
// must be equal too.
func compareShape(path string, sample, got any, same map[string]bool, diffs *[]string) {
	switch sv := sample.(type) {
	case map[string]any:
		gv, ok := got.(map[string]any)
		if !ok {
			*diffs = append(*diffs, path+": want an object, got "+jsonText(got))
			return
		}
		for k, v := range sv {
			if _, ok := gv[k]; !ok {
				*diffs = append(*diffs, join(path, k)+": missing")
				continue
			}
			compareShape(join(path, k), v, gv[k], same, diffs)
		}
		for k := range gv {
			if _, ok := sv[k]; !ok {
				*diffs = append(*diffs, join(path, k)+": not in the sample")
			}
		}
	case []any:
		gv, ok := got.([]any)
		if !ok || len(gv) != len(sv) {
			*diffs = append(*diffs, path+": want an array of "+jsonText(len(sv))+", got "+jsonText(got))
			return
		}
		for i := range sv {
			compareShape(path+"["+jsonText(i)+"]", sv[i], gv[i], same, diffs)
		}
	default:
		if shapeKind(sample) != shapeKind(got) {
			*diffs = append(*diffs, path+": want a "+shapeKind(sample)+", got "+jsonText(got))
		} else if same[path] && jsonText(sample) != jsonText(got) {
			*diffs = append(*diffs, path+": want "+jsonText(sample)+", got "+jsonText(got))
		}
	}
}

func shapeKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case json.Number, float64:
		return "number"
	case bool:
		return "boolean"
	case []any:
		return "array"
	default:
		return "object"
	}
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
