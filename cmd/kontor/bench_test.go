package main

import (
	"bytes"
	"fmt"
	"net/http"
	"testing"

	"github.com/kontor-dev/kontor/internal/testdb"
)

// BenchmarkLogins measures importing one login with 100,000 transactions
// through Set Logins and reading it back with Get Logins, over HTTP on
// loopback, on SQLite and on PostgreSQL (when KONTOR_TEST_POSTGRES is set).
//
//	go test -run '^$' -bench BenchmarkLogins -benchtime 3x ./cmd/kontor
func BenchmarkLogins(b *testing.B) {
	const n = 100_000
	body := uploadBody(n)
	backends := []struct {
		name string
		url  func(testing.TB) string
	}{{"sqlite", testdb.SQLite}, {"postgres", testdb.Postgres}}
	for _, be := range backends {
		b.Run(be.name, func(b *testing.B) {
			s := startServer(b, be.url(b))
			token := s.demoToken()
			user := s.createUser(token, "person")
			path := "/api/v1/users/" + user + "/banking/logins"

			b.Run(fmt.Sprintf("SetLogins/%dtx", n), func(b *testing.B) {
				b.SetBytes(int64(len(body)))
				for b.Loop() {
					if res := s.do("POST", path, body, "Authorization", token); res.Status != http.StatusNoContent {
						b.Fatalf("Set Logins: %d %s", res.Status, res.Body)
					}
				}
			})
			b.Run(fmt.Sprintf("GetLogins/%dtx", n), func(b *testing.B) {
				var size int
				for b.Loop() {
					res := s.do("GET", path, nil, "Authorization", token)
					if res.Status != http.StatusOK || bytes.Count(res.Body, []byte(`"purpose":"Rechnung`)) != n {
						b.Fatalf("Get Logins: %d", res.Status)
					}
					size = len(res.Body)
				}
				b.SetBytes(int64(size))
			})
		})
	}
}
