// Package cbench measures the speed of deepglass's sampling kernels beside a plain C
// Metropolis kernel (sampler/internal/cref), in alternating blocks so that both see the
// same machine load: the harness of the kernel-speed figure. It is the only package of
// the library that links C (with cgo; without it MeasureKernels returns an error), so
// that package sampler itself stays pure Go.
package cbench
