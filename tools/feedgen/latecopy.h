/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Late live copies (--late-copy-ms): a traffic packet lost on both lines goes out again on line
 * A, unchanged, a fixed time later, as a line that delivers very late would send it. A receiver
 * that recovered those messages meanwhile must drop the copy as a duplicate. Each copy is logged
 * in the loss log when it goes out: {"late_copy":{"seq":N,"count":K,"line":"A","ms":T}}, T
 * milliseconds after the first packet.
 */
#ifndef FEEDGEN_LATECOPY_H
#define FEEDGEN_LATECOPY_H

#include <linux/types.h>

#include "fifo.h"
#include "pkt.h"

struct late_copy {
	__u64 due_ns;
	__u64 seq;
	__u32 count;
	size_t len;
	__u8 buf[FG_PAYLOAD_MAX];
};

struct late_copies {
	struct fg_fifo q; /* of struct late_copy, in due order */
	__u64 delay_ns;
};

void late_copies__init(struct late_copies *l, __u64 delay_ns);
void late_copies__free(struct late_copies *l);

/* Keep a copy of PKT, due DELAY after NOW_NS; -ENOMEM, -EMSGSIZE. */
int late_copies__push(struct late_copies *l, const struct fg_pkt *pkt, __u64 now_ns);

/* The oldest copy if it is due by NOW_NS, else NULL; late_copies__pop() once it is sent. */
const struct late_copy *late_copies__due(const struct late_copies *l, __u64 now_ns);
void late_copies__pop(struct late_copies *l);

/* When the oldest copy is due; UINT64_MAX when none waits. */
__u64 late_copies__next_due(const struct late_copies *l);

#endif /* FEEDGEN_LATECOPY_H */
