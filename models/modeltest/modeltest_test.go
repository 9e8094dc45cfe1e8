package modeltest_test

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/models/modeltest"
)

// recorder is a testing.TB that records failures instead of reporting them, so that
// the checks themselves can be tested on broken models.
type recorder struct {
	testing.TB
	failed bool
	msg    string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.failed, r.msg = true, fmt.Sprintf(format, args...)
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	runtime.Goexit()
}
func (r *recorder) Error(args ...any) { r.failed, r.msg = true, fmt.Sprint(args...) }
func (r *recorder) Fatal(args ...any) {
	r.Error(args...)
	runtime.Goexit()
}

// record runs check with a recorder in its own goroutine, so Fatalf can stop it.
func record(t *testing.T, check func(tb testing.TB)) *recorder {
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		check(r)
	}()
	<-done
	return r
}

// wrongDeltaE returns the right ΔE except at site 3, where it is 1% off.
type wrongDeltaE struct{ *models.Sparse }

func (w wrongDeltaE) DeltaE(s []int8, i int) float64 {
	d := w.Sparse.DeltaE(s, i)
	if i == 3 {
		d *= 1.01
	}
	return d
}

// mutating flips the spin it is asked about and leaves it flipped.
type mutating struct{ *models.Sparse }

func (m mutating) DeltaE(s []int8, i int) float64 {
	d := m.Sparse.DeltaE(s, i)
	s[i] = -s[i]
	return d
}

// hiddenField has a field but claims it has none.
type hiddenField struct{ models.Model }

func (hiddenField) HasField() bool { return false }

func TestChecksPassOnGoodModels(t *testing.T) {
	for _, m := range []models.Model{
		models.NewIsing(models.Square(4), 1, 0),
		models.NewIsing(models.Square(3), 1, 0.5),
		models.NewSK(12, 0, models.Gaussian, rand.New(rand.NewPCG(1, 1))),
		hiddenField{models.NewIsing(models.Square(3), 1, 0)},
	} {
		src := rand.NewPCG(1, 2)
		if r := record(t, func(tb testing.TB) { modeltest.DeltaE(tb, m, src, 50) }); r.failed {
			t.Errorf("DeltaE(%v) failed: %s", m, r.msg)
		}
		if r := record(t, func(tb testing.TB) { modeltest.Symmetric(tb, m, src, 10) }); r.failed {
			t.Errorf("Symmetric(%v) failed: %s", m, r.msg)
		}
	}
}

func TestChecksFailOnBrokenModels(t *testing.T) {
	ising := models.NewIsing(models.Square(4), 1, 0)
	asymSparse := &models.Sparse{ // bond 0–1 has J = 1 from site 0 but J = 2 from site 1
		Start: []int32{0, 1, 2}, Nbr: []int32{1, 0}, J: []float64{1, 2}, H: []float64{0, 0},
	}
	oneSided := &models.Sparse{ // bond 0–1 stored only from site 0
		Start: []int32{0, 1, 1}, Nbr: []int32{1}, J: []float64{1}, H: []float64{0, 0},
	}
	badInt := models.NewIsing(models.Square(3), 1, 0)
	badInt.JInt = append([]int8(nil), badInt.JInt...)
	badInt.JInt[4] = -1
	tests := []struct {
		name  string
		check func(tb testing.TB)
		want  string // part of the failure message
	}{
		{"wrong ΔE", func(tb testing.TB) {
			modeltest.DeltaE(tb, wrongDeltaE{ising}, rand.NewPCG(1, 2), 200)
		}, "DeltaE(s, 3)"},
		{"mutating ΔE", func(tb testing.TB) {
			modeltest.DeltaE(tb, mutating{ising}, rand.NewPCG(1, 2), 10)
		}, "modified s"},
		{"asymmetric sparse", func(tb testing.TB) {
			modeltest.Symmetric(tb, asymSparse, rand.NewPCG(1, 2), 5)
		}, "bond (0,1)"},
		{"one-sided sparse", func(tb testing.TB) {
			modeltest.Symmetric(tb, oneSided, rand.NewPCG(1, 2), 5)
		}, "bond (0,1)"},
		{"JInt mismatch", func(tb testing.TB) {
			modeltest.Symmetric(tb, badInt, rand.NewPCG(1, 2), 5)
		}, "JInt[4]"},
		{"asymmetric dense", func(tb testing.TB) {
			modeltest.Symmetric(tb, &models.Dense{J: []float64{0, 1, 2, 0}, H: []float64{0, 0}}, rand.NewPCG(1, 2), 5)
		}, "J[0][1]"},
		{"dense diagonal", func(tb testing.TB) {
			modeltest.Symmetric(tb, &models.Dense{J: []float64{0, 1, 1, 3}, H: []float64{0, 0}}, rand.NewPCG(1, 2), 5)
		}, "J[1][1]"},
		{"hidden field", func(tb testing.TB) {
			modeltest.Symmetric(tb, hiddenField{models.NewIsing(models.Square(3), 1, 0.5)}, rand.NewPCG(1, 2), 5)
		}, "E(s) - E(-s)"},
		{"fast path differs", func(tb testing.TB) {
			modeltest.FastPath(tb, ising, func(m models.Model, seed uint64) []int8 {
				s := make([]int8, m.N())
				for i := range s {
					s[i] = 1
				}
				if _, ok := m.(*models.Sparse); ok {
					s[5] = -1 // the "specialised kernel" disagrees at one site
				}
				return s
			})
		}, "spin 5"},
		{"fast path wrong length", func(tb testing.TB) {
			modeltest.FastPath(tb, ising, func(m models.Model, seed uint64) []int8 { return make([]int8, 3) })
		}, "returned 3 spins"},
		{"fast path not ±1", func(tb testing.TB) {
			modeltest.FastPath(tb, ising, func(m models.Model, seed uint64) []int8 { return make([]int8, m.N()) })
		}, "want ±1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := record(t, tt.check)
			if !r.failed {
				t.Fatalf("check passed; want a failure mentioning %q", tt.want)
			}
			if !strings.Contains(r.msg, tt.want) {
				t.Errorf("failure %q; want it to mention %q", r.msg, tt.want)
			}
		})
	}
}

func TestFastPathPasses(t *testing.T) {
	m := models.NewEA(models.Square(4), models.PlusMinus, rand.New(rand.NewPCG(3, 3)))
	var seeds []uint64
	run := func(m models.Model, seed uint64) []int8 {
		seeds = append(seeds, seed)
		// A zero-temperature greedy descent from a random state: deterministic in seed,
		// and the same for any Model.
		rng := rand.New(rand.NewPCG(seed, 0))
		s := make([]int8, m.N())
		for i := range s {
			s[i] = 1 - 2*int8(rng.IntN(2))
		}
		for range 5 {
			for i := range s {
				if m.DeltaE(s, i) < 0 {
					s[i] = -s[i]
				}
			}
		}
		return s
	}
	if r := record(t, func(tb testing.TB) { modeltest.FastPath(tb, m, run) }); r.failed {
		t.Fatalf("FastPath failed: %s", r.msg)
	}
	if len(seeds) < 2 || len(seeds)%2 != 0 {
		t.Errorf("run called with seeds %v; want pairs of calls", seeds)
	}
	for k := 0; k+1 < len(seeds); k += 2 {
		if seeds[k] != seeds[k+1] {
			t.Errorf("run called with seeds %v; want each seed twice in a row", seeds)
		}
	}
}

func TestCheck(t *testing.T) {
	modeltest.Check(t, models.NewIsing(models.Cubic(3), 1, 0), rand.NewPCG(7, 7))
}
