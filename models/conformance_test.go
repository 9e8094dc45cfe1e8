package models_test

import (
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/models/modeltest"
)

// TestConformance runs the modeltest suite on every constructor.
func TestConformance(t *testing.T) {
	rng := func(a uint64) *rand.Rand { return rand.New(rand.NewPCG(a, 17)) }
	fieldEdges, _, err := models.ParseCouplings(strings.NewReader("1 2 0.7\n2 3 -1.2\n3 1 0.4\n3 4 2\n1 1 0.25\n4 4 -1\n"), "field.txt")
	if err != nil {
		t.Fatal(err)
	}
	eaFile, _, err := models.ReadCouplings(ea4x4Path)
	if err != nil {
		t.Fatal(err)
	}
	h := make([]float64, 10)
	for i := range h {
		h[i] = 0.1 * float64(i-4)
	}
	ms := []models.Model{
		models.NewIsing(models.Square(2), 1, 0),
		models.NewIsing(models.Square(16), 1, 0),
		models.NewIsing(models.Cubic(2), 1, 0),
		models.NewIsing(models.Cubic(4), 1, 0),
		models.NewIsing(models.Lattice{Dim: 1, L: 7}, 1, 0),
		models.NewIsing(models.Square(5), -1, 0.3), // antiferromagnet in a field
		models.NewIsing(models.Square(3), 0.5, 0.25),
		models.NewEA(models.Square(2), models.PlusMinus, rng(1)),
		models.NewEA(models.Square(8), models.PlusMinus, rng(2)),
		models.NewEA(models.Square(7), models.Gaussian, rng(3)),
		models.NewEA(models.Cubic(4), models.PlusMinus, rng(4)),
		models.NewEA(models.Cubic(3), models.Gaussian, rng(5)),
		models.NewSK(64, 0, models.Gaussian, rng(6)),
		models.NewSK(33, 1.5, models.PlusMinus, rng(7)),
		models.NewSK(1, 0, models.Gaussian, rng(8)),
		models.NewHopfield(models.RandomPatterns(1, 40, rng(9))),
		models.NewHopfield(models.RandomPatterns(3, 50, rng(10))),
		models.NewCurieWeiss(50, 1, 0.3),
		models.NewDense(10, models.NewSK(10, 0, models.Gaussian, rng(11)).J, h),
		fieldEdges,
		eaFile,
	}
	for _, f := range []string{"G11.txt", "G22.txt"} {
		m, _, err := models.ReadCouplings(filepath.Join(gsetDir, f))
		if err != nil {
			t.Fatal(err)
		}
		ms = append(ms, m)
	}
	for k, m := range ms {
		name := strings.ReplaceAll(stringOf(m), " ", "_")
		t.Run(name, func(t *testing.T) { modeltest.Check(t, m, rand.NewPCG(uint64(k), 99)) })
	}
}

func stringOf(m models.Model) string {
	if s, ok := m.(interface{ String() string }); ok {
		return s.String()
	}
	return "model"
}
