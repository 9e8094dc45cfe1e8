package mi_test

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/deepglass/deepglass/analysis/mi"
)

// The binary tree grammar of Lin & Tegmark: I(d) decays as a power law whose exponent
// −4 log₂(1/λ) follows from the second eigenvalue λ of the branching matrix.
func Example() {
	tree := mi.NewTree(2, 14, mi.SymmetricMarkov(2, 0.8))
	src := rand.NewPCG(1, 1)
	var seqs [][]int32
	for range 32 {
		seqs = append(seqs, tree.Generate(src))
	}
	r, err := mi.Estimate(context.Background(), seqs, 2, mi.Options{DMax: 256})
	if err != nil {
		panic(err)
	}
	fmt.Printf("I(1) = %.2f bits (exact %.2f)\n", r.I[0], tree.ExactMI(1))
	c, err := mi.Compare(r, 8, 256)
	if err != nil {
		panic(err)
	}
	fmt.Printf("exponent %.1f (exact %.2f); preferred: %s\n", c.Power.Exponent, tree.Exponent(), c.Preferred)
	// Output:
	// I(1) = 0.17 bits (exact 0.17)
	// exponent -1.3 (exact -1.29); preferred: power
}

// Markov chains forget exponentially: I(d) ∝ λ^{2d}.
func ExampleMarkov() {
	m := mi.SymmetricMarkov(2, 0.8)
	for _, d := range []int{1, 5, 10} {
		fmt.Printf("I(%d) = %.5f bits\n", d, m.ExactMI(d))
	}
	// Output:
	// I(1) = 0.53100 bits
	// I(5) = 0.07890 bits
	// I(10) = 0.00833 bits
}
