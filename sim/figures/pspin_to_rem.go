package figures

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/deepglass/deepglass/analysis/plot"
	"github.com/deepglass/deepglass/landscape"
	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
)

func pspinToREM() Figure {
	return Figure{
		Name:        "pspin-to-rem",
		Paper:       "Derrida, Phys. Rev. B 24, 2613 (1981); Gross & Mézard, Nucl. Phys. B 240, 431 (1984)",
		Description: "Ising p-spin glasses become the random energy model as p grows: ground-state energy and specific-heat peak by exact enumeration against the REM's",
		FullTime:    "3 min",
		Run:         runPSpinToREM,
	}
}

// pspinRecipe is the recipe of pspin-to-rem, as recorded in NAME.json.
type pspinRecipe struct {
	Mode      string    `json:"mode"`
	Sizes     []int     `json:"sizes"`
	Ps        []int     `json:"p"`
	Instances []int     `json:"instances"`
	Temps     []float64 `json:"temperatures"`
	Seed      uint64    `json:"seed"`
	Note      string    `json:"note"`
}

// pspinREM is the p of the REM in the figure's rows.
const pspinREM = 0

// pspinScale returns J_eff/J = √(N!/((N−p)! N^p)): the energies of the dense Ising
// p-spin model have variance N J_eff²/2, which tends to N J²/2 for fixed p as N → ∞
// (1 for the REM).
func pspinScale(n, p int) float64 {
	if p == pspinREM {
		return 1
	}
	f := 1.0
	for k := range p {
		f *= float64(n-k) / float64(n)
	}
	return math.Sqrt(f)
}

// funnelThermo returns the lowest energy of the energies e (of n spins) and the
// specific heat per spin at the temperatures ts.
func funnelThermo(e []float64, n int, ts []float64) (e0 float64, c []float64) {
	e0 = math.Inf(1)
	for _, x := range e {
		e0 = math.Min(e0, x)
	}
	c = make([]float64, len(ts))
	for k, t := range ts {
		beta := 1 / t
		var z, m1, m2 float64
		for _, x := range e {
			d := x - e0
			w := math.Exp(-beta * d)
			z += w
			m1 += w * d
			m2 += w * d * d
		}
		m1, m2 = m1/z, m2/z
		c[k] = beta * beta * (m2 - m1*m1) / float64(n)
	}
	return e0, c
}

// peak returns the position of the maximum of y(x) on a uniform grid, refined by the
// parabola through the largest point and its neighbours.
func peak(x, y []float64) float64 {
	k := 0
	for i := range y {
		if y[i] > y[k] {
			k = i
		}
	}
	if k == 0 || k == len(y)-1 {
		return x[k]
	}
	a, b, c := y[k-1], y[k], y[k+1]
	d := a - 2*b + c
	if d >= 0 {
		return x[k]
	}
	return x[k] + 0.5*(a-c)/d*(x[1]-x[0])
}

// peakJackknife returns the peak of the mean of the curves cs (one per instance) and
// its jackknife error over 10 blocks of instances.
func peakJackknife(ts []float64, cs [][]float64) (float64, float64) {
	mean := func(skip int, blocks int) []float64 {
		out := make([]float64, len(ts))
		cnt := 0
		for i, c := range cs {
			if blocks > 0 && i%blocks == skip {
				continue
			}
			cnt++
			for k := range c {
				out[k] += c[k]
			}
		}
		for k := range out {
			out[k] /= float64(cnt)
		}
		return out
	}
	full := peak(ts, mean(-1, 0))
	const nb = 10
	var js []float64
	for b := range nb {
		js = append(js, peak(ts, mean(b, nb)))
	}
	var m, v float64
	for _, x := range js {
		m += x
	}
	m /= nb
	for _, x := range js {
		v += (x - m) * (x - m)
	}
	return full, math.Sqrt(v * (nb - 1) / nb)
}

func runPSpinToREM(ctx context.Context, o Options) (*Result, error) {
	sizes := []int{12, 16, 20}
	inst := map[int]int{12: 400, 16: 200, 20: 40}
	if o.Quick {
		sizes = []int{12, 16}
		inst = map[int]int{12: 200, 16: 40}
	}
	ps := []int{2, 3, 4, 5, 6, 7, 8, pspinREM}
	var ts []float64
	for t := 0.4; t <= 1.3+1e-9; t += 0.03 {
		ts = append(ts, t)
	}
	rec := &pspinRecipe{Mode: mode(o), Sizes: sizes, Ps: ps, Temps: ts, Seed: o.seed(),
		Note: "energies in units of J_eff = J√(N!/((N−p)!N^p)), the finite-N energy scale; p = 0 is the REM; instance k of (N, p) from stream (seed, disorder, 1000N + p, k)"}
	res := &Result{Header: []string{"N", "p", "e0", "e0_err", "e0_rem_same_symmetry", "T_peak", "T_peak_err"}, Config: rec}
	e0Panel := plot.Panel{Title: "Ground-state energy", XLabel: "p (REM at p = 10)", YLabel: "e₀ / J_eff per spin", LegendBottom: true}
	cPanel := plot.Panel{Title: fmt.Sprintf("Specific heat, N = %d", sizes[len(sizes)-1]), XLabel: "T / J_eff", YLabel: "[c] per spin",
		VLines: []float64{models.REMCriticalTemperature(1), 1}}
	tPanel := plot.Panel{Title: "Specific-heat peak", XLabel: "p (REM at p = 10)", YLabel: "T_peak / J_eff", LegendBottom: true}
	xOf := func(p int) float64 {
		if p == pspinREM {
			return 10
		}
		return float64(p)
	}
	type stat struct{ e0, e0Err, ref, tp, tpErr float64 }
	all := map[[2]int]stat{}
	prog := o.newProgress(equalParts(len(sizes))...)
	defer prog.finish()
	for si, n := range sizes {
		prog.upTo(si) // the parts before this one are done

		rec.Instances = append(rec.Instances, inst[n])
		var xs, e0s, e0e, refs, tps, tpe []float64
		for _, p := range ps {
			scale := pspinScale(n, p)
			var e0 []float64
			var cs [][]float64
			for k := range inst[n] {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
				rng := rand.New(sampler.NewStream(o.seed(), sampler.PurposeDisorder, 1000*n+p, k))
				var m models.Model
				if p == pspinREM {
					m = models.NewREM(n, 1, rng)
				} else {
					m = models.NewPSpin(n, p, 1, rng)
				}
				e, err := landscape.Energies(ctx, m)
				if err != nil {
					return nil, err
				}
				for i := range e {
					e[i] /= scale
				}
				lo, c := funnelThermo(e, n, ts)
				e0 = append(e0, lo/float64(n))
				cs = append(cs, c)
			}
			me, ee := meanErr(e0)
			// The REM reference of the same symmetry: 2^N levels, or 2^{N−1} ± pairs for
			// even p (E(−s) = E(s)).
			lnM := float64(n) * math.Ln2
			if p != pspinREM && p%2 == 0 {
				lnM -= math.Ln2
			}
			mx, _ := models.NormalMaximum(lnM)
			ref := -mx / math.Sqrt(2*float64(n))
			tp, tpErr := peakJackknife(ts, cs)
			all[[2]int{n, p}] = stat{me, ee, ref, tp, tpErr}
			xs = append(xs, xOf(p))
			e0s, e0e, refs = append(e0s, me), append(e0e, ee), append(refs, ref)
			tps, tpe = append(tps, tp), append(tpe, tpErr)
			res.Rows = append(res.Rows, []float64{float64(n), float64(p), me, ee, ref, tp, tpErr})
			if si == len(sizes)-1 && (p == 2 || p == 3 || p == 5 || p == 7 || p == pspinREM) {
				mean := make([]float64, len(ts))
				for _, c := range cs {
					for k := range c {
						mean[k] += c[k] / float64(len(cs))
					}
				}
				name := fmt.Sprintf("p = %d", p)
				if p == pspinREM {
					name = "REM"
				}
				cPanel.Series = append(cPanel.Series, plot.Series{Name: name, X: ts, Y: mean, Line: true})
			}
		}
		name := fmt.Sprintf("N = %d", n)
		e0Panel.Series = append(e0Panel.Series, plot.Series{Name: name, X: xs, Y: e0s, YErr: e0e})
		e0Panel.Curves = append(e0Panel.Curves, plot.Curve{Name: "REM order statistics, " + name, X: xs, Y: refs, Dashed: true, Color: plot.SeriesColor(si)})
		tPanel.Series = append(tPanel.Series, plot.Series{Name: name, X: xs, Y: tps, YErr: tpe, Line: true})
	}
	e0Panel.Curves = append(e0Panel.Curves, plot.Curve{Name: "REM, N → ∞: −√ln 2", F: func(float64) float64 { return models.REMGroundStateLimit(1) }, XMin: 2, XMax: 10})
	tPanel.Curves = append(tPanel.Curves, plot.Curve{Name: "REM T_c, N → ∞", F: func(float64) float64 { return models.REMCriticalTemperature(1) }, XMin: 2, XMax: 10, Dashed: true})
	res.Figure = &plot.Figure{Title: "Ising p-spin glasses approach the random energy model as p grows (exact enumeration)", Panels: []plot.Panel{e0Panel, cPanel, tPanel}, Cols: 3}
	for _, n := range sizes {
		rem := all[[2]int{n, pspinREM}]
		for _, p := range []int{pspinREM, 7, 8} {
			s := all[[2]int{n, p}]
			z := math.Abs(s.e0-s.ref) / s.e0Err
			name := fmt.Sprintf("N=%d p=%d: |z| of e₀ vs REM order statistics of the same symmetry", n, p)
			if p == pspinREM {
				name = fmt.Sprintf("N=%d REM: |z| of e₀ vs exact order statistics", n)
			}
			res.Checks = append(res.Checks, Check{Name: name, Want: 4, Got: z, OK: z < 4})
		}
		s2 := all[[2]int{n, 2}]
		z2 := math.Abs(s2.e0-s2.ref) / s2.e0Err
		res.Checks = append(res.Checks, Check{Name: fmt.Sprintf("N=%d p=2 (SK) is not REM-like: |z| of e₀ vs REM", n), Want: 4, Got: z2, OK: z2 > 4})
		s7 := all[[2]int{n, 7}]
		z7 := math.Abs(s7.tp-rem.tp) / math.Hypot(s7.tpErr, rem.tpErr)
		res.Checks = append(res.Checks, Check{Name: fmt.Sprintf("N=%d p=7: |z| of T_peak vs the REM's", n), Want: 4, Got: z7, OK: z7 < 4})
	}
	return res, nil
}
