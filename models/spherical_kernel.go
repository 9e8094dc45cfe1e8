package models

// The kernels below walk the sorted-tuple storage of [Spherical] row by row: for
// p = 3 a row is the run of couplings K_{ijk}, k = j…N−1, for one prefix (i, j) (for
// p = 4 the prefix is (i, j, k), for p = 2 it is i). With h = Σ_k K σ_k (the row's
// dot product with σ[j:]) the row contributes
//
//	σ_i σ_j h       to H,
//	σ_i σ_j K_{ijk} to ∂H/∂σ_k  (an update of g[j:]),
//	σ_j h, σ_i h    to ∂H/∂σ_i, ∂H/∂σ_j,
//
// which counts repeated indices right (the derivative of K σ_i² σ_k by σ_i is
// 2Kσ_iσ_k: once as "i", once as "j"). dotAxpy fuses the dot product and the update
// in one pass over the row: 2 loads, one load and store of g, and 2 multiply-adds
// per coupling, 4 flops.

// dotRow returns Σ k[a]·x[a] with four interleaved partial sums.
func dotRow(k, x []float64) float64 {
	x = x[:len(k)]
	var p0, p1, p2, p3 float64
	a := 0
	for ; a+4 <= len(k); a += 4 {
		kk, xx := k[a:a+4:a+4], x[a:a+4:a+4]
		p0 += kk[0] * xx[0]
		p1 += kk[1] * xx[1]
		p2 += kk[2] * xx[2]
		p3 += kk[3] * xx[3]
	}
	for ; a < len(k); a++ {
		p0 += k[a] * x[a]
	}
	return (p0 + p1) + (p2 + p3)
}

// dotAxpy returns Σ k[a]·x[a] and adds c·k[a] to g[a], in one pass.
func dotAxpy(k, x, g []float64, c float64) float64 {
	x = x[:len(k)]
	g = g[:len(k)]
	var p0, p1, p2, p3 float64
	a := 0
	for ; a+4 <= len(k); a += 4 {
		kk, xx, gg := k[a:a+4:a+4], x[a:a+4:a+4], g[a:a+4:a+4]
		p0 += kk[0] * xx[0]
		p1 += kk[1] * xx[1]
		p2 += kk[2] * xx[2]
		p3 += kk[3] * xx[3]
		gg[0] += c * kk[0]
		gg[1] += c * kk[1]
		gg[2] += c * kk[2]
		gg[3] += c * kk[3]
	}
	for ; a < len(k); a++ {
		p0 += k[a] * x[a]
		g[a] += c * k[a]
	}
	return (p0 + p1) + (p2 + p3)
}

func energy2(k, s []float64) float64 {
	n := len(s)
	var e float64
	off := 0
	for i := 0; i < n; i++ {
		e += s[i] * dotRow(k[off:off+n-i], s[i:])
		off += n - i
	}
	return e
}

func energy3(k, s []float64) float64 {
	n := len(s)
	var e float64
	off := 0
	for i := 0; i < n; i++ {
		var ei float64
		for j := i; j < n; j++ {
			ei += s[j] * dotRow(k[off:off+n-j], s[j:])
			off += n - j
		}
		e += s[i] * ei
	}
	return e
}

func energy4(k, s []float64) float64 {
	n := len(s)
	var e float64
	off := 0
	for i := 0; i < n; i++ {
		var ei float64
		for j := i; j < n; j++ {
			var ej float64
			for l := j; l < n; l++ {
				ej += s[l] * dotRow(k[off:off+n-l], s[l:])
				off += n - l
			}
			ei += s[j] * ej
		}
		e += s[i] * ei
	}
	return e
}

// grad2 adds ∇H to g (zeroed by the caller) and returns H, for p = 2.
func grad2(k, s, g []float64) float64 {
	n := len(s)
	var e float64
	off := 0
	for i := 0; i < n; i++ {
		si := s[i]
		h := dotAxpy(k[off:off+n-i], s[i:], g[i:], si)
		off += n - i
		g[i] += h
		e += si * h
	}
	return e
}

// grad3 adds ∇H to g (zeroed by the caller) and returns H, for p = 3.
func grad3(k, s, g []float64) float64 {
	n := len(s)
	var e float64
	off := 0
	for i := 0; i < n; i++ {
		si := s[i]
		var gi float64
		for j := i; j < n; j++ {
			sj := s[j]
			sij := si * sj
			h := dotAxpy(k[off:off+n-j], s[j:], g[j:], sij)
			off += n - j
			gi += sj * h
			g[j] += si * h
			e += sij * h
		}
		g[i] += gi
	}
	return e
}

// grad4 adds ∇H to g (zeroed by the caller) and returns H, for p = 4.
func grad4(k, s, g []float64) float64 {
	n := len(s)
	var e float64
	off := 0
	for i := 0; i < n; i++ {
		si := s[i]
		var gi float64
		for j := i; j < n; j++ {
			sj := s[j]
			sij := si * sj
			var gj, hij float64
			for l := j; l < n; l++ {
				sl := s[l]
				h := dotAxpy(k[off:off+n-l], s[l:], g[l:], sij*sl)
				off += n - l
				// the row's prefix is (i, j, l): σ_jσ_l h to g_i, σ_iσ_l h to g_j,
				// σ_iσ_j h to g_l.
				hij += sl * h
				g[l] += sij * h
			}
			gi += sj * hij
			gj += si * hij
			e += sij * hij
			g[j] += gj
		}
		g[i] += gi
	}
	return e
}

// axpy adds c·k[a] to g[a].
func axpy(k, g []float64, c float64) {
	g = g[:len(k)]
	for a, v := range k {
		g[a] += c * v
	}
}

// hessian2 fills a (n×n, zeroed) with the pair terms of p = 2: the Hessian is
// a + aᵀ (see Spherical.hessianGeneric).
func hessian2(k []float64, n int, a []float64) {
	off := 0
	for i := 0; i < n; i++ {
		copy(a[i*n+i:i*n+n], k[off:off+n-i])
		off += n - i
	}
}

// hessian3 fills a (n×n, zeroed) with the pair terms of p = 3, row by row: for the
// row (i, j) with h = Σ_k K_ijk σ_k, the pair (i, j) gets h, the pairs (i, k) and
// (j, k) get K_ijk σ_j and K_ijk σ_i. The Hessian is a + aᵀ.
func hessian3(k, s, a []float64) {
	n := len(s)
	off := 0
	for i := 0; i < n; i++ {
		si := s[i]
		for j := i; j < n; j++ {
			row := k[off : off+n-j]
			off += n - j
			a[i*n+j] += dotRow(row, s[j:])
			axpy(row, a[i*n+j:i*n+n], s[j])
			axpy(row, a[j*n+j:j*n+n], si)
		}
	}
}
