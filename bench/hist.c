// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Log-bucketed latency histogram; see hist.h. */
#include <string.h>

#include "hist.h"

/*
 * Values below HIST_SUB map to themselves. Above, a value with its top bit at position b
 * (b >= HIST_SUB_BITS) falls in group b - HIST_SUB_BITS + 1, sub-bucket = the HIST_SUB_BITS bits
 * below the top bit.
 */
static unsigned int bucket_of(__u64 v)
{
	unsigned int b, group;

	if (v < HIST_SUB)
		return (unsigned int)v;
	b = 63 - (unsigned int)__builtin_clzll(v);
	if (b >= HIST_MAX_BITS)
		return HIST_BUCKETS - 1;
	group = b - HIST_SUB_BITS + 1;
	return group * HIST_SUB + (unsigned int)((v >> (b - HIST_SUB_BITS)) & (HIST_SUB - 1));
}

/* The largest value of bucket I. */
static __u64 upper_edge(unsigned int i)
{
	unsigned int group = i / HIST_SUB, sub = i % HIST_SUB, shift;

	if (group == 0)
		return sub;
	shift = group - 1;
	return (((__u64)(HIST_SUB + sub) + 1) << shift) - 1;
}

void hist_init(struct hist *h)
{
	memset(h, 0, sizeof(*h));
	h->min = ~0ULL;
}

void hist_add(struct hist *h, __u64 v, __u64 n)
{
	h->buckets[bucket_of(v)] += n;
	h->count += n;
	h->sum += v * n;
	if (v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
}

__u64 hist_quantile(const struct hist *h, double q)
{
	__u64 rank, seen = 0;
	unsigned int i;

	if (!h->count)
		return 0;
	/* The smallest value with at least ceil(q * count) samples at or below it. */
	rank = (__u64)(q * (double)h->count);
	if ((double)rank < q * (double)h->count)
		rank++;
	if (rank == 0)
		rank = 1;
	for (i = 0; i < HIST_BUCKETS; i++) {
		seen += h->buckets[i];
		if (seen >= rank) {
			__u64 v = upper_edge(i);

			return v > h->max ? h->max : v < h->min ? h->min : v;
		}
	}
	return h->max;
}

int hist_write_tsv(const struct hist *h, FILE *out)
{
	__u64 seen = 0;
	unsigned int i;

	for (i = 0; i < HIST_BUCKETS; i++) {
		if (!h->buckets[i])
			continue;
		seen += h->buckets[i];
		if (fprintf(out, "%llu\t%llu\t%.9f\n", (unsigned long long)upper_edge(i),
			    (unsigned long long)h->buckets[i], (double)seen / (double)h->count) < 0)
			return -1;
	}
	return 0;
}
