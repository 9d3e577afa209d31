// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * feedsieve XDP program: keeps the frames of subscribed multicast groups that carry subscribed
 * symbols, redirects them to the AF_XDP socket of their RX queue, drops the rest of those groups'
 * frames, and passes every other frame to the kernel untouched.
 */
#include "feedsieve/types.h"
#include "feedsieve/parse.h"
#include "maps.bpf.h"
#include "walk.bpf.h"
#include "proto.bpf.h"
#include "arbitrate.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/*
 * Set through the skeleton's rodata by `feedsieve replay` only, which runs a private copy of the
 * program under BPF_PROG_TEST_RUN: there no AF_XDP socket can sit in fs_xsks, and
 * bpf_redirect_map() would answer its XDP_PASS fallback. With it set, a frame the program
 * delivers is counted and reported as XDP_REDIRECT, as live with a consumer on the queue. A
 * load-time constant: in every other load the verifier removes the branch.
 */
const volatile bool fs_replay = false;

/* Per-frame working state; see struct fs_walk. Not pinned: nothing outside the program uses it. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct fs_walk);
} fs_scratch SEC(".maps");

/* Counters are bumped in the global and the group struct alike; G may be NULL. */
#define COUNT(gs, grp, field, n)                                                                   \
	do {                                                                                       \
		(gs)->field += (n);                                                                \
		if (grp)                                                                           \
			(grp)->field += (n);                                                       \
	} while (0)

static __always_inline struct fs_counters *global_counters(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&FS_MAP_STATS, &zero);
}

/* The bank the configuration is read from for this frame. Read once, so that every decision
 * about the frame comes from the same configuration. */
static __always_inline __u32 active_bank(void)
{
	struct fs_bank_state *cfg;
	__u32 zero = 0;

	cfg = bpf_map_lookup_elem(&FS_MAP_BANK, &zero);
	return cfg ? (__u32)(*(volatile __u64 *)&cfg->commits & 1) : 0;
}

static __always_inline struct fs_counters *group_counters(__u8 id)
{
	__u32 key = id;

	return bpf_map_lookup_elem(&FS_MAP_GROUP_STATS, &key);
}

/* The NIC's RX timestamp (XDP metadata kfunc). Only a device-bound program may call it. */
extern int bpf_xdp_metadata_rx_timestamp(const struct xdp_md *ctx, __u64 *timestamp) __ksym;

/* Put the program's findings in front of the frame for the consumer. */
static __always_inline int write_meta(struct xdp_md *ctx, const struct fs_group *g,
				      const struct fs_walk *w, __u8 flags, const bool hw_ts)
{
	struct fs_xdp_meta *meta;
	__u64 ts = 0;
	void *data;

	/* Read before the metadata area moves the packet pointers; ktime when the NIC has none. */
	if (hw_ts && !bpf_xdp_metadata_rx_timestamp(ctx, &ts) && ts)
		flags |= FS_META_F_HW_TS;
	else
		ts = bpf_ktime_get_ns();

	if (bpf_xdp_adjust_meta(ctx, -(int)sizeof(*meta)))
		return -1;
	meta = (void *)(long)ctx->data_meta;
	data = (void *)(long)ctx->data;
	if ((void *)(meta + 1) > data)
		return -1;
	meta->rx_ts_ns = ts;
	meta->match_bits[0] = w->match_bits[0];
	meta->match_bits[1] = w->match_bits[1];
	meta->magic = FS_META_MAGIC;
	meta->proto = g->proto;
	meta->group_id = g->id;
	meta->flags = flags;
	meta->msgs_walked = w->walked;
	meta->channel = g->channel;
	meta->line = g->line;
	meta->feed = g->feed;
	return 0;
}

/* Hand the frame to the socket of its RX queue, or to the kernel when there is none. */
static __always_inline int deliver(struct xdp_md *ctx, const struct fs_group *g,
				   const struct fs_walk *w, __u8 flags, struct fs_counters *gs,
				   struct fs_counters *grp, const bool hw_ts)
{
	long action;

	if (write_meta(ctx, g, w, flags | w->meta_flags, hw_ts))
		COUNT(gs, grp, meta_failed, 1);
	if (fs_replay)
		action = XDP_REDIRECT;
	else
		action = bpf_redirect_map(&FS_MAP_XSKS, ctx->rx_queue_index, XDP_PASS);
	if (action == XDP_REDIRECT)
		COUNT(gs, grp, frames_redirected, 1);
	else
		COUNT(gs, grp, frames_no_socket, 1);
	return action;
}

/* What the match pass found, counted. */
static __always_inline void count_match(struct fs_counters *gs, struct fs_counters *grp,
					const struct fs_walk *w)
{
	COUNT(gs, grp, msgs_matched, w->matched);
	COUNT(gs, grp, dir_learned, w->learned);
	COUNT(gs, grp, dir_full, w->dir_full);
	COUNT(gs, grp, orders_added, w->orders_added);
	COUNT(gs, grp, orders_removed, w->orders_removed);
	COUNT(gs, grp, orders_full, w->orders_full);
	COUNT(gs, grp, orders_unknown, w->orders_unknown);
}

/*
 * Does the channel of WIN carry UNIT? A channel whose groups name no units takes the first unit
 * it sees (both lines carry the same one); frames of any other unit are not its own.
 */
static __always_inline bool unit_taken(struct fs_channel_window *win, __u8 unit)
{
	__u64 want = (__u64)unit + 1, cur = win->unit;

	if (!cur)
		cur = __sync_val_compare_and_swap(&win->unit, 0, want) ?: want;
	return cur == want;
}

/* Every key of a frame outside the live sequence is examined: nothing of it is claimed, so none
 * was brought before by another copy. */
static __always_inline void all_keys_new(struct fs_walk *w)
{
	w->new_bits[0] = w->walked >= 64 ? ~0ULL : (1ULL << w->walked) - 1;
	w->new_bits[1] = w->walked >= 128 ? ~0ULL
			 : w->walked > 64 ? (1ULL << (w->walked - 64)) - 1 : 0;
}

/*
 * A unicast datagram that is no group's: a re-request response when it comes from a server that
 * fs_servers knows, the live bank's group named there names that very server, and it goes to a
 * port a consumer sends its requests from. Returns that group, and in *QUEUE the RX queue of that
 * consumer, else NULL (the frame is not ours). The index may be stale (the group changed since):
 * the group itself decides. Only a unicast destination can be an answer: the multicast range and
 * everything above it (reserved, and the limited broadcast 255.255.255.255) are refused here. A
 * subnet-directed broadcast (10.0.0.255 on a /24) cannot be told from unicast without the
 * interface's prefix, which the program does not have; the request port and the server's address
 * and port must still all match for it to be taken.
 */
/* Group KEY in configuration bank BANK. */
static __always_inline struct fs_group *group_in_bank(const struct fs_group_key *key, __u32 bank)
{
	return bank ? bpf_map_lookup_elem(&FS_MAP_GROUPS_1, key)
		    : bpf_map_lookup_elem(&FS_MAP_GROUPS_0, key);
}

static __always_inline struct fs_group *response_group(const struct fs_pkt *pkt, __u32 bank,
						       __u32 *queue)
{
	struct fs_req_port *rp;
	struct fs_group_key *gk;
	struct fs_group *gp;
	__u32 port, daddr = bpf_ntohl(pkt->key.addr);

	if (!daddr || (daddr >> 28) >= 0xE) /* 0.0.0.0, multicast, reserved, broadcast */
		return NULL;
	gk = bpf_map_lookup_elem(&FS_MAP_SERVERS, &pkt->src);
	if (!gk)
		return NULL;
	gp = group_in_bank(gk, bank);
	if (!gp || gp->retrans_addr != pkt->src.addr || gp->retrans_port != pkt->src.port)
		return NULL;
	port = pkt->key.port;
	rp = bpf_map_lookup_elem(&FS_MAP_REQ_PORTS, &port);
	if (!rp)
		return NULL;
	*queue = rp->queue;
	return gp;
}

/*
 * May response W claim its numbers in the window? Only numbers the live lines have already gone
 * past (below the high-water mark HIGH) and that the window still holds (no older than half of
 * it) can be holes a consumer asked for. A response past the mark would claim numbers the live
 * lines are yet to bring (their copies then dropped as duplicates) and, a window ahead, overwrite
 * the words of live numbers; one older than half the window would claim in words the window is
 * reusing. Both are refused, as neither can be an answer to a request.
 */
static __always_inline bool response_in_holes(const struct fs_walk *w, __u64 high)
{
	return w->seq_next <= high && high - w->seq <= FS_SEQ_WINDOW / 2;
}

/*
 * The whole per-frame path. HW_TS is a compile-time constant of each entry point below, so each
 * gets its own copy and only the device-bound one contains the kfunc call.
 */
static __always_inline int process(struct xdp_md *ctx, const bool hw_ts)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct fs_counters *gs, *grp;
	struct fs_claim claim = {};
	struct fs_walk *w;
	struct fs_group *gp, *g, group;
	__u32 zero = 0;
	struct fs_pkt pkt;
	enum fs_pkt_kind kind;
	__u8 flags = 0;
	__u32 bank, req_queue = 0;

	gs = global_counters();
	w = bpf_map_lookup_elem(&fs_scratch, &zero);
	if (!gs || !w)
		return XDP_PASS;
	gs->frames_seen++;

	kind = fs_parse_frame(data, data_end, &pkt);
	if (kind == FS_PKT_OTHER)
		goto not_ours;
	bank = active_bank();
	gp = group_in_bank(&pkt.key, bank);
	/* The response mark lives in the scratch value, not on the stack: the verifier does not
	 * track map memory, so both ways in reach the path below in one state, verified once. */
	if (gp) {
		__builtin_memset(w, 0, sizeof(*w));
	} else {
		gp = response_group(&pkt, bank, &req_queue);
		if (!gp)
			goto not_ours;
		__builtin_memset(w, 0, sizeof(*w));
		w->meta_flags = FS_META_F_RETRANSMITTED;
		w->req_queue = req_queue;
	}
	group = *gp;
	g = &group;
	grp = group_counters(g->id);
	if (grp)
		grp->frames_seen++;
	if (w->meta_flags & FS_META_F_RETRANSMITTED) {
		COUNT(gs, grp, frames_retransmitted, 1);
		/* Only the requester's queue has the socket and the sequencer that asked: on
		 * another queue the answer is not ours to claim (claimed there, it would be lost
		 * to the requester). The kernel gets it untouched. */
		if (w->req_queue != ctx->rx_queue_index) {
			COUNT(gs, grp, frames_retrans_refused, 1);
			return XDP_PASS;
		}
	}

	if (kind == FS_PKT_UDP_FRAGMENT) {
		COUNT(gs, grp, frames_fragment, 1);
		return XDP_PASS;
	}
	w->bank = bank;
	if (kind == FS_PKT_UDP_BAD_LENGTH)
		w->malformed = true;
	else
		proto_validate(ctx, &pkt, g, w);
	/* Every frame of a snapshot group is out of band: a snapshot loop repeats the channel's
	 * state, not its sequence. Said through the scratch value, so the one out-of-band branch
	 * below serves it: testing the flag there too cost the verifier 8 000 instructions. */
	if (g->flags & FS_GROUP_F_SNAPSHOT)
		w->kind = FS_FRAME_OUT_OF_BAND;
	if (g->flags & FS_GROUP_F_ALL_SYMBOLS)
		flags |= FS_META_F_ALL_SYMBOLS;

	/* A malformed frame is never read further, nor claimed: its sequence numbers are not to
	 * be trusted, and claiming them could shadow the other line's good copy. */
	if (w->malformed) {
		/* A malformed answer brings nothing the consumer can use: its holes wait for a
		 * good one (or the deadline). Counted as refused only, not as a malformed frame of
		 * the feed: the server sent it, not the live lines. */
		if (w->meta_flags & FS_META_F_RETRANSMITTED) {
			COUNT(gs, grp, frames_retrans_refused, 1);
			return XDP_DROP;
		}
		COUNT(gs, grp, frames_malformed, 1);
		if (g->flags & FS_GROUP_F_DROP_MALFORMED) {
			COUNT(gs, grp, frames_malformed_dropped, 1);
			return XDP_DROP;
		}
		return deliver(ctx, g, w, flags | FS_META_F_MALFORMED, gs, grp, hw_ts);
	}

	if (w->has_unit && g->unit_count) {
		/* The group names its units: unit u is on channel g->channel + u - unit_first. */
		__u8 rel = w->unit - g->unit_first;

		if (rel >= g->unit_count)
			goto other_unit;
		g->channel += rel;
	}
	w->channel = g->channel; /* what the consumer is told, and what fs_orders is keyed by */
	claim.win = channel_window(g->channel);
	if (!claim.win)
		return XDP_PASS; /* cannot happen: channel ids are checked when groups are added */
	if (w->has_unit && !unit_taken(claim.win, w->unit))
		goto other_unit;

	/* A frame outside the live sequence (PITCH unsequenced, NYSE retransmission or refresh)
	 * is not arbitrated: it is matched in the channel's current session (PITCH order map
	 * entries of another generation are absent) and delivered flagged when one of its
	 * messages is wanted, so the consumer hands it over without sequencing it. It claims
	 * nothing, so the counts of claimed sequence numbers below add 0 for it. It joins the
	 * live path at the one match pass: a second inlined copy of every protocol's match pass
	 * cost the verifier about a third of its work. */
	if (w->kind == FS_FRAME_OUT_OF_BAND) {
		w->gen = (__u16)fs_sess_gen(claim.win->session);
		COUNT(gs, grp, frames_out_of_band, 1);
		all_keys_new(w);
		flags |= FS_META_F_OUT_OF_BAND;
		goto match;
	}

	/* A response is judged like a live copy of its channel's current session, but it never
	 * starts or resets one, nor tells anything of the live lines: it leaves last_rx_ns (stale
	 * detection) and the high-water mark alone. It brings what was asked for: data inside the
	 * holes the window can have (response_in_holes); a heartbeat or end of session from the
	 * server tells nothing the live lines do not. Anything else is refused. */
	if (w->meta_flags & FS_META_F_RETRANSMITTED) {
		if (!arb_current_session(claim.win, w, &claim.gen)) {
			COUNT(gs, grp, frames_other_session, 1);
			return XDP_DROP;
		}
		if (w->kind != FS_FRAME_DATA ||
		    !response_in_holes(w, fs_high_seq(claim.win->high, claim.gen))) {
			COUNT(gs, grp, frames_retrans_refused, 1);
			return XDP_DROP;
		}
		w->gen = (__u16)claim.gen;
		goto claim;
	}
	switch (arb_session(claim.win, w, &claim.gen)) {
	case ARB_OTHER_SESSION:
		COUNT(gs, grp, frames_other_session, 1);
		return XDP_DROP;
	case ARB_SESSION_RESET:
		if (w->counts_reset)
			COUNT(gs, grp, sessions_reset, 1);
		break;
	default:
		break;
	}
	w->gen = (__u16)claim.gen;
	/* PITCH decides an unknown order only when the numbers before the frame are settled,
	 * back to the session's first one (proto_pitch.bpf.h); no other protocol needs it. */
	if (w->has_unit)
		arb_note_start(&claim, w->seq);
	/* For stale detection (seconds): the coarse clock costs ~6 ns where the precise one
	 * costs ~46 ns (bench/filter_cost), on every frame. */
	claim.win->last_rx_ns = bpf_ktime_get_coarse_ns();

	/* Consumers need heartbeats and end of session to track the stream. */
	if (w->kind == FS_FRAME_HEARTBEAT) {
		COUNT(gs, grp, heartbeats, 1);
		arb_raise_high(&claim, w->seq_next);
		return deliver(ctx, g, w, flags, gs, grp, hw_ts);
	}
	if (w->kind == FS_FRAME_END_OF_SESSION) {
		COUNT(gs, grp, end_of_session, 1);
		arb_raise_high(&claim, w->seq_next);
		claim.win->ended_gen = (__u64)claim.gen + 1;
		return deliver(ctx, g, w, flags, gs, grp, hw_ts);
	}

	/* Message counters count sequence numbers (an MDP3 packet is one), so that walked =
	 * new + duplicate + too late and new = delivered + filtered hold for every protocol. */
claim:
	arb_claim(&claim, w);
	if (!(w->meta_flags & FS_META_F_RETRANSMITTED))
		arb_raise_high(&claim, w->seq_next);
	COUNT(gs, grp, msgs_walked, w->seq_count);
	COUNT(gs, grp, msgs_new, w->new_count);
	COUNT(gs, grp, msgs_too_late, w->too_late);
	COUNT(gs, grp, msgs_duplicate, w->seq_count - w->new_count - w->too_late);
	/* An overflow with sequence numbers past those claimed may bring new ones unexamined. */
	if (!w->new_count && !(w->overflow && w->seq_next - w->seq > w->seq_count)) {
		COUNT(gs, grp, frames_duplicate, 1);
		return XDP_DROP;
	}
	COUNT(gs, grp, frames_first, 1);

match:
	proto_match(ctx, &pkt, g, w);
	count_match(gs, grp, w);

	if (w->overflow || w->deliver) {
		arb_finish(&claim, w, true);
		COUNT(gs, grp, msgs_delivered, w->new_count);
		if (w->overflow) {
			COUNT(gs, grp, frames_walk_overflow, 1);
			flags |= FS_META_F_OVERFLOW;
		}
		return deliver(ctx, g, w, flags, gs, grp, hw_ts);
	}
	arb_finish(&claim, w, false);
	COUNT(gs, grp, msgs_filtered, w->new_count);
	COUNT(gs, grp, frames_filtered, 1);
	return XDP_DROP;

other_unit:
	COUNT(gs, grp, frames_other_unit, 1);
	COUNT(gs, grp, frames_passed, 1);
	return XDP_PASS;
not_ours:
	gs->frames_passed++;
	return XDP_PASS;
}

SEC("xdp")
int feedsieve_xdp(struct xdp_md *ctx)
{
	return process(ctx, false);
}

/*
 * The same, taking the RX timestamp from the NIC where the driver provides one. Not loaded
 * unless user space asks: it must be bound to its device, and loads only on drivers with XDP
 * metadata support (attach falls back to feedsieve_xdp).
 */
SEC("?xdp")
int feedsieve_xdp_hwts(struct xdp_md *ctx)
{
	return process(ctx, true);
}
