/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Runs a fuzz program (program.h) through the loaded XDP program (tests/bpf/xdp_harness.h, only
 * through its fsx_* calls) and through the reference model (reference.h) side by side, and
 * compares, frame by frame: the verdict, the metadata (match bits, flags, walked, group, channel,
 * line, feed, timestamp), that the frame is untouched, for an MDP3, NYSE XDP or PITCH frame the
 * program delivered what libfeedsieve's decoder hands the application (with the program's
 * metadata, and without), the global counters and the frame's
 * channel window; and, after the program (or after every frame when strict), every group's and
 * every symbol slot's counters, the whole directory and every window. A mismatch is printed as a
 * readable diff, with the frame in hex.
 */
#ifndef FEEDSIEVE_TESTS_FUZZ_RUNNER_H
#define FEEDSIEVE_TESTS_FUZZ_RUNNER_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "feedsieve/maps.h"

struct fz_runner;

struct fz_counts {
	__u64 programs;
	__u64 frames;	  /* frames run through both */
	__u64 mismatches; /* programs with at least one mismatch */
	__u64 outcomes[8]; /* by the reference's verdict: see fz_outcome_names */
	/* of them, by the protocol of their group: frames, frames by outcome, and out-of-band
	 * frames (NYSE retransmission and refresh packets, PITCH unsequenced units) */
	__u64 proto_frames[FS_PROTO_COUNT];
	__u64 proto_outcomes[FS_PROTO_COUNT][8];
	__u64 proto_out_of_band[FS_PROTO_COUNT];
	__u64 orders_added, orders_removed, orders_full, orders_unknown; /* the reference's */
	/* programs with a mismatch, by the protocol of the group of the first frame that differs
	 * (FS_PROTO_NONE: a frame to no group, or only after the last frame) */
	__u64 proto_mismatches[FS_PROTO_COUNT];
	/* libfeedsieve's decoder over the MDP3, NYSE XDP and PITCH frames the program delivered
	 * (lib_check.h), each decoded twice (with and without metadata), by protocol: decodes,
	 * messages handed to the application, frames where the library differed from the
	 * reference; and the MDP3 entries handed over */
	__u64 lib_decodes[FS_PROTO_COUNT], lib_msgs[FS_PROTO_COUNT];
	__u64 lib_mismatches[FS_PROTO_COUNT];
	__u64 lib_entries;
};

#define FZ_OUTCOMES 8
extern const char *const fz_outcome_names[FZ_OUTCOMES];

/* Load the program and open an AF_XDP socket (in a private network namespace). */
int fz_runner_open(struct fz_runner **out, char *err, size_t errlen);
void fz_runner_close(struct fz_runner *r);
/* Whether an AF_XDP socket could be made (else the socket settings of a program are ignored). */
bool fz_runner_has_xsk(const struct fz_runner *r);

/*
 * Run one program. Returns 0 when program and reference agree, 1 on a mismatch (the diff is on
 * stderr: with strict == false the program is run again strictly to find the first frame that
 * differs), or -errno when the harness itself failed.
 */
int fz_run(struct fz_runner *r, const __u8 *data, size_t size, bool strict);
const struct fz_counts *fz_counts(const struct fz_runner *r);

#endif /* FEEDSIEVE_TESTS_FUZZ_RUNNER_H */
