// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The sequencer on a packet-sequenced channel (CME MDP 3.0): frames decoded from real MDP3
 * packets (mdp3_packet.h), a channel window written as the program writes it (claimed packets
 * DELIVERED or FILTERED, the high-water mark and the session word tagged with the window
 * generation, feedsieve/seqwin.h), and the events that come out: gaps counted in packets, a
 * reset to MsgSeqNum 1 starting a new session rather than a flood of duplicates, and a consumer
 * joining mid-stream. The window is plain memory here, the same layout the consumer mmaps.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <criterion/criterion.h>

#include "sequencer.h"
#include "frame.h"
#include "internal.h"
#include "mdp3_packet.h"
#include "udp_packet.h"

#define ST_A 1700000000000000001ULL
#define ST_B 1700000000999999999ULL
#define CHAN 3

struct harness {
	struct fs_iface iface;
	struct fs_bank_state bank;
	char names[FS_MAX_CHANNELS][FS_CHANNEL_NAME_LEN];
	struct fsi_sequencer *seq;
	__u32 gen;
	char log[4096];
	size_t n;
	unsigned held; /* frames the sequencer has not given back */
};

static __u64 st_hash(__u64 st)
{
	__u8 b[8];
	int i;

	for (i = 0; i < 8; i++)
		b[i] = (__u8)(st >> (8 * i));
	return fs_session_hash(b, 8);
}

static void release(void *ctx, __u64 handle)
{
	struct harness *h = ctx;

	free((void *)(uintptr_t)handle);
	h->held--;
}

static void harness_init(struct harness *h)
{
	struct fsi_frame_source src = {.iface = &h->iface, .release = release, .ctx = h};

	memset(h, 0, sizeof(*h));
	h->iface.windows = calloc(FS_MAX_CHANNELS, sizeof(*h->iface.windows));
	h->iface.chan_events = calloc(FS_MAX_CHANNELS, sizeof(*h->iface.chan_events));
	cr_assert(h->iface.windows && h->iface.chan_events);
	h->iface.bank = &h->bank;
	snprintf(h->names[CHAN], sizeof(h->names[CHAN]), "cme310");
	src.channel_names = (const char(*)[FS_CHANNEL_NAME_LEN])h->names;
	cr_assert_eq(fsi_sequencer__create(&src, 64, 0, 0, &h->seq), 0);
}

static void harness_fini(struct harness *h)
{
	fsi_sequencer__destroy(h->seq);
	cr_assert_eq(h->held, 0, "%u frames never given back", h->held);
	free(h->iface.windows);
	free(h->iface.chan_events);
}

/* The program starts window generation GEN for a session of identity HASH. */
static void program_session(struct harness *h, __u32 gen, __u64 hash)
{
	h->gen = gen;
	h->iface.windows[CHAN].session = (__u64)gen << 48 | hash;
}

/* The program decided packet SEQ: STATE in the window, and the high-water mark past it. */
static void program_sees(struct harness *h, __u64 seq, enum fs_seq_state state)
{
	struct fs_channel_window *w = &h->iface.windows[CHAN];
	__u32 slot = fs_seq_slot(seq), tag = fs_seq_tag(h->gen, seq);
	__u64 word = w->words[slot];

	if (fs_word_tag(word) != tag)
		word = (__u64)tag << 32;
	word &= ~fs_state_bits(seq, 3);
	w->words[slot] = word | fs_state_bits(seq, state);
	if (fs_high_seq(w->high, h->gen) < seq + 1)
		w->high = (__u64)h->gen << 48 | (seq + 1);
}

static int on_event(const struct fs_event *ev, void *ctx)
{
	struct harness *h = ctx;
	size_t cap = sizeof(h->log) - h->n;

	cr_assert_eq(ev->channel, CHAN);
	cr_assert_eq(ev->proto, FS_PROTO_MDP3);
	switch (ev->type) {
	case FS_EV_SESSION:
		h->n += (size_t)snprintf(h->log + h->n, cap, "session@%llu ",
					 (unsigned long long)ev->from);
		break;
	case FS_EV_MESSAGE:
		h->n += (size_t)snprintf(h->log + h->n, cap, "%u@%llu%s ", ev->msg->type,
					 (unsigned long long)ev->msg->seq, ev->late ? "late" : "");
		break;
	case FS_EV_GAP:
	case FS_EV_GAP_RECOVERED:
		h->n += (size_t)snprintf(h->log + h->n, cap, "%s%llu+%llu ",
					 ev->type == FS_EV_GAP ? "gap" : "recovered",
					 (unsigned long long)ev->from, (unsigned long long)ev->count);
		break;
	default:
		h->n += (size_t)snprintf(h->log + h->n, cap, "event%d ", (int)ev->type);
		break;
	}
	return 0;
}

/* Packet SEQ of session ST (a ChannelReset when RESET, else one book entry and a heartbeat)
 * arrives with the program's metadata: the frame and its metadata in one buffer, the handle. */
static void arrive(struct harness *h, __u32 seq, __u64 st, bool reset)
{
	static const __s32 ids[] = {1};
	static const __u32 rpts[] = {1};
	struct emit e = {.s = h->seq, .fn = on_event, .ctx = h};
	struct fs_xdp_meta *m;
	struct mp_packet p;
	struct fs_frame f;
	__u8 *buf;

	mp_begin(&p, seq, st);
	if (reset) {
		mp_channel_reset(&p, 310);
	} else {
		mp_book(&p, ids, rpts, 1, 0, 0);
		mp_heartbeat(&p);
	}
	mp_finish(&p);
	buf = malloc(sizeof(*m) + p.n);
	cr_assert_not_null(buf);
	m = (struct fs_xdp_meta *)buf;
	memset(m, 0, sizeof(*m));
	m->magic = FS_META_MAGIC;
	m->proto = FS_PROTO_MDP3;
	m->channel = CHAN;
	m->msgs_walked = 1;
	m->match_bits[0] = 1;
	memcpy(buf + sizeof(*m), p.b, p.n);
	memset(&f, 0, sizeof(f));
	cr_assert_eq(fs_frame__decode(&f, buf + sizeof(*m), (__u32)p.n, m), 0);
	cr_assert_not(f.malformed);
	h->held++;
	fsi_sequencer__frame(h->seq, &f, (__u64)(uintptr_t)buf, &e);
}

static void finish(struct harness *h)
{
	struct emit e = {.s = h->seq, .fn = on_event, .ctx = h};

	fsi_sequencer__finish(h->seq, &e);
}

#define LOG_IS(h, want) cr_assert_str_eq((h)->log, want, "events \"%s\", want \"%s\"", (h)->log, want)

Test(sequencer_mdp3, gaps_in_packets)
{
	struct harness h;
	__u32 s;

	harness_init(&h);
	program_session(&h, 0, st_hash(ST_A));
	for (s = 1; s <= 3; s++) {
		program_sees(&h, s, FS_SEQ_DELIVERED);
		arrive(&h, s, ST_A, s == 1);
	}
	LOG_IS(&h, "session@1 4@1 46@2 12@2 46@3 12@3 ");
	/* 4 filtered in the driver, 5 brought by no line, 6 and 8 delivered, 7 lost too. */
	program_sees(&h, 4, FS_SEQ_FILTERED);
	program_sees(&h, 6, FS_SEQ_DELIVERED);
	program_sees(&h, 8, FS_SEQ_DELIVERED);
	arrive(&h, 6, ST_A, false);
	arrive(&h, 8, ST_A, false);
	LOG_IS(&h, "session@1 4@1 46@2 12@2 46@3 12@3 ");
	finish(&h);
	LOG_IS(&h, "session@1 4@1 46@2 12@2 46@3 12@3 gap5+1 46@6 12@6 gap7+1 46@8 12@8 ");
	cr_assert_eq(h.iface.chan_events[CHAN].gaps, 2);
	cr_assert_eq(h.iface.chan_events[CHAN].msgs_lost, 2, "lost counts packets");
	cr_assert_eq(h.iface.chan_events[CHAN].msgs_delivered, 9, "messages, not packets");
	cr_assert_eq(h.iface.chan_events[CHAN].resume_next, 9, "resume after packet 8");

	/* Packet 5 comes late (the slower line): recovered, its messages handed over late. */
	program_sees(&h, 5, FS_SEQ_DELIVERED);
	arrive(&h, 5, ST_A, false);
	cr_assert(strstr(h.log, "gap7+1 46@8 12@8 recovered5+1 46@5late 12@5late "), "%s", h.log);
	harness_fini(&h);
}

Test(sequencer_mdp3, reset_starts_a_session)
{
	struct harness h;
	__u32 s;

	harness_init(&h);
	program_session(&h, 0, st_hash(ST_A));
	for (s = 1; s <= 5; s++) {
		program_sees(&h, s, FS_SEQ_DELIVERED);
		arrive(&h, s, ST_A, s == 1);
	}
	/* ChannelReset: MsgSeqNum back to 1 with a new SendingTime; the program starts generation 1. */
	program_session(&h, 1, st_hash(ST_B));
	for (s = 1; s <= 2; s++) {
		program_sees(&h, s, FS_SEQ_DELIVERED);
		arrive(&h, s, ST_B, s == 1);
	}
	/* A late copy of the new session's first packet: the same session, nothing to hand over. */
	arrive(&h, 1, ST_B, true);
	finish(&h);
	LOG_IS(&h, "session@1 4@1 46@2 12@2 46@3 12@3 46@4 12@4 46@5 12@5 "
		   "session@1 4@1 46@2 12@2 ");
	cr_assert_eq(h.iface.chan_events[CHAN].sessions, 2);
	cr_assert_eq(h.iface.chan_events[CHAN].gaps, 0, "a reset is no gap");
	harness_fini(&h);
}

/*
 * A restart while frames are held behind holes (a consumer running behind its holes): the holes
 * between the old session's held frames are gaps, told from FILTERED runs by the old
 * generation's words, before the new session starts. They were handed over silently.
 */
Test(sequencer_mdp3, reset_reports_the_holes_held_behind)
{
	struct harness h;
	__u32 s;

	harness_init(&h);
	program_session(&h, 0, st_hash(ST_A));
	for (s = 1; s <= 16; s++) {
		program_sees(&h, s, FS_SEQ_DELIVERED);
		arrive(&h, s, ST_A, s == 1);
	}
	/* 17 filtered, 18 and 20 brought by no line, 19 and 21 held behind them. */
	program_sees(&h, 17, FS_SEQ_FILTERED);
	program_sees(&h, 19, FS_SEQ_DELIVERED);
	program_sees(&h, 21, FS_SEQ_DELIVERED);
	arrive(&h, 19, ST_A, false);
	arrive(&h, 21, ST_A, false);
	cr_assert(strstr(h.log, "46@16 12@16 ") && !strstr(h.log, "@19"), "%s", h.log);
	program_session(&h, 1, st_hash(ST_B));
	program_sees(&h, 1, FS_SEQ_DELIVERED);
	arrive(&h, 1, ST_B, true);
	cr_assert(strstr(h.log, "46@16 12@16 gap18+1 46@19 12@19 gap20+1 46@21 12@21 session@1 4@1 "),
		  "%s", h.log);
	cr_assert_eq(h.iface.chan_events[CHAN].gaps, 2);
	cr_assert_eq(h.iface.chan_events[CHAN].msgs_lost, 2);
	harness_fini(&h);
}

Test(sequencer_mdp3, joins_mid_stream)
{
	static const __u8 zeros[8];
	struct harness h;

	harness_init(&h);
	/* The program joined mid-stream too: identity of 8 zero bytes. */
	program_session(&h, 0, fs_session_hash(zeros, 8));
	program_sees(&h, 100, FS_SEQ_DELIVERED);
	program_sees(&h, 101, FS_SEQ_DELIVERED);
	arrive(&h, 100, ST_A, false);
	arrive(&h, 101, ST_A, false);
	LOG_IS(&h, "session@100 46@100 12@100 46@101 12@101 ");
	/* Then the channel restarts at 1: a new session, not 100 duplicates. */
	program_session(&h, 1, st_hash(ST_B));
	program_sees(&h, 1, FS_SEQ_DELIVERED);
	arrive(&h, 1, ST_B, true);
	finish(&h);
	LOG_IS(&h, "session@100 46@100 12@100 46@101 12@101 session@1 4@1 ");
	cr_assert_eq(h.iface.chan_events[CHAN].gaps, 0);
	harness_fini(&h);
}

/*
 * The program restarts the channel at MsgSeqNum 1, but that packet carries no subscribed entry
 * and is filtered in the driver (the usual case on a definitions feed, which restarts every
 * loop): the consumer must still follow into the new session on its next packet, not drop
 * everything as behind its position.
 */
Test(sequencer_mdp3, reset_whose_first_packet_was_filtered)
{
	struct harness h;
	__u32 s;

	harness_init(&h);
	program_session(&h, 0, st_hash(ST_A));
	for (s = 1; s <= 5; s++) {
		program_sees(&h, s, FS_SEQ_DELIVERED);
		arrive(&h, s, ST_A, s == 1);
	}
	program_session(&h, 1, st_hash(ST_B));
	program_sees(&h, 1, FS_SEQ_FILTERED);
	for (s = 2; s <= 3; s++) {
		program_sees(&h, s, FS_SEQ_DELIVERED);
		arrive(&h, s, ST_B, false);
	}
	finish(&h);
	LOG_IS(&h, "session@1 4@1 46@2 12@2 46@3 12@3 46@4 12@4 46@5 12@5 "
		   "session@1 46@2 12@2 46@3 12@3 ");
	harness_fini(&h);
}

/*
 * Both lines lost the restart's MsgSeqNum 1: the program starts the session without it (identity
 * FS_SESS_RESTARTED) on packet 2; line B's copy of packet 1 then arrives late, and the program
 * adopts its name for that same generation. The consumer must follow the restart at packet 2,
 * hold it for packet 1, and take packet 1 as the session's own, not start yet another session.
 */
Test(sequencer_mdp3, restart_named_late)
{
	struct harness h;
	__u32 s;

	harness_init(&h);
	program_session(&h, 0, st_hash(ST_A));
	for (s = 1; s <= 5; s++) {
		program_sees(&h, s, FS_SEQ_DELIVERED);
		arrive(&h, s, ST_A, s == 1);
	}
	program_session(&h, 1, FS_SESS_RESTARTED);
	program_sees(&h, 2, FS_SEQ_DELIVERED);
	arrive(&h, 2, ST_B, false);
	program_session(&h, 1, st_hash(ST_B));
	program_sees(&h, 1, FS_SEQ_DELIVERED);
	arrive(&h, 1, ST_B, true);
	program_sees(&h, 3, FS_SEQ_DELIVERED);
	arrive(&h, 3, ST_B, false);
	finish(&h);
	LOG_IS(&h, "session@1 4@1 46@2 12@2 46@3 12@3 46@4 12@4 46@5 12@5 "
		   "session@1 4@1 46@2 12@2 46@3 12@3 ");
	harness_fini(&h);
}

/*
 * PITCH: one channel id per unit (the program puts unit u of a group naming units on its own
 * channel and says so in the metadata), gaps counted in each unit's own message numbers and
 * naming the unit, and unsequenced frames (HdrSequence 0, FS_META_F_OUT_OF_BAND) handed over at
 * once, never sequenced, never a gap.
 */
static int on_pitch_event(const struct fs_event *ev, void *ctx)
{
	struct harness *h = ctx;
	size_t cap = sizeof(h->log) - h->n;

	cr_assert_eq(ev->proto, FS_PROTO_PITCH);
	cr_assert(ev->has_unit, "every PITCH event names its unit");
	cr_assert_eq(ev->channel, CHAN + ev->unit - 1, "unit %u on channel %u", ev->unit,
		     ev->channel);
	h->n += (size_t)snprintf(h->log + h->n, cap, "u%u:", ev->unit);
	cap = sizeof(h->log) - h->n;
	switch (ev->type) {
	case FS_EV_SESSION:
		h->n += (size_t)snprintf(h->log + h->n, cap, "session@%llu ",
					 (unsigned long long)ev->from);
		break;
	case FS_EV_MESSAGE:
		h->n += (size_t)snprintf(h->log + h->n, cap, "%x@%llu%s ", ev->msg->type,
					 (unsigned long long)ev->msg->seq,
					 ev->frame->kind == FS_FRAME_OUT_OF_BAND ? "oob" : "");
		break;
	case FS_EV_GAP:
		h->n += (size_t)snprintf(h->log + h->n, cap, "gap%llu+%llu ",
					 (unsigned long long)ev->from, (unsigned long long)ev->count);
		break;
	default:
		h->n += (size_t)snprintf(h->log + h->n, cap, "event%d ", (int)ev->type);
		break;
	}
	return 0;
}

/* A Sequenced Unit of UNIT at SEQ with two Time messages, on channel CHAN + UNIT - 1. */
static void arrive_pitch(struct harness *h, __u8 unit, __u32 seq)
{
	struct emit e = {.s = h->seq, .fn = on_pitch_event, .ctx = h};
	struct fs_xdp_meta *m;
	struct up_packet p;
	struct fs_frame f;
	__u8 *buf;
	int i;

	up_begin(&p, 0xE0003E02, 30001);
	up_put(&p, 8 + 2 * 6, 2); /* HdrLength */
	up_put(&p, 2, 1);         /* HdrCount */
	up_put(&p, unit, 1);
	up_put(&p, seq, 4);
	for (i = 0; i < 2; i++) {
		up_put(&p, 6, 1);
		up_put(&p, 0x20, 1);
		up_put(&p, 34200, 4);
	}
	up_finish(&p);
	buf = malloc(sizeof(*m) + p.n);
	cr_assert_not_null(buf);
	m = (struct fs_xdp_meta *)buf;
	memset(m, 0, sizeof(*m));
	m->magic = FS_META_MAGIC;
	m->proto = FS_PROTO_PITCH;
	m->channel = (__u8)(CHAN + unit - 1);
	m->msgs_walked = 2;
	m->match_bits[0] = 3;
	m->flags = seq ? 0 : FS_META_F_OUT_OF_BAND;
	memcpy(buf + sizeof(*m), p.b, p.n);
	memset(&f, 0, sizeof(f));
	cr_assert_eq(fs_frame__decode(&f, buf + sizeof(*m), (__u32)p.n, m), 0);
	cr_assert_not(f.malformed);
	h->held++;
	fsi_sequencer__frame(h->seq, &f, (__u64)(uintptr_t)buf, &e);
}

/* The program's window of channel ID (generation 0, joined mid-stream): SEQ in STATE. */
static void program_sees_on(struct harness *h, __u8 id, __u64 seq, enum fs_seq_state state)
{
	struct fs_channel_window *w = &h->iface.windows[id];
	__u32 slot = fs_seq_slot(seq), tag = fs_seq_tag(0, seq);
	__u64 word = w->words[slot];

	if (fs_word_tag(word) != tag)
		word = (__u64)tag << 32;
	word &= ~fs_state_bits(seq, 3);
	w->words[slot] = word | fs_state_bits(seq, state);
	if (fs_high_seq(w->high, 0) < seq + 1)
		w->high = seq + 1;
}

Test(sequencer_pitch, units_are_channels_unsequenced_is_no_gap)
{
	static const __u8 zeros[8];
	struct harness h;
	__u64 s;

	harness_init(&h);
	h.iface.windows[CHAN].session = fs_session_hash(zeros, 8);
	h.iface.windows[CHAN + 1].session = fs_session_hash(zeros, 8);
	for (s = 10; s < 12; s++) {
		program_sees_on(&h, CHAN, s, FS_SEQ_DELIVERED);
		program_sees_on(&h, CHAN + 1, s, FS_SEQ_DELIVERED);
	}
	arrive_pitch(&h, 1, 10);
	arrive_pitch(&h, 2, 10);
	/* Unit 1 jumps to 14: 12 and 13 were brought by no line. */
	program_sees_on(&h, CHAN, 14, FS_SEQ_DELIVERED);
	program_sees_on(&h, CHAN, 15, FS_SEQ_DELIVERED);
	arrive_pitch(&h, 1, 14);
	arrive_pitch(&h, 1, 0); /* unsequenced: at once, while unit 1 waits for its hole */
	LOG_IS(&h, "u1:session@10 u1:20@10 u1:20@11 u2:session@10 u2:20@10 u2:20@11 "
		   "u1:20@0oob u1:20@0oob ");
	fsi_sequencer__finish(h.seq, &(struct emit){.s = h.seq, .fn = on_pitch_event, .ctx = &h});
	LOG_IS(&h, "u1:session@10 u1:20@10 u1:20@11 u2:session@10 u2:20@10 u2:20@11 "
		   "u1:20@0oob u1:20@0oob u1:gap12+2 u1:20@14 u1:20@15 ");
	cr_assert_eq(h.iface.chan_events[CHAN].gaps, 1);
	cr_assert_eq(h.iface.chan_events[CHAN + 1].gaps, 0, "unit 2 has its own numbers");
	harness_fini(&h);
}

/*
 * PITCH order messages the program left undecided (FS_META_F_ORDERS_UNDECIDED, no match bit:
 * their order was unknown while a number before the frame was unsettled) are decided by the
 * consumer with its own order map, in sequence order: line A's execution 1002 arrives before
 * line B brings the Add 1001 that A lost, and is handed over after it, with its symbol. An
 * unknown order of an unsubscribed symbol in such a frame is handed over to no one, and is no gap.
 * The live bank's subscriptions are a real BPF hash map (AAPL subscribed).
 */
#define P_ORD  0x0102030405060708ULL
#define P_ORD2 (P_ORD + 1)

static int on_pitch_sym(const struct fs_event *ev, void *ctx)
{
	struct harness *h = ctx;
	size_t cap = sizeof(h->log) - h->n;
	char sym[FS_SYMBOL_LEN + 1] = "";

	if (ev->type == FS_EV_MESSAGE && ev->msg->symbol_known)
		fs_symbol_str(&ev->msg->symbol, sym);
	if (ev->type == FS_EV_MESSAGE)
		h->n += (size_t)snprintf(h->log + h->n, cap, "%x@%llu%s%s ", ev->msg->type,
					 (unsigned long long)ev->msg->seq, *sym ? "=" : "", sym);
	else
		h->n += (size_t)snprintf(h->log + h->n, cap, "event%d ", (int)ev->type);
	return 0;
}

/* One PITCH message of TYPE and LEN bytes, zero but for ORDER at 6 and QTY (4 bytes) at QOFF. */
static void pitch_msg(struct up_packet *p, __u8 type, __u8 len, __u64 order, int qoff, __u32 qty)
{
	size_t at = p->n;

	memset(p->b + at, 0, len);
	p->b[at] = len;
	p->b[at + 1] = type;
	if (len >= 14)
		up_put_at(p, at + 6, order, 8);
	if (qoff)
		up_put_at(p, at + qoff, qty, 4);
	p->n = at + len;
}

/* A unit of unit 1 at SEQ holding one message (TYPE ...; SYM for an Add Order Long), with
 * metadata of BITS and FLAGS, through the sequencer with group table T. */
static void arrive_one(struct harness *h, struct fsi_group_table *t, __u32 seq, __u8 type,
		       __u64 order, const char *sym, __u64 bits, __u8 flags)
{
	struct emit e = {.s = h->seq, .fn = on_pitch_sym, .ctx = h};
	struct fs_xdp_meta *m;
	struct up_packet p;
	struct fs_frame f;
	size_t hdr;
	__u8 *buf;

	up_begin(&p, 0xE0003E02, 30001);
	hdr = p.n;
	up_put(&p, 0, 2);
	up_put(&p, 1, 1); /* HdrCount */
	up_put(&p, 1, 1); /* HdrUnit */
	up_put(&p, seq, 4);
	if (type == 0x21) {
		pitch_msg(&p, type, 34, order, 15, 100);
		memset(p.b + p.n - 34 + 19, ' ', 6);
		memcpy(p.b + p.n - 34 + 19, sym, strlen(sym));
	} else if (type == 0x23) {
		pitch_msg(&p, type, 26, order, 14, 30);
	} else {
		pitch_msg(&p, type, 6, 0, 0, 0);
	}
	up_put_at(&p, hdr, p.n - hdr, 2);
	up_finish(&p);
	buf = malloc(sizeof(*m) + p.n);
	cr_assert_not_null(buf);
	m = (struct fs_xdp_meta *)buf;
	*m = up_meta(FS_PROTO_PITCH, 1, bits, flags);
	m->channel = CHAN;
	m->feed = 2;
	memcpy(buf + sizeof(*m), p.b, p.n);
	memset(&f, 0, sizeof(f));
	f.groups_ = t;
	cr_assert_eq(fs_frame__decode(&f, buf + sizeof(*m), (__u32)p.n, m), 0);
	cr_assert_not(f.malformed);
	h->held++;
	fsi_sequencer__frame(h->seq, &f, (__u64)(uintptr_t)buf, &e);
}

Test(sequencer_pitch, undecided_orders_decided_in_sequence)
{
	static const __u8 zeros[8];
	struct fsi_group_table t;
	struct fs_symbol aapl = {.name = "AAPL"};
	struct fs_sub sub = {.slot = 1};
	struct harness h;
	int fd;

	fd = bpf_map_create(BPF_MAP_TYPE_HASH, "t_subs", sizeof(struct fs_symbol),
			    sizeof(struct fs_sub), 4, NULL);
	if (fd < 0)
		cr_skip_test("a BPF hash map for the subscriptions needs CAP_BPF");
	cr_assert_eq(bpf_map_update_elem(fd, &aapl, &sub, BPF_ANY), 0);
	harness_init(&h);
	h.iface.fds[FS_M_SUBS_0] = fd;
	memset(&t, 0, sizeof(t));
	cr_assert_eq(fsi_group_table__prepare(&t, &h.iface), 0);
	h.iface.windows[CHAN].session = fs_session_hash(zeros, 8);

	program_sees_on(&h, CHAN, 1000, FS_SEQ_DELIVERED);
	arrive_one(&h, &t, 1000, 0x20, 0, NULL, 1, 0);
	/* A's 1002: the program did not know the order while 1001 was unseen. */
	program_sees_on(&h, CHAN, 1002, FS_SEQ_DELIVERED);
	arrive_one(&h, &t, 1002, 0x23, P_ORD, NULL, 0, FS_META_F_ORDERS_UNDECIDED);
	LOG_IS(&h, "event5 20@1000 ");
	/* B's 1001 adds it: handed over, then the execution, with the symbol. */
	program_sees_on(&h, CHAN, 1001, FS_SEQ_DELIVERED);
	arrive_one(&h, &t, 1001, 0x21, P_ORD, "AAPL", 1, 0);
	LOG_IS(&h, "event5 20@1000 21@1001=AAPL 23@1002=AAPL ");
	/* An order the consumer does not know either (not handed its Add: unsubscribed): not
	 * handed over, and no gap. */
	program_sees_on(&h, CHAN, 1003, FS_SEQ_DELIVERED);
	arrive_one(&h, &t, 1003, 0x23, P_ORD2, NULL, 0, FS_META_F_ORDERS_UNDECIDED);
	program_sees_on(&h, CHAN, 1004, FS_SEQ_DELIVERED);
	arrive_one(&h, &t, 1004, 0x20, 0, NULL, 1, 0);
	fsi_sequencer__finish(h.seq, &(struct emit){.s = h.seq, .fn = on_pitch_sym, .ctx = &h});
	LOG_IS(&h, "event5 20@1000 21@1001=AAPL 23@1002=AAPL 20@1004 ");
	cr_assert_eq(h.iface.chan_events[CHAN].gaps, 0);
	fsi_group_table__release(&t);
	harness_fini(&h);
	close(fd);
}
