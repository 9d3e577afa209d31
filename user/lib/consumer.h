/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What the frame iterator needs from the consumer. Internal. */
#ifndef FEEDSIEVE_CONSUMER_H
#define FEEDSIEVE_CONSUMER_H

#include <xdp/xsk.h>

#include "internal.h"

struct group_slot {
	struct fs_group_key key;
	struct fs_group value;
	bool valid;
};

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
	struct fs_membership *membership; /* joins the configured groups on the interface */
	struct group_slot groups[FS_MAX_GROUPS]; /* by group id */
	__u64 *recycle; /* buffer addresses to give back to the fill ring (num_frames) */
	__u64 last_refresh_ns;
	__u32 nrecycle;                 /* addresses in recycle[] to give back */
	struct fs_sequencer *seq;       /* per-channel ordering, gaps, staleness */
	char channel_names[FS_MAX_CHANNELS][FS_CHANNEL_NAME_LEN];
};

/* CLOCK_MONOTONIC in ns: the clock of bpf_ktime_get_ns(), so user and kernel times compare. */
__u64 fs_now_ns(void);

/* Give the buffer of RX descriptor address DESC_ADDR back to the fill ring at the end of this
 * poll (and clear the metadata magic in front of it). */
void fs_consumer__recycle(struct fs_consumer *c, __u64 desc_addr);

/* Does the group of F deliver all symbols? (Decided from the consumer's group table.) */
bool fs_consumer__group_all_symbols(const struct fs_consumer *c, const struct fs_frame *f);

#endif /* FEEDSIEVE_CONSUMER_H */
