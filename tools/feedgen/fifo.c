// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* A ring buffer that doubles when full. */
#include <stdlib.h>
#include <string.h>

#include "fifo.h"

#define FIFO_FIRST_CAP 16

void fg_fifo__init(struct fg_fifo *q, size_t esz)
{
	memset(q, 0, sizeof(*q));
	q->esz = esz;
}

void fg_fifo__free(struct fg_fifo *q)
{
	free(q->buf);
	fg_fifo__init(q, q->esz);
}

/* Double the ring, unrolled so the oldest element is first again. */
static int grow(struct fg_fifo *q)
{
	size_t cap = q->cap ? 2 * q->cap : FIFO_FIRST_CAP, first;
	unsigned char *buf;

	buf = malloc(cap * q->esz);
	if (!buf)
		return -1;
	first = q->cap - q->head < q->n ? q->cap - q->head : q->n;
	if (q->n) {
		memcpy(buf, q->buf + q->head * q->esz, first * q->esz);
		memcpy(buf + first * q->esz, q->buf, (q->n - first) * q->esz);
	}
	free(q->buf);
	q->buf = buf;
	q->cap = cap;
	q->head = 0;
	return 0;
}

void *fg_fifo__push(struct fg_fifo *q)
{
	if (q->n == q->cap && grow(q))
		return NULL;
	return q->buf + (q->head + q->n++) % q->cap * q->esz;
}

void *fg_fifo__head(const struct fg_fifo *q)
{
	return q->n ? q->buf + q->head * q->esz : NULL;
}

void fg_fifo__pop(struct fg_fifo *q)
{
	q->head = (q->head + 1) % q->cap;
	q->n--;
}
