// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Floors for bench/filter_cost.c, run on the same frames as feedsieve_xdp in the same run.
 * xdp_empty is what any XDP program costs under BPF_PROG_TEST_RUN (the harness's per-run work:
 * bottom halves, run context, the indirect call). xdp_parse adds what feedsieve cannot avoid on a
 * frame of its groups before it looks anything up: the Ethernet/VLAN/IPv4/UDP parse shared with
 * the real program, and the MoldUDP64 header (session hash, sequence number, count). What
 * feedsieve_xdp costs above xdp_parse is the price of filtering and arbitration.
 */
#include "feedsieve/types.h"
#include "feedsieve/parse.h"
#include "feedsieve/seqwin.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* What xdp_parse read goes here, so clang cannot drop the reads as dead code. */
__u64 parse_sink;

SEC("xdp")
int xdp_empty(struct xdp_md *ctx)
{
	(void)ctx;
	return XDP_PASS;
}

SEC("xdp")
int xdp_parse(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct fs_pkt pkt;
	__u64 off;
	__u8 *p;

	if (fs_parse_frame(data, data_end, &pkt) != FS_PKT_UDP)
		return XDP_PASS;
	if (pkt.payload_off + MOLD_HDR_LEN > pkt.payload_end)
		return XDP_PASS;
	/* The masked offset behind a barrier is how the real program bounds packet pointers
	 * (pkt_at() in bpf/mold_itch.bpf.h, which would pull the real program's maps in here). */
	off = pkt.payload_off;
	asm volatile("" : "+r"(off));
	p = (__u8 *)data + (off & FS_PKT_OFF_MASK);
	if ((void *)(p + MOLD_HDR_LEN) > data_end)
		return XDP_PASS;
	parse_sink = fs_session_hash(p + MOLD_OFF_SESSION) ^ fs_be64(p + MOLD_OFF_SEQ) ^
		     fs_be16(p + MOLD_OFF_COUNT);
	/* XDP_DROP, not XDP_PASS: the caller checks the frame really was parsed to here. */
	return XDP_DROP;
}
