// Package figures reproduces paper figures as runnable recipes. A [Figure] is a
// recipe (model, sizes, temperatures, sweeps, seed), the data it produces, the
// picture drawn with [plot], and a table of [Check]s holding the measured numbers
// against exact or published ones, so that anyone can see at a glance whether the
// physics is right. [Write] saves NAME.png, NAME.svg, NAME.csv and NAME.json.
//
// Every figure has a quick mode (Options.Quick) that finishes in under a minute on
// two cores and passes its checks; tests run it. The full mode uses the paper's
// sizes where two cores allow; [Figure].FullTime says how long it takes.
//
// The catalog images in docs/figures are the quick-mode PNGs:
//
//	deepglass figure NAME -quick -out /tmp/fig && cp /tmp/fig/NAME.png docs/figures/
package figures
