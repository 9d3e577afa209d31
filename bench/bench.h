/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What filter_cost measures and how it reports it (report.c). */
#ifndef FEEDSIEVE_BENCH_BENCH_H
#define FEEDSIEVE_BENCH_BENCH_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>

#include "fixture.h"
#include "slots.h"

#define MAX_REPEATS 25

/* The grid: messages per frame, and the symbols subscribed in instance i of feedsieve_xdp. */
#define N_MSGS 4
#define N_SUBS BX_INSTANCES
extern const __u32 msgs_grid[N_MSGS];
extern const __u32 subs_grid[N_SUBS];

struct opts {
	int repeats;   /* R: every measurement, medians over them */
	__u32 runs;    /* per BPF_PROG_TEST_RUN call (.repeat) */
	__u32 batches; /* calls per measurement and program */
	int cpu;       /* pinned to it; -1: the last CPU we may run on */
	bool quick;
	int proto;	/* 0: every protocol, else the enum fs_proto measured alone */
	__u64 seed;	  /* which unsubscribed symbols the frames carry */
	__u32 orders_fill; /* orders in fs_orders around the order map measurement's own */
	const char *json; /* output paths, NULL: not written */
	const char *tsv;
};

enum path {
	PATH_FIRST,	/* every message new: claim, match, finish */
	PATH_DUPLICATE, /* every message already claimed: what the line behind pays */
	PATHS,
};

/* One frame shape on one path, measured on every program slot side by side. */
struct cell {
	__u32 msgs;
	bool matched;
	enum path path;
	__u32 frame_len;
	int repeats;
	double ns[BX_PROGS][MAX_REPEATS]; /* one estimate per repetition */
	double med[BX_PROGS], min[BX_PROGS], max[BX_PROGS];
};

#define N_CELLS (N_MSGS * 2 * PATHS)

/* The protocols, in the order they are measured and reported: ITCH, MDP3, NYSE, PITCH (their
 * enum fs_proto values are 1 + the index). */
#define N_PROTOS 4

/* The order map measurement (PITCH): frames of one message each. */
enum order_op {
	OP_BASE,    /* Add Order Short of an unsubscribed symbol: no map operation, dropped */
	OP_DELIVER, /* Trade Short of the subscribed symbol: no map operation, delivered */
	OP_ADD,	    /* Add Order Short of the subscribed symbol: insert */
	OP_EXECUTE, /* Order Executed of one share of a remembered order: lookup and update */
	OP_DELETE,  /* Delete Order of a remembered order: lookup and delete */
	ORDER_OPS,
	OP_REFS = 2, /* the first two are references, not map operations */
};

struct order_cost {
	int repeats;
	__u32 subscribed; /* symbols subscribed on the instance measured */
	__u32 background; /* orders of another channel in fs_orders all along (a busy book) */
	__u32 frame_len[ORDER_OPS];
	double ns[ORDER_OPS][MAX_REPEATS]; /* ns per frame, one estimate per repetition */
	struct bx_map_size map;		   /* fs_orders as loaded: its capacity and memory */
};

struct conditions {
	int cpu;
	char load_before[64], load_after[64];
	double seconds;
};

const char *path_name(enum path p);
double median(const double *v, int n);
const struct cell *find_cell(const struct cell *cells, __u32 msgs, bool matched, enum path path);

const char *order_op_name(enum order_op op);
/* The table and the ratios of PROTO's grid; HEADING: its name above them. */
void report_proto(FILE *out, __u8 proto, const struct cell *cells, bool heading);
/* The order map: ns per frame and per operation over the baseline. */
void report_orders(FILE *out, const struct order_cost *oc);
/* CELLS by protocol (index: enum fs_proto - 1; NULL: not measured), and the order map's
 * (NULL: not measured). */
int report_json(const char *path, const struct opts *o, const struct conditions *c,
		const struct cell *const cells[N_PROTOS], const struct order_cost *orders);
/* The ITCH grid for bench/filter_cost.gp, at PATH. */
int report_tsv(const char *path, const struct cell *cells);
/* ns per key of every protocol measured, at PATH with "_protocols" before its extension, for
 * bench/filter_protocols.gp. */
int report_tsv_protocols(const char *path, const struct cell *const cells[N_PROTOS]);

#endif /* FEEDSIEVE_BENCH_BENCH_H */
