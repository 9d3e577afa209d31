// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * filter_cost: what feedsieve_xdp costs per frame, by BPF_PROG_TEST_RUN, next to two floors run
 * on the same frames in the same run (bench/floors.bpf.c): xdp_empty and xdp_parse.
 *
 * Grid: 1, 4, 16, 64 Add Orders per frame; 1, 100, 10 000, 65 536 subscribed symbols (fs_subs and
 * their learned fs_instruments entries), one loaded instance of the program each, so that all four
 * run side by side on the same frames; matched (message 0 of a subscribed symbol, the others
 * not) or not matched (no message subscribed); and the two paths of line arbitration:
 *
 * "first": every message is new to the channel, as on the line that is ahead. A frame is new only
 *   once, so the runs of a .repeat batch go through a wrapper (floors.bpf.c) that moves the
 *   frame's sequence number past its messages and tail-calls the program: each run claims new
 *   sequence numbers and the window slides as on a live feed, back to back as in a NAPI poll.
 *   The floors go through the same wrapper. Rejected: one call of .repeat = 1 per frame (the
 *   window then needs no wrapper). Its duration is one run between two ktime_get_ns() reads, so
 *   every number carries a clock read, and each run starts cold after the system call: on this
 *   VM that added 40 ns to xdp_empty but 80 (1 message) to 260 ns (16 messages) to
 *   feedsieve_xdp, an error the floors do not cancel.
 * "duplicate": every message was claimed before, as on the line that is behind: .repeat runs of
 *   one frame, of which only the first claims it.
 *
 * The frames of a repetition are the same for every number of symbols: message 0 of a matched
 * frame is of subscription slot 0, the others of unsubscribed symbols drawn once per repetition
 * among BX_OTHERS. The kernel returns the mean ns per run of a call, truncated to an integer.
 * With .repeat > 1 every call also swaps the program into the XDP dispatcher and waits for an RCU
 * grace period (about 20 ms here, outside the timed loop), which bounds the calls a run can
 * afford; the speed of the VM changes from call to call more than within one. The six
 * programs of a cell are interleaved call by call in a rotating order, so the noise of the VM's
 * other tenants falls on all of them alike; each measurement is repeated R times, the whole grid
 * once per repetition, and the median is kept. Verdicts and counters are checked after every
 * measurement: a frame that took another path than its cell says fails the run rather than
 * being timed.
 *
 * MDP3 (issue 11), measured after the ITCH grid with the same method and the same options, on
 * four more instances whose group is an MDP3 group (bench/fixture.h): packets of 1, 4, 16, 64
 * instrument keys, book entries of MDIncrementalRefreshBook messages of up to 4 entries each
 * (bench/frames.h), the same grid of subscriptions, by SecurityID (fs_ids and id-keyed directory
 * slots named by fs_inst_index, as the commit writes them). Matched: entry 0 is of subscription
 * slot 0, the others of unsubscribed ids drawn as the ITCH symbols are. MDP3 is sequenced per
 * packet, so its path-first wrapper moves MsgSeqNum on by one per run, and the duplicate path
 * repeats one MsgSeqNum. Its parse floor stops after the MDP3 packet header.
 *
 * NYSE XDP Integrated and Cboe PITCH (issue 12), the same way on four instances each:
 * NYSE packets of 1, 4, 16, 64 Add Orders (type 100) keyed by SymbolIndex, learned in id-keyed
 * slots as a Symbol Index Mapping teaches them, the subscriptions by name (fs_subs) with their
 * slots marked as the commit marks them; PITCH units of Add Order Short messages with their
 * 6-character symbols inline, subscribed by name. Both are sequenced per message: their
 * path-first wrappers move the first sequence number past the messages, as for MoldUDP64, and
 * PITCH's also moves the first message's Order ID on by one per run, so a matched Add Order
 * really inserts an order into fs_orders every run (checked: orders_added); fs_orders is emptied
 * after every measurement, outside the timed calls. Their parse floors stop after the 16-byte
 * NYSE packet header and the 8-byte Sequenced Unit Header.
 *
 * The order map (PITCH), measured after the PITCH grid on the instance of 1 subscribed symbol,
 * whose fs_orders holds --orders-fill orders of another channel all along (a busy book; by
 * default half its capacity, so the operations find the hash table as loaded as it then is):
 * units of one message, each call of .repeat runs through the path-first wrapper (new sequence
 * numbers and a new Order ID every run): the Add Order Short of the subscribed symbol (an insert
 * into fs_orders), then the Order Executed of one share of those orders (lookup and update), then
 * their Delete Order (lookup and delete), so every run of each finds the state it needs and the
 * round's orders are gone after it; beside them two references at rotating places in the
 * round: the Add Order Short of an unsubscribed symbol (the same 26-byte frame, no map operation,
 * dropped) and the Trade Short of the subscribed symbol (symbol inline, no map operation,
 * delivered as the three operations are). Counters are checked after every call (orders added,
 * removed, unknown, full). Reported: ns per frame, and ns per operation over each reference,
 * median over the repetitions of the difference within a repetition: over the dropped Add Order
 * it includes the delivery (metadata, the XDP_PASS fallback), over the delivered trade it is
 * about the map operation alone.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bench.h"
#include "options.h"
#include "report.h"
#include "fixture.h"
#include "frames.h"

const __u32 msgs_grid[N_MSGS] = {1, 4, 16, 64};
const __u32 subs_grid[N_SUBS] = {1, 100, 10000, 65536};

/* What differs between the frames of the two protocols. */
struct proto_bench {
	__u8 proto;
	const char *name; /* for messages */
	const char *keys; /* what a key of the frame is, for messages */
	const char *subs; /* what is subscribed, for messages */
	int (*build)(struct bf_frame *f, __u32 keys, const __u32 *others, bool matched);
	void (*set_seq)(struct bf_frame *f, __u64 seq);
	bool per_packet; /* one sequence number per frame, not per key */
};

struct bench {
	const struct opts *o;
	const struct proto_bench *pb;
	struct bx x;
	struct bf_frame frame;
	__u64 next_seq[BX_PROGS];   /* the next new sequence number of each program's channel */
	__u64 next_order[BX_PROGS]; /* PITCH: the next new Order ID of each program's channel */
	__u32 *durations[BX_PROGS]; /* the kernel's mean of each call */
};

/*
 * Window tags compare block numbers (sequence / 16) modulo 2^24, so a channel must not run
 * through 2^23 blocks, or a word the run skipped would look newer than the frame. A long run
 * starts its channels afresh before that, between calls, as at the start of a session.
 */
#define SEQ_RESTART (1ULL << 26)

/* xorshift64*: reproducible from --seed. */
static __u32 rand_below(__u64 *state, __u32 n)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return (__u32)(((*state * 0x2545F4914F6CDD1DULL) >> 32) % n);
}

/* Which unsubscribed instruments C's frame names in repetition REP, one per key. */
static void draw_others(struct bench *b, const struct cell *c, int rep, __u32 *others)
{
	__u64 state = (b->o->seed + 1) * 0x9E3779B97F4A7C15ULL ^ ((__u64)rep << 32 | c->msgs);
	__u32 i;

	for (i = 0; i < c->msgs; i++)
		others[i] = rand_below(&state, BX_OTHERS);
}

/* ITCH: MSGS Add Orders of the unsubscribed symbols OTHERS, or of subscription slot 0 first. */
static int build_itch(struct bf_frame *f, __u32 msgs, const __u32 *others, bool matched)
{
	char name[FS_SYMBOL_LEN + 1];
	__u32 i;

	if (bf_build(f, msgs))
		return -EINVAL;
	for (i = 0; i < msgs; i++) {
		bx_other_symbol(FS_PROTO_MOLD_ITCH, others[i], name);
		bf_set_msg(f, i, bx_other_locate(others[i]), name);
	}
	if (matched) {
		bx_sub_symbol(FS_PROTO_MOLD_ITCH, 0, name);
		bf_set_msg(f, 0, bx_sub_locate(0), name);
	}
	return 0;
}

/* MDP3: KEYS book entries of the unsubscribed ids OTHERS, or of subscription slot 0 first. */
static int build_mdp3(struct bf_frame *f, __u32 keys, const __u32 *others, bool matched)
{
	__s32 ids[BF_MAX_MSGS];
	__u32 i;

	for (i = 0; i < keys && i < BF_MAX_MSGS; i++)
		ids[i] = bx_other_id(others[i]);
	if (matched)
		ids[0] = bx_sub_id(0);
	return bf_build_mdp3(f, keys, ids);
}

static void set_seq_mdp3(struct bf_frame *f, __u64 seq)
{
	bf_set_seq_mdp3(f, (__u32)seq);
}

/* NYSE: MSGS Add Orders of the unsubscribed SymbolIndexes OTHERS, or of subscription slot 0
 * first. */
static int build_nyse(struct bf_frame *f, __u32 msgs, const __u32 *others, bool matched)
{
	__u32 idx[BF_MAX_MSGS], i;

	for (i = 0; i < msgs && i < BF_MAX_MSGS; i++)
		idx[i] = (__u32)bx_other_id(others[i]);
	if (matched)
		idx[0] = (__u32)bx_sub_id(0);
	return bf_build_nyse(f, msgs, idx);
}

static void set_seq_nyse(struct bf_frame *f, __u64 seq)
{
	bf_set_seq_nyse(f, (__u32)seq);
}

/* PITCH: MSGS Add Order Short of the unsubscribed symbols OTHERS, or of subscription slot 0
 * first. The first one's Order ID is set before each call (set_order()). */
static int build_pitch(struct bf_frame *f, __u32 msgs, const __u32 *others, bool matched)
{
	static char names[BF_MAX_MSGS][FS_SYMBOL_LEN + 1];
	const char *syms[BF_MAX_MSGS];
	__u32 i;

	for (i = 0; i < msgs && i < BF_MAX_MSGS; i++) {
		bx_other_symbol(FS_PROTO_PITCH, others[i], names[i]);
		syms[i] = names[i];
	}
	if (matched)
		bx_sub_symbol(FS_PROTO_PITCH, 0, names[0]);
	return bf_build_pitch(f, msgs, syms, 1);
}

static void set_seq_pitch(struct bf_frame *f, __u64 seq)
{
	bf_set_seq_pitch(f, (__u32)seq);
}

static const struct proto_bench itch_bench = {.proto = FS_PROTO_MOLD_ITCH,
					      .name = "itch",
					      .keys = "msgs",
					      .subs = "symbols",
					      .build = build_itch,
					      .set_seq = bf_set_seq};
static const struct proto_bench mdp3_bench = {.proto = FS_PROTO_MDP3,
					      .name = "mdp3",
					      .keys = "keys",
					      .subs = "ids",
					      .build = build_mdp3,
					      .set_seq = set_seq_mdp3,
					      .per_packet = true};
static const struct proto_bench nyse_bench = {.proto = FS_PROTO_NYSE_XDP,
					      .name = "nyse-xdp",
					      .keys = "msgs",
					      .subs = "symbols",
					      .build = build_nyse,
					      .set_seq = set_seq_nyse};
static const struct proto_bench pitch_bench = {.proto = FS_PROTO_PITCH,
					       .name = "pitch",
					       .keys = "msgs",
					       .subs = "symbols",
					       .build = build_pitch,
					       .set_seq = set_seq_pitch};

/* C's frame in repetition REP. */
static int set_frame(struct bench *b, struct cell *c, int rep)
{
	__u32 others[BF_MAX_MSGS];

	draw_others(b, c, rep, others);
	if (b->pb->build(&b->frame, c->msgs, others, c->matched))
		return -EINVAL;
	c->frame_len = b->frame.len;
	return 0;
}

/* The verdict the program in SLOT must return on C's frames. */
static __u32 expected_retval(int slot, const struct cell *c)
{
	if (slot == BX_EMPTY)
		return XDP_PASS;
	if (slot == BX_PARSE)
		return XDP_DROP;
	/* Delivered frames find no AF_XDP socket here: XDP_PASS (frames_no_socket). */
	return c->path == PATH_FIRST && c->matched ? XDP_PASS : XDP_DROP;
}

/* One call of RUNS runs of the program in SLOT on the frame; its mean ns per run in DURATION. */
static int test_run(struct bench *b, int slot, const struct cell *c, __u32 runs, __u32 *duration)
{
	int fd = c->path == PATH_FIRST ? b->x.first_fd[slot] : b->x.prog_fd[slot];
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = b->frame.buf, .data_size_in = b->frame.len,
		    .repeat = runs);

	/* The wrapper of path first moves the sequence number before each run. */
	if (b->next_seq[slot] > SEQ_RESTART) {
		if (slot < BX_INSTANCES)
			bx_reset_window(&b->x, slot);
		b->next_seq[slot] = 1;
	}
	b->pb->set_seq(&b->frame, b->next_seq[slot]);
	b->next_seq[slot] += (__u64)(b->pb->per_packet ? 1 : c->msgs) *
			     (c->path == PATH_FIRST ? runs + 1 : 1);
	if (bpf_prog_test_run_opts(fd, &opts)) {
		int err = -errno;

		fprintf(stderr, "filter_cost: BPF_PROG_TEST_RUN: %s\n", strerror(-err));
		return err;
	}
	if (opts.retval != expected_retval(slot, c)) {
		fprintf(stderr, "filter_cost: slot %d returned %u instead of %u (%u %s, %s)\n",
			slot, opts.retval, expected_retval(slot, c), c->msgs, b->pb->keys,
			path_name(c->path));
		return -EPROTO;
	}
	*duration = opts.duration;
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	__u32 x = *(const __u32 *)a, y = *(const __u32 *)b;

	return x < y ? -1 : x > y;
}

/* Mean of the middle half of V (sorted in place), or of all of V when it has fewer than 4. */
static double interquartile_mean(__u32 *v, __u32 n)
{
	__u32 lo = n / 4, hi = n - n / 4, i;
	double sum = 0;

	qsort(v, n, sizeof(*v), cmp_u32);
	for (i = lo; i < hi; i++)
		sum += v[i];
	return sum / (hi - lo);
}

/* Instance I's counters must show the path C says, for every run: FRAMES of the RUNS brought
 * new messages. */
static int check_counters(const struct bench *b, int i, const struct cell *c,
			  const struct fs_counters *c0,
			  const struct fs_counters *c1, __u64 runs, __u64 frames)
{
	__u64 seen = c1->frames_seen - c0->frames_seen;
	__u64 first = c1->frames_first - c0->frames_first;
	__u64 dup = c1->frames_duplicate - c0->frames_duplicate;
	__u64 wanted = c1->frames_no_socket - c0->frames_no_socket;
	__u64 filtered = c1->frames_filtered - c0->frames_filtered;
	__u64 matched = c1->msgs_matched - c0->msgs_matched;
	/* PITCH: every matched Add Order brought first is a new order remembered. */
	__u64 added = c1->orders_added - c0->orders_added;
	__u64 full = c1->orders_full - c0->orders_full;
	bool orders_ok = b->pb->proto != FS_PROTO_PITCH || (added == wanted && !full);

	if (seen == runs && first == frames && dup == runs - frames &&
	    wanted + filtered == frames && wanted == (c->matched ? frames : 0) && matched == wanted &&
	    orders_ok)
		return 0;
	fprintf(stderr,
		"filter_cost: %u subscribed, %u %s, %s, %s: counters say seen %llu first %llu "
		"duplicate %llu delivered %llu filtered %llu matched %llu for %llu runs of %llu "
		"frames (orders added %llu, full %llu)\n",
		subs_grid[i], c->msgs, b->pb->keys, c->matched ? "matched" : "not matched", path_name(c->path),
		(unsigned long long)seen, (unsigned long long)first, (unsigned long long)dup,
		(unsigned long long)wanted, (unsigned long long)filtered,
		(unsigned long long)matched, (unsigned long long)runs, (unsigned long long)frames,
		(unsigned long long)added, (unsigned long long)full);
	return -EPROTO;
}

/* PITCH: the Order ID the first message names in the next call on SLOT. Path first moves it on
 * by one per run from there, so every run's order is new to the channel. */
static void set_order(struct bench *b, int slot, enum path path, __u32 runs)
{
	bf_set_order_pitch(&b->frame, b->next_order[slot]);
	b->next_order[slot] += path == PATH_FIRST ? (__u64)runs + 1 : 1;
}

/* PITCH: empty every instance's fs_orders after a measurement, which inserted EXPECTED orders
 * into each (its counters said so); the entries found must agree. */
static int clear_orders(struct bench *b, const struct cell *c, __u64 expected)
{
	long n;
	int s;

	for (s = 0; s < BX_INSTANCES; s++) {
		n = bx_clear_orders(&b->x, s);
		if (n < 0) {
			fprintf(stderr, "filter_cost: empty fs_orders: %s\n", strerror((int)-n));
			return (int)n;
		}
		if ((__u64)n != expected) {
			fprintf(stderr,
				"filter_cost: %u subscribed, %u %s, %s: fs_orders held %ld orders "
				"instead of %llu\n",
				subs_grid[s], c->msgs, b->pb->keys, path_name(c->path), n,
				(unsigned long long)expected);
			return -EPROTO;
		}
	}
	return 0;
}

/* One repetition of cell C: one estimate per program slot into C->ns[.][REP]. */
static int measure(struct bench *b, struct cell *c, int rep)
{
	__u32 n = b->o->batches, runs = b->o->runs, k, i;
	struct fs_counters c0[BX_INSTANCES], c1;
	__u64 frames = c->path == PATH_FIRST ? (__u64)n * runs : n;
	int ret = 0, s;

	for (s = 0; !ret && s < BX_INSTANCES; s++)
		ret = bx_counters(&b->x, s, &c0[s]);
	for (i = 0; !ret && i < n; i++)
		for (k = 0; !ret && k < BX_PROGS; k++) {
			s = (int)((i + (__u32)rep + k) % BX_PROGS);
			if (b->pb->proto == FS_PROTO_PITCH)
				set_order(b, s, c->path, runs);
			ret = test_run(b, s, c, runs, &b->durations[s][i]);
		}
	for (s = 0; !ret && s < BX_INSTANCES; s++) {
		ret = bx_counters(&b->x, s, &c1);
		if (!ret)
			ret = check_counters(b, s, c, &c0[s], &c1, (__u64)n * runs, frames);
	}
	if (!ret && b->pb->proto == FS_PROTO_PITCH)
		ret = clear_orders(b, c, c->matched ? frames : 0);
	if (ret)
		return ret;
	for (s = 0; s < BX_PROGS; s++)
		c->ns[s][rep] = interquartile_mean(b->durations[s], n);
	return 0;
}

static void summarise(struct cell *c, int repeats)
{
	int s, r;

	c->repeats = repeats;
	for (s = 0; s < BX_PROGS; s++) {
		c->med[s] = median(c->ns[s], repeats);
		c->min[s] = c->max[s] = c->ns[s][0];
		for (r = 1; r < repeats; r++) {
			c->min[s] = c->ns[s][r] < c->min[s] ? c->ns[s][r] : c->min[s];
			c->max[s] = c->ns[s][r] > c->max[s] ? c->ns[s][r] : c->max[s];
		}
	}
}

static void init_cells(struct cell *cells)
{
	int m, t, p, i = 0;

	for (m = 0; m < N_MSGS; m++)
		for (t = 0; t < 2; t++)
			for (p = 0; p < PATHS; p++, i++) {
				cells[i].msgs = msgs_grid[m];
				cells[i].matched = t;
				cells[i].path = p;
			}
}

/* Walk the whole grid R times, then keep the medians. */
static int run_grid(struct bench *b, struct cell *cells)
{
	int rep, i, ret;

	for (rep = 0; rep < b->o->repeats; rep++) {
		for (i = 0; i < N_CELLS; i++) {
			ret = set_frame(b, &cells[i], rep);
			if (!ret)
				ret = measure(b, &cells[i], rep);
			if (ret)
				return ret;
		}
		fprintf(stderr, "filter_cost: %s repetition %d of %d done\n", b->pb->name, rep + 1,
			b->o->repeats);
	}
	for (i = 0; i < N_CELLS; i++)
		summarise(&cells[i], b->o->repeats);
	return 0;
}

/* Subscriptions are set once: instance i holds subs_grid[i] symbols (ids) for the whole run. */
static int subscribe_all(struct bench *b)
{
	int i, ret;

	for (i = 0; i < BX_INSTANCES; i++) {
		ret = bx_subscribe(&b->x, i, subs_grid[i]);
		if (ret) {
			fprintf(stderr, "filter_cost: %s: subscribe %u %s: %s\n", b->pb->name,
				subs_grid[i], b->pb->subs, strerror(-ret));
			return ret;
		}
	}
	return 0;
}

/* Instance 0's counters after one call of RUNS runs of order map operation OP must say that
 * every run did it: delivered (or, the baseline, filtered), and the orders added, removed. */
static int check_order_counters(enum order_op op, const struct fs_counters *c0,
				const struct fs_counters *c1, __u64 runs)
{
	__u64 first = c1->frames_first - c0->frames_first;
	__u64 wanted = c1->frames_no_socket - c0->frames_no_socket;
	__u64 filtered = c1->frames_filtered - c0->frames_filtered;
	__u64 added = c1->orders_added - c0->orders_added;
	__u64 removed = c1->orders_removed - c0->orders_removed;
	__u64 unknown = c1->orders_unknown - c0->orders_unknown;
	__u64 full = c1->orders_full - c0->orders_full;
	bool base = op == OP_BASE;

	/* The trade of a subscribed symbol is delivered and touches no order. */
	if (first == runs && wanted == (base ? 0 : runs) && filtered == (base ? runs : 0) &&
	    added == (op == OP_ADD ? runs : 0) && removed == (op == OP_DELETE ? runs : 0) &&
	    !unknown && !full)
		return 0;
	fprintf(stderr,
		"filter_cost: order map, %s: counters say first %llu delivered %llu filtered %llu "
		"orders added %llu removed %llu unknown %llu full %llu for %llu runs\n",
		order_op_name(op), (unsigned long long)first, (unsigned long long)wanted,
		(unsigned long long)filtered, (unsigned long long)added,
		(unsigned long long)removed, (unsigned long long)unknown, (unsigned long long)full,
		(unsigned long long)runs);
	return -EPROTO;
}

/* The frames of the order map measurement, by operation. */
static int order_frames(struct bf_frame *frames)
{
	char base[FS_SYMBOL_LEN + 1], sub[FS_SYMBOL_LEN + 1];
	const char *base_sym = base, *sub_sym = sub;

	bx_other_symbol(FS_PROTO_PITCH, 0, base);
	bx_sub_symbol(FS_PROTO_PITCH, 0, sub);
	if (bf_build_pitch(&frames[OP_BASE], 1, &base_sym, 1) ||
	    bf_build_pitch_trade(&frames[OP_DELIVER], sub) ||
	    bf_build_pitch(&frames[OP_ADD], 1, &sub_sym, 1) ||
	    bf_build_pitch_order(&frames[OP_EXECUTE], PITCH_T_EXECUTED, 1) ||
	    bf_build_pitch_order(&frames[OP_DELETE], PITCH_T_DELETE, 1))
		return -EINVAL;
	return 0;
}

/* One call of RUNS runs of operation OP on instance 0, its orders from FIRST + 1 on. */
static int order_call(struct bench *b, const struct bf_frame *frame, enum order_op op,
		      __u64 first, __u32 runs, __u32 *duration)
{
	struct cell c = {.msgs = 1, .matched = op != OP_BASE, .path = PATH_FIRST};
	struct fs_counters c0, c1;
	int ret;

	b->frame = *frame;
	bf_set_order_pitch(&b->frame, first);
	ret = bx_counters(&b->x, 0, &c0);
	if (!ret)
		ret = test_run(b, 0, &c, runs, duration);
	if (!ret)
		ret = bx_counters(&b->x, 0, &c1);
	return ret ? ret : check_order_counters(op, &c0, &c1, runs);
}

/*
 * The order map's cost (see the top of this file): rounds of add, execute, delete on the same
 * RUNS new orders, with the two references at rotating places among them.
 */
_Static_assert(ORDER_OPS <= BX_PROGS, "b->durations holds a round's calls");

static int run_orders(struct bench *b, struct order_cost *oc)
{
	static struct bf_frame frames[ORDER_OPS];
	static const enum order_op ops[ORDER_OPS - OP_REFS] = {OP_ADD, OP_EXECUTE, OP_DELETE};
	__u32 runs = b->o->runs, i, k;
	int rep, ret, op;
	__u64 first;
	long n;

	ret = order_frames(frames);
	if (ret)
		return ret;
	memset(oc, 0, sizeof(*oc));
	oc->subscribed = subs_grid[0];
	/* A busy book: the rounds' orders go in among others (channel 1: never the group's). */
	oc->background = b->o->orders_fill;
	n = bx_clear_orders(&b->x, 0);
	ret = n < 0 ? (int)n : bx_fill_orders(&b->x, 0, 1, oc->background);
	if (ret) {
		fprintf(stderr, "filter_cost: fill fs_orders with %u orders: %s\n", oc->background,
			strerror(-ret));
		return ret;
	}
	for (op = 0; op < ORDER_OPS; op++)
		oc->frame_len[op] = frames[op].len;
	for (rep = 0; rep < b->o->repeats; rep++) {
		for (i = 0; i < b->o->batches; i++) {
			/* The references' places; the operations fill the others, in order. */
			__u32 at = (i + (__u32)rep) % ORDER_OPS, at2 = (at + 2) % ORDER_OPS, next = 0;

			/* A new session only between rounds: the orders of a round are its own. */
			if (b->next_seq[0] + (__u64)ORDER_OPS * (runs + 1) > SEQ_RESTART) {
				bx_reset_window(&b->x, 0);
				b->next_seq[0] = 1;
			}
			first = b->next_order[0];
			for (k = 0, ret = 0; !ret && k < ORDER_OPS; k++) {
				op = k == at ? OP_BASE : k == at2 ? OP_DELIVER : ops[next++];
				ret = order_call(b, &frames[op], op, first, runs,
						 &b->durations[op][i]);
			}
			if (ret)
				return ret;
			b->next_order[0] = first + runs + 1;
		}
		for (op = 0; op < ORDER_OPS; op++)
			oc->ns[op][rep] = interquartile_mean(b->durations[op], b->o->batches);
		fprintf(stderr, "filter_cost: order map repetition %d of %d done\n", rep + 1,
			b->o->repeats);
	}
	oc->repeats = b->o->repeats;
	return bx_orders_size(&b->x, 0, &oc->map);
}

/* The whole grid of PB's frames on instances of their own, loaded for it and closed after;
 * after PITCH's, the order map (ORDERS, NULL: not measured). */
static int run_proto(struct bench *b, const struct proto_bench *pb, struct cell *cells,
		     struct order_cost *orders)
{
	char err[256];
	int k, ret;

	b->pb = pb;
	for (k = 0; k < BX_PROGS; k++)
		b->next_seq[k] = b->next_order[k] = 1;
	ret = bx_open(&b->x, pb->proto, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "filter_cost: %s\n", err);
		return ret;
	}
	init_cells(cells);
	ret = subscribe_all(b);
	if (!ret)
		ret = run_grid(b, cells);
	if (!ret && orders)
		ret = run_orders(b, orders);
	bx_close(&b->x);
	return ret;
}

/* One CPU for the whole run: no migrations, and per-CPU state (caches, counters) stays put. The
 * default is the last CPU we may use, which usually takes fewer device interrupts than CPU 0. */
static int pin_cpu(int *cpu)
{
	cpu_set_t set;
	int c;

	if (*cpu < 0) {
		if (sched_getaffinity(0, sizeof(set), &set))
			return -errno;
		for (c = CPU_SETSIZE - 1; c >= 0 && !CPU_ISSET(c, &set); c--)
			;
		if (c < 0)
			return -ENOENT;
		*cpu = c;
	}
	CPU_ZERO(&set);
	CPU_SET(*cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? -errno : 0;
}

static void read_loadavg(char *buf, size_t len)
{
	FILE *f = fopen("/proc/loadavg", "r");

	snprintf(buf, len, "unknown");
	if (f) {
		if (fgets(buf, (int)len, f))
			buf[strcspn(buf, "\n")] = '\0';
		fclose(f);
	}
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

#define OPT(field) CLI_FIELD(struct opts, field)
/* Ranges: what a measurement can hold (MAX_REPEATS) and what finishes in minutes. */
static const struct cli_opt filter_cost_opts[] = {
    {"quick", 0, NULL, "R 3, N 5000, B 2: a short run (49 s for the four protocols here, loaded)", NULL, OPT(quick)},
    {"repeats", 0, "R", "repetitions of every measurement, medians over them (default 5)",
     cli_parse_uint, OPT(repeats), 1, MAX_REPEATS, "must be at least 1"},
    {"runs", 0, "N", "runs per BPF_PROG_TEST_RUN call (.repeat, default 25000)", cli_parse_uint,
     OPT(runs), 2, 100000000, "must be at least 2"},
    {"batches", 0, "B", "calls per measurement and program, interleaved (default 4)",
     cli_parse_uint, OPT(batches), 1, 100000, "must be at least 1"},
    {"cpu", 0, "C", "pin to CPU C (default: the last one allowed)", cli_parse_uint, OPT(cpu), 0,
     4095},
    {"orders-fill", 0, "N",
     "orders of another channel in fs_orders during the order map measurement, a busy book "
     "(default: half its capacity)",
     cli_parse_uint, OPT(orders_fill), 0, FS_MAX_ORDERS, "must be at most fs_orders' capacity"},
    {"seed", 0, "S", "choice of the unsubscribed symbols in the frames (default 1)",
     cli_parse_uint, OPT(seed), 0, ~0ULL},
    {"proto", 0, "all|itch|mdp3|nyse-xdp|pitch",
     "which frames (default all: ITCH, MDP3, NYSE, then PITCH and its order map)", cli_parse_enum,
     OPT(proto), 0},
    {"json", 0, "FILE", "write the results as JSON", cli_parse_str, OPT(json)},
    {"tsv", 0, "FILE", "write the table for gnuplot", cli_parse_str, OPT(tsv)},
    {},
};

static const struct cli_cmd filter_cost_cmd = {
    .args = "",
    .opts = filter_cost_opts,
    .help = "what the XDP program costs per frame, next to an empty and a parse-only program",
};

/* CLI_RUN, or the exit code after --help or a one-line error. */
static int parse_opts(int argc, char **argv, struct opts *o)
{
	int i;

	*o = (struct opts){.repeats = 5,
			   .runs = 25000,
			   .batches = 4,
			   .cpu = -1,
			   .seed = 1,
			   .orders_fill = FS_MAX_ORDERS / 2};
	/* --quick sets the defaults, so counts given with it still win wherever they are. */
	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--quick")) {
			o->repeats = 3;
			o->runs = 5000;
			o->batches = 2;
		}
	return cli_parse_program("filter_cost", &filter_cost_cmd, argc, argv, o);
}

static const struct proto_bench *const benches[N_PROTOS] = {&itch_bench, &mdp3_bench, &nyse_bench,
								 &pitch_bench};

int main(int argc, char **argv)
{
	static struct cell cells[N_PROTOS][N_CELLS];
	static struct order_cost orders;
	const struct cell *measured[N_PROTOS] = {0};
	struct bench b = {0};
	struct conditions cond = {0};
	int ret = 0, k, status = EXIT_FAILURE;
	bool pitch;
	struct opts o;
	double t0;

	ret = parse_opts(argc, argv, &o);
	if (ret != CLI_RUN)
		return ret;
	b.o = &o;
	cond.cpu = o.cpu;
	ret = pin_cpu(&cond.cpu);
	if (ret) {
		fprintf(stderr, "filter_cost: pin to CPU %d: %s\n", o.cpu, strerror(-ret));
		return EXIT_FAILURE;
	}
	for (k = 0; k < BX_PROGS; k++) {
		b.durations[k] = calloc(o.batches, sizeof(__u32));
		if (!b.durations[k]) {
			fprintf(stderr, "filter_cost: out of memory\n");
			goto out;
		}
	}
	read_loadavg(cond.load_before, sizeof(cond.load_before));
	t0 = now_s();
	for (k = 0; !ret && k < N_PROTOS; k++) {
		if (o.proto && o.proto != benches[k]->proto)
			continue;
		pitch = benches[k]->proto == FS_PROTO_PITCH;
		ret = run_proto(&b, benches[k], cells[k], pitch ? &orders : NULL);
		measured[k] = cells[k];
	}
	cond.seconds = now_s() - t0;
	read_loadavg(cond.load_after, sizeof(cond.load_after));
	if (ret)
		goto out;

	for (k = 0; k < N_PROTOS; k++)
		if (measured[k])
			report_proto(stdout, benches[k]->proto, measured[k], k > 0);
	if (orders.repeats)
		report_orders(stdout, &orders);
	if (o.json && report_json(o.json, &o, &cond, measured, orders.repeats ? &orders : NULL))
		goto out;
	if (o.tsv && measured[0] && report_tsv(o.tsv, measured[0]))
		goto out;
	if (o.tsv && report_tsv_protocols(o.tsv, measured))
		goto out;
	status = EXIT_SUCCESS;
out:
	for (k = 0; k < BX_PROGS; k++)
		free(b.durations[k]);
	return status;
}
