package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"testing"

	"github.com/kontor-dev/kontor/internal/testdb"
)

// TestClientFinAPICommand sets a client's finAPI token lifetimes with
// "kontor client finapi" and checks that the server issues tokens with
// them.
func TestClientFinAPICommand(t *testing.T) {
	db := testdb.SQLite(t)
	ctx := context.Background()
	var out, errOut bytes.Buffer
	if err := run(ctx, []string{"client", "create", "--name", "acme", "--db", db}, os.Getenv, &out, &errOut); err != nil {
		t.Fatalf("client create: %v %s", err, errOut.String())
	}
	var created map[string]string
	if err := json.Unmarshal(out.Bytes(), &created); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	args := []string{"client", "finapi", "--name", "acme", "--client-token-ttl", "2m", "--user-token-ttl", "0", "--db", db}
	if err := run(ctx, args, os.Getenv, &out, &errOut); err != nil {
		t.Fatalf("client finapi: %v %s", err, errOut.String())
	}
	var got map[string]string
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"name": "acme", "clientTokenTTL": "2m0s", "userTokenTTL": "0s", "refreshTokenTTL": "default"}
	for k, v := range want {
		if got[k] != v || len(got) != len(want) {
			t.Fatalf("client finapi printed %s, want %v", out.Bytes(), want)
		}
	}
	for _, bad := range [][]string{
		{"client", "finapi", "--name", "acme", "--user-token-ttl", "soon", "--db", db},
		{"client", "finapi", "--name", "acme", "--user-token-ttl", "1.5s", "--db", db},
		{"client", "finapi", "--name", "nobody", "--user-token-ttl", "1h", "--db", db},
		{"client", "finapi", "--db", db},
	} {
		if err := run(ctx, bad, os.Getenv, io.Discard, io.Discard); err == nil {
			t.Errorf("%v succeeded", bad)
		}
	}

	s := startServer(t, db)
	res := s.tokenRequest(url.Values{"grant_type": {"client_credentials"}, "client_id": {"acme"}, "client_secret": {created["secret"]}})
	wantStatus(t, res, http.StatusOK)
	if n := decodeObject(t, res.Body)["expires_in"]; n != json.Number("119") {
		t.Fatalf("expires_in = %v, want 119", n)
	}
	wantStatus(t, s.finapiUser(res.Field(t, "access_token"), `{"id":"u","password":"u-password"}`), http.StatusCreated)
	res = s.tokenRequest(url.Values{"grant_type": {"password"}, "client_id": {"acme"}, "client_secret": {created["secret"]},
		"username": {"u"}, "password": {"u-password"}})
	if n := decodeObject(t, res.Body)["expires_in"]; n != json.Number("0") {
		t.Fatalf("user token expires_in = %v, want 0 (never)", n)
	}
}
