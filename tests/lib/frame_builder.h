/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Builds test frames from a declarative description: Ethernet, VLAN tags, IPv4 (options, fragment
 * bits, length faults) or IPv6/ARP, UDP, and a MoldUDP64 packet of ITCH 5.0 message blocks, a
 * CME MDP 3.0 packet of SBE messages or a NYSE XDP Integrated Feed packet. The
 * one frame builder of the tree: the BPF fixtures, the fuzzer, the unit tests and the benchmark
 * frames (bench/frames.c) all build their frames here.
 *
 * Header layouts and the ITCH Stock offsets are written here from the public specifications
 * (docs/wire/), not taken from include/feedsieve/wire_itch.h, which the program reads them
 * from: a wrong offset in the shared header cannot hide in both the program and its fixtures.
 * Message lengths do come from wire_itch.h (itch_msg_len()): the program never uses them.
 * Likewise the MDP3 layouts (root and entry sizes, where SecurityID, RptSeq and Symbol sit, the
 * group headers of each template) are written here from /work/shared/protocols/mdp3.md
 * (docs/wire/mdp3.md), not taken from include/feedsieve/wire_mdp3.h, whose table the program
 * reads: a wrong row there shows as a failing fixture. The NYSE XDP sizes and SymbolIndex offsets
 * are written here from /work/shared/protocols/nyse-xdp.md (docs/wire/nyse-xdp.md), not taken
 * from include/feedsieve/wire_nyse.h.
 */
#ifndef FEEDSIEVE_TESTS_FRAME_BUILDER_H
#define FEEDSIEVE_TESTS_FRAME_BUILDER_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#define FB_ETH_ARP  0x0806
#define FB_ETH_IPV6 0x86DD
#define FB_TPID_Q   0x8100 /* 802.1Q */
#define FB_TPID_AD  0x88A8 /* 802.1ad (outer tag of Q-in-Q) */
#define FB_IP_DF    0x4000
#define FB_IP_MF    0x2000
#define FB_MAX_TAGS 3

/* MoldUDP64 header of a frame that does not say otherwise. */
#define FB_SESSION     "FSTEST0001"
#define FB_SESSION_LEN 10
#define FB_DEFAULT_SEQ 1000ULL

/*
 * Largest frame the tests build. BPF_PROG_TEST_RUN for XDP puts the first
 * 4096 - XDP_PACKET_HEADROOM (256) - sizeof(struct skb_shared_info) bytes in the linear area the
 * program can read (3520 on x86-64 with kernel 6.18, checked at run time by the harness through
 * ctx_out.data_end); the rest would go to fragments a non-frags program never sees.
 */
#define FB_MAX_FRAME 3520

/* One message block. Unset fields take the ITCH 5.0 defaults of the type. */
struct fb_msg {
	char type;
	__u16 locate;
	const char *symbol; /* written at the type's Stock offset if the message holds it */
	bool set_len;	    /* message bytes present: LEN instead of the type's length */
	__u16 len;
	bool set_blen; /* block length field: BLEN instead of the bytes present */
	__u16 blen;
	__u16 repeat; /* 0 or 1: once */
};

/* MDP3 packet header of a frame that does not say otherwise (the sequence number is SEQ). */
#define FB_SENDING_TIME 1536760536330721282ULL /* 2018-09-12 13:55:36.33 UTC, in ns */
#define FB_MDP3_VERSION 13

enum fb_payload {
	FB_MOLD = 0, /* MoldUDP64 of ITCH 5.0 blocks (msgs) */
	FB_MDP3,     /* CME MDP 3.0 packet of SBE messages (mdp3) */
	FB_NYSE,     /* NYSE XDP Integrated Feed packet (nyse) */
	FB_PITCH,    /* Cboe PITCH Sequenced Unit (pitch) */
};

/*
 * NYSE XDP packet header of a frame that does not say otherwise: DeliveryFlag 11 (original),
 * and the 8 bytes of SendTime (seconds) and SendTimeNS as one little-endian number: seconds in
 * the low 32 bits, nanoseconds in the high 32 (the real capture's 1506694823 s).
 */
#define FB_NYSE_FLAG	  11
#define FB_NYSE_SEND_TIME (123456789ULL << 32 | 1506694823ULL)

/*
 * One NYSE XDP message. Unset fields take the type's size from the wire facts
 * (docs/wire/nyse-xdp.md, written out in frame_builder.c); a type the builder does not know
 * gets FB_NYSE_UNKNOWN_LEN bytes. SymbolIndex is written where the type carries it.
 */
#define FB_NYSE_UNKNOWN_LEN 12
struct fb_nyse_msg {
	__u16 type;
	__u32 index;	    /* SymbolIndex */
	const char *symbol; /* Symbol Index Mapping (3): Symbol, NUL padded to 11 bytes */
	bool set_len;	    /* bytes written and MsgSize: LEN instead of the type's size */
	__u16 len;
	bool set_size; /* MsgSize field: SIZE instead of the bytes written */
	__u16 size;
	__u16 repeat; /* 0 or 1: once */
};

/*
 * One Cboe PITCH message (US equities 2.41 layouts, written here from
 * /work/shared/protocols/cboe-pitch.md, docs/wire/pitch.md; not from wire_pitch.h, whose table
 * the program reads). Fields a type does not have are not written.
 */
struct fb_pitch_msg {
	__u8 type;
	const char *symbol; /* at the type's symbol field (6 or 8 bytes, space padded) */
	__u64 order_id;	    /* at 6, where the type has an Order ID */
	__u32 qty;	    /* the quantity the program reads: Add/Trade Quantity, Executed and
			     * Reduce: the quantity taken off, Executed at Price: RemainingQuantity,
			     * Modify: the new Quantity */
	__u8 len;	    /* bytes of the message: LEN instead of the type's length (0: the
			     * type's, or 10 for a type the builder does not know) */
	bool set_lfield;    /* Length field: LFIELD instead of the bytes written */
	__u8 lfield;
	__u16 repeat;	    /* 0 or 1: once */
};

/*
 * One MDP3 message. Unset fields take the schema-13 layout of the template (root and first
 * group's entry size, the group headers in order, later groups empty); a template the builder
 * does not know gets a root of ROOT bytes and no groups.
 */
struct fb_mdp3_msg {
	__u16 tid;	    /* TemplateID */
	__u16 version;	    /* 0: FB_MDP3_VERSION */
	__s32 id;	    /* root SecurityID (30, definitions 54-56) */
	const char *symbol; /* definitions: Symbol, NUL padded to 20 */
	const __s32 *ids;   /* the first group's entries, one SecurityID each (templates keyed
			     * by entry; ChannelReset: only their count) */
	__u8 n_ids;
	__u8 later;    /* entries in each other group (all groups of a definition) */
	bool set_root; /* root bytes written: ROOT instead of the template's */
	__u16 root;
	bool set_entry; /* first group's entry bytes: ENTRY instead of the template's */
	__u16 entry;
	bool set_groups; /* write only GROUPS group headers (and their entries) */
	__u8 groups;
	bool set_num; /* first group's numInGroup field: NUM instead of n_ids */
	__u8 num;
	bool set_size; /* MsgSize field: SIZE instead of the bytes written */
	__u16 size;
	bool set_blen; /* BlockLength field: BLEN instead of the root bytes */
	__u16 blen;
	__u16 extra; /* bytes after the last group, inside the message */
	/* RptSeq of each of the first group's entries (NULL: the message's index in its packet
	 * * 100 + the entry's + 1, which tells messages apart); SnapshotFullRefresh: rpts[0] is the
	 * root's RptSeq, and LAST_SEQ its LastMsgSeqNumProcessed (both written only with RPTS) */
	const __u32 *rpts;
	__u32 last_seq;
};

struct fb_frame {
	__u16 eth_type;		 /* 0: IPv4; FB_ETH_ARP, FB_ETH_IPV6, or any other EtherType */
	__u16 tags[FB_MAX_TAGS]; /* VLAN TPIDs, outermost first, 0 ends the list */
	__u8 ip_version;	 /* 0: 4 */
	bool set_ihl;		 /* IHL instead of 5; options are filled with NOPs */
	__u8 ihl;		 /* 0..15 */
	__u8 ip_proto;		 /* 0: UDP (17) */
	__u16 frag;		 /* IPv4 flags + fragment offset, host order */
	__u32 daddr;		 /* host order */
	__u16 dport;		 /* host order */
	__u32 saddr;		 /* host order; 0: 10.0.0.1 */
	__u16 sport;		 /* host order; 0: 40000 */
	bool set_ip_len;	 /* IPv4 total length instead of the computed one */
	__u16 ip_len;
	int ip_len_delta; /* added to the computed IPv4 total length */
	bool set_udp_len; /* UDP length instead of the computed one */
	__u16 udp_len;
	int udp_len_delta; /* added to the computed UDP length */
	bool set_count;	   /* MoldUDP64 message count instead of the blocks written */
	__u16 count;
	bool set_seq; /* MoldUDP64 sequence number SEQ instead of FB_DEFAULT_SEQ */
	__u64 seq;
	const char *session; /* MoldUDP64 session (10 bytes, space-padded); NULL: FB_SESSION */
	const struct fb_msg *msgs; /* the blocks */
	size_t n_msgs;
	__u8 payload; /* enum fb_payload */
	/* FB_MDP3: MsgSeqNum is SEQ (32 bits), SendingTime SENDING_TIME (0: FB_SENDING_TIME) */
	__u64 sending_time;
	const struct fb_mdp3_msg *mdp3;
	size_t n_mdp3;
	/* FB_NYSE: SeqNum is SEQ (32 bits), NumberMsgs COUNT (8 bits) when set_count (else the
	 * messages written), SendTime and SendTimeNS are SENDING_TIME (0: FB_NYSE_SEND_TIME);
	 * PktSize is the UDP payload's length (after TRAILING and SHORT_PAYLOAD) + PKT_SIZE_DELTA */
	const struct fb_nyse_msg *nyse;
	size_t n_nyse;
	bool set_flag; /* DeliveryFlag FLAG instead of FB_NYSE_FLAG */
	__u8 flag;
	int pkt_size_delta;
	/* FB_PITCH: HdrSequence is SEQ (32 bits), HdrCount the messages written (or COUNT),
	 * HdrLength the payload (+ HDR_LEN_DELTA) */
	const struct fb_pitch_msg *pitch;
	size_t n_pitch;
	__u8 unit;
	int hdr_len_delta;
	__u16 trailing;	    /* bytes after the last block / message, inside the datagram */
	bool short_payload; /* keep only PAYLOAD_LEN bytes of the packet, lengths agree */
	__u16 payload_len;
	const struct fb_msg *pad_msgs; /* blocks after the datagram, outside IP and UDP lengths */
	size_t n_pad_msgs;
	__u16 pad; /* zero bytes after those, outside IP and UDP lengths */
	__u16 cut; /* keep only the first CUT bytes; headers still claim all */
};

/* Where each header starts in a built frame (before any CUT). */
struct fb_layout {
	size_t tags_off[FB_MAX_TAGS];
	size_t l3_off;	    /* IPv4 / IPv6 / ARP header */
	size_t ip_opts_off; /* IPv4 options (== l4_off without options) */
	size_t l4_off;	    /* UDP (or whatever ip_proto says) header */
	size_t payload_off; /* MoldUDP64 header */
	size_t dgram_end;   /* end of the IP datagram */
	size_t len;	    /* frame length before CUT */
};

/* A frame kept with its length, for tests of user-space code, where frames may be larger than
 * BPF_PROG_TEST_RUN takes (AF_XDP frames are up to 4096 bytes). */
struct fb_buf {
	__u8 b[8192];
	size_t n;
};

/* Build F into BUF; returns the frame length, or 0 if it does not fit CAP (frames for
 * BPF_PROG_TEST_RUN: a buffer of FB_MAX_FRAME bytes). */
size_t fb_build(const struct fb_frame *f, __u8 *buf, size_t cap, struct fb_layout *layout);

/* Bytes message M takes in a NYSE XDP packet. */
size_t fb_nyse_msg_len(const struct fb_nyse_msg *m);
/* Where NYSE XDP message TYPE keeps its SymbolIndex (docs/wire/nyse-xdp.md), 0: nowhere. */
size_t fb_nyse_index_offset(__u16 type);

/* Bytes message M takes in an MDP3 packet (its MsgSize unless set_size). */
size_t fb_mdp3_msg_len(const struct fb_mdp3_msg *m);

/* Bytes PITCH message M takes (its type's length unless LEN). */
size_t fb_pitch_msg_len(const struct fb_pitch_msg *m);

/* Offset of the 8-byte Stock field in ITCH 5.0 message TYPE (docs/wire/itch50.md), 0 for the types
 * the builder writes only a locate into. */
size_t fb_stock_offset(char type);

#endif /* FEEDSIEVE_TESTS_FRAME_BUILDER_H */
