package synapse

import (
	"fmt"
	"math"
	"testing"
)

// convShapes are the cases of the reference tests: padding, stride, odd
// sizes, several channels, and a kernel as large as the padded input.
var convShapes = []struct {
	inC, inH, inW, outC, k, stride, pad, n int
}{
	{1, 5, 5, 2, 3, 1, 0, 1},
	{1, 6, 6, 3, 5, 1, 2, 2},   // MNIST CONV's padding rule on a small image
	{2, 7, 5, 3, 3, 2, 1, 3},   // stride 2, rectangular, odd
	{3, 8, 8, 4, 3, 1, 1, 2},   // CIFAR's CONV_x_3_1_1
	{2, 4, 4, 2, 4, 3, 1, 2},   // stride larger than one step, padded
	{1, 3, 3, 1, 5, 1, 1, 1},   // kernel = padded input: one output
	{2, 5, 6, 2, 2, 2, 0, 2},   // no padding, even kernel
	{1, 4, 4, 1, 3, 1, 3, 1},   // padding ≥ kernel: border outputs see no pixel
	{4, 6, 6, 3, 3, 3, 2, 1},   // stride 3 with padding 2
	{1, 1, 1, 2, 1, 1, 0, 3},   // 1×1 kernel on 1×1 images
	{2, 9, 9, 2, 5, 2, 2, 2},   // 5×5, stride 2
	{1, 28, 28, 4, 5, 1, 2, 2}, // the MNIST CONV shape, fewer kernels
}

func randVec(n int, seed uint64) []float32 {
	r := newRand(seed)
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(r.NormFloat64())
	}
	return v
}

// naiveConv is the definition of the convolution (PyTorch's Conv2d, eq. S5
// without im2col), in float64, output in the CNHW layout of Conv.
func naiveConv(c *Conv, x []float32, n int) []float64 {
	z := make([]float64, n*c.OutSize())
	for s := 0; s < n; s++ {
		for o := 0; o < c.OutC; o++ {
			for oy := 0; oy < c.OutH; oy++ {
				for ox := 0; ox < c.OutW; ox++ {
					v := float64(c.B[o])
					for ci := 0; ci < c.InC; ci++ {
						for ky := 0; ky < c.K; ky++ {
							for kx := 0; kx < c.K; kx++ {
								iy, ix := oy*c.Stride+ky-c.Pad, ox*c.Stride+kx-c.Pad
								if iy < 0 || iy >= c.InH || ix < 0 || ix >= c.InW {
									continue
								}
								v += float64(c.W[((o*c.InC+ci)*c.K+ky)*c.K+kx]) * float64(x[((s*c.InC+ci)*c.InH+iy)*c.InW+ix])
							}
						}
					}
					z[((o*n+s)*c.OutH+oy)*c.OutW+ox] = v
				}
			}
		}
	}
	return z
}

func TestConvOutSize(t *testing.T) {
	tests := []struct{ in, k, s, p, want int }{
		{28, 5, 1, 2, 28}, // MNIST CONV_32_5_1_2 keeps 28 (then pooled to 14)
		{32, 3, 1, 1, 32}, // CIFAR CONV_64_3_1_1
		{7, 3, 2, 1, 4},   // ⌊(7+2−3)/2⌋+1 = 4
		{4, 5, 1, 0, 0},   // kernel larger than the input
		{3, 5, 1, 1, 1},   // exactly fits the padded input
	}
	for _, tt := range tests {
		if got := ConvOutSize(tt.in, tt.k, tt.s, tt.p); got != tt.want {
			t.Errorf("ConvOutSize(%d, %d, %d, %d) = %d, want %d", tt.in, tt.k, tt.s, tt.p, got, tt.want)
		}
	}
}

// TestConvForwardMatchesDefinition compares Forward with the direct sum.
func TestConvForwardMatchesDefinition(t *testing.T) {
	for i, sh := range convShapes {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			c := NewConv(sh.inC, sh.inH, sh.inW, sh.outC, sh.k, sh.stride, sh.pad)
			c.Initialize(InitHe, newRand(uint64(i)))
			x := randVec(sh.n*c.InSize(), uint64(100+i))
			z := make([]float32, sh.n*c.OutSize())
			col := make([]float32, c.ColSize(sh.n))
			c.Forward(z, x, col, sh.n)
			want := naiveConv(c, x, sh.n)
			for j := range want {
				if math.Abs(float64(z[j])-want[j]) > 1e-4*(1+math.Abs(want[j])) {
					t.Fatalf("z[%d] = %g, want %g", j, z[j], want[j])
				}
			}
		})
	}
}

func dot64(a, b []float32) float64 {
	var s float64
	for i := range a {
		s += float64(a[i]) * float64(b[i])
	}
	return s
}

// TestCol2ImIsAdjointOfIm2Col: ⟨im2col(x), y⟩ = ⟨x, col2im(y)⟩ for random
// x and y, the identity that makes Backward the transpose of Forward.
func TestCol2ImIsAdjointOfIm2Col(t *testing.T) {
	for i, sh := range convShapes {
		c := NewConv(sh.inC, sh.inH, sh.inW, sh.outC, sh.k, sh.stride, sh.pad)
		x := randVec(sh.n*c.InSize(), uint64(i))
		y := randVec(c.ColSize(sh.n), uint64(50+i))
		col := make([]float32, c.ColSize(sh.n))
		dx := make([]float32, len(x))
		for j := range dx {
			dx[j] = 99 // Col2Im must clear it first
		}
		c.Im2Col(col, x, sh.n)
		c.Col2Im(dx, y, sh.n)
		a, b := dot64(col, y), dot64(x, dx)
		if math.Abs(a-b) > 1e-3*(1+math.Abs(a)) {
			t.Errorf("shape %d: ⟨im2col x, y⟩ = %g, ⟨x, col2im y⟩ = %g", i, a, b)
		}
	}
}

// TestConvGradAndBackwardMatchFiniteDifferences checks eqs. S6 and S7 on
// the scalar J = ⟨g, z(x, W, b)⟩ with random g: ∂J/∂W = Grad's gW,
// ∂J/∂b = gB and ∂J/∂x = Backward's dx. z is linear in each, so central
// differences are exact up to rounding.
func TestConvGradAndBackwardMatchFiniteDifferences(t *testing.T) {
	for i, sh := range convShapes[:11] {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			c := NewConv(sh.inC, sh.inH, sh.inW, sh.outC, sh.k, sh.stride, sh.pad)
			c.Initialize(InitDefault, newRand(uint64(i)))
			n := sh.n
			x := randVec(n*c.InSize(), uint64(200+i))
			g := randVec(n*c.OutSize(), uint64(300+i))
			col := make([]float32, c.ColSize(n))
			z := make([]float32, n*c.OutSize())
			J := func() float64 {
				c.Forward(z, x, col, n)
				return dot64(g, z)
			}
			J()
			gW, gB := make([]float32, len(c.W)), make([]float32, c.OutC)
			c.Grad(gW, gB, g, col, n)
			dx := make([]float32, len(x))
			c.Backward(dx, g, c.W, make([]float32, c.ColSize(n)), n)
			const h = 0.5
			for _, p := range []struct {
				name string
				v    []float32
				grad []float32
			}{{"W", c.W, gW}, {"b", c.B, gB}, {"x", x, dx}} {
				for j := range p.v {
					orig := p.v[j]
					p.v[j] = orig + h
					up := J()
					p.v[j] = orig - h
					down := J()
					p.v[j] = orig
					num := (up - down) / (2 * h)
					if math.Abs(num-float64(p.grad[j])) > 1e-3*(1+math.Abs(num)) {
						t.Fatalf("∂J/∂%s[%d] = %g, finite difference %g", p.name, j, p.grad[j], num)
					}
				}
			}
		})
	}
}

// TestConvInitializeBounds: PyTorch's Conv2d default is ±1/√(InC·K·K) for
// weights and biases (kaiming_uniform_ with a = √5); He is ±√(6/fan_in).
func TestConvInitializeBounds(t *testing.T) {
	c := NewConv(3, 8, 8, 64, 3, 1, 1) // fan_in = 27
	for _, tt := range []struct {
		init  Init
		bound float64
	}{{InitDefault, 1 / math.Sqrt(27)}, {InitHe, math.Sqrt(6.0 / 27)}} {
		c.Initialize(tt.init, newRand(1))
		var m float64
		for _, v := range c.W {
			m = math.Max(m, math.Abs(float64(v)))
		}
		if m > tt.bound || m < 0.95*tt.bound {
			t.Errorf("%s: max |W| = %g, want just under %g", tt.init, m, tt.bound)
		}
		for _, v := range c.B {
			if math.Abs(float64(v)) > 1/math.Sqrt(27) {
				t.Errorf("%s: bias %g beyond ±1/√27", tt.init, v)
			}
		}
	}
}

func TestConvAllocatesNothing(t *testing.T) {
	c := NewConv(1, 28, 28, 8, 5, 1, 2)
	const n = 4
	x := randVec(n*c.InSize(), 1)
	z := make([]float32, n*c.OutSize())
	col := make([]float32, c.ColSize(n))
	gW, gB := make([]float32, len(c.W)), make([]float32, c.OutC)
	dx := make([]float32, len(x))
	c.Forward(z, x, col, n)
	if a := testing.AllocsPerRun(5, func() {
		c.Forward(z, x, col, n)
		c.Grad(gW, gB, z, col, n)
		c.Backward(dx, z, c.W, col, n)
	}); a > 0 {
		t.Errorf("%.0f allocations per forward/grad/backward", a)
	}
}

// TestSumMatchesFloat64 checks the eight-way sum of the bias gradient
// against a float64 sum, for lengths around the unrolled block of eight.
func TestSumMatchesFloat64(t *testing.T) {
	for _, n := range []int{0, 1, 7, 8, 9, 16, 17, 1000, 47040} {
		x := make([]float32, n)
		var want float64
		for i := range x {
			x[i] = float32(math.Sin(float64(i))) + 0.25
			want += float64(x[i])
		}
		if got := float64(sum(x)); math.Abs(got-want) > 1e-5*(1+math.Abs(want)) {
			t.Errorf("n = %d: sum = %v, want %v", n, got, want)
		}
	}
}
