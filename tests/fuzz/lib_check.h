/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The consumer's side of the differential fuzzer: libfeedsieve's own frame decoder and
 * message/entry iterators (fs_frame__decode, fs_msg_iter, fs_entry_iter) run over the frames the
 * loaded program delivers, once with the program's metadata and once without any, deciding from
 * the same interface state (the harness's maps, opened as the library opens a private program's
 * maps: fsi_iface__open_private, as fs_replay does). What the library hands the application is
 * written into the reference's struct ref_app, for the runner to compare.
 */
#ifndef FEEDSIEVE_TESTS_FUZZ_LIB_CHECK_H
#define FEEDSIEVE_TESTS_FUZZ_LIB_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "reference.h"

struct fsx;
struct fz_lib;

int fz_lib_open(struct fz_lib **out, struct fsx *x);
void fz_lib_close(struct fz_lib *l);
/* Read the configured groups again (after the configuration of each program), and start the
 * consumer's PITCH order map afresh. */
int fz_lib_sync(struct fz_lib *l);
/* Decode FRAME (with META, or NULL) and collect what the application is given into OUT; HAND:
 * each message is then handed over (fsi_msg__handed(), as the sequencer does: the PITCH order
 * map learns from it). Returns 0 or the -errno of fs_frame__decode(). */
int fz_lib_collect(struct fz_lib *l, const __u8 *frame, size_t len,
		   const struct fs_xdp_meta *meta, bool hand, struct ref_app *out);

#endif /* FEEDSIEVE_TESTS_FUZZ_LIB_CHECK_H */
