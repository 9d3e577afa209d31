// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The deterministic differential pass `make check` runs: every file of the seed corpus, then
 * programs from a seeded generator until at least --frames frames have run, each frame through
 * the loaded XDP program and the reference model. Prints the frames run by outcome, the
 * mismatches (the pass requires 0) and the time taken; a mismatching program is saved to a file
 * that fuzz_replay (or fuzz_xdp) runs again on its own.
 *
 *   fuzz_replay [--frames N] [--seed S] [--corpus DIR] [--save DIR] [--expect-mismatch] [FILE...]
 *
 * --expect-mismatch is for the self-test build with a deliberately wrong reference
 * (-DREFERENCE_MUTANT): it stops at the first mismatch and exits 0 only if there was one.
 * Exit: 0 pass, 1 mismatch (or none where one was expected), 2 usage, 77 not root.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "program.h"
#include "runner.h"

#define FZ_MAX_INPUT (1 << 20)

struct opts {
	unsigned long long frames, seed;
	const char *corpus, *save;
	bool expect_mismatch;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void save(const struct opts *o, const char *what, const __u8 *p, size_t n)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/mismatch-%s.bin", o->save, what);
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n) {
		fprintf(stderr, "fuzz_replay: cannot save %s: %s\n", path, strerror(errno));
		if (f)
			fclose(f);
		return;
	}
	fclose(f);
	fprintf(stderr, "fuzz_replay: the program is saved as %s (run it: fuzz_replay %s)\n", path,
		path);
}

/* Run one program; returns -errno on a harness failure, else 0 or 1 (mismatch). */
static int run(struct fz_runner *r, const struct opts *o, const char *name, const __u8 *p,
	       size_t n)
{
	int ret = fz_run(r, p, n, false);

	if (ret < 0)
		fprintf(stderr, "fuzz_replay: %s: the harness failed: %s\n", name, strerror(-ret));
	if (ret == 1) {
		fprintf(stderr, "fuzz_replay: mismatch in %s\n", name);
		if (!o->expect_mismatch)
			save(o, name, p, n);
	}
	return ret;
}

static int read_file(const char *path, __u8 *buf, size_t *n)
{
	FILE *f = fopen(path, "rb");

	if (!f)
		return -errno;
	*n = fread(buf, 1, FZ_MAX_INPUT, f);
	fclose(f);
	return 0;
}

static int compare_names(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* Every file of DIR, in name order; returns mismatches, or -errno. */
static int run_corpus(struct fz_runner *r, const struct opts *o, __u8 *buf, unsigned int *files)
{
	struct dirent **list;
	int n = scandir(o->corpus, &list, NULL, compare_names), bad = 0, ret = 0;
	char path[4096];
	size_t len = 0;

	if (n < 0) {
		fprintf(stderr, "fuzz_replay: corpus %s: %s\n", o->corpus, strerror(errno));
		return -errno;
	}
	for (int i = 0; i < n; i++) {
		if (list[i]->d_name[0] != '.' && ret >= 0 && !(o->expect_mismatch && bad)) {
			snprintf(path, sizeof(path), "%s/%s", o->corpus, list[i]->d_name);
			ret = read_file(path, buf, &len);
			if (!ret)
				ret = run(r, o, list[i]->d_name, buf, len);
			else
				fprintf(stderr, "fuzz_replay: %s: %s\n", path, strerror(-ret));
			bad += ret == 1;
			(*files)++;
		}
		free(list[i]);
	}
	free(list);
	return ret < 0 ? ret : bad;
}

static int usage(const char *msg)
{
	fprintf(stderr, "fuzz_replay: %s (usage: fuzz_replay [--frames N] [--seed S] "
			"[--corpus DIR] [--save DIR] [--expect-mismatch] [FILE...])\n",
		msg);
	return 2;
}

static int parse(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
	    {"frames", required_argument, NULL, 'f'}, {"seed", required_argument, NULL, 's'},
	    {"corpus", required_argument, NULL, 'c'}, {"save", required_argument, NULL, 'o'},
	    {"expect-mismatch", no_argument, NULL, 'm'}, {NULL, 0, NULL, 0}};
	char *end;
	int c;

	*o = (struct opts){.frames = 100000, .seed = 1, .save = "."};
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
		case 's':
			errno = 0;
			*(c == 'f' ? &o->frames : &o->seed) = strtoull(optarg, &end, 0);
			if (errno || *end || !*optarg)
				return usage("--frames and --seed take a number");
			break;
		case 'c':
			o->corpus = optarg;
			break;
		case 'o':
			o->save = optarg;
			break;
		case 'm':
			o->expect_mismatch = true;
			break;
		default:
			return usage("unknown option");
		}
	}
	return 0;
}

/* The protocols counted apart, as the reports name them. */
static const struct {
	__u8 id;
	const char *name;
} protos[] = {{FS_PROTO_MOLD_ITCH, "ITCH"},
	      {FS_PROTO_MDP3, "MDP3"},
	      {FS_PROTO_NYSE_XDP, "NYSE XDP"},
	      {FS_PROTO_PITCH, "PITCH"}};

/* "N frames to NAME groups (M out of band): outcome count, ..." */
static void print_outcomes(const char *name, __u64 frames, __u64 out_of_band,
			   const __u64 *outcomes)
{
	printf("fuzz_replay: %llu frames to %s groups (%llu out of band):",
	       (unsigned long long)frames, name, (unsigned long long)out_of_band);
	for (int k = 0; k < FZ_OUTCOMES; k++)
		printf(" %s %llu%s", fz_outcome_names[k], (unsigned long long)outcomes[k],
		       k + 1 < FZ_OUTCOMES ? "," : "\n");
}

int main(int argc, char **argv)
{
	static __u8 buf[FZ_MAX_INPUT];
	unsigned long long bad = 0;
	unsigned int files = 0;
	struct fz_runner *r;
	struct fz_rng rng;
	struct opts o;
	char err[8192];
	double t0;
	int ret;

	ret = parse(argc, argv, &o);
	if (ret)
		return ret;
	if (geteuid() != 0) {
		fprintf(stderr, "fuzz_replay: SKIPPED: BPF_PROG_TEST_RUN needs root\n");
		return 77;
	}
	ret = fz_runner_open(&r, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "fuzz_replay: cannot load the XDP program: %s\n", err);
		return 1;
	}
	t0 = now_s();
	for (int i = optind; i < argc && ret >= 0; i++) {
		size_t len = 0;

		ret = read_file(argv[i], buf, &len);
		if (ret) {
			fprintf(stderr, "fuzz_replay: %s: %s\n", argv[i], strerror(-ret));
			break;
		}
		ret = run(r, &o, "argument", buf, len);
		bad += ret == 1;
		files++;
	}
	if (ret >= 0 && o.corpus) {
		ret = run_corpus(r, &o, buf, &files);
		if (ret > 0)
			bad += (unsigned long long)ret;
	}
	rng.s = o.seed * 0x9E3779B97F4A7C15ULL + 1;
	for (unsigned long long p = 0; ret >= 0 && fz_counts(r)->frames < o.frames &&
				       !(o.expect_mismatch && bad);
	     p++) {
		struct fz_buf b = {.p = buf, .cap = FZ_MAX_INPUT};
		char name[64];

		fz_generate(&rng, &b, 200 + fz_below(&rng, 600));
		snprintf(name, sizeof(name), "seed-%llu-program-%llu", o.seed, p);
		ret = run(r, &o, name, buf, b.len);
		bad += ret == 1;
	}
	{
		const struct fz_counts *c = fz_counts(r);
		unsigned long long other = c->mismatches;
		char entries[48];

		printf("fuzz_replay: %llu programs (%u files), %llu frames in %.1f s, %llu "
		       "mismatches%s\n",
		       (unsigned long long)c->programs, files, (unsigned long long)c->frames,
		       now_s() - t0, bad, fz_runner_has_xsk(r) ? "" : " (no AF_XDP socket)");
		printf("fuzz_replay: frames by the reference's outcome:");
		for (int k = 0; k < FZ_OUTCOMES; k++)
			printf(" %s %llu%s", fz_outcome_names[k], (unsigned long long)c->outcomes[k],
			       k + 1 < FZ_OUTCOMES ? "," : "\n");
		for (size_t k = 0; k < sizeof(protos) / sizeof(protos[0]); k++)
			print_outcomes(protos[k].name, c->proto_frames[protos[k].id],
				       c->proto_out_of_band[protos[k].id],
				       c->proto_outcomes[protos[k].id]);
		printf("fuzz_replay: PITCH order map: %llu orders added, %llu removed, %llu not "
		       "remembered (full), %llu messages of unknown orders\n",
		       (unsigned long long)c->orders_added, (unsigned long long)c->orders_removed,
		       (unsigned long long)c->orders_full, (unsigned long long)c->orders_unknown);
		printf("fuzz_replay: mismatching programs by the protocol of the first frame that "
		       "differs:");
		for (size_t k = 0; k < sizeof(protos) / sizeof(protos[0]); k++) {
			printf(" %s %llu,", protos[k].name,
			       (unsigned long long)c->proto_mismatches[protos[k].id]);
			other -= c->proto_mismatches[protos[k].id];
		}
		printf(" other or none %llu\n", other);
		snprintf(entries, sizeof(entries), " (%llu entries)",
			 (unsigned long long)c->lib_entries);
		for (size_t k = 0; k < sizeof(protos) / sizeof(protos[0]); k++) {
			__u8 id = protos[k].id;

			if (id == FS_PROTO_MOLD_ITCH)
				continue; /* its decoder is not compared */
			printf("fuzz_replay: libfeedsieve decoded the delivered %s frames %llu times "
			       "(with and without metadata): %llu messages%s, %llu frames differing\n",
			       protos[k].name, (unsigned long long)c->lib_decodes[id],
			       (unsigned long long)c->lib_msgs[id],
			       id == FS_PROTO_MDP3 ? entries : "",
			       (unsigned long long)c->lib_mismatches[id]);
		}
	}
	fz_runner_close(r);
	if (ret < 0)
		return 1;
	if (o.expect_mismatch) {
		printf("fuzz_replay: %s\n", bad ? "the deliberate mistake was caught, as it must be"
						: "FAILED: the deliberate mistake went unnoticed");
		return bad ? 0 : 1;
	}
	return bad ? 1 : 0;
}
