// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The reference model of the program's Cboe PITCH decisions, written from the design of issue 12
 * (/work/wt/notes/ISSUE12.md "Cboe PITCH") and the wire facts (docs/wire/pitch.md), not from
 * bpf/. The steps it shares with the other models (claims, sessions, delivery, subscriptions)
 * are reference.c's, declared in reference_int.h.
 */
#include <string.h>

#include <linux/bpf.h>

#include "reference_int.h"

static __u64 le64(const __u8 *p)
{
	return (__u64)ref_le32(p) | (__u64)ref_le32(p + 4) << 32;
}

/* What each type holds, from the specification's offsets (docs/wire/pitch.md). */
enum { P_NONE, P_CONTROL, P_SYMBOL, P_ADD, P_ORDER };

struct pitch_ref_type {
	__u8 type, kind, min, sym_off, sym_len, qty_off, qty_len;
};

static const struct pitch_ref_type pitch_ref_types[] = {
    {0x20, P_CONTROL, 2, 0, 0, 0, 0}, /* Time */
    {0x97, P_CONTROL, 2, 0, 0, 0, 0}, /* Unit Clear */
    {0x2D, P_CONTROL, 2, 0, 0, 0, 0}, /* End of Session */
    {0x2C, P_CONTROL, 2, 0, 0, 0, 0}, /* Trade Break */
    {0x21, P_ADD, 25, 19, 6, 15, 4},  {0x22, P_ADD, 23, 17, 6, 15, 2},
    {0x2F, P_ADD, 27, 19, 8, 15, 4},  {0x2A, P_SYMBOL, 25, 19, 6, 0, 0},
    {0x2B, P_SYMBOL, 23, 17, 6, 0, 0}, {0x30, P_SYMBOL, 27, 19, 8, 0, 0},
    {0x31, P_SYMBOL, 14, 6, 8, 0, 0}, {0x95, P_SYMBOL, 14, 6, 8, 0, 0},
    {0x96, P_SYMBOL, 14, 6, 8, 0, 0}, {0x98, P_SYMBOL, 14, 6, 8, 0, 0},
    {0x23, P_ORDER, 18, 0, 0, 14, 4}, /* executed: ExecutedQuantity */
    {0x24, P_ORDER, 22, 0, 0, 18, 4}, /* executed at price: RemainingQuantity */
    {0x25, P_ORDER, 18, 0, 0, 14, 4}, {0x26, P_ORDER, 16, 0, 0, 14, 2},
    {0x27, P_ORDER, 18, 0, 0, 14, 4}, {0x28, P_ORDER, 16, 0, 0, 14, 2},
    {0x29, P_ORDER, 14, 0, 0, 0, 0}, /* delete */
};

static struct pitch_ref_type pitch_ref_type(__u8 type)
{
	for (size_t i = 0; i < sizeof(pitch_ref_types) / sizeof(pitch_ref_types[0]); i++)
		if (pitch_ref_types[i].type == type)
			return pitch_ref_types[i];
	return (struct pitch_ref_type){type, P_NONE, 2, 0, 0, 0, 0};
}

/* The quantity message M of type T carries (0: none). */
static __u32 pitch_qty(const __u8 *m, const struct pitch_ref_type *t)
{
	if (t->qty_len == 2)
		return ref_le16(m + t->qty_off);
	return t->qty_len ? ref_le32(m + t->qty_off) : 0;
}

/* The unit: "the 8-byte Sequenced Unit Header; HdrLength must equal the UDP payload; HdrCount
 * messages, each Length >= 2, inside the datagram and >= min_len; trailing bytes: malformed". */
struct pitch_unit {
	bool header; /* the header could be read: the unit is known */
	__u8 unit, count;
	__u32 seq;
	unsigned int walked; /* whole messages examined by the program, at most FS_MAX_WALK */
	size_t msg[255];     /* every message's offset (the library reads them all) */
	bool malformed;
};

static void pitch_parse(const __u8 *f, size_t pos, size_t end, struct pitch_unit *u)
{
	memset(u, 0, sizeof(*u));
	if (end - pos < 8) {
		u->malformed = true;
		return;
	}
	u->header = true;
	u->count = f[pos + 2];
	u->unit = f[pos + 3];
	u->seq = ref_le32(f + pos + 4);
	if (ref_le16(f + pos) != end - pos) {
		u->malformed = true;
		return;
	}
	pos += 8;
	for (unsigned int i = 0; i < u->count; i++) {
		size_t len;

		if (pos + 2 > end) {
			u->malformed = true;
			return;
		}
		len = f[pos];
		if (len < 2 || pos + len > end || len < pitch_ref_type(f[pos + 1]).min) {
			u->malformed = true;
			return;
		}
		u->msg[i] = pos;
		if (i < FS_MAX_WALK)
			u->walked++;
		pos += len;
	}
	u->malformed = pos != end;
}

/*
 * "HdrSequence 1 may start one [session] ... session_hash = fs_session_hash of the first
 * message's bytes (up to 8, zero padded). Every other packet joins_session with the hash of 8
 * zero bytes"; a new session is counted as a reset however it is found (counts_reset on every
 * packet, as MDP3 and NYSE: also a restart found without its packet 1).
 */
static void pitch_session(struct ref_channel *c, const __u8 *f, const struct pitch_unit *u,
			  struct fs_counters *d)
{
	__u8 name[8] = {0};
	bool named = u->seq == 1 && u->count;

	if (named)
		for (size_t k = 0; k < 8 && k < f[u->msg[0]]; k++)
			name[k] = f[u->msg[0] + k];
	ref_join_session(c, named, u->seq, name, d);
}

static struct ref_order *pitch_order(struct ref_state *s, __u64 id, __u8 channel)
{
	for (size_t i = 0; i < s->n_orders; i++)
		if (s->orders[i].id == id && s->orders[i].channel == channel)
			return &s->orders[i];
	return NULL;
}

static void pitch_forget(struct ref_state *s, struct ref_order *o, struct fs_counters *d)
{
	*o = s->orders[--s->n_orders];
	d->orders_removed++;
}

/* "ADD of a symbol subscribed in w->bank: insert {order_id, channel} -> {symbol, quantity, gen};
 * success: orders_added++. Failure (map full): orders_full++, and the channel window's
 * orders_full_gen = gen + 1." A key present is replaced (no new entry needed). */
static void pitch_remember(struct ref_state *s, struct ref_channel *c, __u64 id, __u8 channel,
			   const struct fs_symbol *sym, __u32 qty, __u16 gen, struct fs_counters *d)
{
	struct ref_order *o = pitch_order(s, id, channel);

	if (!o && s->n_orders == REF_MAX_ORDERS) {
		d->orders_full++;
		c->orders_full_gen = (__u64)gen + 1;
		return;
	}
	if (!o)
		o = &s->orders[s->n_orders++];
	*o = (struct ref_order){.id = id, .channel = channel, .symbol = *sym, .remaining = qty,
			       .gen = gen};
	d->orders_added++;
}

/* "Order Executed: remaining -= ExecutedQuantity (saturating at 0); Executed at Price/Size:
 * remaining = RemainingQuantity; Reduce Size: remaining -= CanceledQuantity; Modify Order:
 * remaining = Quantity; Delete Order: remove. Remaining reaching 0: remove." */
static __u32 pitch_remaining(__u8 type, __u32 remaining, __u32 qty)
{
	switch (type) {
	case 0x23:
	case 0x25:
	case 0x26:
		return remaining > qty ? remaining - qty : 0;
	case 0x24:
	case 0x27:
	case 0x28:
		return qty;
	default:
		return 0;
	}
}

static void pitch_follow(struct ref_state *s, struct ref_order *o, __u8 type, __u32 qty,
			 struct fs_counters *d)
{
	o->remaining = pitch_remaining(type, o->remaining, qty);
	if (!o->remaining)
		pitch_forget(s, o, d);
}

/* What an unknown order message needs to know of its frame: the frame's first sequence number
 * and which of its messages before this one were its own (fresh), or none (out of band). */
struct pitch_before {
	__u64 seq;
	const bool *fresh;
	unsigned int index;
};

/* "when an ORDER-kind message's order is unknown ... and a sequence number before the frame's
 * first one within a lookback of the window (the 128 sequence numbers before w->seq ...) is not
 * yet settled, the program does NOT decide" (from the session's first number the program saw);
 * messages of the frame before it that another frame claimed may be in flight too. */
static bool pitch_unsettled(const struct ref_channel *c, const struct pitch_before *b)
{
	__u64 lo = b->seq > 128 ? b->seq - 128 : 0;

	for (unsigned int j = 0; j < b->index; j++)
		if (!b->fresh[j])
			return true;
	if (c->start_set && c->start_gen == c->gen && lo < c->start)
		lo = c->start;
	for (__u64 q = lo; q < b->seq; q++)
		if (!ref_settled(c, q))
			return true;
	return false;
}

/* Is message AT wanted? Keeps the order map when LEARN (live data, not all symbols; B says where
 * the message stands). */
static bool pitch_wanted(struct ref_state *s, const struct ref_group *g, struct ref_channel *c,
			 __u8 channel, __u16 gen, bool learn, const __u8 *m, __u8 *flags,
			 struct fs_counters *d, const struct pitch_before *b)
{
	struct pitch_ref_type t = pitch_ref_type(m[1]);
	bool all = g->g.flags & FS_GROUP_F_ALL_SYMBOLS;
	__u64 id = t.kind == P_ADD || t.kind == P_ORDER ? le64(m + 6) : 0;
	__u32 qty = pitch_qty(m, &t);
	const struct ref_sub *sub;
	struct ref_order *o;
	struct fs_symbol sym;

	switch (t.kind) {
	case P_CONTROL:
		return true;
	case P_SYMBOL:
	case P_ADD:
		ref_wire_symbol(&sym, m + t.sym_off, t.sym_len);
		sub = ref_find_sub(s, &sym);
		if (t.kind == P_ADD && learn && sub)
			pitch_remember(s, c, id, channel, &sym, qty, gen, d);
		return ref_want_mark(s, &g->g, sub ? sub->slot + 1 : FS_INST_NOT_SUBSCRIBED);
	case P_ORDER:
		/* "All-symbols groups need no map: they want everything." */
		if (all)
			return true;
		o = pitch_order(s, id, channel);
		if (o && o->gen == gen) {
			bool want;

			sub = ref_find_sub(s, &o->symbol);
			want =
			    ref_want_mark(s, &g->g, sub ? sub->slot + 1 : FS_INST_NOT_SUBSCRIBED);
			if (learn)
				pitch_follow(s, o, m[1], qty, d);
			return want;
		}
		/* "a lookup that finds an entry of another session generation (stale) deletes
		 * it" (not counted in orders_removed) */
		if (o)
			*o = s->orders[--s->n_orders];
		/* "Absent: orders_unknown++; wanted only when ... the channel's window says the
		 * order map overflowed in this session (orders_full_gen == gen + 1)" */
		d->orders_unknown++;
		if (c->orders_full_gen == (__u64)gen + 1) {
			*flags |= FS_META_F_ORDERS_FULL;
			return true;
		}
		/* "it sets no match bit for that message, delivers the frame ... and flags the
		 * metadata FS_META_F_ORDERS_UNDECIDED" */
		if (learn && pitch_unsettled(c, b))
			*flags |= FS_META_F_ORDERS_UNDECIDED;
		return false;
	default:
		return all;
	}
}

void ref_pitch_group_frame(struct ref_state *s, const struct ref_group *g, const __u8 *f,
			   size_t payload, size_t end, __u8 flags, struct fs_counters *d,
			   struct ref_result *r)
{
	bool fresh[FS_MAX_WALK] = {0}, overflow, learn;
	unsigned int matched = 0, ch = g->g.channel;
	struct ref_channel *c;
	__u8 mflags = 0;
	struct pitch_unit u;

	pitch_parse(f, payload, end, &u);
	if (u.malformed) {
		ref_malformed(s, g, u.walked, flags, d, r);
		return;
	}
	/* "a frame with has_unit is put on channel g->channel + (unit - unit_first) when the
	 * group names units (else passed and counted frames_other_unit); with unit_count 0 the
	 * channel binds the first unit it sees" */
	if (g->g.unit_count) {
		__u8 rel = (__u8)(u.unit - g->g.unit_first);

		if (rel >= g->g.unit_count)
			goto other_unit;
		ch = (__u8)(ch + rel);
	}
	if (ch >= FS_MAX_CHANNELS) {
		r->why = "no channel";
		r->action = XDP_PASS;
		return;
	}
	r->channel = (int)ch;
	c = &s->channels[ch];
	if (!c->unit)
		c->unit = (__u64)u.unit + 1;
	if (c->unit != (__u64)u.unit + 1)
		goto other_unit;
	overflow = u.count > FS_MAX_WALK;

	/* Unsequenced (HdrSequence 0): out of band, matched in the channel's session and never
	 * learned from (both lines repeat it). */
	if (u.count && !u.seq) {
		for (unsigned int i = 0; i < u.walked; i++)
			if (pitch_wanted(s, g, c, (__u8)ch, c->gen, false, f + u.msg[i], &mflags,
					 d, NULL)) {
				r->m.match_bits[i / 64] |= 1ULL << (i % 64);
				matched++;
			}
		ref_settle_out_of_band(s, g, u.walked, matched, overflow, flags | mflags, d, r);
		return;
	}
	pitch_session(c, f, &u, d);
	r->stamped = true;
	/* The session's first sequence number the program saw (heartbeats included). */
	if (!c->start_set || c->start_gen != c->gen) {
		c->start_set = true;
		c->start_gen = c->gen;
		c->start = u.seq;
	}
	/* "HdrCount 0: FS_FRAME_HEARTBEAT, seq_next = HdrSequence" */
	if (!u.count) {
		ref_heartbeat(s, g, c, u.seq, flags, d, r);
		return;
	}
	/* "Message i ... has sequence number HdrSequence + i" */
	if (!ref_claim_messages(c, u.seq, u.walked, u.count, overflow, fresh, d, r))
		return;
	learn = !(g->g.flags & FS_GROUP_F_ALL_SYMBOLS);
	for (unsigned int i = 0; i < u.walked; i++) {
		struct pitch_before b = {.seq = u.seq, .fresh = fresh, .index = i};

		if (!fresh[i])
			continue;
		if (pitch_wanted(s, g, c, (__u8)ch, c->gen, learn, f + u.msg[i], &mflags, d, &b)) {
			r->m.match_bits[i / 64] |= 1ULL << (i % 64);
			matched++;
		}
	}
	ref_settle_messages(s, g, c, fresh, matched, overflow, flags | mflags, d, r);
	return;

other_unit:
	r->why = "other unit";
	r->action = XDP_PASS;
	d->frames_other_unit = 1;
	d->frames_passed = 1;
}

/* ---- What the application gets (ref_pitch_app) ---- */

/*
 * The consumer's order map (ISSUE12.md, user space: "its own Order ID -> {symbol, remaining} map
 * per channel, built from the Add Orders it is handed (same update rules)"; orders.h: an order
 * added with nothing remaining is not remembered, one of an older session is absent, and a
 * packet 1 naming a session other than the channel's last starts a new one).
 */
static struct ref_app_order *app_order(struct ref_state *s, __u8 channel, __u64 id, bool live)
{
	for (size_t i = 0; i < s->n_app_orders; i++) {
		struct ref_app_order *o = &s->app_orders[i];

		if (o->id == id && o->channel == channel)
			return !live || o->gen == s->app_gen[channel] ? o : NULL;
	}
	return NULL;
}

static void app_session(struct ref_state *s, __u8 channel, const __u8 *name8)
{
	if (s->app_named[channel] && !memcmp(s->app_session[channel], name8, 8))
		return;
	s->app_named[channel] = true;
	memcpy(s->app_session[channel], name8, 8);
	s->app_gen[channel]++;
}

/* Message M was handed over from a live frame of CHANNEL: what the map learns. */
static void app_handed(struct ref_state *s, __u8 channel, const __u8 *m)
{
	struct pitch_ref_type t = pitch_ref_type(m[1]);
	__u64 id = t.kind == P_ADD || t.kind == P_ORDER ? le64(m + 6) : 0;
	__u32 qty = pitch_qty(m, &t);
	struct ref_app_order *o;

	if (t.kind == P_ADD) {
		if (!qty)
			return;
		o = app_order(s, channel, id, false);
		if (!o && s->n_app_orders == REF_APP_ORDERS) {
			s->app_orders_lost = true;
			return;
		}
		if (!o)
			o = &s->app_orders[s->n_app_orders++];
		*o = (struct ref_app_order){.id = id, .channel = channel, .remaining = qty,
					    .gen = s->app_gen[channel]};
		ref_wire_symbol(&o->symbol, m + t.sym_off, t.sym_len);
		return;
	}
	o = t.kind == P_ORDER ? app_order(s, channel, id, true) : NULL;
	if (!o)
		return; /* trades name orders that may not be on the book: not learned */
	/* "same update rules" as the program's map */
	o->remaining = pitch_remaining(m[1], o->remaining, qty);
	if (!o->remaining)
		*o = s->app_orders[--s->n_app_orders];
}

/* "same wanted rules for frames without metadata or past the walk", with the consumer's map in
 * place of fs_orders: an order it does not know is handed over only when the program said its
 * map overflowed (FS_META_F_ORDERS_FULL). SYM, KNOWN: the message's symbol. */
static bool app_wants(const struct ref_state *s, const struct ref_group *g,
		      const struct fs_xdp_meta *m, unsigned int k, const struct pitch_ref_type *t,
		      bool known, const struct fs_symbol *sym)
{
	int decided = ref_app_decided(g, m, k);

	/* "The library then treats such ORDER-kind keys [no match bit in a frame flagged
	 * FS_META_F_ORDERS_UNDECIDED] as FSI_WANT_UNDECIDED", as a key past the walk. */
	if (!decided && t->kind == P_ORDER && m && (m->flags & FS_META_F_ORDERS_UNDECIDED))
		decided = ref_app_decided(g, NULL, k);
	if (decided >= 0)
		return decided;
	switch (t->kind) {
	case P_CONTROL:
		return true;
	case P_SYMBOL:
	case P_ADD:
		return ref_find_sub(s, sym) != NULL;
	case P_ORDER:
		return known ? ref_find_sub(s, sym) != NULL
			     : m && (m->flags & FS_META_F_ORDERS_FULL);
	default:
		return false;
	}
}

void ref_pitch_app(struct ref_state *s, const __u8 *f, size_t len,
		   const struct fs_xdp_meta *meta, bool hand, struct ref_app *out)
{
	size_t payload, end;
	const struct ref_group *g = ref_app_group(s, f, len, out, &payload, &end);
	__u8 channel, rel;
	struct pitch_unit u;

	if (!g)
		return;
	out->per_msg = true;
	pitch_parse(f, payload, end, &u);
	out->has_unit = u.header;
	out->unit = u.unit;
	if (u.malformed || (meta && (meta->flags & FS_META_F_MALFORMED))) {
		out->malformed = true;
		return;
	}
	/* the frame's channel, as the program chooses it: the group's, or its unit's */
	rel = (__u8)(u.unit - g->g.unit_first);
	channel = g->g.unit_count && rel < g->g.unit_count ? (__u8)(g->g.channel + rel)
							  : g->g.channel;
	if (!u.count) {
		out->kind = REF_FRAME_HEARTBEAT;
		return;
	}
	if (!u.seq) {
		out->kind = REF_FRAME_OUT_OF_BAND;
		out->out_of_band = REF_OOB_UNSEQUENCED;
	} else if (meta && (meta->flags & FS_META_F_OUT_OF_BAND)) {
		out->kind = REF_FRAME_OUT_OF_BAND;
	}
	if (s->app_orders_lost) {
		out->overfull = true;
		return;
	}
	/* A live packet 1 names its session by its first message's first 8 bytes. */
	if (out->kind == REF_FRAME_DATA && u.seq == 1) {
		__u8 name[8] = {0};

		memcpy(name, f + u.msg[0], f[u.msg[0]] < 8 ? f[u.msg[0]] : 8);
		app_session(s, channel, name);
	}
	for (unsigned int k = 0; k < u.count; k++) {
		const __u8 *m = f + u.msg[k];
		struct pitch_ref_type t = pitch_ref_type(m[1]);
		struct ref_app_msg *msg = &out->msgs[out->n_msgs];
		const struct ref_app_order *o = NULL;
		struct fs_symbol sym = {0};
		bool known = false;

		if (t.kind == P_SYMBOL || t.kind == P_ADD) {
			ref_wire_symbol(&sym, m + t.sym_off, t.sym_len);
			known = true;
		} else if (t.kind == P_ORDER) {
			o = app_order(s, channel, le64(m + 6), true);
			known = o != NULL;
			if (o)
				sym = o->symbol;
		}
		if (!app_wants(s, g, meta, k, &t, known, &sym))
			continue;
		if (out->n_msgs == REF_APP_MSGS) {
			out->overfull = true;
			return;
		}
		out->n_msgs++;
		/* "seq is the message's own sequence number (packet seq + i)"; unsequenced: 0 */
		*msg = (struct ref_app_msg){
		    .off = u.msg[k], .len = m[0], .tid = m[1],
		    .seq = out->kind == REF_FRAME_OUT_OF_BAND ? 0 : (__u64)u.seq + k,
		    /* "order_id where the message has one": adds, order messages, trades */
		    .has_order_id = t.kind == P_ADD || t.kind == P_ORDER || m[1] == 0x2A ||
				    m[1] == 0x2B || m[1] == 0x30,
		    .symbol_known = known, .symbol = sym,
		    .order_unknown = t.kind == P_ORDER && !known && meta &&
				     (meta->flags & FS_META_F_ORDERS_FULL)};
		if (msg->has_order_id)
			msg->order_id = le64(m + 6);
		if (hand && out->kind == REF_FRAME_DATA)
			app_handed(s, channel, m);
	}
}
