/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Wire layouts of the first feed: MoldUDP64 (Nasdaq "MoldUDP64 Protocol Specification" 1.00)
 * carrying Nasdaq TotalView-ITCH 5.0. All multi-byte fields are big-endian. Offsets, not packed
 * structs, describe the ITCH messages: the BPF program reads single fields at computed offsets and
 * user space does the same, so both agree on one table. Sources, and the decoder that confirms
 * each offset: docs/wire/.
 */
#ifndef FEEDSIEVE_WIRE_ITCH_H
#define FEEDSIEVE_WIRE_ITCH_H

#include "types.h"
#include "limits.h"

/* ---- MoldUDP64 downstream packet (the UDP payload) ---- */
#define MOLD_SESSION_LEN 10
#define MOLD_OFF_SESSION 0
#define MOLD_OFF_SEQ     10 /* u64: sequence number of the first message in the packet */
#define MOLD_OFF_COUNT   18 /* u16: number of message blocks */
#define MOLD_HDR_LEN     20
#define MOLD_BLOCK_HDR   2 /* u16 length in front of every message */

/* A MoldUDP64 re-request (client to server, unicast) is a header alone: the session, the first
 * sequence number wanted and how many messages; the server answers with an ordinary downstream
 * packet (as many of them as fit) sent by unicast to the requester's address and port. */
#define MOLD_REQUEST_LEN MOLD_HDR_LEN

/* Message count values with a meaning of their own. */
#define MOLD_COUNT_HEARTBEAT      0      /* sequence = next one the publisher will send */
#define MOLD_COUNT_END_OF_SESSION 0xFFFF /* no more messages in this session */

/* ---- ITCH 5.0: common start of every message ---- */
#define ITCH_SYMBOL_LEN    8 /* Stock: ASCII, right-padded with spaces */
#define ITCH_OFF_TYPE      0
#define ITCH_OFF_LOCATE    1 /* u16 Stock Locate; 0 = not about a particular stock */
#define ITCH_OFF_TRACKING  3 /* u16 */
#define ITCH_OFF_TIMESTAMP 5 /* 48-bit nanoseconds since midnight */
#define ITCH_COMMON_LEN    11
/* Bytes a block must have for the program to read type and locate. */
#define ITCH_MIN_READ_LEN 3

/* Message types used by name in the code. */
#define ITCH_SYSTEM_EVENT       'S'
#define ITCH_STOCK_DIRECTORY    'R'
#define ITCH_ADD_ORDER          'A'
#define ITCH_ADD_ORDER_MPID     'F'
#define ITCH_ORDER_EXECUTED     'E'
#define ITCH_ORDER_EXECUTED_PX  'C'
#define ITCH_ORDER_CANCEL       'X'
#define ITCH_ORDER_DELETE       'D'
#define ITCH_ORDER_REPLACE      'U'
#define ITCH_TRADE              'P'
#define ITCH_CROSS_TRADE        'Q'
#define ITCH_BROKEN_TRADE       'B'

/* Stock Directory 'R' (39 bytes). */
#define ITCH_R_LEN             39
#define ITCH_R_OFF_STOCK       11
#define ITCH_R_OFF_MARKET_CAT  19
#define ITCH_R_OFF_FIN_STATUS  20
#define ITCH_R_OFF_ROUND_LOT   21 /* u32 */
#define ITCH_R_OFF_ROUND_ONLY  25
#define ITCH_R_OFF_ISSUE_CLASS 26
#define ITCH_R_OFF_ISSUE_SUB   27 /* 2 bytes */
#define ITCH_R_OFF_AUTHENTIC   29
#define ITCH_R_OFF_SHORT_SALE  30
#define ITCH_R_OFF_IPO_FLAG    31
#define ITCH_R_OFF_LULD_TIER   32
#define ITCH_R_OFF_ETP_FLAG    33
#define ITCH_R_OFF_ETP_LEVER   34 /* u32 */
#define ITCH_R_OFF_INVERSE     38

/* Add Order 'A' (36) and Add Order with MPID 'F' (40). */
#define ITCH_A_LEN         36
#define ITCH_F_LEN         40
#define ITCH_A_OFF_ORDER   11 /* u64 order reference */
#define ITCH_A_OFF_SIDE    19 /* 'B' or 'S' */
#define ITCH_A_OFF_SHARES  20 /* u32 */
#define ITCH_A_OFF_STOCK   24
#define ITCH_A_OFF_PRICE   32 /* u32, 4 implied decimals */
#define ITCH_F_OFF_MPID    36

/* Order Executed 'E' (31). */
#define ITCH_E_LEN        31
#define ITCH_E_OFF_ORDER  11
#define ITCH_E_OFF_SHARES 19 /* u32 */
#define ITCH_E_OFF_MATCH  23 /* u64 */

/* Order Cancel 'X' (23). */
#define ITCH_X_LEN        23
#define ITCH_X_OFF_ORDER  11
#define ITCH_X_OFF_SHARES 19 /* u32 */

/* Order Delete 'D' (19). */
#define ITCH_D_LEN       19
#define ITCH_D_OFF_ORDER 11

/* Trade (non-cross) 'P' (44). */
#define ITCH_P_LEN        44
#define ITCH_P_OFF_ORDER  11
#define ITCH_P_OFF_SIDE   19
#define ITCH_P_OFF_SHARES 20 /* u32 */
#define ITCH_P_OFF_STOCK  24
#define ITCH_P_OFF_PRICE  32 /* u32 */
#define ITCH_P_OFF_MATCH  36 /* u64 */

/* System Event 'S' (12). */
#define ITCH_S_LEN        12
#define ITCH_S_OFF_EVENT  11

/*
 * Length of ITCH 5.0 message TYPE (the specification's message formats), 0 for a type it does
 * not define. The generator and the test frame builders use it; the program and the consumer do
 * not: on the wire, a block's length field is the truth about a message's size.
 */
FS_INLINE __u16 itch_msg_len(__u8 type)
{
	switch (type) {
	case 'S': case 'W':
		return ITCH_S_LEN;
	case 'D': case 'B':
		return ITCH_D_LEN;
	case 'Y': case 'N':
		return 20;
	case 'h':
		return 21;
	case 'X':
		return ITCH_X_LEN;
	case 'H':
		return 25;
	case 'L':
		return 26;
	case 'K':
		return 28;
	case 'E':
		return ITCH_E_LEN;
	case 'V': case 'J': case 'U':
		return 35;
	case 'A': case 'C':
		return ITCH_A_LEN;
	case 'R':
		return ITCH_R_LEN;
	case 'F': case 'Q':
		return ITCH_F_LEN;
	case 'P':
		return ITCH_P_LEN;
	case 'O':
		return 48;
	case 'I':
		return 50;
	default:
		return 0;
	}
}

/*
 * Offset of the 8-byte Stock field in message TYPE, or 0 when the message carries only the
 * locate code. Readers must still check the block is long enough: the block length, not this
 * table, is the truth about a message's size.
 */
FS_INLINE __u32 itch_symbol_offset(__u8 type)
{
	switch (type) {
	case 'R': case 'H': case 'Y': case 'K': case 'J': case 'N': case 'h':
		return 11;
	case 'L':
		return 15;
	case 'Q':
		return 19;
	case 'A': case 'F': case 'P':
		return 24;
	case 'I':
		return 28;
	default:
		return 0;
	}
}

#endif /* FEEDSIEVE_WIRE_ITCH_H */
