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
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/deepglass/deepglass/sim"
)

// Exit statuses (DESIGN.md).
const (
	exitOK          = 0
	exitError       = 1
	exitUsage       = 2
	exitInterrupted = 3
)

// main creates the one context of the process: SIGINT and SIGTERM cancel it, and every
// subcommand stops its work, saves its state and exits 3.
func main() {
	os.Exit(runProcess(os.Args[1:]))
}

// runProcess runs deepglass as the process, with its signals and standard streams.
func runProcess(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return runContext(ctx, args, os.Stdout, os.Stderr)
}

// A command is one subcommand of deepglass: a row of the table that usage, help and
// dispatch all read.
type command struct {
	name    string // as typed: deepglass NAME
	args    string // the argument synopsis after the name
	summary string // one line for the usage text
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

// commands is the table of subcommands, in the order the usage text lists them.
func commands() []command {
	return []command{
		{"run", "[CONFIG.yaml|json] [flags]", "simulate (no argument: a built-in demo)", cmdRun},
		{"aggregate", "[-out DIR] RUNDIR...", "merge shard directories into one summary", cmdAggregate},
		{"figure", "list | NAME [-quick]", "reproduce a paper figure: PNG, SVG, CSV and checks", cmdFigure},
		{"rg", "mcrg|block|flow|stack [flags]", "RG: MCRG exponents y_T, y_H; Binder flow; RBM flow; stacked RBMs", cmdRG},
		{"train", "-data SPEC -hidden H ...", "train an RBM (CD-k, PCD-k, parallel tempering)", cmdTrain},
		{"mi", "FILE|SPEC... [-unit U] [-dmax N]", "mutual information I(d) against distance, power-law vs exponential fits", cmdMI},
		{"spectra", "FILE|DIR ... [-json] [-plot]", "weight-matrix spectra: ESD, power-law α, MP fit, WeightWatcher's metrics", cmdSpectra},
		{"landscape", "-model NAME [flags]", "minima, basins, barriers: disconnectivity graph and funnel plot", cmdLandscape},
		{"nets", "train|eval|interpolate [flags]", "feed-forward networks (MLPs) on MNIST: train, evaluate, interpolate", cmdNets},
		{"version", "", "print the version", cmdVersion},
	}
}

// usage renders the command table.
func usage() string {
	var b strings.Builder
	b.WriteString("deepglass: statistical mechanics of spin glasses and of the networks that learn\n\nUsage:\n")
	rows := [][2]string{}
	for _, c := range commands() {
		rows = append(rows, [2]string{strings.TrimSpace("deepglass " + c.name + " " + c.args), c.summary})
	}
	rows = append(rows, [2]string{"deepglass help [COMMAND]", "print help"})
	width := 0
	for _, r := range rows {
		width = max(width, len(r[0]))
	}
	for _, r := range rows {
		fmt.Fprintf(&b, "  %-*s  %s\n", width, r[0], r[1])
	}
	b.WriteString("\nExit status: 0 ok, 1 error, 2 invalid usage or input, 3 interrupted.\n")
	return b.String()
}

func lookupCommand(name string) (command, bool) {
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// run is main without the process and its signals: it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	return runContext(context.Background(), args, stdout, stderr)
}

// runContext dispatches args to a subcommand that stops when ctx is cancelled.
func runContext(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage())
		return exitUsage
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 {
			if c, ok := lookupCommand(args[1]); ok {
				return c.run(ctx, []string{"-h"}, stdout, stderr)
			}
		}
		fmt.Fprint(stdout, usage())
		return exitOK
	}
	if c, ok := lookupCommand(args[0]); ok {
		return c.run(ctx, args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "deepglass: unknown command %q\n\n%s", args[0], usage())
	return exitUsage
}

func cmdVersion(_ context.Context, _ []string, stdout, _ io.Writer) int {
	fmt.Fprintf(stdout, "deepglass %s", sim.Version)
	if rev := sim.Revision(); rev != "" {
		fmt.Fprintf(stdout, " (%s)", rev)
	}
	fmt.Fprintln(stdout)
	return exitOK
}

// newFlagSet returns the flag set of a subcommand: errors and help go to stderr, help
// prints usage followed by the flags' defaults.
func newFlagSet(name, usage string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
	}
	return fs
}
