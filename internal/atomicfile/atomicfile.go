// Package atomicfile writes files so that a reader, or a crash, sees either the old
// file or the complete new one: every writer of deepglass results goes through it.
package atomicfile

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// WriteFile writes data to path atomically: it writes a temporary file in the same
// directory, syncs it, renames it over path and syncs the directory.
func WriteFile(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, werr := f.Write(data)
	serr := f.Sync()
	cerr := f.Close()
	for _, e := range []error{werr, serr, cerr} {
		if e != nil {
			os.Remove(tmp)
			return fmt.Errorf("writing %s: %w", path, e)
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync() // make the rename durable; not all file systems support it
		d.Close()
	}
	return nil
}

// Write encodes into memory with enc and writes the result to path atomically.
func Write(path string, enc func(w io.Writer) error) error {
	var buf bytes.Buffer
	if err := enc(&buf); err != nil {
		return err
	}
	return WriteFile(path, buf.Bytes())
}
