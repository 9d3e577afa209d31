/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The NYSE XDP Integrated Feed passes of the XDP program (message-sequenced: message i of a
 * packet has sequence number SeqNum + i and is instrument key i). Most messages name their
 * instrument by a 32-bit SymbolIndex, which Symbol Index Mapping messages (type 3) tie to a
 * symbol: the program learns them into the id-keyed directory, as MDP3 definitions, so a
 * subscription by name made before or after the mapping both work.
 *
 * The DeliveryFlag tells live packets (the channel's sequence) from retransmissions and refresh
 * (out of band: matched and delivered flagged, never claimed in the live window, so a later live
 * copy of the same sequence number is still new). A flag we do not know makes the packet
 * malformed: we could not tell whether it is live.
 */
#ifndef FEEDSIEVE_PROTO_NYSE_BPF_H
#define FEEDSIEVE_PROTO_NYSE_BPF_H

#include "feedsieve/parse.h"
#include "feedsieve/seqwin.h"
#include "feedsieve/symbol.h"
#include "feedsieve/wire_nyse.h"
#include "maps.bpf.h"
#include "walk.bpf.h"
#include "directory.bpf.h"

/* What a DeliveryFlag makes of a packet. */
enum nyse_flag_class {
	NYSE_FLAG_BAD = 0,
	NYSE_FLAG_LIVE,
	NYSE_FLAG_OUT_OF_BAND,
};

static __always_inline enum nyse_flag_class nyse_flag_class(__u8 flag)
{
	switch (flag) {
	case NYSE_DF_HEARTBEAT:
	case NYSE_DF_FAILOVER:
	case NYSE_DF_ORIGINAL:
	case NYSE_DF_SEQ_RESET:
		return NYSE_FLAG_LIVE;
	case NYSE_DF_RETRANS_ONE:
	case NYSE_DF_RETRANS_PART:
	case NYSE_DF_REFRESH_ONE:
	case NYSE_DF_REFRESH_START:
	case NYSE_DF_REFRESH_PART:
	case NYSE_DF_REFRESH_END:
	case NYSE_DF_UNAVAILABLE:
		return NYSE_FLAG_OUT_OF_BAND;
	default:
		return NYSE_FLAG_BAD;
	}
}

/* State of both passes, handed to each bpf_loop() step. */
struct nyse_ctx {
	struct xdp_md *xdp;
	const struct fs_group *g;
	struct fs_walk *w;
};

/* Check the framing of one message; returns 1 to stop (the frame is then malformed). */
static long nyse_validate_one(__u32 i, void *arg)
{
	struct nyse_ctx *v = arg;
	void *data = (void *)(long)v->xdp->data;
	void *data_end = (void *)(long)v->xdp->data_end;
	struct fs_walk *w = v->w;
	__u32 off = w->c.off, end = w->c.end, size, key_off;
	__u16 type;
	__u8 *p;

	/* NumberMsgs larger than the messages present / past the end */
	if (off + NYSE_MSG_HDR_LEN > end || off > FS_PKT_OFF_MASK)
		goto malformed;
	p = pkt_at(data, off);
	if ((void *)(p + NYSE_MSG_HDR_LEN) > data_end)
		goto malformed;
	size = fs_le16(p + NYSE_OFF_MSG_SIZE);
	type = fs_le16(p + NYSE_OFF_MSG_TYPE);
	if (size < NYSE_MSG_HDR_LEN || off + size > end)
		goto malformed;
	/* Too short for the SymbolIndex (or, for a mapping, the Symbol) its type carries. Unknown
	 * types have none: stepped over by MsgSize. */
	key_off = nyse_symbol_index_off(type);
	if (key_off != NYSE_KEY_NONE && size < key_off + 4)
		goto malformed;
	if (type == NYSE_T_SYMBOL_MAPPING && size < NYSE_MAP_MIN_LEN)
		goto malformed;
	if (i < FS_MAX_WALK)
		w->walked++;
	w->c.off = off + size;
	return 0;
malformed:
	w->malformed = true;
	return 1;
}

/*
 * Pass 1: the packet header and the framing of the messages, no lookups. PktSize must be the
 * whole UDP payload, and the messages must fill it exactly. Sets the frame's kind (live data,
 * heartbeat, out of band), sequence numbers and session: a Sequence Number Reset packet (flag 12)
 * may start a session named by its SendTime (both lines carry the same bytes); every other packet
 * is of the channel's current session (8 zero bytes name one joined mid-stream), as for MDP3.
 */
static __always_inline void nyse_validate(struct xdp_md *xdp, const struct fs_pkt *pkt,
					  struct fs_walk *w)
{
	void *data = (void *)(long)xdp->data;
	void *data_end = (void *)(long)xdp->data_end;
	struct nyse_ctx v = {.xdp = xdp, .w = w};
	__u32 off = pkt->payload_off;
	enum nyse_flag_class fc;
	__u8 count, flag, *p;

	w->c.end = pkt->payload_end;
	if (off + NYSE_PKT_HDR_LEN > w->c.end || off > FS_PKT_OFF_MASK)
		goto malformed;
	p = pkt_at(data, off);
	if ((void *)(p + NYSE_PKT_HDR_LEN) > data_end)
		goto malformed;
	if (fs_le16(p + NYSE_OFF_PKT_SIZE) != w->c.end - off)
		goto malformed;
	flag = p[NYSE_OFF_DELIVERY_FLAG];
	fc = nyse_flag_class(flag);
	if (fc == NYSE_FLAG_BAD)
		goto malformed;
	count = p[NYSE_OFF_NUM_MSGS];
	w->seq = fs_le32(p + NYSE_OFF_SEQ);
	w->counts_reset = true;
	if (flag == NYSE_DF_SEQ_RESET) {
		w->session_hash = fs_session_hash(p + NYSE_OFF_SEND_TIME, 8);
		w->may_start = true;
		w->names_restart = true;
	} else {
		__u8 none[8] = {};

		w->session_hash = fs_session_hash(none, sizeof(none));
		w->joins_session = true;
	}
	w->c.off = off + NYSE_PKT_HDR_LEN;
	if (!count) {
		/* A live packet without messages: SeqNum may be the last number sent or the next
		 * one, so the mark is raised only to SeqNum (never too far). An out-of-band one
		 * says nothing of the live sequence: not a heartbeat, and nothing to deliver. */
		w->kind = fc == NYSE_FLAG_LIVE ? FS_FRAME_HEARTBEAT : FS_FRAME_OUT_OF_BAND;
		w->seq_next = w->seq;
		goto trailing;
	}
	if (fc == NYSE_FLAG_OUT_OF_BAND)
		w->kind = FS_FRAME_OUT_OF_BAND;
	/* Every message's framing is checked, past the walk bound too (NumberMsgs is 8 bits), as
	 * the library does: a packet is malformed or not whatever its length. */
	bpf_loop(count, nyse_validate_one, &v, 0);
	/* One key and one sequence number per message examined. */
	w->seq_count = w->walked;
	w->seq_next = w->seq + count;
	if (w->malformed)
		return;
	/* Messages past the bound are not examined: the frame is delivered whole. */
	w->overflow = count > FS_MAX_WALK;
trailing:
	/* Messages are not padded: bytes after the last one mean NumberMsgs is wrong. */
	if (w->c.off != w->c.end)
		goto malformed;
	return;
malformed:
	w->malformed = true;
}

/* Message I (type TYPE, SymbolIndex at KEY_OFF from P, or none) is wanted: mark it. */
static __always_inline bool nyse_wanted(const struct fs_group *g, const struct fs_walk *w,
					const __u8 *p, void *data_end, __u16 type, __u32 key_off)
{
	const __u8 *key = p + key_off;

	if (key_off == NYSE_KEY_NONE)
		return nyse_is_control(type) || (g->flags & FS_GROUP_F_ALL_SYMBOLS);
	if ((void *)(key + 4) > data_end)
		return false; /* cannot happen: pass 1 checked the message holds it */
	return want_mark(g, dir_id_mark(FS_PROTO_NYSE_XDP, g->feed, fs_le32(key), w->bank));
}

/* One message of pass 2; returns 1 to stop. */
static long nyse_match_one(__u32 i, void *arg)
{
	struct nyse_ctx *m = arg;
	void *data = (void *)(long)m->xdp->data;
	void *data_end = (void *)(long)m->xdp->data_end;
	const struct fs_group *g = m->g;
	struct fs_walk *w = m->w;
	__u32 off = w->c.off, key_off;
	__u16 type;
	__u8 *p;

	if (off > FS_PKT_OFF_MASK)
		return 1;
	p = pkt_at(data, off);
	if ((void *)(p + NYSE_MSG_HDR_LEN) > data_end)
		return 1;
	w->c.off = off + fs_le16(p + NYSE_OFF_MSG_SIZE);
	if (!bit_set(w->new_bits, i))
		return 0;

	type = fs_le16(p + NYSE_OFF_MSG_TYPE);
	if (type == NYSE_T_SYMBOL_MAPPING) {
		struct fs_symbol sym;

		if ((void *)(p + NYSE_MAP_MIN_LEN) > data_end)
			return 1;
		fs_symbol_from_wire(&sym, p + NYSE_MAP_OFF_SYMBOL, NYSE_SYMBOL_LEN);
		dir_learn_id(FS_PROTO_NYSE_XDP, g->feed, fs_le32(p + NYSE_MAP_OFF_SYMBOL_INDEX),
			     &sym, w);
	}
	key_off = nyse_symbol_index_off(type);
	if (nyse_wanted(g, w, p, data_end, type, key_off)) {
		set_bit(w->match_bits, i);
		w->matched++;
		w->deliver = true;
	}
	return 0;
}

/*
 * Pass 2, over the messages this frame brought first (w->new_bits; every message of an
 * out-of-band frame): learn Symbol Index Mappings on any NYSE group (before the mapping's own
 * key is matched, so the mapping of a subscribed symbol is delivered), and mark the wanted
 * messages: control messages always, others by their SymbolIndex's mark, everything on an
 * all-symbols group.
 */
static __always_inline void nyse_match(struct xdp_md *xdp, const struct fs_pkt *pkt,
				       const struct fs_group *g, struct fs_walk *w)
{
	struct nyse_ctx m = {.xdp = xdp, .g = g, .w = w};

	w->c.off = pkt->payload_off + NYSE_PKT_HDR_LEN;
	if (w->walked)
		bpf_loop(w->walked, nyse_match_one, &m, 0);
}

#endif /* FEEDSIEVE_PROTO_NYSE_BPF_H */
