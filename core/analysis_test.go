package core

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/sqlstore"
)

// newTestService returns a service on a new SQLite database with one
// API client.
func newTestService(t *testing.T) (*Service, *sqlstore.DB, *kontor.Client) {
	t.Helper()
	ctx := context.Background()
	store, err := sqlstore.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "kontor.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	s, err := New(ctx, store, DefaultConfig(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	c := &kontor.Client{ID: kontor.NewID(), Name: "acme", SecretHash: "$argon2id$test", APIVersion: kontor.DefaultAPIVersion}
	if err := store.CreateClient(ctx, c); err != nil {
		t.Fatal(err)
	}
	return s, store, c
}

// uploadForAnalysis creates a user with one uploaded transaction, which
// queues its analysis.
func uploadForAnalysis(t *testing.T, store kontor.Store, c *kontor.Client) *kontor.User {
	t.Helper()
	ctx := context.Background()
	u := &kontor.User{ID: kontor.NewID(), ClientID: c.ID, Type: kontor.UserPerson}
	if err := store.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	logins := []kontor.Login{{ID: "L1", Accounts: []kontor.Account{{
		ID: "A1", Name: "Giro", Type: "GIRO", Currency: "EUR",
		Balance: kontor.MustParseAmount("10"), CreditLine: kontor.MustParseAmount("0"), MonthlySpendingLimit: kontor.MustParseAmount("0"),
		Transactions: []kontor.Transaction{{ID: "T1", Amount: kontor.MustParseAmount("-12.5"), Currency: "EUR", Purpose: "REWE Markt"}},
	}}}}
	if err := store.ReplaceUploadedLogins(ctx, c.ID, u.ID, logins); err != nil {
		t.Fatal(err)
	}
	return u
}

// TestAnalysisWorkers checks that workers running several analyses at
// once finish every queued job, taken in batches, and return once stopped.
func TestAnalysisWorkers(t *testing.T) {
	ctx := context.Background()
	s, store, c := newTestService(t)
	var users []*kontor.User
	for range 25 {
		users = append(users, uploadForAnalysis(t, store, c))
	}
	stopped, stop := context.WithCancel(ctx)
	returned := make(chan struct{})
	go func() {
		s.RunAnalysisWorkers(stopped, 4)
		close(returned)
	}()
	deadline := time.Now().Add(30 * time.Second)
	for _, u := range users {
		for {
			st, err := store.Analysis(ctx, c.ID, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			if st.Status == kontor.AnalysisDone {
				break
			}
			if st.Status == kontor.AnalysisFailed || time.Now().After(deadline) {
				t.Fatalf("user %s's analysis is %+v", u.ID, st)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	// A job queued while the workers wait is taken when they are woken.
	late := uploadForAnalysis(t, store, c)
	s.notifyAnalysis()
	for {
		if st, _ := store.Analysis(ctx, c.ID, late.ID); st.Status == kontor.AnalysisDone {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("a job queued later was not analysed")
		}
		time.Sleep(10 * time.Millisecond)
	}
	stop()
	select {
	case <-returned:
	case <-time.After(10 * time.Second):
		t.Fatal("the workers did not return after being stopped")
	}
}

// TestAnalysisInterruptedByShutdown checks that a job whose worker is
// stopped midway goes back to the queue instead of marking the user's
// analysis failed, and that the next worker runs it to the end.
func TestAnalysisInterruptedByShutdown(t *testing.T) {
	ctx := context.Background()
	s, store, c := newTestService(t)
	u := uploadForAnalysis(t, store, c)
	claim := func() *kontor.AnalysisJob {
		t.Helper()
		jobs, err := store.ClaimAnalysisJobs(ctx, time.Now().Add(time.Second), time.Minute, 1)
		if err != nil || len(jobs) != 1 {
			t.Fatalf("claiming: %+v, %v", jobs, err)
		}
		return jobs[0]
	}

	stopped, stop := context.WithCancel(ctx)
	stop()
	s.runAnalysis(stopped, claim())
	st, err := store.Analysis(ctx, c.ID, u.ID)
	if err != nil || st.Status != kontor.AnalysisPending {
		t.Fatalf("after an interrupted run the analysis is %+v, %v; want pending", st, err)
	}

	job := claim()
	if job.Attempts != 1 {
		t.Errorf("the interrupted run counted as an attempt: attempts = %d", job.Attempts)
	}
	s.runAnalysis(ctx, job)
	if st, err := store.Analysis(ctx, c.ID, u.ID); err != nil || st.Status != kontor.AnalysisDone {
		t.Fatalf("after the next run the analysis is %+v, %v; want done", st, err)
	}
}
