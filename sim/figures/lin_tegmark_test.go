package figures_test

import "testing"

// TestLinTegmark runs the quick lin-tegmark figure; its checks are the must-show
// items of docs/mi.md (the King James Bible needs apt-get install bible-kjv
// bible-kjv-text, which .ci/run does).
func TestLinTegmark(t *testing.T) { runQuick(t, "lin-tegmark") }
