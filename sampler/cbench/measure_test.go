//go:build cgo

package cbench

import (
	"testing"
	"time"
)

func TestMeasureKernels(t *testing.T) {
	ks, err := MeasureKernels(32, 1/2.269185314213022, 20*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if len(ks) != len(KernelNames) {
		t.Fatalf("%d kernels measured; want %d", len(ks), len(KernelNames))
	}
	for i, k := range ks {
		t.Log(k)
		if k.Kernel != KernelNames[i] || !(k.NsPerUpdate > 0) || !(k.CNsPerUpdate > 0) || !(k.Ratio > 0) {
			t.Errorf("bad measurement %v", k)
		}
	}
	if _, err := MeasureKernels(2, 1, time.Millisecond); err == nil {
		t.Error("L = 2 accepted")
	}
}
