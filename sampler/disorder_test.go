package sampler

import (
	"math/rand/v2"
	"testing"
)

func TestDisorder(t *testing.T) {
	a := Disorder(7, 3).Uint64()
	if b := rand.New(NewStream(7, PurposeDisorder, 3, 0)).Uint64(); a != b {
		t.Errorf("Disorder(7, 3) draws %d; the disorder stream draws %d", a, b)
	}
}
