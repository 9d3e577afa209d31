// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Cboe Multicast PITCH encoders (offsets in pitch_encode.h and wire_pitch.h). */
#include <errno.h>
#include <string.h>

#include "byteorder.h"
#include "itch_encode.h"
#include "pitch_encode.h"

/* Long prices have 4 implied decimals, short ones 2. */
#define SHORT_PRICE_DIV 100
#define U16_MAX		0xFFFF
#define ADD_FLAG_DISPLAYED 0x01
#define PARTICIPANT	"FSGN"
#define PARTICIPANT_LEN 4

void pitch_pkt__init(struct pitch_pkt *p, __u8 unit, __u32 seq)
{
	memset(p->buf, 0, PITCH_HDR_LEN);
	put_le16(p->buf + PITCH_OFF_HDR_LENGTH, PITCH_HDR_LEN);
	p->buf[PITCH_OFF_HDR_UNIT] = unit;
	put_le32(p->buf + PITCH_OFF_HDR_SEQ, seq);
	p->len = PITCH_HDR_LEN;
	p->count = 0;
}

bool pitch_pkt__fits(const struct pitch_pkt *p, size_t len)
{
	return p->count < 255 && p->len + len <= sizeof(p->buf);
}

/* The next message, zeroed, with Length and Type set; NULL when it does not fit. */
static __u8 *add(struct pitch_pkt *p, __u8 type, size_t len)
{
	__u8 *m = p->buf + p->len;

	if (!pitch_pkt__fits(p, len))
		return NULL;
	memset(m, 0, len);
	m[PITCH_OFF_MSG_LENGTH] = (__u8)len;
	m[PITCH_OFF_MSG_TYPE] = type;
	p->len += len;
	p->count++;
	p->buf[PITCH_OFF_HDR_COUNT] = p->count;
	put_le16(p->buf + PITCH_OFF_HDR_LENGTH, (__u16)p->len);
	return m;
}

/* SYMBOL padded on the right with spaces to LEN: printable, no spaces, as ITCH's fields. */
static int put_symbol(__u8 *dst, const char *symbol, size_t len)
{
	return itch_pad_field((char *)dst, len, symbol);
}

bool pitch_fits_short(const struct pitch_order *o)
{
	return strlen(o->symbol) <= PITCH_SYMBOL_LEN_SHORT && o->qty <= U16_MAX &&
	       o->price % SHORT_PRICE_DIV == 0 && o->price / SHORT_PRICE_DIV <= U16_MAX;
}

int pitch_put_time(struct pitch_pkt *p, __u32 seconds)
{
	__u8 *m = add(p, PITCH_T_TIME, PITCH_LEN_TIME);

	if (!m)
		return -ENOSPC;
	put_le32(m + PITCH_TIME_OFF_SECONDS, seconds);
	return 0;
}

int pitch_put_unit_clear(struct pitch_pkt *p, __u32 ts_ns)
{
	__u8 *m = add(p, PITCH_T_UNIT_CLEAR, PITCH_LEN_UNIT_CLEAR);

	if (!m)
		return -ENOSPC;
	put_le32(m + PITCH_OFF_TIME_OFFSET, ts_ns);
	return 0;
}

/* Add Order and Trade share their first fields: time, Order ID, side, quantity, symbol. */
static __u8 *add_or_trade(struct pitch_pkt *p, __u8 type, size_t len, const struct pitch_order *o,
			  bool is_short, size_t sym_len, int *err)
{
	size_t sym_off = is_short ? PITCH_ADD_OFF_QTY + 2 : PITCH_ADD_OFF_QTY + 4;
	__u8 *m;

	if ((is_short && !pitch_fits_short(o)) || strlen(o->symbol) > sym_len) {
		*err = -EINVAL;
		return NULL;
	}
	m = add(p, type, len);
	if (!m) {
		*err = -ENOSPC;
		return NULL;
	}
	put_le32(m + PITCH_OFF_TIME_OFFSET, o->ts_ns);
	put_le64(m + PITCH_OFF_ORDER_ID, o->order_id);
	m[PITCH_ADD_OFF_SIDE] = (__u8)o->side;
	if (is_short)
		put_le16(m + PITCH_ADD_OFF_QTY, (__u16)o->qty);
	else
		put_le32(m + PITCH_ADD_OFF_QTY, o->qty);
	*err = put_symbol(m + sym_off, o->symbol, sym_len);
	return *err ? NULL : m;
}

int pitch_put_add(struct pitch_pkt *p, __u8 type, const struct pitch_order *o)
{
	__u8 *m;
	int err;

	switch (type) {
	case PITCH_T_ADD_SHORT:
		m = add_or_trade(p, type, PITCH_LEN_ADD_SHORT, o, true, PITCH_SYMBOL_LEN_SHORT,
				 &err);
		if (!m)
			return err;
		put_le16(m + PITCH_ADD_SHORT_OFF_PRICE, (__u16)(o->price / SHORT_PRICE_DIV));
		m[PITCH_ADD_SHORT_OFF_FLAGS] = ADD_FLAG_DISPLAYED;
		return 0;
	case PITCH_T_ADD_LONG:
		m = add_or_trade(p, type, PITCH_LEN_ADD_LONG, o, false, PITCH_SYMBOL_LEN_SHORT,
				 &err);
		if (!m)
			return err;
		put_le64(m + PITCH_ADD_LONG_OFF_PRICE, o->price);
		m[PITCH_ADD_LONG_OFF_FLAGS] = ADD_FLAG_DISPLAYED;
		return 0;
	case PITCH_T_ADD_EXPANDED:
		m = add_or_trade(p, type, PITCH_LEN_ADD_EXPANDED, o, false, PITCH_SYMBOL_LEN_LONG,
				 &err);
		if (!m)
			return err;
		put_le64(m + PITCH_ADD_EXP_OFF_PRICE, o->price);
		m[PITCH_ADD_EXP_OFF_FLAGS] = ADD_FLAG_DISPLAYED;
		put_symbol(m + PITCH_ADD_EXP_OFF_PARTICIPANT, PARTICIPANT, PARTICIPANT_LEN);
		m[PITCH_ADD_EXP_OFF_CUSTOMER] = 'N';
		return 0;
	default:
		return -EINVAL;
	}
}

int pitch_put_trade(struct pitch_pkt *p, __u8 type, const struct pitch_order *o, __u64 exec_id)
{
	__u8 *m;
	int err;

	switch (type) {
	case PITCH_T_TRADE_SHORT:
		m = add_or_trade(p, type, PITCH_LEN_TRADE_SHORT, o, true, PITCH_SYMBOL_LEN_SHORT,
				 &err);
		if (!m)
			return err;
		put_le16(m + PITCH_ADD_SHORT_OFF_PRICE, (__u16)(o->price / SHORT_PRICE_DIV));
		put_le64(m + PITCH_TRADE_SHORT_OFF_EXEC, exec_id);
		return 0;
	case PITCH_T_TRADE_LONG:
		m = add_or_trade(p, type, PITCH_LEN_TRADE_LONG, o, false, PITCH_SYMBOL_LEN_SHORT,
				 &err);
		if (!m)
			return err;
		put_le64(m + PITCH_ADD_LONG_OFF_PRICE, o->price);
		put_le64(m + PITCH_TRADE_LONG_OFF_EXEC, exec_id);
		return 0;
	case PITCH_T_TRADE_EXPANDED:
		m = add_or_trade(p, type, PITCH_LEN_TRADE_EXPANDED, o, false,
				 PITCH_SYMBOL_LEN_LONG, &err);
		if (!m)
			return err;
		put_le64(m + PITCH_ADD_EXP_OFF_PRICE, o->price);
		put_le64(m + PITCH_TRADE_EXP_OFF_EXEC, exec_id);
		return 0;
	default:
		return -EINVAL;
	}
}

/* A message naming an order: time and Order ID. */
static __u8 *order_msg(struct pitch_pkt *p, __u8 type, size_t len, const struct pitch_order *o)
{
	__u8 *m = add(p, type, len);

	if (m) {
		put_le32(m + PITCH_OFF_TIME_OFFSET, o->ts_ns);
		put_le64(m + PITCH_OFF_ORDER_ID, o->order_id);
	}
	return m;
}

int pitch_put_executed(struct pitch_pkt *p, const struct pitch_order *o, __u32 executed,
		       __u64 exec_id)
{
	__u8 *m = order_msg(p, PITCH_T_EXECUTED, PITCH_LEN_EXECUTED, o);

	if (!m)
		return -ENOSPC;
	put_le32(m + PITCH_EXEC_OFF_QTY, executed);
	put_le64(m + PITCH_EXEC_OFF_EXEC_ID, exec_id);
	return 0;
}

int pitch_put_executed_at_price(struct pitch_pkt *p, const struct pitch_order *o,
				__u32 executed, __u32 remaining, __u64 exec_id)
{
	__u8 *m = order_msg(p, PITCH_T_EXECUTED_AT_PRICE, PITCH_LEN_EXECUTED_AT_PRICE, o);

	if (!m)
		return -ENOSPC;
	put_le32(m + PITCH_EXEC_OFF_QTY, executed);
	put_le32(m + PITCH_EXEC_AT_PRICE_OFF_REMAINING, remaining);
	put_le64(m + PITCH_EXEC_AT_PRICE_OFF_EXEC_ID, exec_id);
	put_le64(m + PITCH_EXEC_AT_PRICE_OFF_PRICE, o->price);
	return 0;
}

int pitch_put_reduce(struct pitch_pkt *p, bool is_short, const struct pitch_order *o,
		     __u32 canceled)
{
	__u8 *m;

	if (is_short && canceled > U16_MAX)
		return -EINVAL;
	m = order_msg(p, is_short ? PITCH_T_REDUCE_SHORT : PITCH_T_REDUCE_LONG,
		      is_short ? PITCH_LEN_REDUCE_SHORT : PITCH_LEN_REDUCE_LONG, o);
	if (!m)
		return -ENOSPC;
	if (is_short)
		put_le16(m + PITCH_REDUCE_OFF_QTY, (__u16)canceled);
	else
		put_le32(m + PITCH_REDUCE_OFF_QTY, canceled);
	return 0;
}

int pitch_put_modify(struct pitch_pkt *p, bool is_short, const struct pitch_order *o)
{
	__u8 *m;

	if (is_short && (o->qty > U16_MAX || o->price % SHORT_PRICE_DIV ||
			 o->price / SHORT_PRICE_DIV > U16_MAX))
		return -EINVAL;
	m = order_msg(p, is_short ? PITCH_T_MODIFY_SHORT : PITCH_T_MODIFY_LONG,
		      is_short ? PITCH_LEN_MODIFY_SHORT : PITCH_LEN_MODIFY_LONG, o);
	if (!m)
		return -ENOSPC;
	if (is_short) {
		put_le16(m + PITCH_MODIFY_OFF_QTY, (__u16)o->qty);
		put_le16(m + PITCH_MODIFY_SHORT_OFF_PRICE, (__u16)(o->price / SHORT_PRICE_DIV));
		m[PITCH_MODIFY_SHORT_OFF_FLAGS] = ADD_FLAG_DISPLAYED;
	} else {
		put_le32(m + PITCH_MODIFY_OFF_QTY, o->qty);
		put_le64(m + PITCH_MODIFY_LONG_OFF_PRICE, o->price);
		m[PITCH_MODIFY_LONG_OFF_FLAGS] = ADD_FLAG_DISPLAYED;
	}
	return 0;
}

int pitch_put_delete(struct pitch_pkt *p, const struct pitch_order *o)
{
	return order_msg(p, PITCH_T_DELETE, PITCH_LEN_DELETE, o) ? 0 : -ENOSPC;
}

int pitch_put_status(struct pitch_pkt *p, __u32 ts_ns, const char *symbol, char status)
{
	__u8 *m = add(p, PITCH_T_TRADING_STATUS, PITCH_LEN_TRADING_STATUS);

	if (!m)
		return -ENOSPC;
	put_le32(m + PITCH_OFF_TIME_OFFSET, ts_ns);
	m[PITCH_STATUS_OFF_STATUS] = (__u8)status;
	m[PITCH_STATUS_OFF_REG_SHO] = '0';
	return put_symbol(m + pitch_type_info(PITCH_T_TRADING_STATUS).sym_off, symbol,
			  PITCH_SYMBOL_LEN_LONG);
}
