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

// RunAgainstC needs the C reference, which needs cgo.
func RunAgainstC(rounds int, work func() (updates float64, err error)) (Against, error) {
	return Against{}, errors.New("cbench: the C reference needs cgo (CGO_ENABLED=1 and a C compiler)")
}
