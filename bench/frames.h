/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Benchmark frames: Ethernet / IPv4 / UDP to one multicast group, carrying either a MoldUDP64
 * packet of ITCH 5.0 Add Order ('A', 36 bytes) messages, the most frequent message type of a
 * TotalView session, or a CME MDP 3.0 packet of MDIncrementalRefreshBook (template 46) messages,
 * the most frequent of an incremental channel, of up to BF_MDP3_ENTRIES book entries each, or
 * an NYSE XDP Integrated packet of Add Orders (type 100, 39 bytes, SymbolIndex keys), or a Cboe
 * PITCH Sequenced Unit of Add Order Short messages (0x22, 26 bytes, 6-character symbols inline)
 * and, for the order map, of one Order Executed or Delete Order. The sequence number and each message's locate can be rewritten between calls, so one buffer serves
 * a whole measurement; an MDP3 packet is built again when its SecurityIDs change.
 * bench/floors.bpf.c uses the layout constants too.
 */
#ifndef FEEDSIEVE_BENCH_FRAMES_H
#define FEEDSIEVE_BENCH_FRAMES_H

#include "feedsieve/wire_itch.h"
#include "feedsieve/wire_mdp3.h"
#include "feedsieve/wire_nyse.h"
#include "feedsieve/wire_pitch.h"

#define BF_GROUP_ADDR 0xE931C40Au /* 233.49.196.10, host order */
#define BF_GROUP_PORT 18001
#define BF_SESSION    "BENCH00001"
/*
 * BPF_PROG_TEST_RUN puts 4096 - 256 (headroom) - sizeof(struct skb_shared_info) bytes (3520 on
 * x86-64) in the linear area an XDP program reads; 64 Add Orders take 2494 bytes.
 */
#define BF_MAX_FRAME 3520
#define BF_MAX_MSGS  64
/* Where the MoldUDP64 packet starts: Ethernet (14, no VLAN tag), IPv4 (20, no options), UDP. */
#define BF_MOLD_OFF 42

/* The MDP3 group (another address and port: the protocol is the group's). Its packets start at
 * the same offset, BF_MOLD_OFF. */
#define BF_MDP3_GROUP_ADDR 0xE0001F01u /* 224.0.31.1, host order */
#define BF_MDP3_GROUP_PORT 14310
/* Book entries per MDIncrementalRefreshBook message: K keys are ceil(K / 4) messages, all full
 * but the last; 64 keys take 16 messages, 2614 bytes. */
#define BF_MDP3_ENTRIES 4
#define BF_MDP3_MAX_MSGS (BF_MAX_MSGS / BF_MDP3_ENTRIES)

/* The NYSE and PITCH groups; their packets start at BF_MOLD_OFF too. 64 NYSE Add Orders take
 * 2 554 bytes, 64 PITCH Add Order Short 1 714. */
#define BF_NYSE_GROUP_ADDR  0xE0000B0Au /* 224.0.11.10, host order */
#define BF_NYSE_GROUP_PORT  11010
#define BF_PITCH_GROUP_ADDR 0xE0008101u /* 224.0.129.1, host order */
#define BF_PITCH_GROUP_PORT 30001
#define BF_NYSE_ADD_LEN	    39 /* Add Order (type 100) */
#define BF_PITCH_ADD_LEN    26 /* Add Order Short (0x22) */
#define BF_PITCH_EXEC_LEN   26 /* Order Executed (0x23) */
#define BF_PITCH_DELETE_LEN 14 /* Delete Order (0x29) */
#define BF_PITCH_TRADE_LEN  33 /* Trade Short (0x2B) */
#define BF_PITCH_UNIT	    1
/* Where the Order ID of a PITCH packet's first message sits: the path-first wrapper moves it. */
#define BF_PITCH_ORDER_OFF (PITCH_HDR_LEN + PITCH_OFF_ORDER_ID)

#ifndef __bpf__
struct bf_frame {
	__u8 buf[BF_MAX_FRAME];
	__u32 len;
	__u32 msgs;
};

/* Build a frame of MSGS Add Orders (1..BF_MAX_MSGS); returns 0 or -EINVAL. */
int bf_build(struct bf_frame *f, __u32 msgs);
/* The MoldUDP64 sequence number of the first message. */
void bf_set_seq(struct bf_frame *f, __u64 seq);
/* Message I carries LOCATE and, in its Stock field, SYMBOL (8 bytes, space-padded). */
void bf_set_msg(struct bf_frame *f, __u32 i, __u16 locate, const char *symbol);

/* Build an MDP3 packet of KEYS (1..BF_MAX_MSGS) book entries, entry i for SecurityID IDS[i], in
 * ceil(KEYS / BF_MDP3_ENTRIES) template-46 messages (schema 13: 11-byte root, 32-byte entries,
 * an empty order-id group); f->msgs is KEYS. Returns 0 or -EINVAL. */
int bf_build_mdp3(struct bf_frame *f, __u32 keys, const __s32 *ids);
/* The packet's MsgSeqNum. */
void bf_set_seq_mdp3(struct bf_frame *f, __u32 seq);

/* Build an NYSE packet (DeliveryFlag 11, original) of MSGS Add Orders, message i of
 * SymbolIndex IDX[i]. Returns 0 or -EINVAL. */
int bf_build_nyse(struct bf_frame *f, __u32 msgs, const __u32 *idx);
/* The packet's SeqNum (its first message's). */
void bf_set_seq_nyse(struct bf_frame *f, __u32 seq);

/* Build a PITCH Sequenced Unit (unit BF_PITCH_UNIT) of MSGS Add Order Short messages, message i
 * of symbol SYMS[i] (1-6 characters) and Order ID ORDER + i. Returns 0 or -EINVAL. */
int bf_build_pitch(struct bf_frame *f, __u32 msgs, const char *const *syms, __u64 order);
/* A unit of one message of TYPE, PITCH_T_EXECUTED (1 share) or PITCH_T_DELETE, naming ORDER. */
int bf_build_pitch_order(struct bf_frame *f, __u8 type, __u64 order);
/* A unit of one Trade Short of symbol SYM (1-6 characters). */
int bf_build_pitch_trade(struct bf_frame *f, const char *sym);
/* The unit's HdrSequence (its first message's), and the first message's Order ID. */
void bf_set_seq_pitch(struct bf_frame *f, __u32 seq);
void bf_set_order_pitch(struct bf_frame *f, __u64 order);
#endif

#endif /* FEEDSIEVE_BENCH_FRAMES_H */
