package mi_test

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/deepglass/deepglass/analysis/mi"
)

var ctx = context.Background()

func seq(n int) []int {
	ds := make([]int, n)
	for i := range ds {
		ds[i] = i + 1
	}
	return ds
}

// h2 is the binary entropy in bits.
func h2(p float64) float64 {
	if p <= 0 || p >= 1 {
		return 0
	}
	return -p*math.Log2(p) - (1-p)*math.Log2(1-p)
}

// empiricalMI is the plug-in MI (bits) of the pooled pairs at distance d, computed
// directly: the oracle for the accumulator.
func empiricalMI(seqs [][]int32, k, d int) float64 {
	joint := make([][]float64, k)
	for x := range joint {
		joint[x] = make([]float64, k)
	}
	for _, s := range seqs {
		for t := 0; t+d < len(s); t++ {
			joint[s[t]][s[t+d]]++
		}
	}
	return mi.MutualInformation(joint)
}

func randomSeqs(src *rand.PCG, n, length, k int) [][]int32 {
	r := rand.New(src)
	out := make([][]int32, n)
	for i := range out {
		out[i] = make([]int32, length)
		for t := range out[i] {
			// Skewed symbols with some memory, so that every cell and margin differs.
			if t > 0 && r.Float64() < 0.3 {
				out[i][t] = out[i][t-1]
			} else {
				out[i][t] = int32(min(k-1, int(r.ExpFloat64()*1.5)))
			}
		}
	}
	return out
}

// TestPlugInMatchesDirect checks the raw estimate, and every leave-one-block-out
// replica of the plug-in method, against a direct computation on the data with that
// block deleted (blocks = whole sequences here), for the dense and the sparse tables.
func TestPlugInMatchesDirect(t *testing.T) {
	for _, k := range []int{3, 1200} { // 1200² · 4 blocks exceeds the dense limit
		seqs := randomSeqs(rand.NewPCG(1, uint64(k)), 4, 3000, k)
		ds := []int{1, 2, 7, 50}
		r, err := mi.Estimate(ctx, seqs, k, mi.Options{Distances: ds, Blocks: 4, Method: mi.PlugIn})
		if err != nil {
			t.Fatal(err)
		}
		for i, d := range ds {
			if got, want := r.Raw[i], empiricalMI(seqs, k, d); math.Abs(got-want) > 1e-12 {
				t.Errorf("k=%d: Raw(d=%d) = %.15g; want %.15g", k, d, got, want)
			}
			if r.I[i] != r.Raw[i] {
				t.Errorf("k=%d: plug-in I(d=%d) = %g differs from Raw %g", k, d, r.I[i], r.Raw[i])
			}
			for b := range 4 {
				rest := slices.Delete(slices.Clone(seqs), b, b+1)
				if got, want := r.Replicas[b][i], empiricalMI(rest, k, d); math.Abs(got-want) > 1e-12 {
					t.Errorf("k=%d: replica %d at d=%d = %.15g; want %.15g", k, b, d, got, want)
				}
			}
		}
	}
}

// TestBlocksWithinSequence checks that blocks cut a single sequence into contiguous
// segments: the replica of block b is the estimate from pairs whose first symbol lies
// outside segment b.
func TestBlocksWithinSequence(t *testing.T) {
	s := randomSeqs(rand.NewPCG(2, 2), 1, 1003, 4)[0]
	g, d := 5, 3
	r, err := mi.Estimate(ctx, [][]int32{s}, 4, mi.Options{Distances: []int{d}, Blocks: g, Method: mi.PlugIn})
	if err != nil {
		t.Fatal(err)
	}
	for b := range g {
		lo, hi := (b*len(s)+g-1)/g, ((b+1)*len(s)+g-1)/g
		joint := [][]float64{make([]float64, 4), make([]float64, 4), make([]float64, 4), make([]float64, 4)}
		for t := 0; t+d < len(s); t++ {
			if t < lo || t >= hi {
				joint[s[t]][s[t+d]]++
			}
		}
		if got, want := r.Replicas[b][0], mi.MutualInformation(joint); math.Abs(got-want) > 1e-12 {
			t.Errorf("replica %d = %.15g; want %.15g", b, got, want)
		}
	}
}

func TestBinarySymmetricChainClosedForm(t *testing.T) {
	// I(d) = 1 − H₂((1 − λ^d)/2) bits (docs/references/mi.md §2).
	for _, lambda := range []float64{0.8, 0.95, -0.5} {
		m := mi.SymmetricMarkov(2, lambda)
		for _, d := range []int{1, 2, 5, 30} {
			want := 1 - h2((1-math.Pow(lambda, float64(d)))/2)
			if got := m.ExactMI(d); math.Abs(got-want) > 1e-12 {
				t.Errorf("λ=%g: ExactMI(%d) = %.15g; want %.15g", lambda, d, got, want)
			}
		}
		if got := m.Lambda2(); math.Abs(got-math.Abs(lambda)) > 1e-12 {
			t.Errorf("λ=%g: Lambda2 = %g", lambda, got)
		}
	}
}

// markov3 is a three-state chain with |λ₂| ≈ 0.87, slow enough that I(30) ≈ 2.5e-4
// bits is still resolved by 2^20 symbols.
func markov3(t *testing.T) *mi.Markov {
	m, err := mi.NewMarkov([][]float64{{0.9, 0.07, 0.03}, {0.05, 0.9, 0.05}, {0.02, 0.08, 0.9}})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestMarkovAgainstExact is the must-show check: I(d) of 2^20 symbols of a Markov
// chain lies within 4σ of the exact I(d) for every d = 1…30, for every corrected
// method, and the exact curve decays as |λ₂|^{2d}.
func TestMarkovAgainstExact(t *testing.T) {
	m := markov3(t)
	s := m.Generate(1<<20, rand.NewPCG(3, 3))
	for _, method := range []mi.Method{mi.ShuffleJackknife, mi.Jackknife, mi.Shuffle, mi.Grassberger} {
		r, err := mi.Estimate(ctx, [][]int32{s}, 3, mi.Options{Distances: seq(30), Method: method})
		if err != nil {
			t.Fatal(err)
		}
		worst := 0.0
		for i, d := range r.D {
			z := (r.I[i] - m.ExactMI(d)) / r.Err[i]
			if math.Abs(z) > math.Abs(worst) {
				worst = z
			}
			if math.Abs(z) > 4 {
				t.Errorf("%v: I(%d) = %.6g ± %.2g; exact %.6g (z = %.1f)", method, d, r.I[i], r.Err[i], m.ExactMI(d), z)
			}
		}
		t.Logf("%v: worst z over d = 1…30: %.2f; I(30) = %.3g ± %.2g, exact %.3g", method, worst, r.I[29], r.Err[29], m.ExactMI(30))
	}
	// Exact decay: I(d+1)/I(d) → λ₂² at large d.
	l2 := m.Lambda2()
	if got := m.ExactMI(81) / m.ExactMI(80); math.Abs(got-l2*l2) > 1e-3 {
		t.Errorf("I(81)/I(80) = %.6f; want λ₂² = %.6f", got, l2*l2)
	}
}

// TestErrorCalibration compares the jackknife errors with the scatter of independent
// replicates: their ratio must be 1 within the sampling error of 40 replicates (±0.3).
func TestErrorCalibration(t *testing.T) {
	m := mi.SymmetricMarkov(2, 0.8)
	ds := []int{1, 3, 10}
	const reps = 40
	vals := make([][]float64, len(ds))
	errs := make([]float64, len(ds))
	for k := range reps {
		s := m.Generate(100000, rand.NewPCG(4, uint64(k)))
		r, err := mi.Estimate(ctx, [][]int32{s}, 2, mi.Options{Distances: ds})
		if err != nil {
			t.Fatal(err)
		}
		for i := range ds {
			vals[i] = append(vals[i], r.I[i])
			errs[i] += r.Err[i] / reps
		}
	}
	for i, d := range ds {
		mean, sd := meanSD(vals[i])
		ratio := sd / errs[i]
		t.Logf("d=%d: mean %.5g (exact %.5g), scatter %.3g, mean error %.3g, ratio %.2f", d, mean, m.ExactMI(d), sd, errs[i], ratio)
		if ratio < 0.7 || ratio > 1.4 {
			t.Errorf("d=%d: scatter/error = %.2f; want 1 (0.7…1.4)", d, ratio)
		}
		if z := (mean - m.ExactMI(d)) / (sd / math.Sqrt(reps)); math.Abs(z) > 4 {
			t.Errorf("d=%d: mean of %d replicates %.6g, exact %.6g (z = %.1f): biased", d, reps, mean, m.ExactMI(d), z)
		}
	}
}

func meanSD(v []float64) (float64, float64) {
	var m, s float64
	for _, x := range v {
		m += x
	}
	m /= float64(len(v))
	for _, x := range v {
		s += (x - m) * (x - m)
	}
	return m, math.Sqrt(s / float64(len(v)-1))
}

// nullCheck returns the largest |z| of I(d)/err and the mean z² over the distances.
func nullCheck(r *mi.Result) (worst, meanZ2 float64) {
	for i := range r.D {
		z := r.I[i] / r.Err[i]
		worst = max(worst, math.Abs(z))
		meanZ2 += z * z / float64(len(r.D))
	}
	return worst, meanZ2
}

// TestDigitsNull is the must-show null: the digits of π and e (from GOROOT) have
// I(d) consistent with zero at every d ≤ 1000 after bias correction, while the
// uncorrected plug-in estimate is not (its bias ≈ 81/(2N ln 2) bits is what a naive
// analysis would read as slowly decaying information).
func TestDigitsNull(t *testing.T) {
	for _, name := range []string{"pi", "e"} {
		text, _, err := mi.Corpus(name)
		if err != nil {
			t.Fatal(err)
		}
		s := mi.FromDigits(text)
		if len(s.Seq) != 100001 {
			t.Fatalf("%s: %d digits; want 100001", name, len(s.Seq))
		}
		for _, method := range []mi.Method{mi.ShuffleJackknife, mi.Jackknife, mi.Shuffle, mi.Grassberger, mi.PlugIn} {
			r, err := mi.Estimate(ctx, [][]int32{s.Seq}, 10, mi.Options{DMax: 1000, Method: method})
			if err != nil {
				t.Fatal(err)
			}
			worst, z2 := nullCheck(r)
			t.Logf("%s %v: %d distances, max |z| = %.2f, mean z² = %.2f", name, method, len(r.D), worst, z2)
			if method == mi.PlugIn {
				if z2 < 4 {
					t.Errorf("%s plug-in: mean z² = %.2f; the uncorrected estimate should be visibly biased", name, z2)
				}
				continue
			}
			if worst > 4 || z2 > 2 {
				t.Errorf("%s %v: max |z| = %.2f, mean z² = %.2f; want I(d) consistent with 0", name, method, worst, z2)
			}
		}
	}
}

// TestShuffledTextNull: the characters of Newton's Opticks in random order have no
// information at any distance; a skewed alphabet of ~90 symbols with rare ones
// stresses the bias correction more than the digits do.
func TestShuffledTextNull(t *testing.T) {
	text, _, err := mi.Corpus("opticks")
	if err != nil {
		t.Fatal(err)
	}
	s, err := mi.FromRunes(text)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(5, 5))
	r.Shuffle(len(s.Seq), func(i, j int) { s.Seq[i], s.Seq[j] = s.Seq[j], s.Seq[i] })
	for _, method := range []mi.Method{mi.ShuffleJackknife, mi.Shuffle, mi.Jackknife} {
		res, err := mi.Estimate(ctx, [][]int32{s.Seq}, s.K(), mi.Options{DMax: 100, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		worst, z2 := nullCheck(res)
		t.Logf("shuffled Opticks (K = %d) %v: max |z| = %.2f, mean z² = %.2f, plug-in bias %.3g bits", s.K(), method, worst, z2, res.Raw[0])
		if method == mi.Jackknife {
			// The jackknife alone under-corrects the rare symbols (docs/mi.md).
			if z2 < 4 {
				t.Errorf("shuffled text, jackknife alone: mean z² = %.2f; expected a visible bias", z2)
			}
			continue
		}
		if worst > 4 || z2 > 2 {
			t.Errorf("shuffled text %v: max |z| = %.2f, mean z² = %.2f; want consistent with 0", method, worst, z2)
		}
	}
}

func TestExpectedMIAgainstShuffles(t *testing.T) {
	// The Shuffle correction subtracts the exact mean of the plug-in estimate over
	// random pairings: compare with the average over explicit shuffles.
	src := rand.NewPCG(6, 6)
	s := randomSeqs(src, 1, 2001, 5)[0]
	r, err := mi.Estimate(ctx, [][]int32{s}, 5, mi.Options{Distances: []int{1}, Blocks: 4, Method: mi.Shuffle})
	if err != nil {
		t.Fatal(err)
	}
	baseline := r.Raw[0] - r.I[0]
	x, y := slices.Clone(s[:2000]), slices.Clone(s[1:])
	rr := rand.New(src)
	var vals []float64
	for range 4000 {
		rr.Shuffle(len(y), func(i, j int) { y[i], y[j] = y[j], y[i] })
		joint := make([][]float64, 5)
		for a := range joint {
			joint[a] = make([]float64, 5)
		}
		for t := range x {
			joint[x[t]][y[t]]++
		}
		vals = append(vals, mi.MutualInformation(joint))
	}
	mean, sd := meanSD(vals)
	if z := (baseline - mean) / (sd / math.Sqrt(float64(len(vals)))); math.Abs(z) > 4 {
		t.Errorf("exact shuffle baseline %.6g; mean over shuffles %.6g ± %.2g (z = %.1f)", baseline, mean, sd/math.Sqrt(float64(len(vals))), z)
	}
}

func TestGrassbergerG(t *testing.T) {
	// Grassberger (2003): G_1 = −γ − ln 2, G_2 = 2 − γ − ln 2, G_{2n+1} = G_{2n},
	// G_{2n+2} = G_{2n} + 2/(2n+1) (docs/references/mi.md §3).
	const euler = 0.57721566490153286061
	g := -euler - math.Ln2
	if got := mi.GrassbergerG(1); math.Abs(got-g) > 1e-9 { // gonum's ψ is good to ~1e-10 at ½
		t.Errorf("G(1) = %.15g; want %.15g", got, g)
	}
	g += 2
	for n := int64(1); n < 200; n++ { // g = G_{2n}
		if got := mi.GrassbergerG(2 * n); math.Abs(got-g) > 1e-10 {
			t.Fatalf("G(%d) = %.15g; want %.15g", 2*n, got, g)
		}
		if got := mi.GrassbergerG(2*n + 1); math.Abs(got-g) > 1e-10 {
			t.Fatalf("G(%d) = %.15g; want %.15g", 2*n+1, got, g)
		}
		g += 2 / float64(2*n+1)
	}
}

// TestTreeExactEnumeration checks Tree.ExactMI against the pooled joint law obtained
// by enumerating every assignment of symbols to the nodes of small trees.
func TestTreeExactEnumeration(t *testing.T) {
	m, err := mi.NewMarkov([][]float64{{0.7, 0.2, 0.1}, {0.1, 0.8, 0.1}, {0.3, 0.3, 0.4}})
	if err != nil {
		t.Fatal(err)
	}
	for _, qd := range [][2]int{{2, 3}, {3, 2}} {
		tr := mi.NewTree(qd[0], qd[1], m)
		n := tr.Len()
		for d := 1; d < n; d++ {
			want := mi.MutualInformation(enumerateTree(tr, d))
			if got := tr.ExactMI(d); math.Abs(got-want) > 1e-12 {
				t.Errorf("q=%d depth %d: ExactMI(%d) = %.15g; enumeration %.15g", qd[0], qd[1], d, got, want)
			}
		}
	}
}

// enumerateTree returns the pooled joint law of leaves d apart by summing over all
// node assignments (levels stored breadth first).
func enumerateTree(tr *mi.Tree, d int) [][]float64 {
	k, q := tr.M.K(), tr.Q
	P, pi := tr.M.Matrix(), tr.M.Stationary()
	nodes := 0
	width := 1
	for range tr.Depth + 1 {
		nodes += width
		width *= q
	}
	leaves := tr.Len()
	joint := make([][]float64, k)
	for x := range joint {
		joint[x] = make([]float64, k)
	}
	s := make([]int, nodes)
	var rec func(i int, p float64)
	rec = func(i int, p float64) {
		if i == nodes {
			leaf := s[nodes-leaves:]
			for a := 0; a+d < leaves; a++ {
				joint[leaf[a]][leaf[a+d]] += p
			}
			return
		}
		for x := range k {
			s[i] = x
			if i == 0 {
				rec(i+1, pi[x])
			} else {
				rec(i+1, p*P[s[(i-1)/q]][x])
			}
		}
	}
	rec(0, 1)
	return joint
}

// TestTreeExponent: the local slope of the exact I(d) of a deep binary tree tends to
// −4 log₂(1/λ) = −1.2877 for λ = 0.8 (Lin & Tegmark 2017; docs/references/mi.md §4).
func TestTreeExponent(t *testing.T) {
	tr := mi.NewTree(2, 24, mi.SymmetricMarkov(2, 0.8))
	want := -4 * math.Log2(1.25)
	if got := tr.Exponent(); math.Abs(got-want) > 1e-12 {
		t.Fatalf("Exponent = %.15g; want %.15g", got, want)
	}
	// Slope over a full octave (the exact curve has log-periodic wiggles within one).
	for _, d := range []int{128, 1024, 8192} {
		slope := math.Log(tr.ExactMI(2*d)/tr.ExactMI(d)) / math.Ln2
		t.Logf("slope over d = %d…%d: %.5f", d, 2*d, slope)
		if math.Abs(slope-want) > 0.005 {
			t.Errorf("slope over d = %d…%d = %.5f; want %.5f", d, 2*d, slope, want)
		}
	}
}

// TestTreeEstimate is the must-show check for the tree grammar: I(d) from 32 sampled
// binary trees (λ = 0.8, depth 16: 2^21 symbols) agrees with the exact I(d) at every
// d, the power law fitted over d = 8…512 has the exact exponent −1.2877 within 4σ, and
// the fit criterion prefers it to an exponential.
func TestTreeEstimate(t *testing.T) {
	tr := mi.NewTree(2, 16, mi.SymmetricMarkov(2, 0.8))
	src := rand.NewPCG(7, 7)
	var seqs [][]int32
	for range 32 {
		seqs = append(seqs, tr.Generate(src))
	}
	r, err := mi.Estimate(ctx, seqs, 2, mi.Options{DMax: 512})
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range r.D {
		if z := (r.I[i] - tr.ExactMI(d)) / r.Err[i]; math.Abs(z) > 4 {
			t.Errorf("I(%d) = %.5g ± %.2g; exact %.5g (z = %.1f)", d, r.I[i], r.Err[i], tr.ExactMI(d), z)
		}
	}
	c, err := mi.Compare(r, 8, 512)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%v", c)
	want := tr.Exponent()
	if z := (c.Power.Exponent - want) / c.Power.ExponentErr; math.Abs(z) > 4 {
		t.Errorf("fitted exponent %.4f ± %.4f; exact %.4f (z = %.1f)", c.Power.Exponent, c.Power.ExponentErr, want, z)
	}
	if c.Preferred != "power" {
		t.Errorf("preferred model %q (ΔAIC = %.3g); want power", c.Preferred, c.DeltaAIC)
	}
	// The Markov chain with the same matrix: exponential preferred.
	mk := mi.SymmetricMarkov(2, 0.8).Generate(1<<20, src)
	rm, err := mi.Estimate(ctx, [][]int32{mk}, 2, mi.Options{Distances: seq(12)})
	if err != nil {
		t.Fatal(err)
	}
	cm, err := mi.Compare(rm, 1, 12)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Markov: %v", cm)
	if cm.Preferred != "exponential" {
		t.Errorf("Markov chain: preferred %q (ΔAIC = %.3g); want exponential", cm.Preferred, cm.DeltaAIC)
	}
	// I ∝ λ^{2d} ⇒ decay length 1/(2 ln(1/λ)) = 2.2407 at large d.
	if l := 1 / (2 * math.Log(1/0.8)); math.Abs(cm.Exponential.Length-l) > 4*cm.Exponential.LengthErr+0.05*l {
		t.Errorf("Markov decay length %.4f ± %.2g; want ≈ %.4f", cm.Exponential.Length, cm.Exponential.LengthErr, l)
	}
}

func TestSpinMI(t *testing.T) {
	for _, g := range []float64{0, 0.1, -0.3, 0.9, 1} {
		joint := [][]float64{{(1 + g) / 4, (1 - g) / 4}, {(1 - g) / 4, (1 + g) / 4}}
		if got, want := mi.SpinMI(g), mi.MutualInformation(joint); math.Abs(got-want) > 1e-14 {
			t.Errorf("SpinMI(%g) = %.15g; want %.15g", g, got, want)
		}
	}
	if got, want := mi.SpinMI(0.01), 0.0001/(2*math.Ln2); math.Abs(got-want) > 1e-3*want {
		t.Errorf("SpinMI(0.01) = %g; want ≈ g²/(2 ln 2) = %g", got, want)
	}
}

// TestLattice2DMatchesDirect compares Lattice2D with a direct count of the pairs
// along both axes of random configurations.
func TestLattice2DMatchesDirect(t *testing.T) {
	const l = 6
	r := rand.New(rand.NewPCG(8, 8))
	configs := make([][]int8, 8)
	for c := range configs {
		configs[c] = make([]int8, l*l)
		for i := range configs[c] {
			configs[c][i] = int8(2*r.IntN(2) - 1)
			if i > 0 && r.Float64() < 0.4 {
				configs[c][i] = configs[c][i-1]
			}
		}
	}
	res, err := mi.Lattice2D(ctx, configs, l, mi.Options{Blocks: 4, Method: mi.PlugIn})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.D, []int{1, 2, 3}) {
		t.Fatalf("distances %v; want 1…3", res.D)
	}
	for i, d := range res.D {
		joint := [][]float64{{0, 0}, {0, 0}}
		for _, s := range configs {
			for y := range l {
				for x := range l {
					a := (s[x+l*y] + 1) / 2
					joint[a][(s[(x+d)%l+l*y]+1)/2]++
					joint[a][(s[x+l*((y+d)%l)]+1)/2]++
				}
			}
		}
		if got, want := res.Raw[i], mi.MutualInformation(joint); math.Abs(got-want) > 1e-12 {
			t.Errorf("r=%d: %.15g; want %.15g", d, got, want)
		}
		if res.Pairs[i] != int64(2*l*l*len(configs)) {
			t.Errorf("r=%d: %d pairs", d, res.Pairs[i])
		}
	}
}

func TestIsingCorrelationLength(t *testing.T) {
	// Two forms of the exact result: 1/ξ = 2(K* − K) with tanh K* = e^{−2K}, and the
	// row-transfer-matrix gap −γ₀ = −(2K + ln tanh K) (docs/references/mi.md §5).
	for _, T := range []float64{2.3, 2.6, 3, 5} {
		k := 1 / T
		if got, want := 1/mi.IsingCorrelationLength(k), -(2*k + math.Log(math.Tanh(k))); math.Abs(got-want) > 1e-12 {
			t.Errorf("T=%g: 1/ξ = %.15g; want %.15g", T, got, want)
		}
	}
	if got := mi.IsingCorrelationLength(1 / 2.6); math.Abs(got-4.274306996664684) > 1e-9 {
		t.Errorf("ξ(2.6) = %.15g", got)
	}
	if !math.IsInf(mi.IsingCorrelationLength(mi.BetaC2D), 1) {
		t.Error("ξ(T_c) is not +Inf")
	}
}

// TestFitRecovers fits noiseless power-law and exponential curves with errors and
// one replica per block: the fit returns the exponent exactly and prefers the right
// model.
func TestFitRecovers(t *testing.T) {
	mk := func(f func(d float64) float64) *mi.Result {
		r := &mi.Result{D: seq(200), Blocks: 4}
		for _, d := range r.D {
			r.I = append(r.I, f(float64(d)))
			r.Err = append(r.Err, 0.01*f(float64(d))+1e-9)
		}
		for b := range 4 {
			rep := make([]float64, len(r.D))
			for i, d := range r.D {
				rep[i] = f(float64(d)) * (1 + 0.001*float64(b-2)*math.Log(float64(d)))
			}
			r.Replicas = append(r.Replicas, rep)
		}
		return r
	}
	p := mk(func(d float64) float64 { return 0.3 * math.Pow(d, -1.2877) })
	c, err := mi.Compare(p, 2, 200)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(c.Power.Exponent+1.2877) > 1e-6 || c.Preferred != "power" || math.Abs(c.Power.Amplitude-0.3) > 1e-6 {
		t.Errorf("power law: %v", c)
	}
	if c.Power.ExponentErr <= 0 {
		t.Errorf("power law: exponent error %g", c.Power.ExponentErr)
	}
	e := mk(func(d float64) float64 { return 0.5 * math.Exp(-d/7) })
	c, err = mi.Compare(e, 2, 60)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(c.Exponential.Length-7) > 1e-5 || c.Preferred != "exponential" {
		t.Errorf("exponential: %v", c)
	}
	oz := mk(func(d float64) float64 { return 0.5 * math.Exp(-d/3) / d })
	f, err := mi.FitExponential(oz, 2, 40, 1)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(f.Length-3) > 1e-5 {
		t.Errorf("d^-1 exponential: %v", f)
	}
	if _, err := mi.FitPower(p, 5, 6); err == nil {
		t.Error("FitPower with 2 points succeeded")
	}
}

func TestEstimateErrors(t *testing.T) {
	s := [][]int32{{0, 1, 2, 1, 0, 1, 2, 2, 1, 0}}
	for _, c := range []struct {
		name string
		seqs [][]int32
		k    int
		o    mi.Options
		want string
	}{
		{"symbol out of range", [][]int32{{0, 3}}, 3, mi.Options{Distances: []int{1}, Blocks: 2}, "symbol 3"},
		{"negative symbol", [][]int32{{0, -1}}, 3, mi.Options{Distances: []int{1}, Blocks: 2}, "symbol -1"},
		{"one block", s, 3, mi.Options{Blocks: 1, Distances: []int{1}}, "blocks"},
		{"bad distances", s, 3, mi.Options{Distances: []int{2, 1}, Blocks: 2}, "increasing"},
		{"zero distance", s, 3, mi.Options{Distances: []int{0}, Blocks: 2}, "increasing"},
		{"too few symbols", s, 3, mi.Options{Distances: []int{1}, Blocks: 20}, "20 blocks"},
		{"no pairs", s, 3, mi.Options{Distances: []int{10}, Blocks: 2}, "no pairs"},
		{"bad method", s, 3, mi.Options{Distances: []int{1}, Blocks: 2, Method: 9}, "method"},
	} {
		if _, err := mi.Estimate(ctx, c.seqs, c.k, c.o); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v; want one containing %q", c.name, err, c.want)
		}
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := mi.Estimate(cctx, s, 3, mi.Options{Distances: []int{1}, Blocks: 2}); err != context.Canceled {
		t.Errorf("cancelled: err = %v", err)
	}
	if _, err := mi.Lattice2D(ctx, [][]int8{{1, 1, 1, 0}, {1, 1, 1, 1}}, 2, mi.Options{Blocks: 2}); err == nil || !strings.Contains(err.Error(), "site 3") {
		t.Errorf("Lattice2D with spin 0: err = %v", err)
	}
	if _, err := mi.NewMarkov([][]float64{{0.5, 0.6}, {0.5, 0.5}}); err == nil {
		t.Error("NewMarkov accepted a row summing to 1.1")
	}
	if _, err := mi.NewMarkov([][]float64{{1, 0}, {0, 1}}); err == nil {
		t.Error("NewMarkov accepted a reducible chain")
	}
	if _, err := mi.ParseMethod("nope"); err == nil {
		t.Error("ParseMethod(nope) succeeded")
	}
}

func TestSymbols(t *testing.T) {
	w, err := mi.FromWords([]byte("The cat, the DOG's bone; the cat."))
	if err != nil {
		t.Fatal(err)
	}
	got := make([]string, len(w.Seq))
	for i, s := range w.Seq {
		got[i] = w.Names[s]
	}
	if strings.Join(got, " ") != "the cat the dog's bone the cat" || w.Names[0] != "the" {
		t.Errorf("FromWords: %v (names %v)", got, w.Names)
	}
	r, err := mi.FromRunes([]byte("aπaπb"))
	if err != nil || len(r.Seq) != 5 || r.K() != 3 || r.Names[r.Seq[1]] != "π" {
		t.Errorf("FromRunes: %v %v %v", r.Seq, r.Names, err)
	}
	if _, err := mi.FromRunes([]byte{'a', 0xff}); err == nil || !strings.Contains(err.Error(), "byte 1") {
		t.Errorf("FromRunes of invalid UTF-8: err = %v", err)
	}
	b := mi.FromBytes([]byte("abca"))
	if b.K() != 3 || b.Seq[0] != 0 || b.Seq[3] != 0 {
		t.Errorf("FromBytes: %v %v", b.Seq, b.Names)
	}
	d := mi.FromDigits([]byte("3.1415"))
	if !slices.Equal(d.Seq, []int32{3, 1, 4, 1, 5}) || d.K() != 10 {
		t.Errorf("FromDigits: %v", d.Seq)
	}
	sp := mi.FromSpins([]int8{1, -1, 1})
	if !slices.Equal(sp.Seq, []int32{1, 0, 1}) {
		t.Errorf("FromSpins: %v", sp.Seq)
	}
}

func FuzzFromWords(f *testing.F) {
	for _, s := range []string{"", "The cat's hat.", "ünïcödé wörds 123", "'''", "a\xffb", "’quoted’ it’s"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		w, err := mi.FromWords(b)
		if err != nil {
			return
		}
		for _, s := range w.Seq {
			if s < 0 || int(s) >= w.K() || w.Names[s] == "" {
				t.Fatalf("bad symbol %d of %d (%q)", s, w.K(), w.Names)
			}
		}
		r, err := mi.FromRunes(b)
		if err != nil {
			t.Fatalf("FromWords accepted what FromRunes rejects: %v", err)
		}
		_ = r
	})
}

// TestCorpora loads every corpus: the King James Bible needs Debian's bible-kjv and
// bible-kjv-text (.ci/run installs them); its verse numbers and headings are gone.
func TestCorpora(t *testing.T) {
	for _, name := range mi.Corpora {
		text, src, err := mi.Corpus(name)
		if err != nil {
			t.Fatalf("corpus %s: %v", name, err)
		}
		t.Logf("%s: %d bytes from %s", name, len(text), src)
		if len(text) < 100000 {
			t.Errorf("corpus %s: %d bytes", name, len(text))
		}
	}
	kjv, _, err := mi.Corpus("kjv")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(kjv), "In the beginning God created the heaven and the earth.") ||
		!strings.HasSuffix(string(kjv), "be with you all. Amen.") || strings.Contains(string(kjv), "Genesis 1") || strings.ContainsAny(string(kjv), "0123456789\n") {
		t.Errorf("kjv: %q … %q", kjv[:80], kjv[len(kjv)-80:])
	}
	if _, _, err := mi.Corpus("klingon"); err == nil {
		t.Error("unknown corpus accepted")
	}
}
