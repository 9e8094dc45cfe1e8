package plot_test

import (
	"bytes"
	"fmt"
	"image/color"
	"image/png"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/deepglass/deepglass/analysis/plot"
)

// heatSample is a figure with a heat map (a Gaussian ridge with a curve over it), a
// grid of ±1 configurations and a grid of signed fields with a colour bar.
func heatSample() *plot.Figure {
	var q, ts []float64
	for i := range 33 {
		q = append(q, -1+float64(i)/16)
	}
	for k := range 10 {
		ts = append(ts, 0.5*math.Pow(1.2, float64(k))) // unevenly spaced rows
	}
	z := make([][]float64, len(ts))
	for i, t := range ts {
		z[i] = make([]float64, len(q))
		q0 := math.Max(0, 1-t/2)
		for j, x := range q {
			z[i][j] = math.Exp(-(x-q0)*(x-q0)/0.02) + math.Exp(-(x+q0)*(x+q0)/0.02)
		}
	}
	z[3][5] = math.NaN()
	src := rand.New(rand.NewPCG(1, 2))
	spins := func(p float64) [][]float64 {
		s := make([][]float64, 16)
		for i := range s {
			s[i] = make([]float64, 16)
			for j := range s[i] {
				s[i][j] = 1
				if src.Float64() < p {
					s[i][j] = -1
				}
			}
		}
		return s
	}
	field := func(ci, cj float64) [][]float64 {
		s := make([][]float64, 12)
		for i := range s {
			s[i] = make([]float64, 12)
			for j := range s[i] {
				d := (float64(i)-ci)*(float64(i)-ci) + (float64(j)-cj)*(float64(j)-cj)
				s[i][j] = math.Exp(-d/8) * math.Cos(float64(i+j)/3)
			}
		}
		return s
	}
	return &plot.Figure{
		Title: "heat maps and image grids",
		Panels: []plot.Panel{
			{
				Title: "P(q) against T", XLabel: "q", YLabel: "T (J/k_B)",
				Heat:   &plot.HeatMap{Z: z, X: q, Y: ts, Label: "P(q) per bin"},
				Curves: []plot.Curve{{Name: "q_EA", X: []float64{0, 1}, Y: []float64{2, 0}, Color: color.White}},
			},
			{Title: "spins", Grid: &plot.ImageGrid{Colormap: plot.Gray, Min: -1, Max: 1, Images: []plot.Image{
				{Title: "T = 1.5", Z: spins(0.05)}, {Title: "T = 2.27", Z: spins(0.3)}, {Title: "T = 3", Z: spins(0.5)}, {Title: "T = ∞", Z: spins(0.5)},
			}}},
			{Title: "receptive fields", Grid: &plot.ImageGrid{Colormap: plot.BlueRed, Label: "weight", Cols: 3, Images: []plot.Image{
				{Title: "h1", Z: field(3, 3)}, {Title: "h2", Z: field(8, 3)}, {Title: "h3", Z: field(3, 8)},
				{Title: "h4", Z: field(8, 8)}, {Title: "h5", Z: field(6, 6)}, {Title: "h6", Z: field(0, 11)},
			}}},
			{
				Title: "viridis ramp", XLabel: "x", YLabel: "y",
				Heat: &plot.HeatMap{Z: [][]float64{{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}}, Label: "value"},
			},
		},
	}
}

func TestHeatPNG(t *testing.T) {
	f := heatSample()
	var a, b bytes.Buffer
	if err := f.EncodePNG(&a); err != nil {
		t.Fatal(err)
	}
	if d := os.Getenv("PLOT_KEEP"); d != "" { // keep the image to look at it
		if err := os.WriteFile(filepath.Join(d, "heat.png"), a.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.EncodePNG(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two encodings of the same figure differ")
	}
	img, err := png.Decode(bytes.NewReader(a.Bytes()))
	if err != nil {
		t.Fatalf("decoding the PNG: %v", err)
	}
	// 4 panels → 2×2 of 5×3.75 in, plus the title, at 96 dpi.
	if bd := img.Bounds(); bd.Dx() != 960 || bd.Dy() < 720 || bd.Dy() > 800 {
		t.Errorf("PNG is %d×%d; want 960×(720…800)", bd.Dx(), bd.Dy())
	}
	if n := distinctColors(img); n < 50 {
		t.Errorf("PNG has %d distinct colours; want colour maps", n)
	}
	if a.Len() > 300<<10 {
		t.Errorf("PNG is %d bytes; want < 300 KiB", a.Len())
	}
	// The viridis ends must appear: the ramp panel spans the whole map.
	for _, want := range []color.Color{plot.Viridis.At(0), plot.Viridis.At(1)} {
		if !hasColor(img, want) {
			t.Errorf("PNG lacks the colour %v", want)
		}
	}
	// ±1 spins in Gray are pure black and white cells.
	if !hasColor(img, color.Black) {
		t.Error("PNG has no black cells")
	}
}

func hasColor(img interface {
	At(x, y int) color.Color
}, want color.Color) bool {
	wr, wg, wb, _ := want.RGBA()
	b := img
	for y := 0; y < 800; y++ {
		for x := 0; x < 960; x++ {
			r, g, bb, _ := b.At(x, y).RGBA()
			if r == wr && g == wg && bb == wb {
				return true
			}
		}
	}
	return false
}

func TestHeatSVG(t *testing.T) {
	f := heatSample()
	var a, b bytes.Buffer
	if err := f.EncodeSVG(&a); err != nil {
		t.Fatal(err)
	}
	if err := f.EncodeSVG(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two encodings of the same figure differ")
	}
	s := a.String()
	for _, want := range []string{"<svg", "</svg>", "P(q) per bin", "T = 2.27", "h6", "weight", "receptive fields"} {
		if !strings.Contains(s, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	if a.Len() > 2<<20 {
		t.Errorf("SVG is %d bytes; want < 2 MiB", a.Len())
	}
}

func TestColormap(t *testing.T) {
	// Viridis at its anchors (matplotlib's values at t = 0, 0.5, 1).
	for _, c := range []struct {
		t    float64
		want color.RGBA
	}{{0, color.RGBA{0x44, 0x01, 0x54, 0xff}}, {0.5, color.RGBA{0x21, 0x91, 0x8c, 0xff}}, {1, color.RGBA{0xfd, 0xe7, 0x25, 0xff}}} {
		if got := plot.Viridis.At(c.t); got != c.want {
			t.Errorf("Viridis.At(%g) = %v; want %v", c.t, got, c.want)
		}
	}
	// Perceptual order: the luminance of viridis and gray increases with t, and
	// blue-red is lightest at the centre.
	lum := func(c color.Color) float64 {
		r, g, b, _ := c.RGBA()
		return 0.2126*float64(r) + 0.7152*float64(g) + 0.0722*float64(b)
	}
	for _, cm := range []plot.Colormap{plot.Viridis, plot.Gray} {
		for k := 1; k <= 100; k++ {
			if lum(cm.At(float64(k)/100)) <= lum(cm.At(float64(k-1)/100)) {
				t.Errorf("%v: luminance does not increase at t = %g", cm, float64(k)/100)
				break
			}
		}
	}
	if lum(plot.BlueRed.At(0.5)) <= lum(plot.BlueRed.At(0)) || lum(plot.BlueRed.At(0.5)) <= lum(plot.BlueRed.At(1)) {
		t.Error("blue-red is not lightest at the centre")
	}
	if plot.Gray.At(0) != (color.Gray{0}) || plot.Gray.At(1) != (color.Gray{255}) {
		t.Errorf("Gray ends = %v, %v; want black, white", plot.Gray.At(0), plot.Gray.At(1))
	}
	if plot.Viridis.At(-3) != plot.Viridis.At(0) || plot.Viridis.At(7) != plot.Viridis.At(1) {
		t.Error("At does not clamp to [0, 1]")
	}
	for _, cm := range []plot.Colormap{plot.Viridis, plot.Gray, plot.BlueRed, plot.Colormap(9)} {
		if cm.String() == "" {
			t.Errorf("Colormap(%d).String() is empty", int(cm))
		}
	}
}

func TestHeatStrings(t *testing.T) {
	f := heatSample()
	s := f.String()
	for _, want := range []string{"heat map \"P(q) per bin\" 10×33", "image grid of 4 images, gray on [-1, 1]", "blue-red"} {
		if !strings.Contains(s, want) {
			t.Errorf("String() = %s\nlacks %q", s, want)
		}
	}
	if s := (plot.Image{Title: "a", Z: [][]float64{{1, 2}}}).String(); s != `"a" 1×2` {
		t.Errorf("Image.String() = %s", s)
	}
}

func TestHeatInvalid(t *testing.T) {
	cases := []struct {
		name string
		p    plot.Panel
		want string
	}{
		{"empty heat map", plot.Panel{Heat: &plot.HeatMap{}}, "no values"},
		{"ragged", plot.Panel{Heat: &plot.HeatMap{Z: [][]float64{{1, 2}, {3}}}}, "row 1 has 1 values"},
		{"x length", plot.Panel{Heat: &plot.HeatMap{Z: [][]float64{{1, 2}}, X: []float64{1}}}, "2 columns but 1 x values"},
		{"y order", plot.Panel{Heat: &plot.HeatMap{Z: [][]float64{{1}, {2}}, Y: []float64{2, 1}}}, "must increase"},
		{"no images", plot.Panel{Grid: &plot.ImageGrid{}}, "no images"},
		{"empty image", plot.Panel{Grid: &plot.ImageGrid{Images: []plot.Image{{Title: "e"}}}}, `("e") is empty`},
	}
	for _, c := range cases {
		f := plot.Figure{Panels: []plot.Panel{c.p}}
		err := f.EncodePNG(&bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v; want it to mention %q", c.name, err, c.want)
		}
	}
}

func ExampleHeatMap() {
	// P(q) at three temperatures (rows) over five bins of q (columns).
	h := &plot.HeatMap{
		X: []float64{-0.8, -0.4, 0, 0.4, 0.8}, Y: []float64{0.5, 1, 2},
		Z: [][]float64{
			{0.4, 0.05, 0.1, 0.05, 0.4},
			{0.2, 0.15, 0.3, 0.15, 0.2},
			{0.02, 0.2, 0.56, 0.2, 0.02},
		},
		Label: "P(q) per bin",
	}
	f := &plot.Figure{Panels: []plot.Panel{{XLabel: "q", YLabel: "T (J/k_B)", Heat: h}}}
	fmt.Println(h)
	if err := f.EncodeSVG(io.Discard); err != nil {
		panic(err)
	}
	// Output: heat map "P(q) per bin" 3×5, viridis on [0.02, 0.56]
}

func ExampleImageGrid() {
	up := [][]float64{{1, 1}, {1, 1}}
	neel := [][]float64{{1, -1}, {-1, 1}}
	g := &plot.ImageGrid{Colormap: plot.Gray, Min: -1, Max: 1, Images: []plot.Image{{Title: "ferro", Z: up}, {Title: "Néel", Z: neel}}}
	f := &plot.Figure{Panels: []plot.Panel{{Title: "ground states", Grid: g}}}
	fmt.Println(f.Panels[0])
	if err := f.EncodePNG(io.Discard); err != nil {
		panic(err)
	}
	// Output: "ground states" [image grid of 2 images, gray on [-1, 1]]
}

func TestNewImage(t *testing.T) {
	im := plot.SpinImage("s", []int8{1, -1, -1, 1, 1, 1}, 2, 3)
	want := [][]float64{{1, -1, -1}, {1, 1, 1}}
	for i := range want {
		for j := range want[i] {
			if im.Z[i][j] != want[i][j] {
				t.Fatalf("SpinImage = %v; want %v", im.Z, want)
			}
		}
	}
	v := []float64{1, 2, 3, 4}
	im = plot.NewImage("w", v, 2, 2)
	v[0] = 9 // the image holds a copy
	if im.Z[0][0] != 1 || im.Z[1][0] != 3 || im.Title != "w" {
		t.Errorf("NewImage = %v", im)
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "plot: NewImage of 3 values as 2×2") {
			t.Errorf("NewImage with the wrong length: recover() = %v", r)
		}
	}()
	plot.NewImage("bad", []float64{1, 2, 3}, 2, 2)
}
