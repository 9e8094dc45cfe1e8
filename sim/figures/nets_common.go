package figures

import (
	"context"
	"math"
	"sync/atomic"

	"gonum.org/v1/gonum/stat"

	"github.com/deepglass/deepglass/internal/pool"
	"github.com/deepglass/deepglass/nets"
)

// parallelErr runs job(0), …, job(n−1) on up to threads goroutines (0: GOMAXPROCS) and
// returns the first error (internal/pool). Jobs write their results by index, so
// results do not depend on the number of threads.
func parallelErr(ctx context.Context, n, threads int, job func(ctx context.Context, i int) error) error {
	return pool.Each(ctx, n, threads, func(ctx context.Context, i, _ int) error { return job(ctx, i) })
}

// parallelCounted is parallelErr that reports the share of jobs done as part k of
// prog.
func parallelCounted(ctx context.Context, n, threads int, prog *progress, k int, job func(ctx context.Context, i int) error) error {
	var done atomic.Int64
	return parallelErr(ctx, n, threads, func(ctx context.Context, i int) error {
		err := job(ctx, i)
		prog.set(k, float64(done.Add(1))/float64(n))
		return err
	})
}

// meanStd returns the mean, the standard deviation and the standard error of the
// standard deviation, σ/√(2(n−1)) (normal approximation).
func meanStd(x []float64) (mean, std, stdErr float64) {
	mean, std = stat.MeanStdDev(x, nil)
	return mean, std, std / math.Sqrt(2*float64(len(x)-1))
}

// pearson returns the correlation coefficient of x and y and its standard error
// (1 − r²)/√(n − 3) (Fisher's z transformation).
func pearson(x, y []float64) (r, err float64) {
	r = stat.Correlation(x, y, nil)
	return r, (1 - r*r) / math.Sqrt(float64(len(x)-3))
}

// histogram returns the bin centres and the densities (fraction per unit of x) of x
// in bins equal bins over [lo, hi].
func histogram(x []float64, lo, hi float64, bins int) (centres, density []float64) {
	w := (hi - lo) / float64(bins)
	counts := make([]float64, bins)
	for _, v := range x {
		k := int((v - lo) / w)
		if k >= 0 && k < bins {
			counts[k]++
		} else if v == hi {
			counts[bins-1]++
		}
	}
	for k := range bins {
		centres = append(centres, lo+(float64(k)+0.5)*w)
		density = append(density, counts[k]/(float64(len(x))*w))
	}
	return centres, density
}

// stepCurve turns a histogram into the points of a step line.
func stepCurve(centres, density []float64) (x, y []float64) {
	if len(centres) == 0 {
		return nil, nil
	}
	w := centres[1] - centres[0]
	if len(centres) == 1 {
		w = 1
	}
	x, y = append(x, centres[0]-w/2), append(y, 0)
	for k, c := range centres {
		x, y = append(x, c-w/2, c+w/2), append(y, density[k], density[k])
	}
	return append(x, centres[len(centres)-1]+w/2), append(y, 0)
}

// trainNet initializes a net of the given widths with seed and trains it.
func trainNet(ctx context.Context, sizes []int, act nets.Activation, in nets.Init, train, test *nets.Data, o nets.Options) (*nets.Net, nets.History, error) {
	n, err := nets.NewNet(sizes, act, nets.CrossEntropy)
	if err != nil {
		return nil, nets.History{}, err
	}
	n.Initialize(in, o.Seed)
	h, err := nets.Train(ctx, n, train, test, o)
	return n, h, err
}
