package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/deepglass/deepglass/sim/figures"
)

const figureUsage = `Usage: deepglass figure list
       deepglass figure NAME [-quick] [-out DIR] [-seed S] [-threads N]

Reproduces a paper figure: runs its recipe, writes NAME.png, NAME.svg, NAME.csv (the
data) and NAME.json (checks and recipe) in DIR, and prints the checks: measured numbers
against exact or published ones. -quick finishes in under a minute on two cores;
"deepglass figure list" gives the time of the full mode.

Exit status: 0 every check passed, 1 a check failed or an error, 2 invalid usage or an
unknown figure, 3 interrupted.

Flags:
`

// lookupFigure finds a figure by name; tests replace it to exercise failures.
var lookupFigure = figures.Lookup

func cmdFigure(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("figure", figureUsage, stderr)
	quick := fs.Bool("quick", false, "small systems and few sweeps: under a minute on two cores")
	out := fs.String("out", ".", "directory for NAME.png, NAME.svg, NAME.csv and NAME.json")
	seed := fs.Uint64("seed", 1, "the seed of every random number")
	threads := fs.Int("threads", 0, "goroutines sweeping at once (default: all cores)")
	pos, err := parseInterspersed(fs, args)
	if err == flag.ErrHelp {
		return exitOK
	}
	if err != nil {
		return exitUsage
	}
	if len(pos) != 1 {
		fmt.Fprint(stderr, "deepglass figure: give one figure name, or list\n\n")
		fs.Usage()
		return exitUsage
	}
	if pos[0] == "list" {
		tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tFULL MODE\tDESCRIPTION\tPAPER")
		for _, f := range figures.List() {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", f.Name, f.FullTime, f.Description, f.Paper)
		}
		if err := tw.Flush(); err != nil {
			return exitError
		}
		return exitOK
	}
	f, ok := lookupFigure(pos[0])
	if !ok {
		fmt.Fprintf(stderr, "deepglass figure: unknown figure %q (figures: %s)\n", pos[0], strings.Join(figures.Names(), ", "))
		return exitUsage
	}
	o := figures.Options{Quick: *quick, Seed: *seed, Out: *out, Threads: *threads}
	fmt.Fprintf(stdout, "%s (%s): %s\n", f.Name, o, f.Description)
	start := time.Now()
	prog := startProgress(stderr, "deepglass figure "+f.Name, "")
	o.Progress = prog.Fraction
	res, err := f.Run(ctx, o)
	prog.Finish()
	if err != nil {
		fmt.Fprintf(stderr, "deepglass figure: %v\n", err)
		if errors.Is(err, context.Canceled) || ctx.Err() != nil {
			return exitInterrupted
		}
		return exitError
	}
	if err := figures.Write(*out, f.Name, res); err != nil {
		fmt.Fprintf(stderr, "deepglass figure: %v\n", err)
		return exitError
	}
	fmt.Fprintf(stdout, "%s\nwrote %s.{png,svg,csv,json} in %v\n", figures.FormatChecks(res.Checks),
		filepath.Join(*out, f.Name), time.Since(start).Round(100*time.Millisecond))
	if !res.OK() {
		fmt.Fprintf(stderr, "deepglass figure: %s: a check failed\n", f.Name)
		return exitError
	}
	return exitOK
}
