package figures_test

import "testing"

func TestMehtaSchwab(t *testing.T) { runQuick(t, "mehta-schwab") }
func TestRBMFlow(t *testing.T)     { runQuick(t, "rbm-flow") }
