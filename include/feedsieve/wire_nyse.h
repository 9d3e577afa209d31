/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Wire layouts of the NYSE XDP Integrated Feed (XDP 2.1 and Pillar 2.5 framing, which agree on
 * every field used here), shared by the XDP program, the consumer, feedgen and the tests. Every
 * binary field is little-endian. A packet is a 16-byte header and NumberMsgs messages, each
 * starting with its own size and type; message i has sequence number SeqNum + i. Sources, and
 * the decoder that confirms each offset: docs/wire/nyse-xdp.md.
 */
#ifndef FEEDSIEVE_WIRE_NYSE_H
#define FEEDSIEVE_WIRE_NYSE_H

#include "types.h"

/* ---- Packet header (the UDP payload) ---- */
#define NYSE_OFF_PKT_SIZE      0  /* u16: the whole packet, header included */
#define NYSE_OFF_DELIVERY_FLAG 2  /* u8, NYSE_DF_* */
#define NYSE_OFF_NUM_MSGS      3  /* u8: messages in the packet, 0 in a heartbeat */
#define NYSE_OFF_SEQ           4  /* u32: sequence number of the first message */
#define NYSE_OFF_SEND_TIME     8  /* u32: seconds since the Unix epoch */
#define NYSE_OFF_SEND_TIME_NS  12 /* u32: nanoseconds within that second */
#define NYSE_PKT_HDR_LEN       16

/* DeliveryFlag values. Live: the channel's sequence. The others repeat or rebuild state for
 * numbers the live stream used (or will never use): never claimed in the live window. */
#define NYSE_DF_HEARTBEAT       1
#define NYSE_DF_FAILOVER        10
#define NYSE_DF_ORIGINAL        11
#define NYSE_DF_SEQ_RESET       12 /* carries a Sequence Number Reset, SeqNum 1 */
#define NYSE_DF_RETRANS_ONE     13
#define NYSE_DF_RETRANS_PART    15
#define NYSE_DF_REFRESH_ONE     17
#define NYSE_DF_REFRESH_START   18
#define NYSE_DF_REFRESH_PART    19
#define NYSE_DF_REFRESH_END     20
#define NYSE_DF_UNAVAILABLE     21

/* ---- Every message: size and type ---- */
#define NYSE_OFF_MSG_SIZE 0 /* u16: the whole message, these 4 bytes included */
#define NYSE_OFF_MSG_TYPE 2 /* u16 */
#define NYSE_MSG_HDR_LEN  4

/* Message types used by name. */
#define NYSE_T_SEQ_RESET          1
#define NYSE_T_SOURCE_TIME_REF    2
#define NYSE_T_SYMBOL_MAPPING     3
#define NYSE_T_MSG_UNAVAILABLE    31
#define NYSE_T_SYMBOL_CLEAR       32
#define NYSE_T_SECURITY_STATUS    34
#define NYSE_T_REFRESH_HEADER     35
#define NYSE_T_ADD_ORDER          100
#define NYSE_T_MODIFY_ORDER       101
#define NYSE_T_DELETE_ORDER       102
#define NYSE_T_ORDER_EXECUTION    103
#define NYSE_T_REPLACE_ORDER      104
#define NYSE_T_IMBALANCE          105
#define NYSE_T_ADD_ORDER_REFRESH  106
#define NYSE_T_NON_DISPLAYED_TRADE 110
#define NYSE_T_CROSS_TRADE        111
#define NYSE_T_TRADE_CANCEL       112
#define NYSE_T_CROSS_CORRECTION   113
#define NYSE_T_RETAIL_PRICE_IMPROVEMENT 114
#define NYSE_T_STOCK_SUMMARY      223

/* Symbol Index Mapping (type 3). */
#define NYSE_MAP_OFF_SYMBOL_INDEX 4  /* u32 */
#define NYSE_MAP_OFF_SYMBOL       8  /* 11 bytes ASCII, NUL padded */
#define NYSE_SYMBOL_LEN           11
#define NYSE_MAP_MIN_LEN          (NYSE_MAP_OFF_SYMBOL + NYSE_SYMBOL_LEN)

/* Common fields of the order messages (100-104), from the message start. */
#define NYSE_ORD_OFF_SOURCE_TIME_NS 4
#define NYSE_ORD_OFF_SYMBOL_SEQ     12
#define NYSE_ORD_OFF_ORDER_ID       16 /* u64 */

/*
 * Where a message type keeps its SymbolIndex (offset from the message start), 0 when it has
 * none. Types not listed are unknown: stepped over by MsgSize, about no instrument.
 */
#define NYSE_KEY_NONE 0
FS_INLINE __u32 nyse_symbol_index_off(__u16 type)
{
	switch (type) {
	case NYSE_T_SYMBOL_MAPPING:
		return 4;
	case NYSE_T_ADD_ORDER:
	case NYSE_T_MODIFY_ORDER:
	case NYSE_T_DELETE_ORDER:
	case NYSE_T_ORDER_EXECUTION:
	case NYSE_T_REPLACE_ORDER:
	case NYSE_T_NON_DISPLAYED_TRADE:
	case NYSE_T_CROSS_TRADE:
	case NYSE_T_TRADE_CANCEL:
	case NYSE_T_CROSS_CORRECTION:
	case NYSE_T_RETAIL_PRICE_IMPROVEMENT:
		return 8;
	case NYSE_T_SYMBOL_CLEAR:
	case NYSE_T_SECURITY_STATUS:
	case NYSE_T_IMBALANCE:
	case NYSE_T_ADD_ORDER_REFRESH:
	case NYSE_T_STOCK_SUMMARY:
		return 12;
	default:
		return NYSE_KEY_NONE;
	}
}

/* Messages about no instrument that every subscriber of the channel needs (a sequence reset,
 * the time base of the per-message nanoseconds, what cannot be retransmitted, refresh
 * framing): always delivered. */
FS_INLINE bool nyse_is_control(__u16 type)
{
	return type == NYSE_T_SEQ_RESET || type == NYSE_T_SOURCE_TIME_REF ||
	       type == NYSE_T_MSG_UNAVAILABLE || type == NYSE_T_REFRESH_HEADER;
}

#endif /* FEEDSIEVE_WIRE_NYSE_H */
