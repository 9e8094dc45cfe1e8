//go:build openblas

package spectra

/*
#cgo LDFLAGS: -lopenblas
#include <stddef.h>

// LAPACK's Fortran entry points and one CBLAS routine, as OpenBLAS exports them; the
// trailing size_t arguments are the hidden lengths of the character arguments.
extern void dgesdd_(const char *jobz, const int *m, const int *n, double *a, const int *lda, double *s,
	double *u, const int *ldu, double *vt, const int *ldvt, double *work, const int *lwork, int *iwork,
	int *info, size_t);
extern void dsyevd_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda, double *w,
	double *work, const int *lwork, int *iwork, const int *liwork, int *info, size_t, size_t);
extern void cblas_dsyrk(int order, int uplo, int trans, int n, int k, double alpha, const double *a, int lda,
	double beta, double *c, int ldc);
*/
import "C"

import (
	"fmt"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// LAPACK names the routines that compute eigenvalues in this build.
const LAPACK = "OpenBLAS LAPACK (cgo): SVD by dgesdd with JOBZ='N' (as NumPy and SciPy); Gram by cblas_dsyrk + dsyevd with JOBZ='N'"

// fastGram reports whether MethodAuto prefers the Gram route (only with LAPACK).
const fastGram = true

// singularValues returns the singular values of w by LAPACK's dgesdd (values only).
func singularValues(w *mat.Dense) ([]float64, error) {
	r, c := w.Dims()
	raw := w.RawMatrix()
	// The row-major r×c matrix is the column-major c×r matrix wᵀ: same singular values.
	a := make([]float64, r*c)
	for i := range r {
		copy(a[i*c:(i+1)*c], raw.Data[i*raw.Stride:i*raw.Stride+c])
	}
	m, n, lda, one := C.int(c), C.int(r), C.int(c), C.int(1)
	s := make([]float64, min(r, c))
	iwork := make([]C.int, 8*min(r, c))
	jobz := [2]C.char{'N', 0}
	var q float64
	var info C.int
	lwork := C.int(-1)
	C.dgesdd_(&jobz[0], &m, &n, (*C.double)(&a[0]), &lda, (*C.double)(&s[0]), nil, &one, nil, &one,
		(*C.double)(&q), &lwork, &iwork[0], &info, 1)
	work := make([]float64, max(int(q), 1))
	lwork = C.int(len(work))
	C.dgesdd_(&jobz[0], &m, &n, (*C.double)(&a[0]), &lda, (*C.double)(&s[0]), nil, &one, nil, &one,
		(*C.double)(&work[0]), &lwork, &iwork[0], &info, 1)
	if info != 0 {
		return nil, fmt.Errorf("LAPACK dgesdd failed (info %d)", int(info))
	}
	return s, nil
}

// gramEigenvalues returns the eigenvalues of the smaller Gram matrix of w (dsyrk,
// then dsyevd without vectors).
func gramEigenvalues(w *mat.Dense) ([]float64, error) {
	r, c := w.Dims()
	raw := w.RawMatrix()
	const rowMajor, upper, noTrans, trans = 101, 121, 111, 112
	n, k, tr := c, r, trans // WᵀW, c×c
	if r < c {
		n, k, tr = r, c, noTrans // WWᵀ, r×r
	}
	g := make([]float64, n*n)
	C.cblas_dsyrk(rowMajor, upper, C.int(tr), C.int(n), C.int(k), 1, (*C.double)(&raw.Data[0]), C.int(raw.Stride), 0,
		(*C.double)(&g[0]), C.int(n))
	// Row-major upper is column-major lower.
	jobz, uplo := [2]C.char{'N', 0}, [2]C.char{'L', 0}
	nn := C.int(n)
	ev := make([]float64, n)
	var q float64
	var iq, info C.int
	lwork, liwork := C.int(-1), C.int(-1)
	C.dsyevd_(&jobz[0], &uplo[0], &nn, (*C.double)(&g[0]), &nn, (*C.double)(&ev[0]), (*C.double)(&q), &lwork, &iq, &liwork, &info, 1, 1)
	work := make([]float64, max(int(q), 1))
	iwork := make([]C.int, max(int(iq), 1))
	lwork, liwork = C.int(len(work)), C.int(len(iwork))
	C.dsyevd_(&jobz[0], &uplo[0], &nn, (*C.double)(&g[0]), &nn, (*C.double)(&ev[0]), (*C.double)(&work[0]), &lwork,
		(*C.int)(&iwork[0]), &liwork, &info, 1, 1)
	if info != 0 {
		return nil, fmt.Errorf("LAPACK dsyevd failed (info %d)", int(info))
	}
	return slices.Clone(ev), nil
}
