/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The one monotonic clock helper of the library and the CLI. Internal. */
#ifndef FEEDSIEVE_CLOCK_H
#define FEEDSIEVE_CLOCK_H

#include <time.h>
#include <linux/types.h>

/* CLOCK_MONOTONIC in ns: the clock of bpf_ktime_get_ns(), so user and kernel times compare. */
static inline __u64 fsi_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + (__u64)ts.tv_nsec;
}

#endif /* FEEDSIEVE_CLOCK_H */
