// Plain C reference: single-spin-flip Metropolis for the 2D Ising ferromagnet (J = 1,
// no field) on an L×L periodic lattice, int8 spins, typewriter order.
#include "ising.h"

// xoshiro256+ (Blackman & Vigna, https://prng.di.unimi.it/xoshiro256plus.c).
static inline uint64_t rotl(const uint64_t x, int k) {
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t next(uint64_t *s) {
	const uint64_t result = s[0] + s[3];
	const uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

// cref_sweeps does n sweeps. table[dE + 8] = exp(-β dE) for dE = -8, -4, 0, 4, 8 (1 for
// dE ≤ 0). Every proposal draws r = (next >> 11) * 2^-53 in [0, 1) and flips iff
// r < table[dE + 8].
void cref_sweeps(int8_t *s, int L, uint64_t *rng, const double *table, long n) {
	uint64_t st[4] = {rng[0], rng[1], rng[2], rng[3]};
	for (long sweep = 0; sweep < n; sweep++) {
		for (int y = 0; y < L; y++) {
			int up = (y == 0 ? L - 1 : y - 1) * L;
			int dn = (y == L - 1 ? 0 : y + 1) * L;
			int row = y * L;
			for (int x = 0; x < L; x++) {
				int xl = x == 0 ? L - 1 : x - 1;
				int xr = x == L - 1 ? 0 : x + 1;
				int i = row + x;
				int sum = s[row + xl] + s[row + xr] + s[up + x] + s[dn + x];
				int dE = 2 * s[i] * sum;
				double r = (double)(next(st) >> 11) * 0x1.0p-53;
				if (r < table[dE + 8]) {
					s[i] = -s[i];
				}
			}
		}
	}
	rng[0] = st[0];
	rng[1] = st[1];
	rng[2] = st[2];
	rng[3] = st[3];
}

// cref_energy returns H = -Σ_<ij> s_i s_j.
long cref_energy(const int8_t *s, int L) {
	long e = 0;
	for (int y = 0; y < L; y++) {
		int dn = (y == L - 1 ? 0 : y + 1) * L;
		for (int x = 0; x < L; x++) {
			int xr = x == L - 1 ? 0 : x + 1;
			e -= s[y * L + x] * (s[y * L + xr] + s[dn + x]);
		}
	}
	return e;
}
