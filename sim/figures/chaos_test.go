package figures_test

import "testing"

func TestPoolePhaseDiagram(t *testing.T) { runQuick(t, "poole-phase-diagram") }

func TestSignalPropagation(t *testing.T) { runQuick(t, "signal-propagation") }

func TestTrainableDepth(t *testing.T) { runQuick(t, "trainable-depth") }
