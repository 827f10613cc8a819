// Package finapi serves the finAPI dialect under /finapi, so that an
// integration written for finAPI Access only changes its base URL: the
// OAuth 2.0 token and revoke endpoints (/oauth/* and /api/v2/oauth/*),
// users (/api/v2/users, with /api/v1/users as an alias) and the process
// controller (/api/v1/processes), with finAPI's conventions: form-encoded
// token requests, Bearer tokens with client and user roles, X-Request-Id,
// X-HTTP-Method-Override, and its three error shapes (ErrorMessage,
// BadCredentialsError and OAuth's error response). It is a thin adapter
// over core.FinAPI: a user made here is the same user in the finoOS
// dialect.
package finapi

import (
	"context"
	_ "embed"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/core"
	"github.com/kontor-dev/kontor/internal/httpx"
)

// Prefix is where the dialect is mounted.
const Prefix = "/finapi"

//go:embed openapi.yaml
var openAPI []byte

// OpenAPI returns the dialect's OpenAPI 3 document.
func OpenAPI() []byte { return openAPI }

// Config holds the dialect's settings.
type Config struct {
	// Core are the finAPI services' settings: token lifetimes, login
	// attempts, process tokens.
	Core core.FinAPIConfig
	// MaxBodyBytes bounds JSON request bodies, MaxFormBytes those of the
	// token and revoke endpoints.
	MaxBodyBytes, MaxFormBytes int64
	// AuthRateLimit and AuthRateBurst bound, per remote address, the
	// requests that check client credentials (token endpoint, process
	// creation).
	AuthRateLimit float64
	AuthRateBurst int
}

// DefaultConfig returns the default settings.
func DefaultConfig() Config {
	return Config{
		Core:          core.DefaultFinAPIConfig(),
		MaxBodyBytes:  64 << 10,
		MaxFormBytes:  8 << 10,
		AuthRateLimit: 20,
		AuthRateBurst: 50,
	}
}

// Role is the kind of access token a route needs.
type Role int

// Roles.
const (
	// Public routes need no access token.
	Public Role = iota
	// ClientRole routes need a client token (grant_type=client_credentials).
	ClientRole
	// UserRole routes need a user token (grant_type=password or
	// refresh_token, or a process token's access token).
	UserRole
)

// String returns the role's name as the OpenAPI document's x-token-role
// extension spells it.
func (r Role) String() string {
	switch r {
	case ClientRole:
		return "client"
	case UserRole:
		return "user"
	default:
		return "none"
	}
}

// Route is one operation of the dialect.
type Route struct {
	Method, Path string
	// OperationID is the operation's name in the OpenAPI document,
	// finAPI's own where it has one.
	OperationID string
	Role        Role
	// OAuth routes answer errors in OAuth's {"error","error_description"}
	// shape; the others with finAPI's ErrorMessage.
	OAuth bool
	// Credentials routes take client credentials in the request; they
	// are rate limited per remote address.
	Credentials bool
	handle      func(h *Handler, w http.ResponseWriter, r *http.Request, a *kontor.FinAPIAuth) error
}

// Routes returns every route the dialect serves, with paths relative to
// Prefix.
func Routes() []Route {
	routes := []Route{
		{Method: "POST", Path: "/api/v2/oauth/token", OperationID: "getToken", OAuth: true, Credentials: true, handle: (*Handler).token},
		{Method: "POST", Path: "/oauth/token", OperationID: "getTokenV1", OAuth: true, Credentials: true, handle: (*Handler).token},
		{Method: "POST", Path: "/api/v2/oauth/revoke", OperationID: "revokeToken", Role: ClientRole, handle: (*Handler).revoke},
		{Method: "POST", Path: "/oauth/revoke", OperationID: "revokeTokenV1", Role: ClientRole, handle: (*Handler).revoke},
		{Method: "POST", Path: "/api/v1/processes", OperationID: "createProcesses", Credentials: true, handle: (*Handler).createProcesses},
		{Method: "GET", Path: "/api/v1/processes/{processToken}", OperationID: "getProcessAccessToken", handle: (*Handler).exchangeProcess},
		{Method: "GET", Path: "/openapi.yaml", OperationID: "getOpenAPI", handle: (*Handler).openAPI},
	}
	for _, v := range []struct{ prefix, suffix string }{{"/api/v2", ""}, {"/api/v1", "V1"}} {
		routes = append(routes,
			Route{Method: "POST", Path: v.prefix + "/users", OperationID: "createUser" + v.suffix, Role: ClientRole, handle: (*Handler).createUser},
			Route{Method: "GET", Path: v.prefix + "/users", OperationID: "getAuthorizedUser" + v.suffix, Role: UserRole, handle: (*Handler).getUser},
			Route{Method: "PATCH", Path: v.prefix + "/users", OperationID: "editAuthorizedUser" + v.suffix, Role: UserRole, handle: (*Handler).editUser},
			Route{Method: "DELETE", Path: v.prefix + "/users", OperationID: "deleteAuthorizedUser" + v.suffix, Role: UserRole, handle: (*Handler).deleteUser},
		)
	}
	return routes
}

// Handler serves the dialect.
type Handler struct {
	svc     *core.FinAPI
	cfg     Config
	log     *slog.Logger
	limiter *httpx.Limiter
	mux     *http.ServeMux
	now     func() time.Time
}

// New returns the dialect's handler for paths under Prefix.
func New(svc *core.Service, cfg Config, log *slog.Logger) *Handler {
	h := &Handler{
		svc: core.NewFinAPI(svc, cfg.Core), cfg: cfg, log: log,
		limiter: httpx.NewLimiter(), mux: http.NewServeMux(), now: time.Now,
	}
	for _, rt := range Routes() {
		h.mux.Handle(rt.Method+" "+Prefix+rt.Path, h.wrap(rt))
	}
	h.mux.HandleFunc(Prefix+"/", h.noRoute)
	return h
}

// methodOverrideHeader lets clients that can only POST ask for PATCH or
// DELETE.
const methodOverrideHeader = "X-HTTP-Method-Override"

// ServeHTTP serves a request under Prefix.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost {
		if m := strings.ToUpper(strings.TrimSpace(r.Header.Get(methodOverrideHeader))); m == http.MethodPatch || m == http.MethodDelete {
			r = r.Clone(r.Context())
			r.Method = m
		}
	}
	// finAPI generates request IDs as "selfgen-<uuid>"; the access log
	// keeps the plain UUID, which the response's ID contains.
	id := httpx.RequestIDFrom(r.Context())
	if r.Header.Get(httpx.RequestIDHeader) == "" || httpx.BadRequestID(r.Context()) {
		id = "selfgen-" + id
		w.Header().Set(httpx.RequestIDHeader, id)
	}
	r = r.WithContext(context.WithValue(r.Context(), requestIDKey, id))
	h.mux.ServeHTTP(w, r)
}

type ctxKey int

const requestIDKey ctxKey = 0

// requestID returns the request's ID as the dialect shows it.
func requestID(r *http.Request) string {
	id, _ := r.Context().Value(requestIDKey).(string)
	return id
}

// wrap applies the dialect's conventions to one route: request ID check,
// rate limit, authorization and role, then the handler.
func (h *Handler) wrap(rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var a *kontor.FinAPIAuth
		fail := func(err error) { h.writeError(w, r, rt, a, err) }
		if strings.Contains(rt.Path, "{") {
			// The path holds a secret: log the pattern.
			httpx.SetLogPath(r.Context(), Prefix+rt.Path)
		}
		if httpx.BadRequestID(r.Context()) {
			fail(kontor.Errorf(kontor.EINVALID, "X-Request-Id must be 1 to %d letters, digits or -_.:/+=@", httpx.MaxRequestIDLength))
			return
		}
		if rt.Credentials {
			if ok, wait := h.limiter.Allow("addr:"+remoteHost(r), h.cfg.AuthRateLimit, h.cfg.AuthRateBurst, h.now()); !ok {
				w.Header().Set("Retry-After", strconv.Itoa(httpx.RetryAfter(wait)))
				fail(kontor.Errorf(kontor.ERATELIMIT, "Too many requests. Try again later"))
				return
			}
		}
		if rt.Role != Public {
			token, err := bearer(r.Header.Get("Authorization"))
			if err != nil {
				fail(err)
				return
			}
			if a, err = h.svc.Authorize(r.Context(), token); err != nil {
				fail(err)
				return
			}
			attrs := []slog.Attr{slog.String("client", a.Client.ID)}
			if a.User != nil {
				attrs = append(attrs, slog.String("user", a.User.ID))
			}
			httpx.AddLogAttrs(r.Context(), attrs...)
			switch {
			case rt.Role == ClientRole && a.User != nil:
				fail(kontor.Errorf(kontor.EFORBIDDEN, "This service needs a client access token, not a user's"))
				return
			case rt.Role == UserRole && a.User == nil:
				fail(kontor.Errorf(kontor.EFORBIDDEN, "This service needs a user access token, not a client's"))
				return
			}
		}
		if err := rt.handle(h, w, r, a); err != nil {
			fail(err)
		}
	})
}

// errMissingToken is a request without a Bearer token.
var errMissingToken = &kontor.Error{Code: kontor.EUNAUTHORIZED, Message: "Full authentication is required to access this resource"}

// bearer extracts the access token of an "Authorization: Bearer <token>"
// header.
func bearer(header string) (string, error) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	if header == "" {
		return "", errMissingToken
	}
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "bearer") || token == "" {
		return "", kontor.Errorf(kontor.EUNAUTHORIZED, "Invalid access token: send it as 'Authorization: Bearer <access_token>'")
	}
	return token, nil
}

// noRoute answers paths and methods the dialect does not serve.
func (h *Handler) noRoute(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, Prefix+"/api/v1/processes/") {
		// A process token in a path with the wrong method stays out of the log.
		httpx.SetLogPath(r.Context(), Prefix+"/api/v1/processes/{processToken}")
	}
	var allow []string
	for _, m := range []string{"GET", "POST", "PATCH", "DELETE"} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := h.mux.Handler(probe); pattern != "" && pattern != Prefix+"/" {
			allow = append(allow, m)
		}
	}
	rt := Route{}
	switch {
	case len(allow) > 0:
		w.Header().Set("Allow", strings.Join(allow, ", "))
		h.writeError(w, r, rt, nil, &kontor.Error{Code: errMethod, Message: "Request method '" + r.Method + "' is not supported; use " + strings.Join(allow, " or ")})
	case strings.HasPrefix(r.URL.Path, Prefix+"/api/v1/"):
		h.writeError(w, r, rt, nil, &kontor.Error{Code: errVersion, Message: "API Version mismatch"})
	default:
		h.writeError(w, r, rt, nil, kontor.Errorf(kontor.ENOTFOUND, "No such service"))
	}
}

func remoteHost(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
