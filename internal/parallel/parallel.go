// Package parallel shares work across the machine's cores with one pool of
// helper goroutines, allocating nothing per call: Run for jobs that hand
// out their own pieces (the matrix products of internal/gemm), For and
// Range for loops over an index range (optimiser steps, activations,
// pooling), Go for a job the caller does not wait for at once.
//
// Work is taken, not assigned: the caller starts on a job at once, and a
// helper joins when it is free, taking what is left. A helper that comes
// late only means less help, never a wait.
//
// Helpers spin for a short while (SpinTime) after their last piece of
// work before they park. A training step is a chain of parallel regions
// separated by short serial stretches; a parked helper on a virtual
// machine takes from tens of microseconds to a millisecond to wake (the
// host must reschedule its idle virtual CPU), which on this project's
// 2-core VM made one product in ten run on one core. A caller that has
// finished its share likewise spins while its helpers finish theirs,
// rather than park and be woken on another thread.
package parallel

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Job is work that several goroutines share. Work takes pieces of the
// job until none is left and returns; it must be safe to call from
// several goroutines at once, and to call after the job is done (it then
// returns at once).
type Job interface {
	Work()
}

// SpinTime is how long an idle helper keeps looking for the next job
// before it parks.
var SpinTime = 100 * time.Microsecond

// entry is a job in the queue with the help it asked for.
type entry struct {
	job    Job
	want   int // helpers wanted
	joined int // helpers that joined (under pool.mu)
	wg     sync.WaitGroup
	done   atomic.Int32 // helpers done with the entry: the last thing a helper does with it is count itself here
}

var pool struct {
	mu       sync.Mutex
	helpers  int      // goroutines started
	queue    []*entry // jobs that may still take helpers
	wake     chan struct{}
	posted   atomic.Uint64 // jobs queued so far: spinning helpers watch it
	spinning atomic.Int32  // helpers spinning rather than parked
}

var entries = sync.Pool{New: func() any { return new(entry) }}

func init() { pool.wake = make(chan struct{}, 1024) }

// Run runs j on the calling goroutine with the help of up to helpers
// other goroutines, and returns when every goroutine that took part has
// returned from j.Work.
func Run(j Job, helpers int) {
	if helpers <= 0 {
		j.Work()
		return
	}
	e := post(j, helpers)
	j.Work()
	finish(e)
}

// Pending is a job handed to a helper by Go.
type Pending struct {
	j Job
	e *entry
}

// Go queues j for one helper and returns at once, so that the caller can
// go on with other work: independent work of the same step, such as the
// output layer of a DRTP network learning while its last hidden layer
// does. Wait then finishes j. On one core j waits for Wait.
func Go(j Job) Pending {
	if runtime.GOMAXPROCS(0) < 2 {
		return Pending{j: j}
	}
	return Pending{j: j, e: post(j, 1)}
}

// Wait returns when j is done: it runs on the caller whatever of j no
// helper has taken, then waits for the helper that did. A busy or parked
// helper only means that the caller does the work, never a wait for it.
func (p Pending) Wait() {
	p.j.Work()
	if p.e != nil {
		finish(p.e)
	}
}

// post queues j for up to helpers helpers and wakes them.
func post(j Job, helpers int) *entry {
	e := entries.Get().(*entry)
	e.job, e.want, e.joined = j, helpers, 0
	e.done.Store(0)
	pool.mu.Lock()
	for ; pool.helpers < helpers; pool.helpers++ {
		go helper()
	}
	pool.queue = append(pool.queue, e)
	pool.mu.Unlock()
	pool.posted.Add(1)
	for i := int(pool.spinning.Load()); i < helpers; i++ {
		select {
		case pool.wake <- struct{}{}:
		default: // enough wake-ups pending
		}
	}
	return e
}

// finish takes e off the queue once the caller is done with its job, and
// waits for the helpers that joined it.
func finish(e *entry) {
	pool.mu.Lock()
	for i, q := range pool.queue {
		if q == e {
			last := len(pool.queue) - 1
			pool.queue[i], pool.queue[last] = pool.queue[last], nil
			pool.queue = pool.queue[:last]
			break
		}
	}
	// Every helper that joined did so under the lock, before the removal
	// above: joined is final.
	joined := int32(e.joined)
	pool.mu.Unlock()
	waitDone(e, joined)
	e.job = nil
	entries.Put(e)
}

// waitDone returns when the joined helpers are done with e. It spins
// first, like an idle helper: the helpers end their share at about the
// time the caller does, and a caller that parked at once would be woken
// on another thread (futex calls and a move of the goroutine between
// cores) at every parallel region of a training step, which on this
// project's 2-core VM cost a tenth of a two-thread step. After SpinTime it
// parks until the helpers are done.
func waitDone(e *entry, joined int32) {
	if spinUntil(func() bool { return e.done.Load() >= joined }) {
		return
	}
	e.wg.Wait()
	// Each helper counts itself in done right after its Done.
	for e.done.Load() < joined {
		runtime.Gosched()
	}
}

// take returns a queued job that wants more help, counting the caller in,
// or nil.
func take() *entry {
	pool.mu.Lock()
	defer pool.mu.Unlock()
	for _, e := range pool.queue {
		if e.joined < e.want {
			e.joined++
			e.wg.Add(1)
			return e
		}
	}
	return nil
}

func helper() {
	for range pool.wake {
		for {
			seen := pool.posted.Load()
			if e := take(); e != nil {
				e.job.Work()
				e.wg.Done()
				e.done.Add(1)
				continue
			}
			if !spin(seen) {
				break
			}
		}
	}
}

// spin waits up to SpinTime for a job to be posted after seen, and
// reports whether one was.
func spin(seen uint64) bool {
	pool.spinning.Add(1)
	posted := spinUntil(func() bool { return pool.posted.Load() != seen })
	pool.spinning.Add(-1)
	return posted
}

// spinUntil polls cond for up to SpinTime and reports whether it held. It
// yields its core now and then, so that it never keeps another goroutine
// from running.
func spinUntil(cond func() bool) bool {
	start := time.Now()
	for i := 1; ; i++ {
		if cond() {
			return true
		}
		if i%128 == 0 {
			if time.Since(start) > SpinTime {
				return cond()
			}
			runtime.Gosched()
		}
	}
}

// Task is a loop body over the index range [lo, hi).
type Task interface {
	Do(lo, hi int)
}

// MinGrain is the smallest range worth handing to another core: below it,
// For runs the task on the caller alone.
const MinGrain = 16384

// piecesPerWorker is how many pieces For and Range cut a loop into per
// core, so that the caller can take a late helper's share.
const piecesPerWorker = 4

// For runs t over [0, n), shared by the usable cores (runtime.GOMAXPROCS)
// in contiguous pieces of at least MinGrain, and returns when every piece
// is done.
func For(n int, t Task) {
	split(n, MinGrain, t)
}

// Range runs t over [0, n) like For, but splits whatever n is: for loops
// in which every index is a large piece of work (a channel of a batch, a
// row of image patches), so that even n = 2 uses two cores.
func Range(n int, t Task) {
	split(n, 1, t)
}

// loop is a Task over [0, n) cut into pieces that goroutines take in turn.
type loop struct {
	t      Task
	n      int
	pieces int
	next   atomic.Int64
}

var loops = sync.Pool{New: func() any { return new(loop) }}

// Work implements Job.
func (l *loop) Work() {
	for {
		i := int(l.next.Add(1) - 1)
		if i >= l.pieces {
			return
		}
		lo, hi := i*l.n/l.pieces, (i+1)*l.n/l.pieces
		l.t.Do(lo, hi)
	}
}

// split runs t over [0, n) in pieces of at least grain, on every usable
// core.
func split(n, grain int, t Task) {
	workers := runtime.GOMAXPROCS(0)
	if workers <= 1 || n < 2*grain {
		t.Do(0, n)
		return
	}
	workers = min(workers, n/grain)
	l := loops.Get().(*loop)
	l.t, l.n, l.pieces = t, n, min(n/grain, piecesPerWorker*workers)
	l.next.Store(0)
	Run(l, workers-1)
	l.t = nil
	loops.Put(l)
}
