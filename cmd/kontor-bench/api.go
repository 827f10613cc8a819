package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// api speaks the finoOS v1 dialect to a server at base: Kontor, or a
// baseline that answers the same requests.
type api struct {
	base   string
	client *http.Client
}

// newAPI returns an api with a connection pool large enough for conns
// concurrent clients, so that every client keeps its connection alive.
func newAPI(base string, conns int) *api {
	tr := &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        conns + 8,
		MaxIdleConnsPerHost: conns + 8,
		IdleConnTimeout:     time.Minute,
		DisableCompression:  true,
	}
	return &api{base: base, client: &http.Client{Transport: tr, Timeout: 10 * time.Minute}}
}

// close releases the api's idle connections.
func (a *api) close() { a.client.CloseIdleConnections() }

// reply is a response: status and body.
type reply struct {
	status int
	body   []byte
}

// do sends one request and reads the whole response. body may be nil.
func (a *api) do(ctx context.Context, method, path, token string, body []byte) (reply, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, a.base+path, rd)
	if err != nil {
		return reply{}, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	res, err := a.client.Do(req)
	if err != nil {
		return reply{}, fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer res.Body.Close()
	var buf bytes.Buffer
	if res.ContentLength > 0 {
		buf.Grow(int(res.ContentLength))
	}
	if _, err := buf.ReadFrom(res.Body); err != nil {
		return reply{}, fmt.Errorf("%s %s: reading response: %w", method, path, err)
	}
	return reply{res.StatusCode, buf.Bytes()}, nil
}

// discard sends one request and drops the response body, counting its
// bytes.
func (a *api) discard(ctx context.Context, method, path, token string) (int, int64, error) {
	req, err := http.NewRequestWithContext(ctx, method, a.base+path, nil)
	if err != nil {
		return 0, 0, err
	}
	req.Header.Set("Authorization", token)
	res, err := a.client.Do(req)
	if err != nil {
		return 0, 0, fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer res.Body.Close()
	n, err := io.Copy(io.Discard, res.Body)
	if err != nil {
		return res.StatusCode, n, fmt.Errorf("%s %s: reading response: %w", method, path, err)
	}
	return res.StatusCode, n, nil
}

// expect fails unless the reply has the wanted status.
func expect(r reply, err error, status int, what string) (reply, error) {
	if err != nil {
		return r, err
	}
	if r.status != status {
		return r, fmt.Errorf("%s: status %d, want %d: %.300s", what, r.status, status, r.body)
	}
	return r, nil
}

// authBody is the Authenticate request of a client.
func authBody(name, secret string) []byte {
	b, _ := json.Marshal(map[string]string{"name": name, "secret": secret})
	return b
}

// token authenticates and returns an access token.
func (a *api) token(ctx context.Context, body []byte) (string, reply, error) {
	r, err := a.do(ctx, "POST", "/api/v1/auth", "", body)
	if r, err = expect(r, err, http.StatusOK, "authenticating"); err != nil {
		return "", r, err
	}
	var pair struct {
		AccessToken string `json:"accessToken"`
	}
	if err := json.Unmarshal(r.body, &pair); err != nil || pair.AccessToken == "" {
		return "", r, fmt.Errorf("authenticating: no access token in %.200s", r.body)
	}
	return pair.AccessToken, r, nil
}

var createUserBody = []byte(`{"type":"person"}`)

// createUser creates a user and returns its ID.
func (a *api) createUser(ctx context.Context, token string) (string, reply, error) {
	r, err := a.do(ctx, "POST", "/api/v1/users", token, createUserBody)
	if r, err = expect(r, err, http.StatusOK, "creating user"); err != nil {
		return "", r, err
	}
	var u struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(r.body, &u); err != nil || u.ID == "" {
		return "", r, fmt.Errorf("creating user: no id in %.200s", r.body)
	}
	return u.ID, r, nil
}

// getUser reads a user.
func (a *api) getUser(ctx context.Context, token, user string) (reply, error) {
	r, err := a.do(ctx, "GET", "/api/v1/users/"+user, token, nil)
	return expect(r, err, http.StatusOK, "getting user")
}

// deleteUser deletes a user with all its data.
func (a *api) deleteUser(ctx context.Context, token, user string) error {
	r, err := a.do(ctx, "DELETE", "/api/v1/users/"+user, token, nil)
	_, err = expect(r, err, http.StatusNoContent, "deleting user")
	return err
}

// setLogins uploads a Set Logins body.
func (a *api) setLogins(ctx context.Context, token, user string, body []byte) (reply, error) {
	r, err := a.do(ctx, "POST", loginsPath(user), token, body)
	return expect(r, err, http.StatusNoContent, "setting logins")
}

// getLogins reads a user's logins.
func (a *api) getLogins(ctx context.Context, token, user string) (reply, error) {
	r, err := a.do(ctx, "GET", loginsPath(user), token, nil)
	return expect(r, err, http.StatusOK, "getting logins")
}

// loginsPath is the path of a user's logins.
func loginsPath(user string) string { return "/api/v1/users/" + user + "/banking/logins" }

// settle waits until the user's analysis, which Kontor runs in the
// background after every change of bank data, is no longer pending or
// running, so that its work does not run into the next measurement. A
// server without the analysis endpoint counts as settled.
func (a *api) settle(ctx context.Context, token, user string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		r, err := a.do(ctx, "GET", "/api/v1/users/"+user+"/analysis", token, nil)
		if err != nil {
			return err
		}
		if r.status == http.StatusNotFound || r.status == http.StatusMethodNotAllowed {
			return nil
		}
		var st struct {
			Status string `json:"status"`
		}
		if r.status != http.StatusOK || json.Unmarshal(r.body, &st) != nil {
			return fmt.Errorf("reading analysis status: %d %.200s", r.status, r.body)
		}
		if st.Status != "pending" && st.Status != "running" {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the user's analysis is still %s after %v", st.Status, timeout)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}
