/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The MoldUDP64 / ITCH 5.0 decoder of the XDP program: walks every message block of a packet,
 * learns Stock Directory entries, and marks the messages whose locate is subscribed.
 */
#ifndef FEEDSIEVE_MOLD_ITCH_BPF_H
#define FEEDSIEVE_MOLD_ITCH_BPF_H

#include "feedsieve/parse.h"
#include "feedsieve/wire.h"
#include "maps.bpf.h"

/* What the walk found in one frame. */
struct fs_walk {
	__u64 match_bits[FS_MAX_WALK / 64];
	__u32 walked;
	__u32 matched;
	__u32 learned;
	__u16 count; /* MoldUDP64 message count */
	bool malformed;
	bool overflow; /* count > FS_MAX_WALK: blocks past the bound not examined */
};

static __always_inline struct fs_sym_counters *sym_counters(__u32 slot)
{
	return bpf_map_lookup_elem(&FS_MAP_SYM_STATS, &slot);
}

/*
 * Pointer to frame offset OFF, which the caller has checked is <= FS_PKT_OFF_MASK. The mask is
 * kept behind a compiler barrier: clang would drop it as redundant, and the verifier needs it to
 * bound the pointer arithmetic.
 */
static __always_inline __u8 *pkt_at(void *data, __u32 off)
{
	__u64 o = off;

	asm volatile("" : "+r"(o));
	return (__u8 *)data + (o & FS_PKT_OFF_MASK);
}

/* Symbols are 8 bytes (the NUL after them never differs): compare them as one word, BPF has no
 * memcmp. */
static __always_inline bool same_symbol(const struct fs_symbol *a, const struct fs_symbol *b)
{
	__u64 x, y;

	__builtin_memcpy(&x, a, sizeof(x));
	__builtin_memcpy(&y, b, sizeof(y));
	return x == y;
}

/*
 * A Stock Directory message passed: remember which symbol LOCATE stands for in this feed, and
 * whether it is subscribed. Runs for every symbol, subscribed or not, so a later subscription
 * takes effect at once. Only changed fields are written, to keep the entry's cache line clean.
 */
static __always_inline void learn_directory(__u8 feed, __u16 locate, const __u8 *stock,
					    struct fs_walk *w)
{
	__u32 key = (__u32)feed * FS_LOCATES_PER_FEED + locate;
	struct fs_symbol sym = {}; /* name[FS_SYMBOL_LEN] stays NUL */
	struct fs_locate *entry;
	struct fs_sub *sub;
	__u32 sub_val;

	entry = bpf_map_lookup_elem(&FS_MAP_LOCATES, &key);
	if (!entry)
		return;
	__builtin_memcpy(sym.name, stock, FS_SYMBOL_LEN);
	sub = bpf_map_lookup_elem(&FS_MAP_SUBS, &sym);
	sub_val = sub ? sub->slot + 1 : FS_LOCATE_NOT_SUBSCRIBED;

	if (!(entry->flags & FS_LOCATE_F_KNOWN) || !same_symbol(&entry->symbol, &sym)) {
		entry->symbol = sym;
		entry->flags = FS_LOCATE_F_KNOWN;
		w->learned++;
	}
	if (entry->sub != sub_val)
		entry->sub = sub_val;
	if (sub) {
		struct fs_sym_counters *sc = sym_counters(sub->slot);

		if (sc)
			sc->dir_seen++;
	}
}

/* Is message I (locate LOCATE) wanted? Also counts it for its symbol. */
static __always_inline bool match_message(const struct fs_group *g, __u16 locate)
{
	__u32 key = (__u32)g->feed * FS_LOCATES_PER_FEED + locate;
	struct fs_locate *entry = bpf_map_lookup_elem(&FS_MAP_LOCATES, &key);
	bool subscribed = entry && entry->sub != FS_LOCATE_NOT_SUBSCRIBED;

	if (subscribed) {
		struct fs_sym_counters *sc = sym_counters(entry->sub - 1);

		if (sc)
			sc->msgs_matched++;
	}
	return subscribed || (g->flags & FS_GROUP_F_ALL_SYMBOLS);
}

/*
 * Walk the blocks of the MoldUDP64 packet at PKT. Lengths are validated as scalars against the
 * payload end first; the pointer checks that follow exist for the verifier and never fail on a
 * frame that passed them. Any inconsistency stops the walk and marks the frame malformed, so no
 * byte is ever read as something it is not.
 */
static __always_inline void walk_mold_itch(void *data, void *data_end, const struct fs_pkt *pkt,
					   const struct fs_group *g, struct fs_walk *w)
{
	__u32 off = pkt->payload_off;
	__u32 end = pkt->payload_end;
	__u8 *p;
	__u32 i;

	if (off + MOLD_HDR_LEN > end || off > FS_PKT_OFF_MASK)
		goto malformed;
	p = pkt_at(data, off);
	if ((void *)(p + MOLD_HDR_LEN) > data_end)
		goto malformed;
	w->count = fs_be16(p + MOLD_OFF_COUNT);
	off += MOLD_HDR_LEN;
	if (w->count == MOLD_COUNT_HEARTBEAT || w->count == MOLD_COUNT_END_OF_SESSION)
		goto check_end;

	for (i = 0; i < FS_MAX_WALK; i++) {
		__u32 blen;
		__u16 locate;
		__u8 type;

		if (i >= w->count)
			break;
		/* count larger than the blocks present / block past the end / zero length */
		if (off + MOLD_BLOCK_HDR > end || off > FS_PKT_OFF_MASK)
			goto malformed;
		p = pkt_at(data, off);
		if ((void *)(p + MOLD_BLOCK_HDR + ITCH_MIN_READ_LEN) > data_end)
			goto malformed;
		blen = fs_be16(p);
		if (blen < ITCH_MIN_READ_LEN || off + MOLD_BLOCK_HDR + blen > end)
			goto malformed;

		type = p[MOLD_BLOCK_HDR + ITCH_OFF_TYPE];
		locate = fs_be16(p + MOLD_BLOCK_HDR + ITCH_OFF_LOCATE);
		if (type == ITCH_STOCK_DIRECTORY) {
			const __u8 *stock = p + MOLD_BLOCK_HDR + ITCH_R_OFF_STOCK;

			if (blen < ITCH_R_OFF_STOCK + FS_SYMBOL_LEN)
				goto malformed;
			if ((void *)(stock + FS_SYMBOL_LEN) > data_end)
				goto malformed;
			learn_directory(g->feed, locate, stock, w);
		}
		if (match_message(g, locate)) {
			w->match_bits[i / 64] |= 1ULL << (i % 64);
			w->matched++;
		}
		w->walked++;
		off += MOLD_BLOCK_HDR + blen;
	}
	if (w->count > FS_MAX_WALK) {
		w->overflow = true;
		return;
	}
check_end:
	/* MoldUDP64 has no padding: bytes after the last block mean the count is wrong. */
	if (off != end)
		goto malformed;
	return;
malformed:
	w->malformed = true;
}

#endif /* FEEDSIEVE_MOLD_ITCH_BPF_H */
