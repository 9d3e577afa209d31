// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Floors for bench/filter_cost.c, run on the same frames as feedsieve_xdp in the same run.
 * xdp_empty is what any XDP program costs under BPF_PROG_TEST_RUN (the harness's per-run work:
 * bottom halves, run context, the dispatcher's call). xdp_parse adds what feedsieve cannot avoid
 * on a frame of its groups before it looks anything up: the Ethernet/VLAN/IPv4/UDP parse shared
 * with the real program, and the MoldUDP64 header (session hash, sequence number, count);
 * xdp_parse_mdp3 the same up to the MDP3 packet header (MsgSeqNum, the SendingTime a session is
 * named by); xdp_parse_nyse up to the NYSE packet header (count, SeqNum, the send time a
 * sequence reset names its session by) and xdp_parse_pitch up to PITCH's Sequenced Unit Header
 * (count, unit, sequence). What feedsieve_xdp costs above them is the price of filtering and
 * arbitration.
 */
#include "feedsieve/types.h"
#include "feedsieve/parse.h"
#include "feedsieve/seqwin.h"
#include "frames.h"
#include "slots.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* What xdp_parse read goes here, so clang cannot drop the reads as dead code. */
__u64 parse_sink;

SEC("xdp")
int xdp_empty(struct xdp_md *ctx)
{
	(void)ctx;
	return XDP_PASS;
}

/* The UDP payload of a frame to any group when it holds HDR_LEN bytes, else NULL. */
static __always_inline __u8 *payload(struct xdp_md *ctx, __u32 hdr_len)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct fs_pkt pkt;
	__u64 off;
	__u8 *p;

	if (fs_parse_frame(data, data_end, &pkt) != FS_PKT_UDP)
		return NULL;
	if (pkt.payload_off + hdr_len > pkt.payload_end)
		return NULL;
	/* The masked offset behind a barrier is how the real program bounds packet pointers
	 * (pkt_at() in bpf/walk.bpf.h, which would pull the real program's maps in here). */
	off = pkt.payload_off;
	asm volatile("" : "+r"(off));
	p = (__u8 *)data + (off & FS_PKT_OFF_MASK);
	if ((void *)(p + hdr_len) > data_end)
		return NULL;
	return p;
}

SEC("xdp")
int xdp_parse(struct xdp_md *ctx)
{
	__u8 *p = payload(ctx, MOLD_HDR_LEN);

	if (!p)
		return XDP_PASS;
	parse_sink = fs_session_hash(p + MOLD_OFF_SESSION, MOLD_SESSION_LEN) ^ fs_be64(p + MOLD_OFF_SEQ) ^
		     fs_be16(p + MOLD_OFF_COUNT);
	/* XDP_DROP, not XDP_PASS: the caller checks the frame really was parsed to here. */
	return XDP_DROP;
}

SEC("xdp")
int xdp_parse_mdp3(struct xdp_md *ctx)
{
	__u8 *p = payload(ctx, MDP3_PKT_HDR_LEN);

	if (!p)
		return XDP_PASS;
	/* As bpf/proto_mdp3.bpf.h does on a MsgSeqNum-1 packet: the session's name. */
	parse_sink = fs_session_hash(p + MDP3_OFF_SENDING_TIME, 8) ^
		     ((__u32)p[0] | (__u32)p[1] << 8 | (__u32)p[2] << 16 | (__u32)p[3] << 24);
	return XDP_DROP;
}

SEC("xdp")
int xdp_parse_nyse(struct xdp_md *ctx)
{
	__u8 *p = payload(ctx, NYSE_PKT_HDR_LEN);

	if (!p)
		return XDP_PASS;
	/* As bpf/proto_nyse.bpf.h does on a sequence-reset packet: the session's name. */
	parse_sink = fs_session_hash(p + NYSE_OFF_SEND_TIME, 8) ^ fs_le32(p + NYSE_OFF_SEQ) ^
		     p[NYSE_OFF_NUM_MSGS] ^ p[NYSE_OFF_DELIVERY_FLAG] ^ fs_le16(p + NYSE_OFF_PKT_SIZE);
	return XDP_DROP;
}

SEC("xdp")
int xdp_parse_pitch(struct xdp_md *ctx)
{
	__u8 *p = payload(ctx, PITCH_HDR_LEN);

	if (!p)
		return XDP_PASS;
	parse_sink = fs_le32(p + PITCH_OFF_HDR_SEQ) ^ p[PITCH_OFF_HDR_COUNT] ^
		     p[PITCH_OFF_HDR_UNIT] ^ fs_le16(p + PITCH_OFF_HDR_LENGTH);
	return XDP_DROP;
}

/* Little-endian stores, byte by byte whatever the host's order. */
static __always_inline void le32_put(__u8 *p, __u32 v)
{
	p[0] = (__u8)v;
	p[1] = (__u8)(v >> 8);
	p[2] = (__u8)(v >> 16);
	p[3] = (__u8)(v >> 24);
}

static __always_inline void le32_add(__u8 *p, __u32 n)
{
	le32_put(p, fs_le32(p) + n);
}

static __always_inline void le64_add(__u8 *p, __u64 n)
{
	__u64 v = fs_le64(p) + n;

	le32_put(p, (__u32)v);
	le32_put(p + 4, (__u32)(v >> 32));
}

/*
 * Path "first" of filter_cost. BPF_PROG_TEST_RUN with .repeat runs a program on one frame again
 * and again, and feedsieve_xdp would take every run after the first for a duplicate. These
 * wrappers move the frame's sequence number past its messages, then tail-call the program under
 * measurement (its slot of first_targets, filled by user space), so every run brings new
 * messages, back to back, as the frames of the line that is ahead do in a NAPI poll. The floors
 * of that path go through the same wrappers. Each protocol has its program array of targets, by
 * slot (slots.h), as its parse floor is another program.
 */
#define FIRST_TARGETS(name)                                                                        \
	struct {                                                                                   \
		__uint(type, BPF_MAP_TYPE_PROG_ARRAY);                                             \
		__uint(max_entries, BX_PROGS);                                                     \
		__type(key, __u32);                                                                \
		__type(value, __u32);                                                              \
	} name SEC(".maps")

FIRST_TARGETS(first_targets);

/* Run the program in SLOT of TARGETS on the frame the caller moved on. */
static __always_inline int run_target(struct xdp_md *ctx, void *targets, __u32 slot)
{
	/* A delivered frame got the program's 32 bytes of metadata, and test_run reuses the
	 * xdp_buff: give the space back, as a driver starts every frame without metadata. Only
	 * the matched rows pay for this helper call; their floors do not. */
	if (ctx->data_meta < ctx->data)
		bpf_xdp_adjust_meta(ctx, (int)sizeof(struct fs_xdp_meta));
	/* A constant slot: the JIT turns the tail call into a direct jump. */
	bpf_tail_call(ctx, targets, slot);
	return XDP_ABORTED; /* the slot is empty */
}

static __always_inline int next_frame(struct xdp_md *ctx, __u32 slot)
{
	void *data_end = (void *)(long)ctx->data_end;
	__u8 *mold = (__u8 *)(long)ctx->data + BF_MOLD_OFF;
	__u64 seq;

	if ((void *)(mold + MOLD_HDR_LEN) > data_end)
		return XDP_ABORTED;
	seq = bpf_be64_to_cpu(*(__u64 *)(mold + MOLD_OFF_SEQ)) +
	      bpf_ntohs(*(__u16 *)(mold + MOLD_OFF_COUNT));
	*(__u64 *)(mold + MOLD_OFF_SEQ) = bpf_cpu_to_be64(seq);
	return run_target(ctx, &first_targets, slot);
}

/* The wrapper of every slot, named PREFIX0.. PREFIX3, PREFIXempty, PREFIXparse (fixture.c finds
 * them by name), each calling NEXT(ctx, slot). */
#define FIRST_WRAPPER(name, next, slot)                                                            \
	SEC("xdp") int name(struct xdp_md *ctx)                                                    \
	{                                                                                          \
		return next(ctx, slot);                                                            \
	}
#define FIRST_WRAPPERS(prefix, next)                                                               \
	FIRST_WRAPPER(prefix##0, next, 0)                                                          \
	FIRST_WRAPPER(prefix##1, next, 1)                                                          \
	FIRST_WRAPPER(prefix##2, next, 2)                                                          \
	FIRST_WRAPPER(prefix##3, next, 3)                                                          \
	FIRST_WRAPPER(prefix##empty, next, BX_EMPTY)                                               \
	FIRST_WRAPPER(prefix##parse, next, BX_PARSE)
_Static_assert(BX_INSTANCES == 4, "one wrapper per instance of feedsieve_xdp");

FIRST_WRAPPERS(first_, next_frame)

/*
 * The same for MDP3 packets, which are sequenced per packet: MsgSeqNum (little-endian, at the
 * start of the UDP payload) moves on by one per run. Their own program array, as their parse
 * floor is another program.
 */
FIRST_TARGETS(first_targets_mdp3);

static __always_inline int next_packet(struct xdp_md *ctx, __u32 slot)
{
	void *data_end = (void *)(long)ctx->data_end;
	__u8 *pkt = (__u8 *)(long)ctx->data + BF_MOLD_OFF;

	if ((void *)(pkt + MDP3_PKT_HDR_LEN) > data_end)
		return XDP_ABORTED;
	le32_add(pkt + MDP3_OFF_SEQ, 1);
	return run_target(ctx, &first_targets_mdp3, slot);
}

FIRST_WRAPPERS(first_mdp3_, next_packet)

/*
 * NYSE packets are message-sequenced, as MoldUDP64: SeqNum (little-endian) moves past the
 * packet's NumberMsgs messages per run.
 */
FIRST_TARGETS(first_targets_nyse);

static __always_inline int next_nyse(struct xdp_md *ctx, __u32 slot)
{
	void *data_end = (void *)(long)ctx->data_end;
	__u8 *pkt = (__u8 *)(long)ctx->data + BF_MOLD_OFF;

	if ((void *)(pkt + NYSE_PKT_HDR_LEN) > data_end)
		return XDP_ABORTED;
	le32_add(pkt + NYSE_OFF_SEQ, pkt[NYSE_OFF_NUM_MSGS]);
	return run_target(ctx, &first_targets_nyse, slot);
}

FIRST_WRAPPERS(first_nyse_, next_nyse)

/*
 * PITCH units are message-sequenced too: HdrSequence moves past HdrCount messages per run. The
 * first message's Order ID moves on by one as well, so that a matched Add Order inserts a new
 * order into fs_orders every run (the same id again would not be an insert), and the order map
 * measurement executes and deletes a different remembered order every run.
 */
FIRST_TARGETS(first_targets_pitch);

static __always_inline int next_unit(struct xdp_md *ctx, __u32 slot)
{
	void *data_end = (void *)(long)ctx->data_end;
	__u8 *pkt = (__u8 *)(long)ctx->data + BF_MOLD_OFF;

	if ((void *)(pkt + BF_PITCH_ORDER_OFF + 8) > data_end)
		return XDP_ABORTED;
	le32_add(pkt + PITCH_OFF_HDR_SEQ, pkt[PITCH_OFF_HDR_COUNT]);
	le64_add(pkt + BF_PITCH_ORDER_OFF, 1);
	return run_target(ctx, &first_targets_pitch, slot);
}

FIRST_WRAPPERS(first_pitch_, next_unit)
