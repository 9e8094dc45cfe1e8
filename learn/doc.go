// Package learn trains restricted Boltzmann machines ([models.RBM], {0,1} units) and
// stacks them into deep belief nets.
//
// [Train] fits an RBM to binary data by stochastic gradient ascent on the mean
// log-likelihood. The gradient of ln p(v) with respect to W is ⟨v hᵀ⟩_data − ⟨v hᵀ⟩_model;
// the data term uses P(h=1|v) exactly, and the model term is estimated from negative
// samples drawn by one of three methods ([Method]):
//
//   - CD-k, contrastive divergence (Hinton 2002): k block-Gibbs steps started at the
//     minibatch;
//   - PCD-k, persistent contrastive divergence (Tieleman 2008): k steps of persistent
//     chains that are never reset;
//   - PT, parallel tempering (Desjardins et al. 2010; Fischer & Igel 2010): persistent
//     [rbmsample.RBMTempering] ladders, k tempering rounds per update, negative samples
//     from the β = 1 chain of every ladder.
//
// Minibatches, a learning rate with 1/(1+d·epoch) decay, momentum, L2 weight decay and
// L1 sparsity on the weights are options. Per epoch, [Train] can monitor the exact mean
// log-likelihood (when the smaller layer has at most [MaxExactMonitor] units) or an AIS
// estimate, the mean-field reconstruction error and the pseudo-likelihood.
//
// The minibatch update runs on gonum BLAS (mat.Dense.Mul) on matrices allocated once,
// with sigmoid and Bernoulli sampling fused in one pass; it allocates nothing per
// minibatch. Build with the tag openblas (and CGO_LDFLAGS=-lopenblas) to route gonum's
// BLAS to OpenBLAS. Random numbers come from [sampler.NewStream] with the seed of the
// options, so the same seed gives the same weights for any GOMAXPROCS.
//
// Data come from [ParseData]: bars and stripes, Ising configurations from the Wolff
// sampler, or CSV files of 0/1 rows. [Save] and [Load] store a model as JSON metadata
// plus the weights in NPY format ([WriteNPY]). [Stack] trains a deep belief net layer
// by layer.
package learn
