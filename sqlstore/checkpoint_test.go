package sqlstore

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kontor-dev/kontor"
)

// TestBackgroundCheckpoint checks that what is written reaches the
// database file while the store is open, without a checkpoint of the
// writer's own: the log of one upload stays under walCheckpointPages, so
// only the background checkpoints copy it. And that the data reads back
// once the store is reopened.
func TestBackgroundCheckpoint(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "kontor.db")
	db, err := Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	c := &kontor.Client{ID: "c1", Name: "acme", SecretHash: "x", APIVersion: "1", RateLimit: 1, RateBurst: 1}
	u := &kontor.User{ID: "u1", ClientID: c.ID, Type: kontor.UserPerson}
	if err := db.CreateClient(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	waitCheckpoint := func() int64 {
		t.Helper()
		var size int64
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			var walSize int64
			if fi, err := os.Stat(path + "-wal"); err == nil {
				walSize = fi.Size()
			}
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			size = fi.Size()
			var busy, logged, copied int
			if err := db.read.QueryRowContext(ctx, `PRAGMA wal_checkpoint(NOOP)`).Scan(&busy, &logged, &copied); err == nil && logged > 0 && logged == copied && walSize > 0 {
				return size
			}
		}
		t.Fatalf("the log was not checkpointed within 10 s; the database file has %d bytes", size)
		return 0
	}
	before := waitCheckpoint()

	acc := kontor.Account{ID: "a1", Currency: "EUR"}
	for i := range 5000 {
		acc.Transactions = append(acc.Transactions, kontor.Transaction{
			ID: fmt.Sprintf("t%d", i), AccountID: "a1", Currency: "EUR", Purpose: strings.Repeat("x", 300) + fmt.Sprint(i),
			Amount: kontor.AmountFromCents(int64(i)), Tags: []kontor.Tag{}, Codes: []kontor.Code{},
		})
	}
	if err := db.ReplaceUploadedLogins(ctx, c.ID, u.ID, []kontor.Login{{ID: "l1", Source: kontor.SourceUpload, Accounts: []kontor.Account{acc}}}); err != nil {
		t.Fatal(err)
	}
	after := waitCheckpoint()
	if after < before+2<<20 {
		t.Errorf("the database file grew from %d to %d bytes after an upload of about 3.5 MB: the log was not copied into it", before, after)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db, err = Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ls, err := db.Logins(ctx, c.ID, u.ID)
	if err != nil || len(ls) != 1 || len(ls[0].Accounts[0].Transactions) != 5000 {
		t.Fatalf("after reopening: %d logins, %v", len(ls), err)
	}
}
