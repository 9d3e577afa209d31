/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The instrument directory as the program sees it, whatever the protocol: fs_instruments slots
 * [0, FS_LOCATE_SLOTS) indexed directly by ITCH locate, the id-keyed slots after them found
 * through fs_inst_index, and per slot one subscription mark per bank. The program learns entries
 * when a directory message passes (Stock Directory, MDP3 definition) and reads one mark per key.
 */
#ifndef FEEDSIEVE_DIRECTORY_BPF_H
#define FEEDSIEVE_DIRECTORY_BPF_H

#include "feedsieve/symbol.h"
#include "maps.bpf.h"
#include "walk.bpf.h"

#define FS_EEXIST 17 /* errno.h is not in vmlinux.h */

static __always_inline struct fs_sym_counters *sym_counters(__u32 slot)
{
	return bpf_map_lookup_elem(&FS_MAP_SYM_STATS, &slot);
}

/* The mark an instrument carries in BANK, from that bank's subscription SUB (or none). */
static __always_inline void set_mark(struct fs_instrument *entry, const struct fs_sub *sub,
				     __u32 bank)
{
	__u32 mark = sub ? sub->slot + 1 : FS_INST_NOT_SUBSCRIBED;

	/* An exchange, not a store: it orders the symbol written before it against user space's
	 * re-marking, which writes a mark and then re-reads the symbol (user/lib/commit.c). One of
	 * the two always sees the other's write, so the mark left matches the symbol. */
	__sync_lock_test_and_set(&entry->sub[bank], mark);
}

/* A directory message for the instrument subscribed as LIVE in the live bank passed. */
static __always_inline void count_dir_seen(const struct fs_sub *live)
{
	struct fs_sym_counters *sc;

	if (!live)
		return;
	sc = sym_counters(live->slot);
	if (sc)
		sc->dir_seen++;
}

/* Is a key whose mark in the frame's bank is MARK wanted? Also counts it for its subscription. */
static __always_inline bool want_mark(const struct fs_group *g, __u32 mark)
{
	if (mark != FS_INST_NOT_SUBSCRIBED) {
		struct fs_sym_counters *sc = sym_counters(mark - 1);

		if (sc)
			sc->msgs_matched++;
	}
	return mark != FS_INST_NOT_SUBSCRIBED || (g->flags & FS_GROUP_F_ALL_SYMBOLS);
}

static __always_inline struct fs_sub *name_sub(__u32 bank, const struct fs_symbol *sym)
{
	return bank ? bpf_map_lookup_elem(&FS_MAP_SUBS_1, sym)
		    : bpf_map_lookup_elem(&FS_MAP_SUBS_0, sym);
}

/* ---- ITCH locates: slot feed * FS_LOCATES_PER_FEED + locate ---- */

/*
 * A Stock Directory message passed: remember which symbol LOCATE stands for in this feed, and
 * its mark in both banks (from each bank's subscriptions now), so a bank made live later is
 * already right. Runs for every symbol, subscribed or not, so a later subscription takes effect
 * at once.
 */
static __always_inline void dir_learn_locate(__u8 feed, __u16 locate, const struct fs_symbol *sym,
					     struct fs_walk *w)
{
	__u32 key = (__u32)feed * FS_LOCATES_PER_FEED + locate;
	struct fs_sub *sub0, *sub1;
	struct fs_instrument *entry;

	/* Past the locate slots come the id-keyed ones: a feed out of range has no directory
	 * (user space never configures one; the fuzzer does). */
	if (feed >= FS_MAX_FEEDS)
		return;
	entry = bpf_map_lookup_elem(&FS_MAP_INSTRUMENTS, &key);
	if (!entry)
		return;
	sub0 = name_sub(0, sym);
	sub1 = name_sub(1, sym);
	if (!(entry->flags & FS_INST_F_KNOWN) || !fs_symbol_eq(&entry->symbol, sym)) {
		entry->symbol = *sym;
		entry->flags = FS_INST_F_KNOWN;
		w->learned++;
	}
	set_mark(entry, sub0, 0);
	set_mark(entry, sub1, 1);
	count_dir_seen(w->bank & 1 ? sub1 : sub0);
}

/* The mark of LOCATE of FEED in BANK. */
static __always_inline __u32 dir_locate_mark(__u8 feed, __u16 locate, __u32 bank)
{
	__u32 key = (__u32)feed * FS_LOCATES_PER_FEED + locate;
	struct fs_instrument *entry;

	if (feed >= FS_MAX_FEEDS)
		return FS_INST_NOT_SUBSCRIBED; /* no directory (above) */
	entry = bpf_map_lookup_elem(&FS_MAP_INSTRUMENTS, &key);
	return entry ? entry->sub[bank & 1] : FS_INST_NOT_SUBSCRIBED;
}

/* ---- Id-keyed instruments: fs_inst_index {proto, feed, id} -> slot >= FS_LOCATE_SLOTS ---- */

static __always_inline struct fs_instrument *dir_id_entry(const struct fs_inst_key *key)
{
	__u32 *slot = bpf_map_lookup_elem(&FS_MAP_INST_INDEX, key);
	__u32 s;

	if (!slot)
		return NULL;
	s = *slot;
	return bpf_map_lookup_elem(&FS_MAP_INSTRUMENTS, &s);
}

/* The mark of instrument ID in BANK; an id never indexed is not subscribed (nothing is added). */
static __always_inline __u32 dir_id_mark(__u8 proto, __u8 feed, __u32 id, __u32 bank)
{
	struct fs_inst_key key = {.proto = proto, .feed = feed, .pad = 0, .id = id};
	struct fs_instrument *entry = dir_id_entry(&key);

	return entry ? entry->sub[bank & 1] : FS_INST_NOT_SUBSCRIBED;
}

/* Bank BANK's subscription of instrument ID named SYM: by id first, then by name. */
static __always_inline struct fs_sub *id_sub(__u32 bank, __u32 id, const struct fs_symbol *sym)
{
	struct fs_sub *sub = bank ? bpf_map_lookup_elem(&FS_MAP_IDS_1, &id)
				  : bpf_map_lookup_elem(&FS_MAP_IDS_0, &id);

	return sub ? sub : name_sub(bank, sym);
}

/*
 * Hand out a fresh id-keyed slot for KEY, written whole before the index names it, and index it.
 * Returns the entry KEY is indexed to (ours, or the one another CPU or user space indexed first),
 * or NULL when the directory is full (counted). *FRESH says whether the entry is ours.
 */
static __always_inline struct fs_instrument *
dir_add_id(const struct fs_inst_key *key, const struct fs_symbol *sym, const struct fs_sub *sub0,
	   const struct fs_sub *sub1, struct fs_walk *w, bool *fresh)
{
	struct fs_instrument *entry;
	struct fs_bank_state *bs;
	__u32 zero = 0, slot, n;
	long err;

	*fresh = false;
	bs = bpf_map_lookup_elem(&FS_MAP_BANK, &zero);
	if (!bs)
		return NULL;
	/* Checked before the add too, so a full directory stops the counter: adding on for every
	 * definition it cannot take would wrap it after 2^32 and hand out slots again. */
	if (*(volatile __u32 *)&bs->inst_next >= FS_MAX_INSTRUMENTS) {
		w->dir_full++;
		return NULL;
	}
	n = __sync_fetch_and_add(&bs->inst_next, 1);
	if (n >= FS_MAX_INSTRUMENTS) {
		w->dir_full++;
		return NULL;
	}
	slot = FS_LOCATE_SLOTS + n;
	entry = bpf_map_lookup_elem(&FS_MAP_INSTRUMENTS, &slot);
	if (!entry)
		return NULL;
	entry->symbol = *sym;
	entry->sub[0] = sub0 ? sub0->slot + 1 : FS_INST_NOT_SUBSCRIBED;
	entry->sub[1] = sub1 ? sub1->slot + 1 : FS_INST_NOT_SUBSCRIBED;
	entry->id = key->id;
	entry->proto = key->proto;
	entry->feed = key->feed;
	entry->flags = FS_INST_F_ID | FS_INST_F_KNOWN;
	err = bpf_map_update_elem(&FS_MAP_INST_INDEX, key, &slot, BPF_NOEXIST);
	if (!err) {
		__sync_fetch_and_add(&bs->inst_indexed, 1);
		*fresh = true;
		return entry;
	}
	/* Ours stays unused. Someone indexed the id first: use theirs. Else the index is full. */
	__builtin_memset(entry, 0, sizeof(*entry));
	if (err != -FS_EEXIST) {
		w->dir_full++;
		return NULL;
	}
	return dir_id_entry(key);
}

/*
 * A definition of instrument ID named SYM passed on a definitions group: remember the name, and
 * the instrument's marks in both banks. The first definition of an id takes a fresh slot; later
 * ones update the name in place (a slot keeps its id for the life of the maps).
 */
static __always_inline void dir_learn_id(__u8 proto, __u8 feed, __u32 id,
					 const struct fs_symbol *sym, struct fs_walk *w)
{
	struct fs_inst_key key = {.proto = proto, .feed = feed, .pad = 0, .id = id};
	struct fs_sub *sub0 = id_sub(0, id, sym), *sub1 = id_sub(1, id, sym);
	struct fs_instrument *entry = dir_id_entry(&key);
	bool fresh = false;

	if (!entry)
		entry = dir_add_id(&key, sym, sub0, sub1, w, &fresh);
	if (!entry)
		return;
	if (fresh) {
		w->learned++;
	} else {
		if (!(entry->flags & FS_INST_F_KNOWN) || !fs_symbol_eq(&entry->symbol, sym)) {
			entry->symbol = *sym;
			entry->flags |= FS_INST_F_KNOWN;
			w->learned++;
		}
		set_mark(entry, sub0, 0);
		set_mark(entry, sub1, 1);
	}
	count_dir_seen(w->bank & 1 ? sub1 : sub0);
}

#endif /* FEEDSIEVE_DIRECTORY_BPF_H */
