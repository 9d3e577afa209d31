/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The instrument universe of a generated session and how popular each instrument is. The table
 * depends only on its size and style, never on the seed, so tests and demos can name instruments
 * without running the generator: instrument i (0-based) has key i + 1 and popularity rank i (0 is
 * the hottest). Its wire id is the key itself for ITCH (the Stock Locate) and PITCH, a SecurityID
 * for MDP3 and a SymbolIndex for NYSE XDP; its name is a stock symbol of the style's exchange or a
 * CME futures or spread symbol.
 */
#ifndef FEEDGEN_SYMBOLS_H
#define FEEDGEN_SYMBOLS_H

#include <feedsieve/types.h>
#include <feedsieve/limits.h>
#include <feedsieve/wire_itch.h>

#include "prng.h"

/* Stock Locate is 16 bits and 0 means "no stock". */
#define SYMTAB_MAX 65535

enum symtab_style {
	SYMTAB_ITCH, /* 1..8 letters, e.g. AAPL; id = key */
	SYMTAB_MDP3, /* 1..20 characters: ESZ6, spreads ESZ6-ESH7, some with a space; SecurityIDs */
	SYMTAB_NYSE, /* 1..11 characters, share classes with a space ("BRK A"); SymbolIndexes */
	SYMTAB_PITCH, /* 1..8 characters, no spaces; id = key */
};

struct symtab;

/* Build the table of N ITCH symbols (1..SYMTAB_MAX); -EINVAL or -ENOMEM. */
int symtab__new(struct symtab **out, __u32 n);
/* The same for STYLE. */
int symtab__new_style(struct symtab **out, __u32 n, enum symtab_style style);
void symtab__free(struct symtab *t);

__u32 symtab__count(const struct symtab *t);

/* The space-padded 8-byte wire symbol of LOCATE (1..count), or NULL when out of range. */
const char *symtab__padded(const struct symtab *t, __u16 locate);

/* The symbol of LOCATE without padding, NUL-terminated in OUT; -ENOENT when out of range. */
int symtab__name(const struct symtab *t, __u16 locate, char out[ITCH_SYMBOL_LEN + 1]);

/* The name of KEY (1..count), NUL-terminated, up to FS_SYMBOL_LEN characters; NULL if none. */
const char *symtab__str(const struct symtab *t, __u32 key);

/* The wire id of KEY (1..count): the key (ITCH locate) or the SecurityID (MDP3); 0 if none. */
__u32 symtab__id(const struct symtab *t, __u32 key);

/* The key whose wire id is ID, or whose name is NAME; 0 when there is none. */
__u32 symtab__key_of_id(const struct symtab *t, __u32 id);
__u32 symtab__key_of_name(const struct symtab *t, const char *name);

/*
 * Draw a locate with Zipf-like popularity: weight of rank r proportional to 1 / (r + 1)^1.1,
 * the skew of real equity feeds where a few names carry most of the traffic.
 */
__u16 symtab__pick(const struct symtab *t, struct prng *rng);

#endif /* FEEDGEN_SYMBOLS_H */
