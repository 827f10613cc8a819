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

// TestAnalysisInterruptedByShutdown checks that a job whose worker is
// stopped midway goes back to the queue instead of marking the user's
// analysis failed, and that the next worker runs it to the end.
func TestAnalysisInterruptedByShutdown(t *testing.T) {
	ctx := context.Background()
	store, err := sqlstore.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "kontor.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	s, err := New(ctx, store, DefaultConfig(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	c := &kontor.Client{ID: kontor.NewID(), Name: "acme", SecretHash: "$argon2id$test", APIVersion: kontor.DefaultAPIVersion}
	if err := store.CreateClient(ctx, c); err != nil {
		t.Fatal(err)
	}
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
	claim := func() *kontor.AnalysisJob {
		t.Helper()
		job, err := store.ClaimAnalysisJob(ctx, time.Now().Add(time.Second), time.Minute)
		if err != nil || job == nil {
			t.Fatalf("claiming: %+v, %v", job, err)
		}
		return job
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
