package httpx

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/kontor-dev/kontor"
)

// DecodeJSON decodes the request body, at most limit bytes, into v. It
// accepts exactly one JSON value, rejects fields v does not have, and turns
// every failure into a *kontor.Error whose message tells the caller what is
// wrong and where, without echoing the body.
func DecodeJSON(w http.ResponseWriter, r *http.Request, limit int64, v any) error {
	body := http.MaxBytesReader(w, r.Body, limit)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err, limit)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return decodeError(err, limit)
		}
		return kontor.Errorf(kontor.EINVALID, "Bad request. The body must hold exactly one JSON object")
	}
	return nil
}

func decodeError(err error, limit int64) error {
	var (
		syntax    *json.SyntaxError
		typ       *json.UnmarshalTypeError
		tooLarge  *http.MaxBytesError
		amountErr *kontor.AmountTypeError
	)
	switch {
	case errors.As(err, &tooLarge):
		return kontor.Errorf(kontor.ETOOLARGE, "Bad request. The body is larger than %d bytes", limit)
	case errors.Is(err, io.EOF):
		return kontor.Errorf(kontor.EINVALID, "Bad request. The body is empty; a JSON object is required")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return kontor.Errorf(kontor.EINVALID, "Bad request. The body is not complete JSON")
	case errors.As(err, &syntax):
		return kontor.Errorf(kontor.EINVALID, "Bad request. Malformed JSON at byte %d", syntax.Offset)
	case errors.As(err, &typ):
		if typ.Field == "" {
			return kontor.Errorf(kontor.EINVALID, "Bad request. The body must be a JSON object")
		}
		return kontor.Errorf(kontor.EINVALID, "Bad request. Field %s must be %s, not %s", typ.Field, jsonKind(typ.Type.Kind().String(), typ.Type.String()), typ.Value)
	case errors.As(err, &amountErr):
		return kontor.Errorf(kontor.EINVALID, "Bad request. An amount must be a JSON number: %s", amountErr.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return kontor.Errorf(kontor.EINVALID, "Bad request. Unknown field %s", strings.TrimPrefix(err.Error(), "json: unknown field "))
	default:
		// Errors of the domain types' own decoders (timestamps, amounts)
		// describe the value, not internals.
		return kontor.Errorf(kontor.EINVALID, "Bad request. %s", strings.TrimPrefix(err.Error(), "json: "))
	}
}

func jsonKind(kind, name string) string {
	switch kind {
	case "string":
		return "a string"
	case "bool":
		return "a boolean"
	case "int", "int64", "int32", "uint", "uint64", "float64":
		return "a number"
	case "slice", "array":
		return "an array"
	case "struct", "map":
		if strings.HasSuffix(name, "Amount") {
			return "a number"
		}
		if strings.HasSuffix(name, "Timestamp") {
			return "an RFC 3339 timestamp string"
		}
		return "an object"
	}
	return fmt.Sprintf("of type %s", name)
}

// WriteJSON writes v as a JSON response with the given status.
func WriteJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		return fmt.Errorf("writing JSON response: %w", err)
	}
	return nil
}
