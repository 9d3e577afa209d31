/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The MDP3 generator's books, for its Market Recovery (snapshot) loop: per instrument, the price
 * levels its book updates (46) left standing, so a SnapshotFullRefresh (52) can say what the
 * incrementals built up to a given packet.
 */
#ifndef FEEDGEN_MDP3_SNAPSHOT_H
#define FEEDGEN_MDP3_SNAPSHOT_H

#include "mdp3_encode.h"

/* Price levels per side kept per instrument (MDPriceLevel 1..MDP3_BOOK_LEVELS). */
#define MDP3_BOOK_LEVELS 10
/* Entries of one snapshot at most: every level of both sides. */
#define MDP3_SNAPSHOT_MAX_ENTRIES (2 * MDP3_BOOK_LEVELS)

struct mdp3_books;

/* Books for instrument keys 1..NKEYS, all empty; -ENOMEM. */
int mdp3_books__new(struct mdp3_books **out, __u32 nkeys);
void mdp3_books__free(struct mdp3_books *b);
/* Apply one book entry (46) of instrument KEY. A level is set by New and Change and cleared by
 * Delete (a level is a slot here: feedgen never shifts levels, and neither does its book). */
void mdp3_books__apply(struct mdp3_books *b, __u32 key, const struct mdp3_entry *e);
/* The standing levels of KEY into OUT (bids then offers, by level); their number. */
unsigned int mdp3_books__levels(const struct mdp3_books *b, __u32 key,
				struct mdp3_entry out[MDP3_SNAPSHOT_MAX_ENTRIES]);

#endif /* FEEDGEN_MDP3_SNAPSHOT_H */
