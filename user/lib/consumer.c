// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The AF_XDP consumer: one UMEM and one socket on one RX queue, registered in the program's
 * XSKMAP. The hot path (fs_consumer__poll) makes no allocation and takes no lock: it peeks a batch
 * of RX descriptors, hands each frame to the caller, and gives the buffers straight back to the
 * fill ring.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <bpf/bpf.h>
#include <xdp/xsk.h>

#include "busy_poll.h"
#include "clock.h"
#include "consumer.h"
#include "log.h"
#include "mdp3_recovery.h"
#include "membership.h"
#include "recovery.h"
#include "requests.h"

#define DEFAULT_RX_SIZE 2048
#define DEFAULT_BATCH   64
#define DEFAULT_FRAME_SIZE XSK_UMEM__DEFAULT_FRAME_SIZE

struct fs_iface *fsi_consumer__iface(struct fs_consumer *c)
{
	return c->iface;
}

bool fs_consumer__zero_copy(const struct fs_consumer *c)
{
	return c->zero_copy;
}

__u32 fsi_consumer__queue(const struct fs_consumer *c)
{
	return c->queue;
}

int fsi_consumer__publish_stats(struct fs_consumer *c)
{
	struct fs_socket_stats st = {};
	struct fsi_membership_counters mc = {};
	struct fs_sock_counters v = {};
	int err = fs_consumer__socket_stats(c, &st);

	if (err)
		return err;
	v.rx_dropped = st.rx_dropped;
	v.rx_ring_full = st.rx_ring_full;
	v.rx_fill_ring_empty = st.rx_fill_ring_empty;
	v.rx_invalid_descs = st.rx_invalid_descs;
	v.frames = c->frames_taken;
	v.zero_copy = c->zero_copy;
	v.published_ns = fsi_now_ns();
	fsi_membership__counters(c->membership, &mc);
	v.mc_joins = mc.joins;
	v.mc_leaves = mc.leaves;
	v.mc_drift_repairs = mc.drift_repairs;
	if (bpf_map_update_elem(c->iface->fds[FS_M_SOCK_STATS], &c->queue, &v, BPF_ANY))
		return -errno;
	return 0;
}

int fs_consumer__socket_stats(struct fs_consumer *c, struct fs_socket_stats *out)
{
	struct xdp_statistics st = {};
	socklen_t len = sizeof(st);

	if (getsockopt(xsk_socket__fd(c->xsk), SOL_XDP, XDP_STATISTICS, &st, &len))
		return -errno;
	out->rx_dropped = st.rx_dropped;
	out->rx_ring_full = st.rx_ring_full;
	out->rx_fill_ring_empty = st.rx_fill_ring_empty_descs;
	out->rx_invalid_descs = st.rx_invalid_descs;
	return 0;
}

/* A frame without metadata of a group the table does not know: the group may be newer than the
 * table. Re-read it (at most every 100 ms); true when it was, and the frame must be decoded
 * again (protocol, feed and channel come from the table). */
static bool refresh_groups(struct fs_consumer *c, const struct fs_frame *f)
{
	__u64 now;

	if (fsi_group_table__find(&c->groups, f))
		return false;
	now = fsi_now_ns();
	if (now - c->last_refresh_ns <= 100000000ULL)
		return false;
	c->last_refresh_ns = now;
	fs_consumer__sync_groups(c);
	return fsi_group_table__find(&c->groups, f) != NULL;
}

int fs_consumer__sync_groups(struct fs_consumer *c)
{
	struct fs_group_info infos[FS_MAX_GROUPS];
	__be32 wanted[FS_MAX_GROUPS];
	int n, i, j, nwanted = 0, err;

	n = fs_group__list(c->iface, infos, FS_MAX_GROUPS);
	if (n < 0)
		return n;
	if (n > FS_MAX_GROUPS)
		n = FS_MAX_GROUPS;
	fsi_group_table__fill(&c->groups, infos, (size_t)n);
	for (i = 0; i < n; i++) {
		if (infos[i].value.flags & FS_GROUP_F_SNAPSHOT)
			continue; /* joined only while an instrument waits (mdp3_recovery.h) */
		for (j = 0; j < nwanted && wanted[j] != infos[i].key.addr; j++)
			;
		if (j == nwanted)
			wanted[nwanted++] = infos[i].key.addr;
	}
	/* Membership is per address: several ports of one group share it. */
	err = fsi_membership__sync(c->membership, wanted, nwanted);
	if (err)
		return err;
	fsi_requests__servers(c->requests, infos, (size_t)n);
	for (i = 0; i < FS_MAX_CHANNELS; i++)
		fs_channel__name(c->iface, (__u8)i, c->channel_names[i]);
	return 0;
}

/* Busy polling: the application's recvfrom() runs the driver's NAPI for this queue instead of
 * an interrupt, and SO_PREFER_BUSY_POLL keeps the kernel from competing for it. */
static int set_busy_poll(struct fs_consumer *c, const struct fs_consumer_opts *o)
{
	int fd = xsk_socket__fd(c->xsk), one = 1;
	int us = (int)o->busy_poll_us, budget = (int)(o->busy_poll_budget ?: c->batch);

	if (!o->busy_poll_us)
		return 0;
	if ((!o->no_prefer_busy_poll &&
	     setsockopt(fd, SOL_SOCKET, SO_PREFER_BUSY_POLL, &one, sizeof(one))) ||
	    setsockopt(fd, SOL_SOCKET, SO_BUSY_POLL, &us, sizeof(us)) ||
	    setsockopt(fd, SOL_SOCKET, SO_BUSY_POLL_BUDGET, &budget, sizeof(budget))) {
		int err = -errno;

		pr_warn("%s queue %u: busy-poll socket options: %s\n", fs_iface__name(c->iface),
			o->queue, strerror(-err));
		return err;
	}
	c->busy_poll = true;
	return 0;
}

static int fill_all(struct fs_consumer *c)
{
	__u32 idx, i;

	if (xsk_ring_prod__reserve(&c->fq, c->num_frames, &idx) != c->num_frames)
		return -ENOSPC;
	for (i = 0; i < c->num_frames; i++)
		*xsk_ring_prod__fill_addr(&c->fq, idx + i) = (__u64)i * c->frame_size;
	xsk_ring_prod__submit(&c->fq, c->num_frames);
	return 0;
}

/* Put the socket in the program's XSKMAP slot of QUEUE. NOEXIST: a live consumer already there
 * is not displaced (the kernel removes a socket's entries when it closes, so only a running
 * consumer can hold the slot). -EBUSY in that case. */
static int register_socket(struct fs_consumer *c, __u32 queue)
{
	int fd = xsk_socket__fd(c->xsk);

	if (bpf_map_update_elem(c->iface->fds[FS_M_XSKS], &queue, &fd, BPF_NOEXIST))
		return errno == EEXIST ? -EBUSY : -errno;
	return 0;
}

/* How long a queue may stay taken after its consumer exited (see create_xsk()). */
#define QUEUE_RELEASE_WAIT_MS 1000

/*
 * xsk_socket__create(), retried while the queue is taken (-EBUSY) for up to a second. The
 * kernel gives a closed socket's buffer pool back to the queue from a workqueue, a moment after
 * the socket is gone, so a consumer restarted at once can find the queue still taken (about one
 * restart in three here). A running consumer keeps it taken, and is reported after the wait.
 */
static int create_xsk(struct fs_consumer *c, __u32 queue, const struct xsk_socket_config *cfg)
{
	const struct timespec pause = {.tv_nsec = 10 * 1000 * 1000};
	int waited_ms, err;

	for (waited_ms = 0;; waited_ms += 10) {
		err = xsk_socket__create(&c->xsk, fs_iface__name(c->iface), queue, c->umem, &c->rx,
					 NULL, cfg);
		if (err != -EBUSY || waited_ms >= QUEUE_RELEASE_WAIT_MS)
			return err;
		nanosleep(&pause, NULL);
	}
}

static int create_socket(struct fs_consumer *c, const struct fs_consumer_opts *o)
{
	__u32 rx_size = o->rx_size ? o->rx_size : DEFAULT_RX_SIZE;
	__u32 fill_size = o->fill_size ? o->fill_size : 2 * rx_size;
	struct xsk_umem_config ucfg = {
		.fill_size = fill_size,
		.comp_size = XSK_RING_CONS__DEFAULT_NUM_DESCS,
		.frame_size = c->frame_size,
		.frame_headroom = 0,
	};
	struct xsk_socket_config scfg = {
		.rx_size = rx_size,
		.tx_size = 0,
		.libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD, /* our program, our XSKMAP */
		.bind_flags = XDP_USE_NEED_WAKEUP,
	};
	int err;

	c->num_frames = o->num_frames ? o->num_frames : fill_size;
	if (c->num_frames > fill_size)
		return -EINVAL; /* every frame must fit the fill ring at once */
	c->buffer_len = (size_t)c->num_frames * c->frame_size;
	c->buffer = mmap(NULL, c->buffer_len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | (o->hugepages ? MAP_HUGETLB : 0), -1, 0);
	if (c->buffer == MAP_FAILED) {
		c->buffer = NULL;
		if (o->hugepages)
			pr_warn("no huge pages for a %zu-byte UMEM (see vm.nr_hugepages)\n",
				c->buffer_len);
		return o->hugepages ? -ENOMEM : -errno;
	}
	err = xsk_umem__create(&c->umem, c->buffer, c->buffer_len, &c->fq, &c->cq, &ucfg);
	if (err)
		return err;
	/* Zero-copy where the driver has it; copy mode otherwise (veth, most virtual NICs). */
	c->zero_copy = o->xsk_mode != FS_XSK_COPY;
	scfg.bind_flags |= c->zero_copy ? XDP_ZEROCOPY : XDP_COPY;
	err = create_xsk(c, o->queue, &scfg);
	if (err && err != -EBUSY && c->zero_copy && o->xsk_mode == FS_XSK_AUTO) {
		pr_info("%s queue %u: no zero-copy AF_XDP in this driver (%s): copy mode\n",
			fs_iface__name(c->iface), o->queue, strerror(-err));
		c->zero_copy = false;
		scfg.bind_flags = (scfg.bind_flags & ~XDP_ZEROCOPY) | XDP_COPY;
		err = create_xsk(c, o->queue, &scfg);
	}
	if (err)
		return err;
	err = set_busy_poll(c, o);
	if (err)
		return err;
	err = fill_all(c);
	if (err)
		return err;
	return register_socket(c, o->queue);
}

static void recycle(struct fs_consumer *c, __u64 desc_addr);

/* The sequencer is done with a frame: its UMEM buffer goes back to the fill ring. */
static void release_frame(void *ctx, __u64 desc_addr)
{
	recycle(ctx, desc_addr);
}

static int create_sequencer(struct fs_consumer *c, const struct fs_consumer_opts *o)
{
	const struct fsi_frame_source src = {
	    .iface = c->iface,
	    .queue = c->queue,
	    .channel_names = (const char(*)[FS_CHANNEL_NAME_LEN])c->channel_names,
	    .release = release_frame,
	    .ctx = c,
	};

	return fsi_sequencer__create(&src, c->num_frames, o->gap_grace_ns, o->stale_ns, &c->seq);
}

/* The re-request socket, and the sequencer asking through it (gap recovery). */
static int create_requests(struct fs_consumer *c, const struct fs_consumer_opts *o)
{
	struct fsi_recovery_params p;
	struct fsi_request_sink sink;
	int err = fsi_requests__create(c->iface, c->queue, &c->requests);

	if (err)
		return err;
	fsi_requests__sink(c->requests, &sink);
	fsi_recovery__defaults(&p, 0, o->recovery_deadline_ns);
	return fsi_sequencer__recover(c->seq, &sink, &p, 0);
}

int fs_consumer__create(const char *ifname, const struct fs_consumer_opts *user_opts,
			struct fs_consumer **out)
{
	struct fs_consumer_opts o, *opts = &o; /* the caller's, at this library's size */
	struct fs_consumer *c;
	int err;

	if (FSI_OPTS_COPY(fs_consumer_opts, &o, user_opts, recovery_deadline_ns) ||
	    opts->queue >= FS_MAX_QUEUES)
		return -EINVAL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->batch = opts->batch ? opts->batch : DEFAULT_BATCH;
	c->sleep = opts->sleep;
	c->queue = opts->queue;
	c->frame_size = opts->frame_size ? opts->frame_size : DEFAULT_FRAME_SIZE;
	if (c->frame_size != 2048 && c->frame_size != 4096) {
		free(c);
		return -EINVAL;
	}
	err = fs_iface__open(ifname, &c->iface);
	if (err)
		goto fail;
	err = create_socket(c, opts);
	if (err)
		goto fail;
	c->recycle = calloc(c->num_frames, sizeof(*c->recycle));
	if (!c->recycle) {
		err = -ENOMEM;
		goto fail;
	}
	err = fsi_group_table__prepare(&c->groups, c->iface);
	if (err)
		goto fail;
	err = create_sequencer(c, opts);
	if (err)
		goto fail;
	err = create_requests(c, opts);
	if (err)
		goto fail;
	err = fsi_membership__create(fsi_iface__ifindex(c->iface), ifname, &c->membership);
	if (!err)
		err = fsi_mdp3_rec__create(c->membership, &c->groups, &c->mdp3_rec);
	if (err)
		goto fail;
	err = fs_consumer__sync_groups(c);
	if (err)
		goto fail;
	*out = c;
	return 0;
fail:
	fs_consumer__destroy(c);
	return err;
}

void fs_consumer__destroy(struct fs_consumer *c)
{
	if (!c)
		return;
	fsi_mdp3_rec__destroy(c->mdp3_rec);
	fsi_membership__destroy(c->membership);
	xsk_socket__delete(c->xsk); /* also leaves the XSKMAP */
	xsk_umem__delete(c->umem);
	if (c->buffer)
		munmap(c->buffer, c->buffer_len);
	fs_iface__close(c->iface);
	fsi_sequencer__destroy(c->seq);
	fsi_requests__destroy(c->requests);
	fsi_group_table__release(&c->groups);
	free(c->recycle);
	free(c);
}

static void wait_idle(struct fs_consumer *c)
{
	int fd = xsk_socket__fd(c->xsk);

	if (c->sleep) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};

		poll(&pfd, 1, 100);
	} else if (c->busy_poll || xsk_ring_prod__needs_wakeup(&c->fq)) {
		recvfrom(fd, NULL, 0, MSG_DONTWAIT, NULL, NULL);
	}
}

/* Give the recycled buffers back to the fill ring. It has room for every buffer of the UMEM,
 * so reserving only waits for the kernel to consume entries it has not read yet. */
static void give_back(struct fs_consumer *c)
{
	__u32 idx, i, n = c->nrecycle;

	if (!n)
		return;
	while (xsk_ring_prod__reserve(&c->fq, n, &idx) != n) {
		if (xsk_ring_prod__needs_wakeup(&c->fq))
			recvfrom(xsk_socket__fd(c->xsk), NULL, 0, MSG_DONTWAIT, NULL, NULL);
	}
	for (i = 0; i < n; i++)
		*xsk_ring_prod__fill_addr(&c->fq, idx + i) = c->recycle[i];
	xsk_ring_prod__submit(&c->fq, n);
	c->nrecycle = 0;
}

/* Give the buffer of RX descriptor address DESC_ADDR back to the fill ring at the end of this
 * poll (and clear the metadata magic in front of it). */
static void recycle(struct fs_consumer *c, __u64 desc_addr)
{
	/* A later frame in this buffer may come without metadata: never let it see ours. */
	struct fs_xdp_meta *meta = (struct fs_xdp_meta *)((__u8 *)xsk_umem__get_data(c->buffer,
										    desc_addr) -
							    sizeof(*meta));

	meta->magic = 0;
	c->recycle[c->nrecycle++] = desc_addr - desc_addr % c->frame_size;
}

/* Decode descriptor D into FRAME; false when it is no frame of ours. */
static bool take_frame(struct fs_consumer *c, const struct xdp_desc *d, struct fs_frame *frame)
{
	__u8 *pkt = xsk_umem__get_data(c->buffer, d->addr);
	/* The program's metadata sits right in front of the frame; the RX headroom (at least
	 * XDP_PACKET_HEADROOM) guarantees the bytes belong to this buffer. */
	const struct fs_xdp_meta *meta = (const struct fs_xdp_meta *)(pkt - sizeof(*meta));

	memset(frame, 0, sizeof(*frame));
	frame->groups_ = &c->groups;
	if (fs_frame__decode(frame, pkt, d->len, meta))
		return false;
	if (!frame->has_meta && refresh_groups(c, frame)) {
		frame->proto = FS_PROTO_NONE; /* the table's, not the one it was decoded as */
		fs_frame__decode(frame, pkt, d->len, meta);
	}
	return true;
}

int fs_consumer__poll(struct fs_consumer *c, fs_frame_fn fn, void *ctx)
{
	__u32 idx, n, i;
	int ret = 0;

	n = xsk_ring_cons__peek(&c->rx, c->batch, &idx);
	if (n == 0) {
		wait_idle(c);
		return 0;
	}
	c->frames_taken += n;
	for (i = 0; i < n; i++) {
		const struct xdp_desc *d = xsk_ring_cons__rx_desc(&c->rx, idx + i);
		struct fs_frame frame;

		if (ret == 0 && take_frame(c, d, &frame))
			ret = fn(&frame, ctx);
		recycle(c, d->addr);
	}
	xsk_ring_cons__release(&c->rx, n);
	give_back(c);
	return ret ? ret : (int)n;
}

int fs_consumer__poll_events(struct fs_consumer *c, fs_event_fn fn, void *ctx)
{
	struct emit e = {.s = c->seq, .fn = fn, .ctx = ctx};
	__u32 idx, n, i;

	n = xsk_ring_cons__peek(&c->rx, c->batch, &idx);
	c->frames_taken += n;
	fsi_mdp3_rec__begin(c->mdp3_rec, &e); /* MDP3 per-instrument recovery */
	for (i = 0; i < n; i++) {
		const struct xdp_desc *d = xsk_ring_cons__rx_desc(&c->rx, idx + i);
		struct fs_frame frame;

		if (take_frame(c, d, &frame))
			fsi_sequencer__frame(c->seq, &frame, d->addr, &e);
		else
			recycle(c, d->addr);
	}
	if (n)
		xsk_ring_cons__release(&c->rx, n);
	/* Time-based decisions only once the ring is drained (a frame still queued in it must not
	 * be taken for lost), unless held frames are starving the fill ring. */
	if (n < c->batch || fsi_sequencer__pressed(c->seq))
		fsi_sequencer__settle(c->seq, &e);
	fsi_mdp3_rec__end(c->mdp3_rec, &e);
	give_back(c);
	if (n == 0)
		wait_idle(c);
	return e.ret ? e.ret : (int)n;
}
