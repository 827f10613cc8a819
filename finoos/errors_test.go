package finoos

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"

	"github.com/kontor-dev/kontor/internal/httpx"
)

// TestWriteErrorWhenNobodyListens checks that an error caused by the
// client going away, or met while writing a response already begun, is
// neither answered nor logged as a server error, while other internal
// errors still are.
func TestWriteErrorWhenNobodyListens(t *testing.T) {
	gone, leave := context.WithCancel(context.Background())
	leave()
	for _, tc := range []struct {
		name      string
		ctx       context.Context
		err       error
		answered  bool
		logsError bool
	}{
		{"client went away during a query", gone, fmt.Errorf("reading accounts: %w", context.Canceled), false, false},
		{"response broke off", context.Background(), &httpx.ResponseError{Err: syscall.EPIPE}, false, false},
		{"a cancellation of the server's own", context.Background(), fmt.Errorf("reading accounts: %w", context.Canceled), true, true},
		{"another failure after the client left", gone, errors.New("disk full"), true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			rec := httptest.NewRecorder()
			r := httptest.NewRequestWithContext(tc.ctx, "GET", "/api/v1/users/u1/banking/logins", nil)
			writeError(rec, r, log, tc.err)
			if answered := rec.Body.Len() > 0; answered != tc.answered {
				t.Errorf("answered = %v (status %d, body %q), want %v", answered, rec.Code, rec.Body, tc.answered)
			}
			if tc.answered && (rec.Code != http.StatusInternalServerError || !strings.Contains(rec.Body.String(), `"internal_server_error"`)) {
				t.Errorf("answer = %d %s, want a 500 in the finoOS shape", rec.Code, rec.Body)
			}
			if logged := strings.Contains(logs.String(), "level=ERROR"); logged != tc.logsError {
				t.Errorf("logged an error = %v, want %v; log:\n%s", logged, tc.logsError, logs.String())
			}
		})
	}
}
