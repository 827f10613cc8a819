// Package finoos serves the finoOS v1 API dialect at /api/v1: the
// authentication, users and banking logins endpoints of the finoOS API, with
// its conventions (API-Version and X-Request-ID headers, User-IP, error
// bodies {"type","message"}), over Kontor's core services.
package finoos

import (
	_ "embed"
	"log/slog"
	"net/http"
	"time"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/core"
	"github.com/kontor-dev/kontor/internal/httpx"
)

// Prefix is where the dialect is mounted.
const Prefix = "/api/v1"

//go:embed openapi.yaml
var openAPI []byte

// OpenAPI returns the dialect's OpenAPI 3 document.
func OpenAPI() []byte { return openAPI }

// Config holds the dialect's limits.
type Config struct {
	// MaxBodyBytes bounds request bodies, MaxUploadBytes those of Set
	// Logins.
	MaxBodyBytes, MaxUploadBytes int64
	// AuthRateLimit and AuthRateBurst bound authentication attempts per
	// remote address.
	AuthRateLimit float64
	AuthRateBurst int
}

// DefaultConfig returns the default limits.
func DefaultConfig() Config {
	return Config{
		MaxBodyBytes:   64 << 10,
		MaxUploadBytes: 256 << 20,
		AuthRateLimit:  20,
		AuthRateBurst:  50,
	}
}

// Handler serves the dialect.
type Handler struct {
	svc     *core.Service
	cfg     Config
	log     *slog.Logger
	limiter *httpx.Limiter
	mux     *http.ServeMux
	now     func() time.Time
}

// Route is one operation of the dialect.
type Route struct {
	Method, Path string
	// Auth tells whether the route needs an access token.
	Auth bool
	// Upload tells whether the route takes a bulk upload body.
	Upload bool
	handle func(h *Handler, w http.ResponseWriter, r *http.Request, c *kontor.Client) error
}

// Routes returns every route the dialect serves, with paths relative to
// Prefix.
func Routes() []Route {
	return []Route{
		{Method: "POST", Path: "/auth", handle: (*Handler).authenticate},
		{Method: "POST", Path: "/auth/refresh", handle: (*Handler).refresh},
		{Method: "GET", Path: "/openapi.yaml", handle: (*Handler).openAPI},
		{Method: "POST", Path: "/users", Auth: true, handle: (*Handler).createUser},
		{Method: "GET", Path: "/users", Auth: true, handle: (*Handler).listUsers},
		{Method: "GET", Path: "/users/{id}", Auth: true, handle: (*Handler).getUser},
		{Method: "DELETE", Path: "/users/{id}", Auth: true, handle: (*Handler).deleteUser},
		{Method: "POST", Path: "/users/{id}/banking/logins", Auth: true, Upload: true, handle: (*Handler).setLogins},
		{Method: "GET", Path: "/users/{id}/banking/logins", Auth: true, handle: (*Handler).getLogins},
		{Method: "DELETE", Path: "/users/{id}/banking/logins/{loginId}", Auth: true, handle: (*Handler).deleteLogin},
		{Method: "POST", Path: "/users/{id}/banking/connect", Auth: true, handle: (*Handler).connect},
		{Method: "POST", Path: "/users/{id}/banking/logins/{loginId}/refresh", Auth: true, handle: (*Handler).refreshLogin},
		{Method: "GET", Path: "/banks", Auth: true, handle: (*Handler).searchBanks},
		{Method: "GET", Path: "/users/{id}/analysis", Auth: true, handle: (*Handler).getAnalysis},
		{Method: "GET", Path: "/users/{id}/analysis/{report}", Auth: true, handle: (*Handler).getReport},
		{Method: "GET", Path: "/analysis/rules", Auth: true, handle: (*Handler).getRules},
		{Method: "PUT", Path: "/analysis/rules", Auth: true, handle: (*Handler).putRules},
	}
}

// New returns the dialect's handler for paths under Prefix.
func New(svc *core.Service, cfg Config, log *slog.Logger) *Handler {
	h := &Handler{svc: svc, cfg: cfg, log: log, limiter: httpx.NewLimiter(), mux: http.NewServeMux(), now: time.Now}
	for _, rt := range Routes() {
		h.mux.Handle(rt.Method+" "+Prefix+rt.Path, h.wrap(rt))
	}
	h.mux.HandleFunc(Prefix+"/", h.noRoute)
	return h
}

// ServeHTTP serves a request under Prefix.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mux.ServeHTTP(w, r)
}

// noRoute answers paths and methods the dialect does not serve, in the
// dialect's error shape.
func (h *Handler) noRoute(w http.ResponseWriter, r *http.Request) {
	w.Header().Set(versionHeader, kontor.DefaultAPIVersion)
	var allow []string
	for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := h.mux.Handler(probe); pattern != "" && pattern != Prefix+"/" {
			allow = append(allow, m)
		}
	}
	if len(allow) > 0 {
		for _, m := range allow {
			w.Header().Add("Allow", m)
		}
		writeError(w, r, h.log, &kontor.Error{Code: errMethod, Message: "Method not allowed. Use " + joinOr(allow)})
		return
	}
	writeError(w, r, h.log, kontor.Errorf(kontor.ENOTFOUND, "Not found. No such resource"))
}

func joinOr(s []string) string {
	out := ""
	for i, v := range s {
		switch {
		case i == 0:
		case i == len(s)-1:
			out += " or "
		default:
			out += ", "
		}
		out += v
	}
	return out
}
