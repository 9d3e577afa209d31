/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A growable first-in first-out queue of fixed-size elements: what feedgen holds back to send
 * later (delayed re-request answers, late live copies). Each user queues with one constant delay,
 * so its queue is also in due-time order and only its head can be due.
 */
#ifndef FEEDGEN_FIFO_H
#define FEEDGEN_FIFO_H

#include <stddef.h>

struct fg_fifo {
	unsigned char *buf;
	size_t esz;  /* element size */
	size_t cap;  /* elements allocated */
	size_t head; /* index of the oldest element */
	size_t n;    /* elements queued */
};

/* An empty queue of elements of ESZ bytes (no allocation yet). */
void fg_fifo__init(struct fg_fifo *q, size_t esz);
void fg_fifo__free(struct fg_fifo *q);

/* Room for one more element at the tail, to be filled by the caller; NULL: out of memory. */
void *fg_fifo__push(struct fg_fifo *q);

/* The oldest element, NULL when empty; valid until the next push or pop. */
void *fg_fifo__head(const struct fg_fifo *q);

/* Drop the oldest element (there must be one). */
void fg_fifo__pop(struct fg_fifo *q);

#endif /* FEEDGEN_FIFO_H */
