package figures_test

import "testing"

func TestRBMSpectra(t *testing.T) { runQuick(t, "rbm-spectra") }
