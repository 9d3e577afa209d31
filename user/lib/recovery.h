/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The recovery engine (recovery.c): per channel, the holes a re-request server is asked to fill,
 * and when to ask. It knows no protocol, no socket and no window: what is still missing and how a
 * request leaves are its owner's (the sequencer's, sequencer.c), through fsi_recovery_ops.
 * Internal.
 */
#ifndef FEEDSIEVE_RECOVERY_H
#define FEEDSIEVE_RECOVERY_H

#include <stdbool.h>
#include <linux/types.h>

struct fsi_recovery;

struct fsi_recovery_params {
	__u64 grace_ns;	      /* a hole is first asked for this long after it was seen (A/B) */
	__u64 deadline_ns;    /* nothing more is asked this long after it was seen */
	__u32 max_count;      /* sequence numbers in one request: larger holes are split */
	__u32 max_inflight;   /* unanswered requests per channel */
	__u32 rate;	      /* requests per second, for all channels together */
	__u32 burst;	      /* requests sent at once after a quiet time */
	__u64 timeout_ns;     /* wait for an answer before asking again; doubled at each retry */
	__u64 max_timeout_ns; /* the doubling stops here */
	__u32 max_holes;      /* holes followed per channel; more are not asked for */
};

/* The defaults (recovery.c says why each), with GRACE_NS and DEADLINE_NS. */
void fsi_recovery__defaults(struct fsi_recovery_params *p, __u64 grace_ns, __u64 deadline_ns);

struct fsi_recovery_ops {
	/* The first sequence number in [FROM, TO) of channel CHAN that no line has brought
	 * (UNSEEN), or TO; *END: where that run of missing numbers ends (<= TO). */
	__u64 (*missing)(void *ctx, __u8 chan, __u64 from, __u64 to, __u64 *end);
	/* Ask CHAN's server for [FROM, FROM + COUNT). NEW_RANGE: the first request of its hole.
	 * 0, or -errno: -EAGAIN/-ENOBUFS (the socket is full: later), another (this one is lost,
	 * it is retried as if unanswered). */
	int (*send)(void *ctx, __u8 chan, __u64 from, __u32 count, bool new_range);
	void *ctx;
};

/* A hole as its channel's owner learns it is settled (fsi_recovery__passed()). */
struct fsi_rec_hole {
	__u64 from, end; /* [from, end): what was missing when it was first asked */
	__u64 seen_ns;	 /* when it was seen */
	__u64 unfilled;	 /* of it, reported as a gap (fsi_recovery__unfilled()) */
	bool asked;	 /* at least one request was sent for it */
};

/* P and OPS are copied. -ENOMEM. */
int fsi_recovery__create(const struct fsi_recovery_params *p, const struct fsi_recovery_ops *ops,
			 struct fsi_recovery **out);
void fsi_recovery__destroy(struct fsi_recovery *r);
/* Follow [FROM, END) of CHAN, missing since SEEN_NS: past the grace time it is asked for. Holes
 * of a channel come in sequence order and never overlap. -ENOSPC: the channel follows
 * max_holes already. */
int fsi_recovery__add(struct fsi_recovery *r, __u8 chan, __u64 from, __u64 end, __u64 seen_ns);
/* Is SEQ of CHAN in a followed hole whose deadline has not passed at NOW? Then the channel waits
 * for it. */
bool fsi_recovery__waits(const struct fsi_recovery *r, __u8 chan, __u64 seq, __u64 now);
/* The end of CHAN's followed hole that holds SEQ, or 0 when none does. */
__u64 fsi_recovery__hole_end(const struct fsi_recovery *r, __u8 chan, __u64 seq);
/* The start of CHAN's first followed hole that begins after SEQ, or ~0ULL when none does. */
__u64 fsi_recovery__hole_after(const struct fsi_recovery *r, __u8 chan, __u64 seq);
/* [FROM, FROM + COUNT) of CHAN was reported as a gap: count it in the holes it overlaps. */
void fsi_recovery__unfilled(struct fsi_recovery *r, __u8 chan, __u64 from, __u64 count);
/* CHAN handed everything below NEXT over: its holes below are settled. FN is called (before
 * the hole is forgotten) for each one that was asked for. */
void fsi_recovery__passed(struct fsi_recovery *r, __u8 chan, __u64 next,
			  void (*fn)(void *ctx, __u8 chan, const struct fsi_rec_hole *h),
			  void *ctx);
/* Forget CHAN's holes (a new session, the id given to another channel): nothing is settled. */
void fsi_recovery__forget(struct fsi_recovery *r, __u8 chan);
/* Does CHAN follow any hole? */
bool fsi_recovery__busy(const struct fsi_recovery *r, __u8 chan);
/* Send what is due at NOW: answers noticed, requests timed out, holes first or again asked. */
void fsi_recovery__poll(struct fsi_recovery *r, __u64 now);
/* The earliest time poll or a deadline decides something; ~0ULL when nothing waits. */
__u64 fsi_recovery__next_deadline(const struct fsi_recovery *r);

#endif /* FEEDSIEVE_RECOVERY_H */
