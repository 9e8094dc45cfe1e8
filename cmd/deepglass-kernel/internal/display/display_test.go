package display

import (
	"image"
	"strings"
	"testing"
)

type pngFig struct{ b []byte }

func (p pngFig) PNG() []byte    { return p.b }
func (p pngFig) String() string { return "fig" }

type svgFig struct{}

func (svgFig) SVG() string { return "<svg/>" }

func TestAuto(t *testing.T) {
	cases := []struct {
		v        interface{}
		mime     string
		wantText string
	}{
		{pngFig{[]byte{1, 2}}, MIMETypePNG, "fig"},
		{svgFig{}, MIMETypeSVG, "{}"},
		{PNG([]byte{9}), MIMETypePNG, "<image/png, 1 bytes>"},
		{image.NewGray(image.Rect(0, 0, 2, 2)), MIMETypePNG, ""},
		{42, MIMETypeText, "42"},
	}
	for _, c := range cases {
		d := Auto(c.v)
		if _, ok := d.Data[c.mime]; !ok {
			t.Errorf("Auto(%T) has no %s: %v", c.v, c.mime, d)
		}
		if c.wantText != "" && d.Data[MIMETypeText] != c.wantText {
			t.Errorf("Auto(%T) text = %q; want %q", c.v, d.Data[MIMETypeText], c.wantText)
		}
	}
	// a figure that failed to encode falls back to text
	if d := Auto(pngFig{}); len(d.Data) != 1 || d.Data[MIMETypeText] != "fig" {
		t.Errorf("empty PNG: %v", d)
	}
	if s := HTML("<b>x</b>").String(); !strings.Contains(s, "text/html") {
		t.Errorf("String = %q", s)
	}
}

func TestDisplayNeedsPublisher(t *testing.T) {
	SetPublisher(nil)
	if err := Display(HTML("x")); err == nil {
		t.Error("Display without a kernel succeeded")
	}
	var got Data
	SetPublisher(func(d Data) error { got = d; return nil })
	defer SetPublisher(nil)
	if err := Display(Markdown("# hi")); err != nil || got.Data[MIMETypeMarkdown] != "# hi" {
		t.Errorf("Display: %v %v", err, got)
	}
}
