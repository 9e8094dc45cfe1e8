package figures_test

import "testing"

func TestHTSRTraining(t *testing.T) { runQuick(t, "htsr-training") }
