package sampler

import (
	"math"
	"strings"
	"testing"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/models/modeltest"
)

var orders = []Order{Typewriter, RandomSite}

// localSampler is a single-site sampler with its constructor and the probability with
// which its update of site i takes s to s with spin i flipped, computed from the same
// thresholds the kernels compare draws with.
type localSampler struct {
	name string
	make func(m models.Model, beta float64, o Order) Sweeper
	flip func(mv Sweeper, m models.Model, s []int8, i int) float64
}

var localSamplers = []localSampler{
	{
		name: "metropolis",
		make: func(m models.Model, beta float64, o Order) Sweeper { return NewMetropolis(m, beta, o) },
		flip: func(mv Sweeper, m models.Model, s []int8, i int) float64 {
			mh := mv.(*Metropolis)
			dE := m.DeltaE(s, i)
			if dE <= 0 {
				return 1
			}
			if p, ok := m.(*models.Sparse); ok && p.JInt != nil {
				return float64(mh.cache.t.thr[int(dE)/2]) * 0x1p-53
			}
			return float64(threshold(math.Exp(-mh.Beta*dE))) * 0x1p-53
		},
	},
	{
		name: "heatbath",
		make: func(m models.Model, beta float64, o Order) Sweeper { return NewHeatBath(m, beta, o) },
		flip: func(mv Sweeper, m models.Model, s []int8, i int) float64 {
			hb := mv.(*HeatBath)
			twoF := m.DeltaE(s, i) * float64(s[i])
			var up float64
			if p, ok := m.(*models.Sparse); ok && p.JInt != nil {
				up = float64(hb.cache.t.thr[int(twoF)/2+p.MaxIntField()]) * 0x1p-53
			} else {
				up = float64(threshold(heatBathUp(hb.Beta, twoF))) * 0x1p-53
			}
			if s[i] > 0 {
				return 1 - up
			}
			return up
		},
	},
}

// TestLocalExact compares ⟨E⟩/N, ⟨|m|⟩ and ⟨m²⟩ of every single-site sampler, in both
// orders, with exact enumeration on small models.
func TestLocalExact(t *testing.T) {
	for _, ls := range localSamplers {
		for _, o := range orders {
			for k, sm := range smallModels() {
				t.Run(ls.name+"/"+o.String()+"/"+sm.name, func(t *testing.T) {
					t.Parallel()
					mv := ls.make(sm.m, sm.beta, o)
					checkThermo(t, sm.m, mv, sm.beta, uint64(100+k), 2000, 200_000)
				})
			}
		}
	}
}

// curieWeiss returns the Curie–Weiss model H = -Σ_{i<j} s_i s_j on n spins.
func curieWeiss(n int) *models.Dense {
	j := make([]float64, n*n)
	for a := range n {
		for b := range n {
			if a != b {
				j[a*n+b] = 1
			}
		}
	}
	return models.NewDense(n, j, nil)
}

// TestMetropolisTieRule checks the traps that Typewriter Metropolis had when it
// accepted every ΔE = 0 flip, and that the tie rule (ΔE = 0 accepted with probability
// TieAcceptance = 15/16 in Typewriter order) frees the chain from them in both orders:
//   - the Curie–Weiss model with 3 spins, from (+,−,+): every move of a typewriter sweep
//     had ΔE = 0, so the chain cycled through the six states with E = +1 and never
//     reached the ground states (Hopfield models with few patterns split into such
//     models);
//   - the diagonal staircase domain wall on the L×L torus (s = +1 for x ≤ y), which
//     every typewriter sweep moved by forced ΔE = 0 flips and never let go, at any T;
//   - rings, where forced ΔE = 0 flips drag domain walls along the sweep.
func TestMetropolisTieRule(t *testing.T) {
	m := curieWeiss(3)
	for _, o := range orders {
		c := NewChainFrom(m, []int8{1, -1, 1}, NewStream(1, PurposeChain, 0, 0))
		mh := NewMetropolis(m, 0.5, o)
		minE := c.E
		for range 1000 {
			mh.Sweep(c)
			minE = min(minE, c.E)
		}
		if minE == 1 {
			t.Errorf("%v: trapped at E = +1 for 1000 sweeps", mh)
		}
	}
	for _, l := range []int{4, 5, 8, 16} {
		sq := models.NewIsing(models.Square(l), 1, 0)
		s := make([]int8, l*l)
		for i := range s {
			s[i] = -1
			if i%l <= i/l {
				s[i] = 1
			}
		}
		c := NewChainFrom(sq, s, NewStream(2, PurposeChain, 0, 0))
		e0 := c.E
		mh := NewMetropolis(sq, 1/1.5, Typewriter)
		left := false
		for range 100 {
			mh.Sweep(c)
			left = left || c.E != e0
		}
		if !left {
			t.Errorf("L = %d: the staircase domain wall kept its energy %v for 100 typewriter sweeps", l, e0)
		}
	}
}

// balanceModels are models with N ≤ 4 for the exact balance test.
func balanceModels() []models.Model {
	sk := models.NewSK(4, 0.5, models.Gaussian, disorder(11))
	h := []float64{0.3, -0.7, 0.2, 1.1}
	skh := models.NewDense(4, sk.J, h)
	return []models.Model{
		models.NewIsing(models.Square(2), 1, 1),
		models.NewIsing(models.Square(2), -1, 0.3),
		models.NewEA(models.Square(2), models.PlusMinus, disorder(12)),
		models.NewEA(models.Square(2), models.Gaussian, disorder(13)),
		skh,
		generic{skh},
		curieWeiss(3),
	}
}

// TestLocalBalance checks exactly that every single-site update, a typewriter sweep and
// a random-site update leave the Boltzmann distribution invariant: πP = π to 1e-12,
// with the flip probabilities of the kernels' own thresholds.
func TestLocalBalance(t *testing.T) {
	const beta = 0.7
	for _, ls := range localSamplers {
		for _, m := range balanceModels() {
			mv := ls.make(m, beta, Typewriter)
			n := m.N()
			ns := 1 << n
			states := make([][]int8, ns)
			pi := make([]float64, ns)
			var z float64
			for k := range ns {
				s := make([]int8, n)
				for i := range s {
					s[i] = int8(2*(k>>i&1)) - 1
				}
				states[k] = s
				pi[k] = math.Exp(-beta * m.Energy(s))
				z += pi[k]
			}
			for k := range pi {
				pi[k] /= z
			}
			// step applies the update of site i to the distribution p.
			step := func(p []float64, i int) []float64 {
				q := make([]float64, ns)
				for k, s := range states {
					a := ls.flip(mv, m, s, i)
					q[k] += p[k] * (1 - a)
					q[k^1<<i] += p[k] * a
				}
				return q
			}
			check := func(what string, q []float64) {
				t.Helper()
				for k := range q {
					if d := math.Abs(q[k] - pi[k]); d > 1e-12 {
						t.Errorf("%v: %s: (πP)(%v) - π = %g", mv, what, states[k], d)
						return
					}
				}
			}
			sweep := pi
			random := make([]float64, ns)
			for i := range n {
				check("site "+string(rune('0'+i)), step(pi, i))
				sweep = step(sweep, i)
				for k, v := range step(pi, i) {
					random[k] += v / float64(n)
				}
			}
			check("typewriter sweep", sweep)
			check("random site", random)
		}
	}
}

// fastPathModels are models whose concrete kernels must agree bit for bit with the
// generic path: every kernel (integer CSR, square and cubic lattices, uniform or not,
// float Sparse, Dense) is reached by some of them.
func fastPathModels() []models.Model {
	ms := []models.Model{
		models.NewIsing(models.Square(3), 1, 0),
		models.NewIsing(models.Square(5), 2, 0),
		models.NewIsing(models.Square(6), -1, 0),
		models.NewIsing(models.Square(4), 1, 1),
		models.NewIsing(models.Square(2), 1, 0),
		models.NewIsing(models.Cubic(3), 1, 0),
		models.NewIsing(models.Cubic(4), 1, -2),
		models.NewIsing(models.Lattice{Dim: 1, L: 9}, 1, 0),
		models.NewIsing(models.Square(4), 1, 0.25),
		models.NewEA(models.Square(5), models.PlusMinus, disorder(21)),
		models.NewEA(models.Cubic(3), models.PlusMinus, disorder(22)),
		models.NewEA(models.Square(4), models.Gaussian, disorder(23)),
		models.NewSK(16, 0, models.Gaussian, disorder(24)),
		models.NewSK(16, 0, models.PlusMinus, disorder(25)),
		models.NewHopfield(models.RandomPatterns(3, 16, disorder(26))),
	}
	for _, sm := range smallModels() {
		if _, ok := sm.m.(generic); !ok {
			ms = append(ms, sm.m)
		}
	}
	return ms
}

// TestLocalFastPath requires bit-identical chains from the concrete and generic paths.
func TestLocalFastPath(t *testing.T) {
	for _, ls := range localSamplers {
		for _, o := range orders {
			for _, m := range fastPathModels() {
				for _, beta := range []float64{0.2, 0.45, 1.3} {
					modeltest.FastPath(t, m, func(mm models.Model, seed uint64) []int8 {
						c := NewChain(mm, NewStream(seed, PurposeChain, 0, 0))
						mv := ls.make(mm, beta, o)
						for range 20 {
							mv.Sweep(c)
						}
						return c.S
					})
				}
			}
		}
	}
}

// TestLocalEnergyDrift checks that the incrementally kept energy stays equal to the
// recomputed one after many sweeps, for float and integer couplings.
func TestLocalEnergyDrift(t *testing.T) {
	ms := []models.Model{
		models.NewEA(models.Square(16), models.Gaussian, disorder(31)),
		models.NewSK(64, 0.5, models.Gaussian, disorder(32)),
		models.NewIsing(models.Cubic(5), 1, 0.37),
		models.NewIsing(models.Square(16), 1, 0),
	}
	for _, ls := range localSamplers {
		for _, o := range orders {
			for _, m := range ms {
				c := NewChain(m, NewStream(3, PurposeChain, 0, 0))
				mv := ls.make(m, 0.8, o)
				for range 2000 {
					mv.Sweep(c)
				}
				e := m.Energy(c.S)
				if math.Abs(c.E-e) > 1e-9*math.Max(1, math.Abs(e)) {
					t.Errorf("%v: after 2000 sweeps E = %.15g; Energy(S) = %.15g", mv, c.E, e)
				}
			}
		}
	}
}

// TestLocalAllocs requires sweeps to allocate nothing.
func TestLocalAllocs(t *testing.T) {
	for _, ls := range localSamplers {
		for _, o := range orders {
			for _, m := range fastPathModels()[:15] {
				c := NewChain(m, NewStream(3, PurposeChain, 0, 0))
				mv := ls.make(m, 0.4, o)
				if a := testing.AllocsPerRun(20, func() { mv.Sweep(c) }); a != 0 {
					t.Errorf("%v: %v allocations per sweep; want 0", mv, a)
				}
			}
		}
	}
}

// TestLocalCounters checks Proposed and Accepted, and that a heat bath at β = 0 sets
// spins independently with probability 1/2 (acceptance 1/2). Typewriter Metropolis at
// β = 0 accepts every flip but those with ΔE = 0, which it accepts with probability
// TieAcceptance = 15/16; with uniformly random neighbours, ΔE = 0 (two of four agree)
// has probability 6/16, so the acceptance is 1 − (6/16)(1/16).
func TestLocalCounters(t *testing.T) {
	m := models.NewIsing(models.Square(8), 1, 0)
	for _, ls := range localSamplers {
		c := NewChain(m, NewStream(5, PurposeChain, 0, 0))
		mv := ls.make(m, 0, Typewriter)
		for range 100 {
			mv.Sweep(c)
		}
		want := 1 - 6.0/16*(1-TieAcceptance)
		if ls.name == "heatbath" {
			want = 0.5
		}
		if c.Proposed != 6400 || math.Abs(c.Acceptance()-want) > 0.03 {
			t.Errorf("%v at β = 0: Proposed = %d, acceptance %.3f; want 6400, %.2f", mv, c.Proposed, c.Acceptance(), want)
		}
	}
}

// TestLocalBetaChange checks that changing Beta (or Model) between sweeps rebuilds the
// tables: the chain continues exactly as a sampler built for the new values would.
func TestLocalBetaChange(t *testing.T) {
	m := models.NewIsing(models.Square(6), 1, 0)
	m2 := models.NewEA(models.Square(6), models.PlusMinus, disorder(41))
	for _, ls := range localSamplers {
		a := NewChain(m, NewStream(6, PurposeChain, 0, 0))
		b := NewChain(m, NewStream(6, PurposeChain, 0, 0))
		mv := ls.make(m, 0.2, Typewriter)
		mv.Sweep(a)
		ls.make(m, 0.2, Typewriter).Sweep(b)
		switch v := mv.(type) {
		case *Metropolis:
			v.Beta, v.Model = 0.9, m2
		case *HeatBath:
			v.Beta, v.Model = 0.9, m2
		}
		fresh := ls.make(m2, 0.9, Typewriter)
		for range 10 {
			mv.Sweep(a)
			fresh.Sweep(b)
		}
		if string(int8sToBytes(a.S)) != string(int8sToBytes(b.S)) || a.E != b.E {
			t.Errorf("%s: after changing Beta and Model the chain differs from a fresh sampler's", ls.name)
		}
	}
}

func int8sToBytes(s []int8) []byte {
	b := make([]byte, len(s))
	for i, v := range s {
		b[i] = byte(v)
	}
	return b
}

// TestLocalPanics checks the programmer errors.
func TestLocalPanics(t *testing.T) {
	m := models.NewIsing(models.Square(4), 1, 0)
	for _, ls := range localSamplers {
		mustPanic(t, ls.name+" with nil model", func() { ls.make(nil, 1, Typewriter) })
		mustPanic(t, ls.name+" with β < 0", func() { ls.make(m, -1, Typewriter) })
		mustPanic(t, ls.name+" with β = NaN", func() { ls.make(m, math.NaN(), Typewriter) })
		mustPanic(t, ls.name+" with a bad order", func() { ls.make(m, 1, Order(7)) })
		mv := ls.make(m, 1, Typewriter)
		mustPanic(t, ls.name+" on a chain of another size", func() {
			mv.Sweep(NewChain(models.NewIsing(models.Square(3), 1, 0), NewStream(1, PurposeChain, 0, 0)))
		})
		mustPanic(t, ls.name+" on a chain without source", func() { mv.Sweep(&Chain{S: make([]int8, 16)}) })
	}
}

func TestLocalString(t *testing.T) {
	m := models.NewIsing(models.Square(16), 1, 0)
	for _, tt := range []struct {
		mv   Sweeper
		want string
	}{
		{NewMetropolis(m, 0.44, Typewriter), "metropolis β=0.44 typewriter on ising square:16 (N=256, bonds=512)"},
		{NewHeatBath(m, 0.5, RandomSite), "heatbath β=0.5 random on ising square:16 (N=256, bonds=512)"},
	} {
		if got := tt.mv.(interface{ String() string }).String(); got != tt.want {
			t.Errorf("String() = %q; want %q", got, tt.want)
		}
	}
	if s := NewMetropolis(generic{m}, 1, Typewriter).String(); !strings.HasPrefix(s, "metropolis β=1 typewriter on ") {
		t.Errorf("String() = %q", s)
	}
}

// TestLocalConcurrent sweeps two chains concurrently with one sampler from the
// constructor (run with -race) and requires the same result as sweeping them in turn.
func TestLocalConcurrent(t *testing.T) {
	for _, m := range []models.Model{models.NewIsing(models.Square(12), 1, 0), models.NewEA(models.Square(12), models.PlusMinus, disorder(61))} {
		for _, ls := range localSamplers {
			mv := ls.make(m, 0.5, Typewriter)
			run := func(c *Chain) {
				for range 50 {
					mv.Sweep(c)
				}
			}
			var seq, par [2]*Chain
			for k := range seq {
				seq[k] = NewChain(m, NewStream(9, PurposeChain, 0, k))
				par[k] = NewChain(m, NewStream(9, PurposeChain, 0, k))
				run(seq[k])
			}
			done := make(chan struct{})
			for k := range par {
				go func() { run(par[k]); done <- struct{}{} }()
			}
			<-done
			<-done
			for k := range seq {
				if string(int8sToBytes(seq[k].S)) != string(int8sToBytes(par[k].S)) || seq[k].E != par[k].E {
					t.Errorf("%v: concurrent sweeps differ from sequential ones", mv)
				}
			}
		}
	}
}
