package finoos

import (
	"log/slog"
	"net/http"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/internal/httpx"
)

// errMethod is the code of a request whose path exists with other methods.
const errMethod = "method_not_allowed"

// statusOf maps domain error codes to the HTTP status and the error type of
// the finoOS error body. It is the only place that does.
var statusOf = map[string]struct {
	status int
	typ    string
}{
	kontor.EINVALID:      {http.StatusBadRequest, "bad_request"},
	kontor.ETOOLARGE:     {http.StatusBadRequest, "bad_request"},
	kontor.EUNAUTHORIZED: {http.StatusUnauthorized, "unauthorized"},
	kontor.EFORBIDDEN:    {http.StatusForbidden, "forbidden"},
	kontor.ENOTFOUND:     {http.StatusNotFound, "not_found"},
	errMethod:            {http.StatusMethodNotAllowed, "method_not_allowed"},
	kontor.ECONFLICT:     {http.StatusConflict, "conflict"},
	kontor.ERATELIMIT:    {http.StatusTooManyRequests, "too_many_requests"},
	kontor.EUNAVAILABLE:  {http.StatusServiceUnavailable, "service_unavailable"},
	kontor.EINTERNAL:     {http.StatusInternalServerError, "internal_server_error"},
}

// errorBody is the finoOS error response.
type errorBody struct {
	Type    string `json:"type"`
	Message string `json:"message"`
}

// writeError answers err in the finoOS error shape. Internal errors are
// logged with the request ID and answered without detail; an error that
// leaves nobody to answer (the client went away) is neither.
func writeError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	if httpx.Undeliverable(log, r, err) {
		return
	}
	code := kontor.ErrorCode(err)
	s, ok := statusOf[code]
	if !ok {
		s = statusOf[kontor.EINTERNAL]
	}
	if s.status >= 500 {
		log.Error("request failed", "request_id", httpx.RequestIDFrom(r.Context()), "error", err)
	}
	httpx.WriteJSON(w, s.status, errorBody{Type: s.typ, Message: kontor.ErrorMessage(err)})
}
