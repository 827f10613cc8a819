package kontor

import "time"

// DefaultAPIVersion is the finoOS v1 API version a client has unless it is
// given another; it is the only version that exists.
const DefaultAPIVersion = "2020-06-16"

// APIVersions lists the finoOS v1 API versions Kontor serves.
var APIVersions = []string{DefaultAPIVersion}

// Client is an API client: one tenant. Its users and all their data are
// invisible to every other client.
type Client struct {
	ID         string
	Name       string // the finoOS "name", also the finAPI client_id
	SecretHash string // PHC-formatted argon2id hash of the secret
	APIVersion string
	// RateLimit is the sustained number of requests per second the client
	// may make, and RateBurst how many it may make at once.
	RateLimit float64
	RateBurst int
	CreatedAt time.Time
}

// UserType tells how a user's data is analysed.
type UserType string

// User types.
const (
	UserPerson  UserType = "person"
	UserCompany UserType = "company"
)

// Valid reports whether t is a known user type.
func (t UserType) Valid() bool { return t == UserPerson || t == UserCompany }

// User is an end customer of an API client.
type User struct {
	ID        string
	ClientID  string
	Type      UserType
	CreatedAt time.Time
}

// Page selects one page of a list; Page counts from 1.
type Page struct {
	Page    int
	PerPage int
}

// Offset returns the number of items before the page.
func (p Page) Offset() int { return (p.Page - 1) * p.PerPage }

// RefreshToken is the server-side record of an issued refresh token. Tokens
// of one login chain share a Family; reusing a spent token revokes the whole
// family.
type RefreshToken struct {
	ID        string // the token's jti
	FamilyID  string
	ClientID  string
	ExpiresAt time.Time
}
