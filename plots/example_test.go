package plots_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"drtp/plots"
)

func ExampleEMA() {
	// Angles as measured, then smoothed as in the paper's figures (eq. P1).
	angles := []float64{90, 70, 70, 50}
	smooth := make([]float64, len(angles))
	plots.EMA(smooth, angles, plots.AlignmentMomentum)
	fmt.Printf("%.2f\n", smooth)
	// Output: [90.00 89.00 88.05 86.15]
}

func ExampleErrorCurves() {
	// Mean test error over trials (%), with its standard deviation.
	curves := []plots.Curve{
		{Label: "BP", X: []float64{1, 2, 3, 4}, Y: []float64{12, 5, 3, 2.1}, Std: []float64{1, 0.5, 0.3, 0.2}},
		{Label: "DRTP", X: []float64{1, 2, 3, 4}, Y: []float64{15, 8, 5.5, 4.2}, Std: []float64{1.5, 0.8, 0.5, 0.4}},
	}
	p, err := plots.ErrorCurves("MNIST, 784-1000-10", "epoch", "test error (%)", curves, true)
	if err != nil {
		log.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "plots-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	for _, name := range []string{"error.png", "error.svg", "error.pdf"} {
		if err := plots.Save(p, filepath.Join(dir, name), plots.ColumnWidth, plots.ColumnHeight); err != nil {
			log.Fatal(err)
		}
		fmt.Println("wrote", name)
	}
	// Output:
	// wrote error.png
	// wrote error.svg
	// wrote error.pdf
}

func ExampleRasterPlot() {
	layers := []plots.LayerSpikes{
		{Name: "input", Neurons: 4, Spikes: []plots.Spike{{T: 1, Neuron: 0}, {T: 3.5, Neuron: 2}}},
		{Name: "hidden", Neurons: 3, Spikes: []plots.Spike{{T: 2, Neuron: 1}}},
		{Name: "output", Neurons: 2, Spikes: []plots.Spike{{T: 4, Neuron: 1}}},
	}
	p, err := plots.RasterPlot(plots.RasterTitle(1, 1), layers, 5)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.Title.Text)
	// Output: label 1, predicted 1
}
