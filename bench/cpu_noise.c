// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * cpu_noise: how often a thread spinning on one CPU loses it, and for how long. It reads
 * CLOCK_MONOTONIC in a tight loop for --seconds and counts the gaps between two reads longer than
 * 5, 10, 20 and 50 us and 1 ms: interrupts, other tasks, and on a virtual machine the host taking
 * the CPU away. A spinning receiver is late by such a gap for every frame that arrives during
 * one, so this is the floor under the load benchmarks' tail latencies. Prints one JSON object.
 *
 *   cpu_noise --cpu C [--seconds S]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/types.h>

static const __u64 limits_ns[] = {5000, 10000, 20000, 50000, 1000000};
#define NLIMITS (sizeof(limits_ns) / sizeof(limits_ns[0]))

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + (__u64)ts.tv_nsec;
}

int main(int argc, char **argv)
{
	__u64 over[NLIMITS] = {}, lost = 0, max = 0, t0, prev, now, end;
	double secs = 1;
	int cpu = -1, i;
	cpu_set_t set;

	for (i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--cpu"))
			cpu = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--seconds"))
			secs = strtod(argv[i + 1], NULL);
		else
			break;
	}
	if (i != argc || cpu < 0 || secs <= 0) {
		fprintf(stderr, "usage: cpu_noise --cpu C [--seconds S]\n");
		return 2;
	}
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		fprintf(stderr, "cpu_noise: pin to CPU %d: %s\n", cpu, strerror(errno));
		return 1;
	}
	t0 = prev = now_ns();
	end = t0 + (__u64)(secs * 1e9);
	while ((now = now_ns()) < end) {
		__u64 d = now - prev;
		size_t k;

		prev = now;
		if (d < limits_ns[0])
			continue;
		lost += d;
		if (d > max)
			max = d;
		for (k = 0; k < NLIMITS && d >= limits_ns[k]; k++)
			over[k]++;
	}
	secs = (double)(now - t0) / 1e9;
	printf("{\"cpu\":%d,\"seconds\":%.3f,\"gaps_per_s\":{\"over_5us\":%.0f,\"over_10us\":%.0f,"
	       "\"over_20us\":%.0f,\"over_50us\":%.0f,\"over_1ms\":%.1f},\"lost_pct\":%.2f,"
	       "\"max_gap_us\":%.0f}\n",
	       cpu, secs, (double)over[0] / secs, (double)over[1] / secs, (double)over[2] / secs,
	       (double)over[3] / secs, (double)over[4] / secs, 100.0 * (double)lost / 1e9 / secs,
	       (double)max / 1e3);
	return 0;
}
