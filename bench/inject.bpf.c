// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The load benchmarks' frame source, run by injector.c through BPF_PROG_TEST_RUN with
 * BPF_F_TEST_XDP_LIVE_FRAMES on the sender veth: every run rewrites one copy of the template
 * frame (sequence number, locates, symbols, timestamps; see injector.h) and returns XDP_TX, which
 * the kernel turns into a transmission out of that veth, so the frame arrives at its peer as if
 * from a wire. The kernel does not restore the frame between runs, so everything that changes is
 * rewritten every run.
 *
 * Pacing happens here, not in user space: each run first waits, reading the clock, until its
 * frame's time (t0 + n * interval), so one test run call of thousands of repetitions sends them
 * evenly spaced. User space cannot space them finer than its calls (about 15 us each), and each
 * call costs a page pool whose release gets slower with every pool still alive (injector.c).
 * The wait runs with bottom halves off; the receive work the frame causes runs before the next
 * frame's wait when the test run transmits after every frame (batch_size 1).
 */
#include "feedsieve/types.h"
#include "injector.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Load-time settings (rodata). */
const volatile __u32 msgs = 1;	  /* messages per frame, <= INJ_MAX_MSGS */
const volatile __u32 locates = 1; /* the traffic cycles through locates 1..locates */
const volatile bool mix = false;  /* a locate per message instead of per frame */
/* The sender veth: frames from anywhere else (the program also sits on the namespace's loopback,
 * see injector.c) pass untouched. */
const volatile __u32 ifindex = 0;
/* Stock field of locate l + 1 (only as many as LOCATES are set). */
const volatile struct {
	char name[ITCH_SYMBOL_LEN];
} symbols[INJ_MAX_LOCATES];

struct inj_state state;

static long past_due(__u64 i, void *due)
{
	(void)i;
	return bpf_ktime_get_ns() >= *(__u64 *)due;
}

/* Wait until frame N's time. */
static __always_inline void pace(__u64 n)
{
	__u64 due;

	if (!state.interval_ps)
		return;
	due = state.t0_ns + n * state.interval_ps / 1000;
	if (bpf_ktime_get_ns() >= due) {
		state.late++;
		return;
	}
	bpf_loop(INJ_MAX_SPIN, past_due, &due, 0);
}

static __always_inline void put_be16(__u8 *p, __u16 v)
{
	p[0] = v >> 8;
	p[1] = v;
}

SEC("xdp")
int inject_feed(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u8 *mold = (__u8 *)data + INJ_MOLD_OFF;
	__u64 n, ts, seq;
	__u32 i, nmsgs = msgs;

	if (ctx->ingress_ifindex != ifindex)
		return XDP_PASS;
	if ((void *)(mold + MOLD_HDR_LEN) > data_end)
		return XDP_ABORTED;
	/* One injector process, which the test run keeps on one CPU: no other writer. */
	n = state.frames++;
	seq = state.seq_base + n * nmsgs;
	*(__be64 *)(mold + MOLD_OFF_SEQ) = bpf_cpu_to_be64(seq);
	pace(n);
	ts = bpf_ktime_get_ns();
	for (i = 0; i < INJ_MAX_MSGS; i++) {
		__u8 *m = mold + MOLD_HDR_LEN + i * INJ_BLOCK_LEN + MOLD_BLOCK_HDR;
		__u64 loc;

		if (i >= nmsgs)
			break;
		if ((void *)(m + INJ_MSG_LEN) > data_end)
			return XDP_ABORTED;
		loc = (mix ? n * nmsgs + i : n) % locates;
		if (loc >= INJ_MAX_LOCATES)
			return XDP_ABORTED;
		put_be16(m + ITCH_OFF_LOCATE, (__u16)(loc + 1));
		put_be16(m + ITCH_OFF_TIMESTAMP, (__u16)(ts >> 32));
		*(__be32 *)(m + ITCH_OFF_TIMESTAMP + 2) = bpf_htonl((__u32)ts);
		__builtin_memcpy(m + ITCH_A_OFF_STOCK, (const void *)symbols[loc].name,
				 ITCH_SYMBOL_LEN);
	}
	return XDP_TX;
}

/* The Stock Directory packets, sent as they are. */
SEC("xdp")
int inject_raw(struct xdp_md *ctx)
{
	(void)ctx;
	return XDP_TX;
}
