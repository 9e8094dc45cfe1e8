package plot

import (
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/deepglass/deepglass/internal/atomicfile"
	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Series is a set of measured points (X[i], Y[i] ± YErr[i]) drawn as markers with
// error bars. YErr may be nil (no bars); NaN errors draw no bar. Line joins the
// points with a thin line of the series' colour.
type Series struct {
	Name string
	X, Y []float64
	YErr []float64
	Line bool
}

// String returns the name and the number of points.
func (s Series) String() string {
	return fmt.Sprintf("%s (%d points)", s.Name, len(s.X))
}

// Curve is a reference line: either F sampled on [XMin, XMax] (the data range of
// the panel when both are zero), or the dense points X, Y joined by straight lines.
// Curves are drawn black (or in Color if set), dashed when Dashed is true.
type Curve struct {
	Name       string
	F          func(x float64) float64
	XMin, XMax float64
	X, Y       []float64
	Dashed     bool
	Color      color.Color
}

// String returns the name and the kind of curve.
func (c Curve) String() string {
	if c.F != nil {
		return fmt.Sprintf("%s (function)", c.Name)
	}
	return fmt.Sprintf("%s (%d points)", c.Name, len(c.X))
}

// Panel is one plot: axes with labels (give units, e.g. "T (J/k_B)"), the series,
// the reference curves and, optionally, vertical marker lines (e.g. at T_c).
type Panel struct {
	Title          string
	XLabel, YLabel string
	Series         []Series
	Curves         []Curve
	// VLines are x positions of thin dashed grey vertical lines.
	VLines     []float64
	LogX, LogY bool
	// XRange and YRange fix the axis ranges when Min < Max; otherwise the axes fit
	// the data.
	XRange, YRange [2]float64
	// XTicks, if set, are the labelled ticks of the x axis (e.g. the system sizes on
	// a log axis).
	XTicks []float64
	// LegendLeft and LegendBottom move the legend from its default top-right corner.
	LegendLeft, LegendBottom bool
	// Heat, if set, is drawn as coloured cells under the curves and series, with a
	// colour bar on the right of the panel.
	Heat *HeatMap
	// Grid, if set, makes the panel a grid of small images under the title instead
	// of a plot: labels, series, curves and the other fields are ignored.
	Grid *ImageGrid
}

// String returns the title, the labels and the number of series and curves.
func (p Panel) String() string {
	if p.Grid != nil {
		return fmt.Sprintf("%q [%v]", p.Title, p.Grid)
	}
	s := fmt.Sprintf("%q [%s vs %s, %d series, %d curves", p.Title, p.YLabel, p.XLabel, len(p.Series), len(p.Curves))
	if p.Heat != nil {
		s += ", " + p.Heat.String()
	}
	return s + "]"
}

// Figure is a grid of panels rendered into one image, row by row.
type Figure struct {
	// Title, if set, is drawn above the grid.
	Title  string
	Panels []Panel
	// Cols is the number of panel columns (default: 2 when there are 4 panels or
	// more than 2, else the number of panels).
	Cols int
	// Width and Height are the size of the whole figure in inches (default: 5 per
	// column and 3.75 per row). PNGs are rendered at DPI dots per inch (default 96).
	Width, Height float64
	DPI           float64
}

// String describes the layout and the panels.
func (f *Figure) String() string {
	cols, rows := f.grid()
	w, h := f.size()
	var b strings.Builder
	fmt.Fprintf(&b, "figure %q: %d panels (%d×%d), %.3gin×%.3gin", f.Title, len(f.Panels), rows, cols, w, h)
	for _, p := range f.Panels {
		b.WriteString("; ")
		b.WriteString(p.String())
	}
	return b.String()
}

// Style: sizes chosen so that a figure 5 inches per panel stays legible on a slide.
const (
	titleSize  = 15
	labelSize  = 14
	tickSize   = 12
	legendSize = 11
	glyphSize  = 3.2
	lineWidth  = 1.6
)

// Palette is the colour of the i-th series (Okabe–Ito, safe for colour-blind readers).
var palette = []color.Color{
	color.RGBA{0x00, 0x72, 0xB2, 0xff}, // blue
	color.RGBA{0xD5, 0x5E, 0x00, 0xff}, // vermillion
	color.RGBA{0x00, 0x9E, 0x73, 0xff}, // bluish green
	color.RGBA{0xCC, 0x79, 0xA7, 0xff}, // reddish purple
	color.RGBA{0xE6, 0x9F, 0x00, 0xff}, // orange
	color.RGBA{0x56, 0xB4, 0xE9, 0xff}, // sky blue
	color.RGBA{0x55, 0x55, 0x55, 0xff}, // dark grey
	color.RGBA{0x88, 0x22, 0x55, 0xff}, // wine
}

var glyphs = []draw.GlyphDrawer{
	draw.CircleGlyph{}, draw.BoxGlyph{}, draw.PyramidGlyph{},
	draw.RingGlyph{}, draw.SquareGlyph{}, draw.TriangleGlyph{}, draw.CrossGlyph{},
	draw.PlusGlyph{},
}

// SeriesColor returns the colour given to the i-th series of a panel, so that other
// marks (annotations, curves) can match it.
func SeriesColor(i int) color.Color { return palette[i%len(palette)] }

func (f *Figure) grid() (cols, rows int) {
	n := len(f.Panels)
	cols = f.Cols
	if cols <= 0 {
		cols = n
		if n > 2 {
			cols = 2
		}
	}
	if cols < 1 {
		cols = 1
	}
	rows = (n + cols - 1) / cols
	if rows < 1 {
		rows = 1
	}
	return cols, rows
}

func (f *Figure) size() (w, h float64) {
	cols, rows := f.grid()
	w, h = f.Width, f.Height
	if w <= 0 {
		w = 5 * float64(cols)
	}
	if h <= 0 {
		h = 3.75 * float64(rows)
		if f.Title != "" {
			h += 0.4
		}
	}
	return w, h
}

// validate reports every inconsistency of the data at once.
func (f *Figure) validate() error {
	var errs []error
	if len(f.Panels) == 0 {
		errs = append(errs, errors.New("figure has no panels"))
	}
	for i, p := range f.Panels {
		if p.Heat != nil {
			if err := p.Heat.validate(); err != nil {
				errs = append(errs, fmt.Errorf("panel %d: %w", i, err))
			}
		}
		if p.Grid != nil {
			if err := p.Grid.validate(); err != nil {
				errs = append(errs, fmt.Errorf("panel %d: %w", i, err))
			}
		}
		for _, s := range p.Series {
			if len(s.Y) != len(s.X) {
				errs = append(errs, fmt.Errorf("panel %d, series %q: %d x values but %d y values", i, s.Name, len(s.X), len(s.Y)))
			}
			if s.YErr != nil && len(s.YErr) != len(s.X) {
				errs = append(errs, fmt.Errorf("panel %d, series %q: %d x values but %d errors", i, s.Name, len(s.X), len(s.YErr)))
			}
		}
		for _, c := range p.Curves {
			if c.F == nil && len(c.X) != len(c.Y) {
				errs = append(errs, fmt.Errorf("panel %d, curve %q: %d x values but %d y values", i, c.Name, len(c.X), len(c.Y)))
			}
		}
	}
	return errors.Join(errs...)
}

func textFont(size float64) font.Font {
	return font.From(font.Font{Typeface: "Liberation", Variant: "Sans"}, vg.Points(size))
}

// xy, yerr adapt slices to gonum/plot's interfaces, dropping non-finite values.
type points struct{ x, y, e []float64 }

func (p points) Len() int                    { return len(p.x) }
func (p points) XY(i int) (float64, float64) { return p.x[i], p.y[i] }
func (p points) YError(i int) (float64, float64) {
	if p.e == nil || math.IsNaN(p.e[i]) || math.IsInf(p.e[i], 0) {
		return 0, 0
	}
	return p.e[i], p.e[i]
}

func finite(s Series, logX, logY bool) points {
	var p points
	for i := range s.X {
		x, y := s.X[i], s.Y[i]
		if math.IsNaN(x) || math.IsNaN(y) || math.IsInf(x, 0) || math.IsInf(y, 0) || (logX && x <= 0) || (logY && y <= 0) {
			continue
		}
		p.x = append(p.x, x)
		p.y = append(p.y, y)
		if s.YErr != nil {
			e := s.YErr[i]
			if logY && y-e <= 0 && e == e {
				e = y * (1 - 1e-3) // keep the bar on a log axis
			}
			p.e = append(p.e, e)
		}
	}
	return p
}

// build turns a Panel into a gonum plot.
func (p Panel) build() (*gplot.Plot, *gplot.Legend, error) {
	pl := gplot.New()
	leg := gplot.NewLegend()
	named := false
	pl.Title.Text = p.Title
	pl.Title.TextStyle.Font = textFont(titleSize)
	pl.Title.Padding = vg.Points(4)
	for _, ax := range []*gplot.Axis{&pl.X, &pl.Y} {
		ax.Label.TextStyle.Font = textFont(labelSize)
		ax.Tick.Label.Font = textFont(tickSize)
		ax.Width = vg.Points(1)
		ax.Tick.LineStyle.Width = vg.Points(1)
		ax.Padding = vg.Points(3)
	}
	pl.X.Label.Text = p.XLabel
	pl.Y.Label.Text = p.YLabel
	leg.TextStyle.Font = textFont(legendSize)
	leg.Top = !p.LegendBottom
	leg.Left = p.LegendLeft
	leg.Padding = vg.Points(1)
	leg.ThumbnailWidth = vg.Points(24)
	leg.XOffs = vg.Points(-6)
	if p.LegendLeft {
		leg.XOffs = vg.Points(6)
	}
	leg.YOffs = vg.Points(-6)
	if p.LegendBottom {
		leg.YOffs = vg.Points(6)
	}
	pl.X.Tick.Marker = niceTicks{}
	pl.Y.Tick.Marker = niceTicks{}
	if p.LogX {
		pl.X.Scale = gplot.LogScale{}
		pl.X.Tick.Marker = gplot.LogTicks{Prec: -1}
	}
	if p.LogY {
		pl.Y.Scale = gplot.LogScale{}
		pl.Y.Tick.Marker = gplot.LogTicks{Prec: -1}
	}
	if len(p.XTicks) > 0 {
		var ticks gplot.ConstantTicks
		for _, x := range p.XTicks {
			ticks = append(ticks, gplot.Tick{Value: x, Label: strconv.FormatFloat(x, 'g', -1, 64)})
		}
		pl.X.Tick.Marker = ticks
	}
	if p.Heat != nil {
		pl.Add(newHeatPlotter(p.Heat))
	} else {
		grid := plotter.NewGrid()
		grid.Vertical.Color = color.Gray{0xe4}
		grid.Horizontal.Color = color.Gray{0xe4}
		grid.Vertical.Dashes = nil
		grid.Horizontal.Dashes = nil
		pl.Add(grid)
	}

	// Data range for function curves and marker lines.
	xmin, xmax := math.Inf(1), math.Inf(-1)
	for _, s := range p.Series {
		for _, x := range s.X {
			if !math.IsNaN(x) && !math.IsInf(x, 0) {
				xmin, xmax = math.Min(xmin, x), math.Max(xmax, x)
			}
		}
	}
	if p.XRange[0] < p.XRange[1] {
		xmin, xmax = p.XRange[0], p.XRange[1]
	}

	// Curves below the points, so the markers stay visible.
	for _, c := range p.Curves {
		col := c.Color
		if col == nil {
			col = color.Black
		}
		var pt gplot.Plotter
		var thumb gplot.Thumbnailer
		if c.F != nil {
			lo, hi := c.XMin, c.XMax
			if lo == 0 && hi == 0 {
				lo, hi = xmin, xmax
			}
			if !(lo < hi) {
				continue
			}
			// Sample F ourselves (uniformly in log x on a log axis), so that the
			// curve takes part in the axis ranges.
			const n = 300
			c.X, c.Y = make([]float64, n+1), make([]float64, n+1)
			for i := range c.X {
				x := lo + (hi-lo)*float64(i)/n
				if p.LogX && lo > 0 {
					x = lo * math.Pow(hi/lo, float64(i)/n)
				}
				c.X[i], c.Y[i] = x, c.F(x)
			}
		}
		if pt == nil {
			pts := finite(Series{X: c.X, Y: c.Y}, p.LogX, p.LogY)
			if pts.Len() < 2 {
				continue
			}
			l, err := plotter.NewLine(xyOnly{pts})
			if err != nil {
				return nil, nil, fmt.Errorf("curve %q: %w", c.Name, err)
			}
			l.Color, l.Width = col, vg.Points(lineWidth)
			if c.Dashed {
				l.Dashes = []vg.Length{vg.Points(6), vg.Points(3)}
			}
			pt, thumb = l, l
		}
		pl.Add(pt)
		if c.Name != "" {
			leg.Add(c.Name, thumb)
			named = true
		}
	}
	for i, s := range p.Series {
		pts := finite(s, p.LogX, p.LogY)
		if pts.Len() == 0 {
			continue
		}
		col := palette[i%len(palette)]
		sc, err := plotter.NewScatter(xyOnly{pts})
		if err != nil {
			return nil, nil, fmt.Errorf("series %q: %w", s.Name, err)
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(glyphSize), Shape: glyphs[i%len(glyphs)]}
		var thumbs []gplot.Thumbnailer
		if s.Line && pts.Len() > 1 {
			l, err := plotter.NewLine(xyOnly{pts})
			if err != nil {
				return nil, nil, fmt.Errorf("series %q: %w", s.Name, err)
			}
			l.Color, l.Width = col, vg.Points(1)
			pl.Add(l)
			thumbs = append(thumbs, l)
		}
		if pts.e != nil {
			eb, err := plotter.NewYErrorBars(pts)
			if err != nil {
				return nil, nil, fmt.Errorf("series %q: %w", s.Name, err)
			}
			eb.LineStyle.Color, eb.LineStyle.Width = col, vg.Points(1.2)
			eb.CapWidth = vg.Points(6)
			pl.Add(eb)
		}
		pl.Add(sc)
		thumbs = append(thumbs, sc)
		if s.Name != "" {
			leg.Add(s.Name, thumbs...)
			named = true
		}
	}
	for _, x := range p.VLines {
		v := vline{x: x}
		pl.Add(v)
	}
	if p.XRange[0] < p.XRange[1] {
		pl.X.Min, pl.X.Max = p.XRange[0], p.XRange[1]
	}
	if p.YRange[0] < p.YRange[1] {
		pl.Y.Min, pl.Y.Max = p.YRange[0], p.YRange[1]
	}
	if !named {
		return pl, nil, nil
	}
	return pl, &leg, nil
}

// xyOnly hides the YErrorer of points from plotters that would otherwise use it.
type xyOnly struct{ p points }

func (x xyOnly) Len() int                    { return x.p.Len() }
func (x xyOnly) XY(i int) (float64, float64) { return x.p.XY(i) }

// vline draws a dashed grey vertical line across the plot area without widening the
// y range.
type vline struct{ x float64 }

func (v vline) Plot(c draw.Canvas, p *gplot.Plot) {
	if v.x < p.X.Min || v.x > p.X.Max {
		return
	}
	trX, _ := p.Transforms(&c)
	x := trX(v.x)
	c.StrokeLine2(draw.LineStyle{Color: color.Gray{0x80}, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}},
		x, c.Min.Y, x, c.Max.Y)
}

// DataRange makes the line contribute its x to the range only.
func (v vline) DataRange() (xmin, xmax, ymin, ymax float64) {
	return v.x, v.x, math.Inf(1), math.Inf(-1)
}

// draw renders the figure on a canvas.
func (f *Figure) draw(c draw.Canvas) error {
	if err := f.validate(); err != nil {
		return fmt.Errorf("plot: %w", err)
	}
	cols, rows := f.grid()
	// White background (vgimg canvases start transparent).
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	if f.Title != "" {
		sty := draw.TextStyle{Color: color.Black, Font: textFont(titleSize + 2), XAlign: draw.XCenter, YAlign: draw.YTop, Handler: gplot.DefaultTextHandler}
		c.FillText(sty, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: c.Max.Y - vg.Points(4)}, f.Title)
		c.Max.Y -= vg.Points(titleSize + 12)
	}
	grid := make([][]*gplot.Plot, rows)
	legends := make([][]*gplot.Legend, rows)
	for r := range grid {
		grid[r] = make([]*gplot.Plot, cols)
		legends[r] = make([]*gplot.Legend, cols)
	}
	for i, p := range f.Panels {
		if p.Grid != nil {
			continue // drawn without axes, below
		}
		pl, leg, err := p.build()
		if err != nil {
			return fmt.Errorf("plot: panel %d: %w", i, err)
		}
		grid[i/cols][i%cols] = pl
		legends[i/cols][i%cols] = leg
	}
	t := draw.Tiles{
		Rows: rows, Cols: cols,
		PadTop: vg.Points(6), PadBottom: vg.Points(6), PadLeft: vg.Points(6), PadRight: vg.Points(10),
		PadX: vg.Points(18), PadY: vg.Points(14),
	}
	canvases := gplot.Align(grid, t, c)
	for i, p := range f.Panels {
		r, k := i/cols, i%cols
		cv := canvases[r][k]
		if p.Grid != nil {
			p.Grid.draw(cv, p.Title)
			continue
		}
		pl := grid[r][k]
		full := cv
		if p.Heat != nil {
			cv.Max.X -= colorBarWidth
		}
		pl.Draw(cv)
		dc := pl.DataCanvas(cv)
		if p.Heat != nil {
			lo, hi := p.Heat.zRange()
			drawColorBar(full, p.Heat.Colormap, lo, hi, p.Heat.Label, dc.Max.X, dc.Min.Y, dc.Max.Y)
		}
		drawLegend(legends[r][k], dc)
	}
	return nil
}

// drawLegend draws the legend on a white, thinly framed box so that it stays
// readable over data.
func drawLegend(l *gplot.Legend, dc draw.Canvas) {
	if l == nil {
		return
	}
	// Legend.Rectangle gets the position wrong (gonum/plot v0.17 mirrors Left);
	// use only its size.
	ext := l.Rectangle(dc)
	w, h := ext.Max.X-ext.Min.X, ext.Max.Y-ext.Min.Y
	var r vg.Rectangle
	if l.Left {
		r.Min.X = dc.Min.X + l.XOffs
		r.Max.X = r.Min.X + w
	} else {
		r.Max.X = dc.Max.X + l.XOffs
		r.Min.X = r.Max.X - w
	}
	if l.Top {
		r.Max.Y = dc.Max.Y + l.YOffs
		r.Min.Y = r.Max.Y - h
	} else {
		r.Min.Y = dc.Min.Y + l.YOffs
		r.Max.Y = r.Min.Y + h
	}
	pad := vg.Points(4)
	r.Min.X -= pad
	r.Min.Y -= pad
	r.Max.X += pad
	r.Max.Y += pad
	dc.SetColor(color.NRGBA{0xff, 0xff, 0xff, 0xe0})
	dc.Fill(r.Path())
	dc.SetLineStyle(draw.LineStyle{Color: color.Gray{0xb0}, Width: vg.Points(0.6)})
	dc.Stroke(r.Path())
	l.Draw(dc)
}

// EncodePNG writes the figure as a PNG image.
func (f *Figure) EncodePNG(w io.Writer) error {
	wi, he := f.size()
	dpi := f.DPI
	if dpi <= 0 {
		dpi = 96
	}
	img := vgimg.NewWith(vgimg.UseWH(vg.Length(wi)*vg.Inch, vg.Length(he)*vg.Inch), vgimg.UseDPI(int(dpi)))
	if err := f.draw(draw.New(img)); err != nil {
		return err
	}
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(w); err != nil {
		return fmt.Errorf("plot: writing png: %w", err)
	}
	return nil
}

// EncodeSVG writes the figure as an SVG document.
func (f *Figure) EncodeSVG(w io.Writer) error {
	wi, he := f.size()
	cv := vgsvg.New(vg.Length(wi)*vg.Inch, vg.Length(he)*vg.Inch)
	if err := f.draw(draw.New(cv)); err != nil {
		return err
	}
	if _, err := cv.WriteTo(w); err != nil {
		return fmt.Errorf("plot: writing svg: %w", err)
	}
	return nil
}

// WritePNG writes the figure to the PNG file path.
func (f *Figure) WritePNG(path string) error { return writeFile(path, f.EncodePNG) }

// WriteSVG writes the figure to the SVG file path.
func (f *Figure) WriteSVG(path string) error { return writeFile(path, f.EncodeSVG) }

func writeFile(path string, enc func(io.Writer) error) error { return atomicfile.Write(path, enc) }

// niceTicks places three to nine labelled ticks at multiples of 1, 2 or 5 × 10^k,
// with unlabelled minor ticks between them.
type niceTicks struct{}

// maxSteps bounds the number of label steps over an axis (at most maxSteps+1
// labels), so that labels such as "-0.6" never touch on a 4-inch axis.
const maxSteps = 8

func (niceTicks) Ticks(min, max float64) []gplot.Tick {
	if !(max > min) || math.IsInf(max-min, 0) {
		return gplot.DefaultTicks{}.Ticks(min, max)
	}
	raw := (max - min) / 5
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step, minor := mag, mag/5
	switch f := raw / mag; {
	case f >= 5:
		step, minor = 5*mag, mag
	case f >= 2:
		step, minor = 2*mag, mag/2
	}
	// Widen the step (1 → 2 → 5 → 10) while there would be too many labels.
	for (max-min)/step > maxSteps {
		switch m := math.Round(step / mag); m {
		case 1:
			step, minor = 2*mag, mag/2
		case 2:
			step, minor = 5*mag, mag
		default:
			mag *= 10
			step, minor = mag, mag/5
		}
	}
	ratio := int64(math.Round(step / minor))
	var ticks []gplot.Tick
	for k := math.Ceil(min/minor - 1e-9); k*minor <= max+1e-9*minor; k++ {
		v := k * minor
		if math.Abs(v) < 1e-12*step {
			v = 0
		}
		t := gplot.Tick{Value: v}
		if int64(k)%ratio == 0 {
			t.Label = strconv.FormatFloat(v, 'f', decimals(step), 64)
		}
		ticks = append(ticks, t)
	}
	return ticks
}

// decimals is the number of decimals that prints multiples of step exactly.
func decimals(step float64) int {
	d := 0
	for d < 10 && math.Abs(step*math.Pow(10, float64(d))-math.Round(step*math.Pow(10, float64(d)))) > 1e-6 {
		d++
	}
	return d
}
