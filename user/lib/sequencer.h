/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The consumer's per-channel sequencer (see sequencer.c). Internal. */
#ifndef FEEDSIEVE_SEQUENCER_H
#define FEEDSIEVE_SEQUENCER_H

#include "consumer.h"

/* Where events go, and the first non-zero value the application's function returned. */
struct emit {
	struct fs_consumer *c;
	fs_event_fn fn;
	void *ctx;
	int ret;
};

int fs_sequencer__create(struct fs_consumer *c, const struct fs_consumer_opts *o);
void fs_sequencer__destroy(struct fs_consumer *c);
/* Take one delivered frame (its buffer is DESC_ADDR): hold it, or hand it over and recycle. */
void fs_sequencer__frame(struct fs_consumer *c, const struct fs_frame *f, __u64 desc_addr,
			 struct emit *e);
/* Time-based decisions (gaps after the grace time, recovery, staleness); call when the RX ring
 * is empty, or when fs_sequencer__pressed() says so. */
void fs_sequencer__settle(struct fs_consumer *c, struct emit *e);
/* Do held frames keep so many UMEM buffers that the fill ring runs short? Then holes must be
 * settled now, ring empty or not: waiting longer would turn one loss into many. */
bool fs_sequencer__pressed(const struct fs_consumer *c);

#endif /* FEEDSIEVE_SEQUENCER_H */
