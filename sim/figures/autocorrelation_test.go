package figures_test

import "testing"

func TestAutocorrelation(t *testing.T) { runQuick(t, "autocorrelation") }
