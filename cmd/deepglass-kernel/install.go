package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// kernelDir is where the kernelspec goes: PREFIX/kernels/deepglass with -prefix
// (found through JUPYTER_PATH=PREFIX), else the user's Jupyter data directory.
func kernelDir(prefix string) (string, error) {
	if prefix != "" {
		return filepath.Join(prefix, "kernels", "deepglass"), nil
	}
	if d := os.Getenv("JUPYTER_DATA_DIR"); d != "" {
		return filepath.Join(d, "kernels", "deepglass"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(home, ".local", "share", "jupyter", "kernels", "deepglass"), nil
}

// install copies the running executable into the kernelspec directory (a stable
// location even under `go run`) and writes kernel.json pointing at it.
func install(args []string) error {
	fs := flag.NewFlagSet("install", flag.ContinueOnError)
	prefix := fs.String("prefix", "", "install into `DIR`/kernels/deepglass (use with JUPYTER_PATH=DIR)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	dir, err := kernelDir(*prefix)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	bin, err := filepath.Abs(filepath.Join(dir, "deepglass-kernel"))
	if err != nil {
		return err
	}
	if err := copyFile(self, bin); err != nil {
		return err
	}
	spec := map[string]any{
		"argv":           []string{bin, "{connection_file}"},
		"display_name":   "Go (deepglass)",
		"language":       "go",
		"interrupt_mode": "message",
		"metadata":       map[string]any{"debugger": false},
	}
	b, err := json.MarshalIndent(spec, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "kernel.json"), append(b, '\n'), 0o644); err != nil {
		return err
	}
	fmt.Printf("installed kernelspec deepglass in %s\n", dir)
	return nil
}

func copyFile(src, dst string) error {
	if same(src, dst) {
		return nil
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	tmp := dst + ".tmp"
	out, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, dst) // atomic: a running kernel keeps its old binary
}

func same(a, b string) bool {
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}
