//go:build !amd64 || purego

package gemm

// bestKernels lists the kernel sets this CPU can run, best first.
func bestKernels() []*kernelSet { return []*kernelSet{&generic} }
