package learn

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/nets/mnist"
	"github.com/deepglass/deepglass/sampler"
)

// BarsAndStripes returns all 2^(n+1) − 2 distinct n×n bars-and-stripes patterns
// (MacKay 2003; Fischer & Igel 2010), row-major, 1 = on: first the 2^n patterns with
// a subset of rows on (stripes, including all off and all on), then the 2^n − 2 with a
// proper non-empty subset of columns on (bars). It panics if n < 1 or n > 16.
func BarsAndStripes(n int) [][]float64 {
	if n < 1 || n > 16 {
		panic(fmt.Sprintf("learn: BarsAndStripes(%d) needs 1 ≤ n ≤ 16", n))
	}
	var out [][]float64
	for mask := 0; mask < 1<<n; mask++ {
		v := make([]float64, n*n)
		for r := range n {
			if mask>>r&1 == 1 {
				for c := range n {
					v[r*n+c] = 1
				}
			}
		}
		out = append(out, v)
	}
	for mask := 1; mask < 1<<n-1; mask++ {
		v := make([]float64, n*n)
		for c := range n {
			if mask>>c&1 == 1 {
				for r := range n {
					v[r*n+c] = 1
				}
			}
		}
		out = append(out, v)
	}
	return out
}

// BarsAndStripesOptions returns the settings that train an RBM with 16 hidden units
// on BarsAndStripes(4) (issue 5 must-show; figure rbm-bars-stripes): batch 10, learning
// rate 0.1/(1 + 0.001·epoch), momentum 0.5, one Gibbs step or tempering round per
// update, PT with 10 ladders of 10 inverse temperatures equally spaced in [0, 1], and
// the exact log-likelihood monitored 20 times per run. With them PT reaches an exact
// log-likelihood of −3.87 per pattern after 6000 epochs at seed 1 (optimum ln(1/30) =
// −3.40); PCD diverges at this learning rate (Fischer & Igel 2010 report such
// divergence for CD and PCD at large learning rates).
func BarsAndStripesOptions(m Method, epochs int, seed uint64) Options {
	return Options{Method: m, K: 1, Epochs: epochs, Batch: 10, LR: 0.1, LRDecay: 0.001, Momentum: 0.5,
		Seed: seed, Monitor: Monitor{Every: max(epochs/20, 1), LogLik: true}}
}

// IsingSpec describes Ising training data: n configurations of the ferromagnetic 2D
// Ising model (J = 1, periodic L×L square lattice) at temperature T.
type IsingSpec struct {
	L    int
	T    float64
	N    int
	Seed uint64
	// Therm is the number of Wolff sweeps before the first sample and Every the
	// number between samples; 0 means 1000 and 2.
	Therm, Every int
}

// String returns the spec in the form ParseData accepts.
func (s IsingSpec) String() string {
	return fmt.Sprintf("ising:L=%d,T=%g,n=%d,seed=%d", s.L, s.T, s.N, s.Seed)
}

// IsingData returns s.N configurations of the 2D Ising model, spins mapped to units
// by u = (s+1)/2, sampled by the Wolff cluster algorithm ([sampler.Wolff], one sweep
// flips about L² spins) from an ordered start, after s.Therm sweeps and s.Every
// sweeps apart, with stream NewStream(s.Seed, PurposeData, 0, 1). Near T_c Wolff
// sweeps decorrelate the energy within a few sweeps; a test checks the mean energy
// of the samples against Kaufman's exact value. It also returns the energy per spin
// of each sample.
func IsingData(s IsingSpec) (data [][]float64, energy []float64, err error) {
	if s.L < 2 || s.L > 1024 {
		return nil, nil, fmt.Errorf("ising data: L = %d: want 2 ≤ L ≤ 1024", s.L)
	}
	if !(s.T > 0) || math.IsInf(s.T, 0) {
		return nil, nil, fmt.Errorf("ising data: T = %v: want a finite T > 0", s.T)
	}
	if s.N < 1 {
		return nil, nil, fmt.Errorf("ising data: n = %d: want n ≥ 1", s.N)
	}
	if s.Therm <= 0 {
		s.Therm = 1000
	}
	if s.Every <= 0 {
		s.Every = 2
	}
	m := models.NewIsing(models.Square(s.L), 1, 0)
	w := sampler.NewWolff(m, 1/s.T)
	c := sampler.NewChain(m, sampler.NewStream(s.Seed, sampler.PurposeData, 0, 1))
	for i := range c.S {
		c.S[i] = 1
	}
	c.Resync(m)
	for range s.Therm {
		w.Sweep(c)
	}
	n := float64(m.N())
	for range s.N {
		for range s.Every {
			w.Sweep(c)
		}
		v := make([]float64, len(c.S))
		for i, si := range c.S {
			v[i] = float64(si+1) / 2
		}
		data = append(data, v)
		energy = append(energy, m.Energy(c.S)/n)
	}
	return data, energy, nil
}

// IsingEnergy returns the energy per spin of the 2D Ising configuration v (units
// 0/1, spins 2v−1) on the periodic L×L square lattice with J = 1, L² = len(v). It
// panics if len(v) is not a square.
func IsingEnergy(v []float64) float64 {
	l := int(math.Round(math.Sqrt(float64(len(v)))))
	if l*l != len(v) || l < 2 {
		panic(fmt.Sprintf("learn: IsingEnergy: %d units is not an L×L lattice", len(v)))
	}
	e := 0.0
	for y := range l {
		for x := range l {
			s := 2*v[y*l+x] - 1
			e -= s * ((2*v[y*l+(x+1)%l] - 1) + (2*v[((y+1)%l)*l+x] - 1))
		}
	}
	return e / float64(len(v))
}

// ParseData returns the data set named by spec:
//
//	bas:N                         all bars-and-stripes patterns of N×N pixels
//	ising:L=8,T=2.27,n=5000[,seed=1][,therm=1000][,every=2]
//	                              2D Ising configurations (see IsingData)
//	mnist[:binarize=0.5][,n=N][,size=28][,set=train][,dir=DIR]
//	                              MNIST images (see MNISTSpec)
//	PATH                          a CSV file of 0/1 rows (see ReadCSV)
func ParseData(spec string) ([][]float64, error) {
	switch {
	case spec == "mnist" || strings.HasPrefix(spec, "mnist:"):
		s, err := ParseMNISTSpec(spec)
		if err != nil {
			return nil, err
		}
		return MNISTData(s)
	case strings.HasPrefix(spec, "bas:"):
		n, err := strconv.Atoi(strings.TrimPrefix(spec, "bas:"))
		if err != nil || n < 2 || n > 12 {
			return nil, fmt.Errorf("data %q: want bas:N with 2 ≤ N ≤ 12", spec)
		}
		return BarsAndStripes(n), nil
	case strings.HasPrefix(spec, "ising:"):
		s, err := ParseIsingSpec(spec)
		if err != nil {
			return nil, err
		}
		data, _, err := IsingData(s)
		return data, err
	}
	f, err := os.Open(spec)
	if err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	defer f.Close()
	return ReadCSV(f, spec)
}

// ParseIsingSpec parses "ising:L=8,T=2.27,n=5000[,seed=S][,therm=N][,every=N]".
func ParseIsingSpec(spec string) (IsingSpec, error) {
	var s IsingSpec
	body, ok := strings.CutPrefix(spec, "ising:")
	if !ok {
		return s, fmt.Errorf("data %q: want ising:L=8,T=2.27,n=5000 (seed, therm and every optional)", spec)
	}
	seen := map[string]bool{}
	for _, kv := range strings.Split(body, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(kv), "=")
		if !ok {
			return s, fmt.Errorf("data %q: %q is not key=value", spec, kv)
		}
		var err error
		switch k {
		case "L":
			s.L, err = strconv.Atoi(v)
		case "T":
			s.T, err = strconv.ParseFloat(v, 64)
		case "n":
			s.N, err = strconv.Atoi(v)
		case "seed":
			s.Seed, err = strconv.ParseUint(v, 10, 64)
		case "therm":
			s.Therm, err = strconv.Atoi(v)
		case "every":
			s.Every, err = strconv.Atoi(v)
		default:
			return s, fmt.Errorf("data %q: unknown key %q (want L, T, n, seed, therm, every)", spec, k)
		}
		if err != nil {
			return s, fmt.Errorf("data %q: %s: %w", spec, k, err)
		}
		seen[k] = true
	}
	for _, k := range []string{"L", "T", "n"} {
		if !seen[k] {
			return s, fmt.Errorf("data %q: missing %s=", spec, k)
		}
	}
	if s.L < 2 || s.L > 1024 || !(s.T > 0) || math.IsInf(s.T, 0) || s.N < 1 || s.Therm < 0 || s.Every < 0 {
		return s, fmt.Errorf("data %q: want 2 ≤ L ≤ 1024, finite T > 0, n ≥ 1, therm, every ≥ 0", spec)
	}
	return s, nil
}

// ReadCSV reads rows of 0/1 values separated by commas (spaces around values are
// ignored). Empty lines and lines starting with # are skipped; all rows must have
// the same length. name is used in errors, which give the line number.
func ReadCSV(r io.Reader, name string) ([][]float64, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 64<<20)
	var data [][]float64
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || text[0] == '#' {
			continue
		}
		fields := strings.Split(text, ",")
		if len(data) > 0 && len(fields) != len(data[0]) {
			return nil, fmt.Errorf("%s:%d: %d values, want %d as in the first row", name, line, len(fields), len(data[0]))
		}
		row := make([]float64, len(fields))
		for i, f := range fields {
			switch strings.TrimSpace(f) {
			case "0":
			case "1":
				row[i] = 1
			default:
				return nil, fmt.Errorf("%s:%d: column %d: %q is not 0 or 1", name, line, i+1, f)
			}
		}
		data = append(data, row)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s:%d: %w", name, line+1, err)
	}
	if len(data) == 0 {
		return nil, fmt.Errorf("%s: no data rows", name)
	}
	return data, nil
}

// MNISTSpec selects binarized (or grey) MNIST images for an RBM: the first N images
// (0: all) of the training set (Set "train", 60000 images) or the test set ("test",
// 10000), area-averaged to Size×Size pixels if Size < 28 ([mnist.Set.Downsample]),
// intensities byte/255 above Binarize set to 1 and the others to 0 (Binarize = 0 keeps
// the grey levels in [0, 1]), read from Dir ("" = the Go module cache, see
// [mnist.Dir]). The labels are dropped.
type MNISTSpec struct {
	Binarize float64
	N, Size  int
	Set      string
	Dir      string
}

// String returns the spec in the form ParseData accepts.
func (s MNISTSpec) String() string {
	out := fmt.Sprintf("mnist:binarize=%g,n=%d,size=%d,set=%s", s.Binarize, s.N, s.Size, s.Set)
	if s.Dir != "" {
		out += ",dir=" + s.Dir
	}
	return out
}

// ParseMNISTSpec parses "mnist[:binarize=T][,n=N][,size=S][,set=train|test][,dir=DIR]";
// the defaults are binarize=0.5, all images, size=28, set=train.
func ParseMNISTSpec(spec string) (MNISTSpec, error) {
	s := MNISTSpec{Binarize: 0.5, Size: 28, Set: "train"}
	body, ok := strings.CutPrefix(spec, "mnist")
	if !ok || (body != "" && body[0] != ':') {
		return s, fmt.Errorf("data %q: want mnist[:binarize=T,n=N,size=S,set=train|test,dir=DIR]", spec)
	}
	body = strings.TrimPrefix(body, ":")
	if body == "" {
		return s, nil
	}
	seen := map[string]bool{}
	for _, kv := range strings.Split(body, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(kv), "=")
		if !ok {
			return s, fmt.Errorf("data %q: %q is not key=value", spec, kv)
		}
		if seen[k] {
			return s, fmt.Errorf("data %q: %s given twice", spec, k)
		}
		seen[k] = true
		var err error
		switch k {
		case "binarize":
			s.Binarize, err = strconv.ParseFloat(v, 64)
		case "n":
			s.N, err = strconv.Atoi(v)
		case "size":
			s.Size, err = strconv.Atoi(v)
		case "set":
			s.Set = v
		case "dir":
			s.Dir = v
		default:
			return s, fmt.Errorf("data %q: unknown key %q (want binarize, n, size, set, dir)", spec, k)
		}
		if err != nil {
			return s, fmt.Errorf("data %q: %s: %w", spec, k, err)
		}
	}
	if !(s.Binarize >= 0 && s.Binarize < 1) || s.N < 0 || s.Size < 1 || s.Size > 28 || (s.Set != "train" && s.Set != "test") {
		return s, fmt.Errorf("data %q: want 0 ≤ binarize < 1, n ≥ 0, 1 ≤ size ≤ 28, set train or test", spec)
	}
	return s, nil
}

// MNISTData returns the images of s as rows of Size² values in [0, 1] (0 or 1 when
// binarized), row-major pixels.
func MNISTData(s MNISTSpec) ([][]float64, error) {
	train, test, err := mnist.Load(s.Dir)
	if err != nil {
		return nil, err
	}
	set := train
	if s.Set == "test" {
		set = test
	}
	set = set.Head(s.N)
	if s.Size < 28 {
		set = set.Downsample(s.Size)
	}
	if s.Binarize > 0 {
		set = set.Binarize(float32(s.Binarize))
	}
	d := set.Rows * set.Cols
	rows := make([][]float64, set.N)
	flat := make([]float64, set.N*d)
	for i := range rows {
		rows[i] = flat[i*d : (i+1)*d : (i+1)*d]
		for j, v := range set.Image(i) {
			rows[i][j] = float64(v)
		}
	}
	return rows, nil
}
