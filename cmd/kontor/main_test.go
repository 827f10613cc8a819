package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kontor-dev/kontor/internal/testdb"
)

// testServer is a Kontor server started by a test, exactly as
// "kontor serve" starts it, on a free loopback port.
type testServer struct {
	*Main
	t          testing.TB
	base       string
	demoName   string
	demoSecret string
	client     *http.Client
	logs       *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var demoRE = regexp.MustCompile(`name:\s+(\S+)\s+secret:\s+(\S+)`)

// startServer starts Kontor on the database at url. configure may adjust
// the configuration first.
func startServer(t testing.TB, url string, configure ...func(*Config)) *testServer {
	t.Helper()
	cfg := DefaultConfig()
	cfg.Addr = "127.0.0.1:0"
	cfg.DatabaseURL = url
	cfg.ShutdownTimeout = 10 * time.Second
	// Tests send bursts far above an API client's default rate; the rate
	// limit has a test of its own.
	cfg.Core.RateLimit, cfg.Core.RateBurst = 10000, 20000
	for _, f := range configure {
		f(&cfg)
	}
	var stdout bytes.Buffer
	logs := &syncBuffer{}
	m := &Main{Config: cfg, Stdout: &stdout, Log: slog.New(slog.NewTextHandler(logs, nil))}
	if err := m.Run(context.Background()); err != nil {
		t.Fatalf("starting kontor: %v", err)
	}
	s := &testServer{Main: m, t: t, base: "http://" + m.Addr(), client: &http.Client{Timeout: 60 * time.Second}, logs: logs}
	t.Cleanup(func() {
		if err := m.Close(); err != nil {
			t.Errorf("closing kontor: %v", err)
		}
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	if sub := demoRE.FindStringSubmatch(stdout.String()); sub != nil {
		s.demoName, s.demoSecret = sub[1], sub[2]
	}
	return s
}

// eachBackend runs fn against a fresh server on SQLite and on PostgreSQL.
func eachBackend(t *testing.T, fn func(t *testing.T, s *testServer)) {
	testdb.Each(t, func(t *testing.T, url string) { fn(t, startServer(t, url)) })
}

// response is what a request got back.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into a generic value, keeping numbers exact.
func (r *response) JSON(t testing.TB) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(r.Body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("response is not JSON (%v): %s", err, r.Body)
	}
	return v
}

// Field returns a top-level string field of a JSON object body.
func (r *response) Field(t testing.TB, name string) string {
	t.Helper()
	obj, ok := r.JSON(t).(map[string]any)
	if !ok {
		t.Fatalf("response is not a JSON object: %s", r.Body)
	}
	s, _ := obj[name].(string)
	return s
}

// do sends a request. body may be a string, []byte, io.Reader or a value to
// encode as JSON; headers are name, value pairs.
func (s *testServer) do(method, path string, body any, headers ...string) *response {
	s.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	case io.Reader:
		rd = b
	default:
		enc, err := json.Marshal(b)
		if err != nil {
			s.t.Fatal(err)
		}
		rd = bytes.NewReader(enc)
	}
	req, err := http.NewRequest(method, s.base+path, rd)
	if err != nil {
		s.t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := s.client.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		s.t.Fatalf("%s %s: reading body: %v", method, path, err)
	}
	return &response{Status: res.StatusCode, Header: res.Header, Body: b}
}

// tokens authenticates with a client's credentials.
func (s *testServer) tokens(name, secret string) (access, refresh string) {
	s.t.Helper()
	res := s.do("POST", "/api/v1/auth", map[string]string{"name": name, "secret": secret}, "Content-Type", "application/json")
	if res.Status != http.StatusOK {
		s.t.Fatalf("authenticating %s: %d %s", name, res.Status, res.Body)
	}
	return res.Field(s.t, "accessToken"), res.Field(s.t, "refreshToken")
}

// demoToken returns an access token of the demo client.
func (s *testServer) demoToken() string {
	s.t.Helper()
	if s.demoSecret == "" {
		s.t.Fatal("the server printed no demo client credentials")
	}
	access, _ := s.tokens(s.demoName, s.demoSecret)
	return access
}

// newClient creates another API client and returns an access token of it.
func (s *testServer) newClient(name string) (access, secret string) {
	s.t.Helper()
	_, secret, err := s.svc.CreateClient(context.Background(), name, "")
	if err != nil {
		s.t.Fatal(err)
	}
	access, _ = s.tokens(name, secret)
	return access, secret
}

// createUser creates a user and returns its ID.
func (s *testServer) createUser(token, typ string) string {
	s.t.Helper()
	res := s.do("POST", "/api/v1/users", map[string]string{"type": typ}, "Authorization", token)
	if res.Status != http.StatusOK {
		s.t.Fatalf("creating user: %d %s", res.Status, res.Body)
	}
	return res.Field(s.t, "id")
}

func wantStatus(t testing.TB, res *response, status int) {
	t.Helper()
	if res.Status != status {
		t.Fatalf("status = %d, want %d; body %s", res.Status, status, res.Body)
	}
}

// wantError checks a finoOS error response.
func wantError(t testing.TB, res *response, status int, typ string) {
	t.Helper()
	wantStatus(t, res, status)
	var body map[string]any
	if err := json.Unmarshal(res.Body, &body); err != nil {
		t.Fatalf("error body is not JSON: %s", res.Body)
	}
	if len(body) != 2 || body["type"] != typ {
		t.Fatalf("error body = %s, want exactly {\"type\":%q,\"message\":...}", res.Body, typ)
	}
	if msg, _ := body["message"].(string); msg == "" {
		t.Fatalf("error body has no message: %s", res.Body)
	}
	if res.Header.Get("API-Version") == "" || res.Header.Get("X-Request-ID") == "" {
		t.Fatalf("error response lacks API-Version or X-Request-ID: %v", res.Header)
	}
}

func sqliteURL(t testing.TB) string { return testdb.SQLite(t) }

// waitAnalysis waits until the analysis of the user's data has finished
// and returns its status.
func (s *testServer) waitAnalysis(token, user string) string {
	s.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		res := s.do("GET", "/api/v1/users/"+user+"/analysis", nil, "Authorization", token)
		if res.Status != http.StatusOK {
			s.t.Fatalf("analysis status: %d %s", res.Status, res.Body)
		}
		switch st := res.Field(s.t, "status"); st {
		case "done", "failed", "none":
			return st
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.t.Fatal("the analysis did not finish within a minute")
	return ""
}
