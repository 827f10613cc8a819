package vault

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"testing"
)

func TestSealOpen(t *testing.T) {
	k1, k2 := NewKey(), NewKey()
	old, err := NewKeyring(k1)
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := old.Seal([]byte("654321"), "session-1")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte("654321")) {
		t.Fatal("sealed value holds the plaintext")
	}
	if again, _ := old.Seal([]byte("654321"), "session-1"); bytes.Equal(again, sealed) {
		t.Fatal("two seals of the same value are equal: the nonce is not random")
	}
	got, err := old.Open(sealed, "session-1")
	if err != nil || string(got) != "654321" {
		t.Fatalf("Open = %q, %v", got, err)
	}

	// Rotation: a new primary key seals, the old one still opens.
	rotated, _ := NewKeyring(k2, k1)
	if got, err := rotated.Open(sealed, "session-1"); err != nil || string(got) != "654321" {
		t.Fatalf("rotated Open = %q, %v", got, err)
	}
	if rotated.KeyID() == old.KeyID() {
		t.Fatal("key IDs of different keys are equal")
	}
	fresh, _ := rotated.Seal([]byte("x"), "c")
	if _, err := old.Open(fresh, "c"); !errors.Is(err, ErrOpen) {
		t.Fatal("a keyring without the sealing key opened the value")
	}

	tampered := append([]byte{}, sealed...)
	tampered[len(tampered)-1] ^= 1
	for name, tc := range map[string]struct {
		b   []byte
		ctx string
	}{
		"wrong context": {sealed, "session-2"},
		"tampered":      {tampered, "session-1"},
		"short":         {sealed[:10], "session-1"},
		"empty":         {nil, "session-1"},
	} {
		if _, err := old.Open(tc.b, tc.ctx); !errors.Is(err, ErrOpen) {
			t.Errorf("%s: Open error = %v, want ErrOpen", name, err)
		}
	}
}

func TestParseKeys(t *testing.T) {
	k := NewKey()
	keys, err := ParseKeys(hex.EncodeToString(k) + ", " + base64.StdEncoding.EncodeToString(k))
	if err != nil || len(keys) != 2 || !bytes.Equal(keys[0], k) || !bytes.Equal(keys[1], k) {
		t.Fatalf("ParseKeys = %v, %v", keys, err)
	}
	for _, bad := range []string{"", "short", hex.EncodeToString(k[:16]), "zz" + hex.EncodeToString(k)[2:]} {
		if _, err := ParseKeys(bad); err == nil {
			t.Errorf("ParseKeys(%q) succeeded", bad)
		}
	}
	if _, err := NewKeyring(k[:31]); err == nil {
		t.Error("NewKeyring accepted a 31-byte key")
	}
}
