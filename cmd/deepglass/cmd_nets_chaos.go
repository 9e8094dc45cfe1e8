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
	"strconv"
	"strings"
	"time"

	"github.com/deepglass/deepglass/nets/meanfield"
	"github.com/deepglass/deepglass/sim"
)

const netsMeanfieldUsage = `Usage: deepglass nets meanfield [flags]

Mean-field theory of deep random nets (Poole et al. 2016; Schoenholz et al. 2017):
for weights N(0, σ_w²/N), biases N(0, σ_b²) and a nonlinearity φ, the fixed point q*
of the length map, the fixed point c* of the correlation map, χ₁ (the slope at c = 1),
χ_c (the slope at c*), the depth scales ξ_q and ξ_c = −1/ln χ_c, the phase (ordered
χ₁ < 1, chaotic χ₁ > 1) and the order–chaos boundary σ_w²(σ_b²) where χ₁ = 1.
-sw2 and -sb2 take comma-separated lists: one row per pair, one boundary per σ_b².

Writes DIR/summary.json: {"phi", "q_star", "c_star", "chi1", "chi_c", "xi_q", "xi_c",
"phase", "boundary" (of the first row), "points": [every row], "boundaries":
[{"sb2", "sw2"}]}; infinite depth scales (on the boundary) are null.

Example:
  deepglass nets meanfield -phi tanh -sw2 1,1.5,1.7610,2,3 -sb2 0.05

Flags:
`

const netsPropagateUsage = `Usage: deepglass nets propagate [flags]

Simulates -nets independent random nets of width -width and depth -depth and compares
them with the mean-field maps: inputs of squared length q⁰ (-q0; default q*) and
correlations -c0 with a reference input; per layer, q^l and c^l over nets (mean,
standard error) beside the maps' iterates, and the z-scores. It also measures ξ_c from
the decay of |c^l − c*| (inputs near c*, a window set by the maps; -xi=false to skip)
and, with -circle K, the growth rate of the image of Poole's great circle of K points
(explicit weights; compare ½ ln χ₁).

-method gram (default) draws, layer by layer, only what the inputs see of fresh
Gaussian weights: the same law as explicit weights, at O(N) instead of O(N²) per
layer; -method weights draws the N×N matrices.

Writes DIR/summary.json: {"phi", "sw2", "sb2", "width", "depth", "nets", "seed",
"method", "q0", "c0", "theory": {"q_star", …}, "layers": [{"l", "q": {"mean", "err"},
"q_theory", "c": [{"mean", "err"}], "c_theory": […]}], "max_abs_z", "xi_c_fit":
{"mean", "err", "from", "to", "theory", "theory_window"}, "circle": {…}}.

Example:
  deepglass nets propagate -phi tanh -sw2 3 -sb2 0.05 -width 1000 -depth 30 -nets 500 -c0 0.6,0.95 -circle 200

Flags:
`

// chaosNum is a number that marshals NaN and ±Inf as JSON null.
type chaosNum float64

func (x chaosNum) MarshalJSON() ([]byte, error) {
	f := float64(x)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return []byte(strconv.FormatFloat(f, 'g', -1, 64)), nil
}

type chaosStat struct {
	Mean chaosNum `json:"mean"`
	Err  chaosNum `json:"err"`
}

func chaosStatOf(s meanfield.Stat) chaosStat { return chaosStat{chaosNum(s.Mean), chaosNum(s.Err)} }

// chaosPoint is one mean-field point in summary.json.
type chaosPoint struct {
	SW2     chaosNum `json:"sw2"`
	SB2     chaosNum `json:"sb2"`
	QStar   chaosNum `json:"q_star"`
	CStar   chaosNum `json:"c_star"`
	Chi1    chaosNum `json:"chi1"`
	ChiC    chaosNum `json:"chi_c"`
	XiQ     chaosNum `json:"xi_q"`
	XiC     chaosNum `json:"xi_c"`
	Phase   string   `json:"phase"`
	Warning string   `json:"warning,omitempty"`
}

func chaosPointOf(p meanfield.Point) chaosPoint {
	return chaosPoint{chaosNum(p.SW2), chaosNum(p.SB2), chaosNum(p.QStar), chaosNum(p.CStar), chaosNum(p.Chi1),
		chaosNum(p.ChiC), chaosNum(p.XiQ), chaosNum(p.XiC), p.Phase.String(), p.Warning}
}

type chaosBoundary struct {
	SB2 chaosNum `json:"sb2"`
	SW2 chaosNum `json:"sw2"`
}

// netsMeanfieldSummary is summary.json of `deepglass nets meanfield` (fields may be
// added, never renamed). The top-level numbers are those of the first point.
type netsMeanfieldSummary struct {
	Version    string          `json:"version"`
	Command    string          `json:"command"`
	Phi        string          `json:"phi"`
	Quad       string          `json:"quadrature"`
	QStar      chaosNum        `json:"q_star"`
	CStar      chaosNum        `json:"c_star"`
	Chi1       chaosNum        `json:"chi1"`
	ChiC       chaosNum        `json:"chi_c"`
	XiQ        chaosNum        `json:"xi_q"`
	XiC        chaosNum        `json:"xi_c"`
	Phase      string          `json:"phase"`
	Boundary   chaosNum        `json:"boundary"`
	Points     []chaosPoint    `json:"points"`
	Boundaries []chaosBoundary `json:"boundaries"`
	Seconds    float64         `json:"seconds"`
}

// chaosList parses a comma-separated list of finite numbers ≥ 0 for flag name.
func chaosList(name, s string) ([]float64, error) {
	var out []float64
	for _, p := range strings.Split(s, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || !(v >= 0) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("flag -%s %q: want a comma-separated list of finite numbers ≥ 0", name, s)
		}
		out = append(out, v)
	}
	return out, nil
}

// chaosParse parses args; ok is false when the command should return rc.
func chaosParse(fs *flag.FlagSet, args []string, stderr io.Writer) (rc int, ok bool) {
	fs.SetOutput(stderr)
	pos, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK, false
	}
	if err != nil {
		return exitUsage, false
	}
	if len(pos) > 0 {
		fmt.Fprintf(stderr, "deepglass nets %s: unexpected argument %q\n", fs.Name(), pos[0])
		return exitUsage, false
	}
	return 0, true
}

// chaosQuad returns the quadrature named by -quad and -nodes.
func chaosQuad(name string, nodes int) (meanfield.Quad, error) {
	var q meanfield.Quad
	switch name {
	case "adaptive":
	case "gh", "gauss-hermite":
		q.Method = meanfield.GaussHermite
	default:
		return q, fmt.Errorf("flag -quad %q: want adaptive or gh", name)
	}
	q.Nodes = nodes
	if err := q.Validate(); err != nil {
		return q, fmt.Errorf("flag -nodes: %w", err)
	}
	return q, nil
}

// chaosWrite writes sum to DIR/summary.json (DIR = out, or a new runs/ directory
// named after kind) and prints it (asJSON) or text().
func chaosWrite(sum any, out, kind string, asJSON bool, text func() string, stdout, stderr io.Writer) int {
	if out == "" {
		out = defaultRunDir(kind)
	}
	b, err := json.MarshalIndent(sum, "", "  ")
	if err == nil {
		err = os.MkdirAll(out, 0o755)
	}
	if err == nil {
		err = sim.WriteFileAtomic(filepath.Join(out, "summary.json"), append(b, '\n'))
	}
	if err != nil {
		fmt.Fprintf(stderr, "deepglass %s: %v\n", strings.Replace(kind, "-", " ", 1), err)
		return exitError
	}
	if asJSON {
		fmt.Fprintf(stdout, "%s\n", b)
	} else {
		fmt.Fprint(stdout, text())
	}
	fmt.Fprintf(stderr, "results in %s\n", out)
	return exitOK
}

func cmdNetsMeanfield(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("meanfield", netsMeanfieldUsage, stderr)
	phiName := fs.String("phi", "tanh", "nonlinearity: "+strings.Join(meanfield.PhiNames(), ", "))
	sw2s := fs.String("sw2", "1.5", "weight variances σ_w² (comma-separated)")
	sb2s := fs.String("sb2", "0.05", "bias variances σ_b² (comma-separated)")
	quadName := fs.String("quad", "adaptive", "Gaussian integrals: adaptive (Gauss–Kronrod, 1e-12) or gh (Gauss–Hermite)")
	nodes := fs.Int("nodes", 0, "Gauss–Hermite points per dimension (0: 128)")
	out := fs.String("out", "", "output directory (default runs/DATE-TIME-nets-meanfield)")
	asJSON := fs.Bool("json", false, "print summary.json to stdout instead of a table")
	if rc, ok := chaosParse(fs, args, stderr); !ok {
		return rc
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "deepglass nets meanfield: %v\n", err)
		return exitUsage
	}
	phi, err := meanfield.PhiByName(*phiName)
	if err != nil {
		return fail(fmt.Errorf("flag -phi: %w", err))
	}
	sw2, err := chaosList("sw2", *sw2s)
	if err != nil {
		return fail(err)
	}
	sb2, err := chaosList("sb2", *sb2s)
	if err != nil {
		return fail(err)
	}
	q, err := chaosQuad(*quadName, *nodes)
	if err != nil {
		return fail(err)
	}
	start := time.Now()
	sum := netsMeanfieldSummary{Version: sim.Version, Command: "nets meanfield", Phi: phi.Name, Quad: q.String()}
	var pts []meanfield.Point
	for _, b := range sb2 {
		for _, w := range sw2 {
			if ctx.Err() != nil {
				fmt.Fprintln(stderr, "deepglass nets meanfield: interrupted")
				return exitInterrupted
			}
			p, err := meanfield.Net{Phi: phi, SW2: w, SB2: b, Quad: q}.Analyze()
			if err != nil {
				fmt.Fprintf(stderr, "deepglass nets meanfield: %v\n", err)
				return exitError
			}
			pts = append(pts, p)
			sum.Points = append(sum.Points, chaosPointOf(p))
		}
		bw, err := meanfield.Boundary(phi, b, q)
		if err != nil {
			fmt.Fprintf(stderr, "deepglass nets meanfield: warning: boundary at σ_b² = %g: %v\n", b, err)
			bw = math.NaN()
		}
		sum.Boundaries = append(sum.Boundaries, chaosBoundary{chaosNum(b), chaosNum(bw)})
	}
	p0 := sum.Points[0]
	sum.QStar, sum.CStar, sum.Chi1, sum.ChiC, sum.XiQ, sum.XiC, sum.Phase = p0.QStar, p0.CStar, p0.Chi1, p0.ChiC, p0.XiQ, p0.XiC, p0.Phase
	sum.Boundary = sum.Boundaries[0].SW2
	sum.Seconds = time.Since(start).Seconds()
	text := func() string {
		var b strings.Builder
		fmt.Fprintf(&b, "%s nets, mean-field theory (%s)\n", phi.Name, q)
		fmt.Fprintf(&b, "%8s %8s %10s %10s %10s %10s %8s %8s  %s\n", "σ_w²", "σ_b²", "q*", "c*", "χ₁", "χ_c", "ξ_q", "ξ_c", "phase")
		for _, p := range pts {
			fmt.Fprintf(&b, "%8.4g %8.4g %10.6g %10.6g %10.6g %10.6g %8.4g %8.4g  %v", p.SW2, p.SB2, p.QStar, p.CStar, p.Chi1, p.ChiC, p.XiQ, p.XiC, p.Phase)
			if p.Warning != "" {
				b.WriteString("  WARNING: " + p.Warning)
			}
			b.WriteString("\n")
		}
		for _, bd := range sum.Boundaries {
			fmt.Fprintf(&b, "boundary χ₁ = 1 at σ_b² = %g: σ_w² = %.6f\n", float64(bd.SB2), float64(bd.SW2))
		}
		return b.String()
	}
	return chaosWrite(sum, *out, "nets-meanfield", *asJSON, text, stdout, stderr)
}

// netsPropagateSummary is summary.json of `deepglass nets propagate` (fields may be
// added, never renamed).
type netsPropagateSummary struct {
	Version string        `json:"version"`
	Command string        `json:"command"`
	Phi     string        `json:"phi"`
	SW2     float64       `json:"sw2"`
	SB2     float64       `json:"sb2"`
	Width   int           `json:"width"`
	Depth   int           `json:"depth"`
	Nets    int           `json:"nets"`
	Seed    uint64        `json:"seed"`
	Method  string        `json:"method"`
	Q0      float64       `json:"q0"`
	C0      []float64     `json:"c0"`
	Theory  chaosPoint    `json:"theory"`
	Layers  []chaosLayer  `json:"layers"`
	MaxAbsZ chaosNum      `json:"max_abs_z"`
	XiCFit  *chaosXiFit   `json:"xi_c_fit,omitempty"`
	Circle  *chaosCircle  `json:"circle,omitempty"`
	Notes   []string      `json:"notes,omitempty"`
	Seconds float64       `json:"seconds"`
	Perf    chaosPropPerf `json:"perf"`
}

type chaosLayer struct {
	L       int         `json:"l"`
	Q       chaosStat   `json:"q"`
	QTheory chaosNum    `json:"q_theory"`
	C       []chaosStat `json:"c"`
	CTheory []chaosNum  `json:"c_theory"`
}

type chaosXiFit struct {
	Mean         chaosNum  `json:"mean"`
	Err          chaosNum  `json:"err"`
	From         int       `json:"from"`
	To           int       `json:"to"`
	C0           []float64 `json:"c0"`
	Theory       chaosNum  `json:"theory"`
	TheoryWindow chaosNum  `json:"theory_window"`
	Z            chaosNum  `json:"z"`
}

type chaosCircle struct {
	Points     int         `json:"points"`
	Nets       int         `json:"nets"`
	Length     []chaosStat `json:"length"`
	Square     []chaosStat `json:"square"`
	Polygon    []chaosNum  `json:"polygon_theory"`
	From       int         `json:"from"`
	To         int         `json:"to"`
	Rate       chaosStat   `json:"rate"`
	LengthRate chaosStat   `json:"length_rate"`
	Theory     chaosNum    `json:"theory_rate"`
}

type chaosPropPerf struct {
	LayerUpdates float64 `json:"layer_updates"`
	NsPerUnit    float64 `json:"ns_per_unit"`
}

func cmdNetsPropagate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("propagate", netsPropagateUsage, stderr)
	phiName := fs.String("phi", "tanh", "nonlinearity: "+strings.Join(meanfield.PhiNames(), ", "))
	sw2 := fs.Float64("sw2", 3, "weight variance σ_w² (weights N(0, σ_w²/N))")
	sb2 := fs.Float64("sb2", 0.05, "bias variance σ_b²")
	width := fs.Int("width", 1000, "width N of every layer")
	depth := fs.Int("depth", 30, "number of layers")
	nets := fs.Int("nets", 200, "independent random nets")
	q0s := fs.String("q0", "auto", "squared length q⁰ = |h⁰|²/N of the inputs (auto: q*)")
	c0s := fs.String("c0", "0.6,0.95", "input correlations with the reference input (comma-separated)")
	method := fs.String("method", "gram", "gram (exact layer-by-layer sampling of what the inputs see) or weights (explicit N×N matrices)")
	xi := fs.Bool("xi", true, "also measure ξ_c from the decay of |c^l − c*| (same width and nets)")
	circle := fs.Int("circle", 0, "points of Poole's great circle (0: no circle experiment; explicit weights)")
	circleNets := fs.Int("circle-nets", 8, "nets for the circle experiment")
	seed := fs.Uint64("seed", 1, "random seed")
	threads := fs.Int("threads", 0, "nets simulated at once (0: GOMAXPROCS)")
	out := fs.String("out", "", "output directory (default runs/DATE-TIME-nets-propagate)")
	asJSON := fs.Bool("json", false, "print summary.json to stdout instead of a table")
	if rc, ok := chaosParse(fs, args, stderr); !ok {
		return rc
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "deepglass nets propagate: %v\n", err)
		return exitUsage
	}
	phi, err := meanfield.PhiByName(*phiName)
	if err != nil {
		return fail(fmt.Errorf("flag -phi: %w", err))
	}
	var m meanfield.SimMethod
	switch *method {
	case "gram":
		m = meanfield.Gram
	case "weights":
		m = meanfield.Weights
	default:
		return fail(fmt.Errorf("flag -method %q: want gram or weights", *method))
	}
	c0, err := chaosList("c0", *c0s)
	if err != nil {
		return fail(err)
	}
	switch {
	case !(*sw2 >= 0) || math.IsInf(*sw2, 0):
		return fail(fmt.Errorf("flag -sw2 %v: want a finite value ≥ 0", *sw2))
	case !(*sb2 >= 0) || math.IsInf(*sb2, 0):
		return fail(fmt.Errorf("flag -sb2 %v: want a finite value ≥ 0", *sb2))
	case *width < 2 || *width > 1<<16:
		return fail(fmt.Errorf("flag -width %d: want 2 to 65536", *width))
	case *depth < 1 || *depth > 10000:
		return fail(fmt.Errorf("flag -depth %d: want 1 to 10000", *depth))
	case *nets < 2:
		return fail(fmt.Errorf("flag -nets %d: want at least 2 (errors are over nets)", *nets))
	case *circle != 0 && (*circle < 8 || *circle > 100000):
		return fail(fmt.Errorf("flag -circle %d: want 0 or 8 to 100000 points", *circle))
	case *circle != 0 && *circleNets < 2:
		return fail(fmt.Errorf("flag -circle-nets %d: want at least 2", *circleNets))
	case *threads < 0:
		return fail(fmt.Errorf("flag -threads %d: want ≥ 0", *threads))
	}
	for _, c := range c0 {
		if c > 1 {
			return fail(fmt.Errorf("flag -c0 %q: correlations must be ≤ 1", *c0s))
		}
	}
	net := meanfield.Net{Phi: phi, SW2: *sw2, SB2: *sb2}
	start := time.Now()
	p, err := net.Analyze()
	if err != nil {
		return fail(err)
	}
	q0 := p.QStar
	if *q0s != "auto" {
		q0, err = strconv.ParseFloat(*q0s, 64)
		if err != nil || !(q0 > 0) || math.IsInf(q0, 0) {
			return fail(fmt.Errorf("flag -q0 %q: want auto or a finite value > 0", *q0s))
		}
	} else if !(q0 > 0) || math.IsInf(q0, 0) {
		return fail(fmt.Errorf("q* = %v: give the input length with -q0", q0))
	}
	interrupted := func(err error) (int, bool) {
		if errors.Is(err, context.Canceled) {
			fmt.Fprintln(stderr, "deepglass nets propagate: interrupted")
			return exitInterrupted, true
		}
		if err != nil {
			fmt.Fprintf(stderr, "deepglass nets propagate: %v\n", err)
			return exitError, true
		}
		return 0, false
	}
	spec := meanfield.SimSpec{Phi: phi, SW2: *sw2, SB2: *sb2, Width: *width, Depth: *depth, Nets: *nets, Q0: q0, C0: c0, Seed: *seed, Method: m, Threads: *threads}
	res, err := meanfield.Simulate(ctx, spec)
	if rc, stop := interrupted(err); stop {
		return rc
	}
	sum := netsPropagateSummary{Version: sim.Version, Command: "nets propagate", Phi: phi.Name, SW2: *sw2, SB2: *sb2, Width: *width,
		Depth: *depth, Nets: *nets, Seed: *seed, Method: m.String(), Q0: q0, C0: c0, Theory: chaosPointOf(p)}
	qs := net.Lengths(q0, *depth)
	cs := make([][]float64, len(c0))
	for k, c := range c0 {
		_, cs[k] = net.Correlations(q0, c, *depth)
	}
	maxZ := 0.0
	for l := 0; l <= *depth; l++ {
		ly := chaosLayer{L: l, Q: chaosStatOf(res.Q[l]), QTheory: chaosNum(qs[l])}
		zs := []float64{(res.Q[l].Mean - qs[l]) / res.Q[l].Err}
		for k := range c0 {
			ly.C = append(ly.C, chaosStatOf(res.C[k][l]))
			ly.CTheory = append(ly.CTheory, chaosNum(cs[k][l]))
			zs = append(zs, (res.C[k][l].Mean-cs[k][l])/res.C[k][l].Err)
		}
		if l > 0 { // layer 0 is the exact input
			for _, z := range zs {
				if a := math.Abs(z); a > maxZ || math.IsNaN(a) {
					maxZ = a
				}
			}
		}
		sum.Layers = append(sum.Layers, ly)
	}
	sum.MaxAbsZ = chaosNum(maxZ)
	units := float64(*nets) * float64(*depth) * float64(*width)
	sum.Perf = chaosPropPerf{LayerUpdates: float64(*nets) * float64(*depth), NsPerUnit: res.Seconds * 1e9 / units}
	if *xi {
		x, err := meanfield.MeasureXiC(ctx, net, *width, *nets, *seed+1, m)
		if errors.Is(err, context.Canceled) {
			_, _ = interrupted(err)
			return exitInterrupted
		}
		if err != nil {
			sum.Notes = append(sum.Notes, "ξ_c not measured: "+err.Error())
		} else {
			sum.XiCFit = &chaosXiFit{Mean: chaosNum(x.Fit.Scale.Mean), Err: chaosNum(x.Fit.Scale.Err), From: x.Fit.From, To: x.Fit.To,
				C0: x.C0, Theory: chaosNum(p.XiC), TheoryWindow: chaosNum(x.TheoryFit), Z: chaosNum(x.Z())}
		}
	}
	if *circle > 0 {
		cdepth := *depth
		cr, err := meanfield.Circle(ctx, meanfield.CircleSpec{Phi: phi, SW2: *sw2, SB2: *sb2, Width: *width, Depth: cdepth, Nets: *circleNets,
			Points: *circle, Q0: q0, Seed: *seed + 2, Threads: *threads})
		if rc, stop := interrupted(err); stop {
			return rc
		}
		poly := net.CircleTheory(q0, *circle, cdepth)
		c := &chaosCircle{Points: *circle, Nets: *circleNets, Theory: chaosNum(0.5 * math.Log(p.Chi1))}
		for l := range cr.Length {
			c.Length = append(c.Length, chaosStatOf(cr.Length[l]))
			c.Square = append(c.Square, chaosStatOf(cr.Square[l]))
			c.Polygon = append(c.Polygon, chaosNum(poly[l]))
		}
		// Fit while the polygon resolves the curve: the maps' polygon within 1% of
		// the curve's length.
		curve := net.CircleTheory(q0, 0, cdepth)
		to := 0
		for to < cdepth && math.Abs(poly[to+1]/curve[to+1]-1) < 0.01 {
			to++
		}
		c.To = to
		if to >= 2 {
			if f, err := meanfield.FitExp(cr.SquareNet, 0, to); err == nil {
				c.Rate = chaosStat{chaosNum(f.Rate.Mean / 2), chaosNum(f.Rate.Err / 2)}
			}
			if f, err := meanfield.FitExp(cr.LengthNet, 0, to); err == nil {
				c.LengthRate = chaosStatOf(f.Rate)
			}
		} else {
			sum.Notes = append(sum.Notes, "circle: the polygon stops resolving the curve after layer 1; use more -circle points")
		}
		sum.Circle = c
	}
	sum.Seconds = time.Since(start).Seconds()
	text := func() string {
		var b strings.Builder
		fmt.Fprintf(&b, "%v\nmaps: %v\n", res.Spec, p)
		fmt.Fprintf(&b, "%4s %22s %10s %6s", "l", "q", "maps", "z")
		for k := range c0 {
			fmt.Fprintf(&b, " %22s %10s %6s", fmt.Sprintf("c (c⁰=%g)", c0[k]), "maps", "z")
		}
		b.WriteString("\n")
		for l := 0; l <= *depth; l++ {
			z := func(s meanfield.Stat, want float64) string {
				if l == 0 {
					return "input" // exact up to rounding
				}
				return fmt.Sprintf("%.2f", (s.Mean-want)/s.Err)
			}
			fmt.Fprintf(&b, "%4d %22v %10.5g %6s", l, res.Q[l], qs[l], z(res.Q[l], qs[l]))
			for k := range c0 {
				fmt.Fprintf(&b, " %22v %10.5g %6s", res.C[k][l], cs[k][l], z(res.C[k][l], cs[k][l]))
			}
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "max |z| over layers 1–%d: %.2f\n", *depth, maxZ)
		if x := sum.XiCFit; x != nil {
			c0s := make([]string, len(x.C0))
			for k, c := range x.C0 {
				c0s[k] = fmt.Sprintf("%.4g", c)
			}
			fmt.Fprintf(&b, "ξ_c from |c^l − c*| (c⁰ = %s, layers %d–%d): %v; maps %.4g (same window %.4g), z = %.2f\n",
				strings.Join(c0s, ", "), x.From, x.To, meanfield.Stat{Mean: float64(x.Mean), Err: float64(x.Err)}, p.XiC, float64(x.TheoryWindow), float64(x.Z))
		}
		if c := sum.Circle; c != nil && c.To >= 2 {
			fmt.Fprintf(&b, "circle of %d points: rate of its length %v per layer (√mean square: %v), layers 0–%d; ½ ln χ₁ = %.4f\n",
				c.Points, meanfield.Stat{Mean: float64(c.LengthRate.Mean), Err: float64(c.LengthRate.Err)},
				meanfield.Stat{Mean: float64(c.Rate.Mean), Err: float64(c.Rate.Err)}, c.To, float64(c.Theory))
		}
		for _, n := range sum.Notes {
			fmt.Fprintln(&b, "note:", n)
		}
		return b.String()
	}
	return chaosWrite(sum, *out, "nets-propagate", *asJSON, text, stdout, stderr)
}
