/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The load benchmarks' frame injector: what its XDP program (inject.bpf.c) and its user side
 * (injector.c) share.
 *
 * Every traffic frame is one MoldUDP64 packet of INJ_MSG_TYPE messages. Frame n (counted by the
 * program from 0) carries sequence numbers seq_base + n * msgs .. + msgs - 1, and message i of it
 * the Stock Locate 1 + (j % locates) where j = n (one locate per frame) or j = n * msgs + i
 * (locates mixed within a frame). Every message gets bpf_ktime_get_ns() in its 6-byte ITCH
 * Timestamp: the low 48 bits of CLOCK_MONOTONIC, which receivers subtract from their own clock.
 */
#ifndef FEEDSIEVE_BENCH_INJECTOR_H
#define FEEDSIEVE_BENCH_INJECTOR_H

#include "feedsieve/wire_itch.h"

#define INJ_MSG_TYPE  ITCH_ADD_ORDER
#define INJ_MSG_LEN   ITCH_A_LEN
#define INJ_BLOCK_LEN (MOLD_BLOCK_HDR + INJ_MSG_LEN)
/* Ethernet (14) + IPv4 without options (20) + UDP (8): where the MoldUDP64 packet starts. */
#define INJ_MOLD_OFF 42
/* Messages per frame: the program's loop bound. 38 Add Orders fill a 1500-byte MTU. */
#define INJ_MAX_MSGS 38
/* Locates the traffic cycles through (each announced by a Stock Directory message). */
#define INJ_MAX_LOCATES 1024
/* ITCH timestamps hold 48 bits of nanoseconds. */
#define INJ_TS_MASK ((1ULL << 48) - 1)

/* Live state of the program, in its .bss (mmapped by user space). */
struct inj_state {
	__u64 seq_base;	   /* sequence number of frame 0's first message */
	__u64 frames;	   /* traffic frames stamped so far */
	__u64 t0_ns;	   /* pacing: frame n leaves at t0_ns + n * interval_ps / 1000 ... */
	__u64 interval_ps; /* ... (0: as fast as possible) */
	__u64 late;	   /* frames that found their time already past */
};

/* A frame waits for its time in bpf_loop() rounds of one clock read each: at most this many. */
#define INJ_MAX_SPIN (1u << 23)

/* Symbol of LOCATE (1-based) as the directory announces it: "SYM0001". */
#define INJ_SYMBOL_FMT "SYM%04u"

#endif /* FEEDSIEVE_BENCH_INJECTOR_H */
