// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Benchmark frames; see frames.h. Built by the tests' frame builder (tests/lib/frame_builder.c). */
#include <errno.h>
#include <string.h>

#include "byteorder.h"
#include "frame_builder.h"
#include "feedsieve/parse.h"
#include "frames.h"

#define BLOCK_LEN (MOLD_BLOCK_HDR + ITCH_A_LEN)

static __u8 *msg_at(struct bf_frame *f, __u32 i)
{
	return f->buf + BF_MOLD_OFF + MOLD_HDR_LEN + (size_t)i * BLOCK_LEN + MOLD_BLOCK_HDR;
}

int bf_build(struct bf_frame *f, __u32 msgs)
{
	const struct fb_msg add = {.type = ITCH_ADD_ORDER, .locate = 1, .symbol = "BENCH",
				   .repeat = (__u16)msgs};
	const struct fb_frame desc = {
	    .frag = FB_IP_DF,
	    .daddr = BF_GROUP_ADDR,
	    .dport = BF_GROUP_PORT,
	    .session = BF_SESSION,
	    .set_seq = true,
	    .seq = 1,
	    .msgs = &add,
	    .n_msgs = 1,
	};
	struct fb_layout l;
	size_t len;

	if (msgs < 1 || msgs > BF_MAX_MSGS)
		return -EINVAL;
	memset(f, 0, sizeof(*f));
	len = fb_build(&desc, f->buf, sizeof(f->buf), &l);
	/* bf_set_msg() and floors.bpf.c find the messages at BF_MOLD_OFF. */
	if (!len || l.payload_off != BF_MOLD_OFF)
		return -EINVAL;
	f->len = (__u32)len;
	f->msgs = msgs;
	return 0;
}

int bf_build_mdp3(struct bf_frame *f, __u32 keys, const __s32 *ids)
{
	struct fb_mdp3_msg msgs[BF_MDP3_MAX_MSGS] = {};
	struct fb_frame desc = {
	    .frag = FB_IP_DF,
	    .daddr = BF_MDP3_GROUP_ADDR,
	    .dport = BF_MDP3_GROUP_PORT,
	    .payload = FB_MDP3,
	    .seq = 1,
	    .mdp3 = msgs,
	};
	struct fb_layout l;
	__u32 i, n;
	size_t len;

	if (keys < 1 || keys > BF_MAX_MSGS)
		return -EINVAL;
	for (i = 0; i < keys; i += n) {
		n = keys - i < BF_MDP3_ENTRIES ? keys - i : BF_MDP3_ENTRIES;
		msgs[desc.n_mdp3].tid = MDP3_T_BOOK;
		msgs[desc.n_mdp3].ids = ids + i;
		msgs[desc.n_mdp3].n_ids = (__u8)n;
		desc.n_mdp3++;
	}
	memset(f, 0, sizeof(*f));
	len = fb_build(&desc, f->buf, sizeof(f->buf), &l);
	if (!len || l.payload_off != BF_MOLD_OFF)
		return -EINVAL;
	f->len = (__u32)len;
	f->msgs = keys;
	return 0;
}

void bf_set_seq_mdp3(struct bf_frame *f, __u32 seq)
{
	put_le32(f->buf + BF_MOLD_OFF + MDP3_OFF_SEQ, seq);
}

void bf_set_seq(struct bf_frame *f, __u64 seq)
{
	put_be64(f->buf + BF_MOLD_OFF + MOLD_OFF_SEQ, seq);
}

void bf_set_msg(struct bf_frame *f, __u32 i, __u16 locate, const char *symbol)
{
	__u8 *m = msg_at(f, i);

	put_be16(m + ITCH_OFF_LOCATE, locate);
	memset(m + ITCH_A_OFF_STOCK, ' ', ITCH_SYMBOL_LEN);
	memcpy(m + ITCH_A_OFF_STOCK, symbol, strnlen(symbol, ITCH_SYMBOL_LEN));
}

/*
 * An Ethernet/IPv4/UDP frame to DADDR:DPORT whose UDP payload is LEN bytes for the caller to
 * write (zeroed); returns the payload, or NULL when it does not fit. The frame builder knows no
 * NYSE or PITCH payload: a MoldUDP64 payload cut to LEN bytes gives the headers their lengths.
 */
static __u8 *udp_frame(struct bf_frame *f, __u32 daddr, __u16 dport, size_t len)
{
	const struct fb_frame desc = {
	    .frag = FB_IP_DF,
	    .daddr = daddr,
	    .dport = dport,
	    .trailing = (__u16)len,
	    .short_payload = true,
	    .payload_len = (__u16)len,
	};
	struct fb_layout l;
	size_t n;

	memset(f, 0, sizeof(*f));
	n = fb_build(&desc, f->buf, sizeof(f->buf), &l);
	if (!n || l.payload_off != BF_MOLD_OFF || n != BF_MOLD_OFF + len)
		return NULL;
	memset(f->buf + BF_MOLD_OFF, 0, len);
	f->len = (__u32)n;
	return f->buf + BF_MOLD_OFF;
}

int bf_build_nyse(struct bf_frame *f, __u32 msgs, const __u32 *idx)
{
	size_t len = NYSE_PKT_HDR_LEN + (size_t)msgs * BF_NYSE_ADD_LEN;
	__u8 *p, *m;
	__u32 i;

	if (msgs < 1 || msgs > BF_MAX_MSGS)
		return -EINVAL;
	p = udp_frame(f, BF_NYSE_GROUP_ADDR, BF_NYSE_GROUP_PORT, len);
	if (!p)
		return -EINVAL;
	put_le16(p + NYSE_OFF_PKT_SIZE, (__u16)len);
	p[NYSE_OFF_DELIVERY_FLAG] = NYSE_DF_ORIGINAL;
	p[NYSE_OFF_NUM_MSGS] = (__u8)msgs;
	put_le32(p + NYSE_OFF_SEQ, 1);
	put_le32(p + NYSE_OFF_SEND_TIME, 1764770400); /* 2025-12-03 14:00 UTC */
	for (i = 0; i < msgs; i++) {
		m = p + NYSE_PKT_HDR_LEN + (size_t)i * BF_NYSE_ADD_LEN;
		put_le16(m + NYSE_OFF_MSG_SIZE, BF_NYSE_ADD_LEN);
		put_le16(m + NYSE_OFF_MSG_TYPE, NYSE_T_ADD_ORDER);
		put_le32(m + nyse_symbol_index_off(NYSE_T_ADD_ORDER), idx[i]);
		put_le64(m + NYSE_ORD_OFF_ORDER_ID, 1000 + i);
		put_le32(m + 24, 1500000); /* Price */
		put_le32(m + 28, 100);	   /* Volume */
		m[32] = 'B';		   /* Side */
		memset(m + 33, ' ', 5);	   /* FirmID */
	}
	f->msgs = msgs;
	return 0;
}

void bf_set_seq_nyse(struct bf_frame *f, __u32 seq)
{
	put_le32(f->buf + BF_MOLD_OFF + NYSE_OFF_SEQ, seq);
}

/* A PITCH unit of MSGS messages of LEN bytes each, their Length and TYPE written. */
static __u8 *pitch_unit(struct bf_frame *f, __u32 msgs, __u8 len, __u8 type)
{
	size_t n = PITCH_HDR_LEN + (size_t)msgs * len;
	__u8 *p = udp_frame(f, BF_PITCH_GROUP_ADDR, BF_PITCH_GROUP_PORT, n);
	__u32 i;

	if (!p)
		return NULL;
	put_le16(p + PITCH_OFF_HDR_LENGTH, (__u16)n);
	p[PITCH_OFF_HDR_COUNT] = (__u8)msgs;
	p[PITCH_OFF_HDR_UNIT] = BF_PITCH_UNIT;
	put_le32(p + PITCH_OFF_HDR_SEQ, 1);
	for (i = 0; i < msgs; i++) {
		p[PITCH_HDR_LEN + i * len + PITCH_OFF_MSG_LENGTH] = len;
		p[PITCH_HDR_LEN + i * len + PITCH_OFF_MSG_TYPE] = type;
	}
	f->msgs = msgs;
	return p + PITCH_HDR_LEN;
}

int bf_build_pitch(struct bf_frame *f, __u32 msgs, const char *const *syms, __u64 order)
{
	const struct pitch_type_info t = pitch_type_info(PITCH_T_ADD_SHORT);
	__u8 *m;
	__u32 i;

	if (msgs < 1 || msgs > BF_MAX_MSGS)
		return -EINVAL;
	m = pitch_unit(f, msgs, BF_PITCH_ADD_LEN, PITCH_T_ADD_SHORT);
	if (!m)
		return -EINVAL;
	for (i = 0; i < msgs; i++, m += BF_PITCH_ADD_LEN) {
		put_le64(m + PITCH_OFF_ORDER_ID, order + i);
		m[14] = 'B'; /* Side */
		/* 100 shares: a one-share execution leaves the order on the book. */
		put_le16(m + PITCH_ADD_OFF_QTY, 100);
		memset(m + t.sym_off, ' ', t.sym_len);
		memcpy(m + t.sym_off, syms[i], strnlen(syms[i], t.sym_len));
		put_le16(m + 23, 1500); /* Price */
	}
	return 0;
}

int bf_build_pitch_order(struct bf_frame *f, __u8 type, __u64 order)
{
	__u8 len = type == PITCH_T_EXECUTED ? BF_PITCH_EXEC_LEN : BF_PITCH_DELETE_LEN;
	__u8 *m;

	if (type != PITCH_T_EXECUTED && type != PITCH_T_DELETE)
		return -EINVAL;
	m = pitch_unit(f, 1, len, type);
	if (!m)
		return -EINVAL;
	put_le64(m + PITCH_OFF_ORDER_ID, order);
	if (type == PITCH_T_EXECUTED) {
		put_le32(m + PITCH_EXEC_OFF_QTY, 1);
		put_le64(m + 18, order); /* ExecutionID */
	}
	return 0;
}

int bf_build_pitch_trade(struct bf_frame *f, const char *sym)
{
	const struct pitch_type_info t = pitch_type_info(PITCH_T_TRADE_SHORT);
	__u8 *m = pitch_unit(f, 1, BF_PITCH_TRADE_LEN, PITCH_T_TRADE_SHORT);

	if (!m)
		return -EINVAL;
	put_le64(m + PITCH_OFF_ORDER_ID, 1);
	m[14] = 'B';		 /* Side */
	put_le16(m + 15, 100);	 /* Quantity */
	memset(m + t.sym_off, ' ', t.sym_len);
	memcpy(m + t.sym_off, sym, strnlen(sym, t.sym_len));
	put_le16(m + 23, 1500);	 /* Price */
	put_le64(m + 25, 1);	 /* ExecutionID */
	return 0;
}

void bf_set_seq_pitch(struct bf_frame *f, __u32 seq)
{
	put_le32(f->buf + BF_MOLD_OFF + PITCH_OFF_HDR_SEQ, seq);
}

void bf_set_order_pitch(struct bf_frame *f, __u64 order)
{
	put_le64(f->buf + BF_MOLD_OFF + BF_PITCH_ORDER_OFF, order);
}
