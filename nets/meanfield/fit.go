package meanfield

import (
	"fmt"
	"math"
)

// Fit is an exponential fit ȳ(l) ≈ A e^{Rate·l} of the mean over nets of a measured
// series, over the layers From … To.
type Fit struct {
	From, To int
	// Rate is the slope of ln ȳ per layer; Scale = −1/Rate is the decay length in
	// layers (negative for growth). Errors are jackknife errors over nets.
	Rate, Scale Stat
}

// String returns the rate and the decay length.
func (f Fit) String() string {
	return fmt.Sprintf("rate %v per layer, decay length %v (layers %d–%d)", f.Rate, f.Scale, f.From, f.To)
}

// FitExp fits ln ȳ(l) = a + r·l by least squares over l = from … to, where ȳ(l) is
// the mean over nets of y[m][l]; the errors of r and −1/r are delete-one jackknife
// errors over nets (Efron 1982), which account for the correlations between layers.
// Every ȳ(l) in the window, for every jackknife sample, must be positive.
func FitExp(y [][]float64, from, to int) (Fit, error) {
	return FitExpMean([][][]float64{y}, from, to)
}

// FitExpMean fits each series set ys[s] (ys[s][m][l], the same nets m in every set) as
// FitExp does and returns the mean of their rates, with jackknife errors that delete
// net m from every set at once. Averaging the rates of deviations that start above
// and below a fixed point cancels the first-order nonlinear transient.
func FitExpMean(ys [][][]float64, from, to int) (Fit, error) {
	f := Fit{From: from, To: to}
	if len(ys) == 0 {
		return f, fmt.Errorf("fit: no series")
	}
	M := len(ys[0])
	if M < 2 {
		return f, fmt.Errorf("fit: %d nets, want at least 2", M)
	}
	if from < 0 || to <= from || to >= len(ys[0][0]) {
		return f, fmt.Errorf("fit: layers %d–%d outside 0–%d or fewer than 2", from, to, len(ys[0][0])-1)
	}
	sums := make([][]float64, len(ys))
	for s, y := range ys {
		if len(y) != M {
			return f, fmt.Errorf("fit: series set %d has %d nets, set 0 has %d", s, len(y), M)
		}
		sums[s] = make([]float64, to-from+1)
		for _, ym := range y {
			if len(ym) <= to {
				return f, fmt.Errorf("fit: a series has %d layers, want %d", len(ym), to+1)
			}
			for l := from; l <= to; l++ {
				sums[s][l-from] += ym[l]
			}
		}
	}
	mean := make([]float64, to-from+1)
	slope := func(s, skip int) (float64, error) {
		cnt := float64(M)
		if skip >= 0 {
			cnt--
		}
		for i := range mean {
			v := sums[s][i]
			if skip >= 0 {
				v -= ys[s][skip][from+i]
			}
			mean[i] = v / cnt
			if !(mean[i] > 0) {
				return math.NaN(), fmt.Errorf("fit: mean %g ≤ 0 at layer %d", mean[i], from+i)
			}
		}
		var sx, sy, sxx, sxy float64
		for i, v := range mean {
			x, ly := float64(from+i), math.Log(v)
			sx, sy, sxx, sxy = sx+x, sy+ly, sxx+x*x, sxy+x*ly
		}
		n := float64(len(mean))
		return (n*sxy - sx*sy) / (n*sxx - sx*sx), nil
	}
	rate := func(skip int) (float64, error) {
		r := 0.0
		for s := range ys {
			v, err := slope(s, skip)
			if err != nil {
				return math.NaN(), err
			}
			r += v
		}
		return r / float64(len(ys)), nil
	}
	r, err := rate(-1)
	if err != nil {
		return f, err
	}
	var jr, js []float64
	for m := 0; m < M; m++ {
		ri, err := rate(m)
		if err != nil {
			return f, err
		}
		jr, js = append(jr, ri), append(js, -1/ri)
	}
	f.Rate = Stat{r, jackErr(jr)}
	f.Scale = Stat{-1 / r, jackErr(js)}
	return f, nil
}

// jackErr returns the jackknife error √((M−1)/M Σ (x_i − x̄)²) of delete-one estimates.
func jackErr(x []float64) float64 {
	m := 0.0
	for _, v := range x {
		m += v
	}
	m /= float64(len(x))
	s := 0.0
	for _, v := range x {
		s += (v - m) * (v - m)
	}
	return math.Sqrt(s * float64(len(x)-1) / float64(len(x)))
}
