/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Wire layouts of CME MDP 3.0 (SBE, schema id 1), shared by the XDP program, the consumer,
 * feedgen and the tests. Everything is little-endian. The templates are data: one table row per
 * template says where its instrument key (SecurityID) and RptSeq sit, and which dimension
 * headers its repeating groups have; no code is written per template. Every reader honours the
 * BlockLength and group blockLength on the wire (a newer schema version may append fields), and
 * reads a field only when it lies inside its block. Sources, and the decoder that confirms each
 * offset: docs/wire/mdp3.md.
 */
#ifndef FEEDSIEVE_WIRE_MDP3_H
#define FEEDSIEVE_WIRE_MDP3_H

#include "types.h"

/* ---- Binary packet header (the UDP payload) ---- */
#define MDP3_OFF_SEQ          0 /* u32 MsgSeqNum: one per packet */
#define MDP3_OFF_SENDING_TIME 4 /* u64 ns since the Unix epoch */
#define MDP3_PKT_HDR_LEN      12

/* ---- Every message: MsgSize, then the SBE message header ---- */
#define MDP3_OFF_MSG_SIZE     0 /* u16: the whole message, these 2 bytes included */
#define MDP3_OFF_BLOCK_LENGTH 2 /* u16: root block length */
#define MDP3_OFF_TEMPLATE     4 /* u16 */
#define MDP3_OFF_SCHEMA       6 /* u16: 1 */
#define MDP3_OFF_VERSION      8 /* u16 */
#define MDP3_MSG_HDR_LEN      10 /* the root block starts here */

/* Repeating group dimension headers. */
#define MDP3_GROUP_HDR      3 /* groupSize: blockLength u16, numInGroup u8 */
#define MDP3_GROUP_HDR_8    8 /* groupSize8Byte: blockLength u16, 5 padding bytes, numInGroup u8 */
#define MDP3_GROUP_OFF_BLEN 0
#define MDP3_GROUP_OFF_NUM  2 /* groupSize */
#define MDP3_GROUP8_OFF_NUM 7 /* groupSize8Byte */

/* Templates used by name. */
#define MDP3_T_CHANNEL_RESET   4
#define MDP3_T_HEARTBEAT       12
#define MDP3_T_SECURITY_STATUS 30
#define MDP3_T_VOLUME          37
#define MDP3_T_BOOK            46
#define MDP3_T_ORDER_BOOK      47
#define MDP3_T_TRADE_SUMMARY   48
#define MDP3_T_DAILY_STATS     49
#define MDP3_T_LIMITS_BANDING  50
#define MDP3_T_SESSION_STATS   51
#define MDP3_T_SNAPSHOT        52 /* SnapshotFullRefresh: the Market Recovery feed */
#define MDP3_T_DEF_FUTURE      54
#define MDP3_T_DEF_OPTION      55
#define MDP3_T_DEF_SPREAD      56

/* Definitions (54/55/56, and the older 27/29/41): root offsets, the same in every version. */
#define MDP3_DEF_OFF_UPDATE_ACTION 5  /* char: 'A' add, 'D' delete, 'M' modify */
#define MDP3_DEF_OFF_SYMBOL        35 /* 20 bytes, NUL padded */
#define MDP3_DEF_OFF_SECURITY_ID   55 /* i32 */
#define MDP3_SYMBOL_LEN            20
#define MDP3_DEF_MIN_ROOT          (MDP3_DEF_OFF_SECURITY_ID + 4)

/* SnapshotFullRefresh (52) root: the incremental packet it reflects, and the instrument's
 * RptSeq at that packet (SecurityID and RptSeq are in MDP3_TEMPLATES). */
#define MDP3_SNAP_OFF_LAST_SEQ    0  /* u32 LastMsgSeqNumProcessed */
#define MDP3_SNAP_OFF_TOT_REPORTS 4  /* u32 TotNumReports: snapshots in one loop */
#define MDP3_SNAP_OFF_SECURITY_ID 8  /* i32 */
#define MDP3_SNAP_OFF_RPT_SEQ     12 /* u32 */
#define MDP3_SNAP_MIN_ROOT        (MDP3_SNAP_OFF_RPT_SEQ + 4)
/* Its book entries (group 0, groupSize), the fields `consume` shows. */
#define MDP3_SNAP_ENTRY_OFF_PX     0  /* i64 MDEntryPx, PRICENULL9 mantissa (exponent -9) */
#define MDP3_SNAP_ENTRY_OFF_SIZE   8  /* i32 MDEntrySize, Int32NULL */
#define MDP3_SNAP_ENTRY_OFF_ORDERS 12 /* i32 NumberOfOrders, Int32NULL */
#define MDP3_SNAP_ENTRY_OFF_LEVEL  16 /* i8 MDPriceLevel, Int8NULL */
#define MDP3_SNAP_ENTRY_OFF_TYPE   21 /* char MDEntryType: '0' bid, '1' offer, ... */
#define MDP3_SNAP_ENTRY_MIN        (MDP3_SNAP_ENTRY_OFF_TYPE + 1)

/* Null values of optional fields. */
#define MDP3_INT32_NULL 0x7FFFFFFF

/* Where a template's instrument key sits. */
enum mdp3_key_place {
	MDP3_KEY_NONE = 0, /* about no instrument (ChannelReset, AdminHeartbeat): always delivered */
	MDP3_KEY_ROOT,     /* one SecurityID in the root block */
	MDP3_KEY_ENTRY,    /* one SecurityID per entry of the first repeating group */
};

#define MDP3_NO_FIELD    0xFF /* offset of a field the template does not have */
#define MDP3_MAX_GROUPS  6

/*
 * One template. Offsets are within the root block (KEY_ROOT) or within each entry of group 0
 * (KEY_ENTRY); a block shorter than offset + 4 cannot be read and makes the message malformed.
 * group_hdr[i] is the dimension header size of group i in schema order (MDP3_GROUP_HDR or
 * MDP3_GROUP_HDR_8), 0 past the last group.
 */
struct mdp3_template {
	__u16 id;
	__u8 key_place;   /* enum mdp3_key_place */
	__u8 key_off;     /* SecurityID (i32) */
	__u8 rpt_seq_off; /* RptSeq (u32), MDP3_NO_FIELD when the template has none */
	__u8 definition;  /* 1: an instrument definition (Symbol at MDP3_DEF_OFF_SYMBOL) */
	__u8 groups;      /* repeating groups */
	__u8 group_hdr[MDP3_MAX_GROUPS];
};

/*
 * The templates of schema 1 that feedsieve reads, by the numbers of versions 9 to 13 (versions
 * 5-8 numbered books, trades, statistics and definitions differently; docs/wire/mdp3.md gives
 * the source of every number). A template not listed is unknown: it is stepped over by its MsgSize,
 * delivered on every channel whose group takes all symbols, and otherwise neither delivered nor
 * counted as malformed (it can name no subscribed instrument we could recognise).
 */
#define MDP3_TEMPLATES(X)                                                                          \
	/*  id  key_place       key  rpt  def  groups  group headers */                            \
	X(4,  MDP3_KEY_NONE,   0,   MDP3_NO_FIELD,  0,   1,      {MDP3_GROUP_HDR})                                        \
	X(12, MDP3_KEY_NONE,   0,   MDP3_NO_FIELD,  0,   0,      {0})                                         \
	X(30, MDP3_KEY_ROOT,   20,  MDP3_NO_FIELD,  0,   0,      {0})                                         \
	X(37, MDP3_KEY_ENTRY,  4,   8,   0,   1,      {MDP3_GROUP_HDR})                                        \
	X(46, MDP3_KEY_ENTRY,  12,  16,  0,   2,      {MDP3_GROUP_HDR, MDP3_GROUP_HDR_8})                                    \
	X(47, MDP3_KEY_ENTRY,  28,  MDP3_NO_FIELD,  0,   1,      {MDP3_GROUP_HDR})                                        \
	X(48, MDP3_KEY_ENTRY,  12,  16,  0,   2,      {MDP3_GROUP_HDR, MDP3_GROUP_HDR_8})                                    \
	X(49, MDP3_KEY_ENTRY,  12,  16,  0,   1,      {MDP3_GROUP_HDR})                                        \
	X(50, MDP3_KEY_ENTRY,  24,  28,  0,   1,      {MDP3_GROUP_HDR})                                        \
	X(51, MDP3_KEY_ENTRY,  8,   12,  0,   1,      {MDP3_GROUP_HDR})                                        \
	X(52, MDP3_KEY_ROOT,   8,   12,  0,   1,      {MDP3_GROUP_HDR})                                        \
	X(54, MDP3_KEY_ROOT,   55,  MDP3_NO_FIELD,  1,   4,      {MDP3_GROUP_HDR, MDP3_GROUP_HDR, MDP3_GROUP_HDR, MDP3_GROUP_HDR})                            \
	X(55, MDP3_KEY_ROOT,   55,  MDP3_NO_FIELD,  1,   6,      {MDP3_GROUP_HDR, MDP3_GROUP_HDR, MDP3_GROUP_HDR, MDP3_GROUP_HDR, MDP3_GROUP_HDR, MDP3_GROUP_HDR})                    \
	X(56, MDP3_KEY_ROOT,   55,  MDP3_NO_FIELD,  1,   5,      {MDP3_GROUP_HDR, MDP3_GROUP_HDR, MDP3_GROUP_HDR, MDP3_GROUP_HDR, MDP3_GROUP_HDR})                        \
	X(64, MDP3_KEY_ENTRY,  16,  20,  0,   2,      {MDP3_GROUP_HDR, MDP3_GROUP_HDR_8})                                    \
	X(65, MDP3_KEY_ENTRY,  16,  20,  0,   2,      {MDP3_GROUP_HDR, MDP3_GROUP_HDR_8})                                    \
	X(66, MDP3_KEY_ENTRY,  8,   12,  0,   1,      {MDP3_GROUP_HDR})                                        \
	X(67, MDP3_KEY_ENTRY,  16,  20,  0,   1,      {MDP3_GROUP_HDR})

/* Highest template id the table can describe; ids above are unknown. */
#define MDP3_MAX_TEMPLATE 127

#endif /* FEEDSIEVE_WIRE_MDP3_H */
