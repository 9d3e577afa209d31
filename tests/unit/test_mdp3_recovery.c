// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The event layer of MDP3 per-instrument recovery (user/lib/proto_mdp3_recovery.c): what the
 * application gets when the sequencer hands it gaps, incremental messages and snapshot packets
 * in one step (fsi_mdp3_rec__begin ... __end). Frames come from the one frame builder with the
 * program's metadata (every key examined, subscribed ones marked); the sequencer's part is
 * played by calling the step's event function as the sequencer would. The snapshot group is
 * joined on the loopback interface.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <criterion/criterion.h>

#include "feedsieve.h"
#include "feedsieve/parse.h"
#include "feedsieve/seqwin.h"
#include "feedsieve/wire_mdp3.h"
#include "frame.h"
#include "frame_builder.h"
#include "internal.h"
#include "mdp3_recovery.h"
#include "membership.h"

#define CHAN	  4
#define LINE_A	  0xEF4F0101u /* 239.79.1.1 */
#define SNAP	  0xEF4F0801u /* 239.79.8.1 */
#define PORT	  14310
#define GEN	  3
#define ES	  170506
#define NQ	  42001

struct harness {
	struct fs_iface iface;
	struct fs_bank_state bank;
	struct fsi_group_table t;
	struct fsi_membership *m;
	struct fsi_mdp3_rec *r;
	struct emit e;
	__u64 st; /* SendingTime of the packets built next */
	__s32 unsub; /* an instrument the program does not mark (0: none) */
	char log[8192];
	size_t n;
};

static struct harness h;

static void group(struct fs_group_info *g, __u32 addr, __u8 id, __u8 line, __u8 flags)
{
	memset(g, 0, sizeof(*g));
	g->key.addr = htonl(addr);
	g->key.port = htons(PORT);
	g->value.id = id;
	g->value.proto = FS_PROTO_MDP3;
	g->value.channel = CHAN;
	g->value.line = line;
	g->value.flags = flags;
}

/* The channel's groups: line A, and its snapshot group when SNAPSHOT. */
static void groups(bool snapshot)
{
	struct fs_group_info g[2];

	group(&g[0], LINE_A, 1, FS_LINE_A, 0);
	group(&g[1], SNAP, 2, FS_LINE_SNAPSHOT, FS_GROUP_F_SNAPSHOT);
	fsi_group_table__fill(&h.t, g, snapshot ? 2 : 1);
}

/* The program's window: generation GEN, highest packet seen HIGH. */
static void window_high(__u64 high)
{
	h.iface.windows[CHAN].session = (__u64)GEN << 48 | 0x1234;
	h.iface.windows[CHAN].high = (__u64)GEN << 48 | (high + 1);
}

static void setup(void)
{
	memset(&h, 0, sizeof(h));
	h.iface.windows = calloc(FS_MAX_CHANNELS, sizeof(*h.iface.windows));
	cr_assert_not_null(h.iface.windows);
	h.iface.bank = &h.bank;
	for (int i = 0; i < FS_M_COUNT; i++)
		h.iface.fds[i] = -1;
	cr_assert_eq(fsi_group_table__prepare(&h.t, &h.iface), 0);
	groups(true);
	window_high(1000);
	h.st = FB_SENDING_TIME;
	cr_assert_eq(fsi_membership__create(1, "lo", &h.m), 0);
	cr_assert_eq(fsi_mdp3_rec__create(h.m, &h.t, &h.r), 0);
}

static void teardown(void)
{
	fsi_mdp3_rec__destroy(h.r);
	fsi_membership__destroy(h.m);
	fsi_group_table__release(&h.t);
	free(h.iface.windows);
}

TestSuite(mdp3_recovery, .init = setup, .fini = teardown);

/* The application: one word per event. "gap3+1[42001]", "snap42001@3", a message
 * "m4{170506:3,42001:4}" (its visible entries; "L" before the brace when late). */
static int app(const struct fs_event *ev, void *ctx)
{
	char *p = h.log + h.n;
	size_t room = sizeof(h.log) - h.n;
	int n = 0;
	__u32 i;

	(void)ctx;
	switch (ev->type) {
	case FS_EV_GAP:
		n = snprintf(p, room, "gap%llu+%llu[", (unsigned long long)ev->from,
			     (unsigned long long)ev->count);
		for (i = 0; i < ev->ninstruments; i++)
			n += snprintf(p + n, room - n, "%s%d", i ? "," : "", ev->instruments[i]);
		n += snprintf(p + n, room - n, "] ");
		break;
	case FS_EV_SNAPSHOT:
		n = snprintf(p, room, "snap%d@%u ", ev->instruments[0],
			     fs_le32(ev->msg->body + MDP3_MSG_HDR_LEN + MDP3_SNAP_OFF_RPT_SEQ));
		break;
	case FS_EV_SESSION:
		n = snprintf(p, room, "session@%llu ", (unsigned long long)ev->from);
		break;
	case FS_EV_GAP_RECOVERED:
		n = snprintf(p, room, "rec%llu+%llu ", (unsigned long long)ev->from,
			     (unsigned long long)ev->count);
		break;
	case FS_EV_MESSAGE: {
		struct fs_entry_iter it;
		struct fs_entry en;
		bool first = true;

		n = snprintf(p, room, "m%llu%s{", (unsigned long long)ev->msg->seq,
			     ev->late ? "L" : "");
		fs_entry_iter__init(&it, ev->msg);
		while (fs_entry_iter__next(&it, &en)) {
			n += snprintf(p + n, room - n, "%s%d:%u", first ? "" : ",", en.security_id,
				      en.rpt_seq);
			first = false;
		}
		n += snprintf(p + n, room - n, "} ");
		break;
	}
	default:
		n = snprintf(p, room, "ev%d ", ev->type);
	}
	h.n += (size_t)n;
	return 0;
}

static void begin(void)
{
	h.e = (struct emit){.fn = app};
	fsi_mdp3_rec__begin(h.r, &h.e);
}

static void end(void)
{
	fsi_mdp3_rec__end(h.r, &h.e);
	cr_assert(h.e.fn == app, "end gives the application's function back");
}

static void event(const struct fs_event *ev)
{
	h.e.fn(ev, h.e.ctx);
}

static struct fs_event base(enum fs_event_type type)
{
	return (struct fs_event){.type = type, .channel = CHAN, .channel_name = "cme",
				 .proto = FS_PROTO_MDP3};
}

static void gap(__u64 from, __u64 count)
{
	struct fs_event ev = base(FS_EV_GAP);

	ev.from = from;
	ev.count = count;
	event(&ev);
}

static void session(__u64 from)
{
	struct fs_event ev = base(FS_EV_SESSION);

	ev.from = from;
	event(&ev);
}

/*
 * One packet SEQ of messages MSGS (N of them) on line A (SNAPSHOT: on the snapshot group), as
 * the program marks it: every key examined, all but h.unsub's wanted. Each message is handed
 * over as the sequencer does (LATE: after its gap was reported). KEYS: keys in the packet
 * (for the walk); 0: counted from MSGS.
 */
static void packet_as(__u64 seq, const struct fb_mdp3_msg *msgs, size_t n, bool snapshot, bool late,
		      unsigned int walked)
{
	struct fb_frame fb = {.daddr = snapshot ? SNAP : LINE_A, .dport = PORT, .payload = FB_MDP3,
			      .set_seq = true, .seq = seq, .mdp3 = msgs, .n_mdp3 = n,
			      .sending_time = h.st};
	struct fs_xdp_meta meta = {.magic = FS_META_MAGIC, .proto = FS_PROTO_MDP3,
				   .group_id = snapshot ? 2 : 1, .channel = CHAN,
				   .line = snapshot ? FS_LINE_SNAPSHOT : FS_LINE_A};
	struct fs_event ev = base(FS_EV_MESSAGE);
	unsigned int k = 0, i, j;
	struct fs_msg_iter it;
	struct fs_frame f = {0};
	struct fs_msg msg;
	__u8 *buf = malloc(FB_MAX_FRAME);
	size_t len;

	cr_assert_not_null(buf);
	if (snapshot)
		meta.flags |= FS_META_F_OUT_OF_BAND;
	for (i = 0; i < n; i++) {
		const __s32 *ids = msgs[i].tid == 52 ? &msgs[i].id : msgs[i].ids;
		/* A ChannelReset's entries are ApplIDs, no keys. */
		unsigned int nids = msgs[i].tid == 52 ? 1 : msgs[i].tid == 4 ? 0 : msgs[i].n_ids;

		for (j = 0; j < nids; j++, k++)
			if ((!h.unsub || ids[j] != h.unsub) && k < FS_MAX_WALK)
				meta.match_bits[k / 64] |= 1ULL << (k % 64);
	}
	meta.msgs_walked = (__u8)(walked ? walked : (k < FS_MAX_WALK ? k : FS_MAX_WALK));
	len = fb_build(&fb, buf, FB_MAX_FRAME, NULL);
	cr_assert_gt(len, 0);
	f.groups_ = &h.t;
	cr_assert_eq(fs_frame__decode(&f, buf, (__u32)len, &meta), 0);
	cr_assert_not(f.malformed);
	ev.frame = &f;
	ev.msg = &msg;
	ev.late = late;
	fs_msg_iter__init(&it, &f);
	while (fs_msg_iter__next(&it, &msg))
		event(&ev);
	/* The sequencer gives the buffer back at once: the layer must have copied what it keeps. */
	memset(buf, 0xEE, FB_MAX_FRAME);
	free(buf);
}

static void packet(__u64 seq, const struct fb_mdp3_msg *msgs, size_t n)
{
	packet_as(seq, msgs, n, false, false, 0);
}

/* A book update (template 46) of ID at RptSeq RPT. */
#define BOOK1(ID, RPT) {.tid = 46, .ids = (const __s32[]){ID}, .n_ids = 1, .rpts = (const __u32[]){RPT}}
/* One book update of ES and one of NQ in one message. */
#define BOOK2(RPT_ES, RPT_NQ)                                                           \
	{.tid = 46, .ids = (const __s32[]){ES, NQ}, .n_ids = 2,                           \
	 .rpts = (const __u32[]){RPT_ES, RPT_NQ}}

/* The SnapshotFullRefresh of ID at RptSeq RPT as of packet LAST, in snapshot packet SEQ. */
static void snapshot(__u64 seq, __s32 id, __u32 rpt, __u32 last)
{
	const struct fb_mdp3_msg m = {.tid = 52, .id = id, .rpts = (const __u32[]){rpt},
				      .last_seq = last};

	packet_as(seq, &m, 1, true, false, 0);
}

/* One step of one snapshot packet. */
static void snapshot_step(__u64 seq, __s32 id, __u32 rpt, __u32 last)
{
	begin();
	snapshot(seq, id, rpt, last);
	end();
}

static void log_is(const char *want)
{
	cr_assert_str_eq(h.log, want);
	h.n = 0;
	h.log[0] = 0;
}

/* One step of one packet SEQ: a message of ES at RPT_ES and NQ at RPT_NQ. */
static void step_book2(__u64 seq, __u32 rpt_es, __u32 rpt_nq)
{
	const struct fb_mdp3_msg p[] = {BOOK2(rpt_es, rpt_nq)};

	begin();
	packet(seq, p, 1);
	end();
}

/* Live ES and NQ up to RptSeq 2 in packets 1 and 2 of a session seen from its start. */
static void two_live(void)
{
	const struct fb_mdp3_msg p1[] = {BOOK2(1, 1)}, p2[] = {BOOK2(2, 2)};

	begin();
	session(1);
	packet(1, p1, 1);
	packet(2, p2, 1);
	end();
	log_is("session@1 m1{170506:1,42001:1} m2{170506:2,42001:2} ");
}

/* Packet 3 lost, then packet 4 of ES at RPT_ES and NQ at RPT_NQ, in one step. */
static void lose_3(__u32 rpt_es, __u32 rpt_nq)
{
	const struct fb_mdp3_msg p4[] = {BOOK2(rpt_es, rpt_nq)};

	begin();
	gap(3, 1);
	packet(4, p4, 1);
	end();
}

/* Packet 3 lost: packet 4's message has ES at 3 (unaffected), NQ at 4 (lost 3). */
static void nq_loses_3(void)
{
	lose_3(3, 4);
}

Test(mdp3_recovery, gap_event_waits_for_the_step_and_lists_who_jumped)
{
	const struct fb_mdp3_msg p5[] = {BOOK1(ES, 4), BOOK1(NQ, 5)};

	two_live();
	begin();
	gap(3, 1);
	cr_assert_str_eq(h.log, "", "the gap event is deferred to the end of the step");
	{
		const struct fb_mdp3_msg p4[] = {BOOK2(3, 4)};

		packet(4, p4, 1);
	}
	cr_assert_str_eq(h.log, "", "and so is every later event of the channel");
	end();
	/* NQ is listed, ES flows: the mixed message shows only ES's entry. */
	log_is("gap3+1[42001] m4{170506:3} ");
	cr_assert_eq(fsi_mdp3_rec__joined(h.r), 1, "the snapshot group is joined while NQ waits");
	begin();
	packet(5, p5, 2);
	end();
	log_is("m5{170506:4} ");
}

Test(mdp3_recovery, held_entries_follow_the_snapshot)
{
	const struct fb_mdp3_msg p5[] = {BOOK2(4, 5)};

	two_live();
	nq_loses_3();
	log_is("gap3+1[42001] m4{170506:3} ");
	begin();
	packet(5, p5, 1);
	/* Too old: it does not reflect packet 3. */
	snapshot(90, NQ, 2, 2);
	/* ES is live: its snapshot is not needed. */
	snapshot(91, ES, 4, 5);
	snapshot(92, NQ, 3, 3);
	end();
	/* The same messages again, with only NQ's entries; nothing NQ had is shown twice. */
	log_is("m5{170506:4} snap42001@3 m4{42001:4} m5{42001:5} ");
	cr_assert_eq(fsi_mdp3_rec__joined(h.r), 0, "left once nothing waits");
	step_book2(6, 5, 6);
	log_is("m6{170506:5,42001:6} ");
}

Test(mdp3_recovery, snapshot_ahead_of_the_incrementals_covers_them)
{
	const struct fb_mdp3_msg p5[] = {BOOK2(4, 5)}, p6[] = {BOOK2(5, 6)};

	two_live();
	nq_loses_3();
	log_is("gap3+1[42001] m4{170506:3} ");
	begin();
	snapshot(90, NQ, 5, 5); /* reflects packet 5, not handed over yet */
	packet(5, p5, 1);
	packet(6, p6, 1);
	end();
	log_is("snap42001@5 m5{170506:4} m6{170506:5,42001:6} ");
}

Test(mdp3_recovery, without_a_snapshot_group_the_jump_flows_on)
{
	groups(false);
	two_live();
	lose_3(3, 4);
	log_is("gap3+1[42001] m4{170506:3,42001:4} ");
	cr_assert_eq(fsi_mdp3_rec__joined(h.r), 0);
}

/* Finding 7: a snapshot from before a ChannelReset or of another session is never applied. */
Test(mdp3_recovery, snapshot_past_the_channels_high_water_mark_is_ignored)
{
	two_live();
	window_high(4);
	nq_loses_3();
	log_is("gap3+1[42001] m4{170506:3} ");
	begin();
	/* A loop packet of the previous session, still in flight after the reset: it reflects
	 * packet 50000 of a session this one is far from reaching. */
	snapshot(90, NQ, 80000, 50000);
	end();
	log_is("");
	snapshot_step(91, NQ, 3, 4);
	log_is("snap42001@3 m4{42001:4} ");
}

Test(mdp3_recovery, snapshot_sent_before_the_session_started_is_ignored)
{
	h.st = FB_SENDING_TIME + 1000000;
	two_live();
	nq_loses_3();
	log_is("gap3+1[42001] m4{170506:3} ");
	begin();
	/* Plausible numbers, but sent before packet 1 of this session: the previous one's. */
	h.st = FB_SENDING_TIME;
	snapshot(90, NQ, 3, 4);
	end();
	log_is("");
	h.st = FB_SENDING_TIME + 2000000;
	snapshot_step(91, NQ, 3, 4);
	log_is("snap42001@3 m4{42001:4} ");
}

Test(mdp3_recovery, channel_reset_restarts_every_instruments_rptseq)
{
	const struct fb_mdp3_msg p5[] = {{.tid = 4, .ids = (const __s32[]){310}, .n_ids = 1},
					  BOOK2(1, 1)};
	const struct fb_mdp3_msg p6[] = {BOOK2(2, 2)};

	two_live();
	nq_loses_3();
	log_is("gap3+1[42001] m4{170506:3} ");
	cr_assert_eq(fsi_mdp3_rec__joined(h.r), 1);
	/* A ChannelReset with no new MsgSeqNum: the books are void, every RptSeq starts at 1. */
	h.st += 1000;
	begin();
	packet(5, p5, 2);
	packet(6, p6, 1);
	end();
	log_is("m5{} m5{170506:1,42001:1} m6{170506:2,42001:2} ");
	cr_assert_eq(fsi_mdp3_rec__joined(h.r), 0, "nothing waits after the reset");
	/* A snapshot taken before the reset would take NQ back to its old numbers. */
	begin();
	gap(7, 1);
	{
		const struct fb_mdp3_msg p8[] = {BOOK2(3, 4)};

		packet(8, p8, 1);
	}
	h.st -= 500;
	snapshot(90, NQ, 3, 8);
	end();
	log_is("gap7+1[42001] m8{170506:3} ");
}

/* Finding 9: a late copy (after FS_EV_GAP_RECOVERED) is handed over as it came, flagged late. */
static void late_packet(__u64 seq, const struct fb_mdp3_msg *msgs, size_t n)
{
	struct fs_event ev = base(FS_EV_GAP_RECOVERED);

	ev.from = seq;
	ev.count = 1;
	event(&ev);
	packet_as(seq, msgs, n, false, true, 0);
}

Test(mdp3_recovery, late_copy_passes_through_without_a_snapshot_group)
{
	groups(false);
	two_live();
	lose_3(4, 4);
	log_is("gap3+1[170506,42001] m4{170506:4,42001:4} ");
	begin();
	{
		const struct fb_mdp3_msg p3[] = {BOOK2(3, 3)};

		late_packet(3, p3, 1);
	}
	end();
	log_is("rec3+1 m3L{170506:3,42001:3} ");
	step_book2(5, 5, 5);
	log_is("m5{170506:5,42001:5} ");
}

Test(mdp3_recovery, late_copy_passes_through_while_its_instrument_waits)
{
	const struct fb_mdp3_msg p3[] = {BOOK1(NQ, 3)}, p5[] = {BOOK2(4, 5)};

	two_live();
	nq_loses_3();
	log_is("gap3+1[42001] m4{170506:3} ");
	begin();
	late_packet(3, p3, 1);
	packet(5, p5, 1);
	end();
	/* Shown at once, whole; the snapshot still comes, and the held entries after it. */
	log_is("rec3+1 m3L{42001:3} m5{170506:4} ");
	snapshot_step(90, NQ, 3, 3);
	log_is("snap42001@3 m4{42001:4} m5{42001:5} ");
}

/* Finding 8: an instrument unsubscribed while it waits stops waiting; the group is left. */
Test(mdp3_recovery, unmarked_waiting_instrument_stops_waiting)
{
	two_live();
	nq_loses_3();
	log_is("gap3+1[42001] m4{170506:3} ");
	cr_assert_eq(fsi_mdp3_rec__joined(h.r), 1);
	h.unsub = NQ; /* the program no longer marks NQ's entries */
	step_book2(5, 4, 5);
	log_is("m5{170506:4} ");
	cr_assert_eq(fsi_mdp3_rec__joined(h.r), 0, "nothing waits: the snapshot group is left");
	snapshot_step(90, NQ, 3, 3);
	log_is("");
	/* Subscribed again: its updates are where it stands, nothing held comes back. */
	h.unsub = 0;
	step_book2(6, 5, 7);
	log_is("m6{170506:5,42001:7} ");
}

/* The directory: NQ of feed 0 at an id slot, subscribed in bank 0 when SUB. */
static int directory(bool sub)
{
	struct fs_inst_key key = {.proto = FS_PROTO_MDP3, .feed = 0, .id = NQ};
	__u32 slot = FS_LOCATE_SLOTS + 5;
	int fd;

	fd = bpf_map_create(BPF_MAP_TYPE_HASH, "t_inst_index", sizeof(key), sizeof(slot), 4, NULL);
	if (fd < 0)
		return fd;
	cr_assert_eq(bpf_map_update_elem(fd, &key, &slot, BPF_ANY), 0);
	h.iface.fds[FS_M_INST_INDEX] = fd;
	h.iface.instruments = calloc(slot + 1, sizeof(*h.iface.instruments));
	cr_assert_not_null(h.iface.instruments);
	h.iface.instruments[slot].flags = FS_INST_F_ID;
	h.iface.instruments[slot].id = NQ;
	h.iface.instruments[slot].sub[0] = sub ? 1 : FS_INST_NOT_SUBSCRIBED;
	return fd;
}

Test(mdp3_recovery, waiting_instrument_unsubscribed_by_a_commit_stops_waiting)
{
	int fd = directory(true);

	if (fd < 0)
		cr_skip_test("a BPF hash map for the directory needs CAP_BPF");
	two_live();
	nq_loses_3();
	log_is("gap3+1[42001] m4{170506:3} ");
	cr_assert_eq(fsi_mdp3_rec__joined(h.r), 1);
	/* A commit that changes nothing for NQ: it still waits. */
	h.bank.commits += 2;
	begin();
	end();
	cr_assert_eq(fsi_mdp3_rec__joined(h.r), 1, "NQ is still subscribed");
	/* NQ unsubscribed: no update of it comes, but the commit is enough. */
	h.iface.instruments[FS_LOCATE_SLOTS + 5].sub[0] = FS_INST_NOT_SUBSCRIBED;
	h.bank.commits += 2;
	begin();
	end();
	log_is("");
	cr_assert_eq(fsi_mdp3_rec__joined(h.r), 0, "nothing waits: the snapshot group is left");
	close(fd);
	free(h.iface.instruments);
}

Test(mdp3_recovery, waiting_instruments_flow_on_when_the_snapshot_group_goes)
{
	two_live();
	nq_loses_3();
	step_book2(5, 4, 5);
	log_is("gap3+1[42001] m4{170506:3} m5{170506:4} ");
	groups(false);
	h.bank.commits += 2;
	begin();
	end();
	/* No snapshot can come: what NQ held is handed over, and it flows on. */
	log_is("m4{42001:4} m5{42001:5} ");
	cr_assert_eq(fsi_mdp3_rec__joined(h.r), 0);
	step_book2(6, 5, 6);
	log_is("m6{170506:5,42001:6} ");
}

/* Finding 11: the bytes held for snapshots are bounded per consumer; past the bound the
 * instrument gives up its snapshot and flows on. */
Test(mdp3_recovery, past_the_held_bytes_bound_the_instrument_flows_on)
{
	size_t one;

	two_live();
	nq_loses_3();
	log_is("gap3+1[42001] m4{170506:3} ");
	one = fsi_mdp3_rec__held_bytes(h.r);
	cr_assert_gt(one, 100, "a held message counts its copy of the packet (%zu)", one);
	fsi_mdp3_rec__set_max_held(h.r, 2 * one + 1);
	step_book2(5, 4, 5);
	log_is("m5{170506:4} ");
	cr_assert_eq(fsi_mdp3_rec__held_bytes(h.r), 2 * one);
	/* The third does not fit: NQ's held updates, then this one, in RptSeq order. */
	step_book2(6, 5, 6);
	log_is("m6{170506:5} m4{42001:4} m5{42001:5} m6{42001:6} ");
	cr_assert_eq(fsi_mdp3_rec__held_bytes(h.r), 0);
	cr_assert_eq(fsi_mdp3_rec__joined(h.r), 0, "nothing waits: the snapshot group is left");
	snapshot_step(90, NQ, 3, 3);
	log_is("");
	step_book2(7, 6, 7);
	log_is("m7{170506:6,42001:7} ");
}

Test(mdp3_recovery, held_bytes_are_given_back)
{
	two_live();
	nq_loses_3();
	step_book2(5, 4, 5);
	cr_assert_gt(fsi_mdp3_rec__held_bytes(h.r), 0);
	snapshot_step(90, NQ, 3, 3);
	cr_assert_eq(fsi_mdp3_rec__held_bytes(h.r), 0, "released after the snapshot");
	lose_3(7, 9); /* both jump: both wait */
	cr_assert_gt(fsi_mdp3_rec__held_bytes(h.r), 0);
	begin();
	session(1);
	end();
	cr_assert_eq(fsi_mdp3_rec__held_bytes(h.r), 0, "dropped with a new session");
}

/* A message reaching past key FS_MAX_WALK cannot be split: handed over once, whole; the waiting
 * instrument with an entry in it gives up its snapshot first. */
Test(mdp3_recovery, message_past_the_walk_is_never_split)
{
	__s32 ids[FS_MAX_WALK + 1];
	__u32 rpts[FS_MAX_WALK + 1];
	struct fb_mdp3_msg big = {.tid = 37, .ids = ids, .n_ids = FS_MAX_WALK + 1, .rpts = rpts};
	int i;

	two_live();
	nq_loses_3();
	log_is("gap3+1[42001] m4{170506:3} ");
	/* Keys 0..126 of an instrument nobody subscribed, ES at 127, NQ at 128: past the walk. */
	h.unsub = 555;
	for (i = 0; i < FS_MAX_WALK - 1; i++) {
		ids[i] = 555;
		rpts[i] = (__u32)i + 1;
	}
	ids[FS_MAX_WALK - 1] = ES;
	rpts[FS_MAX_WALK - 1] = 4;
	ids[FS_MAX_WALK] = NQ;
	rpts[FS_MAX_WALK] = 5;
	begin();
	packet(5, &big, 1);
	end();
	log_is("m4{42001:4} m5{170506:4,42001:5} ");
	cr_assert_eq(fsi_mdp3_rec__joined(h.r), 0, "NQ gave up: nothing waits");
	snapshot_step(90, NQ, 3, 3);
	log_is("");
	step_book2(6, 5, 6);
	log_is("m6{170506:5,42001:6} ");
}
