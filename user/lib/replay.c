// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Replay: a private copy of the XDP program (loaded from the embedded skeleton, nothing attached,
 * nothing pinned) judges recorded frames one BPF_PROG_TEST_RUN each, and the frames it delivers
 * go through the consumer's own path: frame decode, message iteration, sequencer, events.
 *
 * Two things differ from a live run, both on purpose:
 *   - The program is loaded with fs_replay set (feedsieve.bpf.c): no AF_XDP socket can sit in a
 *     private XSKMAP, so a frame it delivers comes back as XDP_REDIRECT, counted as redirected,
 *     instead of the XDP_PASS the empty slot would give.
 *   - The clock is the capture's. The sequencer's grace time and staleness are measured in
 *     capture time, and every time-based decision a live consumer would have taken between two
 *     frames is taken at its own instant (fsi_sequencer__next_deadline()), so a replay decides
 *     gaps the same way on every run, whatever the machine's speed. The program stamps each
 *     channel's last_rx_ns with its own clock; replay restamps it with the frame's capture time
 *     after every run, so that staleness compares like with like.
 * Frames the program delivers are copied (by the test run itself) into a pool of buffers, which
 * the sequencer keeps while it holds a frame, as a consumer keeps UMEM buffers.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include "feedsieve.skel.h"
#include "config.h"
#include "sequencer.h"

#define SLOT_SIZE  4096 /* one buffer: metadata and frame, as a UMEM frame */
/*
 * Frames BPF_PROG_TEST_RUN takes (bpf_test_init()): at least an Ethernet header, and at most
 * what fits a page after XDP_PACKET_HEADROOM and struct skb_shared_info (3520 bytes on x86-64
 * with 4 KiB pages). Neither kind reaches this program live: a NIC drops runts, and native XDP
 * does not run with an MTU whose frames do not fit a page.
 */
#define MIN_FRAME 14
#define MAX_FRAME (4096 - 256 - 320)
_Static_assert(MAX_FRAME + 32 <= SLOT_SIZE, "a slot holds the metadata and the largest frame");
#define POOL_SLOTS 4096 /* frames the sequencer may hold, plus the one being run */

struct fs_replay {
	struct feedsieve_bpf *skel;
	int prog_fd;
	struct fs_iface *iface;
	struct fsi_sequencer *seq;
	__u8 *pool;     /* POOL_SLOTS buffers of SLOT_SIZE bytes */
	size_t pool_len;
	__u32 free[POOL_SLOTS]; /* free buffer indexes, a stack */
	__u32 nfree;
	__u8 channels[FS_MAX_CHANNELS]; /* ids of the configured channels */
	__u32 nchannels;
	__u64 stamped[FS_MAX_CHANNELS]; /* last_rx_ns replay wrote, by channel id */
	__u64 now;                      /* capture time of the latest frame */
	struct fsi_group_table groups;   /* the consumer's: symbols of key-only messages */
	char channel_names[FS_MAX_CHANNELS][FS_CHANNEL_NAME_LEN];
};

static void release_slot(void *ctx, __u64 slot)
{
	struct fs_replay *r = ctx;

	r->free[r->nfree++] = (__u32)slot;
}

static int load_program(struct fs_replay *r)
{
	int fds[FS_M_COUNT], i, err;

	r->skel = feedsieve_bpf__open();
	if (!r->skel)
		return -errno;
	r->skel->rodata->fs_replay = true;
	err = feedsieve_bpf__load(r->skel);
	if (err)
		return err;
	r->prog_fd = bpf_program__fd(r->skel->progs.feedsieve_xdp);
	for (i = 0; i < FS_M_COUNT; i++) {
		struct bpf_map *m = bpf_object__find_map_by_name(r->skel->obj, fsi_maps[i].name);

		if (!m)
			return -ENOENT;
		fds[i] = bpf_map__fd(m);
	}
	return fsi_iface__open_private("replay", fds, &r->iface);
}

/* The configured groups and channels: the group table and the channel names a consumer reads,
 * and the channel ids for restamping. */
static int read_config(struct fs_replay *r)
{
	struct fs_group_info infos[FS_MAX_GROUPS];
	int n = fs_group__list(r->iface, infos, FS_MAX_GROUPS);
	__u32 id;
	int err;

	if (n < 0)
		return n;
	err = fsi_group_table__prepare(&r->groups, r->iface);
	if (err)
		return err;
	fsi_group_table__fill(&r->groups, infos, (size_t)(n < FS_MAX_GROUPS ? n : FS_MAX_GROUPS));
	for (id = 0; id < FS_MAX_CHANNELS; id++) {
		fs_channel__name(r->iface, (__u8)id, r->channel_names[id]);
		if (r->channel_names[id][0])
			r->channels[r->nchannels++] = (__u8)id;
	}
	return 0;
}

static int create_sequencer(struct fs_replay *r, const struct fs_consumer_opts *o)
{
	const struct fsi_frame_source src = {
	    .iface = r->iface,
	    .channel_names = (const char(*)[FS_CHANNEL_NAME_LEN])r->channel_names,
	    .release = release_slot,
	    .ctx = r,
	};
	__u32 i;

	r->pool_len = (size_t)POOL_SLOTS * SLOT_SIZE;
	/* Pages are touched only as buffers are used: a replay without holes uses a few. */
	r->pool = mmap(NULL, r->pool_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		       0);
	if (r->pool == MAP_FAILED) {
		r->pool = NULL;
		return -errno;
	}
	for (i = 0; i < POOL_SLOTS; i++)
		r->free[r->nfree++] = POOL_SLOTS - 1 - i;
	return fsi_sequencer__create(&src, POOL_SLOTS - 1, o ? o->gap_grace_ns : 0,
				    o ? o->stale_ns : 0, &r->seq);
}

int fs_replay__create(const struct fs_config *cfg, const struct fs_consumer_opts *user_opts,
		      struct fs_replay **out)
{
	struct fs_consumer_opts o, *opts = &o; /* the caller's, at this library's size */
	struct fs_replay *r;
	int err;

	if (FSI_OPTS_COPY(fs_consumer_opts, &o, user_opts, recovery_deadline_ns))
		return -EINVAL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	err = load_program(r);
	if (!err)
		err = fs_config__commit(r->iface, cfg);
	if (!err)
		err = read_config(r);
	if (!err)
		err = create_sequencer(r, opts);
	if (err) {
		fs_replay__destroy(r);
		return err;
	}
	*out = r;
	return 0;
}

void fs_replay__destroy(struct fs_replay *r)
{
	if (!r)
		return;
	fsi_sequencer__destroy(r->seq);
	fsi_group_table__release(&r->groups);
	if (r->pool)
		munmap(r->pool, r->pool_len);
	fs_iface__close(r->iface);
	feedsieve_bpf__destroy(r->skel);
	free(r);
}

struct fs_iface *fs_replay__iface(struct fs_replay *r)
{
	return r->iface;
}

/* The program stamped the channels it saw with its own clock: give them the capture's. */
static void restamp(struct fs_replay *r, __u64 ts)
{
	__u32 i;

	for (i = 0; i < r->nchannels; i++) {
		__u8 id = r->channels[i];
		struct fs_channel_window *w = &r->iface->windows[id];

		if (w->last_rx_ns != r->stamped[id]) {
			w->last_rx_ns = ts;
			r->stamped[id] = ts;
		}
	}
}

/* What a live consumer would have decided between the previous frame and one arriving at TS:
 * each decision at its own instant. Every channel has at most a hole and a staleness deadline, so
 * 2 * FS_MAX_CHANNELS settles take them all; a deadline that does not move on stops the loop. */
static void advance_clock(struct fs_replay *r, struct emit *e, __u64 ts)
{
	__u64 prev = 0;
	int i;

	for (i = 0; i <= 2 * FS_MAX_CHANNELS; i++) {
		__u64 d = fsi_sequencer__next_deadline(r->seq);

		if (d > ts || (i && d == prev))
			return;
		prev = d;
		if (d < r->now)
			d = r->now;
		fsi_sequencer__settle_at(r->seq, e, d);
		r->now = d;
	}
}

int fs_replay__frame(struct fs_replay *r, const void *data, __u32 len, __u64 ts_ns,
		     fs_event_fn fn, void *ctx, enum fs_replay_verdict *verdict)
{
	struct emit e = {.s = r->seq, .fn = fn, .ctx = ctx};
	__u32 slot, meta_len;
	__u8 *buf;
	int err;
	/* No context in or out: the kernel copies out from data_meta, so the output is the
	 * metadata and the frame, and its length says how much metadata there is. A context
	 * would cost an allocation and two copies per frame. */
	/* cppcheck-suppress unknownMacro */
	LIBBPF_OPTS(bpf_test_run_opts, run, .data_in = data, .data_size_in = len,
		    .data_size_out = SLOT_SIZE, .repeat = 1);

	if (len < MIN_FRAME || len > MAX_FRAME) {
		*verdict = FS_REPLAY_NOT_RUN;
		return 0;
	}
	if (ts_ns < r->now)
		ts_ns = r->now; /* the capture's clock never goes back */
	advance_clock(r, &e, ts_ns);
	r->now = ts_ns;

	slot = r->free[--r->nfree]; /* never empty: the sequencer holds one less than the pool */
	buf = r->pool + (size_t)slot * SLOT_SIZE;
	run.data_out = buf;
	if (bpf_prog_test_run_opts(r->prog_fd, &run)) {
		err = -errno;
		release_slot(r, slot);
		return err;
	}
	restamp(r, ts_ns);
	meta_len = run.data_size_out - len;
	if (run.retval == XDP_REDIRECT) {
		struct fs_frame f = {.groups_ = &r->groups};

		*verdict = FS_REPLAY_DELIVERED;
		/* Without metadata (cannot happen here: the headroom has room) the consumer's
		 * path judges the frame as it would live. */
		if (!fs_frame__decode(&f, buf + meta_len, len,
				      meta_len == sizeof(struct fs_xdp_meta) ? (const void *)buf
									     : NULL))
			fsi_sequencer__frame(r->seq, &f, slot, &e);
		else
			release_slot(r, slot);
	} else {
		*verdict = run.retval == XDP_DROP ? FS_REPLAY_DROPPED : FS_REPLAY_PASSED;
		release_slot(r, slot);
	}
	/* Right after the frame, as a live consumer whose ring is empty again. */
	fsi_sequencer__settle_at(r->seq, &e, ts_ns);
	return e.ret;
}

int fs_replay__finish(struct fs_replay *r, fs_event_fn fn, void *ctx)
{
	struct emit e = {.s = r->seq, .fn = fn, .ctx = ctx};

	fsi_sequencer__finish(r->seq, &e);
	return e.ret;
}
