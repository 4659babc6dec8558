package parallel

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
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

// TestConcurrentAndNestedCalls: loops started from several goroutines at
// once, and loops started inside a piece of another, each cover their
// range exactly once and return.
func TestConcurrentAndNestedCalls(t *testing.T) {
	const n = 4 * MinGrain
	var wg sync.WaitGroup
	tasks := make([]*countTask, 8)
	for g := range tasks {
		tasks[g] = &countTask{hits: make([]int32, n)}
		wg.Add(1)
		go func(c *countTask) {
			defer wg.Done()
			for range 20 {
				For(n/20, c) // the same first n/20 indices, 20 times
			}
		}(tasks[g])
	}
	wg.Wait()
	for g, c := range tasks {
		for i, h := range c.hits[:n/20] {
			if h != 20 {
				t.Fatalf("goroutine %d: index %d visited %d times, want 20", g, i, h)
			}
		}
	}
	outer := &nestTask{inner: make([]*countTask, 4)}
	for i := range outer.inner {
		outer.inner[i] = &countTask{hits: make([]int32, n)}
	}
	Range(len(outer.inner), outer)
	for i, c := range outer.inner {
		for j, h := range c.hits {
			if h != 1 {
				t.Fatalf("nested loop %d: index %d visited %d times", i, j, h)
			}
		}
	}
}

// nestTask runs a parallel loop inside each of its pieces.
type nestTask struct{ inner []*countTask }

func (t *nestTask) Do(lo, hi int) {
	for i := lo; i < hi; i++ {
		For(len(t.inner[i].hits), t.inner[i])
	}
}

// onceJob is a job of one piece that counts its runs.
type onceJob struct {
	taken atomic.Bool
	runs  atomic.Int32
}

func (j *onceJob) Work() {
	if j.taken.CompareAndSwap(false, true) {
		j.runs.Add(1)
	}
}

// TestGoRunsEachJobOnce: a job handed to Go is done exactly once by the
// time Wait returns, whether a helper took it or the caller ran it, and
// while the caller kept the pool busy with loops of its own.
func TestGoRunsEachJobOnce(t *testing.T) {
	for _, procs := range []int{1, 2} {
		before := runtime.GOMAXPROCS(procs)
		for i := range 200 {
			j := new(onceJob)
			p := Go(j)
			if i%2 == 0 {
				c := &countTask{hits: make([]int32, 4*MinGrain)}
				For(len(c.hits), c)
			}
			p.Wait()
			if got := j.runs.Load(); got != 1 {
				t.Fatalf("GOMAXPROCS %d, job %d: ran %d times", procs, i, got)
			}
		}
		runtime.GOMAXPROCS(before)
	}
}

// slowJob is a job of two pieces, each of which takes a while and records
// that it finished.
type slowJob struct {
	next, finished atomic.Int32
	piece          time.Duration
}

func (j *slowJob) Work() {
	for j.next.Add(1) <= 2 {
		time.Sleep(j.piece)
		j.finished.Add(1)
	}
}

// TestRunWaitsForSlowHelpers: Run returns only once a helper's piece is
// done, whether the caller waits for it spinning (a short piece) or has
// to park (a piece longer than SpinTime).
func TestRunWaitsForSlowHelpers(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	for _, piece := range []time.Duration{0, SpinTime / 4, 20 * SpinTime} {
		for i := range 20 {
			j := &slowJob{piece: piece}
			Run(j, 1)
			if got := j.finished.Load(); got != 2 {
				t.Fatalf("pieces of %v, run %d: Run returned with %d of 2 pieces done", piece, i, got)
			}
		}
	}
}
