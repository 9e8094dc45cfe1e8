package learn

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/deepglass/deepglass/analysis"
	"github.com/deepglass/deepglass/models"
)

func TestBarsAndStripes(t *testing.T) {
	for n := 1; n <= 5; n++ {
		data := BarsAndStripes(n)
		want := 1<<(n+1) - 2 // docs/references/rbm.md §2: 2^{n+1} − 2 distinct patterns
		if n == 1 {
			want = 2 // 1×1: off and on
		}
		if len(data) != want {
			t.Errorf("n=%d: %d patterns, want %d", n, len(data), want)
		}
		seen := map[string]bool{}
		for _, v := range data {
			k := ""
			for _, x := range v {
				k += string(rune('0' + int(x)))
			}
			if seen[k] {
				t.Errorf("n=%d: pattern %s twice", n, k)
			}
			seen[k] = true
			// Every pattern is constant along rows or along columns.
			rows, cols := true, true
			for r := range n {
				for c := range n {
					rows = rows && v[r*n+c] == v[r*n]
					cols = cols && v[r*n+c] == v[c]
				}
			}
			if !rows && !cols {
				t.Errorf("n=%d: %s is neither bars nor stripes", n, k)
			}
		}
	}
}

func TestParseData(t *testing.T) {
	d, err := ParseData("bas:4")
	if err != nil || len(d) != 30 || len(d[0]) != 16 {
		t.Fatalf("bas:4: %d rows, err %v", len(d), err)
	}
	s, err := ParseIsingSpec("ising:L=8,T=2.27,n=50,seed=3,every=4")
	if err != nil || s != (IsingSpec{L: 8, T: 2.27, N: 50, Seed: 3, Every: 4}) {
		t.Fatalf("ParseIsingSpec = %+v, %v", s, err)
	}
	for _, bad := range []string{"bas:x", "bas:1", "ising:L=8,T=2.27", "ising:L=8,T=-1,n=3",
		"ising:L=8,T=2,n=3,q=1", "ising:L8", "ising:L=x,T=2,n=3", "/no/such/file.csv"} {
		if _, err := ParseData(bad); err == nil {
			t.Errorf("ParseData(%q) succeeded", bad)
		}
	}
}

// TestIsingData compares the mean energy per spin of the Wolff samples with
// Kaufman's exact value for the periodic 8×8 lattice at T = 2.27 (docs/references/ising2d.md).
func TestIsingData(t *testing.T) {
	const L, T, n = 8, 2.27, 4000
	data, energy, err := IsingData(IsingSpec{L: L, T: T, N: n, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(data) != n || len(data[0]) != L*L {
		t.Fatalf("shape %d×%d", len(data), len(data[0]))
	}
	s := analysis.NewSeries(10)
	for k, v := range data {
		if e := IsingEnergy(v); math.Abs(e-energy[k]) > 1e-12 {
			t.Fatalf("sample %d: IsingEnergy %v, model energy %v", k, e, energy[k])
		}
		s.Add(energy[k])
	}
	est := s.Estimate()
	exact := models.Kaufman(L, L, 1/T).E
	if math.Abs(est.Mean-exact) > 4*est.Err {
		t.Errorf("⟨E⟩/N = %v, exact %v", est, exact)
	}
	if est.Tau > 3 {
		t.Errorf("samples are correlated: τ_int = %v", est.Tau)
	}
}

func TestReadCSV(t *testing.T) {
	d, err := ReadCSV(strings.NewReader("# comment\n0,1,1\n\n1, 0 ,0\n"), "x.csv")
	if err != nil || len(d) != 2 || d[0][2] != 1 || d[1][0] != 1 || d[1][1] != 0 {
		t.Fatalf("ReadCSV = %v, %v", d, err)
	}
	for in, want := range map[string]string{
		"0,1\n1,0,1\n": "x.csv:2: 3 values",
		"0,1\n1,2\n":   "x.csv:2: column 2",
		"# only\n":     "x.csv: no data rows",
	} {
		_, err := ReadCSV(strings.NewReader(in), "x.csv")
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ReadCSV(%q) error %v, want %q", in, err, want)
		}
	}
	path := filepath.Join(t.TempDir(), "d.csv")
	if err := os.WriteFile(path, []byte("1,0\n0,1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if d, err := ParseData(path); err != nil || len(d) != 2 {
		t.Errorf("ParseData(file) = %v, %v", d, err)
	}
}

func FuzzReadCSV(f *testing.F) {
	f.Add([]byte("0,1\n1,0\n"))
	f.Add([]byte("#c\n1\n\n0\n"))
	f.Add([]byte("0,1\n1\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := ReadCSV(bytes.NewReader(b), "f")
		if err != nil {
			return
		}
		if len(d) == 0 {
			t.Fatal("no rows and no error")
		}
		for _, row := range d {
			if len(row) != len(d[0]) {
				t.Fatal("ragged rows")
			}
			for _, x := range row {
				if x != 0 && x != 1 {
					t.Fatalf("value %v", x)
				}
			}
		}
	})
}

func FuzzParseIsingSpec(f *testing.F) {
	f.Add("ising:L=8,T=2.27,n=5000,seed=1")
	f.Add("ising:L=8,T=2.27")
	f.Add("ising:L=4,T=1e400,n=1")
	f.Fuzz(func(t *testing.T, spec string) {
		s, err := ParseIsingSpec(spec)
		if err != nil {
			return
		}
		if s.L < 2 || s.L > 1024 || !(s.T > 0) || math.IsInf(s.T, 0) || s.N < 1 {
			t.Fatalf("%q accepted as %+v", spec, s)
		}
	})
}
