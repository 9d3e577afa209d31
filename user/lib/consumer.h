/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The AF_XDP consumer, the top of the data path: frame source of the sequencer. Internal. */
#ifndef FEEDSIEVE_CONSUMER_H
#define FEEDSIEVE_CONSUMER_H

#include <xdp/xsk.h>

#include "sequencer.h"

struct fs_consumer {
	struct fs_iface *iface;
	struct xsk_umem *umem;
	struct xsk_socket *xsk;
	struct xsk_ring_prod fq;
	struct xsk_ring_cons cq;
	struct xsk_ring_cons rx;
	void *buffer;
	size_t buffer_len;
	__u32 num_frames;
	__u32 frame_size;
	__u32 batch;
	__u32 queue;
	bool sleep;
	bool zero_copy;
	bool busy_poll;  /* drive the driver's NAPI from recvfrom() when idle */
	__u64 frames_taken;
	struct fsi_membership *membership; /* joins the configured groups on the interface */
	struct fsi_group_table groups;     /* for frames without metadata */
	__u64 *recycle; /* buffer addresses to give back to the fill ring (num_frames) */
	__u64 last_refresh_ns;
	__u32 nrecycle;                 /* addresses in recycle[] to give back */
	struct fsi_sequencer *seq;       /* per-channel ordering, gaps, staleness */
	struct fsi_requests *requests;  /* re-requests to the channels' servers */
	struct fsi_mdp3_rec *mdp3_rec;   /* MDP3 per-instrument recovery, after the sequencer */
	char channel_names[FS_MAX_CHANNELS][FS_CHANNEL_NAME_LEN];
};

/* consumer.c's helpers for consumer_set.c; not part of the API. */
struct fs_iface *fsi_consumer__iface(struct fs_consumer *c);
/* Copy the socket's counters into the pinned fs_sock_stats map, for `feedsieve stats`. */
int fsi_consumer__publish_stats(struct fs_consumer *c);
__u32 fsi_consumer__queue(const struct fs_consumer *c);

#endif /* FEEDSIEVE_CONSUMER_H */
