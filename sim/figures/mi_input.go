package figures

import (
	"context"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/deepglass/deepglass/analysis/mi"
	"github.com/deepglass/deepglass/internal/pool"
	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
)

// MIInput is one input of a mutual-information measurement (deepglass mi and the
// lin-tegmark figure): symbol sequences, or configurations of the 2D Ising model,
// with the exact I(d) when it is known.
type MIInput struct {
	// Spec is the input as given (a file name or a SPEC, see ParseMIInput).
	Spec string
	// Kind is file, corpus, markov, tree or ising.
	Kind string
	// Source says where the data came from (a path, a command, a generator).
	Source string
	// Seqs are the symbol sequences over an alphabet of K symbols (all kinds but ising).
	Seqs [][]int32
	K    int
	// Configs are L×L Ising configurations sampled at temperature T (kind ising).
	Configs [][]int8
	L       int
	T       float64
	// Exact returns the exact I(d) in bits, when known (markov, tree); nil otherwise.
	Exact func(d int) float64
	// ExactExponent is the exact asymptotic exponent of a power law (tree; ising at
	// T_c: −1/2), NaN when none is known.
	ExactExponent float64
	// ExactXi is the exact correlation length of the Ising model above T_c (NaN
	// otherwise); I(r) decays as r^{−1} e^{−2r/ξ}.
	ExactXi float64
	// FitMin and FitMax are the default fit range (FitMax 0: up to the last
	// significant point).
	FitMin, FitMax int
}

// String returns the spec and the size of the data.
func (in *MIInput) String() string {
	if in.Kind == "ising" {
		return fmt.Sprintf("%s: %d configurations of %d×%d at T = %g", in.Spec, len(in.Configs), in.L, in.L, in.T)
	}
	n := 0
	for _, s := range in.Seqs {
		n += len(s)
	}
	return fmt.Sprintf("%s: %d symbols in %d sequence(s), alphabet of %d", in.Spec, n, len(in.Seqs), in.K)
}

// Estimate measures I(d) of the input.
func (in *MIInput) Estimate(ctx context.Context, o mi.Options) (*mi.Result, error) {
	if in.Kind == "ising" {
		if o.Distances == nil && o.DMax == 0 {
			o.DMax = in.L / 2
		}
		return mi.Lattice2D(ctx, in.Configs, in.L, o)
	}
	return mi.Estimate(ctx, in.Seqs, in.K, o)
}

// MIUnits are the units a text file is cut into.
var MIUnits = []string{"byte", "char", "word", "digit"}

// MIInputOptions say how to read files and generate data.
type MIInputOptions struct {
	// Unit is byte, char (UTF-8 characters), word or digit; "" means char.
	Unit string
	// Vocab is the number of word symbols kept (the rest become one "<other>"
	// symbol); 0 means 256.
	Vocab int
	// Squeeze replaces every run of white space in a file by one space.
	Squeeze bool
	// Seed determines generated data.
	Seed uint64
}

// ParseMIInput reads or generates the data named by spec:
//
//	FILE                                  a text file, cut into units (o.Unit)
//	corpus:NAME                           opticks, kjv, pi or e (see mi.Corpus)
//	markov:k=2,lambda=0.8,n=1000000       the symmetric chain of mi.SymmetricMarkov
//	markov:P=0.9:0.1/0.2:0.8,n=1000000    any chain: rows separated by /, entries by :
//	tree:q=2,lambda=0.8,depth=16,n=32     n trees of mi.NewTree (k=2 symbols unless k= is given)
//	ising:L=128,T=2.269185,n=200          Wolff configurations (therm=200, every=2 sweeps)
//
// Errors name the spec and the key at fault.
func ParseMIInput(ctx context.Context, spec string, o MIInputOptions) (*MIInput, error) {
	kind, body, _ := strings.Cut(spec, ":")
	switch kind {
	case "corpus", "markov", "tree", "ising":
	default:
		return readMIFile(spec, o)
	}
	in := &MIInput{Spec: spec, Kind: kind, ExactExponent: math.NaN(), ExactXi: math.NaN(), FitMin: 1}
	if kind == "corpus" {
		text, src, err := mi.Corpus(body)
		if err != nil {
			return nil, err
		}
		in.Source = src
		unit := o.Unit
		if body == "pi" || body == "e" {
			unit = "digit"
		}
		s, err := symbolize(text, unit, o.Vocab)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", spec, err)
		}
		in.Seqs, in.K = [][]int32{s.Seq}, s.K()
		if unit != "digit" {
			in.FitMin = 30
		}
		return in, nil
	}
	kv, err := parseKV(spec, body)
	if err != nil {
		return nil, err
	}
	switch kind {
	case "markov":
		return markovInput(in, kv, o.Seed)
	case "tree":
		return treeInput(in, kv, o.Seed)
	default:
		return isingInput(ctx, in, kv, o.Seed)
	}
}

// specKV holds the key=value pairs of a spec and reports what was not used.
type specKV struct {
	spec string
	m    map[string]string
	used map[string]bool
}

func parseKV(spec, body string) (*specKV, error) {
	kv := &specKV{spec: spec, m: map[string]string{}, used: map[string]bool{}}
	if strings.TrimSpace(body) == "" {
		return kv, nil
	}
	for _, part := range strings.Split(body, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("%s: %q is not key=value", spec, part)
		}
		if _, dup := kv.m[k]; dup {
			return nil, fmt.Errorf("%s: key %s given twice", spec, k)
		}
		kv.m[k] = v
	}
	return kv, nil
}

func (kv *specKV) has(k string) bool { _, ok := kv.m[k]; return ok }

func (kv *specKV) int(k string, def, lo, hi int) (int, error) {
	kv.used[k] = true
	v, ok := kv.m[k]
	if !ok {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("%s: %s=%s: want an integer in %d…%d", kv.spec, k, v, lo, hi)
	}
	return n, nil
}

func (kv *specKV) float(k string, def, lo, hi float64) (float64, error) {
	kv.used[k] = true
	v, ok := kv.m[k]
	if !ok {
		return def, nil
	}
	x, err := strconv.ParseFloat(v, 64)
	if err != nil || !(x >= lo && x <= hi) {
		return 0, fmt.Errorf("%s: %s=%s: want a number in [%g, %g]", kv.spec, k, v, lo, hi)
	}
	return x, nil
}

// done fails on keys that no field read.
func (kv *specKV) done() error {
	for k := range kv.m {
		if !kv.used[k] {
			keys := make([]string, 0, len(kv.used))
			for u := range kv.used {
				keys = append(keys, u)
			}
			return fmt.Errorf("%s: unknown key %q (want %s)", kv.spec, k, strings.Join(sortStrings(keys), ", "))
		}
	}
	return nil
}

func sortStrings(s []string) []string {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s
}

// chain reads k/lambda or P from kv.
func (kv *specKV) chain() (*mi.Markov, error) {
	kv.used["P"] = true
	if p, ok := kv.m["P"]; ok {
		if kv.has("k") || kv.has("lambda") {
			return nil, fmt.Errorf("%s: give either P= or k= and lambda=", kv.spec)
		}
		var rows [][]float64
		for _, r := range strings.Split(p, "/") {
			var row []float64
			for _, e := range strings.Split(r, ":") {
				x, err := strconv.ParseFloat(e, 64)
				if err != nil {
					return nil, fmt.Errorf("%s: P entry %q: %w", kv.spec, e, err)
				}
				row = append(row, x)
			}
			rows = append(rows, row)
		}
		m, err := mi.NewMarkov(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: P: %w", kv.spec, err)
		}
		if m.K() < 2 {
			return nil, fmt.Errorf("%s: P: one symbol; want at least 2", kv.spec)
		}
		return m, nil
	}
	k, err := kv.int("k", 2, 2, 1000)
	if err != nil {
		return nil, err
	}
	lambda, err := kv.float("lambda", 0.8, -1/float64(k-1), 1)
	if err != nil {
		return nil, err
	}
	if math.Abs(lambda) == 1 {
		return nil, fmt.Errorf("%s: lambda=%g: want |λ| < 1 (a chain with a unique stationary law)", kv.spec, lambda)
	}
	return mi.SymmetricMarkov(k, lambda), nil
}

func markovInput(in *MIInput, kv *specKV, seed uint64) (*MIInput, error) {
	m, err := kv.chain()
	if err != nil {
		return nil, err
	}
	n, err := kv.int("n", 1000000, 64, 1<<30)
	if err != nil {
		return nil, err
	}
	if err := kv.done(); err != nil {
		return nil, err
	}
	in.Seqs = [][]int32{m.Generate(n, sampler.NewStream(seed, sampler.PurposeData, 0, 0))}
	in.K, in.Exact, in.Source = m.K(), m.ExactMI, m.String()
	return in, nil
}

func treeInput(in *MIInput, kv *specKV, seed uint64) (*MIInput, error) {
	m, err := kv.chain()
	if err != nil {
		return nil, err
	}
	q, err := kv.int("q", 2, 2, 64)
	if err != nil {
		return nil, err
	}
	depth, err := kv.int("depth", 16, 1, 31)
	if err != nil {
		return nil, err
	}
	n, err := kv.int("n", 32, 1, 1<<20)
	if err != nil {
		return nil, err
	}
	if err := kv.done(); err != nil {
		return nil, err
	}
	if float64(depth)*math.Log2(float64(q))+math.Log2(float64(n)) > 28 {
		return nil, fmt.Errorf("%s: n·q^depth = %d·%d^%d symbols: want at most 2^28", in.Spec, n, q, depth)
	}
	t := mi.NewTree(q, depth, m)
	for i := range n {
		in.Seqs = append(in.Seqs, t.Generate(sampler.NewStream(seed, sampler.PurposeData, i, 0)))
	}
	in.K, in.Exact, in.ExactExponent, in.Source = m.K(), t.ExactMI, t.Exponent(), t.String()
	in.FitMin = 8
	return in, nil
}

func isingInput(ctx context.Context, in *MIInput, kv *specKV, seed uint64) (*MIInput, error) {
	l, err := kv.int("L", 128, 4, 4096)
	if err != nil {
		return nil, err
	}
	t, err := kv.float("T", Tc, 1e-3, 1e6)
	if err != nil {
		return nil, err
	}
	n, err := kv.int("n", 200, 2, 1<<20)
	if err != nil {
		return nil, err
	}
	therm, err := kv.int("therm", 200, 0, 1<<30)
	if err != nil {
		return nil, err
	}
	every, err := kv.int("every", 2, 1, 1<<20)
	if err != nil {
		return nil, err
	}
	if err := kv.done(); err != nil {
		return nil, err
	}
	if float64(n)*float64(l*l) > 1<<31 {
		return nil, fmt.Errorf("%s: n·L² = %g spins: want at most 2^31", in.Spec, float64(n)*float64(l*l))
	}
	cs, err := IsingConfigurations(ctx, l, t, n, therm, every, seed)
	if err != nil {
		return nil, err
	}
	in.Configs, in.L, in.T, in.K = cs, l, t, 2
	in.Source = fmt.Sprintf("Wolff, %d chains, %d thermalization sweeps, %d sweeps apart", isingChains, therm, every)
	in.FitMin, in.FitMax = 2, max(4, l/8)
	if math.Abs(t-Tc) < 1e-4 {
		in.ExactExponent = -0.5
	}
	if 1/t < mi.BetaC2D {
		in.ExactXi = mi.IsingCorrelationLength(1 / t)
		in.FitMin, in.FitMax = 3, max(6, int(math.Ceil(3.3*in.ExactXi)))
	}
	return in, nil
}

// isingChains is the number of independent Wolff chains IsingConfigurations runs.
const isingChains = 2

// IsingConfigurations returns n configurations of the L×L ferromagnetic Ising model
// (J = 1, periodic) at temperature t, from isingChains independent Wolff chains
// (streams NewStream(seed, PurposeChain, 0, c)), each started from the ordered state,
// thermalized for therm sweeps (the cluster count per sweep recalibrated after them)
// and sampled every `every` sweeps; chain c gives configurations c·n/isingChains
// onwards. The ordered start matters: Wolff calibrates its clusters per sweep on an
// equilibrated pilot (at T_c, 3 clusters for L = 128), and from a random start those
// few clusters are tiny, so that 200 sweeps leave the chain far from equilibrium
// (measured: e = −0.76 after 256 sweeps against −1.419); from the ordered state it
// equilibrates within about ten sweeps. The chains run concurrently; the result does
// not depend on scheduling. A cancelled ctx stops the sampling and returns its error.
func IsingConfigurations(ctx context.Context, l int, t float64, n, therm, every int, seed uint64) ([][]int8, error) {
	if l < 2 || !(t > 0) || math.IsInf(t, 0) || n < 1 || therm < 0 || every < 1 {
		return nil, fmt.Errorf("ising configurations: L=%d T=%g n=%d therm=%d every=%d: want L ≥ 2, T > 0, n ≥ 1, therm ≥ 0, every ≥ 1", l, t, n, therm, every)
	}
	m := models.NewIsing(models.Square(l), 1, 0)
	out := make([][]int8, n)
	err := pool.Each(ctx, isingChains, 0, func(ctx context.Context, c, _ int) error {
		lo, hi := c*n/isingChains, (c+1)*n/isingChains
		ch := sampler.NewChain(m, sampler.NewStream(seed, sampler.PurposeChain, 0, c))
		for i := range ch.S {
			ch.S[i] = 1
		}
		ch.Resync(m)
		w := sampler.NewWolff(m, 1/t)
		for k := range therm {
			if k%16 == 0 && ctx.Err() != nil {
				return ctx.Err()
			}
			w.Sweep(ch)
		}
		w.Clusters = 0 // recalibrate from the thermalized state
		for i := lo; i < hi; i++ {
			if err := ctx.Err(); err != nil {
				return err
			}
			for range every {
				w.Sweep(ch)
			}
			out[i] = append([]int8(nil), ch.S...)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func readMIFile(path string, o MIInputOptions) (*MIInput, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if o.Squeeze {
		b = []byte(strings.Join(strings.Fields(string(b)), " "))
	}
	s, err := symbolize(b, o.Unit, o.Vocab)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &MIInput{Spec: path, Kind: "file", Source: path, Seqs: [][]int32{s.Seq}, K: s.K(),
		ExactExponent: math.NaN(), ExactXi: math.NaN(), FitMin: 30}, nil
}

// symbolize cuts text into units.
func symbolize(b []byte, unit string, vocab int) (mi.Symbols, error) {
	if vocab == 0 {
		vocab = 256
	}
	switch unit {
	case "byte":
		return mi.FromBytes(b), nil
	case "", "char":
		return mi.FromRunes(b)
	case "word":
		s, err := mi.FromWords(b)
		if err != nil {
			return s, err
		}
		return s.Top(vocab), nil
	case "digit":
		return mi.FromDigits(b), nil
	}
	return mi.Symbols{}, fmt.Errorf("unknown unit %q (want %s)", unit, strings.Join(MIUnits, ", "))
}

// MIFitRange returns the default fit range of an input: from in.FitMin to in.FitMax,
// or, when FitMax is 0, to the last distance before I(d) falls below 2σ at three
// distances running (never beyond the measured ones).
func MIFitRange(in *MIInput, r *mi.Result) (dmin, dmax int) {
	dmin, dmax = in.FitMin, in.FitMax
	if dmax > 0 {
		return dmin, min(dmax, r.D[len(r.D)-1])
	}
	dmax = dmin
	run := 0
	for i, d := range r.D {
		if d < dmin {
			continue
		}
		if r.I[i] < 2*r.Err[i] {
			run++
			if run == 3 {
				break
			}
			continue
		}
		run = 0
		dmax = d
	}
	return dmin, dmax
}
