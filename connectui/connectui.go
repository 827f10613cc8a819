// Package connectui serves the hosted Banking UI under /connect: the pages
// a user sees after an app created a connect session — bank search, the
// bank's login form, the TAN method choice, the TAN, the wait for an
// approval in a banking app — and the redirect back to the app.
//
// The pages are server-rendered from embedded templates and work without
// JavaScript. Every form carries a CSRF token bound to the browser's
// session cookie; responses carry a strict Content-Security-Policy and
// load nothing from third parties.
package connectui

import (
	"crypto/hmac"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/bank"
	"github.com/kontor-dev/kontor/core"
	"github.com/kontor-dev/kontor/internal/httpx"
)

//go:embed templates static
var assets embed.FS

// Prefix is where the Banking UI is mounted.
const Prefix = "/connect"

// maxFormBytes bounds a form submission.
const maxFormBytes = 16 << 10

// maxFieldLength bounds every form field.
const maxFieldLength = 100

// Suggested are the bank codes listed before the user searches.
var Suggested = []string{"10020000"}

// Handler serves the Banking UI.
type Handler struct {
	svc    *core.Service
	log    *slog.Logger
	pages  map[string]*template.Template
	mux    *http.ServeMux
	secure bool // cookies only over https
}

// New returns the Banking UI. secure marks its cookies Secure, for a
// public URL on https.
func New(svc *core.Service, log *slog.Logger, secure bool) (*Handler, error) {
	h := &Handler{svc: svc, log: log, pages: map[string]*template.Template{}, mux: http.NewServeMux(), secure: secure}
	for _, page := range []string{"search", "login", "method", "tan", "wait", "done", "error"} {
		t, err := template.ParseFS(assets, "templates/layout.html", "templates/"+page+".html")
		if err != nil {
			return nil, fmt.Errorf("parsing Banking UI template %s: %w", page, err)
		}
		h.pages[page] = t
	}
	static, err := fs.Sub(assets, "static")
	if err != nil {
		return nil, err
	}
	fileServer := http.StripPrefix(Prefix+"/static/", http.FileServerFS(static))
	h.mux.Handle("GET "+Prefix+"/static/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		fileServer.ServeHTTP(w, r)
	}))
	h.mux.HandleFunc("GET "+Prefix+"/auth", h.auth)
	h.mux.HandleFunc("GET "+Prefix+"/s/{sid}", h.page(h.show))
	h.mux.HandleFunc("GET "+Prefix+"/s/{sid}/bank/{code}", h.page(h.loginForm))
	h.mux.HandleFunc("POST "+Prefix+"/s/{sid}/login", h.form(h.login))
	h.mux.HandleFunc("POST "+Prefix+"/s/{sid}/tan-method", h.form(h.chooseMethod))
	h.mux.HandleFunc("POST "+Prefix+"/s/{sid}/tan", h.form(h.tan))
	h.mux.HandleFunc("POST "+Prefix+"/s/{sid}/poll", h.form(h.poll))
	h.mux.HandleFunc("POST "+Prefix+"/s/{sid}/cancel", h.form(h.cancel))
	h.mux.HandleFunc("POST "+Prefix+"/s/{sid}/finish", h.form(h.finish))
	h.mux.HandleFunc(Prefix+"/", func(w http.ResponseWriter, r *http.Request) {
		h.render(w, r, http.StatusNotFound, "error", view{Message: "error.invalid"}, nil)
	})
	return h, nil
}

// ServeHTTP serves a request under Prefix.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("X-Frame-Options", "DENY")
	h.mux.ServeHTTP(w, r)
}

// view is what a page template gets.
type view struct {
	Lang, SessionID, CSRF, Query string
	State, Error, Message        string
	Problem                      string
	AttemptsLeft                 int
	Banks                        []bank.Bank
	Bank                         bank.Bank
	Fields                       []bank.Field
	Step                         *core.ConnectStep
	ImageURL                     template.URL
	Refresh                      int
	Cancellable                  bool
}

// T returns the text for key in the page's language.
func (v view) T(key string, args ...any) string { return translator(v.Lang)(key, args...) }

// cookieName is the browser key cookie of a session.
func cookieName(sid string) string { return "kontor_connect_" + sid }

// csrfToken binds forms to the browser key: only a page served to the
// browser that holds the key can carry the right token.
func csrfToken(browserKey, sid string) string {
	mac := hmac.New(sha256.New, []byte(browserKey))
	mac.Write([]byte("csrf\x00" + sid))
	return hex.EncodeToString(mac.Sum(nil))
}

// auth is where the app sends the user: it binds the session to this
// browser and shows the first page.
func (h *Handler) auth(w http.ResponseWriter, r *http.Request) {
	sid := r.URL.Query().Get("sessionId")
	if !validID(sid) {
		h.render(w, r, http.StatusNotFound, "error", view{Message: "error.invalid"}, nil)
		return
	}
	key := ""
	if c, err := r.Cookie(cookieName(sid)); err == nil {
		key = c.Value
	}
	conn, newKey, err := h.svc.OpenConnect(r.Context(), sid, key)
	if err != nil && conn == nil {
		h.fail(w, r, err, nil)
		return
	}
	if newKey != "" {
		http.SetCookie(w, &http.Cookie{
			Name: cookieName(sid), Value: newKey, Path: Prefix, HttpOnly: true, Secure: h.secure,
			SameSite: http.SameSiteLaxMode, Expires: conn.Session.ExpiresAt.Add(time.Hour),
		})
		// The cookie's path is the session's pages: continue there.
		http.Redirect(w, r, Prefix+"/s/"+sid, http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, Prefix+"/s/"+sid, http.StatusSeeOther)
}

func validID(s string) bool {
	if len(s) != 24 {
		return false
	}
	for i := range len(s) {
		if !(s[i] >= '0' && s[i] <= '9' || s[i] >= 'a' && s[i] <= 'f') {
			return false
		}
	}
	return true
}

// session loads the request's session for the browser's key.
func (h *Handler) session(w http.ResponseWriter, r *http.Request) (*core.Connect, string, bool) {
	sid := r.PathValue("sid")
	if !validID(sid) {
		h.render(w, r, http.StatusNotFound, "error", view{Message: "error.invalid"}, nil)
		return nil, "", false
	}
	c, err := r.Cookie(cookieName(sid))
	if err != nil {
		h.render(w, r, http.StatusForbidden, "error", view{Message: "error.used"}, nil)
		return nil, "", false
	}
	conn, _, err := h.svc.OpenConnect(r.Context(), sid, c.Value)
	if err != nil && conn == nil {
		h.fail(w, r, err, nil)
		return nil, "", false
	}
	return conn, c.Value, true
}

// page wraps a GET handler with the session.
func (h *Handler) page(fn func(http.ResponseWriter, *http.Request, *core.Connect, string)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		conn, key, ok := h.session(w, r)
		if ok {
			fn(w, r, conn, key)
		}
	}
}

// form wraps a POST handler with the session, a size limit and the CSRF
// check.
func (h *Handler) form(fn func(http.ResponseWriter, *http.Request, *core.Connect, string) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
		if err := r.ParseForm(); err != nil {
			h.render(w, r, http.StatusBadRequest, "error", view{Message: "error.request"}, nil)
			return
		}
		for _, vs := range r.PostForm {
			for _, v := range vs {
				if len(v) > 4*maxFieldLength {
					h.render(w, r, http.StatusBadRequest, "error", view{Message: "error.request"}, nil)
					return
				}
			}
		}
		conn, key, ok := h.session(w, r)
		if !ok {
			return
		}
		if !hmac.Equal([]byte(r.PostFormValue("csrf")), []byte(csrfToken(key, conn.Session.ID))) {
			h.render(w, r, http.StatusForbidden, "error", view{Message: "error.request"}, conn)
			return
		}
		if err := fn(w, r, conn, key); err != nil {
			h.fail(w, r, err, conn)
		}
	}
}

// show renders the page for the session's state. While an approval in the
// banking app is pending, each visit (the page reloads itself) asks the
// bank once more and moves on when it is given.
func (h *Handler) show(w http.ResponseWriter, r *http.Request, c *core.Connect, key string) {
	if c.Session.State == kontor.ConnectDecoupled && r.Method == http.MethodGet {
		if err := h.svc.PollApproval(r.Context(), c); err != nil {
			h.fail(w, r, err, c)
			return
		}
		if c.Session.State != kontor.ConnectDecoupled {
			h.next(w, r, c)
			return
		}
	}
	v := h.view(r, c, key)
	switch c.Session.State {
	case kontor.ConnectOpened:
		v.Query = strings.TrimSpace(r.URL.Query().Get("q"))
		if len(v.Query) > maxFieldLength {
			v.Query = v.Query[:maxFieldLength]
		}
		if v.Query != "" {
			v.Banks = h.svc.Banks().Search(v.Query, 25)
		} else {
			for _, code := range Suggested {
				if b, ok := h.svc.Banks().Lookup(code); ok {
					v.Banks = append(v.Banks, b)
				}
			}
		}
		h.render(w, r, http.StatusOK, "search", v, c)
	case kontor.ConnectChooseTAN:
		h.render(w, r, http.StatusOK, "method", v, c)
	case kontor.ConnectTAN:
		h.render(w, r, http.StatusOK, "tan", v, c)
	case kontor.ConnectDecoupled:
		v.Refresh = 2
		if c.Step != nil && c.Step.Challenge != nil && c.Step.Challenge.PollAfter > 0 {
			v.Refresh = max(1, int(c.Step.Challenge.PollAfter.Round(time.Second)/time.Second))
		}
		h.render(w, r, http.StatusOK, "wait", v, c)
	default:
		v.Cancellable = false
		h.render(w, r, http.StatusOK, "done", v, c)
	}
}

func (h *Handler) view(r *http.Request, c *core.Connect, key string) view {
	v := view{
		SessionID: c.Session.ID, CSRF: csrfToken(key, c.Session.ID), State: string(c.Session.State),
		Error: c.Session.Error, Step: c.Step, Problem: c.Problem, AttemptsLeft: c.AttemptsLeft,
		Cancellable: !c.Session.State.Final(),
	}
	if c.Step != nil && c.Step.Challenge != nil && c.Step.Challenge.Image != nil {
		img := c.Step.Challenge.Image
		if img.MIMEType == "image/png" || img.MIMEType == "image/jpeg" || img.MIMEType == "image/gif" {
			v.ImageURL = template.URL("data:" + img.MIMEType + ";base64," + base64.StdEncoding.EncodeToString(img.Data))
		}
	}
	return v
}

func (h *Handler) loginForm(w http.ResponseWriter, r *http.Request, c *core.Connect, key string) {
	if c.Session.State != kontor.ConnectOpened {
		http.Redirect(w, r, Prefix+"/s/"+c.Session.ID, http.StatusSeeOther)
		return
	}
	b, err := h.svc.ChooseBank(r.Context(), c, r.PathValue("code"))
	if err != nil {
		h.fail(w, r, err, c)
		return
	}
	h.renderLogin(w, r, c, key, b, http.StatusOK)
}

func (h *Handler) renderLogin(w http.ResponseWriter, r *http.Request, c *core.Connect, key string, b bank.Bank, status int) {
	fields, err := h.svc.LoginFields(b)
	if err != nil {
		h.fail(w, r, err, c)
		return
	}
	v := h.view(r, c, key)
	v.Bank, v.Fields = b, fields
	h.render(w, r, status, "login", v, c)
}

func (h *Handler) login(w http.ResponseWriter, r *http.Request, c *core.Connect, key string) error {
	code := r.PostFormValue("bank")
	b, err := h.svc.ChooseBank(r.Context(), c, code)
	if err != nil {
		return err
	}
	fields, err := h.svc.LoginFields(b)
	if err != nil {
		return err
	}
	var creds bank.Credentials
	for _, f := range fields {
		v := r.PostFormValue(f.Name)
		if (v == "" && !f.Optional) || len(v) > maxFieldLength {
			return kontor.Errorf(kontor.EINVALID, "missing or oversized field %s", f.Name)
		}
		switch f.Name {
		case "loginName":
			creds.LoginName = strings.TrimSpace(v)
		case "customerId":
			creds.CustomerID = strings.TrimSpace(v)
		case "pin":
			creds.PIN = bank.Secret(v)
		}
	}
	if err := h.svc.SubmitLogin(r.Context(), c, b.Code, creds); err != nil {
		return err
	}
	if c.Problem != "" {
		h.renderLogin(w, r, c, key, b, http.StatusOK)
		return nil
	}
	return h.next(w, r, c)
}

func (h *Handler) chooseMethod(w http.ResponseWriter, r *http.Request, c *core.Connect, key string) error {
	if err := h.svc.ChooseTANMethod(r.Context(), c, r.PostFormValue("method")); err != nil {
		return err
	}
	return h.next(w, r, c)
}

func (h *Handler) tan(w http.ResponseWriter, r *http.Request, c *core.Connect, key string) error {
	tan := strings.TrimSpace(r.PostFormValue("tan"))
	if tan == "" || len(tan) > 64 {
		return kontor.Errorf(kontor.EINVALID, "missing or oversized TAN")
	}
	if err := h.svc.SubmitTAN(r.Context(), c, bank.Secret(tan)); err != nil {
		return err
	}
	if c.Problem != "" {
		h.show(w, r, c, key)
		return nil
	}
	return h.next(w, r, c)
}

func (h *Handler) poll(w http.ResponseWriter, r *http.Request, c *core.Connect, key string) error {
	if err := h.svc.PollApproval(r.Context(), c); err != nil {
		return err
	}
	return h.next(w, r, c)
}

func (h *Handler) cancel(w http.ResponseWriter, r *http.Request, c *core.Connect, key string) error {
	if err := h.svc.CancelConnect(r.Context(), c); err != nil {
		return err
	}
	return h.next(w, r, c)
}

func (h *Handler) finish(w http.ResponseWriter, r *http.Request, c *core.Connect, key string) error {
	if !c.Session.State.Final() {
		return kontor.Errorf(kontor.ECONFLICT, "the connection is still running")
	}
	h.redirectOut(w, r, c)
	return nil
}

// next sends the browser on after an action: back to the app when the
// session succeeded or was cancelled, else to the session's page (a
// failure shows its reason there first).
func (h *Handler) next(w http.ResponseWriter, r *http.Request, c *core.Connect) error {
	switch c.Session.State {
	case kontor.ConnectSucceeded, kontor.ConnectCancelled:
		h.redirectOut(w, r, c)
	default:
		http.Redirect(w, r, Prefix+"/s/"+c.Session.ID, http.StatusSeeOther)
	}
	return nil
}

func (h *Handler) redirectOut(w http.ResponseWriter, r *http.Request, c *core.Connect) {
	h.log.Info("connect session ended", "session", c.Session.ID, "state", c.Session.State, "error", c.Session.Error,
		"request_id", httpx.RequestIDFrom(r.Context()))
	h.securityHeaders(w, c)
	http.Redirect(w, r, h.svc.FinishURL(c.Session), http.StatusSeeOther)
}

// fail renders an error page for err, unless nobody is left to see it.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error, c *core.Connect) {
	if httpx.Undeliverable(h.log, r, err) {
		return
	}
	status, msg := http.StatusInternalServerError, "error.internal"
	switch kontor.ErrorCode(err) {
	case kontor.ENOTFOUND:
		status, msg = http.StatusNotFound, "error.invalid"
	case kontor.EFORBIDDEN:
		status, msg = http.StatusForbidden, "error.used"
	case kontor.EINVALID, kontor.ETOOLARGE:
		status, msg = http.StatusBadRequest, "error.request"
	case kontor.ECONFLICT:
		status, msg = http.StatusConflict, "error.ended"
	default:
		h.log.Error("Banking UI request failed", "error", err, "request_id", httpx.RequestIDFrom(r.Context()))
	}
	var maxErr *http.MaxBytesError
	if errors.As(err, &maxErr) {
		status, msg = http.StatusBadRequest, "error.request"
	}
	h.render(w, r, status, "error", view{Message: msg}, c)
}

// securityHeaders sets the Content-Security-Policy. Forms may only post to
// Kontor itself and, since a post ends in a redirect to the app, to the
// app's origins.
func (h *Handler) securityHeaders(w http.ResponseWriter, c *core.Connect) {
	formAction := "'self'"
	if c != nil {
		seen := map[string]bool{}
		for _, raw := range []string{c.Session.RedirectURL, c.Session.ErrorURL, c.Session.ExitURL} {
			if u, err := url.Parse(raw); err == nil && !seen[u.Host] {
				seen[u.Host] = true
				formAction += " " + u.Scheme + "://" + u.Host
			}
		}
	}
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action "+
		formAction+"; frame-ancestors 'none'; base-uri 'none'")
	w.Header().Set("Cache-Control", "no-store")
}

func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, page string, v view, c *core.Connect) {
	v.Lang = lang(r)
	h.securityHeaders(w, c)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if err := h.pages[page].Execute(w, v); err != nil {
		h.log.Error("rendering Banking UI page", "page", page, "error", err)
	}
}
