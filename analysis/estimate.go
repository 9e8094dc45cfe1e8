package analysis

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Estimate is a statistical estimate: a mean with its one-standard-deviation error.
//
// Tau is the integrated autocorrelation time of the underlying series, in units of
// its spacing (1/2 for uncorrelated data; 0 when not applicable, as for jackknife
// estimates of derived quantities), and N is the number of values the estimate is
// based on (0 if unknown). An error of NaN means the error could not be estimated,
// for example because there were too few bins.
//
// Estimates marshal to JSON as {"mean":…,"err":…,"tau":…,"n":…}; NaN and ±Inf are
// written as null (which encoding/json cannot represent otherwise) and null is read
// back as NaN, so ±Inf does not survive a round trip.
type Estimate struct {
	Mean float64 `json:"mean"`
	Err  float64 `json:"err"`
	Tau  float64 `json:"tau,omitempty"`
	N    int     `json:"n,omitempty"`
}

// String formats e in the compact notation of physics papers, with two significant
// digits of error in parentheses, in units of the last digits shown:
//
//	0.4321(12)     mean 0.43213, err 0.00123
//	12.3(1.5)      an error between 1 and 10 keeps its decimal point
//	1230(230)      errors of 10 and more are shown in full
//	1.20(30)e-05   scientific notation for very small or large numbers
//
// The error is rounded half up from its shortest decimal representation (0.00995
// becomes 0.010), and the mean is rounded to the same decimal position. A zero error
// prints the mean alone with %g; a NaN or infinite mean prints as NaN, +Inf or -Inf; a
// NaN or infinite error prints as the mean followed by (NaN) or (+Inf).
func (e Estimate) String() string {
	m, d := e.Mean, math.Abs(e.Err)
	switch {
	case math.IsNaN(m) || math.IsInf(m, 0):
		return formatG(m)
	case math.IsNaN(d) || math.IsInf(d, 0):
		return formatG(m) + "(" + formatG(d) + ")"
	case d == 0, d < math.Abs(m)*roundingLevel:
		// No error, or one at the level of floating-point rounding (as when every
		// chain ends in the same state): digits beyond float64's are not digits.
		return formatG(m)
	}
	k, exp := twoDigits(d)
	top := exp
	if m != 0 {
		top = max(top, decimalExponent(math.Abs(m)))
	}
	if top < -4 || top >= 6 {
		return formatCompact(m/math.Pow10(top), k, exp-top) + fmt.Sprintf("e%+03d", top)
	}
	return formatCompact(m, k, exp)
}

// roundingLevel is the relative error below which an estimate prints as its mean alone:
// a two-digit error there would show digits beyond float64's 15–17.
const roundingLevel = 1e-14

// formatCompact formats mean m with an error of k·10^(exp-1), 10 ≤ k ≤ 99.
func formatCompact(m float64, k, exp int) string {
	var mean, err string
	switch {
	case exp < 0:
		mean = strconv.FormatFloat(m, 'f', 1-exp, 64)
		err = strconv.Itoa(k)
	case exp == 0:
		mean = strconv.FormatFloat(m, 'f', 1, 64)
		err = strconv.Itoa(k/10) + "." + strconv.Itoa(k%10)
	default:
		unit := math.Pow10(exp - 1)
		mean = strconv.FormatFloat(math.Round(m/unit)*unit, 'f', 0, 64)
		err = strconv.Itoa(k) + strings.Repeat("0", exp-1)
	}
	if strings.HasPrefix(mean, "-") && strings.Trim(mean[1:], "0.") == "" {
		mean = mean[1:] // no "-0.00"
	}
	return mean + "(" + err + ")"
}

// twoDigits rounds d > 0 half up to two significant digits from its shortest
// decimal representation: d ≈ k·10^(exp-1) with 10 ≤ k ≤ 99.
func twoDigits(d float64) (k, exp int) {
	s := strconv.FormatFloat(d, 'e', -1, 64) // "9.95e-03", "1e+02"
	mant, es, _ := strings.Cut(s, "e")
	exp, _ = strconv.Atoi(es)
	digits := strings.Replace(mant, ".", "", 1) + "00"
	k = int(digits[0]-'0')*10 + int(digits[1]-'0')
	if digits[2] >= '5' {
		k++
	}
	if k == 100 {
		k, exp = 10, exp+1
	}
	return k, exp
}

// decimalExponent returns the exponent of the leading decimal digit of x > 0,
// ⌊log10 x⌋ computed exactly.
func decimalExponent(x float64) int {
	s := strconv.FormatFloat(x, 'e', -1, 64)
	_, es, _ := strings.Cut(s, "e")
	exp, _ := strconv.Atoi(es)
	return exp
}

func formatG(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// jsonFloat is a float64 that encodes NaN and ±Inf as JSON null and decodes null as NaN.
type jsonFloat float64

func (f jsonFloat) MarshalJSON() ([]byte, error) {
	x := float64(f)
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return []byte("null"), nil
	}
	return json.Marshal(x)
}

func (f *jsonFloat) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = jsonFloat(math.NaN())
		return nil
	}
	var x float64
	if err := json.Unmarshal(b, &x); err != nil {
		return err
	}
	*f = jsonFloat(x)
	return nil
}

// estimateJSON is the wire form of Estimate. Tau is a pointer so that a zero Tau is
// omitted while a NaN Tau is written as null.
type estimateJSON struct {
	Mean jsonFloat  `json:"mean"`
	Err  jsonFloat  `json:"err"`
	Tau  *jsonFloat `json:"tau,omitempty"`
	N    int        `json:"n,omitempty"`
}

// estimateDecode reads the wire form: a value Tau, so that null reaches
// jsonFloat.UnmarshalJSON (encoding/json sets a pointer to nil instead).
type estimateDecode struct {
	Mean jsonFloat `json:"mean"`
	Err  jsonFloat `json:"err"`
	Tau  jsonFloat `json:"tau"`
	N    int       `json:"n"`
}

// MarshalJSON implements [json.Marshaler]. It writes NaN and ±Inf fields as null and
// omits a zero Tau and a zero N.
func (e Estimate) MarshalJSON() ([]byte, error) {
	w := estimateJSON{Mean: jsonFloat(e.Mean), Err: jsonFloat(e.Err), N: e.N}
	if e.Tau != 0 {
		tau := jsonFloat(e.Tau)
		w.Tau = &tau
	}
	return json.Marshal(w)
}

// UnmarshalJSON implements [json.Unmarshaler]. A null field becomes NaN, an absent
// one zero; a null Estimate leaves e unchanged, as encoding/json does for other types.
func (e *Estimate) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var w estimateDecode
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*e = Estimate{Mean: float64(w.Mean), Err: float64(w.Err), Tau: float64(w.Tau), N: w.N}
	return nil
}
