package nets

import (
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
)

// float is the element type of an engine: float32 for training (PyTorch's default),
// float64 for checks.
type float interface{ float32 | float64 }

// gemmFunc is C ← α op(A) op(B) + β C on row-major matrices (blas.Float32.Sgemm or
// blas.Float64.Dgemm of the BLAS in use).
type gemmFunc[T float] func(tA, tB blas.Transpose, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int)

// newGemm returns the gemm of the BLAS implementation in use: gonum's pure-Go BLAS,
// or OpenBLAS with the openblas build tag (see blas_openblas.go).
func newGemm[T float]() gemmFunc[T] {
	var zero T
	var f any
	switch any(zero).(type) {
	case float32:
		f = blas32.Implementation().Sgemm
	case float64:
		f = blas64.Implementation().Dgemm
	}
	return f.(func(blas.Transpose, blas.Transpose, int, int, int, T, []T, int, []T, int, T, []T, int))
}

// engine holds the parameters of a net in one precision and every buffer the batched
// forward and backward passes need, allocated once for batches of up to maxBatch rows.
// Matrices are row-major; a batch is a matrix of samples × units.
type engine[T float] struct {
	sizes    []int
	act      Activation
	loss     Loss
	maxBatch int
	gemm     gemmFunc[T]

	p, g         []T   // parameters and gradient, flat: W₀, b₀, W₁, b₁, …
	w, b, gw, gb [][]T // views of p and g per layer; w[l] is sizes[l+1]×sizes[l]
	x            []T   // input batch, maxBatch × sizes[0]
	y            []uint8
	z, a, d      [][]T // per layer l: pre-activations, activations, ∂loss/∂z
}

func newEngine[T float](sizes []int, act Activation, loss Loss, maxBatch int) *engine[T] {
	L := len(sizes) - 1
	e := &engine[T]{sizes: sizes, act: act, loss: loss, maxBatch: maxBatch, gemm: newGemm[T](),
		w: make([][]T, L), b: make([][]T, L), gw: make([][]T, L), gb: make([][]T, L),
		z: make([][]T, L), a: make([][]T, L), d: make([][]T, L),
		x: make([]T, maxBatch*sizes[0]), y: make([]uint8, maxBatch)}
	n := numParams(sizes)
	e.p, e.g = make([]T, n), make([]T, n)
	off := 0
	for l := range L {
		in, out := sizes[l], sizes[l+1]
		e.w[l], e.gw[l] = e.p[off:off+in*out:off+in*out], e.g[off:off+in*out:off+in*out]
		off += in * out
		e.b[l], e.gb[l] = e.p[off:off+out:off+out], e.g[off:off+out:off+out]
		off += out
		e.z[l], e.d[l] = make([]T, maxBatch*out), make([]T, maxBatch*out)
		if l < L-1 {
			e.a[l] = make([]T, maxBatch*out)
		}
	}
	return e
}

// numParams returns the number of weights and biases of an MLP with these widths.
func numParams(sizes []int) int {
	n := 0
	for l := 1; l < len(sizes); l++ {
		n += sizes[l-1]*sizes[l] + sizes[l]
	}
	return n
}

// load copies rows idx of the data into the input batch and returns the batch size.
func (e *engine[T]) load(d *Data, idx []int32) int {
	nb := len(idx)
	D := d.D
	x32, is32 := any(e.x).([]float32)
	for r, i := range idx {
		src := d.X[int(i)*D : int(i)*D+D]
		if is32 {
			copy(x32[r*D:r*D+D], src)
		} else {
			dst := e.x[r*D : r*D+D]
			for j, v := range src {
				dst[j] = T(v)
			}
		}
		e.y[r] = d.Y[i]
	}
	return nb
}

// loadRange copies rows [from, from+nb) of the data into the input batch.
func (e *engine[T]) loadRange(d *Data, from, nb int) {
	D := d.D
	src := d.X[from*D : (from+nb)*D]
	if x32, ok := any(e.x).([]float32); ok {
		copy(x32, src)
	} else {
		dst := e.x[:nb*D]
		for j, v := range src {
			dst[j] = T(v)
		}
	}
	copy(e.y, d.Y[from:from+nb])
}

// forward computes the outputs z[L−1] of the first nb rows of the input batch.
func (e *engine[T]) forward(nb int) {
	in := e.x[:nb*e.sizes[0]]
	L := len(e.sizes) - 1
	for l := range L {
		k, n := e.sizes[l], e.sizes[l+1]
		z := e.z[l][:nb*n]
		for r := range nb {
			copy(z[r*n:(r+1)*n], e.b[l])
		}
		e.gemm(blas.NoTrans, blas.Trans, nb, n, k, 1, in, k, e.w[l], k, 1, z, n)
		if l < L-1 {
			activate(e.act, e.a[l], z)
			in = e.a[l][:nb*n]
		}
	}
}

// lossGrad returns the mean loss over the first nb rows and the number of them the
// net classifies correctly (argmax of the outputs, first maximum on ties); with grad
// it also sets d[L−1] = ∂(mean loss)/∂z for backward.
func (e *engine[T]) lossGrad(nb int, grad bool) (loss float64, correct int) {
	L := len(e.sizes) - 1
	C := e.sizes[L]
	z, d := e.z[L-1][:nb*C], e.d[L-1][:nb*C]
	inv := 1 / float64(nb)
	for r := range nb {
		zr := z[r*C : (r+1)*C]
		y := int(e.y[r])
		best := 0
		for k := 1; k < C; k++ {
			if zr[k] > zr[best] {
				best = k
			}
		}
		if best == y {
			correct++
		}
		switch e.loss {
		case CrossEntropy:
			m := float64(zr[best])
			s := 0.0
			for _, v := range zr {
				s += math.Exp(float64(v) - m)
			}
			lse := m + math.Log(s)
			loss += lse - float64(zr[y])
			if grad {
				dr := d[r*C : (r+1)*C]
				for k, v := range zr {
					dr[k] = T(math.Exp(float64(v)-lse) * inv)
				}
				dr[y] -= T(inv)
			}
		case Squared:
			dr := d[r*C : (r+1)*C]
			for k, v := range zr {
				diff := float64(v)
				if k == y {
					diff--
				}
				loss += 0.5 * diff * diff
				if grad {
					dr[k] = T(diff * inv)
				}
			}
		}
	}
	return loss * inv, correct
}

// backward sets g to the gradient of the mean loss over the first nb rows, after
// forward and lossGrad(nb, true).
func (e *engine[T]) backward(nb int) {
	L := len(e.sizes) - 1
	for l := L - 1; l >= 0; l-- {
		k, n := e.sizes[l], e.sizes[l+1]
		dl := e.d[l][:nb*n]
		var in []T
		if l > 0 {
			in = e.a[l-1][:nb*k]
		} else {
			in = e.x[:nb*k]
		}
		e.gemm(blas.Trans, blas.NoTrans, n, k, nb, 1, dl, n, in, k, 0, e.gw[l], k)
		gb := e.gb[l]
		copy(gb, dl[:n])
		for r := 1; r < nb; r++ {
			row := dl[r*n : (r+1)*n]
			for j, v := range row {
				gb[j] += v
			}
		}
		if l > 0 {
			dp := e.d[l-1][:nb*k]
			e.gemm(blas.NoTrans, blas.NoTrans, nb, k, n, 1, dl, n, e.w[l], k, 0, dp, k)
			backAct(e.act, dp, e.z[l-1][:nb*k], e.a[l-1][:nb*k])
		}
	}
}

// evaluate returns the mean loss and the accuracy of the net on d, in batches of
// maxBatch rows.
func (e *engine[T]) evaluate(d *Data) (loss, acc float64) {
	sum, correct := 0.0, 0
	for from := 0; from < d.N; from += e.maxBatch {
		nb := min(e.maxBatch, d.N-from)
		e.loadRange(d, from, nb)
		e.forward(nb)
		l, c := e.lossGrad(nb, false)
		sum += l * float64(nb)
		correct += c
	}
	return sum / float64(d.N), float64(correct) / float64(d.N)
}

// setParams copies float64 parameters into the engine's precision.
func (e *engine[T]) setParams(p []float64) {
	for i, v := range p {
		e.p[i] = T(v)
	}
}

// getParams copies the engine's parameters into p.
func (e *engine[T]) getParams(p []float64) {
	for i, v := range e.p {
		p[i] = float64(v)
	}
}
