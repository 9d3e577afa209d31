// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The recovery engine: which missing sequence numbers to ask a channel's re-request server for,
 * and when. Generic: the owner says what is still missing (the sequencer reads its window) and
 * sends the requests (the consumer encodes them in the channel's protocol and sends them by UDP).
 *
 * Per channel it follows holes, runs of numbers no line brought, each from when it was seen:
 *   - a hole is first asked for after the A/B grace time (the slower line may still bring it),
 *     and nothing more is asked after its deadline (the sequencer then reports what is still
 *     missing as a gap);
 *   - a request covers at most max_count numbers: larger holes are split;
 *   - at most max_inflight requests per channel wait for their answer; a request is answered
 *     when its first number is no longer missing (the program claimed it: the server's answer,
 *     or a late live copy, is on its way). A server answers with what fits in one packet, so
 *     an answer lets the rest of the hole be asked at once;
 *   - an unanswered request is asked again after timeout_ns, then twice that, and so on up to
 *     max_timeout_ns (backoff: a server that is slow or gone is not flooded);
 *   - requests of all channels together keep to rate per second, in bursts of at most burst.
 * A hole's missing numbers are looked up again at each ask, so what the slower line or an
 * earlier answer brought is never asked twice.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "feedsieve/limits.h"
#include "recovery.h"

#define NEVER ~0ULL

/*
 * Defaults. A request's count: a MoldUDP64 server answers with one packet (some 40 ITCH
 * messages of 1 400 bytes), so asking for more than a few packets' worth at once only makes the
 * rest wait for the next round; 128 numbers cover the common hole (a few packets lost on both
 * lines) in one request. Eight in flight per channel get eight packets per round trip through a
 * long hole. An exchange's server answers in well under a millisecond on a colocated LAN, a few
 * over a WAN: the first retry after 20 ms, doubling to 250 ms, fits four retries in the default
 * 1 s deadline. 1 000 requests a second (bursts of 64) is far above what loss at any sane rate
 * needs, and keeps a consumer that has lost its feed from flooding the exchange's server.
 */
#define DEFAULT_MAX_COUNT   128
#define DEFAULT_INFLIGHT    8
#define DEFAULT_RATE	    1000
#define DEFAULT_BURST	    64
#define DEFAULT_TIMEOUT_NS  (20ULL * 1000 * 1000)
#define DEFAULT_MAX_TIMEOUT (250ULL * 1000 * 1000)
#define DEFAULT_MAX_HOLES   256

struct req {
	__u64 from, end;
	__u64 expires_ns;
};

struct hole {
	struct fsi_rec_hole pub;
	__u64 ask_at_ns;   /* when it may be asked (again); NEVER: all it misses is asked */
	__u64 deadline_ns; /* nothing is asked from then on */
	__u64 timeout_ns;  /* for its next request */
};

struct chan {
	__u64 floor; /* the channel handed everything below over: never ask for it */
	__u32 nholes, nreqs;
	struct hole *holes; /* sorted, not overlapping */
	struct req *reqs;
};

struct fsi_recovery {
	struct fsi_recovery_params p;
	struct fsi_recovery_ops ops;
	__u64 interval_ns; /* between two requests at the rate */
	__u64 tat_ns;	   /* rate limit: when the next request is due, burst aside */
	__u64 polled_ns;   /* the latest poll's time: what is before it was decided then */
	__u32 nholes;	   /* of all channels: a poll with none has nothing to look at */
	struct chan *ch[FS_MAX_CHANNELS];
};

enum ask_result {
	ASK_DONE,      /* every missing number of the hole is in flight */
	ASK_NOTHING,   /* the hole misses nothing (it was never asked: forget it) */
	ASK_CHAN_FULL, /* the channel's requests in flight are at the bound */
	ASK_STOP,      /* the rate limit or the socket: no more requests this poll */
};

void fsi_recovery__defaults(struct fsi_recovery_params *p, __u64 grace_ns, __u64 deadline_ns)
{
	memset(p, 0, sizeof(*p));
	p->grace_ns = grace_ns;
	p->deadline_ns = deadline_ns;
	p->max_count = DEFAULT_MAX_COUNT;
	p->max_inflight = DEFAULT_INFLIGHT;
	p->rate = DEFAULT_RATE;
	p->burst = DEFAULT_BURST;
	p->timeout_ns = DEFAULT_TIMEOUT_NS;
	p->max_timeout_ns = DEFAULT_MAX_TIMEOUT;
	p->max_holes = DEFAULT_MAX_HOLES;
}

int fsi_recovery__create(const struct fsi_recovery_params *p, const struct fsi_recovery_ops *ops,
			 struct fsi_recovery **out)
{
	struct fsi_recovery *r;

	if (!p->max_count || !p->max_inflight || !p->rate || !p->burst || !p->max_holes)
		return -EINVAL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->p = *p;
	r->ops = *ops;
	r->interval_ns = 1000000000ULL / p->rate;
	*out = r;
	return 0;
}

void fsi_recovery__destroy(struct fsi_recovery *r)
{
	int i;

	if (!r)
		return;
	for (i = 0; i < FS_MAX_CHANNELS; i++) {
		if (!r->ch[i])
			continue;
		free(r->ch[i]->holes);
		free(r->ch[i]->reqs);
		free(r->ch[i]);
	}
	free(r);
}

/* Channel CHAN's state, created on first use (most channels never need one). */
static struct chan *chan_get(struct fsi_recovery *r, __u8 chan)
{
	struct chan *c = r->ch[chan];

	if (c)
		return c;
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->holes = calloc(r->p.max_holes, sizeof(*c->holes));
	c->reqs = calloc(r->p.max_inflight, sizeof(*c->reqs));
	if (!c->holes || !c->reqs) {
		free(c->holes);
		free(c->reqs);
		free(c);
		return NULL;
	}
	r->ch[chan] = c;
	return c;
}

int fsi_recovery__add(struct fsi_recovery *r, __u8 chan, __u64 from, __u64 end, __u64 seen_ns)
{
	struct chan *c = chan_get(r, chan);
	struct hole *h;
	__u32 i;

	if (!c)
		return -ENOMEM;
	if (c->nholes == r->p.max_holes)
		return -ENOSPC;
	for (i = c->nholes; i > 0 && c->holes[i - 1].pub.from > from; i--)
		;
	memmove(&c->holes[i + 1], &c->holes[i], (c->nholes - i) * sizeof(*h));
	c->nholes++;
	r->nholes++;
	h = &c->holes[i];
	memset(h, 0, sizeof(*h));
	h->pub.from = from;
	h->pub.end = end;
	h->pub.seen_ns = seen_ns;
	h->ask_at_ns = seen_ns + r->p.grace_ns;
	h->deadline_ns = seen_ns + r->p.deadline_ns;
	h->timeout_ns = r->p.timeout_ns;
	return 0;
}

static struct hole *hole_of(const struct chan *c, __u64 seq)
{
	__u32 i;

	for (i = 0; i < c->nholes && c->holes[i].pub.from <= seq; i++)
		if (seq < c->holes[i].pub.end)
			return &c->holes[i];
	return NULL;
}

bool fsi_recovery__waits(const struct fsi_recovery *r, __u8 chan, __u64 seq, __u64 now)
{
	const struct chan *c = r->ch[chan];
	const struct hole *h = c ? hole_of(c, seq) : NULL;

	return h && now < h->deadline_ns;
}

__u64 fsi_recovery__hole_end(const struct fsi_recovery *r, __u8 chan, __u64 seq)
{
	const struct chan *c = r->ch[chan];
	const struct hole *h = c ? hole_of(c, seq) : NULL;

	return h ? h->pub.end : 0;
}

__u64 fsi_recovery__hole_after(const struct fsi_recovery *r, __u8 chan, __u64 seq)
{
	const struct chan *c = r->ch[chan];
	__u32 i;

	for (i = 0; c && i < c->nholes; i++)
		if (c->holes[i].pub.from > seq)
			return c->holes[i].pub.from;
	return NEVER;
}

bool fsi_recovery__busy(const struct fsi_recovery *r, __u8 chan)
{
	return r->ch[chan] && r->ch[chan]->nholes;
}

void fsi_recovery__unfilled(struct fsi_recovery *r, __u8 chan, __u64 from, __u64 count)
{
	struct chan *c = r->ch[chan];
	__u64 to = from + count;
	__u32 i;

	for (i = 0; c && i < c->nholes; i++) {
		struct fsi_rec_hole *h = &c->holes[i].pub;
		__u64 a = from > h->from ? from : h->from, b = to < h->end ? to : h->end;

		if (a < b)
			h->unfilled += b - a;
	}
}

static void remove_hole(struct fsi_recovery *r, struct chan *c, __u32 i)
{
	r->nholes--;
	memmove(&c->holes[i], &c->holes[i + 1], (c->nholes - i - 1) * sizeof(c->holes[0]));
	c->nholes--;
}

void fsi_recovery__passed(struct fsi_recovery *r, __u8 chan, __u64 next,
			  void (*fn)(void *ctx, __u8 chan, const struct fsi_rec_hole *h), void *ctx)
{
	struct chan *c = r->ch[chan];
	__u32 i;

	if (!c)
		return;
	if (next > c->floor)
		c->floor = next;
	while (c->nholes && c->holes[0].pub.end <= next) {
		if (c->holes[0].pub.asked)
			fn(ctx, chan, &c->holes[0].pub);
		remove_hole(r, c, 0);
	}
	if (!c->nholes)
		c->nreqs = 0; /* nothing left to ask for */
	for (i = 0; i < c->nreqs;) {
		if (c->reqs[i].end <= next)
			c->reqs[i] = c->reqs[--c->nreqs];
		else
			i++;
	}
}

void fsi_recovery__forget(struct fsi_recovery *r, __u8 chan)
{
	struct chan *c = r->ch[chan];

	if (c) {
		r->nholes -= c->nholes;
		c->nholes = 0;
		c->nreqs = 0;
		c->floor = 0;
	}
}

/* A request may leave at NOW: the rate allows it (and is charged for it). */
static bool take_token(struct fsi_recovery *r, __u64 now)
{
	__u64 allowance = (__u64)(r->p.burst - 1) * r->interval_ns;

	if (r->tat_ns > now + allowance)
		return false;
	r->tat_ns = (r->tat_ns > now ? r->tat_ns : now) + r->interval_ns;
	return true;
}

/* Requests that were answered (their first number no longer missing) or timed out leave the
 * channel's flight; their hole may be asked again at once, the timeout reset by an answer and
 * doubled by a silence. */
static void retire(struct fsi_recovery *r, __u8 chan, struct chan *c, __u64 now)
{
	__u32 i;

	for (i = 0; i < c->nreqs;) {
		struct req *q = &c->reqs[i];
		__u64 end, first = q->from > c->floor ? q->from : c->floor;
		/* Its first number handed over (below the floor) was answered too. */
		bool answered = q->from < c->floor ||
				r->ops.missing(r->ops.ctx, chan, first, first + 1, &end) != first;
		struct hole *h;

		if (!answered && now < q->expires_ns) {
			i++;
			continue;
		}
		h = hole_of(c, first);
		if (h) {
			h->ask_at_ns = now;
			if (answered)
				h->timeout_ns = r->p.timeout_ns;
			else if (h->timeout_ns < r->p.max_timeout_ns)
				h->timeout_ns = h->timeout_ns * 2 < r->p.max_timeout_ns
						    ? h->timeout_ns * 2
						    : r->p.max_timeout_ns;
		}
		*q = c->reqs[--c->nreqs];
	}
}

/* Where the request in flight that covers SEQ ends, or SEQ when none does; *NEXT_FROM: the
 * first one that starts after SEQ (or NEVER). */
static __u64 in_flight(const struct chan *c, __u64 seq, __u64 *next_from)
{
	__u32 i;

	*next_from = NEVER;
	for (i = 0; i < c->nreqs; i++) {
		if (c->reqs[i].from <= seq && seq < c->reqs[i].end)
			return c->reqs[i].end;
		if (c->reqs[i].from > seq && c->reqs[i].from < *next_from)
			*next_from = c->reqs[i].from;
	}
	return seq;
}

/* On the first ask, the hole shrinks to what is missing now: its first missing number to the
 * end of its last missing run. False when nothing is missing any more. */
static bool trim(struct fsi_recovery *r, __u8 chan, const struct chan *c, struct hole *h)
{
	__u64 from = h->pub.from > c->floor ? h->pub.from : c->floor, end, a, last = 0;

	a = r->ops.missing(r->ops.ctx, chan, from, h->pub.end, &end);
	if (a >= h->pub.end)
		return false;
	from = a;
	while (a < h->pub.end) {
		last = end;
		a = r->ops.missing(r->ops.ctx, chan, end, h->pub.end, &end);
	}
	h->pub.from = from;
	h->pub.end = last;
	h->pub.unfilled = 0; /* gaps so far lay below the floor, outside what is asked */
	return true;
}

/* Ask for [FROM, END) of hole H, the part of a missing run that no request covers, in requests
 * of at most max_count. */
static enum ask_result ask_run(struct fsi_recovery *r, __u8 chan, struct chan *c, struct hole *h,
			       __u64 from, __u64 end, __u64 now)
{
	while (from < end) {
		__u64 to = end - from > r->p.max_count ? from + r->p.max_count : end;
		bool first = !h->pub.asked;
		int err;

		if (c->nreqs == r->p.max_inflight)
			return ASK_CHAN_FULL;
		if (!take_token(r, now))
			return ASK_STOP;
		err = r->ops.send(r->ops.ctx, chan, from, (__u32)(to - from), first);
		if (err == -EAGAIN || err == -ENOBUFS) {
			r->tat_ns -= r->interval_ns; /* not sent: not charged */
			return ASK_STOP;
		}
		/* Another error lost this one request: it times out and is asked again. */
		h->pub.asked = true;
		c->reqs[c->nreqs++] = (struct req){from, to, now + h->timeout_ns};
		from = to;
	}
	return ASK_DONE;
}

static enum ask_result ask_hole(struct fsi_recovery *r, __u8 chan, struct chan *c, struct hole *h,
				__u64 now)
{
	__u64 p, end;

	if (!h->pub.asked && !trim(r, chan, c, h))
		return ASK_NOTHING;
	p = h->pub.from > c->floor ? h->pub.from : c->floor;
	while ((p = r->ops.missing(r->ops.ctx, chan, p, h->pub.end, &end)) < h->pub.end) {
		while (p < end) {
			__u64 next_from, covered = in_flight(c, p, &next_from);
			enum ask_result res;

			if (covered > p) {
				p = covered;
				continue;
			}
			res = ask_run(r, chan, c, h, p, next_from < end ? next_from : end, now);
			if (res != ASK_DONE)
				return res;
			p = next_from < end ? next_from : end;
		}
	}
	return ASK_DONE;
}

/* False when no more requests may leave this poll. */
static bool ask(struct fsi_recovery *r, __u8 chan, struct chan *c, __u64 now)
{
	__u32 i;

	for (i = 0; i < c->nholes;) {
		struct hole *h = &c->holes[i];
		enum ask_result res;

		if (now < h->ask_at_ns || now >= h->deadline_ns) {
			i++;
			continue;
		}
		res = ask_hole(r, chan, c, h, now);
		if (res == ASK_NOTHING) {
			remove_hole(r, c, i);
			continue;
		}
		if (res == ASK_STOP)
			return false;
		if (res == ASK_CHAN_FULL)
			return true; /* asked again once a request retires */
		h->ask_at_ns = NEVER;
		i++;
	}
	return true;
}

void fsi_recovery__poll(struct fsi_recovery *r, __u64 now)
{
	bool more = true;
	int i;

	r->polled_ns = now;
	for (i = 0; r->nholes && i < FS_MAX_CHANNELS; i++) {
		struct chan *c = r->ch[i];

		if (!c || !c->nholes)
			continue;
		retire(r, (__u8)i, c, now);
		if (more)
			more = ask(r, (__u8)i, c, now);
	}
}

__u64 fsi_recovery__next_deadline(const struct fsi_recovery *r)
{
	__u64 next = NEVER, token = r->tat_ns - (__u64)(r->p.burst - 1) * r->interval_ns;
	__u32 j;
	int i;

	if (!r->nholes)
		return NEVER;
	if (r->tat_ns < (__u64)(r->p.burst - 1) * r->interval_ns)
		token = 0;
	for (i = 0; i < FS_MAX_CHANNELS; i++) {
		const struct chan *c = r->ch[i];

		for (j = 0; c && j < c->nholes; j++) {
			const struct hole *h = &c->holes[j];
			__u64 at = h->ask_at_ns > token ? h->ask_at_ns : token;

			/* A channel at its bound asks again when a request expires. */
			if (h->ask_at_ns < h->deadline_ns && c->nreqs < r->p.max_inflight &&
			    at < next)
				next = at;
			if (h->deadline_ns > r->polled_ns && h->deadline_ns < next)
				next = h->deadline_ns;
		}
		for (j = 0; c && j < c->nreqs; j++)
			if (c->reqs[j].expires_ns < next)
				next = c->reqs[j].expires_ns;
	}
	return next;
}
