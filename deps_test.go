package deepglass_test

import (
	"bufio"
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/deepglass/deepglass"

// allowed maps a package (by path below the module, longest prefix wins) to the
// packages of this module it may import; "gonum-only" restricts third-party imports
// to gonum. This is the dependency direction of DESIGN.md:
//
//	cmd → sim → {rg, learn, nets, sampler, analysis, models};  sim/figures → sim, analysis/plot
//	rg → {learn, sampler, models, analysis};  learn → {sampler, models, analysis, nets/mnist}
//	nets → {nets/mnist, sampler, analysis};  nets/mnist → stdlib
//	sampler → models;  sampler/{packed, rbmsample} → {sampler, models};  sampler/cbench → sampler/...
//	models → stdlib, gonum;  analysis → stdlib, gonum;  nothing imports cmd/
//	npy → stdlib;  spectra → {npy, gonum};  learn, sim/figures, cmd → npy, spectra
var allowed = map[string][]string{
	"":                  {},
	"internal":          {}, // leaves: they import nothing of ours
	"models":            {"gonum-only"},
	"models/modeltest":  {"models"},
	"analysis":          {"gonum-only"},
	"analysis/plot":     {"analysis"},
	"analysis/mi":       {"gonum-only"},
	"nets/meanfield":    {"gonum-only"},
	"npy":               {"gonum-only"},
	"spectra":           {"gonum-only", "npy"},
	"sampler":           {"models", "sampler/internal"},
	"sampler/internal":  {},
	"sampler/cbench":    {"sampler", "sampler/packed", "models", "sampler/internal"},
	"sampler/packed":    {"sampler", "models"}, // its cgo benchmark uses sampler/internal/cref (tests are not checked)
	"sampler/rbmsample": {"sampler", "models"},
	"learn":             {"sampler", "sampler/rbmsample", "models", "analysis", "npy", "nets/mnist"},
	"nets":              {"nets/mnist", "sampler", "analysis"},
	"nets/mnist":        {"gonum-only"},
	"landscape":         {"sampler", "models", "analysis", "analysis/plot"},
	"rg":                {"sampler", "models", "analysis"},
	"rg/netrg":          {"rg", "learn", "sampler", "models", "analysis"},
	"sim":               {"rg", "learn", "sampler", "sampler/packed", "analysis", "models"},
	// The figures, the command and the kernel sit on top: they may use any library
	// package (never cmd/).
	"sim/figures":          {"any-library"},
	"cmd":                  {"any-library"},
	"cmd/deepglass-kernel": {"any-library"},
}

func rule(rel string) (string, []string) {
	best := ""
	for k := range allowed {
		if (rel == k || strings.HasPrefix(rel, k+"/") || k == "") && len(k) >= len(best) {
			best = k
		}
	}
	return best, allowed[best]
}

func TestDependencyDirection(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	checked := 0
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		pkg := fields[0]
		rel := strings.TrimPrefix(strings.TrimPrefix(pkg, module), "/")
		key, ok := rule(rel)
		checked++
		for _, imp := range fields[1:] {
			if !strings.HasPrefix(imp, module) {
				if contains(ok, "gonum-only") && strings.Contains(strings.SplitN(imp, "/", 2)[0], ".") &&
					!strings.HasPrefix(imp, "gonum.org/v1/gonum/") {
					t.Errorf("%s imports %s: package %s may use only the standard library and gonum", pkg, imp, key)
				}
				continue
			}
			dep := strings.TrimPrefix(strings.TrimPrefix(imp, module), "/")
			if strings.HasPrefix(dep, rel+"/internal/") {
				continue // a package's own internal helpers
			}
			if root := commandRoot(rel); root != "" && strings.HasPrefix(dep, root+"/internal/") {
				continue // the internal packages of the same command
			}
			if !permitted(dep, ok) {
				t.Errorf("%s imports %s: against the dependency direction (package %s may import %v)", pkg, imp, key, ok)
			}
		}
	}
	if checked < 4 {
		t.Fatalf("checked only %d packages; go list output:\n%s", checked, out)
	}
}

// commandRoot is "cmd/NAME" for a package of command NAME, else "".
func commandRoot(rel string) string {
	parts := strings.SplitN(rel, "/", 3)
	if len(parts) < 2 || parts[0] != "cmd" {
		return ""
	}
	return parts[0] + "/" + parts[1]
}

func permitted(dep string, ok []string) bool {
	if dep == "cmd" || strings.HasPrefix(dep, "cmd/") {
		return false
	}
	if strings.HasPrefix(dep, "internal/") { // leaf utilities (atomicfile) any package may use
		return true
	}
	for _, a := range ok {
		if a == "any-library" || dep == a || strings.HasPrefix(dep, a+"/") {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestRuleTable makes sure the checker itself can fail.
func TestRuleTable(t *testing.T) {
	cases := []struct {
		pkg, dep string
		want     bool
	}{
		{"models", "sampler", false},
		{"sampler", "models", true},
		{"sampler", "sim", false},
		{"analysis", "models", false},
		{"sim", "models", true},
		{"sim", "cmd/deepglass", false},
		{"cmd/deepglass", "sim", true},
		{"models/modeltest", "models", true},
		{"models/modeltest", "sampler", false},
		{"sim/figures", "analysis/plot", true},
		{"rg", "sim", false},
		{"learn", "sampler", true},
		{"learn", "rg", false},
		{"learn", "sim", false},
		{"rg", "learn", false},
		{"rg/netrg", "learn", true},
		{"rg/netrg", "rg", true},
		{"learn", "nets/mnist", true},
		{"learn", "nets", false},
		{"nets/mnist", "nets", false},
		{"nets", "learn", false},
	}
	for _, c := range []struct{ rel, root string }{
		{"cmd/deepglass-kernel/internal/interp", "cmd/deepglass-kernel"}, {"cmd/deepglass", "cmd/deepglass"}, {"cmd", ""}, {"sim/cmd/x", ""},
	} {
		if got := commandRoot(c.rel); got != c.root {
			t.Errorf("commandRoot(%s) = %q; want %q", c.rel, got, c.root)
		}
	}
	for _, c := range cases {
		_, ok := rule(c.pkg)
		if got := permitted(c.dep, ok); got != c.want {
			t.Errorf("%s importing %s: permitted = %v; want %v", c.pkg, c.dep, got, c.want)
		}
	}
}

// TestLibraryPureGo: the library packages link no C by default; the C reference of
// the speed benchmarks lives in sampler/cbench (and in test files).
func TestLibraryPureGo(t *testing.T) {
	for _, pkg := range []string{"models", "sampler", "analysis", "sim", "learn", "rg", "rg/netrg"} {
		out, err := exec.Command("go", "list", "-deps", module+"/"+pkg).Output()
		if err != nil {
			t.Fatalf("go list: %v", err)
		}
		for _, dep := range strings.Fields(string(out)) {
			if dep == "runtime/cgo" || strings.HasSuffix(dep, "/cref") {
				t.Errorf("package %s links %s", pkg, dep)
			}
		}
	}
}
