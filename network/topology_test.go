package network

import (
	"strings"
	"testing"
)

func TestParseTopology(t *testing.T) {
	tests := []struct {
		in      string
		want    string // layers joined by space, or "" on error
		errPart string
	}{
		{"FC_1000_FC_10", "FC_1000 FC_10", ""},
		{"FC_500_FC_500_FC_10", "FC_500 FC_500 FC_10", ""},
		{"CONV_32_5_1_2_FC_1000_FC_10", "CONV_32_5_1_2 FC_1000 FC_10", ""},
		{"", "", "empty"},
		{"FC_10_", "", "unknown layer kind \"\""},
		{"FC_1000_FC", "", "needs 1 numbers"},
		{"FC_abc_FC_10", "", "not a whole number"},
		{"XX_10", "", "unknown layer kind"},
		{"FC_0_FC_10", "", "must be ≥ 1"},
		{"FC_10_CONV_3_3_1_1", "", "last layer must be FC"},
		{"CONV_32_5_0_2_FC_10", "", "stride"},
	}
	for _, tt := range tests {
		specs, err := ParseTopology(tt.in)
		if tt.errPart != "" {
			if err == nil || !strings.Contains(err.Error(), tt.errPart) {
				t.Errorf("ParseTopology(%q) error = %v, want one containing %q", tt.in, err, tt.errPart)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseTopology(%q): %v", tt.in, err)
			continue
		}
		var got []string
		for _, s := range specs {
			got = append(got, s.String())
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("ParseTopology(%q) = %v, want %s", tt.in, got, tt.want)
		}
	}
}
