package storetest

import (
	"testing"
	"time"

	"github.com/kontor-dev/kontor"
)

func testRefresh(t *testing.T, b Backend) {
	s := b.Open(t)
	c, other := mustClient(t, s, "acme"), mustClient(t, s, "other")
	u := mustUser(t, s, c)
	now := time.Now()

	sess := newSession(c, u)
	if err := s.CreateConnectSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	login := sampleLogins(5)[0]
	login.ID = "bank-login"
	sess.State, sess.LoginID = kontor.ConnectSucceeded, login.ID
	if err := s.CompleteConnectSession(ctx, sess, login, []byte("sealed-creds"), []byte("sealed-session")); err != nil {
		t.Fatal(err)
	}
	if err := s.ReplaceUploadedLogins(ctx, c.ID, u.ID, sampleLogins(2)); err != nil {
		t.Fatal(err)
	}

	rl, err := s.RefreshableLogin(ctx, c.ID, u.ID, "bank-login")
	if err != nil || string(rl.Credentials) != "sealed-creds" || string(rl.Session) != "sealed-session" ||
		len(rl.Login.Accounts[0].Transactions) != 5 || rl.Login.Source != kontor.SourceConnect || rl.LastSync.IsZero() {
		t.Fatalf("RefreshableLogin = %+v, %v", rl, err)
	}
	_, err = s.RefreshableLogin(ctx, other.ID, u.ID, "bank-login")
	wantCode(t, err, kontor.ENOTFOUND)
	_, err = s.RefreshableLogin(ctx, c.ID, u.ID, "nope")
	wantCode(t, err, kontor.ENOTFOUND)
	if up, err := s.RefreshableLogin(ctx, c.ID, u.ID, "login-0"); err != nil || up.Credentials != nil || up.Login.Source != kontor.SourceUpload {
		t.Fatalf("uploaded login = %+v, %v", up, err)
	}

	// Due once its last sync is older than the interval; leased once.
	if due, err := s.ClaimDueRefresh(ctx, now, now.Add(-time.Hour), time.Minute); err != nil || due != nil {
		t.Fatalf("a fresh login was due: %+v, %v", due, err)
	}
	due, err := s.ClaimDueRefresh(ctx, now, now.Add(time.Hour), time.Minute)
	if err != nil || due == nil || due.Login.ID != "bank-login" || due.UserID != u.ID || due.ClientID != c.ID {
		t.Fatalf("ClaimDueRefresh = %+v, %v", due, err)
	}
	if again, _ := s.ClaimDueRefresh(ctx, now, now.Add(time.Hour), time.Minute); again != nil {
		t.Fatal("a leased login was claimed twice")
	}
	if err := s.FailRefresh(ctx, c.ID, u.ID, "bank-login", "bank asked for SCA", now.Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if rl, _ := s.RefreshableLogin(ctx, c.ID, u.ID, "bank-login"); rl.RefreshError != "bank asked for SCA" {
		t.Fatalf("refresh error = %q", rl.RefreshError)
	}
	if again, _ := s.ClaimDueRefresh(ctx, now.Add(time.Hour), now.Add(2*time.Hour), time.Minute); again != nil {
		t.Fatal("claimed before its retry time")
	}
	if again, _ := s.ClaimDueRefresh(ctx, now.Add(25*time.Hour), now, time.Minute); again == nil {
		t.Fatal("not claimed after its retry time")
	}

	// A refresh replaces the data, keeps the credentials, stores the new
	// session and clears the error.
	fresh := sampleLogins(8)[0]
	fresh.ID = "bank-login"
	if err := s.SaveRefresh(ctx, c.ID, u.ID, fresh, []byte("sealed-session-2"), now.Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	rl, err = s.RefreshableLogin(ctx, c.ID, u.ID, "bank-login")
	if err != nil || len(rl.Login.Accounts[0].Transactions) != 8 || string(rl.Credentials) != "sealed-creds" ||
		string(rl.Session) != "sealed-session-2" || rl.RefreshError != "" {
		t.Fatalf("after SaveRefresh: %+v, %v", rl, err)
	}
	if st, _ := s.Analysis(ctx, c.ID, u.ID); st.Status != kontor.AnalysisPending {
		t.Fatalf("a refresh did not queue an analysis: %s", st.Status)
	}
	uploaded := sampleLogins(1)[0]
	wantCode(t, s.SaveRefresh(ctx, c.ID, u.ID, uploaded, nil, time.Time{}), kontor.ECONFLICT)
	wantCode(t, s.SaveRefresh(ctx, other.ID, u.ID, fresh, nil, time.Time{}), kontor.ENOTFOUND)
}
