package auth

import (
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Token types.
const (
	TypeAccess  = "access"
	TypeRefresh = "refresh"
)

const issuer = "kontor"

// Claims are the claims of a Kontor JWT.
type Claims struct {
	jwt.RegisteredClaims
	// Type is TypeAccess or TypeRefresh.
	Type string `json:"typ"`
	// Family groups the tokens of one authentication chain: refreshing
	// keeps the family, and reusing a spent refresh token revokes it.
	Family string `json:"fam"`
}

// Signer signs and verifies Kontor JWTs with HMAC-SHA256.
type Signer struct {
	key []byte
}

// NewSigner returns a Signer with the given key of at least 32 bytes.
func NewSigner(key []byte) (*Signer, error) {
	if len(key) < 32 {
		return nil, fmt.Errorf("token signing key has %d bytes, want at least 32", len(key))
	}
	return &Signer{key: key}, nil
}

// Sign returns the signed token for a subject.
func (s *Signer) Sign(typ, subject, family, id string, issued time.Time, lifetime time.Duration) (string, error) {
	c := Claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    issuer,
			Subject:   subject,
			ID:        id,
			IssuedAt:  jwt.NewNumericDate(issued),
			ExpiresAt: jwt.NewNumericDate(issued.Add(lifetime)),
		},
		Type:   typ,
		Family: family,
	}
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(s.key)
	if err != nil {
		return "", fmt.Errorf("signing token: %w", err)
	}
	return tok, nil
}

// ErrInvalidToken is returned for any token that is not a valid, unexpired
// Kontor token of the wanted type: a forged signature, another algorithm
// (including "none"), a wrong type, a missing claim.
var ErrInvalidToken = errors.New("invalid token")

// Verify checks a token's signature, algorithm, issuer, expiry and type and
// returns its claims.
func (s *Signer) Verify(token, typ string, now time.Time) (*Claims, error) {
	var c Claims
	_, err := jwt.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return s.key, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(issuer),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithTimeFunc(func() time.Time { return now }),
	)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidToken, err)
	}
	if c.Type != typ || c.Subject == "" || c.Family == "" || c.ID == "" {
		return nil, fmt.Errorf("%w: wrong type or missing claims", ErrInvalidToken)
	}
	return &c, nil
}
