/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * libfeedsieve: attach the feedsieve XDP pre-filter, change its groups and subscriptions live
 * through the pinned maps, and consume the frames it delivers from an AF_XDP socket.
 *
 * Conventions (libbpf's; docs/library.md has the rules): functions return 0 or a positive count
 * on success and a negative errno on failure; objects are opaque and named fs_object__verb();
 * options and info structs carry their size in their first field, sz, and are declared with
 * FS_OPTS(). The library prints nothing unless a print function is installed with fs_set_print().
 */
#ifndef FEEDSIEVE_H
#define FEEDSIEVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "feedsieve/limits.h"
#include "feedsieve/maps.h"
#include "feedsieve/wire_itch.h"
#include "feedsieve/wire_mdp3.h"
#include "feedsieve/symbol.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Declare struct TYPE NAME with its sz set and every field not named zero (its default):
 *   FS_OPTS(fs_group_opts, o, .feed = 1, .all_symbols = true);
 * A struct declared this way keeps working when a later feedsieve.h appends fields: a library
 * older than the header accepts it as long as the new fields are left zero (else -EINVAL), a
 * newer library reads the fields the struct lacks as zero. Padding is zeroed as well.
 */
#define FS_OPTS(TYPE, NAME, ...)                                                                   \
	struct TYPE NAME = ({                                                                      \
		memset(&NAME, 0, sizeof(struct TYPE));                                             \
		(struct TYPE){.sz = sizeof(struct TYPE), __VA_ARGS__};                             \
	})

/* ---- Logging ---- */
enum fs_print_level {
	FS_WARN,
	FS_INFO,
	FS_DEBUG, /* also enables libbpf's and libxdp's own messages */
};
typedef int (*fs_print_fn)(enum fs_print_level level, const char *fmt, va_list args);
/* Install a print function (NULL: silence). Returns the previous one. */
fs_print_fn fs_set_print(fs_print_fn fn, enum fs_print_level max_level);

/* ---- Text forms (pure functions). The parsers return 0, or -EINVAL with a one-line reason in
 * ERR that quotes the input; the printers cannot fail. ---- */
#define FS_ERR_LEN       160
#define FS_GROUP_STR_LEN 24 /* "255.255.255.255:65535" */

/* "239.1.1.1:26400" -> key. Only IPv4 multicast (224.0.0.0/4) and ports 1-65535. */
int fs_parse_group(const char *text, struct fs_group_key *key, char err[FS_ERR_LEN]);
/* A channel name: 1 to FS_CHANNEL_NAME_LEN - 1 printable ASCII characters, no spaces. */
int fs_parse_channel(const char *text, char err[FS_ERR_LEN]);
/* "A" or "B" (either case). */
int fs_parse_line(const char *text, enum fs_line *line, char err[FS_ERR_LEN]);
/* "AAPL" -> the canonical form (feedsieve/symbol.h). 1 to FS_SYMBOL_LEN printable ASCII
 * characters, no '#' or '"', inner spaces allowed ("BRK A"), none leading or trailing. */
int fs_parse_symbol(const char *text, struct fs_symbol *sym, char err[FS_ERR_LEN]);
/* A numeric instrument id (an MDP3 SecurityID is an Int32): a decimal 32-bit signed integer,
 * -2147483648 to 2147483647, kept as its 32 bits ("-1" -> 0xffffffff). */
int fs_parse_id(const char *text, __u32 *id, char err[FS_ERR_LEN]);
/* "itch" (FS_PROTO_MOLD_ITCH), "mdp3" (FS_PROTO_MDP3), "nyse-xdp" (FS_PROTO_NYSE_XDP) or
 * "pitch" (FS_PROTO_PITCH). */
int fs_parse_proto(const char *text, enum fs_proto *proto, char err[FS_ERR_LEN]);
/* A re-request server "10.0.0.1:9000": a unicast IPv4 address (not 0.0.0.0, not multicast, not
 * 255.255.255.255) and a port 1-65535, into KEY (network order, pad 0). */
int fs_parse_server(const char *text, struct fs_group_key *key, char err[FS_ERR_LEN]);
/* A PITCH unit range "FIRST" or "FIRST-LAST", 1 <= FIRST <= LAST <= 255: *FIRST, *COUNT. */
int fs_parse_units(const char *text, __u8 *first, __u8 *count, char err[FS_ERR_LEN]);
/* "itch", "mdp3", "nyse-xdp", "pitch", or "none" for a value that is no protocol. */
const char *fs_proto_str(enum fs_proto proto);
/* Inverse of the above; the symbol loses its padding. */
void fs_group_str(const struct fs_group_key *key, char out[FS_GROUP_STR_LEN]);
void fs_symbol_str(const struct fs_symbol *sym, char out[FS_SYMBOL_LEN + 1]);
/* "A" or "B"; "snapshot" for FS_LINE_SNAPSHOT (a snapshot group's: not a line). */
const char *fs_line_str(enum fs_line line);
/* MoldUDP64 session name without its padding; OUT has MOLD_SESSION_LEN + 1 bytes. */
void fs_session_str(const char session[MOLD_SESSION_LEN], char *out);
/* Write S as a JSON string literal (quotes and escapes included). */
void fs_json_str(FILE *out, const char *s);

/* ---- Attaching ---- */
enum fs_attach_mode {
	FS_MODE_AUTO = 0, /* native, falling back to skb when the driver has no native XDP */
	FS_MODE_NATIVE,
	FS_MODE_SKB,
};

/* Replace what would make attach refuse: another XDP program attached alone (no dispatcher to
 * share the interface through), or pins of another build's layout. */
#define FS_ATTACH_F_FORCE (1U << 0)

struct fs_attach_opts {
	size_t sz;                /* FS_OPTS() sets it */
	enum fs_attach_mode mode; /* default FS_MODE_AUTO */
	unsigned int flags;       /* FS_ATTACH_F_* */
};

/* What fs_attach() ended up doing; declare it with FS_OPTS() too (the library fills as many
 * fields as both it and the caller know). */
struct fs_attach_info {
	size_t sz;
	enum fs_attach_mode mode; /* native or skb */
	bool device_bound;        /* NIC RX timestamps through the XDP metadata kfunc, where the
				   * driver has them (native mode on drivers with XDP metadata) */
	bool reused_pins;         /* an earlier attachment's maps (groups, subscriptions) reused */
	bool replaced_pins;       /* FS_ATTACH_F_FORCE replaced pins of another build's layout */
	bool shared;              /* added next to other programs in libxdp's dispatcher */
	bool replaced_foreign;    /* FS_ATTACH_F_FORCE replaced another program attached alone */
	char foreign[16];         /* that other program's name ("" if none), and its id */
	__u32 foreign_id;
};
/* Load the program on IFNAME, create (or reuse) its pinned maps under FS_PIN_ROOT/IFNAME.
 * OPTS may be NULL (auto mode, no flags), so may INFO; INFO is filled on failure too. Returns 0,
 * or -ENODEV: no such interface; -EEXIST: already attached; -EBUSY: another program is attached
 * alone (INFO names it); -EPROTO: pins of another layout; -EINVAL: OPTS or INFO without sz, or
 * with fields this library does not know set; another negative errno from the kernel. */
int fs_attach(const char *ifname, const struct fs_attach_opts *opts, struct fs_attach_info *info);
/* Remove the program and its pins. -ENODEV (the pins of a deleted interface are removed
 * anyway), or -ENOENT when not attached. */
int fs_detach(const char *ifname);
/* "auto", "native" or "skb". */
const char *fs_attach_mode_str(enum fs_attach_mode mode);

/* ---- An attached interface: its pinned maps ---- */
struct fs_iface;

/* Open the pinned maps of attached interface IFNAME into *OUT. Returns 0, or -ENODEV: no such
 * interface; -ENOENT: interface not attached; -EPROTO: pins of another build's layout; -EPERM or
 * -EACCES: not privileged; -EXDEV: /sys/fs/bpf is not bpffs here; -ENOMEM. */
int fs_iface__open(const char *ifname, struct fs_iface **out);
/* Release IFACE (NULL is a no-op); a lock it holds is released too. */
void fs_iface__close(struct fs_iface *iface);
/* The interface's name, as given to fs_iface__open(). */
const char *fs_iface__name(const struct fs_iface *iface);
/* Serialise changes with other processes (flock on the pin directory). Nests: every mutating
 * call below takes it too, so a caller may hold it across several changes. Returns 0 or a
 * negative errno of flock(). */
int fs_iface__lock(struct fs_iface *iface);
void fs_iface__unlock(struct fs_iface *iface);

/* Groups and channels. A channel is one sequenced stream (a MoldUDP64 session, an MDP3 channel, a
 * NYSE XDP channel, a PITCH unit) carried by one group (line A) or two (lines A and B) of one
 * protocol and feed; the program delivers the first copy of every message (MDP3: packet) and
 * drops the other. */
struct fs_group_opts {
	size_t sz;           /* FS_OPTS() sets it */
	bool all_symbols;
	bool drop_malformed;
	__u8 feed;           /* < FS_MAX_FEEDS; both lines of a channel share it */
	const char *channel; /* NULL: a channel of its own, named after the group */
	enum fs_line line;
	enum fs_proto proto; /* what the group carries; 0: FS_PROTO_MOLD_ITCH */
	bool definitions;    /* FS_PROTO_MDP3 only: an instrument definitions feed, whose
			      * definitions teach the program id -> symbol (FS_GROUP_F_DEFINITIONS) */
	/* FS_PROTO_PITCH only: the units [unit_first, unit_first + unit_count) the channel takes,
	 * each on a channel id of its own (all named by the channel's name). unit_count 0: one
	 * unit, the first one the channel sees. Both lines of a channel name the same units. */
	__u8 unit_first;
	__u8 unit_count;
	/* The channel's MoldUDP64 re-request server (addr 0: none; fs_parse_server()). Lines of a
	 * channel that name one name the same. */
	struct fs_group_key retransmit;
	/* FS_PROTO_MDP3 only: the Market Recovery (snapshot) feed of channel `channel` (which
	 * must be named): never a line, never sequenced, joined by consumers only while an
	 * instrument of the channel waits for its snapshot (FS_GROUP_F_SNAPSHOT). */
	bool snapshot;
};
struct fs_group_info {
	struct fs_group_key key;
	struct fs_group value;
};
/* Add group KEY (OPTS may be NULL: all defaults) and commit. Returns 0, or -EEXIST: group
 * already configured; -ENOSPC: FS_MAX_GROUPS groups or FS_MAX_CHANNELS channels reached;
 * -EINVAL: bad feed, line or channel name, not the feed, protocol or units of the channel's other
 * line, definitions on a group other than MDP3, units on a group other than PITCH, or bad OPTS;
 * a retransmit server that is not unicast with a port, or that another line of the channel names
 * differently, or another channel names; snapshot on a group other than MDP3, without a channel,
 * or with a line B, definitions or a server; -EBUSY: the channel already has that line (or a
 * snapshot group); -EOPNOTSUPP: a protocol not supported, or a retransmit server on a group
 * other than MoldUDP64 (its re-request service is not covered yet); or a
 * system error of the lock or the commit. Nothing changed on error. ERR (may be NULL) receives
 * the configuration's one-line reason when it refused the group, without the interface's name
 * ("group 239.1.1.1:26400 is already configured"), and is "" otherwise (the errno says all). */
int fs_group__add(struct fs_iface *iface, const struct fs_group_key *key,
		  const struct fs_group_opts *opts, char err[FS_ERR_LEN]);
/* Remove group KEY and commit. Returns 0, or -ENOENT: no such group; or an error of the lock
 * or the commit. */
int fs_group__del(struct fs_iface *iface, const struct fs_group_key *key);
/* Fills up to MAX groups sorted by address and port; returns how many there are (possibly more
 * than MAX), or a negative errno of the map reads (-EAGAIN: commits kept racing the read). */
int fs_group__list(struct fs_iface *iface, struct fs_group_info *out, size_t max);
/* Name of channel ID ("" when unused); OUT has FS_CHANNEL_NAME_LEN bytes. */
void fs_channel__name(const struct fs_iface *iface, __u8 id, char *out);

/* Subscriptions, by name (fs_subs_0/1) or by numeric instrument id (fs_ids_0/1, e.g. an MDP3
 * SecurityID). Both kinds take their counter slot from the same FS_MAX_SUBS slots. Every call
 * changes all of its keys or nothing. */
enum fs_sub_kind {
	FS_SUB_SYMBOL = 0,
	FS_SUB_ID = 1,
};
struct fs_sub_info {
	struct fs_symbol symbol; /* FS_SUB_SYMBOL; zero for an id */
	__u32 slot;
	enum fs_sub_kind kind;
	__u32 id; /* FS_SUB_ID: the id's 32 bits (print it as an __s32) */
};
/* Subscribe SYMS and commit; already-subscribed symbols are kept as they are. Returns 0, or
 * -ENOSPC: FS_MAX_SUBS would be exceeded; or an error of the lock or the commit. */
int fs_sub__add(struct fs_iface *iface, const struct fs_symbol *syms, size_t n);
/* Unsubscribe SYMS and commit. Returns 0, or -ENOENT (and *MISSING set to its index) when one
 * of SYMS is not subscribed; or an error of the lock or the commit. */
int fs_sub__del(struct fs_iface *iface, const struct fs_symbol *syms, size_t n, size_t *missing);
/* Subscribe IDS and commit; already-subscribed ids are kept. An id is wanted on every group
 * whose protocol keys instruments by id (MDP3), with or without a definition seen: the commit
 * gives it an fs_instruments slot per such protocol and feed configured. Returns 0, or -ENOSPC:
 * FS_MAX_SUBS subscriptions, or FS_MAX_INSTRUMENTS id-keyed instruments, would be exceeded
 * (nothing changed); or an error of the lock or the commit. */
int fs_sub__add_ids(struct fs_iface *iface, const __u32 *ids, size_t n);
/* Unsubscribe IDS and commit. Returns 0, or -ENOENT (and *MISSING set to its index) when one of
 * IDS is not subscribed; or an error of the lock or the commit. */
int fs_sub__del_ids(struct fs_iface *iface, const __u32 *ids, size_t n, size_t *missing);
/* Fills up to MAX subscriptions, the names sorted by symbol, then the ids sorted as signed
 * numbers; returns how many there are, or a negative errno as fs_group__list(). */
int fs_sub__list(struct fs_iface *iface, struct fs_sub_info *out, size_t max);

/*
 * Configurations: the whole desired state of an interface (groups, channels, subscriptions),
 * made live atomically. The program reads its configuration from one of two banks; a commit
 * writes the other bank and then switches the program to it with one atomic increment, so no
 * frame is ever judged by part of the old configuration and part of the new, and a commit
 * interrupted at any point (even by SIGKILL) leaves the old configuration live. The group and
 * subscription calls above are commits too.
 *
 * The text form, one directive per line, '#' starts a comment:
 *   interface eth1
 *   mode auto|native|skb                      (used when the interface must be attached)
 *   group ADDR:PORT [proto itch|mdp3|nyse-xdp|pitch] [channel NAME] [line A|B] [feed N]
 *         [all-symbols] [drop-malformed] [definitions] [units FIRST[-LAST]]
 *                                             (one line; proto itch is the default; definitions:
 *                                             mdp3 only; units: pitch only)
 *   symbols SYMBOL [SYMBOL...]                (a name with spaces in double quotes: "BRK A")
 *   ids ID [ID...]                            (numeric instrument ids, 32-bit signed)
 */
struct fs_config;

/* An empty configuration (no interface, auto mode), or NULL when out of memory. */
struct fs_config *fs_config__new(void);
/* NULL is a no-op. */
void fs_config__free(struct fs_config *cfg);
/* Parse the text form from IN; NAME (the file name) prefixes errors: "NAME:LINE: reason". */
int fs_config__parse(FILE *in, const char *name, struct fs_config **out, char err[FS_ERR_LEN]);
/* The text form, canonical: groups by address, symbols sorted, defaults left out. Returns 0, or
 * -EIO when writing OUT failed. */
int fs_config__print(const struct fs_config *cfg, FILE *out);
/* Print what changes from FROM to TO ("+ group ...", "- group ...", "~ group ...",
 * "+ symbols ...", "- symbols ...", "~ interface/mode"); returns the number of differences. */
int fs_config__print_diff(const struct fs_config *from, const struct fs_config *to, FILE *out);

const char *fs_config__ifname(const struct fs_config *cfg); /* "" when not set */
/* 0, or -EINVAL: empty, or IF_NAMESIZE characters or more. */
int fs_config__set_ifname(struct fs_config *cfg, const char *ifname);
/* The mode to attach in when the interface is not attached yet (FS_MODE_AUTO by default). */
enum fs_attach_mode fs_config__mode(const struct fs_config *cfg);
/* Is SYM one of CFG's subscriptions? */
bool fs_config__has_symbol(const struct fs_config *cfg, const struct fs_symbol *sym);
/* Is ID one of CFG's subscriptions by id? */
bool fs_config__has_id(const struct fs_config *cfg, __u32 id);

/* Apply one change written as the CLI writes it, "sub add|del SYMBOL...", "sub add|del --id
 * ID..." or "group add|del ADDR:PORT [proto itch|mdp3|nyse-xdp|pitch] [channel NAME] [line A|B]
 * [feed N] [all-symbols] [drop-malformed] [definitions] [units FIRST[-LAST]]" (the words of the configuration's group line),
 * to CFG (in memory). A symbol with spaces is written in double quotes. Returns 1 when the line
 * is a change, 0 for a blank or comment line, or a negative errno with ERR set; CFG is unchanged
 * on error. */
int fs_config__edit(struct fs_config *cfg, const char *line, char err[FS_ERR_LEN]);

/* The live configuration of an attached interface, into a new *OUT (free it with
 * fs_config__free()). Returns 0, or -ENOMEM, or a negative errno of the map reads. */
int fs_config__read(struct fs_iface *iface, struct fs_config **out);
/* Make CFG (its groups and symbols; its interface name and mode are not looked at) the live
 * configuration of IFACE, atomically. -ENOSPC: the live configuration and CFG together need
 * more than FS_MAX_GROUPS group ids or FS_MAX_SUBS subscription slots (apply in two steps). */
int fs_config__commit(struct fs_iface *iface, const struct fs_config *cfg);
/* Configurations made live on IFACE so far (by any process): cheap, no system call, no error. */
__u64 fs_iface__commits(const struct fs_iface *iface);

/* The instrument directory: ITCH locates the program learned from Stock Directory messages, and
 * id-keyed instruments (MDP3 SecurityIDs) learned from definitions or subscribed by id. */
struct fs_dir_entry {
	__u8 feed;
	__u16 locate; /* FS_PROTO_MOLD_ITCH */
	struct fs_symbol symbol;
	bool subscribed;
	enum fs_proto proto;
	__u32 id;          /* FS_PROTO_MOLD_ITCH: the locate; else the instrument id */
	bool symbol_known; /* false: an id subscribed before its definition was seen */
};
/* Calls FN for every entry: the ITCH locates in (feed, locate) order, then the id-keyed
 * instruments in the order they were added; stops early if FN returns non-zero and returns
 * that value. */
int fs_directory__foreach(struct fs_iface *iface,
			  int (*fn)(const struct fs_dir_entry *e, void *ctx), void *ctx);

/* Counters, summed over CPUs, into *OUT. Each returns 0 or a negative errno of the map read
 * (-ENOENT: no such group id, slot or channel). */
int fs_stats__global(struct fs_iface *iface, struct fs_counters *out);
int fs_stats__group(struct fs_iface *iface, __u8 group_id, struct fs_counters *out);
int fs_stats__symbol(struct fs_iface *iface, __u32 slot, struct fs_sym_counters *out);
/* What consumers decided about channel ID: gaps, recoveries, staleness. */
int fs_stats__channel(struct fs_iface *iface, __u8 id, struct fs_chan_events *out);

/* ---- Consuming delivered frames ---- */
struct fs_consumer;

struct fs_consumer_opts {
	size_t sz;        /* FS_OPTS() sets it */
	__u32 queue;      /* RX queue */
	__u32 rx_size;    /* RX ring entries (power of two); 0: default */
	__u32 fill_size;  /* fill ring entries; 0: twice the RX ring */
	__u32 num_frames; /* UMEM frames; 0: the fill ring size */
	__u32 batch;      /* descriptors taken per poll; 0: default */
	bool sleep;       /* wait in poll() when idle instead of busy-polling */
	__u64 gap_grace_ns; /* how long a hole may wait for the slower line; 0: 5 ms */
	__u64 stale_ns;     /* a channel with no packet for this long is stale; 0: 2 s */
	__u32 frame_size;   /* UMEM frame size, 2048 or 4096; 0: 4096 */
	bool hugepages;     /* back the UMEM with huge pages (vm.nr_hugepages must provide them) */
	enum fs_xsk_mode {
		FS_XSK_AUTO = 0, /* zero-copy where the driver supports it, else copy */
		FS_XSK_COPY,
		FS_XSK_ZEROCOPY, /* fail rather than fall back */
	} xsk_mode;
	__u32 busy_poll_us;     /* SO_BUSY_POLL on the socket; 0: not set */
	__u32 busy_poll_budget; /* SO_BUSY_POLL_BUDGET; 0: the batch size */
	bool no_prefer_busy_poll; /* do not set SO_PREFER_BUSY_POLL (set with busy_poll_us) */
	/* How long a hole of a channel with a re-request server may wait for the server's answer,
	 * from when it was seen, before what is still missing is a gap; 0: 1 s. */
	__u64 recovery_deadline_ns;
};

struct fsi_group_table;

/* What a frame says about its sequence numbers. */
enum fs_frame_kind {
	FS_FRAME_DATA = 0,       /* messages of [seq, seq + seq_count) */
	FS_FRAME_HEARTBEAT,      /* no message; seq: the next sequence number the publisher sends */
	FS_FRAME_END_OF_SESSION, /* no message; seq: the next sequence number; the session ends */
	FS_FRAME_OUT_OF_BAND,    /* messages outside the live sequence (out_of_band says which):
				  * handed over at once, never sequenced, never a gap */
};

/* Why a frame is outside its channel's live sequence (FS_FRAME_OUT_OF_BAND). */
enum fs_out_of_band {
	FS_OOB_NONE = 0,
	FS_OOB_UNSEQUENCED,   /* PITCH: HdrSequence 0 */
	FS_OOB_RETRANSMITTED, /* NYSE DeliveryFlag 13 or 15: a retransmission */
	FS_OOB_REFRESH,       /* NYSE DeliveryFlag 17-20: a refresh */
	FS_OOB_UNAVAILABLE,   /* NYSE DeliveryFlag 21: messages that cannot be retransmitted */
	FS_OOB_SNAPSHOT,      /* MDP3: a packet of the channel's snapshot (Market Recovery) group */
};

/* Longest session name of any protocol (MoldUDP64: MOLD_SESSION_LEN). */
#define FS_SESSION_NAME_LEN 16

/*
 * One delivered frame, as the program classified it. Its protocol's sequence numbers are
 * [seq, seq + seq_count): a MoldUDP64 packet (message-sequenced) covers one per message, an MDP3
 * packet (packet-sequenced) exactly one, its MsgSeqNum.
 */
struct fs_frame {
	const __u8 *data;
	__u32 len;
	struct fs_group_key group;
	enum fs_proto proto; /* the framing decoded (enum fs_proto) */
	enum fs_frame_kind kind;
	__u8 feed;
	bool feed_known;     /* false: group not known yet; symbols of key-only messages unknown */
	__u8 channel;
	__u8 line;
	__u8 meta_flags;     /* enum fs_meta_flags */
	bool has_meta;       /* false: the driver kept no metadata; user space decided instead */
	bool malformed;      /* do not trust the message blocks */
	__u64 rx_ts_ns;      /* the NIC's RX timestamp when rx_ts_hw, else CLOCK_MONOTONIC when the
			      * program delivered the frame (0 without metadata) */
	bool rx_ts_hw;
	__u64 seq;           /* first sequence number the frame covers */
	__u32 seq_count;     /* sequence numbers it covers (0 for heartbeat and end of session) */
	/* The session: session_hash is its identity (fs_session_hash(): Mold, of the session name;
	 * MDP3, of SendingTime as 8 little-endian bytes in a packet with MsgSeqNum 1). A frame
	 * that does not name its session (session_named false: MDP3 past MsgSeqNum 1) belongs to
	 * its channel's current one. */
	bool session_named;
	__u64 session_hash;
	/* The protocol's session name, as on the wire (padding kept; fs_session_str() for Mold), of
	 * session_len bytes: 10 for MoldUDP64, 0 for MDP3, which has none. */
	char session[FS_SESSION_NAME_LEN];
	__u8 session_len;
	__u64 sending_time;  /* MDP3 SendingTime (ns since the Unix epoch); 0 for Mold */
	/* PITCH: the unit of the frame's Sequenced Unit Header (its channel carries that unit). */
	bool has_unit;
	__u8 unit;
	__u8 delivery_flag;  /* NYSE DeliveryFlag as on the wire; 0 for other protocols */
	__u8 out_of_band;    /* enum fs_out_of_band: why a FS_FRAME_OUT_OF_BAND frame is one */
	/* A re-request response from the channel's server (FS_META_F_RETRANSMITTED), sequenced
	 * like a live frame; its messages are handed over marked (fs_event.retransmitted). */
	bool retransmitted;
	/* private to the decoder and the iterators */
	__u32 nmsgs_;        /* messages in the frame (NYSE, PITCH) */
	const struct fs_xdp_meta *meta_;
	__u32 payload_off_, payload_end_;
	const struct fsi_group_table *groups_; /* decides for frames without metadata */
};

/*
 * One delivered message of a frame. ITCH: a subscribed message, about the instrument of its
 * locate. NYSE XDP: a subscribed message (key = its SymbolIndex, where the type has one), or a
 * control message (sequence reset, time reference, refresh header, unavailable). PITCH: a
 * message of a subscribed symbol (inline, or the remembered symbol of the order it names), or a
 * control message (Time, Unit Clear, End of Session, Trade Break). MDP3: a message with at least one subscribed instrument key, about no instrument
 * (ChannelReset, AdminHeartbeat), or any message on an all-symbols group; its subscribed
 * instruments come from the entry iterator below.
 */
struct fs_msg {
	__u64 seq;        /* the message's sequence number (MDP3: its packet's MsgSeqNum; PITCH
			   * unsequenced: 0) */
	__u16 type;       /* ITCH: the message type character; MDP3: the SBE TemplateID; NYSE,
			   * PITCH: the message type */
	const __u8 *body; /* ITCH: the message, type byte first; MDP3: the whole message, MsgSize
			   * and SBE header first, len = MsgSize */
	__u16 len;
	/* The instrument of a message with one key (ITCH: every message, key = Stock Locate;
	 * MDP3: templates with SecurityID in the root, key = its bits, (__s32)key; NYSE: types
	 * with a SymbolIndex, key = it). */
	bool has_key;
	__u32 key;
	bool symbol_known;
	struct fs_symbol symbol;
	/* PITCH: the Order ID of Add Order, order and trade messages. */
	bool has_order_id;
	__u64 order_id;
	/* PITCH: a message naming an order neither the program nor the library knows, handed over
	 * because the program's order map overflowed (FS_META_F_ORDERS_FULL): its symbol is not
	 * known, it may not be subscribed. */
	bool order_unknown;
	/* private to the entry iterator */
	const struct fs_frame *frame_;
	__u32 first_key_;  /* index of the message's first instrument key in the frame */
	__u32 entries_off_; /* frame offset of the keyed group's first entry (MDP3 entry keys) */
	__u16 entry_len_;   /* its blockLength */
	__u8 nkeys_;
	__u8 key_off_, rpt_seq_off_;
	bool root_key_;     /* the one key sits in the root (at entries_off_) */
};

struct fs_msg_iter {
	const struct fs_frame *frame;
	__u32 off;   /* frame offset of the next message */
	__u32 index; /* its index in the frame */
	__u32 key;   /* index of its first instrument key */
};

/*
 * One subscribed instrument of an MDP3 message (fs_entry_iter): an entry of the template's keyed
 * repeating group (MDIncrementalRefreshBook and the like: one per instrument updated), or the
 * root of a template keyed in its root (definitions, SecurityStatus).
 */
struct fs_entry {
	__s32 security_id;
	bool has_rpt_seq; /* the template has RptSeq */
	__u32 rpt_seq;
	bool symbol_known; /* its definition was seen (or the message is the definition) */
	struct fs_symbol symbol;
	const __u8 *body; /* the entry (its group's blockLength bytes), or the root block */
	__u16 len;
	__u8 index;       /* its index in the group (0 for a root key) */
};

struct fs_entry_iter {
	const struct fs_msg *msg;
	__u32 index;
};

/* Creates UMEM and socket on IFNAME's queue, registers it in the program's XSKMAP and joins the
 * multicast groups configured on the interface. It also opens the UDP socket its re-requests
 * leave from (gap recovery, for channels that name a server) and registers its port in the
 * interface's fs_req_ports. OPTS may be NULL (queue 0, every default).
 * Returns 0, or -ENOENT: not attached; -EBUSY: the queue already has a consumer; -EINVAL: bad
 * OPTS (queue, frame size, sz); -ENOMEM (with hugepages: none free); another negative errno of
 * the socket's setup. (A re-request socket that cannot be set up is a warning, not an error:
 * the channels that name a server report gaps as without one.) */
int fs_consumer__create(const char *ifname, const struct fs_consumer_opts *opts,
			struct fs_consumer **out);
/* Leave the groups, unregister and close the socket, free the UMEM. NULL is a no-op. */
void fs_consumer__destroy(struct fs_consumer *c);
typedef int (*fs_frame_fn)(const struct fs_frame *frame, void *ctx);
/* Takes up to one batch of frames and calls FN for each; returns the number of frames, or the
 * first non-zero value FN returned (the frames of the batch are recycled either way). */
int fs_consumer__poll(struct fs_consumer *c, fs_frame_fn fn, void *ctx);
/* Join groups added since the consumer started (and forget removed ones), and follow the
 * channels' re-request servers. Cheap; call it every second or so from the polling thread.
 * Returns 0, or an error of fs_group__list(), or the first join error (the other groups are
 * still joined; the next call retries). A re-request socket that cannot be set up is warned
 * about and tried again at the next call; meanwhile those channels report gaps. */
int fs_consumer__sync_groups(struct fs_consumer *c);
/* The kernel's counters of the socket (XDP_STATISTICS): frames redirected to it but lost. */
struct fs_socket_stats {
	__u64 rx_dropped;            /* no free buffer (fill ring empty), or frame too large */
	__u64 rx_ring_full;          /* the RX ring was full: the consumer fell behind */
	__u64 rx_fill_ring_empty;    /* no free buffer in the fill ring */
	__u64 rx_invalid_descs;
};
/* 0, or the negative errno of getsockopt(XDP_STATISTICS). */
int fs_consumer__socket_stats(struct fs_consumer *c, struct fs_socket_stats *out);
/* Did the socket bind in zero-copy mode? */
bool fs_consumer__zero_copy(const struct fs_consumer *c);
/* The last counters a consumer published for QUEUE. */
int fs_stats__socket(struct fs_iface *iface, __u32 queue, struct fs_sock_counters *out);

/*
 * Sequenced consumption. For every channel, the consumer hands the application each subscribed
 * message exactly once and in sequence order, whichever line brought it, together with what it
 * needs to trust the stream: a range that the program filtered out is skipped silently, a range
 * that no line brought becomes a gap event once the other line had its grace time (or the
 * reorder window passed it), and a gap later filled by a late packet is reported as recovered.
 */
enum fs_event_type {
	FS_EV_MESSAGE,        /* msg: a subscribed message */
	FS_EV_GAP,            /* [from, from + count) brought by no line (sequence numbers of the
			       * protocol: MDP3 packets, Mold messages) */
	FS_EV_GAP_RECOVERED,  /* [from, from + count) of an earlier gap arrived late; its wanted
			       * messages follow as FS_EV_MESSAGE with late set */
	FS_EV_HEARTBEAT,      /* from: the next sequence number the publisher will send */
	FS_EV_END_OF_SESSION, /* from: the next sequence number */
	FS_EV_SESSION,        /* a session starts (or the consumer joins it) at sequence from */
	FS_EV_STALE,          /* no packet on any line of the channel for idle_ns */
	FS_EV_MALFORMED,      /* frame: a malformed frame, not sequenced */
	FS_EV_RECOVERY,       /* the hole [from, from + count) the consumer asked the channel's
			       * server to fill is settled: filled of its sequence numbers were
			       * filled (the rest were reported as FS_EV_GAP), elapsed_ns after the
			       * hole was seen */
	FS_EV_SNAPSHOT,       /* MDP3: msg is the SnapshotFullRefresh of an instrument that lost
			       * updates (security_id); its incrementals resume after it */
};

struct fs_event {
	enum fs_event_type type;
	__u32 queue; /* RX queue of the consumer that produced it */
	__u8 channel;
	const char *channel_name;
	enum fs_proto proto;          /* of the channel: says how to read session and msg */
	char session[FS_SESSION_NAME_LEN]; /* the session's name as in fs_frame (Mold: 10 bytes) */
	__u8 session_len;                  /* 0: the protocol names no session (MDP3) */
	__u64 session_hash;                /* the session's identity (fs_frame.session_hash) */
	const struct fs_frame *frame; /* the frame behind a message or frame event, else NULL */
	const struct fs_msg *msg;     /* FS_EV_MESSAGE */
	__u64 from;
	__u64 count;
	__u64 idle_ns;
	bool late; /* FS_EV_MESSAGE: after its gap was reported */
	bool retransmitted; /* FS_EV_MESSAGE: brought by the re-request server (frame->retransmitted) */
	__u64 filled;       /* FS_EV_RECOVERY */
	__u64 elapsed_ns;   /* FS_EV_RECOVERY */
	/* FS_EV_GAP of an MDP3 channel: the subscribed instruments (SecurityIDs) that lost updates
	 * (from RptSeq); FS_EV_SNAPSHOT: the one instrument. NULL when none. */
	const __s32 *instruments;
	__u32 ninstruments;
	/* PITCH: the unit the channel carries (sequence numbers are per unit). */
	bool has_unit;
	__u8 unit;
};

typedef int (*fs_event_fn)(const struct fs_event *ev, void *ctx);
/* Like fs_consumer__poll(), but sequenced: calls FN for every event, in order per channel.
 * Returns the number of frames taken, or the first non-zero value FN returned. */
int fs_consumer__poll_events(struct fs_consumer *c, fs_event_fn fn, void *ctx);

/*
 * Several RX queues: one consumer per queue, each in its own busy-polling thread, optionally
 * pinned to a CPU. FN is called from those threads (events of one channel come from one thread:
 * both lines of a channel must arrive on one queue). Each thread also follows group changes and
 * publishes its socket counters about once a second.
 */
struct fs_consumer_set;
/* One consumer per queue of QUEUES (N of them), each with OPTS (may be NULL) but its queue.
 * CPUS may be NULL (no pinning) or hold N CPU numbers. Returns 0, or -EINVAL when N is 0, or the
 * first error of fs_consumer__create() (the consumers created are destroyed again). */
int fs_consumer_set__create(const char *ifname, const __u32 *queues, const int *cpus, size_t n,
			    const struct fs_consumer_opts *opts, struct fs_consumer_set **out);
/* Start the threads. Returns 0, or the negated error of pthread_create() (the threads already
 * started are stopped again). */
int fs_consumer_set__start(struct fs_consumer_set *s, fs_event_fn fn, void *ctx);
/* Ask the threads to stop and wait for them; returns the first error a thread hit, or 0. */
int fs_consumer_set__stop(struct fs_consumer_set *s);
/* Stops the threads if they run, and destroys the consumers. NULL is a no-op. */
void fs_consumer_set__destroy(struct fs_consumer_set *s);
/* The number of consumers (N of fs_consumer_set__create()), and consumer I < that number. */
size_t fs_consumer_set__count(const struct fs_consumer_set *s);
struct fs_consumer *fs_consumer_set__consumer(struct fs_consumer_set *s, size_t i);
/* Why the threads stopped on their own, or 0 while they run: -ENETDOWN or -ENODEV (the
 * interface went away), -ESTALE (feedsieve was detached from it), or a polling error. */
int fs_consumer_set__error(const struct fs_consumer_set *s);

/* Capabilities, as a mask of bits 1 << CAP_*: keep only KEEP in this thread (and the threads it
 * starts afterwards), and make sure none of the others can come back (bounding set, secure bits,
 * no_new_privs). FS_CAP_CONSUMER is what a running consumer still uses: CAP_BPF, for bpf() on
 * kernels with unprivileged BPF disabled (group sync and socket counters). */
#define FS_CAP_CONSUMER (1ULL << 39 /* CAP_BPF */)
/* Returns 0 or the negative errno of the prctl()/capset() that failed. */
int fs_drop_capabilities(__u64 keep);

/* Iterate the delivered messages of FRAME (none for a malformed frame, a heartbeat or an end of
 * session): fs_msg_iter__next() fills *MSG and returns true, or returns false after the last
 * one. MSG stays valid, and its entries iterable, while FRAME is. */
void fs_msg_iter__init(struct fs_msg_iter *it, const struct fs_frame *frame);
bool fs_msg_iter__next(struct fs_msg_iter *it, struct fs_msg *msg);
/* Iterate the subscribed instruments of MSG, in wire order (every one on an all-symbols group):
 * the keyed group's entries, or the root key, of an MDP3 message; none for ITCH (the message's
 * own key is MSG's) and for messages about no instrument. */
void fs_entry_iter__init(struct fs_entry_iter *it, const struct fs_msg *msg);
bool fs_entry_iter__next(struct fs_entry_iter *it, struct fs_entry *entry);

/* Pure frame decoding, usable without a consumer (tests, replay): classify a raw frame as the
 * XDP program would, given its metadata (or NULL). The protocol is the metadata's; without
 * metadata (or with FS_PROTO_NONE in it) the one FRAME->proto holds when called (0: MoldUDP64).
 * Returns 0, or -EINVAL when the frame is not a UDP/IPv4 datagram at all. */
int fs_frame__decode(struct fs_frame *frame, const __u8 *data, __u32 len,
		     const struct fs_xdp_meta *meta);

/*
 * Replay: what the program would deliver from recorded frames, offline. A private copy of the
 * program (nothing attached, nothing pinned, no interface) runs on each frame with
 * BPF_PROG_TEST_RUN, and the frames it delivers go through the same sequencing as
 * fs_consumer__poll_events(), on the capture's clock (docs/replay.md). Needs CAP_BPF.
 */
struct fs_replay;

enum fs_replay_verdict {
	FS_REPLAY_PASSED,    /* not for feedsieve, or left to the kernel (XDP_PASS) */
	FS_REPLAY_DROPPED,   /* XDP_DROP: filtered, duplicate, another session, malformed */
	FS_REPLAY_DELIVERED, /* to the consumer: its events went to FN */
	FS_REPLAY_NOT_RUN,   /* shorter than an Ethernet header, or longer than the 3520 bytes a
			      * test run takes: a frame no XDP program sees live */
};

/* Load the program and make CFG live in its private maps. OPTS (may be NULL): only gap_grace_ns
 * and stale_ns are used. -EPERM without CAP_BPF; -EINVAL: OPTS without its sz (FS_OPTS()). */
int fs_replay__create(const struct fs_config *cfg, const struct fs_consumer_opts *opts,
		      struct fs_replay **out);
void fs_replay__destroy(struct fs_replay *r);
/* Run one frame, captured at TS_NS (ns, any epoch; frames in capture order), through the
 * program; *VERDICT says what it did. Events (of this frame, and the decisions its arrival
 * time brings) go to FN. Returns 0, the first non-zero value FN returned, or -errno. */
int fs_replay__frame(struct fs_replay *r, const void *data, __u32 len, __u64 ts_ns,
		     fs_event_fn fn, void *ctx, enum fs_replay_verdict *verdict);
/* The capture ended: every hole still open becomes a gap, every held frame is handed over. */
int fs_replay__finish(struct fs_replay *r, fs_event_fn fn, void *ctx);
/* The private maps, for fs_stats__*() and fs_directory__foreach(). */
struct fs_iface *fs_replay__iface(struct fs_replay *r);

#ifdef __cplusplus
}
#endif

#endif /* FEEDSIEVE_H */
