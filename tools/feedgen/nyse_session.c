// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A generated NYSE XDP Integrated Feed channel. It opens with a Symbol Index Mapping (3) per
 * symbol, several per packet, from SeqNum 1; then traffic packets of 1..--max-msgs messages:
 * order messages 100-104 on a per-symbol book (an order is only modified, replaced, executed or
 * deleted while open), trades 110-112, and a Source Time Reference (2) first in the first packet
 * of each simulated second. Some traffic packets are idle: a heartbeat (no messages, flag 1,
 * SeqNum the next one). Options: --reset-at N makes traffic packet N a Sequence Number Reset
 * (flag 12, type 1, SeqNum 1) after which numbering goes on from 2; --refresh-at N sends before
 * traffic packet N a refresh of the hottest symbols (flag 17 alone, or 18, 19..., 20: a Refresh
 * Header (35), their mappings and Add Order Refresh (106) of each open order); --retrans-at N
 * sends before traffic packet N the previous data packet again with flag 13. Refresh and
 * retransmission packets are never lost (both lines repeat them) and are not traffic. The run
 * ends with a heartbeat. Everything random comes from one PRNG seeded by --seed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* proto.h first: it brings <netinet/in.h>, which must come before <linux/in.h>. */
#include "proto.h"
#include "feedsieve/parse.h"
#include "book.h"
#include "nyse_encode.h"
#include "nyse_log.h"

#define NS_PER_SEC 1000000000ULL
/* Traffic packets that are idle (a heartbeat), per thousand. */
#define IDLE_PER_MILLE 30
/* Message mix, cumulative per thousand. */
#define MIX_ADD	    400
#define MIX_MODIFY  500
#define MIX_REPLACE 560
#define MIX_DELETE  690
#define MIX_EXECUTE 850
#define MIX_NDT	    920
#define MIX_CROSS   960
#define MIX_TOTAL   1000
/* Orders rest within this many cents of the mid; volumes are round lots of 100. */
#define PRICE_CENTS 50
#define CENT	    (BOOK_PRICE_SCALE / 100)
#define MAX_LOTS    20
/* The refresh covers the hottest symbols, a few messages per packet so it takes several. */
#define REFRESH_SYMBOLS 4
#define REFRESH_PER_PKT 6
#define ORDER_ID_BASE	1000000

enum nyse_phase {
	PHASE_MAPPINGS,
	PHASE_TRAFFIC,
	PHASE_CLOSING,
	PHASE_DONE,
};

struct nyse_gen {
	struct fg_gen_opts o;
	const struct symtab *syms;
	struct prng rng;
	struct book *book;
	enum nyse_phase phase;
	bool stop;
	__u32 next_map; /* keys mapped so far */
	__u64 traffic;	/* traffic packets generated */
	__u64 packets;	/* packets generated, for the simulated clock */
	__u32 seq;	/* SeqNum of the next live message */
	__u64 time_ref_sec; /* second of the last Source Time Reference, + 1; 0: none yet */
	__u64 next_order;
	__u32 next_trade;
	__u32 *sym_seq; /* per key */
	bool refreshed, retransmitted;
	/* The refresh burst in progress: its packets, the next one, and its cursor. */
	__u16 refresh_total, refresh_pkt;
	__u32 refresh_key, refresh_order;
	struct nyse_pkt pkt;
	struct nyse_pkt prev; /* the last live data packet, for --retrans-at */
	bool have_prev;
};

static int nyse_open(void **out, const struct fg_gen_opts *o)
{
	__u32 n = symtab__count(o->syms);
	struct nyse_gen *g;
	int err;

	if (o->tick_ns == 0 || o->cfg->max_msgs == 0)
		return -EINVAL;
	g = calloc(1, sizeof(*g));
	if (!g)
		return -ENOMEM;
	g->sym_seq = calloc(n + 1, sizeof(*g->sym_seq));
	err = g->sym_seq ? book__new(&g->book, n) : -ENOMEM;
	if (err) {
		free(g->sym_seq);
		free(g);
		return err;
	}
	g->o = *o;
	g->syms = o->syms;
	prng__seed(&g->rng, o->cfg->seed);
	g->seq = 1;
	g->next_order = ORDER_ID_BASE;
	g->next_trade = 1;
	*out = g;
	return 0;
}

static void nyse_close(void *gen)
{
	struct nyse_gen *g = gen;

	if (!g)
		return;
	book__free(g->book);
	free(g->sym_seq);
	free(g);
}

static void nyse_stop_traffic(void *gen)
{
	((struct nyse_gen *)gen)->stop = true;
}

/* The simulated clock: packet k is sent at epoch + k * tick. */
static __u64 now(const struct nyse_gen *g)
{
	return g->o.epoch_ns + g->packets * g->o.tick_ns;
}

static void start(struct nyse_gen *g, __u8 flag, __u32 seq)
{
	nyse_pkt__init(&g->pkt, flag, seq, now(g));
}

/* Mappings of the next symbols, as many as fit. */
static int gen_mappings(struct nyse_gen *g, struct fg_pkt *out)
{
	__u32 n = symtab__count(g->syms);
	int err;

	start(g, NYSE_DF_ORIGINAL, g->seq);
	while (g->next_map < n && nyse_pkt__fits(&g->pkt, NYSE_LEN_MAPPING) &&
	       g->pkt.count < g->o.cfg->max_msgs) {
		__u32 key = ++g->next_map;

		err = nyse_put_mapping(&g->pkt, symtab__id(g->syms, key), symtab__str(g->syms, key),
				       book__mid(g->book, (__u16)key));
		if (err)
			return err;
	}
	if (g->next_map == n)
		g->phase = PHASE_TRAFFIC;
	g->seq += g->pkt.count;
	*out = (struct fg_pkt){.seq = g->seq - g->pkt.count, .seq_count = g->pkt.count};
	return 0;
}

/* An order of KEY as its messages describe it, with the symbol's next SymbolSeqNum; the caller
 * sets Order ID, price and volume. Nothing changes until the message fits (sent()). */
static struct nyse_order order_of(struct nyse_gen *g, __u32 key)
{
	return (struct nyse_order){
	    .src_sec = (__u32)(now(g) / NS_PER_SEC),
	    .src_ns = (__u32)(now(g) % NS_PER_SEC),
	    .symbol_index = symtab__id(g->syms, key),
	    .symbol_seq = g->sym_seq[key] + 1,
	};
}

/* A message about KEY was written (ERR 0): its SymbolSeqNum is used. Returns ERR. */
static int sent(struct nyse_gen *g, __u32 key, int err)
{
	if (!err)
		g->sym_seq[key]++;
	return err;
}

static __u32 draw_price(struct nyse_gen *g, __u32 key)
{
	__u32 mid = book__mid(g->book, (__u16)key);

	return mid - PRICE_CENTS * CENT + (__u32)prng__below(&g->rng, 2 * PRICE_CENTS) * CENT;
}

static __u32 draw_volume(struct nyse_gen *g)
{
	return 100 * (1 + (__u32)prng__below(&g->rng, MAX_LOTS));
}

/* Prices are not kept per order: a change draws a new one, an execution one near the mid. */
static int put_add(struct nyse_gen *g, __u32 key)
{
	struct nyse_order o = order_of(g, key);
	int err;

	o.order_id = g->next_order;
	o.price = draw_price(g, key);
	o.volume = draw_volume(g);
	o.side = prng__below(&g->rng, 2) ? 'B' : 'S';
	err = sent(g, key, nyse_put_add(&g->pkt, &o, false));
	if (err)
		return err;
	g->next_order++;
	return book__add(g->book, (__u16)key, o.order_id, o.volume);
}

/* One message about KEY drawn from the mix; -ENOSPC when it does not fit. */
static int gen_message(struct nyse_gen *g, __u32 key)
{
	__u64 roll = prng__below(&g->rng, MIX_TOTAL);
	__u32 open = book__open_count(g->book, (__u16)key), idx;
	struct book_order *bo;
	struct nyse_order o;
	int err;

	if (roll >= MIX_EXECUTE) {
		__u16 type = roll < MIX_NDT	? NYSE_T_NON_DISPLAYED_TRADE
			     : roll < MIX_CROSS ? NYSE_T_CROSS_TRADE
						: NYSE_T_TRADE_CANCEL;

		o = order_of(g, key);
		o.price = draw_price(g, key);
		o.volume = draw_volume(g);
		err = sent(g, key, nyse_put_trade(&g->pkt, type, &o, g->next_trade));
		if (!err)
			g->next_trade++;
		return err;
	}
	if (roll < MIX_ADD || open == 0)
		return open < BOOK_POOL_MAX ? put_add(g, key) : -EAGAIN;
	idx = (__u32)prng__below(&g->rng, open);
	bo = book__order(g->book, (__u16)key, idx);
	o = order_of(g, key);
	o.order_id = bo->ref;
	o.price = draw_price(g, key);
	/* The book changes only once the message is written: a packet that is full leaves it as
	 * the messages sent describe it. */
	if (roll < MIX_MODIFY) {
		o.volume = draw_volume(g);
		err = sent(g, key, nyse_put_modify(&g->pkt, &o));
		if (!err)
			bo->shares = o.volume;
		return err;
	}
	if (roll < MIX_REPLACE) {
		o.volume = draw_volume(g);
		err = sent(g, key, nyse_put_replace(&g->pkt, &o, g->next_order));
		if (!err) {
			bo->shares = o.volume;
			bo->ref = g->next_order++;
		}
		return err;
	}
	if (roll < MIX_DELETE) {
		err = sent(g, key, nyse_put_delete(&g->pkt, &o));
		if (!err)
			book__remove(g->book, (__u16)key, idx);
		return err;
	}
	/* Execution: half of them fill the order, the others part of it. */
	o.volume = prng__below(&g->rng, 2) || bo->shares <= 100
		       ? bo->shares
		       : 100 * (1 + (__u32)prng__below(&g->rng, bo->shares / 100 - 1));
	err = sent(g, key, nyse_put_execution(&g->pkt, &o, g->next_trade, o.volume));
	if (err)
		return err;
	g->next_trade++;
	bo->shares -= o.volume;
	if (!bo->shares)
		book__remove(g->book, (__u16)key, idx);
	return 0;
}

/* The full book of the next refreshed symbols, after the Refresh Header. */
static int gen_refresh(struct nyse_gen *g, struct fg_pkt *out)
{
	__u32 nsyms = symtab__count(g->syms) < REFRESH_SYMBOLS ? symtab__count(g->syms)
								: REFRESH_SYMBOLS;
	__u16 total = g->refresh_total;
	__u8 flag = total == 1			      ? NYSE_DF_REFRESH_ONE
		    : g->refresh_pkt == 0	      ? NYSE_DF_REFRESH_START
		    : g->refresh_pkt + 1 == total ? NYSE_DF_REFRESH_END
						      : NYSE_DF_REFRESH_PART;
	int err;

	start(g, flag, g->seq);
	err = nyse_put_refresh_header(&g->pkt, (__u16)(g->refresh_pkt + 1), total, g->seq - 1);
	while (!err && g->pkt.count <= REFRESH_PER_PKT && g->refresh_key < nsyms) {
		__u32 key = g->refresh_key + 1;

		if (g->refresh_order == 0) {
			err = nyse_put_mapping(&g->pkt, symtab__id(g->syms, key),
					       symtab__str(g->syms, key),
					       book__mid(g->book, (__u16)key));
		} else {
			struct book_order *bo =
			    book__order(g->book, (__u16)key, g->refresh_order - 1);
			struct nyse_order o = order_of(g, key);

			/* a refresh repeats state, it is no new event */
			o.symbol_seq = g->sym_seq[key];
			o.order_id = bo->ref;
			o.price = book__mid(g->book, (__u16)key);
			o.volume = bo->shares;
			o.side = 'B';
			err = nyse_put_add(&g->pkt, &o, true);
		}
		if (++g->refresh_order > book__open_count(g->book, (__u16)key)) {
			g->refresh_order = 0;
			g->refresh_key++;
		}
	}
	if (err)
		return err;
	if (++g->refresh_pkt == total)
		g->refreshed = true;
	*out = (struct fg_pkt){.seq = g->seq};
	return 0;
}

/* Packets the refresh of the hottest symbols takes: REFRESH_PER_PKT messages after each header. */
static __u16 refresh_packets(const struct nyse_gen *g)
{
	__u32 nsyms = symtab__count(g->syms) < REFRESH_SYMBOLS ? symtab__count(g->syms)
								: REFRESH_SYMBOLS;
	__u32 msgs = 0, k;

	for (k = 1; k <= nsyms; k++)
		msgs += 1 + book__open_count(g->book, (__u16)k);
	return (__u16)((msgs + REFRESH_PER_PKT - 1) / REFRESH_PER_PKT);
}

/* The previous data packet again, marked as a retransmission. */
static int gen_retrans(struct nyse_gen *g, struct fg_pkt *out)
{
	g->pkt = g->prev;
	g->pkt.buf[NYSE_OFF_DELIVERY_FLAG] = NYSE_DF_RETRANS_ONE;
	g->retransmitted = true;
	*out = (struct fg_pkt){.seq = fs_le32(g->pkt.buf + NYSE_OFF_SEQ)};
	return 0;
}

/* A traffic packet: a sequence reset, an idle heartbeat, or 1..max-msgs messages. */
static int gen_traffic(struct nyse_gen *g, struct fg_pkt *out)
{
	__u32 limit = 1 + (__u32)prng__below(&g->rng, g->o.cfg->max_msgs);
	bool idle = prng__below(&g->rng, 1000) < IDLE_PER_MILLE;
	bool reset = g->o.cfg->reset_at && g->traffic == g->o.cfg->reset_at - 1;
	__u64 sec = now(g) / NS_PER_SEC;
	int err = 0;

	if (reset) {
		g->seq = 1;
		start(g, NYSE_DF_SEQ_RESET, g->seq);
		err = nyse_put_seq_reset(&g->pkt, now(g));
	} else if (idle) {
		start(g, NYSE_DF_HEARTBEAT, g->seq);
	} else {
		start(g, NYSE_DF_ORIGINAL, g->seq);
		if (g->time_ref_sec != sec + 1) {
			err = nyse_put_time_ref(&g->pkt, (__u32)sec);
			g->time_ref_sec = sec + 1;
		}
		while (!err && g->pkt.count < limit) {
			err = gen_message(g, symtab__pick(g->syms, &g->rng));
			if (err == -EAGAIN)
				err = 0;
			else if (err == -ENOSPC)
				break;
		}
		if (err == -ENOSPC)
			err = 0;
		g->prev = g->pkt;
		g->have_prev = true;
	}
	if (err)
		return err;
	g->traffic++;
	g->seq += g->pkt.count;
	/* A sequence reset is never lost: the restart must be seen on some line. */
	*out = (struct fg_pkt){.seq = g->seq - g->pkt.count,
			       .seq_count = g->pkt.count,
			       .traffic = true,
			       .lossy = !reset};
	return 0;
}

static int nyse_next(void *gen, struct fg_pkt *pkt)
{
	struct nyse_gen *g = gen;
	const struct feedgen_cfg *cfg = g->o.cfg;
	int err;

	if (g->phase == PHASE_TRAFFIC && g->stop)
		g->phase = PHASE_CLOSING;
	switch (g->phase) {
	case PHASE_MAPPINGS:
		err = gen_mappings(g, pkt);
		break;
	case PHASE_TRAFFIC:
		if (cfg->refresh_at && !g->refreshed && g->traffic == cfg->refresh_at - 1) {
			if (!g->refresh_pkt)
				g->refresh_total = refresh_packets(g);
			err = gen_refresh(g, pkt);
		} else if (cfg->retrans_at && !g->retransmitted && g->have_prev &&
			   g->traffic == cfg->retrans_at - 1) {
			err = gen_retrans(g, pkt);
		} else {
			err = gen_traffic(g, pkt);
		}
		break;
	case PHASE_CLOSING:
		start(g, NYSE_DF_HEARTBEAT, g->seq);
		g->phase = PHASE_DONE;
		*pkt = (struct fg_pkt){.seq = g->seq};
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
	return 0;
}

static int nyse_log(struct msglog *l, const struct fg_pkt *pkt, const char *group,
		    const char *lines)
{
	return nyse_log_packet(l, pkt->buf, pkt->len, group, lines);
}

const struct fg_proto fg_proto_nyse = {
    .name = "nyse-xdp",
    .style = SYMTAB_NYSE,
    .open = nyse_open,
    .close = nyse_close,
    .stop_traffic = nyse_stop_traffic,
    .next = nyse_next,
    .log = nyse_log,
};
