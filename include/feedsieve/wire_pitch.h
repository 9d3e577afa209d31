/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Wire layouts of Cboe Multicast PITCH (US equities 2.41; Cboe Futures 1.1 shares the framing
 * and the offsets used here), shared by the XDP program, the consumer, feedgen and the tests.
 * Binary fields are little-endian; symbols are ASCII padded on the right with spaces. A datagram
 * is one Sequenced Unit: an 8-byte header and HdrCount messages, each starting with its length
 * and type; message i has sequence number HdrSequence + i within its unit, and HdrSequence 0
 * means unsequenced. Sources, and the decoder that confirms each offset: docs/wire/pitch.md.
 */
#ifndef FEEDSIEVE_WIRE_PITCH_H
#define FEEDSIEVE_WIRE_PITCH_H

#include "types.h"

/* ---- Sequenced Unit Header (the UDP payload) ---- */
#define PITCH_OFF_HDR_LENGTH 0 /* u16: the whole datagram, header included */
#define PITCH_OFF_HDR_COUNT  2     /* u8: messages that follow, 0 in a heartbeat */
#define PITCH_OFF_HDR_UNIT   3 /* u8 */
#define PITCH_OFF_HDR_SEQ    4 /* u32: sequence of the first message, 0: unsequenced */
#define PITCH_HDR_LEN        8

/* ---- Every message: length and type ---- */
#define PITCH_OFF_MSG_LENGTH 0 /* u8: the whole message, these 2 bytes included */
#define PITCH_OFF_MSG_TYPE   1
#define PITCH_MSG_HDR_LEN    2

/* Fields at the same place in every message that has them. */
#define PITCH_OFF_TIME_OFFSET 2 /* u32 ns since the unit's last Time message */
#define PITCH_OFF_ORDER_ID    6 /* u64 */
#define PITCH_SYMBOL_LEN_SHORT 6
#define PITCH_SYMBOL_LEN_LONG  8 /* expanded messages, status and auction messages */

/* Message types. */
#define PITCH_T_TIME              0x20
#define PITCH_T_ADD_LONG          0x21
#define PITCH_T_ADD_SHORT         0x22
#define PITCH_T_EXECUTED          0x23
#define PITCH_T_EXECUTED_AT_PRICE 0x24
#define PITCH_T_REDUCE_LONG       0x25
#define PITCH_T_REDUCE_SHORT      0x26
#define PITCH_T_MODIFY_LONG       0x27
#define PITCH_T_MODIFY_SHORT      0x28
#define PITCH_T_DELETE            0x29
#define PITCH_T_TRADE_LONG        0x2A
#define PITCH_T_TRADE_SHORT       0x2B
#define PITCH_T_TRADE_BREAK       0x2C
#define PITCH_T_END_OF_SESSION    0x2D
#define PITCH_T_ADD_EXPANDED      0x2F
#define PITCH_T_TRADE_EXPANDED    0x30
#define PITCH_T_TRADING_STATUS    0x31
#define PITCH_T_AUCTION_UPDATE    0x95
#define PITCH_T_AUCTION_SUMMARY   0x96
#define PITCH_T_UNIT_CLEAR        0x97
#define PITCH_T_RPI               0x98

/* Quantity fields of the order messages (offsets from the message start). */
#define PITCH_ADD_OFF_QTY             15 /* Long/Expanded u32, Short u16 */
#define PITCH_EXEC_OFF_QTY            14 /* u32 executed */
#define PITCH_EXEC_AT_PRICE_OFF_REMAINING 18 /* u32 */
#define PITCH_REDUCE_OFF_QTY          14 /* Long u32, Short u16: cancelled */
#define PITCH_MODIFY_OFF_QTY          14 /* Long u32, Short u16: the new quantity */

/*
 * What a message type says about its instrument: the place and width of an inline symbol, or
 * that it names only an order. The minimum length is what must be present to read what the
 * program reads (symbol, Order ID, quantity).
 */
enum pitch_key_kind {
	PITCH_KEY_NONE = 0,  /* about no instrument, or unknown: stepped over by Length */
	PITCH_KEY_CONTROL,   /* about no instrument, needed by every subscriber: always delivered */
	PITCH_KEY_SYMBOL,    /* symbol inline, no order to remember (trades, status, auctions) */
	PITCH_KEY_ADD,       /* symbol inline, and an order to remember */
	PITCH_KEY_ORDER,     /* Order ID only */
};

struct pitch_type_info {
	__u8 kind;    /* enum pitch_key_kind */
	__u8 sym_off; /* PITCH_KEY_SYMBOL/ADD: where the symbol starts */
	__u8 sym_len; /* its width: 6 or 8 */
	__u8 min_len; /* Length must be at least this */
	__u8 qty_off; /* ADD and ORDER: the quantity field, 0: none */
	__u8 qty_len; /* 2 or 4 */
};

FS_INLINE struct pitch_type_info pitch_type_info(__u8 type)
{
	struct pitch_type_info t = {};

	switch (type) {
	case PITCH_T_TIME:
	case PITCH_T_UNIT_CLEAR:
	case PITCH_T_END_OF_SESSION:
	case PITCH_T_TRADE_BREAK:
		t.kind = PITCH_KEY_CONTROL;
		t.min_len = PITCH_MSG_HDR_LEN;
		break;
	case PITCH_T_ADD_LONG:
		t = (struct pitch_type_info){PITCH_KEY_ADD, 19, 6, 25, PITCH_ADD_OFF_QTY, 4};
		break;
	case PITCH_T_ADD_SHORT:
		t = (struct pitch_type_info){PITCH_KEY_ADD, 17, 6, 23, PITCH_ADD_OFF_QTY, 2};
		break;
	case PITCH_T_ADD_EXPANDED:
		t = (struct pitch_type_info){PITCH_KEY_ADD, 19, 8, 27, PITCH_ADD_OFF_QTY, 4};
		break;
	case PITCH_T_TRADE_LONG:
	case PITCH_T_TRADE_SHORT:
		t = (struct pitch_type_info){PITCH_KEY_SYMBOL, type == PITCH_T_TRADE_LONG ? 19 : 17,
					     6, type == PITCH_T_TRADE_LONG ? 25 : 23, 0, 0};
		break;
	case PITCH_T_TRADE_EXPANDED:
		t = (struct pitch_type_info){PITCH_KEY_SYMBOL, 19, 8, 27, 0, 0};
		break;
	case PITCH_T_TRADING_STATUS:
	case PITCH_T_AUCTION_UPDATE:
	case PITCH_T_AUCTION_SUMMARY:
	case PITCH_T_RPI:
		t = (struct pitch_type_info){PITCH_KEY_SYMBOL, 6, 8, 14, 0, 0};
		break;
	case PITCH_T_EXECUTED:
		t = (struct pitch_type_info){PITCH_KEY_ORDER, 0, 0, 18, PITCH_EXEC_OFF_QTY, 4};
		break;
	case PITCH_T_EXECUTED_AT_PRICE:
		t = (struct pitch_type_info){PITCH_KEY_ORDER, 0, 0, 22,
					     PITCH_EXEC_AT_PRICE_OFF_REMAINING, 4};
		break;
	case PITCH_T_REDUCE_LONG:
		t = (struct pitch_type_info){PITCH_KEY_ORDER, 0, 0, 18, PITCH_REDUCE_OFF_QTY, 4};
		break;
	case PITCH_T_REDUCE_SHORT:
		t = (struct pitch_type_info){PITCH_KEY_ORDER, 0, 0, 16, PITCH_REDUCE_OFF_QTY, 2};
		break;
	case PITCH_T_MODIFY_LONG:
		t = (struct pitch_type_info){PITCH_KEY_ORDER, 0, 0, 18, PITCH_MODIFY_OFF_QTY, 4};
		break;
	case PITCH_T_MODIFY_SHORT:
		t = (struct pitch_type_info){PITCH_KEY_ORDER, 0, 0, 16, PITCH_MODIFY_OFF_QTY, 2};
		break;
	case PITCH_T_DELETE:
		t = (struct pitch_type_info){PITCH_KEY_ORDER, 0, 0, 14, 0, 0};
		break;
	default:
		t.kind = PITCH_KEY_NONE;
		t.min_len = PITCH_MSG_HDR_LEN;
	}
	return t;
}

#endif /* FEEDSIEVE_WIRE_PITCH_H */
