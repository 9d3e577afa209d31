/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The vocabulary of the XDP fixture table: what a row sets up, which frames it runs, and what it
 * expects. A row says what it proves in DESC; everything it does not mention is expected to stay
 * zero (counters) or unchanged (the learned directory).
 */
#ifndef FEEDSIEVE_TESTS_FIXTURE_H
#define FEEDSIEVE_TESTS_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>

#include "feedsieve/maps.h"
#include "frame_builder.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Two multicast groups of the BX feed layout; ids are not 0 so a wrong id shows. Alone, each is a
 * channel of its own (GA_CH, GB_CH); as LINE_A and LINE_B they are the two lines of channel AB_CH.
 * Channel ids differ from group ids and feeds, so a mix-up shows.
 */
#define GA_ADDR	 0xE931C40Au /* 233.49.196.10 */
#define GA_PORT	 18001
#define GA_ID	 3
#define GB_ADDR	 0xE931C40Bu /* 233.49.196.11 */
#define GB_PORT	 18002
#define GB_ID	 7
#define UNK_ADDR 0xE931C463u /* 233.49.196.99: not configured */
#define GA_CH	 2
#define GB_CH	 5
#define AB_CH	 9
#define TO_A	 0 /* step.to of a frame on LINE_A (row group 0) */
#define TO_B	 1 /* step.to of a frame on LINE_B (row group 1) */

#define L_AAPL 13
#define L_MSFT 42
#define L_NVDA 77
#define S_AAPL 5 /* subscription slots; not 0 so "slot + 1" mistakes show */
#define S_MSFT 9

/* Initializer shorthands; kept on one line each (clang-format would spread them over six). */
// clang-format off
#define GROUP(addr_, port_, id_, feed_, flags_, chan_, line_) \
	{.addr = (addr_), .port = (port_), \
	 .g = {.id = (id_), .proto = FS_PROTO_MOLD_ITCH, .feed = (feed_), .flags = (flags_), \
	       .channel = (chan_), .line = (line_)}}
#define GA          GROUP(GA_ADDR, GA_PORT, GA_ID, 0, 0, GA_CH, FS_LINE_A)
#define GA_F(flags) GROUP(GA_ADDR, GA_PORT, GA_ID, 0, (flags), GA_CH, FS_LINE_A)
#define GB          GROUP(GB_ADDR, GB_PORT, GB_ID, 1, 0, GB_CH, FS_LINE_A)
/* The two lines of one channel; both of feed 0, as user space requires of a channel's lines. */
#define LINE_A_F(flags) GROUP(GA_ADDR, GA_PORT, GA_ID, 0, (flags), AB_CH, FS_LINE_A)
#define LINE_B_F(flags) GROUP(GB_ADDR, GB_PORT, GB_ID, 0, (flags), AB_CH, FS_LINE_B)
#define LINES           {LINE_A_F(0), LINE_B_F(0)}

/* AAPL subscribed (slot 5) and its Stock Directory already seen in feed 0. */
#define AAPL_LIVE .subs = {{"AAPL", S_AAPL}}, .learned = {{0, L_AAPL, "AAPL", 0}}

#define MSG(t, loc)       {.type = (t), .locate = (loc)}
#define MSGSYM(t, loc, s) {.type = (t), .locate = (loc), .symbol = (s)}
#define BLOCK(t, loc, n)  {.type = (t), .locate = (loc), .set_len = true, .len = (n)}
#define A_AAPL            MSGSYM('A', L_AAPL, "AAPL")
#define R_(loc, s)        MSGSYM('R', (loc), (s))
#define S_EVENT           MSG('S', 0)
#define LIST_(type, ...)  (const type[]){__VA_ARGS__}
#define NLIST_(type, ...) (sizeof(LIST_(type, __VA_ARGS__)) / sizeof(type))
#define MSGS(...) \
	.msgs = LIST_(struct fb_msg, __VA_ARGS__), .n_msgs = NLIST_(struct fb_msg, __VA_ARGS__)
#define PAD_MSGS(...) \
	.pad_msgs = LIST_(struct fb_msg, __VA_ARGS__), \
	.n_pad_msgs = NLIST_(struct fb_msg, __VA_ARGS__)
#define COUNT(n) .set_count = true, .count = (n)
#define SEQ(n)   .set_seq = true, .seq = (n)
#define SESSION(s) .session = (s)
// clang-format on

/* What happens to a frame, as the user sees it. */
enum outcome {
	OUT_END = 0,	    /* no more steps */
	OUT_PASS,	    /* not ours: XDP_PASS, frames_passed */
	OUT_FRAGMENT,	    /* first fragment of a group: XDP_PASS, frames_fragment */
	OUT_FILTERED,	    /* XDP_DROP, frames_filtered */
	OUT_REDIRECT,	    /* XDP_REDIRECT to the socket, metadata in front */
	OUT_NO_SOCKET,	    /* wanted, no socket: XDP_PASS, metadata in front */
	OUT_DROP_MALFORMED, /* XDP_DROP, frames_malformed_dropped */
	OUT_DUPLICATE,	   /* every message already brought by a line: XDP_DROP, frames_duplicate */
	OUT_OTHER_SESSION, /* a session the channel has left: XDP_DROP, frames_other_session */
	OUT_OTHER_UNIT,	   /* a PITCH unit no channel of the group takes: XDP_PASS,
			    * frames_other_unit and frames_passed of the group */
	OUT_REFUSED,	   /* a re-request response refused: XDP_DROP, frames_retrans_refused */
	OUT_REFUSED_PASS,  /* a response on another RX queue than its requester's: XDP_PASS,
			    * frames_retrans_refused */
	OUT_N_,
};

struct group_spec {
	__u32 addr; /* host order; 0 = no group */
	__u16 port;
	struct fs_group g;
	__u32 srv_addr; /* host order: the re-request server the group names (g.retrans_*); 0: none */
	__u16 srv_port;
};

/* An fs_servers entry: the server (host order) -> the key of row group GROUP. */
struct server_spec {
	__u32 addr; /* 0 ends a list */
	__u16 port;
	__u8 group;
};

struct sub_spec {
	const char *sym; /* NULL = none */
	__u32 slot;
};

struct loc_spec {
	__u8 feed;
	__u16 locate;
	const char *sym; /* NULL = none */
	__u32 sub;	 /* expected fs_instrument.sub (ignored in .learned: user space derives it) */
};

/* An id-keyed instrument (MDP3 SecurityID) of the directory; SET ends a list (ids may be 0). */
struct id_spec {
	bool set;
	__u8 feed;
	__s32 id;
	const char *sym; /* NULL: its name is unknown (indexed for a subscription by id) */
	__u32 sub;	 /* expected mark in bank 0 (in .id_dir only) */
};

/* A subscription by id, as user space makes it (fsx_subscribe_id: for the group feed FEED). */
struct id_sub_spec {
	bool set;
	__u8 feed;
	__s32 id;
	__u32 slot;
};

struct sym_spec {
	__u32 slot;
	__u64 msgs_matched;
	__u64 dir_seen;
};

struct meta_expect {
	__u64 bits[FS_MAX_WALK / 64];
	__u8 flags;
	__u8 walked;
};

struct step {
	struct fb_frame f;
	__u8 to;		   /* group index the frame is sent to, unless f.daddr/dport say */
	struct sub_spec subscribe; /* user space subscribes this before the frame */
	struct id_sub_spec subscribe_id; /* and this id */
	const char *unsubscribe;   /* and deletes this subscription before the frame */
	enum outcome out;
	struct meta_expect meta; /* for OUT_REDIRECT / OUT_NO_SOCKET */
	__u8 chan_off;		 /* the frame's channel is its group's + CHAN_OFF (PITCH units) */
};

/*
 * Sequence numbers [FIRST, LAST] of generation GEN (0: the window's) are in STATE. State
 * FS_SEQ_UNSEEN ends a list: an unseen number is said by naming its neighbours, whose window word
 * (tag and all 16 states) is then expected exactly.
 */
struct range_spec {
	__u64 first, last;
	enum fs_seq_state state;
	__u16 gen;
};

#define ROW_RANGES 4

/*
 * The sequence window of the channel of row group GROUP after the row, read through the mmapped
 * fs_windows. The whole value is compared: session word, high-water mark, ended generation, and
 * every window word (those no range names must be zero). last_rx_ns must fall inside the row when
 * a session is expected, and be 0 otherwise.
 */
struct window_spec {
	bool check; /* else only the windows of channels no row group uses are checked (all zero) */
	__u8 group;
	__u16 gen;	     /* session generation; 0: no session (the whole window is zero) */
	const char *session; /* the session's name; NULL: FB_SESSION */
	bool mdp3;	     /* an MDP3 session: named by SENDING_TIME, not SESSION */
	__u64 sending_time;  /* of the MsgSeqNum-1 packet that started it; 0: joined mid-stream */
	bool restarted;      /* started without its MsgSeqNum-1 packet: the identity is 48 one bits
			      * (seqwin.h's FS_SESS_RESTARTED, written here as the number it is) */
	__u64 high;	     /* one past the highest sequence number known, of generation GEN */
	__u64 ended_gen;     /* generation + 1 of the last session that ended, or 0 */
	struct range_spec ranges[ROW_RANGES]; /* applied in order, as the window slides */
	bool pitch;	     /* a PITCH session: named by FIRST8 (the first message's first 8
			      * bytes of the HdrSequence-1 packet), or by 8 zero bytes (NULL) */
	const __u8 *first8;
	__u8 chan_off;	     /* the window of the group's channel + CHAN_OFF (PITCH units) */
	__u64 unit;	     /* expected fs_channel_window.unit (1 + the unit bound, or 0) */
	__u64 orders_full_gen; /* expected fs_channel_window.orders_full_gen */
};

/* A PITCH order in fs_orders; SET ends a list. */
struct order_spec {
	bool set;
	__u64 id;
	__u8 channel;
	const char *sym;
	__u32 remaining;
	__u16 gen;
};

#define ROW_ORDERS 4
/* fs_orders holds this many entries in the fixture program (fsx_load_orders), so a row can
 * fill it; entries filling it are on channel FX_FILL_CH, which no group uses. */
#define FX_MAX_ORDERS 16
#define FX_FILL_CH    250

#define ROW_GROUPS 2
#define ROW_SUBS   3
#define ROW_LOCS   4
#define ROW_STEPS  6
#define ROW_SYMS   3
#define ROW_IDS	   4
#define ROW_SERVERS 2

struct row {
	const char *desc; /* what the row proves */
	struct group_spec groups[ROW_GROUPS];
	struct sub_spec subs[ROW_SUBS];
	struct loc_spec learned[ROW_LOCS]; /* directory entries the program learned before */
	__u32 xsk_queues;		   /* bit q: an AF_XDP socket in fs_xsks[q] */
	struct step steps[ROW_STEPS];
	__u32 not_ours;			       /* frames counted only globally, as passed */
	struct fs_counters gstats[ROW_GROUPS]; /* counter deltas of each group (others: 0) */
	struct sym_spec sym[ROW_SYMS];	       /* per-symbol deltas (other slots: 0) */
	bool dir_changes;		       /* else the directory must be left as set up */
	struct loc_spec dir[ROW_LOCS];	       /* the whole directory after the row */
	struct window_spec win;
	/* Id-keyed instruments (MDP3). Set up: fs_bank.inst_next, definitions learned before, then
	 * .subs, then subscriptions by id. After: the id-keyed directory must equal .id_dir when
	 * .id_dir_changes, else be left as set up. */
	__u32 inst_next;
	struct id_spec defs[ROW_IDS];
	struct id_sub_spec id_subs[ROW_SUBS];
	bool id_dir_changes;
	struct id_spec id_dir[ROW_IDS];
	__u8 id_proto; /* the protocol of every id above (and of steps' subscribe_id); 0: MDP3 */
	/* Re-request responses: fs_servers entries and the request ports consumers registered
	 * (host order, 0 ends the list; queue REQ_QUEUE). */
	struct server_spec servers[ROW_SERVERS];
	__u16 req_ports[ROW_SERVERS];
	__u32 req_queue; /* the RX queue registered with every request port (frames run on 0) */
	/* PITCH order map. Set up: ORDERS, then (ORDERS_FILL) fillers until it is full. After:
	 * it must hold exactly ORDERS_AFTER when ORDERS_CHANGE, else ORDERS, plus the fillers. */
	struct order_spec orders[ROW_ORDERS];
	bool orders_fill;
	bool orders_change;
	struct order_spec orders_after[ROW_ORDERS];
};

/* The protocol of a row's ids. */
static inline __u8 row_id_proto(const struct row *r)
{
	return r->id_proto ? r->id_proto : FS_PROTO_MDP3;
}

#define XSK_Q0 (1u << 0)
#define XSK_Q1 (1u << 1)

// clang-format off
/* One subscribed message delivered (counters of group 0), everything else zero. */
#define ONE_WANTED(outcome_field) \
	{{.frames_seen = 1, .outcome_field = 1, .frames_first = 1, .msgs_walked = 1, \
	  .msgs_new = 1, .msgs_delivered = 1, .msgs_matched = 1}}
/* A malformed frame (counters of group 0): never arbitrated, matched or learned from, so no
 * message counter moves whatever its valid prefix holds. */
#define ONE_MALFORMED(outcome_field) \
	{{.frames_seen = 1, .outcome_field = 1, .frames_malformed = 1}}
#define META_ONE       {.bits = {1}, .walked = 1}
#define META_MALFORMED {.flags = FS_META_F_MALFORMED}
/* Malformed after N valid blocks: the metadata says how many were examined, none is marked. */
#define META_MALFORMED_AFTER(n) {.flags = FS_META_F_MALFORMED, .walked = (n)}
#define SYM_AAPL_1     {{S_AAPL, 1, 0}}
// clang-format on

/* Rows about frames: what is ours, headers, fragments, tags, lengths (fixture_rows_frames.c). */
extern const struct row fx_rows_frames[];
extern const size_t fx_rows_frames_n;
/* Rows about the MoldUDP64 walk, matching, delivery and the directory (fixture_rows_mold.c). */
extern const struct row fx_rows_mold[];
extern const size_t fx_rows_mold_n;
/* Rows about line arbitration: duplicates, the sequence window, sessions (fixture_rows_arb.c). */
extern const struct row fx_rows_arb[];
extern const size_t fx_rows_arb_n;
/* Rows about NYSE XDP Integrated Feed packets (fixture_rows_nyse.c). */
extern const struct row fx_rows_nyse[];
extern const size_t fx_rows_nyse_n;
/* Rows about CME MDP 3.0 packets (fixture_rows_mdp3.c). */
extern const struct row fx_rows_mdp3[];
extern const size_t fx_rows_mdp3_n;
/* Rows about re-request responses and snapshot groups (fixture_rows_recovery.c). */
extern const struct row fx_rows_recovery[];
extern const size_t fx_rows_recovery_n;
/* Rows about Cboe PITCH units and the order map (fixture_rows_pitch.c). */
extern const struct row fx_rows_pitch[];
extern const size_t fx_rows_pitch_n;
/* PITCH rows made from a rule (each type's minimum length); at most MAX. */
size_t fx_rows_pitch_generated(struct row *out, size_t max);
/* MDP3 rows made from a rule (truncation points); at most MAX. */
size_t fx_rows_mdp3_generated(struct row *out, size_t max);
/* Check the sequence windows (and fs_chan_events) after a row that ran between T0 and T1
 * (fixture_window.c). */
struct fsx;
void check_windows(const struct fsx *x, const struct row *r, const char *tag, __u64 t0, __u64 t1);
/* A description made for a generated row, kept for the life of the process. */
char *fx_fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
/* Rows made from a rule (IHL values, short payloads, truncation points); at most MAX. */
size_t fx_rows_generated(struct row *out, size_t max);

#endif /* FEEDSIEVE_TESTS_FIXTURE_H */
