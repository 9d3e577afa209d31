/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Pure encoders of the Cboe Multicast PITCH messages feedgen sends, and the Sequenced Unit
 * builder. Header, message header, symbol, Order ID and quantity fields are where
 * include/feedsieve/wire_pitch.h says; the fields only feedgen writes at the offsets below (from
 * the message start, its Length and Type included; docs/wire/pitch.md gives their source).
 * Binary fields little-endian; long prices have 4 implied decimals, short prices 2.
 */
#ifndef FEEDGEN_PITCH_ENCODE_H
#define FEEDGEN_PITCH_ENCODE_H

#include <stdbool.h>
#include <stddef.h>
#include <feedsieve/wire_pitch.h>

#include "pkt.h"

/* Message lengths. */
#define PITCH_LEN_TIME		  6
#define PITCH_LEN_UNIT_CLEAR	  6
#define PITCH_LEN_ADD_LONG	  34
#define PITCH_LEN_ADD_SHORT	  26
#define PITCH_LEN_ADD_EXPANDED	  41
#define PITCH_LEN_EXECUTED	  26
#define PITCH_LEN_EXECUTED_AT_PRICE 38
#define PITCH_LEN_REDUCE_LONG	  18
#define PITCH_LEN_REDUCE_SHORT	  16
#define PITCH_LEN_MODIFY_LONG	  27
#define PITCH_LEN_MODIFY_SHORT	  19
#define PITCH_LEN_DELETE	  14
#define PITCH_LEN_TRADE_LONG	  41
#define PITCH_LEN_TRADE_SHORT	  33
#define PITCH_LEN_TRADE_EXPANDED  43
#define PITCH_LEN_TRADING_STATUS  18

#define PITCH_TIME_OFF_SECONDS 2 /* Time: seconds since midnight, in place of the offset */
/* Add Order and Trade: side, then quantity (PITCH_ADD_OFF_QTY), symbol and price. */
#define PITCH_ADD_OFF_SIDE	     14
#define PITCH_ADD_SHORT_OFF_PRICE    23 /* u16 */
#define PITCH_ADD_SHORT_OFF_FLAGS    25
#define PITCH_ADD_LONG_OFF_PRICE     25 /* u64 */
#define PITCH_ADD_LONG_OFF_FLAGS     33
#define PITCH_ADD_EXP_OFF_PRICE	     27 /* u64 */
#define PITCH_ADD_EXP_OFF_FLAGS	     35
#define PITCH_ADD_EXP_OFF_PARTICIPANT 36 /* 4 bytes ASCII */
#define PITCH_ADD_EXP_OFF_CUSTOMER   40
#define PITCH_TRADE_SHORT_OFF_EXEC   25 /* u64 Execution ID */
#define PITCH_TRADE_LONG_OFF_EXEC    33
#define PITCH_TRADE_EXP_OFF_EXEC     35
/* Executions. */
#define PITCH_EXEC_OFF_EXEC_ID	     18
#define PITCH_EXEC_AT_PRICE_OFF_EXEC_ID 22
#define PITCH_EXEC_AT_PRICE_OFF_PRICE 30
/* Modify Order: price after the quantity, then the flags. */
#define PITCH_MODIFY_SHORT_OFF_PRICE 16
#define PITCH_MODIFY_SHORT_OFF_FLAGS 18
#define PITCH_MODIFY_LONG_OFF_PRICE  18
#define PITCH_MODIFY_LONG_OFF_FLAGS  26
/* Trading Status. */
#define PITCH_STATUS_OFF_STATUS	     14
#define PITCH_STATUS_OFF_REG_SHO     15

/* A unit under construction. */
struct pitch_pkt {
	__u8 buf[FG_PAYLOAD_MAX];
	size_t len;
	__u8 count;
};

void pitch_pkt__init(struct pitch_pkt *p, __u8 unit, __u32 seq);
bool pitch_pkt__fits(const struct pitch_pkt *p, size_t len);

/* What an order message says. */
struct pitch_order {
	__u32 ts_ns; /* since the unit's last Time message */
	__u64 order_id;
	char side;
	__u32 qty;
	const char *symbol; /* 1..8 characters */
	__u64 price;	    /* 4 implied decimals */
};

/* Whether an add or trade of O fits the short form (6-character symbol, u16 quantity, cents). */
bool pitch_fits_short(const struct pitch_order *o);

int pitch_put_time(struct pitch_pkt *p, __u32 seconds);
int pitch_put_unit_clear(struct pitch_pkt *p, __u32 ts_ns);
/* Add Order or Trade of TYPE (long, short, expanded). */
int pitch_put_add(struct pitch_pkt *p, __u8 type, const struct pitch_order *o);
int pitch_put_trade(struct pitch_pkt *p, __u8 type, const struct pitch_order *o, __u64 exec_id);
int pitch_put_executed(struct pitch_pkt *p, const struct pitch_order *o, __u32 executed,
		       __u64 exec_id);
int pitch_put_executed_at_price(struct pitch_pkt *p, const struct pitch_order *o,
				__u32 executed, __u32 remaining, __u64 exec_id);
int pitch_put_reduce(struct pitch_pkt *p, bool is_short, const struct pitch_order *o,
		     __u32 canceled);
/* O's qty and price are the new ones. */
int pitch_put_modify(struct pitch_pkt *p, bool is_short, const struct pitch_order *o);
int pitch_put_delete(struct pitch_pkt *p, const struct pitch_order *o);
int pitch_put_status(struct pitch_pkt *p, __u32 ts_ns, const char *symbol, char status);

#endif /* FEEDGEN_PITCH_ENCODE_H */
