package plot_test

import (
	"bytes"
	"image/png"
	"strings"
	"testing"

	"github.com/deepglass/deepglass/analysis/plot"
)

// TestNotebookMethods checks the methods notebook kernels render inline: the same
// image as EncodePNG/EncodeSVG, and nothing for a figure that cannot be drawn.
func TestNotebookMethods(t *testing.T) {
	f := sample()
	b := f.PNG()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("PNG() does not decode: %v", err)
	}
	var want bytes.Buffer
	if err := f.EncodePNG(&want); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, want.Bytes()) {
		t.Errorf("PNG() differs from EncodePNG (%d vs %d bytes, %v)", len(b), want.Len(), img.Bounds())
	}
	if s := f.SVG(); !strings.Contains(s, "<svg") {
		t.Errorf("SVG() = %.60q…", s)
	}
	bad := &plot.Figure{}
	if bad.PNG() != nil || bad.SVG() != "" {
		t.Error("a figure without panels rendered")
	}
}
