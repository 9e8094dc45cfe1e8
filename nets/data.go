package nets

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/deepglass/deepglass/nets/mnist"
	"github.com/deepglass/deepglass/sampler"
)

// Data is a labelled data set: N samples of D inputs and a class label each.
type Data struct {
	Name       string
	N, D       int
	Classes    int
	X          []float32 // N×D, row-major
	Y          []uint8   // N labels in 0…Classes−1
	hash       uint64
	hashCached bool
}

// String describes the set, e.g. "mnist train: 60000 samples × 784 inputs, 10 classes".
func (d *Data) String() string {
	return fmt.Sprintf("%s: %d samples × %d inputs, %d classes", d.Name, d.N, d.D, d.Classes)
}

// NewData checks and wraps rows of x (N×D) and labels y (0…classes−1); the slices are
// shared, not copied. Non-finite inputs are errors.
func NewData(name string, x []float32, y []uint8, d, classes int) (*Data, error) {
	if d < 1 || len(y) == 0 || len(x) != len(y)*d {
		return nil, fmt.Errorf("data %s: %d values for %d labels of %d inputs", name, len(x), len(y), d)
	}
	if classes < 1 || classes > 256 {
		return nil, fmt.Errorf("data %s: %d classes: want 1 to 256", name, classes)
	}
	for i, l := range y {
		if int(l) >= classes {
			return nil, fmt.Errorf("data %s: label %d of sample %d ≥ %d classes", name, l, i, classes)
		}
	}
	for i, v := range x {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return nil, fmt.Errorf("data %s: sample %d input %d is %v", name, i/d, i%d, v)
		}
	}
	return &Data{Name: name, N: len(y), D: d, Classes: classes, X: x, Y: y}, nil
}

// FromMNIST returns an MNIST set as Data (10 classes, the pixels shared).
func FromMNIST(s *mnist.Set) *Data {
	return &Data{Name: s.Name, N: s.N, D: s.Rows * s.Cols, Classes: 10, X: s.Pixels, Y: s.Labels}
}

// Head returns the first n samples (all if n ≤ 0 or n ≥ N), sharing storage.
func (d *Data) Head(n int) *Data {
	if n <= 0 || n >= d.N {
		return d
	}
	return &Data{Name: fmt.Sprintf("%s[:%d]", d.Name, n), N: n, D: d.D, Classes: d.Classes,
		X: d.X[: n*d.D : n*d.D], Y: d.Y[:n:n]}
}

// Hash returns an FNV-1a hash of the inputs and labels (checkpoints record it, so a run
// resumes only on the data it started with).
func (d *Data) Hash() uint64 {
	if d.hashCached {
		return d.hash
	}
	h := fnv.New64a()
	buf := make([]byte, 0, 4096)
	for i, v := range d.X {
		u := math.Float32bits(v)
		buf = append(buf, byte(u), byte(u>>8), byte(u>>16), byte(u>>24))
		if len(buf) == cap(buf) || i == len(d.X)-1 {
			h.Write(buf)
			buf = buf[:0]
		}
	}
	h.Write(d.Y)
	d.hash, d.hashCached = h.Sum64(), true
	return d.hash
}

// BlobsSpec describes a synthetic data set: Classes Gaussian clusters in D dimensions,
// centres drawn from N(0, Sep²/D) per coordinate (so two centres lie about Sep·√2
// apart), samples = centre + N(0, 1) noise per coordinate, labels uniform.
type BlobsSpec struct {
	D, Classes, N, NTest int
	Sep                  float64
	Seed                 uint64
}

// String returns the spec in the form ParseData accepts.
func (s BlobsSpec) String() string {
	return fmt.Sprintf("blobs:d=%d,k=%d,n=%d,ntest=%d,sep=%g,seed=%d", s.D, s.Classes, s.N, s.NTest, s.Sep, s.Seed)
}

// Blobs returns the training and test sets of s, drawn from the streams
// NewStream(Seed, PurposeData, 1, r), r = 0 for the centres, 1 for training and 2 for
// test samples.
func Blobs(s BlobsSpec) (train, test *Data, err error) {
	if s.D < 1 || s.Classes < 1 || s.Classes > 256 || s.N < 1 || s.NTest < 1 || !(s.Sep >= 0) || math.IsInf(s.Sep, 0) {
		return nil, nil, fmt.Errorf("data %v: want d ≥ 1, 1 ≤ k ≤ 256, n, ntest ≥ 1, finite sep ≥ 0", s)
	}
	if s.D > MaxParams/max(s.N, s.NTest) {
		return nil, nil, fmt.Errorf("data %v: too large", s)
	}
	rc := rand.New(sampler.NewStream(s.Seed, sampler.PurposeData, 1, 0))
	centres := make([]float64, s.Classes*s.D)
	for i := range centres {
		centres[i] = s.Sep / math.Sqrt(float64(s.D)) * rc.NormFloat64()
	}
	draw := func(name string, n, rep int) *Data {
		r := rand.New(sampler.NewStream(s.Seed, sampler.PurposeData, 1, rep))
		d := &Data{Name: name, N: n, D: s.D, Classes: s.Classes, X: make([]float32, n*s.D), Y: make([]uint8, n)}
		for i := range n {
			y := r.IntN(s.Classes)
			d.Y[i] = uint8(y)
			for j := range s.D {
				d.X[i*s.D+j] = float32(centres[y*s.D+j] + r.NormFloat64())
			}
		}
		return d
	}
	return draw(s.String()+" train", s.N, 1), draw(s.String()+" test", s.NTest, 2), nil
}

// MNISTSpec selects MNIST images: Size×Size pixels (28: the originals; smaller sizes
// by [mnist.Set.Downsample]), the first N training and NTest test images (0: all),
// pixels above Binarize set to 1 and the others to 0 if Binarize > 0, read from Dir
// ("" = the Go module cache, see [mnist.Dir]).
type MNISTSpec struct {
	Size, N, NTest int
	Binarize       float64
	Dir            string
}

// String returns the spec in the form ParseData accepts.
func (s MNISTSpec) String() string {
	var opts []string
	if s.Size != 28 && s.Size != 0 {
		opts = append(opts, fmt.Sprintf("size=%d", s.Size))
	}
	if s.N > 0 {
		opts = append(opts, fmt.Sprintf("n=%d", s.N))
	}
	if s.NTest > 0 {
		opts = append(opts, fmt.Sprintf("ntest=%d", s.NTest))
	}
	if s.Binarize > 0 {
		opts = append(opts, fmt.Sprintf("binarize=%g", s.Binarize))
	}
	if s.Dir != "" {
		opts = append(opts, "dir="+s.Dir)
	}
	if len(opts) == 0 {
		return "mnist"
	}
	return "mnist:" + strings.Join(opts, ",")
}

// MNIST loads the training and test sets of s.
func MNIST(s MNISTSpec) (train, test *Data, err error) {
	if s.Size == 0 {
		s.Size = 28
	}
	if s.Size < 1 || s.Size > 28 || s.N < 0 || s.NTest < 0 || !(s.Binarize >= 0 && s.Binarize < 1) {
		return nil, nil, fmt.Errorf("data %v: want 1 ≤ size ≤ 28, n, ntest ≥ 0, 0 ≤ binarize < 1", s)
	}
	tr, te, err := mnist.Load(s.Dir)
	if err != nil {
		return nil, nil, err
	}
	prep := func(set *mnist.Set, n int) *Data {
		set = set.Head(n)
		if s.Size != 28 {
			set = set.Downsample(s.Size)
		}
		if s.Binarize > 0 {
			set = set.Binarize(float32(s.Binarize))
		}
		return FromMNIST(set)
	}
	return prep(tr, s.N), prep(te, s.NTest), nil
}

// ParseData returns the training and test sets named by spec:
//
//	mnist[:size=28][,n=60000][,ntest=10000][,binarize=T][,dir=DIR]
//	                       MNIST (see MNISTSpec); mnistDir, if not empty, is the
//	                       default directory of the files (flag -mnist)
//	mnist10[:…]            mnist:size=10, Choromanska et al.'s downsampled MNIST
//	blobs:d=20,k=10,n=2000[,ntest=1000][,sep=3][,seed=1]
//	                       Gaussian clusters (see BlobsSpec)
func ParseData(spec, mnistDir string) (train, test *Data, err error) {
	name, args, _ := strings.Cut(spec, ":")
	kv, err := parseKV(spec, args)
	if err != nil {
		return nil, nil, err
	}
	switch name {
	case "mnist", "mnist10":
		s := MNISTSpec{Size: 28, Dir: mnistDir}
		if name == "mnist10" {
			s.Size = 10
		}
		for _, p := range kv {
			k, v := p.k, p.v
			var err error
			switch k {
			case "size":
				s.Size, err = strconv.Atoi(v)
			case "n":
				s.N, err = strconv.Atoi(v)
			case "ntest":
				s.NTest, err = strconv.Atoi(v)
			case "binarize":
				s.Binarize, err = strconv.ParseFloat(v, 64)
			case "dir":
				s.Dir = v
			default:
				return nil, nil, fmt.Errorf("data %q: unknown key %q (want size, n, ntest, binarize, dir)", spec, k)
			}
			if err != nil {
				return nil, nil, fmt.Errorf("data %q: %s: %w", spec, k, err)
			}
		}
		return MNIST(s)
	case "blobs":
		s := BlobsSpec{D: -1, Classes: -1, N: -1, NTest: 1000, Sep: 3, Seed: 1}
		for _, p := range kv {
			k, v := p.k, p.v
			var err error
			switch k {
			case "d":
				s.D, err = strconv.Atoi(v)
			case "k":
				s.Classes, err = strconv.Atoi(v)
			case "n":
				s.N, err = strconv.Atoi(v)
			case "ntest":
				s.NTest, err = strconv.Atoi(v)
			case "sep":
				s.Sep, err = strconv.ParseFloat(v, 64)
			case "seed":
				s.Seed, err = strconv.ParseUint(v, 10, 64)
			default:
				return nil, nil, fmt.Errorf("data %q: unknown key %q (want d, k, n, ntest, sep, seed)", spec, k)
			}
			if err != nil {
				return nil, nil, fmt.Errorf("data %q: %s: %w", spec, k, err)
			}
		}
		if s.D < 0 || s.Classes < 0 || s.N < 0 {
			return nil, nil, fmt.Errorf("data %q: blobs needs d=, k= and n=", spec)
		}
		return Blobs(s)
	}
	return nil, nil, fmt.Errorf("data %q: want mnist[:…], mnist10[:…] or blobs:d=D,k=K,n=N", spec)
}

// keyValue is one key=value pair of a spec.
type keyValue struct{ k, v string }

// parseKV parses "k=v,k=v" in order (empty: no pairs).
func parseKV(spec, args string) ([]keyValue, error) {
	var kv []keyValue
	if args == "" {
		return kv, nil
	}
	seen := map[string]bool{}
	for _, f := range strings.Split(args, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(f), "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("data %q: %q is not key=value", spec, f)
		}
		if seen[k] {
			return nil, fmt.Errorf("data %q: %s given twice", spec, k)
		}
		seen[k] = true
		kv = append(kv, keyValue{k, v})
	}
	return kv, nil
}
