// Deepglass simulates spin glasses and the networks that learn.
//
// Usage:
//
//	deepglass run [CONFIG.yaml|json] [flags]   simulate; no argument runs a built-in demo
//	deepglass aggregate [-out DIR] RUNDIR...   merge shard directories into one summary
//	deepglass figure list | NAME [-quick]      reproduce a paper figure (PNG, SVG, CSV, checks)
//	deepglass rg mcrg|block|flow|stack [flags] RG: MCRG exponents, Binder flow, RBM flow, stacked RBMs
//	deepglass train -data SPEC -hidden H ...   train an RBM (CD-k, PCD-k, parallel tempering)
//	deepglass version                          print the version
//	deepglass help [COMMAND]                   print help
//
// Run `deepglass help run` for the flags of run.
//
// # Exit status
//
// 0 success; 1 an error while running; 2 invalid usage or input (a bad flag, config or
// coupling file); 3 interrupted (SIGINT or SIGTERM): a checkpoint is written, and
// `deepglass run -resume DIR` continues the run.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/deepglass/deepglass/sim"
)

// Exit statuses (DESIGN.md).
const (
	exitOK          = 0
	exitError       = 1
	exitUsage       = 2
	exitInterrupted = 3
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `deepglass: statistical mechanics of spin glasses and of the networks that learn

Usage:
  deepglass run [CONFIG.yaml|json] [flags]   simulate (no argument: a built-in demo)
  deepglass aggregate [-out DIR] RUNDIR...   merge shard directories into one summary
  deepglass figure list | NAME [-quick]      reproduce a paper figure: PNG, SVG, CSV and checks
  deepglass rg mcrg|block|flow|stack [flags] RG: MCRG exponents y_T, y_H; Binder flow; RBM flow; stacked RBMs
  deepglass train -data SPEC -hidden H ...   train an RBM (CD-k, PCD-k, parallel tempering)
  deepglass version                          print the version
  deepglass help [COMMAND]                   print help

Exit status: 0 ok, 1 error, 2 invalid usage or input, 3 interrupted.
`

// run is main without the process: it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "run":
		return cmdRun(args[1:], stdout, stderr)
	case "aggregate":
		return cmdAggregate(args[1:], stdout, stderr)
	case "figure":
		return cmdFigure(args[1:], stdout, stderr)
	case "rg":
		return cmdRG(args[1:], stdout, stderr)
	case "train":
		return cmdTrain(args[1:], stdout, stderr)
	case "version":
		fmt.Fprintf(stdout, "deepglass %s", sim.Version)
		if rev := sim.Revision(); rev != "" {
			fmt.Fprintf(stdout, " (%s)", rev)
		}
		fmt.Fprintln(stdout)
		return exitOK
	case "help", "-h", "-help", "--help":
		if len(args) > 1 && args[1] == "run" {
			return cmdRun([]string{"-h"}, stdout, stderr)
		}
		if len(args) > 1 && args[1] == "rg" {
			return cmdRG([]string{"-h"}, stdout, stderr)
		}
		if len(args) > 1 && args[1] == "train" {
			return cmdTrain([]string{"-h"}, stdout, stderr)
		}
		if len(args) > 1 && args[1] == "aggregate" {
			return cmdAggregate([]string{"-h"}, stdout, stderr)
		}
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "deepglass: unknown command %q\n\n%s", args[0], usage)
	return exitUsage
}
