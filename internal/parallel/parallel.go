// Package parallel splits element-wise loops (optimiser steps, activations)
// across the machine's cores with a fixed pool of goroutines, allocating
// nothing per call.
package parallel

import (
	"runtime"
	"sync"
)

// Task is a loop body over the index range [lo, hi).
type Task interface {
	Do(lo, hi int)
}

type piece struct {
	t      Task
	lo, hi int
	wg     *sync.WaitGroup
}

var (
	once  sync.Once
	queue chan piece
	wgs   = sync.Pool{New: func() any { return new(sync.WaitGroup) }}
)

func start() {
	queue = make(chan piece, 64)
	for i := 0; i < runtime.NumCPU(); i++ {
		go func() {
			for p := range queue {
				p.t.Do(p.lo, p.hi)
				p.wg.Done()
			}
		}()
	}
}

// MinGrain is the smallest range worth handing to another core: below it,
// For runs the task on the caller alone.
const MinGrain = 16384

// For runs t over [0, n), split into one contiguous piece per usable core
// (runtime.GOMAXPROCS), and returns when every piece is done.
func For(n int, t Task) {
	split(n, MinGrain, t)
}

// Range runs t over [0, n) like For, but splits whatever n is: for loops
// in which every index is a large piece of work (a channel of a batch, a
// row of image patches), so that even n = 2 uses two cores.
func Range(n int, t Task) {
	split(n, 1, t)
}

// split runs t over [0, n) in one contiguous piece per usable core, each
// at least grain long.
func split(n, grain int, t Task) {
	workers := runtime.GOMAXPROCS(0)
	if workers <= 1 || n < 2*grain {
		t.Do(0, n)
		return
	}
	once.Do(start)
	workers = min(workers, n/grain)
	wg := wgs.Get().(*sync.WaitGroup)
	size := (n + workers - 1) / workers
	wg.Add(workers - 1)
	for lo := size; lo < n; lo += size {
		queue <- piece{t, lo, min(lo+size, n), wg}
	}
	t.Do(0, min(size, n))
	wg.Wait()
	wgs.Put(wg)
}
