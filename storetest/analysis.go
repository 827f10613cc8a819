package storetest

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/kontor-dev/kontor"
)

// claimJob claims the oldest due job, nil when none is due.
func claimJob(s kontor.Store, now time.Time, lease time.Duration) (*kontor.AnalysisJob, error) {
	jobs, err := s.ClaimAnalysisJobs(ctx, now, lease, 1)
	if err != nil || len(jobs) == 0 {
		return nil, err
	}
	if len(jobs) > 1 {
		return nil, fmt.Errorf("asked for 1 job, claimed %d", len(jobs))
	}
	return jobs[0], nil
}

// testAnalysisBatchClaim claims several jobs at once: the oldest due
// first, each once, their analyses running; jobs not yet due stay queued.
func testAnalysisBatchClaim(t *testing.T, b Backend) {
	s := b.Open(t)
	c := mustClient(t, s, "acme")
	var users []*kontor.User
	for range 4 {
		u := mustUser(t, s, c)
		if err := s.ReplaceUploadedLogins(ctx, c.ID, u.ID, sampleLogins(2)); err != nil {
			t.Fatal(err)
		}
		users = append(users, u)
	}
	now := time.Now().Add(time.Second)
	if jobs, err := s.ClaimAnalysisJobs(ctx, now, time.Minute, 0); err != nil || len(jobs) != 0 {
		t.Fatalf("claiming 0 jobs: %v, %v", jobs, err)
	}
	// The first user's job fails and is retried in an hour: not due.
	first, err := claimJob(s, now, time.Minute)
	if err != nil || first == nil || first.UserID != users[0].ID {
		t.Fatalf("first job = %+v, %v; want user %s's", first, err, users[0].ID)
	}
	if err := s.FailAnalysis(ctx, first, "boom", now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}

	two, err := s.ClaimAnalysisJobs(ctx, now, time.Minute, 2)
	if err != nil || len(two) != 2 || two[0].UserID != users[1].ID || two[1].UserID != users[2].ID {
		t.Fatalf("claiming 2: %+v, %v; want the jobs of users 2 and 3, in order", two, err)
	}
	for _, j := range two {
		if j.ClientID != c.ID || j.Attempts != 1 || j.Generation != 1 || j.UserType != kontor.UserPerson {
			t.Errorf("claimed job %+v", j)
		}
		if st, _ := s.Analysis(ctx, c.ID, j.UserID); st.Status != kontor.AnalysisRunning {
			t.Errorf("user %s's claimed analysis is %s, want running", j.UserID, st.Status)
		}
	}
	rest, err := s.ClaimAnalysisJobs(ctx, now, time.Minute, 10)
	if err != nil || len(rest) != 1 || rest[0].UserID != users[3].ID {
		t.Fatalf("claiming 10: %+v, %v; want user 4's job alone", rest, err)
	}
	if st, _ := s.Analysis(ctx, c.ID, users[0].ID); st.Status != kontor.AnalysisPending {
		t.Errorf("the job waiting for its retry: analysis %s, want pending", st.Status)
	}
	if more, err := s.ClaimAnalysisJobs(ctx, now, time.Minute, 10); err != nil || len(more) != 0 {
		t.Fatalf("claimed again: %+v, %v", more, err)
	}
}

// testAnalysisLargeSave saves the analysis of a user with more
// transactions than one statement updates (PostgreSQL rewrites them then):
// every transaction gets its tags, in its place, and another user's
// transactions stay as they were.
func testAnalysisLargeSave(t *testing.T, b Backend) {
	s := b.Open(t)
	c := mustClient(t, s, "acme")
	u, other := mustUser(t, s, c), mustUser(t, s, c)
	logins := sampleLogins(1100)
	logins[0].Accounts[1].Transactions = sampleLogins(600)[0].Accounts[0].Transactions
	if err := s.ReplaceUploadedLogins(ctx, c.ID, u.ID, logins); err != nil {
		t.Fatal(err)
	}
	if err := s.ReplaceUploadedLogins(ctx, c.ID, other.ID, sampleLogins(3)); err != nil {
		t.Fatal(err)
	}
	untouched, err := s.Logins(ctx, c.ID, other.ID)
	if err != nil {
		t.Fatal(err)
	}
	job, err := claimJob(s, time.Now().Add(time.Second), time.Minute)
	if err != nil || job == nil || job.UserID != u.ID {
		t.Fatalf("claimed %+v, %v", job, err)
	}
	stored, err := s.Logins(ctx, c.ID, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	for ai := range stored[0].Accounts {
		for i := range stored[0].Accounts[ai].Transactions {
			tx := &stored[0].Accounts[ai].Transactions[i]
			tx.Tags = append(tx.Tags, kontor.Tag{Name: fmt.Sprintf("tag-%d-%d", ai, i), Source: kontor.TagSourceKontor})
		}
	}
	if ok, err := s.SaveAnalysis(ctx, job, stored, []byte(`{}`)); err != nil || !ok {
		t.Fatalf("SaveAnalysis = %v, %v", ok, err)
	}
	saved, err := s.Logins(ctx, c.ID, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	for ai, want := range []int{1100, 600} {
		txs := saved[0].Accounts[ai].Transactions
		if len(txs) != want {
			t.Fatalf("account %d has %d transactions after saving, want %d", ai, len(txs), want)
		}
		for i, tx := range txs {
			tags := tx.Tags
			if tx.ID != fmt.Sprintf("tx-%d", i) || len(tags) == 0 || tags[len(tags)-1].Name != fmt.Sprintf("tag-%d-%d", ai, i) {
				t.Fatalf("account %d, transaction %d after saving: %s with tags %+v", ai, i, tx.ID, tags)
			}
		}
	}
	if after, err := s.Logins(ctx, c.ID, other.ID); err != nil || !reflect.DeepEqual(after, untouched) {
		t.Fatalf("another user's logins changed: %v", err)
	}
}

func testAnalysisQueue(t *testing.T, b Backend) {
	s := b.Open(t)
	c, other := mustClient(t, s, "acme"), mustClient(t, s, "other")
	u := mustUser(t, s, c)
	// Jobs are due from when their data was written: claim a moment later.
	now := time.Now().Add(time.Second)

	st, err := s.Analysis(ctx, c.ID, u.ID)
	if err != nil || st.Status != kontor.AnalysisNone {
		t.Fatalf("analysis of a user without data = %+v, %v", st, err)
	}
	_, err = s.Analysis(ctx, other.ID, u.ID)
	wantCode(t, err, kontor.ENOTFOUND)
	if job, err := claimJob(s, now, time.Minute); err != nil || job != nil {
		t.Fatalf("job on an empty queue: %+v, %v", job, err)
	}

	if err := s.ReplaceUploadedLogins(ctx, c.ID, u.ID, sampleLogins(30)); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.Analysis(ctx, c.ID, u.ID); st.Status != kontor.AnalysisPending {
		t.Fatalf("after Set Logins the analysis is %s, want pending", st.Status)
	}
	job, err := claimJob(s, now, time.Minute)
	if err != nil || job == nil || job.UserID != u.ID || job.ClientID != c.ID || job.UserType != kontor.UserPerson || job.Attempts != 1 {
		t.Fatalf("claimed %+v, %v", job, err)
	}
	if again, err := claimJob(s, now, time.Minute); err != nil || again != nil {
		t.Fatalf("a leased job was claimed twice: %+v, %v", again, err)
	}
	if st, _ := s.Analysis(ctx, c.ID, u.ID); st.Status != kontor.AnalysisRunning {
		t.Fatalf("claimed analysis is %s, want running", st.Status)
	}

	// A worker that stops gives the job back: pending, due at once, the
	// attempt not counted.
	if err := s.ReleaseAnalysis(ctx, job); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.Analysis(ctx, c.ID, u.ID); st.Status != kontor.AnalysisPending {
		t.Fatalf("released analysis is %s, want pending", st.Status)
	}
	job, err = claimJob(s, now, time.Minute)
	if err != nil || job == nil || job.UserID != u.ID || job.Attempts != 1 {
		t.Fatalf("claimed after release: %+v, %v", job, err)
	}

	logins, err := s.Logins(ctx, c.ID, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	for i := range logins[0].Accounts[0].Transactions {
		tx := &logins[0].Accounts[0].Transactions[i]
		tx.Tags = append(tx.Tags, kontor.Tag{Name: "groceries", Source: kontor.TagSourceKontor})
	}
	ok, err := s.SaveAnalysis(ctx, job, logins, []byte(`{"answer":42}`))
	if err != nil || !ok {
		t.Fatalf("SaveAnalysis = %v, %v", ok, err)
	}
	st, err = s.Analysis(ctx, c.ID, u.ID)
	if err != nil || st.Status != kontor.AnalysisDone || string(st.Result) != `{"answer":42}` {
		t.Fatalf("after saving: %+v, %v", st, err)
	}
	stored, _ := s.Logins(ctx, c.ID, u.ID)
	last := stored[0].Accounts[0].Transactions[29].Tags
	if len(last) != 3 || last[2].Name != "groceries" || last[0].Name != "salary" {
		t.Fatalf("stored tags = %+v", last)
	}
	if job, _ := claimJob(s, now.Add(time.Hour), time.Minute); job != nil {
		t.Fatalf("a saved job is still queued: %+v", job)
	}

	// New data while a job runs: the old job's result is refused.
	if err := s.ReplaceUploadedLogins(ctx, c.ID, u.ID, sampleLogins(3)); err != nil {
		t.Fatal(err)
	}
	stale, _ := claimJob(s, now, time.Minute)
	if err := s.ReplaceUploadedLogins(ctx, c.ID, u.ID, sampleLogins(4)); err != nil {
		t.Fatal(err)
	}
	staleLogins, _ := s.Logins(ctx, c.ID, u.ID)
	if ok, err := s.SaveAnalysis(ctx, stale, staleLogins, []byte(`{}`)); err != nil || ok {
		t.Fatalf("a stale job was saved: %v, %v", ok, err)
	}
	if st, _ := s.Analysis(ctx, c.ID, u.ID); st.Status != kontor.AnalysisPending {
		t.Fatalf("after new data the analysis is %s, want pending", st.Status)
	}

	// A worker that dies leaves a lease that runs out; the job comes back.
	fresh, _ := claimJob(s, now, time.Minute)
	if fresh == nil || fresh.Generation <= stale.Generation {
		t.Fatalf("fresh job = %+v", fresh)
	}
	if job, _ := claimJob(s, now.Add(2*time.Minute), time.Minute); job == nil || job.ID != fresh.ID || job.Attempts != 2 {
		t.Fatalf("expired lease not reclaimed: %+v", job)
	}

	// Failing with a retry keeps it queued; failing for good marks it.
	if err := s.FailAnalysis(ctx, fresh, "boom", now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if job, _ := claimJob(s, now.Add(3*time.Minute), time.Minute); job != nil {
		t.Fatal("a job was claimed before its retry time")
	}
	retry, _ := claimJob(s, now.Add(2*time.Hour), time.Minute)
	if retry == nil {
		t.Fatal("job not claimable after its retry time")
	}
	if err := s.FailAnalysis(ctx, retry, "rules broken", time.Time{}); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.Analysis(ctx, c.ID, u.ID); st.Status != kontor.AnalysisFailed || st.Error != "rules broken" {
		t.Fatalf("failed analysis = %+v", st)
	}

	// Deleting the user removes its jobs.
	if err := s.ReplaceUploadedLogins(ctx, c.ID, u.ID, sampleLogins(1)); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteUser(ctx, c.ID, u.ID); err != nil {
		t.Fatal(err)
	}
	if job, _ := claimJob(s, now.Add(24*time.Hour), time.Minute); job != nil {
		t.Fatalf("a deleted user's job is queued: %+v", job)
	}
}

func testClientRules(t *testing.T, b Backend) {
	s := b.Open(t)
	c, other := mustClient(t, s, "acme"), mustClient(t, s, "other")
	if r, err := s.ClientRules(ctx, c.ID); err != nil || r != "" {
		t.Fatalf("rules of a new client = %q, %v", r, err)
	}
	for _, text := range []string{"rules: one", "rules: two"} {
		if err := s.SetClientRules(ctx, c.ID, text); err != nil {
			t.Fatal(err)
		}
		if r, _ := s.ClientRules(ctx, c.ID); r != text {
			t.Fatalf("rules = %q, want %q", r, text)
		}
	}
	if r, _ := s.ClientRules(ctx, other.ID); r != "" {
		t.Fatalf("another client sees rules %q", r)
	}
	if err := s.SetClientRules(ctx, c.ID, ""); err != nil {
		t.Fatal(err)
	}
	if r, _ := s.ClientRules(ctx, c.ID); r != "" {
		t.Fatalf("removed rules = %q", r)
	}
}

// testAnalysisRaces runs the queue's writers against each other: workers
// claiming and saving jobs while users' data is replaced and users are
// deleted. None may fail (a lock-order deadlock once made DeleteUser fail
// on PostgreSQL).
func testAnalysisRaces(t *testing.T, b Backend) {
	s := b.Open(t)
	c := mustClient(t, s, "acme")
	stop := make(chan struct{})
	workerErr := make(chan error, 1)
	go func() {
		defer close(workerErr)
		for {
			select {
			case <-stop:
				return
			default:
			}
			job, err := claimJob(s, time.Now().Add(time.Second), time.Minute)
			if err != nil {
				workerErr <- err
				return
			}
			if job == nil {
				continue
			}
			logins, err := s.Logins(ctx, job.ClientID, job.UserID)
			if kontor.ErrorCode(err) == kontor.ENOTFOUND {
				continue
			}
			if err != nil {
				workerErr <- err
				return
			}
			if _, err := s.SaveAnalysis(ctx, job, logins, []byte(`{}`)); err != nil {
				workerErr <- err
				return
			}
		}
	}()
	for range 30 {
		u := mustUser(t, s, c)
		for range 2 {
			if err := s.ReplaceUploadedLogins(ctx, c.ID, u.ID, sampleLogins(20)); err != nil {
				t.Fatalf("replacing logins: %v", err)
			}
		}
		if err := s.DeleteUser(ctx, c.ID, u.ID); err != nil {
			t.Fatalf("deleting a user while jobs run: %v", err)
		}
	}
	close(stop)
	if err := <-workerErr; err != nil {
		t.Fatalf("worker: %v", err)
	}
}
