/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A small CME MDP 3.0 packet writer for the unit tests, in an Ethernet/IPv4/UDP envelope. Its
 * offsets are written here from the wire facts (/work/shared/protocols/mdp3.md: packet header,
 * MsgSize + SBE header, groupSize and groupSize8Byte, the template layouts), not taken from
 * include/feedsieve/wire_mdp3.h, which the decoder reads them from: a wrong offset in the shared
 * table cannot hide in both. tests/lib/frame_builder stays ITCH's.
 */
#ifndef FEEDSIEVE_TESTS_MDP3_PACKET_H
#define FEEDSIEVE_TESTS_MDP3_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <linux/types.h>

#include "udp_packet.h"

#define MP_GROUP_ADDR 0xE0001F01 /* 224.0.31.1 */
#define MP_GROUP_PORT 14310
#define MP_PAYLOAD    42 /* Ethernet 14 + IPv4 20 + UDP 8 */
#define MP_MAX_MSGS   32

/* Facts of schema 1 (mdp3.md), by template: root length, where SecurityID and RptSeq sit. */
#define MP_HDR_SIZE      12 /* MsgSeqNum u32, SendingTime u64 */
#define MP_MSG_HDR       10 /* MsgSize, BlockLength, TemplateID, SchemaID, Version: u16 each */
#define MP_INCR_ROOT     11 /* TransactTime u64, MatchEventIndicator u8, 2 padding */
#define MP_BOOK_ENTRY    32 /* 46: SecurityID 12, RptSeq 16 */
#define MP_VOLUME_ENTRY  16 /* 37: SecurityID 4, RptSeq 8 */
#define MP_ORDERS_ENTRY  40 /* 47: SecurityID 28, no RptSeq */
#define MP_STATUS_ROOT   30 /* 30: SecurityID at 20 */
#define MP_DEF_ROOT      224 /* 54 (version 10+): Symbol 35 (20 bytes), SecurityID 55 */
#define MP_RESET_ROOT    9  /* 4: one groupSize group of 2-byte ApplID entries */

struct mp_packet {
	__u8 b[4096];
	size_t n;
	size_t msg_off[MP_MAX_MSGS]; /* where each message starts in the frame */
	size_t msg_end[MP_MAX_MSGS];
	size_t n_msgs;
	size_t open; /* the message being written */
};

static inline void mp_put(struct mp_packet *p, __u64 v, int bytes)
{
	int i;

	for (i = 0; i < bytes; i++)
		p->b[p->n++] = (__u8)(v >> (8 * i));
}

static inline void mp_put_at(struct mp_packet *p, size_t off, __u64 v, int bytes)
{
	int i;

	for (i = 0; i < bytes; i++)
		p->b[off + i] = (__u8)(v >> (8 * i));
}

static inline void mp_zero(struct mp_packet *p, size_t n)
{
	memset(p->b + p->n, 0, n);
	p->n += n;
}

/* Ethernet + IPv4 + UDP headers (lengths written by mp_finish), then the packet header. */
static inline void mp_begin(struct mp_packet *p, __u32 seq, __u64 sending_time)
{
	memset(p, 0, sizeof(*p));
	up_envelope(p->b, MP_GROUP_ADDR, MP_GROUP_PORT);
	p->n = MP_PAYLOAD;
	mp_put(p, seq, 4);
	mp_put(p, sending_time, 8);
}

/* A message header and a zeroed root of ROOT_LEN bytes; returns the root's offset. */
static inline size_t mp_msg(struct mp_packet *p, __u16 template_id, __u16 root_len)
{
	size_t root;

	p->open = p->n;
	mp_put(p, 0, 2); /* MsgSize, by mp_msg_end */
	mp_put(p, root_len, 2);
	mp_put(p, template_id, 2);
	mp_put(p, 1, 2);  /* SchemaID */
	mp_put(p, 13, 2); /* Version */
	root = p->n;
	mp_zero(p, root_len);
	return root;
}

/* groupSize (3 bytes) or, EIGHT, groupSize8Byte (blockLength, 5 padding bytes, numInGroup). */
static inline void mp_group(struct mp_packet *p, __u16 block_len, __u8 num, bool eight)
{
	mp_put(p, block_len, 2);
	if (eight)
		mp_zero(p, 5);
	mp_put(p, num, 1);
}

/* One entry of BLEN bytes with SecurityID ID at ID_OFF and, RPT_OFF >= 0, RptSeq RPT. */
static inline void mp_entry(struct mp_packet *p, __u16 blen, int id_off, __s32 id, int rpt_off,
			    __u32 rpt)
{
	size_t e = p->n;

	mp_zero(p, blen);
	mp_put_at(p, e + (size_t)id_off, (__u32)id, 4);
	if (rpt_off >= 0)
		mp_put_at(p, e + (size_t)rpt_off, rpt, 4);
}

/* Close the open message: MsgSize = its bytes, plus EXTRA the caller appended or adds. */
static inline void mp_msg_end(struct mp_packet *p)
{
	mp_put_at(p, p->open, p->n - p->open, 2);
	p->msg_off[p->n_msgs] = p->open;
	p->msg_end[p->n_msgs++] = p->n;
}

/* Book (46) of N entries (ids, rpt_seqs), then an empty OrderID group (groupSize8Byte). ROOT and
 * ENTRY grow the blocks past the schema's (a newer version's appended fields). */
static inline void mp_book(struct mp_packet *p, const __s32 *ids, const __u32 *rpts, int n,
			   __u16 root, __u16 entry)
{
	int i;

	mp_msg(p, 46, root ? root : MP_INCR_ROOT);
	mp_group(p, entry ? entry : MP_BOOK_ENTRY, (__u8)n, false);
	for (i = 0; i < n; i++)
		mp_entry(p, entry ? entry : MP_BOOK_ENTRY, 12, ids[i], 16, rpts[i]);
	mp_group(p, 24, 0, true);
	mp_msg_end(p);
}

/* Volume (37) of N entries. */
static inline void mp_volume(struct mp_packet *p, const __s32 *ids, const __u32 *rpts, int n)
{
	int i;

	mp_msg(p, 37, MP_INCR_ROOT);
	mp_group(p, MP_VOLUME_ENTRY, (__u8)n, false);
	for (i = 0; i < n; i++)
		mp_entry(p, MP_VOLUME_ENTRY, 4, ids[i], 8, rpts[i]);
	mp_msg_end(p);
}

/* Order book (47) of N entries: no RptSeq. */
static inline void mp_orders(struct mp_packet *p, const __s32 *ids, int n)
{
	int i;

	mp_msg(p, 47, MP_INCR_ROOT);
	mp_group(p, MP_ORDERS_ENTRY, (__u8)n, false);
	for (i = 0; i < n; i++)
		mp_entry(p, MP_ORDERS_ENTRY, 28, ids[i], -1, 0);
	mp_msg_end(p);
}

static inline void mp_heartbeat(struct mp_packet *p)
{
	mp_msg(p, 12, 0);
	mp_msg_end(p);
}

static inline void mp_channel_reset(struct mp_packet *p, __u16 appl_id)
{
	mp_msg(p, 4, MP_RESET_ROOT);
	mp_group(p, 2, 1, false);
	mp_put(p, appl_id, 2);
	mp_msg_end(p);
}

static inline void mp_status(struct mp_packet *p, __s32 id)
{
	size_t root = mp_msg(p, 30, MP_STATUS_ROOT);

	mp_put_at(p, root + 20, (__u32)id, 4);
	mp_msg_end(p);
}

/* Future definition (54): Symbol SYM, SecurityID ID, its four groups empty. */
static inline void mp_definition(struct mp_packet *p, const char *sym, __s32 id)
{
	/* NoEvents, NoMDFeedTypes, NoInstAttrib, NoLotTypeRules */
	static const __u16 blen[4] = {9, 4, 4, 5};
	size_t root = mp_msg(p, 54, MP_DEF_ROOT);
	int g;

	p->b[root + 5] = 'A';
	memcpy(p->b + root + 35, sym, strlen(sym));
	mp_put_at(p, root + 55, (__u32)id, 4);

	for (g = 0; g < 4; g++)
		mp_group(p, blen[g], 0, false);
	mp_msg_end(p);
}

/* A template no schema version has: LEN bytes of root, no groups. */
static inline void mp_unknown(struct mp_packet *p, __u16 template_id, __u16 len)
{
	mp_msg(p, template_id, len);
	mp_msg_end(p);
}

/* IPv4 total length and UDP length for a datagram ending at END (<= n: a truncated datagram
 * whose lengths agree); the frame then ends there too. */
static inline void mp_finish_at(struct mp_packet *p, size_t end)
{
	p->n = end;
	up_lengths(p->b, end);
}

static inline void mp_finish(struct mp_packet *p)
{
	mp_finish_at(p, p->n);
}

#endif /* FEEDSIEVE_TESTS_MDP3_PACKET_H */
