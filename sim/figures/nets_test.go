package figures_test

import "testing"

func TestChoromanskaNets(t *testing.T)         { runQuick(t, "choromanska-nets") }
func TestGoodfellowInterpolation(t *testing.T) { runQuick(t, "goodfellow-interpolation") }
func TestExplodingMLP(t *testing.T)            { runQuick(t, "exploding-mlp") }
