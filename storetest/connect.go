package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kontor-dev/kontor"
)

func newSession(c *kontor.Client, u *kontor.User) *kontor.ConnectSession {
	now := time.Now().UTC().Truncate(time.Millisecond)
	return &kontor.ConnectSession{
		ID: kontor.NewID(), ClientID: c.ID, UserID: u.ID,
		RedirectURL: "https://app.example/ok", ErrorURL: "https://app.example/err", ExitURL: "https://app.example/exit",
		Recurring: true, UserIP: "203.0.113.7", CreatedAt: now, ExpiresAt: now.Add(15 * time.Minute),
		State: kontor.ConnectCreated,
	}
}

func testConnectSessions(t *testing.T, b Backend) {
	s := b.Open(t)
	c, other := mustClient(t, s, "acme"), mustClient(t, s, "other")
	u := mustUser(t, s, c)

	foreign := newSession(other, u)
	wantCode(t, s.CreateConnectSession(ctx, foreign), kontor.ENOTFOUND)

	sess := newSession(c, u)
	if err := s.CreateConnectSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	got, err := s.ConnectSession(ctx, sess.ID)
	if err != nil {
		t.Fatal(err)
	}
	timeEq := cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })
	if diff := cmp.Diff(sess, got, timeEq); diff != "" {
		t.Fatalf("session round trip (-want +got):\n%s", diff)
	}
	_, err = s.ConnectSession(ctx, "nope")
	wantCode(t, err, kontor.ENOTFOUND)

	// Two copies: the first update wins, the stale one is refused.
	a, _ := s.ConnectSession(ctx, sess.ID)
	stale, _ := s.ConnectSession(ctx, sess.ID)
	a.State, a.BankCode, a.Credentials, a.PINAttempts = kontor.ConnectOpened, "10020000", []byte{1, 2, 3}, 1
	if err := s.UpdateConnectSession(ctx, a); err != nil {
		t.Fatal(err)
	}
	stale.State = kontor.ConnectCancelled
	wantCode(t, s.UpdateConnectSession(ctx, stale), kontor.ECONFLICT)
	got, _ = s.ConnectSession(ctx, sess.ID)
	if got.State != kontor.ConnectOpened || got.BankCode != "10020000" || string(got.Credentials) != "\x01\x02\x03" || got.Version != 1 {
		t.Fatalf("after update: %+v", got)
	}

	// Completing stores the login as connected; Set Logins leaves it be.
	login := sampleLogins(5)[0]
	login.ID = "connected-1"
	got.State, got.LoginID, got.Credentials = kontor.ConnectSucceeded, login.ID, nil
	if err := s.CompleteConnectSession(ctx, got, login, []byte("sealed"), []byte("session")); err != nil {
		t.Fatal(err)
	}
	if err := s.ReplaceUploadedLogins(ctx, c.ID, u.ID, sampleLogins(1)); err != nil {
		t.Fatal(err)
	}
	logins, err := s.Logins(ctx, c.ID, u.ID)
	if err != nil || len(logins) != 2 || logins[0].ID != "connected-1" || logins[0].Source != kontor.SourceConnect || len(logins[0].Accounts[0].Transactions) != 5 {
		t.Fatalf("logins after connect and upload: %d, %v", len(logins), err)
	}
	clash := sampleLogins(1)
	clash[0].ID = "connected-1"
	wantCode(t, s.ReplaceUploadedLogins(ctx, c.ID, u.ID, clash), kontor.ECONFLICT)

	// Connecting again replaces the login's data in place.
	again := newSession(c, u)
	if err := s.CreateConnectSession(ctx, again); err != nil {
		t.Fatal(err)
	}
	login2 := sampleLogins(7)[0]
	login2.ID = "connected-1"
	again.State = kontor.ConnectSucceeded
	if err := s.CompleteConnectSession(ctx, again, login2, nil, nil); err != nil {
		t.Fatal(err)
	}
	logins, _ = s.Logins(ctx, c.ID, u.ID)
	byID := map[string]kontor.Login{}
	for _, l := range logins {
		byID[l.ID] = l
	}
	if len(logins) != 2 || len(byID["connected-1"].Accounts[0].Transactions) != 7 {
		t.Fatalf("reconnected login not replaced: %d logins", len(logins))
	}
	// An uploaded login cannot be taken over by a connection.
	up := newSession(c, u)
	if err := s.CreateConnectSession(ctx, up); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.CompleteConnectSession(ctx, up, sampleLogins(1)[0], nil, nil), kontor.ECONFLICT)

	// Deleting the user removes its sessions.
	if err := s.DeleteUser(ctx, c.ID, u.ID); err != nil {
		t.Fatal(err)
	}
	_, err = s.ConnectSession(ctx, sess.ID)
	wantCode(t, err, kontor.ENOTFOUND)
}
