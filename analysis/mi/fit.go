package mi

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Fit is a weighted least-squares fit of I(d) over DMin ≤ d ≤ DMax, minimizing
//
//	χ² = Σ_d (I(d) − m(d))² / err(d)²
//
// with a power law m = A·d^Exponent ("power") or an exponential m = A·d^{−Prefactor}·
// e^{Exponent·d} ("exponential", Length = −1/Exponent, the decay length of I).
// Fitting I itself, not log I, keeps the points that noise has pushed to or below zero
// (as at large d) in the fit with their true weight. ExponentErr and LengthErr are
// jackknife errors: the fit is repeated on each leave-one-block-out replica of I(d),
// so they include the correlations between distances, which χ² (using the diagonal
// errors only) ignores; Chi2, Dof and PValue are therefore indicative.
type Fit struct {
	Model       string  `json:"model"`
	Exponent    float64 `json:"exponent"`
	ExponentErr float64 `json:"exponent_err"`
	Length      float64 `json:"length,omitempty"`
	LengthErr   float64 `json:"length_err,omitempty"`
	Prefactor   float64 `json:"prefactor_power,omitempty"`
	Amplitude   float64 `json:"amplitude"`
	DMin        int     `json:"dmin"`
	DMax        int     `json:"dmax"`
	Points      int     `json:"points"`
	Chi2        float64 `json:"chi2"`
	Dof         int     `json:"dof"`
	PValue      float64 `json:"p_value"`
	AIC         float64 `json:"aic"`
}

// String returns the fit in one line.
func (f Fit) String() string {
	switch f.Model {
	case "power":
		return fmt.Sprintf("power law I ∝ d^(%.4f ± %.4f) over d = %d…%d, χ²/dof = %.3g/%d", f.Exponent, f.ExponentErr, f.DMin, f.DMax, f.Chi2, f.Dof)
	case "exponential":
		pre := ""
		if f.Prefactor != 0 {
			pre = fmt.Sprintf("d^-%g·", f.Prefactor)
		}
		return fmt.Sprintf("exponential I ∝ %se^(−d/%.4g ± %.2g) over d = %d…%d, χ²/dof = %.3g/%d", pre, f.Length, f.LengthErr, f.DMin, f.DMax, f.Chi2, f.Dof)
	}
	return "no fit"
}

// Eval returns the fitted model at d.
func (f Fit) Eval(d float64) float64 {
	if f.Model == "power" {
		return f.Amplitude * math.Pow(d, f.Exponent)
	}
	return f.Amplitude * math.Pow(d, -f.Prefactor) * math.Exp(f.Exponent*d)
}

// Comparison is a power-law fit and an exponential fit over the same points, and
// the Akaike criterion between them (both have two parameters, so ΔAIC = Δχ²).
type Comparison struct {
	Power       Fit `json:"power"`
	Exponential Fit `json:"exponential"`
	// DeltaAIC = AIC(exponential) − AIC(power): positive favours the power law.
	DeltaAIC float64 `json:"delta_aic"`
	// Preferred is "power" or "exponential" when |ΔAIC| > 10 (the other model then
	// has essentially no support: Burnham & Anderson 2002, §2.6), else "neither".
	Preferred string `json:"preferred"`
}

// String returns both fits and the verdict.
func (c Comparison) String() string {
	return fmt.Sprintf("%v; %v; ΔAIC = %.4g: %s", c.Power, c.Exponential, c.DeltaAIC, c.Preferred)
}

// Best returns the preferred fit (the power law when neither is).
func (c Comparison) Best() Fit {
	if c.Preferred == "exponential" {
		return c.Exponential
	}
	return c.Power
}

// Compare fits a power law and an exponential (without prefactor) to r over
// dmin ≤ d ≤ dmax and compares them.
func Compare(r *Result, dmin, dmax int) (Comparison, error) {
	p, err := FitPower(r, dmin, dmax)
	if err != nil {
		return Comparison{}, err
	}
	e, err := FitExponential(r, dmin, dmax, 0)
	if err != nil {
		return Comparison{}, err
	}
	c := Comparison{Power: p, Exponential: e, DeltaAIC: e.AIC - p.AIC, Preferred: "neither"}
	switch {
	case c.DeltaAIC > 10:
		c.Preferred = "power"
	case c.DeltaAIC < -10:
		c.Preferred = "exponential"
	}
	return c, nil
}

// FitPower fits I = A·d^b over dmin ≤ d ≤ dmax.
func FitPower(r *Result, dmin, dmax int) (Fit, error) {
	return fitModel(r, dmin, dmax, true, 0)
}

// FitExponential fits I = A·d^{−p}·e^{b·d} over dmin ≤ d ≤ dmax with the power p of
// the prefactor fixed (p = 0: a pure exponential; p = 1 for the spin–spin mutual
// information of the 2D Ising model above T_c, where G ∝ r^{−1/2} e^{−r/ξ} and
// I ≈ G²/(2 ln 2)).
func FitExponential(r *Result, dmin, dmax int, p float64) (Fit, error) {
	return fitModel(r, dmin, dmax, false, p)
}

func fitModel(r *Result, dmin, dmax int, power bool, pre float64) (Fit, error) {
	f := Fit{Model: "exponential", DMin: dmin, DMax: dmax, Prefactor: pre}
	if power {
		f.Model, f.Prefactor = "power", 0
	}
	var idx []int
	for i, d := range r.D {
		if d >= dmin && d <= dmax && r.Err[i] > 0 && !math.IsNaN(r.I[i]) {
			idx = append(idx, i)
		}
	}
	if len(idx) < 3 {
		return f, fmt.Errorf("mi: %d points with errors in d = %d…%d: need 3 to fit", len(idx), dmin, dmax)
	}
	x := make([]float64, len(idx)) // ln d or d
	off := make([]float64, len(idx))
	w := make([]float64, len(idx))
	y := make([]float64, len(idx))
	for j, i := range idx {
		d := float64(r.D[i])
		x[j] = d
		if power {
			x[j] = math.Log(d)
		}
		off[j] = -pre * math.Log(d)
		w[j] = 1 / (r.Err[i] * r.Err[i])
		y[j] = r.I[i]
	}
	// Exponents searched: b ∈ [−8, 4] for power laws, decay rates 1e-6…20 per unit d.
	lo, hi, logRate := -8.0, 4.0, false
	if !power {
		lo, hi, logRate = math.Log(1e-6), math.Log(20), true
	}
	best, chi2, err := minimizeChi2(x, off, y, w, lo, hi, logRate)
	if err != nil {
		return f, fmt.Errorf("mi: %s fit over d = %d…%d: %w", f.Model, dmin, dmax, err)
	}
	f.Amplitude, f.Exponent = math.Exp(best[0]), best[1]
	f.Points, f.Chi2, f.Dof = len(idx), chi2, len(idx)-2
	f.AIC = chi2 + 2*2
	if f.Dof > 0 {
		f.PValue = distuv.ChiSquared{K: float64(f.Dof)}.Survival(chi2)
	}
	// Jackknife over blocks: refit each replica with the same weights.
	g := len(r.Replicas)
	if g >= 2 {
		bs := make([]float64, g)
		yk := make([]float64, len(idx))
		for k, rep := range r.Replicas {
			for j, i := range idx {
				yk[j] = rep[i]
			}
			bk, _, err := minimizeChi2(x, off, yk, w, lo, hi, logRate)
			if err != nil {
				return f, fmt.Errorf("mi: %s fit of jackknife replica %d: %w", f.Model, k, err)
			}
			bs[k] = bk[1]
		}
		f.ExponentErr = jackErr(bs)
		if !power {
			ls := make([]float64, g)
			for k, b := range bs {
				ls[k] = -1 / b
			}
			f.LengthErr = jackErr(ls)
		}
	}
	if !power {
		f.Length = -1 / f.Exponent
	}
	return f, nil
}

// jackErr returns sqrt((g−1)/g Σ (v − v̄)²).
func jackErr(v []float64) float64 {
	var m float64
	for _, x := range v {
		m += x
	}
	m /= float64(len(v))
	var s float64
	for _, x := range v {
		s += (x - m) * (x - m)
	}
	return math.Sqrt(float64(len(v)-1) / float64(len(v)) * s)
}

// minimizeChi2 minimizes Σ_j w_j (y_j − A·exp(b·x_j + off_j))² over A ≥ 0 and b in
// [lo, hi] and returns (ln A, b) and the minimum. For fixed b the best A is linear,
// so χ² is profiled over A and minimized over b on a grid (uniform in b, or in ln(−b)
// when logRate is set) refined by golden-section search: no starting guess, no local
// minimum away from the grid's best cell.
func minimizeChi2(x, off, y, w []float64, lo, hi float64, logRate bool) ([]float64, float64, error) {
	x0 := 0.0 // centre x so that exp never overflows
	for _, v := range x {
		x0 += v / float64(len(x))
	}
	prof := func(b float64) (float64, float64) { // χ², A at x0
		var swyf, swff, swyy float64
		for j := range x {
			f := math.Exp(b*(x[j]-x0) + off[j])
			swyf += w[j] * y[j] * f
			swff += w[j] * f * f
			swyy += w[j] * y[j] * y[j]
		}
		if swff == 0 || math.IsInf(swff, 0) || math.IsNaN(swff) {
			return math.Inf(1), 0
		}
		a := max(swyf/swff, 0)
		return swyy - 2*a*swyf + a*a*swff, a
	}
	toB := func(u float64) float64 {
		if logRate {
			return -math.Exp(u)
		}
		return u
	}
	const n = 400
	best, bestU := math.Inf(1), 0.0
	us := make([]float64, n+1)
	for i := range us {
		us[i] = lo + (hi-lo)*float64(i)/n
		if c, _ := prof(toB(us[i])); c < best {
			best, bestU = c, us[i]
		}
	}
	if math.IsInf(best, 1) {
		return nil, 0, errors.New("no finite χ² on the grid")
	}
	a, b := max(lo, bestU-(hi-lo)/n), min(hi, bestU+(hi-lo)/n)
	g := (math.Sqrt(5) - 1) / 2
	c, d := b-g*(b-a), a+g*(b-a)
	fc, _ := prof(toB(c))
	fd, _ := prof(toB(d))
	for range 100 {
		if fc < fd {
			b, d, fd = d, c, fc
			c = b - g*(b-a)
			fc, _ = prof(toB(c))
		} else {
			a, c, fc = c, d, fd
			d = a + g*(b-a)
			fd, _ = prof(toB(d))
		}
	}
	u := (a + b) / 2
	if u-lo < (hi-lo)/n || hi-u < (hi-lo)/n {
		return nil, 0, fmt.Errorf("best exponent %.3g at the edge of the search range", toB(u))
	}
	chi2, amp := prof(toB(u))
	if amp <= 0 {
		return nil, 0, errors.New("no positive amplitude fits the points")
	}
	bb := toB(u)
	return []float64{math.Log(amp) - bb*x0, bb}, chi2, nil
}
