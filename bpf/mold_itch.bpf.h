/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The MoldUDP64 / ITCH 5.0 decoder of the XDP program: walks every message block of a packet,
 * learns Stock Directory entries, and marks the messages whose locate is subscribed.
 */
#ifndef FEEDSIEVE_MOLD_ITCH_BPF_H
#define FEEDSIEVE_MOLD_ITCH_BPF_H

#include "feedsieve/parse.h"
#include "feedsieve/wire_itch.h"
#include "feedsieve/symbol.h"
#include "maps.bpf.h"

/*
 * What the walk found in one frame. It lives in a per-CPU scratch map value, not on the stack:
 * the verifier does not track values loaded from map memory, so the bpf_loop() passes below
 * converge after one step instead of being explored once per possible iteration count. XDP runs
 * with bottom halves disabled and is never re-entered on a CPU, so one scratch value per CPU is
 * enough.
 */
struct fs_walk {
	__u64 match_bits[FS_MAX_WALK / 64]; /* message i new and wanted */
	__u64 new_bits[FS_MAX_WALK / 64];   /* message i brought first by this frame */
	__u64 seq;                          /* MoldUDP64 sequence number of message 0 */
	__u64 session_hash;
	__u32 off; /* cursor of the current pass */
	__u32 end; /* payload end */
	__u32 walked;
	__u32 matched;
	__u32 learned;
	__u32 new_count;
	__u32 too_late;
	__u16 count; /* MoldUDP64 message count */
	__u8 bank;   /* the configuration bank this frame is judged by */
	bool malformed;
	bool overflow; /* count > FS_MAX_WALK: blocks past the bound not examined */
};

static __always_inline bool bit_set(const __u64 *bits, __u32 i)
{
	return bits[(i / 64) & 1] & (1ULL << (i % 64));
}

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

/* The mark LOCATE must carry in BANK, from that bank's subscription (or none). */
static __always_inline void set_mark(struct fs_instrument *entry, const struct fs_sub *sub, __u32 bank)
{
	__u32 mark = sub ? sub->slot + 1 : FS_INST_NOT_SUBSCRIBED;

	/* An exchange, not a store: it orders the symbol written before it against user space's
	 * re-marking, which writes a mark and then re-reads the symbol (user/lib/commit.c). One of
	 * the two always sees the other's write, so the mark left matches the symbol. */
	__sync_lock_test_and_set(&entry->sub[bank], mark);
}

/*
 * A Stock Directory message passed: remember which symbol LOCATE stands for in this feed, and
 * its mark in both banks (from each bank's subscriptions now), so a bank made live later is
 * already right. Runs for every symbol, subscribed or not, so a later subscription takes effect
 * at once.
 */
static __always_inline void learn_directory(__u8 feed, __u16 locate, const __u8 *stock,
					    struct fs_walk *w)
{
	__u32 key = (__u32)feed * FS_LOCATES_PER_FEED + locate;
	struct fs_symbol sym;
	struct fs_sub *sub0, *sub1, *live;
	struct fs_instrument *entry;

	entry = bpf_map_lookup_elem(&FS_MAP_INSTRUMENTS, &key);
	if (!entry)
		return;
	fs_symbol_from_wire(&sym, stock, ITCH_SYMBOL_LEN);
	sub0 = bpf_map_lookup_elem(&FS_MAP_SUBS_0, &sym);
	sub1 = bpf_map_lookup_elem(&FS_MAP_SUBS_1, &sym);

	if (!(entry->flags & FS_INST_F_KNOWN) || !fs_symbol_eq(&entry->symbol, &sym)) {
		entry->symbol = sym;
		entry->flags = FS_INST_F_KNOWN;
		w->learned++;
	}
	set_mark(entry, sub0, 0);
	set_mark(entry, sub1, 1);
	live = w->bank & 1 ? sub1 : sub0;
	if (live) {
		struct fs_sym_counters *sc = sym_counters(live->slot);

		if (sc)
			sc->dir_seen++;
	}
}

/* Is message I (locate LOCATE) wanted? Also counts it for its symbol. */
static __always_inline bool match_message(const struct fs_group *g, __u16 locate, __u32 bank)
{
	__u32 key = (__u32)g->feed * FS_LOCATES_PER_FEED + locate;
	struct fs_instrument *entry = bpf_map_lookup_elem(&FS_MAP_INSTRUMENTS, &key);
	__u32 mark = entry ? entry->sub[bank & 1] : FS_INST_NOT_SUBSCRIBED;

	if (mark != FS_INST_NOT_SUBSCRIBED) {
		struct fs_sym_counters *sc = sym_counters(mark - 1);

		if (sc)
			sc->msgs_matched++;
	}
	return mark != FS_INST_NOT_SUBSCRIBED || (g->flags & FS_GROUP_F_ALL_SYMBOLS);
}

/* State of pass 1, handed to each bpf_loop() step. */
struct fs_validate_ctx {
	struct xdp_md *xdp;
	struct fs_walk *w;
};

/* Check the framing of one block; returns 1 to stop (the frame is then malformed). */
static long mold_validate_one(__u32 i, void *arg)
{
	struct fs_validate_ctx *v = arg;
	void *data = (void *)(long)v->xdp->data;
	void *data_end = (void *)(long)v->xdp->data_end;
	__u32 off = v->w->off, end = v->w->end, blen;
	__u8 *p;

	(void)i;
	/* count larger than the blocks present / block past the end / zero length */
	if (off + MOLD_BLOCK_HDR > end || off > FS_PKT_OFF_MASK)
		goto malformed;
	p = pkt_at(data, off);
	if ((void *)(p + MOLD_BLOCK_HDR + ITCH_MIN_READ_LEN) > data_end)
		goto malformed;
	blen = fs_be16(p);
	if (blen < ITCH_MIN_READ_LEN || off + MOLD_BLOCK_HDR + blen > end)
		goto malformed;
	if (p[MOLD_BLOCK_HDR + ITCH_OFF_TYPE] == ITCH_STOCK_DIRECTORY &&
	    blen < ITCH_R_OFF_STOCK + ITCH_SYMBOL_LEN)
		goto malformed;
	v->w->walked++;
	v->w->off = off + MOLD_BLOCK_HDR + blen;
	return 0;
malformed:
	v->w->malformed = true;
	return 1;
}

/*
 * Pass 1: the MoldUDP64 header and the framing of the blocks, no lookups. Lengths are validated
 * as scalars against the payload end first; the pointer checks that follow exist for the verifier
 * and never fail on a frame that passed them. Any inconsistency marks the frame malformed, and
 * nothing of a malformed frame is claimed or matched, so no byte is read as something it is not.
 */
static __always_inline void mold_validate(struct xdp_md *xdp, const struct fs_pkt *pkt,
					  struct fs_walk *w)
{
	void *data = (void *)(long)xdp->data;
	void *data_end = (void *)(long)xdp->data_end;
	struct fs_validate_ctx v = {.xdp = xdp, .w = w};
	__u32 off = pkt->payload_off;
	__u8 *p;

	w->end = pkt->payload_end;
	if (off + MOLD_HDR_LEN > w->end || off > FS_PKT_OFF_MASK)
		goto malformed;
	p = pkt_at(data, off);
	if ((void *)(p + MOLD_HDR_LEN) > data_end)
		goto malformed;
	w->count = fs_be16(p + MOLD_OFF_COUNT);
	w->seq = fs_be64(p + MOLD_OFF_SEQ);
	w->session_hash = fs_session_hash(p + MOLD_OFF_SESSION, MOLD_SESSION_LEN);
	w->off = off + MOLD_HDR_LEN;
	if (w->count != MOLD_COUNT_HEARTBEAT && w->count != MOLD_COUNT_END_OF_SESSION) {
		bpf_loop(w->count < FS_MAX_WALK ? w->count : FS_MAX_WALK, mold_validate_one, &v, 0);
		if (w->malformed)
			return;
		if (w->count > FS_MAX_WALK) {
			/* More blocks are announced: the payload must hold at least one more. */
			if (w->off >= w->end)
				goto malformed;
			w->overflow = true;
			return;
		}
	}
	/* MoldUDP64 has no padding: bytes after the last block mean the count is wrong. */
	if (w->off != w->end)
		goto malformed;
	return;
malformed:
	w->malformed = true;
}

/* State of pass 2, handed to each bpf_loop() step. */
struct fs_match_ctx {
	struct xdp_md *xdp;
	const struct fs_group *g;
	struct fs_walk *w;
};

/* One message of pass 2; returns 1 to stop. */
static long mold_match_one(__u32 i, void *arg)
{
	struct fs_match_ctx *m = arg;
	void *data = (void *)(long)m->xdp->data;
	void *data_end = (void *)(long)m->xdp->data_end;
	struct fs_walk *w = m->w;
	__u32 off = w->off, blen;
	__u16 locate;
	__u8 type, *p;

	if (off > FS_PKT_OFF_MASK)
		return 1;
	p = pkt_at(data, off);
	if ((void *)(p + MOLD_BLOCK_HDR + ITCH_MIN_READ_LEN) > data_end)
		return 1;
	blen = fs_be16(p);
	w->off = off + MOLD_BLOCK_HDR + blen;
	if (!bit_set(w->new_bits, i))
		return 0;

	type = p[MOLD_BLOCK_HDR + ITCH_OFF_TYPE];
	locate = fs_be16(p + MOLD_BLOCK_HDR + ITCH_OFF_LOCATE);
	if (type == ITCH_STOCK_DIRECTORY) {
		const __u8 *stock = p + MOLD_BLOCK_HDR + ITCH_R_OFF_STOCK;

		if ((void *)(stock + ITCH_SYMBOL_LEN) > data_end)
			return 1;
		learn_directory(m->g->feed, locate, stock, w);
	}
	if (match_message(m->g, locate, w->bank)) {
		w->match_bits[(i / 64) & 1] |= 1ULL << (i % 64);
		w->matched++;
	}
	return 0;
}

/*
 * Pass 2, over a frame pass 1 accepted: learn Stock Directory entries and mark the wanted
 * messages, for the messages this frame brought first (w->new_bits); the copies another line
 * brought first were learned and counted when that copy passed. A bpf_loop() body is verified
 * once, where an open loop of FS_MAX_WALK steps with lookups would be verified step by step.
 */
static __always_inline void mold_match(struct xdp_md *xdp, const struct fs_pkt *pkt,
				       const struct fs_group *g, struct fs_walk *w)
{
	struct fs_match_ctx m = {.xdp = xdp, .g = g, .w = w};

	w->off = pkt->payload_off + MOLD_HDR_LEN;
	if (w->walked)
		bpf_loop(w->walked, mold_match_one, &m, 0);
}

#endif /* FEEDSIEVE_MOLD_ITCH_BPF_H */
