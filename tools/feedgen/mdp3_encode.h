/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Pure encoders of the CME MDP 3.0 messages feedgen sends (SBE schema 1, version 13), and the
 * packet builder. No I/O and no state beyond the caller's buffers, so the unit tests check them
 * byte by byte against docs/wire/mdp3.md. The instrument key (SecurityID) and RptSeq are placed
 * where include/feedsieve/wire_mdp3.h's template table says; the other fields at the offsets of
 * the version-13 layouts below (docs/wire/mdp3.md gives their source).
 */
#ifndef FEEDGEN_MDP3_ENCODE_H
#define FEEDGEN_MDP3_ENCODE_H

#include <stdbool.h>
#include <stddef.h>
#include <feedsieve/mdp3_templates.h> /* mdp3_template(): the row of a template id */

#include "pkt.h"

#define MDP3_SCHEMA_ID 1
#define MDP3_VERSION   13 /* the schema version whose block lengths feedgen writes */

/* Root block lengths of version 13. */
#define MDP3_CHANNEL_RESET_ROOT 9 /* TransactTime, MatchEventIndicator */
#define MDP3_HEARTBEAT_ROOT	0
#define MDP3_INCR_ROOT		11  /* TransactTime, MatchEventIndicator, 2 padding (37, 46, 48) */
#define MDP3_DEF_FUTURE_ROOT	224 /* 54 */
#define MDP3_DEF_SPREAD_ROOT	255 /* 56 */
#define MDP3_SNAPSHOT_ROOT	59  /* 52: up to MaxPriceVariation */

/* Entry (group member) block lengths of version 13. */
#define MDP3_RESET_ENTRY       2  /* ApplID */
#define MDP3_VOLUME_ENTRY      16 /* 37 */
#define MDP3_BOOK_ENTRY	       32 /* 46 */
#define MDP3_BOOK_ORDER_ENTRY  24 /* 46, second group (groupSize8Byte) */
#define MDP3_TRADE_ENTRY       32 /* 48 */
#define MDP3_TRADE_ORDER_ENTRY 16 /* 48, second group (groupSize8Byte) */
#define MDP3_DEF_EVENT_ENTRY   9  /* 54/56 group 0: EventType, EventTime */
#define MDP3_DEF_FEED_ENTRY    4  /* 54/56 group 1: MDFeedType, MarketDepth */
#define MDP3_DEF_LEG_ENTRY     18 /* 56 group 4 */
#define MDP3_SNAPSHOT_ENTRY    22 /* 52 group 0 (NoMDEntries) */

/* Root fields shared by the incremental templates (and ChannelReset). */
#define MDP3_ROOT_OFF_TRANSACT_TIME 0 /* u64 ns since the epoch */
#define MDP3_ROOT_OFF_MATCH_EVENT   8 /* u8 MatchEventIndicator bits */

/* MatchEventIndicator bits. */
#define MDP3_MEI_LAST_TRADE   0x01
#define MDP3_MEI_LAST_VOLUME  0x02
#define MDP3_MEI_LAST_QUOTE   0x04
#define MDP3_MEI_END_OF_EVENT 0x80

/* Book entry (46) fields other than SecurityID and RptSeq. */
#define MDP3_BOOK_OFF_PX	     0	/* i64 PRICENULL9 mantissa, exponent -9 */
#define MDP3_BOOK_OFF_SIZE	     8	/* i32, Int32NULL */
#define MDP3_BOOK_OFF_ORDERS	     20 /* i32 NumberOfOrders, Int32NULL */
#define MDP3_BOOK_OFF_LEVEL	     24 /* u8 MDPriceLevel */
#define MDP3_BOOK_OFF_ACTION	     25 /* u8 MDUpdateAction */
#define MDP3_BOOK_OFF_ENTRY_TYPE     26 /* char MDEntryType */
#define MDP3_BOOK_OFF_TRADEABLE_SIZE 27 /* i32, Int32NULL */
/* Book order entry (46, group 1). */
#define MDP3_ORDER_OFF_ID	    0  /* u64 OrderID */
#define MDP3_ORDER_OFF_PRIORITY	    8  /* u64 MDOrderPriority, uInt64NULL */
#define MDP3_ORDER_OFF_DISPLAY_QTY  16 /* i32 MDDisplayQty, Int32NULL */
#define MDP3_ORDER_OFF_REFERENCE_ID 20 /* u8 ReferenceID: 1-based entry of group 0 */
#define MDP3_ORDER_OFF_ACTION	    21 /* u8 OrderUpdateAction */
/* Trade entry (48). */
#define MDP3_TRADE_OFF_PX	 0  /* i64 PRICE9 */
#define MDP3_TRADE_OFF_SIZE	 8  /* i32 */
#define MDP3_TRADE_OFF_ORDERS	 20 /* i32 NumberOfOrders */
#define MDP3_TRADE_OFF_AGGRESSOR 24 /* u8 AggressorSide */
#define MDP3_TRADE_OFF_ACTION	 25 /* u8 MDUpdateAction */
#define MDP3_TRADE_OFF_ENTRY_ID	 26 /* u32 MDTradeEntryID, uInt32NULL */
/* Trade order entry (48, group 1). */
#define MDP3_TRADE_ORDER_OFF_ID	 0 /* u64 OrderID */
#define MDP3_TRADE_ORDER_OFF_QTY 8 /* i32 LastQty */
/* Volume entry (37). */
#define MDP3_VOLUME_OFF_SIZE   0  /* i32 MDEntrySize */
#define MDP3_VOLUME_OFF_ACTION 12 /* u8 MDUpdateAction */

/* Definition roots (54, 56) beyond the shared Symbol/SecurityID/UpdateAction of wire_mdp3.h. */
#define MDP3_DEF_OFF_TOT_NUM_REPORTS 1	/* u32 */
#define MDP3_DEF_OFF_LAST_UPDATE     6	/* u64 */
#define MDP3_DEF_OFF_TRADING_STATUS  14 /* u8 */
#define MDP3_DEF_OFF_APPL_ID	     15 /* i16 */
#define MDP3_DEF_OFF_SEGMENT	     17 /* u8 MarketSegmentID */
#define MDP3_DEF_OFF_EXCHANGE	     19 /* 4 chars */
#define MDP3_DEF_OFF_GROUP	     23 /* 6 chars SecurityGroup */
#define MDP3_DEF_OFF_ASSET	     29 /* 6 chars */
#define MDP3_DEF_OFF_SECURITY_TYPE   59 /* 6 chars */
#define MDP3_DEF_OFF_CFI	     65 /* 6 chars */
#define MDP3_DEF_OFF_MATURITY	     71 /* u16 year, u8 month, u8 day, u8 week */
#define MDP3_DEF_OFF_CURRENCY	     76 /* 3 chars */

/* SnapshotFullRefresh (52) root beyond wire_mdp3.h's MDP3_SNAP_OFF_*. */
#define MDP3_SNAP_OFF_TRANSACT_TIME  16 /* u64 */
#define MDP3_SNAP_OFF_LAST_UPDATE    24 /* u64 LastUpdateTime */
#define MDP3_SNAP_OFF_TRADE_DATE     32 /* u16 LocalMktDate */
#define MDP3_SNAP_OFF_TRADING_STATUS 34 /* u8 MDSecurityTradingStatus, uInt8NULL */
#define MDP3_SNAP_OFF_HIGH_LIMIT     35 /* i64 PRICENULL9 */
#define MDP3_SNAP_OFF_LOW_LIMIT      43 /* i64 PRICENULL9 */
#define MDP3_SNAP_OFF_MAX_VARIATION  51 /* i64 PRICENULL9 */
/* SnapshotFullRefresh entry (52, group 0) beyond wire_mdp3.h's MDP3_SNAP_ENTRY_OFF_*. */
#define MDP3_SNAP_ENTRY_OFF_REF_DATE   17 /* u16 TradingReferenceDate, LocalMktDate */
#define MDP3_SNAP_ENTRY_OFF_SETTL_FLAG 19 /* u8 OpenCloseSettlFlag, uInt8NULL */
#define MDP3_SNAP_ENTRY_OFF_SETTL_TYPE 20 /* u8 SettlPriceType bits */

/* Null values written where feedgen has nothing to say. */
#define MDP3_UINT8_NULL	 0xFFu
#define MDP3_UINT32_NULL 0xFFFFFFFFu
#define MDP3_UINT64_NULL 0xFFFFFFFFFFFFFFFFull
#define MDP3_PRICE_NULL	 0x7FFFFFFFFFFFFFFFll

/* MDUpdateAction. */
enum mdp3_update_action {
	MDP3_ACTION_NEW = 0,
	MDP3_ACTION_CHANGE = 1,
	MDP3_ACTION_DELETE = 2,
};

/* What a message is about, for the encoders and the log: one entry of group 0. */
struct mdp3_entry {
	__s32 security_id;
	__u32 rpt_seq;
	__s64 px; /* price mantissa, exponent -9 */
	__s32 size;
	__s32 orders; /* NumberOfOrders */
	__u8 level;   /* 46: MDPriceLevel */
	__u8 action;  /* enum mdp3_update_action */
	char type;    /* 46: MDEntryType ('0' bid, '1' offer); 48: AggressorSide (0, 1, 2) */
};

/* One order of the second group of 46 (OrderID, quantity) or 48 (OrderID, LastQty). */
struct mdp3_order {
	__u64 id;
	__u64 priority; /* 46 only */
	__s32 qty;
	__u8 ref;    /* 46: 1-based index of the entry of group 0 it refers to */
	__u8 action; /* 46: OrderUpdateAction */
};

/* The fields of a definition (54 future, 56 spread) that feedgen varies. */
struct mdp3_definition {
	__u16 template_id; /* MDP3_T_DEF_FUTURE or MDP3_T_DEF_SPREAD */
	__s32 security_id;
	char symbol[MDP3_SYMBOL_LEN]; /* NUL padded */
	char group[6];		      /* SecurityGroup, NUL padded */
	char asset[6];
	__u32 tot_num_reports;
	__u64 last_update; /* ns */
	__u16 year;	   /* MaturityMonthYear */
	__u8 month;
	__s32 leg_ids[2]; /* 56: the two legs' SecurityIDs (two legs; 0: no legs) */
};

/* One instrument's SnapshotFullRefresh (52): its book as of incremental packet LAST_SEQ. */
struct mdp3_snapshot {
	__u32 last_seq; /* LastMsgSeqNumProcessed */
	__u32 tot_reports;
	__s32 security_id;
	__u32 rpt_seq;
	__u64 time; /* TransactTime and LastUpdateTime */
	const struct mdp3_entry *entries; /* px, size, orders, level, type ('0' bid, '1' offer) */
	unsigned int n;
};

/*
 * Each encoder writes one whole message (MsgSize, SBE header, root block, groups) at BUF and
 * returns its length, or -ENOSPC when CAP is too small (nothing written), or -EINVAL for a count
 * a group cannot hold (numInGroup is one byte). TIME is TransactTime, MEI the MatchEventIndicator.
 */
int mdp3_encode_channel_reset(void *buf, size_t cap, __u64 time, __u8 mei, __s16 appl_id);
int mdp3_encode_heartbeat(void *buf, size_t cap);
int mdp3_encode_book(void *buf, size_t cap, __u64 time, __u8 mei, const struct mdp3_entry *e,
		     unsigned int n, const struct mdp3_order *o, unsigned int norders);
int mdp3_encode_trade(void *buf, size_t cap, __u64 time, __u8 mei, const struct mdp3_entry *e,
		      unsigned int n, const struct mdp3_order *o, unsigned int norders);
int mdp3_encode_volume(void *buf, size_t cap, __u64 time, __u8 mei, const struct mdp3_entry *e,
		       unsigned int n);
int mdp3_encode_definition(void *buf, size_t cap, const struct mdp3_definition *d);
int mdp3_encode_snapshot(void *buf, size_t cap, const struct mdp3_snapshot *s);

/* Length of the message the encoder above would write (for packing packets). */
size_t mdp3_book_len(unsigned int n, unsigned int norders);
size_t mdp3_trade_len(unsigned int n, unsigned int norders);
size_t mdp3_volume_len(unsigned int n);
size_t mdp3_definition_len(__u16 template_id, bool legs);
size_t mdp3_snapshot_len(unsigned int n);


/* A packet being built: the 12-byte binary header, then whole messages. */
struct mdp3_pkt {
	__u8 buf[FG_PAYLOAD_MAX];
	size_t len;
	size_t cap;
	__u32 seq;
	__u32 count;	 /* messages */
	size_t last_off; /* where the last message starts */
};

/* Start an empty packet with MsgSeqNum SEQ and SendingTime TIME; -EINVAL for a bad CAP. */
int mdp3_pkt__init(struct mdp3_pkt *p, __u32 seq, __u64 time, size_t cap);
bool mdp3_pkt__fits(const struct mdp3_pkt *p, size_t len);
/* Append one encoded message; -ENOSPC if it does not fit. */
int mdp3_pkt__append(struct mdp3_pkt *p, const void *msg, size_t len);
/*
 * OR BITS into the MatchEventIndicator of the last message, which its root holds at ROOT_OFF
 * (MDP3_ROOT_OFF_MATCH_EVENT for the incremental templates, 0 for definitions); -EINVAL when the
 * packet is empty or the root is too short.
 */
int mdp3_pkt__mark_last(struct mdp3_pkt *p, size_t root_off, __u8 bits);

#endif /* FEEDGEN_MDP3_ENCODE_H */
