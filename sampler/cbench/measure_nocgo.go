//go:build !cgo

package cbench

import (
	"errors"
	"time"
)

// MeasureKernels needs the C reference, which needs cgo.
func MeasureKernels(l int, beta float64, d time.Duration) ([]KernelSpeed, error) {
	return nil, errors.New("measuring kernels: the C reference needs cgo (CGO_ENABLED=1 and a C compiler)")
}
