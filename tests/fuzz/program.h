/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The fuzz input: a small program of configuration and frames. Every byte string is a valid
 * program (a byte is reduced to one of its choices, a missing byte reads as 0), so libFuzzer's
 * mutations always produce something to run. The layout:
 *
 *   n_groups  { addr:be32 port:be16 id proto feed flags channel line }    (n_groups % 9)
 *   n_subs    { symbol[8] slot:be16 }                                    (n_subs % 9)
 *   n_learned { feed locate:be16 symbol[8] }    (n_learned % 9; learned before subscribing)
 *   xsk       (% 4: 0, 3 none; 1 a socket on RX queue 0; 2 on queue 1 only)
 *   op*       op % 8:
 *     FZ_OP_FRAME (0-3, 7)  a frame built from fields: see struct fz_gen below
 *     FZ_OP_RESEND (4)      back:u8 group:u8: one of the last 8 built frames again, to GROUP
 *     FZ_OP_RAW (5)         len:be16 bytes[len]: a frame as it is (fixtures, corpus)
 *     FZ_OP_SUBSCRIBE (6)   symbol[8] slot:be16: user space subscribes mid-stream
 *
 * A built frame: group seqmode param:be32 countmode delta nmsgs { type locate symbol lenmut }
 * nmut { kind value:be16 }. Group is an index into the configured groups (n_groups: an
 * unconfigured destination). Sequence numbers follow a per-channel cursor unless SEQMODE says
 * otherwise, so lines A and B of a channel bring the same messages, mostly in order.
 *
 * To a group of protocol FS_PROTO_MDP3 the same bytes build an MDP3 packet: one sequence number
 * per packet, SendingTime chosen by the session byte (a restart sends MsgSeqNum 1), and each
 * message's four bytes read as template (fz_templates), entries and ids (fz_ids), symbol of a
 * definition (fz_mdp3_symbols) and a length fault. A subscription whose symbol starts with
 * FZ_ID_SUB subscribes fz_ids[symbol[1]] by id for feed symbol[2].
 *
 * To a group of protocol FS_PROTO_NYSE_XDP they build a NYSE XDP packet, message-sequenced as
 * MoldUDP64: each message's four bytes read as type (fz_nyse_types), SymbolIndex
 * (fz_nyse_indexes), the Symbol of a mapping (fz_nyse_symbols) and a length fault; the count
 * delta byte chooses the DeliveryFlag (fz_nyse_flags; a restart sends flag 12), and count mode 14
 * is a PktSize fault instead of an end of session. A subscription whose symbol starts with
 * FZ_NYSE_SUB subscribes the name fz_nyse_symbols[symbol[1]] (up to 11 characters, more than the
 * 8-byte field holds).
 */
#ifndef FEEDSIEVE_TESTS_FUZZ_PROGRAM_H
#define FEEDSIEVE_TESTS_FUZZ_PROGRAM_H

#include <stddef.h>
#include <linux/types.h>

enum fz_op {
	FZ_OP_FRAME = 0,
	FZ_OP_RESEND = 4,
	FZ_OP_RAW = 5,
	FZ_OP_SUBSCRIBE = 6,
};

/* Choices a byte is reduced to (program.c has the tables). */
#define FZ_SESSIONS 4
#define FZ_SYMBOLS  8
#define FZ_LOCATES  8
#define FZ_TYPES    12
#define FZ_EDGES    12

extern const char *const fz_sessions[FZ_SESSIONS]; /* 10 bytes each, space-padded */
extern const char *const fz_symbols[FZ_SYMBOLS];
extern const __u16 fz_locates[FZ_LOCATES];
extern const char fz_types[FZ_TYPES];
extern const __u64 fz_edges[FZ_EDGES]; /* sequence numbers worth trying */

#define FZ_TEMPLATES	21
#define FZ_IDS		8
#define FZ_MDP3_SYMBOLS 8
#define FZ_TIMES	4
#define FZ_MAX_ENTRIES	4 /* entries of an MDP3 message's first group: locate byte % 4 */
#define FZ_ID_SUB	'#'

extern const __u16 fz_templates[FZ_TEMPLATES]; /* MDP3 TemplateIDs, unknown ones included */
extern const __s32 fz_ids[FZ_IDS];	       /* SecurityIDs */
extern const char *const fz_mdp3_symbols[FZ_MDP3_SYMBOLS];
extern const __u64 fz_times[FZ_TIMES]; /* SendingTimes, one per session */

#define FZ_NYSE_TYPES	24
#define FZ_NYSE_INDEXES 8
#define FZ_NYSE_SYMBOLS 8
#define FZ_NYSE_FLAGS	16
#define FZ_NYSE_SUB	'%'
#define FZ_PROTO_UNKNOWN 200 /* a protocol the program does not know */

extern const __u16 fz_nyse_types[FZ_NYSE_TYPES]; /* message types, unknown ones included */
extern const __u32 fz_nyse_indexes[FZ_NYSE_INDEXES]; /* SymbolIndex values */
extern const char *const fz_nyse_symbols[FZ_NYSE_SYMBOLS];
extern const __u8 fz_nyse_flags[FZ_NYSE_FLAGS]; /* DeliveryFlags, mostly live */

/* PITCH: message types (unknown ones included) and Order IDs, a pool small enough that the
 * orders a program adds are executed, modified and deleted. A PITCH group's feed byte says its
 * units: unit_count (feed >> 2) % 4 from unit_first feed >> 4. */
#define FZ_PITCH_TYPES 24
#define FZ_ORDER_IDS   12
extern const __u8 fz_pitch_types[FZ_PITCH_TYPES];
extern const __u64 fz_order_ids[FZ_ORDER_IDS];

/* Mutation kinds of a built frame (kind % FZ_MUT_N). */
enum fz_mut {
	FZ_MUT_VLAN,	     /* value % 4 tags; bit 2 + t: tag t is 802.1ad */
	FZ_MUT_IHL,	     /* IHL value % 16 (options, or too short) */
	FZ_MUT_FRAG,	     /* first fragment, DF, middle, last; value >= 0x8000: value */
	FZ_MUT_PROTO,	     /* IP protocol value & 0xff */
	FZ_MUT_ETH_TYPE,     /* ARP, IPv6, 0x88B5, IPv4 */
	FZ_MUT_IP_VERSION,   /* value % 16 */
	FZ_MUT_UDP_DELTA,    /* UDP length + (int8)value */
	FZ_MUT_IP_DELTA,     /* IPv4 total length + (int8)value */
	FZ_MUT_UDP_LEN,	     /* UDP length = value */
	FZ_MUT_IP_LEN,	     /* IPv4 total length = value */
	FZ_MUT_TRAILING,     /* value % 8 bytes after the last block, inside the datagram */
	FZ_MUT_PAD,	     /* value % 64 bytes of Ethernet padding */
	FZ_MUT_CUT,	     /* keep 14 + value % 256 bytes, headers claim the rest */
	FZ_MUT_SHORT,	     /* keep value % 40 bytes of the Mold packet, lengths agree */
	FZ_MUT_PAD_MSG,	     /* a whole message block after the datagram, in the padding */
	FZ_MUT_FLIP,	     /* frame byte (value >> 8) ^= (value & 0xff) | 1 */
	FZ_MUT_N,
};

/* Appending to an input being written (generators); all writes are bounds-checked. */
struct fz_buf {
	__u8 *p;
	size_t len, cap;
};

void fz_put8(struct fz_buf *b, unsigned int v);
void fz_put16(struct fz_buf *b, unsigned int v);
void fz_put32(struct fz_buf *b, __u32 v);
void fz_put_bytes(struct fz_buf *b, const void *p, size_t n);
void fz_put_symbol(struct fz_buf *b, const char *sym); /* 8 bytes, NUL-padded */

/* A generator's pseudo-random source (xorshift64*), deterministic for a seed. */
struct fz_rng {
	__u64 s;
};

__u64 fz_rand(struct fz_rng *r);
unsigned int fz_below(struct fz_rng *r, unsigned int n);

/* Write a random but mostly meaningful program of about N_OPS operations into B. */
void fz_generate(struct fz_rng *r, struct fz_buf *b, unsigned int n_ops);

#endif /* FEEDSIEVE_TESTS_FUZZ_PROGRAM_H */
