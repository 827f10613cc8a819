package heapfloor

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"
)

// goal returns the heap size at which the next collection starts, after
// a collection and once the tuner has run (it runs after a collection, on
// the runtime's cleanup goroutine), waiting until cond holds or 2 s pass.
func goal(cond func(uint64) bool) uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/goal:bytes"}}
	runtime.GC()
	for deadline := time.Now().Add(2 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		metrics.Read(s)
		if g := s[0].Value.Uint64(); cond(g) || time.Now().After(deadline) {
			return g
		}
	}
}

// TestFloorSetsTheGoal checks what the floor is for: with the small live
// heap of a test, the next collection starts at about the floor while it
// is set, and at the runtime's own goal again once it is stopped.
func TestFloorSetsTheGoal(t *testing.T) {
	base := debug.SetGCPercent(100)
	debug.SetGCPercent(base)
	if base < 0 {
		t.Skip("the collector is off (GOGC=off): there is nothing to tune")
	}
	const floor = 64 << 20
	small := func(g uint64) bool { return g < floor/4 }
	if g := goal(small); !small(g) {
		t.Fatalf("without a floor the goal is %d bytes; this test needs a live heap far below %d", g, floor)
	}

	stop := Set(floor)
	atFloor := func(g uint64) bool { return g >= floor && g <= floor+floor/4 }
	g := goal(atFloor)
	stop()
	if !atFloor(g) {
		t.Errorf("with a %d-byte floor the next collection starts at %d bytes, want from the floor to a quarter above it", floor, g)
	}
	if g := goal(small); !small(g) {
		t.Errorf("after stop the next collection starts at %d bytes, want the runtime's own goal again (under %d)", g, floor/4)
	}
	if got := debug.SetGCPercent(base); got != base {
		t.Errorf("after stop the percentage is %d, want the base %d", got, base)
	}
}

// TestPercent checks the percentage chosen for a live heap and its roots:
// one whose goal reaches the floor below it, the base from where the base
// alone reaches it.
func TestPercent(t *testing.T) {
	tu := &tuner{floor: 64 << 20, base: 100}
	for _, c := range []struct {
		live, roots uint64
		want        int
	}{
		{0, 0, 1600}, // the runtime's 4 MiB minimum × 16 = 64 MiB
		{1, 0, 1600},
		{1 << 20, 0, 1600},
		{8 << 20, 0, 701},       // 8 MiB + 8 MiB × 7.01 ≥ 64 MiB
		{8 << 20, 8 << 20, 351}, // 8 MiB + 16 MiB × 3.51
		{16 << 20, 0, 301},      // 16 MiB + 16 MiB × 3.01
		{32 << 20, 0, 100},      // 32 MiB + 32 MiB reaches the floor: the base
		{200 << 20, 1 << 20, 100},
	} {
		got := tu.percent(c.live, c.roots)
		if got != c.want {
			t.Errorf("percent(%d, %d) = %d, want %d", c.live, c.roots, got, c.want)
		}
		if goal := c.live + (c.live+c.roots)*uint64(got)/100; max(goal, minimumHeap*uint64(got)/100) < tu.floor {
			t.Errorf("percent(%d, %d) = %d: next goal %d is under the floor %d", c.live, c.roots, got, goal, tu.floor)
		}
	}
}

// TestZeroFloor checks that a floor of 0 leaves the collector as it was.
func TestZeroFloor(t *testing.T) {
	base := debug.SetGCPercent(100)
	debug.SetGCPercent(base)
	stop := Set(0)
	defer stop()
	if got := debug.SetGCPercent(base); got != base {
		t.Errorf("with a zero floor the percentage is %d, want %d", got, base)
	}
}
