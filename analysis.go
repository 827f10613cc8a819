package kontor

import (
	"context"
	"time"
)

// AnalysisStatus says where a user's analysis stands.
type AnalysisStatus string

// Analysis states. New data makes the analysis Pending; a worker makes it
// Running and then Done or Failed.
const (
	AnalysisNone    AnalysisStatus = "none"
	AnalysisPending AnalysisStatus = "pending"
	AnalysisRunning AnalysisStatus = "running"
	AnalysisDone    AnalysisStatus = "done"
	AnalysisFailed  AnalysisStatus = "failed"
)

// AnalysisJob asks for the analysis of one user's data as of one
// generation. Every write of the user's bank data makes a new generation
// and a new job; a job whose generation is no longer current is dropped.
type AnalysisJob struct {
	ID         int64
	ClientID   string
	UserID     string
	UserType   UserType
	Generation int64
	Attempts   int
}

// AnalysisState is a user's analysis: its status and, once done, the
// stored result (a JSON document).
type AnalysisState struct {
	Status     AnalysisStatus
	Generation int64
	UpdatedAt  time.Time
	Result     []byte
	Error      string
}

// AnalysisStore keeps the analysis job queue, the results and the API
// clients' own categorisation rules. Writes of bank data (Set Logins, a
// connection, deleting a login) queue a job in the same transaction.
type AnalysisStore interface {
	// ClaimAnalysisJobs leases up to n of the oldest due jobs until
	// now+lease, oldest first, and marks their analyses running; none when
	// none is due. A job whose lease ran out (its worker died) is claimed
	// again.
	ClaimAnalysisJobs(ctx context.Context, now time.Time, lease time.Duration, n int) ([]*AnalysisJob, error)
	// SaveAnalysis stores the result of a job: the kontor tags of every
	// transaction of logins (which must be Logins' answer for the job's
	// generation, in its order) and the result document. It returns false,
	// storing nothing, when the user's data changed since.
	SaveAnalysis(ctx context.Context, job *AnalysisJob, logins []Login, result []byte) (bool, error)
	// FailAnalysis records a failed attempt; the job runs again after
	// retryAt, or is dropped and the analysis marked failed when retryAt is
	// zero.
	FailAnalysis(ctx context.Context, job *AnalysisJob, reason string, retryAt time.Time) error
	// ReleaseAnalysis gives back a job its worker stopped before finishing
	// (the process is shutting down): it is due again at once, the attempt
	// not counted, and the analysis pending again.
	ReleaseAnalysis(ctx context.Context, job *AnalysisJob) error
	// Analysis returns the user's analysis state.
	Analysis(ctx context.Context, clientID, userID string) (*AnalysisState, error)
	// SetClientRules stores an API client's categorisation rules (the rules
	// file's text); empty text removes them.
	SetClientRules(ctx context.Context, clientID, rules string) error
	// ClientRules returns an API client's rules text, "" when it has none.
	ClientRules(ctx context.Context, clientID string) (string, error)
}
