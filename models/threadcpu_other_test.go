//go:build !linux

package models_test

// threadCPU is not measured outside Linux.
func threadCPU() float64 { return 0 }
