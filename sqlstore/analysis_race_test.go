package sqlstore

import (
	"context"
	"testing"
	"time"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/internal/testdb"
)

// TestSaveAnalysisAfterWaitingForAnUpload checks that an analysis whose
// save waited for an upload of the same user to commit is not stored: the
// upload made the user's data a newer generation while the save waited
// for the user's lock. Only PostgreSQL has concurrent writers; SQLite's
// write transactions run one after the other.
func TestSaveAnalysisAfterWaitingForAnUpload(t *testing.T) {
	ctx := context.Background()
	db, c := openWithClient(t, testdb.Postgres(t))
	if err := db.CreateUser(ctx, &kontor.User{ID: "u1", ClientID: c.ID, Type: kontor.UserPerson}); err != nil {
		t.Fatal(err)
	}
	acc := kontor.Account{ID: "a1", Currency: "EUR", Transactions: []kontor.Transaction{{ID: "t1", Currency: "EUR", Tags: []kontor.Tag{}, Codes: []kontor.Code{}}}}
	if err := db.ReplaceUploadedLogins(ctx, c.ID, "u1", []kontor.Login{{ID: "l1", Accounts: []kontor.Account{acc}}}); err != nil {
		t.Fatal(err)
	}
	jobs, err := db.ClaimAnalysisJobs(ctx, time.Now().Add(time.Second), time.Minute, 1)
	if err != nil || len(jobs) != 1 {
		t.Fatalf("claiming the upload's job: %v, %v", jobs, err)
	}
	job := jobs[0]
	logins, err := db.Logins(ctx, c.ID, "u1")
	if err != nil {
		t.Fatal(err)
	}

	// An upload in progress: it holds the user's lock and has made the
	// data a new generation, as ReplaceUploadedLogins does.
	upload, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer upload.Rollback()
	if _, err := upload.ExecContext(ctx, `SELECT pk FROM users WHERE id = 'u1' FOR UPDATE`); err != nil {
		t.Fatal(err)
	}
	if _, err := upload.ExecContext(ctx, `UPDATE analyses SET generation = generation + 1 WHERE user_pk = (SELECT pk FROM users WHERE id = 'u1')`); err != nil {
		t.Fatal(err)
	}

	type outcome struct {
		saved bool
		err   error
	}
	done := make(chan outcome, 1)
	go func() {
		saved, err := db.SaveAnalysis(ctx, job, logins, []byte(`{}`))
		done <- outcome{saved, err}
	}()
	// The save must be waiting for the user's lock before the upload
	// commits.
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		var waiting int
		if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_locks WHERE NOT granted`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the save never waited for the upload's lock")
		}
	}
	if err := upload.Commit(); err != nil {
		t.Fatal(err)
	}
	got := <-done
	if got.err != nil {
		t.Fatal(got.err)
	}
	if got.saved {
		t.Error("SaveAnalysis stored an analysis of generation the upload had replaced while the save waited")
	}
}
