package figures_test

import "testing"

func TestPAvsPT(t *testing.T) { runQuick(t, "pa-vs-pt") }
