package figures

import (
	"context"
	"fmt"
	"math"
	"math/bits"

	"github.com/deepglass/deepglass/analysis/plot"
	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
	"github.com/deepglass/deepglass/sampler/packed"
	"github.com/deepglass/deepglass/sim"
)

func paVsPT() Figure {
	return Figure{
		Name:  "pa-vs-pt",
		Paper: "Wang, Machta & Katzgraber, Phys. Rev. E 92, 013303 and 063307 (2015); Machta, Phys. Rev. E 82, 026704 (2010)",
		Description: "3D ±J Edwards–Anderson: population annealing against parallel tempering at equal work (spin updates), " +
			"disorder averages of the lowest energy and of ⟨q²⟩ at T = 0.5 against the number of samples",
		FullTime: "1 min (39 s of CPU; 3 min on a loaded VM)",
		Run:      runPAvsPT,
	}
}

// paRecipe is the recipe of pa-vs-pt, as recorded in NAME.json.
type paRecipe struct {
	Mode       string            `json:"mode"`
	Lattice    string            `json:"lattice"`
	Samples    int               `json:"samples"`
	Seed       uint64            `json:"seed"`
	PA         sampler.PAOptions `json:"pa"`
	PTBetas    []float64         `json:"pt_betas"`
	PTSweeps   []int             `json:"pt_sweeps"` // per sample: equal to PA's spin updates
	PTTherm    []int             `json:"pt_therm"`
	PerSample  []paSampleOutcome `json:"per_sample"`
	WorkPerRun []float64         `json:"spin_updates"`
	Note       string            `json:"note"`
}

// paSampleOutcome is one disorder sample's results.
type paSampleOutcome struct {
	E0PA, E0PT    float64 // lowest energy per spin found
	Q2PA, Q2PAErr float64
	Q2PT, Q2PTErr float64
	RhoT          float64
	PAWarnings    int
}

func runPAvsPT(ctx context.Context, o Options) (*Result, error) {
	l, samples := 6, 32
	popR, pops := 512, 8
	if o.Quick {
		l, samples = 4, 12
		popR, pops = 256, 4
	}
	const tmin = 0.5
	lat := fmt.Sprintf("cubic:%d", l)
	opts := sampler.PAOptions{Betas: []float64{1 / tmin}, R: popR, Populations: pops, Sweeps: 10, Workers: o.Threads}
	ptBetas := sampler.GeometricBetas(tmin, 2.0, 12)
	rec := &paRecipe{Mode: mode(o), Lattice: lat, Samples: samples, Seed: o.seed(), PA: opts, PTBetas: ptBetas,
		Note: "PT: 64 lanes of packed tempering of each sample (independent lanes), as many spin updates as PA; e0 is the lowest energy seen by either; q² of PT pairs lane ℓ with lane ℓ+32 at the coldest temperature"}
	res := &Result{Header: []string{"sample", "e0_pa", "e0_pt", "q2_pa", "q2_pa_err", "q2_pt", "q2_pt_err", "rho_t"}, Config: rec}
	prog := o.newProgress(equalParts(samples)...)
	defer prog.finish()
	for s := range samples {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("pa-vs-pt: %w", err)
		}
		prog.upTo(s)
		inst, err := sim.BuildModel(sim.Config{Model: "ea", Lattice: lat, Bonds: "pm", Seed: o.seed()}, s)
		if err != nil {
			return nil, fmt.Errorf("pa-vs-pt: %w", err)
		}
		p := inst.Model.(*models.Sparse)
		pm, err := packed.NewModel(p)
		if err != nil {
			return nil, fmt.Errorf("pa-vs-pt: %w", err)
		}
		n := float64(pm.N())
		// Population annealing.
		po := opts
		po.Seed, po.Sample = o.seed(), s
		pa, err := packed.NewPopulationAnnealing(pm, po)
		if err != nil {
			return nil, fmt.Errorf("pa-vs-pt: %w", err)
		}
		var work float64
		for !pa.Done() {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("pa-vs-pt: %w", err)
			}
			pa.Step()
			st := pa.State()
			for _, size := range st.Size {
				work += float64(size) * float64(po.Sweeps) * n
			}
		}
		pt := pa.Points()[0]
		out := paSampleOutcome{E0PA: pt.MinEnergy, Q2PA: pt.Q2.Mean, Q2PAErr: pt.Q2.Err, RhoT: pt.RhoT, PAWarnings: len(pt.Warnings)}
		// Parallel tempering with the same number of spin updates: 64 lanes × 12 temperatures.
		total := int(math.Ceil(work / (float64(len(ptBetas)) * packed.Lanes * n)))
		therm := total / 5
		chains := make([]*packed.Chain, len(ptBetas))
		for k := range chains {
			chains[k] = packed.NewChain(pm, sampler.NewStream(o.seed(), sampler.PurposeChain, s, k))
		}
		tpt := packed.NewTempering(pm, ptBetas, packed.IndependentLanes, chains, sampler.NewStream(o.seed(), sampler.PurposeSwap, s, 0))
		cold := len(ptBetas) - 1
		e0 := math.Inf(1)
		var q [packed.Lanes]float64
		rot := &packed.Chain{S: make([]uint64, pm.N())} // the coldest chain with lanes ℓ and ℓ+32 swapped
		var q2 []float64                                // per sweep: mean over the 32 lane pairs
		for sw := range total {
			tpt.Sweep()
			for _, e := range tpt.E[cold] {
				e0 = math.Min(e0, float64(e)/n)
			}
			if sw < therm {
				continue
			}
			c := tpt.Chains[cold]
			for i, w := range c.S {
				rot.S[i] = bits.RotateLeft64(w, packed.Lanes/2)
			}
			c.LaneOverlaps(q[:], rot)
			var sum float64
			for _, x := range q[:packed.Lanes/2] {
				sum += x * x
			}
			q2 = append(q2, sum/(packed.Lanes/2))
		}
		out.E0PT = e0
		out.Q2PT, out.Q2PTErr = batchMean(q2, 20)
		rec.PTSweeps = append(rec.PTSweeps, total)
		rec.PTTherm = append(rec.PTTherm, therm)
		rec.WorkPerRun = append(rec.WorkPerRun, work)
		rec.PerSample = append(rec.PerSample, out)
		res.Rows = append(res.Rows, []float64{float64(s), out.E0PA, out.E0PT, out.Q2PA, out.Q2PAErr, out.Q2PT, out.Q2PTErr, out.RhoT})
	}
	// Disorder averages over the first S samples, S = 1 … samples.
	var S, e0a, e0ae, e0b, e0be, qa, qae, qb, qbe []float64
	for k := 2; k <= samples; k++ {
		var ea, eb, xa, xb []float64
		for _, r := range rec.PerSample[:k] {
			ea, eb, xa, xb = append(ea, r.E0PA), append(eb, r.E0PT), append(xa, r.Q2PA), append(xb, r.Q2PT)
		}
		S = append(S, float64(k))
		m, e := meanErr(ea)
		e0a, e0ae = append(e0a, m), append(e0ae, e)
		m, e = meanErr(eb)
		e0b, e0be = append(e0b, m), append(e0be, e)
		m, e = meanErr(xa)
		qa, qae = append(qa, m), append(qae, e)
		m, e = meanErr(xb)
		qb, qbe = append(qb, m), append(qbe, e)
	}
	res.Figure = &plot.Figure{Panels: []plot.Panel{
		{Title: fmt.Sprintf("3D ±J L = %d: lowest energy", l), XLabel: "disorder samples", YLabel: "[e₀] per spin", LegendBottom: true,
			Series: []plot.Series{{Name: "population annealing", X: S, Y: e0a, YErr: e0ae, Line: true},
				{Name: "parallel tempering", X: S, Y: e0b, YErr: e0be, Line: true}}},
		{Title: fmt.Sprintf("overlap at T = %g", tmin), XLabel: "disorder samples", YLabel: "[⟨q²⟩]", LegendBottom: true,
			Series: []plot.Series{{Name: "population annealing", X: S, Y: qa, YErr: qae, Line: true},
				{Name: "parallel tempering", X: S, Y: qb, YErr: qbe, Line: true}}},
	}}
	// Checks: the paired differences over samples are zero within 4σ.
	var de, dq, dqe []float64
	same := 0
	for _, r := range rec.PerSample {
		de = append(de, r.E0PA-r.E0PT)
		dq = append(dq, r.Q2PA-r.Q2PT)
		dqe = append(dqe, math.Hypot(r.Q2PAErr, r.Q2PTErr))
		if r.E0PA == r.E0PT {
			same++
		}
	}
	md, me := meanErr(de)
	res.Checks = append(res.Checks, zeroCheck("[e₀(PA) − e₀(PT)] = 0 (paired over samples)", md, me))
	mq, mqe := meanErr(dq)
	var thermal float64 // the thermal errors of the per-sample values, for samples that agree exactly
	for _, e := range dqe {
		thermal += e * e
	}
	mqe = math.Max(mqe, math.Sqrt(thermal)/float64(len(dqe)))
	res.Checks = append(res.Checks, zeroCheck("[⟨q²⟩(PA) − ⟨q²⟩(PT)] = 0 (paired over samples)", mq, mqe))
	rec.Note += fmt.Sprintf("; the two found the same lowest energy in %d of %d samples", same, samples)
	return res, nil
}

// meanErr returns the mean of x and its standard error.
func meanErr(x []float64) (mean, err float64) {
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	if len(x) < 2 {
		return mean, math.NaN()
	}
	var v float64
	for _, u := range x {
		v += (u - mean) * (u - mean)
	}
	return mean, math.Sqrt(v / float64(len(x)-1) / float64(len(x)))
}

// batchMean returns the mean of x and its error from nb batch means.
func batchMean(x []float64, nb int) (mean, err float64) {
	bl := len(x) / nb
	if bl < 1 {
		return meanErr(x)
	}
	means := make([]float64, nb)
	for b := range nb {
		for _, v := range x[b*bl : (b+1)*bl] {
			means[b] += v / float64(bl)
		}
	}
	m, e := meanErr(means)
	return m, e
}

// zeroCheck checks that got ± err is 0 within 4σ (an exact 0 with no spread passes).
func zeroCheck(name string, got, err float64) Check {
	ok := got == 0 || err > 0 && math.Abs(got) < 4*err
	return Check{Name: name, Want: 0, Got: got, Err: err, OK: ok}
}
