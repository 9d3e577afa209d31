/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Keys, values and counters of every feedsieve map, the XDP metadata handed to AF_XDP consumers,
 * and the names under which the maps are pinned. Counters are structs with named fields so that
 * `bpftool map dump pinned /sys/fs/bpf/feedsieve/IFNAME/fs_stats` prints them readably.
 */
#ifndef FEEDSIEVE_MAPS_H
#define FEEDSIEVE_MAPS_H

#include "types.h"
#include "limits.h"
#include "seqwin.h"

/* Map names: the BPF program declares its maps with these identifiers, user space opens the pins
 * by the same names, so the spelling lives only here. */
#define FS_MAP_GROUPS_0    fs_groups_0
#define FS_MAP_GROUPS_1    fs_groups_1
#define FS_MAP_SUBS_0      fs_subs_0
#define FS_MAP_SUBS_1      fs_subs_1
#define FS_MAP_INSTRUMENTS fs_instruments
#define FS_MAP_INST_INDEX  fs_inst_index
#define FS_MAP_IDS_0       fs_ids_0
#define FS_MAP_IDS_1       fs_ids_1
#define FS_MAP_STATS       fs_stats
#define FS_MAP_GROUP_STATS fs_group_stats
#define FS_MAP_SYM_STATS   fs_sym_stats
#define FS_MAP_XSKS        fs_xsks
#define FS_MAP_CHANNELS    fs_channels
#define FS_MAP_WINDOWS     fs_windows
#define FS_MAP_CHAN_EVENTS fs_chan_events
#define FS_MAP_SOCK_STATS  fs_sock_stats
#define FS_MAP_BANK        fs_bank
#define FS_MAP_ORDERS      fs_orders
#define FS_MAP_SERVERS     fs_servers
#define FS_MAP_REQ_PORTS   fs_req_ports

/* Where an interface's maps are pinned: FS_PIN_ROOT "/" IFNAME "/" map name. */
#define FS_PIN_ROOT "/sys/fs/bpf/feedsieve"
/* Name of the XDP program, used to find our program among others on an interface. */
#define FS_PROG_NAME "feedsieve_xdp"

/* Feed protocols a group can carry. */
enum fs_proto {
	FS_PROTO_NONE = 0,
	FS_PROTO_MOLD_ITCH = 1, /* MoldUDP64 carrying TotalView-ITCH 5.0 (message-sequenced) */
	FS_PROTO_MDP3 = 2,      /* CME MDP 3.0, SBE messages (packet-sequenced) */
	FS_PROTO_NYSE_XDP = 3,  /* NYSE XDP Integrated Feed (message-sequenced, SymbolIndex keys) */
	FS_PROTO_PITCH = 4,     /* Cboe Multicast PITCH (message-sequenced per unit, inline symbols
				 * and order ids) */
	FS_PROTO_COUNT
};

/*
 * Configuration banks. The program's configuration (groups and subscriptions) exists twice: bank
 * 0 is fs_groups_0 and fs_subs_0, bank 1 is fs_groups_1 and fs_subs_1, and every fs_instruments entry
 * holds one subscription mark per bank. The live bank is fs_bank.commits & 1. A change is written
 * into the other bank, whose maps no frame is judged by, and made live by one atomic increment of
 * fs_bank.commits: no frame is ever judged by part of the old configuration and part of the new,
 * and the maps of the live bank are never written at all (see user/lib/commit.c).
 */
#define FS_BANKS 2

struct fs_bank_state {
	__u64 commits;      /* configurations made live so far; the live bank is commits & 1 */
	__u32 next_channel; /* user space only: where the search for a fresh channel id starts */
	__u32 incarnations; /* user space only: channel ids given to a new channel so far */
	__u32 inst_next;    /* id-keyed instrument slots handed out so far (program and user space,
			     * atomic add); slot FS_LOCATE_SLOTS + inst_next is the next free one.
			     * Not added to once it reaches FS_MAX_INSTRUMENTS, so it never wraps */
	__u32 inst_indexed; /* fs_inst_index entries inserted so far, bumped after each insert: a
			     * reader that found an id absent knows to look again when it moves */
};

/* fs_groups_0 / fs_groups_1: (IPv4 destination, UDP destination port) -> group settings. */
struct fs_group_key {
	__be32 addr;
	__be16 port;
	__u16 pad; /* always 0: hashed as part of the key */
};

enum fs_group_flags {
	FS_GROUP_F_ALL_SYMBOLS = 1 << 0,    /* deliver every message, no symbol filter */
	FS_GROUP_F_DROP_MALFORMED = 1 << 1, /* drop (and count) malformed frames, do not deliver */
	FS_GROUP_F_DEFINITIONS = 1 << 2,    /* an instrument definitions feed: learn id -> symbol */
	FS_GROUP_F_SNAPSHOT = 1 << 3,       /* MDP3: the Market Recovery (snapshot) feed of its
					     * channel: every frame out of band (FS_OOB_SNAPSHOT),
					     * never sequenced; consumers join it only while an
					     * instrument of the channel needs a snapshot */
};

enum fs_line {
	FS_LINE_A = 0,
	FS_LINE_B = 1,
	FS_LINE_SNAPSHOT = 2, /* not a line: a snapshot group (FS_GROUP_F_SNAPSHOT) of its channel;
			       * the metadata tells user space a snapshot frame by it */
};

struct fs_group {
	__u8 id;      /* index into fs_group_stats, unique per interface */
	__u8 proto;   /* enum fs_proto */
	__u8 feed;    /* instrument namespace (ITCH: whose locate codes), < FS_MAX_FEEDS */
	__u8 flags;   /* enum fs_group_flags */
	__u8 channel; /* index into fs_channels / fs_windows */
	__u8 line;    /* enum fs_line; FS_LINE_SNAPSHOT for a snapshot group (FS_GROUP_F_SNAPSHOT) */
	/* PITCH: the units the group's channel takes. unit_count 0: one unit, the first one the
	 * channel sees (bound in its window). Otherwise units [unit_first, unit_first + unit_count)
	 * on channels channel + (unit - unit_first): user space reserves that many channel ids. A
	 * frame of another unit is passed untouched and counted (frames_other_unit). */
	__u8 unit_first;
	__u8 unit_count;
	/* The channel's re-request server (MoldUDP64 retransmission), 0.0.0.0:0 for none. Its
	 * responses, unicast from this address and port to a consumer's request port
	 * (fs_req_ports), are taken as frames of this group, flagged FS_META_F_RETRANSMITTED. */
	__be32 retrans_addr;
	__be16 retrans_port;
	__u16 pad; /* always 0 */
};

/*
 * fs_servers: (server IPv4 address, UDP port) -> the fs_group_key of a group that names it as
 * its re-request server. Not banked: an index to find the group; the program trusts it only when
 * the live bank's group names that very server (retrans_addr/retrans_port), so a stale entry is
 * harmless. Written by user space at commit.
 */

/*
 * fs_req_ports: UDP port (network order, in the low 16 bits of the key) -> RX queue of the
 * consumer that sends re-requests from it. Written by consumers: a response to a port no
 * consumer registered is not ours.
 */
struct fs_req_port {
	__u32 queue;
	__u32 pid;
};


/* fs_channels: written by user space only, so tools can name a channel id. Empty name: unused. */
struct fs_channel {
	char name[FS_CHANNEL_NAME_LEN];
};

/*
 * fs_windows: per channel, mmapped by consumers. See feedsieve/seqwin.h for the encoding.
 */
struct fs_channel_window {
	__u64 session;    /* generation << 48 | 48-bit hash of the session (feedsieve/seqwin.h) */
	__u64 high;       /* generation << 48 | one past the highest sequence number seen */
	__u64 last_rx_ns; /* bpf_ktime_get_coarse_ns() of the last packet on either line */
	__u64 ended_gen;  /* generation + 1 of the last session that sent end of session */
	__u64 unit;       /* PITCH: 1 + the unit this channel carries (set by the first frame), 0: none */
	__u64 orders_full_gen; /* PITCH: generation + 1 of the session in which an order of a
				* subscribed symbol could not be remembered (fs_orders full) */
	__u64 start; /* PITCH: generation << 48 | the first sequence number the program saw in
		      * that session (where the order messages' lookback stops) */
	__u64 words[FS_SEQ_WORDS];
};

/*
 * An instrument name in the one form every protocol shares: the characters, then NUL up to the
 * end (ITCH's and NYSE's space padding is removed when a name is read off the wire). Always at
 * least one NUL: bpftool prints the field as a string, and the program compares it as 3 words.
 */
struct fs_symbol {
	char name[FS_SYMBOL_LEN + 4];
};

/* fs_subs_0 / fs_subs_1 (by name) and fs_ids_0 / fs_ids_1 (by numeric instrument id, e.g. an
 * MDP3 SecurityID): subscription -> slot (index into fs_sym_stats). An instrument subscribed in a
 * bank carries slot + 1 as its mark in that bank. An id subscription wins over a name one. */
struct fs_sub {
	__u32 slot;
};

/*
 * fs_instruments: one entry per instrument the program can recognise, mmapped by user space.
 * Slots [0, FS_LOCATE_SLOTS) are ITCH locates, indexed feed * FS_LOCATES_PER_FEED + locate and
 * written when a Stock Directory passes. Slots from FS_LOCATE_SLOTS on are handed out (atomic
 * add on fs_bank.inst_next) to id-keyed instruments, found through fs_inst_index, when a
 * definition passes or user space subscribes an id. Marks are re-written by user space when a
 * subscription changes, so the per-key test is one lookup whatever the number of subscriptions.
 * A slot, once handed out, keeps its id for the life of the maps (never freed or reused): the
 * program may read an entry at any time.
 */
enum fs_instrument_flags {
	FS_INST_F_KNOWN = 1 << 0, /* its name is known (a Stock Directory / definition was seen) */
	FS_INST_F_ID = 1 << 1,    /* an id-keyed slot: id and proto are set */
};

#define FS_INST_NOT_SUBSCRIBED 0

struct fs_instrument {
	struct fs_symbol symbol;
	__u32 sub[FS_BANKS]; /* per bank: FS_INST_NOT_SUBSCRIBED or subscription slot + 1 */
	__u32 flags;         /* enum fs_instrument_flags */
	__u32 id;            /* FS_INST_F_ID: the instrument id */
	__u8 proto;          /* FS_INST_F_ID: enum fs_proto of the id's namespace */
	__u8 feed;
	__u8 pad[6];
};

/* fs_inst_index: (protocol, feed, id) -> slot in fs_instruments. Entries are only ever added. */
struct fs_inst_key {
	__u8 proto;
	__u8 feed;
	__u16 pad; /* always 0: hashed as part of the key */
	__u32 id;
};

/*
 * fs_orders (PITCH): the orders of subscribed symbols, so that the messages that name only an
 * Order ID (executions, reductions, modifications, deletions) can be matched. Added when an Add
 * Order of a subscribed symbol passes, forgotten on Delete Order and when the remaining quantity
 * reaches 0. Keyed by channel (so by group and unit) and Order ID; an entry of an older session
 * (gen differs from the channel's) counts as absent.
 */
struct fs_order_key {
	__u64 order_id;
	__u8 channel;
	__u8 pad[7]; /* always 0: hashed as part of the key */
};

struct fs_order {
	struct fs_symbol symbol;
	__u32 remaining; /* shares left on the book */
	__u16 gen;       /* session generation of the channel when the order was added */
	__u8 pad[2];
};

/*
 * Per-CPU counters, global (fs_stats, one entry) and per group (fs_group_stats). Every frame the
 * program sees ends in exactly one outcome, so
 *   frames_seen = frames_passed + frames_fragment + frames_filtered + frames_redirected
 *               + frames_no_socket + frames_malformed_dropped + frames_duplicate
 *               + frames_other_session + frames_retrans_refused.
 * frames_malformed counts malformed frames whatever their outcome (but a malformed re-request
 * response, counted only in frames_retrans_refused).
 *
 * The field list is an X-macro so the struct (and so its BTF, which bpftool prints) and every
 * user-space printer are generated from this one list: X(name, description).
 */
#define FS_COUNTER_FIELDS(X)                                                                       \
	X(frames_seen, "frames the program ran on")                                                \
	X(frames_passed, "not a configured group (or PITCH unit): passed untouched")               \
	X(frames_fragment, "IPv4 first fragment of a group: passed, the kernel reassembles")       \
	X(frames_filtered, "no subscribed message: dropped in the driver")                         \
	X(frames_redirected, "delivered to the AF_XDP socket of the RX queue")                     \
	X(frames_no_socket, "wanted but no socket on the RX queue: passed to the kernel")          \
	X(frames_malformed, "feed payload malformed (delivered flagged, or dropped)")              \
	X(frames_malformed_dropped, "malformed, and the group drops malformed frames")             \
	X(frames_walk_overflow, "more message blocks than the walk bound: delivered whole")        \
	X(heartbeats, "MoldUDP64 heartbeats (count 0), delivered")                                 \
	X(end_of_session, "MoldUDP64 end of session (count 0xFFFF), delivered")                    \
	X(frames_duplicate, "every message already brought by a line: dropped")                    \
	X(frames_first, "carried at least one message no line had brought before")                 \
	X(frames_other_session, "of a session other than the channel's, not at its start: dropped") \
	X(msgs_walked, "message blocks examined")                                                  \
	X(msgs_new, "messages no line had brought before")                                         \
	X(msgs_duplicate, "messages already brought by a line")                                    \
	X(msgs_too_late, "messages older than the reorder window: treated as duplicates")          \
	X(msgs_delivered, "new messages in frames redirected to the consumer")                     \
	X(msgs_filtered, "new messages in frames dropped as unsubscribed")                         \
	X(msgs_matched, "messages wanted (subscribed symbol, or an all-symbols group)")            \
	X(dir_learned, "directory entries (ITCH Stock Directory, MDP3 definition) new or changed") \
	X(dir_full, "definitions not learned: FS_MAX_INSTRUMENTS id-keyed slots in use")           \
	X(sessions_reset, "packet-sequenced channels restarted at sequence 1 (MDP3 reset)")                \
	X(meta_failed, "delivered without metadata (driver has no metadata area)")                 \
	X(frames_other_unit, "PITCH unit no channel of the group takes: passed (in frames_passed)")\
	X(frames_out_of_band, "outside the live sequence (PITCH unsequenced, NYSE retransmission " \
			      "or refresh): filtered or delivered, never claimed")                \
	X(orders_added, "PITCH orders of subscribed symbols remembered (fs_orders)")               \
	X(orders_removed, "remembered orders forgotten: deleted or fully executed")                \
	X(orders_full, "orders of subscribed symbols not remembered: fs_orders full")              \
	X(orders_unknown, "PITCH messages naming an order not remembered: dropped, or delivered "  \
			  "flagged when the channel's order map overflowed this session")               \
	X(frames_retransmitted, "re-request responses from a configured server to a consumer's "   \
				"request port, judged like live frames of the server's channel")     \
	X(frames_retrans_refused, "re-request responses refused: outside the holes the window "  \
				  "can have (above the high-water mark or older than half the "   \
				  "window), another RX queue than the requester's (passed), "      \
				  "malformed, or not data (dropped)")

#define FS_SYM_COUNTER_FIELDS(X)                                                                   \
	X(msgs_matched, "messages of the symbol seen in configured groups")                        \
	X(dir_seen, "directory messages (Stock Directory, definition) seen for the instrument")

#define FS_DECLARE_U64_(name, desc) __u64 name;

struct fs_counters {
	FS_COUNTER_FIELDS(FS_DECLARE_U64_)
};

/*
 * fs_chan_events: per channel, what the consumer decided (gaps need a clock and the consumer's
 * view of what it received). Written by consumers with atomic adds on the mmapped array.
 */
#define FS_CHAN_EVENT_FIELDS(X)                                                                    \
	X(msgs_delivered, "messages handed to the application, each exactly once")                 \
	X(gaps, "ranges no line brought, reported as gap events")                                  \
	X(msgs_lost, "messages in those gaps")                                                     \
	X(gaps_recovered, "gaps later filled by a late packet")                                    \
	X(msgs_recovered, "messages of gaps delivered late")                                       \
	X(stale_events, "times the channel went quiet for longer than the stale time")             \
	X(sessions, "session starts seen")                                                         \
	X(recovery_requests, "re-request packets sent to the channel's server")                    \
	X(recovery_ranges, "holes the consumer asked the server to fill")                          \
	X(recovery_filled, "sequence numbers of those holes filled before the deadline")           \
	X(recovery_unfilled, "sequence numbers the deadline left unfilled (also in msgs_lost)")    \
	X(recovery_stray, "retransmitted frames at or past the high-water mark (or of no session "  \
			  "followed): filled no hole, given back unseen by the application")

/*
 * Where the channel's consumer stands, so that a consumer started after one that died (SIGKILL,
 * crash) resumes there and reports what it missed as a gap. Positions, not counters: kept out of
 * FS_CHAN_EVENT_FIELDS so that stats and Prometheus do not sum or export them as counters.
 */
#define FS_CHAN_RESUME_FIELDS(X)                                                                   \
	X(resume_session, "fs_windows session word (generation and name hash) of resume_next")    \
	X(resume_next, "next sequence number not yet handed to the application, 0: none")         \
	X(incarnation, "commit that gave this channel id to its channel: a consumer that sees it " \
		       "change forgets what it knew of the id")

struct fs_chan_events {
	FS_CHAN_EVENT_FIELDS(FS_DECLARE_U64_)
	FS_CHAN_RESUME_FIELDS(FS_DECLARE_U64_)
};

/*
 * fs_sock_stats: per RX queue, the kernel's own counters of the consumer's AF_XDP socket
 * (XDP_STATISTICS), published by the consumer about once a second so that `feedsieve stats`, in
 * another process, can show frames the program redirected but the socket could not take.
 */
#define FS_SOCK_STAT_FIELDS(X)                                                                     \
	X(rx_dropped, "no free buffer (fill ring empty) or frame too large")                       \
	X(rx_ring_full, "RX ring full: the consumer fell behind")                                  \
	X(rx_fill_ring_empty, "times the fill ring was found empty")                               \
	X(rx_invalid_descs, "invalid descriptors")                                                 \
	X(frames, "frames the consumer took from the RX ring")                                     \
	X(mc_joins, "multicast memberships the consumer joined (IP_ADD_MEMBERSHIP)")               \
	X(mc_leaves, "memberships it left because their group was deleted")                        \
	X(mc_drift_repairs, "memberships the kernel had lost, found and joined again")             \
	X(zero_copy, "1: the socket runs in zero-copy mode, 0: copy mode")                         \
	X(published_ns, "CLOCK_MONOTONIC time of this snapshot, 0: no consumer yet")

struct fs_sock_counters {
	FS_SOCK_STAT_FIELDS(FS_DECLARE_U64_)
};

/* fs_sym_stats: per-CPU, indexed by subscription slot. */
struct fs_sym_counters {
	FS_SYM_COUNTER_FIELDS(FS_DECLARE_U64_)
};

/*
 * Handed to the AF_XDP consumer in the XDP metadata area, right in front of the frame, so user
 * space never repeats a decision the program has made. The kernel allows at most 32 bytes.
 */
#define FS_META_MAGIC 0xF5

enum fs_meta_flags {
	FS_META_F_MALFORMED = 1 << 0,     /* payload malformed: do not trust its message blocks */
	FS_META_F_OVERFLOW = 1 << 1,      /* blocks past msgs_walked were not examined */
	FS_META_F_ALL_SYMBOLS = 1 << 2,   /* every message of the frame is wanted */
	FS_META_F_HW_TS = 1 << 3,         /* rx_ts_ns is the NIC's timestamp, not bpf_ktime_get_ns() */
	FS_META_F_OUT_OF_BAND = 1 << 4,   /* not in the live sequence: hand over, do not sequence */
	FS_META_F_ORDERS_FULL = 1 << 5,   /* PITCH: messages naming orders the program does not
					   * know are wanted (order map overflowed): see orders_unknown */
	FS_META_F_ORDERS_UNDECIDED = 1 << 6, /* PITCH: order messages of this frame without a match
					      * bit were not decided by the program (their order is
					      * unknown while a sequence number before the frame is
					      * unsettled, so its Add may be in flight): user space
					      * decides them with its own order map */
	FS_META_F_RETRANSMITTED = 1 << 7, /* a re-request response (unicast from the channel's
					   * server), arbitrated like a live copy: handed over in
					   * sequence, marked retransmitted */
};

struct fs_xdp_meta {
	__u64 rx_ts_ns; /* NIC RX timestamp (FS_META_F_HW_TS), else bpf_ktime_get_ns() at delivery */
	__u64 match_bits[FS_MAX_WALK / 64];  /* bit i: instrument key i of the frame is wanted */
	__u8 magic;                          /* FS_META_MAGIC; consumers clear it on recycle */
	__u8 proto;                          /* enum fs_proto of the group */
	__u8 group_id;
	__u8 flags;       /* enum fs_meta_flags */
	__u8 msgs_walked; /* instrument keys the program examined (<= FS_MAX_WALK) */
	__u8 channel;
	__u8 line; /* enum fs_line: FS_LINE_SNAPSHOT marks a frame of a snapshot group */
	__u8 feed; /* the group's locate namespace, so user space needs no group table for it */
};

_Static_assert(sizeof(struct fs_xdp_meta) == 32, "XDP metadata is limited to 32 bytes");
_Static_assert(FS_MAX_WALK >= 64 && FS_MAX_WALK <= 255, "walk bound must fit msgs_walked");
_Static_assert(FS_MAX_GROUPS <= 256, "group ids are 8 bits in the metadata");
_Static_assert(FS_MAX_CHANNELS <= 256, "channel ids are 8 bits in the metadata");
_Static_assert(sizeof(struct fs_channel_window) % 8 == 0, "fs_windows is mmapped");
_Static_assert(sizeof(struct fs_chan_events) % 8 == 0, "fs_chan_events is mmapped");
_Static_assert(FS_BANKS == 2, "the active bank is chosen with & 1");
_Static_assert(sizeof(struct fs_instrument) % 8 == 0,
	       "fs_instruments is mmapped: its element stride must equal its size");
_Static_assert(sizeof(struct fs_symbol) % 8 == 0, "symbols are compared as words");
_Static_assert(sizeof(struct fs_order) == 32, "fs_orders values are 32 bytes");

#endif /* FEEDSIEVE_MAPS_H */
