package packed

// The portable span kernels of laneCount: one Harley–Seal tree (see count.go),
// written out for each source of words so that the words are loaded inside the tree
// (a tree called with an array of sixteen words, or a switch on the source per word,
// measured 1.4–2 times slower). The eight kernels differ only in the words they load;
// keep them alike.

// span1Scalar counts a[k], k = 0 … len(a)−1, in phase 0.
func (c *laneCount) span1Scalar(a []uint64) {
	n := len(a)
	ones, twos, fours, eights := c.ones[0], c.twos[0], c.fours[0], c.eights[0]
	k := 0
	for ; k+16 <= n; k += 16 {
		A := (*[16]uint64)(a[k : k+16])
		var twosA, twosB, foursA, foursB, eightsA, eightsB, sixteens uint64
		twosA, ones = csa(ones, A[0], A[1])
		twosB, ones = csa(ones, A[2], A[3])
		foursA, twos = csa(twos, twosA, twosB)
		twosA, ones = csa(ones, A[4], A[5])
		twosB, ones = csa(ones, A[6], A[7])
		foursB, twos = csa(twos, twosA, twosB)
		eightsA, fours = csa(fours, foursA, foursB)
		twosA, ones = csa(ones, A[8], A[9])
		twosB, ones = csa(ones, A[10], A[11])
		foursA, twos = csa(twos, twosA, twosB)
		twosA, ones = csa(ones, A[12], A[13])
		twosB, ones = csa(ones, A[14], A[15])
		foursB, twos = csa(twos, twosA, twosB)
		eightsB, fours = csa(fours, foursA, foursB)
		sixteens, eights = csa(eights, eightsA, eightsB)
		if sixteens != 0 {
			c.addHi(0, sixteens)
		}
	}
	c.ones[0], c.twos[0], c.fours[0], c.eights[0] = ones, twos, fours, eights
	for ; k < n; k++ {
		c.add(0, a[k])
	}
}

// span2Scalar counts a[k] ⊕ b[k], k = 0 … len(a)−1, in phase 0.
func (c *laneCount) span2Scalar(a, b []uint64) {
	n := len(a)
	b = b[:n]
	ones, twos, fours, eights := c.ones[0], c.twos[0], c.fours[0], c.eights[0]
	k := 0
	for ; k+16 <= n; k += 16 {
		A, B := (*[16]uint64)(a[k:k+16]), (*[16]uint64)(b[k:k+16])
		var twosA, twosB, foursA, foursB, eightsA, eightsB, sixteens uint64
		twosA, ones = csa(ones, A[0]^B[0], A[1]^B[1])
		twosB, ones = csa(ones, A[2]^B[2], A[3]^B[3])
		foursA, twos = csa(twos, twosA, twosB)
		twosA, ones = csa(ones, A[4]^B[4], A[5]^B[5])
		twosB, ones = csa(ones, A[6]^B[6], A[7]^B[7])
		foursB, twos = csa(twos, twosA, twosB)
		eightsA, fours = csa(fours, foursA, foursB)
		twosA, ones = csa(ones, A[8]^B[8], A[9]^B[9])
		twosB, ones = csa(ones, A[10]^B[10], A[11]^B[11])
		foursA, twos = csa(twos, twosA, twosB)
		twosA, ones = csa(ones, A[12]^B[12], A[13]^B[13])
		twosB, ones = csa(ones, A[14]^B[14], A[15]^B[15])
		foursB, twos = csa(twos, twosA, twosB)
		eightsB, fours = csa(fours, foursA, foursB)
		sixteens, eights = csa(eights, eightsA, eightsB)
		if sixteens != 0 {
			c.addHi(0, sixteens)
		}
	}
	c.ones[0], c.twos[0], c.fours[0], c.eights[0] = ones, twos, fours, eights
	for ; k < n; k++ {
		c.add(0, a[k]^b[k])
	}
}

// span3Scalar counts a[k] ⊕ b[k] ⊕ d[k], k = 0 … len(a)−1, in phase 0.
func (c *laneCount) span3Scalar(a, b, d []uint64) {
	n := len(a)
	b, d = b[:n], d[:n]
	ones, twos, fours, eights := c.ones[0], c.twos[0], c.fours[0], c.eights[0]
	k := 0
	for ; k+16 <= n; k += 16 {
		A, B, D := (*[16]uint64)(a[k:k+16]), (*[16]uint64)(b[k:k+16]), (*[16]uint64)(d[k:k+16])
		var twosA, twosB, foursA, foursB, eightsA, eightsB, sixteens uint64
		twosA, ones = csa(ones, A[0]^B[0]^D[0], A[1]^B[1]^D[1])
		twosB, ones = csa(ones, A[2]^B[2]^D[2], A[3]^B[3]^D[3])
		foursA, twos = csa(twos, twosA, twosB)
		twosA, ones = csa(ones, A[4]^B[4]^D[4], A[5]^B[5]^D[5])
		twosB, ones = csa(ones, A[6]^B[6]^D[6], A[7]^B[7]^D[7])
		foursB, twos = csa(twos, twosA, twosB)
		eightsA, fours = csa(fours, foursA, foursB)
		twosA, ones = csa(ones, A[8]^B[8]^D[8], A[9]^B[9]^D[9])
		twosB, ones = csa(ones, A[10]^B[10]^D[10], A[11]^B[11]^D[11])
		foursA, twos = csa(twos, twosA, twosB)
		twosA, ones = csa(ones, A[12]^B[12]^D[12], A[13]^B[13]^D[13])
		twosB, ones = csa(ones, A[14]^B[14]^D[14], A[15]^B[15]^D[15])
		foursB, twos = csa(twos, twosA, twosB)
		eightsB, fours = csa(fours, foursA, foursB)
		sixteens, eights = csa(eights, eightsA, eightsB)
		if sixteens != 0 {
			c.addHi(0, sixteens)
		}
	}
	c.ones[0], c.twos[0], c.fours[0], c.eights[0] = ones, twos, fours, eights
	for ; k < n; k++ {
		c.add(0, a[k]^b[k]^d[k])
	}
}

// span4Scalar counts a[k] ⊕ b[k] ⊕ d[k] ⊕ e[k], k = 0 … len(a)−1, in phase 0.
func (c *laneCount) span4Scalar(a, b, d, e []uint64) {
	n := len(a)
	b, d, e = b[:n], d[:n], e[:n]
	ones, twos, fours, eights := c.ones[0], c.twos[0], c.fours[0], c.eights[0]
	k := 0
	for ; k+16 <= n; k += 16 {
		A, B, D, E := (*[16]uint64)(a[k:k+16]), (*[16]uint64)(b[k:k+16]), (*[16]uint64)(d[k:k+16]), (*[16]uint64)(e[k:k+16])
		var twosA, twosB, foursA, foursB, eightsA, eightsB, sixteens uint64
		twosA, ones = csa(ones, A[0]^B[0]^D[0]^E[0], A[1]^B[1]^D[1]^E[1])
		twosB, ones = csa(ones, A[2]^B[2]^D[2]^E[2], A[3]^B[3]^D[3]^E[3])
		foursA, twos = csa(twos, twosA, twosB)
		twosA, ones = csa(ones, A[4]^B[4]^D[4]^E[4], A[5]^B[5]^D[5]^E[5])
		twosB, ones = csa(ones, A[6]^B[6]^D[6]^E[6], A[7]^B[7]^D[7]^E[7])
		foursB, twos = csa(twos, twosA, twosB)
		eightsA, fours = csa(fours, foursA, foursB)
		twosA, ones = csa(ones, A[8]^B[8]^D[8]^E[8], A[9]^B[9]^D[9]^E[9])
		twosB, ones = csa(ones, A[10]^B[10]^D[10]^E[10], A[11]^B[11]^D[11]^E[11])
		foursA, twos = csa(twos, twosA, twosB)
		twosA, ones = csa(ones, A[12]^B[12]^D[12]^E[12], A[13]^B[13]^D[13]^E[13])
		twosB, ones = csa(ones, A[14]^B[14]^D[14]^E[14], A[15]^B[15]^D[15]^E[15])
		foursB, twos = csa(twos, twosA, twosB)
		eightsB, fours = csa(fours, foursA, foursB)
		sixteens, eights = csa(eights, eightsA, eightsB)
		if sixteens != 0 {
			c.addHi(0, sixteens)
		}
	}
	c.ones[0], c.twos[0], c.fours[0], c.eights[0] = ones, twos, fours, eights
	for ; k < n; k++ {
		c.add(0, a[k]^b[k]^d[k]^e[k])
	}
}

// wspan1Scalar counts a[k], k = 0 … len(a)−1, in phase k mod 8.
func (c *laneCount) wspan1Scalar(a []uint64) {
	n := len(a)
	k := 0
	for ; k+wideBlock <= n; k += wideBlock {
		A := (*[wideBlock]uint64)(a[k : k+wideBlock])
		for w := range WideWords {
			ones, twos, fours, eights := c.ones[w], c.twos[w], c.fours[w], c.eights[w]
			var twosA, twosB, foursA, foursB, eightsA, eightsB, sixteens uint64
			twosA, ones = csa(ones, A[0+w], A[8+w])
			twosB, ones = csa(ones, A[16+w], A[24+w])
			foursA, twos = csa(twos, twosA, twosB)
			twosA, ones = csa(ones, A[32+w], A[40+w])
			twosB, ones = csa(ones, A[48+w], A[56+w])
			foursB, twos = csa(twos, twosA, twosB)
			eightsA, fours = csa(fours, foursA, foursB)
			twosA, ones = csa(ones, A[64+w], A[72+w])
			twosB, ones = csa(ones, A[80+w], A[88+w])
			foursA, twos = csa(twos, twosA, twosB)
			twosA, ones = csa(ones, A[96+w], A[104+w])
			twosB, ones = csa(ones, A[112+w], A[120+w])
			foursB, twos = csa(twos, twosA, twosB)
			eightsB, fours = csa(fours, foursA, foursB)
			sixteens, eights = csa(eights, eightsA, eightsB)
			c.ones[w], c.twos[w], c.fours[w], c.eights[w] = ones, twos, fours, eights
			if sixteens != 0 {
				c.addHi(w, sixteens)
			}
		}
	}
	for ; k < n; k++ {
		c.add(k&(WideWords-1), a[k])
	}
}

// wspan2Scalar counts a[k] ⊕ b[k], k = 0 … len(a)−1, in phase k mod 8.
func (c *laneCount) wspan2Scalar(a, b []uint64) {
	n := len(a)
	b = b[:n]
	k := 0
	for ; k+wideBlock <= n; k += wideBlock {
		A, B := (*[wideBlock]uint64)(a[k:k+wideBlock]), (*[wideBlock]uint64)(b[k:k+wideBlock])
		for w := range WideWords {
			ones, twos, fours, eights := c.ones[w], c.twos[w], c.fours[w], c.eights[w]
			var twosA, twosB, foursA, foursB, eightsA, eightsB, sixteens uint64
			twosA, ones = csa(ones, A[0+w]^B[0+w], A[8+w]^B[8+w])
			twosB, ones = csa(ones, A[16+w]^B[16+w], A[24+w]^B[24+w])
			foursA, twos = csa(twos, twosA, twosB)
			twosA, ones = csa(ones, A[32+w]^B[32+w], A[40+w]^B[40+w])
			twosB, ones = csa(ones, A[48+w]^B[48+w], A[56+w]^B[56+w])
			foursB, twos = csa(twos, twosA, twosB)
			eightsA, fours = csa(fours, foursA, foursB)
			twosA, ones = csa(ones, A[64+w]^B[64+w], A[72+w]^B[72+w])
			twosB, ones = csa(ones, A[80+w]^B[80+w], A[88+w]^B[88+w])
			foursA, twos = csa(twos, twosA, twosB)
			twosA, ones = csa(ones, A[96+w]^B[96+w], A[104+w]^B[104+w])
			twosB, ones = csa(ones, A[112+w]^B[112+w], A[120+w]^B[120+w])
			foursB, twos = csa(twos, twosA, twosB)
			eightsB, fours = csa(fours, foursA, foursB)
			sixteens, eights = csa(eights, eightsA, eightsB)
			c.ones[w], c.twos[w], c.fours[w], c.eights[w] = ones, twos, fours, eights
			if sixteens != 0 {
				c.addHi(w, sixteens)
			}
		}
	}
	for ; k < n; k++ {
		c.add(k&(WideWords-1), a[k]^b[k])
	}
}

// wspan3Scalar counts a[k] ⊕ b[k] ⊕ d[k/8] (d: one word per site), k = 0 … len(a)−1, in phase k mod 8.
func (c *laneCount) wspan3Scalar(a, b, d []uint64) {
	n := len(a)
	b = b[:n]
	d = d[:n/WideWords]
	k := 0
	for ; k+wideBlock <= n; k += wideBlock {
		A, B, D := (*[wideBlock]uint64)(a[k:k+wideBlock]), (*[wideBlock]uint64)(b[k:k+wideBlock]), (*[16]uint64)(d[k/WideWords:k/WideWords+16])
		for w := range WideWords {
			ones, twos, fours, eights := c.ones[w], c.twos[w], c.fours[w], c.eights[w]
			var twosA, twosB, foursA, foursB, eightsA, eightsB, sixteens uint64
			twosA, ones = csa(ones, A[0+w]^B[0+w]^D[0], A[8+w]^B[8+w]^D[1])
			twosB, ones = csa(ones, A[16+w]^B[16+w]^D[2], A[24+w]^B[24+w]^D[3])
			foursA, twos = csa(twos, twosA, twosB)
			twosA, ones = csa(ones, A[32+w]^B[32+w]^D[4], A[40+w]^B[40+w]^D[5])
			twosB, ones = csa(ones, A[48+w]^B[48+w]^D[6], A[56+w]^B[56+w]^D[7])
			foursB, twos = csa(twos, twosA, twosB)
			eightsA, fours = csa(fours, foursA, foursB)
			twosA, ones = csa(ones, A[64+w]^B[64+w]^D[8], A[72+w]^B[72+w]^D[9])
			twosB, ones = csa(ones, A[80+w]^B[80+w]^D[10], A[88+w]^B[88+w]^D[11])
			foursA, twos = csa(twos, twosA, twosB)
			twosA, ones = csa(ones, A[96+w]^B[96+w]^D[12], A[104+w]^B[104+w]^D[13])
			twosB, ones = csa(ones, A[112+w]^B[112+w]^D[14], A[120+w]^B[120+w]^D[15])
			foursB, twos = csa(twos, twosA, twosB)
			eightsB, fours = csa(fours, foursA, foursB)
			sixteens, eights = csa(eights, eightsA, eightsB)
			c.ones[w], c.twos[w], c.fours[w], c.eights[w] = ones, twos, fours, eights
			if sixteens != 0 {
				c.addHi(w, sixteens)
			}
		}
	}
	for ; k < n; k++ {
		c.add(k&(WideWords-1), a[k]^b[k]^d[k/WideWords])
	}
}

// wspan4Scalar counts a[k] ⊕ b[k] ⊕ d[k] ⊕ e[k], k = 0 … len(a)−1, in phase k mod 8.
func (c *laneCount) wspan4Scalar(a, b, d, e []uint64) {
	n := len(a)
	b, d, e = b[:n], d[:n], e[:n]
	k := 0
	for ; k+wideBlock <= n; k += wideBlock {
		A, B, D, E := (*[wideBlock]uint64)(a[k:k+wideBlock]), (*[wideBlock]uint64)(b[k:k+wideBlock]), (*[wideBlock]uint64)(d[k:k+wideBlock]), (*[wideBlock]uint64)(e[k:k+wideBlock])
		for w := range WideWords {
			ones, twos, fours, eights := c.ones[w], c.twos[w], c.fours[w], c.eights[w]
			var twosA, twosB, foursA, foursB, eightsA, eightsB, sixteens uint64
			twosA, ones = csa(ones, A[0+w]^B[0+w]^D[0+w]^E[0+w], A[8+w]^B[8+w]^D[8+w]^E[8+w])
			twosB, ones = csa(ones, A[16+w]^B[16+w]^D[16+w]^E[16+w], A[24+w]^B[24+w]^D[24+w]^E[24+w])
			foursA, twos = csa(twos, twosA, twosB)
			twosA, ones = csa(ones, A[32+w]^B[32+w]^D[32+w]^E[32+w], A[40+w]^B[40+w]^D[40+w]^E[40+w])
			twosB, ones = csa(ones, A[48+w]^B[48+w]^D[48+w]^E[48+w], A[56+w]^B[56+w]^D[56+w]^E[56+w])
			foursB, twos = csa(twos, twosA, twosB)
			eightsA, fours = csa(fours, foursA, foursB)
			twosA, ones = csa(ones, A[64+w]^B[64+w]^D[64+w]^E[64+w], A[72+w]^B[72+w]^D[72+w]^E[72+w])
			twosB, ones = csa(ones, A[80+w]^B[80+w]^D[80+w]^E[80+w], A[88+w]^B[88+w]^D[88+w]^E[88+w])
			foursA, twos = csa(twos, twosA, twosB)
			twosA, ones = csa(ones, A[96+w]^B[96+w]^D[96+w]^E[96+w], A[104+w]^B[104+w]^D[104+w]^E[104+w])
			twosB, ones = csa(ones, A[112+w]^B[112+w]^D[112+w]^E[112+w], A[120+w]^B[120+w]^D[120+w]^E[120+w])
			foursB, twos = csa(twos, twosA, twosB)
			eightsB, fours = csa(fours, foursA, foursB)
			sixteens, eights = csa(eights, eightsA, eightsB)
			c.ones[w], c.twos[w], c.fours[w], c.eights[w] = ones, twos, fours, eights
			if sixteens != 0 {
				c.addHi(w, sixteens)
			}
		}
	}
	for ; k < n; k++ {
		c.add(k&(WideWords-1), a[k]^b[k]^d[k]^e[k])
	}
}
