// Package plot renders physics figures headless with gonum.org/v1/plot: points with
// error bars, several series with a legend, reference curves (exact solutions) drawn
// as lines, log axes, heat maps with colour bars, grids of small images (spin
// configurations, receptive fields) and multi-panel figures, written as PNG or SVG in
// one style readable on a projector.
//
// The API is plain data: a [Figure] holds [Panel]s, a Panel holds [Series] (measured
// points, Y ± YErr) and [Curve]s (a function or dense points drawn as a line), and
// optionally a [HeatMap] under them; a Panel with an [ImageGrid] shows [Image]s
// instead. Colours come from a [Colormap]: [Viridis] (perceptually uniform, the
// default), [Gray] (±1 spins in black and white) or [BlueRed] (signed values).
// Nothing is generic and nothing is global, so the package works from gophernotes.
package plot
