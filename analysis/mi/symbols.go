package mi

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Symbols is a sequence of symbols 0…K−1 with the names of its alphabet: Names[s] is
// what symbol s stands for. Alphabets are numbered by decreasing frequency (ties in
// the order of the units' own values), so symbol 0 is the most frequent.
type Symbols struct {
	Seq   []int32
	Names []string
}

// K returns the size of the alphabet.
func (s Symbols) K() int { return len(s.Names) }

// String returns the length and the alphabet size.
func (s Symbols) String() string {
	return fmt.Sprintf("%d symbols, alphabet of %d", len(s.Seq), len(s.Names))
}

// code numbers the distinct keys of units by decreasing frequency.
func code(units []string) Symbols {
	count := map[string]int{}
	for _, u := range units {
		count[u]++
	}
	names := make([]string, 0, len(count))
	for u := range count {
		names = append(names, u)
	}
	sort.Slice(names, func(i, j int) bool {
		if count[names[i]] != count[names[j]] {
			return count[names[i]] > count[names[j]]
		}
		return names[i] < names[j]
	})
	id := make(map[string]int32, len(names))
	for i, u := range names {
		id[u] = int32(i)
	}
	seq := make([]int32, len(units))
	for i, u := range units {
		seq[i] = id[u]
	}
	return Symbols{Seq: seq, Names: names}
}

// FromBytes returns the bytes of data as symbols, one per byte value that occurs.
func FromBytes(data []byte) Symbols {
	var count [256]int
	for _, b := range data {
		count[b]++
	}
	order := make([]int, 0, 256)
	for v := range count {
		if count[v] > 0 {
			order = append(order, v)
		}
	}
	sort.SliceStable(order, func(i, j int) bool { return count[order[i]] > count[order[j]] })
	var id [256]int32
	names := make([]string, len(order))
	for i, v := range order {
		id[v] = int32(i)
		names[i] = strconv.QuoteToASCII(string([]byte{byte(v)}))
	}
	seq := make([]int32, len(data))
	for i, b := range data {
		seq[i] = id[b]
	}
	return Symbols{Seq: seq, Names: names}
}

// FromRunes returns the UTF-8 characters of text as symbols. Invalid UTF-8 is an
// error naming the byte offset.
func FromRunes(text []byte) (Symbols, error) {
	units := make([]string, 0, len(text))
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRune(text[i:])
		if r == utf8.RuneError && n <= 1 {
			return Symbols{}, fmt.Errorf("mi: invalid UTF-8 at byte %d", i)
		}
		units = append(units, string(r))
		i += n
	}
	return code(units), nil
}

// FromWords returns the words of text as symbols: maximal runs of letters, digits and
// apostrophes inside a word, lower-cased; everything else separates words and is
// dropped. Invalid UTF-8 is an error naming the byte offset.
func FromWords(text []byte) (Symbols, error) {
	if !utf8.Valid(text) {
		for i := 0; i < len(text); {
			r, n := utf8.DecodeRune(text[i:])
			if r == utf8.RuneError && n <= 1 {
				return Symbols{}, fmt.Errorf("mi: invalid UTF-8 at byte %d", i)
			}
			i += n
		}
	}
	var units []string
	var w strings.Builder
	flush := func() {
		if w.Len() > 0 {
			units = append(units, strings.Trim(w.String(), "'’"))
			if units[len(units)-1] == "" {
				units = units[:len(units)-1]
			}
			w.Reset()
		}
	}
	for _, r := range string(text) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			w.WriteRune(unicode.ToLower(r))
		case (r == '\'' || r == '’') && w.Len() > 0:
			w.WriteRune(r)
		default:
			flush()
		}
	}
	flush()
	return code(units), nil
}

// FromDigits returns the decimal digits of text as symbols 0…9 (symbol = digit value,
// Names "0"…"9"), skipping every other byte: the digits of π from "3.14159…".
func FromDigits(text []byte) Symbols {
	seq := make([]int32, 0, len(text))
	for _, b := range text {
		if b >= '0' && b <= '9' {
			seq = append(seq, int32(b-'0'))
		}
	}
	names := make([]string, 10)
	for i := range names {
		names[i] = strconv.Itoa(i)
	}
	return Symbols{Seq: seq, Names: names}
}

// FromSpins returns Ising spins ±1 as symbols: −1 → 0, +1 → 1 (Names "-", "+"). It
// panics if a spin is not ±1.
func FromSpins(s []int8) Symbols {
	seq := make([]int32, len(s))
	for i, v := range s {
		switch v {
		case -1:
			seq[i] = 0
		case 1:
			seq[i] = 1
		default:
			panic(fmt.Sprintf("mi: FromSpins: spin %d is %d, not ±1", i, v))
		}
	}
	return Symbols{Seq: seq, Names: []string{"-", "+"}}
}

// Top returns s with only its v most frequent symbols kept (v ≥ 2): the others all
// become symbol v−1, named "<other>". Word alphabets run to tens of thousands of
// symbols, most seen a few times, whose pair tables no estimator can fill; Top keeps
// the estimate meaningful (and the shuffle baseline, whose cost grows as K², fast).
func (s Symbols) Top(v int) Symbols {
	if v < 2 {
		panic("mi: Symbols.Top needs v ≥ 2")
	}
	if s.K() <= v {
		return s
	}
	out := Symbols{Seq: make([]int32, len(s.Seq)), Names: append(append([]string(nil), s.Names[:v-1]...), "<other>")}
	for i, x := range s.Seq {
		out.Seq[i] = min(x, int32(v-1))
	}
	return out
}
