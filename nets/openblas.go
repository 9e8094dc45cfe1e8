//go:build openblas

package nets

import (
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/netlib/blas/netlib"
)

// With the build tag openblas (as in package learn, whose learn/openblas.go routes
// blas64 the same way), gonum's BLAS for float32 and float64 runs on the CBLAS of
// the C library linked with CGO_LDFLAGS, normally OpenBLAS:
// CGO_LDFLAGS=-lopenblas go build -tags openblas. Both packages call Use with the
// same implementation, so the order of their init functions does not matter.
func init() {
	blas32.Use(netlib.Implementation{})
	blas64.Use(netlib.Implementation{})
}

// BLAS names the BLAS implementation in use.
const BLAS = "openblas (cgo, gonum.org/v1/netlib)"
