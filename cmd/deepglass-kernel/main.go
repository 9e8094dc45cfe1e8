// gomacro (2024-05) panics on go/types aliases. internal/interp keeps it away from
// go/types altogether (see reflectionOnly), which also works on Go 1.27, where this
// setting is gone; on Go ≤ 1.26 the directive is a second guard.

//go:debug gotypesalias=0

// Command deepglass-kernel is a Jupyter kernel for Go with deepglass compiled in:
// gomacro's fast interpreter evaluates the cells, and deepglass's packages, gonum/plot
// and gophernotes-compatible display helpers are bound into it, so imports are instant
// and deepglass calls run at compiled speed.
//
//	deepglass-kernel install [-prefix DIR]   install the "deepglass" kernelspec
//	deepglass-kernel CONNECTION_FILE         serve a notebook (Jupyter runs this)
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"syscall"

	_ "github.com/deepglass/deepglass/cmd/deepglass-kernel/internal/bindings"
	"github.com/deepglass/deepglass/cmd/deepglass-kernel/internal/interp"
	"github.com/deepglass/deepglass/cmd/deepglass-kernel/internal/jupyter"
)

const version = "0.1.0"

func main() {
	args := os.Args[1:]
	switch {
	case len(args) >= 1 && args[0] == "install":
		if err := install(args[1:]); err != nil {
			fmt.Fprintln(os.Stderr, "deepglass-kernel install:", err)
			os.Exit(2)
		}
	case len(args) == 1 && args[0] != "-h" && args[0] != "help" && args[0] != "-help":
		if err := serve(args[0]); err != nil {
			fmt.Fprintln(os.Stderr, "deepglass-kernel:", err)
			os.Exit(1)
		}
	default:
		fmt.Fprintln(os.Stderr, "usage:\n  deepglass-kernel install [-prefix DIR]   install the deepglass kernelspec\n  deepglass-kernel CONNECTION_FILE         run the kernel (started by Jupyter)")
		os.Exit(2)
	}
}

func serve(connFile string) error {
	conn, err := jupyter.ReadConnectionFile(connFile)
	if err != nil {
		return err
	}
	ev, err := interp.New()
	if err != nil {
		return err
	}
	k := jupyter.New(conn, ev, jupyter.Info{
		Implementation:        "deepglass-kernel",
		ImplementationVersion: version,
		LanguageVersion:       runtime.Version(),
		Banner:                "Go (gomacro interpreter) with deepglass " + version + " compiled in",
	})
	if err := k.CaptureOutput(); err != nil {
		return err
	}
	// Jupyter's "signal" interrupt mode and a user's kill -INT stop the running cell.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT)
	go func() {
		for range sig {
			k.Interrupt()
		}
	}()
	return k.Run(context.Background())
}
