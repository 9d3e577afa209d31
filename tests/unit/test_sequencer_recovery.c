// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The sequencer of a MoldUDP64 channel whose lines name a re-request server: holes are asked
 * for rather than reported after the grace time, the server's answers (frames flagged
 * retransmitted) are handed over in sequence, a settled hole is one FS_EV_RECOVERY, and what the
 * deadline leaves is an FS_EV_GAP for exactly that part. The channel window is plain memory,
 * written as the program writes it; the requests go to a log; the clock is the test's.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <sanitizer/lsan_interface.h>

#include "feedsieve/wire_itch.h"
#include "frame_builder.h"
#include "internal.h"
#include "recovery.h"
#include "sequencer.h"

#define CHAN 5
#define MS   (1000ULL * 1000)
#define T0   (1000 * MS) /* the test's clock starts here */

struct harness {
	struct fs_iface iface;
	struct fs_bank_state bank;
	char names[FS_MAX_CHANNELS][FS_CHANNEL_NAME_LEN];
	struct fsi_sequencer *seq;
	char log[8192];
	size_t n;
	char reqs[2048];
	size_t nreqs;
	unsigned held;	/* buffers the sequencer has not given back */
	void *bufs[64]; /* those buffers (NULL: given back), for a test that stops early */
	__u64 now;
	bool server;
	__u64 last_elapsed;
	const char *session; /* of the frames that arrive; NULL: FB_SESSION */
};

static void release(void *ctx, __u64 handle)
{
	struct harness *h = ctx;
	unsigned i;

	for (i = 0; i < 64; i++)
		if (h->bufs[i] == (void *)(uintptr_t)handle)
			h->bufs[i] = NULL;
	free((void *)(uintptr_t)handle);
	h->held--;
}

static bool has_server(void *ctx, __u8 chan)
{
	struct harness *h = ctx;

	return chan == CHAN && h->server;
}

static int send_req(void *ctx, __u8 chan, enum fs_proto proto, const char *session, __u8 len,
		    __u64 from, __u32 count)
{
	struct harness *h = ctx;

	cr_assert_eq(chan, CHAN);
	cr_assert_eq(proto, FS_PROTO_MOLD_ITCH);
	cr_assert_eq(len, MOLD_SESSION_LEN);
	cr_assert_eq(memcmp(session, FB_SESSION, MOLD_SESSION_LEN), 0);
	h->nreqs += (size_t)snprintf(h->reqs + h->nreqs, sizeof(h->reqs) - h->nreqs, "%llu+%u ",
				     (unsigned long long)from, count);
	return 0;
}

static __u64 clock_of(void *ctx)
{
	return ((struct harness *)ctx)->now;
}

static void harness_init(struct harness *h, __u32 max_held, size_t heap)
{
	struct fsi_frame_source src = {.iface = &h->iface, .release = release, .ctx = h};
	struct fsi_request_sink sink = {
	    .has_server = has_server, .send = send_req, .now = clock_of, .ctx = h};
	struct fsi_recovery_params p;

	memset(h, 0, sizeof(*h));
	h->iface.windows = calloc(FS_MAX_CHANNELS, sizeof(*h->iface.windows));
	h->iface.chan_events = calloc(FS_MAX_CHANNELS, sizeof(*h->iface.chan_events));
	cr_assert(h->iface.windows && h->iface.chan_events);
	h->iface.bank = &h->bank;
	h->server = true;
	h->now = T0;
	snprintf(h->names[CHAN], sizeof(h->names[CHAN]), "itch1");
	src.channel_names = (const char(*)[FS_CHANNEL_NAME_LEN])h->names;
	cr_assert_eq(fsi_sequencer__create(&src, max_held, 0, 0, &h->seq), 0);
	fsi_recovery__defaults(&p, 0, 0);
	cr_assert_eq(fsi_sequencer__recover(h->seq, &sink, &p, heap), 0);
	h->iface.windows[CHAN].session =
	    fs_session_hash((const __u8 *)FB_SESSION, FB_SESSION_LEN); /* generation 0 */
}

static void harness_fini(struct harness *h)
{
	fsi_sequencer__destroy(h->seq);
	cr_assert_eq(h->held, 0, "%u buffers never given back", h->held);
	free(h->iface.windows);
	free(h->iface.chan_events);
}

/* The program decided [SEQ, SEQ + N): STATE in the window, the high-water mark past it. */
static void program_sees(struct harness *h, __u64 seq, __u64 n, enum fs_seq_state state)
{
	struct fs_channel_window *w = &h->iface.windows[CHAN];

	for (; n; n--, seq++) {
		__u32 slot = fs_seq_slot(seq), tag = fs_seq_tag(0, seq);
		__u64 word = w->words[slot];

		if (fs_word_tag(word) != tag)
			word = (__u64)tag << 32;
		word &= ~fs_state_bits(seq, 3);
		w->words[slot] = word | fs_state_bits(seq, state);
		if (fs_high_seq(w->high, 0) < seq + 1)
			w->high = seq + 1;
	}
}

static int on_event(const struct fs_event *ev, void *ctx)
{
	struct harness *h = ctx;
	size_t cap = sizeof(h->log) - h->n;

	cr_assert_eq(ev->channel, CHAN);
	switch (ev->type) {
	case FS_EV_SESSION:
		h->n += (size_t)snprintf(h->log + h->n, cap, "session@%llu ",
					 (unsigned long long)ev->from);
		break;
	case FS_EV_MESSAGE:
		/* The block's own bytes: a copied-out frame must still read right. */
		cr_assert_eq(ev->msg->type, 'E');
		cr_assert_eq(ev->msg->key, (ev->msg->seq % 100) + 1, "locate of %llu",
			     (unsigned long long)ev->msg->seq);
		h->n += (size_t)snprintf(h->log + h->n, cap, "%llu%s ",
					 (unsigned long long)ev->msg->seq,
					 ev->retransmitted ? "r" : "");
		break;
	case FS_EV_GAP:
		h->n +=
		    (size_t)snprintf(h->log + h->n, cap, "gap%llu+%llu ",
				     (unsigned long long)ev->from, (unsigned long long)ev->count);
		break;
	case FS_EV_RECOVERY:
		h->n += (size_t)snprintf(
		    h->log + h->n, cap, "rec%llu+%llu/%llu ", (unsigned long long)ev->from,
		    (unsigned long long)ev->count, (unsigned long long)ev->filled);
		h->last_elapsed = ev->elapsed_ns;
		break;
	default:
		h->n += (size_t)snprintf(h->log + h->n, cap, "event%d ", (int)ev->type);
		break;
	}
	return 0;
}

/* A frame of N Order Executed messages from SEQ arrives (RETRANS: the server's answer); each
 * message's locate is its sequence number % 100 + 1, so the test can check the bytes. BITS: the
 * program's match bits, the messages this frame brought first and wanted (bit i: SEQ + i). */
static void arrive_bits(struct harness *h, __u64 seq, __u16 n, bool retrans, __u64 bits)
{
	struct fb_msg msgs[16];
	struct fb_frame d = {.daddr = 0xEF010101,
			     .dport = 26400,
			     .set_seq = true,
			     .seq = seq,
			     .msgs = msgs,
			     .n_msgs = n,
			     .session = h->session};
	struct emit e = {.s = h->seq, .fn = on_event, .ctx = h};
	struct fs_xdp_meta *m;
	struct fb_layout l;
	struct fs_frame f;
	__u8 *buf;
	size_t len;
	__u16 i;

	cr_assert_leq(n, 16);
	for (i = 0; i < n; i++)
		msgs[i] = (struct fb_msg){.type = 'E', .locate = (__u16)((seq + i) % 100 + 1)};
	buf = malloc(sizeof(*m) + FB_MAX_FRAME);
	cr_assert_not_null(buf);
	len = fb_build(&d, buf + sizeof(*m), FB_MAX_FRAME, &l);
	cr_assert(len);
	m = (struct fs_xdp_meta *)buf;
	memset(m, 0, sizeof(*m));
	m->magic = FS_META_MAGIC;
	m->proto = FS_PROTO_MOLD_ITCH;
	m->channel = CHAN;
	m->msgs_walked = (__u8)n;
	m->match_bits[0] = bits;
	m->flags = retrans ? FS_META_F_RETRANSMITTED : 0;
	memset(&f, 0, sizeof(f));
	cr_assert_eq(fs_frame__decode(&f, buf + sizeof(*m), (__u32)len, m), 0);
	cr_assert_not(f.malformed);
	f.retransmitted = retrans; /* frame.c's part of the contract (FS_META_F_RETRANSMITTED) */
	for (i = 0; i < 64 && h->bufs[i]; i++)
		;
	cr_assert_lt(i, 64);
	h->bufs[i] = buf;
	h->held++;
	fsi_sequencer__frame(h->seq, &f, (__u64)(uintptr_t)buf, &e);
}

static void arrive(struct harness *h, __u64 seq, __u16 n, bool retrans)
{
	arrive_bits(h, seq, n, retrans, (1ULL << n) - 1);
}

/* The program delivered [SEQ, SEQ + N) of a live line, and the frame arrives. */
static void live(struct harness *h, __u64 seq, __u16 n)
{
	program_sees(h, seq, n, FS_SEQ_DELIVERED);
	arrive(h, seq, n, false);
}

static void settle(struct harness *h, __u64 at)
{
	struct emit e = {.s = h->seq, .fn = on_event, .ctx = h};

	h->now = at;
	fsi_sequencer__settle_at(h->seq, &e, at);
}

static void finish(struct harness *h)
{
	struct emit e = {.s = h->seq, .fn = on_event, .ctx = h};

	fsi_sequencer__finish(h->seq, &e);
}

#define LOG_IS(h, want)                                                                            \
	cr_assert_str_eq((h)->log, want, "events \"%s\", want \"%s\"", (h)->log, want)
#define REQS_ARE(h, want)                                                                          \
	cr_assert_str_eq((h)->reqs, want, "requests \"%s\", want \"%s\"", (h)->reqs, want)
#define EV(h, field) ((h)->iface.chan_events[CHAN].field)

/* 1-3 arrive, 4-5 lost on both lines, 6-7 arrive and are held. */
static void lose_4_5(struct harness *h)
{
	program_sees(h, 1, 3, FS_SEQ_DELIVERED);
	arrive(h, 1, 3, false);
	program_sees(h, 6, 2, FS_SEQ_DELIVERED);
	arrive(h, 6, 2, false);
	LOG_IS(h, "session@1 1 2 3 ");
}

Test(sequencer_recovery, a_hole_is_asked_for_and_filled_in_order)
{
	struct harness h;

	harness_init(&h, 64, 0);
	lose_4_5(&h);
	settle(&h, T0);
	settle(&h, T0 + 4 * MS);
	REQS_ARE(&h, "");
	settle(&h, T0 + 5 * MS);
	REQS_ARE(&h, "4+2 ");
	LOG_IS(&h, "session@1 1 2 3 ");
	/* Long past the grace time: still no gap, the hole waits for the server. */
	settle(&h, T0 + 30 * MS);
	LOG_IS(&h, "session@1 1 2 3 ");
	h.now = T0 + 31 * MS;
	program_sees(&h, 4, 2, FS_SEQ_DELIVERED);
	arrive(&h, 4, 2, true);
	LOG_IS(&h, "session@1 1 2 3 4r 5r rec4+2/2 6 7 ");
	cr_assert_eq(h.last_elapsed, 31 * MS, "from when the hole was seen: %llu",
		     (unsigned long long)h.last_elapsed);
	cr_assert_eq(EV(&h, recovery_ranges), 1);
	cr_assert_eq(EV(&h, recovery_requests), 2, "the first and one retry after 20 ms");
	cr_assert_eq(EV(&h, recovery_filled), 2);
	cr_assert_eq(EV(&h, recovery_unfilled), 0);
	cr_assert_eq(EV(&h, gaps), 0);
	cr_assert_eq(EV(&h, msgs_delivered), 7);
	/* A late live copy of 4-5: the program drops it as a duplicate; one that reached us
	 * (a copy claimed before) is behind next: nothing is handed over twice. */
	arrive(&h, 4, 2, false);
	finish(&h);
	LOG_IS(&h, "session@1 1 2 3 4r 5r rec4+2/2 6 7 ");
	harness_fini(&h);
}

Test(sequencer_recovery, the_deadline_leaves_a_gap_of_exactly_the_unfilled_part)
{
	struct harness h;
	__u64 t;

	harness_init(&h, 64, 0);
	program_sees(&h, 1, 3, FS_SEQ_DELIVERED);
	arrive(&h, 1, 3, false);
	program_sees(&h, 10, 1, FS_SEQ_DELIVERED);
	arrive(&h, 10, 1, false);
	settle(&h, T0);
	settle(&h, T0 + 5 * MS);
	REQS_ARE(&h, "4+6 ");
	/* A partial answer (what fits one packet): the rest is asked at once. */
	program_sees(&h, 4, 3, FS_SEQ_DELIVERED);
	arrive(&h, 4, 3, true);
	settle(&h, T0 + 5 * MS + 50 * 1000);
	REQS_ARE(&h, "4+6 7+3 ");
	/* Then silence: retries, and no gap before the deadline. */
	for (t = T0 + 6 * MS; t < T0 + 1000 * MS; t += MS)
		settle(&h, t);
	LOG_IS(&h, "session@1 1 2 3 4r 5r 6r ");
	settle(&h, T0 + 1000 * MS);
	LOG_IS(&h, "session@1 1 2 3 4r 5r 6r gap7+3 rec4+6/3 10 ");
	cr_assert_eq(EV(&h, gaps), 1);
	cr_assert_eq(EV(&h, msgs_lost), 3);
	cr_assert_eq(EV(&h, recovery_filled), 3);
	cr_assert_eq(EV(&h, recovery_unfilled), 3);
	cr_assert_eq(EV(&h, recovery_ranges), 1);
	cr_assert_gt(EV(&h, recovery_requests), 3, "retried with backoff");
	cr_assert_lt(EV(&h, recovery_requests), 12, "but not every millisecond: %llu",
		     (unsigned long long)EV(&h, recovery_requests));
	finish(&h);
	harness_fini(&h);
}

Test(sequencer_recovery, every_hole_below_the_high_water_mark_is_asked_at_once)
{
	struct harness h;

	harness_init(&h, 64, 0);
	program_sees(&h, 1, 3, FS_SEQ_DELIVERED);
	arrive(&h, 1, 3, false);
	/* 4-5 and 8-9 lost, 6-7 and 10 arrive; 11 filtered. */
	program_sees(&h, 6, 2, FS_SEQ_DELIVERED);
	arrive(&h, 6, 2, false);
	program_sees(&h, 10, 1, FS_SEQ_DELIVERED);
	arrive(&h, 10, 1, false);
	program_sees(&h, 11, 1, FS_SEQ_FILTERED);
	settle(&h, T0);
	settle(&h, T0 + 5 * MS);
	REQS_ARE(&h, "4+2 8+2 ");
	/* The second hole's answer comes first: held until the first is filled. */
	program_sees(&h, 8, 2, FS_SEQ_DELIVERED);
	arrive(&h, 8, 2, true);
	LOG_IS(&h, "session@1 1 2 3 ");
	/* The first one's answer: unsubscribed messages only, filtered by the program. */
	program_sees(&h, 4, 2, FS_SEQ_FILTERED);
	settle(&h, T0 + 6 * MS);
	LOG_IS(&h, "session@1 1 2 3 rec4+2/2 6 7 8r 9r rec8+2/2 10 ");
	cr_assert_eq(EV(&h, recovery_ranges), 2);
	cr_assert_eq(EV(&h, recovery_filled), 4);
	cr_assert_eq(EV(&h, gaps), 0);
	harness_fini(&h);
}

/*
 * The answer overlaps a live copy that came after the request left: hole 4-9 is asked as one
 * request, line B's late copy [6,8) claims 6-7 and is held, then the answer [4,10) claims only
 * 4, 5, 8 and 9 (its match bits). Each number is handed over from the frame that carries it, in
 * sequence order across the two frames: none is skipped, none handed over twice.
 */
Test(sequencer_recovery, an_answer_overlapping_a_held_live_copy_hands_over_in_order)
{
	struct harness h;

	harness_init(&h, 64, 0);
	live(&h, 1, 3);
	live(&h, 10, 1);
	settle(&h, T0);
	settle(&h, T0 + 5 * MS);
	REQS_ARE(&h, "4+6 ");
	live(&h, 6, 2);
	LOG_IS(&h, "session@1 1 2 3 ");
	program_sees(&h, 4, 2, FS_SEQ_DELIVERED);
	program_sees(&h, 8, 2, FS_SEQ_DELIVERED);
	arrive_bits(&h, 4, 6, true, 0x33);
	LOG_IS(&h, "session@1 1 2 3 4r 5r 6 7 8r 9r rec4+6/6 10 ");
	cr_assert_eq(EV(&h, msgs_delivered), 10);
	cr_assert_eq(EV(&h, gaps), 0);
	cr_assert_eq(h.held, 0, "every buffer given back: %u held", h.held);
	harness_fini(&h);
}

/* Two held frames that interleave, whichever came first: each number is handed over from the
 * frame that carries it, a frame's remainder waiting where the other's next number is. */
Test(sequencer_recovery, overlapping_held_frames_hand_over_each_number_once)
{
	struct harness h;

	harness_init(&h, 64, 0);
	live(&h, 1, 3);
	live(&h, 12, 1);
	/* [5,12) holds 5, 6, 9, 10, 11; [4,9) holds 4, 7, 8: neither alone may move next. */
	program_sees(&h, 5, 7, FS_SEQ_DELIVERED);
	arrive_bits(&h, 5, 7, true, 0x73);
	program_sees(&h, 4, 1, FS_SEQ_DELIVERED);
	LOG_IS(&h, "session@1 1 2 3 ");
	arrive_bits(&h, 4, 5, false, 0x19);
	LOG_IS(&h, "session@1 1 2 3 4 5r 6r 7 8 9r 10r 11r 12 ");
	cr_assert_eq(EV(&h, msgs_delivered), 12);
	cr_assert_eq(EV(&h, gaps), 0);
	cr_assert_eq(h.held, 0, "every buffer given back: %u held", h.held);
	harness_fini(&h);
}

/*
 * next sits on a number the program delivered whose frame never came (the RX ring overflowed),
 * right before a hole no line brought: the first is a gap after the grace time, the hole is
 * asked for, not swallowed by that gap.
 */
Test(sequencer_recovery, a_gap_at_next_stops_at_the_next_asked_hole)
{
	struct harness h;

	harness_init(&h, 64, 0);
	live(&h, 1, 3);
	program_sees(&h, 4, 1, FS_SEQ_DELIVERED); /* its frame is lost after the program */
	live(&h, 8, 1);
	settle(&h, T0);
	settle(&h, T0 + 5 * MS);
	LOG_IS(&h, "session@1 1 2 3 gap4+1 ");
	REQS_ARE(&h, "5+3 ");
	program_sees(&h, 5, 3, FS_SEQ_DELIVERED);
	arrive(&h, 5, 3, true);
	LOG_IS(&h, "session@1 1 2 3 gap4+1 5r 6r 7r rec5+3/3 8 ");
	cr_assert_eq(EV(&h, msgs_lost), 1);
	harness_fini(&h);
}

/*
 * A retransmitted frame far past what the live lines brought (stray, or forged) fills no hole: it
 * is given back and counted, never handed over, and makes no gap; the real hole still waits for
 * its answer.
 */
Test(sequencer_recovery, a_retransmitted_frame_past_the_high_water_mark_is_not_sequenced)
{
	struct harness h;
	__u64 high;

	harness_init(&h, 64, 0);
	lose_4_5(&h);
	settle(&h, T0);
	settle(&h, T0 + 5 * MS);
	REQS_ARE(&h, "4+2 ");
	/* The program claims it without raising the mark (a response never does). */
	high = h.iface.windows[CHAN].high;
	program_sees(&h, 100000, 2, FS_SEQ_DELIVERED);
	h.iface.windows[CHAN].high = high;
	arrive(&h, 100000, 2, true);
	cr_assert_eq(h.held, 1, "given back at once: %u held", h.held);
	settle(&h, T0 + 6 * MS);
	settle(&h, T0 + 900 * MS);
	LOG_IS(&h, "session@1 1 2 3 ");
	cr_assert_eq(EV(&h, recovery_stray), 1);
	cr_assert_eq(EV(&h, gaps), 0);
	program_sees(&h, 4, 2, FS_SEQ_DELIVERED);
	arrive(&h, 4, 2, true);
	LOG_IS(&h, "session@1 1 2 3 4r 5r rec4+2/2 6 7 ");
	cr_assert_eq(EV(&h, msgs_delivered), 7);
	harness_fini(&h);
}

/* A channel's server named, then not, then again (the configuration changed): the hole is
 * given to the engine again, rather than left behind where the scan had come. */
Test(sequencer_recovery, a_server_named_again_asks_the_hole_again)
{
	struct harness h;

	harness_init(&h, 64, 0);
	lose_4_5(&h);
	settle(&h, T0);
	h.server = false;
	settle(&h, T0 + 1 * MS);
	h.server = true;
	settle(&h, T0 + 2 * MS);
	settle(&h, T0 + 5 * MS);
	LOG_IS(&h, "session@1 1 2 3 ");
	settle(&h, T0 + 7 * MS);
	REQS_ARE(&h, "4+2 ");
	finish(&h);
	harness_fini(&h);
}

/*
 * The program starts a new session while a hole of the old one is asked for and no frame of the
 * old one is held past it: the hole is settled (its numbers never handed over count as
 * unfilled), not forgotten with its request counted and its outcome nowhere.
 */
Test(sequencer_recovery, a_new_session_settles_the_asked_holes)
{
	struct harness h;

	harness_init(&h, 64, 0);
	live(&h, 1, 3);
	program_sees(&h, 6, 2, FS_SEQ_FILTERED);
	settle(&h, T0);
	settle(&h, T0 + 5 * MS);
	REQS_ARE(&h, "4+2 ");
	h.session = "SESSION002";
	h.iface.windows[CHAN].session =
	    1ULL << 48 | fs_session_hash((const __u8 *)h.session, FB_SESSION_LEN);
	h.iface.windows[CHAN].high = 1ULL << 48 | 2;
	arrive(&h, 1, 1, false);
	LOG_IS(&h, "session@1 1 2 3 rec4+2/0 session@1 1 ");
	cr_assert_eq(EV(&h, recovery_ranges), 1);
	cr_assert_eq(EV(&h, recovery_unfilled), 2);
	cr_assert_eq(EV(&h, recovery_filled), 0);
	harness_fini(&h);
}

Test(sequencer_recovery, without_a_server_a_hole_is_a_gap_after_the_grace_time)
{
	struct harness h;

	harness_init(&h, 64, 0);
	h.server = false;
	lose_4_5(&h);
	settle(&h, T0);
	settle(&h, T0 + 5 * MS);
	REQS_ARE(&h, "");
	LOG_IS(&h, "session@1 1 2 3 gap4+2 6 7 ");
	cr_assert_eq(EV(&h, recovery_ranges), 0);
	harness_fini(&h);
}

Test(sequencer_recovery, finish_reports_what_is_still_waiting)
{
	struct harness h;

	harness_init(&h, 64, 0);
	lose_4_5(&h);
	settle(&h, T0);
	settle(&h, T0 + 5 * MS);
	REQS_ARE(&h, "4+2 ");
	finish(&h);
	LOG_IS(&h, "session@1 1 2 3 gap4+2 rec4+2/0 6 7 ");
	cr_assert_eq(EV(&h, recovery_unfilled), 2);
	harness_fini(&h);
}

Test(sequencer_recovery, next_deadline_follows_the_recovery_timers)
{
	struct harness h;

	harness_init(&h, 64, 0);
	lose_4_5(&h);
	settle(&h, T0);
	cr_assert_eq(fsi_sequencer__next_deadline(h.seq), T0 + 5 * MS);
	settle(&h, T0 + 5 * MS);
	cr_assert_eq(fsi_sequencer__next_deadline(h.seq), T0 + 25 * MS,
		     "the request's timeout, not the passed grace time: %llu",
		     (unsigned long long)fsi_sequencer__next_deadline(h.seq));
	finish(&h);
	harness_fini(&h);
}

/* 1 arrives, 2 is lost on both lines, 3-12 arrive one by one, settled as they come. */
static void flood_behind_hole(struct harness *h)
{
	__u64 s;

	program_sees(h, 1, 1, FS_SEQ_DELIVERED);
	arrive(h, 1, 1, false);
	for (s = 3; s < 13; s++) {
		program_sees(h, s, 1, FS_SEQ_DELIVERED);
		arrive(h, s, 1, false);
		settle(h, T0 + s * 1000);
	}
}

/*
 * A fast feed behind a hole that waits for its server: the held frames take every buffer the
 * source may lend (max_held 8: a budget of 4). They are copied out, the buffers given back, and
 * the hole still waits; the copies hand over the right messages.
 */
Test(sequencer_recovery, held_frames_are_copied_out_under_pressure)
{
	struct harness h;

	harness_init(&h, 8, 0);
	flood_behind_hole(&h);
	cr_assert_lt(h.held, 4, "buffers given back: %u held", h.held);
	LOG_IS(&h, "session@1 1 ");
	settle(&h, T0 + 6 * MS);
	REQS_ARE(&h, "2+1 ");
	program_sees(&h, 2, 1, FS_SEQ_DELIVERED);
	arrive(&h, 2, 1, true);
	LOG_IS(&h, "session@1 1 2r rec2+1/1 3 4 5 6 7 8 9 10 11 12 ");
	harness_fini(&h);
}

/* The same with a heap budget of about one frame: past it the hole is decided at once, as
 * without a server (a gap), rather than starve the source. */
Test(sequencer_recovery, past_the_heap_budget_pressure_decides_the_hole)
{
	struct harness h;

	harness_init(&h, 8, 300);
	flood_behind_hole(&h);
	cr_assert(strstr(h.log, "gap2+1 3 4 "), "%s", h.log);
	cr_assert_eq(EV(&h, recovery_ranges), 0, "decided before it was asked");
	finish(&h);
	harness_fini(&h);
}

/* A consumer that stops while copies wait behind a hole: destroy frees them (LeakSanitizer,
 * asked here: its report at exit would not fail the test), and the source's buffers stay the
 * source's. */
Test(sequencer_recovery, destroy_frees_the_copies)
{
	struct harness h;
	unsigned i;

	harness_init(&h, 8, 0);
	flood_behind_hole(&h);
	cr_assert_lt(h.held, 4, "copies were made: %u buffers held", h.held);
	fsi_sequencer__destroy(h.seq);
	h.seq = NULL;
	for (i = 0; i < 64; i++)
		if (h.bufs[i]) {
			free(h.bufs[i]);
			h.held--;
		}
	cr_assert_eq(__lsan_do_recoverable_leak_check(), 0, "nothing leaked");
	harness_fini(&h);
}
