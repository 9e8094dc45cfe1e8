package plot

import "bytes"

// PNG returns the figure as a PNG image, or nil when it cannot be drawn (EncodePNG
// reports why). Notebook kernels (deepglass-kernel, gophernotes) render values with a
// PNG method inline.
func (f *Figure) PNG() []byte {
	var b bytes.Buffer
	if err := f.EncodePNG(&b); err != nil {
		return nil
	}
	return b.Bytes()
}

// SVG returns the figure as an SVG document, or "" when it cannot be drawn (EncodeSVG
// reports why).
func (f *Figure) SVG() string {
	var b bytes.Buffer
	if err := f.EncodeSVG(&b); err != nil {
		return ""
	}
	return b.String()
}
