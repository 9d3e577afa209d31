// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Id-keyed instruments (MDP3 SecurityID) in the directory, for the consumer deciding what the
 * program did not examine: fs_inst_index (a hash map: one system call) gives the slot, the
 * mmapped fs_instruments entry the marks and the symbol. Slots are never freed or reused, so a
 * slot found is remembered for good; an id not found yet may be found later and is not.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>

#include "frame.h"

#define ID_CACHE_SIZE 4096 /* direct-mapped; a power of two */

enum id_state {
	ID_EMPTY = 0,
	ID_SLOT,   /* slot holds the id's slot, for good */
	ID_ABSENT, /* not in the index while fs_bank.inst_indexed was next */
};

struct id_cache_entry {
	__u32 id;
	__u8 proto, feed, state;
	__u32 slot;
	__u32 next;
};

/* An id absent from the index stays absent until an index entry is inserted: every insert is
 * followed by an add to fs_bank.inst_indexed (program and commit alike). So an absence is
 * remembered with the value inst_indexed had before the lookup, and holds while it has not
 * moved: on an all-symbols group most ids are in no directory, and a system call per entry
 * would cost more than the rest of the frame. (Not inst_next: it moves before the insert, so a
 * lookup between the two would cache an absence that no later change of inst_next undoes.) */
struct fsi_id_cache {
	struct id_cache_entry e[ID_CACHE_SIZE];
};

int fsi_id_cache__create(struct fsi_id_cache **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -ENOMEM;
}

void fsi_id_cache__destroy(struct fsi_id_cache *c)
{
	free(c);
}

static struct id_cache_entry *cache_at(struct fsi_id_cache *c, __u8 proto, __u8 feed, __u32 id)
{
	__u32 h = (id ^ ((__u32)feed << 24) ^ ((__u32)proto << 28)) * 0x9E3779B1U;

	return &c->e[h >> (32 - 12)];
}
_Static_assert(ID_CACHE_SIZE == 1 << 12, "cache_at() takes the top 12 bits");

static int find_slot(const struct fsi_group_table *t, __u8 proto, __u8 feed, __u32 id, __u32 *slot)
{
	struct fs_inst_key key = {.proto = proto, .feed = feed, .id = id};
	struct id_cache_entry *ce = t->ids ? cache_at(t->ids, proto, feed, id) : NULL;
	/* Read before the lookup: an insert that the lookup misses bumps it afterwards, so the
	 * absence cached below is looked at again (inst_next moves before the insert, too early). */
	__u32 next = __atomic_load_n(&t->iface->bank->inst_indexed, __ATOMIC_ACQUIRE);

	if (ce && ce->state != ID_EMPTY && ce->id == id && ce->proto == proto && ce->feed == feed) {
		if (ce->state == ID_SLOT) {
			*slot = ce->slot;
			return 0;
		}
		if (ce->next == next)
			return -ENOENT;
	}
	if (bpf_map_lookup_elem(t->iface->fds[FS_M_INST_INDEX], &key, slot)) {
		int err = -errno;

		if (ce && err == -ENOENT)
			*ce = (struct id_cache_entry){.id = id, .proto = proto, .feed = feed,
						      .state = ID_ABSENT, .next = next};
		return err;
	}
	if (*slot < FS_LOCATE_SLOTS || *slot >= FS_INSTRUMENT_SLOTS)
		return -ERANGE; /* not an id slot: never read as one */
	if (ce)
		*ce = (struct id_cache_entry){.id = id, .proto = proto, .feed = feed,
					      .state = ID_SLOT, .slot = *slot};
	return 0;
}

bool fsi_inst__lookup_id(const struct fsi_group_table *t, __u8 proto, __u8 feed, __u32 id,
			 bool *subscribed, struct fs_symbol *sym, bool *sym_known, int *err)
{
	const struct fs_instrument *e;
	__u32 slot, bank;
	int ret;

	if (err)
		*err = 0;
	ret = find_slot(t, proto, feed, id, &slot);
	if (ret) {
		if (err && ret != -ENOENT)
			*err = ret;
		return false;
	}
	e = &t->iface->instruments[slot];
	bank = fsi_iface__live_bank(t->iface);
	*subscribed = __atomic_load_n(&e->sub[bank], __ATOMIC_RELAXED) != FS_INST_NOT_SUBSCRIBED;
	*sym_known = __atomic_load_n(&e->flags, __ATOMIC_ACQUIRE) & FS_INST_F_KNOWN;
	if (*sym_known)
		memcpy(sym, &e->symbol, sizeof(*sym));
	return true;
}

bool fsi_name__subscribed(const struct fsi_group_table *t, const struct fs_symbol *sym)
{
	__u32 bank = fsi_iface__live_bank(t->iface);
	struct fs_sub sub;

	if (!bpf_map_lookup_elem(t->iface->fds[FS_M_SUBS_0 + bank], sym, &sub))
		return true;
	return errno != ENOENT;
}
