package rg

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/deepglass/deepglass/models"
)

func randomSpins(n int, src *rand.PCG) []int8 {
	s := make([]int8, n)
	for i := range s {
		s[i] = int8(1 - 2*int(src.Uint64()>>63))
	}
	return s
}

// naiveBlock is BlockSpin.Apply written from coordinates: coarse sites in index
// order, each block summed over (bX+i, bY+j, bZ+k); ties draw from rng in that order.
func naiveBlock(t BlockSpin, s []int8, rng *rand.PCG) []int8 {
	l, b, d := t.Fine.L, t.B, t.Fine.Dim
	c := t.Coarse()
	out := make([]int8, c.N())
	ext := [3]int{1, 1, 1}
	for k := range d {
		ext[k] = b
	}
	for ci := range out {
		var X [3]int
		r := ci
		for k := range d {
			X[k] = r % c.L
			r /= c.L
		}
		idx := func(dx, dy, dz int) int {
			return (X[0]*b + dx) + l*(X[1]*b+dy) + l*l*(X[2]*b+dz)
		}
		if t.Rule == Decimation {
			out[ci] = s[idx(0, 0, 0)]
			continue
		}
		sum := 0
		for dz := range ext[2] {
			for dy := range ext[1] {
				for dx := range ext[0] {
					sum += int(s[idx(dx, dy, dz)])
				}
			}
		}
		switch {
		case sum > 0:
			out[ci] = 1
		case sum < 0:
			out[ci] = -1
		default:
			out[ci] = int8(1 - 2*int(rng.Uint64()>>63))
		}
	}
	return out
}

func TestBlockSpinNaive(t *testing.T) {
	src := rand.NewPCG(1, 2)
	for _, lat := range []models.Lattice{{Dim: 1, L: 12}, models.Square(12), models.Cubic(6)} {
		for _, b := range []int{2, 3} {
			for _, rule := range []Rule{Majority, Decimation} {
				bs, err := NewBlockSpin(lat, b, rule)
				if err != nil {
					t.Fatal(err)
				}
				for range 20 {
					s := randomSpins(lat.N(), src)
					got := make([]int8, bs.Coarse().N())
					bs.Apply(got, s, rand.NewPCG(3, 4))
					want := naiveBlock(bs, s, rand.NewPCG(3, 4))
					if string(int8Bytes(got)) != string(int8Bytes(want)) {
						t.Fatalf("%v: Apply = %v; want %v", bs, got, want)
					}
				}
			}
		}
	}
}

func int8Bytes(s []int8) []byte {
	b := make([]byte, len(s))
	for i, v := range s {
		b[i] = byte(v)
	}
	return b
}

// TestBlockSpinHand checks a 4×4 square by hand: rows y = 0…3 (x left to right).
func TestBlockSpinHand(t *testing.T) {
	s := []int8{
		1, 1, -1, -1,
		1, -1, -1, 1,
		-1, -1, 1, -1,
		-1, 1, 1, 1,
	}
	// Blocks: (0,0) sum 2 → +1; (1,0) sum −2 → −1; (0,1) sum −2 → −1; (1,1) sum 2 → +1.
	maj, _ := NewBlockSpin(models.Square(4), 2, Majority)
	got := make([]int8, 4)
	maj.Apply(got, s, rand.NewPCG(1, 1))
	if want := []int8{1, -1, -1, 1}; string(int8Bytes(got)) != string(int8Bytes(want)) {
		t.Errorf("majority = %v; want %v", got, want)
	}
	dec, _ := NewBlockSpin(models.Square(4), 2, Decimation)
	dec.Apply(got, s, nil)
	if want := []int8{1, -1, -1, 1}; string(int8Bytes(got)) != string(int8Bytes(want)) {
		t.Errorf("decimation = %v; want %v", got, want) // sites (0,0), (2,0), (0,2), (2,2)
	}
}

// TestBlockSpinTies: blocks with zero sum become +1 with probability 1/2.
func TestBlockSpinTies(t *testing.T) {
	lat := models.Square(64)
	s := make([]int8, lat.N())
	for i := range s {
		s[i] = int8(1 - 2*((i/lat.L)%2)) // rows alternate: every 2×2 block sums to 0
	}
	bs, _ := NewBlockSpin(lat, 2, Majority)
	if !bs.Ties() {
		t.Fatal("b=2 majority: Ties() = false")
	}
	out := make([]int8, bs.Coarse().N())
	src := rand.NewPCG(5, 6)
	n, plus := 0, 0
	for range 50 {
		bs.Apply(out, s, src)
		for _, v := range out {
			n++
			if v == 1 {
				plus++
			}
		}
	}
	// Binomial(n, 1/2): mean n/2, sd √n/2.
	if z := (float64(plus) - float64(n)/2) / (math.Sqrt(float64(n)) / 2); math.Abs(z) > 4 {
		t.Errorf("ties: %d of %d blocks +1 (z = %.2f)", plus, n, z)
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "random stream") {
			t.Errorf("Apply with ties and nil stream: recover() = %v", r)
		}
	}()
	bs.Apply(out, s, nil)
}

func TestPyramid(t *testing.T) {
	p, err := NewPyramid(models.Square(64), 2, Majority, 3)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := p.String(), "majority b=2: square:64 → square:32 → square:16 → square:8"; got != want {
		t.Errorf("String() = %q; want %q", got, want)
	}
	src := rand.NewPCG(1, 1)
	s := randomSpins(64*64, src)
	levels := p.Apply(s, src)
	for k, c := range levels {
		if len(c) != p.Lattice(k).N() || p.Lattice(k).L != 64>>k {
			t.Errorf("level %d: %d spins on %v", k, len(c), p.Lattice(k))
		}
	}
	if allocs := testing.AllocsPerRun(20, func() { p.Apply(s, src) }); allocs != 0 {
		t.Errorf("Pyramid.Apply allocates %v times", allocs)
	}
	var v OperatorValues
	if allocs := testing.AllocsPerRun(20, func() { Measure(&v, s, models.Square(64)) }); allocs != 0 {
		t.Errorf("Measure allocates %v times", allocs)
	}
	for _, c := range []struct {
		lat    models.Lattice
		b, lev int
		want   string
	}{
		{models.Square(12), 2, 3, "does not divide"},
		{models.Square(8), 2, 3, "coarse side"},
		{models.Square(8), 1, 1, "block side 1"},
		{models.Square(8), 2, 0, "levels"},
		{models.Lattice{Dim: 4, L: 8}, 2, 1, "dimension"},
	} {
		if _, err := NewPyramid(c.lat, c.b, Majority, c.lev); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("NewPyramid(%v, %d, %d) error %v; want %q", c.lat, c.b, c.lev, err, c.want)
		}
	}
}

func TestParseRule(t *testing.T) {
	for _, r := range []Rule{Majority, Decimation} {
		got, err := ParseRule(r.String())
		if err != nil || got != r {
			t.Errorf("ParseRule(%q) = %v, %v", r.String(), got, err)
		}
	}
	if _, err := ParseRule("vote"); err == nil {
		t.Error(`ParseRule("vote") succeeded`)
	}
}

func BenchmarkPyramidMeasure(b *testing.B) {
	p, _ := NewPyramid(models.Square(64), 2, Majority, 3)
	src := rand.NewPCG(1, 1)
	s := randomSpins(64*64, src)
	var v OperatorValues
	for b.Loop() {
		for l, c := range p.Apply(s, src) {
			Measure(&v, c, p.Lattice(l))
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*64*64), "ns/site")
}

// BenchmarkMCRGStep compares, at the 2D critical point (L = 64), one Wolff sweep with
// the MCRG measurement of one configuration (3 blockings, operators on 4 levels,
// correlations), to show where the time goes.
func BenchmarkMCRGStep(b *testing.B) {
	lat := models.Square(64)
	beta := math.Log(1+math.Sqrt2) / 2
	p, _ := NewPyramid(lat, 2, Majority, 3)
	c, sw := ising(lat, beta, "wolff", 1, 0)
	for range 200 {
		sw.Sweep(c)
	}
	b.Run("wolff-sweep", func(b *testing.B) {
		for b.Loop() {
			sw.Sweep(c)
		}
	})
	acc := newCorrelations(3, MaxEven, MaxOdd, 100)
	vals := make([]OperatorValues, 4)
	src := rand.NewPCG(1, 1)
	b.Run("block-measure-correlate", func(b *testing.B) {
		for b.Loop() {
			for l, s := range p.Apply(c.S, src) {
				Measure(&vals[l], s, p.Lattice(l))
			}
			acc.add(vals)
		}
	})
}
