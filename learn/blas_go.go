//go:build !openblas

package learn

// BLAS names the BLAS implementation in use.
const BLAS = "gonum (pure Go)"
