package models

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// MaxGraphN is the largest number of sites a coupling file may declare or use.
const MaxGraphN = 1 << 26

// maxGraphBonds keeps the CSR offsets of a graph within int32 (each bond is stored twice).
const maxGraphBonds = math.MaxInt32 / 2

// maxLine is the longest line a coupling file may have.
const maxLine = 1 << 20

// Graph describes a coupling file read by [ReadCouplings] or [ParseCouplings].
type Graph struct {
	// Path is the file name as given (the name argument of ParseCouplings).
	Path string
	// Format is "edgelist" or "gset".
	Format string
	// N is the number of sites: the header's N for G-set, the largest site index for an
	// edge list.
	N int
	// Edges is the number of bonds (field lines of an edge list not included).
	Edges int
	// TotalWeight is W = Σ w_ij over the edges, with w_ij = -J_ij: the sum of the
	// weights as written for G-set, minus the sum of the couplings for an edge list.
	TotalWeight float64
}

// Cut returns the weight of the cut of a configuration with energy E (total, not per
// spin), (W - E)/2: the total weight w_ij = -J_ij of the edges whose ends have opposite
// spins. It is meaningful only without fields, which G-set files never have.
func (g Graph) Cut(energy float64) float64 { return (g.TotalWeight - energy) / 2 }

// String summarises the graph, e.g. "G22.txt: gset N=2000 edges=19990 W=19990".
func (g Graph) String() string {
	return fmt.Sprintf("%s: %s N=%d edges=%d W=%g", g.Path, g.Format, g.N, g.Edges, g.TotalWeight)
}

// ReadCouplings reads a coupling file (see [ParseCouplings]). A file that cannot be
// opened gives the *os.PathError, wrapped.
func ReadCouplings(path string) (*Sparse, *Graph, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("reading couplings: %w", err)
	}
	defer f.Close()
	return ParseCouplings(f, path)
}

// ParseCouplings reads couplings in one of two formats, named name in errors and in the
// model's Name ("graph " + the base name):
//
//   - Edge list: lines "i j J" with sites numbered from 1 set the coupling J_ij; a line
//     "i i h" sets the field h_i. N is the largest site index seen.
//   - G-set (Max-Cut): a first line "N M", then M lines "i j w" with 1 ≤ i, j ≤ N, read
//     as J_ij = -w_ij, so the energy is Σ w_ij s_i s_j and the cut is (W - E)/2
//     ([Graph.Cut]).
//
// A file is G-set when its first line that is not blank or a comment has exactly two
// integer fields. In both formats "#" starts a comment that runs to the end of the line.
// Errors name the file and line ("G22.txt:17: coupling \"1.x\" is not a number"). A
// pair of sites may appear only once (in either order) and a field only once; values
// must be finite, and there are at most [MaxGraphN] sites.
func ParseCouplings(r io.Reader, name string) (*Sparse, *Graph, error) {
	p := parser{name: name, firstLine: map[uint64]int{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), maxLine)
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if line == 1 {
			text = strings.TrimPrefix(text, "\ufeff") // a UTF-8 byte order mark
		}
		if k := strings.IndexByte(text, '#'); k >= 0 {
			text = text[:k]
		}
		fields := strings.Fields(text)
		if len(fields) == 0 {
			continue
		}
		if err := p.line(line, fields); err != nil {
			return nil, nil, err
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, nil, fmt.Errorf("%s:%d: line longer than %d bytes", name, line+1, maxLine)
		}
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	return p.finish()
}

// parser holds the state of ParseCouplings between lines.
type parser struct {
	name      string
	started   bool
	gset      bool
	n         int // G-set: N from the header; edge list: largest site seen
	m         int // G-set: M from the header
	bonds     []Bond
	fields    map[int]float64 // edge list: site (0-based) → h
	fieldLine map[int]int     // edge list: site (0-based) → line of its field
	firstLine map[uint64]int  // pair key → line of its first bond
	weight    float64
}

func (p *parser) errorf(line int, format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s", p.name, line, fmt.Sprintf(format, args...))
}

// line handles one non-blank line split into fields.
func (p *parser) line(line int, f []string) error {
	if !p.started {
		p.started = true
		if len(f) == 2 {
			if _, err := strconv.ParseInt(f[0], 10, 64); err == nil {
				if _, err := strconv.ParseInt(f[1], 10, 64); err == nil {
					p.gset = true
					return p.header(line, f)
				}
			}
		}
	}
	want := `"i j J"`
	if p.gset {
		want = `"i j w"`
	}
	if len(f) != 3 {
		return p.errorf(line, "want %s, got %d fields", want, len(f))
	}
	hi := MaxGraphN
	if p.gset {
		hi = p.n
	}
	i, err := p.site(line, f[0], hi)
	if err != nil {
		return err
	}
	j, err := p.site(line, f[1], hi)
	if err != nil {
		return err
	}
	what := "coupling"
	if i == j && !p.gset {
		what = "field"
	}
	w, err := strconv.ParseFloat(f[2], 64)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && errors.Is(ne.Err, strconv.ErrRange) {
			return p.errorf(line, "%s %q is not finite", what, f[2])
		}
		return p.errorf(line, "%s %q is not a number", what, f[2])
	}
	if math.IsNaN(w) || math.IsInf(w, 0) {
		return p.errorf(line, "%s %q is not finite", what, f[2])
	}
	if p.gset {
		if len(p.bonds) == p.m {
			return p.errorf(line, "more edge lines than the %d the header declares", p.m)
		}
		if i == j {
			return p.errorf(line, "self-loop on site %d (G-set files have no fields)", i)
		}
	} else if i == j {
		if p.fields == nil {
			p.fields, p.fieldLine = map[int]float64{}, map[int]int{}
		}
		if first, ok := p.fieldLine[i-1]; ok {
			return p.errorf(line, "field on site %d already set on line %d", i, first)
		}
		p.fields[i-1], p.fieldLine[i-1] = w, line
		p.n = max(p.n, i)
		return nil
	}
	if len(p.bonds) == maxGraphBonds {
		return p.errorf(line, "more than %d bonds", maxGraphBonds)
	}
	a, b := min(i, j), max(i, j)
	key := uint64(a)<<32 | uint64(b)
	if first, ok := p.firstLine[key]; ok {
		return p.errorf(line, "duplicate bond (%d,%d), first given on line %d", a, b, first)
	}
	p.firstLine[key] = line
	if p.gset {
		p.bonds = append(p.bonds, Bond{I: i - 1, J: j - 1, W: -w})
		p.weight += w
	} else {
		p.n = max(p.n, i, j)
		p.bonds = append(p.bonds, Bond{I: i - 1, J: j - 1, W: w})
		p.weight -= w
	}
	return nil
}

// header reads the G-set header "N M".
func (p *parser) header(line int, f []string) error {
	n, _ := strconv.ParseInt(f[0], 10, 64)
	m, _ := strconv.ParseInt(f[1], 10, 64)
	switch {
	case n < 1:
		return p.errorf(line, "header: N = %d, want at least 1", n)
	case n > MaxGraphN:
		return p.errorf(line, "header: N = %d exceeds the limit %d", n, MaxGraphN)
	case m < 0:
		return p.errorf(line, "header: M = %d edges, want at least 0", m)
	case m > maxGraphBonds:
		return p.errorf(line, "header: M = %d edges exceeds the limit %d", m, maxGraphBonds)
	case m > n*(n-1)/2:
		return p.errorf(line, "header: M = %d edges, more than N(N-1)/2 = %d", m, n*(n-1)/2)
	}
	p.n, p.m = int(n), int(m)
	return nil
}

// site parses a 1-based site index in 1..hi.
func (p *parser) site(line int, s string, hi int) (int, error) {
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && errors.Is(ne.Err, strconv.ErrRange) {
			return 0, p.errorf(line, "site %s out of range 1..%d", s, hi)
		}
		return 0, p.errorf(line, "site %q is not an integer", s)
	}
	if v < 1 || v > int64(hi) {
		return 0, p.errorf(line, "site %d out of range 1..%d", v, hi)
	}
	return int(v), nil
}

// finish checks the totals and builds the model.
func (p *parser) finish() (*Sparse, *Graph, error) {
	if !p.started {
		return nil, nil, fmt.Errorf("%s: empty file: no couplings", p.name)
	}
	g := &Graph{Path: p.name, Format: "edgelist", N: p.n, Edges: len(p.bonds), TotalWeight: p.weight}
	var h []float64
	if p.gset {
		g.Format = "gset"
		if len(p.bonds) != p.m {
			return nil, nil, fmt.Errorf("%s: header declares %d edges, found %d", p.name, p.m, len(p.bonds))
		}
	} else if p.fields != nil {
		h = make([]float64, p.n)
		for i, v := range p.fields {
			h[i] = v
		}
	}
	m := NewSparse(p.n, p.bonds, h)
	m.Name = "graph " + filepath.Base(p.name)
	return m, g, nil
}
