package finoos

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/internal/httpx"
)

const (
	versionHeader = "API-Version"
	userIPHeader  = "User-IP"
)

type ctxKey int

const userIPKey ctxKey = 0

// UserIPFrom returns the end user's IP address the API client sent in the
// User-IP header, if any. Bank-facing actions record it and pass it on to
// the bank as the PSU's address.
func UserIPFrom(ctx context.Context) (netip.Addr, bool) {
	ip, ok := ctx.Value(userIPKey).(netip.Addr)
	return ip, ok
}

// wrap applies the dialect's conventions to one route: API version,
// request ID check, User-IP, authentication, rate limit, then the handler.
func (h *Handler) wrap(rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fail := func(err error) { writeError(w, r, h.log, err) }

		version := r.Header.Get(versionHeader)
		w.Header().Set(versionHeader, kontor.DefaultAPIVersion)
		if version != "" {
			if !slices.Contains(kontor.APIVersions, version) {
				fail(kontor.Errorf(kontor.EINVALID, "Bad request. Unknown API-Version %q; supported: %s", truncate(version, 32), strings.Join(kontor.APIVersions, ", ")))
				return
			}
			w.Header().Set(versionHeader, version)
		}
		if httpx.BadRequestID(r.Context()) {
			fail(kontor.Errorf(kontor.EINVALID, "Bad request. X-Request-ID must be 1 to %d letters, digits or -_.:/+=@", httpx.MaxRequestIDLength))
			return
		}
		if raw := r.Header.Get(userIPHeader); raw != "" {
			ip, err := netip.ParseAddr(strings.TrimSpace(raw))
			if err != nil || ip.Zone() != "" {
				fail(kontor.Errorf(kontor.EINVALID, "Bad request. User-IP must be an IPv4 or IPv6 address"))
				return
			}
			r = r.WithContext(context.WithValue(r.Context(), userIPKey, ip.Unmap()))
			httpx.AddLogAttrs(r.Context(), slog.String("user_ip", ip.Unmap().String()))
		}

		var client *kontor.Client
		if rt.Auth {
			token, err := bearer(r.Header.Get("Authorization"))
			if err != nil {
				fail(err)
				return
			}
			if client, err = h.svc.Authorize(r.Context(), token); err != nil {
				fail(err)
				return
			}
			httpx.AddLogAttrs(r.Context(), slog.String("client", client.ID))
			if version == "" {
				w.Header().Set(versionHeader, client.APIVersion)
			}
			if ok, wait := h.limiter.Allow("client:"+client.ID, client.RateLimit, client.RateBurst, h.now()); !ok {
				w.Header().Set("Retry-After", strconv.Itoa(httpx.RetryAfter(wait)))
				fail(kontor.Errorf(kontor.ERATELIMIT, "Too many requests. Rate limit exceeded"))
				return
			}
		} else if rt.Method == "POST" {
			if ok, wait := h.limiter.Allow("addr:"+remoteHost(r), h.cfg.AuthRateLimit, h.cfg.AuthRateBurst, h.now()); !ok {
				w.Header().Set("Retry-After", strconv.Itoa(httpx.RetryAfter(wait)))
				fail(kontor.Errorf(kontor.ERATELIMIT, "Too many requests. Rate limit exceeded"))
				return
			}
		}
		if err := rt.handle(h, w, r, client); err != nil {
			fail(err)
		}
	})
}

// bearer extracts the access token from an Authorization header, which
// finoOS sends bare ("Authorization: <token>"); "Bearer <token>" works too.
func bearer(header string) (string, error) {
	header = strings.TrimSpace(header)
	if scheme, rest, ok := strings.Cut(header, " "); ok && strings.EqualFold(scheme, "bearer") {
		header = strings.TrimSpace(rest)
	}
	if header == "" {
		return "", kontor.Errorf(kontor.EUNAUTHORIZED, "Unauthorized. Missing access token in the Authorization header")
	}
	return header, nil
}

func remoteHost(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}
