package spectra

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Field is one named value of a [Result]: a float64, an int, a string, a []string,
// a []int or a []LRTest.
type Field struct {
	Name  string
	Value any
}

// Fields returns the values of r in a fixed order, under WeightWatcher's column names
// where it has them (alpha, xmin, D, sigma, num_pl_spikes, lambda_max, log_norm,
// alpha_weighted, log_alpha_norm, log_spectral_norm, stable_rank, entropy, mp_softrank,
// bulk_max, num_spikes, sigma_mp, rand_num_spikes, rand_distance, ww_softrank, …) and
// deepglass's own for the rest (alpha_err and the other *_err bootstrap errors,
// mp_edge = bulk_max, ks_pvalue, verdict, warnings). Floats that were not measured
// are NaN (null in JSON).
func (r *Result) Fields() []Field {
	f := []Field{
		{"name", r.Name}, {"kind", r.Kind}, {"shape", r.Shape}, {"N", r.N}, {"M", r.M}, {"Q", float64(r.N) / float64(max(r.M, 1))},
		{"rf", r.RF}, {"num_evals", r.NumEvals}, {"method", r.Method.String()},
		{"status", r.Status}, {"verdict", r.Verdict}, {"warning", r.Warning}, {"warnings", r.Warnings},
		{"alpha", r.Alpha()}, {"alpha_err", r.AlphaErr}, {"sigma", r.Fit.Sigma},
		{"xmin", r.Fit.Xmin}, {"xmin_err", r.XminErr}, {"xmax", r.Fit.Xmax},
		{"D", r.Fit.D}, {"D_err", r.DErr}, {"num_pl_spikes", r.NumPLSpikes}, {"num_pl_spikes_err", r.SpikesErr},
		{"ks_pvalue", r.KS.P}, {"ks_pvalue_err", r.KS.Err}, {"ks_replicates", r.KS.Replicates},
		{"lr_tests", r.LR},
		{"lambda_max", r.Metrics.SpectralNorm}, {"lambda_max_err", r.LambdaMaxErr},
		{"mp_edge", r.MP.BulkMax}, {"mp_edge_err", r.MPEdgeErr},
		{"norm", r.Metrics.Norm}, {"norm_err", r.MetricErrs.Norm},
		{"log_norm", r.Metrics.LogNorm}, {"log_norm_err", r.MetricErrs.LogNorm},
		{"spectral_norm", r.Metrics.SpectralNorm},
		{"log_spectral_norm", r.Metrics.LogSpectralNorm}, {"log_spectral_norm_err", r.MetricErrs.LogSpectralNorm},
		{"alpha_weighted", r.Metrics.AlphaWeighted}, {"alpha_weighted_err", r.MetricErrs.AlphaWeighted},
		{"log_alpha_norm", r.Metrics.LogAlphaNorm}, {"log_alpha_norm_err", r.MetricErrs.LogAlphaNorm},
		{"stable_rank", r.Metrics.StableRank}, {"stable_rank_err", r.MetricErrs.StableRank},
		{"matrix_rank", r.Metrics.MatrixRank},
		{"entropy", r.Metrics.Entropy}, {"entropy_err", r.MetricErrs.Entropy},
		{"num_spikes", r.MP.NumSpikes}, {"sigma_mp", r.MP.Sigma}, {"mp_softrank", r.MP.Softrank}, {"mp_softrank_err", r.SoftrankErr},
		{"W_scale", r.MP.Scale}, {"bulk_max", r.MP.BulkMax}, {"bulk_min", r.MP.BulkMin}, {"bulk_max_TW", r.MP.TWMax}, {"mp_at_bound", r.MP.AtBound},
		{"sv_max", r.SVMax}, {"rank_loss", r.RankLoss}, {"weak_rank_loss", r.WeakRankLoss},
		{"num_fingers", r.NumFingers}, {"raw_alpha", r.RawAlpha},
	}
	if r.HasTPL {
		f = append(f, Field{"tpl_alpha", r.TPL.Alpha}, Field{"Lambda", r.TPL.Lambda})
	}
	if r.Randomized {
		f = append(f, Field{"rand_num_spikes", r.Rand.NumSpikes}, Field{"rand_sigma_mp", r.Rand.Sigma},
			Field{"rand_mp_softrank", r.Rand.Softrank}, Field{"rand_bulk_max", r.Rand.BulkMax}, Field{"rand_bulk_min", r.Rand.BulkMin},
			Field{"rand_W_scale", r.Rand.Scale}, Field{"max_rand_eval", r.MaxRandEval}, Field{"rand_distance", r.RandDistance},
			Field{"ww_softrank", r.WWSoftrank}, Field{"ww_maxdist", r.WWMaxdist})
	}
	f = append(f, Field{"bootstrap", r.Bootstrap}, Field{"resample", r.Resampled.String()})
	return f
}

// MarshalJSON encodes r as an object of its [Result.Fields], NaN and ±Inf as null.
func (r *Result) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range r.Fields() {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(f.Name)
		b.Write(k)
		b.WriteByte(':')
		if err := writeJSONValue(&b, f.Value); err != nil {
			return nil, err
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func writeJSONValue(b *bytes.Buffer, v any) error {
	switch x := v.(type) {
	case float64:
		b.WriteString(jsonFloat(x))
	case []LRTest:
		b.WriteByte('[')
		for i, t := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(b, `{"alt":%q,"R":%s,"p":%s,"params":[`, t.Alt, jsonFloat(t.R), jsonFloat(t.P))
			for j, p := range t.Params {
				if j > 0 {
					b.WriteByte(',')
				}
				b.WriteString(jsonFloat(p))
			}
			b.WriteString("]}")
		}
		b.WriteByte(']')
	case []string:
		if x == nil {
			x = []string{}
		}
		e, err := json.Marshal(x)
		if err != nil {
			return err
		}
		b.Write(e)
	default:
		e, err := json.Marshal(x)
		if err != nil {
			return err
		}
		b.Write(e)
	}
	return nil
}

// jsonFloat formats a float for JSON: null for NaN and ±Inf.
func jsonFloat(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "null"
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// CSVHeader returns the column names of [Result.CSVRow]: the scalar fields of a
// result with every option on.
func CSVHeader() []string {
	r := &Result{HasTPL: true, Randomized: true}
	var h []string
	for _, f := range r.Fields() {
		if f.Name == "lr_tests" {
			h = append(h, "lr_exponential_R", "lr_exponential_p", "lr_lognormal_R", "lr_lognormal_p", "lr_tpl_R", "lr_tpl_p")
			continue
		}
		h = append(h, f.Name)
	}
	return h
}

// CSVRow returns r's values in the order of [CSVHeader]: empty cells for values not
// measured, warnings joined by "; ", the shape as "a×b".
func (r *Result) CSVRow() []string {
	vals := map[string]string{}
	for _, f := range r.Fields() {
		switch x := f.Value.(type) {
		case float64:
			if !math.IsNaN(x) && !math.IsInf(x, 0) {
				vals[f.Name] = strconv.FormatFloat(x, 'g', -1, 64)
			}
		case int:
			vals[f.Name] = strconv.Itoa(x)
		case string:
			vals[f.Name] = x
		case bool:
			vals[f.Name] = strconv.FormatBool(x)
		case []string:
			vals[f.Name] = strings.Join(x, "; ")
		case []int:
			s := make([]string, len(x))
			for i, d := range x {
				s[i] = strconv.Itoa(d)
			}
			vals[f.Name] = strings.Join(s, "×")
		case []LRTest:
			for _, t := range x {
				alt := map[string]string{"exponential": "exponential", "lognormal": "lognormal", "truncated_power_law": "tpl"}[t.Alt]
				if !math.IsNaN(t.R) {
					vals["lr_"+alt+"_R"] = strconv.FormatFloat(t.R, 'g', -1, 64)
					vals["lr_"+alt+"_p"] = strconv.FormatFloat(t.P, 'g', -1, 64)
				}
			}
		}
	}
	h := CSVHeader()
	row := make([]string, len(h))
	for i, name := range h {
		row[i] = vals[name]
	}
	return row
}

// Summary averages the metrics over the layers whose fit succeeded, as WeightWatcher's
// get_summary does (mean of log_norm, alpha, alpha_weighted, log_alpha_norm,
// log_spectral_norm, stable_rank, mp_softrank), with the standard error of each mean
// over layers.
type Summary struct {
	Layers, Fitted, Skipped, Failed int
	// Mean and Err hold, per metric name, the mean over fitted layers and its
	// standard error (NaN for fewer than 2 layers).
	Mean, Err map[string]float64
	// OverTrained and UnderTrained count layers with α < 2 and α > 6; Rejected those
	// whose power law the KS test rejects, Traps those with correlation traps.
	OverTrained, UnderTrained, Rejected, Traps int
}

// SummaryMetrics returns the metrics a [Summary] averages, in order.
func SummaryMetrics() []string {
	return []string{"alpha", "alpha_weighted", "log_norm", "log_alpha_norm", "log_spectral_norm", "stable_rank", "mp_softrank", "entropy"}
}

// Summarize returns the summary of results.
func Summarize(results []*Result) Summary {
	s := Summary{Layers: len(results), Mean: map[string]float64{}, Err: map[string]float64{}}
	vals := map[string][]float64{}
	for _, r := range results {
		switch r.Status {
		case StatusSkipped:
			s.Skipped++
			continue
		case StatusFailed:
			s.Failed++
			continue
		}
		s.Fitted++
		switch r.Warning {
		case "over-trained":
			s.OverTrained++
		case "under-trained":
			s.UnderTrained++
		}
		if r.Verdict == VerdictRejected {
			s.Rejected++
		}
		if r.Randomized && r.Rand.NumSpikes > 0 {
			s.Traps++
		}
		m := map[string]float64{"alpha": r.Fit.Alpha, "alpha_weighted": r.Metrics.AlphaWeighted, "log_norm": r.Metrics.LogNorm,
			"log_alpha_norm": r.Metrics.LogAlphaNorm, "log_spectral_norm": r.Metrics.LogSpectralNorm, "stable_rank": r.Metrics.StableRank,
			"mp_softrank": r.MP.Softrank, "entropy": r.Metrics.Entropy}
		for k, v := range m {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				vals[k] = append(vals[k], v)
			}
		}
	}
	for _, k := range SummaryMetrics() {
		v := vals[k]
		if len(v) == 0 {
			s.Mean[k], s.Err[k] = math.NaN(), math.NaN()
			continue
		}
		mean := 0.0
		for _, x := range v {
			mean += x
		}
		mean /= float64(len(v))
		s.Mean[k] = mean
		s.Err[k] = stdDev(v) / math.Sqrt(float64(len(v)))
	}
	return s
}

// String returns the layer counts and the mean α.
func (s Summary) String() string {
	return fmt.Sprintf("%d layers (%d fitted, %d failed, %d skipped): mean α = %.3f ± %.3f; %d over-trained, %d under-trained, %d rejected, %d with traps",
		s.Layers, s.Fitted, s.Failed, s.Skipped, s.Mean["alpha"], s.Err["alpha"], s.OverTrained, s.UnderTrained, s.Rejected, s.Traps)
}

// MarshalJSON encodes the summary with NaN as null.
func (s Summary) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, `{"layers":%d,"fitted":%d,"failed":%d,"skipped":%d,"over_trained":%d,"under_trained":%d,"rejected":%d,"traps":%d,"mean":{`,
		s.Layers, s.Fitted, s.Failed, s.Skipped, s.OverTrained, s.UnderTrained, s.Rejected, s.Traps)
	for i, k := range SummaryMetrics() {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%q:%s", k, jsonFloat(s.Mean[k]))
	}
	b.WriteString(`},"err":{`)
	for i, k := range SummaryMetrics() {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%q:%s", k, jsonFloat(s.Err[k]))
	}
	b.WriteString("}}")
	return b.Bytes(), nil
}
