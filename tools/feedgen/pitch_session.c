// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A generated Cboe Multicast PITCH group carrying the units --units FIRST-LAST, each with its own
 * sequence from 1; symbol key k belongs to unit FIRST + (k - 1) % units. Each traffic packet is
 * one unit's: a Time message first when the unit has had none in this simulated second, then
 * 1..--max-msgs messages about its symbols: Add Order (short when symbol, quantity and price fit,
 * else long; expanded for 7-8 character symbols), Order Executed (partial or full), Executed at
 * Price/Size, Reduce Size, Modify (short and long), Delete, Trades (short, long, expanded, each
 * with its own Order ID: orders not on the book) and Trading Status, on a per-symbol book of open
 * orders, so an order is named only while open and Order IDs are never reused. Some traffic
 * packets are idle: a heartbeat (no messages, sequence = the unit's next). --reset-at N: traffic
 * packet N restarts unit FIRST at sequence 1 with a Time and a Unit Clear, whose orders are then
 * gone. --unsequenced-at N: before traffic packet N, an unsequenced packet (sequence 0, not
 * traffic, never lost) of unit FIRST with a Trading Status of its two hottest symbols. The run
 * ends with a heartbeat per unit. Everything random comes from one PRNG seeded by --seed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* proto.h first: it brings <netinet/in.h>, which must come before <linux/in.h>. */
#include "proto.h"
#include "book.h"
#include "pitch_encode.h"
#include "pitch_log.h"

#define NS_PER_SEC  1000000000ULL
#define SEC_PER_DAY 86400
#define UNITS_MAX   256
/* Traffic packets that are idle (a heartbeat), per thousand. */
#define IDLE_PER_MILLE 30
/* Message mix, cumulative per thousand. */
#define MIX_ADD		380
#define MIX_EXECUTED	470
#define MIX_EXEC_PRICE	520
#define MIX_REDUCE	610
#define MIX_MODIFY	710
#define MIX_DELETE	830
#define MIX_TRADE	960
#define MIX_TOTAL	1000
#define PRICE_CENTS	50
#define CENT		(BOOK_PRICE_SCALE / 100)
#define MAX_LOTS	20
#define ORDER_ID_BASE	0x1000000000ULL
/* Tries to draw a symbol of the packet's unit by popularity before taking its first one. */
#define PICK_TRIES 64

enum pitch_phase {
	PHASE_TRAFFIC,
	PHASE_CLOSING, /* one heartbeat per unit */
	PHASE_DONE,
};

struct pitch_unit {
	__u32 seq;	/* of the next message */
	__u64 time_sec; /* second of the last Time message, + 1; 0: none yet */
};

struct pitch_gen {
	struct fg_gen_opts o;
	const struct symtab *syms;
	struct prng rng;
	struct book *book;
	enum pitch_phase phase;
	bool stop, unsequenced_sent;
	__u32 unit_first, units;
	__u32 closing; /* units closed so far */
	__u64 traffic, packets;
	__u64 next_order, next_exec;
	struct pitch_unit unit[UNITS_MAX];
	struct pitch_pkt pkt;
	struct pitch_note notes[256];
};

static int pitch_open(void **out, const struct fg_gen_opts *o)
{
	struct pitch_gen *g;
	__u32 u;
	int err;

	if (o->tick_ns == 0 || o->cfg->max_msgs == 0 || o->cfg->unit_first == 0 ||
	    o->cfg->unit_last < o->cfg->unit_first || o->cfg->unit_last >= UNITS_MAX)
		return -EINVAL;
	g = calloc(1, sizeof(*g));
	if (!g)
		return -ENOMEM;
	err = book__new(&g->book, symtab__count(o->syms));
	if (err) {
		free(g);
		return err;
	}
	g->o = *o;
	g->syms = o->syms;
	prng__seed(&g->rng, o->cfg->seed);
	g->unit_first = o->cfg->unit_first;
	g->units = o->cfg->unit_last - o->cfg->unit_first + 1;
	for (u = 0; u < UNITS_MAX; u++)
		g->unit[u].seq = 1;
	g->next_order = ORDER_ID_BASE;
	g->next_exec = 1;
	*out = g;
	return 0;
}

static void pitch_close(void *gen)
{
	struct pitch_gen *g = gen;

	if (!g)
		return;
	book__free(g->book);
	free(g);
}

static void pitch_stop_traffic(void *gen)
{
	((struct pitch_gen *)gen)->stop = true;
}

static __u64 now(const struct pitch_gen *g)
{
	return g->o.epoch_ns + g->packets * g->o.tick_ns;
}

static __u32 unit_of(const struct pitch_gen *g, __u32 key)
{
	return g->unit_first + (key - 1) % g->units;
}

/* A symbol of unit U, drawn by popularity; 0 when U has none (fewer symbols than units). */
static __u32 pick(struct pitch_gen *g, __u32 u)
{
	__u32 key, i;

	for (i = 0; i < PICK_TRIES; i++) {
		key = symtab__pick(g->syms, &g->rng);
		if (unit_of(g, key) == u)
			return key;
	}
	key = u - g->unit_first + 1;
	return key <= symtab__count(g->syms) ? key : 0;
}

static void note(struct pitch_gen *g, __u32 key, enum pitch_note_order state)
{
	g->notes[g->pkt.count - 1] = (struct pitch_note){.key = key, .order = state};
}

static __u64 draw_price(struct pitch_gen *g, __u32 key)
{
	__u32 mid = book__mid(g->book, (__u16)key);

	return mid - PRICE_CENTS * CENT + prng__below(&g->rng, 2 * PRICE_CENTS) * CENT;
}

static __u32 draw_qty(struct pitch_gen *g)
{
	return 100 * (1 + (__u32)prng__below(&g->rng, MAX_LOTS));
}

static struct pitch_order order_of(struct pitch_gen *g, __u32 key)
{
	return (struct pitch_order){
	    .ts_ns = (__u32)(now(g) % NS_PER_SEC),
	    .symbol = symtab__str(g->syms, key),
	    .side = prng__below(&g->rng, 2) ? 'B' : 'S',
	};
}

/* The add or trade form for O: expanded for long symbols, else short or long at random. */
static __u8 form(struct pitch_gen *g, const struct pitch_order *o, __u8 t_short, __u8 t_long,
		 __u8 t_expanded)
{
	if (strlen(o->symbol) > PITCH_SYMBOL_LEN_SHORT)
		return t_expanded;
	return pitch_fits_short(o) && prng__below(&g->rng, 2) ? t_short : t_long;
}

static int put_add(struct pitch_gen *g, __u32 key)
{
	struct pitch_order o = order_of(g, key);
	int err;

	o.order_id = g->next_order++;
	o.qty = draw_qty(g);
	o.price = draw_price(g, key);
	err = pitch_put_add(&g->pkt,
			    form(g, &o, PITCH_T_ADD_SHORT, PITCH_T_ADD_LONG, PITCH_T_ADD_EXPANDED),
			    &o);
	if (err)
		return err;
	note(g, key, PITCH_NOTE_OPEN);
	return book__add(g->book, (__u16)key, o.order_id, o.qty);
}

/* Part of QTY (a round lot at least, less than QTY), or all of it when it is one lot. */
static __u32 part_of(struct pitch_gen *g, __u32 qty)
{
	return qty <= 100 ? qty : 100 * (1 + (__u32)prng__below(&g->rng, qty / 100 - 1));
}

/* A message about open order IDX of KEY; the book follows it. */
static int change_order(struct pitch_gen *g, __u32 key, __u32 idx, __u64 roll)
{
	struct book_order *bo = book__order(g->book, (__u16)key, idx);
	struct pitch_order o = order_of(g, key);
	bool full = prng__below(&g->rng, 2), is_short = prng__below(&g->rng, 2);
	__u32 qty = full ? bo->shares : part_of(g, bo->shares);
	int err;

	o.order_id = bo->ref;
	o.price = draw_price(g, key);
	if (roll < MIX_EXECUTED) {
		err = pitch_put_executed(&g->pkt, &o, qty, g->next_exec++);
	} else if (roll < MIX_EXEC_PRICE) {
		err = pitch_put_executed_at_price(&g->pkt, &o, qty, bo->shares - qty,
						  g->next_exec++);
	} else if (roll < MIX_REDUCE) {
		err = pitch_put_reduce(&g->pkt, is_short, &o, qty);
	} else if (roll < MIX_MODIFY) {
		o.qty = draw_qty(g);
		err = pitch_put_modify(&g->pkt, is_short, &o);
		qty = 0;
		if (!err)
			bo->shares = o.qty;
	} else {
		err = pitch_put_delete(&g->pkt, &o);
		qty = bo->shares;
	}
	if (err)
		return err;
	bo->shares -= qty;
	note(g, key, bo->shares ? PITCH_NOTE_OPEN : PITCH_NOTE_CLOSED);
	if (!bo->shares)
		book__remove(g->book, (__u16)key, idx);
	return 0;
}

/* One message about KEY drawn from the mix; -ENOSPC when it does not fit. */
static int gen_message(struct pitch_gen *g, __u32 key)
{
	__u64 roll = prng__below(&g->rng, MIX_TOTAL);
	__u32 open = book__open_count(g->book, (__u16)key);
	struct pitch_order o;
	int err;

	if (roll >= MIX_TRADE) {
		err = pitch_put_status(&g->pkt, (__u32)(now(g) % NS_PER_SEC),
				       symtab__str(g->syms, key), 'T');
		if (!err)
			note(g, key, PITCH_NOTE_NONE);
		return err;
	}
	if (roll >= MIX_DELETE) {
		o = order_of(g, key);
		o.order_id = g->next_order++;
		o.qty = draw_qty(g);
		o.price = draw_price(g, key);
		err = pitch_put_trade(
		    &g->pkt, form(g, &o, PITCH_T_TRADE_SHORT, PITCH_T_TRADE_LONG, PITCH_T_TRADE_EXPANDED),
		    &o, g->next_exec++);
		if (!err)
			note(g, key, PITCH_NOTE_NONE);
		return err;
	}
	if (roll < MIX_ADD || open == 0)
		return open < BOOK_POOL_MAX ? put_add(g, key) : -EAGAIN;
	return change_order(g, key, (__u32)prng__below(&g->rng, open), roll);
}

/* A Time message when unit U has had none in this simulated second. */
static int put_time(struct pitch_gen *g, __u32 u)
{
	__u64 sec = now(g) / NS_PER_SEC;
	int err;

	if (g->unit[u].time_sec == sec + 1)
		return 0;
	err = pitch_put_time(&g->pkt, (__u32)(sec % SEC_PER_DAY));
	if (err)
		return err;
	note(g, 0, PITCH_NOTE_NONE);
	g->unit[u].time_sec = sec + 1;
	return 0;
}

/* Unit U starts again at 1: its book is cleared. */
static int gen_restart(struct pitch_gen *g, __u32 u)
{
	__u32 key;
	int err;

	g->unit[u].seq = 1;
	g->unit[u].time_sec = 0;
	pitch_pkt__init(&g->pkt, (__u8)u, 1);
	err = put_time(g, u);
	if (!err)
		err = pitch_put_unit_clear(&g->pkt, (__u32)(now(g) % NS_PER_SEC));
	if (err)
		return err;
	note(g, 0, PITCH_NOTE_NONE);
	for (key = u - g->unit_first + 1; key <= symtab__count(g->syms); key += g->units)
		while (book__open_count(g->book, (__u16)key))
			book__remove(g->book, (__u16)key, 0);
	return 0;
}

static int gen_unsequenced(struct pitch_gen *g, struct fg_pkt *out)
{
	__u32 u = g->unit_first, key;
	int err = 0;

	pitch_pkt__init(&g->pkt, (__u8)u, 0);
	for (key = 1; !err && key <= symtab__count(g->syms) && g->pkt.count < 2; key++) {
		if (unit_of(g, key) != u)
			continue;
		err = pitch_put_status(&g->pkt, (__u32)(now(g) % NS_PER_SEC),
				       symtab__str(g->syms, key), 'T');
		if (!err)
			note(g, key, PITCH_NOTE_NONE);
	}
	g->unsequenced_sent = true;
	*out = (struct fg_pkt){.seq = 0};
	return err;
}

static int gen_traffic(struct pitch_gen *g, struct fg_pkt *out)
{
	__u32 u = g->unit_first + (__u32)prng__below(&g->rng, g->units);
	__u32 limit = 1 + (__u32)prng__below(&g->rng, g->o.cfg->max_msgs), key;
	bool idle = prng__below(&g->rng, 1000) < IDLE_PER_MILLE;
	bool reset = g->o.cfg->reset_at && g->traffic == g->o.cfg->reset_at - 1;
	int err = 0;

	if (reset) {
		u = g->unit_first;
		err = gen_restart(g, u);
	} else {
		pitch_pkt__init(&g->pkt, (__u8)u, g->unit[u].seq);
		if (!idle)
			err = put_time(g, u);
		while (!idle && !err && g->pkt.count < limit) {
			key = pick(g, u);
			if (!key)
				break;
			err = gen_message(g, key);
			if (err == -EAGAIN)
				err = 0;
		}
		if (err == -ENOSPC)
			err = 0;
	}
	if (err)
		return err;
	g->traffic++;
	*out = (struct fg_pkt){.seq = g->unit[u].seq,
			       .seq_count = g->pkt.count,
			       .traffic = true,
			       .lossy = !reset};
	g->unit[u].seq += g->pkt.count;
	return 0;
}

static int pitch_next(void *gen, struct fg_pkt *pkt)
{
	struct pitch_gen *g = gen;
	const struct feedgen_cfg *cfg = g->o.cfg;
	__u32 u;
	int err;

	if (g->phase == PHASE_TRAFFIC && g->stop)
		g->phase = PHASE_CLOSING;
	switch (g->phase) {
	case PHASE_TRAFFIC:
		if (cfg->unsequenced_at && !g->unsequenced_sent &&
		    g->traffic == cfg->unsequenced_at - 1)
			err = gen_unsequenced(g, pkt);
		else
			err = gen_traffic(g, pkt);
		break;
	case PHASE_CLOSING:
		u = g->unit_first + g->closing++;
		pitch_pkt__init(&g->pkt, (__u8)u, g->unit[u].seq);
		*pkt = (struct fg_pkt){.seq = g->unit[u].seq};
		if (g->closing == g->units)
			g->phase = PHASE_DONE;
		err = 0;
		break;
	default:
		return -ENODATA;
	}
	if (err)
		return err;
	g->packets++;
	pkt->buf = g->pkt.buf;
	pkt->len = g->pkt.len;
	pkt->msgs = g->pkt.count;
	pkt->chan = FG_CHAN_MAIN;
	pkt->priv = g->notes;
	return 0;
}

static int pitch_log(struct msglog *l, const struct fg_pkt *pkt, const char *group,
		     const char *lines)
{
	return pitch_log_packet(l, pkt->buf, pkt->len, pkt->priv, group, lines);
}

const struct fg_proto fg_proto_pitch = {
    .name = "pitch",
    .style = SYMTAB_PITCH,
    .open = pitch_open,
    .close = pitch_close,
    .stop_traffic = pitch_stop_traffic,
    .next = pitch_next,
    .log = pitch_log,
};
