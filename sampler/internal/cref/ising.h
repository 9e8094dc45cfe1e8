#include <stdint.h>

void cref_sweeps(int8_t *s, int L, uint64_t *rng, const double *table, long n);
long cref_energy(const int8_t *s, int L);
