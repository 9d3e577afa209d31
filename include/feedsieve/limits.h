/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Every size limit of feedsieve, shared by the XDP program and user space. Each can be overridden
 * at build time (-DFS_MAX_GROUPS=...), which changes map sizes; pinned maps of an older build are
 * then refused by libbpf at attach time rather than silently reused with the wrong shape.
 */
#ifndef FEEDSIEVE_LIMITS_H
#define FEEDSIEVE_LIMITS_H

/* Multicast groups (address + UDP port) one interface filters. */
#ifndef FS_MAX_GROUPS
#define FS_MAX_GROUPS 256
#endif

/*
 * Locate-code namespaces. Stock Locate codes are assigned per market (Nasdaq, BX, PSX each have
 * their own), so each group names the feed whose directory it shares.
 */
#ifndef FS_MAX_FEEDS
#define FS_MAX_FEEDS 4
#endif

/* ITCH Stock Locate is a 16-bit field: one slot per possible code and feed. */
#define FS_LOCATES_PER_FEED 65536
/* fs_instruments: the ITCH locates first (indexed directly), then the id-keyed instruments. */
#define FS_LOCATE_SLOTS (FS_MAX_FEEDS * FS_LOCATES_PER_FEED)
#define FS_INSTRUMENT_SLOTS (FS_LOCATE_SLOTS + FS_MAX_INSTRUMENTS)

/* Distinct symbols that can be subscribed at once on one interface. */
#ifndef FS_MAX_SUBS
#define FS_MAX_SUBS 65536
#endif

/*
 * Entries (and so hash buckets: the kernel rounds max_entries up to a power of two) of fs_subs_0
 * and fs_subs_1. Most lookups of a PITCH message's symbol miss, and a miss walks its whole bucket
 * chain: with FS_MAX_SUBS names in FS_MAX_SUBS buckets, a 64-message frame cost 1.18-1.22 times
 * what it cost with one name; with 16 times the buckets, 1.00-1.02 (filter_cost --quick). The
 * maps are not preallocated (user space alone writes them), so the memory is the bucket array
 * and the names really subscribed; FS_MAX_SUBS stays the limit, through the subscription slots.
 */
#define FS_SUBS_MAP_ENTRIES (16 * FS_MAX_SUBS)

/* RX queues that can have an AF_XDP consumer (size of the XSKMAP). */
#ifndef FS_MAX_QUEUES
#define FS_MAX_QUEUES 64
#endif

/*
 * fs_servers entries: every server of the live configuration (at most one per group) and every
 * server of a new one at once. The commit writes the new ones before the flip and may remove
 * the old ones only after it (a live group still names them until then), so a commit that
 * replaces every server of a full configuration needs both.
 */
#define FS_SERVERS_ENTRIES (2 * FS_MAX_GROUPS)

/* Re-request ports consumers can register at once on one interface (fs_req_ports): one per
 * consumer, so a few per RX queue. */
#ifndef FS_MAX_REQ_PORTS
#define FS_MAX_REQ_PORTS (4 * FS_MAX_QUEUES)
#endif

/*
 * Instrument keys the XDP program examines per frame: an ITCH message carries one, an MDP3
 * message one in its root or one per entry of its keyed group. A 1500-byte frame holds at most
 * 105 ITCH messages (12-byte minimum plus the 2-byte block length) and about 90 MDP3 entries
 * (16-byte volume entries), so 128 covers every standard-MTU frame; past it the frame is
 * delivered whole and flagged, and user space finishes the walk. It is also the width of the
 * per-frame match bitmap handed over in the XDP metadata: bit i is the frame's i-th key.
 */
#define FS_MAX_WALK 128

/*
 * Largest frame offset the program reads at. Packet offsets are masked with it so the verifier
 * can bound pointer arithmetic; frames longer than this are never read past it.
 */
#define FS_PKT_OFF_MASK 0x3fff

/* VLAN tags (802.1Q / 802.1ad) parsed in front of IPv4. */
#define FS_MAX_VLAN_TAGS 2

/*
 * Channels: one logical MoldUDP64 stream, carried by one or two groups (line A and line B). A group
 * added without a channel is a channel of its own, so there are never more channels than groups.
 */
#define FS_MAX_CHANNELS     FS_MAX_GROUPS
#define FS_CHANNEL_NAME_LEN 32

/*
 * Per channel, the program remembers the fate of the last FS_SEQ_WINDOW message sequence numbers
 * (unseen, claimed, filtered, delivered). It is the reorder window: a late copy is still
 * recognised as new or duplicate up to this many messages behind the newest one. It is also how
 * far the consumer may lag the program and still tell filtered from lost, so it must exceed what
 * the RX ring can hold (2048 frames of a few messages each) several times: 65536 messages cost
 * 32 KiB per channel.
 */
#ifndef FS_SEQ_WINDOW
#define FS_SEQ_WINDOW 65536
#endif

/*
 * Longest instrument name of any protocol: CME MDP 3.0 Symbol is 20 characters (ITCH's Stock is
 * 8, NYSE's 11, Cboe PITCH's 8). Names are kept in one canonical form whatever the protocol:
 * trailing padding (spaces or NULs) removed, NUL-padded to the struct size (struct fs_symbol).
 */
#define FS_SYMBOL_LEN 20

/*
 * Instruments keyed by a 32-bit id (MDP3 SecurityID, NYSE SymbolIndex) that the program
 * can remember per interface: the ones defined by a definitions feed, plus the ones subscribed by
 * id. ITCH locates do not count against it (they have their own directly indexed slots).
 */
#ifndef FS_MAX_INSTRUMENTS
#define FS_MAX_INSTRUMENTS 131072
#endif

/*
 * PITCH orders of subscribed symbols the program remembers per interface (fs_orders), so that
 * executions and deletions, which name only the Order ID, reach the subscriber. A busy Cboe unit
 * has a few hundred thousand orders open at once across all its symbols; only those of subscribed
 * symbols are kept. About 100 bytes of kernel memory each (preallocated hash map).
 */
#ifndef FS_MAX_ORDERS
#define FS_MAX_ORDERS (1 << 20)
#endif

/*
 * Entries (and so hash buckets) of fs_inst_index: NYSE SymbolIndex and MDP3 SecurityID lookups
 * mostly miss, and a miss walks its bucket's chain, as for fs_subs (FS_SUBS_MAP_ENTRIES). Not
 * preallocated: the entries are at most FS_MAX_INSTRUMENTS, bounded by the slots handed out
 * before each insert.
 */
#define FS_INST_INDEX_ENTRIES (16 * FS_MAX_INSTRUMENTS)

#endif /* FEEDSIEVE_LIMITS_H */
