package finapi

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/kontor-dev/kontor"
)

func loadDoc(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(OpenAPI())
	if err != nil {
		t.Fatalf("loading openapi.yaml: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi.yaml is not valid OpenAPI 3: %v", err)
	}
	return doc
}

// TestOpenAPIMatchesRoutes fails when the route table and the document
// disagree on an operation, its name, the token role it needs or whether
// it is secured.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	doc := loadDoc(t)
	var documented, served []string
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			documented = append(documented, method+" "+path+" "+op.OperationID)
		}
	}
	for _, r := range Routes() {
		served = append(served, r.Method+" "+r.Path+" "+r.OperationID)
	}
	slices.Sort(documented)
	slices.Sort(served)
	if !slices.Equal(documented, served) {
		t.Fatalf("routes and openapi.yaml differ:\nserved:     %v\ndocumented: %v", served, documented)
	}
	for _, r := range Routes() {
		op := doc.Paths.Find(r.Path).GetOperation(r.Method)
		if role, _ := op.Extensions["x-token-role"].(string); role != r.Role.String() {
			t.Errorf("%s %s: documented x-token-role %q, served with role %q", r.Method, r.Path, role, r.Role)
		}
		secured := op.Security == nil || len(*op.Security) > 0
		if secured != (r.Role != Public) {
			t.Errorf("%s %s: documented as secured=%v, served with role %s", r.Method, r.Path, secured, r.Role)
		}
	}
}

// TestFinAPINames checks that the document keeps finAPI's own operation
// and schema names.
func TestFinAPINames(t *testing.T) {
	doc := loadDoc(t)
	ops := map[string]bool{}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			ops[op.OperationID] = true
		}
	}
	for _, name := range []string{"getToken", "revokeToken", "createUser", "getAuthorizedUser", "editAuthorizedUser", "deleteAuthorizedUser"} {
		if !ops[name] {
			t.Errorf("operation %s is missing", name)
		}
	}
	for _, name := range []string{"AccessToken", "BadCredentialsError", "ErrorMessage", "ErrorDetails", "User", "UserCreateParams", "UserUpdateParams"} {
		if doc.Components.Schemas[name] == nil {
			t.Errorf("schema %s is missing", name)
		}
	}
}

func TestBearer(t *testing.T) {
	for header, want := range map[string]string{
		"Bearer abc":    "abc",
		"bearer  abc ":  "abc",
		"BEARER abc":    "abc",
		"":              "",
		"abc":           "",
		"Basic abc":     "",
		"Bearer":        "",
		"Bearer ":       "",
		"Token abc def": "",
	} {
		got, err := bearer(header)
		if got != want || (want == "") != (err != nil) {
			t.Errorf("bearer(%q) = %q, %v; want %q", header, got, err, want)
		}
		if want == "" && kontor.ErrorCode(err) != kontor.EUNAUTHORIZED {
			t.Errorf("bearer(%q) error code = %q, want unauthorized", header, kontor.ErrorCode(err))
		}
	}
	if _, err := bearer(""); !errors.Is(err, errMissingToken) {
		t.Error("an empty header is not errMissingToken")
	}
}

func TestReadForm(t *testing.T) {
	form := "application/x-www-form-urlencoded"
	for _, tc := range []struct {
		name, contentType, body string
		ok                      bool
	}{
		{"plain", form, "grant_type=password&username=a%20b", true},
		{"charset", form + "; charset=UTF-8", "grant_type=x", true},
		{"empty", form, "", true},
		{"json", "application/json", `{"grant_type":"x"}`, false},
		{"no content type", "", "grant_type=x", false},
		{"multipart", "multipart/form-data; boundary=x", "--x--", false},
		{"latin1", form + "; charset=ISO-8859-1", "grant_type=x", false},
		{"repeated", form, "grant_type=a&grant_type=b", false},
		{"bad escape", form, "grant_type=%zz", false},
		{"too many fields", form, strings.Repeat("a=1&", 20), false},
		{"too large", form, "password=" + strings.Repeat("x", 9000), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/finapi/oauth/token", strings.NewReader(tc.body))
			if tc.contentType != "" {
				r.Header.Set("Content-Type", tc.contentType)
			}
			values, err := readForm(httptest.NewRecorder(), r, 8<<10, "grant_type")
			if tc.ok != (err == nil) {
				t.Fatalf("readForm = %v, %v; want ok=%v", values, err, tc.ok)
			}
			var oe *oauthError
			if err != nil && (!errors.As(err, &oe) || oe.status != http.StatusBadRequest || oe.code != "invalid_request") {
				t.Fatalf("error = %v, want a 400 invalid_request", err)
			}
			if err != nil && strings.Contains(oe.desc, "xxxx") {
				t.Fatalf("error echoes the body: %s", oe.desc)
			}
		})
	}
}

func TestClientCredentials(t *testing.T) {
	basic := func(id, secret string) string {
		r := httptest.NewRequest("POST", "/", nil)
		r.SetBasicAuth(id, secret)
		return r.Header.Get("Authorization")
	}
	for _, tc := range []struct {
		name, header, form string
		id, secret         string
		status             int
	}{
		{"form", "", "client_id=acme&client_secret=s3cret", "acme", "s3cret", 0},
		{"basic", basic("acme", "s%3Acret"), "", "acme", "s:cret", 0},
		{"basic and same form", basic("acme", "s3cret"), "client_id=acme", "acme", "s3cret", 0},
		{"basic and other form", basic("acme", "s3cret"), "client_id=evil", "", "", 400},
		{"missing secret", "", "client_id=acme", "", "", 401},
		{"missing both", "", "", "", "", 401},
		{"bearer header", "Bearer x", "client_id=acme&client_secret=s", "", "", 400},
		{"broken basic", "Basic !!!", "", "", "", 401},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/", nil)
			if tc.header != "" {
				r.Header.Set("Authorization", tc.header)
			}
			form, _ := url.ParseQuery(tc.form)
			id, secret, err := clientCredentials(r, form)
			var oe *oauthError
			switch {
			case tc.status == 0 && (err != nil || id != tc.id || secret != tc.secret):
				t.Fatalf("clientCredentials = %q, %q, %v; want %q, %q", id, secret, err, tc.id, tc.secret)
			case tc.status != 0 && (!errors.As(err, &oe) || oe.status != tc.status):
				t.Fatalf("clientCredentials error = %v, want status %d", err, tc.status)
			}
		})
	}
}
