package sim

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/deepglass/deepglass/analysis"
	"github.com/deepglass/deepglass/internal/atomicfile"
)

// resolvedConfig is config.json: the config with defaults filled in, plus provenance.
type resolvedConfig struct {
	Config
	Version  string `json:"version"`
	Revision string `json:"revision,omitempty"`
	// Shard and Shards record the slice of samples this directory holds.
	Shard  int `json:"shard,omitempty"`
	Shards int `json:"shards,omitempty"`
}

func writeConfig(dir string, c Config) error { return writeRunConfig(dir, c, 0, 0) }

func writeRunConfig(dir string, c Config, shard, shards int) error {
	if err := checkOutDir(dir, c, shard, shards); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("run directory: %w", err)
	}
	b, err := analysis.MarshalJSONIndent(resolvedConfig{Config: c, Version: Version, Revision: Revision(), Shard: shard, Shards: shards}, "", "  ")
	if err != nil {
		return err
	}
	return WriteFileAtomic(filepath.Join(dir, "config.json"), append(b, '\n'))
}

// checkOutDir refuses to start a run in a directory that holds anything but the same
// run (same config and shard), so that one study's files are never mixed with another's,
// nor an interrupted run's checkpoint discarded.
func checkOutDir(dir string, c Config, shard, shards int) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) || (err == nil && len(entries) == 0) {
		return nil
	}
	if err != nil {
		return &InputError{fmt.Errorf("run directory %s: %w", dir, err)}
	}
	what := "files that are not a deepglass run"
	if rd, err := ReadRunDir(dir); err == nil {
		if ConfigHash(rd.Config) == ConfigHash(c) && rd.Shard == shard && rd.Shards == shards {
			if _, err := os.Stat(filepath.Join(dir, checkpointName)); err != nil {
				return nil // the same run again: it rewrites the same files
			}
			return &InputError{fmt.Errorf("run directory %s holds an interrupted run of this config: continue it with -resume %s, or delete the directory to start over", dir, dir)}
		}
		what = fmt.Sprintf("another run (model %s, sampler %s, seed %d)", rd.Config.Model, rd.Config.Sampler, rd.Config.Seed)
	}
	return &InputError{fmt.Errorf("run directory %s is not empty: it holds %s; choose a new -out directory (or leave -out unset for runs/DATE-TIME-MODEL), or delete it", dir, what)}
}

func writeResults(dir string, s *Summary, samples []SampleResult, units []*unit) error {
	t0 := time.Now()
	if err := writeTables(dir, s, samples, units); err != nil {
		return err
	}
	s.Perf.IOSeconds += time.Since(t0).Seconds()
	return writeJSON(filepath.Join(dir, "summary.json"), s)
}

// writeTables writes what writeResults writes besides summary.json.
func writeTables(dir string, s *Summary, samples []SampleResult, units []*unit) error {
	if err := os.MkdirAll(filepath.Join(dir, "samples"), 0o755); err != nil {
		return err
	}
	for _, r := range samples {
		if err := writeJSON(filepath.Join(dir, "samples", fmt.Sprintf("sample-%06d.json", r.Sample)), r); err != nil {
			return err
		}
	}
	if err := writeSeries(dir, s, units); err != nil {
		return err
	}
	if err := writePQ(dir, samples); err != nil {
		return err
	}
	if len(s.Equilibration) > 0 {
		var buf bytes.Buffer
		fmt.Fprintln(&buf, "T,from,to,energy,abs_magnetization,q2,link_overlap")
		for _, b := range s.Equilibration {
			fmt.Fprintf(&buf, "%s,%d,%d,%.12g,%.12g,%s,%s\n", fmtT(b.T), b.From, b.To, b.Energy, b.AbsMagnetization, optFloat(b.Q2), optFloat(b.LinkOverlap))
		}
		if err := WriteFileAtomic(filepath.Join(dir, "equilibration.csv"), buf.Bytes()); err != nil {
			return err
		}
	}
	return nil
}

// optFloat formats an optional value for CSV: empty when absent.
func optFloat(p *float64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatFloat(*p, 'g', 12, 64)
}

func fmtT(t float64) string { return strconv.FormatFloat(t, 'g', -1, 64) }

// writeJSON writes v as indented JSON to path, atomically; NaN and ±Inf numbers are
// written as null (see analysis.MarshalJSON).
func writeJSON(path string, v any) error {
	b, err := analysis.MarshalJSONIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	return WriteFileAtomic(path, append(b, '\n'))
}

// writeSeries writes series.csv for a single-sample run: the bins of every temperature.
func writeSeries(dir string, s *Summary, units []*unit) error {
	if s.Samples != 1 {
		return nil
	}
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	fmt.Fprintln(w, "T,bin,sweeps,energy,energy2,abs_magnetization,m2,m4")
	for _, u := range units {
		if !u.done || u.obs == nil {
			continue
		}
		for j, o := range u.obs {
			e, e2, am, m2, m4 := o.e.Bins(), o.e2.Bins(), o.am.Bins(), o.m2.Bins(), o.m4.Bins()
			T := fmtT(u.result[j].T)
			for i := range e {
				fmt.Fprintf(w, "%s,%d,%d,%.12g,%.12g,%.12g,%.12g,%.12g\n", T, i, (i+1)*o.e.BinLen(),
					e[i], e2[i], am[i], m2[i], m4[i])
			}
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return WriteFileAtomic(filepath.Join(dir, "series.csv"), buf.Bytes())
}

// writePQ writes pq.csv: the overlap distribution P(q) per temperature, averaged over
// samples, as the probability of each bin of [-1, 1].
func writePQ(dir string, samples []SampleResult) error {
	if len(samples) == 0 || samples[0].PQ == nil {
		return nil
	}
	var buf bytes.Buffer
	fmt.Fprintln(&buf, "T,q,P")
	for k, p := range samples[0].Points {
		nb := len(samples[0].PQ[k])
		for b := 0; b < nb; b++ {
			var sum float64
			for _, s := range samples {
				sum += s.PQ[k][b]
			}
			q := -1 + 2*float64(b)/float64(nb-1)
			fmt.Fprintf(&buf, "%s,%.6g,%.8g\n", fmtT(p.T), q, sum/float64(len(samples)))
		}
	}
	return WriteFileAtomic(filepath.Join(dir, "pq.csv"), buf.Bytes())
}

// WriteFileAtomic writes data to path so that a reader (or a crash) sees either the old
// file or the complete new one: it writes a temporary file in the same directory,
// syncs it, and renames it over path. Every writer of deepglass results uses it (or
// internal/atomicfile, which it wraps).
func WriteFileAtomic(path string, data []byte) error { return atomicfile.WriteFile(path, data) }

// observableNames returns the names of the model's own observables in the summary,
// sorted, at most four (summary.json has them all).
func observableNames(s *Summary) []string {
	seen := map[string]bool{}
	var names []string
	for _, p := range s.Points {
		for name := range p.Observables {
			if !seen[name] {
				seen[name] = true
				names = append(names, name)
			}
		}
	}
	sort.Strings(names)
	return names[:min(len(names), 4)]
}

// FormatTable renders a summary as an aligned text table: one row per temperature, with
// the exact values beside the measured ones where they are known and the overlaps when
// there are replicas.
func FormatTable(s *Summary) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s, %s sampler, seed %d", s.Description, s.Sampler, s.Seed)
	if s.Samples > 1 {
		fmt.Fprintf(&b, ", disorder average over %d samples", s.Samples)
	}
	if s.Shard != "" {
		fmt.Fprintf(&b, ", shard %s", s.Shard)
	}
	b.WriteByte('\n')
	hasExact, hasQ, hasSwap, hasID, hasWarn := false, false, false, false, false
	hasF, hasExactF, hasTau := false, false, false
	for _, p := range s.Points {
		hasF = hasF || p.FreeEnergy != nil
		hasExactF = hasExactF || p.Exact != nil && p.Exact.FreeEnergy != nil
		hasTau = hasTau || p.PA == nil
		hasWarn = hasWarn || len(p.Warnings) > 0
		hasExact = hasExact || p.Exact != nil
		hasQ = hasQ || p.Q2 != nil
		hasSwap = hasSwap || p.SwapAcceptance != nil
		hasID = hasID || p.Identity != nil
	}
	if s.DensityOfStates != nil {
		b.WriteString(formatDOS(s.DensityOfStates))
	}
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	cols := []string{"T"}
	if hasF {
		cols = append(cols, "f/spin")
		if hasExactF {
			cols = append(cols, "exact f", "z_f")
		}
	}
	cols = append(cols, "e/spin")
	if hasExact {
		cols = append(cols, "exact e", "z")
	}
	cols = append(cols, "c/spin")
	if hasExact {
		cols = append(cols, "exact c")
	}
	cols = append(cols, "|m|", "χ", "U4")
	if hasQ {
		cols = append(cols, "q²", "g", "q_l")
	}
	if hasID {
		cols = append(cols, "[e]−identity")
	}
	obsNames := observableNames(s)
	cols = append(cols, obsNames...)
	if hasF {
		cols = append(cols, "s/spin", "ρ_t")
	}
	if hasTau {
		cols = append(cols, "τ_e", "acc")
	}
	if hasSwap {
		cols = append(cols, "swap")
	}
	if hasWarn {
		cols = append(cols, "!")
	}
	if len(s.Points) > 0 || s.DensityOfStates == nil {
		fmt.Fprint(tw, strings.Join(cols, "\t")+"\t\n")
	}
	for _, p := range s.Points {
		row := []string{strconv.FormatFloat(p.T, 'g', 5, 64)}
		if hasF {
			row = append(row, formatFreeEnergy(p, hasExactF)...)
		}
		row = append(row, p.Energy.String())
		if hasExact {
			ee, z := "", ""
			if p.Exact != nil {
				ee = strconv.FormatFloat(p.Exact.Energy, 'f', 5, 64)
				if p.Energy.Err > 0 {
					z = strconv.FormatFloat((p.Energy.Mean-p.Exact.Energy)/p.Energy.Err, 'f', 1, 64)
				}
			}
			row = append(row, ee, z)
		}
		row = append(row, p.SpecificHeat.String())
		if hasExact {
			ec := ""
			if p.Exact != nil {
				ec = strconv.FormatFloat(p.Exact.SpecificHeat, 'f', 4, 64)
			}
			row = append(row, ec)
		}
		row = append(row, p.AbsMagnetization.String(), p.Susceptibility.String(), p.Binder.String())
		if hasQ {
			q2, g, ql := "", "", ""
			if p.Q2 != nil {
				q2, g, ql = p.Q2.String(), p.BinderSG.String(), p.LinkOverlap.String()
			}
			row = append(row, q2, g, ql)
		}
		if hasID {
			d := ""
			if p.Identity != nil {
				d = p.Identity.Diff.String()
			}
			row = append(row, d)
		}
		for _, name := range obsNames {
			v := ""
			if e, ok := p.Observables[name]; ok {
				v = e.String()
			}
			row = append(row, v)
		}
		if hasF {
			sv, rho := "", ""
			if p.Entropy != nil {
				sv = p.Entropy.String()
			}
			if p.PA != nil {
				rho = strconv.FormatFloat(p.PA.RhoT, 'g', 3, 64)
			}
			row = append(row, sv, rho)
		}
		if hasTau {
			row = append(row, strconv.FormatFloat(p.Energy.Tau, 'f', 1, 64), strconv.FormatFloat(p.Acceptance, 'f', 3, 64))
		}
		if hasSwap {
			sw := ""
			if p.SwapAcceptance != nil {
				sw = strconv.FormatFloat(*p.SwapAcceptance, 'f', 3, 64)
			}
			row = append(row, sw)
		}
		if hasWarn {
			mark := ""
			if len(p.Warnings) > 0 {
				mark = strings.Repeat("!", min(len(p.Warnings), 3))
			}
			row = append(row, mark)
		}
		fmt.Fprint(tw, strings.Join(row, "\t")+"\t\n")
	}
	tw.Flush()
	if t := s.Tempering; t != nil {
		fmt.Fprintf(&b, "tempering: %d round trips, mean %.1f sweeps\n", t.RoundTrips, t.MeanRoundTrip)
	}
	if g := s.GroundState; g != nil && s.Model != "ising" { // the ferromagnet's is known
		fmt.Fprintf(&b, "lowest energy: %.6f per spin", g.Energy)
		if g.Cut != nil {
			fmt.Fprintf(&b, ", cut %g", *g.Cut)
		}
		if g.Restarts > 0 {
			fmt.Fprintf(&b, " (%d restarts, %d sweeps, %.2fs)", g.Restarts, g.Sweeps, g.Seconds)
		} else if s.Samples <= 1 {
			fmt.Fprintf(&b, " (sweep %d, %.2fs)", g.Sweeps, g.Seconds)
		}
		b.WriteByte('\n')
		for _, t := range g.TimeToTarget {
			if t.Reached {
				fmt.Fprintf(&b, "  %.1f%% of target %g reached after %.3fs, %d sweeps\n", 100*t.Fraction, t.Target/t.Fraction, t.Seconds, t.Sweeps)
			} else {
				fmt.Fprintf(&b, "  %.1f%% of target %g not reached\n", 100*t.Fraction, t.Target/t.Fraction)
			}
		}
	}
	fmt.Fprintf(&b, "%.3g spin updates in %.2fs on %d threads: %.2f ns/update\n",
		s.Perf.SpinUpdates, s.Perf.Seconds, s.Perf.Threads, s.Perf.NsPerUpdate)
	if s.MeasureEveryAuto {
		fmt.Fprintf(&b, "measured every %s sweeps, chosen from the energy's τ_int during thermalization (-measure-every sets it)\n",
			measureEveryList(s))
	}
	if p := s.Perf; p.MeasureSeconds > 0 {
		fmt.Fprintf(&b, "  time: sweeps %.3gs, measurements %.3gs (%.2f of the sweeps), writing files %.3gs\n",
			p.SweepSeconds, p.MeasureSeconds, p.MeasureSeconds/p.SweepSeconds, p.IOSeconds)
	}
	if s.Interrupted {
		b.WriteString("interrupted: only finished samples are shown\n")
	}
	b.WriteString(FormatWarnings(s))
	return b.String()
}

// formatFreeEnergy returns the table cells of a point's free energy: f, and with
// exact the exact f and the deviation in standard errors.
func formatFreeEnergy(p Point, exact bool) []string {
	f, ef, z := "", "", ""
	if p.FreeEnergy != nil {
		f = p.FreeEnergy.String()
	}
	if p.Exact != nil && p.Exact.FreeEnergy != nil {
		ef = strconv.FormatFloat(*p.Exact.FreeEnergy, 'f', 6, 64)
		if p.FreeEnergy != nil && p.FreeEnergy.Err > 0 {
			z = strconv.FormatFloat((p.FreeEnergy.Mean-*p.Exact.FreeEnergy)/p.FreeEnergy.Err, 'f', 1, 64)
		}
	}
	if !exact {
		return []string{f}
	}
	return []string{f, ef, z}
}

// measureEveryList lists the points' automatic measurement intervals with the τ_int
// they came from: "12 (τ_int ≈ 25)" for one point, "T=1: 3 (τ_int ≈ 7), …" for several.
func measureEveryList(s *Summary) string {
	var parts []string
	for _, p := range s.Points {
		if p.MeasureEvery == 0 {
			continue
		}
		x := strconv.Itoa(p.MeasureEvery)
		if p.MeasureEveryTau != nil {
			x += fmt.Sprintf(" (τ_int ≈ %.3g)", *p.MeasureEveryTau)
		}
		if len(s.Points) > 1 {
			x = "T=" + fmtT(p.T) + ": " + x
		}
		parts = append(parts, x)
	}
	return strings.Join(parts, ", ")
}
