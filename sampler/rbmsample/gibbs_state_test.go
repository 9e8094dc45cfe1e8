package rbmsample

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
)

// TestRBMTemperingRestore: a ladder rebuilt from fresh chains, given the saved chain
// states and streams and Restore(State()), goes on exactly as the original; Restore
// refuses states that do not fit.
func TestRBMTemperingRestore(t *testing.T) {
	r := models.RandomRBM(6, 4, 1, rand.New(rand.NewPCG(1, 2)))
	betas := []float64{0.2, 0.5, 1}
	ladder := func() *RBMTempering {
		chains := make([]*RBMChain, len(betas))
		for k := range chains {
			chains[k] = NewRBMChain(r, sampler.NewStream(3, sampler.PurposeChain, 0, k))
		}
		return NewRBMTempering(r, betas, chains, sampler.NewStream(3, sampler.PurposeSwap, 0, 0))
	}
	a := ladder()
	for range 7 { // odd: the next step proposes the odd pairs
		a.Sweep()
	}
	b := ladder()
	if err := b.Restore(a.State()); err != nil {
		t.Fatal(err)
	}
	copyStream := func(dst, src interface {
		MarshalBinary() ([]byte, error)
		UnmarshalBinary([]byte) error
	}) {
		s, _ := src.MarshalBinary()
		if err := dst.UnmarshalBinary(s); err != nil {
			t.Fatal(err)
		}
	}
	copyStream(b.Src, a.Src)
	for k, c := range a.Chains {
		copy(b.Chains[k].V, c.V)
		copy(b.Chains[k].H, c.H)
		b.Chains[k].Steps = c.Steps
		copyStream(b.Chains[k].Src, c.Src)
	}
	for range 50 {
		a.Sweep()
		b.Sweep()
	}
	for k := range a.Chains {
		if !slices.Equal(a.Chains[k].V, b.Chains[k].V) || !slices.Equal(a.Chains[k].H, b.Chains[k].H) {
			t.Fatalf("chain %d differs after the restore", k)
		}
	}
	if !slices.Equal(a.Slot, b.Slot) || !slices.Equal(a.Tried, b.Tried) || !slices.Equal(a.Swapped, b.Swapped) {
		t.Errorf("slots or counters differ: %v %v %v vs %v %v %v", a.Slot, a.Tried, a.Swapped, b.Slot, b.Tried, b.Swapped)
	}
	good := a.State()
	mod := func(f func(s *sampler.TemperingState)) sampler.TemperingState {
		s := a.State()
		f(&s)
		return s
	}
	for _, bad := range []sampler.TemperingState{
		mod(func(s *sampler.TemperingState) { s.Slot = s.Slot[:2] }),
		mod(func(s *sampler.TemperingState) { s.Slot[1] = s.Slot[0] }),
		mod(func(s *sampler.TemperingState) { s.Swapped[0] = s.Tried[0] + 1 }),
		mod(func(s *sampler.TemperingState) { s.Parity = 2 }),
	} {
		if err := b.Restore(bad); err == nil {
			t.Errorf("Restore(%+v) succeeded", bad)
		}
	}
	if err := b.Restore(good); err != nil {
		t.Errorf("Restore(State()) after the bad ones: %v", err)
	}
	if b.State().String() == "" {
		t.Error("empty String()")
	}
}
