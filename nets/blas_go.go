//go:build !openblas

package nets

// BLAS names the BLAS implementation in use.
const BLAS = "gonum (pure Go)"
