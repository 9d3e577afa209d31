/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Just enough of an order book for the generator to stay consistent: per symbol, the orders it
 * added and has not yet fully executed, canceled or deleted, and a drifting mid price. Executions,
 * cancels and deletes only ever name an order from here, so a downstream book builder never sees
 * an unknown order reference.
 */
#ifndef FEEDGEN_BOOK_H
#define FEEDGEN_BOOK_H

#include <feedsieve/types.h>

/*
 * Open orders tracked per symbol. Bounds memory (one pool per locate, 65535 of them) and keeps a
 * hot symbol's book from growing without end: a full pool turns the next add into a delete.
 */
#define BOOK_POOL_MAX 32

/* ITCH prices have 4 implied decimals: $1 is 10000. */
#define BOOK_PRICE_SCALE 10000

struct book_order {
	__u64 ref;
	__u32 shares; /* still open */
};

struct book;

/* A book for locates 1..NSYMS; -ENOMEM. */
int book__new(struct book **out, __u32 nsyms);
void book__free(struct book *b);

__u32 book__open_count(const struct book *b, __u16 locate);
/* -ENOSPC when the pool of LOCATE is full. */
int book__add(struct book *b, __u16 locate, __u64 ref, __u32 shares);
/* Order IDX (0..open_count-1) of LOCATE; its shares may be reduced in place. */
struct book_order *book__order(struct book *b, __u16 locate, __u32 idx);
/* Forget order IDX of LOCATE; the order of the remaining ones changes. */
void book__remove(struct book *b, __u16 locate, __u32 idx);

/* Mid price of LOCATE, 4 implied decimals. Starts at a level derived from the locate alone. */
__u32 book__mid(const struct book *b, __u16 locate);
void book__set_mid(struct book *b, __u16 locate, __u32 mid);

#endif /* FEEDGEN_BOOK_H */
