// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* ITCH 5.0 message encoders and the MoldUDP64 packet builder; layouts from wire_itch.h. */
#include <errno.h>
#include <string.h>

#include "byteorder.h"
#include "itch_encode.h"

/* The 48-bit timestamp is the low six bytes of the big-endian 64-bit value. */
static void put_be48(__u8 *p, __u64 v)
{
	__u64 be = bpf_cpu_to_be64(v);

	memcpy(p, (const __u8 *)&be + 2, 6);
}

/* Check room and write the common start; returns LEN or a negative errno. */
static int put_common(void *buf, size_t cap, size_t len, char type, const struct itch_hdr *h)
{
	__u8 *p = buf;

	if (h->timestamp >> 48)
		return -EINVAL;
	if (cap < len)
		return -ENOSPC;
	memset(p, 0, len);
	p[ITCH_OFF_TYPE] = (__u8)type;
	put_be16(p + ITCH_OFF_LOCATE, h->locate);
	put_be16(p + ITCH_OFF_TRACKING, h->tracking);
	put_be48(p + ITCH_OFF_TIMESTAMP, h->timestamp);
	return (int)len;
}

int itch_encode_system_event(void *buf, size_t cap, const struct itch_hdr *h, char event)
{
	__u8 *p = buf;
	int len;

	len = put_common(buf, cap, ITCH_S_LEN, ITCH_SYSTEM_EVENT, h);
	if (len < 0)
		return len;
	p[ITCH_S_OFF_EVENT] = (__u8)event;
	return len;
}

int itch_encode_stock_directory(void *buf, size_t cap, const struct itch_hdr *h,
				const struct itch_stock_directory *r)
{
	__u8 *p = buf;
	int len;

	len = put_common(buf, cap, ITCH_R_LEN, ITCH_STOCK_DIRECTORY, h);
	if (len < 0)
		return len;
	memcpy(p + ITCH_R_OFF_STOCK, r->stock, ITCH_SYMBOL_LEN);
	p[ITCH_R_OFF_MARKET_CAT] = (__u8)r->market_category;
	p[ITCH_R_OFF_FIN_STATUS] = (__u8)r->financial_status;
	put_be32(p + ITCH_R_OFF_ROUND_LOT, r->round_lot_size);
	p[ITCH_R_OFF_ROUND_ONLY] = (__u8)r->round_lots_only;
	p[ITCH_R_OFF_ISSUE_CLASS] = (__u8)r->issue_classification;
	memcpy(p + ITCH_R_OFF_ISSUE_SUB, r->issue_sub_type, 2);
	p[ITCH_R_OFF_AUTHENTIC] = (__u8)r->authenticity;
	p[ITCH_R_OFF_SHORT_SALE] = (__u8)r->short_sale_threshold;
	p[ITCH_R_OFF_IPO_FLAG] = (__u8)r->ipo_flag;
	p[ITCH_R_OFF_LULD_TIER] = (__u8)r->luld_tier;
	p[ITCH_R_OFF_ETP_FLAG] = (__u8)r->etp_flag;
	put_be32(p + ITCH_R_OFF_ETP_LEVER, r->etp_leverage);
	p[ITCH_R_OFF_INVERSE] = (__u8)r->inverse;
	return len;
}

int itch_encode_add_order(void *buf, size_t cap, const struct itch_hdr *h,
			  const struct itch_add_order *a)
{
	__u8 *p = buf;
	int len;

	len = put_common(buf, cap, ITCH_A_LEN, ITCH_ADD_ORDER, h);
	if (len < 0)
		return len;
	put_be64(p + ITCH_A_OFF_ORDER, a->order_ref);
	p[ITCH_A_OFF_SIDE] = (__u8)a->side;
	put_be32(p + ITCH_A_OFF_SHARES, a->shares);
	memcpy(p + ITCH_A_OFF_STOCK, a->stock, ITCH_SYMBOL_LEN);
	put_be32(p + ITCH_A_OFF_PRICE, a->price);
	return len;
}

int itch_encode_order_executed(void *buf, size_t cap, const struct itch_hdr *h, __u64 order_ref,
			       __u32 shares, __u64 match)
{
	__u8 *p = buf;
	int len;

	len = put_common(buf, cap, ITCH_E_LEN, ITCH_ORDER_EXECUTED, h);
	if (len < 0)
		return len;
	put_be64(p + ITCH_E_OFF_ORDER, order_ref);
	put_be32(p + ITCH_E_OFF_SHARES, shares);
	put_be64(p + ITCH_E_OFF_MATCH, match);
	return len;
}

int itch_encode_order_cancel(void *buf, size_t cap, const struct itch_hdr *h, __u64 order_ref,
			     __u32 shares)
{
	__u8 *p = buf;
	int len;

	len = put_common(buf, cap, ITCH_X_LEN, ITCH_ORDER_CANCEL, h);
	if (len < 0)
		return len;
	put_be64(p + ITCH_X_OFF_ORDER, order_ref);
	put_be32(p + ITCH_X_OFF_SHARES, shares);
	return len;
}

int itch_encode_order_delete(void *buf, size_t cap, const struct itch_hdr *h, __u64 order_ref)
{
	__u8 *p = buf;
	int len;

	len = put_common(buf, cap, ITCH_D_LEN, ITCH_ORDER_DELETE, h);
	if (len < 0)
		return len;
	put_be64(p + ITCH_D_OFF_ORDER, order_ref);
	return len;
}

int itch_encode_trade(void *buf, size_t cap, const struct itch_hdr *h, const struct itch_trade *t)
{
	__u8 *p = buf;
	int len;

	len = put_common(buf, cap, ITCH_P_LEN, ITCH_TRADE, h);
	if (len < 0)
		return len;
	put_be64(p + ITCH_P_OFF_ORDER, t->order_ref);
	p[ITCH_P_OFF_SIDE] = (__u8)t->side;
	put_be32(p + ITCH_P_OFF_SHARES, t->shares);
	memcpy(p + ITCH_P_OFF_STOCK, t->stock, ITCH_SYMBOL_LEN);
	put_be32(p + ITCH_P_OFF_PRICE, t->price);
	put_be64(p + ITCH_P_OFF_MATCH, t->match);
	return len;
}

int itch_pad_field(char *out, size_t len, const char *name)
{
	size_t n = strnlen(name, len + 1);
	size_t i;

	if (n == 0 || n > len)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		/* Printable, no space: a space would be indistinguishable from padding. */
		if (name[i] <= ' ' || name[i] > '~')
			return -EINVAL;
	}
	memcpy(out, name, n);
	memset(out + n, ' ', len - n);
	return 0;
}

int mold_pkt__init(struct mold_pkt *p, const char session[MOLD_SESSION_LEN], __u64 seq, size_t cap)
{
	if (cap < MOLD_HDR_LEN || cap > sizeof(p->buf))
		return -EINVAL;
	p->cap = cap;
	p->len = MOLD_HDR_LEN;
	p->count = 0;
	p->seq = seq;
	memcpy(p->buf + MOLD_OFF_SESSION, session, MOLD_SESSION_LEN);
	put_be64(p->buf + MOLD_OFF_SEQ, seq);
	put_be16(p->buf + MOLD_OFF_COUNT, 0);
	return 0;
}

bool mold_pkt__fits(const struct mold_pkt *p, size_t len)
{
	/* The last count value below 0xFFFF: that one means end of session. */
	if (p->count >= MOLD_COUNT_END_OF_SESSION - 1)
		return false;
	return len <= p->cap - p->len && MOLD_BLOCK_HDR <= p->cap - p->len - len;
}

int mold_pkt__append(struct mold_pkt *p, const void *msg, size_t len)
{
	if (len == 0 || len > 0xffff)
		return -EINVAL;
	if (!mold_pkt__fits(p, len))
		return -ENOSPC;
	put_be16(p->buf + p->len, (__u16)len);
	memcpy(p->buf + p->len + MOLD_BLOCK_HDR, msg, len);
	p->len += MOLD_BLOCK_HDR + len;
	p->count++;
	put_be16(p->buf + MOLD_OFF_COUNT, p->count);
	return 0;
}

int mold_pkt__mark_end_of_session(struct mold_pkt *p)
{
	if (p->count)
		return -EBUSY;
	put_be16(p->buf + MOLD_OFF_COUNT, MOLD_COUNT_END_OF_SESSION);
	return 0;
}

__u64 mold_pkt__next_seq(const struct mold_pkt *p)
{
	return p->seq + p->count;
}

int mold_next_block(const __u8 *payload, size_t len, size_t *off, const __u8 **msg, __u16 *mlen)
{
	__u16 blen;

	if (*off > len || len - *off < MOLD_BLOCK_HDR)
		return -EINVAL;
	blen = (__u16)(payload[*off] << 8 | payload[*off + 1]);
	if (len - *off - MOLD_BLOCK_HDR < blen)
		return -EINVAL;
	*msg = payload + *off + MOLD_BLOCK_HDR;
	*mlen = blen;
	*off += MOLD_BLOCK_HDR + blen;
	return 1;
}
