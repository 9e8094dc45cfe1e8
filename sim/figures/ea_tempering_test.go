package figures_test

import "testing"

func TestEATempering(t *testing.T) { runQuick(t, "ea-tempering") }
