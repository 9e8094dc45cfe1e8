package sim

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Thresholds of the warnings a run reports (see [Warning]).
const (
	// RHatMax is the largest R̂ accepted without a warning. Vehtari et al. (2021)
	// recommend 1.01 for final posterior summaries; deepglass computes R̂ from 256 batch
	// means per half chain, whose own noise stays below 0.01 for chains that mix (the
	// largest of 1200 points of converged tempering runs was 1.009), so it warns above
	// 1.05: chains that disagree by a fraction of their spread.
	RHatMax = 1.05
	// MinTauMultiple is the fewest integrated autocorrelation times of measurements
	// for an error bar to be trusted: binning and Sokal's window need the run to be
	// much longer than τ_int (≥ 50τ; Sokal asks for ~1000τ for τ itself).
	MinTauMultiple = 50
	// MinSwapRate is the lowest acceptance of exchanges between neighbouring
	// temperatures of a tempering ladder that still lets replicas travel.
	MinSwapRate = 0.05
	// ZMax is the largest deviation, in standard errors, from an exact value or an
	// exact identity accepted without a warning.
	ZMax = 4
)

// diagnosePoint sets the warnings of one disorder sample's point p of a system of
// spins spins (0: unknown).
func diagnosePoint(p *Point, spins int) {
	p.Warnings = nil
	T := p.T
	add := func(code, format string, args ...any) {
		p.Warnings = append(p.Warnings, Warning{Code: code, T: &T, Message: fmt.Sprintf(format, args...)})
	}
	e := p.Energy
	rhat := math.NaN()
	for _, cv := range p.Convergence {
		if cv.Observable == "energy" {
			rhat = cv.RHat
		}
	}
	switch {
	case p.Measurements < 2:
	case e.Err == 0:
		switch {
		case p.Exact != nil && zeroVarianceStuck(e.Mean, p, spins):
			add("zero-variance", "the energy was %.10g per spin in every one of %d measurements, but the exact value is %.10g: the chains are stuck (use -sampler pt with a ladder reaching well above this temperature)",
				e.Mean, p.Measurements, p.Exact.Energy)
		case math.IsInf(rhat, 1):
			add("zero-variance", "every chain kept one energy for all %d measurements, but the chains differ: they are frozen in different states (use -sampler pt)", p.Measurements)
		case p.Exact == nil:
			add("zero-variance", "the energy did not change in %d measurements, so its error bar of 0 means nothing: the chain is frozen or stuck (run -replicas 2 to compare chains, or -sampler pt)", p.Measurements)
		}
	case math.IsNaN(e.Tau) || math.IsNaN(e.Err):
		add("no-tau", "too few measurements (%d) to estimate the autocorrelation time and the error bar", p.Measurements)
	case float64(e.N) < MinTauMultiple*e.Tau:
		add("short-run", "%d measurements are only %.0f autocorrelation times (τ_int = %.3g measurements): error bars need ≥ %d τ; measure about %.0f× longer",
			e.N, float64(e.N)/e.Tau, e.Tau, MinTauMultiple, math.Ceil(MinTauMultiple*e.Tau/float64(e.N)))
	}
	for _, cv := range p.Convergence {
		if cv.RHat > RHatMax && !(math.IsInf(cv.RHat, 1) && e.Err == 0) {
			add("rhat", "R̂ of %s across %d chain halves is %.3g > %g: the chains have not converged to one distribution (run longer, or use -sampler pt)",
				strings.ReplaceAll(cv.Observable, "_", " "), 2*cv.Chains, cv.RHat, RHatMax)
		}
	}
	if p.Exact != nil && e.Err > 0 {
		if z := (e.Mean - p.Exact.Energy) / e.Err; math.Abs(z) > ZMax {
			add("exact-mismatch", "the energy %s is %.1fσ from the exact %.8g (%s)", e, z, p.Exact.Energy, p.Exact.Source)
		}
	}
	if p.Exact != nil {
		names := make([]string, 0, len(p.Exact.Observables))
		for name := range p.Exact.Observables {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			want := p.Exact.Observables[name]
			got, ok := p.Observables[name]
			if !ok || !(got.Err > 0) {
				continue
			}
			if z := (got.Mean - want) / got.Err; math.Abs(z) > ZMax {
				add("exact-mismatch", "%s = %s is %.1fσ from the exact %.8g (%s)", name, got, z, want, p.Exact.Source)
			}
		}
	}
	if p.SwapAcceptance != nil && *p.SwapAcceptance < MinSwapRate {
		add("swap-rate", "only %.1f%% of exchanges with the next colder temperature are accepted (< %.0f%%): add temperatures between them or use -ladder feedback",
			100**p.SwapAcceptance, 100*MinSwapRate)
	}
}

// diagnoseAverage sets the warnings of a disorder-average point from its samples'
// points: each sample warning once with the number of samples it came from, and the
// exact identity of the average.
func diagnoseAverage(out *Point, ps []Point) {
	out.Warnings = nil
	byCode := map[string]*Warning{}
	var codes []string
	for _, p := range ps {
		seen := map[string]bool{}
		for _, w := range p.Warnings {
			if seen[w.Code] {
				continue
			}
			seen[w.Code] = true
			if byCode[w.Code] == nil {
				cp := w
				cp.Samples = 0
				byCode[w.Code] = &cp
				codes = append(codes, w.Code)
			}
			byCode[w.Code].Samples++
		}
	}
	T := out.T
	for _, code := range codes {
		w := *byCode[code]
		w.T = &T
		w.Message = fmt.Sprintf("in %d of %d samples, e.g.: %s", w.Samples, len(ps), w.Message)
		out.Warnings = append(out.Warnings, w)
	}
	if id := out.Identity; id != nil && id.Diff.Err > 0 {
		if z := id.Diff.Mean / id.Diff.Err; math.Abs(z) > ZMax {
			out.Warnings = append(out.Warnings, Warning{Code: "identity", T: &T, Message: fmt.Sprintf(
				"the exact identity %s fails by %.1fσ (difference %s): not in equilibrium", id.Name, z, id.Diff)})
		}
	}
	if ex := out.Exact; ex != nil && out.Energy.Err > 0 {
		if z := (out.Energy.Mean - ex.Energy) / out.Energy.Err; math.Abs(z) > ZMax {
			out.Warnings = append(out.Warnings, Warning{Code: "exact-mismatch", T: &T, Message: fmt.Sprintf(
				"the disorder-averaged energy %s is %.1fσ from the exact %.8g (%s)", out.Energy, z, ex.Energy, ex.Source)})
		}
	}
}

// temperingWarnings returns the warnings about the ladders of the samples: a ladder
// on which no replica made a round trip between the coldest and the hottest
// temperature has not equilibrated the cold end.
func temperingWarnings(samples []SampleResult) []Warning {
	none := 0
	for _, s := range samples {
		if s.Tempering != nil && s.Tempering.RoundTrips == 0 {
			none++
		}
	}
	if none == 0 {
		return nil
	}
	msg := "no replica made a round trip between the coldest and the hottest temperature: the low temperatures are not equilibrated (run longer, add temperatures, or use -ladder feedback)"
	if len(samples) > 1 {
		msg = fmt.Sprintf("in %d of %d samples, %s", none, len(samples), msg)
	}
	return []Warning{{Code: "no-round-trip", Message: msg, Samples: none}}
}

// collectWarnings gathers the points' warnings and the run's into the summary.
func collectWarnings(sum *Summary, run []Warning) {
	sum.Warnings = nil
	for _, p := range sum.Points {
		sum.Warnings = append(sum.Warnings, p.Warnings...)
	}
	sum.Warnings = append(sum.Warnings, run...)
	sort.SliceStable(sum.Warnings, func(a, b int) bool {
		ta, tb := sum.Warnings[a].T, sum.Warnings[b].T
		return ta != nil && (tb == nil || *ta < *tb)
	})
}

// FormatWarnings renders the warnings of a summary, one per line, or "" when none.
func FormatWarnings(s *Summary) string {
	if len(s.Warnings) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "warnings (%d): these numbers cannot be trusted as they are\n", len(s.Warnings))
	for _, w := range s.Warnings {
		fmt.Fprintf(&b, "  ! %s\n", w)
	}
	return b.String()
}

// zeroVarianceStuck reports whether a chain that kept the energy mean (per spin) in all
// p.Measurements measurements contradicts the exact thermal averages. Two tests, either
// suffices:
//   - mean is more than ZMax standard errors from the exact ⟨e⟩, the standard error
//     taken from the exact variance of e, var = c T²/N, over the measurements as if
//     independent (the most favourable case for the chain);
//   - the exact variance says the chain must have left mean: with R a bound on
//     |e − mean| (here 2·max(|mean|, |⟨e⟩|, 1), generous for spin models), the
//     equilibrium probability of e ≠ mean is at least var/R², and n·var/R² > ZMax
//     measurements away from mean were expected.
//
// At low temperature a chain that sits in a ground state for the whole run is then
// right, as long as excitations are too rare to have shown up (8×8 ±J at T = 0.2:
// c = 1e−6). Without N (spins = 0) any difference counts.
func zeroVarianceStuck(mean float64, p *Point, spins int) bool {
	d := math.Abs(mean - p.Exact.Energy)
	if spins <= 0 || !(p.Exact.SpecificHeat > 0) {
		return d > 1e-9*max(1, math.Abs(p.Exact.Energy))
	}
	n := float64(p.Measurements)
	v := p.Exact.SpecificHeat * p.T * p.T / float64(spins)
	r := 2 * max(math.Abs(mean), math.Abs(p.Exact.Energy), 1)
	return d > ZMax*math.Sqrt(v/n) || n*v/(r*r) > ZMax
}
