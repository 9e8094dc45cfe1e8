//go:build openblas

package learn

import (
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/netlib/blas/netlib"
)

// With the build tag openblas, gonum's BLAS (and so every mat.Dense product in the
// program, and the float32 products of Options.Float32) runs on the CBLAS of the C
// library linked with CGO_LDFLAGS, normally OpenBLAS: go build -tags openblas with
// CGO_LDFLAGS=-lopenblas.
func init() {
	blas64.Use(netlib.Implementation{})
	blas32.Use(netlib.Implementation{})
}

// pureGoBLAS reports whether the BLAS is gonum's pure Go one.
const pureGoBLAS = false

// BLAS names the BLAS implementation in use.
const BLAS = "openblas (cgo, gonum.org/v1/netlib)"
