package learn

import (
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler/rbmsample"
)

// monitor measures an RBM during training.
type monitor struct {
	r     *models.RBM
	data  [][]float64
	opts  Options
	every int
	x, y  []float64 // scratch: hidden and visible
}

func newMonitor(r *models.RBM, data [][]float64, opts Options) *monitor {
	m := &monitor{r: r, data: data, opts: opts, every: opts.Monitor.Every,
		x: make([]float64, r.NH()), y: make([]float64, r.NV())}
	if m.every == 0 {
		m.every = 1
	}
	return m
}

// due reports whether epoch e (0-based) is measured.
func (m *monitor) due(e int) bool {
	mo := m.opts.Monitor
	if !mo.LogLik && !mo.Recon && !mo.PseudoLL {
		return false
	}
	if e == m.opts.Epochs-1 {
		return true
	}
	return m.every > 0 && (e+1)%m.every == 0
}

func (m *monitor) rows() [][]float64 {
	n := m.opts.Monitor.MaxRows
	if n <= 0 {
		n = 1000
	}
	return m.data[:min(n, len(m.data))]
}

func (m *monitor) measure(epoch int, lr float64) Epoch {
	ep := nanEpoch(epoch, lr)
	mo := m.opts.Monitor
	if mo.LogLik {
		ll := LogLikelihood(m.r, m.data, mo.AISChains, mo.AISSteps, m.opts.Seed+uint64(epoch))
		ep.LogLik, ep.LogLikExact, ep.LogZ, ep.LogZErr = ll.PerSample, ll.Exact, ll.LogZ, ll.LogZErr
	}
	if mo.Recon {
		ep.Recon = ReconError(m.r, m.rows())
	}
	if mo.PseudoLL {
		ep.PseudoLL = PseudoLikelihood(m.r, m.rows())
	}
	return ep
}

// LogLik is a mean log-likelihood per sample with the ln Z it used.
type LogLik struct {
	PerSample float64 `json:"per_sample"`
	Exact     bool    `json:"exact"`
	LogZ      float64 `json:"logz"`
	LogZErr   float64 `json:"logz_err"` // AIS standard error of ln Z; 0 if exact
}

// String returns "-3.9512 (exact)" or "-85.12 (AIS, ln Z ± 0.05)".
func (l LogLik) String() string {
	if l.Exact {
		return formatFloat(l.PerSample) + " (exact)"
	}
	return formatFloat(l.PerSample) + " (AIS, ln Z ± " + formatFloat(l.LogZErr) + ")"
}

// LogLikelihood returns the mean log-likelihood per sample of data under r: exact when
// the smaller layer has at most [MaxExactMonitor] units, else with ln Z estimated by
// AIS ([rbmsample.AIS] with a base-rate model from data, chains runs — 0 means 100 —
// and steps intermediate distributions — 0 means 1000 — in Salakhutdinov & Murray's
// proportions 1:4:10, streams from seed). AIS underestimates ln Z, so the AIS value
// tends to overestimate the log-likelihood.
func LogLikelihood(r *models.RBM, data [][]float64, chains, steps int, seed uint64) LogLik {
	if min(r.NV(), r.NH()) <= MaxExactMonitor {
		lz, err := r.LogZ()
		if err == nil {
			return LogLik{PerSample: -MeanFreeEnergy(r, data) - lz, Exact: true, LogZ: lz}
		}
	}
	res := rbmsample.AIS(r, rbmsample.AISOptions{Betas: AISSchedule(steps), Chains: chains, Seed: seed, Data: data})
	return LogLik{PerSample: -MeanFreeEnergy(r, data) - res.LogZ, LogZ: res.LogZ, LogZErr: res.Err}
}

// MeanFreeEnergy returns (1/D) Σ_d F(v_d) of data under r, the same as averaging
// [models.RBM.FreeEnergy], with the hidden inputs of blocks of 256 rows computed by one
// matrix product each. It returns NaN for empty data.
func MeanFreeEnergy(r *models.RBM, data [][]float64) float64 {
	if len(data) == 0 {
		return math.NaN()
	}
	nv, nh := r.NV(), r.NH()
	const block = 256
	n := min(block, len(data))
	v, x := mat.NewDense(n, nv, nil), mat.NewDense(n, nh, nil)
	f := 0.0
	for start := 0; start < len(data); start += block {
		rows := data[start:min(start+block, len(data))]
		vb, xb := v.Slice(0, len(rows), 0, nv).(*mat.Dense), x.Slice(0, len(rows), 0, nh).(*mat.Dense)
		for d, row := range rows {
			vb.SetRow(d, row)
			for i, vi := range row {
				f -= r.A[i] * vi
			}
		}
		xb.Mul(vb, r.W)
		for d := range rows {
			for j, xj := range xb.RawRowView(d) {
				f -= models.Softplus(xj + r.B[j])
			}
		}
	}
	return f / float64(len(data))
}

// AISSchedule returns an AIS schedule ([rbmsample.AISBetas]) of steps (0 means 1000) intermediate distributions in
// the proportions 1:4:10 of Salakhutdinov & Murray's 1000:4000:10000.
func AISSchedule(steps int) []float64 {
	if steps <= 0 {
		steps = 1000
	}
	n1 := max(steps/15, 1)
	n2 := max(4*steps/15, 1)
	return rbmsample.AISBetas(n1, n2, max(steps-n1-n2, 1))
}

// ReconError returns the mean-field reconstruction error per unit,
// (1/D) Σ_d ‖v_d − σ(a + W σ(b + Wᵀv_d))‖²/NV, or NaN for empty data.
func ReconError(r *models.RBM, data [][]float64) float64 {
	if len(data) == 0 {
		return math.NaN()
	}
	x, y := make([]float64, r.NH()), make([]float64, r.NV())
	s := 0.0
	for _, v := range data {
		r.HiddenProbs(x, v)
		r.VisibleProbs(y, x)
		for i, vi := range v {
			s += (vi - y[i]) * (vi - y[i])
		}
	}
	return s / float64(len(data)*r.NV())
}

// PseudoLikelihood returns the mean log pseudo-likelihood per sample,
// (1/D) Σ_d Σ_i ln p(v_di | v_d,−i), each term −softplus(F(v) − F(v with unit i
// flipped)), computed from the hidden inputs in O(NV·NH) per sample. Data must be
// 0/1. It returns NaN for empty data.
func PseudoLikelihood(r *models.RBM, data [][]float64) float64 {
	if len(data) == 0 {
		return math.NaN()
	}
	nh := r.NH()
	x := make([]float64, nh)
	raw := r.W.RawMatrix()
	s := 0.0
	for _, v := range data {
		r.HiddenInput(x, v)
		for i, vi := range v {
			d := 1 - 2*vi // change of v_i on flipping
			row := raw.Data[i*raw.Stride : i*raw.Stride+nh]
			// F(v') − F(v) = −a_i d − Σ_j [softplus(x_j + d W_ij) − softplus(x_j)]
			df := -r.A[i] * d
			for j, xj := range x {
				df -= models.Softplus(xj+d*row[j]) - models.Softplus(xj)
			}
			s -= models.Softplus(-df)
		}
	}
	return s / float64(len(data))
}
