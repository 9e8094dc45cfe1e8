//go:build !openblas

package learn

// pureGoBLAS reports whether the BLAS is gonum's pure Go one.
const pureGoBLAS = true

// BLAS names the BLAS implementation in use.
const BLAS = "gonum (pure Go)"
