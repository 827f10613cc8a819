package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/kontor-dev/kontor/finoos"
)

func loadOpenAPI(t testing.TB) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(finoos.OpenAPI())
	if err != nil {
		t.Fatalf("loading openapi.yaml: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi.yaml is not valid OpenAPI 3: %v", err)
	}
	return doc
}

// TestOpenAPIMatchesRoutes fails when a route exists that the document does
// not describe, or the document describes one that does not exist.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	doc := loadOpenAPI(t)
	var documented, served []string
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented = append(documented, method+" "+path)
		}
	}
	for _, r := range finoos.Routes() {
		served = append(served, r.Method+" "+r.Path)
	}
	slices.Sort(documented)
	slices.Sort(served)
	if !slices.Equal(documented, served) {
		t.Fatalf("routes and openapi.yaml differ:\nserved:     %v\ndocumented: %v", served, documented)
	}
	for _, r := range finoos.Routes() {
		op := doc.Paths.Find(r.Path).GetOperation(r.Method)
		secured := op.Security == nil || len(*op.Security) > 0
		if secured != r.Auth {
			t.Errorf("%s %s: documented as secured=%v, served with auth=%v", r.Method, r.Path, secured, r.Auth)
		}
	}
}

// TestOpenAPIServed checks that the server serves its document.
func TestOpenAPIServed(t *testing.T) {
	s := startServer(t, sqliteURL(t))
	res := s.do("GET", "/api/v1/openapi.yaml", nil)
	wantStatus(t, res, http.StatusOK)
	if !bytes.Equal(res.Body, finoos.OpenAPI()) {
		t.Fatal("served document differs from the embedded one")
	}
}

// validator checks responses against an OpenAPI document.
type validator struct {
	t      testing.TB
	router routers.Router
	base   string // the server's address
	prefix string // where the document's paths are mounted
}

func newValidator(t testing.TB, s *testServer) *validator {
	return newValidatorFor(t, s, loadOpenAPI(t), "/api/v1")
}

// newValidatorFor checks responses of the dialect mounted at prefix
// against doc.
func newValidatorFor(t testing.TB, s *testServer, doc *openapi3.T, prefix string) *validator {
	t.Helper()
	doc.Servers = openapi3.Servers{{URL: s.base + prefix}}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return &validator{t: t, router: router, base: s.base, prefix: prefix}
}

var pathParam = regexp.MustCompile(`\{[^}]+\}`)

// check validates a response of the operation at method and path (as in
// the document) against its schema, status and headers.
func (v *validator) check(method, path string, res *response) {
	v.t.Helper()
	u, _ := url.Parse(v.base + v.prefix + pathParam.ReplaceAllString(path, "x"))
	req := &http.Request{Method: method, URL: u, Header: http.Header{}}
	route, params, err := v.router.FindRoute(req)
	if err != nil {
		v.t.Fatalf("%s %s: not in the OpenAPI document of %s: %v", method, path, v.prefix, err)
	}
	input := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 res.Status,
		Header:                 res.Header,
		Body:                   io.NopCloser(bytes.NewReader(res.Body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), input); err != nil {
		v.t.Fatalf("%s %s: response does not match the OpenAPI document of %s: %v", method, path, v.prefix, err)
	}
}
