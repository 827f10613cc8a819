package core

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/analysis"
)

// Analysis settings.
const (
	// analysisLease is how long a worker holds a job before another may
	// take it over.
	analysisLease = 2 * time.Minute
	// analysisPoll is how often an idle worker looks for jobs queued by
	// other replicas.
	analysisPoll = time.Second
	// analysisAttempts is how often a failing job is tried.
	analysisAttempts = 3
	// MaxRulesBytes bounds an API client's rules file.
	MaxRulesBytes = 256 << 10
)

// analyzer holds the compiled categorisers, per client rules text.
type analyzer struct {
	mu    sync.Mutex
	cache map[[32]byte]*analysis.Categorizer
	wake  chan struct{}
}

func (a *analyzer) categorizer(clientID, rules string) (*analysis.Categorizer, error) {
	if rules == "" {
		return analysis.Default()
	}
	key := sha256.Sum256([]byte(clientID + "\x00" + rules))
	a.mu.Lock()
	defer a.mu.Unlock()
	if c, ok := a.cache[key]; ok {
		return c, nil
	}
	c, err := analysis.WithClientRules(clientID, []byte(rules))
	if err != nil {
		return nil, err
	}
	if len(a.cache) > 1000 {
		clear(a.cache)
	}
	a.cache[key] = c
	return c, nil
}

// notifyAnalysis wakes this process' worker after a write queued a job.
func (s *Service) notifyAnalysis() {
	select {
	case s.analyzer.wake <- struct{}{}:
	default:
	}
}

// RunAnalysisWorkers analyses users' data as jobs come in, up to n at
// once, until ctx ends; it returns when the analyses under way have
// stopped too. Jobs live in the database, so every replica can run
// workers and a job survives a restart.
//
// Jobs are claimed several at a time, once half the workers are free, so
// that under load one write claims many; running several at once lets
// their writes share commits.
func (s *Service) RunAnalysisWorkers(ctx context.Context, n int) {
	if n <= 0 {
		return
	}
	var (
		running  int
		finished = make(chan struct{}, n)
		wg       sync.WaitGroup
		t        = time.NewTicker(analysisPoll)
	)
	defer t.Stop()
	defer wg.Wait()
	for {
		for free := n - running; ctx.Err() == nil && free >= max(1, n/2); free = n - running {
			jobs, err := s.store.ClaimAnalysisJobs(ctx, s.Now(), analysisLease, free)
			if err != nil {
				s.log.Warn("claiming analysis jobs", "error", err)
				break
			}
			for _, job := range jobs {
				running++
				wg.Go(func() {
					s.runAnalysis(ctx, job)
					finished <- struct{}{}
				})
			}
			if len(jobs) < free {
				break // the queue is empty for now
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-finished:
			running--
		case <-t.C:
		case <-s.analyzer.wake:
		}
	}
}

// runAnalysis runs one job: categorise every transaction, find recurring
// payments, compute the reports, and store tags and result.
func (s *Service) runAnalysis(ctx context.Context, job *kontor.AnalysisJob) {
	start := time.Now()
	err := s.analyze(ctx, job)
	if err == nil {
		s.log.Debug("analysis done", "user", job.UserID, "generation", job.Generation, "duration", time.Since(start))
		return
	}
	if ctx.Err() != nil {
		// The worker is stopping: the job is not at fault. Give it back
		// for this or another replica to run.
		s.log.Info("analysis interrupted, job released", "user", job.UserID, "generation", job.Generation)
		if rerr := s.store.ReleaseAnalysis(context.WithoutCancel(ctx), job); rerr != nil {
			s.log.Error("releasing interrupted analysis", "user", job.UserID, "error", rerr)
		}
		return
	}
	retry := time.Time{}
	if job.Attempts < analysisAttempts {
		retry = s.Now().Add(time.Duration(job.Attempts) * 5 * time.Second)
	}
	s.log.Warn("analysis failed", "user", job.UserID, "attempt", job.Attempts, "error", err)
	reason := "Analysis failed"
	if kontor.ErrorCode(err) == kontor.EINVALID {
		reason = kontor.ErrorMessage(err)
		retry = time.Time{}
	}
	if ferr := s.store.FailAnalysis(context.WithoutCancel(ctx), job, reason, retry); ferr != nil {
		s.log.Error("recording failed analysis", "user", job.UserID, "error", ferr)
	}
}

func (s *Service) analyze(ctx context.Context, job *kontor.AnalysisJob) error {
	logins, err := s.store.Logins(ctx, job.ClientID, job.UserID)
	if kontor.ErrorCode(err) == kontor.ENOTFOUND {
		return nil // the user was deleted meanwhile
	} else if err != nil {
		return err
	}
	rules, err := s.store.ClientRules(ctx, job.ClientID)
	if err != nil {
		return err
	}
	cat, err := s.analyzer.categorizer(job.ClientID, rules)
	if err != nil {
		return kontor.Errorf(kontor.EINVALID, "The client's categorisation rules are invalid: %v", err)
	}
	// Accounts share their transactions with logins: tagging them tags
	// what SaveAnalysis stores.
	var accounts []kontor.Account
	for _, l := range logins {
		accounts = append(accounts, l.Accounts...)
	}
	result, err := analysis.Analyze(cat, job.UserType, accounts, analysis.Period{})
	if err != nil {
		return fmt.Errorf("analysing: %w", err)
	}
	doc, err := json.Marshal(result)
	if err != nil {
		return fmt.Errorf("encoding analysis: %w", err)
	}
	_, err = s.store.SaveAnalysis(ctx, job, logins, doc)
	return err
}

// Analysis returns the user's analysis: its status and, when done, the
// result document.
func (s *Service) Analysis(ctx context.Context, c *kontor.Client, userID string) (*kontor.AnalysisState, error) {
	return s.store.Analysis(ctx, c.ID, userID)
}

// SetRules validates and stores an API client's own categorisation rules;
// they apply from the next analysis on. Empty rules remove them.
func (s *Service) SetRules(ctx context.Context, c *kontor.Client, rules string) error {
	if len(rules) > MaxRulesBytes {
		return kontor.Errorf(kontor.ETOOLARGE, "Bad request. Rules are larger than %d bytes", MaxRulesBytes)
	}
	if rules != "" {
		if _, err := s.analyzer.categorizer(c.ID, rules); err != nil {
			return kontor.Errorf(kontor.EINVALID, "Bad request. Invalid rules: %v", err)
		}
	}
	return s.store.SetClientRules(ctx, c.ID, rules)
}

// Rules returns an API client's own categorisation rules, "" when none.
func (s *Service) Rules(ctx context.Context, c *kontor.Client) (string, error) {
	return s.store.ClientRules(ctx, c.ID)
}
