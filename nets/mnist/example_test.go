package mnist_test

import (
	"fmt"

	"github.com/deepglass/deepglass/nets/mnist"
)

// Area averaging to 10×10, as in Choromanska et al.'s experiment: an image whose left
// half is white keeps its mean intensity.
func ExampleSet_Downsample() {
	s := &mnist.Set{Name: "toy", N: 1, Rows: 28, Cols: 28, Pixels: make([]float32, 784), Labels: []uint8{7}}
	for r := range 28 {
		for c := range 14 {
			s.Pixels[r*28+c] = 1
		}
	}
	d := s.Downsample(10)
	fmt.Println(d)
	fmt.Printf("row 0: %.2f\n", d.Image(0)[:10])
	// Output:
	// toy 10×10: 1 images 10×10
	// row 0: [1.00 1.00 1.00 1.00 1.00 0.00 0.00 0.00 0.00 0.00]
}
