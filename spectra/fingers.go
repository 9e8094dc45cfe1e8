package spectra

import (
	"fmt"
	"math"
	"slices"
)

// Fingers selects WeightWatcher's fix_fingers option: how spuriously large α from a
// few outlying top eigenvalues ("fingers") are avoided.
type Fingers int

const (
	// FingersNone fits as WeightWatcher does by default.
	FingersNone Fingers = iota
	// XminPeak restricts xmin to [0.95, XminMax] times the peak of the ESD: the left
	// edge of the fullest of 100 bins of log10 λ (fix_fingers='xmin_peak'; XminMax
	// defaults to 1.5 × the peak).
	XminPeak
	// ClipXmax drops the top 2, 3, … eigenvalues while the refitted α has not fallen
	// by more than the threshold (default 1) below the first fit, stopping when α ≤ 2
	// or after max_fingers − 1 tries (fix_fingers='clip_xmax').
	ClipXmax
)

var fingerNames = []string{"none", "xmin_peak", "clip_xmax"}

// String returns "none", "xmin_peak" or "clip_xmax".
func (f Fingers) String() string {
	if f < 0 || int(f) >= len(fingerNames) {
		return fmt.Sprintf("Fingers(%d)", int(f))
	}
	return fingerNames[f]
}

// ParseFingers parses "none", "xmin_peak" or "clip_xmax".
func ParseFingers(s string) (Fingers, error) {
	for i, n := range fingerNames {
		if s == n {
			return Fingers(i), nil
		}
	}
	return 0, fmt.Errorf("unknown fix_fingers %q (want none, xmin_peak or clip_xmax)", s)
}

// PeakRange returns the xmin range of [XminPeak] for the eigenvalues nz (all > 0):
// [0.95·p, hi] with p = 10^(left edge of the fullest bin of a 100-bin histogram of
// log10 nz, numpy.histogram's binning) and hi = xminMax, or 1.5·p when xminMax ≤ 0.
//
// WeightWatcher passes the range to the powerlaw package as (log10(0.95·p), 1.5·p),
// mixing a logarithm and a value; deepglass uses the values, as the documentation of
// the option says.
func PeakRange(nz []float64, xminMax float64) (lo, hi float64) {
	const bins = 100
	l := make([]float64, len(nz))
	for i, v := range nz {
		l[i] = math.Log10(v)
	}
	first, last := slices.Min(l), slices.Max(l)
	if first == last {
		first, last = first-0.5, last+0.5
	}
	edges := make([]float64, bins+1)
	for i := range edges {
		edges[i] = first + (last-first)*float64(i)/bins // np.linspace
	}
	count := make([]int, bins)
	norm := bins / (last - first)
	for _, v := range l {
		k := int((v - first) * norm)
		if k == bins {
			k--
		}
		if v < edges[k] {
			k--
		} else if k != bins-1 && v >= edges[k+1] {
			k++
		}
		count[k]++
	}
	ih := 0
	for k, c := range count {
		if c > count[ih] {
			ih = k
		}
	}
	p := math.Pow(10, edges[ih])
	hi = xminMax
	if hi <= 0 {
		hi = 1.5 * p
	}
	return 0.95 * p, hi
}

// clipFingers is WeightWatcher's fit_clipped_powerlaw on the sorted eigenvalues nz:
// it returns the fit chosen, the first (raw) fit and the number of fingers.
func clipFingers(nz []float64, maxFingers int, thresh float64) (PowerLaw, PowerLaw, int, error) {
	first, err := FitPowerLaw(nz, nil)
	if err != nil {
		return PowerLaw{}, PowerLaw{}, 0, err
	}
	if maxFingers <= 0 || float64(maxFingers) < float64(len(nz))/2 {
		maxFingers = 10 // WeightWatcher resets max_fingers to its default in this case
	}
	for idx := 2; idx < maxFingers; idx++ {
		if idx >= len(nz)-1 {
			break
		}
		fit, err := FitPowerLaw(nz[:len(nz)-idx], nil)
		if err != nil {
			break
		}
		if fit.Alpha+thresh < first.Alpha {
			return fit, first, idx - 1, nil
		}
		if fit.Alpha <= 2 {
			break
		}
	}
	return first, first, 0, nil
}
