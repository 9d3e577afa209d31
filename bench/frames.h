/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Benchmark frames: Ethernet / IPv4 / UDP to one multicast group, carrying either a MoldUDP64
 * packet of ITCH 5.0 Add Order ('A', 36 bytes) messages, the most frequent message type of a
 * TotalView session, or a CME MDP 3.0 packet of MDIncrementalRefreshBook (template 46) messages,
 * the most frequent of an incremental channel, of up to BF_MDP3_ENTRIES book entries each. The
 * sequence number and each message's locate can be rewritten between calls, so one buffer serves
 * a whole measurement; an MDP3 packet is built again when its SecurityIDs change.
 * bench/floors.bpf.c uses the layout constants too.
 */
#ifndef FEEDSIEVE_BENCH_FRAMES_H
#define FEEDSIEVE_BENCH_FRAMES_H

#include "feedsieve/wire_itch.h"
#include "feedsieve/wire_mdp3.h"

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
#endif

#endif /* FEEDSIEVE_BENCH_FRAMES_H */
