// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Per-symbol pools of open orders. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "book.h"
#include "prng.h"

struct book_pool {
	__u32 count;
	__u32 mid;
	struct book_order orders[BOOK_POOL_MAX];
};

struct book {
	__u32 nsyms;
	struct book_pool *pools; /* index locate - 1 */
};

/* Opening mid prices between $10 and $500, in whole dollars. */
#define MID_MIN_DOLLARS	 10
#define MID_SPAN_DOLLARS 490

int book__new(struct book **out, __u32 nsyms)
{
	struct book *b;
	struct prng r;
	__u32 i;

	b = calloc(1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	/* calloc: pools of symbols never traded stay untouched, zero pages. */
	b->pools = calloc(nsyms, sizeof(*b->pools));
	if (!b->pools) {
		free(b);
		return -ENOMEM;
	}
	b->nsyms = nsyms;
	for (i = 0; i < nsyms; i++) {
		/* Seeded by the locate, not --seed: a symbol trades near the same level every run.
		 */
		prng__seed(&r, i + 1);
		b->pools[i].mid =
		    (MID_MIN_DOLLARS + prng__below(&r, MID_SPAN_DOLLARS)) * BOOK_PRICE_SCALE;
	}
	*out = b;
	return 0;
}

void book__free(struct book *b)
{
	if (!b)
		return;
	free(b->pools);
	free(b);
}

static struct book_pool *pool(const struct book *b, __u16 locate)
{
	return &b->pools[locate - 1];
}

__u32 book__open_count(const struct book *b, __u16 locate)
{
	return pool(b, locate)->count;
}

int book__add(struct book *b, __u16 locate, __u64 ref, __u32 shares)
{
	struct book_pool *p = pool(b, locate);

	if (p->count >= BOOK_POOL_MAX)
		return -ENOSPC;
	p->orders[p->count].ref = ref;
	p->orders[p->count].shares = shares;
	p->count++;
	return 0;
}

struct book_order *book__order(struct book *b, __u16 locate, __u32 idx)
{
	return &pool(b, locate)->orders[idx];
}

void book__remove(struct book *b, __u16 locate, __u32 idx)
{
	struct book_pool *p = pool(b, locate);

	p->orders[idx] = p->orders[p->count - 1];
	p->count--;
}

__u32 book__mid(const struct book *b, __u16 locate)
{
	return pool(b, locate)->mid;
}

void book__set_mid(struct book *b, __u16 locate, __u32 mid)
{
	pool(b, locate)->mid = mid;
}
