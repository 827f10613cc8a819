package main

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"
)

// recorder collects the latencies of one load worker's requests that
// completed within the measured window, after the warm-up and before the
// deadline.
type recorder struct {
	from, until time.Time
	samples     map[string][]time.Duration
	bytes       int64
}

// time runs one request and records its latency under op.
func (r *recorder) time(op string, req func() (int64, error)) error {
	start := time.Now()
	n, err := req()
	end := time.Now()
	if err != nil {
		return err
	}
	if !end.Before(r.from) && !end.After(r.until) {
		r.samples[op] = append(r.samples[op], end.Sub(start))
		r.bytes += n
	}
	return nil
}

// loadResult is what a load run measured.
type loadResult struct {
	elapsed time.Duration
	ops     map[string][]time.Duration // sorted latencies per operation
	all     []time.Duration            // sorted latencies of every request
	bytes   int64                      // response bytes of measured requests
}

// requests returns the number of measured requests.
func (l *loadResult) requests() int { return len(l.all) }

// throughput returns measured requests per second.
func (l *loadResult) throughput() float64 { return float64(len(l.all)) / l.elapsed.Seconds() }

// quantile returns the q-quantile of the latencies of every request.
func (l *loadResult) quantile(q float64) time.Duration { return quantile(l.all, q) }

// quantile returns the q-quantile of sorted latencies (nearest rank).
func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// runLoad runs worker on n goroutines for warmup plus duration. A worker
// loops until its context ends, timing each request with its recorder. The
// first error of any worker stops the run.
func runLoad(ctx context.Context, n int, warmup, duration time.Duration, worker func(ctx context.Context, w int, rec *recorder) error) (*loadResult, error) {
	start := time.Now()
	from, until := start.Add(warmup), start.Add(warmup+duration)
	ctx, cancel := context.WithDeadline(ctx, until)
	defer cancel()
	recs := make([]*recorder, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for w := range n {
		recs[w] = &recorder{from: from, until: until, samples: map[string][]time.Duration{}}
		wg.Go(func() {
			for ctx.Err() == nil {
				if err := worker(ctx, w, recs[w]); err != nil {
					if ctx.Err() == nil {
						errs[w] = err
						cancel()
					}
					return
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	if err := context.Cause(ctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return nil, err
	}
	res := &loadResult{elapsed: duration, ops: map[string][]time.Duration{}}
	for _, r := range recs {
		for op, s := range r.samples {
			res.ops[op] = append(res.ops[op], s...)
			res.all = append(res.all, s...)
		}
		res.bytes += r.bytes
	}
	for _, s := range res.ops {
		slices.Sort(s)
	}
	slices.Sort(res.all)
	return res, nil
}

// sequential times count requests made one after another, after warm
// unmeasured ones, and returns their sorted latencies.
func sequential(ctx context.Context, warm, count int, req func() error) ([]time.Duration, error) {
	for range warm {
		if err := req(); err != nil {
			return nil, err
		}
	}
	lat := make([]time.Duration, 0, count)
	for range count {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		start := time.Now()
		if err := req(); err != nil {
			return nil, err
		}
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	return lat, nil
}
