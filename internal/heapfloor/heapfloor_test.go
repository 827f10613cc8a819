package heapfloor

import (
	"runtime"
	"runtime/debug"
	"testing"
)

// sink keeps allocations from being optimized away.
var sink []byte

// collections allocates n bytes of garbage in 64 KiB pieces and returns
// how many collections ran meanwhile.
func collections(n int) uint32 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range n / (64 << 10) {
		sink = make([]byte, 64<<10)
	}
	runtime.ReadMemStats(&after)
	return after.NumGC - before.NumGC
}

// TestFloorCollectsLess checks what the floor is for: with a small live
// heap, allocating 512 MiB of garbage runs far fewer collections under a
// 64 MiB floor than under the base percentage alone, and stopping brings
// the base percentage back.
func TestFloorCollectsLess(t *testing.T) {
	base := debug.SetGCPercent(100)
	debug.SetGCPercent(base)
	if base < 0 {
		t.Skip("the collector is off (GOGC=off): there is nothing to tune")
	}
	without := collections(512 << 20)

	stop := Set(64 << 20)
	with := collections(512 << 20)
	stop()

	t.Logf("collections while allocating 512 MiB: %d without a floor, %d with a 64 MiB floor", without, with)
	if with == 0 || with*4 > without {
		t.Errorf("with a 64 MiB floor %d collections ran, want at least one and under a quarter of the %d without", with, without)
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
