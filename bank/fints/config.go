package fints

import (
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/kontor-dev/kontor/bank/fints/wire"
)

// Default settings.
const (
	// DefaultProductVersion is sent in HKVVB when Config.ProductVersion is
	// empty.
	DefaultProductVersion = "1.0"
	// DefaultMaxResponseSize bounds the base64 body of a bank answer.
	DefaultMaxResponseSize = 32 << 20
	// DefaultHTTPTimeout applies when Config.HTTPClient is nil.
	DefaultHTTPTimeout = 2 * time.Minute
)

// Config describes one bank login and how to reach the bank.
type Config struct {
	// URL is the bank's FinTS PIN/TAN endpoint (from the bank directory;
	// HIKOM is never used to replace it).
	URL string
	// BankCode is the German bank code (BLZ).
	BankCode string
	// UserID is the login name (Benutzerkennung).
	UserID string
	// CustomerID is the Kunden-ID; empty means UserID.
	CustomerID string
	// ProductID is the DK product registration number. Banks refuse
	// unregistered products.
	ProductID string
	// ProductVersion is the product version (up to 5 characters); empty
	// means DefaultProductVersion.
	ProductVersion string
	// HTTPClient sends the requests; nil means a client with
	// DefaultHTTPTimeout. Deadlines and cancellation come from the
	// context passed to each call.
	HTTPClient *http.Client
	// MaxResponseSize bounds an answer's body in bytes; zero means
	// DefaultMaxResponseSize.
	MaxResponseSize int64
	// Logger receives debug logs of every message with PIN and TAN
	// masked; nil discards them.
	Logger *slog.Logger
}

// validate checks the configuration and fills in defaults.
func (c *Config) validate() error {
	u, err := url.Parse(c.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return invalidInput("bank URL %q is not an http(s) URL", c.URL)
	}
	if c.BankCode == "" {
		return invalidInput("bank code is empty")
	}
	if c.UserID == "" {
		return invalidInput("user ID is empty")
	}
	if c.ProductID == "" {
		return invalidInput("product ID is empty: register the product with the DK")
	}
	if c.CustomerID == "" {
		c.CustomerID = c.UserID
	}
	if c.ProductVersion == "" {
		c.ProductVersion = DefaultProductVersion
	}
	for name, v := range map[string]string{"bank code": c.BankCode, "user ID": c.UserID, "customer ID": c.CustomerID,
		"product ID": c.ProductID, "product version": c.ProductVersion} {
		if _, ok := wire.Latin1(v); !ok {
			return invalidInput("%s has characters outside ISO 8859-1", name)
		}
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: DefaultHTTPTimeout}
	}
	if c.MaxResponseSize <= 0 {
		c.MaxResponseSize = DefaultMaxResponseSize
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return nil
}
