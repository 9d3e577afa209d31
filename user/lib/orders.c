// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The consumer's PITCH order map (orders.h): open addressing with linear probing, removal by
 * backward shift (no tombstones, so a busy book's churn never degrades lookups), grown by
 * doubling up to twice FS_MAX_ORDERS slots (load at most one half).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "orders.h"

#define FIRST_SLOTS 4096u
#define MAX_SLOTS   (2u * FS_MAX_ORDERS)

struct order_slot {
	__u64 id;
	struct fs_symbol symbol;
	__u32 remaining;
	__u16 gen;
	__u8 channel;
	bool used;
};

struct fsi_orders {
	struct order_slot *slots;
	__u32 nslots; /* a power of two, or 0 before the first add */
	__u32 count;
	__u16 gen[FS_MAX_CHANNELS];
	__u64 session[FS_MAX_CHANNELS]; /* hash + 1 of the session the gen stands for, 0: none */
};

int fsi_orders__create(struct fsi_orders **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -ENOMEM;
}

void fsi_orders__destroy(struct fsi_orders *m)
{
	if (!m)
		return;
	free(m->slots);
	free(m);
}

void fsi_orders__session(struct fsi_orders *m, __u8 channel, __u64 hash)
{
	if (m->session[channel] == hash + 1)
		return;
	m->session[channel] = hash + 1;
	m->gen[channel]++;
}

static __u32 home(const struct fsi_orders *m, __u8 channel, __u64 id)
{
	__u64 h = (id ^ ((__u64)channel << 56)) * 0x9e3779b97f4a7c15ULL;

	return (__u32)(h >> 32) & (m->nslots - 1);
}

/* The slot of (CHANNEL, ID), or the empty slot where it would go. */
static struct order_slot *probe(const struct fsi_orders *m, __u8 channel, __u64 id)
{
	__u32 i = home(m, channel, id);

	while (m->slots[i].used && (m->slots[i].id != id || m->slots[i].channel != channel))
		i = (i + 1) & (m->nslots - 1);
	return &m->slots[i];
}

static int grow(struct fsi_orders *m)
{
	struct fsi_orders bigger = *m;
	__u32 i;

	bigger.nslots = m->nslots ? m->nslots * 2 : FIRST_SLOTS;
	bigger.slots = calloc(bigger.nslots, sizeof(*bigger.slots));
	if (!bigger.slots)
		return -ENOMEM;
	for (i = 0; i < m->nslots; i++)
		if (m->slots[i].used)
			*probe(&bigger, m->slots[i].channel, m->slots[i].id) = m->slots[i];
	free(m->slots);
	*m = bigger;
	return 0;
}

int fsi_orders__add(struct fsi_orders *m, __u8 channel, __u64 id, const struct fs_symbol *sym,
		    __u32 remaining)
{
	struct order_slot *s;
	int err;

	if (!remaining)
		return 0; /* nothing on the book to name later */
	if (m->nslots && (s = probe(m, channel, id))->used)
		goto write;
	if (m->count >= FS_MAX_ORDERS)
		return -ENOSPC;
	if ((m->count + 1) * 2 > m->nslots) {
		if (m->nslots >= MAX_SLOTS)
			return -ENOSPC;
		err = grow(m);
		if (err)
			return err;
	}
	s = probe(m, channel, id);
	m->count++;
write:
	s->used = true;
	s->id = id;
	s->channel = channel;
	s->symbol = *sym;
	s->remaining = remaining;
	s->gen = m->gen[channel];
	return 0;
}

/* The live entry of (CHANNEL, ID): of the channel's current session. */
static struct order_slot *find(const struct fsi_orders *m, __u8 channel, __u64 id)
{
	struct order_slot *s;

	if (!m->nslots)
		return NULL;
	s = probe(m, channel, id);
	return s->used && s->gen == m->gen[channel] ? s : NULL;
}

bool fsi_orders__find(const struct fsi_orders *m, __u8 channel, __u64 id, struct fs_symbol *sym)
{
	const struct order_slot *s = find(m, channel, id);

	if (s)
		*sym = s->symbol;
	return s;
}

/* Forget slot S: the entries after it in its run move back so that none is left unreachable. */
static void erase(struct fsi_orders *m, struct order_slot *s)
{
	__u32 mask = m->nslots - 1, i = (__u32)(s - m->slots), j = i;

	for (;;) {
		__u32 h;

		j = (j + 1) & mask;
		if (!m->slots[j].used)
			break;
		h = home(m, m->slots[j].channel, m->slots[j].id);
		/* Entry j may fill hole i when its home is not in (i, j] (cyclically). */
		if (((j - h) & mask) >= ((j - i) & mask)) {
			m->slots[i] = m->slots[j];
			i = j;
		}
	}
	memset(&m->slots[i], 0, sizeof(m->slots[i]));
	m->count--;
}

void fsi_orders__set(struct fsi_orders *m, __u8 channel, __u64 id, __u32 remaining)
{
	struct order_slot *s = find(m, channel, id);

	if (!s)
		return;
	s->remaining = remaining;
	if (!remaining)
		erase(m, s);
}

void fsi_orders__reduce(struct fsi_orders *m, __u8 channel, __u64 id, __u32 by)
{
	struct order_slot *s = find(m, channel, id);

	if (s)
		fsi_orders__set(m, channel, id, s->remaining > by ? s->remaining - by : 0);
}

void fsi_orders__remove(struct fsi_orders *m, __u8 channel, __u64 id)
{
	struct order_slot *s = find(m, channel, id);

	if (s)
		erase(m, s);
}

size_t fsi_orders__count(const struct fsi_orders *m)
{
	return m->count;
}
