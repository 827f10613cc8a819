package finformat

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// decodeXML unmarshals an ISO 20022 document into v. Documents may be
// UTF-8, US-ASCII or ISO-8859-1; element names match in any namespace.
func decodeXML(format string, data []byte, v any) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = func(label string, input io.Reader) (io.Reader, error) {
		switch strings.ToLower(label) {
		case "utf-8", "utf8", "us-ascii", "ascii":
			return input, nil
		case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1":
			b, err := io.ReadAll(input)
			if err != nil {
				return nil, err
			}
			r := make([]rune, len(b))
			for i, c := range b {
				r[i] = rune(c)
			}
			return strings.NewReader(string(r)), nil
		}
		return nil, fmt.Errorf("unsupported encoding %q", label)
	}
	if err := d.Decode(v); err != nil {
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			return &ParseError{Format: format, Line: se.Line, Msg: "malformed XML", Err: errors.New(se.Msg)}
		}
		if errors.Is(err, io.EOF) {
			return &ParseError{Format: format, Msg: "no XML element found"}
		}
		return &ParseError{Format: format, Msg: "malformed XML", Err: err}
	}
	return nil
}

// xDate is an ISO 20022 date choice: Dt or DtTm.
type xDate struct {
	Dt   string `xml:"Dt"`
	DtTm string `xml:"DtTm"`
}

func (x xDate) parse() (time.Time, error) {
	if dt := strings.TrimSpace(x.Dt); dt != "" {
		return parseISODate(dt)
	}
	return parseISODateTime(strings.TrimSpace(x.DtTm))
}

// parseISODate parses an ISO date ("2025-03-05"), which XML Schema lets
// carry a zone ("2025-03-05+01:00"); the zone is ignored.
func parseISODate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if len(s) < 10 {
		return time.Time{}, fmt.Errorf("date %s: want YYYY-MM-DD", quote(s))
	}
	t, err := time.Parse(time.DateOnly, s[:10])
	if err != nil {
		return time.Time{}, fmt.Errorf("date %s: want YYYY-MM-DD", quote(s))
	}
	if zone := s[10:]; zone != "" && zone != "Z" {
		if _, err := time.Parse("-07:00", zone); err != nil {
			return time.Time{}, fmt.Errorf("date %s: want YYYY-MM-DD", quote(s))
		}
	}
	return t, nil
}

// parseISODateTime parses an ISO date and time, with or without zone (UTC
// when none), and returns it in UTC.
func parseISODateTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("date and time %s: want YYYY-MM-DDThh:mm:ss with an optional zone", quote(s))
}

// isMidnightUTC reports whether t is a plain day as parseISODate returns.
func isMidnightUTC(t time.Time) bool {
	return t.Equal(day(t)) && t.Location() == time.UTC
}

// xmlWriter writes an indented XML document.
type xmlWriter struct {
	b     bytes.Buffer
	depth int
}

func (w *xmlWriter) indent() {
	w.b.WriteByte('\n')
	for range w.depth {
		w.b.WriteString("  ")
	}
}

// open starts an element; attrs are name/value pairs.
func (w *xmlWriter) open(name string, attrs ...string) {
	w.indent()
	w.b.WriteByte('<')
	w.b.WriteString(name)
	for i := 0; i+1 < len(attrs); i += 2 {
		w.b.WriteByte(' ')
		w.b.WriteString(attrs[i])
		w.b.WriteString(`="`)
		xml.EscapeText(&w.b, []byte(attrs[i+1]))
		w.b.WriteByte('"')
	}
	w.b.WriteByte('>')
	w.depth++
}

func (w *xmlWriter) close(name string) {
	w.depth--
	w.indent()
	w.b.WriteString("</")
	w.b.WriteString(name)
	w.b.WriteByte('>')
}

// leaf writes an element with text, or nothing when the text is empty.
func (w *xmlWriter) leaf(name, value string, attrs ...string) {
	if value == "" {
		return
	}
	w.leafAlways(name, value, attrs...)
}

// leafAlways writes an element with text, even empty.
func (w *xmlWriter) leafAlways(name, value string, attrs ...string) {
	w.open(name, attrs...)
	w.depth--
	xml.EscapeText(&w.b, []byte(value))
	w.b.WriteString("</")
	w.b.WriteString(name)
	w.b.WriteByte('>')
}

// date writes a date choice element (Dt for plain days, DtTm otherwise),
// or nothing for the zero time.
func (w *xmlWriter) date(name string, t time.Time) {
	if t.IsZero() {
		return
	}
	w.open(name)
	w.dateValue(t)
	w.close(name)
}

func (w *xmlWriter) dateValue(t time.Time) {
	if isMidnightUTC(t) {
		w.leaf("Dt", t.Format(time.DateOnly))
	} else {
		w.leaf("DtTm", t.UTC().Format(time.RFC3339Nano))
	}
}

// dateTime writes an ISO date-time element, or nothing for the zero time.
func (w *xmlWriter) dateTime(name string, t time.Time) {
	if !t.IsZero() {
		w.leaf(name, t.UTC().Format(time.RFC3339Nano))
	}
}

func (w *xmlWriter) bytes() []byte {
	return append(append([]byte(`<?xml version="1.0" encoding="UTF-8"?>`), w.b.Bytes()...), '\n')
}
