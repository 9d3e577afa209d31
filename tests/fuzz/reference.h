/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A user-space reference of what the feedsieve XDP program decides for one frame, written from
 * the documentation (docs/datapath.md "What the program decides, exactly", docs/integrity.md) and
 * the wire facts of docs/wire/, not from bpf/. It shares only the layouts of
 * include/feedsieve/maps.h (configuration, counters, metadata, window words) with the program: the
 * frame parse, the MoldUDP64, MDP3, NYSE XDP and PITCH framing rules, the session rules, the
 * claim of sequence numbers, the id-keyed directory, the PITCH order map and the match are
 * written out again, plainly and slowly (one message at a time, one array element per state).
 *
 * The fuzzers run every frame through the loaded program and through this model, and compare
 * the verdict, the metadata, every counter delta, the directory and the channel's window.
 * Protocols with a model of their own (reference_nyse.c, reference_pitch.c) share its generic
 * parts through reference_int.h.
 */
#ifndef FEEDSIEVE_TESTS_FUZZ_REFERENCE_H
#define FEEDSIEVE_TESTS_FUZZ_REFERENCE_H

#include <stdbool.h>
#include <stddef.h>

#include "feedsieve/maps.h"

/* Whole-map loops (resets, comparisons) are left out of libFuzzer's coverage: they say nothing
 * about the input and would cost most of each run. */
#ifdef __clang__
#define FZ_NO_COVERAGE __attribute__((no_sanitize("coverage")))
#else
#define FZ_NO_COVERAGE
#endif

#define REF_MAX_GROUPS 8
#define REF_MAX_SUBS   32
#define REF_WORDS      (FS_SEQ_WINDOW / 16)
#define REF_MAX_DIRTY  8192
#define REF_MAX_IDS    4096 /* NYSE groups learn every mapping a frame carries */
/* fs_orders entries in the fuzzed program (fsx_load_orders): small, so that it fills */
#define REF_MAX_ORDERS 8

/* One window word as docs/integrity.md describes it, unpacked: a tag and 16 states. */
struct ref_word {
	__u8 gen;    /* low 8 bits of the session generation */
	__u32 block; /* sequence number / 16, modulo 2^24 */
	__u8 state[16];
};

struct ref_channel {
	bool started;	     /* the channel has had a session */
	__u16 gen;	     /* session generation (16 bits, it wraps) */
	__u64 session;	     /* the current session's 48-bit identity (hash of its name) */
	__u64 ended_gen;     /* generation + 1 of the last session that sent end of session */
	__u64 unit;	     /* PITCH: 1 + the unit the channel carries, 0: none yet */
	__u64 orders_full_gen; /* PITCH: generation + 1 of a session whose order map overflowed */
	bool start_set;	     /* PITCH: the first sequence number of a session was noted: */
	__u16 start_gen;     /* its generation */
	__u64 start;	     /* and the number */
	bool high_set;	     /* the high-water mark has been written */
	__u16 high_gen;	     /* generation the high-water mark belongs to */
	__u64 high;	     /* one past the highest sequence number known (48 bits stored) */
	struct ref_word words[REF_WORDS];
};

struct ref_group {
	__u32 addr; /* host order */
	__u16 port;
	struct fs_group g;
};

struct ref_sub {
	struct fs_symbol sym;
	__u32 slot;
};

/* A directory entry: what the program learned for a (feed, locate), and its subscription mark. */
struct ref_locate {
	struct fs_symbol symbol;
	__u32 sub; /* FS_INST_NOT_SUBSCRIBED or subscription slot + 1 */
	bool known;
};

/* An id-keyed directory entry (MDP3 SecurityID, NYSE SymbolIndex of a feed), in the order it
 * was indexed. */
struct ref_id {
	__u8 proto;
	__u8 feed;
	__u32 id;
	bool known;
	struct fs_symbol symbol;
	__u32 sub; /* FS_INST_NOT_SUBSCRIBED or subscription slot + 1 */
};

struct ref_id_sub {
	__u32 id;
	__u32 slot;
};

/* A PITCH order remembered (fs_orders). */
struct ref_order {
	__u64 id;
	__u8 channel;
	struct fs_symbol symbol;
	__u32 remaining;
	__u16 gen;
};

/* A PITCH order as libfeedsieve's consumer remembers it (user/lib/orders.h): learned from the
 * messages handed over, not from fs_orders. */
#define REF_APP_ORDERS 1024
struct ref_app_order {
	__u64 id;
	__u8 channel;
	struct fs_symbol symbol;
	__u32 remaining;
	__u16 gen; /* the channel's consumer generation it was added in */
};

struct ref_state {
	struct ref_group groups[REF_MAX_GROUPS];
	size_t n_groups;
	struct ref_sub subs[REF_MAX_SUBS];
	size_t n_subs;
	struct ref_locate *locates; /* FS_MAX_FEEDS * FS_LOCATES_PER_FEED */
	__u32 *dirty;		    /* entries of locates written since the reset (for speed) */
	size_t n_dirty;		    /* > REF_MAX_DIRTY: too many, clear them all */
	struct ref_id ids[REF_MAX_IDS];
	size_t n_ids;
	struct ref_id_sub id_subs[REF_MAX_SUBS];
	size_t n_id_subs;
	struct ref_channel *channels; /* FS_MAX_CHANNELS */
	struct ref_order orders[REF_MAX_ORDERS]; /* in no order */
	size_t n_orders;
	bool xsk[FS_MAX_QUEUES];
	struct fs_counters global;
	struct fs_counters *group_stats;  /* FS_MAX_GROUPS, by group id */
	struct fs_sym_counters *sym_stats; /* FS_MAX_SUBS, by slot */
	/* The consumer's PITCH order map (ref_pitch_app), per channel: a generation that moves
	 * when a packet 1 names a session other than the last one named (its first 8 bytes). */
	struct ref_app_order app_orders[REF_APP_ORDERS];
	size_t n_app_orders;
	bool app_orders_lost; /* more than REF_APP_ORDERS: the comparison stops for the program */
	__u16 app_gen[FS_MAX_CHANNELS];
	bool app_named[FS_MAX_CHANNELS];
	__u8 app_session[FS_MAX_CHANNELS][8];
};

/* What one frame should do. */
struct ref_result {
	__u32 action; /* XDP_PASS / XDP_DROP / XDP_REDIRECT */
	bool meta;    /* metadata written in front of the frame (every delivered frame) */
	struct fs_xdp_meta m; /* rx_ts_ns not modelled */
	int group;	      /* index into ref_state.groups, -1: not ours */
	bool stamped;	      /* the channel's last_rx_ns is stamped */
	const char *why;      /* the rule that decided, for diffs */
	__u64 seq;	      /* the sequence numbers the frame claimed in its channel's window: */
	unsigned int walked;  /* [seq, seq + walked) (0: none; an MDP3 packet claims 1) */
	int channel;	      /* the frame's channel (its group's, or a PITCH unit's), -1: none */
};

int ref_init(struct ref_state *s);
void ref_free(struct ref_state *s);
void ref_reset(struct ref_state *s);
/* Mirrors of the fsx_* set-up calls; return 0 or the -errno fsx would return. */
int ref_add_group(struct ref_state *s, __u32 addr_host, __u16 port_host, const struct fs_group *g);
int ref_subscribe(struct ref_state *s, const char *sym, __u32 slot);
int ref_learn(struct ref_state *s, __u8 feed, __u16 locate, const char *sym);
/* Subscribe SecurityID ID (fsx_subscribe_id for FS_PROTO_MDP3 and FEED). */
int ref_subscribe_id(struct ref_state *s, __u8 feed, __u32 id, __u32 slot);
void ref_set_xsk(struct ref_state *s, __u32 queue);

/* Run one frame (at least 14 bytes) through the model; counters are updated in S. */
void ref_frame(struct ref_state *s, const __u8 *frame, size_t len, struct ref_result *r);

/* The channel's window in the layout of fs_windows (last_rx_ns left 0): the whole of it, or the
 * session, high and ended_gen fields with only word WORD (ref_window_word). */
void ref_window(const struct ref_state *s, __u8 channel, struct fs_channel_window *out);
void ref_window_head(const struct ref_state *s, __u8 channel, struct fs_channel_window *out);
__u64 ref_window_word(const struct ref_state *s, __u8 channel, size_t word);

/*
 * What an application must get from an MDP3 frame the program delivered (SEAM.md "Sequence
 * models": keys in wire order, a message delivered when it names no instrument, or one of its
 * keys is wanted, or the group takes all symbols): the messages, each with its wanted keys. Key
 * k is wanted as metadata bit k says when META is given and k < its msgs_walked; otherwise (no
 * metadata, or past the walk) as the directory says now (after the frame), as user space decides.
 */
#define REF_APP_MSGS 512
#define REF_APP_KEYS 512
struct ref_app_entry {
	__u8 index; /* in its message: the entry of group 0, or 0 for a root key */
	__s32 id;
	bool has_rpt_seq;
	__u32 rpt_seq;
	bool symbol_known;
	struct fs_symbol symbol;
};
struct ref_app_msg {
	size_t off; /* of its MsgSize in the frame */
	__u16 len, tid;
	unsigned int first, n; /* its entries in ref_app.entries */
	/* NYSE XDP and PITCH (ref_app.per_msg): the rest of what fs_msg tells */
	__u64 seq;
	bool has_key; /* NYSE: the SymbolIndex */
	__u32 key;
	bool has_order_id;
	__u64 order_id;
	bool symbol_known;
	struct fs_symbol symbol;
	bool order_unknown;
};
/* The values of libfeedsieve's public enums fs_frame_kind and fs_out_of_band (feedsieve.h, part
 * of its ABI; lib_check.c checks they agree): the kind of frame the application is given. */
enum { REF_FRAME_DATA, REF_FRAME_HEARTBEAT, REF_FRAME_END_OF_SESSION, REF_FRAME_OUT_OF_BAND };
enum { REF_OOB_NONE, REF_OOB_UNSEQUENCED, REF_OOB_RETRANSMITTED, REF_OOB_REFRESH,
       REF_OOB_UNAVAILABLE };
struct ref_app {
	bool malformed; /* nothing to deliver */
	bool overfull;	/* more than REF_APP_MSGS / REF_APP_KEYS: not compared */
	/* NYSE XDP and PITCH: the fields below and each message's own are compared */
	bool per_msg;
	__u8 kind;	  /* REF_FRAME_* */
	__u8 out_of_band; /* REF_OOB_* */
	bool has_unit;
	__u8 unit;
	unsigned int n_msgs, n_entries;
	struct ref_app_msg msgs[REF_APP_MSGS];
	struct ref_app_entry entries[REF_APP_KEYS];
};
/* The frame must go to a group of FS_PROTO_MDP3 (ref_result.group >= 0); run after ref_frame(). */
void ref_mdp3_app(const struct ref_state *s, const __u8 *frame, size_t len,
		  const struct fs_xdp_meta *meta, struct ref_app *out);
/*
 * The same for a frame the program delivered to a NYSE XDP group: one key per message, decided
 * by the metadata bit within msgs_walked, otherwise (no metadata, or past the walk) by the group
 * (all symbols, no feed to look up in), the type (control) and the directory now.
 */
void ref_nyse_app(const struct ref_state *s, const __u8 *frame, size_t len,
		  const struct fs_xdp_meta *meta, struct ref_app *out);
/*
 * And to a PITCH group. Order messages are judged by the consumer's own order map (the
 * ref_state.app_* fields, not fs_orders): HAND applies each handed-over message of a live frame
 * to it afterwards, in order, as the library's sequencer does (fsi_msg__handed()).
 */
void ref_pitch_app(struct ref_state *s, const __u8 *frame, size_t len,
		   const struct fs_xdp_meta *meta, bool hand, struct ref_app *out);
/* "AAPL" -> "AAPL" and NULs: the canonical form (feedsieve/symbol.h). */
void ref_symbol(struct fs_symbol *out, const char *sym);

#endif /* FEEDSIEVE_TESTS_FUZZ_REFERENCE_H */
