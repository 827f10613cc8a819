package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime/debug"
	"sync/atomic"
)

// txFunc is the body of a write transaction. It runs with ctx, which is
// not cancelled once the body has started, on the transaction tx open on
// conn.
type txFunc func(ctx context.Context, conn *sql.Conn, tx *sql.Tx) error

// SQLite has one writer at a time and, with synchronous=FULL, makes every
// commit durable with an fsync. Committing each small write on its own made
// writers queue for the disk: the API mix spent most of its time waiting
// for commits. groupCommitter runs all write transactions of a SQLite store
// on one goroutine and commits the writes that are waiting together in one
// transaction, each inside a savepoint of its own, so that one fsync makes
// them all durable. A write that fails rolls back to its savepoint and
// leaves the others of its group alone; each caller learns its own outcome
// only after the group's commit.

// maxGroup bounds how many writes one commit carries.
const maxGroup = 64

// errClosed answers writes sent after the store was closed.
var errClosed = errors.New("the database is closed")

type groupCommitter struct {
	pool   *sql.DB
	queue  chan *writeOp
	stop   chan struct{}
	done   chan struct{}
	groups atomic.Int64 // transactions begun, for tests and diagnostics
}

// writeOp is one caller's write transaction.
type writeOp struct {
	ctx  context.Context
	fn   txFunc
	err  error
	done chan struct{}
}

// panicked carries a panic of a write's body back to its caller.
type panicked struct {
	value any
	stack []byte
}

func (p *panicked) Error() string { return fmt.Sprintf("panic in write transaction: %v", p.value) }

func newGroupCommitter(pool *sql.DB) *groupCommitter {
	g := &groupCommitter{pool: pool, queue: make(chan *writeOp, maxGroup), stop: make(chan struct{}), done: make(chan struct{})}
	go g.run()
	return g
}

// close stops the committer once the group in progress is committed.
func (g *groupCommitter) close() {
	close(g.stop)
	<-g.done
}

// do runs fn in a write transaction and returns once it is committed or
// has failed. A caller that gives up (ctx done) before its write has
// started leaves without it; once started, the write completes.
func (g *groupCommitter) do(ctx context.Context, fn txFunc) error {
	op := &writeOp{ctx: ctx, fn: fn, done: make(chan struct{})}
	select {
	case g.queue <- op:
	case <-ctx.Done():
		return ctx.Err()
	case <-g.stop:
		return errClosed
	}
	select {
	case <-op.done:
	case <-g.done:
		select {
		case <-op.done:
		default:
			return errClosed // queued as the store closed
		}
	}
	if p, ok := op.err.(*panicked); ok {
		panic(fmt.Sprintf("%v\n\nwrite transaction's stack:\n%s", p.value, p.stack))
	}
	return op.err
}

func (g *groupCommitter) run() {
	defer close(g.done)
	group := make([]*writeOp, 0, maxGroup)
	for {
		select {
		case op := <-g.queue:
			group = append(group[:0], op)
		case <-g.stop:
			for {
				select {
				case op := <-g.queue:
					op.err = errClosed
					close(op.done)
				default:
					return
				}
			}
		}
		// Take whoever else is waiting now; never wait for more.
	gather:
		for len(group) < maxGroup {
			select {
			case op := <-g.queue:
				group = append(group, op)
			default:
				break gather
			}
		}
		g.commit(group)
		for _, op := range group {
			close(op.done)
		}
	}
}

// commit runs the group's writes and sets each write's outcome.
func (g *groupCommitter) commit(group []*writeOp) {
	pending := make([]*writeOp, 0, len(group))
	for _, op := range group {
		if err := op.ctx.Err(); err != nil {
			op.err = err
			continue
		}
		pending = append(pending, op)
	}
	for len(pending) > 0 {
		pending = g.commitOnce(pending)
	}
}

// commitOnce runs writes in one transaction. When the transaction breaks,
// the writes that ran fail with it and those that had not run yet are
// returned to be run in a transaction of their own.
func (g *groupCommitter) commitOnce(live []*writeOp) (notRun []*writeOp) {
	g.groups.Add(1)
	ctx := context.Background()
	fail := func(err error) []*writeOp {
		for _, op := range live {
			if op.err == nil {
				op.err = err
			}
		}
		return nil
	}
	conn, err := g.pool.Conn(ctx)
	if err != nil {
		return fail(fmt.Errorf("getting a connection: %w", err))
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fail(fmt.Errorf("beginning transaction: %w", err))
	}
	if len(live) == 1 {
		// Alone: no savepoint needed.
		op := live[0]
		if op.err = op.run(conn, tx); op.err != nil {
			tx.Rollback()
			return nil
		}
		if err := tx.Commit(); err != nil {
			op.err = fmt.Errorf("committing: %w", err)
		}
		return nil
	}
	for i, op := range live {
		if _, err := tx.ExecContext(ctx, `SAVEPOINT grouped_write`); err != nil {
			return g.abort(tx, live, i, fmt.Errorf("starting a savepoint: %w", err))
		}
		if op.err = op.run(conn, tx); op.err != nil {
			// SQLite rolls the whole transaction back on some errors (a
			// full disk, an I/O error, a trigger's RAISE(ROLLBACK)); then
			// there is no savepoint left to roll back to.
			if _, err := tx.ExecContext(ctx, `ROLLBACK TO grouped_write`); err != nil {
				return g.abort(tx, live, i+1, fmt.Errorf("the transaction was rolled back: %w", op.err))
			}
		}
		if _, err := tx.ExecContext(ctx, `RELEASE grouped_write`); err != nil {
			return g.abort(tx, live, i+1, fmt.Errorf("releasing a savepoint: %w", err))
		}
	}
	if err := tx.Commit(); err != nil {
		return fail(fmt.Errorf("committing: %w", err))
	}
	return nil
}

// abort rolls back a broken transaction in which the first ran of live
// writes have run: those fail with err, unless they failed by themselves,
// and the rest are returned. When none ran, all fail: running them again
// would not get further.
func (g *groupCommitter) abort(tx *sql.Tx, live []*writeOp, ran int, err error) []*writeOp {
	tx.Rollback()
	if ran == 0 {
		ran = len(live)
	}
	for _, op := range live[:ran] {
		if op.err == nil {
			op.err = err
		}
	}
	return live[ran:]
}

// run runs the write's body, turning a panic into an error that do
// raises again in the caller's goroutine.
func (op *writeOp) run(conn *sql.Conn, tx *sql.Tx) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &panicked{value: v, stack: debug.Stack()}
		}
	}()
	return op.fn(context.WithoutCancel(op.ctx), conn, tx)
}
