// Package rbmsample samples restricted Boltzmann machines (models.RBM, {0,1} units):
// block-Gibbs chains ([RBMChain], [BlockGibbs]) at any inverse temperature, parallel
// tempering over temperatures of one RBM ([RBMTempering], on the exchange core
// sampler.Exchange that every tempering shares), and annealed importance sampling of
// ln Z ([AIS], [ReverseAIS]; Salakhutdinov & Murray 2008). Package learn trains RBMs with
// them. Random numbers come from sampler.NewStream streams, one per chain.
package rbmsample
