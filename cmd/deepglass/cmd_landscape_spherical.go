package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
	"github.com/deepglass/deepglass/sim"
)

const landscapeSphericalUsage = `Usage: deepglass landscape -model spherical [flags]

Landscape of the spherical p-spin glass (N continuous spins on |σ|² = N): descents
from uniformly random starts (L-BFGS on the radial chart, or projected gradient
descent) to a tangent-gradient tolerance, each end point classified by the index of
its Riemannian Hessian (a saddle is left along its most negative direction and the
descent resumed). Reports the energies per spin of the minima found, their mean,
spread and histogram, the shares above the threshold −E∞ and inside the band
[−E0, −E∞] of Auffinger, Ben Arous & Černý, and their annealed complexity Θ_k(u) for
comparison.

Normalizations: abc (Auffinger–Ben Arous–Černý, Choromanska et al.):
H = N^{−(p−1)/2} Σ_{all i1…ip} J σ…σ, ground state −E0·N, threshold −E∞·N (p = 3:
E0 = 1.657, E∞ = 1.633); cs (Crisanti–Sommers): covariance (N/2) q^p, energies
per spin those of abc divided by √2.

Writes DIR/summary.json: {"model": "spherical", "p", "n", "norm", …, "minima":
{"energies": [one per start], "index": […], "mean", "err", "std",
"share_above_threshold", …, "histogram": {"edges", "counts"}}, "complexity": {"u",
"minima", "index1", "index2", "total"}, "perf": {…}}. Energies are per spin.

Example:
  deepglass landscape -model spherical -p 3 -N 100 -starts 200 -instances 10 -json

Exit status: 0 ok, 1 error, 2 invalid flags, 3 interrupted (the descents finished so
far are written).

Flags:
`

// landscapeSphericalFlags are the flags of `deepglass landscape -model spherical`.
type landscapeSphericalFlags struct {
	model, norm, method, out           string
	p, n, starts, instances, bins, thr int
	tol                                float64
	seed                               uint64
	json                               bool
}

// config checks the flags and returns the study; errors name the flag.
func (f *landscapeSphericalFlags) config() (sampler.SphericalLandscapeConfig, error) {
	var c sampler.SphericalLandscapeConfig
	if f.model != "spherical" {
		return c, fmt.Errorf("flag -model %q: this command runs -model spherical", f.model)
	}
	norm, err := models.ParseSphericalNorm(f.norm)
	if err != nil {
		return c, fmt.Errorf("flag -norm: %w", err)
	}
	method, err := sampler.ParseDescentMethod(f.method)
	if err != nil {
		return c, fmt.Errorf("flag -method: %w", err)
	}
	switch {
	case f.p < 2 || f.p > 4:
		return c, fmt.Errorf("flag -p %d: want 2, 3 or 4", f.p)
	case f.n < 2:
		return c, fmt.Errorf("flag -N %d: want ≥ 2", f.n)
	case f.starts < 1:
		return c, fmt.Errorf("flag -starts %d: want ≥ 1", f.starts)
	case f.instances < 1:
		return c, fmt.Errorf("flag -instances %d: want ≥ 1", f.instances)
	case !(f.tol > 0) || math.IsInf(f.tol, 0):
		return c, fmt.Errorf("flag -tol %v: want a finite value > 0", f.tol)
	case f.bins < 1:
		return c, fmt.Errorf("flag -bins %d: want ≥ 1", f.bins)
	case f.thr < 0:
		return c, fmt.Errorf("flag -threads %d: want ≥ 0", f.thr)
	}
	if b := models.SphericalBytes(f.n, f.p); b < 0 || b > 8<<30 {
		return c, fmt.Errorf("flags -N %d -p %d: the couplings need %.3g GB per instance (limit 8 GB)", f.n, f.p, float64(b)/1e9)
	}
	c = sampler.SphericalLandscapeConfig{
		P: f.p, N: f.n, Norm: norm, Instances: f.instances, Starts: f.starts, Method: method,
		Tol: f.tol, Bins: f.bins, Seed: f.seed, Threads: f.thr,
	}
	return c, c.Validate()
}

// jf is a float64 that marshals NaN and ±Inf as null.
type jf float64

func (x jf) MarshalJSON() ([]byte, error) {
	if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
		return []byte("null"), nil
	}
	return json.Marshal(float64(x))
}

func jfs(x []float64) []jf {
	out := make([]jf, len(x))
	for i, v := range x {
		out[i] = jf(v)
	}
	return out
}

// landscapeSphericalSummary is summary.json of `deepglass landscape -model spherical`
// (fields may be added, never renamed).
type landscapeSphericalSummary struct {
	Version     string  `json:"version"`
	Command     string  `json:"command"` // "landscape"
	Model       string  `json:"model"`   // "spherical"
	P           int     `json:"p"`
	N           int     `json:"n"`
	Norm        string  `json:"norm"`
	Method      string  `json:"method"`
	Instances   int     `json:"instances"`
	Starts      int     `json:"starts"`
	Seed        uint64  `json:"seed"`
	Tol         float64 `json:"tol"`
	Interrupted bool    `json:"interrupted,omitempty"`
	// Threshold and Ground are −E∞ and −E0 per spin in this normalization (N → ∞).
	Threshold  jf                  `json:"threshold"`
	Ground     jf                  `json:"ground"`
	Minima     landscapeMinima     `json:"minima"`
	Complexity landscapeComplexity `json:"complexity"`
	Perf       landscapePerf       `json:"perf"`
}

type landscapeMinima struct {
	// Energies are per spin, one per start (instance-major); Index the Hessian index
	// of each end point; Instance its disorder sample.
	Energies            []jf  `json:"energies"`
	Index               []int `json:"index"`
	Instance            []int `json:"instance"`
	Mean                jf    `json:"mean"`
	Err                 jf    `json:"err"`
	Std                 jf    `json:"std"`
	ShareAboveThreshold jf    `json:"share_above_threshold"`
	// ShareBelowThreshold = 1 − ShareAboveThreshold: the share below −E∞ (in the
	// band or below the ground state).
	ShareBelowThreshold jf   `json:"share_below_threshold"`
	ShareInBand         jf   `json:"share_in_band"`
	ShareBelowGround    jf   `json:"share_below_ground"`
	ShareMinima         jf   `json:"share_minima"`
	InstanceMeans       []jf `json:"instance_means"`
	NotConverged        int  `json:"not_converged"`
	Histogram           struct {
		Edges  []jf  `json:"edges"`
		Counts []int `json:"counts"`
	} `json:"histogram"`
}

type landscapeComplexity struct {
	// U are energies per spin (this normalization); Minima, Index1 and Index2 the
	// annealed complexities Θ_0, Θ_1, Θ_2 below U, Total that of all critical points.
	U      []jf `json:"u"`
	Minima []jf `json:"minima"`
	Index1 []jf `json:"index1"`
	Index2 []jf `json:"index2"`
	Total  []jf `json:"total"`
}

type landscapePerf struct {
	Gradients     int64 `json:"gradients"`
	Seconds       jf    `json:"seconds"`
	Threads       int   `json:"threads"`
	MsPerGradient jf    `json:"ms_per_gradient_thread"`
}

// landscapeSpherical runs `deepglass landscape -model spherical`.
func landscapeSpherical(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("landscape", landscapeSphericalUsage, stderr)
	var f landscapeSphericalFlags
	fs.StringVar(&f.model, "model", "spherical", "the model (this command: spherical)")
	fs.IntVar(&f.p, "p", 3, "degree of the interaction: 2, 3 or 4")
	fs.IntVar(&f.n, "N", 100, "number of spins")
	fs.IntVar(&f.starts, "starts", 100, "descents from random starts per instance")
	fs.IntVar(&f.instances, "instances", 1, "disorder instances")
	fs.StringVar(&f.norm, "norm", "abc", "normalization: abc (Auffinger–Ben Arous–Černý, Choromanska) or cs (Crisanti–Sommers)")
	fs.StringVar(&f.method, "method", "lbfgs", "descent: lbfgs (gonum L-BFGS on the radial chart) or gd (projected gradient descent)")
	fs.Float64Var(&f.tol, "tol", 1e-6, "stop when the RMS of the Riemannian gradient |grad H|/√N is below this")
	fs.IntVar(&f.bins, "bins", 30, "histogram bins")
	fs.Uint64Var(&f.seed, "seed", 1, "random seed (disorder and starts)")
	fs.IntVar(&f.thr, "threads", 0, "descents at once (default: all cores); results do not depend on it")
	fs.StringVar(&f.out, "out", "", "output directory (default runs/DATE-TIME-landscape-spherical)")
	fs.BoolVar(&f.json, "json", false, "print summary.json to stdout instead of a table")
	pos, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		return exitUsage
	}
	if len(pos) > 0 {
		fmt.Fprintf(stderr, "deepglass landscape: unexpected argument %q\n", pos[0])
		return exitUsage
	}
	cfg, err := f.config()
	if err != nil {
		fmt.Fprintf(stderr, "deepglass landscape: %v\n", err)
		return exitUsage
	}
	l, err := sampler.RunSphericalLandscape(ctx, cfg)
	interrupted := err != nil && ctx.Err() != nil && l != nil
	if err != nil && !interrupted {
		fmt.Fprintf(stderr, "deepglass landscape: %v\n", err)
		return exitError
	}
	threads := cfg.Threads
	if threads == 0 {
		threads = runtime.GOMAXPROCS(0)
	}
	sum := newLandscapeSphericalSummary(l, threads)
	sum.Interrupted = interrupted
	out := f.out
	if out == "" {
		out = defaultRunDir("landscape-spherical")
	}
	b, err := json.MarshalIndent(sum, "", "  ")
	if err == nil {
		err = os.MkdirAll(out, 0o755)
	}
	if err == nil {
		err = sim.WriteFileAtomic(filepath.Join(out, "summary.json"), append(b, '\n'))
	}
	if err != nil {
		fmt.Fprintf(stderr, "deepglass landscape: %v\n", err)
		return exitError
	}
	if f.json {
		fmt.Fprintf(stdout, "%s\n", b)
	} else {
		fmt.Fprint(stdout, landscapeSphericalTable(l))
	}
	fmt.Fprintf(stderr, "results in %s\n", out)
	if interrupted {
		fmt.Fprintf(stderr, "deepglass landscape: interrupted after %d descents\n", len(l.Energies))
		return exitInterrupted
	}
	return exitOK
}

func newLandscapeSphericalSummary(l *sampler.SphericalLandscape, threads int) landscapeSphericalSummary {
	c := l.Config
	s := landscapeSphericalSummary{
		Version: sim.Version, Command: "landscape", Model: "spherical", P: c.P, N: c.N, Norm: c.Norm.String(),
		Method: c.Method.String(), Instances: c.Instances, Starts: c.Starts, Seed: c.Seed, Tol: c.Tol,
		Threshold: jf(l.Threshold), Ground: jf(l.Ground),
	}
	m := &s.Minima
	m.Energies, m.Index, m.Instance = jfs(l.Energies), append([]int{}, l.Index...), append([]int{}, l.Instance...)
	m.Mean, m.Err, m.Std = jf(l.Mean), jf(l.Err), jf(l.Std)
	m.ShareAboveThreshold, m.ShareInBand, m.ShareBelowGround, m.ShareMinima = jf(l.ShareAboveThreshold), jf(l.ShareInBand), jf(l.ShareBelowGround), jf(l.ShareMinima)
	m.ShareBelowThreshold = jf(l.ShareInBand + l.ShareBelowGround)
	if len(l.Energies) == 0 {
		m.ShareBelowThreshold = jf(math.NaN())
	}
	m.InstanceMeans = jfs(l.InstanceMeans)
	m.NotConverged = l.NotConverged
	m.Histogram.Edges, m.Histogram.Counts = jfs(l.Edges), append([]int{}, l.Counts...)
	s.Complexity = landscapeComplexity{U: jfs(l.U), Minima: jfs(l.Complexity[0]), Index1: jfs(l.Complexity[1]), Index2: jfs(l.Complexity[2]), Total: jfs(l.ComplexityTotal)}
	s.Perf = landscapePerf{Gradients: l.Gradients, Seconds: jf(l.Seconds), Threads: threads}
	if l.Gradients > 0 {
		s.Perf.MsPerGradient = jf(1e3 * l.Seconds * float64(threads) / float64(l.Gradients))
	}
	return s
}

// landscapeSphericalTable prints the study as text: the summary and the histogram.
func landscapeSphericalTable(l *sampler.SphericalLandscape) string {
	var b strings.Builder
	c := l.Config
	fmt.Fprintf(&b, "spherical p=%d N=%d norm=%s: %d instances × %d starts, %s descents to |grad|/√N < %g\n",
		c.P, c.N, c.Norm, c.Instances, c.Starts, c.Method, c.Tol)
	fmt.Fprintf(&b, "energy per spin of the end points: mean %.5f ± %.5f, std %.5f\n", l.Mean, l.Err, l.Std)
	fmt.Fprintf(&b, "band (N → ∞): ground −E0 = %.6f, threshold −E∞ = %.6f\n", l.Ground, l.Threshold)
	fmt.Fprintf(&b, "shares: above threshold %.3f, in band %.3f, below ground %.3f; minima (index 0) %.3f; not converged %d\n",
		l.ShareAboveThreshold, l.ShareInBand, l.ShareBelowGround, l.ShareMinima, l.NotConverged)
	most := 0
	for _, n := range l.Counts {
		most = max(most, n)
	}
	for i, n := range l.Counts {
		if n == 0 {
			continue
		}
		bar := strings.Repeat("#", int(math.Ceil(40*float64(n)/float64(most))))
		fmt.Fprintf(&b, "  [%9.5f, %9.5f) %5d %s\n", l.Edges[i], l.Edges[i+1], n, bar)
	}
	fmt.Fprintf(&b, "%d gradients in %.1f s\n", l.Gradients, l.Seconds)
	return b.String()
}
