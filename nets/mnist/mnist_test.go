package mnist

import (
	"bytes"
	"compress/gzip"
	"crypto/md5"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func idxBytes(t testing.TB, x *IDX) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteIDX(&b, x); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func gz(b []byte) []byte {
	var z bytes.Buffer
	w := gzip.NewWriter(&z)
	w.Write(b)
	w.Close()
	return z.Bytes()
}

func TestReadIDXRoundTrip(t *testing.T) {
	x := &IDX{Dims: []int{3, 2, 2}, Data: []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255}}
	raw := idxBytes(t, x)
	if want := []byte{0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 2}; !bytes.Equal(raw[:16], want) {
		t.Fatalf("header % x; want % x", raw[:16], want)
	}
	for name, b := range map[string][]byte{"plain": raw, "gzip": gz(raw)} {
		got, err := ReadIDX(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got.String() != "idx ubyte 3×2×2" || !bytes.Equal(got.Data, x.Data) {
			t.Errorf("%s: got %v %v", name, got, got.Data)
		}
	}
}

// TestReadIDXErrors: corrupt and truncated files give errors that say what is wrong.
func TestReadIDXErrors(t *testing.T) {
	good := idxBytes(t, &IDX{Dims: []int{2, 3}, Data: []byte{1, 2, 3, 4, 5, 6}})
	badgz := gz(good)
	badgz[len(badgz)-6] ^= 0xff // corrupt the CRC-32
	cases := []struct {
		name string
		b    []byte
		want string
	}{
		{"empty", nil, "header"},
		{"short header", good[:3], "header"},
		{"bad magic", append([]byte{1, 2}, good[2:]...), "bad magic"},
		{"float type", append([]byte{0, 0, 0x0d}, good[3:]...), "data type 0x0d"},
		{"no dims", append([]byte{0, 0, 8, 0}, good[4:]...), "0 dimensions"},
		{"truncated dims", good[:9], "size of dimension 1"},
		{"zero size", []byte{0, 0, 8, 1, 0, 0, 0, 0}, "size 0"},
		{"huge", []byte{0, 0, 8, 2, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 2}, "larger than"},
		{"huge product", []byte{0, 0, 8, 2, 0, 1, 0, 0, 0, 1, 0, 0}, "larger than"},
		{"truncated data", good[:len(good)-2], "truncated: 4 of 6"},
		{"trailing bytes", append(append([]byte{}, good...), 7), "after the data"},
		{"truncated gzip", gz(good)[:20], "unexpected EOF"},
		{"bad gzip checksum", badgz, "checksum"},
	}
	for _, c := range cases {
		_, err := ReadIDX(bytes.NewReader(c.b))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v; want one containing %q", c.name, err, c.want)
		}
	}
}

func FuzzReadIDX(f *testing.F) {
	good := idxBytes(f, &IDX{Dims: []int{2, 2, 2}, Data: []byte{1, 2, 3, 4, 5, 6, 7, 8}})
	f.Add(good)
	f.Add(gz(good))
	f.Add(idxBytes(f, &IDX{Dims: []int{3}, Data: []byte{0, 9, 4}}))
	f.Add([]byte{0, 0, 8, 4, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 42})
	f.Add([]byte{0, 0, 8, 1, 0x7f, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		x, err := ReadIDX(bytes.NewReader(b))
		if err != nil {
			return
		}
		n := 1
		for _, d := range x.Dims {
			if d < 1 {
				t.Fatalf("dims %v", x.Dims)
			}
			n *= d
		}
		if n != len(x.Data) || len(x.Dims) < 1 || len(x.Dims) > 4 {
			t.Fatalf("dims %v with %d bytes", x.Dims, len(x.Data))
		}
		// Decoding as images and labels must fail cleanly or succeed consistently.
		if len(x.Dims) == 3 {
			lb := &IDX{Dims: []int{x.Dims[0]}, Data: make([]byte, x.Dims[0])}
			s, err := NewSet("fuzz", x, lb)
			if err != nil || s.N*s.Rows*s.Cols != len(s.Pixels) {
				t.Fatalf("NewSet: %v", err)
			}
		}
	})
}

func TestNewSetErrors(t *testing.T) {
	im := &IDX{Dims: []int{2, 1, 2}, Data: []byte{0, 255, 51, 102}}
	for _, c := range []struct {
		name           string
		images, labels *IDX
		want           string
	}{
		{"mismatched counts", im, &IDX{Dims: []int{3}, Data: []byte{1, 2, 3}}, "2 images but 3 labels"},
		{"label out of range", im, &IDX{Dims: []int{2}, Data: []byte{1, 10}}, "label 1 is 10"},
		{"labels 2-D", im, &IDX{Dims: []int{2, 1}, Data: []byte{1, 1}}, "labels have 2 dimensions"},
		{"images 2-D", &IDX{Dims: []int{2, 2}, Data: []byte{1, 2, 3, 4}}, &IDX{Dims: []int{2}, Data: []byte{1, 1}}, "images have 2 dimensions"},
	} {
		if _, err := NewSet("x", c.images, c.labels); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v; want %q", c.name, err, c.want)
		}
	}
	s, err := NewSet("x", im, &IDX{Dims: []int{2}, Data: []byte{3, 7}})
	if err != nil {
		t.Fatal(err)
	}
	if s.N != 2 || s.Rows != 1 || s.Cols != 2 || s.Pixels[1] != 1 || math.Abs(float64(s.Pixels[2])-0.2) > 1e-7 || s.Labels[1] != 7 {
		t.Errorf("NewSet = %v %v %v", s, s.Pixels, s.Labels)
	}
}

// TestLoadFilesErrors: the errors of LoadFiles and Dir name the file or directory.
func TestLoadFilesErrors(t *testing.T) {
	dir := t.TempDir()
	im := idxBytes(t, &IDX{Dims: []int{2, 2, 2}, Data: make([]byte, 8)})
	lb := idxBytes(t, &IDX{Dims: []int{3}, Data: []byte{1, 2, 3}})
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ip, lp := write("im", im), write("lb", lb)
	if _, err := LoadFiles("x", ip, lp); err == nil || !strings.Contains(err.Error(), "2 images but 3 labels") || !strings.Contains(err.Error(), ip) {
		t.Errorf("mismatched: %v", err)
	}
	tp := write("trunc", im[:len(im)-1])
	if _, err := LoadFiles("x", tp, lp); err == nil || !strings.Contains(err.Error(), tp) || !strings.Contains(err.Error(), "truncated") {
		t.Errorf("truncated: %v", err)
	}
	if _, err := Dir(dir); err == nil || !strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), TrainImages) {
		t.Errorf("Dir(%s) = %v", dir, err)
	}
	t.Setenv("GOMODCACHE", dir)
	t.Setenv("GOPATH", dir)
	t.Setenv("HOME", dir)
	if _, err := Dir(""); err == nil || !strings.Contains(err.Error(), Setup) {
		t.Errorf("Dir(\"\") without the module = %v; want the setup command", err)
	}
	// A directory with all four files, plain and gzipped, loads.
	write(TrainImages+".gz", gz(im))
	write(TrainLabels, idxBytes(t, &IDX{Dims: []int{2}, Data: []byte{4, 5}}))
	write(TestImages, im)
	write(TestLabels+".gz", gz(idxBytes(t, &IDX{Dims: []int{2}, Data: []byte{0, 9}})))
	train, test, err := Load(dir)
	if err != nil || train.N != 2 || test.Labels[1] != 9 {
		t.Fatalf("Load: %v %v %v", train, test, err)
	}
}

func TestEscapePath(t *testing.T) {
	if got := escapePath(Module); got != "github.com/petar/!go!m!n!i!s!t" {
		t.Errorf("escapePath = %q", got)
	}
}

func TestDownsample(t *testing.T) {
	// A 28×28 image with pixel (r, c) = (r + 2c)/100.
	s := &Set{N: 1, Rows: 28, Cols: 28, Pixels: make([]float32, 784), Labels: []uint8{3}}
	mean := 0.0
	for r := range 28 {
		for c := range 28 {
			v := float64(r+2*c) / 100
			s.Pixels[r*28+c] = float32(v)
			mean += v / 784
		}
	}
	// 28 → 14 and 28 → 7 are 2×2 and 4×4 block means.
	for _, b := range []int{2, 4} {
		d := s.Downsample(28 / b)
		for I := range 28 / b {
			for J := range 28 / b {
				want := 0.0
				for r := I * b; r < (I+1)*b; r++ {
					for c := J * b; c < (J+1)*b; c++ {
						want += float64(s.Pixels[r*28+c]) / float64(b*b)
					}
				}
				if got := float64(d.Pixels[I*(28/b)+J]); math.Abs(got-want) > 1e-6 {
					t.Errorf("block %d: (%d,%d) = %v; want %v", b, I, J, got, want)
				}
			}
		}
	}
	// 28 → 10, against an independent oracle: split every pixel into 5×5 equal
	// sub-pixels (140×140); each output pixel is then exactly the mean of a 14×14
	// block of sub-pixels. The mean intensity is kept.
	d := s.Downsample(10)
	if d.Rows != 10 || d.Cols != 10 || d.N != 1 || d.Labels[0] != 3 {
		t.Fatalf("Downsample(10) = %v", d)
	}
	got := 0.0
	for I := range 10 {
		for J := range 10 {
			want := 0.0
			for y := I * 14; y < (I+1)*14; y++ {
				for x := J * 14; x < (J+1)*14; x++ {
					want += float64(s.Pixels[(y/5)*28+x/5]) / 196
				}
			}
			if v := float64(d.Pixels[I*10+J]); math.Abs(v-want) > 1e-6 {
				t.Errorf("10×10: (%d,%d) = %v; want %v", I, J, v, want)
			}
			got += float64(d.Pixels[I*10+J]) / 100
		}
	}
	if math.Abs(got-mean) > 1e-6 {
		t.Errorf("mean %v; want %v", got, mean)
	}
	b := s.Binarize(0.3)
	if b.Pixels[0] != 0 || b.Pixels[27] != 1 || b.Pixels[15] != 0 || b.Pixels[16] != 1 {
		t.Errorf("Binarize(0.3): %v", b.Pixels[:28])
	}
}

var (
	mnistOnce         sync.Once
	mnistTrain, mTest *Set
	mnistErr          error
)

// loadMNIST loads the real MNIST files, fetching the module with the go command when
// the cache lacks it (CI's .ci/run fetches it beforehand).
func loadMNIST(t *testing.T) (*Set, *Set) {
	t.Helper()
	mnistOnce.Do(func() {
		if _, err := Dir(""); err != nil {
			if out, err := exec.Command("go", "mod", "download", Module+"@"+Version).CombinedOutput(); err != nil {
				mnistErr = err
				t.Logf("%s: %s", Setup, out)
				return
			}
		}
		mnistTrain, mTest, mnistErr = Load("")
	})
	if mnistErr != nil {
		t.Fatalf("MNIST: %v", mnistErr)
	}
	return mnistTrain, mTest
}

// TestMNIST checks the parsed files against values an independent parser (NumPy)
// computes from the same files: 60000 training and 10000 test images of 28×28, the
// first training labels 5 0 4 1 9 2 1 3 1 4, and the class counts of the test set
// (980 zeros … 1009 nines) (docs/references/nets.md §1).
func TestMNIST(t *testing.T) {
	train, test := loadMNIST(t)
	if train.N != 60000 || test.N != 10000 || train.Rows != 28 || train.Cols != 28 {
		t.Fatalf("train %v, test %v", train, test)
	}
	want := []uint8{5, 0, 4, 1, 9, 2, 1, 3, 1, 4}
	for i, w := range want {
		if train.Labels[i] != w {
			t.Errorf("train label %d = %d; want %d", i, train.Labels[i], w)
		}
	}
	counts := make([]int, 10)
	for _, l := range test.Labels {
		counts[l]++
	}
	wantCounts := []int{980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}
	for k := range counts {
		if counts[k] != wantCounts[k] {
			t.Errorf("test count of %d = %d; want %d", k, counts[k], wantCounts[k])
		}
	}
	d := test.Head(100).Downsample(10)
	if d.N != 100 || len(d.Pixels) != 100*100 {
		t.Errorf("downsampled %v", d)
	}
}

// TestMNISTFiles: the module's files are the canonical MNIST files, whose MD5 sums
// torchvision checks (docs/references/nets.md §1).
func TestMNISTFiles(t *testing.T) {
	loadMNIST(t)
	dir, err := Dir("")
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		TrainImages: "f68b3c2dcbeaaa9fbdd348bbdeb94873", TrainLabels: "d53e105ee54ea40749a09fcbcd1e9432",
		TestImages: "9fb629c4189551a2d022fa330f9573f3", TestLabels: "ec29112dd5afa0611ce80d1b7f02629c",
	} {
		b, err := os.ReadFile(filepath.Join(dir, name+".gz"))
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprintf("%x", md5.Sum(b)); got != want {
			t.Errorf("%s.gz: md5 %s; want %s", name, got, want)
		}
	}
}
