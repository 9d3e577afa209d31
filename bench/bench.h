/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What filter_cost measures and how it reports it (report.c). */
#ifndef FEEDSIEVE_BENCH_BENCH_H
#define FEEDSIEVE_BENCH_BENCH_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>

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

struct conditions {
	int cpu;
	char load_before[64], load_after[64];
	double seconds;
};

const char *path_name(enum path p);
double median(const double *v, int n);
const struct cell *find_cell(const struct cell *cells, __u32 msgs, bool matched, enum path path);

/* UNIT: what a frame's keys are ("msgs"); SUBS: what is subscribed ("symbols"). */
void report_table(FILE *out, const struct cell *cells, const char *unit, const char *subs);
/* MDP3: the ratios of the MDP3 grid, with its names and target. */
void report_ratios(FILE *out, const struct cell *cells, bool mdp3);
/* The ITCH cells (filter_cost) and the MDP3 cells (filter_mdp3); NULL: not measured. */
int report_json(const char *path, const struct opts *o, const struct conditions *c,
		const struct cell *itch, const struct cell *mdp3);
int report_tsv(const char *path, const struct cell *cells);

#endif /* FEEDSIEVE_BENCH_BENCH_H */
