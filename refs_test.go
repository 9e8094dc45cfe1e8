package deepglass_test

import (
	"bufio"
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// externalRefs are strings that point outside the repository for data or reference
// values: a sibling directory of the checkout and a reference file that is not in the
// repository. They are split so that this file does not match itself.
var externalRefs = []string{"../" + "shared", "REFERENCE" + ".md"}

// sourceFiles returns the tracked *.go, *.md and *.ipynb files (git ls-files), or, when
// git or the repository metadata is missing, every such file under the module root.
func sourceFiles(t *testing.T) []string {
	t.Helper()
	exts := []string{"*.go", "*.md", "*.ipynb"}
	if out, err := exec.Command("git", append([]string{"ls-files", "--"}, exts...)...).Output(); err == nil && len(out) > 0 {
		var files []string
		sc := bufio.NewScanner(bytes.NewReader(out))
		for sc.Scan() {
			files = append(files, sc.Text())
		}
		return files
	}
	var files []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != "." && (strings.HasPrefix(d.Name(), ".") || path == "runs") {
			return filepath.SkipDir
		}
		switch filepath.Ext(path) {
		case ".go", ".md", ".ipynb":
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestNoExternalReferences fails when a Go file, document or notebook refers to data or
// reference values outside the repository: they belong in testdata/ and
// docs/references/ (docs/references/README.md).
func TestNoExternalReferences(t *testing.T) {
	files := sourceFiles(t)
	if len(files) < 10 {
		t.Fatalf("found only %d source files; is the working directory the module root?", len(files))
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			for _, ref := range externalRefs {
				if strings.Contains(line, ref) {
					t.Errorf("%s:%d refers to %q outside the repository: %s", f, i+1, ref, strings.TrimSpace(line))
				}
			}
		}
	}
}

// TestREADMELength keeps README.md a front page (issue 14: at most 250 lines); the
// manual is in docs/.
func TestREADMELength(t *testing.T) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(b, []byte("\n")); n > 250 {
		t.Errorf("README.md has %d lines; at most 250 (move detail to docs/)", n)
	}
}
