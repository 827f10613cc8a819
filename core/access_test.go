package core

import (
	"context"
	"testing"
	"time"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/auth"
)

// TestAccessChecksRemembered checks what Authorize answers from its
// memory of recent sessions: a session revoked by another replica (here:
// through the store directly) keeps working for at most accessCacheTTL; one
// revoked by this replica stops at once; an unknown or foreign session is
// asked of the database.
func TestAccessChecksRemembered(t *testing.T) {
	ctx := context.Background()
	s, store, _ := newTestService(t)
	now := time.Now()
	s.Now = func() time.Time { return now }
	client, secret, pair := authenticated(t, s, "app")
	if c, err := s.Authorize(ctx, pair.AccessToken); err != nil || c.ID != client.ID {
		t.Fatalf("Authorize = %+v, %v", c, err)
	}

	// Another replica sees the refresh token used twice and revokes the
	// session.
	claims, err := s.signer.Verify(pair.RefreshToken, auth.TypeRefresh, now)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		store.SpendRefreshToken(ctx, client.ID, claims.ID, now)
	}
	if _, err := store.AccessClient(ctx, client.ID, claims.Family); kontor.ErrorCode(err) != kontor.EUNAUTHORIZED {
		t.Fatalf("the store still takes the revoked session: %v", err)
	}
	now = now.Add(accessCacheTTL - time.Millisecond)
	if _, err := s.Authorize(ctx, pair.AccessToken); err != nil {
		t.Fatalf("within the TTL the remembered check answers: %v", err)
	}
	now = now.Add(time.Millisecond)
	if _, err := s.Authorize(ctx, pair.AccessToken); kontor.ErrorCode(err) != kontor.EUNAUTHORIZED {
		t.Fatalf("after the TTL a session revoked elsewhere still works: %v", err)
	}

	// This replica revokes a session: its access tokens stop at once, and
	// an answer read before cannot bring it back.
	pair, _, err = s.Authenticate(ctx, "app", secret)
	if err != nil {
		t.Fatal(err)
	}
	next, _, err := s.Refresh(ctx, "app", secret, pair.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authorize(ctx, next.AccessToken); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Refresh(ctx, "app", secret, pair.RefreshToken); kontor.ErrorCode(err) != kontor.EUNAUTHORIZED {
		t.Fatalf("reusing a refresh token: %v", err)
	}
	for _, tok := range []string{pair.AccessToken, next.AccessToken} {
		if _, err := s.Authorize(ctx, tok); kontor.ErrorCode(err) != kontor.EUNAUTHORIZED {
			t.Errorf("an access token of the session this replica revoked still works: %v", err)
		}
	}
	family, err := s.signer.Verify(next.AccessToken, auth.TypeAccess, now)
	if err != nil {
		t.Fatal(err)
	}
	s.access.put(family.Family, client, now)
	if _, err := s.Authorize(ctx, next.AccessToken); kontor.ErrorCode(err) != kontor.EUNAUTHORIZED {
		t.Errorf("a check read before the revocation revived the session: %v", err)
	}

	// A token of a session the replica has not seen is checked in the
	// database; a family remembered for one client does not pass for
	// another.
	other, _, theirs := authenticated(t, s, "other")
	s.access = accessCache{}
	if c, err := s.Authorize(ctx, theirs.AccessToken); err != nil || c.ID != other.ID {
		t.Fatalf("Authorize of a session not remembered = %+v, %v", c, err)
	}
	theirClaims, _ := s.signer.Verify(theirs.AccessToken, auth.TypeAccess, now)
	if _, ok := s.access.get(client.ID, theirClaims.Family, now); ok {
		t.Error("another client's session passed for this client")
	}
}

// authenticated creates an API client named name and authenticates it,
// returning the client, its secret and its first token pair.
func authenticated(t *testing.T, s *Service, name string) (*kontor.Client, string, *TokenPair) {
	t.Helper()
	ctx := context.Background()
	client, secret, err := s.CreateClient(ctx, name, "")
	if err != nil {
		t.Fatal(err)
	}
	pair, _, err := s.Authenticate(ctx, name, secret)
	if err != nil {
		t.Fatal(err)
	}
	return client, secret, pair
}
