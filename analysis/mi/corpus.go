package mi

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
)

// Corpora names the texts that Corpus finds on the machine, none of them shipped
// with deepglass:
//
//	opticks  Newton's Opticks (Project Gutenberg), $GOROOT/src/testdata/Isaac.Newton-Opticks.txt
//	kjv      the King James Bible, printed by Debian's bible-kjv program
//	         (apt-get install bible-kjv bible-kjv-text)
//	pi, e    100 000 digits of π and of e, $GOROOT/src/compress/testdata/pi.txt, e.txt
var Corpora = []string{"opticks", "kjv", "pi", "e"}

// Corpus returns the text of the named corpus (one of Corpora) and where it came
// from. English texts are normalized: every run of white space becomes one space (the
// line breaks of the files are typesetting, and their near-periodic placement would
// add spurious information at d ≈ 70), and the Bible loses its chapter headings and
// verse numbers. Digits are returned as the file holds them ("3.14159…"); use
// FromDigits. GOROOT is $GOROOT, else what `go env GOROOT` prints. A missing corpus
// is an error that says how to install it.
func Corpus(name string) (text []byte, source string, err error) {
	switch name {
	case "opticks", "pi", "e":
		root, err := goroot()
		if err != nil {
			return nil, "", fmt.Errorf("mi: corpus %s: %w", name, err)
		}
		path := filepath.Join(root, "src", "testdata", "Isaac.Newton-Opticks.txt")
		if name != "opticks" {
			path = filepath.Join(root, "src", "compress", "testdata", name+".txt")
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, "", fmt.Errorf("mi: corpus %s: %w", name, err)
		}
		if name == "opticks" {
			b = squeeze(b)
		}
		return b, path, nil
	case "kjv":
		bin, err := exec.LookPath("bible")
		if err != nil {
			return nil, "", errors.New("mi: corpus kjv needs the bible program: apt-get install bible-kjv bible-kjv-text")
		}
		cmd := exec.Command(bin, "Gen1:1-Rev22:21")
		cmd.Env = append(os.Environ(), "COLUMNS=1000000")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			return nil, "", fmt.Errorf("mi: corpus kjv: %s Gen1:1-Rev22:21: %w: %s", bin, err, strings.TrimSpace(stderr.String()))
		}
		if len(out) < 1<<20 {
			return nil, "", fmt.Errorf("mi: corpus kjv: %s printed only %d bytes (is bible-kjv-text installed?)", bin, len(out))
		}
		return squeeze(stripVerses(out)), bin + " Gen1:1-Rev22:21", nil
	}
	return nil, "", fmt.Errorf("mi: unknown corpus %q (want one of %s)", name, strings.Join(Corpora, ", "))
}

// goroot returns the Go installation's root.
func goroot() (string, error) {
	if r := os.Getenv("GOROOT"); r != "" {
		return r, nil
	}
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return "", fmt.Errorf("GOROOT is not set and `go env GOROOT` failed: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

var (
	chapterLine = regexp.MustCompile(`(?m)^[1-3]? ?[A-Z][A-Za-z ]* [0-9]+\s*$`)
	verseNumber = regexp.MustCompile(`(?m)^\s*[0-9]+ `)
)

// stripVerses removes the "Genesis 1" headings and the verse numbers that start the
// verses in the bible program's output.
func stripVerses(b []byte) []byte {
	b = chapterLine.ReplaceAll(b, nil)
	return verseNumber.ReplaceAll(b, nil)
}

// squeeze replaces every run of white space by one space and trims the ends.
func squeeze(b []byte) []byte {
	return []byte(strings.Join(strings.Fields(string(b)), " "))
}
