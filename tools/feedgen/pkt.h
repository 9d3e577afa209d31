/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A packet as the protocol-neutral part of feedgen sees it: bytes for a channel, the sequence
 * numbers they cover, whether they are traffic (counted) and may be lost at random on a line.
 * Each protocol builds its packets in its own buffer and describes them with this.
 */
#ifndef FEEDGEN_PKT_H
#define FEEDGEN_PKT_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

/* Largest UDP payload the generator sends: fits any 1500-byte MTU path with headroom. */
#define FG_PAYLOAD_MAX 1400

/* The channels a protocol may send on: the feed itself, and (MDP3) its instrument definitions
 * and its Market Recovery (snapshot) feed. */
enum fg_chan {
	FG_CHAN_MAIN = 0,
	FG_CHAN_DEFS,
	FG_CHAN_SNAPSHOT,
	FG_CHANS,
};

struct fg_pkt {
	const __u8 *buf;
	size_t len;
	__u64 seq;	 /* first sequence number (Mold: of a message; MDP3: of the packet) */
	__u32 seq_count; /* sequence numbers covered: messages (Mold) or 1 (MDP3) */
	__u32 msgs;	 /* messages carried */
	enum fg_chan chan;
	bool traffic; /* counts towards --packets */
	bool lossy;   /* may be lost on a line (--loss-a, --loss-b) */
	/* What the protocol's log writer needs beyond the bytes (PITCH: the symbol and state of
	 * the order each message names); NULL for most. */
	const void *priv;
};

#endif /* FEEDGEN_PKT_H */
