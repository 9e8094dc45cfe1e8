package plot_test

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/deepglass/deepglass/analysis/plot"
)

func sample() *plot.Figure {
	var xs, ys, es, ys2 []float64
	for i := 0; i < 12; i++ {
		x := 0.5 + 0.25*float64(i)
		xs = append(xs, x)
		ys = append(ys, math.Tanh(x)+0.02*math.Sin(7*x))
		ys2 = append(ys2, 0.5*math.Tanh(x))
		es = append(es, 0.03)
	}
	return &plot.Figure{
		Title: "sample",
		Panels: []plot.Panel{
			{
				Title: "linear", XLabel: "T (J/k_B)", YLabel: "e (J per spin)",
				Series: []plot.Series{{Name: "L = 8", X: xs, Y: ys, YErr: es}, {Name: "L = 16", X: xs, Y: ys2, YErr: es, Line: true}},
				Curves: []plot.Curve{{Name: "exact", F: math.Tanh}},
				VLines: []float64{2.269},
			},
			{
				Title: "log-log", XLabel: "L", YLabel: "τ (sweeps)", LogX: true, LogY: true, XTicks: []float64{1, 2, 3},
				Series: []plot.Series{{Name: "data", X: xs, Y: ys, YErr: es}},
				Curves: []plot.Curve{{Name: "fit", X: xs, Y: ys2, Dashed: true}},
			},
			{Title: "empty series", XLabel: "x", YLabel: "y", Series: []plot.Series{{Name: "none"}}},
		},
	}
}

func TestPNG(t *testing.T) {
	f := sample()
	path := filepath.Join(t.TempDir(), "f.png")
	if d := os.Getenv("PLOT_KEEP"); d != "" { // keep the image to look at it
		path = filepath.Join(d, "f.png")
	}
	if err := f.WritePNG(path); err != nil {
		t.Fatal(err)
	}
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	img, err := png.Decode(fh)
	if err != nil {
		t.Fatalf("decoding the PNG: %v", err)
	}
	// 3 panels → 2 columns × 2 rows of 5×3.75 in, plus the title, at 96 dpi.
	b := img.Bounds()
	if b.Dx() != 960 || b.Dy() < 720 || b.Dy() > 800 {
		t.Errorf("PNG is %d×%d; want 960×(720…800)", b.Dx(), b.Dy())
	}
	if distinctColors(img) < 5 {
		t.Errorf("PNG has %d distinct colours; want a drawing", distinctColors(img))
	}
	st, _ := fh.Stat()
	if st.Size() > 200<<10 {
		t.Errorf("PNG is %d bytes; want < 200 KiB", st.Size())
	}
}

func distinctColors(img image.Image) int {
	seen := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			r, g, bb, a := img.At(x, y).RGBA()
			seen[[4]uint32{r, g, bb, a}] = true
		}
	}
	return len(seen)
}

func TestSVG(t *testing.T) {
	f := sample()
	var buf bytes.Buffer
	if err := f.EncodeSVG(&buf); err != nil {
		t.Fatal(err)
	}
	s := buf.String()
	if !strings.Contains(s, "<svg") || !strings.Contains(s, "</svg>") {
		t.Fatalf("not an SVG document: %.200s", s)
	}
	for _, want := range []string{"L = 8", "exact", "e (J per spin)"} {
		if !strings.Contains(s, want) {
			t.Errorf("SVG lacks the text %q", want)
		}
	}
	if buf.Len() < 5000 {
		t.Errorf("SVG is %d bytes; want a drawing", buf.Len())
	}
}

func TestInvalid(t *testing.T) {
	cases := []struct {
		name string
		f    plot.Figure
		want string
	}{
		{"no panels", plot.Figure{}, "no panels"},
		{"length mismatch", plot.Figure{Panels: []plot.Panel{{Series: []plot.Series{{Name: "a", X: []float64{1, 2}, Y: []float64{1}}}}}}, `"a"`},
		{"error mismatch", plot.Figure{Panels: []plot.Panel{{Series: []plot.Series{{Name: "b", X: []float64{1}, Y: []float64{1}, YErr: []float64{1, 2}}}}}}, "errors"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := c.f.EncodePNG(&buf)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("EncodePNG() error = %v; want one containing %q", err, c.want)
			}
		})
	}
}

func TestString(t *testing.T) {
	s := sample().String()
	for _, want := range []string{"3 panels", "2×2", `"linear"`} {
		if !strings.Contains(s, want) {
			t.Errorf("String() = %q; want it to contain %q", s, want)
		}
	}
}

func ExampleFigure() {
	f := &plot.Figure{Panels: []plot.Panel{{
		XLabel: "T (J/k_B)", YLabel: "m",
		Series: []plot.Series{{Name: "L = 8", X: []float64{1, 2, 3}, Y: []float64{0.99, 0.9, 0.2}, YErr: []float64{0.01, 0.02, 0.05}}},
	}}}
	var buf bytes.Buffer
	if err := f.EncodePNG(&buf); err != nil {
		panic(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		panic(err)
	}
	fmt.Println(img.Bounds().Dx(), "pixels wide") // 5 in at 96 dpi
	// Output: 480 pixels wide
}
