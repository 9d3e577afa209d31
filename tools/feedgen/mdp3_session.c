// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A generated CME MDP 3.0 incremental channel, and its instrument definitions on their own
 * group. With --definitions, the full definition loop (54 for outrights, 56 for spreads) goes
 * first and then one definitions packet, continuing the loop, after every DEFS_EVERY incremental
 * packets. Incremental packets carry one MsgSeqNum each and 1..--max-msgs messages: book updates
 * (46, with an OrderID group that may be empty), trade summaries (48) and volume (37), several
 * entries each about several instruments, whose RptSeq counts up per instrument across templates.
 * Some packets are idle: one AdminHeartbeat (12). --reset-at N makes traffic packet N a
 * ChannelReset (4) with MsgSeqNum 1, after which MsgSeqNum and every RptSeq start again. The run
 * ends with a heartbeat. Everything random comes from one PRNG seeded by --seed.
 *
 * With --snapshot, the Market Recovery feed: during traffic, every --snapshot-interval-ms of
 * the simulated clock one packet holding the SnapshotFullRefresh (52) of the next instrument
 * of the loop: its book as the book updates sent so far left it, its RptSeq, and
 * LastMsgSeqNumProcessed = the last incremental packet's MsgSeqNum. Each loop goes through every
 * instrument and starts again at MsgSeqNum 1, as CME's does. Snapshot packets are never lost
 * and do not count as traffic. With --snapshot-lag N each snapshot is sent N snapshot packets
 * after it was taken (a recovery feed running behind the incrementals, as a real loop over many
 * instruments does): its LastMsgSeqNumProcessed is that old when it arrives. After the
 * traffic, before the closing heartbeat, the loop goes once more round every instrument (and
 * through what the lag holds back), back to back: every instrument's last snapshot reflects the
 * last traffic packet, so a receiver can recover whatever the traffic lost.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* proto.h first: it brings <netinet/in.h>, which must come before <linux/in.h>. */
#include "proto.h"
#include "mdp3_encode.h"
#include "mdp3_log.h"
#include "mdp3_snapshot.h"

/* Incremental packets between two definitions packets after the first full loop. */
#define DEFS_EVERY 8
/* Traffic packets that are idle (a heartbeat), per thousand. */
#define IDLE_PER_MILLE 30
/* Template mix, cumulative percent: 46 60, 48 25, 37 15. */
#define MIX_BOOK  60
#define MIX_TRADE 85
#define MIX_TOTAL 100
/* Entries of group 0 per message, at most; orders of the OrderID group, at most. */
#define MAX_BOOK_ENTRIES   4
#define MAX_TRADE_ENTRIES  2
#define MAX_VOLUME_ENTRIES 3
#define MAX_ORDERS	   2
/* Prices are PRICE9 mantissas (exponent -9); a tick of 0.25 and mids between 100 and 5100. */
#define PRICE9		    1000000000LL
#define PRICE_TICK	    (PRICE9 / 4)
#define PRICE_LEVELS	    10
#define MAX_QTY		    500
#define MAX_ORDERS_AT_LEVEL 20
/* ApplID of the channel (as in CME's channel configuration) and of its definitions. */
#define CHANNEL_APPL_ID 310
/* Maturity years are single digits from 2020. */
#define MATURITY_DECADE 2020

enum mdp3_phase {
	PHASE_DEFINITIONS, /* the first full definition loop */
	PHASE_TRAFFIC,
	PHASE_SNAPSHOT_TAIL, /* --snapshot: a last loop reflecting the last traffic packet */
	PHASE_CLOSING,	     /* the closing heartbeat */
	PHASE_DONE,
};

struct mdp3_gen {
	struct fg_gen_opts o;
	const struct symtab *syms;
	struct prng rng;
	enum mdp3_phase phase;
	bool stop;
	bool defs; /* a definitions group was given */
	__u64 reset_at;
	__u64 traffic; /* traffic packets generated */
	__u64 packets; /* packets generated, for the simulated clock */
	__u32 seq;     /* MsgSeqNum of the next incremental packet */
	__u32 dseq;    /* of the next definitions packet */
	__u32 next_def;
	__u32 since_defs;
	__u64 next_order;
	__u32 *rpt; /* per key: last RptSeq sent */
	struct mdp3_pkt pkt;
	/* The snapshot loop (--snapshot): books, the next instrument key - 1, the loop's next
	 * MsgSeqNum and when the next snapshot packet is due on the simulated clock. */
	struct mdp3_books *books;
	__u32 next_snap;
	__u32 sseq;
	__u64 snap_due_ns;
	/* Snapshots taken and not sent yet (--snapshot-lag + 1 slots, a ring). */
	struct snap_slot {
		__u8 msg[FG_PAYLOAD_MAX];
		int len;
		bool loop_start; /* the first instrument of a loop: MsgSeqNum 1 again */
	} *slots;
	__u64 taken;
	__u32 tail_left; /* snapshots still to take in the last loop */
};

static int mdp3_open(void **out, const struct fg_gen_opts *o)
{
	__u32 n = symtab__count(o->syms);
	struct mdp3_gen *g;

	if (o->tick_ns == 0 || o->cfg->max_msgs == 0)
		return -EINVAL;
	g = calloc(1, sizeof(*g));
	if (!g)
		return -ENOMEM;
	g->rpt = calloc(n + 1, sizeof(*g->rpt));
	if (!g->rpt) {
		free(g);
		return -ENOMEM;
	}
	g->o = *o;
	g->syms = o->syms;
	prng__seed(&g->rng, o->cfg->seed);
	g->defs = o->cfg->have_defs;
	g->phase = g->defs ? PHASE_DEFINITIONS : PHASE_TRAFFIC;
	g->reset_at = o->cfg->reset_at;
	g->seq = 1;
	g->dseq = 1;
	g->next_order = 1;
	if (o->cfg->have_snapshot &&
	    (mdp3_books__new(&g->books, n) ||
	     !(g->slots = calloc(o->cfg->snapshot_lag + 1, sizeof(*g->slots))))) {
		mdp3_books__free(g->books);
		free(g->rpt);
		free(g);
		return -ENOMEM;
	}
	g->sseq = 1;
	*out = g;
	return 0;
}

static void mdp3_close(void *gen)
{
	struct mdp3_gen *g = gen;

	if (!g)
		return;
	mdp3_books__free(g->books);
	free(g->slots);
	free(g->rpt);
	free(g);
}

static void mdp3_stop_traffic(void *gen)
{
	((struct mdp3_gen *)gen)->stop = true;
}

/* The simulated clock: packet k is sent at epoch + k * tick. */
static __u64 now(const struct mdp3_gen *g)
{
	return g->o.epoch_ns + g->packets * g->o.tick_ns;
}

/* Month and year of "ROOTMY" (the first leg of a spread); false for other shapes. */
static bool maturity(const char *name, __u16 *year, __u8 *month, size_t *root_len)
{
	static const char codes[] = "FGHJKMNQUVXZ";
	size_t len = strcspn(name, "-");
	const char *m;

	if (len < 3 || name[len - 1] < '0' || name[len - 1] > '9')
		return false;
	m = strchr(codes, name[len - 2]);
	if (!m || strcspn(name, " :") < len)
		return false;
	*year = (__u16)(MATURITY_DECADE + name[len - 1] - '0');
	*month = (__u8)(m - codes + 1);
	*root_len = len - 2;
	return true;
}

/* The two legs of "A-B" when both are in the table; false otherwise (butterflies, strangers). */
static bool legs_of(const struct symtab *t, const char *name, __s32 ids[2])
{
	char a[FS_SYMBOL_LEN + 1];
	const char *dash = strchr(name, '-');
	__u32 ka, kb;

	if (!dash || strchr(dash + 1, '-') || (size_t)(dash - name) > FS_SYMBOL_LEN)
		return false;
	memcpy(a, name, (size_t)(dash - name));
	a[dash - name] = '\0';
	ka = symtab__key_of_name(t, a);
	kb = symtab__key_of_name(t, dash + 1);
	if (!ka || !kb)
		return false;
	ids[0] = (__s32)symtab__id(t, ka);
	ids[1] = (__s32)symtab__id(t, kb);
	return true;
}

static void fill_definition(const struct mdp3_gen *g, __u32 key, struct mdp3_definition *d)
{
	const char *name = symtab__str(g->syms, key);
	size_t root = 0;

	memset(d, 0, sizeof(*d));
	d->template_id = strpbrk(name, "- ") ? MDP3_T_DEF_SPREAD : MDP3_T_DEF_FUTURE;
	d->security_id = (__s32)symtab__id(g->syms, key);
	memcpy(d->symbol, name, strlen(name)); /* NUL padded: d was zeroed */
	d->tot_num_reports = symtab__count(g->syms);
	d->last_update = g->o.epoch_ns;
	if (!maturity(name, &d->year, &d->month, &root)) {
		d->year = 0xFFFF; /* uInt16 null */
		d->month = MDP3_UINT8_NULL;
		root = strcspn(name, " :-");
	}
	root = root < sizeof(d->asset) ? root : sizeof(d->asset);
	memcpy(d->asset, name, root);
	memcpy(d->group, name, root);
	if (d->template_id == MDP3_T_DEF_SPREAD && !legs_of(g->syms, name, d->leg_ids))
		d->leg_ids[0] = d->leg_ids[1] = 0;
}

/*
 * A packet of definitions, continuing the loop; the first loop ends the definitions phase. As
 * CME's definition feed does, every loop starts again at MsgSeqNum 1 (a receiver starts
 * recovering when it sees 1), so a loop never shares a packet with the next.
 */
static int gen_definitions(struct mdp3_gen *g, struct fg_pkt *out)
{
	__u8 buf[FG_PAYLOAD_MAX];
	struct mdp3_definition d;
	int err, len;

	if (g->next_def == 0)
		g->dseq = 1;
	err = mdp3_pkt__init(&g->pkt, g->dseq++, now(g), FG_PAYLOAD_MAX);
	if (err)
		return err;
	for (;;) {
		fill_definition(g, g->next_def + 1, &d);
		if (!mdp3_pkt__fits(&g->pkt, mdp3_definition_len(d.template_id, d.leg_ids[0])))
			break;
		len = mdp3_encode_definition(buf, sizeof(buf), &d);
		if (len < 0)
			return len;
		err = mdp3_pkt__append(&g->pkt, buf, (size_t)len);
		if (err)
			return err;
		g->next_def = (g->next_def + 1) % symtab__count(g->syms);
		if (g->next_def == 0) {
			if (g->phase == PHASE_DEFINITIONS)
				g->phase = PHASE_TRAFFIC;
			break;
		}
	}
	err = mdp3_pkt__mark_last(&g->pkt, 0, MDP3_MEI_END_OF_EVENT);
	if (err)
		return err;
	*out = (struct fg_pkt){.seq = g->pkt.seq, .chan = FG_CHAN_DEFS};
	return 0;
}

static __s64 mid_price(__u32 key)
{
	return (100 + (__s64)(key * 37 % 5000)) * PRICE9;
}

/* The next entry about a random instrument: its RptSeq counts on. */
static void pick_entry(struct mdp3_gen *g, struct mdp3_entry *e)
{
	__u32 key = symtab__pick(g->syms, &g->rng);

	memset(e, 0, sizeof(*e));
	e->security_id = (__s32)symtab__id(g->syms, key);
	e->rpt_seq = ++g->rpt[key];
	e->size = 1 + (__s32)prng__below(&g->rng, MAX_QTY);
	e->orders = 1 + (__s32)prng__below(&g->rng, MAX_ORDERS_AT_LEVEL);
	e->px = mid_price(key);
}

static void pick_orders(struct mdp3_gen *g, struct mdp3_order *o, unsigned int n,
			unsigned int entries)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		o[i] = (struct mdp3_order){
		    .id = g->next_order++,
		    .priority = g->next_order,
		    .qty = 1 + (__s32)prng__below(&g->rng, MAX_QTY),
		    .ref = (__u8)(1 + prng__below(&g->rng, entries)),
		    .action = (__u8)prng__below(&g->rng, 3),
		};
	}
}

/* One incremental message into BUF, if one of the drawn shape fits in ROOM; 0 if not. */
static int gen_message(struct mdp3_gen *g, __u8 *buf, size_t room)
{
	struct mdp3_entry e[MAX_BOOK_ENTRIES];
	struct mdp3_order o[MAX_ORDERS];
	__u64 roll = prng__below(&g->rng, MIX_TOTAL), t = now(g) - 1;
	unsigned int n, no, i;

	if (roll < MIX_BOOK) {
		n = 1 + (unsigned int)prng__below(&g->rng, MAX_BOOK_ENTRIES);
		no = (unsigned int)prng__below(&g->rng, MAX_ORDERS + 1);
		if (mdp3_book_len(n, no) > room)
			return 0;
		for (i = 0; i < n; i++) {
			__s64 away;

			pick_entry(g, &e[i]);
			e[i].level = (__u8)(1 + prng__below(&g->rng, PRICE_LEVELS));
			e[i].action = (__u8)prng__below(&g->rng, 3);
			e[i].type = prng__below(&g->rng, 2) ? '1' : '0';
			away = PRICE_TICK * e[i].level;
			e[i].px += e[i].type == '0' ? -away : away;
			if (g->books)
				mdp3_books__apply(g->books,
						  symtab__key_of_id(g->syms, (__u32)e[i].security_id),
						  &e[i]);
		}
		pick_orders(g, o, no, n);
		return mdp3_encode_book(buf, room, t, 0, e, n, o, no);
	}
	if (roll < MIX_TRADE) {
		n = 1 + (unsigned int)prng__below(&g->rng, MAX_TRADE_ENTRIES);
		no = (unsigned int)prng__below(&g->rng, MAX_ORDERS + 1);
		if (mdp3_trade_len(n, no) > room)
			return 0;
		for (i = 0; i < n; i++) {
			pick_entry(g, &e[i]);
			e[i].type = (char)prng__below(&g->rng, 3); /* no aggressor, buy, sell */
		}
		pick_orders(g, o, no, n);
		return mdp3_encode_trade(buf, room, t, 0, e, n, o, no);
	}
	n = 1 + (unsigned int)prng__below(&g->rng, MAX_VOLUME_ENTRIES);
	if (mdp3_volume_len(n) > room)
		return 0;
	for (i = 0; i < n; i++)
		pick_entry(g, &e[i]);
	return mdp3_encode_volume(buf, room, t, 0, e, n);
}

static int append_one(struct mdp3_gen *g, const __u8 *buf, int len)
{
	if (len < 0)
		return len;
	return mdp3_pkt__append(&g->pkt, buf, (size_t)len);
}

/* A traffic packet: a channel reset, an idle heartbeat, or 1..max-msgs incremental messages. */
static int gen_traffic(struct mdp3_gen *g, struct fg_pkt *out)
{
	__u32 limit = 1 + (__u32)prng__below(&g->rng, g->o.cfg->max_msgs);
	bool idle = prng__below(&g->rng, 1000) < IDLE_PER_MILLE;
	bool reset = g->reset_at && g->traffic == g->reset_at - 1;
	__u8 buf[FG_PAYLOAD_MAX];
	int err, len;

	if (reset) {
		/* Every sequence starts again: the packet's MsgSeqNum is 1, RptSeqs restart. */
		g->seq = 1;
		memset(g->rpt, 0, (symtab__count(g->syms) + 1) * sizeof(*g->rpt));
	}
	err = mdp3_pkt__init(&g->pkt, g->seq++, now(g), FG_PAYLOAD_MAX);
	if (err)
		return err;
	if (reset) {
		len = mdp3_encode_channel_reset(buf, sizeof(buf), now(g) - 1, MDP3_MEI_END_OF_EVENT,
						CHANNEL_APPL_ID);
		err = append_one(g, buf, len);
	} else if (idle) {
		err = append_one(g, buf, mdp3_encode_heartbeat(buf, sizeof(buf)));
	} else {
		while (!err && g->pkt.count < limit) {
			len = gen_message(g, buf, g->pkt.cap - g->pkt.len);
			if (len == 0)
				break;
			err = append_one(g, buf, len);
		}
		if (!err)
			err = mdp3_pkt__mark_last(&g->pkt, MDP3_ROOT_OFF_MATCH_EVENT,
						  MDP3_MEI_END_OF_EVENT);
	}
	if (err)
		return err;
	g->traffic++;
	g->since_defs++;
	/* A channel reset is never lost: the restart must be seen on some line. */
	*out = (struct fg_pkt){.seq = g->pkt.seq, .traffic = true, .lossy = !reset};
	return 0;
}

/* The next snapshot packet of the loop: one instrument's SnapshotFullRefresh. */
/* Take the next instrument's SnapshotFullRefresh into the ring. */
static int take_snapshot(struct mdp3_gen *g)
{
	struct mdp3_entry lv[MDP3_SNAPSHOT_MAX_ENTRIES];
	__u32 key = g->next_snap + 1, n = symtab__count(g->syms);
	struct snap_slot *slot = &g->slots[g->taken % (g->o.cfg->snapshot_lag + 1)];
	struct mdp3_snapshot snap = {
	    .last_seq = g->seq - 1,
	    .tot_reports = n,
	    .security_id = (__s32)symtab__id(g->syms, key),
	    .rpt_seq = g->rpt[key],
	    .time = now(g) - 1,
	    .entries = lv,
	};

	snap.n = mdp3_books__levels(g->books, key, lv);
	slot->len = mdp3_encode_snapshot(slot->msg, sizeof(slot->msg), &snap);
	if (slot->len < 0)
		return slot->len;
	slot->loop_start = g->next_snap == 0;
	g->next_snap = (g->next_snap + 1) % n;
	g->snap_due_ns += g->o.cfg->snapshot_interval_ms * 1000000ULL;
	g->taken++;
	return 0;
}

/* A snapshot packet: the one taken --snapshot-lag snapshots ago; -EAGAIN while none is. */
static int gen_snapshot(struct mdp3_gen *g, struct fg_pkt *out)
{
	__u32 lag = g->o.cfg->snapshot_lag;
	const struct snap_slot *slot;
	int err = take_snapshot(g);

	if (err)
		return err;
	if (g->taken <= lag)
		return -EAGAIN;
	slot = &g->slots[(g->taken - 1 - lag) % (lag + 1)];
	if (slot->loop_start)
		g->sseq = 1; /* every loop starts again at 1 */
	err = mdp3_pkt__init(&g->pkt, g->sseq++, now(g), FG_PAYLOAD_MAX);
	if (!err)
		err = mdp3_pkt__append(&g->pkt, slot->msg, (size_t)slot->len);
	if (err)
		return err;
	*out = (struct fg_pkt){.seq = g->pkt.seq, .chan = FG_CHAN_SNAPSHOT};
	return 0;
}

/* Is a snapshot packet due before the next traffic packet? */
static bool snapshot_due(struct mdp3_gen *g)
{
	if (!g->books)
		return false;
	if (!g->snap_due_ns)
		g->snap_due_ns = now(g); /* the loop starts with the traffic */
	return now(g) >= g->snap_due_ns;
}

/* The last loop: the next snapshot packet of it, or on to the closing once it is all sent. */
static int gen_snapshot_tail(struct mdp3_gen *g, struct fg_pkt *out)
{
	int err = -EAGAIN;

	while (err == -EAGAIN && g->tail_left) {
		g->tail_left--;
		err = gen_snapshot(g, out);
	}
	if (!g->tail_left)
		g->phase = PHASE_CLOSING;
	return err;
}

static int gen_closing(struct mdp3_gen *g, struct fg_pkt *out)
{
	__u8 buf[MDP3_MSG_HDR_LEN];
	int err;

	err = mdp3_pkt__init(&g->pkt, g->seq++, now(g), FG_PAYLOAD_MAX);
	if (!err)
		err = append_one(g, buf, mdp3_encode_heartbeat(buf, sizeof(buf)));
	if (err)
		return err;
	g->phase = PHASE_DONE;
	*out = (struct fg_pkt){.seq = g->pkt.seq};
	return 0;
}

static int mdp3_next(void *gen, struct fg_pkt *pkt)
{
	struct mdp3_gen *g = gen;
	int err;

	if (g->phase == PHASE_TRAFFIC && g->stop) {
		g->phase = g->books ? PHASE_SNAPSHOT_TAIL : PHASE_CLOSING;
		g->tail_left = symtab__count(g->syms) + g->o.cfg->snapshot_lag;
	}
	if (g->phase == PHASE_SNAPSHOT_TAIL) {
		err = gen_snapshot_tail(g, pkt);
		if (err != -EAGAIN)
			goto built;
	}
	switch (g->phase) {
	case PHASE_DEFINITIONS:
		err = gen_definitions(g, pkt);
		break;
	case PHASE_TRAFFIC:
		if (g->defs && g->since_defs >= DEFS_EVERY) {
			g->since_defs = 0;
			err = gen_definitions(g, pkt);
		} else if (!snapshot_due(g) || (err = gen_snapshot(g, pkt)) == -EAGAIN) {
			err = gen_traffic(g, pkt);
		}
		break;
	case PHASE_CLOSING:
		err = gen_closing(g, pkt);
		break;
	default:
		return -ENODATA;
	}
built:
	if (err)
		return err;
	g->packets++;
	pkt->buf = g->pkt.buf;
	pkt->len = g->pkt.len;
	pkt->seq_count = 1;
	pkt->msgs = g->pkt.count;
	return 0;
}

static int mdp3_log(struct msglog *l, const struct fg_pkt *pkt, const char *group,
		    const char *lines)
{
	return mdp3_log_packet(l, pkt->buf, pkt->len, group, lines);
}

const struct fg_proto fg_proto_mdp3 = {
    .name = "mdp3",
    .style = SYMTAB_MDP3,
    .open = mdp3_open,
    .close = mdp3_close,
    .stop_traffic = mdp3_stop_traffic,
    .next = mdp3_next,
    .log = mdp3_log,
};
