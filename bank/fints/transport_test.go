package fints

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestDecodeBase64(t *testing.T) {
	msg := []byte("HNHBK:1:3+000000000053+300+0+1'HKEND:2:1'HNHBS:3:1+1'\xfc")
	enc := base64.StdEncoding.EncodeToString(msg)
	wrapped := enc[:20] + "\r\n" + enc[20:40] + " \n\t" + enc[40:] + "\r\n"
	for _, in := range []string{enc, wrapped, strings.TrimRight(enc, "=")} {
		got, err := decodeBase64([]byte(in))
		if err != nil || !bytes.Equal(got, msg) {
			t.Errorf("decodeBase64(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := decodeBase64([]byte("not base64!")); !errors.Is(err, ErrProtocol) {
		t.Errorf("garbage: %v", err)
	}
	// Unpadded bodies whose length is no multiple of 4 once overran the
	// output buffer and panicked.
	for _, in := range []string{"00", "0", "AAA", "QUJD", "QUJDRA"} {
		if got, err := decodeBase64([]byte(in)); err != nil && !errors.Is(err, ErrProtocol) {
			t.Errorf("decodeBase64(%q) = %q, %v", in, got, err)
		}
	}
}

// serve starts a server answering every request with h and returns a
// client for it.
func serve(t *testing.T, h http.HandlerFunc, maxSize int64) *Client {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c, err := New(Config{URL: srv.URL, BankCode: fakeBLZ, UserID: fakeUser, ProductID: "KONTORTEST", MaxResponseSize: maxSize})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestTransport(t *testing.T) {
	answer := base64.StdEncoding.EncodeToString([]byte("HNHBK:1:3+000000000053+300+0+1'HKEND:2:1'HNHBS:3:1+1'"))
	var gotType string
	var gotBody []byte
	c := serve(t, func(w http.ResponseWriter, r *http.Request) {
		gotType = r.Header.Get("Content-Type")
		gotBody, _ = io.ReadAll(r.Body)
		io.WriteString(w, answer)
	}, 0)
	got, err := c.post(context.Background(), []byte("HNHBK'"))
	if err != nil || !strings.HasPrefix(string(got), "HNHBK:1:3") {
		t.Fatalf("post = %q, %v", got, err)
	}
	if gotType != "text/plain" || string(gotBody) != base64.StdEncoding.EncodeToString([]byte("HNHBK'")) {
		t.Errorf("request: %q %q", gotType, gotBody)
	}

	tests := map[string]struct {
		h    http.HandlerFunc
		max  int64
		want error
	}{
		"HTTP 500": {h: func(w http.ResponseWriter, r *http.Request) { http.Error(w, "down", 500) }, want: ErrBankUnavailable},
		"HTTP 404": {h: func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) }, want: ErrBankUnavailable},
		"garbage":  {h: func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "<html>") }, want: ErrProtocol},
		"too big":  {h: func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, answer) }, max: 10, want: ErrProtocol},
	}
	for name, tt := range tests {
		c := serve(t, tt.h, tt.max)
		if _, err := c.post(context.Background(), []byte("x")); !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", name, err, tt.want)
		}
	}
	var he *HTTPError
	if _, err := serve(t, tests["HTTP 500"].h, 0).post(context.Background(), nil); !errors.As(err, &he) || he.Status != 500 {
		t.Errorf("HTTPError = %v", err)
	}
	// A message the bank answers with garbage fails the operation.
	if _, err := serve(t, tests["garbage"].h, 0).Sync(context.Background(), &State{}, fakePIN, Request{}); !errors.Is(err, ErrProtocol) {
		t.Errorf("Sync against garbage: %v", err)
	}
}

func TestTransportContext(t *testing.T) {
	release := make(chan struct{})
	c := serve(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}, 0)
	defer close(release)
	cx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := c.post(cx, []byte("x")); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("timeout: %v", err)
	}

	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	c, err := New(Config{URL: srv.URL, BankCode: fakeBLZ, UserID: fakeUser, ProductID: "KONTORTEST"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.post(context.Background(), []byte("x")); !errors.Is(err, ErrBankUnavailable) {
		t.Errorf("connection refused: %v", err)
	}
}
