//go:build !openblas

package spectra

import (
	"errors"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack"
	"gonum.org/v1/gonum/lapack/lapack64"
	"gonum.org/v1/gonum/mat"
)

// LAPACK names the routines that compute eigenvalues in this build.
const LAPACK = "gonum (pure Go): SVD by Dgesvd without vectors (Dgebrd, then Dbdsqr's dqds); Gram by Dsyrk + Dsyev"

// fastGram reports whether MethodAuto prefers the Gram route (only with LAPACK).
const fastGram = false

// singularValues returns the singular values of w (gonum's mat.SVD, values only:
// lapack64.Gesvd with no vectors).
func singularValues(w *mat.Dense) ([]float64, error) {
	var svd mat.SVD
	if !svd.Factorize(w, mat.SVDNone) {
		return nil, errors.New("SVD did not converge")
	}
	return svd.Values(nil), nil
}

// gramEigenvalues returns the eigenvalues of the Gram matrix of w (the smaller one).
func gramEigenvalues(w *mat.Dense) ([]float64, error) {
	r, c := w.Dims()
	raw := w.RawMatrix()
	n, tr := c, blas.Trans
	if r < c {
		n, tr = r, blas.NoTrans
	}
	g := blas64.Symmetric{N: n, Stride: n, Data: make([]float64, n*n), Uplo: blas.Upper}
	blas64.Syrk(tr, 1, blas64.General{Rows: r, Cols: c, Stride: raw.Stride, Data: raw.Data}, 0, g)
	ev := make([]float64, n)
	work := make([]float64, 1)
	lapack64.Syev(lapack.EVNone, g, ev, work, -1)
	work = make([]float64, int(work[0]))
	if !lapack64.Syev(lapack.EVNone, g, ev, work, len(work)) {
		return nil, errors.New("symmetric eigensolver did not converge")
	}
	return ev, nil
}
