package fints

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
)

// HTTPError reports a non-2xx answer from the bank's server.
type HTTPError struct {
	Status int
}

// Error returns the HTTP status.
func (e *HTTPError) Error() string {
	return fmt.Sprintf("fints: bank answered HTTP %d %s", e.Status, http.StatusText(e.Status))
}

// Unwrap classifies HTTP errors as the bank being unavailable.
func (e *HTTPError) Unwrap() error { return ErrBankUnavailable }

// post sends one raw FinTS message and returns the raw answer: the body is
// base64, whitespace in the answer is ignored, any non-2xx status is an
// error and the answer is bounded by the configured size.
func (c *Client) post(ctx context.Context, msg []byte) ([]byte, error) {
	body := base64.StdEncoding.EncodeToString(msg)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.cfg.URL, bytes.NewBufferString(body))
	if err != nil {
		return nil, fmt.Errorf("fints: building request: %w", err)
	}
	req.Header.Set("Content-Type", "text/plain")
	resp, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("fints: sending message: %w", ctx.Err())
		}
		return nil, fmt.Errorf("%w: sending message: %w", ErrBankUnavailable, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil, &HTTPError{Status: resp.StatusCode}
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, c.cfg.MaxResponseSize+1))
	if err != nil {
		return nil, fmt.Errorf("%w: reading answer: %w", ErrBankUnavailable, err)
	}
	if int64(len(raw)) > c.cfg.MaxResponseSize {
		return nil, protocolError("answer larger than %d bytes", c.cfg.MaxResponseSize)
	}
	return decodeBase64(raw)
}

// decodeBase64 decodes a base64 body after removing whitespace; padding is
// optional.
func decodeBase64(raw []byte) ([]byte, error) {
	clean := make([]byte, 0, len(raw))
	for _, b := range raw {
		switch b {
		case ' ', '\r', '\n', '\t':
		default:
			clean = append(clean, b)
		}
	}
	// Room for the unpadded reading too, which can yield more bytes than
	// the padded length suggests for a body whose length is no multiple of 4.
	out := make([]byte, base64.RawStdEncoding.DecodedLen(len(clean))+3)
	n, err := base64.StdEncoding.Decode(out, clean)
	if err != nil {
		n, err = base64.RawStdEncoding.Decode(out, bytes.TrimRight(clean, "="))
		if err != nil {
			return nil, protocolError("answer is not base64: %v", err)
		}
	}
	return out[:n], nil
}
