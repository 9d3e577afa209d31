/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The CME MDP 3.0 passes of the XDP program (packet-sequenced: one sequence number, MsgSeqNum,
 * per packet; instrument keys, SecurityIDs, in message roots or in the entries of a message's
 * first repeating group). What each template holds comes from the table in
 * feedsieve/wire_mdp3.h, read here as data: no code is written per template.
 */
#ifndef FEEDSIEVE_PROTO_MDP3_BPF_H
#define FEEDSIEVE_PROTO_MDP3_BPF_H

#include "feedsieve/parse.h"
#include "feedsieve/mdp3_templates.h"
#include "feedsieve/symbol.h"
#include "maps.bpf.h"
#include "walk.bpf.h"
#include "directory.bpf.h"

/* Messages a payload can hold: each takes at least its 10-byte header. */
#define MDP3_MAX_MSGS ((FS_PKT_OFF_MASK + 1) / MDP3_MSG_HDR_LEN + 1)
/* Steps of the match pass: one per message, and one per entry key up to the walk bound. */
#define MDP3_MAX_STEPS (MDP3_MAX_MSGS + FS_MAX_WALK)

/* State of both passes, handed to each bpf_loop() step. */
struct mdp3_ctx {
	struct xdp_md *xdp;
	const struct fs_group *g;
	struct fs_walk *w;
};

/*
 * Check the framing of one message at w->c.off and step over it; returns 1 to stop (at the end
 * of the payload, or malformed). Its keys are added to w->c.keys only once all of it passed.
 */
static long mdp3_validate_one(__u32 i, void *arg)
{
	struct mdp3_ctx *v = arg;
	void *data = (void *)(long)v->xdp->data;
	void *data_end = (void *)(long)v->xdp->data_end;
	struct fs_walk *w = v->w;
	const struct mdp3_template *t;
	__u32 off = w->c.off, end = w->c.end, msg_end, size, blen, cur, keys = 0;
	__u8 *p;
	int gi;

	(void)i;
	if (off == end)
		return 1;
	/* bytes after the last message that do not form one / past the end / too short */
	if (off + MDP3_MSG_HDR_LEN > end || off > FS_PKT_OFF_MASK)
		goto malformed;
	p = pkt_at(data, off);
	if ((void *)(p + MDP3_MSG_HDR_LEN) > data_end)
		goto malformed;
	size = fs_le16(p + MDP3_OFF_MSG_SIZE);
	blen = fs_le16(p + MDP3_OFF_BLOCK_LENGTH);
	msg_end = off + size;
	if (size < MDP3_MSG_HDR_LEN || msg_end > end || MDP3_MSG_HDR_LEN + blen > size)
		goto malformed;
	t = mdp3_template(fs_le16(p + MDP3_OFF_TEMPLATE));
	if (!t)
		goto next; /* unknown: stepped over by MsgSize, no keys */

	/* Fields are read at the table's offsets only inside the block as sent. */
	if (t->key_place == MDP3_KEY_ROOT) {
		if (blen < (__u32)t->key_off + 4)
			goto malformed;
		keys = 1;
	}
	if (t->definition && blen < MDP3_DEF_MIN_ROOT)
		goto malformed;
	cur = off + MDP3_MSG_HDR_LEN + blen;
	for (gi = 0; gi < MDP3_MAX_GROUPS; gi++) {
		__u32 hdr = t->group_hdr[gi], glen, num;
		__u8 *gp;

		if (gi >= t->groups)
			break;
		/* An older version ends the message before the groups it does not have yet
		 * (46's OrderID group exists from version 7 on); the keyed group it always has. */
		if (cur == msg_end && !(gi == 0 && t->key_place == MDP3_KEY_ENTRY))
			break;
		if (cur + hdr > msg_end || cur > FS_PKT_OFF_MASK)
			goto malformed;
		gp = pkt_at(data, cur);
		if (hdr == MDP3_GROUP_HDR_8) {
			if ((void *)(gp + MDP3_GROUP_HDR_8) > data_end)
				goto malformed;
			num = gp[MDP3_GROUP8_OFF_NUM];
		} else {
			if ((void *)(gp + MDP3_GROUP_HDR) > data_end)
				goto malformed;
			num = gp[MDP3_GROUP_OFF_NUM];
		}
		glen = fs_le16(gp + MDP3_GROUP_OFF_BLEN);
		if (cur + hdr + num * glen > msg_end)
			goto malformed;
		/* An empty group has no entry to read a key from, whatever its blockLength. */
		if (gi == 0 && t->key_place == MDP3_KEY_ENTRY) {
			if (num && glen < (__u32)t->key_off + 4)
				goto malformed;
			keys = num;
		}
		cur += hdr + num * glen;
	}
	/* Bytes left before msg_end are legal: a newer version may have appended a group. */
next:
	w->c.keys += keys;
	w->c.off = msg_end;
	return 0;
malformed:
	w->malformed = true;
	return 1;
}

/*
 * Pass 1: the packet header and the framing of every message, no lookups. Sets the frame's
 * sequence number and session: a packet with MsgSeqNum 1 starts a session named by its
 * SendingTime (lines A and B carry the same bytes, so both name it alike); any other packet is
 * of the channel's current session, or starts one named by 8 zero bytes when it has none.
 * Counts the keys: past FS_MAX_WALK the frame is an overflow, whose later keys the match pass
 * does not examine.
 */
static __always_inline void mdp3_validate(struct xdp_md *xdp, const struct fs_pkt *pkt,
					  struct fs_walk *w)
{
	void *data = (void *)(long)xdp->data;
	void *data_end = (void *)(long)xdp->data_end;
	struct mdp3_ctx v = {.xdp = xdp, .w = w};
	__u32 off = pkt->payload_off;
	__u8 *p;

	w->c.end = pkt->payload_end;
	if (off + MDP3_PKT_HDR_LEN > w->c.end || off > FS_PKT_OFF_MASK)
		goto malformed;
	p = pkt_at(data, off);
	if ((void *)(p + MDP3_PKT_HDR_LEN) > data_end)
		goto malformed;
	w->seq = fs_le32(p + MDP3_OFF_SEQ);
	w->seq_count = 1;
	w->seq_next = w->seq + 1;
	w->counts_reset = true;
	if (w->seq == 1) {
		w->session_hash = fs_session_hash(p + MDP3_OFF_SENDING_TIME, 8);
		w->may_start = true;
		w->names_restart = true;
	} else {
		__u8 none[8] = {};

		w->session_hash = fs_session_hash(none, sizeof(none));
		w->joins_session = true;
	}
	w->c.off = off + MDP3_PKT_HDR_LEN;
	bpf_loop(MDP3_MAX_MSGS, mdp3_validate_one, &v, 0);
	w->walked = w->c.keys < FS_MAX_WALK ? w->c.keys : FS_MAX_WALK;
	if (w->malformed)
		return;
	if (w->c.off != w->c.end)
		goto malformed;
	w->overflow = w->c.keys > FS_MAX_WALK;
	return;
malformed:
	w->malformed = true;
}

/* Key K of the frame is instrument ID: mark it when wanted. */
static __always_inline void mdp3_key(const struct fs_group *g, struct fs_walk *w, __u32 k, __u32 id)
{
	if (want_mark(g, dir_id_mark(FS_PROTO_MDP3, g->feed, id, w->bank))) {
		set_bit(w->match_bits, k);
		w->matched++;
		w->deliver = true;
	}
}

/*
 * One step of pass 2: the next entry of a keyed group, or else the next message. Returns 1 to
 * stop: at the end of the payload, or at the walk bound.
 */
static long mdp3_match_one(__u32 i, void *arg)
{
	struct mdp3_ctx *m = arg;
	void *data = (void *)(long)m->xdp->data;
	void *data_end = (void *)(long)m->xdp->data_end;
	const struct fs_group *g = m->g;
	struct fs_walk *w = m->w;
	const struct mdp3_template *t;
	__u32 off = w->c.off, k = w->c.keys, blen, hdr;
	__u8 *p;

	(void)i;
	if (w->c.item < w->c.items) {
		if (k >= w->walked)
			return 1;
		off += w->c.key_off;
		if (off > FS_PKT_OFF_MASK)
			return 1;
		p = pkt_at(data, off);
		if ((void *)(p + 4) > data_end)
			return 1;
		mdp3_key(g, w, k, fs_le32(p));
		w->c.keys = k + 1;
		w->c.item++;
		w->c.off += w->c.item_len;
		if (w->c.item == w->c.items)
			w->c.off = w->c.msg_end;
		return 0;
	}
	if (off >= w->c.end || off > FS_PKT_OFF_MASK)
		return 1;
	p = pkt_at(data, off);
	if ((void *)(p + MDP3_MSG_HDR_LEN) > data_end)
		return 1;
	w->c.msg_end = off + fs_le16(p + MDP3_OFF_MSG_SIZE);
	w->c.off = w->c.msg_end; /* unless entries follow */
	blen = fs_le16(p + MDP3_OFF_BLOCK_LENGTH);
	t = mdp3_template(fs_le16(p + MDP3_OFF_TEMPLATE));
	off += MDP3_MSG_HDR_LEN; /* the root block */
	if (!t)
		return 0; /* no keys; delivered only where the group takes all symbols */
	if (t->key_place == MDP3_KEY_NONE) {
		w->deliver = true; /* about no instrument: every channel needs it */
		return 0;
	}
	if (t->key_place == MDP3_KEY_ROOT) {
		__u32 key = off + t->key_off;

		if (k >= w->walked || key > FS_PKT_OFF_MASK)
			return 1;
		if (t->definition && (g->flags & FS_GROUP_F_DEFINITIONS)) {
			struct fs_symbol sym;
			__u8 *root;

			if (off > FS_PKT_OFF_MASK)
				return 1;
			root = pkt_at(data, off);
			if ((void *)(root + MDP3_DEF_MIN_ROOT) > data_end)
				return 1;
			fs_symbol_from_wire(&sym, root + MDP3_DEF_OFF_SYMBOL, MDP3_SYMBOL_LEN);
			dir_learn_id(FS_PROTO_MDP3, g->feed,
				     fs_le32(root + MDP3_DEF_OFF_SECURITY_ID), &sym, w);
		}
		p = pkt_at(data, key);
		if ((void *)(p + 4) > data_end)
			return 1;
		mdp3_key(g, w, k, fs_le32(p));
		w->c.keys = k + 1;
		return 0;
	}
	/* MDP3_KEY_ENTRY: the first group's header follows the root. */
	off += blen;
	if (off > FS_PKT_OFF_MASK)
		return 1;
	p = pkt_at(data, off);
	hdr = t->group_hdr[0];
	if (hdr == MDP3_GROUP_HDR_8) {
		if ((void *)(p + MDP3_GROUP_HDR_8) > data_end)
			return 1;
		w->c.items = p[MDP3_GROUP8_OFF_NUM];
	} else {
		if ((void *)(p + MDP3_GROUP_HDR) > data_end)
			return 1;
		w->c.items = p[MDP3_GROUP_OFF_NUM];
	}
	w->c.item = 0;
	w->c.item_len = fs_le16(p + MDP3_GROUP_OFF_BLEN);
	w->c.key_off = t->key_off;
	if (w->c.items)
		w->c.off = off + hdr;
	return 0;
}

/*
 * Pass 2, over a packet pass 1 accepted and this frame brought first: walk the keys in wire
 * order (a root key, or each entry of the first group), learn definitions on a definitions group
 * (before matching, so a definition of a subscribed instrument is itself delivered), and mark the
 * wanted keys. One flat loop over messages and entries: a nested bpf_loop() is not needed.
 */
static __always_inline void mdp3_match(struct xdp_md *xdp, const struct fs_pkt *pkt,
				       const struct fs_group *g, struct fs_walk *w)
{
	struct mdp3_ctx m = {.xdp = xdp, .g = g, .w = w};

	w->c.off = pkt->payload_off + MDP3_PKT_HDR_LEN;
	w->c.keys = 0;
	w->c.item = 0;
	w->c.items = 0;
	bpf_loop(MDP3_MAX_STEPS, mdp3_match_one, &m, 0);
	if (g->flags & FS_GROUP_F_ALL_SYMBOLS)
		w->deliver = true;
}

#endif /* FEEDSIEVE_PROTO_MDP3_BPF_H */
