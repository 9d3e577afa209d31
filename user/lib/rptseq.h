/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Per-instrument RptSeq of one MDP3 channel, as handed over to the application: which
 * instruments a packet gap touched, and which wait for their snapshot. Pure logic, no I/O (the
 * unit tests drive it); proto_mdp3_recovery.c feeds it the entries and snapshots in the order
 * the application gets them. The rules are in docs/integrity.md ("MDP3: per-instrument
 * recovery").
 */
#ifndef FEEDSIEVE_RPTSEQ_H
#define FEEDSIEVE_RPTSEQ_H

#include <stdbool.h>
#include <linux/types.h>

enum fsi_rpt_state {
	FSI_RPT_LIVE = 0, /* every update up to `last` was handed over, in order */
	FSI_RPT_PENDING,  /* a gap came since `last`: not known yet whether it lost updates */
	FSI_RPT_WAITING,  /* lost updates: its incrementals are held until its snapshot */
};

/* What to do with one entry (an instrument's update, with its RptSeq). */
enum fsi_rpt_verdict {
	FSI_RPT_DELIVER, /* hand it over */
	FSI_RPT_DROP,    /* RptSeq at or below what was handed over (a snapshot covered it) */
	FSI_RPT_HOLD,    /* the instrument waits for its snapshot: keep it for after */
};

/* What a snapshot of an instrument does. */
enum fsi_rpt_snap {
	FSI_SNAP_IGNORE,     /* not needed (or too old: before the instrument's last gap) */
	FSI_SNAP_UNAFFECTED, /* a pending instrument lost nothing: now live, nothing to hand over */
	FSI_SNAP_APPLY,      /* hand the snapshot over; the instrument is live at its RptSeq, and
			      * what was held is handed over after it (entries above it) */
};

struct fsi_rpt_inst {
	__s32 id;
	bool used;
	__u8 state;     /* enum fsi_rpt_state */
	__u32 last;     /* RptSeq of the last update handed over (or of the snapshot) */
	__u32 need_seq; /* PENDING/WAITING: a snapshot must reflect this packet (MsgSeqNum) */
	__u32 since;    /* PENDING: the last packet of the gap that made it pending */
};

struct fsi_rpt_chan {
	struct fsi_rpt_inst *slots; /* open addressing on id, cap a power of two */
	__u32 cap, n;
	__u32 nwaiting;
	/* The session was seen from MsgSeqNum 1: an instrument not seen yet stands at RptSeq 0,
	 * and is pending since the first gap of the session (gap_seq: the last packet of the
	 * latest gap; 0 none). Without it, an instrument's first update is where it stands. */
	bool from_start;
	__u32 gap_seq;
	__u32 first_gap_seq; /* the last packet of the session's first gap; 0 none */
};

/* A new session (ChannelReset, or the consumer joining): forget every instrument. FROM_START:
 * the session starts at MsgSeqNum 1 (every RptSeq starts at 1). */
void fsi_rpt__reset(struct fsi_rpt_chan *c, bool from_start);
void fsi_rpt__free(struct fsi_rpt_chan *c);
/* Packets [FROM, FROM + COUNT) were lost: live instruments become pending; waiting ones now need
 * a snapshot past this gap too. */
void fsi_rpt__gap(struct fsi_rpt_chan *c, __u64 from, __u64 count);
/* An update of ID with RptSeq RPT, the next one handed over in sequence. RECOVERABLE: the
 * channel has a snapshot group (else an affected instrument flows on after the jump). *NEWLY
 * (may be NULL) is set when this update decides a pending instrument: 1 affected, 0 not; -1
 * otherwise. -ENOMEM (then DELIVER) cannot be told apart: the table grows without bound only
 * by instruments, which are bounded by the subscriptions. */
enum fsi_rpt_verdict fsi_rpt__entry(struct fsi_rpt_chan *c, __s32 id, __u32 rpt, bool recoverable,
				    int *newly);
/* What fsi_rpt__entry() would decide about an instrument pending since the gap whose last packet
 * is GAP_SEQ, changing nothing: 1 affected (it lost updates in that gap), 0 not, -1 not known
 * (not pending, pending since an earlier gap too, so that the gap that took its updates cannot be
 * told, or an update a snapshot covered). */
int fsi_rpt__peek(const struct fsi_rpt_chan *c, __s32 id, __u32 rpt, __u32 gap_seq);
/* The snapshot of ID: RptSeq RPT as of packet LAST_SEQ (LastMsgSeqNumProcessed). */
enum fsi_rpt_snap fsi_rpt__snapshot(struct fsi_rpt_chan *c, __s32 id, __u32 rpt, __u32 last_seq);
/* The state of ID (LIVE for an instrument never seen when the session start was not). */
enum fsi_rpt_state fsi_rpt__state(const struct fsi_rpt_chan *c, __s32 id);
/* ID waited and gives up without a snapshot (held too much): live from RPT on. */
void fsi_rpt__abandon(struct fsi_rpt_chan *c, __s32 id, __u32 rpt);
/* ID waited and is no longer followed (unsubscribed): live again at the last RptSeq handed
 * over, so that a later update of it is taken as where it stands. */
void fsi_rpt__forget(struct fsi_rpt_chan *c, __s32 id);
/* Up to MAX of the waiting instruments into IDS; returns how many. */
__u32 fsi_rpt__waiting(const struct fsi_rpt_chan *c, __s32 *ids, __u32 max);

#endif /* FEEDSIEVE_RPTSEQ_H */
