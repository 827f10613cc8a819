// Package heapfloor keeps the garbage collector from running while the
// heap is smaller than a floor.
//
// Go's collector runs when the heap has grown by GOGC percent (100 by
// default) over what the last collection left live. A server whose live
// heap is a few megabytes therefore collects after every few megabytes it
// allocates: under load, dozens of times a second, each collection with
// its fixed costs, its write barriers and its share of the processors.
// Set raises the collector's percentage after every collection so that the
// next one starts no earlier than at the floor, and lowers it back to the
// base percentage once the live heap is large enough that the base alone
// reaches the floor. It is what Java's minimum heap size does, and what
// Go's GOMEMLIMIT does not: a limit makes collections more frequent near
// it, never less frequent below it.
package heapfloor

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// minimumHeap is the runtime's smallest goal at a percentage of 100: it
// never collects a heap under 4 MiB times the percentage over 100 (see
// the Go GC guide). A percentage above floor/minimumHeap × 100 would put
// the goal past the floor however small the heap is.
const minimumHeap = 4 << 20

// current is the running tuner, if any; mu guards it and its fields.
var (
	mu      sync.Mutex
	current *tuner
)

// sentinel is an object whose only use is to become garbage: one with a
// pointer, which the allocator never packs with others as it does small
// pointer-free objects (whose cleanups may never run).
type sentinel struct{ _ *byte }

// tuner sets the collector's percentage after each collection.
type tuner struct {
	floor   uint64
	base    int
	stopped bool
	sample  []metrics.Sample
}

// Set makes the collector keep to a floor of floor bytes, on top of the
// base percentage it had (from GOGC, 100 by default), until the returned
// stop function restores that percentage. A floor of 0, or a collector
// turned off with GOGC=off, leaves the collector alone. Setting a floor
// replaces one set before.
func Set(floor uint64) (stop func()) {
	mu.Lock()
	defer mu.Unlock()
	if current != nil {
		current.stop()
	}
	base := debug.SetGCPercent(100)
	debug.SetGCPercent(base)
	if floor == 0 || base < 0 {
		current = nil
		return func() {}
	}
	t := &tuner{floor: floor, base: base, sample: []metrics.Sample{
		{Name: "/gc/heap/live:bytes"}, {Name: "/gc/scan/stack:bytes"}, {Name: "/gc/scan/globals:bytes"},
	}}
	current = t
	t.tune()
	t.arm()
	return func() {
		mu.Lock()
		defer mu.Unlock()
		if current == t {
			t.stop()
			current = nil
		}
	}
}

// stop restores the base percentage; the caller holds mu.
func (t *tuner) stop() {
	t.stopped = true
	debug.SetGCPercent(t.base)
}

// percent returns the percentage that puts the next collection's goal
// at the floor: the runtime sets that goal at the live heap plus the
// percentage of the live heap and the roots it scans (goroutine stacks and
// globals), and at least at its minimum heap scaled by the percentage.
func (t *tuner) percent(live, roots uint64) int {
	if live+(live+roots)*uint64(t.base)/100 >= t.floor {
		return t.base
	}
	most := t.floor * 100 / minimumHeap
	if live+roots == 0 {
		return int(most)
	}
	return int(min(most, (t.floor-live)*100/(live+roots)+1))
}

// tune sets the percentage for the heap the last collection left.
func (t *tuner) tune() {
	metrics.Read(t.sample)
	var v [3]uint64
	for i, s := range t.sample {
		if s.Value.Kind() == metrics.KindUint64 {
			v[i] = s.Value.Uint64()
		}
	}
	debug.SetGCPercent(t.percent(v[0], v[1]+v[2]))
}

// arm has tune run after the next collection: a cleanup runs once the
// object it is attached to is found unreachable, which only a collection
// finds.
func (t *tuner) arm() {
	runtime.AddCleanup(new(sentinel), func(t *tuner) {
		mu.Lock()
		defer mu.Unlock()
		if t.stopped {
			return
		}
		t.tune()
		t.arm()
	}, t)
}
