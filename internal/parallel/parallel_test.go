package parallel

import (
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

// TestForCoversEveryIndexOnce: whatever the length, each index is visited
// exactly once.
func TestForCoversEveryIndexOnce(t *testing.T) {
	for _, n := range []int{0, 1, 100, MinGrain, 2 * MinGrain, 2*MinGrain + 1, 1 << 20} {
		c := &countTask{hits: make([]int32, n)}
		For(n, c)
		for i, h := range c.hits {
			if h != 1 {
				t.Fatalf("n=%d: index %d visited %d times", n, i, h)
			}
		}
	}
}

func TestForAllocatesNothing(t *testing.T) {
	c := &countTask{hits: make([]int32, 1<<18)}
	For(len(c.hits), c)
	if a := testing.AllocsPerRun(20, func() { For(len(c.hits), c) }); a > 0 {
		t.Errorf("%.1f allocations per call", a)
	}
}
