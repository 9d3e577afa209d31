/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The Cboe PITCH passes of the XDP program (message-sequenced per unit: message i of a Sequenced
 * Unit has sequence number HdrSequence + i, one instrument key per message). Messages name their
 * instrument inline (Add Order, trades, status) or only by Order ID (executions, reductions,
 * modifications, deletions): for those the program remembers, in fs_orders, the orders it saw
 * added for subscribed symbols. What each type holds comes from pitch_type_info()
 * (feedsieve/wire_pitch.h).
 */
#ifndef FEEDSIEVE_PROTO_PITCH_BPF_H
#define FEEDSIEVE_PROTO_PITCH_BPF_H

#include "feedsieve/parse.h"
#include "feedsieve/wire_pitch.h"
#include "feedsieve/symbol.h"
#include "maps.bpf.h"
#include "walk.bpf.h"
#include "directory.bpf.h"
#include "arbitrate.bpf.h"

/* HdrCount is 8 bits: pass 1 checks every message, pass 2 looks at the first FS_MAX_WALK. */
#define PITCH_MAX_MSGS 255
/* Sequence numbers before a frame that must be settled (filtered or delivered) for the program
 * to decide an order message whose order it does not know (see pitch_unsettled()). */
#define PITCH_LOOKBACK 128
#define PITCH_LOOKBACK_WORDS (PITCH_LOOKBACK / FS_SEQ_PER_WORD + 1)

/* State of both passes, handed to each bpf_loop() step. */
struct pitch_ctx {
	struct xdp_md *xdp;
	const struct fs_group *g;
	struct fs_walk *w;
	struct fs_channel_window *win; /* pass 2: the frame's channel (orders_full_gen) */
	__u8 lookback; /* pass 2: 0 not read yet, 1 the lookback is settled, 2 it is not */
};

/* The lookback [lo, end) of a frame, read word by word in the channel's window. */
struct pitch_back_ctx {
	struct fs_channel_window *win;
	__u64 lo, end;
	__u32 gen;
	bool unsettled;
};

/*
 * The name of a session started by a packet with HdrSequence 1: PITCH names none, so the first
 * message's bytes stand for it (up to 8 of them, zero padded), which both lines carry alike.
 */
static __always_inline __u64 pitch_session_hash(const __u8 *p, __u32 len, void *data_end)
{
	__u8 name[8] = {};
	__u32 k;

	for (k = 0; k < sizeof(name); k++) {
		if (k >= len || (void *)(p + k + 1) > data_end)
			break;
		name[k] = p[k];
	}
	return fs_session_hash(name, sizeof(name));
}

/* Check the framing of one message and step over it; returns 1 to stop (malformed). */
static long pitch_validate_one(__u32 i, void *arg)
{
	struct pitch_ctx *v = arg;
	void *data = (void *)(long)v->xdp->data;
	void *data_end = (void *)(long)v->xdp->data_end;
	struct fs_walk *w = v->w;
	__u32 off = w->c.off, len;
	__u8 *p;

	/* count larger than the messages present / past the end / shorter than its type needs */
	if (off + PITCH_MSG_HDR_LEN > w->c.end || off > FS_PKT_OFF_MASK)
		goto malformed;
	p = pkt_at(data, off);
	if ((void *)(p + PITCH_MSG_HDR_LEN) > data_end)
		goto malformed;
	len = p[PITCH_OFF_MSG_LENGTH];
	if (len < PITCH_MSG_HDR_LEN || off + len > w->c.end ||
	    len < pitch_type_info(p[PITCH_OFF_MSG_TYPE]).min_len)
		goto malformed;
	if (i == 0 && w->seq == 1)
		w->session_hash = pitch_session_hash(p, len, data_end);
	if (i < FS_MAX_WALK)
		w->walked++;
	w->c.off = off + len;
	return 0;
malformed:
	w->malformed = true;
	return 1;
}

/*
 * Pass 1: the Sequenced Unit Header and the framing of every message (HdrCount is at most 255,
 * so all of them are checked, past the walk bound too), no lookups. HdrCount 0 is a heartbeat;
 * HdrSequence 0 with messages is unsequenced (out of band: matched, never claimed). A unit
 * restarts its sequence at 1: that packet may start a session, named by its first message's
 * bytes (PITCH names no session); every other packet is of the channel's current session.
 */
static __always_inline void pitch_validate(struct xdp_md *xdp, const struct fs_pkt *pkt,
					  struct fs_walk *w)
{
	void *data = (void *)(long)xdp->data;
	void *data_end = (void *)(long)xdp->data_end;
	struct pitch_ctx v = {.xdp = xdp, .w = w};
	__u32 off = pkt->payload_off;
	__u8 count, *p;

	w->c.end = pkt->payload_end;
	if (off + PITCH_HDR_LEN > w->c.end || off > FS_PKT_OFF_MASK)
		goto malformed;
	p = pkt_at(data, off);
	if ((void *)(p + PITCH_HDR_LEN) > data_end)
		goto malformed;
	w->unit = p[PITCH_OFF_HDR_UNIT];
	w->has_unit = true;
	if (fs_le16(p + PITCH_OFF_HDR_LENGTH) != w->c.end - off)
		goto malformed;
	count = p[PITCH_OFF_HDR_COUNT];
	w->seq = fs_le32(p + PITCH_OFF_HDR_SEQ);
	w->c.off = off + PITCH_HDR_LEN;
	if (count)
		bpf_loop(count, pitch_validate_one, &v, 0);
	if (w->malformed)
		return;
	/* No padding: bytes after the last message mean HdrLength or HdrCount is wrong. */
	if (w->c.off != w->c.end)
		goto malformed;

	if (!count) {
		w->kind = FS_FRAME_HEARTBEAT;
		w->seq_next = w->seq;
	} else if (!w->seq) {
		w->kind = FS_FRAME_OUT_OF_BAND; /* unsequenced: claims nothing */
	} else {
		w->seq_count = w->walked;
		w->seq_next = w->seq + count;
	}
	/* Messages past the bound are not examined: the frame is delivered whole. */
	w->overflow = count > FS_MAX_WALK;
	/* A new session counts as a reset however it is found: named by its packet 1, or a
	 * restart seen without it (as MDP3 and NYSE). */
	w->counts_reset = true;
	if (w->seq == 1 && count) {
		w->may_start = true; /* named in pass 1's first step */
		w->names_restart = true;
	} else {
		__u8 none[8] = {};

		w->session_hash = fs_session_hash(none, sizeof(none));
		w->joins_session = true;
	}
	return;
malformed:
	w->malformed = true;
}

/* A live message of type TYPE (ORDER kind) with quantity field QTY passed: the order's
 * remaining quantity after it, REMAINING before. */
static __always_inline __u32 pitch_remaining(__u8 type, __u32 remaining, __u32 qty)
{
	switch (type) {
	case PITCH_T_EXECUTED:
	case PITCH_T_REDUCE_LONG:
	case PITCH_T_REDUCE_SHORT:
		return remaining > qty ? remaining - qty : 0;
	case PITCH_T_EXECUTED_AT_PRICE: /* qty is RemainingQuantity */
	case PITCH_T_MODIFY_LONG:
	case PITCH_T_MODIFY_SHORT:
		return qty;
	default: /* Delete Order */
		return 0;
	}
}

/*
 * Apply a live order message (TYPE, quantity field QTY) to O's remaining quantity. Both lines
 * run on two CPUs at once, so another sequence number about the same order may be applied at
 * the same time: a compare-and-swap loop (bounded: FS_CLAIM_RETRIES attempts, then the message
 * is not applied) loses no update. Returns whether this update left 0: the caller deletes it
 * (a second deleter of the same entry finds it gone, and counts nothing).
 */
static __always_inline bool pitch_follow(struct fs_order *o, __u8 type, __u32 qty)
{
	__u32 r, old, left;

	for (r = 0; r < FS_CLAIM_RETRIES; r++) {
		old = *(volatile __u32 *)&o->remaining;
		left = pitch_remaining(type, old, qty);
		if (__sync_val_compare_and_swap(&o->remaining, old, left) == old)
			return !left;
	}
	return false;
}

/* Remember an order of a subscribed symbol; a full map is counted and marks the session. */
static __always_inline void pitch_remember(struct pitch_ctx *m, const struct fs_order_key *key,
					   const struct fs_symbol *sym, __u32 qty)
{
	struct fs_walk *w = m->w;
	struct fs_order o = {.symbol = *sym, .remaining = qty, .gen = w->gen};

	if (!bpf_map_update_elem(&FS_MAP_ORDERS, key, &o, BPF_ANY)) {
		w->orders_added++;
		return;
	}
	w->orders_full++;
	if (m->win)
		m->win->orders_full_gen = (__u64)w->gen + 1;
}

/* The mark of name SYM in the frame's bank: its subscription slot + 1, or none. */
static __always_inline __u32 pitch_name_mark(const struct fs_walk *w, const struct fs_symbol *sym)
{
	struct fs_sub *sub = name_sub(w->bank, sym);

	return sub ? sub->slot + 1 : FS_INST_NOT_SUBSCRIBED;
}

/* Window word K of the lookback: is one of its numbers in [lo, end) not settled (unseen or
 * claimed by a frame still in flight)? A bpf_loop() step; returns 1 to stop. */
static long pitch_back_word(__u32 k, void *arg)
{
	struct pitch_back_ctx *b = arg;
	__u64 first = (fs_seq_block(b->lo) + k) * FS_SEQ_PER_WORD;
	__u64 last = first + FS_SEQ_PER_WORD, word, mask;
	__u32 tag = fs_seq_tag(b->gen, first);

	if (first < b->lo)
		first = b->lo;
	if (last > b->end)
		last = b->end;
	if (first >= last)
		return 1;
	word = b->win->words[fs_seq_slot(first) & (FS_SEQ_WORDS - 1)];
	if (fs_word_tag(word) != tag) {
		if (fs_tag_newer(fs_word_tag(word), b->gen, first))
			return 0; /* slid out of the window long ago: settled */
		b->unsettled = true; /* stale or older: no line brought these numbers */
		return 1;
	}
	/* FILTERED (10) and DELIVERED (11) have the high bit of their pair set. */
	mask = (((1ULL << (2 * (last - first))) - 1) << (2 * (first % FS_SEQ_PER_WORD))) &
	       (FS_PAIR_LOW << 1);
	if ((word & mask) != mask) {
		b->unsettled = true;
		return 1;
	}
	return 0;
}

/* Were all messages of the frame before message I brought by this frame? Those another frame
 * claimed may still be in flight. */
static __always_inline bool pitch_new_before(const struct fs_walk *w, __u32 i)
{
	__u64 m0 = i >= 64 ? ~0ULL : (1ULL << i) - 1;
	__u64 m1 = i <= 64 ? 0 : (1ULL << ((i - 64) & 63)) - 1;

	return (w->new_bits[0] & m0) == m0 && (w->new_bits[1] & m1) == m1;
}

/*
 * May an order message (message I) name an order whose Add the program has not handled yet?
 * When lines are out of step, a line's Execute can arrive before the other line brings the Add
 * it lost. So when one of the PITCH_LOOKBACK sequence numbers before the frame (from the
 * session's first one the program saw), or a message of the frame before I, is not settled, the
 * program does not decide: user space, which hands messages over in sequence order, knows the
 * order by then. Orders added longer ago than the lookback while the window still had holes are
 * decided as unknown (the documented limit). The window is read once per frame, when the first
 * unknown order is met.
 */
static __always_inline bool pitch_unsettled(struct pitch_ctx *m, __u32 i)
{
	struct fs_walk *w = m->w;
	struct pitch_back_ctx b = {.win = m->win, .end = w->seq, .gen = w->gen};
	__u64 start;

	if (!pitch_new_before(w, i))
		return true;
	if (m->lookback)
		return m->lookback == 2;
	m->lookback = 1;
	if (!m->win)
		return false;
	start = fs_high_seq(m->win->start, w->gen);
	b.lo = w->seq > PITCH_LOOKBACK ? w->seq - PITCH_LOOKBACK : 0;
	if (b.lo < start)
		b.lo = start;
	if (b.lo < b.end)
		bpf_loop(PITCH_LOOKBACK_WORDS, pitch_back_word, &b, 0);
	if (b.unsettled)
		m->lookback = 2;
	return b.unsettled;
}

/* One message of pass 2 (message I); returns 1 to stop. */
static long pitch_match_one(__u32 i, void *arg)
{
	struct pitch_ctx *m = arg;
	void *data = (void *)(long)m->xdp->data;
	void *data_end = (void *)(long)m->xdp->data_end;
	const struct fs_group *g = m->g;
	struct fs_walk *w = m->w;
	/* Out-of-band frames are repeated by both lines and outside the sequence: never learned
	 * from. An all-symbols group wants every message and needs no map. */
	bool learn = w->kind == FS_FRAME_DATA && !(g->flags & FS_GROUP_F_ALL_SYMBOLS);
	struct fs_order_key key = {};
	struct pitch_type_info t;
	struct fs_symbol sym;
	struct fs_order *o;
	__u32 off = w->c.off, len, qty = 0;
	bool want = false;
	__u8 type, *p, *q;

	if (off > FS_PKT_OFF_MASK)
		return 1;
	p = pkt_at(data, off);
	if ((void *)(p + PITCH_MSG_HDR_LEN) > data_end)
		return 1;
	len = p[PITCH_OFF_MSG_LENGTH];
	w->c.off = off + len;
	if (!bit_set(w->new_bits, i))
		return 0;
	type = p[PITCH_OFF_MSG_TYPE];
	t = pitch_type_info(type);
	/* Pass 1 checked len >= t.min_len, which holds every field read below; the checks against
	 * data_end are the verifier's (offsets from the table are masked to bound them). */
	if (t.kind == PITCH_KEY_ADD || t.kind == PITCH_KEY_ORDER) {
		if ((void *)(p + PITCH_OFF_ORDER_ID + 8) > data_end)
			return 1;
		key.order_id = fs_le64(p + PITCH_OFF_ORDER_ID);
		key.channel = w->channel;
	}
	if (t.qty_off) {
		q = p + (t.qty_off & 63);
		if (t.qty_len == 2) {
			if ((void *)(q + 2) > data_end)
				return 1;
			qty = fs_le16(q);
		} else {
			if ((void *)(q + 4) > data_end)
				return 1;
			qty = fs_le32(q);
		}
	}

	switch (t.kind) {
	case PITCH_KEY_CONTROL:
		want = true; /* every subscriber needs them */
		break;
	case PITCH_KEY_SYMBOL:
	case PITCH_KEY_ADD: {
		__u32 mark;

		q = p + (t.sym_off & 31);
		if (t.sym_len == PITCH_SYMBOL_LEN_LONG) {
			if ((void *)(q + PITCH_SYMBOL_LEN_LONG) > data_end)
				return 1;
			fs_symbol_from_wire(&sym, q, PITCH_SYMBOL_LEN_LONG);
		} else {
			if ((void *)(q + PITCH_SYMBOL_LEN_SHORT) > data_end)
				return 1;
			fs_symbol_from_wire(&sym, q, PITCH_SYMBOL_LEN_SHORT);
		}
		mark = pitch_name_mark(w, &sym);
		want = want_mark(g, mark);
		if (t.kind == PITCH_KEY_ADD && learn && mark != FS_INST_NOT_SUBSCRIBED)
			pitch_remember(m, &key, &sym, qty);
		break;
	}
	case PITCH_KEY_ORDER:
		if (g->flags & FS_GROUP_F_ALL_SYMBOLS) {
			want = true;
			break;
		}
		o = bpf_map_lookup_elem(&FS_MAP_ORDERS, &key);
		if (o && o->gen == w->gen) {
			want = want_mark(g, pitch_name_mark(w, &o->symbol));
			if (learn && pitch_follow(o, type, qty) &&
			    !bpf_map_delete_elem(&FS_MAP_ORDERS, &key))
				w->orders_removed++;
			break;
		}
		/* An entry of an older session: absent, and deleted now that its id is named
		 * again, so that it does not hold a slot for ever. Looked up again first: an Add
		 * on the other CPU may have just replaced it with a current one. */
		if (o) {
			o = bpf_map_lookup_elem(&FS_MAP_ORDERS, &key);
			if (o && o->gen != w->gen)
				bpf_map_delete_elem(&FS_MAP_ORDERS, &key);
		}
		/* Not known: added before its symbol was subscribed, of another symbol, or not
		 * remembered because the map was full this session (then it may be ours). */
		w->orders_unknown++;
		if (m->win && m->win->orders_full_gen == (__u64)w->gen + 1) {
			want = true;
			w->meta_flags |= FS_META_F_ORDERS_FULL;
		} else if (learn && pitch_unsettled(m, i)) {
			/* No match bit: the consumer decides it (FS_META_F_ORDERS_UNDECIDED). */
			w->meta_flags |= FS_META_F_ORDERS_UNDECIDED;
			w->deliver = true;
		}
		break;
	default: /* unknown type: about nothing we can name */
		want = g->flags & FS_GROUP_F_ALL_SYMBOLS;
	}
	if (want) {
		set_bit(w->match_bits, i);
		w->matched++;
		w->deliver = true;
	}
	return 0;
}

/*
 * Pass 2, over a frame pass 1 accepted: mark the wanted messages, and keep the order map, for
 * the messages this frame brought first (w->new_bits; all of an out-of-band frame's). Symbols
 * inline are looked up by name in the frame's bank; Order IDs in fs_orders under the frame's
 * channel, an entry of another session generation being absent.
 */
static __always_inline void pitch_match(struct xdp_md *xdp, const struct fs_pkt *pkt,
				       const struct fs_group *g, struct fs_walk *w)
{
	struct pitch_ctx m = {.xdp = xdp, .g = g, .w = w, .win = channel_window(w->channel)};

	w->c.off = pkt->payload_off + PITCH_HDR_LEN;
	if (w->walked)
		bpf_loop(w->walked, pitch_match_one, &m, 0);
}

#endif /* FEEDSIEVE_PROTO_PITCH_BPF_H */
