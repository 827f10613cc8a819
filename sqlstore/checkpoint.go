package sqlstore

import (
	"context"
	"database/sql"
	"time"
)

// A WAL checkpoint copies the pages committed to the write-ahead log into
// the database file and syncs it. SQLite by default runs one inside the
// commit that takes the log past 1,000 pages, on the one write
// connection, so every writer waiting in the group commit waited for it
// too. The store instead checkpoints from a goroutine of its own on a read
// connection, which SQLite allows alongside the writer (PASSIVE: it copies
// what no reader still needs and never blocks anyone). The writer keeps
// SQLite's own checkpoint only past walCheckpointPages, should this one
// fall behind or fail.

const (
	// walCheckpointPages is the log size in pages at which the writer
	// checkpoints by itself: about 40 MiB, ten times SQLite's default.
	walCheckpointPages = 10_000
	// checkpointBusy and checkpointIdle are the pauses between checkpoints
	// after one that found pages to copy and after one that found none.
	checkpointBusy = 100 * time.Millisecond
	checkpointIdle = time.Second
)

// checkpointer runs checkpoints until stopped.
type checkpointer struct {
	db   *sql.DB
	stop chan struct{}
	done chan struct{}
}

// startCheckpointer starts checkpointing the database of the pool db.
func startCheckpointer(db *sql.DB) *checkpointer {
	c := &checkpointer{db: db, stop: make(chan struct{}), done: make(chan struct{})}
	go c.run()
	return c
}

func (c *checkpointer) run() {
	defer close(c.done)
	t := time.NewTimer(checkpointBusy)
	defer t.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-t.C:
		}
		next := checkpointIdle
		if pages, err := c.checkpoint(); err == nil && pages > 0 {
			next = checkpointBusy
		}
		t.Reset(next)
	}
}

// checkpoint runs one passive checkpoint and returns how many pages the
// log held.
func (c *checkpointer) checkpoint() (int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var busy, logged, copied int
	err := c.db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &logged, &copied)
	return logged, err
}

// close stops the checkpoints and waits for one under way.
func (c *checkpointer) close() {
	close(c.stop)
	<-c.done
}
