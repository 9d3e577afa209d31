/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The per-channel sequencer (see sequencer.c), fed by a frame source: the AF_XDP consumer
 * (frames in UMEM buffers) or replay (frames in a buffer pool). It reads the channel windows
 * and writes fs_chan_events of the source's interface maps, and gives every frame back to the
 * source once it is done with it. Internal.
 */
#ifndef FEEDSIEVE_SEQUENCER_H
#define FEEDSIEVE_SEQUENCER_H

#include "frame.h"

struct fsi_sequencer;

struct fsi_frame_source {
	struct fs_iface *iface; /* mmapped fs_windows and fs_chan_events */
	__u32 queue;            /* fs_event.queue */
	const char (*channel_names)[FS_CHANNEL_NAME_LEN]; /* by channel id, FS_MAX_CHANNELS */
	/* The frame behind HANDLE (an fsi_sequencer__frame() argument) is no longer needed. */
	void (*release)(void *ctx, __u64 handle);
	void *ctx;
};

/* Where events go, and the first non-zero value the application's function returned. */
struct emit {
	struct fsi_sequencer *s;
	fs_event_fn fn;
	void *ctx;
	int ret;
};

/* Re-requests to the channels' servers (fsi_sequencer__recover()): the AF_XDP consumer's. Replay
 * has none: it sends nothing, and its channels are sequenced as without a server. */
struct fsi_request_sink {
	/* Does channel CHAN name a re-request server that its protocol can ask? */
	bool (*has_server)(void *ctx, __u8 chan);
	/* Ask CHAN's server for [FROM, FROM + COUNT) of the session SESSION (LEN bytes, as in
	 * fs_frame.session) of PROTO. 0, or -errno (-EAGAIN, -ENOBUFS: the socket is full). */
	int (*send)(void *ctx, __u8 chan, enum fs_proto proto, const char *session, __u8 len,
		    __u64 from, __u32 count);
	/* The clock settle() and recovery events read; NULL: CLOCK_MONOTONIC (fsi_now_ns()). */
	__u64 (*now)(void *ctx);
	void *ctx;
};

/* MAX_HELD frames at most are held at once; past half of them holes are decided at once. 0 for
 * GRACE_NS or STALE_NS: the defaults (fs_consumer_opts). SRC is copied. */
int fsi_sequencer__create(const struct fsi_frame_source *src, __u32 max_held, __u64 grace_ns,
			 __u64 stale_ns, struct fsi_sequencer **out);
void fsi_sequencer__destroy(struct fsi_sequencer *s);
struct fsi_recovery_params;
/* Recover holes of channels that name a server through SINK (copied) rather than report them as
 * gaps after the grace time: P's grace_ns 0 is the sequencer's grace time, its deadline_ns 0 is
 * 1 s. Frames held behind holes that wait for a server are copied out of the source's buffers
 * when they run short, up to HEAP_BYTES (0: 64 MiB); past that, holes are decided at once.
 * -EINVAL, -ENOMEM. */
int fsi_sequencer__recover(struct fsi_sequencer *s, const struct fsi_request_sink *sink,
			   const struct fsi_recovery_params *p, size_t heap_bytes);
/* Take one delivered frame (HANDLE names it to the source): hold it, or hand it over and give
 * it back. */
void fsi_sequencer__frame(struct fsi_sequencer *s, const struct fs_frame *f, __u64 handle,
			 struct emit *e);
/* Time-based decisions (gaps after the grace time, recovery, staleness) on the monotonic clock,
 * at most every few polls; call when the RX ring is empty, or when fsi_sequencer__pressed() says
 * so. */
void fsi_sequencer__settle(struct fsi_sequencer *s, struct emit *e);
/* The same decisions, now, as of time NOW (replay: the capture's clock). */
void fsi_sequencer__settle_at(struct fsi_sequencer *s, struct emit *e, __u64 now);
/* The earliest time a settle would decide something (a hole's grace time ends, a channel turns
 * stale, a request is due or a recovery deadline passes); ~0ULL when nothing waits on the
 * clock. */
__u64 fsi_sequencer__next_deadline(const struct fsi_sequencer *s);
/* No frame will come any more: every hole still open is a gap, and every held frame is handed
 * over. */
void fsi_sequencer__finish(struct fsi_sequencer *s, struct emit *e);
/* Do held frames keep so many buffers that the source runs short? Then holes must be settled
 * now, ring empty or not: waiting longer would turn one loss into many. */
bool fsi_sequencer__pressed(const struct fsi_sequencer *s);

#endif /* FEEDSIEVE_SEQUENCER_H */
