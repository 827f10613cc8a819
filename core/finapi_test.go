package core

import (
	"regexp"
	"testing"
	"time"

	"github.com/kontor-dev/kontor"
)

func TestDeriveToken(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	tok := deriveToken(key, "id-1")
	if !regexp.MustCompile(`^[A-Za-z0-9_-]{128}$`).MatchString(tok) {
		t.Fatalf("token %q is not 128 URL-safe characters", tok)
	}
	if deriveToken(key, "id-1") != tok {
		t.Fatal("the same ID and key give another token")
	}
	if deriveToken(key, "id-2") == tok || deriveToken([]byte("another-key-another-key-another-k"), "id-1") == tok {
		t.Fatal("another ID or key gives the same token")
	}
	if h := hashToken(tok); len(h) != 64 || h == hashToken(deriveToken(key, "id-2")) {
		t.Fatalf("hash %q", h)
	}
}

func TestExpiresIn(t *testing.T) {
	now := time.Date(2020, 11, 19, 16, 54, 6, 0, time.UTC)
	for _, tc := range []struct {
		left time.Duration
		want int
	}{
		{time.Hour, 3599},
		{time.Hour - 500*time.Millisecond, 3599},
		{time.Hour - time.Second, 3598},
		{2 * time.Minute, 119},
		{time.Millisecond, 1},
	} {
		if got := expiresIn(kontor.FinAPIToken{ExpiresAt: now.Add(tc.left)}, now); got != tc.want {
			t.Errorf("expiresIn(%v left) = %d, want %d", tc.left, got, tc.want)
		}
	}
	if got := expiresIn(kontor.FinAPIToken{}, now); got != 0 {
		t.Errorf("expiresIn of a token that never expires = %d, want 0", got)
	}
}

func TestFinAPIUserIDRule(t *testing.T) {
	for id, ok := range map[string]bool{
		"username": true, "Jane.Doe+1@example-x_y": true, "a": true,
		"": false, "a b": false, "jürgen": false, "x'--": false, "a/b": false,
	} {
		if finAPIUserIDRE.MatchString(id) != ok {
			t.Errorf("id %q: allowed = %v, want %v", id, !ok, ok)
		}
	}
}
