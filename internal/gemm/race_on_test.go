//go:build race

package gemm

// raceEnabled: under the race detector sync.Pool drops items at random,
// so the allocation test cannot hold.
const raceEnabled = true
