// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The generated day: phases, the simulated clock, the order mix and the packing into packets. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "book.h"
#include "session.h"

/* Times of day of the system events, as on a Nasdaq day (ns since midnight). */
#define HMS(h, m, s)	     ((((__u64)(h)*60 + (m)) * 60 + (s)) * ITCH_NS_PER_SEC)
#define TS_START_OF_MESSAGES HMS(3, 0, 0)
#define TS_START_OF_SYSTEM   HMS(4, 0, 0)
#define TS_START_OF_MARKET   HMS(9, 30, 0)
#define TS_END_OF_MARKET     HMS(16, 0, 0)
#define TS_END_OF_SYSTEM     HMS(20, 0, 0)
#define TS_END_OF_MESSAGES   HMS(20, 5, 0)
/* Spacing of the Stock Directory messages after 'O'. */
#define TS_DIRECTORY_STEP 1000

/* System Event codes (ITCH 5.0 section 1.1). */
#define EVENT_START_OF_MESSAGES 'O'
#define EVENT_START_OF_SYSTEM	'S'
#define EVENT_START_OF_MARKET	'Q'
#define EVENT_END_OF_MARKET	'M'
#define EVENT_END_OF_SYSTEM	'E'
#define EVENT_END_OF_MESSAGES	'C'

/* Cumulative percentages of the traffic mix: A 45, E 15, X 10, D 20, P 10. */
#define MIX_ADD	    45
#define MIX_EXECUTE 60
#define MIX_CANCEL  70
#define MIX_DELETE  90
#define MIX_TOTAL   100

/* Order sizes: mostly round lots of 100..1000 shares, some odd lots below 100. */
#define ROUND_LOT	100
#define ROUND_LOTS_MAX	10
#define ODD_LOT_PERCENT 10
/* Limit prices rest 1..20 cents away from the mid; the mid drifts a cent at a time. */
#define PRICE_TICK	100
#define PRICE_LEVELS	20
#define MID_MOVE_ONE_IN 4
#define MID_FLOOR	(1 * BOOK_PRICE_SCALE)

struct session {
	struct session_opts o;
	struct prng rng;
	struct book *book;
	enum session_phase phase;
	__u32 step;	/* message index within the opening or the closing */
	bool stop;	/* traffic ends at the next packet boundary */
	__u64 seq;	/* sequence number of the next message */
	__u64 ts;	/* timestamp of the last message */
	__u64 slot;	/* simulated start of the current traffic packet */
	__u64 next_ref; /* order reference numbers are unique for the day */
	__u64 next_match;
};

int session__new(struct session **out, const struct session_opts *opts)
{
	struct session *s;
	int err;

	if (!opts->syms || opts->max_msgs == 0 || opts->tick_ns == 0 ||
	    opts->payload_max > MOLD_PAYLOAD_MAX ||
	    opts->payload_max < MOLD_HDR_LEN + MOLD_BLOCK_HDR + ITCH_P_LEN)
		return -EINVAL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	err = book__new(&s->book, symtab__count(opts->syms));
	if (err) {
		free(s);
		return err;
	}
	s->o = *opts;
	prng__seed(&s->rng, opts->seed);
	s->phase = SESSION_OPENING;
	s->seq = 1;
	s->slot = TS_START_OF_MARKET;
	s->next_ref = 1;
	s->next_match = 1;
	*out = s;
	return 0;
}

void session__free(struct session *s)
{
	if (!s)
		return;
	book__free(s->book);
	free(s);
}

enum session_phase session__phase(const struct session *s)
{
	return s->phase;
}

void session__stop_traffic(struct session *s)
{
	s->stop = true;
}

/*
 * Header of the next message, no earlier than AT and strictly after the previous one. A run long
 * enough to reach midnight stops the clock at the last nanosecond of the day instead of wrapping.
 */
static struct itch_hdr next_hdr(struct session *s, __u16 locate, __u64 at)
{
	__u64 ts = at > s->ts ? at : s->ts + 1;
	struct itch_hdr h = {.locate = locate, .tracking = 0};

	s->ts = ts < ITCH_TS_MAX ? ts : ITCH_TS_MAX;
	h.timestamp = s->ts;
	return h;
}

static int gen_directory(struct session *s, __u8 *buf, __u16 locate)
{
	struct itch_hdr h = next_hdr(s, locate, TS_START_OF_MESSAGES + locate * TS_DIRECTORY_STEP);
	/* An ordinary Nasdaq Global Select common stock, normal status, no LULD surprises. */
	struct itch_stock_directory r = {
	    .market_category = 'Q',
	    .financial_status = 'N',
	    .round_lot_size = ROUND_LOT,
	    .round_lots_only = 'N',
	    .issue_classification = 'C',
	    .issue_sub_type = {'Z', ' '},
	    .authenticity = 'P',
	    .short_sale_threshold = 'N',
	    .ipo_flag = ' ',
	    .luld_tier = '1',
	    .etp_flag = 'N',
	    .etp_leverage = 0,
	    .inverse = 'N',
	};

	memcpy(r.stock, symtab__padded(s->o.syms, locate), ITCH_SYMBOL_LEN);
	return itch_encode_stock_directory(buf, ITCH_MSG_MAX, &h, &r);
}

static int gen_event(struct session *s, __u8 *buf, char event, __u64 at)
{
	struct itch_hdr h = next_hdr(s, 0, at);

	return itch_encode_system_event(buf, ITCH_MSG_MAX, &h, event);
}

/* O, then R for every symbol, then S and Q. */
static int gen_opening(struct session *s, __u8 *buf)
{
	__u32 nsyms = symtab__count(s->o.syms);
	__u32 step = s->step++;

	if (step == 0)
		return gen_event(s, buf, EVENT_START_OF_MESSAGES, TS_START_OF_MESSAGES);
	if (step <= nsyms)
		return gen_directory(s, buf, (__u16)step);
	if (step == nsyms + 1)
		return gen_event(s, buf, EVENT_START_OF_SYSTEM, TS_START_OF_SYSTEM);
	s->phase = SESSION_TRAFFIC;
	s->step = 0;
	return gen_event(s, buf, EVENT_START_OF_MARKET, TS_START_OF_MARKET);
}

static int gen_closing(struct session *s, __u8 *buf)
{
	switch (s->step++) {
	case 0:
		return gen_event(s, buf, EVENT_END_OF_MARKET, TS_END_OF_MARKET);
	case 1:
		return gen_event(s, buf, EVENT_END_OF_SYSTEM, TS_END_OF_SYSTEM);
	default:
		s->phase = SESSION_DONE;
		return gen_event(s, buf, EVENT_END_OF_MESSAGES, TS_END_OF_MESSAGES);
	}
}

/* Messages of one packet spread over the first half of its slot. */
static struct itch_hdr traffic_hdr(struct session *s, __u16 locate)
{
	__u64 spread = s->o.tick_ns / (2 * (__u64)s->o.max_msgs);

	return next_hdr(s, locate, s->slot + prng__below(&s->rng, spread ? spread : 1));
}

static __u32 random_shares(struct session *s)
{
	if (prng__below(&s->rng, 100) < ODD_LOT_PERCENT)
		return 1 + (__u32)prng__below(&s->rng, ROUND_LOT - 1);
	return ROUND_LOT * (1 + (__u32)prng__below(&s->rng, ROUND_LOTS_MAX));
}

/* Random walk of the mid, a cent at a time, never below $1. */
static __u32 drift_mid(struct session *s, __u16 locate)
{
	__u32 mid = book__mid(s->book, locate);

	if (prng__below(&s->rng, MID_MOVE_ONE_IN) == 0) {
		if (prng__below(&s->rng, 2))
			mid += PRICE_TICK;
		else if (mid - PRICE_TICK >= MID_FLOOR)
			mid -= PRICE_TICK;
		book__set_mid(s->book, locate, mid);
	}
	return mid;
}

static int gen_delete(struct session *s, __u8 *buf, __u16 locate)
{
	__u32 idx = (__u32)prng__below(&s->rng, book__open_count(s->book, locate));
	__u64 ref = book__order(s->book, locate, idx)->ref;
	struct itch_hdr h = traffic_hdr(s, locate);

	book__remove(s->book, locate, idx);
	return itch_encode_order_delete(buf, ITCH_MSG_MAX, &h, ref);
}

static int gen_add(struct session *s, __u8 *buf, __u16 locate)
{
	struct itch_add_order a;
	__u32 mid, away;
	struct itch_hdr h;
	int err;

	/* A full pool: the symbol's book is deep enough, retire an order instead. */
	if (book__open_count(s->book, locate) >= BOOK_POOL_MAX)
		return gen_delete(s, buf, locate);
	mid = drift_mid(s, locate);
	away = PRICE_TICK * (1 + (__u32)prng__below(&s->rng, PRICE_LEVELS));
	a.order_ref = s->next_ref++;
	a.side = prng__below(&s->rng, 2) ? 'S' : 'B';
	a.shares = random_shares(s);
	a.price = a.side == 'B' ? mid - away : mid + away;
	memcpy(a.stock, symtab__padded(s->o.syms, locate), ITCH_SYMBOL_LEN);
	err = book__add(s->book, locate, a.order_ref, a.shares);
	if (err)
		return err;
	h = traffic_hdr(s, locate);
	return itch_encode_add_order(buf, ITCH_MSG_MAX, &h, &a);
}

/* Execute part or all of an open order; a full execution closes it. */
static int gen_execute(struct session *s, __u8 *buf, __u16 locate)
{
	__u32 idx = (__u32)prng__below(&s->rng, book__open_count(s->book, locate));
	struct book_order *o = book__order(s->book, locate, idx);
	__u32 shares = o->shares;
	__u64 ref = o->ref;
	struct itch_hdr h;

	if (prng__below(&s->rng, 2))
		shares = 1 + (__u32)prng__below(&s->rng, o->shares);
	o->shares -= shares;
	if (o->shares == 0)
		book__remove(s->book, locate, idx);
	h = traffic_hdr(s, locate);
	return itch_encode_order_executed(buf, ITCH_MSG_MAX, &h, ref, shares, s->next_match++);
}

/* Partial cancel; canceling everything is a delete, which the spec says is sent as 'D'. */
static int gen_cancel(struct session *s, __u8 *buf, __u16 locate)
{
	__u32 idx = (__u32)prng__below(&s->rng, book__open_count(s->book, locate));
	struct book_order *o = book__order(s->book, locate, idx);
	struct itch_hdr h;
	__u32 shares;

	if (o->shares < 2)
		return gen_delete(s, buf, locate);
	shares = 1 + (__u32)prng__below(&s->rng, o->shares - 1);
	o->shares -= shares;
	h = traffic_hdr(s, locate);
	return itch_encode_order_cancel(buf, ITCH_MSG_MAX, &h, o->ref, shares);
}

/*
 * A match against a non-displayed order. Since 2019 Nasdaq sends its order reference as 0, and
 * since 2014 its side as 'B' always, so there is nothing in the book to update.
 */
static int gen_trade(struct session *s, __u8 *buf, __u16 locate)
{
	struct itch_trade t = {
	    .order_ref = 0,
	    .side = 'B',
	    .shares = random_shares(s),
	    .price = drift_mid(s, locate),
	    .match = s->next_match++,
	};
	struct itch_hdr h = traffic_hdr(s, locate);

	memcpy(t.stock, symtab__padded(s->o.syms, locate), ITCH_SYMBOL_LEN);
	return itch_encode_trade(buf, ITCH_MSG_MAX, &h, &t);
}

static int gen_traffic(struct session *s, __u8 *buf)
{
	__u16 locate = symtab__pick(s->o.syms, &s->rng);
	__u64 roll = prng__below(&s->rng, MIX_TOTAL);

	if (roll >= MIX_DELETE)
		return gen_trade(s, buf, locate);
	/* Executions, cancels and deletes need an open order; without one, add instead. */
	if (roll < MIX_ADD || book__open_count(s->book, locate) == 0)
		return gen_add(s, buf, locate);
	if (roll < MIX_EXECUTE)
		return gen_execute(s, buf, locate);
	if (roll < MIX_CANCEL)
		return gen_cancel(s, buf, locate);
	return gen_delete(s, buf, locate);
}

static int gen_next(struct session *s, __u8 *buf)
{
	switch (s->phase) {
	case SESSION_OPENING:
		return gen_opening(s, buf);
	case SESSION_TRAFFIC:
		return gen_traffic(s, buf);
	case SESSION_CLOSING:
		return gen_closing(s, buf);
	default:
		return -ENODATA;
	}
}

/* Room a packet must have left to take one more message of PHASE. */
static size_t largest_msg(enum session_phase phase)
{
	switch (phase) {
	case SESSION_OPENING:
		return ITCH_R_LEN;
	case SESSION_TRAFFIC:
		return ITCH_P_LEN;
	default:
		return ITCH_S_LEN;
	}
}

int session__next_packet(struct session *s, struct mold_pkt *pkt, enum session_phase *phase)
{
	__u8 buf[ITCH_MSG_MAX];
	__u32 limit = UINT32_MAX;
	enum session_phase ph;
	int err, len;

	if (s->phase == SESSION_TRAFFIC && s->stop)
		s->phase = SESSION_CLOSING;
	if (s->phase == SESSION_DONE)
		return -ENODATA;
	err = mold_pkt__init(pkt, s->o.name, s->seq, s->o.payload_max);
	if (err)
		return err;
	ph = s->phase;
	if (ph == SESSION_TRAFFIC) {
		limit = 1 + (__u32)prng__below(&s->rng, s->o.max_msgs);
		s->slot += s->o.tick_ns;
	}
	/*
	 * Only generate a message known to fit: one generated and then held back could outlive
	 * the traffic phase and make the packet count wrong.
	 */
	while (s->phase == ph && pkt->count < limit && mold_pkt__fits(pkt, largest_msg(ph))) {
		len = gen_next(s, buf);
		if (len < 0)
			return len;
		err = mold_pkt__append(pkt, buf, (size_t)len);
		if (err)
			return err;
		s->seq++;
	}
	*phase = ph;
	return 0;
}

int session__heartbeat(const struct session *s, struct mold_pkt *pkt)
{
	return mold_pkt__init(pkt, s->o.name, s->seq, s->o.payload_max);
}

int session__end_of_session(const struct session *s, struct mold_pkt *pkt)
{
	int err;

	err = mold_pkt__init(pkt, s->o.name, s->seq, s->o.payload_max);
	if (err)
		return err;
	return mold_pkt__mark_end_of_session(pkt);
}
