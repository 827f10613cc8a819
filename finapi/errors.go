package finapi

import (
	"errors"
	"net/http"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Berlin for error dates, also where the system has no zone data

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/internal/httpx"
)

// Codes of errors only the dialect raises.
const (
	errMethod    = "finapi_method_not_allowed"
	errVersion   = "finapi_version_mismatch"
	errMediaType = "finapi_unsupported_media_type"
)

// finAPI error types.
const (
	typeBusiness  = "BUSINESS"
	typeTechnical = "TECHNICAL"
)

// apiError is how an error code appears in an ErrorMessage.
type apiError struct {
	status int
	code   string // finAPI's ErrorCode
	typ    string
}

// apiErrors maps domain error codes to finAPI's status, ErrorCode and
// error type. With oauthErrors and writeError it is the only place that
// does. EUNAUTHORIZED is absent: every 401 is a BadCredentialsError.
var apiErrors = map[string]apiError{
	kontor.EINVALID:     {http.StatusBadRequest, "BAD_REQUEST", typeTechnical},
	kontor.ETOOLARGE:    {http.StatusBadRequest, "BAD_REQUEST", typeTechnical},
	errMediaType:        {http.StatusBadRequest, "UNSUPPORTED_MEDIA_TYPE", typeTechnical},
	kontor.EFORBIDDEN:   {http.StatusForbidden, "UNAUTHORIZED_ACCESS", typeTechnical},
	errVersion:          {http.StatusForbidden, "FORBIDDEN", typeTechnical},
	kontor.ENOTFOUND:    {http.StatusNotFound, "UNKNOWN_ENTITY", typeBusiness},
	errMethod:           {http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", typeTechnical},
	kontor.ECONFLICT:    {http.StatusUnprocessableEntity, "ENTITY_EXISTS", typeBusiness},
	kontor.ELOCKED:      {http.StatusLocked, "LOCKED", typeBusiness},
	kontor.ERATELIMIT:   {http.StatusTooManyRequests, "TOO_MANY_REQUESTS", typeTechnical},
	kontor.EUNAVAILABLE: {http.StatusServiceUnavailable, "UNEXPECTED_ERROR", typeTechnical},
	kontor.EINTERNAL:    {http.StatusInternalServerError, "UNEXPECTED_ERROR", typeTechnical},
}

// Field errors: a missing field is a 400 MISSING_FIELD, a field whose
// value breaks a rule a 422 ILLEGAL_FIELD_VALUE.
var (
	missingField = apiError{http.StatusBadRequest, "MISSING_FIELD", typeBusiness}
	illegalField = apiError{http.StatusUnprocessableEntity, "ILLEGAL_FIELD_VALUE", typeBusiness}
)

// oauthError is an error of the token endpoint in OAuth's shape (RFC 6749
// section 5.2).
type oauthError struct {
	status int
	code   string
	desc   string
}

func (e *oauthError) Error() string { return "oauth error " + e.code + ": " + e.desc }

func invalidRequest(desc string) error {
	return &oauthError{http.StatusBadRequest, "invalid_request", desc}
}

// oauthErrors maps domain error codes to the token endpoint's status and
// OAuth error code. A domain EINVALID there is a grant (user credentials,
// refresh token) that does not hold.
var oauthErrors = map[string]oauthError{
	kontor.EINVALID:      {http.StatusBadRequest, "invalid_grant", ""},
	kontor.ETOOLARGE:     {http.StatusBadRequest, "invalid_request", ""},
	kontor.EUNAUTHORIZED: {http.StatusUnauthorized, "invalid_client", ""},
	kontor.ELOCKED:       {http.StatusLocked, "invalid_grant", ""},
	kontor.ERATELIMIT:    {http.StatusTooManyRequests, "too_many_requests", ""},
	kontor.EUNAVAILABLE:  {http.StatusServiceUnavailable, "temporarily_unavailable", ""},
	kontor.EINTERNAL:     {http.StatusInternalServerError, "server_error", ""},
}

// errorMessage is finAPI's ErrorMessage.
type errorMessage struct {
	Errors      []errorDetails `json:"errors"`
	Date        string         `json:"date"`
	RequestID   string         `json:"requestId"`
	Endpoint    string         `json:"endpoint"`
	AuthContext string         `json:"authContext"`
	Bank        *string        `json:"bank"`
}

// errorDetails is finAPI's ErrorDetails.
type errorDetails struct {
	Message                 string `json:"message"`
	Code                    string `json:"code"`
	Type                    string `json:"type"`
	MultiStepAuthentication any    `json:"multiStepAuthentication"`
}

// badCredentials is finAPI's BadCredentialsError and OAuth's error
// response.
type badCredentials struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

// berlin is the zone finAPI writes its timestamps in.
var berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		return time.UTC
	}
	return loc
}()

// timestampLayout is finAPI's timestamp format: milliseconds and a colon
// in the offset (2020-11-19T16:54:06.854+01:00).
const timestampLayout = "2006-01-02T15:04:05.000-07:00"

// writeError answers err for route rt: in OAuth's shape on the token
// endpoint, as a BadCredentialsError for every other 401, and as an
// ErrorMessage otherwise. Internal errors are logged with the request ID
// and answered without detail; no error message holds a secret. An error
// that leaves nobody to answer (the client went away) is neither.
func (h *Handler) writeError(w http.ResponseWriter, r *http.Request, rt Route, a *kontor.FinAPIAuth, err error) {
	if httpx.Undeliverable(h.log, r, err) {
		return
	}
	var oe *oauthError
	isOAuth := errors.As(err, &oe)
	code := kontor.ErrorCode(err)
	if !isOAuth && (code == kontor.EINTERNAL || code == kontor.EUNAVAILABLE) {
		h.log.Error("request failed", "request_id", httpx.RequestIDFrom(r.Context()), "error", err)
	}
	switch {
	case rt.OAuth || isOAuth:
		if oe == nil {
			m, ok := oauthErrors[code]
			if !ok {
				m = oauthErrors[kontor.EINTERNAL]
			}
			m.desc = kontor.ErrorMessage(err)
			if code == kontor.EUNAUTHORIZED {
				m.desc = "Bad client credentials"
			}
			oe = &m
		}
		if oe.status == http.StatusUnauthorized && strings.HasPrefix(r.Header.Get("Authorization"), "Basic ") {
			w.Header().Set("WWW-Authenticate", `Basic realm="finapi"`)
		}
		w.Header().Set("Cache-Control", "no-store")
		httpx.WriteJSON(w, oe.status, badCredentials{Error: oe.code, Description: oe.desc})
		return
	case code == kontor.EUNAUTHORIZED:
		body := badCredentials{Error: "invalid_token", Description: kontor.ErrorMessage(err)}
		switch {
		case rt.Credentials:
			body = badCredentials{Error: "invalid_client", Description: "Bad client credentials"}
		case errors.Is(err, errMissingToken):
			body.Error = "unauthorized"
		}
		w.Header().Set("WWW-Authenticate", `Bearer realm="finapi", error="`+body.Error+`"`)
		httpx.WriteJSON(w, http.StatusUnauthorized, body)
		return
	}
	m, ok := apiErrors[code]
	if !ok {
		m = apiErrors[kontor.EINTERNAL]
	}
	var fe *kontor.FieldError
	if errors.As(err, &fe) {
		m = illegalField
		if fe.Missing {
			m = missingField
		}
	}
	body := errorMessage{
		Errors:      []errorDetails{{Message: kontor.ErrorMessage(err), Code: m.code, Type: m.typ}},
		Date:        time.Now().In(berlin).Format(timestampLayout),
		RequestID:   requestID(r),
		Endpoint:    endpoint(r, rt),
		AuthContext: authContext(a),
	}
	httpx.WriteJSON(w, m.status, body)
}

// endpoint names the called service as "METHOD /path", with the route's
// pattern rather than a path that may hold a token.
func endpoint(r *http.Request, rt Route) string {
	path := rt.Path
	if path == "" {
		path = strings.TrimPrefix(r.URL.EscapedPath(), Prefix)
		if len(path) > 200 {
			path = path[:200] + "..."
		}
	}
	return r.Method + " " + path
}

// authContext names who called: "<client>/<user>" with Kontor's IDs, "-"
// for what the request was not authorized as.
func authContext(a *kontor.FinAPIAuth) string {
	client, user := "-", "-"
	if a != nil {
		client = a.Client.ID
		if a.User != nil {
			user = a.User.ID
		}
	}
	return client + "/" + user
}
