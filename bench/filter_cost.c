// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * filter_cost: what feedsieve_xdp costs per frame, by BPF_PROG_TEST_RUN, next to two floors run
 * on the same frames in the same run (bench/floors.bpf.c): xdp_empty and xdp_parse.
 *
 * Grid: 1, 4, 16, 64 Add Orders per frame; 1, 100, 10 000, 65 536 subscribed symbols (fs_subs and
 * their learned fs_locates entries); matched (message 0 of a subscribed symbol, the others not) or
 * not matched (no message subscribed); and the two paths of line arbitration:
 *
 * "first": every message of the frame is new to the channel, as on the line that is ahead. A
 *   frame is only new once, and test_run with .repeat runs the program on the same frame again,
 *   so each run is its own BPF_PROG_TEST_RUN call (.repeat = 1) on a frame with the next
 *   sequence numbers: the window slides as on a live feed, nothing is reset behind the program's
 *   back, and the kernel sets up a fresh xdp_buff per frame as a driver does. The duration
 *   the kernel returns for .repeat = 1 is one run timed with ktime_get_ns() (1 ns resolution),
 *   so it includes one clock read (about 45 ns on this VM, the same as bpf_ktime_get_ns()); the
 *   floors are timed the same way and carry it too. Each call also draws the messages' locates
 *   at random (matched: among the subscribed symbols of feed 0; others: among BX_OTHERS
 *   unsubscribed ones), so the directory lookups are not all cache hits. Estimate per
 *   repetition: the interquartile mean of the calls, which drops preempted and interrupted runs.
 * "duplicate": every message was claimed before, as on the line that is behind: .repeat runs
 *   of one frame, the first of which claims it (1 run in batch_runs). The kernel's mean per
 *   batch is an integer (truncated); estimate: the interquartile mean of the batches.
 *
 * The three programs are interleaved call by call (first) or batch by batch (duplicate), in a
 * rotating order, so noise from the other tenants of the VM falls on all of them alike. Every
 * measurement is repeated R times, with the grid walked once per repetition, and the median is
 * kept. Verdicts and counters are checked after every measurement: a frame that took another path
 * than the row says fails the run instead of being timed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bench.h"
#include "frames.h"

const __u32 msgs_grid[N_MSGS] = {1, 4, 16, 64};
const __u32 subs_grid[N_SUBS] = {1, 100, 10000, 65536};

struct bench {
	const struct opts *o;
	struct bx x;
	struct bf_frame frame;
	__u64 next_seq; /* the channel's next new sequence number */
	__u64 rng;
	__u32 *durations[BX_PROGS]; /* per call (first) or per batch (duplicate) */
};

/* xorshift64*: reproducible from --seed, and cheap next to a system call. */
static __u32 rand_below(struct bench *b, __u32 n)
{
	b->rng ^= b->rng >> 12;
	b->rng ^= b->rng << 25;
	b->rng ^= b->rng >> 27;
	return (__u32)(((b->rng * 0x2545F4914F6CDD1DULL) >> 32) % n);
}

/* The next frame of ROW: new sequence numbers, fresh random locates. */
static void next_frame(struct bench *b, const struct row *r)
{
	char name[FS_SYMBOL_LEN + 1];
	__u32 i, j, slot;

	bf_set_seq(&b->frame, b->next_seq);
	b->next_seq += r->msgs;
	for (i = 0; i < r->msgs; i++) {
		if (i == 0 && r->matched) {
			slot = rand_below(b, r->subs < BX_SUBS_PER_FEED ? r->subs : BX_SUBS_PER_FEED);
			bx_sub_symbol(slot, name);
			bf_set_msg(&b->frame, i, bx_sub_locate(slot), name);
		} else {
			j = rand_below(b, BX_OTHERS);
			bx_other_symbol(j, name);
			bf_set_msg(&b->frame, i, bx_other_locate(j), name);
		}
	}
}

/* The verdict each program must return on the row's frames. */
static __u32 expected_retval(enum bx_prog p, const struct row *r)
{
	switch (p) {
	case BX_EMPTY:
		return XDP_PASS;
	case BX_PARSE:
		return XDP_DROP;
	default:
		/* Delivered frames find no AF_XDP socket here: XDP_PASS (frames_no_socket). */
		return r->path == PATH_FIRST && r->matched ? XDP_PASS : XDP_DROP;
	}
}

static int test_run(struct bench *b, enum bx_prog p, const struct row *r, __u32 runs,
		    __u32 *duration)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = b->frame.buf,
		    .data_size_in = b->frame.len, .repeat = runs);

	if (bpf_prog_test_run_opts(b->x.prog_fd[p], &opts)) {
		int err = -errno;

		fprintf(stderr, "filter_cost: BPF_PROG_TEST_RUN: %s\n", strerror(-err));
		return err;
	}
	if (opts.retval != expected_retval(p, r)) {
		fprintf(stderr, "filter_cost: program %d returned %u instead of %u (%u msgs, %s)\n",
			p, opts.retval, expected_retval(p, r), r->msgs, path_name(r->path));
		return -EPROTO;
	}
	*duration = opts.duration;
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	__u32 x = *(const __u32 *)a, y = *(const __u32 *)b;

	return x < y ? -1 : x > y;
}

/* Mean of the middle half of V (sorted in place): robust to preempted runs, finer than 1 ns. */
static double interquartile_mean(__u32 *v, __u32 n)
{
	__u32 lo = n / 4, hi = n - n / 4, i;
	double sum = 0;

	qsort(v, n, sizeof(*v), cmp_u32);
	for (i = lo; i < hi; i++)
		sum += v[i];
	return sum / (hi - lo);
}

/* The program's counters must show the path the row says, for every run. */
static int check_counters(const struct row *r, const struct fs_counters *c0,
			  const struct fs_counters *c1, __u64 runs, __u64 frames)
{
	__u64 seen = c1->frames_seen - c0->frames_seen;
	__u64 first = c1->frames_first - c0->frames_first;
	__u64 dup = c1->frames_duplicate - c0->frames_duplicate;
	__u64 wanted = c1->frames_no_socket - c0->frames_no_socket;
	__u64 filtered = c1->frames_filtered - c0->frames_filtered;
	__u64 matched = c1->msgs_matched - c0->msgs_matched;
	bool ok = seen == runs && first == frames && dup == runs - frames &&
		  wanted + filtered == frames && wanted == (r->matched ? frames : 0) &&
		  matched == wanted;

	if (ok)
		return 0;
	fprintf(stderr,
		"filter_cost: %u msgs, %u subs, %s, %s: counters say seen %llu first %llu "
		"duplicate %llu delivered %llu filtered %llu matched %llu for %llu runs of %llu "
		"frames\n",
		r->msgs, r->subs, r->matched ? "matched" : "not matched", path_name(r->path),
		(unsigned long long)seen, (unsigned long long)first, (unsigned long long)dup,
		(unsigned long long)wanted, (unsigned long long)filtered,
		(unsigned long long)matched, (unsigned long long)runs, (unsigned long long)frames);
	return -EPROTO;
}

/* One repetition of ROW: one estimate per program into ROW->ns[.][REP]. */
static int measure(struct bench *b, struct row *r, int rep)
{
	bool first = r->path == PATH_FIRST;
	__u32 n = first ? b->o->calls : b->o->batches;
	__u32 runs = first ? 1 : b->o->batch_runs;
	struct fs_counters c0, c1;
	__u32 i, k;
	int ret;

	ret = bx_counters(&b->x, &c0);
	for (i = 0; !ret && i < n; i++) {
		next_frame(b, r);
		for (k = 0; !ret && k < BX_PROGS; k++) {
			enum bx_prog p = (i + k) % BX_PROGS;

			ret = test_run(b, p, r, runs, &b->durations[p][i]);
		}
	}
	if (!ret)
		ret = bx_counters(&b->x, &c1);
	if (ret)
		return ret;
	for (k = 0; k < BX_PROGS; k++)
		r->ns[k][rep] = interquartile_mean(b->durations[k], n);
	return check_counters(r, &c0, &c1, (__u64)n * runs, n);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void summarise(struct row *r, int repeats)
{
	double v[MAX_REPEATS];
	int k;

	for (k = 0; k < BX_PROGS; k++) {
		memcpy(v, r->ns[k], sizeof(double) * repeats);
		qsort(v, repeats, sizeof(double), cmp_double);
		r->med[k] = repeats % 2 ? v[repeats / 2] : (v[repeats / 2 - 1] + v[repeats / 2]) / 2;
		r->min[k] = v[0];
		r->max[k] = v[repeats - 1];
	}
}

/* Rows in grid order: subscriptions, messages, matched, path. */
static void init_rows(struct row *rows)
{
	int s, m, t, p, i = 0;

	for (s = 0; s < N_SUBS; s++)
		for (m = 0; m < N_MSGS; m++)
			for (t = 0; t < 2; t++)
				for (p = 0; p < PATHS; p++, i++) {
					rows[i].subs = subs_grid[s];
					rows[i].msgs = msgs_grid[m];
					rows[i].matched = t;
					rows[i].path = p;
				}
}

/* Walk the whole grid R times. Subscriptions only grow within a repetition, so each costs the
 * map updates of the new symbols only. */
static int run_grid(struct bench *b, struct row *rows)
{
	int rep, i, ret;

	for (rep = 0; rep < b->o->repeats; rep++) {
		for (i = 0; i < N_ROWS; i++) {
			struct row *r = &rows[i];

			ret = bx_subscribe(&b->x, r->subs);
			if (ret) {
				fprintf(stderr, "filter_cost: subscribe %u symbols: %s\n", r->subs,
					strerror(-ret));
				return ret;
			}
			if (bf_build(&b->frame, r->msgs))
				return -EINVAL;
			r->frame_len = b->frame.len;
			ret = measure(b, r, rep);
			if (ret)
				return ret;
		}
		fprintf(stderr, "filter_cost: repetition %d of %d done\n", rep + 1,
			b->o->repeats);
	}
	for (i = 0; i < N_ROWS; i++)
		summarise(&rows[i], b->o->repeats);
	return 0;
}

/* One CPU for the whole run: no migrations, and per-CPU state (caches, counters) stays put. The
 * default is the last CPU we may use, which usually takes fewer device interrupts than CPU 0. */
static int pin_cpu(int *cpu)
{
	cpu_set_t set;
	int c;

	if (*cpu < 0) {
		if (sched_getaffinity(0, sizeof(set), &set))
			return -errno;
		for (c = CPU_SETSIZE - 1; c >= 0 && !CPU_ISSET(c, &set); c--)
			;
		if (c < 0)
			return -ENOENT;
		*cpu = c;
	}
	CPU_ZERO(&set);
	CPU_SET(*cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? -errno : 0;
}

static void read_loadavg(char *buf, size_t len)
{
	FILE *f = fopen("/proc/loadavg", "r");

	snprintf(buf, len, "unknown");
	if (f) {
		if (fgets(buf, (int)len, f))
			buf[strcspn(buf, "\n")] = '\0';
		fclose(f);
	}
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: filter_cost [--quick] [--repeats R] [--calls N] [--batches N]\n"
		"                   [--batch-runs N] [--cpu C] [--seed S] [--json FILE] [--tsv FILE]\n"
		"  --quick       fewer calls and runs per measurement (a run of about 10 s)\n"
		"  --repeats R   repetitions of every measurement, medians over them (default 5)\n"
		"  --calls N     path first: one-run calls per measurement (default 10000)\n"
		"  --batches N   path duplicate: calls per measurement (default 8) ...\n"
		"  --batch-runs N  ... of N runs each (default 25000)\n"
		"  --cpu C       pin to CPU C (default: the last one allowed)\n");
}

/* 0, 1 for --help, or -EINVAL. */
static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{"quick", no_argument, NULL, 'q'},	  {"repeats", required_argument, NULL, 'r'},
		{"calls", required_argument, NULL, 'c'},	  {"batches", required_argument, NULL, 'b'},
		{"batch-runs", required_argument, NULL, 'n'}, {"cpu", required_argument, NULL, 'C'},
		{"seed", required_argument, NULL, 's'},	  {"json", required_argument, NULL, 'j'},
		{"tsv", required_argument, NULL, 't'},	  {"help", no_argument, NULL, 'h'},
		{0},
	};
	long v;
	char *end;
	int opt;

	*o = (struct opts){.repeats = 5, .calls = 10000, .batches = 8, .batch_runs = 25000,
			   .cpu = -1, .seed = 1};
	/* --quick first, so explicit counts given with it still win. */
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--quick"))
			*o = (struct opts){.repeats = 3, .calls = 2000, .batches = 4, .batch_runs = 5000,
					   .cpu = -1, .seed = 1, .quick = true};
	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (opt == 'q')
			continue;
		if (opt == 'h')
			return 1;
		if (opt == 'j' || opt == 't') {
			*(opt == 'j' ? &o->json : &o->tsv) = optarg;
			continue;
		}
		if (opt == '?')
			return -EINVAL;
		errno = 0;
		v = strtol(optarg, &end, 10);
		if (errno || *end || v < 0 || v > 100000000 || (opt != 'C' && opt != 's' && v < 1)) {
			fprintf(stderr, "filter_cost: bad value '%s'\n", optarg);
			return -EINVAL;
		}
		if (opt == 'r')
			o->repeats = (int)v;
		else if (opt == 'c')
			o->calls = (__u32)v;
		else if (opt == 'b')
			o->batches = (__u32)v;
		else if (opt == 'n')
			o->batch_runs = (__u32)v;
		else if (opt == 'C')
			o->cpu = (int)v;
		else
			o->seed = (__u64)v;
	}
	if (optind != argc || o->repeats > MAX_REPEATS || o->batch_runs < 2) {
		fprintf(stderr, "filter_cost: at most %d repeats, at least 2 runs per batch\n",
			MAX_REPEATS);
		return -EINVAL;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct row rows[N_ROWS];
	struct bench b = {0};
	struct conditions cond = {0};
	int ret, k, status = EXIT_FAILURE;
	struct opts o;
	char err[256];
	double t0;

	ret = parse_opts(argc, argv, &o);
	if (ret) {
		usage(ret > 0 ? stdout : stderr);
		return ret > 0 ? EXIT_SUCCESS : 2;
	}
	b.o = &o;
	b.rng = o.seed * 0x9E3779B97F4A7C15ULL + 1; /* xorshift needs a non-zero state */
	b.next_seq = 1;
	cond.cpu = o.cpu;
	ret = pin_cpu(&cond.cpu);
	if (ret) {
		fprintf(stderr, "filter_cost: pin to CPU %d: %s\n", o.cpu, strerror(-ret));
		return EXIT_FAILURE;
	}
	for (k = 0; k < BX_PROGS; k++) {
		b.durations[k] = calloc(o.calls > o.batches ? o.calls : o.batches, sizeof(__u32));
		if (!b.durations[k]) {
			fprintf(stderr, "filter_cost: out of memory\n");
			goto out;
		}
	}
	ret = bx_open(&b.x, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "filter_cost: %s\n", err);
		goto out;
	}
	init_rows(rows);
	read_loadavg(cond.load_before, sizeof(cond.load_before));
	t0 = now_s();
	ret = run_grid(&b, rows);
	cond.seconds = now_s() - t0;
	read_loadavg(cond.load_after, sizeof(cond.load_after));
	bx_close(&b.x);
	if (ret)
		goto out;

	report_table(stdout, rows);
	report_ratios(stdout, rows);
	if (o.json && report_json(o.json, &o, &cond, rows))
		goto out;
	if (o.tsv && report_tsv(o.tsv, rows))
		goto out;
	status = EXIT_SUCCESS;
out:
	for (k = 0; k < BX_PROGS; k++)
		free(b.durations[k]);
	return status;
}
