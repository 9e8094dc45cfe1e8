package deepglass_test

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestAddingAModelQuotesCode: the Go code of docs/adding-a-model.md is the
// repository's own, quoted verbatim (so the worked example cannot drift from the code
// that compiles and runs it: ExampleNewCurieWeiss, ExampleRun_curieWeiss).
func TestAddingAModelQuotesCode(t *testing.T) {
	doc, err := os.ReadFile("docs/adding-a-model.md")
	if err != nil {
		t.Fatal(err)
	}
	var src strings.Builder
	for _, f := range []string{"models/curieweiss.go", "sim/registry.go"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src.Write(b)
	}
	blocks := regexp.MustCompile("(?s)```go\n(.*?)```").FindAllStringSubmatch(string(doc), -1)
	if len(blocks) < 3 {
		t.Fatalf("docs/adding-a-model.md has %d Go blocks; want the model, the registry entry and the builder", len(blocks))
	}
	for _, b := range blocks {
		if !strings.Contains(src.String(), b[1]) {
			t.Errorf("docs/adding-a-model.md quotes code that is not in models/curieweiss.go or sim/registry.go:\n%s", b[1])
		}
	}
}
