package finformat

import (
	"fmt"
	"strings"
)

// ParseError reports malformed input. It names the format, the line (for
// the SWIFT formats) or element path (for the XML formats) and the field at
// fault, and wraps the underlying error when there is one.
type ParseError struct {
	// Format is the format being read: "MT940", "MT535", "camt" or
	// "pain.001".
	Format string
	// Line is the 1-based line the field starts on; 0 when unknown.
	Line int
	// Field is the field tag (":61:") or XML element path ("Ntry/Amt").
	Field string
	// Msg says what is wrong.
	Msg string
	// Err is the underlying error, if any.
	Err error
}

// Error implements the error interface.
func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString(e.Format)
	if e.Line > 0 {
		fmt.Fprintf(&b, " line %d", e.Line)
	}
	if e.Field != "" {
		if e.Line > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, " field %s", e.Field)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *ParseError) Unwrap() error { return e.Err }

// quote shortens s for an error message and quotes it.
func quote(s string) string {
	const max = 40
	r := []rune(s)
	if len(r) > max {
		return fmt.Sprintf("%q...", string(r[:max]))
	}
	return fmt.Sprintf("%q", s)
}
