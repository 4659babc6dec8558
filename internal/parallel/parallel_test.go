package parallel

import (
	"runtime"
	"sync/atomic"
	"testing"
)

type countTask struct {
	hits  []int32
	calls atomic.Int32
}

func (c *countTask) Do(lo, hi int) {
	c.calls.Add(1)
	for i := lo; i < hi; i++ {
		atomic.AddInt32(&c.hits[i], 1)
	}
}

// TestForCoversEveryIndexOnce: whatever the length, For and Range visit
// each index exactly once.
func TestForCoversEveryIndexOnce(t *testing.T) {
	for _, f := range []struct {
		name string
		run  func(int, Task)
	}{{"For", For}, {"Range", Range}} {
		for _, n := range []int{0, 1, 2, 3, 100, MinGrain, 2 * MinGrain, 2*MinGrain + 1, 1 << 20} {
			c := &countTask{hits: make([]int32, n)}
			f.run(n, c)
			for i, h := range c.hits {
				if h != 1 {
					t.Fatalf("%s, n=%d: index %d visited %d times", f.name, n, i, h)
				}
			}
		}
	}
}

// TestRangeSplitsShortLoops: Range cuts even two indices into two pieces
// for two cores to take, where For keeps short loops in one piece.
func TestRangeSplitsShortLoops(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("one core")
	}
	c := &countTask{hits: make([]int32, 2)}
	Range(2, c)
	if got := c.calls.Load(); got != 2 {
		t.Errorf("Range(2): %d pieces, want 2", got)
	}
	c = &countTask{hits: make([]int32, 2)}
	For(2, c)
	if got := c.calls.Load(); got != 1 {
		t.Errorf("For(2): %d pieces, want 1", got)
	}
}

func TestForAllocatesNothing(t *testing.T) {
	c := &countTask{hits: make([]int32, 1<<18)}
	For(len(c.hits), c)
	if a := testing.AllocsPerRun(20, func() { For(len(c.hits), c) }); a > 0 {
		t.Errorf("%.1f allocations per call", a)
	}
}
