// Package vault encrypts secrets at rest — bank credentials and dialog
// state — with AES-256-GCM. Every sealed value names the key that sealed
// it, so keys can be rotated: the first key of a Keyring seals, all of them
// open.
package vault

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// KeySize is the length of a key: 32 bytes, for AES-256.
const KeySize = 32

const (
	version  = 1
	idLen    = 8
	nonceLen = 12
)

// Keyring holds the keys that seal and open secrets.
type Keyring struct {
	keys []key
}

type key struct {
	id   [idLen]byte
	aead cipher.AEAD
}

// NewKeyring returns a Keyring that seals with keys[0] and opens with any
// of keys.
func NewKeyring(keys ...[]byte) (*Keyring, error) {
	if len(keys) == 0 {
		return nil, errors.New("vault: no key")
	}
	k := &Keyring{}
	for i, raw := range keys {
		if len(raw) != KeySize {
			return nil, fmt.Errorf("vault: key %d has %d bytes, want %d", i+1, len(raw), KeySize)
		}
		block, err := aes.NewCipher(raw)
		if err != nil {
			return nil, fmt.Errorf("vault: key %d: %w", i+1, err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("vault: key %d: %w", i+1, err)
		}
		sum := sha256.Sum256(append([]byte("kontor vault key id\x00"), raw...))
		var id [idLen]byte
		copy(id[:], sum[:])
		k.keys = append(k.keys, key{id: id, aead: aead})
	}
	return k, nil
}

// ParseKeys parses a comma-separated list of 32-byte keys, each written as
// 64 hexadecimal digits or as standard base64.
func ParseKeys(s string) ([][]byte, error) {
	var keys [][]byte
	for i, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		var raw []byte
		if b, err := hex.DecodeString(part); err == nil && len(b) == KeySize {
			raw = b
		} else if b, err := base64.StdEncoding.DecodeString(part); err == nil && len(b) == KeySize {
			raw = b
		} else {
			return nil, fmt.Errorf("key %d is not 32 bytes in hex (64 digits) or base64", i+1)
		}
		keys = append(keys, raw)
	}
	return keys, nil
}

// NewKey returns a random key.
func NewKey() []byte {
	k := make([]byte, KeySize)
	if _, err := rand.Read(k); err != nil {
		panic("vault: crypto/rand failed: " + err.Error())
	}
	return k
}

// KeyID returns the ID of the sealing key, as stored beside sealed values.
func (k *Keyring) KeyID() string { return hex.EncodeToString(k.keys[0].id[:]) }

// Seal encrypts plaintext. context binds the result to where it is stored
// (a session or login ID): Open with another context fails, so sealed
// values cannot be moved between rows.
func (k *Keyring) Seal(plaintext []byte, context string) ([]byte, error) {
	primary := k.keys[0]
	out := make([]byte, 1+idLen+nonceLen, 1+idLen+nonceLen+len(plaintext)+primary.aead.Overhead())
	out[0] = version
	copy(out[1:], primary.id[:])
	if _, err := rand.Read(out[1+idLen:]); err != nil {
		return nil, fmt.Errorf("vault: nonce: %w", err)
	}
	return primary.aead.Seal(out, out[1+idLen:], plaintext, additional(out[:1+idLen], context)), nil
}

// ErrOpen is returned for a sealed value that cannot be opened: unknown
// key, wrong context, or tampered with.
var ErrOpen = errors.New("vault: cannot open sealed value")

// Open decrypts a value sealed with context.
func (k *Keyring) Open(sealed []byte, context string) ([]byte, error) {
	if len(sealed) < 1+idLen+nonceLen || sealed[0] != version {
		return nil, ErrOpen
	}
	for _, key := range k.keys {
		if [idLen]byte(sealed[1:1+idLen]) != key.id {
			continue
		}
		plain, err := key.aead.Open(nil, sealed[1+idLen:1+idLen+nonceLen], sealed[1+idLen+nonceLen:], additional(sealed[:1+idLen], context))
		if err != nil {
			return nil, ErrOpen
		}
		return plain, nil
	}
	return nil, ErrOpen
}

func additional(header []byte, context string) []byte {
	return append(append([]byte{}, header...), context...)
}
