package sim

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
)

// resolvedConfig is config.json: the config with defaults filled in, plus provenance.
type resolvedConfig struct {
	Config
	Version  string `json:"version"`
	Revision string `json:"revision,omitempty"`
}

func writeConfig(dir string, c Config) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("run directory: %w", err)
	}
	b, err := json.MarshalIndent(resolvedConfig{Config: c, Version: Version, Revision: Revision()}, "", "  ")
	if err != nil {
		return err
	}
	return WriteFileAtomic(filepath.Join(dir, "config.json"), append(b, '\n'))
}

func writeResults(dir string, s *Summary, runs []pointRun) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("summary.json: %w", err)
	}
	if err := WriteFileAtomic(filepath.Join(dir, "summary.json"), append(b, '\n')); err != nil {
		return err
	}
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	fmt.Fprintln(w, "T,bin,sweeps,energy,energy2,abs_magnetization,m2,m4")
	for _, r := range runs {
		if !r.done {
			continue
		}
		e, e2, am, m2, m4 := r.e.Bins(), r.e2.Bins(), r.absm.Bins(), r.m2.Bins(), r.m4.Bins()
		T := strconv.FormatFloat(r.point.T, 'g', -1, 64)
		for i := range e {
			fmt.Fprintf(w, "%s,%d,%d,%.12g,%.12g,%.12g,%.12g,%.12g\n", T, i, (i+1)*r.point.BinLen,
				e[i], e2[i], am[i], m2[i], m4[i])
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return WriteFileAtomic(filepath.Join(dir, "series.csv"), buf.Bytes())
}

// WriteFileAtomic writes data to path so that a reader (or a crash) sees either the old
// file or the complete new one: it writes a temporary file in the same directory,
// syncs it, and renames it over path.
func WriteFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, werr := f.Write(data)
	serr := f.Sync()
	cerr := f.Close()
	for _, e := range []error{werr, serr, cerr} {
		if e != nil {
			os.Remove(tmp)
			return fmt.Errorf("writing %s: %w", path, e)
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync() // make the rename durable; not all file systems support it
		d.Close()
	}
	return nil
}

// FormatTable renders a summary as an aligned text table: one row per temperature, with
// the exact values beside the measured ones where they are known.
func FormatTable(s *Summary) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s, %s sampler, seed %d\n", s.Description, s.Sampler, s.Seed)
	hasExact := false
	for _, p := range s.Points {
		hasExact = hasExact || p.Exact != nil
	}
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	if hasExact {
		fmt.Fprint(tw, "T\te/spin\texact e\tz\tc/spin\texact c\t|m|\tχ\tU4\tτ_e\tacc\t\n")
	} else {
		fmt.Fprint(tw, "T\te/spin\tc/spin\t|m|\tχ\tU4\tτ_e\tacc\t\n")
	}
	for _, p := range s.Points {
		tau := strconv.FormatFloat(p.Energy.Tau, 'f', 1, 64)
		acc := strconv.FormatFloat(p.Acceptance, 'f', 3, 64)
		if hasExact {
			ee, z, ec := "", "", ""
			if p.Exact != nil {
				ee = strconv.FormatFloat(p.Exact.Energy, 'f', 5, 64)
				ec = strconv.FormatFloat(p.Exact.SpecificHeat, 'f', 4, 64)
				if p.Energy.Err > 0 {
					z = strconv.FormatFloat((p.Energy.Mean-p.Exact.Energy)/p.Energy.Err, 'f', 1, 64)
				}
			}
			fmt.Fprintf(tw, "%g\t%v\t%s\t%s\t%v\t%s\t%v\t%v\t%v\t%s\t%s\t\n", p.T, p.Energy, ee, z,
				p.SpecificHeat, ec, p.AbsMagnetization, p.Susceptibility, p.Binder, tau, acc)
		} else {
			fmt.Fprintf(tw, "%g\t%v\t%v\t%v\t%v\t%v\t%s\t%s\t\n", p.T, p.Energy, p.SpecificHeat,
				p.AbsMagnetization, p.Susceptibility, p.Binder, tau, acc)
		}
	}
	tw.Flush()
	if g := s.GroundState; g != nil {
		fmt.Fprintf(&b, "lowest energy seen: %.6f per spin (T=%g, sweep %d, %.2fs)", g.Energy, g.T, g.Sweeps, g.Seconds)
		if g.Cut != nil {
			fmt.Fprintf(&b, ", cut %g", *g.Cut)
		}
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "%.3g spin updates in %.2fs on %d threads: %.2f ns/update\n",
		s.Perf.SpinUpdates, s.Perf.Seconds, s.Perf.Threads, s.Perf.NsPerUpdate)
	if s.Interrupted {
		b.WriteString("interrupted: only finished temperatures are shown\n")
	}
	return b.String()
}
