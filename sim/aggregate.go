package sim

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/deepglass/deepglass/analysis"
)

// RunDir is what a run directory says about the run that wrote it.
type RunDir struct {
	Dir    string
	Config Config
	// Shard and Shards give the slice of samples the directory holds (Shards 0: all).
	Shard, Shards int
	Version       string
}

// String describes the run directory.
func (d RunDir) String() string {
	if d.Shards > 1 {
		return fmt.Sprintf("%s (shard %d/%d of %s)", d.Dir, d.Shard, d.Shards, d.Config)
	}
	return fmt.Sprintf("%s (%s)", d.Dir, d.Config)
}

// ReadRunDir reads dir/config.json, the resolved config a run wrote.
func ReadRunDir(dir string) (RunDir, error) {
	path := filepath.Join(dir, "config.json")
	data, err := os.ReadFile(path)
	if err != nil {
		return RunDir{}, err
	}
	var rc resolvedConfig
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rc); err != nil {
		return RunDir{}, fmt.Errorf("%s: %w", path, jsonErrorLine(data, err))
	}
	rc.Config.Defaults()
	return RunDir{Dir: dir, Config: rc.Config, Shard: rc.Shard, Shards: rc.Shards, Version: rc.Version}, nil
}

// Aggregate merges the sample results of run directories of one study (typically its
// shards) into the summary one run over all samples gives: the same points, bit for
// bit, as it is computed by the same [Combine]. All directories must hold the same
// config; every sample from 0 to samples−1 must be present exactly once, unless partial
// is true. Perf adds up the shards' spin updates and times.
func Aggregate(dirs []string, partial bool) (*Summary, []SampleResult, error) {
	if len(dirs) == 0 {
		return nil, nil, fmt.Errorf("aggregate: no run directory given")
	}
	var first RunDir
	var samples []SampleResult
	seen := map[int]string{}
	var perf Perf
	desc, n := "", 0
	for i, dir := range dirs {
		rd, err := ReadRunDir(dir)
		if err != nil {
			return nil, nil, err
		}
		if i == 0 {
			first = rd
		} else if ConfigHash(rd.Config) != ConfigHash(first.Config) {
			return nil, nil, fmt.Errorf("%s holds a different study than %s (configs differ)", dir, first.Dir)
		}
		want := ConfigHash(rd.Config)
		wantHex := hex.EncodeToString(want[:])
		var sum Summary
		if b, err := os.ReadFile(filepath.Join(dir, "summary.json")); err == nil {
			if err := json.Unmarshal(b, &sum); err != nil {
				return nil, nil, fmt.Errorf("%s: %w", filepath.Join(dir, "summary.json"), err)
			}
			if err := analysis.NullToNaN(b, &sum); err != nil { // numbers written as null are NaN, not 0
				return nil, nil, fmt.Errorf("%s: %w", filepath.Join(dir, "summary.json"), err)
			}
			perf.SpinUpdates += sum.Perf.SpinUpdates
			perf.Seconds += sum.Perf.Seconds
			perf.SweepSeconds += sum.Perf.SweepSeconds
			perf.MeasureSeconds += sum.Perf.MeasureSeconds
			perf.IOSeconds += sum.Perf.IOSeconds
			perf.NsPerUpdate += sum.Perf.NsPerUpdate * sum.Perf.SpinUpdates
			perf.Threads = max(perf.Threads, sum.Perf.Threads)
			if desc == "" {
				desc, n = sum.Description, sum.N
			}
		}
		files, err := filepath.Glob(filepath.Join(dir, "samples", "sample-*.json"))
		if err != nil {
			return nil, nil, err
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				return nil, nil, err
			}
			var r SampleResult
			dec := json.NewDecoder(bytes.NewReader(b))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&r); err != nil {
				return nil, nil, fmt.Errorf("%s: %w", f, jsonErrorLine(b, err))
			}
			if err := analysis.NullToNaN(b, &r); err != nil {
				return nil, nil, fmt.Errorf("%s: %w", f, err)
			}
			if r.ConfigHash != wantHex {
				return nil, nil, fmt.Errorf("%s: written for a different config", f)
			}
			if len(r.Points) != len(rd.Config.T) {
				return nil, nil, fmt.Errorf("%s: %d points, the config has %d temperatures", f, len(r.Points), len(rd.Config.T))
			}
			if prev, dup := seen[r.Sample]; dup {
				return nil, nil, fmt.Errorf("sample %d is in both %s and %s", r.Sample, prev, f)
			}
			seen[r.Sample] = f
			samples = append(samples, r)
		}
	}
	var missing []string
	for s := 0; s < first.Config.Samples; s++ {
		if _, ok := seen[s]; !ok {
			missing = append(missing, fmt.Sprint(s))
		}
	}
	if len(missing) > 0 && !partial {
		show := missing
		if len(show) > 10 {
			show = append(show[:10:10], "…")
		}
		return nil, nil, fmt.Errorf("aggregate: %d of %d samples missing (%s): a shard has not finished, or a directory is not listed",
			len(missing), first.Config.Samples, strings.Join(show, ", "))
	}
	sort.Slice(samples, func(a, b int) bool { return samples[a].Sample < samples[b].Sample })
	sum := Combine(first.Config, desc, n, samples)
	if perf.SpinUpdates > 0 {
		perf.NsPerUpdate /= perf.SpinUpdates
	}
	sum.Perf = perf
	return sum, samples, nil
}

// WriteAggregate writes the merged study to dir: config.json, summary.json, the
// samples and the P(q) and equilibration tables.
func WriteAggregate(dir string, c Config, sum *Summary, samples []SampleResult) error {
	if err := writeConfig(dir, c); err != nil {
		return err
	}
	return writeResults(dir, sum, samples, nil)
}
