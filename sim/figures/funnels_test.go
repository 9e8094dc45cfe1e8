package figures_test

import "testing"

func TestREMFreezing(t *testing.T)   { runQuick(t, "rem-freezing") }
func TestPSpinToREM(t *testing.T)    { runQuick(t, "pspin-to-rem") }
func TestFunnelVsGlass(t *testing.T) { runQuick(t, "funnel-vs-glass") }
