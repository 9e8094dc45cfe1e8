package analysis

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/bits"

	"gonum.org/v1/gonum/stat"
)

// Series accumulates a time series of measurements in bins of fixed length, as
// Carlo.jl's accumulators and go-hep's Dist0D do: it keeps the count, mean and
// variance of all values and the means of the completed bins, so its memory is
// O(n/binLen) and series from separate runs can be merged. Choose binLen much smaller
// than the run (hundreds of bins or more) and, if possible, longer than the
// autocorrelation time; [Series.Estimate] corrects for correlations left between bins.
//
// Make a Series with [NewSeries]; the zero Series cannot be used. A Series is not
// safe for concurrent use.
type Series struct {
	binLen int
	n      int64
	mean   float64 // running mean of all values (Welford)
	m2     float64 // Σ (x − mean)² over all values
	sum    float64 // sum of the values in the partial bin
	fill   int     // number of values in the partial bin
	bins   []float64
}

// NewSeries returns an empty Series whose bins hold binLen values each. It panics if
// binLen < 1.
func NewSeries(binLen int) *Series {
	if binLen < 1 {
		panic("analysis: NewSeries with bin length < 1")
	}
	return &Series{binLen: binLen}
}

// Add appends the value x to the series. It allocates only when a completed bin
// has to grow the slice of bins (amortised O(1/binLen) allocations per value).
func (s *Series) Add(x float64) {
	if s.binLen < 1 {
		panic("analysis: Series not made by NewSeries")
	}
	s.n++
	d := x - s.mean
	s.mean += d / float64(s.n)
	s.m2 += d * (x - s.mean)
	s.sum += x
	s.fill++
	if s.fill == s.binLen {
		s.bins = append(s.bins, s.sum/float64(s.binLen))
		s.sum, s.fill = 0, 0
	}
}

// BinLen returns the number of values per bin.
func (s *Series) BinLen() int { return s.binLen }

// Count returns the number of values added, including those merged in.
func (s *Series) Count() int64 { return s.n }

// Mean returns the mean of all values, or NaN if there are none.
func (s *Series) Mean() float64 {
	if s.n == 0 {
		return math.NaN()
	}
	return s.mean
}

// Var returns the sample variance (with denominator n−1) of all values, computed
// from running sums with Welford's algorithm, or NaN if there are fewer than two.
// It ignores autocorrelations: it is the variance of a single value, not of the mean.
func (s *Series) Var() float64 {
	if s.n < 2 {
		return math.NaN()
	}
	return s.m2 / float64(s.n-1)
}

// Bins returns a copy of the means of the completed bins, oldest first. Values in
// the last, partial bin are included in Count, Mean and Var but not here.
func (s *Series) Bins() []float64 {
	return append([]float64(nil), s.bins...)
}

// Blocks returns the bin means regrouped into at most k contiguous blocks of equal
// size: with nb bins, min(k, nb) blocks of nb/min(k, nb) bins each, dropping the
// remainder bins at the end. The block means are the input of [Jackknife]. Blocks
// returns an empty slice if there are no completed bins, and panics if k < 1.
func (s *Series) Blocks(k int) []float64 {
	if k < 1 {
		panic("analysis: Series.Blocks with fewer than 1 block")
	}
	k = min(k, len(s.bins))
	if k == 0 {
		return []float64{}
	}
	size := len(s.bins) / k
	blocks := make([]float64, k)
	for i := range blocks {
		var sum float64
		for _, b := range s.bins[i*size : (i+1)*size] {
			sum += b
		}
		blocks[i] = sum / float64(size)
	}
	return blocks
}

// Merge appends the values of o to s, as if they had been added to s after its own;
// o is not modified, and s.Merge(s) doubles s. Count, Mean and Var become exactly
// those of the concatenated values (up to rounding). The completed bins of o are
// appended to those of s; the two partial bins are pooled into one, which is
// completed as soon as it holds binLen or more values (then up to 2·binLen−2 values).
// So Merge gives the same bins as one long series whenever s.Count() is a multiple of
// the bin length. Merge panics if o is nil or its bin length differs.
func (s *Series) Merge(o *Series) {
	if o == nil {
		panic("analysis: Series.Merge with nil series")
	}
	if o.binLen != s.binLen {
		panic(fmt.Sprintf("analysis: Series.Merge of bin length %d into bin length %d", o.binLen, s.binLen))
	}
	if o.n == 0 {
		return
	}
	on, omean, om2, osum, ofill := o.n, o.mean, o.m2, o.sum, o.fill // o may be s
	n := s.n + on
	d := omean - s.mean
	s.mean += d * (float64(on) / float64(n))
	s.m2 += om2 + d*d*(float64(s.n)*float64(on)/float64(n))
	s.n = n
	s.bins = append(s.bins, o.bins...)
	s.sum += osum
	s.fill += ofill
	if s.fill >= s.binLen {
		s.bins = append(s.bins, s.sum/float64(s.fill))
		s.sum, s.fill = 0, 0
	}
}

// Estimate returns the mean of all values with its error from the bins. With nb
// completed bins of L values, bin means b_k, their sample variance var_b and their
// integrated autocorrelation time τ_b (from [TauInt] with c = [DefaultWindowC];
// a value ≤ 0, possible only for strongly anticorrelated bins, counts as 1/2, the
// naive error, rather than shrinking the error bar to zero),
//
//	Err = sqrt(2·τ_b·var_b/nb),
//	Tau = nb·L·Err²/(2·Var()),
//
// so Tau is the integrated autocorrelation time of the raw values, ≈ 1/2 for
// uncorrelated data; a constant series has Err = 0 and Tau = 1/2. N is Count(). With
// fewer than two completed bins, Err and Tau are NaN.
func (s *Series) Estimate() Estimate {
	e := Estimate{Mean: s.Mean(), Err: math.NaN(), Tau: math.NaN(), N: int(s.n)}
	nb := len(s.bins)
	if nb < 2 {
		return e
	}
	_, vb := stat.MeanVariance(s.bins, nil)
	tb, _ := TauInt(s.bins, DefaultWindowC)
	if tb <= 0 {
		tb = 0.5 // the window failed (strongly anticorrelated bins): the naive error
	}
	e.Err = math.Sqrt(2 * tb * vb / float64(nb))
	if v := s.Var(); v > 0 {
		e.Tau = float64(nb*s.binLen) * e.Err * e.Err / (2 * v)
	} else {
		e.Tau = 0.5
	}
	return e
}

// String returns the estimate of s with its autocorrelation time, count and bins,
// as in "0.4321(12) τ=3.1 n=100000 bins=1000×100".
func (s *Series) String() string {
	e := s.Estimate()
	return fmt.Sprintf("%v τ=%.3g n=%d bins=%d×%d", e, e.Tau, s.n, len(s.bins), s.binLen)
}

// seriesMagic starts the binary encoding of a Series; its last byte is the version.
var seriesMagic = [4]byte{'d', 'g', 'S', 1}

const seriesHeaderLen = 4 + 8*7

// MarshalBinary implements [encoding.BinaryMarshaler], for checkpoints. The encoding
// is versioned, little-endian and exact.
func (s *Series) MarshalBinary() ([]byte, error) {
	b := make([]byte, 0, seriesHeaderLen+8*len(s.bins))
	b = append(b, seriesMagic[:]...)
	for _, v := range [...]uint64{uint64(s.binLen), uint64(s.n), math.Float64bits(s.mean),
		math.Float64bits(s.m2), math.Float64bits(s.sum), uint64(s.fill), uint64(len(s.bins))} {
		b = binary.LittleEndian.AppendUint64(b, v)
	}
	for _, v := range s.bins {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
	}
	return b, nil
}

// UnmarshalBinary implements [encoding.BinaryUnmarshaler]. It replaces s by the Series
// encoded in data by MarshalBinary, and returns an error, leaving s unchanged, if
// data is not such an encoding.
func (s *Series) UnmarshalBinary(data []byte) error {
	if len(data) < seriesHeaderLen || [4]byte(data[:4]) != seriesMagic {
		if len(data) >= 4 && [3]byte(data[:3]) == [3]byte(seriesMagic[:3]) {
			return fmt.Errorf("analysis: unsupported Series encoding version %d", data[3])
		}
		return errors.New("analysis: not an encoded Series")
	}
	var h [7]uint64
	for i := range h {
		h[i] = binary.LittleEndian.Uint64(data[4+8*i:])
	}
	binLen, n, fill, nb := h[0], h[1], h[5], h[6]
	switch {
	case binLen < 1 || binLen > math.MaxInt32:
		return fmt.Errorf("analysis: encoded Series has bin length %d", binLen)
	case fill >= binLen:
		return fmt.Errorf("analysis: encoded Series has %d values in a partial bin of length %d", fill, binLen)
	case nb != uint64(len(data)-seriesHeaderLen)/8 || (len(data)-seriesHeaderLen)%8 != 0:
		return errors.New("analysis: encoded Series has the wrong length")
	}
	if hi, lo := bits.Mul64(nb, binLen); hi != 0 || lo+fill < lo || n < lo+fill || n > math.MaxInt64 {
		return fmt.Errorf("analysis: encoded Series has count %d for %d bins of %d", n, nb, binLen)
	}
	bins := make([]float64, nb)
	for i := range bins {
		bins[i] = math.Float64frombits(binary.LittleEndian.Uint64(data[seriesHeaderLen+8*i:]))
	}
	*s = Series{binLen: int(binLen), n: int64(n), mean: math.Float64frombits(h[2]),
		m2: math.Float64frombits(h[3]), sum: math.Float64frombits(h[4]), fill: int(fill), bins: bins}
	return nil
}
