// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* NYSE XDP Integrated Feed encoders (offsets in nyse_encode.h and wire_nyse.h). */
#include <errno.h>
#include <string.h>

#include "byteorder.h"
#include "nyse_encode.h"

#define NS_PER_SEC	   1000000000ULL
#define MARKET_ID_NYSE	   1   /* NYSE Equities */
#define SYSTEM_ID	   1
#define PRICE_SCALE_CODE   4   /* prices have 4 implied decimals, as feedgen's book */
#define LOT_SIZE	   100
#define MPV		   1   /* one unit of the scaled price: $0.0001 */
#define UNIT_OF_TRADE	   100
#define PRODUCT_ID	   115 /* NYSE Tape A integrated */
#define CHANNEL_ID	   1
#define TIME_REF_ID	   1
#define PRINTABLE	   1
#define CROSS_TYPE_OPEN	   'O'

void nyse_pkt__init(struct nyse_pkt *p, __u8 flag, __u32 seq, __u64 send_time_ns)
{
	memset(p->buf, 0, NYSE_PKT_HDR_LEN);
	p->buf[NYSE_OFF_DELIVERY_FLAG] = flag;
	put_le32(p->buf + NYSE_OFF_SEQ, seq);
	put_le32(p->buf + NYSE_OFF_SEND_TIME, (__u32)(send_time_ns / NS_PER_SEC));
	put_le32(p->buf + NYSE_OFF_SEND_TIME_NS, (__u32)(send_time_ns % NS_PER_SEC));
	p->len = NYSE_PKT_HDR_LEN;
	p->count = 0;
	nyse_pkt__finish(p);
}

bool nyse_pkt__fits(const struct nyse_pkt *p, size_t len)
{
	return p->count < 255 && p->len + len <= sizeof(p->buf);
}

__u8 *nyse_pkt__add(struct nyse_pkt *p, __u16 type, size_t len)
{
	__u8 *m = p->buf + p->len;

	if (!nyse_pkt__fits(p, len))
		return NULL;
	memset(m, 0, len);
	put_le16(m + NYSE_OFF_MSG_SIZE, (__u16)len);
	put_le16(m + NYSE_OFF_MSG_TYPE, type);
	p->len += len;
	p->count++;
	p->buf[NYSE_OFF_NUM_MSGS] = p->count;
	nyse_pkt__finish(p);
	return m;
}

void nyse_pkt__finish(struct nyse_pkt *p)
{
	put_le16(p->buf + NYSE_OFF_PKT_SIZE, (__u16)p->len);
}

int nyse_put_seq_reset(struct nyse_pkt *p, __u64 time_ns)
{
	__u8 *m = nyse_pkt__add(p, NYSE_T_SEQ_RESET, NYSE_LEN_SEQ_RESET);

	if (!m)
		return -ENOSPC;
	put_le32(m + NYSE_RESET_OFF_SOURCE_TIME, (__u32)(time_ns / NS_PER_SEC));
	put_le32(m + NYSE_RESET_OFF_SOURCE_TIME_NS, (__u32)(time_ns % NS_PER_SEC));
	m[NYSE_RESET_OFF_PRODUCT_ID] = PRODUCT_ID;
	m[NYSE_RESET_OFF_CHANNEL_ID] = CHANNEL_ID;
	return 0;
}

int nyse_put_time_ref(struct nyse_pkt *p, __u32 sec)
{
	__u8 *m = nyse_pkt__add(p, NYSE_T_SOURCE_TIME_REF, NYSE_LEN_TIME_REF);

	if (!m)
		return -ENOSPC;
	put_le32(m + NYSE_TREF_OFF_ID, TIME_REF_ID);
	put_le32(m + NYSE_TREF_OFF_SOURCE_TIME, sec);
	return 0;
}

int nyse_put_mapping(struct nyse_pkt *p, __u32 index, const char *symbol, __u32 prev_close)
{
	size_t n = strlen(symbol);
	__u8 *m;

	if (n == 0 || n > NYSE_SYMBOL_LEN)
		return -EINVAL;
	m = nyse_pkt__add(p, NYSE_T_SYMBOL_MAPPING, NYSE_LEN_MAPPING);
	if (!m)
		return -ENOSPC;
	put_le32(m + NYSE_MAP_OFF_SYMBOL_INDEX, index);
	memcpy(m + NYSE_MAP_OFF_SYMBOL, symbol, n); /* NUL padded: the message was zeroed */
	put_le16(m + NYSE_MAP_OFF_MARKET_ID, MARKET_ID_NYSE);
	m[NYSE_MAP_OFF_SYSTEM_ID] = SYSTEM_ID;
	m[NYSE_MAP_OFF_EXCHANGE_CODE] = 'N';
	m[NYSE_MAP_OFF_PRICE_SCALE_CODE] = PRICE_SCALE_CODE;
	m[NYSE_MAP_OFF_SECURITY_TYPE] = 'A'; /* common stock */
	put_le16(m + NYSE_MAP_OFF_LOT_SIZE, LOT_SIZE);
	put_le32(m + NYSE_MAP_OFF_PREV_CLOSE_PRICE, prev_close);
	m[NYSE_MAP_OFF_PRICE_RESOLUTION] = 0; /* all penny */
	m[NYSE_MAP_OFF_ROUND_LOT] = 'Y';
	put_le16(m + NYSE_MAP_OFF_MPV, MPV);
	put_le16(m + NYSE_MAP_OFF_UNIT_OF_TRADE, UNIT_OF_TRADE);
	return 0;
}

int nyse_put_refresh_header(struct nyse_pkt *p, __u16 current, __u16 total, __u32 last_seq)
{
	__u8 *m = nyse_pkt__add(p, NYSE_T_REFRESH_HEADER, NYSE_LEN_REFRESH_HEADER);

	if (!m)
		return -ENOSPC;
	put_le16(m + NYSE_RHDR_OFF_CURRENT, current);
	put_le16(m + NYSE_RHDR_OFF_TOTAL, total);
	put_le32(m + NYSE_RHDR_OFF_LAST_SEQ, last_seq);
	return 0;
}

/* The fields every order message starts with. */
static __u8 *order_msg(struct nyse_pkt *p, __u16 type, size_t len, const struct nyse_order *o)
{
	__u8 *m = nyse_pkt__add(p, type, len);

	if (!m)
		return NULL;
	put_le32(m + NYSE_ORD_OFF_SOURCE_TIME_NS, o->src_ns);
	put_le32(m + nyse_symbol_index_off(type), o->symbol_index);
	put_le32(m + NYSE_ORD_OFF_SYMBOL_SEQ, o->symbol_seq);
	put_le64(m + NYSE_ORD_OFF_ORDER_ID, o->order_id);
	return m;
}

int nyse_put_add(struct nyse_pkt *p, const struct nyse_order *o, bool refresh)
{
	__u8 *m;

	if (!refresh) {
		m = order_msg(p, NYSE_T_ADD_ORDER, NYSE_LEN_ADD_ORDER, o);
		if (!m)
			return -ENOSPC;
		put_le32(m + NYSE_ADD_OFF_PRICE, o->price);
		put_le32(m + NYSE_ADD_OFF_VOLUME, o->volume);
		m[NYSE_ADD_OFF_SIDE] = (__u8)o->side;
		memset(m + NYSE_ADD_OFF_FIRM, ' ', NYSE_FIRM_LEN);
		return 0;
	}
	m = nyse_pkt__add(p, NYSE_T_ADD_ORDER_REFRESH, NYSE_LEN_ADD_REFRESH);
	if (!m)
		return -ENOSPC;
	put_le32(m + NYSE_AREF_OFF_SOURCE_TIME, o->src_sec);
	put_le32(m + NYSE_AREF_OFF_SOURCE_TIME_NS, o->src_ns);
	put_le32(m + nyse_symbol_index_off(NYSE_T_ADD_ORDER_REFRESH), o->symbol_index);
	put_le32(m + NYSE_AREF_OFF_SYMBOL_SEQ, o->symbol_seq);
	put_le64(m + NYSE_AREF_OFF_ORDER_ID, o->order_id);
	put_le32(m + NYSE_AREF_OFF_PRICE, o->price);
	put_le32(m + NYSE_AREF_OFF_VOLUME, o->volume);
	m[NYSE_AREF_OFF_SIDE] = (__u8)o->side;
	memset(m + NYSE_AREF_OFF_FIRM, ' ', NYSE_FIRM_LEN);
	return 0;
}

int nyse_put_modify(struct nyse_pkt *p, const struct nyse_order *o)
{
	__u8 *m = order_msg(p, NYSE_T_MODIFY_ORDER, NYSE_LEN_MODIFY_ORDER, o);

	if (!m)
		return -ENOSPC;
	put_le32(m + NYSE_MOD_OFF_PRICE, o->price);
	put_le32(m + NYSE_MOD_OFF_VOLUME, o->volume);
	m[NYSE_MOD_OFF_POSITION] = 1; /* a new price or more volume loses the queue position */
	return 0;
}

int nyse_put_delete(struct nyse_pkt *p, const struct nyse_order *o)
{
	return order_msg(p, NYSE_T_DELETE_ORDER, NYSE_LEN_DELETE_ORDER, o) ? 0 : -ENOSPC;
}

int nyse_put_execution(struct nyse_pkt *p, const struct nyse_order *o, __u32 trade_id,
		       __u32 volume)
{
	__u8 *m = order_msg(p, NYSE_T_ORDER_EXECUTION, NYSE_LEN_ORDER_EXECUTION, o);

	if (!m)
		return -ENOSPC;
	put_le32(m + NYSE_EXEC_OFF_TRADE_ID, trade_id);
	put_le32(m + NYSE_EXEC_OFF_PRICE, o->price);
	put_le32(m + NYSE_EXEC_OFF_VOLUME, volume);
	m[NYSE_EXEC_OFF_PRINTABLE] = PRINTABLE;
	return 0;
}

int nyse_put_replace(struct nyse_pkt *p, const struct nyse_order *o, __u64 new_id)
{
	__u8 *m = order_msg(p, NYSE_T_REPLACE_ORDER, NYSE_LEN_REPLACE_ORDER, o);

	if (!m)
		return -ENOSPC;
	put_le64(m + NYSE_REPL_OFF_NEW_ID, new_id);
	put_le32(m + NYSE_REPL_OFF_PRICE, o->price);
	put_le32(m + NYSE_REPL_OFF_VOLUME, o->volume);
	return 0;
}

int nyse_put_trade(struct nyse_pkt *p, __u16 type, const struct nyse_order *o, __u32 id)
{
	size_t len = type == NYSE_T_NON_DISPLAYED_TRADE ? NYSE_LEN_NON_DISPLAYED
		     : type == NYSE_T_CROSS_TRADE	? NYSE_LEN_CROSS_TRADE
							: NYSE_LEN_TRADE_CANCEL;
	__u8 *m = nyse_pkt__add(p, type, len);

	if (!m)
		return -ENOSPC;
	put_le32(m + NYSE_ORD_OFF_SOURCE_TIME_NS, o->src_ns);
	put_le32(m + nyse_symbol_index_off(type), o->symbol_index);
	put_le32(m + NYSE_ORD_OFF_SYMBOL_SEQ, o->symbol_seq);
	put_le32(m + NYSE_TRADE_OFF_ID, id);
	if (type == NYSE_T_TRADE_CANCEL)
		return 0;
	put_le32(m + NYSE_TRADE_OFF_PRICE, o->price);
	put_le32(m + NYSE_TRADE_OFF_VOLUME, o->volume);
	if (type == NYSE_T_NON_DISPLAYED_TRADE)
		m[NYSE_NDT_OFF_PRINTABLE] = PRINTABLE;
	else
		m[NYSE_CROSS_OFF_TYPE] = CROSS_TYPE_OPEN;
	return 0;
}
