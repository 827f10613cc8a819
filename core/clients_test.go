package core

import (
	"sync"
	"testing"
	"time"

	"github.com/kontor-dev/kontor/auth"
)

// TestSecretCache checks that only correct secrets are remembered, that
// they expire, and that another hash of the same secret is verified anew.
func TestSecretCache(t *testing.T) {
	cheap := auth.Params{Time: 1, Memory: 64, Threads: 1}
	hash, err := auth.HashSecret("correct-secret-0123", cheap)
	if err != nil {
		t.Fatal(err)
	}
	c := newSecretCache(time.Minute, 8)
	now := time.Now()

	if ok, err := c.verify(hash, "wrong-secret-0123456", now); ok || err != nil {
		t.Fatalf("wrong secret: ok=%v err=%v", ok, err)
	}
	if len(c.verified) != 0 {
		t.Fatal("a wrong secret was remembered")
	}
	if ok, err := c.verify(hash, "correct-secret-0123", now); !ok || err != nil {
		t.Fatalf("correct secret: ok=%v err=%v", ok, err)
	}
	if len(c.verified) != 1 {
		t.Fatalf("%d entries after a correct secret, want 1", len(c.verified))
	}
	for k := range c.verified {
		if string(k[:]) == "correct-secret-0123" {
			t.Fatal("the secret itself is kept")
		}
	}

	// Within the TTL the pair answers from the cache; a near miss does not.
	if ok, _ := c.verify(hash, "correct-secret-0123", now.Add(30*time.Second)); !ok {
		t.Fatal("cached secret rejected")
	}
	if ok, _ := c.verify(hash, "correct-secret-0124", now); ok {
		t.Fatal("a secret differing in one character passed")
	}

	// Another hash of the same secret (a rotated secret) is its own entry.
	rotated, err := auth.HashSecret("another-secret-0123", cheap)
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := c.verify(rotated, "correct-secret-0123", now); ok {
		t.Fatal("the old secret passed against the new hash")
	}

	// Expired entries are verified anew and dropped when wrong.
	if ok, err := c.verify("$argon2id$malformed", "correct-secret-0123", now); ok || err == nil {
		t.Fatalf("malformed hash: ok=%v err=%v", ok, err)
	}
	later := now.Add(2 * time.Minute)
	if ok, _ := c.verify(hash, "correct-secret-0123", later); !ok {
		t.Fatal("correct secret rejected after expiry")
	}

	// The cache stays within its size.
	for i := range 20 {
		h, _ := auth.HashSecret("correct-secret-0123", cheap)
		c.verify(h, "correct-secret-0123", later.Add(time.Duration(i)))
	}
	if len(c.verified) > 8 {
		t.Fatalf("%d entries, want at most 8", len(c.verified))
	}
}

// TestSecretCacheConcurrent verifies one pair from many goroutines at
// once; all agree and the pair is remembered once.
func TestSecretCacheConcurrent(t *testing.T) {
	hash, err := auth.HashSecret("correct-secret-0123", auth.Params{Time: 1, Memory: 1024, Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	c := newSecretCache(time.Minute, 8)
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			if ok, err := c.verify(hash, "correct-secret-0123", time.Now()); !ok || err != nil {
				t.Errorf("ok=%v err=%v", ok, err)
			}
			if ok, _ := c.verify(hash, "wrong-secret-01234567", time.Now()); ok {
				t.Error("wrong secret passed")
			}
		})
	}
	wg.Wait()
	if len(c.verified) != 1 || len(c.running) != 0 {
		t.Fatalf("verified %d, running %d; want 1, 0", len(c.verified), len(c.running))
	}
}
