package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// uiClient is a browser without JavaScript: it keeps cookies and does not
// follow redirects to other hosts.
type uiClient struct {
	t    *testing.T
	http *http.Client
	base string
}

func newUIClient(t *testing.T, base string) *uiClient {
	jar, _ := cookiejar.New(nil)
	return &uiClient{t: t, base: base, http: &http.Client{
		Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if !strings.HasPrefix(req.URL.String(), base) {
				return http.ErrUseLastResponse // the app's URL: stop there
			}
			return nil
		},
	}}
}

// page is a fetched page.
type page struct {
	status   int
	body     string
	location string
	header   http.Header
}

func (c *uiClient) get(path string) *page {
	c.t.Helper()
	return c.send("GET", path, nil)
}

func (c *uiClient) post(path string, form url.Values) *page {
	c.t.Helper()
	return c.send("POST", path, form)
}

func (c *uiClient) send(method, path string, form url.Values) *page {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	u := path
	if !strings.HasPrefix(u, "http") {
		u = c.base + path
	}
	req, _ := http.NewRequest(method, u, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Accept-Language", "en-US,en;q=0.8")
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return &page{status: res.StatusCode, body: string(b), location: res.Header.Get("Location"), header: res.Header}
}

var (
	csrfRE = regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`)
	tanRE  = regexp.MustCompile(`<output id="shown-tan">(\d+)</output>`)
	sidRE  = regexp.MustCompile(`sessionId=([0-9a-f]{24})`)
)

func (p *page) csrf(t *testing.T) string {
	t.Helper()
	m := csrfRE.FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("no CSRF token on the page (%d): %.300s", p.status, p.body)
	}
	return m[1]
}

// TestConnectBadInput covers sessions that are expired, reused or not the
// browser's, tampered forms, missing CSRF tokens, app URLs that are not
// absolute http(s), and oversized input.
func TestConnectBadInput(t *testing.T) {
	s := startServer(t, sqliteURL(t))
	token := s.demoToken()
	user := s.createUser(token, "person")
	connect := func(body string) *response {
		return s.do("POST", "/api/v1/users/"+user+"/banking/connect", body, "Authorization", token)
	}
	ok := `{"redirectURL":"https://app.example/ok","errorURL":"https://app.example/err","exitURL":"https://app.example/exit"}`

	t.Run("app URLs", func(t *testing.T) {
		for _, bad := range []string{"/ok", "javascript:alert(1)", "ftp://app.example/x", "https://user:pw@app.example/", "//evil.example/x",
			"https:///nohost", "data:text/html,hi", "https://app.example/\r\nSet-Cookie:x", "https://app.example/" + strings.Repeat("a", 3000), ""} {
			body := strings.Replace(ok, `"https://app.example/ok"`, fmt.Sprintf("%q", bad), 1)
			wantError(t, connect(body), http.StatusBadRequest, "bad_request")
		}
		wantError(t, connect(`{"redirectURL":"https://a.example"}`), http.StatusBadRequest, "bad_request")
		wantError(t, connect(`{"redirectURL":1}`), http.StatusBadRequest, "bad_request")
		other, _ := s.newClient("other")
		res := s.do("POST", "/api/v1/users/"+user+"/banking/connect", ok, "Authorization", other)
		wantError(t, res, http.StatusNotFound, "not_found")
	})

	newSession := func() string {
		res := connect(ok)
		wantStatus(t, res, http.StatusOK)
		return res.Field(t, "redirectURL")
	}

	t.Run("single use", func(t *testing.T) {
		link := newSession()
		first := newUIClient(t, s.base)
		if p := first.get(link); p.status != http.StatusOK || !strings.Contains(p.body, `id="q"`) {
			t.Fatalf("first visit: %d %.200s", p.status, p.body)
		}
		second := newUIClient(t, s.base)
		if p := second.get(link); p.status != http.StatusForbidden {
			t.Fatalf("second browser: %d, want 403", p.status)
		}
		sid := sidRE.FindStringSubmatch(link)[1]
		if p := second.get("/connect/s/" + sid); p.status != http.StatusForbidden {
			t.Fatalf("second browser on the session page: %d, want 403", p.status)
		}
		if p := second.get("/connect/auth?sessionId=ffffffffffffffffffffffff"); p.status != http.StatusNotFound {
			t.Fatalf("unknown session: %d, want 404", p.status)
		}
		if p := second.get("/connect/auth?sessionId=../../etc"); p.status != http.StatusNotFound {
			t.Fatalf("malformed session: %d, want 404", p.status)
		}
	})

	t.Run("forms", func(t *testing.T) {
		link := newSession()
		c := newUIClient(t, s.base)
		p := c.get(link)
		sid := sidRE.FindStringSubmatch(link)[1]
		csrf := p.csrf(t)
		base := "/connect/s/" + sid
		for name, tc := range map[string]struct {
			form   url.Values
			status int
		}{
			"missing CSRF":    {url.Values{"bank": {"10020000"}, "loginName": {"dummy"}, "pin": {"654321"}}, http.StatusForbidden},
			"wrong CSRF":      {url.Values{"csrf": {strings.Repeat("0", 64)}, "bank": {"10020000"}, "loginName": {"dummy"}, "pin": {"654321"}}, http.StatusForbidden},
			"unknown bank":    {url.Values{"csrf": {csrf}, "bank": {"99999999"}, "loginName": {"dummy"}, "pin": {"654321"}}, http.StatusNotFound},
			"missing PIN":     {url.Values{"csrf": {csrf}, "bank": {"10020000"}, "loginName": {"dummy"}}, http.StatusBadRequest},
			"oversized field": {url.Values{"csrf": {csrf}, "bank": {"10020000"}, "loginName": {strings.Repeat("x", 5000)}, "pin": {"654321"}}, http.StatusBadRequest},
			"oversized form":  {url.Values{"csrf": {csrf}, "junk": {strings.Repeat("x", 20000)}}, http.StatusBadRequest},
		} {
			if p := c.post(base+"/login", tc.form); p.status != tc.status {
				t.Errorf("%s: %d, want %d: %.200s", name, p.status, tc.status, p.body)
			}
		}
		// Steps that do not fit the session's state are refused.
		if p := c.post(base+"/tan", url.Values{"csrf": {csrf}, "tan": {"123456"}}); p.status != http.StatusConflict {
			t.Errorf("TAN before login: %d, want 409", p.status)
		}
		if p := c.post(base+"/finish", url.Values{"csrf": {csrf}}); p.status != http.StatusConflict {
			t.Errorf("finish while running: %d, want 409", p.status)
		}
		// A tampered TAN method is refused, the session goes on.
		p = c.post(base+"/login", url.Values{"csrf": {csrf}, "bank": {"10020000"}, "loginName": {"twotan"}, "pin": {"654321"}})
		if p.status != http.StatusOK || !strings.Contains(p.body, `name="method"`) {
			t.Fatalf("twotan login: %d %.300s", p.status, p.body)
		}
		if p := c.post(base+"/tan-method", url.Values{"csrf": {csrf}, "method": {"666"}}); p.status != http.StatusBadRequest {
			t.Errorf("tampered method: %d, want 400", p.status)
		}
		if p := c.post(base+"/tan-method", url.Values{"csrf": {csrf}, "method": {"921"}}); p.status != http.StatusOK || !tanRE.MatchString(p.body) {
			t.Errorf("real method after a tampered one: %d", p.status)
		}
		// Security headers.
		h := c.get(base).header
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe") {
			t.Errorf("Content-Security-Policy = %q", csp)
		}
	})

	t.Run("expired", func(t *testing.T) {
		s := startServer(t, sqliteURL(t), func(c *Config) { c.ConnectSessionTTL = 50 * time.Millisecond })
		token := s.demoToken()
		user := s.createUser(token, "person")
		res := s.do("POST", "/api/v1/users/"+user+"/banking/connect", ok, "Authorization", token)
		wantStatus(t, res, http.StatusOK)
		time.Sleep(100 * time.Millisecond)
		if p := newUIClient(t, s.base).get(res.Field(t, "redirectURL")); p.status != http.StatusForbidden {
			t.Fatalf("expired link: %d, want 403", p.status)
		}
	})
}

// TestConnectNoPINInClear runs connections with and without recurring and
// then looks for the PIN in the log, every response and the database files.
func TestConnectNoPINInClear(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "kontor.db")
	s := startServer(t, "sqlite:"+dbPath)
	token := s.demoToken()
	const pin = "654321"
	var responses bytes.Buffer
	for _, recurring := range []bool{true, false} {
		user := s.createUser(token, "person")
		body := fmt.Sprintf(`{"redirectURL":"https://app.example/ok","errorURL":"https://app.example/err","exitURL":"https://app.example/exit","recurring":%v}`, recurring)
		res := s.do("POST", "/api/v1/users/"+user+"/banking/connect", body, "Authorization", token)
		wantStatus(t, res, http.StatusOK)
		c := newUIClient(t, s.base)
		p := c.get(res.Field(t, "redirectURL"))
		sid := sidRE.FindStringSubmatch(res.Field(t, "redirectURL"))[1]
		p = c.post("/connect/s/"+sid+"/login", url.Values{"csrf": {p.csrf(t)}, "bank": {"10020000"}, "loginName": {"dummy"}, "pin": {pin}})
		responses.WriteString(p.body)
		m := tanRE.FindStringSubmatch(p.body)
		if m == nil {
			t.Fatalf("no TAN page: %d %.300s", p.status, p.body)
		}
		p = c.post("/connect/s/"+sid+"/tan", url.Values{"csrf": {p.csrf(t)}, "tan": {m[1]}})
		if p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "https://app.example/ok?") {
			t.Fatalf("after the TAN: %d %q", p.status, p.location)
		}
		responses.WriteString(p.body + p.location)
		logins := s.do("GET", "/api/v1/users/"+user+"/banking/logins", nil, "Authorization", token)
		responses.Write(logins.Body)

		var creds []byte
		loginID, _ := url.Parse(p.location)
		err := s.Store().QueryRowForTest(context.Background(),
			`SELECT COALESCE(credentials, x'') FROM logins WHERE id = '`+loginID.Query().Get("loginId")+`'`, &creds)
		if err != nil {
			t.Fatal(err)
		}
		if recurring != (len(creds) > 0) {
			t.Fatalf("recurring=%v but %d bytes of credentials are kept", recurring, len(creds))
		}
		var left int
		if err := s.Store().QueryRowForTest(context.Background(),
			`SELECT COUNT(*) FROM connect_sessions WHERE credentials IS NOT NULL OR dialog IS NOT NULL`, &left); err != nil || left != 0 {
			t.Fatalf("%d finished sessions still hold credentials or dialog state (%v)", left, err)
		}
	}
	if strings.Contains(responses.String(), pin) {
		t.Error("a response holds the PIN")
	}
	if strings.Contains(s.logs.String(), pin) {
		t.Error("the log holds the PIN")
	}
	for _, suffix := range []string{"", "-wal"} {
		raw, err := os.ReadFile(dbPath + suffix)
		if err != nil {
			continue
		}
		for _, needle := range []string{`"PIN":"` + pin, `"pin":"` + pin, "dummy\x00" + pin} {
			if bytes.Contains(raw, []byte(needle)) {
				t.Errorf("database file %s holds the PIN in clear text", filepath.Base(dbPath+suffix))
			}
		}
	}
}
