// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer entry: each input is a program (program.h) run through the loaded XDP program and the
 * reference model (runner.h); any difference aborts with the diff on stderr, so libFuzzer keeps
 * the input as a crash artifact. Built and run by `make fuzz FUZZ_SECONDS=N`.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "runner.h"

static struct fz_runner *runner;

/* libFuzzer counts inputs; say how many frames they were, and how many differed (none). */
static void report(void)
{
	const struct fz_counts *c = fz_counts(runner);

	fprintf(
	    stderr,
	    "fuzz_xdp: %llu programs, %llu frames (ITCH groups %llu, MDP3 groups %llu, NYSE XDP "
	    "groups %llu, PITCH groups %llu; libfeedsieve decodes MDP3 %llu, NYSE XDP %llu, "
	    "PITCH %llu: %llu, %llu, %llu messages), %llu mismatches\n",
	    (unsigned long long)c->programs, (unsigned long long)c->frames,
	    (unsigned long long)c->proto_frames[FS_PROTO_MOLD_ITCH],
	    (unsigned long long)c->proto_frames[FS_PROTO_MDP3],
	    (unsigned long long)c->proto_frames[FS_PROTO_NYSE_XDP],
	    (unsigned long long)c->proto_frames[FS_PROTO_PITCH],
	    (unsigned long long)c->lib_decodes[FS_PROTO_MDP3],
	    (unsigned long long)c->lib_decodes[FS_PROTO_NYSE_XDP],
	    (unsigned long long)c->lib_decodes[FS_PROTO_PITCH],
	    (unsigned long long)c->lib_msgs[FS_PROTO_MDP3],
	    (unsigned long long)c->lib_msgs[FS_PROTO_NYSE_XDP],
	    (unsigned long long)c->lib_msgs[FS_PROTO_PITCH], (unsigned long long)c->mismatches);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static char err[8192];

	(void)argc;
	(void)argv;
	if (geteuid() != 0) {
		fprintf(stderr, "fuzz_xdp: SKIPPED: BPF_PROG_TEST_RUN needs root\n");
		exit(77);
	}
	if (fz_runner_open(&runner, err, sizeof(err))) {
		fprintf(stderr, "fuzz_xdp: cannot load the XDP program: %s\n", err);
		exit(1);
	}
	atexit(report);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A mismatch is found again strictly (first differing frame) before the abort. */
	if (fz_run(runner, data, size, false))
		abort();
	return 0;
}
