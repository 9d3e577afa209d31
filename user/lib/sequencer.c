// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Sequencing: per channel, every subscribed message exactly once and in order, gap events for
 * what no line brought, recovery of gaps filled late, and stale channels.
 *
 * It knows no protocol: a frame covers the sequence numbers [seq, seq + seq_count) (one per
 * message for MoldUDP64, one per packet for MDP3, whose messages share their packet's number),
 * is data, a heartbeat or an end of session, and names its session or belongs to the current
 * one (fs_frame). Gaps are counted in those sequence numbers.
 *
 * The program drops the frames it filters, so the consumer cannot see them; it reads the channel's
 * sequence window instead (feedsieve/seqwin.h, mmapped). For the next sequence number it has not
 * accounted for:
 *   - a held frame starts there:            hand its messages over, move on;
 *   - FILTERED:                             filtered on purpose, skip it silently;
 *   - CLAIMED or DELIVERED:                 its frame is on its way to this socket, wait;
 *   - UNSEEN (or slid out of the window):   no line brought it yet, wait for the slower line.
 * Frames past such a hole are held (their UMEM buffers are not recycled) until the hole is filled
 * or, after the grace time, reported as a gap. Time-based decisions are taken only when the RX
 * ring is empty, so a frame still queued in the ring is never mistaken for a loss, or when held
 * frames keep half the UMEM: a consumer that never empties its ring (overload) must still
 * report its holes rather than starve the fill ring and lose everything after them.
 *
 * Where it stands (the next sequence number not yet handed over) is recorded per channel in the
 * shared fs_chan_events, after every message: a consumer that replaces one that died resumes
 * there, and the range it missed becomes a gap like any other hole (docs/integrity.md).
 *
 * Frames come from a frame source (sequencer.h): the AF_XDP consumer, whose buffers are UMEM
 * frames and whose clock is CLOCK_MONOTONIC (fsi_sequencer__settle() when the ring is empty), or
 * replay, whose buffers are a pool and whose clock is the capture's (fsi_sequencer__settle_at()
 * at every instant a decision falls due, docs/replay.md). The sequencer knows neither.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "log.h"
#include "recovery.h"
#include "sequencer.h"

#define DEFAULT_GRACE_NS (5ULL * 1000 * 1000)
#define DEFAULT_STALE_NS (2ULL * 1000 * 1000 * 1000)
#define SETTLE_EVERY_NS	 (50ULL * 1000)	  /* time-based checks at most this often */
#define RECOVER_EVERY_NS (1000ULL * 1000) /* look for gaps filled while filtered this often */
/* Empty polls between clock reads: a read costs ~46 ns here, an empty poll far less. */
#define POLLS_PER_CLOCK 32
#define RECENT_GAPS	32 /* gaps remembered for recovery, per channel */
#define DEFAULT_RECOVERY_DEADLINE_NS (1000ULL * 1000 * 1000)
/* Held frames copied out of the source's buffers while holes wait for a server: at 1 400 bytes
 * a frame, some 45 000 frames (a 45 000 frames/s channel held for the whole default deadline). */
#define DEFAULT_HEAP_BYTES (64ULL << 20)

enum seq_view {
	VIEW_UNSEEN = FS_SEQ_UNSEEN,
	VIEW_CLAIMED = FS_SEQ_CLAIMED,
	VIEW_FILTERED = FS_SEQ_FILTERED,
	VIEW_DELIVERED = FS_SEQ_DELIVERED,
	VIEW_TOO_OLD, /* the window has moved past it */
};

struct held {
	struct fs_frame frame; /* points into the source's buffer, which stays ours while held */
	__u64 handle;          /* heap: the bytes of this allocation */
	bool heap;             /* copied out: the frame's bytes follow this struct, no buffer */
	__u64 from; /* the first number of the frame not handed over yet: the list's order */
	__u64 end;  /* one past the frame's last sequence number */
	struct held *next;
};

struct gap_rec {
	__u64 from, count; /* count 0: free slot */
};

struct chan_seq {
	bool active, stale, ended;
	__u64 incarnation; /* fs_chan_events.incarnation when this state began */
	__u64 session_hash;
	__u32 gen;
	__u8 proto; /* enum fs_proto of the session's frames */
	bool has_unit; /* and their unit (PITCH) */
	__u8 unit;
	char session[FS_SESSION_NAME_LEN];
	__u8 session_len;
	__u64 next;	     /* first sequence number not yet accounted for */
	__u64 hole_since_ns; /* when the hole at next was first seen, 0: none */
	__u64 hole_horizon;  /* how far the channel had come then: holes below it were visible */
	__u64 last_hb;
	struct held *held; /* sorted by sequence number */
	struct gap_rec gaps[RECENT_GAPS];
	__u32 gap_cursor;
	bool recovering; /* its lines name a server: holes are asked for, not reported at once */
	__u64 scanned;   /* holes below this were given to the recovery engine */
};

struct fsi_sequencer {
	struct fsi_frame_source src;
	struct chan_seq ch[FS_MAX_CHANNELS];
	__u8 active[FS_MAX_CHANNELS]; /* ids of active channels */
	__u32 nactive;
	struct held *pool, *free;
	__u32 held_total, held_budget;
	__u64 grace_ns, stale_ns, last_settle_ns, last_recover_ns;
	__u32 polls; /* since the last clock read */
	struct fsi_recovery *rec; /* NULL: no re-requests (replay) */
	struct fsi_request_sink sink;
	size_t heap_bytes, heap_budget; /* held frames copied out of the source's buffers */
	bool heap_warned;               /* said once that the budget decided holes */
};

static __u64 clock_now(const struct fsi_sequencer *s)
{
	return s->sink.now ? s->sink.now(s->sink.ctx) : fsi_now_ns();
}

static void emit(struct emit *e, struct fs_event *ev)
{
	if (!e->ret)
		e->ret = e->fn(ev, e->ctx);
}

static void event_init(struct fs_event *ev, enum fs_event_type type, const struct fsi_sequencer *s,
		       __u8 id, const struct chan_seq *cs)
{
	memset(ev, 0, sizeof(*ev));
	ev->type = type;
	ev->queue = s->src.queue;
	ev->channel = id;
	ev->channel_name = s->src.channel_names[id];
	ev->proto = cs->proto;
	ev->has_unit = cs->has_unit;
	ev->unit = cs->unit;
	memcpy(ev->session, cs->session, sizeof(ev->session));
	ev->session_len = cs->session_len;
	ev->session_hash = cs->session_hash;
}

static void count_event(struct fsi_sequencer *s, __u8 id, size_t field, __u64 n)
{
	__u64 *p = (__u64 *)((char *)&s->src.iface->chan_events[id] + field);

	__atomic_fetch_add(p, n, __ATOMIC_RELAXED);
}
#define COUNT_EVENT(s, id, field, n) count_event(s, id, offsetof(struct fs_chan_events, field), n)

/* Record the resume point: a consumer that dies leaves its successor NEXT to start from. */
static void record_next(struct fsi_sequencer *s, __u8 id, __u64 next)
{
	__atomic_store_n(&s->src.iface->chan_events[id].resume_next, next, __ATOMIC_RELEASE);
}

static void set_next(struct fsi_sequencer *s, __u8 id, struct chan_seq *cs, __u64 next)
{
	cs->next = next;
	record_next(s, id, next);
}

static enum seq_view seq_view(const struct fs_channel_window *win, __u32 gen, __u64 seq)
{
	__u64 word = __atomic_load_n(&win->words[fs_seq_slot(seq)], __ATOMIC_ACQUIRE);
	__u32 tag = fs_word_tag(word);

	if (tag == fs_seq_tag(gen, seq))
		return (enum seq_view)fs_word_state(word, seq);
	if (fs_tag_newer(tag, gen, seq))
		return VIEW_TOO_OLD;
	return VIEW_UNSEEN; /* a stale word: nobody has claimed this block yet */
}

/* First sequence number in [from, limit) that is (FILTERED == want_filtered) ... negated. */
static __u64 run_end(const struct fs_channel_window *win, __u32 gen, __u64 from, __u64 limit,
		     bool filtered)
{
	while (from < limit && (seq_view(win, gen, from) == VIEW_FILTERED) == filtered)
		from++;
	return from;
}

/* Hand over the wanted messages of F with sequence numbers in [from, to). */
static void emit_range(struct emit *e, __u8 id, const struct chan_seq *cs, const struct fs_frame *f,
		       __u64 from, __u64 to, bool late)
{
	struct fs_msg_iter it;
	struct fs_event ev;
	struct fs_msg m;
	__u64 n = 0;

	event_init(&ev, FS_EV_MESSAGE, e->s, id, cs);
	ev.frame = f;
	ev.msg = &m;
	ev.late = late;
	ev.retransmitted = f->retransmitted;
	fs_msg_iter__init(&it, f);
	while (fs_msg_iter__next(&it, &m)) {
		if (m.seq < from)
			continue;
		if (m.seq >= to)
			break;
		emit(e, &ev);
		fsi_msg__handed(&m);
		/* Handed over: a successor must not hand it over again (a kill between the two
		 * lines delivers this one message twice, never loses it). */
		if (!late)
			record_next(e->s, id, m.seq + 1);
		n++;
	}
	if (n)
		COUNT_EVENT(e->s, id, msgs_delivered, n);
}

static void release(struct fsi_sequencer *s, struct held *h)
{
	if (h->heap) {
		s->heap_bytes -= h->handle;
		free(h);
		return;
	}
	s->src.release(s->src.ctx, h->handle);
	h->next = s->free;
	s->free = h;
	s->held_total--;
}

static void remember_gap(struct chan_seq *cs, __u64 from, __u64 count)
{
	cs->gaps[cs->gap_cursor] = (struct gap_rec){from, count};
	cs->gap_cursor = (cs->gap_cursor + 1) % RECENT_GAPS;
}

/* Forget [a, b) of the remembered gaps (it was recovered), splitting a gap where needed. */
static void forget_gap_range(struct chan_seq *cs, __u64 a, __u64 b)
{
	int i;

	for (i = 0; i < RECENT_GAPS; i++) {
		struct gap_rec *g = &cs->gaps[i];
		__u64 end = g->from + g->count;

		if (!g->count || b <= g->from || a >= end)
			continue;
		if (a <= g->from && b >= end) {
			g->count = 0;
		} else if (a <= g->from) {
			g->count = end - b;
			g->from = b;
		} else if (b >= end) {
			g->count = a - g->from;
		} else {
			g->count = a - g->from;
			remember_gap(cs, b, end - b);
		}
	}
}

static void report_recovered(struct emit *e, __u8 id, struct chan_seq *cs, __u64 a, __u64 b)
{
	struct fs_event ev;

	event_init(&ev, FS_EV_GAP_RECOVERED, e->s, id, cs);
	ev.from = a;
	ev.count = b - a;
	emit(e, &ev);
	COUNT_EVENT(e->s, id, gaps_recovered, 1);
	COUNT_EVENT(e->s, id, msgs_recovered, b - a);
	forget_gap_range(cs, a, b);
}

/* The part of F below next: copies of messages reported lost arrive late. */
static void recover_from_frame(struct emit *e, __u8 id, struct chan_seq *cs,
			       const struct fs_frame *f)
{
	__u64 lo = f->seq, hi = f->seq + f->seq_count;
	int i;

	if (hi > cs->next)
		hi = cs->next;
	for (i = 0; i < RECENT_GAPS; i++) {
		struct gap_rec g = cs->gaps[i];
		__u64 a = lo > g.from ? lo : g.from;
		__u64 b = hi < g.from + g.count ? hi : g.from + g.count;

		if (!g.count || a >= b)
			continue;
		report_recovered(e, id, cs, a, b);
		emit_range(e, id, cs, f, a, b, true);
	}
}

/* Remembered gaps that a late copy filled while filtered (it never reaches this socket). A gap
 * the window has moved past can no longer be filled: it is forgotten. */
static void recover_filtered(struct emit *e, __u8 id, struct chan_seq *cs,
			     const struct fs_channel_window *win)
{
	int i;

	for (i = 0; i < RECENT_GAPS; i++) {
		struct gap_rec g = cs->gaps[i];
		__u64 seq = g.from, end = g.from + g.count;

		if (g.count && seq_view(win, cs->gen, g.from) == VIEW_TOO_OLD) {
			cs->gaps[i].count = 0;
			continue;
		}
		while (g.count && seq < end) {
			__u64 a = run_end(win, cs->gen, seq, end, false);
			__u64 b = run_end(win, cs->gen, a, end, true);

			if (a < b)
				report_recovered(e, id, cs, a, b);
			seq = b;
		}
	}
}

static void report_gap(struct emit *e, __u8 id, struct chan_seq *cs, __u64 from, __u64 count)
{
	struct fs_event ev;

	event_init(&ev, FS_EV_GAP, e->s, id, cs);
	ev.from = from;
	ev.count = count;
	emit(e, &ev);
	COUNT_EVENT(e->s, id, gaps, 1);
	COUNT_EVENT(e->s, id, msgs_lost, count);
	remember_gap(cs, from, count);
	if (cs->recovering)
		fsi_recovery__unfilled(e->s->rec, id, from, count);
}

/* A hole the server was asked to fill is behind next: say how it went. */
static void report_recovery(void *ctx, __u8 id, const struct fsi_rec_hole *h)
{
	struct emit *e = ctx;
	struct fsi_sequencer *s = e->s;
	__u64 count = h->end - h->from, now = clock_now(s);
	struct fs_event ev;

	event_init(&ev, FS_EV_RECOVERY, s, id, &s->ch[id]);
	ev.from = h->from;
	ev.count = count;
	ev.filled = h->unfilled < count ? count - h->unfilled : 0;
	ev.elapsed_ns = now > h->seen_ns ? now - h->seen_ns : 0;
	emit(e, &ev);
	COUNT_EVENT(s, id, recovery_filled, ev.filled);
	COUNT_EVENT(s, id, recovery_unfilled, count - ev.filled);
}

static void settle_recoveries(struct fsi_sequencer *s, struct emit *e, __u8 id)
{
	if (s->ch[id].recovering && fsi_recovery__busy(s->rec, id))
		fsi_recovery__passed(s->rec, id, s->ch[id].next, report_recovery, e);
}

/* Does the hole at next wait for the channel's server? Until its deadline, unless the held
 * frames behind it are starving the source (and could not be copied out). */
static bool awaits_server(const struct fsi_sequencer *s, __u8 id, const struct chan_seq *cs,
			  __u64 now)
{
	return cs->recovering && s->held_total < s->held_budget &&
	       fsi_recovery__waits(s->rec, id, cs->next, now);
}

/*
 * next moved past a hole (or over a filtered run). The next hole has waited since the clock of
 * this one started if it lies below where the channel had come then (a frame beyond it was on
 * its way already): a consumer resuming after an outage finds many holes split by filtered runs,
 * and must not wait the grace time for each in turn. A hole beyond that appeared later: its
 * clock starts when next reaches it.
 */
static void hole_passed(struct chan_seq *cs)
{
	if (cs->next >= cs->hole_horizon)
		cs->hole_since_ns = 0;
}


/* The first sequence number in [FROM, TO) that F hands over a message of, or TO. */
static __u64 first_carried(const struct fs_frame *f, __u64 from, __u64 to)
{
	struct fs_msg_iter it;
	struct fs_msg m;

	fs_msg_iter__init(&it, f);
	while (fs_msg_iter__next(&it, &m))
		if (m.seq >= from)
			return m.seq < to ? m.seq : to;
	return to;
}

/* Put H back into the channel's held list, after every frame that starts where it does or
 * before: one that waited at that number is taken first. */
static void reinsert(struct chan_seq *cs, struct held *h)
{
	struct held **at = &cs->held;

	while (*at && (*at)->from <= h->from)
		at = &(*at)->next;
	h->next = *at;
	*at = h;
}

/*
 * Hand over what the held frames at next bring, as far as the next held frame's start, and give
 * back the frames done with. A frame carries only the messages it brought first (its match bits,
 * fs_msg_iter): a number of its range it does not carry was brought by another frame, or was
 * filtered, or is a message not wanted. Frames overlap when a server's answer covers numbers a
 * live copy claimed after the request left (the answer carries 4, 5, 8, 9 of [4,10), the live
 * copy [6,8) carries 6 and 7): every number is handed over from the frame that carries it, in
 * order across them, and a frame's remainder stays held, as from the next held frame's start,
 * until next reaches it. On one queue a frame reaches the socket in the order its numbers were
 * claimed, so the copy that claimed a number first is held already when another frame covering
 * it arrives.
 */
static void hand_over_held(struct fsi_sequencer *s, struct emit *e, __u8 id, struct chan_seq *cs)
{
	struct held *h, **at, *done = NULL, *one = NULL;
	__u64 stop = ~0ULL, seq;
	__u32 covering = 0;

	/* Nothing decided the numbers before it (a session change hands everything over). */
	if (cs->held->from > cs->next)
		set_next(s, id, cs, cs->held->from);
	for (h = cs->held; h && h->from <= cs->next; h = h->next) {
		if (h->end <= cs->next)
			continue; /* behind next: nothing left to hand over */
		covering++;
		one = h;
		if (h->end < stop)
			stop = h->end;
	}
	if (!covering)
		stop = cs->next;
	else if (h && h->from < stop)
		stop = h->from;
	if (covering == 1) {
		emit_range(e, id, cs, &one->frame, cs->next, stop, false);
	} else if (covering) {
		/* More than one frame at next: each number from the one that carries it. */
		for (seq = cs->next; seq < stop;) {
			struct held *first = NULL;
			__u64 best = stop, c;

			for (h = cs->held; h && h->from <= cs->next; h = h->next) {
				if (h->end <= seq)
					continue;
				c = first_carried(&h->frame, seq, best);
				if (c < best) {
					best = c;
					first = h;
				}
			}
			if (!first)
				break;
			emit_range(e, id, cs, &first->frame, best, best + 1, false);
			seq = best + 1;
		}
	}
	/* The frames that started at next are done up to stop: give back the finished ones and
	 * put the others back in order. */
	at = &cs->held;
	while (*at && (*at)->from <= cs->next) {
		h = *at;
		*at = h->next;
		h->next = done;
		done = h;
	}
	if (stop > cs->next)
		set_next(s, id, cs, stop);
	while (done) {
		h = done;
		done = h->next;
		if (h->end <= stop) {
			release(s, h);
		} else {
			h->from = stop;
			reinsert(cs, h);
		}
	}
}

enum drain_mode {
	DRAIN_WAIT,   /* no time-based decision: a hole waits */
	DRAIN_SETTLE, /* holes past the grace time (or the window, or the budget) become gaps */
	DRAIN_FINAL,  /* no frame will come any more: every hole is a gap */
};

/*
 * Move next forward as far as the window and the held frames allow, deciding holes as MODE says.
 */
static void drain(struct fsi_sequencer *s, struct emit *e, __u8 id, enum drain_mode mode, __u64 now)
{
	struct chan_seq *cs = &s->ch[id];
	const struct fs_channel_window *win = &s->src.iface->windows[id];

	for (;;) {
		struct held *h = cs->held;
		__u64 high, limit, count;
		enum seq_view view;

		settle_recoveries(s, e, id);
		if (h && h->from <= cs->next) {
			hand_over_held(s, e, id, cs);
			hole_passed(cs);
			continue;
		}
		high = fs_high_seq(__atomic_load_n(&win->high, __ATOMIC_ACQUIRE), cs->gen);
		limit = h ? h->from : high;
		if (cs->next >= limit) {
			cs->hole_since_ns = 0; /* caught up */
			return;
		}
		view = seq_view(win, cs->gen, cs->next);
		if (view == VIEW_FILTERED) {
			set_next(s, id, cs, run_end(win, cs->gen, cs->next, limit, true));
			hole_passed(cs);
			continue;
		}
		/* A hole: on its way, or not brought by any line yet. */
		if (mode == DRAIN_WAIT)
			return;
		if (!cs->hole_since_ns) {
			cs->hole_since_ns = now;
			cs->hole_horizon = high;
		}
		/* The program refuses answers for numbers half a window below its high-water mark
		 * (feedsieve.bpf.c, response_in_holes()): past that, waiting fills nothing. */
		if (mode != DRAIN_FINAL && view != VIEW_TOO_OLD && high - cs->next < FS_SEQ_WINDOW / 2 &&
		    awaits_server(s, id, cs, now))
			return;
		if (mode != DRAIN_FINAL && view != VIEW_TOO_OLD &&
		    now - cs->hole_since_ns < s->grace_ns && s->held_total < s->held_budget &&
		    limit - cs->next < FS_SEQ_WINDOW / 2)
			return;
		count = run_end(win, cs->gen, cs->next, limit, false) - cs->next;
		if (cs->recovering) {
			/* Exactly what this hole's deadline left, or what was never asked for (a
			 * number delivered whose frame never came): the next hole has its own. */
			__u64 end = fsi_recovery__hole_end(s->rec, id, cs->next);

			if (end <= cs->next)
				end = fsi_recovery__hole_after(s->rec, id, cs->next);
			if (cs->next + count > end)
				count = end - cs->next;
		}
		report_gap(e, id, cs, cs->next, count);
		set_next(s, id, cs, cs->next + count);
		hole_passed(cs);
	}
}

/*
 * Where a consumer joining channel ID mid-session starts: where its predecessor stopped handing
 * messages over, when that was in this very session (same window generation and name) and not
 * past what the channel has seen; otherwise at the first sequence number it sees, SEQ.
 */
static __u64 join_point(const struct fsi_sequencer *s, __u8 id, __u64 sess, __u64 seq)
{
	const struct fs_chan_events *ev = &s->src.iface->chan_events[id];
	const struct fs_channel_window *win = &s->src.iface->windows[id];
	__u64 rec_sess = __atomic_load_n(&ev->resume_session, __ATOMIC_ACQUIRE);
	__u64 rec_next = __atomic_load_n(&ev->resume_next, __ATOMIC_ACQUIRE);
	__u64 high = fs_high_seq(__atomic_load_n(&win->high, __ATOMIC_ACQUIRE), fs_sess_gen(sess));

	if (!rec_next || rec_sess != sess || rec_next > high)
		return seq;
	return rec_next;
}

/* Hand over F unsequenced, from its sequence number FROM on (what is below went already). */
static void pass_through(struct emit *e, const struct fs_frame *f, __u64 from)
{
	struct fs_msg_iter it;
	struct fs_event ev;
	struct fs_msg m;

	memset(&ev, 0, sizeof(ev));
	ev.queue = e->s->src.queue;
	ev.channel = f->channel;
	ev.channel_name = e->s->src.channel_names[f->channel];
	ev.proto = f->proto;
	ev.has_unit = f->has_unit;
	ev.unit = f->unit;
	memcpy(ev.session, f->session, sizeof(ev.session));
	ev.session_len = f->session_len;
	ev.session_hash = f->session_hash;
	ev.frame = f;
	ev.retransmitted = f->retransmitted;
	if (f->malformed) {
		ev.type = FS_EV_MALFORMED;
		emit(e, &ev);
		return;
	}
	ev.type = FS_EV_MESSAGE;
	ev.msg = &m;
	fs_msg_iter__init(&it, f);
	while (fs_msg_iter__next(&it, &m)) {
		if (m.seq < from)
			continue;
		emit(e, &ev);
		fsi_msg__handed(&m);
	}
}

static __u64 incarnation_of(const struct fsi_sequencer *s, __u8 id)
{
	return __atomic_load_n(&s->src.iface->chan_events[id].incarnation, __ATOMIC_ACQUIRE);
}

/*
 * Forget channel ID: its id now belongs to another channel (docs/integrity.md). What it holds is
 * handed over as it is, and nothing more is decided from the window, which is the new channel's
 * now: no gap, no resume point, no counter. The new channel starts as on a first frame.
 */
static void retire(struct fsi_sequencer *s, struct emit *e, __u8 id)
{
	struct chan_seq *cs = &s->ch[id];
	__u32 i;

	while (cs->held) {
		struct held *h = cs->held;

		pass_through(e, &h->frame, h->from); /* part of it may be out already */
		cs->held = h->next;
		release(s, h);
	}
	if (s->rec)
		fsi_recovery__forget(s->rec, id);
	memset(cs, 0, sizeof(*cs));
	for (i = 0; i < s->nactive && s->active[i] != id; i++)
		;
	if (i < s->nactive)
		s->active[i] = s->active[--s->nactive];
}

/* FROM_START: F starts the session (a new one on a channel already followed), rather than the
 * consumer joining one under way. */
static void start_session(struct fsi_sequencer *s, struct emit *e, __u8 id,
			  const struct fs_frame *f, __u64 hash, bool from_start)
{
	struct chan_seq *cs = &s->ch[id];
	const struct fs_channel_window *win = &s->src.iface->windows[id];
	__u64 sess = __atomic_load_n(&win->session, __ATOMIC_ACQUIRE);
	__u64 inc = incarnation_of(s, id);
	bool joining = !cs->active;
	struct fs_event ev;

	/* What the old session still holds is handed over, and the holes between its held frames
	 * are gaps: the window's words keep the old generation's tags until the new session
	 * reuses them, so FILTERED runs are still told from losses (a consumer behind its holes
	 * when the restart came lost them silently). Past the last held frame nothing is decided:
	 * the old high-water mark is gone. Not for a channel id given to another channel: the
	 * window is that channel's. */
	if (cs->active && cs->incarnation == inc)
		drain(s, e, id, DRAIN_FINAL, 0);
	while (cs->held)
		hand_over_held(s, e, id, cs);
	if (s->rec && cs->recovering && fsi_recovery__busy(s->rec, id)) {
		/* The old session's holes: no more to ask. Those asked are settled, what was
		 * never handed over of them unfilled (no gap: past the last held frame nothing of
		 * the old session is decided). */
		fsi_recovery__unfilled(s->rec, id, cs->next, ~0ULL - cs->next);
		fsi_recovery__passed(s->rec, id, ~0ULL, report_recovery, e);
	}
	if (s->rec)
		fsi_recovery__forget(s->rec, id);
	if (joining)
		s->active[s->nactive++] = id;
	memset(cs, 0, sizeof(*cs));
	cs->active = true;
	cs->incarnation = inc;
	cs->session_hash = hash;
	cs->gen = fs_sess_gen(sess);
	cs->proto = f->proto;
	cs->has_unit = f->has_unit;
	cs->unit = f->unit;
	memcpy(cs->session, f->session, sizeof(cs->session));
	cs->session_len = f->session_len;
	/* A new session starts at 1. Joining mid-session starts where the previous consumer of
	 * this session stopped, or else where we came in. The record is invalidated before its
	 * session changes, so a kill in between never pairs a session with another's position. */
	if (from_start)
		cs->next = 1;
	else if ((sess & FS_SESS_HASH_MASK) == hash)
		cs->next = join_point(s, id, sess, f->seq);
	else
		cs->next = f->seq;
	record_next(s, id, 0);
	__atomic_store_n(&s->src.iface->chan_events[id].resume_session, sess, __ATOMIC_RELEASE);
	record_next(s, id, cs->next);
	event_init(&ev, FS_EV_SESSION, s, id, cs);
	ev.from = cs->next;
	emit(e, &ev);
	COUNT_EVENT(s, id, sessions, 1);
}

static void hold(struct fsi_sequencer *s, struct chan_seq *cs, const struct fs_frame *f,
		 __u64 handle)
{
	struct held *h = s->free;

	s->free = h->next;
	s->held_total++;
	h->frame = *f;
	h->handle = handle;
	h->heap = false;
	h->from = f->seq;
	h->end = f->seq + f->seq_count;
	reinsert(cs, h);
}

/*
 * Does F start a session on its channel? A frame that names its session (Mold: every one; MDP3:
 * a packet with MsgSeqNum 1) starts one when it is not the session followed; one that does not
 * (MDP3 past MsgSeqNum 1) belongs to the current one, and a consumer that follows none yet joins
 * the one the program's window is in (the program decides sessions the same way, SEAM.md). A
 * channel id given to another channel starts over in either case.
 */
static void follow_session(struct fsi_sequencer *s, struct emit *e, const struct fs_frame *f)
{
	struct chan_seq *cs = &s->ch[f->channel];
	bool reused = cs->active && incarnation_of(s, f->channel) != cs->incarnation;
	__u64 sess;

	sess = __atomic_load_n(&s->src.iface->windows[f->channel].session, __ATOMIC_ACQUIRE);
	if (f->session_named) {
		/* The late named packet of a session the program started without it (seqwin.h,
		 * FS_SESS_RESTARTED) names that session: same generation, nothing restarts. */
		if (cs->active && !reused && f->session_hash != cs->session_hash &&
		    cs->session_hash == FS_SESS_RESTARTED && fs_sess_gen(sess) == cs->gen &&
		    (sess & FS_SESS_HASH_MASK) == f->session_hash) {
			cs->session_hash = f->session_hash;
			return;
		}
		if (!cs->active || f->session_hash != cs->session_hash || reused)
			start_session(s, e, f->channel, f, f->session_hash, cs->active);
		return;
	}
	if (cs->active && !reused) {
		/* The program restarted the channel (MsgSeqNum 1, a new window generation) while
		 * the packet that did it never reached us: filtered (no subscribed key), or the
		 * definitions feed's next loop. A packet behind our position in a generation other
		 * than ours is of the new session, which starts at 1; one at or past it is still
		 * ours (a frame of the old session that was in the ring when the channel moved). */
		if (fs_sess_gen(sess) != cs->gen && f->seq < cs->next)
			start_session(s, e, f->channel, f, sess & FS_SESS_HASH_MASK, true);
		return;
	}
	start_session(s, e, f->channel, f, sess & FS_SESS_HASH_MASK, false);
}

/*
 * A server's answer fills holes: numbers the live lines passed over, below the channel's
 * high-water mark (an answer never raises it). One at or past the mark, or of a session this
 * consumer does not follow (it asked nothing there), fills none: a stray or forged packet. It is
 * given back unseen (counted recovery_stray): handed over or held, it would move next past
 * numbers it does not carry, or make a gap up to itself at once.
 */
static bool stray(const struct fsi_sequencer *s, const struct chan_seq *cs, const struct fs_frame *f)
{
	const struct fs_channel_window *win = &s->src.iface->windows[f->channel];

	if (!cs->active || incarnation_of(s, f->channel) != cs->incarnation ||
	    (f->session_named && f->session_hash != cs->session_hash))
		return true;
	return f->seq >= fs_high_seq(__atomic_load_n(&win->high, __ATOMIC_ACQUIRE), cs->gen);
}

/* Frames the sequencer cannot place (no metadata from the driver, or malformed) pass through, and
 * so do frames outside the live sequence (a retransmission, a refresh, unsequenced messages),
 * which are never sequenced and never make a gap. */
void fsi_sequencer__frame(struct fsi_sequencer *s, const struct fs_frame *f, __u64 handle,
			 struct emit *e)
{
	struct chan_seq *cs;
	struct fs_event ev;
	__u64 end;

	if (!f->has_meta || f->malformed || f->kind == FS_FRAME_OUT_OF_BAND || !s->free) {
		pass_through(e, f, 0);
		s->src.release(s->src.ctx, handle);
		return;
	}
	cs = &s->ch[f->channel];
	if (f->retransmitted && stray(s, cs, f)) {
		COUNT_EVENT(s, f->channel, recovery_stray, 1);
		s->src.release(s->src.ctx, handle);
		return;
	}
	follow_session(s, e, f);

	if (f->kind != FS_FRAME_DATA) {
		bool hb = f->kind == FS_FRAME_HEARTBEAT;

		/* Both lines send them: one event per new value is enough. */
		if (hb ? f->seq > cs->last_hb : !cs->ended) {
			if (hb)
				cs->last_hb = f->seq;
			else
				cs->ended = true;
			event_init(&ev, hb ? FS_EV_HEARTBEAT : FS_EV_END_OF_SESSION, s, f->channel,
				   cs);
			ev.frame = f;
			ev.from = f->seq;
			emit(e, &ev);
		}
		s->src.release(s->src.ctx, handle);
		drain(s, e, f->channel, DRAIN_WAIT, 0);
		return;
	}
	end = f->seq + f->seq_count;
	if (f->seq < cs->next)
		recover_from_frame(e, f->channel, cs, f);
	if (end <= cs->next) {
		s->src.release(s->src.ctx, handle);
		return;
	}
	hold(s, cs, f, handle);
	drain(s, e, f->channel, DRAIN_WAIT, 0);
}

bool fsi_sequencer__pressed(const struct fsi_sequencer *s)
{
	return s->held_total >= s->held_budget;
}

/* The first number in [FROM, LIMIT) that is UNSEEN (UNSEEN false) or is not (UNSEEN true): whole
 * words at a time where they are alike, for the scans of long stretches. */
static __u64 unseen_end(const struct fs_channel_window *win, __u32 gen, __u64 from, __u64 limit,
			bool unseen)
{
	while (from < limit) {
		if (from % FS_SEQ_PER_WORD == 0 && limit - from >= FS_SEQ_PER_WORD) {
			__u64 word = __atomic_load_n(&win->words[fs_seq_slot(from)], __ATOMIC_ACQUIRE);
			__u32 tag = fs_word_tag(word), states = (__u32)word;
			bool ours = tag == fs_seq_tag(gen, from);
			bool all_unseen = ours ? !states : !fs_tag_newer(tag, gen, from);
			bool none_unseen = ours && ((states | states >> 1) & 0x55555555U) == 0x55555555U;

			if (unseen ? all_unseen : none_unseen) {
				from += FS_SEQ_PER_WORD;
				continue;
			}
		}
		if ((seq_view(win, gen, from) == VIEW_UNSEEN) != unseen)
			return from;
		from++;
	}
	return limit;
}

/* The recovery engine's view of the window (fsi_recovery_ops.missing). */
static __u64 missing(void *ctx, __u8 id, __u64 from, __u64 to, __u64 *end)
{
	struct fsi_sequencer *s = ctx;
	const struct fs_channel_window *win = &s->src.iface->windows[id];
	__u32 gen = s->ch[id].gen;

	from = unseen_end(win, gen, from, to, false);
	*end = unseen_end(win, gen, from, to, true);
	return from;
}

static int send_request(void *ctx, __u8 id, __u64 from, __u32 count, bool new_range)
{
	struct fsi_sequencer *s = ctx;
	const struct chan_seq *cs = &s->ch[id];
	int err = s->sink.send(s->sink.ctx, id, (enum fs_proto)cs->proto, cs->session,
			       cs->session_len, from, count);

	if (err == -EAGAIN || err == -ENOBUFS)
		return err;
	if (!err)
		COUNT_EVENT(s, id, recovery_requests, 1);
	if (new_range)
		COUNT_EVENT(s, id, recovery_ranges, 1);
	return err;
}

/*
 * Give the recovery engine the holes of channel ID below its high-water mark that it does not
 * follow yet: every run of UNSEEN numbers, not only the one at next, so that holes are asked for
 * side by side. What was scanned stays scanned: a number claimed is never UNSEEN again. A hole
 * that does not fit the engine is scanned again at the next settle.
 */
static void find_holes(struct fsi_sequencer *s, __u8 id, struct chan_seq *cs, __u64 now)
{
	const struct fs_channel_window *win = &s->src.iface->windows[id];
	__u64 high = fs_high_seq(__atomic_load_n(&win->high, __ATOMIC_ACQUIRE), cs->gen);
	__u64 p = cs->scanned > cs->next ? cs->scanned : cs->next;

	if (high > FS_SEQ_WINDOW / 2 && p < high - FS_SEQ_WINDOW / 2)
		p = high - FS_SEQ_WINDOW / 2; /* the program refuses answers below: nothing to ask */
	while (p < high) {
		__u64 a = unseen_end(win, cs->gen, p, high, false), b;

		if (a >= high) {
			p = high;
			break;
		}
		b = unseen_end(win, cs->gen, a, high, true);
		if (fsi_recovery__add(s->rec, id, a, b, now)) {
			p = a;
			break;
		}
		p = b;
	}
	cs->scanned = p;
}

/* Does channel ID name a server now? Its recovery follows the configuration. */
static void follow_server(struct fsi_sequencer *s, __u8 id, struct chan_seq *cs, __u64 now)
{
	bool server = s->sink.has_server(s->sink.ctx, id);

	if (cs->recovering && !server)
		fsi_recovery__forget(s->rec, id);
	if (cs->recovering != server)
		cs->scanned = 0; /* what was given to the engine is forgotten: scan it again */
	cs->recovering = server;
	if (server)
		find_holes(s, id, cs, now);
}

/* A copy of held frame H in heap memory, its decoded fields pointing into the copy; NULL when
 * it does not fit the budget. */
static struct held *copy_out(struct fsi_sequencer *s, const struct held *h)
{
	const struct fs_frame *f = &h->frame;
	size_t meta = f->meta_ ? sizeof(*f->meta_) : 0, size = sizeof(*h) + meta + f->len;
	struct held *c;
	__u8 *buf;

	if (s->heap_bytes + size > s->heap_budget)
		return NULL;
	c = malloc(size);
	if (!c)
		return NULL;
	*c = *h;
	buf = (__u8 *)(c + 1);
	if (meta) {
		memcpy(buf, f->meta_, meta);
		c->frame.meta_ = (const struct fs_xdp_meta *)buf;
	}
	memcpy(buf + meta, f->data, f->len);
	c->frame.data = buf + meta;
	c->heap = true;
	c->handle = size;
	s->heap_bytes += size;
	return c;
}

/*
 * The held frames keep so many of the source's buffers that it runs short: those of channels
 * whose holes wait for a server are copied out into heap memory and their buffers given back,
 * so that a fast feed behind a slow answer neither starves the fill ring nor turns the hole into
 * a gap before its deadline. Up to the heap budget; past it the holes are decided at once.
 */
static void spill(struct fsi_sequencer *s)
{
	__u32 i;

	for (i = 0; i < s->nactive; i++) {
		__u8 id = s->active[i];
		struct chan_seq *cs = &s->ch[id];
		struct held **at;

		if (!cs->recovering || !fsi_recovery__busy(s->rec, id))
			continue;
		for (at = &cs->held; *at; at = &(*at)->next) {
			struct held *h = *at, *c;

			if (h->heap)
				continue;
			c = copy_out(s, h);
			if (!c) {
				if (!s->heap_warned)
					pr_warn("queue %u: frames held behind holes that wait for a "
						"re-request server fill the %zu MiB of copies: holes "
						"are decided at once (gaps) while it lasts\n",
						s->src.queue, s->heap_budget >> 20);
				s->heap_warned = true;
				return;
			}
			*at = c;
			release(s, h);
		}
	}
}

void fsi_sequencer__settle_at(struct fsi_sequencer *s, struct emit *e, __u64 now)
{
	bool recover = now - s->last_recover_ns >= RECOVER_EVERY_NS;
	__u32 i;

	if (recover)
		s->last_recover_ns = now;
	if (s->rec && fsi_sequencer__pressed(s))
		spill(s);
	for (i = 0; i < s->nactive;) {
		__u8 id = s->active[i];
		struct chan_seq *cs = &s->ch[id];
		const struct fs_channel_window *win = &s->src.iface->windows[id];
		__u64 last = __atomic_load_n(&win->last_rx_ns, __ATOMIC_RELAXED);

		if (incarnation_of(s, id) != cs->incarnation) {
			retire(s, e, id); /* moves the last active id into slot i: look at it next */
			continue;
		}
		i++;
		if (s->rec)
			follow_server(s, id, cs, now);
		drain(s, e, id, DRAIN_SETTLE, now);
		if (recover)
			recover_filtered(e, id, cs, win);
		if (last && now > last && now - last >= s->stale_ns) {
			if (!cs->stale) {
				struct fs_event ev;

				cs->stale = true;
				event_init(&ev, FS_EV_STALE, s, id, cs);
				ev.idle_ns = now - last;
				emit(e, &ev);
				COUNT_EVENT(s, id, stale_events, 1);
			}
		} else {
			cs->stale = false;
		}
	}
	if (s->rec)
		fsi_recovery__poll(s->rec, now);
}

void fsi_sequencer__settle(struct fsi_sequencer *s, struct emit *e)
{
	bool pressed = fsi_sequencer__pressed(s);
	__u64 now;

	if (!pressed && ++s->polls < POLLS_PER_CLOCK)
		return;
	s->polls = 0;
	now = clock_now(s);
	if (!pressed && now - s->last_settle_ns < SETTLE_EVERY_NS)
		return;
	s->last_settle_ns = now;
	fsi_sequencer__settle_at(s, e, now);
}

__u64 fsi_sequencer__next_deadline(const struct fsi_sequencer *s)
{
	__u64 next = ~0ULL;
	__u32 i;

	for (i = 0; i < s->nactive; i++) {
		const struct chan_seq *cs = &s->ch[s->active[i]];
		__u64 last = __atomic_load_n(&s->src.iface->windows[s->active[i]].last_rx_ns,
					     __ATOMIC_RELAXED);

		/* A hole the server is asked for waits for the engine's timers instead. */
		bool asked = cs->recovering &&
			     fsi_recovery__hole_end(s->rec, s->active[i], cs->next) > cs->next;

		if (cs->hole_since_ns && !asked && cs->hole_since_ns + s->grace_ns < next)
			next = cs->hole_since_ns + s->grace_ns;
		if (!cs->stale && last && last + s->stale_ns < next)
			next = last + s->stale_ns;
	}
	if (s->rec) {
		__u64 r = fsi_recovery__next_deadline(s->rec);

		if (r < next)
			next = r;
	}
	return next;
}

void fsi_sequencer__finish(struct fsi_sequencer *s, struct emit *e)
{
	__u32 i;

	for (i = 0; i < s->nactive; i++)
		drain(s, e, s->active[i], DRAIN_FINAL, 0);
}

int fsi_sequencer__create(const struct fsi_frame_source *src, __u32 max_held, __u64 grace_ns,
			 __u64 stale_ns, struct fsi_sequencer **out)
{
	struct fsi_sequencer *s = calloc(1, sizeof(*s));
	__u32 i;

	if (!s)
		return -ENOMEM;
	s->pool = calloc(max_held, sizeof(*s->pool));
	if (!s->pool) {
		free(s);
		return -ENOMEM;
	}
	for (i = 0; i < max_held; i++) {
		s->pool[i].next = s->free;
		s->free = &s->pool[i];
	}
	s->src = *src;
	/* Keep half of the buffers for the fill ring whatever holes are open. */
	s->held_budget = max_held / 2;
	s->grace_ns = grace_ns ? grace_ns : DEFAULT_GRACE_NS;
	s->stale_ns = stale_ns ? stale_ns : DEFAULT_STALE_NS;
	*out = s;
	return 0;
}

int fsi_sequencer__recover(struct fsi_sequencer *s, const struct fsi_request_sink *sink,
			   const struct fsi_recovery_params *p, size_t heap_bytes)
{
	const struct fsi_recovery_ops ops = {.missing = missing, .send = send_request, .ctx = s};
	struct fsi_recovery_params params = *p;

	if (!sink->has_server || !sink->send || s->rec)
		return -EINVAL;
	if (!params.grace_ns)
		params.grace_ns = s->grace_ns;
	if (!params.deadline_ns)
		params.deadline_ns = DEFAULT_RECOVERY_DEADLINE_NS;
	s->sink = *sink;
	s->heap_budget = heap_bytes ? heap_bytes : DEFAULT_HEAP_BYTES;
	return fsi_recovery__create(&params, &ops, &s->rec);
}

void fsi_sequencer__destroy(struct fsi_sequencer *s)
{
	__u32 i;

	if (!s)
		return;
	/* Copies held at the end are ours to free; the source's buffers go away with it. */
	for (i = 0; i < FS_MAX_CHANNELS; i++) {
		struct held **at = &s->ch[i].held;

		while (*at) {
			struct held *h = *at;

			if (h->heap) {
				*at = h->next;
				free(h);
			} else {
				at = &h->next;
			}
		}
	}
	fsi_recovery__destroy(s->rec);
	free(s->pool);
	free(s);
}
