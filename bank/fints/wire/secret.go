package wire

import (
	"fmt"
	"io"
	"log/slog"
)

// Secret holds a PIN or TAN. Every way of printing it (fmt verbs, String,
// GoString, slog and JSON) shows a mask instead of the content; only
// Reveal returns the content, for the one place that puts it on the wire.
type Secret string

const mask = "***"

// Reveal returns the secret's content.
func (s Secret) Reveal() string { return string(s) }

// String returns a mask, or "" for an empty secret.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return mask
}

// GoString returns a mask.
func (s Secret) GoString() string { return `wire.Secret("` + s.String() + `")` }

// Format prints a mask for every verb.
func (s Secret) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		_, _ = io.WriteString(f, s.GoString())
		return
	}
	_, _ = io.WriteString(f, s.String())
}

// LogValue masks the secret in structured logs.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalJSON writes a mask: secrets are never serialised.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + s.String() + `"`), nil }
