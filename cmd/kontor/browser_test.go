package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromium returns the path of a Chromium binary, or skips the test.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("Chromium is not installed (Debian: apt-get install chromium); browser tests skipped")
	return ""
}

// browser starts a headless Chromium for one test.
func browser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "de-DE"),
		chromedp.WindowSize(390, 844), // a phone
	)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	ctx, cancel3 := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancel3)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	return ctx
}

// app is the API client's web app: it records where the Banking UI sends
// the user.
type app struct {
	*httptest.Server
}

func newApp(t *testing.T) *app {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><title>App</title><p id="landed">%s</p>`, r.URL.Path)
	}))
	t.Cleanup(srv.Close)
	return &app{srv}
}

// artifacts returns the directory for screenshots of a test.
func artifacts(t *testing.T) string {
	dir := os.Getenv("KONTOR_TEST_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join("..", "..", ".artifacts")
	}
	dir = filepath.Join(dir, strings.ReplaceAll(t.Name(), "/", "_"))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// step runs browser actions and fails the test on error.
func step(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("browser: %v", err)
	}
}

// follow runs actions of which the last submits a form or follows a link,
// and waits until the page they navigate to has loaded. A WaitVisible
// begun while the old page is still shown can miss the new one and wait
// for ever, so every navigation is waited for here, before its page is
// queried.
func follow(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	res, err := chromedp.RunResponse(ctx, actions...)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	if res != nil && res.Status >= 400 {
		t.Fatalf("browser: %s answered %d", res.URL, res.Status)
	}
}

// shot saves a screenshot of the page as step name.
func shot(t *testing.T, ctx context.Context, dir, name string) {
	t.Helper()
	// A screenshot is an artifact, not an assertion: a page that is still
	// being laid out gets a few more tries, then the step goes unrecorded.
	var (
		png []byte
		err error
	)
	for try := range 5 {
		if png, err = chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
			break
		}
		time.Sleep(time.Duration(try+1) * 100 * time.Millisecond)
	}
	if err != nil {
		t.Logf("screenshot %s not taken: %v", name, err)
		return
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

func text(t *testing.T, ctx context.Context, id string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID(id)))
	if err != nil {
		t.Fatalf("reading #%s: %v", id, err)
	}
	return s
}

// connectSession creates a user and a connect session for it.
func connectSession(t *testing.T, s *testServer, a *app, recurring bool) (token, user, uiURL string) {
	token = s.demoToken()
	user = s.createUser(token, "person")
	body := fmt.Sprintf(`{"redirectURL":%q,"errorURL":%q,"exitURL":%q,"recurring":%v}`, a.URL+"/ok", a.URL+"/err", a.URL+"/exit", recurring)
	res := s.do("POST", "/api/v1/users/"+user+"/banking/connect", body, "Authorization", token, "User-IP", "203.0.113.9")
	wantStatus(t, res, http.StatusOK)
	uiURL = res.Field(t, "redirectURL")
	if !strings.HasPrefix(uiURL, s.base+"/connect/auth?sessionId=") {
		t.Fatalf("redirectURL = %q", uiURL)
	}
	return token, user, uiURL
}

// waitText waits until the element's text holds want.
func waitText(t *testing.T, ctx context.Context, id, want string) {
	t.Helper()
	for ctx.Err() == nil {
		if s, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID(id))); err == nil && strings.Contains(s, want) {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("#%s never showed %q", id, want)
}

// landed waits for the app's page and returns where the browser is. The
// pages before it may move on by themselves (a refreshing wait page), so
// the wait is retried on whatever page is shown, each try bounded.
func landed(t *testing.T, ctx context.Context) *url.URL {
	t.Helper()
	for {
		tctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		err := chromedp.Do(tctx, chromedp.WaitVisible(chromedp.ID("landed")))
		cancel()
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("browser: never reached the app: %v", err)
		}
	}
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// login searches the sandbox bank and logs in.
func login(t *testing.T, ctx context.Context, dir, ui, loginName, pin string) {
	t.Helper()
	step(t, ctx, chromedp.Navigate(ui), chromedp.WaitVisible(chromedp.ID("q")))
	shot(t, ctx, dir, "1-search")
	follow(t, ctx, chromedp.SendKeys(chromedp.ID("q"), "fino"), chromedp.Click(chromedp.ID("search")))
	step(t, ctx, chromedp.WaitVisible(chromedp.CSS(`a[data-code="10020000"]`)))
	shot(t, ctx, dir, "2-results")
	follow(t, ctx, chromedp.Click(chromedp.CSS(`a[data-code="10020000"]`)))
	step(t, ctx, chromedp.WaitVisible(chromedp.ID("f-loginName")),
		chromedp.SendKeys(chromedp.ID("f-loginName"), loginName), chromedp.SendKeys(chromedp.ID("f-pin"), pin))
	shot(t, ctx, dir, "3-login")
	follow(t, ctx, chromedp.Click(chromedp.ID("login")))
}

// enterShownTAN types the TAN the sandbox shows.
func enterShownTAN(t *testing.T, ctx context.Context, dir string) {
	t.Helper()
	step(t, ctx, chromedp.WaitVisible(chromedp.ID("shown-tan")))
	tan := text(t, ctx, "shown-tan")
	if len(tan) != 6 {
		t.Fatalf("shown TAN %q is not six digits", tan)
	}
	shot(t, ctx, dir, "5-tan")
	follow(t, ctx, chromedp.SendKeys(chromedp.ID("tan"), tan), chromedp.Click(chromedp.ID("submit-tan")))
}

// checkConnected checks that the user's logins hold the sandbox data.
func checkConnected(t *testing.T, s *testServer, token, user, loginID string) {
	t.Helper()
	res := s.do("GET", "/api/v1/users/"+user+"/banking/logins", nil, "Authorization", token)
	wantStatus(t, res, http.StatusOK)
	var got struct {
		Logins []struct {
			ID       string
			Bank     struct{ BankCode, Name string }
			Accounts []struct {
				Type           string
				Transactions   []struct{ Booked bool }
				StandingOrders []any
				Securities     []any
			}
		}
	}
	if err := json.Unmarshal(res.Body, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Logins) != 1 || got.Logins[0].ID != loginID || got.Logins[0].Bank.BankCode != "10020000" {
		t.Fatalf("logins after connect: %.300s", res.Body)
	}
	types := map[string]int{}
	for _, a := range got.Logins[0].Accounts {
		types[a.Type] += len(a.Transactions) + len(a.Securities)
	}
	if types["GIRO"] < 100 || types["DEPOT"] == 0 {
		t.Fatalf("connected accounts hold too little: %v", types)
	}
}

// overFinTS returns a check that the sandbox bank was reached over FinTS
// (its FinTS server got requests) since overFinTS was called.
func overFinTS(t *testing.T, s *testServer) func() {
	count := func() int { return strings.Count(s.logs.String(), "path="+SandboxFinTSPath+" ") }
	before := count()
	return func() {
		t.Helper()
		if count() == before {
			t.Error("the sandbox bank's FinTS server got no request: the connect did not go over FinTS")
		}
	}
}

// The subtests reach the sandbox bank over FinTS: Kontor's FinTS client
// talks to the sandbox's FinTS server at /fints/sandbox.
func TestBankingUI(t *testing.T) {
	chromium(t)
	s := startServer(t, sqliteURL(t))
	a := newApp(t)

	t.Run("dummy", func(t *testing.T) {
		ctx, dir := browser(t), artifacts(t)
		token, user, ui := connectSession(t, s, a, false)
		defer overFinTS(t, s)()
		login(t, ctx, dir, ui, "dummy", "654321")
		enterShownTAN(t, ctx, dir)
		u := landed(t, ctx)
		shot(t, ctx, dir, "6-app")
		q := u.Query()
		if u.Path != "/ok" || q.Get("status") != "success" || q.Get("loginId") == "" || !strings.Contains(ui, q.Get("sessionId")) {
			t.Fatalf("landed at %s", u)
		}
		checkConnected(t, s, token, user, q.Get("loginId"))
	})

	t.Run("wrong PIN", func(t *testing.T) {
		ctx, dir := browser(t), artifacts(t)
		_, _, ui := connectSession(t, s, a, false)
		defer overFinTS(t, s)()
		login(t, ctx, dir, ui, "wrongpin", "111111")
		step(t, ctx, chromedp.WaitVisible(chromedp.ID("problem")))
		shot(t, ctx, dir, "4-wrong-pin")
		if problem := text(t, ctx, "problem"); !strings.Contains(problem, "PIN") || !strings.Contains(problem, "2") {
			t.Fatalf("wrong PIN message = %q", problem)
		}
		// The second wrong PIN leaves one attempt; the third ends the
		// session.
		follow(t, ctx, chromedp.SendKeys(chromedp.ID("f-loginName"), "wrongpin"), chromedp.SendKeys(chromedp.ID("f-pin"), "222222"),
			chromedp.Click(chromedp.ID("login")))
		waitText(t, ctx, "problem", "1")
		follow(t, ctx, chromedp.SendKeys(chromedp.ID("f-loginName"), "wrongpin"), chromedp.SendKeys(chromedp.ID("f-pin"), "333333"),
			chromedp.Click(chromedp.ID("login")))
		step(t, ctx, chromedp.WaitVisible(chromedp.ID("failure")))
		shot(t, ctx, dir, "5-failed")
		follow(t, ctx, chromedp.Click(chromedp.ID("back")))
		u := landed(t, ctx)
		if u.Path != "/err" || u.Query().Get("status") != "error" || u.Query().Get("error") != "wrong_credentials" {
			t.Fatalf("landed at %s", u)
		}
	})

	t.Run("TAN choice", func(t *testing.T) {
		ctx, dir := browser(t), artifacts(t)
		token, user, ui := connectSession(t, s, a, true)
		defer overFinTS(t, s)()
		login(t, ctx, dir, ui, "twotan", "654321")
		step(t, ctx, chromedp.WaitVisible(chromedp.ID("m-921")))
		shot(t, ctx, dir, "4-methods")
		follow(t, ctx, chromedp.Click(chromedp.ID("m-921")), chromedp.Click(chromedp.ID("choose")))
		enterShownTAN(t, ctx, dir)
		u := landed(t, ctx)
		if u.Path != "/ok" || u.Query().Get("status") != "success" {
			t.Fatalf("landed at %s", u)
		}
		checkConnected(t, s, token, user, u.Query().Get("loginId"))
	})

	t.Run("decoupled", func(t *testing.T) {
		ctx, dir := browser(t), artifacts(t)
		token, user, ui := connectSession(t, s, a, false)
		defer overFinTS(t, s)()
		login(t, ctx, dir, ui, "decoupled", "654321")
		step(t, ctx, chromedp.WaitVisible(chromedp.ID("check")))
		shot(t, ctx, dir, "4-waiting")
		// No clicks: the page advances by itself.
		u := landed(t, ctx)
		if u.Path != "/ok" || u.Query().Get("status") != "success" {
			t.Fatalf("landed at %s", u)
		}
		checkConnected(t, s, token, user, u.Query().Get("loginId"))
	})

	t.Run("cancel", func(t *testing.T) {
		ctx, dir := browser(t), artifacts(t)
		token, user, ui := connectSession(t, s, a, false)
		step(t, ctx, chromedp.Navigate(ui), chromedp.WaitVisible(chromedp.ID("cancel")))
		shot(t, ctx, dir, "1-search")
		follow(t, ctx, chromedp.Click(chromedp.ID("cancel")))
		u := landed(t, ctx)
		if u.Path != "/exit" || u.Query().Get("status") != "cancelled" {
			t.Fatalf("landed at %s", u)
		}
		res := s.do("GET", "/api/v1/users/"+user+"/banking/logins", nil, "Authorization", token)
		if strings.TrimSpace(string(res.Body)) != `{"logins":[]}` {
			t.Fatalf("a cancelled session stored logins: %s", res.Body)
		}
	})

	t.Run("large history", func(t *testing.T) {
		ctx, dir := browser(t), artifacts(t)
		token, user, ui := connectSession(t, s, a, false)
		defer overFinTS(t, s)()
		login(t, ctx, dir, ui, "large", "654321")
		enterShownTAN(t, ctx, dir)
		u := landed(t, ctx)
		shot(t, ctx, dir, "6-app")
		if u.Path != "/ok" || u.Query().Get("status") != "success" {
			t.Fatalf("landed at %s", u)
		}
		checkConnected(t, s, token, user, u.Query().Get("loginId"))
		res := s.do("GET", "/api/v1/users/"+user+"/banking/logins", nil, "Authorization", token)
		wantStatus(t, res, http.StatusOK)
		var got struct {
			Logins []struct {
				Accounts []struct {
					Type         string
					Transactions []struct{ ID string }
				}
			}
		}
		if err := json.Unmarshal(res.Body, &got); err != nil {
			t.Fatal(err)
		}
		ids := map[string]bool{}
		for _, acc := range got.Logins[0].Accounts {
			if acc.Type != "GIRO" {
				continue
			}
			for _, tx := range acc.Transactions {
				ids[tx.ID] = true
			}
			if len(acc.Transactions) != 50000 || len(ids) != 50000 {
				t.Fatalf("the giro account holds %d transactions (%d distinct IDs), want all 50,000", len(acc.Transactions), len(ids))
			}
		}
		if len(ids) == 0 {
			t.Fatal("no giro account")
		}
	})
}
