package figures

import (
	"strings"
	"testing"
)

// FuzzMISpec feeds arbitrary spec bodies to the key=value parser and the chain and
// number readers: errors, never panics, and every error names the spec.
func FuzzMISpec(f *testing.F) {
	for _, s := range []string{"k=2,lambda=0.8,n=1000", "P=0.9:0.1/0.2:0.8,n=64", "q=2,lambda=0.8,depth=16,n=32",
		"L=128,T=2.269185,n=200", "", "=", "k=,lambda=", "P=1/1", "P=0.5:0.5/0.5", "a=1,a=2", "k=3,lambda=-0.6", "P=NaN:1/1:0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		spec := "markov:" + body
		kv, err := parseKV(spec, body)
		if err != nil {
			if !strings.Contains(err.Error(), spec) {
				t.Fatalf("error %q does not name the spec", err)
			}
			return
		}
		if m, err := kv.chain(); err == nil && m.K() < 2 {
			t.Fatalf("chain with %d symbols", m.K())
		}
		_, _ = kv.int("n", 1, 64, 1<<30)
		_, _ = kv.float("T", 1, 1e-3, 1e6)
		_ = kv.done()
	})
}
