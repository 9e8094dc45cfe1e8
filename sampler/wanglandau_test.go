package sampler

import (
	"bytes"
	"context"
	"math"
	"math/bits"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/models/modeltest"
)

// wlWalks runs k independent walks of m over bins b (chain stream r+1 of seed), each
// for the given sweeps, concurrently, and returns the visited energies and each walk's
// ln g normalised to Σ g = 2^N.
func wlWalks(t *testing.T, m models.Model, b EnergyBins, seed uint64, k int, sweeps int64) ([]float64, [][]float64) {
	t.Helper()
	out := make([][]float64, k)
	ens := make([][]float64, k)
	errs := make([]error, k)
	var wg sync.WaitGroup
	for r := range k {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := NewWangLandau(m, b)
			c, err := NewWangLandauChain(m, b, NewStream(seed, PurposeChain, 0, r))
			if err == nil {
				err = w.Run(context.Background(), c, sweeps)
			}
			errs[r] = err
			out[r] = w.LnDOS(float64(m.N()) * math.Ln2)
			ens[r] = w.Energies()
		}()
	}
	wg.Wait()
	for r := range k {
		if errs[r] != nil {
			t.Fatal(errs[r])
		}
		if len(ens[r]) != len(ens[0]) {
			t.Fatalf("walk %d visited %d bins, walk 0 %d", r, len(ens[r]), len(ens[0]))
		}
	}
	return ens[0], out
}

// meanErr returns the mean of xs and its standard error from their spread.
func meanErr(xs []float64) (mean, err float64) {
	var s1, s2 float64
	for _, x := range xs {
		s1 += x
	}
	mean = s1 / float64(len(xs))
	for _, x := range xs {
		s2 += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(s2 / float64(len(xs)-1) / float64(len(xs)))
}

// checkLnG compares the mean ln g of independent walks with the exact values, bin by bin,
// in units of the standard error of the mean from the walks' spread. Tolerance
// (docs/references/funnels.md §5): every bin within 4σ, and the mean of z² over bins
// within [0.2, 3] (1 for exact errors; ν/(ν−2) for Student's t with ν = k − 1), so
// that neither the estimate nor its error bar can be far off.
func checkLnG(t *testing.T, name string, es []float64, walks [][]float64, exact func(e float64) float64) {
	t.Helper()
	var z2, worst float64
	worstAt := 0.0
	for k, e := range es {
		xs := make([]float64, len(walks))
		for r := range walks {
			xs[r] = walks[r][k]
		}
		m, se := meanErr(xs)
		z := (m - exact(e)) / se
		z2 += z * z
		if math.Abs(z) > math.Abs(worst) {
			worst, worstAt = z, e
		}
	}
	z2 /= float64(len(es))
	if math.Abs(worst) >= 4 || z2 < 0.2 || z2 > 3 {
		t.Errorf("%s: ln g vs exact over %d bins: worst z = %.2f at E = %g, mean z² = %.2f", name, len(es), worst, worstAt, z2)
	} else {
		t.Logf("%s: ln g vs exact over %d bins: worst z = %.2f at E = %g, mean z² = %.2f", name, len(es), worst, worstAt, z2)
	}
}

// TestWangLandauIsing16 checks ln g(E) of the 16×16 Ising torus against Beale's exact
// density of states, and c(T) from it against Kaufman (docs/references/funnels.md §4).
func TestWangLandauIsing16(t *testing.T) {
	const l = 16
	n := l * l
	m := models.NewIsing(models.Square(l), 1, 0)
	ex, err := models.ExactIsingDOS(l, l)
	if err != nil {
		t.Fatal(err)
	}
	lng := ex.LnG()
	b := GridBins(float64(-2*n), float64(2*n), 4)
	es, walks := wlWalks(t, m, b, 16, 8, 15000)
	if len(es) != b.Bins-2 {
		t.Errorf("visited %d bins; want all %d but E = ±(2N − 4)", len(es), b.Bins-2)
	}
	checkLnG(t, "Ising 16×16", es, walks, func(e float64) float64 { return lng[int(e+float64(2*n))/4] })
	for _, temp := range []float64{1.5, 2, 2.269185, 2.5, 3.5} {
		cs := make([]float64, len(walks))
		for r, w := range walks {
			cs[r] = dosC(es, w, n, 1/temp)
		}
		c, se := meanErr(cs)
		kc := models.Kaufman(l, l, 1/temp).C
		if z := (c - kc) / se; math.Abs(z) >= 4 {
			t.Errorf("T=%v: c = %.5f ± %.5f; Kaufman %.5f (z = %.1f)", temp, c, se, kc, z)
		}
	}
}

// dosC returns the specific heat per spin at beta from energies and ln g (the same sum
// as analysis.DensityOfStates.Thermo, which sampler's tests cannot import).
func dosC(es, lng []float64, n int, beta float64) float64 {
	lmax := math.Inf(-1)
	for k, l := range lng {
		lmax = max(lmax, l-beta*es[k])
	}
	var z, m1, m2 float64
	for k, l := range lng {
		w := math.Exp(l - beta*es[k] - lmax)
		z += w
		m1 += w * es[k]
		m2 += w * es[k] * es[k]
	}
	m1, m2 = m1/z, m2/z
	return beta * beta * (m2 - m1*m1) / float64(n)
}

// grayEnergies returns the energies of all states of m, in Gray-code order.
func grayEnergies(m models.Model) []float64 {
	n := m.N()
	s := make([]int8, n)
	for i := range s {
		s[i] = -1
	}
	e := m.Energy(s)
	out := make([]float64, 1<<uint(n))
	for k := range out {
		if k > 0 {
			i := bits.TrailingZeros64(uint64(k))
			e += m.DeltaE(s, i)
			s[i] = -s[i]
		}
		out[k] = e
	}
	return out
}

// exactBins returns nb bins spanning the energies es from the lowest to the highest
// (on bin centres) and the number of states in each.
func exactBins(es []float64, nb int) (EnergyBins, []float64) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, e := range es {
		lo, hi = min(lo, e), max(hi, e)
	}
	b := EnergyBins{Min: lo, Width: (hi - lo) / float64(nb-1), Bins: nb}
	h := make([]float64, nb)
	for _, e := range es {
		if j := b.Index(e); j >= 0 {
			h[j]++
		}
	}
	return b, h
}

// TestWangLandauPSpin20 checks ln g of an N = 20, p = 3 Ising p-spin instance against
// enumeration, on 40 bins spanning its whole spectrum.
func TestWangLandauPSpin20(t *testing.T) {
	m := models.NewPSpin(20, 3, 1, disorder(20))
	const nb = 40
	b, h := exactBins(grayEnergies(m), nb)
	es, walks := wlWalks(t, m, b, 20, 8, 40000)
	if len(es) != nb {
		t.Fatalf("visited %d of %d bins", len(es), nb)
	}
	checkLnG(t, "p-spin N=20 p=3", es, walks, func(e float64) float64 { return math.Log(h[b.Index(e)]) })
}

// TestWangLandauREM checks a REM instance against enumeration, through the index
// kernel.
func TestWangLandauREM(t *testing.T) {
	m := models.NewREM(14, 1, disorder(14))
	b, h := exactBins(grayEnergies(m), 24)
	es, walks := wlWalks(t, m, b, 14, 8, 100000)
	checkLnG(t, "REM N=14", es, walks, func(e float64) float64 { return math.Log(h[b.Index(e)]) })
}

// TestWangLandauFastPath checks that the specialised kernels take the decisions of the
// generic one.
func TestWangLandauFastPath(t *testing.T) {
	rng := disorder(3)
	ms := []models.Model{
		models.NewIsing(models.Square(4), 1, 0),
		models.NewSK(12, 0, models.Gaussian, rng),
		models.NewPSpin(10, 3, 1, rng),
		models.NewREM(10, 1, rng),
		models.NewGREM([]int{5, 5}, []float64{0.6, 0.4}, 1, rng),
		models.NewFunnel(10, 1, 1, rng),
	}
	for _, m := range ms {
		b, _ := exactBins(grayEnergies(m), 16)
		modeltest.FastPath(t, m, func(mm models.Model, seed uint64) []int8 {
			w := NewWangLandau(mm, b)
			c := NewChain(mm, NewStream(seed, PurposeChain, 0, 0))
			w.Run(context.Background(), c, 300)
			return c.S
		})
	}
}

// TestWangLandauCheckpoint checks that a walk stopped, encoded, decoded and resumed
// continues exactly as one that never stopped.
func TestWangLandauCheckpoint(t *testing.T) {
	m := models.NewIsing(models.Square(6), 1, 0)
	b := GridBins(-72, 72, 4)
	run := func(stopAt int64) ([]float64, []int8) {
		w := NewWangLandau(m, b)
		c := NewChain(m, NewStream(5, PurposeChain, 0, 0))
		if err := w.Run(context.Background(), c, stopAt); err != nil {
			t.Fatal(err)
		}
		if stopAt < 3000 {
			data, err := w.State().MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			var st WangLandauState
			if err := st.UnmarshalBinary(data); err != nil {
				t.Fatal(err)
			}
			src, _ := c.Src.MarshalBinary()
			c2 := &Chain{S: append([]int8(nil), c.S...), E: c.E, Src: new(rand.PCG), Accepted: c.Accepted, Proposed: c.Proposed}
			if err := c2.Src.UnmarshalBinary(src); err != nil {
				t.Fatal(err)
			}
			w2 := NewWangLandau(m, EnergyBins{Min: 0, Width: 1, Bins: 1})
			if err := w2.Restore(st); err != nil {
				t.Fatal(err)
			}
			w, c = w2, c2
			if err := w.Run(context.Background(), c, 3000-stopAt); err != nil {
				t.Fatal(err)
			}
		}
		return w.LnG, c.S
	}
	a, sa := run(3000)
	bl, sb := run(1234)
	for k := range a {
		if a[k] != bl[k] {
			t.Fatalf("bin %d: ln g %v uninterrupted, %v resumed", k, a[k], bl[k])
		}
	}
	if !bytes.Equal(int8Bytes(sa), int8Bytes(sb)) {
		t.Fatal("spins differ after resuming")
	}
	// Bad states are refused.
	good := NewWangLandau(m, b).State()
	bad := good
	bad.LnG = bad.LnG[:3]
	if err := NewWangLandau(m, b).Restore(bad); err == nil {
		t.Error("Restore accepted tables of the wrong length")
	}
	bad = good
	bad.LnF = math.NaN()
	if _, err := bad.MarshalBinary(); err == nil {
		t.Error("MarshalBinary accepted ln f = NaN")
	}
}

func int8Bytes(s []int8) []byte {
	b := make([]byte, len(s))
	for i, v := range s {
		b[i] = byte(v)
	}
	return b
}

// TestWangLandauWindow checks the errors for chains outside the window and the 1/t
// schedule's bookkeeping.
func TestWangLandauWindow(t *testing.T) {
	m := models.NewIsing(models.Square(8), 1, 0)
	b := GridBins(-128, -64, 4) // the low-energy end only
	w := NewWangLandau(m, b)
	c := NewChain(m, NewStream(1, PurposeChain, 0, 0)) // a random state, E ≈ 0
	if err := w.Run(context.Background(), c, 1); err == nil {
		t.Fatal("Run accepted a chain outside the window")
	}
	c, err := NewWangLandauChain(m, b, NewStream(1, PurposeChain, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Run(context.Background(), c, 20000); err != nil {
		t.Fatal(err)
	}
	if w.Stage != WLOneOverT || w.Rejected == 0 || w.VisitedBins() != b.Bins-1 {
		t.Errorf("%v: stage %d, %d rejected, %d bins visited; want 1/t, some, %d", w, w.Stage, w.Rejected, w.VisitedBins(), b.Bins-1)
	}
	if math.Abs(w.LnF-1/w.T()) > 1e-15 {
		t.Errorf("ln f = %v; want 1/t = %v", w.LnF, 1/w.T())
	}
	// Within the window the walk samples g restricted to it: g(−120)/g(−128) = 2N/2.
	lng := w.LnDOS(0)
	if d := lng[1] - lng[0]; math.Abs(d-math.Log(64)) > 0.5 {
		t.Errorf("ln g(−120) − ln g(−128) = %v; want ln 64 = %v", d, math.Log(64))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := w.Run(ctx, c, 0); err == nil {
		t.Error("Run ignored a cancelled context")
	}
	if _, err := NewWangLandauChain(m, GridBins(200, 300, 4), NewStream(1, PurposeChain, 0, 0)); err == nil {
		t.Error("NewWangLandauChain found a state above the highest energy")
	}
}

// FuzzWangLandauState checks that decoding never panics and that what decodes
// re-encodes to the same bytes.
func FuzzWangLandauState(f *testing.F) {
	m := models.NewIsing(models.Square(4), 1, 0)
	w := NewWangLandau(m, GridBins(-32, 32, 4))
	c := NewChain(m, NewStream(1, PurposeChain, 0, 0))
	w.Run(context.Background(), c, 50)
	good, _ := w.State().MarshalBinary()
	f.Add(good)
	f.Add(good[:20])
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		var s WangLandauState
		if err := s.UnmarshalBinary(data); err != nil {
			return
		}
		again, err := s.MarshalBinary()
		if err != nil {
			t.Fatalf("decoded state does not encode: %v", err)
		}
		if !bytes.Equal(again, data) {
			t.Fatal("re-encoding differs")
		}
	})
}
