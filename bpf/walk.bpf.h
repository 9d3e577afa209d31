/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What a protocol's passes over one frame tell the generic rest of the program: the sequence
 * numbers the frame covers, its session, its instrument keys and which of them are wanted. Every
 * protocol header (proto_*.bpf.h) fills it; arbitration, the directory and delivery read it.
 */
#ifndef FEEDSIEVE_WALK_BPF_H
#define FEEDSIEVE_WALK_BPF_H

#include "feedsieve/types.h"
#include "feedsieve/limits.h"
#include "maps.bpf.h"

enum fs_frame_kind {
	FS_FRAME_DATA = 0,
	FS_FRAME_HEARTBEAT,	 /* no sequence number of its own: seq is the next one expected */
	FS_FRAME_END_OF_SESSION, /* likewise, and the session ends */
	FS_FRAME_OUT_OF_BAND,	 /* not in the live sequence (PITCH unsequenced, NYSE
				  * retransmission or refresh): matched, never claimed */
};

/*
 * Where a protocol's passes stand in the frame. OFF and END are every pass's cursor and the
 * payload end; the others serve protocols whose keys sit in items (repeating group entries)
 * inside messages.
 */
struct fs_cursor {
	__u32 off;	/* cursor of the current pass */
	__u32 end;	/* payload end */
	__u32 msg_end;	/* end of the message being walked */
	__u32 item;	/* next item of the message */
	__u32 items;	/* items the message has */
	__u32 item_len; /* bytes per item */
	__u32 key_off;	/* offset of the key inside each item */
	__u32 keys;	/* keys counted so far by the current pass */
};

/*
 * What the walk found in one frame. It lives in a per-CPU scratch map value, not on the stack:
 * the verifier does not track values loaded from map memory, so the bpf_loop() passes converge
 * after one step instead of being explored once per possible iteration count. XDP runs with
 * bottom halves disabled and is never re-entered on a CPU, so one scratch value per CPU is
 * enough.
 *
 * Sequence numbers and keys are separate: the frame covers sequence numbers
 * [seq, seq + seq_count) and holds WALKED instrument keys (ITCH: one per message, so both
 * counts agree; MDP3: one sequence number per packet, any number of keys).
 */
struct fs_walk {
	__u64 match_bits[FS_MAX_WALK / 64]; /* key i wanted, in a part of the frame that is new */
	__u64 new_bits[FS_MAX_WALK / 64]; /* sequence number seq + i brought first by this frame */
	__u64 seq;			  /* first sequence number the frame covers */
	__u64 seq_next;			  /* one past the highest sequence number it says exists */
	__u64 session_hash;		  /* 48-bit identity of the frame's session */
	struct fs_cursor c;
	__u32 seq_count; /* sequence numbers claimed for this frame: [seq, seq + seq_count) */
	__u32 walked;	 /* instrument keys examined (<= FS_MAX_WALK) */
	__u32 matched;	 /* keys wanted */
	__u32 learned;	 /* directory entries new or changed */
	__u32 dir_full;	 /* definitions not learned: no free id-keyed slot */
	__u32 new_count; /* sequence numbers no line had brought */
	__u32 too_late;
	__u32 orders_added; /* PITCH order map (fs_orders) changes, counted as the counters say */
	__u32 orders_removed;
	__u32 orders_full;
	__u32 orders_unknown;
	__u16 gen;	    /* session generation of the channel, set before the match pass */
	__u8 unit;	    /* has_unit: the frame's unit (PITCH) */
	bool has_unit;	    /* the channel is (group, unit): chosen from unit, see fs_group */
	__u8 meta_flags;    /* enum fs_meta_flags a protocol's pass adds for the consumer */
	__u8 kind; /* enum fs_frame_kind */
	__u8 bank; /* the configuration bank this frame is judged by */
	__u8 channel; /* the frame's channel (the group's, or its unit's) */
	__u32 req_queue; /* a response: the RX queue its request port's consumer reads */
	bool malformed;
	bool overflow;	    /* more keys than FS_MAX_WALK: the rest not examined */
	bool deliver;	    /* the match pass found something the consumer wants */
	bool may_start;	    /* the frame may start a new session of its channel */
	bool joins_session; /* no identity of its own: of whatever session the channel is in */
	bool counts_reset;  /* a session it starts over another one is counted as a reset */
	bool names_restart; /* may name a session started without its first packet (seqwin.h,
			     * FS_SESS_RESTARTED): only protocols whose packets join sessions */
};

static __always_inline bool bit_set(const __u64 *bits, __u32 i)
{
	return bits[(i / 64) & 1] & (1ULL << (i % 64));
}

static __always_inline void set_bit(__u64 *bits, __u32 i)
{
	bits[(i / 64) & 1] |= 1ULL << (i % 64);
}

/*
 * Pointer to frame offset OFF, which the caller has checked is <= FS_PKT_OFF_MASK. The mask is
 * kept behind a compiler barrier: clang would drop it as redundant, and the verifier needs it to
 * bound the pointer arithmetic.
 */
static __always_inline __u8 *pkt_at(void *data, __u32 off)
{
	__u64 o = off;

	asm volatile("" : "+r"(o));
	return (__u8 *)data + (o & FS_PKT_OFF_MASK);
}

#endif /* FEEDSIEVE_WALK_BPF_H */
