/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The programs filter_cost measures side by side, by slot: feedsieve_xdp loaded BX_INSTANCES
 * times, each instance with its own maps and its own number of subscribed symbols, then the two
 * floors. The path-first wrappers of bench/floors.bpf.c tail-call the same slots.
 */
#ifndef FEEDSIEVE_BENCH_SLOTS_H
#define FEEDSIEVE_BENCH_SLOTS_H

#define BX_INSTANCES 4
#define BX_EMPTY     BX_INSTANCES	/* xdp_empty */
#define BX_PARSE     (BX_INSTANCES + 1) /* xdp_parse */
#define BX_PROGS     (BX_INSTANCES + 2)

#endif /* FEEDSIEVE_BENCH_SLOTS_H */
