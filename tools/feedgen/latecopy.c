// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The queue of late live copies: one delay for all, so first in is first due. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "latecopy.h"

void late_copies__init(struct late_copies *l, __u64 delay_ns)
{
	fg_fifo__init(&l->q, sizeof(struct late_copy));
	l->delay_ns = delay_ns;
}

void late_copies__free(struct late_copies *l)
{
	fg_fifo__free(&l->q);
}

int late_copies__push(struct late_copies *l, const struct fg_pkt *pkt, __u64 now_ns)
{
	struct late_copy *c;

	if (pkt->len > sizeof(c->buf))
		return -EMSGSIZE;
	c = fg_fifo__push(&l->q);
	if (!c)
		return -ENOMEM;
	c->due_ns = now_ns + l->delay_ns;
	c->seq = pkt->seq;
	c->count = pkt->seq_count;
	c->len = pkt->len;
	memcpy(c->buf, pkt->buf, pkt->len);
	return 0;
}

const struct late_copy *late_copies__due(const struct late_copies *l, __u64 now_ns)
{
	const struct late_copy *c = fg_fifo__head(&l->q);

	return c && c->due_ns <= now_ns ? c : NULL;
}

void late_copies__pop(struct late_copies *l)
{
	fg_fifo__pop(&l->q);
}

__u64 late_copies__next_due(const struct late_copies *l)
{
	const struct late_copy *c = fg_fifo__head(&l->q);

	return c ? c->due_ns : UINT64_MAX;
}
