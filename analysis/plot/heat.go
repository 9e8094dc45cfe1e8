package plot

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"strconv"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Colormap maps a value in [0, 1] to a colour.
type Colormap int

// Colormaps.
const (
	// Viridis is the perceptually uniform sequential map of matplotlib (van der Walt
	// & Smith 2015), dark blue-purple (low) to yellow (high): the default.
	Viridis Colormap = iota
	// Gray runs from black (low) to white (high), so a ±1 spin configuration shows
	// down spins black and up spins white.
	Gray
	// BlueRed is Moreland's smooth diverging map (blue, white at the centre, red), for
	// signed values such as weights; the range is made symmetric about 0.
	BlueRed
)

// String returns the name of the colormap.
func (c Colormap) String() string {
	switch c {
	case Viridis:
		return "viridis"
	case Gray:
		return "gray"
	case BlueRed:
		return "blue-red"
	}
	return "colormap(" + strconv.Itoa(int(c)) + ")"
}

// viridisAnchors are matplotlib's viridis at t = 0, 0.1, …, 1.
var viridisAnchors = [11][3]uint8{
	{0x44, 0x01, 0x54}, {0x48, 0x24, 0x75}, {0x41, 0x44, 0x87}, {0x35, 0x5f, 0x8d},
	{0x2a, 0x78, 0x8e}, {0x21, 0x91, 0x8c}, {0x22, 0xa8, 0x84}, {0x44, 0xbf, 0x70},
	{0x7a, 0xd1, 0x51}, {0xbd, 0xdf, 0x26}, {0xfd, 0xe7, 0x25},
}

// blueRed is Moreland's smooth blue-red map sampled at 257 points.
var blueRed = func() []color.Color {
	m := moreland.SmoothBlueRed()
	m.SetMin(0)
	m.SetMax(1)
	out := make([]color.Color, 257)
	for i := range out {
		c, err := m.At(float64(i) / 256)
		if err != nil {
			panic("plot: " + err.Error())
		}
		r, g, b, _ := c.RGBA()
		out[i] = color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 0xff}
	}
	return out
}()

// At returns the colour of t ∈ [0, 1] (clamped; NaN gives light grey).
func (c Colormap) At(t float64) color.Color {
	if math.IsNaN(t) {
		return color.Gray{0xd0}
	}
	t = math.Max(0, math.Min(1, t))
	switch c {
	case Gray:
		return color.Gray{uint8(math.Round(255 * t))}
	case BlueRed:
		return blueRed[int(math.Round(t*float64(len(blueRed)-1)))]
	}
	x := t * float64(len(viridisAnchors)-1)
	k := min(int(x), len(viridisAnchors)-2)
	f := x - float64(k)
	a, b := viridisAnchors[k], viridisAnchors[k+1]
	mix := func(i int) uint8 { return uint8(math.Round((1-f)*float64(a[i]) + f*float64(b[i]))) }
	return color.RGBA{mix(0), mix(1), mix(2), 0xff}
}

// HeatMap is a matrix of values drawn as coloured cells in a [Panel], with a colour
// bar on the right of the panel. Z[i][j] is the value at (X[j], Y[i]): rows run
// along y, row 0 at the bottom, as in a plot. X and Y are the cell centres (nil: 0,
// 1, …); cells reach halfway to their neighbours, so the centres need not be evenly
// spaced. NaN values are drawn light grey.
type HeatMap struct {
	Z    [][]float64
	X, Y []float64
	// Min and Max fix the colour range when Min < Max; otherwise it is the range of
	// the finite values (made symmetric about 0 for BlueRed).
	Min, Max float64
	Colormap Colormap
	// Label names the values on the colour bar, with units (e.g. "P(q) per bin").
	Label string
}

// String describes the size and the colour scale.
func (h *HeatMap) String() string {
	cols := 0
	if len(h.Z) > 0 {
		cols = len(h.Z[0])
	}
	lo, hi := h.zRange()
	return fmt.Sprintf("heat map %q %d×%d, %v on [%.4g, %.4g]", h.Label, len(h.Z), cols, h.Colormap, lo, hi)
}

func (h *HeatMap) validate() error {
	var errs []error
	if len(h.Z) == 0 || len(h.Z[0]) == 0 {
		return errors.New("heat map has no values")
	}
	for i, row := range h.Z {
		if len(row) != len(h.Z[0]) {
			errs = append(errs, fmt.Errorf("heat map row %d has %d values, row 0 has %d", i, len(row), len(h.Z[0])))
		}
	}
	if h.X != nil && len(h.X) != len(h.Z[0]) {
		errs = append(errs, fmt.Errorf("heat map has %d columns but %d x values", len(h.Z[0]), len(h.X)))
	}
	if h.Y != nil && len(h.Y) != len(h.Z) {
		errs = append(errs, fmt.Errorf("heat map has %d rows but %d y values", len(h.Z), len(h.Y)))
	}
	if !increasing(h.X) || !increasing(h.Y) {
		errs = append(errs, errors.New("heat map x and y values must increase"))
	}
	return errors.Join(errs...)
}

func increasing(x []float64) bool {
	for i := 1; i < len(x); i++ {
		if !(x[i] > x[i-1]) {
			return false
		}
	}
	return true
}

func (h *HeatMap) zRange() (lo, hi float64) {
	return colorRange(h.Min, h.Max, h.Colormap, h.Z)
}

// colorRange returns [min, max] if min < max, else the range of the finite values
// of the matrices (symmetric about 0 for BlueRed; widened if empty or flat).
func colorRange(minV, maxV float64, cm Colormap, zs ...[][]float64) (lo, hi float64) {
	if minV < maxV {
		return minV, maxV
	}
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, z := range zs {
		for _, row := range z {
			for _, v := range row {
				if !math.IsNaN(v) && !math.IsInf(v, 0) {
					lo, hi = math.Min(lo, v), math.Max(hi, v)
				}
			}
		}
	}
	if lo > hi {
		return 0, 1
	}
	if cm == BlueRed {
		a := math.Max(math.Abs(lo), math.Abs(hi))
		lo, hi = -a, a
	}
	if lo == hi {
		lo, hi = lo-0.5, hi+0.5
	}
	return lo, hi
}

// edges returns the n+1 cell edges around the centres c (nil: 0, 1, …, n−1).
func edges(c []float64, n int) []float64 {
	at := func(i int) float64 {
		if c == nil {
			return float64(i)
		}
		return c[i]
	}
	e := make([]float64, n+1)
	for i := 1; i < n; i++ {
		e[i] = (at(i-1) + at(i)) / 2
	}
	if n == 1 {
		e[0], e[1] = at(0)-0.5, at(0)+0.5
		return e
	}
	e[0] = at(0) - (at(1)-at(0))/2
	e[n] = at(n-1) + (at(n-1)-at(n-2))/2
	return e
}

// heatPlotter draws a HeatMap as filled cells on a gonum plot.
type heatPlotter struct {
	h      *HeatMap
	xe, ye []float64
	lo, hi float64
}

func newHeatPlotter(h *HeatMap) *heatPlotter {
	lo, hi := h.zRange()
	return &heatPlotter{h: h, xe: edges(h.X, len(h.Z[0])), ye: edges(h.Y, len(h.Z)), lo: lo, hi: hi}
}

func (p *heatPlotter) Plot(c draw.Canvas, pl *gplot.Plot) {
	trX, trY := pl.Transforms(&c)
	// Cells overlap by a hairline so that antialiasing leaves no seams between them.
	const seam = vg.Length(0.4)
	for i, row := range p.h.Z {
		y0, y1 := trY(p.ye[i]), trY(p.ye[i+1])
		for j := 0; j < len(row); {
			col := p.h.Colormap.At((row[j] - p.lo) / (p.hi - p.lo))
			k := j + 1 // merge runs of one colour into one rectangle
			for k < len(row) && p.h.Colormap.At((row[k]-p.lo)/(p.hi-p.lo)) == col {
				k++
			}
			x0, x1 := trX(p.xe[j]), trX(p.xe[k])
			fillRect(c, col, x0-seam, y0-seam, x1+seam, y1+seam)
			j = k
		}
	}
}

func (p *heatPlotter) DataRange() (xmin, xmax, ymin, ymax float64) {
	return p.xe[0], p.xe[len(p.xe)-1], p.ye[0], p.ye[len(p.ye)-1]
}

// fillRect fills the rectangle with corners (x0, y0), (x1, y1) clipped to c.
func fillRect(c draw.Canvas, col color.Color, x0, y0, x1, y1 vg.Length) {
	x0, x1 = max(min(x0, x1), c.Min.X), min(max(x0, x1), c.Max.X)
	y0, y1 = max(min(y0, y1), c.Min.Y), min(max(y0, y1), c.Max.Y)
	if x0 >= x1 || y0 >= y1 {
		return
	}
	var pa vg.Path
	pa.Move(vg.Point{X: x0, Y: y0})
	pa.Line(vg.Point{X: x1, Y: y0})
	pa.Line(vg.Point{X: x1, Y: y1})
	pa.Line(vg.Point{X: x0, Y: y1})
	pa.Close()
	c.SetColor(col)
	c.Fill(pa)
}

// colorBarWidth is the room a colour bar takes on the right of a panel.
const colorBarWidth = vg.Length(74)

// drawColorBar draws a vertical colour bar for [lo, hi] in cm with ticks, tick
// labels and a rotated label, in the strip of c right of x and between y0 and y1.
func drawColorBar(c draw.Canvas, cm Colormap, lo, hi float64, label string, x, y0, y1 vg.Length) {
	const bar = vg.Length(12)
	x += vg.Points(10)
	const steps = 128
	for k := range steps {
		a := y0 + (y1-y0)*vg.Length(k)/steps
		b := y0 + (y1-y0)*vg.Length(k+1)/steps
		fillRect(c, cm.At((float64(k)+0.5)/steps), x, a-0.3, x+bar, b+0.3)
	}
	line := draw.LineStyle{Color: color.Black, Width: vg.Points(0.8)}
	var frame vg.Path
	frame.Move(vg.Point{X: x, Y: y0})
	frame.Line(vg.Point{X: x + bar, Y: y0})
	frame.Line(vg.Point{X: x + bar, Y: y1})
	frame.Line(vg.Point{X: x, Y: y1})
	frame.Close()
	c.SetLineStyle(line)
	c.Stroke(frame)
	sty := draw.TextStyle{Color: color.Black, Font: textFont(tickSize - 1), XAlign: draw.XLeft, YAlign: draw.YCenter, Handler: gplot.DefaultTextHandler}
	var widest vg.Length
	for _, t := range (niceTicks{}).Ticks(lo, hi) {
		if t.Label == "" {
			continue
		}
		y := y0 + (y1-y0)*vg.Length((t.Value-lo)/(hi-lo))
		c.StrokeLine2(line, x+bar, y, x+bar+vg.Points(4), y)
		c.FillText(sty, vg.Point{X: x + bar + vg.Points(6), Y: y}, t.Label)
		widest = max(widest, sty.Width(t.Label))
	}
	if label != "" {
		// Rotated like a y-axis label, reading upwards, right of the tick labels.
		ls := draw.TextStyle{Color: color.Black, Font: textFont(labelSize - 1), XAlign: draw.XCenter, YAlign: draw.YTop,
			Rotation: math.Pi / 2, Handler: gplot.DefaultTextHandler}
		c.FillText(ls, vg.Point{X: x + bar + vg.Points(10) + widest, Y: (y0 + y1) / 2}, label)
	}
}

// Image is one small matrix of an [ImageGrid]: Z[i][j] is row i (from the top, as a
// lattice is printed) and column j, drawn as square cells.
type Image struct {
	Title string
	Z     [][]float64
}

// String returns the title and the size.
func (im Image) String() string {
	cols := 0
	if len(im.Z) > 0 {
		cols = len(im.Z[0])
	}
	return fmt.Sprintf("%q %d×%d", im.Title, len(im.Z), cols)
}

// NewImage returns an image of the values v laid out row by row (v[i·cols + j] is
// row i, column j: site x + L·y of a square lattice is row y, column x), such as the
// weights of one hidden unit of an RBM over its visible lattice. It panics if
// len(v) ≠ rows·cols.
func NewImage(title string, v []float64, rows, cols int) Image {
	if rows < 1 || cols < 1 || len(v) != rows*cols {
		panic(fmt.Sprintf("plot: NewImage of %d values as %d×%d", len(v), rows, cols))
	}
	z := make([][]float64, rows)
	for i := range z {
		z[i] = append([]float64(nil), v[i*cols:(i+1)*cols]...)
	}
	return Image{Title: title, Z: z}
}

// SpinImage returns the image of a ±1 spin configuration laid out row by row, as
// [NewImage]; draw it with [Gray] on [−1, 1] for black down and white up spins. It
// panics if len(s) ≠ rows·cols.
func SpinImage(title string, s []int8, rows, cols int) Image {
	v := make([]float64, len(s))
	for i, x := range s {
		v[i] = float64(x)
	}
	return NewImage(title, v, rows, cols)
}

// ImageGrid is a [Panel] of small matrices (spin configurations, receptive fields)
// in a grid, each with its title, in one colour scale shared by all of them. A
// panel with a Grid draws no axes, series or curves.
type ImageGrid struct {
	Images []Image
	// Cols is the number of images per row (default: about √n, wider than tall).
	Cols int
	// Min and Max fix the colour range when Min < Max; otherwise it is the range of
	// all images (symmetric about 0 for BlueRed). Use Gray with [−1, 1] for spins.
	Min, Max float64
	Colormap Colormap
	// Label, if set, draws a colour bar with this label on the right.
	Label string
}

// String describes the grid.
func (g *ImageGrid) String() string {
	lo, hi := g.zRange()
	return fmt.Sprintf("image grid of %d images, %v on [%.4g, %.4g]", len(g.Images), g.Colormap, lo, hi)
}

func (g *ImageGrid) zRange() (lo, hi float64) {
	zs := make([][][]float64, len(g.Images))
	for i, im := range g.Images {
		zs[i] = im.Z
	}
	return colorRange(g.Min, g.Max, g.Colormap, zs...)
}

func (g *ImageGrid) validate() error {
	var errs []error
	if len(g.Images) == 0 {
		errs = append(errs, errors.New("image grid has no images"))
	}
	for k, im := range g.Images {
		if len(im.Z) == 0 || len(im.Z[0]) == 0 {
			errs = append(errs, fmt.Errorf("image %d (%q) is empty", k, im.Title))
			continue
		}
		for i, row := range im.Z {
			if len(row) != len(im.Z[0]) {
				errs = append(errs, fmt.Errorf("image %d (%q): row %d has %d values, row 0 has %d", k, im.Title, i, len(row), len(im.Z[0])))
			}
		}
	}
	return errors.Join(errs...)
}

func (g *ImageGrid) grid() (cols, rows int) {
	n := len(g.Images)
	cols = g.Cols
	if cols <= 0 {
		cols = int(math.Ceil(math.Sqrt(float64(n))))
	}
	cols = max(1, min(cols, n))
	return cols, (n + cols - 1) / cols
}

// draw draws the panel title and the grid of images in c.
func (g *ImageGrid) draw(c draw.Canvas, title string) {
	if title != "" {
		sty := draw.TextStyle{Color: color.Black, Font: textFont(titleSize), XAlign: draw.XCenter, YAlign: draw.YTop, Handler: gplot.DefaultTextHandler}
		c.FillText(sty, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: c.Max.Y}, title)
		c.Max.Y -= vg.Points(titleSize + 8)
	}
	lo, hi := g.zRange()
	full := c
	if g.Label != "" {
		c.Max.X -= colorBarWidth
	}
	cols, rows := g.grid()
	// The largest image shape fixes the cell size, so that every cell is square.
	var h, w int
	for _, im := range g.Images {
		h, w = max(h, len(im.Z)), max(w, len(im.Z[0]))
	}
	const gap = vg.Length(8)
	capH := vg.Points(legendSize + 4)
	cw := (c.Max.X - c.Min.X - gap*vg.Length(cols-1)) / vg.Length(cols*w)
	ch := (c.Max.Y - c.Min.Y - (gap+capH)*vg.Length(rows)) / vg.Length(rows*h)
	cell := max(0, min(cw, ch))
	iw, ih := cell*vg.Length(w), cell*vg.Length(h)
	// Centre the block of images in the canvas.
	bw := iw*vg.Length(cols) + gap*vg.Length(cols-1)
	bh := (ih+capH)*vg.Length(rows) + gap*vg.Length(rows-1)
	x0 := c.Min.X + (c.Max.X-c.Min.X-bw)/2
	top := c.Max.Y - (c.Max.Y-c.Min.Y-bh)/2
	capSty := draw.TextStyle{Color: color.Black, Font: textFont(legendSize), XAlign: draw.XCenter, YAlign: draw.YBottom, Handler: gplot.DefaultTextHandler}
	frame := draw.LineStyle{Color: color.Gray{0x60}, Width: vg.Points(0.6)}
	for k, im := range g.Images {
		r, q := k/cols, k%cols
		left := x0 + (iw+gap)*vg.Length(q)
		yTop := top - (ih+capH+gap)*vg.Length(r)
		if im.Title != "" {
			c.FillText(capSty, vg.Point{X: left + iw/2, Y: yTop - capH + vg.Points(2)}, im.Title)
		}
		imTop := yTop - capH
		for i, row := range im.Z {
			y1 := imTop - cell*vg.Length(i)
			for j := 0; j < len(row); {
				col := g.Colormap.At((row[j] - lo) / (hi - lo))
				e := j + 1
				for e < len(row) && g.Colormap.At((row[e]-lo)/(hi-lo)) == col {
					e++
				}
				fillRect(c, col, left+cell*vg.Length(j)-0.2, y1-cell-0.2, left+cell*vg.Length(e)+0.2, y1+0.2)
				j = e
			}
		}
		var pa vg.Path
		b := imTop - cell*vg.Length(len(im.Z))
		r2 := left + cell*vg.Length(len(im.Z[0]))
		pa.Move(vg.Point{X: left, Y: b})
		pa.Line(vg.Point{X: r2, Y: b})
		pa.Line(vg.Point{X: r2, Y: imTop})
		pa.Line(vg.Point{X: left, Y: imTop})
		pa.Close()
		c.SetLineStyle(frame)
		c.Stroke(pa)
	}
	if g.Label != "" {
		drawColorBar(full, g.Colormap, lo, hi, g.Label, x0+bw, top-bh, top-capH)
	}
}
