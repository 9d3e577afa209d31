/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A log-bucketed latency histogram for the load benchmarks' receivers: fixed size, allocated
 * once, so recording a value is a few instructions and never allocates. Values are nanoseconds.
 * Each power of two is split into HIST_SUB linear sub-buckets, so a reported percentile is within
 * 1 / HIST_SUB (1.6 %) of the true value; the exact minimum and maximum are kept aside.
 */
#ifndef FEEDSIEVE_BENCH_HIST_H
#define FEEDSIEVE_BENCH_HIST_H

#include <stdio.h>
#include <linux/types.h>

#define HIST_SUB_BITS 6
#define HIST_SUB      (1u << HIST_SUB_BITS)
/* Values up to 2^HIST_MAX_BITS ns (about 18 minutes); larger ones land in the last bucket. */
#define HIST_MAX_BITS 40
#define HIST_BUCKETS  ((HIST_MAX_BITS - HIST_SUB_BITS + 1) * HIST_SUB)

struct hist {
	__u64 count;
	__u64 sum;
	__u64 min, max;
	__u64 buckets[HIST_BUCKETS];
};

void hist_init(struct hist *h);
/* Record N samples of value V (ns). */
void hist_add(struct hist *h, __u64 v, __u64 n);
/* The value below which a fraction Q (0..1) of the samples lie (upper edge of its bucket,
 * clamped to the exact maximum); 0 for an empty histogram. */
__u64 hist_quantile(const struct hist *h, double q);
/* One line per non-empty bucket: "upper_edge_ns<TAB>count<TAB>cumulative_fraction". */
int hist_write_tsv(const struct hist *h, FILE *out);

#endif /* FEEDSIEVE_BENCH_HIST_H */
