/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The MoldUDP64 / ITCH 5.0 passes of the XDP program (message-sequenced: one sequence number and
 * one instrument key, the locate, per message): walks every message block of a packet, learns
 * Stock Directory entries, and marks the messages whose locate is subscribed.
 */
#ifndef FEEDSIEVE_PROTO_ITCH_BPF_H
#define FEEDSIEVE_PROTO_ITCH_BPF_H

#include "feedsieve/parse.h"
#include "feedsieve/wire_itch.h"
#include "feedsieve/symbol.h"
#include "maps.bpf.h"
#include "walk.bpf.h"
#include "directory.bpf.h"

/* Is message I (locate LOCATE) wanted? Also counts it for its symbol. */
static __always_inline bool match_message(const struct fs_group *g, __u16 locate, __u32 bank)
{
	return want_mark(g, dir_locate_mark(g->feed, locate, bank));
}

/* State of pass 1, handed to each bpf_loop() step. */
struct mold_validate_ctx {
	struct xdp_md *xdp;
	struct fs_walk *w;
};

/* Check the framing of one block; returns 1 to stop (the frame is then malformed). */
static long mold_validate_one(__u32 i, void *arg)
{
	struct mold_validate_ctx *v = arg;
	void *data = (void *)(long)v->xdp->data;
	void *data_end = (void *)(long)v->xdp->data_end;
	__u32 off = v->w->c.off, end = v->w->c.end, blen;
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
	v->w->c.off = off + MOLD_BLOCK_HDR + blen;
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
	struct mold_validate_ctx v = {.xdp = xdp, .w = w};
	__u32 off = pkt->payload_off;
	__u16 count;
	__u8 *p;

	w->c.end = pkt->payload_end;
	if (off + MOLD_HDR_LEN > w->c.end || off > FS_PKT_OFF_MASK)
		goto malformed;
	p = pkt_at(data, off);
	if ((void *)(p + MOLD_HDR_LEN) > data_end)
		goto malformed;
	count = fs_be16(p + MOLD_OFF_COUNT);
	w->seq = fs_be64(p + MOLD_OFF_SEQ);
	w->session_hash = fs_session_hash(p + MOLD_OFF_SESSION, MOLD_SESSION_LEN);
	/* A frame of another session than the channel's starts a new one only near its start. */
	w->may_start = w->seq < FS_SEQ_WINDOW;
	w->c.off = off + MOLD_HDR_LEN;
	if (count == MOLD_COUNT_HEARTBEAT || count == MOLD_COUNT_END_OF_SESSION) {
		w->kind =
		    count == MOLD_COUNT_HEARTBEAT ? FS_FRAME_HEARTBEAT : FS_FRAME_END_OF_SESSION;
		w->seq_next = w->seq; /* the next sequence number the publisher will use */
	} else {
		bpf_loop(count < FS_MAX_WALK ? count : FS_MAX_WALK, mold_validate_one, &v, 0);
		/* One key and one sequence number per message examined. */
		w->seq_count = w->walked;
		w->seq_next = w->seq + count;
		if (w->malformed)
			return;
		if (count > FS_MAX_WALK) {
			/* More blocks are announced: the payload must hold at least one more. */
			if (w->c.off >= w->c.end)
				goto malformed;
			w->overflow = true;
			return;
		}
	}
	/* MoldUDP64 has no padding: bytes after the last block mean the count is wrong. */
	if (w->c.off != w->c.end)
		goto malformed;
	return;
malformed:
	w->malformed = true;
}

/* State of pass 2, handed to each bpf_loop() step. */
struct mold_match_ctx {
	struct xdp_md *xdp;
	const struct fs_group *g;
	struct fs_walk *w;
};

/* One message of pass 2; returns 1 to stop. */
static long mold_match_one(__u32 i, void *arg)
{
	struct mold_match_ctx *m = arg;
	void *data = (void *)(long)m->xdp->data;
	void *data_end = (void *)(long)m->xdp->data_end;
	struct fs_walk *w = m->w;
	__u32 off = w->c.off, blen;
	__u16 locate;
	__u8 type, *p;

	if (off > FS_PKT_OFF_MASK)
		return 1;
	p = pkt_at(data, off);
	if ((void *)(p + MOLD_BLOCK_HDR + ITCH_MIN_READ_LEN) > data_end)
		return 1;
	blen = fs_be16(p);
	w->c.off = off + MOLD_BLOCK_HDR + blen;
	if (!bit_set(w->new_bits, i))
		return 0;

	type = p[MOLD_BLOCK_HDR + ITCH_OFF_TYPE];
	locate = fs_be16(p + MOLD_BLOCK_HDR + ITCH_OFF_LOCATE);
	if (type == ITCH_STOCK_DIRECTORY) {
		const __u8 *stock = p + MOLD_BLOCK_HDR + ITCH_R_OFF_STOCK;
		struct fs_symbol sym;

		if ((void *)(stock + ITCH_SYMBOL_LEN) > data_end)
			return 1;
		fs_symbol_from_wire(&sym, stock, ITCH_SYMBOL_LEN);
		dir_learn_locate(m->g->feed, locate, &sym, w);
	}
	if (match_message(m->g, locate, w->bank)) {
		set_bit(w->match_bits, i);
		w->matched++;
		w->deliver = true;
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
	struct mold_match_ctx m = {.xdp = xdp, .g = g, .w = w};

	w->c.off = pkt->payload_off + MOLD_HDR_LEN;
	if (w->walked)
		bpf_loop(w->walked, mold_match_one, &m, 0);
}

#endif /* FEEDSIEVE_PROTO_ITCH_BPF_H */
