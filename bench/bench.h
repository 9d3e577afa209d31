/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What filter_cost measures and how it reports it (report.c). */
#ifndef FEEDSIEVE_BENCH_BENCH_H
#define FEEDSIEVE_BENCH_BENCH_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>

#include "fixture.h"

#define MAX_REPEATS 25

/* The grid of the benchmark. */
#define N_MSGS 4
#define N_SUBS 4
extern const __u32 msgs_grid[N_MSGS]; /* ITCH messages per frame */
extern const __u32 subs_grid[N_SUBS]; /* subscribed symbols */

struct opts {
	int repeats;	   /* R: every measurement, medians over them */
	__u32 calls;	   /* path "first": BPF_PROG_TEST_RUN calls of one run each */
	__u32 batches;	   /* path "duplicate": calls per measurement ... */
	__u32 batch_runs;  /* ... of this many runs each (.repeat) */
	int cpu;	   /* pinned to it; -1: the last CPU we may run on */
	bool quick;
	__u64 seed;	   /* locates of the frames' messages */
	const char *json;  /* output paths, NULL: not written */
	const char *tsv;
};

enum path {
	PATH_FIRST,	/* every message new: claim, match, finish */
	PATH_DUPLICATE, /* every message already claimed: what the slower line pays */
	PATHS,
};

struct row {
	__u32 msgs, subs;
	bool matched;
	enum path path;
	__u32 frame_len;
	double ns[BX_PROGS][MAX_REPEATS]; /* one estimate per repetition */
	double med[BX_PROGS], min[BX_PROGS], max[BX_PROGS];
};

#define N_ROWS (N_MSGS * N_SUBS * 2 * PATHS)

struct conditions {
	int cpu;
	char load_before[64], load_after[64];
	double seconds;
};

const char *path_name(enum path p);
/* The row of a grid point; NULL if there is none. */
const struct row *find_row(const struct row *rows, __u32 msgs, __u32 subs, bool matched,
			   enum path path);

void report_table(FILE *out, const struct row *rows);
void report_ratios(FILE *out, const struct row *rows);
int report_json(const char *path, const struct opts *o, const struct conditions *c,
		const struct row *rows);
int report_tsv(const char *path, const struct row *rows);

#endif /* FEEDSIEVE_BENCH_BENCH_H */
