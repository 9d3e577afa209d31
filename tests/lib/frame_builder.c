// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Test frame builder; see frame_builder.h. Offsets are from docs/wire/, written out here. */
#include <string.h>

#include "byteorder.h"
#include "feedsieve/wire_itch.h"
#include "frame_builder.h"

/* MoldUDP64 downstream header: session (10), sequence (8), count (2). */
#define MOLD_HDR      20
#define MOLD_SEQ_OFF  10
#define MOLD_CNT_OFF  18
#define ETH_HDR	      14
#define VLAN_HDR      4
#define IPV4_HDR      20
#define IPV6_HDR      40
#define UDP_HDR	      8
#define ARP_BODY      28
#define SRC_ADDR      0x0A000001u /* 10.0.0.1 */
#define SRC_PORT      40000
#define DEFAULT_DADDR 0xE931C40Au /* 233.49.196.10 */
#define DEFAULT_DPORT 18001

size_t fb_stock_offset(char type)
{
	switch (type) {
	case 'R':
	case 'H':
		return 11;
	case 'A':
	case 'F':
	case 'P':
		return 24;
	default:
		return 0;
	}
}

struct cursor {
	__u8 *buf;
	size_t cap;
	size_t off;
	bool overflow;
};

static __u8 *put(struct cursor *c, size_t n)
{
	__u8 *p;

	if (c->overflow || c->off + n > c->cap) {
		c->overflow = true;
		return NULL;
	}
	p = c->buf + c->off;
	memset(p, 0, n);
	c->off += n;
	return p;
}

/* The full message of M (its type's length or M->len), index IDX used as tracking number. */
static void fill_message(__u8 *msg, size_t len, const struct fb_msg *m, unsigned int idx)
{
	__u8 full[64] = {0};
	size_t so = fb_stock_offset(m->type), i;

	full[0] = (__u8)m->type;
	put_be16(full + 1, m->locate);
	put_be16(full + 3, idx);
	for (i = 5; i < 11; i++) /* timestamp: 09:30 as nanoseconds is not needed, any bytes do */
		full[i] = (__u8)(0x10 + i);
	for (i = 11; i < sizeof(full); i++)
		full[i] = 0x5A;
	if (so && m->symbol) {
		memset(full + so, ' ', 8);
		memcpy(full + so, m->symbol, strnlen(m->symbol, 8));
	}
	if (m->type == 'S')
		full[11] = 'O'; /* start of messages */
	for (i = 0; i < len; i++)
		msg[i] = i < sizeof(full) ? full[i] : 0x5A;
}

/* Append the blocks of MSGS; returns the number of blocks written. */
static unsigned int put_blocks(struct cursor *c, const struct fb_msg *msgs, size_t n)
{
	unsigned int blocks = 0;
	size_t i, r;

	for (i = 0; i < n; i++) {
		const struct fb_msg *m = &msgs[i];
		size_t len = m->set_len ? m->len : itch_msg_len((__u8)m->type);
		size_t reps = m->repeat ? m->repeat : 1;

		for (r = 0; r < reps; r++) {
			__u8 *hdr = put(c, 2);
			__u8 *msg = put(c, len);

			if (!hdr || !msg)
				return blocks;
			put_be16(hdr, m->set_blen ? m->blen : (unsigned int)len);
			fill_message(msg, len, m, blocks);
			blocks++;
		}
	}
	return blocks;
}

/* ---- CME MDP 3.0 (docs/wire/mdp3.md; everything little-endian) ---- */

#define MDP3_PKT_HDR	12 /* MsgSeqNum u32, SendingTime u64 */
#define MDP3_MSG_HDR	10 /* MsgSize, BlockLength, TemplateID, SchemaID, Version: u16 each */
#define MDP3_SYMBOL_OFF 35 /* definitions: Symbol (20 bytes) in the root */
#define MDP3_SYMBOL_LEN 20
#define MDP3_GROUPS	6
/* SnapshotFullRefresh (52) root: LastMsgSeqNumProcessed u32 at 0, RptSeq u32 at 12 */
#define MDP3_SNAP_TID	   52
#define MDP3_SNAP_LAST_OFF 0
#define MDP3_SNAP_RPT_OFF  12

/* Schema 13 layout of one template: root size, SecurityID in the root or in each entry of the
 * first group (-1: none), RptSeq in that entry (-1: none), dimension header and entry size of
 * each group in order. */
struct mdp3_layout {
	__u16 tid;
	__u16 root;
	bool key_in_root;
	short key, rpt;
	unsigned int n_groups;
	__u8 hdr[MDP3_GROUPS];
	__u16 entry[MDP3_GROUPS];
};

static const struct mdp3_layout mdp3_layouts[] = {
    {4, 9, false, -1, -1, 1, {3}, {2}},	 /* ChannelReset: ApplID entries */
    {12, 0, false, -1, -1, 0, {0}, {0}}, /* AdminHeartbeat */
    {30, 30, true, 20, -1, 0, {0}, {0}}, /* SecurityStatus */
    {37, 11, false, 4, 8, 1, {3}, {16}},
    {46, 11, false, 12, 16, 2, {3, 8}, {32, 24}},
    {47, 11, false, 28, -1, 1, {3}, {40}},
    {48, 11, false, 12, 16, 2, {3, 8}, {32, 16}},
    {49, 11, false, 12, 16, 1, {3}, {32}},
    {50, 11, false, 24, 28, 1, {3}, {32}},
    {51, 11, false, 8, 12, 1, {3}, {24}},
    {52, 59, true, 8, -1, 1, {3}, {22}}, /* SnapshotFullRefresh: NoMDEntries */
    {54, 224, true, 55, -1, 4, {3, 3, 3, 3}, {9, 4, 4, 5}},
    {55, 221, true, 55, -1, 6, {3, 3, 3, 3, 3, 3}, {9, 4, 4, 5, 24, 24}},
    {56, 255, true, 55, -1, 5, {3, 3, 3, 3, 3}, {9, 4, 4, 5, 18}},
    {64, 11, false, 16, 20, 2, {3, 8}, {32, 24}},
    {65, 11, false, 16, 20, 2, {3, 8}, {40, 16}},
    {66, 11, false, 8, 12, 1, {3}, {24}},
    {67, 11, false, 16, 20, 1, {3}, {32}},
};

static const struct mdp3_layout *mdp3_layout(__u16 tid)
{
	static const struct mdp3_layout unknown;
	size_t i;

	for (i = 0; i < sizeof(mdp3_layouts) / sizeof(mdp3_layouts[0]); i++)
		if (mdp3_layouts[i].tid == tid)
			return &mdp3_layouts[i];
	return &unknown;
}

/* What M writes: root bytes, groups, and each group's entry size and count. */
struct mdp3_shape {
	size_t root, groups, len;
	size_t entry[MDP3_GROUPS], num[MDP3_GROUPS];
};

static void mdp3_shape(const struct fb_mdp3_msg *m, const struct mdp3_layout *l,
		       struct mdp3_shape *sh)
{
	size_t g;

	sh->root = m->set_root ? m->root : l->root;
	sh->groups = m->set_groups && m->groups < l->n_groups ? m->groups : l->n_groups;
	sh->len = MDP3_MSG_HDR + sh->root;
	for (g = 0; g < sh->groups; g++) {
		sh->entry[g] = g == 0 && m->set_entry ? m->entry : l->entry[g];
		sh->num[g] = g == 0 && !l->key_in_root ? m->n_ids : m->later;
		sh->len += l->hdr[g] + sh->num[g] * sh->entry[g];
	}
	sh->len += m->extra;
}

size_t fb_mdp3_msg_len(const struct fb_mdp3_msg *m)
{
	struct mdp3_shape sh;

	mdp3_shape(m, mdp3_layout(m->tid), &sh);
	return sh.len;
}

/* Append message M, the IDX-th of its packet (RptSeq values tell messages apart). */
static void put_mdp3_msg(struct cursor *c, const struct fb_mdp3_msg *m, unsigned int idx)
{
	const struct mdp3_layout *l = mdp3_layout(m->tid);
	struct mdp3_shape sh;
	__u8 *hdr, *root;
	size_t g, e;

	mdp3_shape(m, l, &sh);
	hdr = put(c, MDP3_MSG_HDR);
	root = put(c, sh.root);
	if (!hdr || !root)
		return;
	put_le16(hdr, m->set_size ? m->size : (__u16)sh.len);
	put_le16(hdr + 2, m->set_blen ? m->blen : (__u16)sh.root);
	put_le16(hdr + 4, m->tid);
	put_le16(hdr + 6, 1); /* SchemaID */
	put_le16(hdr + 8, m->version ? m->version : FB_MDP3_VERSION);
	memset(root, 0x5A, sh.root);
	if (l->key_in_root && (size_t)l->key + 4 <= sh.root)
		put_le32(root + l->key, (__u32)m->id);
	if (m->tid == MDP3_SNAP_TID && m->rpts && sh.root >= MDP3_SNAP_RPT_OFF + 4) {
		put_le32(root + MDP3_SNAP_LAST_OFF, m->last_seq);
		put_le32(root + MDP3_SNAP_RPT_OFF, m->rpts[0]);
	}
	if (m->symbol && sh.root >= MDP3_SYMBOL_OFF + MDP3_SYMBOL_LEN) {
		memset(root + MDP3_SYMBOL_OFF, 0, MDP3_SYMBOL_LEN);
		memcpy(root + MDP3_SYMBOL_OFF, m->symbol, strnlen(m->symbol, MDP3_SYMBOL_LEN));
	}
	for (g = 0; g < sh.groups; g++) {
		__u8 *gh = put(c, l->hdr[g]);

		if (!gh)
			return;
		put_le16(gh, (__u16)sh.entry[g]);
		gh[l->hdr[g] - 1] = (__u8)(g == 0 && m->set_num ? m->num : sh.num[g]);
		for (e = 0; e < sh.num[g]; e++) {
			__u8 *en = put(c, sh.entry[g]);

			if (!en)
				return;
			memset(en, 0x5A, sh.entry[g]);
			if (g != 0 || l->key_in_root)
				continue;
			if (l->key >= 0 && (size_t)l->key + 4 <= sh.entry[0])
				put_le32(en + l->key, (__u32)m->ids[e]);
			if (l->rpt >= 0 && (size_t)l->rpt + 4 <= sh.entry[0])
				put_le32(en + l->rpt,
					 m->rpts ? m->rpts[e] : idx * 100 + (__u32)e + 1);
		}
	}
	put(c, m->extra);
}

/* The MDP3 packet of F at the cursor. */
static void put_mdp3(struct cursor *c, const struct fb_frame *f)
{
	__u8 *hdr = put(c, MDP3_PKT_HDR);
	size_t i;

	if (!hdr)
		return;
	put_le32(hdr, (__u32)(f->set_seq ? f->seq : FB_DEFAULT_SEQ));
	put_le64(hdr + 4, f->sending_time ? f->sending_time : FB_SENDING_TIME);
	for (i = 0; i < f->n_mdp3; i++)
		put_mdp3_msg(c, &f->mdp3[i], (unsigned int)i);
}

/* ---- NYSE XDP Integrated Feed (docs/wire/nyse-xdp.md; everything little-endian) ---- */

#define NYSE_PKT_HDR	16 /* PktSize u16, DeliveryFlag u8, NumberMsgs u8, SeqNum, SendTime, NS */
#define NYSE_MSG_HDR	4  /* MsgSize u16, MsgType u16 */
#define NYSE_SYMBOL_OFF 8  /* Symbol Index Mapping: Symbol (11 bytes, NUL padded) */
#define NYSE_SYMBOL_LEN 11

/* A message type's MsgSize and where its SymbolIndex sits (0: it has none). */
struct nyse_layout {
	__u16 type, size, index;
};

static const struct nyse_layout nyse_layouts[] = {
    {1, 14, 0},	  {2, 16, 0},	{3, 44, 4},    {31, 14, 0},   {32, 20, 12},  {34, 46, 12},
    {35, 16, 0},  {100, 39, 8}, {101, 35, 8},  {102, 25, 8},  {103, 42, 8},  {104, 42, 8},
    {105, 67, 12}, {106, 43, 12}, {110, 33, 8}, {111, 29, 8}, {112, 20, 8}, {113, 24, 8},
    {114, 17, 8}, {223, 36, 12},
};

static const struct nyse_layout *nyse_layout(__u16 type)
{
	static const struct nyse_layout unknown = {0, FB_NYSE_UNKNOWN_LEN, 0};
	size_t i;

	for (i = 0; i < sizeof(nyse_layouts) / sizeof(nyse_layouts[0]); i++)
		if (nyse_layouts[i].type == type)
			return &nyse_layouts[i];
	return &unknown;
}

size_t fb_nyse_index_offset(__u16 type)
{
	return nyse_layout(type)->index;
}

size_t fb_nyse_msg_len(const struct fb_nyse_msg *m)
{
	return m->set_len ? m->len : nyse_layout(m->type)->size;
}

/* Append message M, the IDX-th of its packet (its filler bytes tell messages apart). */
static void put_nyse_msg(struct cursor *c, const struct fb_nyse_msg *m, unsigned int idx)
{
	const struct nyse_layout *l = nyse_layout(m->type);
	size_t len = fb_nyse_msg_len(m);
	__u8 *msg = put(c, len), full[64];

	if (!msg)
		return;
	memset(full, (int)(0x40 + idx % 32), sizeof(full));
	put_le16(full, m->set_size ? m->size : (__u16)len);
	put_le16(full + 2, m->type);
	if (l->index)
		put_le32(full + l->index, m->index);
	if (m->type == 3) {
		memset(full + NYSE_SYMBOL_OFF, 0, NYSE_SYMBOL_LEN);
		if (m->symbol)
			memcpy(full + NYSE_SYMBOL_OFF, m->symbol,
			       strnlen(m->symbol, NYSE_SYMBOL_LEN));
		full[19] = 0x41; /* reserved, not zero in the real capture */
	}
	memcpy(msg, full, len < sizeof(full) ? len : sizeof(full));
}

/* The NYSE XDP packet of F at the cursor; PktSize is written by put_payload(). */
static void put_nyse(struct cursor *c, const struct fb_frame *f)
{
	__u8 *hdr = put(c, NYSE_PKT_HDR);
	unsigned int n = 0, r;
	size_t i;

	if (!hdr)
		return;
	for (i = 0; i < f->n_nyse; i++)
		for (r = 0; r < (f->nyse[i].repeat ? f->nyse[i].repeat : 1u); r++)
			put_nyse_msg(c, &f->nyse[i], n++);
	hdr[2] = f->set_flag ? f->flag : FB_NYSE_FLAG;
	hdr[3] = (__u8)(f->set_count ? f->count : n);
	put_le32(hdr + 4, (__u32)(f->set_seq ? f->seq : FB_DEFAULT_SEQ));
	put_le64(hdr + 8, f->sending_time ? f->sending_time : FB_NYSE_SEND_TIME);
}

/* ---- Cboe PITCH (docs/wire/pitch.md; little-endian, symbols space padded) ---- */

#define PITCH_HDR 8

struct pitch_layout {
	__u8 type, len;
	__u8 sym_off, sym_len; /* 0: no symbol */
	__u8 qty_off, qty_len; /* 0: no quantity the program reads */
	bool order_id;	       /* an Order ID at 6 */
};

static const struct pitch_layout pitch_layouts[] = {
    {0x20, 6, 0, 0, 0, 0, false},   /* Time */
    {0x97, 6, 0, 0, 0, 0, false},   /* Unit Clear */
    {0x2D, 6, 0, 0, 0, 0, false},   /* End of Session */
    {0x2C, 14, 0, 0, 0, 0, false},  /* Trade Break: Execution ID at 6 */
    {0x21, 34, 19, 6, 15, 4, true}, /* Add Order Long */
    {0x22, 26, 17, 6, 15, 2, true}, /* Add Order Short */
    {0x2F, 41, 19, 8, 15, 4, true}, /* Add Order Expanded */
    {0x23, 26, 0, 0, 14, 4, true},  /* Order Executed: ExecutedQuantity */
    {0x24, 38, 0, 0, 18, 4, true},  /* Executed at Price/Size: RemainingQuantity */
    {0x25, 18, 0, 0, 14, 4, true},  /* Reduce Size Long */
    {0x26, 16, 0, 0, 14, 2, true},  /* Reduce Size Short */
    {0x27, 27, 0, 0, 14, 4, true},  /* Modify Order Long */
    {0x28, 19, 0, 0, 14, 2, true},  /* Modify Order Short */
    {0x29, 14, 0, 0, 0, 0, true},   /* Delete Order */
    {0x2A, 41, 19, 6, 15, 4, true}, /* Trade Long */
    {0x2B, 33, 17, 6, 15, 2, true}, /* Trade Short */
    {0x30, 43, 19, 8, 15, 4, true}, /* Trade Expanded */
    {0x31, 18, 6, 8, 0, 0, false},  /* Trading Status */
    {0x95, 47, 6, 8, 0, 0, false},  /* Auction Update */
    {0x96, 27, 6, 8, 0, 0, false},  /* Auction Summary */
    {0x98, 15, 6, 8, 0, 0, false},  /* Retail Price Improvement */
};

static const struct pitch_layout *pitch_layout(__u8 type)
{
	static const struct pitch_layout unknown = {.len = 10};
	size_t i;

	for (i = 0; i < sizeof(pitch_layouts) / sizeof(pitch_layouts[0]); i++)
		if (pitch_layouts[i].type == type)
			return &pitch_layouts[i];
	return &unknown;
}

size_t fb_pitch_msg_len(const struct fb_pitch_msg *m)
{
	return m->len ? m->len : pitch_layout(m->type)->len;
}

/* Message M (index IDX) at the cursor: the fields of its type written where they fit. */
static void put_pitch_msg(struct cursor *c, const struct fb_pitch_msg *m, unsigned int idx)
{
	const struct pitch_layout *l = pitch_layout(m->type);
	size_t len = fb_pitch_msg_len(m), i;
	__u8 full[64];
	__u8 *p = put(c, len);

	if (!p)
		return;
	memset(full, 0, sizeof(full));
	full[0] = (__u8)len;
	full[1] = m->type;
	put_le32(full + 2, 1000 + idx); /* TimeOffset (Time: seconds) */
	if (l->order_id) {
		put_le64(full + 6, m->order_id);
		full[14] = 'B'; /* Side of adds and trades; overwritten by a quantity at 14 */
	}
	if (l->qty_len == 2)
		put_le16(full + l->qty_off, (__u16)m->qty);
	else if (l->qty_len == 4)
		put_le32(full + l->qty_off, m->qty);
	if (m->type == 0x24)
		put_le32(full + 14, 1); /* ExecutedQuantity; the program reads RemainingQuantity */
	if (l->sym_len && m->symbol) {
		memset(full + l->sym_off, ' ', l->sym_len);
		memcpy(full + l->sym_off, m->symbol, strnlen(m->symbol, l->sym_len));
	}
	for (i = 0; i < len; i++)
		p[i] = i < sizeof(full) ? full[i] : 0;
	if (m->set_lfield)
		p[0] = m->lfield;
}

/* The PITCH Sequenced Unit of F at the cursor (HdrLength is written once the payload is
 * complete, by put_payload()). */
static void put_pitch(struct cursor *c, const struct fb_frame *f)
{
	__u8 *hdr = put(c, PITCH_HDR);
	unsigned int n = 0, r;
	size_t i;

	if (!hdr)
		return;
	hdr[3] = f->unit;
	put_le32(hdr + 4, (__u32)(f->set_seq ? f->seq : FB_DEFAULT_SEQ));
	for (i = 0; i < f->n_pitch; i++)
		for (r = 0; r < (f->pitch[i].repeat ? f->pitch[i].repeat : 1); r++)
			put_pitch_msg(c, &f->pitch[i], n++);
	hdr[2] = (__u8)(f->set_count ? f->count : n);
}

/* The MoldUDP64 blocks of F at the cursor. */
static void put_mold(struct cursor *c, const struct fb_frame *f)
{
	const char *session = f->session ? f->session : FB_SESSION;
	__u8 *hdr = put(c, MOLD_HDR);
	unsigned int blocks;

	if (!hdr)
		return;
	memset(hdr, ' ', FB_SESSION_LEN);
	memcpy(hdr, session, strnlen(session, FB_SESSION_LEN));
	put_be64(hdr + MOLD_SEQ_OFF, f->set_seq ? f->seq : FB_DEFAULT_SEQ);
	blocks = put_blocks(c, f->msgs, f->n_msgs);
	put_be16(hdr + MOLD_CNT_OFF, f->set_count ? f->count : blocks);
}

/* The little-endian u16 at START (NYSE PktSize, PITCH HdrLength): the bytes from START to the
 * cursor, plus DELTA. */
static void put_length_field(struct cursor *c, size_t start, int delta)
{
	if (!c->overflow && c->off - start >= 2)
		put_le16(c->buf + start, (__u16)((int)(c->off - start) + delta));
}

/* The UDP payload of F at the cursor; returns its length after SHORT_PAYLOAD. */
static size_t put_payload(struct cursor *c, const struct fb_frame *f)
{
	size_t start = c->off;

	if (f->payload == FB_MDP3)
		put_mdp3(c, f);
	else if (f->payload == FB_NYSE)
		put_nyse(c, f);
	else if (f->payload == FB_PITCH)
		put_pitch(c, f);
	else
		put_mold(c, f);
	put(c, f->trailing);
	if (f->payload == FB_PITCH)
		put_length_field(c, start, f->hdr_len_delta); /* HdrLength: before the cut */
	if (f->short_payload && start + f->payload_len < c->off)
		c->off = start + f->payload_len;
	if (f->payload == FB_NYSE)
		put_length_field(c, start, f->pkt_size_delta); /* PktSize: after it */
	return c->off - start;
}

static void put_udp(struct cursor *c, const struct fb_frame *f, size_t *payload_off)
{
	__u8 *udp = put(c, UDP_HDR);
	size_t plen;

	*payload_off = c->off;
	plen = put_payload(c, f);
	if (!udp)
		return;
	put_be16(udp, f->sport ? f->sport : SRC_PORT);
	put_be16(udp + 2, f->dport ? f->dport : DEFAULT_DPORT);
	put_be16(udp + 4, f->set_udp_len ? f->udp_len
				     : (unsigned int)((int)(UDP_HDR + plen) + f->udp_len_delta));
	/* checksum 0: none, allowed for UDP over IPv4 */
}

static void put_ipv4(struct cursor *c, const struct fb_frame *f, struct fb_layout *l)
{
	unsigned int ihl = f->set_ihl ? f->ihl : 5;
	size_t hlen = ihl >= 5 ? ihl * 4 : IPV4_HDR, i;
	__u8 *ip = put(c, hlen);
	unsigned int tot;

	l->ip_opts_off = l->l3_off + IPV4_HDR;
	l->l4_off = c->off;
	put_udp(c, f, &l->payload_off);
	if (!ip)
		return;
	/* Options: Router Alert (RFC 2113) first, NOPs after, End of Option List last. */
	if (hlen > IPV4_HDR) {
		__u8 *opt = ip + IPV4_HDR;

		for (i = 0; i < hlen - IPV4_HDR; i++)
			opt[i] = 1;
		opt[0] = 0x94, opt[1] = 4, opt[2] = 0, opt[3] = 0;
		opt[hlen - IPV4_HDR - 1] = 0;
	}
	tot = (unsigned int)((int)(c->off - l->l3_off) + f->ip_len_delta);
	ip[0] = (__u8)((f->ip_version ? f->ip_version : 4) << 4 | (ihl & 0xf));
	put_be16(ip + 2, f->set_ip_len ? f->ip_len : tot);
	put_be16(ip + 4, 0x1234);
	put_be16(ip + 6, f->frag);
	ip[8] = 32;
	ip[9] = f->ip_proto ? f->ip_proto : 17;
	put_be32(ip + 12, f->saddr ? f->saddr : SRC_ADDR);
	put_be32(ip + 16, f->daddr ? f->daddr : DEFAULT_DADDR);
	put_be16(ip + 10, ip_checksum(ip, hlen));
}

static void put_ipv6(struct cursor *c, const struct fb_frame *f, struct fb_layout *l)
{
	__u8 *ip = put(c, IPV6_HDR);

	l->ip_opts_off = l->l4_off = c->off;
	put_udp(c, f, &l->payload_off);
	if (!ip)
		return;
	ip[0] = 0x60;
	put_be16(ip + 4, (unsigned int)(c->off - l->l4_off));
	ip[6] = 17;
	ip[7] = 32;
	ip[8] = 0xfe, ip[9] = 0x80, ip[23] = 1;	     /* fe80::1 */
	ip[24] = 0xff, ip[25] = 0x0e, ip[39] = 0x10; /* ff0e::10 */
}

static void put_arp(struct cursor *c, const struct fb_frame *f, struct fb_layout *l)
{
	__u8 *arp = put(c, ARP_BODY);

	l->ip_opts_off = l->l4_off = l->payload_off = c->off;
	if (!arp)
		return;
	put_be16(arp, 1); /* Ethernet */
	put_be16(arp + 2, 0x0800);
	arp[4] = 6, arp[5] = 4;
	put_be16(arp + 6, 1); /* request */
	arp[8] = 0x02, arp[13] = 0x01;
	put_be32(arp + 14, SRC_ADDR);
	put_be32(arp + 24, f->daddr ? f->daddr : DEFAULT_DADDR);
}

size_t fb_build(const struct fb_frame *f, __u8 *buf, size_t cap, struct fb_layout *layout)
{
	struct cursor c = {.buf = buf, .cap = cap};
	struct fb_layout l = {0};
	__u16 type = f->eth_type ? f->eth_type : 0x0800;
	__u8 *eth = put(&c, ETH_HDR), *tag = NULL;
	int i;

	if (!eth)
		return 0;
	memcpy(eth, "\x01\x00\x5e\x31\xc4\x0a", 6); /* multicast MAC of 233.49.196.10 */
	memcpy(eth + 6, "\x02\x00\x00\x00\x00\x01", 6);
	for (i = 0; i < FB_MAX_TAGS && f->tags[i]; i++) {
		put_be16(i == 0 ? eth + 12 : tag + 2, f->tags[i]);
		l.tags_off[i] = c.off;
		tag = put(&c, VLAN_HDR);
		if (!tag)
			return 0;
		put_be16(tag, 0x0064 + i); /* PCP 0, VLAN 100 + i */
	}
	put_be16(i == 0 ? eth + 12 : tag + 2, type);
	l.l3_off = c.off;
	if (type == 0x0800)
		put_ipv4(&c, f, &l);
	else if (type == FB_ETH_IPV6)
		put_ipv6(&c, f, &l);
	else
		put_arp(&c, f, &l);
	l.dgram_end = c.off;
	put_blocks(&c, f->pad_msgs, f->n_pad_msgs);
	put(&c, f->pad);
	if (c.overflow)
		return 0;
	l.len = c.off;
	if (layout)
		*layout = l;
	return f->cut ? (f->cut < c.off ? f->cut : c.off) : c.off;
}
