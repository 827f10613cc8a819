package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/kontor-dev/kontor"
)

// This file holds the contract of kontor.FinAPIStore.

func finapiStr(s string) *string { return &s }

func mustFinAPIUser(t testing.TB, s kontor.Store, c *kontor.Client, username string) *kontor.FinAPIUser {
	t.Helper()
	u := &kontor.FinAPIUser{
		User:     kontor.User{ID: kontor.NewID(), ClientID: c.ID, Type: kontor.UserPerson},
		Username: username, PasswordHash: "$argon2id$test",
	}
	if err := s.CreateFinAPIUser(ctx, u); err != nil {
		t.Fatalf("CreateFinAPIUser: %v", err)
	}
	return u
}

func testFinAPIClientSettings(t *testing.T, b Backend) {
	s := b.Open(t)
	c := mustClient(t, s, "acme")
	got, err := s.FinAPIClientSettings(ctx, c.ID)
	if err != nil || got.ClientTokenTTL != nil || got.UserTokenTTL != nil || got.RefreshTokenTTL != nil {
		t.Fatalf("settings of a new client = %+v, %v; want all nil (server defaults)", got, err)
	}
	hour, never := time.Hour, time.Duration(0)
	if err := s.SetFinAPIClientSettings(ctx, c.ID, kontor.FinAPIClientSettings{ClientTokenTTL: &hour, RefreshTokenTTL: &never}); err != nil {
		t.Fatal(err)
	}
	got, err = s.FinAPIClientSettings(ctx, c.ID)
	if err != nil || got.ClientTokenTTL == nil || *got.ClientTokenTTL != hour || got.UserTokenTTL != nil ||
		got.RefreshTokenTTL == nil || *got.RefreshTokenTTL != 0 {
		t.Fatalf("settings = %+v, %v; want client 1h, user nil, refresh 0", got, err)
	}
	wantCode(t, s.SetFinAPIClientSettings(ctx, "no-such-client", got), kontor.ENOTFOUND)
	_, err = s.FinAPIClientSettings(ctx, "no-such-client")
	wantCode(t, err, kontor.ENOTFOUND)
}

func testFinAPIUsers(t *testing.T, b Backend) {
	s := b.Open(t)
	c, other := mustClient(t, s, "acme"), mustClient(t, s, "other")
	u := &kontor.FinAPIUser{
		User:     kontor.User{ID: kontor.NewID(), ClientID: c.ID, Type: kontor.UserPerson},
		Username: "Jane.Doe+1@example", PasswordHash: "$argon2id$hash",
		Email: finapiStr("jane@example.org"), Phone: finapiStr("+49 99 999999-999"), AutoUpdate: true,
	}
	if err := s.CreateFinAPIUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Jane.Doe+1@example", "jane.doe+1@EXAMPLE"} {
		got, err := s.FinAPIUserByName(ctx, c.ID, name)
		if err != nil {
			t.Fatalf("FinAPIUserByName(%q): %v", name, err)
		}
		if got.ID != u.ID || got.Username != u.Username || got.PasswordHash != u.PasswordHash || *got.Email != *u.Email ||
			*got.Phone != *u.Phone || !got.AutoUpdate || got.Locked || got.FailedLogins != 0 || got.Reference != "" {
			t.Fatalf("FinAPIUserByName(%q) = %+v, want %+v", name, got, u)
		}
	}
	// Usernames are unique per client regardless of case; another client
	// may have the same one.
	dup := &kontor.FinAPIUser{User: kontor.User{ID: kontor.NewID(), ClientID: c.ID, Type: kontor.UserPerson}, Username: "JANE.DOE+1@example"}
	wantCode(t, s.CreateFinAPIUser(ctx, dup), kontor.ECONFLICT)
	mustFinAPIUser(t, s, other, "jane.doe+1@example")
	_, err := s.FinAPIUserByName(ctx, other.ID, "nobody")
	wantCode(t, err, kontor.ENOTFOUND)

	// A finAPI user is an ordinary user; a finoOS user has no finAPI
	// fields and no username to log in with.
	if got, err := s.User(ctx, c.ID, u.ID); err != nil || got.ID != u.ID {
		t.Fatalf("User of a finAPI user = %+v, %v", got, err)
	}
	plain := mustUser(t, s, c)
	got, err := s.FinAPIUser(ctx, c.ID, plain.ID)
	if err != nil || got.Username != "" || got.PasswordHash != "" || got.Email != nil || got.Phone != nil || got.AutoUpdate {
		t.Fatalf("FinAPIUser of a finoOS user = %+v, %v; want no finAPI fields", got, err)
	}
	_, err = s.FinAPIUser(ctx, other.ID, u.ID)
	wantCode(t, err, kontor.ENOTFOUND)
	_, err = s.FinAPIUserByName(ctx, other.ID, "Jane.Doe+1@example-not")
	wantCode(t, err, kontor.ENOTFOUND)

	u.Email, u.Phone, u.AutoUpdate = nil, finapiStr("+1"), false
	if err := s.UpdateFinAPIUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	got, err = s.FinAPIUser(ctx, c.ID, u.ID)
	if err != nil || got.Email != nil || got.Phone == nil || *got.Phone != "+1" || got.AutoUpdate {
		t.Fatalf("after update = %+v, %v", got, err)
	}
	foreign := *u
	foreign.ClientID = other.ID
	wantCode(t, s.UpdateFinAPIUser(ctx, &foreign), kontor.ENOTFOUND)
}

func testFinAPILoginLock(t *testing.T, b Backend) {
	s := b.Open(t)
	c := mustClient(t, s, "acme")
	u := mustFinAPIUser(t, s, c, "user")
	now := time.Now()
	tok := kontor.FinAPIToken{ID: kontor.NewID(), Hash: "h-" + kontor.NewID(), Kind: kontor.FinAPIAccessToken, GrantID: "g", ClientID: c.ID, UserID: u.ID}
	if err := s.CreateFinAPITokens(ctx, []kontor.FinAPIToken{tok}); err != nil {
		t.Fatal(err)
	}
	record := func(ok bool) bool {
		t.Helper()
		locked, err := s.RecordFinAPILogin(ctx, c.ID, u.ID, ok, 3)
		if err != nil {
			t.Fatal(err)
		}
		return locked
	}
	// A success clears the count: only consecutive failures lock.
	if record(false) || record(false) || record(true) || record(false) || record(false) {
		t.Fatal("locked before three consecutive failures")
	}
	if _, err := s.FinAPIAccess(ctx, tok.Hash, now); err != nil {
		t.Fatalf("token of an unlocked user: %v", err)
	}
	if !record(false) {
		t.Fatal("not locked after three consecutive failures")
	}
	if !record(true) {
		t.Fatal("a success unlocked a locked user")
	}
	got, err := s.FinAPIUser(ctx, c.ID, u.ID)
	if err != nil || !got.Locked || got.FailedLogins != 3 {
		t.Fatalf("locked user = %+v, %v", got, err)
	}
	_, err = s.FinAPIAccess(ctx, tok.Hash, now)
	wantCode(t, err, kontor.EUNAUTHORIZED)
	_, err = s.RecordFinAPILogin(ctx, c.ID, "missing", false, 3)
	wantCode(t, err, kontor.ENOTFOUND)
}

func newFinAPIToken(c *kontor.Client, userID string, kind kontor.FinAPITokenKind, grant string, expires time.Time) kontor.FinAPIToken {
	return kontor.FinAPIToken{
		ID: kontor.NewID(), Hash: "hash-" + kontor.NewID(), Kind: kind, GrantID: grant, ClientID: c.ID, UserID: userID,
		ExpiresAt: expires, CreatedAt: time.Now(),
	}
}

func testFinAPITokens(t *testing.T, b Backend) {
	s := b.Open(t)
	c, other := mustClient(t, s, "acme"), mustClient(t, s, "other")
	u := mustFinAPIUser(t, s, c, "user")
	now := time.Now()
	hour := now.Add(time.Hour)

	clientTok := newFinAPIToken(c, "", kontor.FinAPIAccessToken, "g1", hour)
	access := newFinAPIToken(c, u.ID, kontor.FinAPIAccessToken, "g2", hour)
	refresh := newFinAPIToken(c, u.ID, kontor.FinAPIRefreshToken, "g2", now.Add(24*time.Hour))
	forever := newFinAPIToken(c, "", kontor.FinAPIAccessToken, "g3", time.Time{})
	if err := s.CreateFinAPITokens(ctx, []kontor.FinAPIToken{clientTok, access, refresh, forever}); err != nil {
		t.Fatal(err)
	}
	// A token of a user that does not exist is refused, and nothing of
	// the batch is stored.
	ghost := newFinAPIToken(c, "no-such-user", kontor.FinAPIAccessToken, "g4", hour)
	good := newFinAPIToken(c, "", kontor.FinAPIAccessToken, "g5", hour)
	wantCode(t, s.CreateFinAPITokens(ctx, []kontor.FinAPIToken{good, ghost}), kontor.ENOTFOUND)
	_, err := s.FinAPIAccess(ctx, good.Hash, now)
	wantCode(t, err, kontor.EUNAUTHORIZED)

	a, err := s.FinAPIAccess(ctx, clientTok.Hash, now)
	if err != nil || a.Client.ID != c.ID || a.User != nil || a.Token.GrantID != "g1" || a.Token.ExpiresAt.Sub(hour).Abs() > time.Millisecond {
		t.Fatalf("client token = %+v, %v", a, err)
	}
	a, err = s.FinAPIAccess(ctx, access.Hash, now)
	if err != nil || a.Client.ID != c.ID || a.User == nil || a.User.ID != u.ID || a.User.Username != "user" || a.Token.UserID != u.ID {
		t.Fatalf("user token = %+v, %v", a, err)
	}
	if a, err := s.FinAPIAccess(ctx, forever.Hash, now.Add(100*365*24*time.Hour)); err != nil || !a.Token.ExpiresAt.IsZero() {
		t.Fatalf("never expiring token = %+v, %v", a, err)
	}
	for name, h := range map[string]string{"refresh token": refresh.Hash, "unknown": "nope"} {
		if _, err := s.FinAPIAccess(ctx, h, now); kontor.ErrorCode(err) != kontor.EUNAUTHORIZED {
			t.Errorf("FinAPIAccess(%s) = %v, want EUNAUTHORIZED", name, err)
		}
	}
	_, err = s.FinAPIAccess(ctx, access.Hash, hour)
	wantCode(t, err, kontor.EUNAUTHORIZED) // expired

	r, err := s.FinAPIRefresh(ctx, c.ID, refresh.Hash, now)
	if err != nil || r.GrantID != "g2" || r.UserID != u.ID || r.Kind != kontor.FinAPIRefreshToken {
		t.Fatalf("FinAPIRefresh = %+v, %v", r, err)
	}
	for name, tc := range map[string]struct {
		client, hash string
		at           time.Time
	}{
		"other client": {other.ID, refresh.Hash, now},
		"access token": {c.ID, access.Hash, now},
		"expired":      {c.ID, refresh.Hash, now.Add(25 * time.Hour)},
	} {
		if _, err := s.FinAPIRefresh(ctx, tc.client, tc.hash, tc.at); kontor.ErrorCode(err) != kontor.EUNAUTHORIZED {
			t.Errorf("FinAPIRefresh(%s) = %v, want EUNAUTHORIZED", name, err)
		}
	}

	// Reuse: the newest live grant of the owner.
	got, err := s.ReusableFinAPITokens(ctx, c.ID, u.ID, now.Add(time.Minute), true)
	if err != nil || len(got) != 2 || got[0].Hash != access.Hash || got[1].Hash != refresh.Hash {
		t.Fatalf("reusable user tokens = %+v, %v", got, err)
	}
	if got, err := s.ReusableFinAPITokens(ctx, c.ID, u.ID, now.Add(2*time.Hour), true); err != nil || got != nil {
		t.Fatalf("reusable user tokens past their expiry = %+v, %v; want none", got, err)
	}
	got, err = s.ReusableFinAPITokens(ctx, c.ID, "", now.Add(2*time.Hour), false)
	if err != nil || len(got) != 1 || got[0].Hash != forever.Hash {
		t.Fatalf("reusable client tokens in two hours = %+v, %v; want the never expiring one", got, err)
	}
	if got, err := s.ReusableFinAPITokens(ctx, other.ID, "", now, false); err != nil || got != nil {
		t.Fatalf("another client reuses %+v, %v", got, err)
	}

	// Refreshing replaces the grant's access token.
	next := newFinAPIToken(c, u.ID, kontor.FinAPIAccessToken, "g2", hour)
	if err := s.ReplaceFinAPIAccessToken(ctx, next); err != nil {
		t.Fatal(err)
	}
	_, err = s.FinAPIAccess(ctx, access.Hash, now)
	wantCode(t, err, kontor.EUNAUTHORIZED)
	if _, err := s.FinAPIAccess(ctx, next.Hash, now); err != nil {
		t.Fatal(err)
	}

	// Revocation is per client and by scope.
	if err := s.RevokeFinAPIToken(ctx, other.ID, next.Hash, kontor.RevokeGrant); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FinAPIAccess(ctx, next.Hash, now); err != nil {
		t.Fatalf("another client revoked a token: %v", err)
	}
	if err := s.RevokeFinAPIToken(ctx, c.ID, next.Hash, kontor.RevokeAccessToken); err != nil {
		t.Fatal(err)
	}
	_, err = s.FinAPIAccess(ctx, next.Hash, now)
	wantCode(t, err, kontor.EUNAUTHORIZED)
	if _, err := s.FinAPIRefresh(ctx, c.ID, refresh.Hash, now); err != nil {
		t.Fatalf("revoking an access token revoked its refresh token: %v", err)
	}
	third := newFinAPIToken(c, u.ID, kontor.FinAPIAccessToken, "g2", hour)
	if err := s.ReplaceFinAPIAccessToken(ctx, third); err != nil {
		t.Fatal(err)
	}
	if err := s.RevokeFinAPIToken(ctx, c.ID, refresh.Hash, kontor.RevokeRefreshToken); err != nil {
		t.Fatal(err)
	}
	_, err = s.FinAPIAccess(ctx, third.Hash, now)
	wantCode(t, err, kontor.EUNAUTHORIZED)
	_, err = s.FinAPIRefresh(ctx, c.ID, refresh.Hash, now)
	wantCode(t, err, kontor.EUNAUTHORIZED)
	if err := s.RevokeFinAPIToken(ctx, c.ID, "unknown", kontor.RevokeGrant); err != nil {
		t.Fatalf("revoking an unknown token: %v", err)
	}

	// Expired tokens are swept; live ones stay.
	old := newFinAPIToken(c, "", kontor.FinAPIAccessToken, "g6", now.Add(-time.Second))
	if err := s.CreateFinAPITokens(ctx, []kontor.FinAPIToken{old}); err != nil {
		t.Fatal(err)
	}
	n, err := s.DeleteExpiredFinAPITokens(ctx, now)
	if err != nil || n != 1 {
		t.Fatalf("DeleteExpiredFinAPITokens = %d, %v; want 1", n, err)
	}
	if _, err := s.FinAPIAccess(ctx, clientTok.Hash, now); err != nil {
		t.Fatalf("a live token was swept: %v", err)
	}

	// Deleting the user deletes its tokens.
	last := newFinAPIToken(c, u.ID, kontor.FinAPIAccessToken, "g7", hour)
	if err := s.CreateFinAPITokens(ctx, []kontor.FinAPIToken{last}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteUser(ctx, c.ID, u.ID); err != nil {
		t.Fatal(err)
	}
	_, err = s.FinAPIAccess(ctx, last.Hash, now)
	wantCode(t, err, kontor.EUNAUTHORIZED)
}

func newFinAPIProcess(c *kontor.Client, ref string, expires time.Time) kontor.Process {
	return kontor.Process{
		TokenHash: "p-" + kontor.NewID(), ClientID: c.ID, Reference: ref, MaxExchanges: 3, ExpiresAt: expires, CreatedAt: time.Now(),
		NewUser: &kontor.FinAPIUser{User: kontor.User{ID: kontor.NewID(), ClientID: c.ID, Type: kontor.UserPerson}, Username: kontor.NewID()},
	}
}

func testProcesses(t *testing.T, b Backend) {
	s := b.Open(t)
	c, other := mustClient(t, s, "acme"), mustClient(t, s, "other")
	now := time.Now()
	day := now.Add(24 * time.Hour)
	ps := []kontor.Process{newFinAPIProcess(c, "customer-1", day), newFinAPIProcess(c, "customer-2", day), newFinAPIProcess(c, "customer-1", day), newFinAPIProcess(other, "customer-1", day)}
	if err := s.CreateProcesses(ctx, ps); err != nil {
		t.Fatal(err)
	}
	if ps[0].UserID != ps[0].NewUser.ID || ps[1].UserID != ps[1].NewUser.ID || ps[2].UserID != ps[0].UserID || ps[3].UserID != ps[3].NewUser.ID {
		t.Fatalf("process users = %s %s %s %s; want one user per client and reference", ps[0].UserID, ps[1].UserID, ps[2].UserID, ps[3].UserID)
	}
	u, err := s.FinAPIUser(ctx, c.ID, ps[0].UserID)
	if err != nil || u.Reference != "customer-1" || u.Username == "" || u.PasswordHash != "" {
		t.Fatalf("process user = %+v, %v", u, err)
	}
	// A later request reuses the reference's user.
	again := []kontor.Process{newFinAPIProcess(c, "customer-2", day)}
	if err := s.CreateProcesses(ctx, again); err != nil || again[0].UserID != ps[1].UserID {
		t.Fatalf("second process for customer-2 has user %s (%v), want %s", again[0].UserID, err, ps[1].UserID)
	}
	if _, total, err := s.Users(ctx, c.ID, kontor.Page{Page: 1, PerPage: 10}); err != nil || total != 2 {
		t.Fatalf("client has %d users (%v), want 2", total, err)
	}

	for i := 1; i <= 3; i++ {
		p, err := s.ExchangeProcess(ctx, ps[0].TokenHash, false, now)
		if err != nil || p.UserID != ps[0].UserID || p.ClientID != c.ID || p.Exchanges != i {
			t.Fatalf("exchange %d = %+v, %v", i, p, err)
		}
	}
	_, err = s.ExchangeProcess(ctx, ps[0].TokenHash, false, now)
	wantCode(t, err, kontor.ENOTFOUND) // used up
	if _, err := s.ExchangeProcess(ctx, ps[1].TokenHash, true, now); err != nil {
		t.Fatal(err)
	}
	_, err = s.ExchangeProcess(ctx, ps[1].TokenHash, false, now)
	wantCode(t, err, kontor.ENOTFOUND) // invalidated
	_, err = s.ExchangeProcess(ctx, ps[2].TokenHash, false, day)
	wantCode(t, err, kontor.ENOTFOUND) // expired
	_, err = s.ExchangeProcess(ctx, "unknown", false, now)
	wantCode(t, err, kontor.ENOTFOUND)

	// All or nothing: a batch with a repeated token stores nothing, not
	// even the new reference's user.
	bad := []kontor.Process{newFinAPIProcess(c, "customer-3", day), newFinAPIProcess(c, "customer-4", day)}
	bad[1].TokenHash = bad[0].TokenHash
	if err := s.CreateProcesses(ctx, bad); err == nil {
		t.Fatal("CreateProcesses stored two processes with the same token")
	}
	if _, total, _ := s.Users(ctx, c.ID, kontor.Page{Page: 1, PerPage: 10}); total != 2 {
		t.Fatalf("a failed batch left users behind: %d users", total)
	}
	_, err = s.ExchangeProcess(ctx, bad[0].TokenHash, false, now)
	wantCode(t, err, kontor.ENOTFOUND)

	// Expired processes are swept (their token can be stored anew only
	// then); deleting a user deletes its processes.
	expired := []kontor.Process{newFinAPIProcess(c, "customer-1", now.Add(-time.Second))}
	if err := s.CreateProcesses(ctx, expired); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DeleteExpiredFinAPITokens(ctx, now); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateProcesses(ctx, expired); err != nil {
		t.Fatalf("the expired process was not swept: %v", err)
	}
	last := []kontor.Process{newFinAPIProcess(other, "customer-1", day)}
	if err := s.CreateProcesses(ctx, last); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteUser(ctx, other.ID, last[0].UserID); err != nil {
		t.Fatal(err)
	}
	_, err = s.ExchangeProcess(ctx, last[0].TokenHash, false, now)
	wantCode(t, err, kontor.ENOTFOUND)
}

func testProcessesConcurrent(t *testing.T, b Backend) {
	s := b.Open(t)
	c := mustClient(t, s, "acme")
	day := time.Now().Add(24 * time.Hour)
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		users = map[string]bool{}
		errs  []error
	)
	for i := range 16 {
		wg.Go(func() {
			ps := []kontor.Process{newFinAPIProcess(c, "shared", day), newFinAPIProcess(c, fmt.Sprintf("own-%d", i), day)}
			err := s.CreateProcesses(ctx, ps)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			users[ps[0].UserID] = true
		})
	}
	wg.Wait()
	for _, err := range errs {
		t.Errorf("concurrent CreateProcesses: %v", err)
	}
	if len(users) != 1 {
		t.Fatalf("concurrent processes for one reference made %d users, want 1", len(users))
	}
	if _, total, err := s.Users(ctx, c.ID, kontor.Page{Page: 1, PerPage: 100}); err != nil || total != 17 {
		t.Fatalf("%d users (%v), want 17", total, err)
	}
}
