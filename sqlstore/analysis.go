package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/kontor-dev/kontor"
)

// queueAnalysis marks the user's analysis pending under a new generation
// and queues a job for it, within the transaction that changed the data.
// Queued jobs of older generations are dropped.
func (db *DB) queueAnalysis(ctx context.Context, tx *sql.Tx, userPK int64) error {
	now := time.Now().UTC()
	const upsert = `
		INSERT INTO analyses (user_pk, status, generation, result, error, updated_at) VALUES (?, ?, 1, NULL, '', ?)
		ON CONFLICT (user_pk) DO UPDATE SET status = excluded.status, generation = analyses.generation + 1,
			error = '', updated_at = excluded.updated_at
		RETURNING generation`
	if db.dialect.combinedWrites() {
		// All in one statement: the job is queued with the generation the
		// upsert returns; the DELETE sees the jobs from before it.
		if _, err := tx.ExecContext(ctx, db.q(`
			WITH a AS (`+upsert+`),
			d AS (DELETE FROM analysis_jobs WHERE user_pk = ? AND locked_until IS NULL)
			INSERT INTO analysis_jobs (user_pk, generation, run_after, attempts) SELECT ?::bigint, generation, ?::timestamptz, 0 FROM a`),
			userPK, string(kontor.AnalysisPending), now, userPK, userPK, now); err != nil {
			return fmt.Errorf("queueing analysis: %w", err)
		}
		return nil
	}
	var gen int64
	if err := tx.QueryRowContext(ctx, db.q(upsert), userPK, string(kontor.AnalysisPending), now).Scan(&gen); err != nil {
		return fmt.Errorf("queueing analysis: %w", err)
	}
	if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM analysis_jobs WHERE user_pk = ? AND locked_until IS NULL`), userPK); err != nil {
		return fmt.Errorf("queueing analysis: %w", err)
	}
	if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO analysis_jobs (user_pk, generation, run_after, attempts) VALUES (?, ?, ?, 0)`),
		userPK, gen, now); err != nil {
		return fmt.Errorf("queueing analysis: %w", err)
	}
	return nil
}

// ClaimAnalysisJobs leases up to n of the jobs that have been due longest,
// oldest first, and marks their analyses running.
func (db *DB) ClaimAnalysisJobs(ctx context.Context, now time.Time, lease time.Duration, n int) ([]*kontor.AnalysisJob, error) {
	if n <= 0 {
		return nil, nil
	}
	if !db.dialect.combinedWrites() {
		return db.claimInTx(ctx, now, lease, n)
	}
	jobs, userPKs, err := db.claimInOne(ctx, now, lease, n)
	if err != nil || len(jobs) == 0 {
		return nil, err
	}
	// Marked running outside the claim's statement: every writer takes
	// the analyses row before the job rows (queueing, failing, deleting a
	// user), so a transaction that held job rows while waiting for
	// analyses rows could deadlock with them.
	query, args := markRunning(jobs, userPKs, now)
	if _, err := db.exec(ctx, query, args...); err != nil {
		return nil, fmt.Errorf("marking analyses running: %w", err)
	}
	return jobs, nil
}

// markRunning is the UPDATE that marks the analyses of claimed jobs
// running, each if still at its job's generation.
func markRunning(jobs []*kontor.AnalysisJob, userPKs []int64, now time.Time) (string, []any) {
	args := make([]any, 0, 2+2*len(jobs))
	args = append(args, string(kontor.AnalysisRunning), now.UTC())
	for i, j := range jobs {
		args = append(args, userPKs[i], j.Generation)
	}
	rows := repeated("(CAST(? AS BIGINT), CAST(? AS BIGINT))", len(jobs))
	return `UPDATE analyses SET status = ?, updated_at = ? WHERE (user_pk, generation) IN (VALUES ` + rows + `)`, args
}

// claimInOne claims jobs in one statement.
func (db *DB) claimInOne(ctx context.Context, now time.Time, lease time.Duration, n int) ([]*kontor.AnalysisJob, []int64, error) {
	rows, err := db.write.QueryContext(context.WithoutCancel(ctx), db.q(`
		UPDATE analysis_jobs j SET locked_until = ?, attempts = j.attempts + 1
		FROM users u
		WHERE u.pk = j.user_pk AND j.id IN (
			SELECT id FROM analysis_jobs
			WHERE run_after <= ? AND (locked_until IS NULL OR locked_until < ?)
			ORDER BY run_after, id LIMIT ? FOR UPDATE SKIP LOCKED)
		RETURNING j.id, j.user_pk, j.generation, j.attempts, u.id, u.client_id, u.type, j.run_after`), now.Add(lease).UTC(), now.UTC(), now.UTC(), n)
	if err != nil {
		return nil, nil, fmt.Errorf("claiming analysis jobs: %w", err)
	}
	return scanJobs(rows, true)
}

// scanJobs reads claimed jobs and their users' keys from rows of id,
// user_pk, generation, attempts, user id, client id, user type and, with
// due, run_after: rows in no order (RETURNING's), which scanJobs puts
// oldest first.
func scanJobs(rows *sql.Rows, due bool) ([]*kontor.AnalysisJob, []int64, error) {
	defer rows.Close()
	type claimed struct {
		job    *kontor.AnalysisJob
		userPK int64
		due    time.Time
	}
	var all []claimed
	for rows.Next() {
		c := claimed{job: &kontor.AnalysisJob{}}
		dest := []any{&c.job.ID, &c.userPK, &c.job.Generation, &c.job.Attempts, &c.job.UserID, &c.job.ClientID, &c.job.UserType}
		if due {
			dest = append(dest, &c.due)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, nil, fmt.Errorf("claiming analysis jobs: %w", err)
		}
		all = append(all, c)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("claiming analysis jobs: %w", err)
	}
	if due {
		slices.SortFunc(all, func(a, b claimed) int {
			return cmp.Or(a.due.Compare(b.due), cmp.Compare(a.job.ID, b.job.ID))
		})
	}
	jobs, userPKs := make([]*kontor.AnalysisJob, len(all)), make([]int64, len(all))
	for i, c := range all {
		jobs[i], userPKs[i] = c.job, c.userPK
	}
	return jobs, userPKs, nil
}

// claimInTx claims jobs with a SELECT and UPDATEs in one transaction, and
// marks their analyses running in it too: the transaction holds the whole
// database, so no other writer waits in between.
func (db *DB) claimInTx(ctx context.Context, now time.Time, lease time.Duration, n int) ([]*kontor.AnalysisJob, error) {
	var jobs []*kontor.AnalysisJob
	err := db.inTx(ctx, func(ctx context.Context, _ *sql.Conn, tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, db.q(`
			SELECT j.id, j.user_pk, j.generation, j.attempts, u.id, u.client_id, u.type
			FROM analysis_jobs j JOIN users u ON u.pk = j.user_pk
			WHERE j.run_after <= ? AND (j.locked_until IS NULL OR j.locked_until < ?)
			ORDER BY j.run_after, j.id LIMIT ?`+db.dialect.skipLocked()), now.UTC(), now.UTC(), n)
		if err != nil {
			return fmt.Errorf("claiming analysis jobs: %w", err)
		}
		claimed, userPKs, err := scanJobs(rows, false)
		if err != nil || len(claimed) == 0 {
			return err
		}
		ids := make([]any, 0, 1+len(claimed))
		ids = append(ids, now.Add(lease).UTC())
		for _, j := range claimed {
			j.Attempts++
			ids = append(ids, j.ID)
		}
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE analysis_jobs SET locked_until = ?, attempts = attempts + 1 WHERE id IN (`+
			repeated("?", len(claimed))+`)`), ids...); err != nil {
			return fmt.Errorf("claiming analysis jobs: %w", err)
		}
		query, args := markRunning(claimed, userPKs, now)
		if _, err := tx.ExecContext(ctx, db.q(query), args...); err != nil {
			return fmt.Errorf("marking analyses running: %w", err)
		}
		jobs = claimed
		return nil
	})
	if err != nil {
		return nil, err
	}
	return jobs, nil
}

// SaveAnalysis stores a job's tags and result if the user's data is still
// the job's generation.
func (db *DB) SaveAnalysis(ctx context.Context, job *kontor.AnalysisJob, logins []kontor.Login, result []byte) (bool, error) {
	saved := false
	err := db.inTx(ctx, func(ctx context.Context, conn *sql.Conn, tx *sql.Tx) error {
		// Locking the analyses row as well makes PostgreSQL read the
		// generation as the last writer left it: a row only locked by a
		// writer the query waited for (the user's) comes from the query's
		// older snapshot, and with it the generation an upload bumped
		// meanwhile. Every writer that takes both takes the user first.
		var userPK, gen int64
		err := tx.QueryRowContext(ctx, db.q(`
			SELECT u.pk, a.generation FROM users u JOIN analyses a ON a.user_pk = u.pk
			WHERE u.id = ? AND u.client_id = ?`+db.dialect.forUpdateOf("u, a")), job.UserID, job.ClientID).Scan(&userPK, &gen)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return nil // the user is gone, and its jobs with it
		case err != nil:
			return fmt.Errorf("saving analysis: %w", err)
		}
		if gen != job.Generation {
			_, err := tx.ExecContext(ctx, db.q(`DELETE FROM analysis_jobs WHERE id = ?`), job.ID)
			return err
		}
		var accountPKs []int64
		err = db.each(ctx, tx, `SELECT a.pk FROM accounts a JOIN logins l ON l.pk = a.login_pk
			WHERE l.user_pk = ? ORDER BY a.login_pk, a.pos`, []any{userPK}, func(rows *sql.Rows) error {
			var pk int64
			err := rows.Scan(&pk)
			accountPKs = append(accountPKs, pk)
			return err
		})
		if err != nil {
			return fmt.Errorf("saving analysis: %w", err)
		}
		var (
			docs    docArena
			updates []docUpdate
		)
		i := 0
		for _, l := range logins {
			for _, a := range l.Accounts {
				if i >= len(accountPKs) {
					return fmt.Errorf("saving analysis: more accounts than stored")
				}
				for p := range a.Transactions {
					t := &a.Transactions[p]
					updates = append(updates, docUpdate{accountPKs[i], p, docs.encode(t)})
				}
				i++
			}
		}
		if i != len(accountPKs) {
			return fmt.Errorf("saving analysis: %d accounts given, %d stored", i, len(accountPKs))
		}
		if err := db.dialect.replaceDocs(ctx, conn, tx, accountPKs, updates); err != nil {
			return fmt.Errorf("saving analysis tags: %w", err)
		}
		const done = `UPDATE analyses SET status = ?, result = ?, error = '', updated_at = ? WHERE user_pk = ?`
		args := []any{string(kontor.AnalysisDone), string(result), time.Now().UTC(), userPK}
		if db.dialect.combinedWrites() {
			_, err = tx.ExecContext(ctx, db.q(`WITH d AS (DELETE FROM analysis_jobs WHERE id = ?) `+done), append([]any{job.ID}, args...)...)
		} else if _, err = tx.ExecContext(ctx, db.q(done), args...); err == nil {
			_, err = tx.ExecContext(ctx, db.q(`DELETE FROM analysis_jobs WHERE id = ?`), job.ID)
		}
		if err != nil {
			return fmt.Errorf("saving analysis: %w", err)
		}
		saved = true
		return nil
	})
	return saved, err
}

// FailAnalysis records a failed attempt of a job. A job to be retried
// leaves its analysis pending again. The analyses row is written before
// the job's, the order of every writer that takes both.
func (db *DB) FailAnalysis(ctx context.Context, job *kontor.AnalysisJob, reason string, retryAt time.Time) error {
	return db.inTx(ctx, func(ctx context.Context, _ *sql.Conn, tx *sql.Tx) error {
		if !retryAt.IsZero() {
			if err := db.runningToPending(ctx, tx, job); err != nil {
				return fmt.Errorf("failing analysis: %w", err)
			}
			_, err := tx.ExecContext(ctx, db.q(`UPDATE analysis_jobs SET run_after = ?, locked_until = NULL WHERE id = ?`), retryAt.UTC(), job.ID)
			return err
		}
		if _, err := tx.ExecContext(ctx, db.q(`
			UPDATE analyses SET status = ?, error = ?, updated_at = ?
			WHERE generation = ? AND user_pk = (SELECT pk FROM users WHERE id = ? AND client_id = ?)`),
			string(kontor.AnalysisFailed), reason, time.Now().UTC(), job.Generation, job.UserID, job.ClientID); err != nil {
			return fmt.Errorf("failing analysis: %w", err)
		}
		_, err := tx.ExecContext(ctx, db.q(`DELETE FROM analysis_jobs WHERE id = ?`), job.ID)
		return err
	})
}

// ReleaseAnalysis returns a claimed job to the queue as it was before the
// claim. The analyses row is written before the job's, the order of every
// writer that takes both.
func (db *DB) ReleaseAnalysis(ctx context.Context, job *kontor.AnalysisJob) error {
	return db.inTx(ctx, func(ctx context.Context, _ *sql.Conn, tx *sql.Tx) error {
		if err := db.runningToPending(ctx, tx, job); err != nil {
			return fmt.Errorf("releasing analysis: %w", err)
		}
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE analysis_jobs SET locked_until = NULL, attempts = attempts - 1 WHERE id = ? AND attempts > 0`), job.ID); err != nil {
			return fmt.Errorf("releasing analysis job: %w", err)
		}
		return nil
	})
}

// runningToPending marks the analysis of a job that will run again
// pending, if it is still running at the job's generation.
func (db *DB) runningToPending(ctx context.Context, tx *sql.Tx, job *kontor.AnalysisJob) error {
	_, err := tx.ExecContext(ctx, db.q(`
		UPDATE analyses SET status = ?, updated_at = ?
		WHERE generation = ? AND status = ? AND user_pk = (SELECT pk FROM users WHERE id = ? AND client_id = ?)`),
		string(kontor.AnalysisPending), time.Now().UTC(), job.Generation, string(kontor.AnalysisRunning), job.UserID, job.ClientID)
	return err
}

// Analysis returns a user's analysis state.
func (db *DB) Analysis(ctx context.Context, clientID, userID string) (*kontor.AnalysisState, error) {
	var (
		st     kontor.AnalysisState
		result sql.NullString
		userPK int64
	)
	err := db.read.QueryRowContext(ctx, db.q(`SELECT pk FROM users WHERE id = ? AND client_id = ?`), userID, clientID).Scan(&userPK)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, errUserNotFound()
	case err != nil:
		return nil, fmt.Errorf("reading user: %w", err)
	}
	err = db.read.QueryRowContext(ctx, db.q(`SELECT status, generation, updated_at, result, error FROM analyses WHERE user_pk = ?`), userPK).
		Scan(&st.Status, &st.Generation, &st.UpdatedAt, &result, &st.Error)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return &kontor.AnalysisState{Status: kontor.AnalysisNone}, nil
	case err != nil:
		return nil, fmt.Errorf("reading analysis: %w", err)
	}
	st.UpdatedAt = st.UpdatedAt.UTC()
	if result.Valid {
		st.Result = []byte(result.String)
	}
	return &st, nil
}

// SetClientRules stores or removes a client's rules.
func (db *DB) SetClientRules(ctx context.Context, clientID, rules string) error {
	var err error
	if rules == "" {
		_, err = db.exec(ctx, `DELETE FROM client_rules WHERE client_id = ?`, clientID)
	} else {
		_, err = db.exec(ctx, `
			INSERT INTO client_rules (client_id, rules, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (client_id) DO UPDATE SET rules = excluded.rules, updated_at = excluded.updated_at`,
			clientID, rules, time.Now().UTC())
	}
	if err != nil {
		return fmt.Errorf("storing client rules: %w", err)
	}
	return nil
}

// ClientRules returns a client's rules text.
func (db *DB) ClientRules(ctx context.Context, clientID string) (string, error) {
	var rules string
	err := db.read.QueryRowContext(ctx, db.q(`SELECT rules FROM client_rules WHERE client_id = ?`), clientID).Scan(&rules)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("reading client rules: %w", err)
	}
	return rules, nil
}
