package httpx

import (
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limiter keeps one token bucket per key (an API client, an address).
// Buckets idle for longer than an hour are dropped. Each replica keeps its
// own buckets, so with N replicas behind a balancer a client gets up to N
// times its rate.
type Limiter struct {
	mu      sync.Mutex
	buckets map[string]*bucket
	sweep   time.Time
}

type bucket struct {
	lim  *rate.Limiter
	used time.Time
}

// NewLimiter returns an empty Limiter.
func NewLimiter() *Limiter {
	return &Limiter{buckets: map[string]*bucket{}}
}

// Allow takes one token from key's bucket, which refills at perSecond up
// to burst. When the bucket is empty it returns false and how long to wait.
func (l *Limiter) Allow(key string, perSecond float64, burst int, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.sweep) > time.Minute {
		for k, b := range l.buckets {
			if now.Sub(b.used) > time.Hour {
				delete(l.buckets, k)
			}
		}
		l.sweep = now
	}
	b, ok := l.buckets[key]
	if !ok || b.lim.Limit() != rate.Limit(perSecond) || b.lim.Burst() != burst {
		b = &bucket{lim: rate.NewLimiter(rate.Limit(perSecond), burst)}
		l.buckets[key] = b
	}
	b.used = now
	if b.lim.AllowN(now, 1) {
		return true, 0
	}
	wait := time.Second
	if perSecond > 0 {
		wait = time.Duration(math.Ceil(float64(time.Second) / perSecond))
	}
	return false, wait
}

// RetryAfter returns the Retry-After header value, in whole seconds (at
// least 1), for a wait.
func RetryAfter(wait time.Duration) int {
	return max(1, int(math.Ceil(wait.Seconds())))
}
