// Package display is the notebook-facing rendering API of the deepglass kernel,
// compatible with gophernotes' `display` package: cells return (or pass to Display) a
// Data bundle of MIME types, built by PNG, SVG, HTML, Markdown, … or by Auto, which
// renders any value with a PNG(), SVG(), HTML(), Markdown() or Render() method, and
// image.Image values, inline.
package display

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/png"
	"sort"
	"strings"
)

// MIME types of the bundles.
const (
	MIMETypeHTML       = "text/html"
	MIMETypeJavaScript = "application/javascript"
	MIMETypeJPEG       = "image/jpeg"
	MIMETypeJSON       = "application/json"
	MIMETypeLatex      = "text/latex"
	MIMETypeMarkdown   = "text/markdown"
	MIMETypePNG        = "image/png"
	MIMETypePDF        = "application/pdf"
	MIMETypeSVG        = "image/svg+xml"
	MIMETypeText       = "text/plain"
)

// MIMEMap maps a MIME type to its content. Binary content ([]byte) is sent base64
// encoded, as the messaging protocol requires.
type MIMEMap map[string]interface{}

// Data is a bundle: the content of a display_data or execute_result message.
type Data struct {
	Data      MIMEMap
	Metadata  MIMEMap
	Transient MIMEMap
}

// String lists the MIME types of the bundle and its plain-text form.
func (d Data) String() string {
	var types []string
	for k := range d.Data {
		types = append(types, k)
	}
	sort.Strings(types)
	text, _ := d.Data[MIMETypeText].(string)
	return fmt.Sprintf("display.Data[%s] %s", strings.Join(types, " "), text)
}

// MakeData returns a bundle of one MIME type with a plain-text fallback.
func MakeData(mimeType string, data interface{}) Data {
	d := Data{Data: MIMEMap{mimeType: data}}
	if mimeType != MIMETypeText {
		d.Data[MIMETypeText] = plain(mimeType, data)
	}
	return d
}

// MakeData3 is MakeData with an explicit plain-text fallback.
func MakeData3(mimeType string, plaintext string, data interface{}) Data {
	return Data{Data: MIMEMap{MIMETypeText: plaintext, mimeType: data}}
}

func plain(mimeType string, data interface{}) string {
	switch v := data.(type) {
	case []byte:
		return fmt.Sprintf("<%s, %d bytes>", mimeType, len(v))
	case string:
		if mimeType == MIMETypeSVG || mimeType == MIMETypeHTML || mimeType == MIMETypeJavaScript {
			return fmt.Sprintf("<%s, %d bytes>", mimeType, len(v))
		}
		return v
	}
	return fmt.Sprint(data)
}

// Any returns a bundle of one MIME type.
func Any(mimeType string, data interface{}) Data { return MakeData(mimeType, data) }

// HTML renders HTML.
func HTML(html string) Data { return MakeData(MIMETypeHTML, html) }

// Markdown renders Markdown.
func Markdown(md string) Data { return MakeData(MIMETypeMarkdown, md) }

// Latex renders LaTeX.
func Latex(latex string) Data { return MakeData(MIMETypeLatex, latex) }

// Math renders a LaTeX formula in display mode.
func Math(latex string) Data {
	return MakeData3(MIMETypeLatex, latex, "$$"+strings.Trim(latex, "$")+"$$")
}

// JavaScript runs JavaScript in the front end.
func JavaScript(js string) Data { return MakeData(MIMETypeJavaScript, js) }

// JSON renders JSON.
func JSON(json map[string]interface{}) Data { return MakeData(MIMETypeJSON, json) }

// PNG renders a PNG image.
func PNG(b []byte) Data { return MakeData(MIMETypePNG, b) }

// JPEG renders a JPEG image.
func JPEG(b []byte) Data { return MakeData(MIMETypeJPEG, b) }

// PDF renders a PDF document.
func PDF(b []byte) Data { return MakeData(MIMETypePDF, b) }

// SVG renders an SVG image.
func SVG(svg string) Data { return MakeData(MIMETypeSVG, svg) }

// Image renders an image as PNG.
func Image(img image.Image) (Data, error) {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return Data{}, fmt.Errorf("display: encode png: %w", err)
	}
	return PNG(b.Bytes()), nil
}

// Interfaces recognized by Auto, in order of preference.
type (
	Renderer   interface{ Render() Data }
	PNGer      interface{ PNG() []byte }
	SVGer      interface{ SVG() string }
	JPEGer     interface{ JPEG() []byte }
	HTMLer     interface{ HTML() string }
	Markdowner interface{ Markdown() string }
	Latexer    interface{ Latex() string }
	JSONer     interface{ JSON() map[string]interface{} }
)

// Auto renders a value: a Data as itself, then by its Render, PNG, SVG, JPEG, HTML,
// Markdown, Latex or JSON method, an image.Image as PNG, anything else as text. A
// method returning nothing (e.g. a figure that failed to encode) falls through to the
// next form; the text form is always present.
func Auto(v interface{}) Data {
	var d Data
	switch x := v.(type) {
	case Data:
		return x
	case *Data:
		return *x
	case Renderer:
		return x.Render()
	case PNGer:
		if b := x.PNG(); len(b) > 0 {
			d = MakeData(MIMETypePNG, b)
		}
	case SVGer:
		if s := x.SVG(); s != "" {
			d = MakeData(MIMETypeSVG, s)
		}
	case JPEGer:
		if b := x.JPEG(); len(b) > 0 {
			d = MakeData(MIMETypeJPEG, b)
		}
	case HTMLer:
		d = MakeData(MIMETypeHTML, x.HTML())
	case Markdowner:
		d = MakeData(MIMETypeMarkdown, x.Markdown())
	case Latexer:
		d = MakeData(MIMETypeLatex, x.Latex())
	case JSONer:
		d = MakeData(MIMETypeJSON, x.JSON())
	case image.Image:
		if img, err := Image(x); err == nil {
			d = img
		}
	}
	if d.Data == nil {
		d.Data = MIMEMap{}
	}
	d.Data[MIMETypeText] = fmt.Sprint(v)
	return d
}

var publish func(Data) error

// SetPublisher installs the function Display sends bundles to (the kernel does).
func SetPublisher(f func(Data) error) { publish = f }

// Display shows a bundle now, before the cell ends.
func Display(d Data) error {
	if publish == nil {
		return errors.New("display: not running in a kernel")
	}
	return publish(d)
}
