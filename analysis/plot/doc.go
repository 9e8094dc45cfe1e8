// Package plot renders physics figures headless with gonum.org/v1/plot: points with
// error bars, several series with a legend, reference curves (exact solutions) drawn
// as lines, log axes and multi-panel figures, written as PNG or SVG in one style
// readable on a projector.
//
// The API is plain data: a [Figure] holds [Panel]s, a Panel holds [Series] (measured
// points, Y ± YErr) and [Curve]s (a function or dense points drawn as a line). Nothing
// is generic and nothing is global, so the package works from gophernotes.
package plot
