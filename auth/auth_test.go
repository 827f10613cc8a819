package auth

import (
	"encoding/base64"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// fast keeps the tests quick; the format and the checks are the same.
var fast = Params{Time: 1, Memory: 64, Threads: 1}

func TestHashAndVerify(t *testing.T) {
	h, err := HashSecret("s3cret", fast)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") || strings.Contains(h, "s3cret") {
		t.Fatalf("hash %q is not a PHC argon2id string or holds the secret", h)
	}
	h2, _ := HashSecret("s3cret", fast)
	if h == h2 {
		t.Fatal("two hashes of the same secret are equal: the salt is not random")
	}
	for secret, want := range map[string]bool{"s3cret": true, "s3cret ": false, "": false, "S3cret": false} {
		ok, err := VerifySecret(h, secret)
		if err != nil || ok != want {
			t.Errorf("VerifySecret(%q) = %v, %v; want %v", secret, ok, err, want)
		}
	}
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=64,t=1,p=1$c2FsdA$a2V5", "$argon2id$v=19$m=64,t=0,p=1$c2FsdA$a2V5", "$argon2id$v=19$m=64,t=1,p=1$!!$a2V5"} {
		if _, err := VerifySecret(bad, "x"); !errors.Is(err, ErrMalformedHash) {
			t.Errorf("VerifySecret(%q) error = %v, want ErrMalformedHash", bad, err)
		}
	}
}

func TestRandomSecret(t *testing.T) {
	re := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	for range 100 {
		s := RandomSecret()
		if !re.MatchString(s) || seen[s] {
			t.Fatalf("RandomSecret() = %q: not a fresh UUIDv4", s)
		}
		seen[s] = true
	}
}

func TestTokens(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	s, err := NewSigner(key)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewSigner(key[:31]); err == nil {
		t.Fatal("NewSigner accepted a 31-byte key")
	}
	now := time.Now()
	tok, err := s.Sign(TypeAccess, "client", "fam", "jti", now, 5*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.Verify(tok, TypeAccess, now.Add(time.Minute))
	if err != nil || c.Subject != "client" || c.Family != "fam" || c.ID != "jti" {
		t.Fatalf("Verify = %+v, %v", c, err)
	}

	other, _ := NewSigner([]byte("another-key-another-key-another-k"))
	forged, _ := other.Sign(TypeAccess, "client", "fam", "jti", now, time.Minute)
	none, _ := jwt.NewWithClaims(jwt.SigningMethodNone, Claims{
		RegisteredClaims: jwt.RegisteredClaims{Issuer: issuer, Subject: "client", ID: "j", ExpiresAt: jwt.NewNumericDate(now.Add(time.Hour))},
		Type:             TypeAccess, Family: "fam",
	}).SignedString(jwt.UnsafeAllowNoneSignatureType)
	parts := strings.Split(tok, ".")
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"iss":"kontor","sub":"other","typ":"access","fam":"f","jti":"j","exp":9999999999}`)) + "." + parts[2]
	refresh, _ := s.Sign(TypeRefresh, "client", "fam", "jti", now, time.Hour)

	for name, bad := range map[string]struct {
		tok string
		at  time.Time
	}{
		"expired":       {tok, now.Add(6 * time.Minute)},
		"forged":        {forged, now},
		"alg none":      {none, now},
		"tampered":      {tampered, now},
		"refresh typ":   {refresh, now},
		"garbage":       {"not.a.token", now},
		"empty":         {"", now},
		"issued future": {tok, now.Add(-time.Hour)},
	} {
		if _, err := s.Verify(bad.tok, TypeAccess, bad.at); !errors.Is(err, ErrInvalidToken) {
			t.Errorf("%s: Verify error = %v, want ErrInvalidToken", name, err)
		}
	}
}
