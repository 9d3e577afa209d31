/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Packet pacing on an absolute schedule: packet k is due at start + k / rate. Lateness on one
 * packet is made up by the next ones, so the long-run rate stays exact however coarse the sleeps.
 */
#ifndef FEEDGEN_PACE_H
#define FEEDGEN_PACE_H

#include <linux/types.h>

struct pacer {
	__u64 rate; /* packets per second, 0 = no pacing */
	__u64 start_ns;
	__u64 next; /* index of the next packet */
};

/* CLOCK_MONOTONIC in nanoseconds into *NS; -errno. */
int pace_now_ns(__u64 *ns);

/* Offset of packet K from the start of a schedule of RATE packets per second (RATE > 0). */
__u64 pace_slot_ns(__u64 k, __u64 rate);

/* Start the schedule now; -errno. */
int pacer__init(struct pacer *p, __u64 rate);

/* When the next packet is due (CLOCK_MONOTONIC ns); 0 without pacing: at once. */
__u64 pacer__due_ns(const struct pacer *p);

/* Wait until the next packet is due and count it; -errno. */
int pacer__wait(struct pacer *p);

#endif /* FEEDGEN_PACE_H */
