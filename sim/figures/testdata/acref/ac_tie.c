/* Independent reference for the autocorrelation figure: integrated autocorrelation
 * times of |m| and e per sweep for 2D Ising Metropolis in typewriter order WITH the tie
 * rule of deepglass (a flip with dE = 0 accepted with probability 15/16, dE < 0 always,
 * dE > 0 with exp(-beta dE)), at T_c on the periodic L x L lattice. Written from the
 * definitions, sharing no code with deepglass: its own generator (splitmix64 +
 * xoshiro256**), its own Sokal window (c = 6, tau = 1/2 + sum_{t=1}^{W} rho(t), W the
 * smallest with W >= c tau(W)).
 *
 *   cc -O2 -o ac_tie ac_tie.c -lm && ./ac_tie L sweeps seed
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t s[4];
static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
static uint64_t next(void) {
	uint64_t r = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
	s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = rotl(s[3], 45);
	return r;
}
static double uni(void) { return (next() >> 11) * 0x1p-53; }
static uint64_t sm(uint64_t *x) {
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL; z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double tauint(const double *x, long n) {
	double mean = 0;
	for (long i = 0; i < n; i++) mean += x[i];
	mean /= n;
	double c0 = 0;
	for (long i = 0; i < n; i++) c0 += (x[i] - mean) * (x[i] - mean);
	c0 /= n;
	double tau = 0.5;
	for (long t = 1; t < n / 2; t++) {
		double c = 0;
		for (long i = 0; i + t < n; i++) c += (x[i] - mean) * (x[i + t] - mean);
		tau += c / n / c0;
		if (t >= 6 * tau) break;
	}
	return tau;
}

int main(int argc, char **argv) {
	if (argc != 4) { fprintf(stderr, "usage: ac_tie L sweeps seed\n"); return 2; }
	int L = atoi(argv[1]); long sweeps = atol(argv[2]); uint64_t seed = strtoull(argv[3], 0, 10);
	for (int i = 0; i < 4; i++) s[i] = sm(&seed);
	double beta = 0.5 * log(1 + sqrt(2.0));
	double acc[9];
	for (int d = 0; d <= 8; d++) acc[d] = exp(-beta * d);
	int n = L * L;
	int *sp = malloc(sizeof(int) * n);
	for (int i = 0; i < n; i++) sp[i] = 1;
	double *m = malloc(sizeof(double) * sweeps), *e = malloc(sizeof(double) * sweeps);
	long therm = 1000 * (long)L;
	for (long sw = -therm; sw < sweeps; sw++) {
		for (int y = 0; y < L; y++)
			for (int x = 0; x < L; x++) {
				int i = x + L * y;
				int f = sp[(x + 1) % L + L * y] + sp[(x + L - 1) % L + L * y] + sp[x + L * ((y + 1) % L)] + sp[x + L * ((y + L - 1) % L)];
				int dE = 2 * sp[i] * f;
				if (dE < 0 || (dE == 0 ? uni() < 15.0 / 16 : uni() < acc[dE]))
					sp[i] = -sp[i];
			}
		if (sw < 0) continue;
		long M = 0, E = 0;
		for (int y = 0; y < L; y++)
			for (int x = 0; x < L; x++) {
				int i = x + L * y;
				M += sp[i];
				E -= sp[i] * (sp[(x + 1) % L + L * y] + sp[x + L * ((y + 1) % L)]);
			}
		m[sw] = fabs((double)M) / n;
		e[sw] = (double)E / n;
	}
	printf("L=%d sweeps=%ld tau_int(|m|)=%.4f tau_int(e)=%.4f\n", L, sweeps, tauint(m, sweeps), tauint(e, sweeps));
	return 0;
}
