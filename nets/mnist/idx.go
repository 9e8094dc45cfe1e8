package mnist

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// IDX files (LeCun, Cortes & Burges, "THE MNIST DATABASE of handwritten digits",
// section "FILE FORMATS FOR THE MNIST DATABASE") hold one array:
//
//	two zero bytes, a type byte (0x08 = unsigned byte), a byte giving the number of
//	dimensions d, then d sizes as big-endian uint32, then the values in C order.
//
// MNIST's images are 0x00000803 (n × 28 × 28 unsigned bytes) and its labels 0x00000801
// (n unsigned bytes). ReadIDX reads unsigned-byte arrays of 1 to 4 dimensions, plain or
// gzip-compressed, and nothing else.

// MaxIDXBytes bounds the size of the array ReadIDX accepts (1 GiB; MNIST's training
// images are 47 MB).
const MaxIDXBytes = 1 << 30

// IDX is one unsigned-byte array read from an IDX file.
type IDX struct {
	// Dims are the sizes, outermost first (n, rows, cols for images).
	Dims []int
	// Data holds the product of Dims bytes in C order.
	Data []byte
}

// String returns the shape, e.g. "idx ubyte 60000×28×28".
func (x *IDX) String() string {
	s := make([]string, len(x.Dims))
	for i, d := range x.Dims {
		s[i] = fmt.Sprint(d)
	}
	return "idx ubyte " + strings.Join(s, "×")
}

// ReadIDX reads an unsigned-byte IDX array from r, decompressing it first if it starts
// with the gzip magic bytes. It returns an error, never panics, for anything that is
// not such an array: a bad magic number, another data type, a zero or too large size,
// a truncated file, bytes after the data, a corrupt gzip stream.
func ReadIDX(r io.Reader) (*IDX, error) {
	br := bufio.NewReader(r)
	if magic, err := br.Peek(2); err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("idx: gzip: %w", err)
		}
		zr.Multistream(false)
		x, err := readIDX(bufio.NewReader(zr))
		if err != nil {
			return nil, err
		}
		// Reading to the end checks the gzip checksum and size.
		if n, err := io.Copy(io.Discard, zr); err != nil {
			return nil, fmt.Errorf("idx: gzip: %w", err)
		} else if n > 0 {
			return nil, fmt.Errorf("idx: %d bytes after the data", n)
		}
		return x, nil
	}
	return readIDX(br)
}

func readIDX(r *bufio.Reader) (*IDX, error) {
	var head [4]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return nil, fmt.Errorf("idx: header: %w", truncated(err))
	}
	if head[0] != 0 || head[1] != 0 {
		return nil, fmt.Errorf("idx: bad magic number % x: not an IDX file (want 00 00 08 then the number of dimensions)", head)
	}
	if head[2] != 0x08 {
		return nil, fmt.Errorf("idx: data type 0x%02x not supported (want 0x08, unsigned byte)", head[2])
	}
	nd := int(head[3])
	if nd < 1 || nd > 4 {
		return nil, fmt.Errorf("idx: %d dimensions: want 1 to 4", nd)
	}
	x := &IDX{Dims: make([]int, nd)}
	size := 1
	for i := range x.Dims {
		var b [4]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return nil, fmt.Errorf("idx: size of dimension %d: %w", i, truncated(err))
		}
		d := binary.BigEndian.Uint32(b[:])
		if d == 0 {
			return nil, fmt.Errorf("idx: dimension %d has size 0", i)
		}
		if uint64(d) > MaxIDXBytes || uint64(size)*uint64(d) > MaxIDXBytes {
			return nil, fmt.Errorf("idx: array larger than %d bytes", MaxIDXBytes)
		}
		x.Dims[i] = int(d)
		size *= int(d)
	}
	// Read in chunks, so that a short file claiming a huge size fails before the whole
	// array is allocated.
	const chunk = 1 << 20
	x.Data = make([]byte, 0, min(size, chunk))
	for len(x.Data) < size {
		n := min(size-len(x.Data), chunk)
		start := len(x.Data)
		x.Data = append(x.Data, make([]byte, n)...)
		if k, err := io.ReadFull(r, x.Data[start:]); err != nil {
			return nil, fmt.Errorf("idx: truncated: %d of %d data bytes: %w", start+k, size, truncated(err))
		}
	}
	if _, err := r.ReadByte(); err == nil {
		return nil, errors.New("idx: bytes after the data (corrupt file or wrong sizes in the header)")
	} else if err != io.EOF {
		return nil, fmt.Errorf("idx: %w", err)
	}
	return x, nil
}

// truncated turns the EOF of a short read into io.ErrUnexpectedEOF.
func truncated(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// ReadIDXFile reads the IDX file at path (see [ReadIDX]); errors name the file.
func ReadIDXFile(path string) (*IDX, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	x, err := ReadIDX(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return x, nil
}

// WriteIDX writes x as an uncompressed IDX file (for tests and converted data).
func WriteIDX(w io.Writer, x *IDX) error {
	n := 1
	for _, d := range x.Dims {
		n *= d
	}
	if len(x.Dims) < 1 || len(x.Dims) > 4 || n != len(x.Data) {
		return fmt.Errorf("idx: write: dims %v do not match %d bytes", x.Dims, len(x.Data))
	}
	var b bytes.Buffer
	b.Write([]byte{0, 0, 0x08, byte(len(x.Dims))})
	for _, d := range x.Dims {
		binary.Write(&b, binary.BigEndian, uint32(d))
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return err
	}
	_, err := w.Write(x.Data)
	return err
}
