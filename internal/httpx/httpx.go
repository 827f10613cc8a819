// Package httpx holds HTTP plumbing shared by Kontor's API dialects:
// request IDs, access logging, panic recovery, strict JSON decoding and
// per-key rate limiting. Error bodies are the dialects' own business.
package httpx

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"time"
)

type ctxKey int

const (
	requestIDKey ctxKey = iota
	logAttrsKey
)

// RequestIDHeader is the header that carries a request's ID both ways.
const RequestIDHeader = "X-Request-ID"

// MaxRequestIDLength bounds a caller-given request ID.
const MaxRequestIDLength = 128

// ValidRequestID reports whether a caller-given request ID is safe to
// echo and to log: 1 to 128 characters of letters, digits and -_.:/+=@.
func ValidRequestID(id string) bool {
	if id == "" || len(id) > MaxRequestIDLength {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '-', c == '_', c == '.', c == ':', c == '/', c == '+', c == '=', c == '@':
		default:
			return false
		}
	}
	return true
}

// NewRequestID returns a random UUIDv4-shaped request ID.
func NewRequestID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// RequestID reads the request's ID from the header named header (a valid
// one is kept, anything else replaced by a new ID), stores it in the
// context and echoes it on the response. BadRequestID reports whether the
// caller sent an ID that was not valid.
func RequestID(header string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(header)
		bad := id != "" && !ValidRequestID(id)
		if id == "" || bad {
			id = NewRequestID()
		}
		w.Header().Set(header, id)
		ctx := context.WithValue(r.Context(), requestIDKey, requestID{id, bad})
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

type requestID struct {
	id  string
	bad bool
}

// RequestIDFrom returns the request's ID.
func RequestIDFrom(ctx context.Context) string {
	v, _ := ctx.Value(requestIDKey).(requestID)
	return v.id
}

// BadRequestID reports whether the caller sent a request ID that was
// replaced because it was too long or held unsafe characters.
func BadRequestID(ctx context.Context) bool {
	v, _ := ctx.Value(requestIDKey).(requestID)
	return v.bad
}

// logAttrs collects attributes handlers add to the access log line, and
// the path to log instead of the request's.
type logAttrs struct {
	attrs []slog.Attr
	path  string
}

// SetLogPath makes the access log show path instead of the request's path,
// for paths that carry a secret such as a one-time token.
func SetLogPath(ctx context.Context, path string) {
	if v, ok := ctx.Value(logAttrsKey).(*logAttrs); ok {
		v.path = path
	}
}

// AddLogAttrs adds attributes to the request's access log line, such as
// the client that made it.
func AddLogAttrs(ctx context.Context, attrs ...slog.Attr) {
	if v, ok := ctx.Value(logAttrsKey).(*logAttrs); ok {
		v.attrs = append(v.attrs, attrs...)
	}
}

// statusWriter records the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// AccessLog logs one line per request: method, path, status, duration,
// request ID, whether the client went away before the end (status 0 when
// it left before any answer) and what handlers added. It never logs
// headers or bodies, so credentials and bank data stay out of the log. A
// panic in a handler is logged and answered by onPanic.
func AccessLog(log *slog.Logger, onPanic http.HandlerFunc, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		la := &logAttrs{}
		r = r.WithContext(context.WithValue(r.Context(), logAttrsKey, la))
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				log.Error("panic serving request", "request_id", RequestIDFrom(r.Context()), "panic", p)
				if sw.status == 0 {
					onPanic(sw, r)
				}
			}
			path := r.URL.Path
			if la.path != "" {
				path = la.path
			}
			attrs := append([]slog.Attr{
				slog.String("request_id", RequestIDFrom(r.Context())),
				slog.String("method", r.Method),
				slog.String("path", path),
				slog.Int("status", sw.status),
				slog.Int64("bytes", sw.bytes),
				slog.Duration("duration", time.Since(start)),
			}, la.attrs...)
			if r.Context().Err() != nil {
				attrs = append(attrs, slog.Bool("client_gone", true))
			}
			log.LogAttrs(r.Context(), slog.LevelInfo, "request", attrs...)
		}()
		next.ServeHTTP(sw, r)
	})
}
