package packed

import (
	"fmt"
	"testing"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
)

// The reference implementations below are the lane observables as they were before the
// bit-sliced span counters: one ripple-carry addition (laneAcc.add1) per word, sites in
// lattice order. The tests require identical results.

func refLaneEnergies(m *Model, dst []int64, s []uint64) {
	var acc laneAcc
	l := m.Lattice.L
	nz := 1
	if m.Lattice.Dim == 3 {
		nz = l
	}
	for z := range nz {
		for y := range l {
			row := z*l*l + y*l
			yn := z*l*l + (y+1)%l*l
			zn := (z+1)%l*l*l + y*l
			for x := range l {
				i := row + x
				acc.add1(s[i] ^ s[row+(x+1)%l] ^ m.J[0][i])
				acc.add1(s[i] ^ s[yn+x] ^ m.J[1][i])
				if nz > 1 {
					acc.add1(s[i] ^ s[zn+x] ^ m.J[2][i])
				}
			}
		}
	}
	nb := int64(m.Lattice.Dim * m.N())
	for l := range dst {
		dst[l] = 2*acc.lane(l) - nb
	}
}

func refLaneCounts(dst []float64, s, o []uint64) {
	var acc laneAcc
	for i, w := range s {
		if o != nil {
			w ^= o[i]
		}
		acc.add1(w)
	}
	n := float64(len(s))
	acc.lanesTo(dst, func(ones int64) float64 { return (n - 2*float64(ones)) / n })
}

func refLaneLinkOverlaps(m *Model, dst []float64, a, b []uint64) {
	var acc laneAcc
	lat := m.Lattice
	n := m.N()
	for d := range lat.Dim {
		for i := range n {
			j := lat.Step(i, d, +1)
			acc.add1(a[i] ^ a[j] ^ b[i] ^ b[j])
		}
	}
	nb := lat.Dim * n
	acc.lanesTo(dst, func(u int64) float64 { return float64(int64(nb)-2*u) / float64(nb) })
}

// randomize fills s with random words, with a few all-zero and all-one runs so that
// counts reach every bit plane.
func randomize(s []uint64, seed uint64) {
	src := sampler.NewStream(seed, sampler.PurposeChain, 0, 0)
	for i := range s {
		s[i] = src.Uint64()
	}
	for i := 0; i < len(s)/3; i++ {
		s[i] = ^uint64(0)
	}
}

// TestLaneObservablesMatchReference compares LaneEnergies, LaneMagnetizations,
// LaneOverlaps and LaneLinkOverlaps, and their wide twins, with the reference
// implementations, lane by lane and bit for bit, on square and cubic lattices whose
// sizes put words in every path (whole blocks, rests, boundary corrections).
func TestLaneObservablesMatchReference(t *testing.T) {
	t.Logf("SIMD counting: %v", countSIMD)
	for _, lat := range []models.Lattice{models.Square(2), models.Square(3), models.Square(5), models.Square(16),
		models.Square(17), models.Square(40), models.Cubic(2), models.Cubic(3), models.Cubic(4), models.Cubic(7),
		models.Cubic(16)} {
		t.Run(fmt.Sprint(lat), func(t *testing.T) {
			pm, err := NewModelLanes(packedEA(lat, 64))
			if err != nil {
				t.Fatal(err)
			}
			n := pm.N()
			a := &Chain{S: make([]uint64, n)}
			b := &Chain{S: make([]uint64, n)}
			wa := &WideChain{S: make([]uint64, WideWords*n)}
			wb := &WideChain{S: make([]uint64, WideWords*n)}
			for trial, seed := range []uint64{1, 2, 3} {
				randomize(a.S, seed)
				randomize(b.S, seed+100)
				randomize(wa.S, seed+200)
				randomize(wb.S, seed+300)
				if trial == 1 { // all +1 against all −1: extreme counts
					clear(a.S)
					for i := range b.S {
						b.S[i] = ^uint64(0)
					}
				}
				var e, re [Lanes]int64
				var m, rm, q, rq, ql, rql [Lanes]float64
				pm.LaneEnergies(e[:], a.S)
				refLaneEnergies(pm, re[:], a.S)
				a.LaneMagnetizations(m[:])
				refLaneCounts(rm[:], a.S, nil)
				a.LaneOverlaps(q[:], b)
				refLaneCounts(rq[:], a.S, b.S)
				pm.LaneLinkOverlaps(ql[:], a.S, b.S)
				refLaneLinkOverlaps(pm, rql[:], a.S, b.S)
				if e != re || m != rm || q != rq || ql != rql {
					t.Fatalf("trial %d: 64 lanes differ from the reference:\ne %v\n  %v\nm %v\n  %v\nq %v\n  %v\nql %v\n   %v",
						trial, e[:4], re[:4], m[:4], rm[:4], q[:4], rq[:4], ql[:4], rql[:4])
				}
				we := make([]int64, WideLanes)
				wm, wq, wql := make([]float64, WideLanes), make([]float64, WideLanes), make([]float64, WideLanes)
				pm.WideLaneEnergies(we, wa)
				wa.LaneMagnetizations(wm)
				wa.LaneOverlaps(wq, wb)
				pm.WideLaneLinkOverlaps(wql, wa, wb)
				for w := range WideWords {
					wa.Word(a, w)
					wb.Word(b, w)
					refLaneEnergies(pm, re[:], a.S)
					refLaneCounts(rm[:], a.S, nil)
					refLaneCounts(rq[:], a.S, b.S)
					refLaneLinkOverlaps(pm, rql[:], a.S, b.S)
					lo := Lanes * w
					if [Lanes]int64(we[lo:]) != re || [Lanes]float64(wm[lo:]) != rm ||
						[Lanes]float64(wq[lo:]) != rq || [Lanes]float64(wql[lo:]) != rql {
						t.Fatalf("trial %d: word %d of the wide chain differs from the reference", trial, w)
					}
				}
			}
			if allocs := testing.AllocsPerRun(5, func() {
				var e [Lanes]int64
				var q [Lanes]float64
				pm.LaneEnergies(e[:], a.S)
				a.LaneOverlaps(q[:], b)
				pm.LaneLinkOverlaps(q[:], a.S, b.S)
			}); allocs != 0 {
				t.Errorf("%v allocations; want 0", allocs)
			}
		})
	}
}

// TestLaneCountPlanes adds known numbers of set bits to every phase through every path
// (single words, blocks of sixteen, wide blocks) and checks every lane's count.
func TestLaneCountPlanes(t *testing.T) {
	for _, n := range []int{0, 1, 15, 16, 17, 255, 256, 1000, 70000} {
		a := make([]uint64, WideWords*n)
		want := make([]int64, WideLanes)
		src := sampler.NewStream(uint64(n), sampler.PurposeChain, 0, 0)
		for k := range a {
			a[k] = src.Uint64()
			if k%7 == 0 {
				a[k] = ^uint64(0)
			}
			for l := range Lanes {
				want[Lanes*(k%WideWords)+l] += int64(a[k] >> l & 1)
			}
		}
		var c laneCount
		c.wspan1(a)
		got := make([]int64, WideLanes)
		c.wideLanes(got, 1)
		for l := range got {
			if got[l] != want[l] {
				t.Fatalf("n=%d wide: lane %d counts %d; want %d", n, l, got[l], want[l])
			}
		}
		var d laneCount
		d.span1(a)
		sum := make([]int64, Lanes)
		d.sumLanes(sum, 1)
		for l := range sum {
			var w int64
			for p := range WideWords {
				w += want[Lanes*p+l]
			}
			if sum[l] != w {
				t.Fatalf("n=%d: lane %d counts %d; want %d", n, l, sum[l], w)
			}
		}
	}
}
