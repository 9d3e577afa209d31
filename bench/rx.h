/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What the load benchmarks' two receivers (rx_feedsieve.c, rx_socket.c) share: CPU pinning, the
 * stop signal, and the meter that counts delivered messages, their one-way latency and the
 * receiving thread's CPU time, then prints them as one JSON object.
 *
 * CPU time is read from CLOCK_THREAD_CPUTIME_ID at the first delivered frame and then at most once
 * a millisecond while frames arrive, so the figure covers the traffic and not the idle spinning
 * of a busy-polling receiver before and after it. The meter also reports how long the thread sat
 * runnable on its CPU's run queue (another task had the CPU) and how often it was preempted: on
 * a shared machine, that is where latency spikes come from.
 */
#ifndef FEEDSIEVE_BENCH_RX_H
#define FEEDSIEVE_BENCH_RX_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>

#include "hist.h"
#include "injector.h"
#include "options.h"

#define RX_CPU_SAMPLE_NS 1000000ULL

struct rx_meter {
	__u64 msgs;	    /* subscribed traffic messages (INJ_MSG_TYPE) delivered */
	__u64 frames;	    /* frames (datagrams) that brought at least one */
	__u64 other_msgs;   /* other subscribed messages: the Stock Directory */
	__u64 order_errors; /* a message not after the previous one: duplicate or reordered */
	__u64 last_seq;
	__u64 gaps, gap_msgs; /* sequence ranges the receiver saw missing */
	/* the CPU window */
	bool started;
	__u64 t_first, t_last, cpu_first, cpu_last, msgs_first, msgs_last;
	/* Noise: how often and how long the thread was kept off its CPU, first frame to the end. */
	__u64 wait_first, nivcsw_first;
	struct hist lat; /* ns from the injector's stamp to the receiver's clock read */
};

extern volatile int rx_stop;

/* SIGINT and SIGTERM set rx_stop. */
void rx_signals(void);
/* Pin the calling thread to CPU (nothing for -1); -errno. */
int rx_pin(int cpu);
__u64 rx_now_ns(void);
void rx_meter_init(struct rx_meter *m);
/* A frame arrives at NOW: opens the CPU window, or samples it about once a millisecond. */
void rx_meter_frame(struct rx_meter *m, __u64 now);
/* One traffic message of sequence number SEQ stamped STAMP48, seen at NOW. */
static inline void rx_meter_msg(struct rx_meter *m, __u64 seq, __u64 stamp48, __u64 now)
{
	m->msgs++;
	if (seq <= m->last_seq)
		m->order_errors++;
	m->last_seq = seq;
	hist_add(&m->lat, (now - stamp48) & INJ_TS_MASK, 1);
}
/* The 48-bit ITCH timestamp of message BODY. */
static inline __u64 rx_stamp(const __u8 *body)
{
	const __u8 *p = body + ITCH_OFF_TIMESTAMP;

	return (__u64)p[0] << 40 | (__u64)p[1] << 32 | (__u64)p[2] << 24 | (__u64)p[3] << 16 |
	       (__u64)p[4] << 8 | (__u64)p[5];
}
/* Writes the meter's fields (no braces) to OUT: "msgs":...,"lat":{...},"cpu_ns":... */
void rx_meter_json(const struct rx_meter *m, FILE *out);
/* The latency histogram as TSV (see hist_write_tsv); PATH NULL: nothing. -errno. */
int rx_meter_write_hist(const struct rx_meter *m, const char *path);

/* The options table rows both receivers take, for their options struct TYPE with the fields
 * cpu (int), duration (double, seconds) and hist. Ranges: a CPU number, up to a day. */
#define RX_OPTS(type)                                                                          \
	{"cpu", 0, "C", "pin to CPU C", cli_parse_uint, CLI_FIELD(type, cpu), 0, 4095},       \
	    {"duration", 0, "S", "stop after S seconds (default: at SIGTERM)",                 \
	     cli_parse_double, CLI_FIELD(type, duration), 0, 86400},                           \
	    {"hist", 0, "FILE", "write the latency histogram", cli_parse_str,                  \
	     CLI_FIELD(type, hist)}

#endif /* FEEDSIEVE_BENCH_RX_H */
