/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The generator's only source of randomness: SplitMix64 (Steele, Lea, Flood 2014). Our own code
 * rather than rand()/random(), whose sequences differ between libc implementations and versions;
 * the same --seed must give byte-identical packets everywhere. Integer-only for the same reason.
 */
#ifndef FEEDGEN_PRNG_H
#define FEEDGEN_PRNG_H

#include <linux/types.h>

struct prng {
	__u64 state;
};

static inline void prng__seed(struct prng *p, __u64 seed)
{
	p->state = seed;
}

static inline __u64 prng__next(struct prng *p)
{
	__u64 z = (p->state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/*
 * Uniform in [0, n), n > 0. Rejects the top sliver of the 64-bit range so every value is equally
 * likely; a plain modulo would favour small values when n does not divide 2^64.
 */
static inline __u64 prng__below(struct prng *p, __u64 n)
{
	__u64 threshold = -n % n;
	__u64 r;

	do {
		r = prng__next(p);
	} while (r < threshold);
	return r % n;
}

#endif /* FEEDGEN_PRNG_H */
