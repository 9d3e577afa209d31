/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The symbol universe of a generated session and how popular each symbol is. The table depends
 * only on its size, never on the seed, so tests and demos can name symbols without running the
 * generator: symbol i (0-based) has Stock Locate i + 1 and popularity rank i (0 is the hottest).
 */
#ifndef FEEDGEN_SYMBOLS_H
#define FEEDGEN_SYMBOLS_H

#include <feedsieve/types.h>
#include <feedsieve/limits.h>

#include "prng.h"

/* Stock Locate is 16 bits and 0 means "no stock". */
#define SYMTAB_MAX 65535

struct symtab;

/* Build the table of N symbols (1..SYMTAB_MAX); -EINVAL or -ENOMEM. */
int symtab__new(struct symtab **out, __u32 n);
void symtab__free(struct symtab *t);

__u32 symtab__count(const struct symtab *t);

/* The space-padded 8-byte wire symbol of LOCATE (1..count), or NULL when out of range. */
const char *symtab__padded(const struct symtab *t, __u16 locate);

/* The symbol of LOCATE without padding, NUL-terminated in OUT; -ENOENT when out of range. */
int symtab__name(const struct symtab *t, __u16 locate, char out[ITCH_SYMBOL_LEN + 1]);

/*
 * Draw a locate with Zipf-like popularity: weight of rank r proportional to 1 / (r + 1)^1.1,
 * the skew of real equity feeds where a few names carry most of the traffic.
 */
__u16 symtab__pick(const struct symtab *t, struct prng *rng);

#endif /* FEEDGEN_SYMBOLS_H */
