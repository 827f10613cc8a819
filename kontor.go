// Package kontor holds Kontor's domain: API clients, users, bank logins and
// the data a bank login yields (accounts, transactions, standing orders and
// securities), the error codes every layer speaks, and the interfaces the
// adapters implement.
//
// The package knows nothing of HTTP or SQL. The finoOS v1 dialect (package
// finoos), the finAPI dialect, the Banking UI and the stores all depend on it,
// never the other way round.
package kontor

import (
	"crypto/rand"
	"encoding/hex"
)

// NewID returns a new server-made identifier: 24 lowercase hexadecimal
// characters (96 random bits), the shape finoOS uses for users and logins.
func NewID() string {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("kontor: crypto/rand failed: " + err.Error())
	}
	return hex.EncodeToString(b[:])
}
