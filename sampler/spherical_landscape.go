package sampler

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/deepglass/deepglass/models"
)

// SphericalLandscapeConfig describes a landscape study of the spherical p-spin
// model: Instances disorder samples, Starts descents from uniformly random points
// of the sphere on each. The zero value of the optional fields picks a default.
type SphericalLandscapeConfig struct {
	P, N int
	Norm models.SphericalNorm
	// Instances is the number of disorder samples (default 1), Starts the number of
	// descents on each (default 100).
	Instances, Starts int
	// Method, Tol and MaxIter configure each [SphericalDescent] (Tol default 1e-6).
	Method  DescentMethod
	Tol     float64
	MaxIter int
	// Escapes bounds how often a descent that ends at a saddle (index > 0) is pushed
	// along its most negative Hessian direction and resumed (default 10; −1: never).
	Escapes int
	// NoIndex skips the Hessian spectrum of the end points (the index is then −1).
	NoIndex bool
	// Bins is the number of histogram bins (default 30).
	Bins int
	// Seed determines the disorder (streams (Seed, PurposeDisorder, instance, 0))
	// and the starts (streams (Seed, PurposeChain, instance, start)).
	Seed uint64
	// Threads is the number of descents run at once (0: GOMAXPROCS). Results do not
	// depend on it.
	Threads int
}

// String describes the study.
func (c SphericalLandscapeConfig) String() string {
	return fmt.Sprintf("spherical landscape p=%d N=%d norm=%s instances=%d starts=%d method=%s seed=%d",
		c.P, c.N, c.Norm, c.Instances, c.Starts, c.Method, c.Seed)
}

// Validate reports every problem of the configuration at once.
func (c SphericalLandscapeConfig) Validate() error {
	var errs []error
	if c.P < 2 || c.P > 4 {
		errs = append(errs, fmt.Errorf("p = %d: want 2, 3 or 4", c.P))
	}
	if c.N < 2 {
		errs = append(errs, fmt.Errorf("number of spins N = %d: want at least 2", c.N))
	}
	if c.Norm != models.ABC && c.Norm != models.CrisantiSommers {
		errs = append(errs, fmt.Errorf("unknown normalization %d", int(c.Norm)))
	}
	if c.Instances < 0 || c.Starts < 0 {
		errs = append(errs, fmt.Errorf("instances = %d, starts = %d: want ≥ 1", c.Instances, c.Starts))
	}
	if c.Method != ProjectedGD && c.Method != LBFGS {
		errs = append(errs, fmt.Errorf("unknown descent method %d", int(c.Method)))
	}
	if c.Tol < 0 || math.IsNaN(c.Tol) || c.MaxIter < 0 || c.Bins < 0 || c.Threads < 0 || c.Escapes < -1 {
		errs = append(errs, errors.New("tol, max iterations, bins, threads and escapes must not be negative"))
	}
	if c.P >= 2 && c.P <= 4 && c.N >= 2 {
		if b := models.SphericalBytes(c.N, c.P); b < 0 || b > 8<<30 {
			errs = append(errs, fmt.Errorf("couplings of N = %d, p = %d need %.3g GB per instance (limit 8 GB)", c.N, c.P, float64(b)/1e9))
		}
	}
	return errors.Join(errs...)
}

func (c SphericalLandscapeConfig) withDefaults() SphericalLandscapeConfig {
	if c.Instances == 0 {
		c.Instances = 1
	}
	if c.Starts == 0 {
		c.Starts = 100
	}
	if c.Tol == 0 {
		c.Tol = 1e-6
	}
	if c.Escapes == 0 {
		c.Escapes = 10
	}
	if c.Bins == 0 {
		c.Bins = 30
	}
	if c.Threads == 0 {
		c.Threads = runtime.GOMAXPROCS(0)
	}
	return c
}

// SphericalLandscape is the outcome of a landscape study: the end point of every
// descent, in order (instance-major), and their statistics, beside the N → ∞
// theory in the same normalization. Energies are per spin.
type SphericalLandscape struct {
	Config SphericalLandscapeConfig
	// Energies[d], Index[d], GradRMS[d] and Instance[d] describe descent d; Index
	// is −1 when not computed. Escapes[d] counts its restarts from saddles.
	Energies []float64
	Index    []int
	GradRMS  []float64
	Instance []int
	Escapes  []int
	// NotConverged counts descents that stopped above the gradient tolerance.
	NotConverged int
	// Mean and Std are the mean and standard deviation of Energies; Err is the
	// standard error of Mean, from the spread of the instance means when there
	// are several instances (disorder and starts both count), else Std/√n.
	Mean, Std, Err float64
	// InstanceMeans are the mean energies per instance.
	InstanceMeans []float64
	// Threshold and Ground are −E∞ and −E0 in this normalization (per spin, N → ∞).
	Threshold, Ground float64
	// ShareAboveThreshold is the share of end points with energy above the
	// threshold (outside the band of minima as N → ∞); ShareInBand those in
	// [Ground, Threshold]; ShareBelowGround those below the ground state.
	ShareAboveThreshold, ShareInBand, ShareBelowGround float64
	// ShareMinima is the share of end points with index 0.
	ShareMinima float64
	// Edges (Bins+1) and Counts (Bins) are the histogram of Energies.
	Edges  []float64
	Counts []int
	// U is a grid of energies per spin and Complexity[k][i] the annealed complexity
	// Θ_k (k = 0, 1, 2: minima, index-1 and index-2 saddles) below U[i], with
	// ComplexityTotal[i] that of all critical points (Auffinger–Ben Arous–Černý,
	// converted to this normalization).
	U               []float64
	Complexity      [3][]float64
	ComplexityTotal []float64
	// Gradients counts gradient evaluations; Seconds is the wall time.
	Gradients int64
	Seconds   float64
}

// String summarises the study.
func (l *SphericalLandscape) String() string {
	return fmt.Sprintf("%d descents: e = %.4f ± %.4f (sd %.4f), %.0f%% above −E∞ = %.4f, %.0f%% minima",
		len(l.Energies), l.Mean, l.Err, l.Std, 100*l.ShareAboveThreshold, l.Threshold, 100*l.ShareMinima)
}

// instanceCache builds each instance's model once and drops it after its last
// descent, so that at most about Threads+1 models are alive at a time.
type instanceCache struct {
	mu   sync.Mutex
	live map[int]*instanceEntry
	cfg  SphericalLandscapeConfig
}

type instanceEntry struct {
	once      sync.Once
	m         *models.Spherical
	remaining int
}

func (c *instanceCache) get(i int) *models.Spherical {
	c.mu.Lock()
	e, ok := c.live[i]
	if !ok {
		e = &instanceEntry{remaining: c.cfg.Starts}
		c.live[i] = e
	}
	c.mu.Unlock()
	e.once.Do(func() {
		e.m = models.NewSpherical(c.cfg.N, c.cfg.P, c.cfg.Norm, NewStream(c.cfg.Seed, PurposeDisorder, i, 0))
	})
	return e.m
}

func (c *instanceCache) done(i int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.live[i]; e != nil {
		e.remaining--
		if e.remaining == 0 {
			delete(c.live, i)
		}
	}
}

// RunSphericalLandscape runs the study: every descent from its own random start,
// to a local minimum (or a saddle, if escapes are exhausted), classified by the
// spectrum of its Riemannian Hessian. If ctx is cancelled it returns the descents
// finished so far (in order, possibly with gaps filled by nothing) with ctx.Err().
func RunSphericalLandscape(ctx context.Context, cfg SphericalLandscapeConfig) (*SphericalLandscape, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("spherical landscape: %w", err)
	}
	cfg = cfg.withDefaults()
	start := time.Now()
	total := cfg.Instances * cfg.Starts
	type outcome struct {
		e, grad float64
		index   int
		escapes int
		conv    bool
		grads   int
		done    bool
	}
	out := make([]outcome, total)
	cache := &instanceCache{live: map[int]*instanceEntry{}, cfg: cfg}
	// An error in one descent stops the others (through work); ctx stays the
	// caller's, to tell an interruption from an error.
	work, stop := context.WithCancel(ctx)
	defer stop()
	var next atomic.Int64
	var wg sync.WaitGroup
	errc := make(chan error, cfg.Threads)
	for range min(cfg.Threads, total) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := make([]float64, cfg.N)
			for {
				d := int(next.Add(1) - 1)
				if d >= total || work.Err() != nil {
					return
				}
				inst, k := d/cfg.Starts, d%cfg.Starts
				m := cache.get(inst)
				models.RandomSphere(s, NewStream(cfg.Seed, PurposeChain, inst, k))
				desc := SphericalDescent{Model: m, Method: cfg.Method, Tol: cfg.Tol, MaxIter: cfg.MaxIter}
				o, err := descendClassified(work, &desc, s, cfg)
				cache.done(inst)
				if err != nil {
					if ctx.Err() == nil && !errors.Is(err, context.Canceled) {
						errc <- fmt.Errorf("descent %d (instance %d, start %d): %w", d, inst, k, err)
						stop()
					}
					return
				}
				out[d] = outcome{e: o.r.Energy, grad: o.r.GradRMS, index: o.index, escapes: o.escapes, conv: o.r.Converged, grads: o.grads, done: true}
			}
		}()
	}
	wg.Wait()
	close(errc)
	if err := <-errc; err != nil {
		return nil, fmt.Errorf("spherical landscape: %w", err)
	}
	l := &SphericalLandscape{Config: cfg}
	for d, o := range out {
		if !o.done {
			continue
		}
		l.Energies = append(l.Energies, o.e)
		l.Index = append(l.Index, o.index)
		l.GradRMS = append(l.GradRMS, o.grad)
		l.Instance = append(l.Instance, d/cfg.Starts)
		l.Escapes = append(l.Escapes, o.escapes)
		l.Gradients += int64(o.grads)
		if !o.conv {
			l.NotConverged++
		}
	}
	l.summarize()
	l.Seconds = time.Since(start).Seconds()
	if err := ctx.Err(); err != nil {
		return l, err
	}
	return l, nil
}

type classified struct {
	r       DescentResult
	index   int
	escapes int
	grads   int
}

// descendClassified descends from s, computes the index of the end point and, while
// it is a saddle and escapes remain, pushes s along the most negative direction of
// the Hessian and descends again.
func descendClassified(ctx context.Context, d *SphericalDescent, s []float64, cfg SphericalLandscapeConfig) (classified, error) {
	var c classified
	for {
		r, err := d.Run(ctx, s)
		c.r = r
		c.grads += r.Gradients
		if err != nil {
			return c, err
		}
		if cfg.NoIndex {
			c.index = -1
			return c, nil
		}
		idx, dir, err := saddleDirection(d.Model, s, c.escapes < cfg.Escapes)
		if err != nil {
			return c, err
		}
		c.index = idx
		if idx == 0 || c.escapes >= cfg.Escapes {
			return c, nil
		}
		// Step a small angle (0.01 rad) along the unstable direction: both signs
		// lead downhill to second order; the + sign is taken.
		n := float64(len(s))
		for i := range s {
			s[i] += 0.01 * math.Sqrt(n) * dir[i]
		}
		models.Normalize(s)
		c.escapes++
	}
}

// saddleDirection returns the index of s and, if want and the index is positive, the
// unit eigenvector of the most negative eigenvalue of the Riemannian Hessian.
func saddleDirection(m *models.Spherical, s []float64, want bool) (int, []float64, error) {
	c, err := m.Classify(s)
	if err != nil {
		return 0, nil, err
	}
	if c.Index == 0 || !want {
		return c.Index, nil, nil
	}
	n := m.N()
	h := mat.NewSymDense(n, nil)
	m.RiemannianHessian(h, s)
	var es mat.EigenSym
	if !es.Factorize(h, true) {
		return 0, nil, errors.New("eigendecomposition of the Hessian failed")
	}
	var vecs mat.Dense
	es.VectorsTo(&vecs)
	// The most negative eigenvalue belongs to a tangent direction (σ's is 0).
	dir := make([]float64, n)
	mat.Col(dir, 0, &vecs)
	return c.Index, dir, nil
}

// summarize fills the statistics, the histogram and the theory curves.
func (l *SphericalLandscape) summarize() {
	cfg := l.Config
	scale := 1.0
	if cfg.Norm == models.CrisantiSommers {
		scale = 1 / math.Sqrt2
	}
	l.Threshold = -models.SphericalEInf(cfg.P) * scale
	l.Ground = -models.SphericalE0(cfg.P) * scale
	n := len(l.Energies)
	if n == 0 {
		nan := math.NaN()
		l.Mean, l.Std, l.Err = nan, nan, nan
		l.ShareAboveThreshold, l.ShareInBand, l.ShareBelowGround, l.ShareMinima = nan, nan, nan, nan
		return
	}
	var sum float64
	minima := 0
	for i, e := range l.Energies {
		sum += e
		switch {
		case e > l.Threshold:
			l.ShareAboveThreshold++
		case e < l.Ground:
			l.ShareBelowGround++
		default:
			l.ShareInBand++
		}
		if l.Index[i] == 0 {
			minima++
		}
	}
	l.Mean = sum / float64(n)
	var ss float64
	for _, e := range l.Energies {
		ss += (e - l.Mean) * (e - l.Mean)
	}
	l.Std = math.NaN()
	if n > 1 {
		l.Std = math.Sqrt(ss / float64(n-1))
	}
	l.ShareAboveThreshold /= float64(n)
	l.ShareInBand /= float64(n)
	l.ShareBelowGround /= float64(n)
	l.ShareMinima = float64(minima) / float64(n)
	// Instance means; the error of the mean from their spread.
	counts := map[int]int{}
	sums := map[int]float64{}
	for i, e := range l.Energies {
		counts[l.Instance[i]]++
		sums[l.Instance[i]] += e
	}
	keys := make([]int, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	for _, k := range keys {
		l.InstanceMeans = append(l.InstanceMeans, sums[k]/float64(counts[k]))
	}
	if ni := len(l.InstanceMeans); ni > 1 {
		var m, v float64
		for _, x := range l.InstanceMeans {
			m += x
		}
		m /= float64(ni)
		for _, x := range l.InstanceMeans {
			v += (x - m) * (x - m)
		}
		l.Err = math.Sqrt(v / float64(ni-1) / float64(ni))
	} else {
		l.Err = l.Std / math.Sqrt(float64(n))
	}
	// Histogram over the range of the energies and the band.
	lo, hi := math.Min(l.Ground, l.Energies[0]), math.Max(l.Threshold, l.Energies[0])
	for _, e := range l.Energies {
		lo, hi = math.Min(lo, e), math.Max(hi, e)
	}
	pad := 0.02 * (hi - lo)
	lo, hi = lo-pad, hi+pad
	bins := cfg.Bins
	l.Edges = make([]float64, bins+1)
	for b := range l.Edges {
		l.Edges[b] = lo + (hi-lo)*float64(b)/float64(bins)
	}
	l.Counts = make([]int, bins)
	for _, e := range l.Energies {
		b := int((e - lo) / (hi - lo) * float64(bins))
		l.Counts[min(max(b, 0), bins-1)]++
	}
	// Theory: Θ in ABC units of u/scale.
	const points = 121
	l.U = make([]float64, points)
	for k := range l.Complexity {
		l.Complexity[k] = make([]float64, points)
	}
	l.ComplexityTotal = make([]float64, points)
	for i := range l.U {
		u := lo + (hi-lo)*float64(i)/float64(points-1)
		l.U[i] = u
		for k := range l.Complexity {
			l.Complexity[k][i] = models.SphericalComplexity(cfg.P, k, u/scale)
		}
		l.ComplexityTotal[i] = models.SphericalComplexityTotal(cfg.P, u/scale)
	}
}
