/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Pure encoders of the NYSE XDP Integrated Feed messages feedgen sends, and the packet builder.
 * The header, message header, SymbolIndex, symbol and Order ID are where
 * include/feedsieve/wire_nyse.h says; the other fields, which only feedgen writes, at the offsets
 * below (from the message start, its 4-byte size and type included; docs/wire/nyse-xdp.md gives
 * their source). Little-endian throughout.
 */
#ifndef FEEDGEN_NYSE_ENCODE_H
#define FEEDGEN_NYSE_ENCODE_H

#include <stdbool.h>
#include <stddef.h>
#include <feedsieve/wire_nyse.h>

#include "pkt.h"

/* Message sizes, header included. */
#define NYSE_LEN_SEQ_RESET	 14
#define NYSE_LEN_TIME_REF	 16
#define NYSE_LEN_MAPPING	 44
#define NYSE_LEN_REFRESH_HEADER	 16
#define NYSE_LEN_ADD_ORDER	 39
#define NYSE_LEN_MODIFY_ORDER	 35
#define NYSE_LEN_DELETE_ORDER	 25
#define NYSE_LEN_ORDER_EXECUTION 42
#define NYSE_LEN_REPLACE_ORDER	 42
#define NYSE_LEN_ADD_REFRESH	 43
#define NYSE_LEN_NON_DISPLAYED	 33
#define NYSE_LEN_CROSS_TRADE	 29
#define NYSE_LEN_TRADE_CANCEL	 20

/* Sequence Number Reset (1). */
#define NYSE_RESET_OFF_SOURCE_TIME    4
#define NYSE_RESET_OFF_SOURCE_TIME_NS 8
#define NYSE_RESET_OFF_PRODUCT_ID     12
#define NYSE_RESET_OFF_CHANNEL_ID     13
/* Source Time Reference (2). */
#define NYSE_TREF_OFF_ID	  4
#define NYSE_TREF_OFF_SYMBOL_SEQ  8
#define NYSE_TREF_OFF_SOURCE_TIME 12
/* Symbol Index Mapping (3), after the symbol. */
#define NYSE_MAP_OFF_MARKET_ID	      20 /* u16 */
#define NYSE_MAP_OFF_SYSTEM_ID	      22
#define NYSE_MAP_OFF_EXCHANGE_CODE    23
#define NYSE_MAP_OFF_PRICE_SCALE_CODE 24
#define NYSE_MAP_OFF_SECURITY_TYPE    25
#define NYSE_MAP_OFF_LOT_SIZE	      26 /* u16 */
#define NYSE_MAP_OFF_PREV_CLOSE_PRICE 28
#define NYSE_MAP_OFF_PREV_CLOSE_VOL   32
#define NYSE_MAP_OFF_PRICE_RESOLUTION 36
#define NYSE_MAP_OFF_ROUND_LOT	      37
#define NYSE_MAP_OFF_MPV	      38 /* u16 */
#define NYSE_MAP_OFF_UNIT_OF_TRADE    40 /* u16 */
/* Refresh Header (35). */
#define NYSE_RHDR_OFF_CURRENT	     4 /* u16 */
#define NYSE_RHDR_OFF_TOTAL	     6 /* u16 */
#define NYSE_RHDR_OFF_LAST_SEQ	     8
#define NYSE_RHDR_OFF_LAST_SYMBOL_SEQ 12
/* Order messages 100-104 after the Order ID (NYSE_ORD_OFF_*). */
#define NYSE_ADD_OFF_PRICE	24
#define NYSE_ADD_OFF_VOLUME	28
#define NYSE_ADD_OFF_SIDE	32
#define NYSE_ADD_OFF_FIRM	33 /* 5 bytes ASCII */
#define NYSE_ADD_OFF_SPLITS	38
#define NYSE_MOD_OFF_PRICE	24
#define NYSE_MOD_OFF_VOLUME	28
#define NYSE_MOD_OFF_POSITION	32
#define NYSE_MOD_OFF_PREV_SPLITS 33
#define NYSE_MOD_OFF_NEW_SPLITS	34
#define NYSE_DEL_OFF_SPLITS	24
#define NYSE_EXEC_OFF_TRADE_ID	24
#define NYSE_EXEC_OFF_PRICE	28
#define NYSE_EXEC_OFF_VOLUME	32
#define NYSE_EXEC_OFF_PRINTABLE 36
#define NYSE_EXEC_OFF_SPLITS	37
#define NYSE_EXEC_OFF_DB_EXEC	38
#define NYSE_REPL_OFF_NEW_ID	24 /* u64 */
#define NYSE_REPL_OFF_PRICE	32
#define NYSE_REPL_OFF_VOLUME	36
#define NYSE_REPL_OFF_PREV_SPLITS 40
#define NYSE_REPL_OFF_NEW_SPLITS 41
/* Add Order Refresh (106): SourceTime first, so everything after it is 4 bytes later. */
#define NYSE_AREF_OFF_SOURCE_TIME    4
#define NYSE_AREF_OFF_SOURCE_TIME_NS 8
#define NYSE_AREF_OFF_SYMBOL_SEQ     16
#define NYSE_AREF_OFF_ORDER_ID	     20
#define NYSE_AREF_OFF_PRICE	     28
#define NYSE_AREF_OFF_VOLUME	     32
#define NYSE_AREF_OFF_SIDE	     36
#define NYSE_AREF_OFF_FIRM	     37
#define NYSE_AREF_OFF_SPLITS	     42
/* Trades 110-112, after SymbolSeqNum (12). */
#define NYSE_TRADE_OFF_ID	    16 /* TradeID (110, 112) or CrossID (111) */
#define NYSE_TRADE_OFF_PRICE	    20
#define NYSE_TRADE_OFF_VOLUME	    24
#define NYSE_NDT_OFF_PRINTABLE	    28
#define NYSE_NDT_OFF_DB_EXEC	    29
#define NYSE_CROSS_OFF_TYPE	    28

#define NYSE_FIRM_LEN 5

/* An order as the messages that add, change or refresh it describe it. */
struct nyse_order {
	__u32 src_sec; /* SourceTime (106 only) */
	__u32 src_ns;
	__u32 symbol_index;
	__u32 symbol_seq;
	__u64 order_id;
	__u32 price; /* scaled by the mapping's PriceScaleCode */
	__u32 volume;
	char side; /* 'B' or 'S' */
};

/* A packet under construction. */
struct nyse_pkt {
	__u8 buf[FG_PAYLOAD_MAX];
	size_t len;
	__u8 count;
};

void nyse_pkt__init(struct nyse_pkt *p, __u8 flag, __u32 seq, __u64 send_time_ns);
/* Room for a message of LEN bytes (the header's u8 count included); false when full. */
bool nyse_pkt__fits(const struct nyse_pkt *p, size_t len);
/* The next message's bytes, LEN of them zeroed with size and type set; NULL when it does not
 * fit. */
__u8 *nyse_pkt__add(struct nyse_pkt *p, __u16 type, size_t len);
/* Write PktSize (every add does). */
void nyse_pkt__finish(struct nyse_pkt *p);

int nyse_put_seq_reset(struct nyse_pkt *p, __u64 time_ns);
int nyse_put_time_ref(struct nyse_pkt *p, __u32 sec);
int nyse_put_mapping(struct nyse_pkt *p, __u32 index, const char *symbol, __u32 prev_close);
int nyse_put_refresh_header(struct nyse_pkt *p, __u16 current, __u16 total, __u32 last_seq);
int nyse_put_add(struct nyse_pkt *p, const struct nyse_order *o, bool refresh);
int nyse_put_modify(struct nyse_pkt *p, const struct nyse_order *o);
int nyse_put_delete(struct nyse_pkt *p, const struct nyse_order *o);
int nyse_put_execution(struct nyse_pkt *p, const struct nyse_order *o, __u32 trade_id,
		       __u32 volume);
int nyse_put_replace(struct nyse_pkt *p, const struct nyse_order *o, __u64 new_id);
/* Trades without an order: 110 (TradeID), 111 (CrossID), 112 (TradeID, nothing else). */
int nyse_put_trade(struct nyse_pkt *p, __u16 type, const struct nyse_order *o, __u32 id);

#endif /* FEEDGEN_NYSE_ENCODE_H */
