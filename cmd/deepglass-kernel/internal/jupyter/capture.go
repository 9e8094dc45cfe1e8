package jupyter

import (
	"bytes"
	"log"
	"os"
	"time"
)

// flushMark is written into a captured pipe after a cell runs; the reader publishes
// everything before it and then acknowledges, so streams precede the result.
var flushMark = []byte("\x00\x01deepglass-flush\x01\x00")

type capture struct {
	name string
	w    *os.File
	ack  chan struct{}
}

// CaptureOutput replaces os.Stdout and os.Stderr by pipes whose content is published
// as stream messages of the cell being run. Kernel logs keep going to the original
// stderr.
func (k *Kernel) CaptureOutput() error {
	orig := os.Stderr
	k.Log = log.New(orig, k.Log.Prefix(), k.Log.Flags())
	for _, c := range []struct {
		name string
		f    **os.File
	}{{"stdout", &os.Stdout}, {"stderr", &os.Stderr}} {
		r, w, err := os.Pipe()
		if err != nil {
			return err
		}
		cp := &capture{name: c.name, w: w, ack: make(chan struct{}, 1)}
		*c.f = w
		k.captures = append(k.captures, cp)
		go k.pump(cp, r)
	}
	return nil
}

func (k *Kernel) pump(c *capture, r *os.File) {
	buf := make([]byte, 0, 8192)
	chunk := make([]byte, 8192)
	for {
		n, err := r.Read(chunk)
		buf = append(buf, chunk[:n]...)
		for {
			i := bytes.Index(buf, flushMark)
			if i < 0 {
				break
			}
			k.stream(c.name, buf[:i])
			buf = append(buf[:0], buf[i+len(flushMark):]...)
			c.ack <- struct{}{}
		}
		// keep a tail that may be the start of a mark
		keep := 0
		for p := len(flushMark) - 1; p > 0; p-- {
			if bytes.HasSuffix(buf, flushMark[:p]) {
				keep = p
				break
			}
		}
		k.stream(c.name, buf[:len(buf)-keep])
		buf = append(buf[:0], buf[len(buf)-keep:]...)
		if err != nil {
			return
		}
	}
}

func (k *Kernel) stream(name string, b []byte) {
	if len(b) == 0 {
		return
	}
	k.mu.Lock()
	parent := k.parent
	k.mu.Unlock()
	k.publish(parent, "stream", map[string]any{"name": name, "text": string(b)})
}

// flushOutput waits until everything written to the captured streams so far has been
// published.
func (k *Kernel) flushOutput() {
	for _, c := range k.captures {
		if _, err := c.w.Write(flushMark); err != nil {
			continue
		}
		select {
		case <-c.ack:
		case <-time.After(5 * time.Second):
			k.Log.Printf("%s: flush timed out", c.name)
		}
	}
}
