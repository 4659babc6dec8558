package network

import (
	"fmt"
	"strconv"
	"strings"
)

// LayerSpec is one layer of a topology string.
type LayerSpec struct {
	Kind   string // "FC" or "CONV"
	Out    int    // neurons (FC) or output channels (CONV)
	Kernel int    // CONV kernel size (pixels)
	Stride int    // CONV stride
	Pad    int    // CONV zero padding
}

func (l LayerSpec) String() string {
	if l.Kind == "CONV" {
		return fmt.Sprintf("CONV_%d_%d_%d_%d", l.Out, l.Kernel, l.Stride, l.Pad)
	}
	return fmt.Sprintf("FC_%d", l.Out)
}

// ParseTopology reads a topology string in the format of the paper's code:
// layers joined by underscores, FC_n for a fully-connected layer of n
// neurons and CONV_out_kernel_stride_padding for a convolution followed by
// 2×2 max-pooling, e.g. "FC_1000_FC_10" or "CONV_32_5_1_2_FC_1000_FC_10".
// The last layer must be FC; its width is the number of outputs.
func ParseTopology(s string) ([]LayerSpec, error) {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("topology %q: %s (expected e.g. FC_1000_FC_10 or CONV_32_5_1_2_FC_1000_FC_10)", s, fmt.Sprintf(format, a...))
	}
	if strings.TrimSpace(s) == "" {
		return nil, bad("empty")
	}
	tok := strings.Split(s, "_")
	var specs []LayerSpec
	for i := 0; i < len(tok); {
		kind := strings.ToUpper(tok[i])
		var want int
		switch kind {
		case "FC":
			want = 1
		case "CONV":
			want = 4
		default:
			return nil, bad("layer %d: unknown layer kind %q, expected FC or CONV", len(specs)+1, tok[i])
		}
		if i+want > len(tok)-1 {
			return nil, bad("layer %d (%s): needs %d numbers, found %d", len(specs)+1, kind, want, len(tok)-1-i)
		}
		var v [4]int
		for j := 0; j < want; j++ {
			n, err := strconv.Atoi(tok[i+1+j])
			if err != nil {
				return nil, bad("layer %d (%s): %q is not a whole number", len(specs)+1, kind, tok[i+1+j])
			}
			v[j] = n
		}
		spec := LayerSpec{Kind: kind, Out: v[0]}
		if kind == "CONV" {
			spec.Kernel, spec.Stride, spec.Pad = v[1], v[2], v[3]
			if spec.Kernel < 1 || spec.Stride < 1 || spec.Pad < 0 {
				return nil, bad("layer %d: kernel and stride must be ≥ 1 and padding ≥ 0", len(specs)+1)
			}
		}
		if spec.Out < 1 {
			return nil, bad("layer %d: width %d must be ≥ 1", len(specs)+1, spec.Out)
		}
		specs = append(specs, spec)
		i += 1 + want
	}
	if specs[len(specs)-1].Kind != "FC" {
		return nil, bad("the last layer must be FC")
	}
	return specs, nil
}
