package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/deepglass/deepglass/analysis"
	"github.com/deepglass/deepglass/sim"
)

const aggregateUsage = `Usage: deepglass aggregate [-out DIR] [-json] [-partial] RUNDIR...

Merges the run directories of one study (typically the shards of a Slurm job array or a
Kubernetes Indexed Job, run with -shard i/n or -shards n) into the summary that one run
over all disorder samples gives: the same points, bit for bit. Every sample must be
present exactly once unless -partial is given.

Flags:
`

func cmdAggregate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("aggregate", aggregateUsage, stderr)
	out := fs.String("out", "", "write the merged run directory here (config.json, summary.json, samples/, pq.csv)")
	asJSON := fs.Bool("json", false, "print summary.json to stdout instead of a table")
	partial := fs.Bool("partial", false, "merge whatever samples are present, even if some are missing")
	dirs, err := parseInterspersed(fs, args)
	if err == flag.ErrHelp {
		return exitOK
	}
	if err != nil {
		return exitUsage
	}
	if len(dirs) == 0 {
		fmt.Fprint(stderr, "deepglass aggregate: no run directory given\n\n")
		fs.Usage()
		return exitUsage
	}
	sum, samples, err := sim.Aggregate(dirs, *partial)
	if err != nil {
		fmt.Fprintf(stderr, "deepglass aggregate: %v\n", err)
		return exitUsage
	}
	if *out != "" {
		rd, err := sim.ReadRunDir(dirs[0])
		if err != nil {
			fmt.Fprintf(stderr, "deepglass aggregate: %v\n", err)
			return exitError
		}
		if err := sim.WriteAggregate(*out, rd.Config, sum, samples); err != nil {
			fmt.Fprintf(stderr, "deepglass aggregate: %v\n", err)
			return exitError
		}
	}
	if *asJSON {
		b, err := analysis.MarshalJSONIndent(sum, "", "  ")
		if err != nil {
			fmt.Fprintf(stderr, "deepglass aggregate: %v\n", err)
			return exitError
		}
		fmt.Fprintf(stdout, "%s\n", b)
	} else {
		fmt.Fprint(stdout, sim.FormatTable(sum))
	}
	return exitOK
}
