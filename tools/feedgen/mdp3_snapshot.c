// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The MDP3 generator's per-instrument books (mdp3_snapshot.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mdp3_snapshot.h"

struct level {
	__s64 px;
	__s32 size;
	__s32 orders;
	bool set;
};

struct mdp3_books {
	__u32 nkeys;
	struct level (*lv)[2][MDP3_BOOK_LEVELS]; /* [key][side: 0 bid, 1 offer][level - 1] */
};

int mdp3_books__new(struct mdp3_books **out, __u32 nkeys)
{
	struct mdp3_books *b = calloc(1, sizeof(*b));

	if (!b)
		return -ENOMEM;
	b->lv = calloc((size_t)nkeys + 1, sizeof(*b->lv));
	if (!b->lv) {
		free(b);
		return -ENOMEM;
	}
	b->nkeys = nkeys;
	*out = b;
	return 0;
}

void mdp3_books__free(struct mdp3_books *b)
{
	if (!b)
		return;
	free(b->lv);
	free(b);
}

void mdp3_books__apply(struct mdp3_books *b, __u32 key, const struct mdp3_entry *e)
{
	struct level *l;

	if (key > b->nkeys || e->level < 1 || e->level > MDP3_BOOK_LEVELS ||
	    (e->type != '0' && e->type != '1'))
		return;
	l = &b->lv[key][e->type - '0'][e->level - 1];
	if (e->action == MDP3_ACTION_DELETE) {
		memset(l, 0, sizeof(*l));
		return;
	}
	*l = (struct level){.px = e->px, .size = e->size, .orders = e->orders, .set = true};
}

unsigned int mdp3_books__levels(const struct mdp3_books *b, __u32 key,
				struct mdp3_entry out[MDP3_SNAPSHOT_MAX_ENTRIES])
{
	unsigned int n = 0, side, i;

	if (key > b->nkeys)
		return 0;
	for (side = 0; side < 2; side++) {
		for (i = 0; i < MDP3_BOOK_LEVELS; i++) {
			const struct level *l = &b->lv[key][side][i];

			if (!l->set)
				continue;
			out[n++] = (struct mdp3_entry){.px = l->px,
						       .size = l->size,
						       .orders = l->orders,
						       .level = (__u8)(i + 1),
						       .type = (char)('0' + side)};
		}
	}
	return n;
}
