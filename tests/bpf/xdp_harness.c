// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Test harness around a private copy of the feedsieve XDP program; see xdp_harness.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <xdp/xsk.h>

#include "feedsieve.skel.h"
#include "xdp_harness.h"

#define N_LOCATES ((size_t)FS_MAX_FEEDS * FS_LOCATES_PER_FEED)
#define OUT_CAP	  (FS_PKT_OFF_MASK + 1)

/*
 * libbpf reports a failed load (with the verifier log, in one message) through its print
 * callback, which takes no context: keep the tail of what it says at info level and above here,
 * so a load failure can quote the verifier's last lines. Debug output (CO-RE relocations) is
 * left out.
 */
static char log_tail[6144];
static size_t log_len;

static void log_append(const char *s, size_t n)
{
	if (n >= sizeof(log_tail)) {
		s += n - (sizeof(log_tail) - 1);
		n = sizeof(log_tail) - 1;
	}
	if (log_len + n >= sizeof(log_tail)) {
		size_t drop = log_len + n - (sizeof(log_tail) - 1);

		memmove(log_tail, log_tail + drop, log_len - drop);
		log_len -= drop;
	}
	memcpy(log_tail + log_len, s, n);
	log_len += n;
	log_tail[log_len] = '\0';
}

static int capture_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char *msg;
	int n;

	if (level == LIBBPF_DEBUG)
		return 0;
	n = vasprintf(&msg, fmt, ap);
	if (n < 0)
		return 0;
	log_append(msg, (size_t)n);
	free(msg);
	return 0;
}

/* An mmapable array map, read and written in place (values are strided by their size, which
 * the shared header asserts is a multiple of 8). */
static int map_shared(int fd, size_t len, void **out)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	if (p == MAP_FAILED)
		return -errno;
	*out = p;
	return 0;
}

int fsx_load(struct fsx *x, char *err, size_t errlen)
{
	return fsx_load_orders(x, 0, err, errlen);
}

int fsx_load_orders(struct fsx *x, __u32 max_orders, char *err, size_t errlen)
{
	size_t nkeys = FS_MAX_SUBS > FS_MAX_GROUPS ? FS_MAX_SUBS : FS_MAX_GROUPS;
	size_t vsz = sizeof(struct fs_counters) > sizeof(struct fs_sym_counters)
			 ? sizeof(struct fs_counters)
			 : sizeof(struct fs_sym_counters);
	void *p = NULL;
	int ret;

	memset(x, 0, sizeof(*x));
	log_len = 0;
	log_tail[0] = '\0';
	libbpf_set_print(capture_print);
	x->skel = feedsieve_bpf__open();
	if (!x->skel) {
		ret = -errno;
		snprintf(err, errlen, "feedsieve_bpf__open: %s; libbpf said:\n%s", strerror(-ret),
			 log_tail);
		return ret;
	}
	ret = max_orders ? bpf_map__set_max_entries(x->skel->maps.fs_orders, max_orders) : 0;
	if (!ret)
		ret = feedsieve_bpf__load(x->skel);
	if (ret) {
		snprintf(err, errlen, "feedsieve_bpf__load: %s; libbpf said:\n%s", strerror(-ret),
			 log_tail);
		feedsieve_bpf__destroy(x->skel);
		x->skel = NULL;
		return ret;
	}
	x->prog_fd = bpf_program__fd(x->skel->progs.feedsieve_xdp);
	x->groups_fd[0] = bpf_map__fd(x->skel->maps.fs_groups_0);
	x->groups_fd[1] = bpf_map__fd(x->skel->maps.fs_groups_1);
	x->subs_fd[0] = bpf_map__fd(x->skel->maps.fs_subs_0);
	x->subs_fd[1] = bpf_map__fd(x->skel->maps.fs_subs_1);
	x->ids_fd[0] = bpf_map__fd(x->skel->maps.fs_ids_0);
	x->ids_fd[1] = bpf_map__fd(x->skel->maps.fs_ids_1);
	x->inst_index_fd = bpf_map__fd(x->skel->maps.fs_inst_index);
	x->locates_fd = bpf_map__fd(x->skel->maps.fs_instruments);
	x->stats_fd = bpf_map__fd(x->skel->maps.fs_stats);
	x->gstats_fd = bpf_map__fd(x->skel->maps.fs_group_stats);
	x->sym_fd = bpf_map__fd(x->skel->maps.fs_sym_stats);
	x->xsks_fd = bpf_map__fd(x->skel->maps.fs_xsks);
	x->channels_fd = bpf_map__fd(x->skel->maps.fs_channels);
	x->orders_fd = bpf_map__fd(x->skel->maps.fs_orders);
	x->servers_fd = bpf_map__fd(x->skel->maps.fs_servers);
	x->req_ports_fd = bpf_map__fd(x->skel->maps.fs_req_ports);
	x->ncpus = libbpf_num_possible_cpus();
	if (x->ncpus <= 0) {
		ret = x->ncpus ? x->ncpus : -EINVAL;
		snprintf(err, errlen, "libbpf_num_possible_cpus: %s", strerror(-ret));
		goto fail;
	}
	x->instruments_len = (size_t)FS_INSTRUMENT_SLOTS * sizeof(struct fs_instrument);
	ret = map_shared(x->locates_fd, x->instruments_len, &p);
	if (ret) {
		snprintf(err, errlen, "mmap fs_instruments: %s", strerror(-ret));
		goto fail;
	}
	x->instruments = p;
	x->windows_len = FS_MAX_CHANNELS * sizeof(struct fs_channel_window);
	ret = map_shared(bpf_map__fd(x->skel->maps.fs_windows), x->windows_len, &p);
	if (ret) {
		snprintf(err, errlen, "mmap fs_windows: %s", strerror(-ret));
		goto fail;
	}
	x->windows = p;
	x->chan_events_len = FS_MAX_CHANNELS * sizeof(struct fs_chan_events);
	ret = map_shared(bpf_map__fd(x->skel->maps.fs_chan_events), x->chan_events_len, &p);
	if (ret) {
		snprintf(err, errlen, "mmap fs_chan_events: %s", strerror(-ret));
		goto fail;
	}
	x->chan_events = p;
	ret = map_shared(bpf_map__fd(x->skel->maps.fs_bank), sizeof(struct fs_bank_state), &p);
	if (ret) {
		snprintf(err, errlen, "mmap fs_bank: %s", strerror(-ret));
		goto fail;
	}
	x->bank_state = p;
	x->batch_keys = calloc(nkeys, sizeof(__u32));
	x->batch_vals = calloc(nkeys * (size_t)x->ncpus, vsz);
	if (!x->batch_keys || !x->batch_vals) {
		ret = -ENOMEM;
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	return 0;
fail:
	fsx_close(x);
	return ret;
}

void fsx_close(struct fsx *x)
{
	if (x->instruments)
		munmap(x->instruments, x->instruments_len);
	if (x->windows)
		munmap(x->windows, x->windows_len);
	if (x->chan_events)
		munmap(x->chan_events, x->chan_events_len);
	if (x->bank_state)
		munmap(x->bank_state, sizeof(struct fs_bank_state));
	free(x->batch_keys);
	free(x->batch_vals);
	feedsieve_bpf__destroy(x->skel);
	memset(x, 0, sizeof(*x));
}

/* Delete every key of a hash map. */
static int clear_hash(int fd, size_t key_size)
{
	char key[64];
	int ret;

	if (key_size > sizeof(key))
		return -EINVAL;
	while (!bpf_map_get_next_key(fd, NULL, key)) {
		ret = bpf_map_delete_elem(fd, key);
		if (ret)
			return ret;
	}
	return errno == ENOENT ? 0 : -errno;
}

/* Set the N entries of an array to zero; ENTRY_SIZE is one whole entry, all CPUs of a per-CPU
 * array. */
static int zero_array(struct fsx *x, int fd, __u32 n, size_t entry_size)
{
	__u32 *keys = x->batch_keys, i, count = n;

	for (i = 0; i < n; i++)
		keys[i] = i;
	memset(x->batch_vals, 0, (size_t)n * entry_size);
	return bpf_map_update_batch(fd, keys, x->batch_vals, &count, NULL);
}

/* Set every entry of a per-CPU array to zero on every CPU. */
static int zero_percpu(struct fsx *x, int fd, __u32 n, size_t vsz)
{
	return zero_array(x, fd, n, (size_t)x->ncpus * vsz);
}

int fsx_reset(struct fsx *x)
{
	__u32 q;
	int ret;

	for (q = 0, ret = 0; !ret && q < FS_BANKS; q++) {
		ret = clear_hash(x->groups_fd[q], sizeof(struct fs_group_key));
		if (!ret)
			ret = clear_hash(x->subs_fd[q], sizeof(struct fs_symbol));
		if (!ret)
			ret = clear_hash(x->ids_fd[q], sizeof(__u32));
	}
	if (!ret)
		ret = clear_hash(x->inst_index_fd, sizeof(struct fs_inst_key));
	if (!ret)
		ret = clear_hash(x->orders_fd, sizeof(struct fs_order_key));
	if (!ret)
		ret = clear_hash(x->servers_fd, sizeof(struct fs_group_key));
	if (!ret)
		ret = clear_hash(x->req_ports_fd, sizeof(__u32));
	for (q = 0; !ret && q < FS_MAX_QUEUES; q++)
		if (bpf_map_delete_elem(x->xsks_fd, &q) && errno != ENOENT)
			ret = -errno;
	memset(x->instruments, 0, x->instruments_len);
	memset(x->windows, 0, x->windows_len);
	memset(x->chan_events, 0, x->chan_events_len);
	memset(x->bank_state, 0, sizeof(*x->bank_state));
	x->bank = 0;
	if (!ret)
		ret = zero_array(x, x->channels_fd, FS_MAX_CHANNELS, sizeof(struct fs_channel));
	if (!ret)
		ret = zero_percpu(x, x->stats_fd, 1, sizeof(struct fs_counters));
	if (!ret)
		ret = zero_percpu(x, x->gstats_fd, FS_MAX_GROUPS, sizeof(struct fs_counters));
	if (!ret)
		ret = zero_percpu(x, x->sym_fd, FS_MAX_SUBS, sizeof(struct fs_sym_counters));
	return ret;
}

void fsx_symbol(struct fs_symbol *out, const char *sym)
{
	memset(out, 0, sizeof(*out));
	memcpy(out->name, sym, strnlen(sym, FS_SYMBOL_LEN));
}

int fsx_add_group(struct fsx *x, __u32 addr_host, __u16 port_host, const struct fs_group *g)
{
	struct fs_group_key key = {.addr = htonl(addr_host), .port = htons(port_host), .pad = 0};
	struct fs_channel ch = {0};
	__u32 id = g->channel;

	if (bpf_map_lookup_elem(x->channels_fd, &id, &ch))
		return -errno;
	if (!ch.name[0]) {
		snprintf(ch.name, sizeof(ch.name), "channel-%u", id);
		if (bpf_map_update_elem(x->channels_fd, &id, &ch, BPF_ANY))
			return -errno;
	}
	return bpf_map_update_elem(x->groups_fd[x->bank & 1], &key, g, BPF_NOEXIST) ? -errno : 0;
}

/* Id-keyed slots handed out so far (fs_bank.inst_next, bounded by the directory's size). */
static size_t id_slots_used(const struct fsx *x)
{
	__u32 n = __atomic_load_n(&x->bank_state->inst_next, __ATOMIC_ACQUIRE);

	return n < FS_MAX_INSTRUMENTS ? n : FS_MAX_INSTRUMENTS;
}

static bool id_subscribed(const struct fsx *x, __u32 id)
{
	struct fs_sub sub;

	return !bpf_map_lookup_elem(x->ids_fd[x->bank & 1], &id, &sub);
}

int fsx_subscribe(struct fsx *x, const char *sym, __u32 slot)
{
	struct fs_sub sub = {.slot = slot};
	size_t i, n = id_slots_used(x);
	struct fs_symbol s;

	fsx_symbol(&s, sym);
	if (bpf_map_update_elem(x->subs_fd[x->bank & 1], &s, &sub, BPF_ANY))
		return -errno;
	for (i = 0; i < N_LOCATES; i++) {
		struct fs_instrument *e = &x->instruments[i];

		if ((e->flags & FS_INST_F_KNOWN) && !memcmp(&e->symbol, &s, sizeof(s)))
			e->sub[x->bank & 1] = slot + 1;
	}
	for (i = N_LOCATES; i < N_LOCATES + n; i++) {
		struct fs_instrument *e = &x->instruments[i];

		if ((e->flags & FS_INST_F_KNOWN) && !memcmp(&e->symbol, &s, sizeof(s)) &&
		    !id_subscribed(x, e->id))
			e->sub[x->bank & 1] = slot + 1;
	}
	return 0;
}

int fsx_unsubscribe(struct fsx *x, const char *sym)
{
	struct fs_sub sub;
	struct fs_symbol s;
	size_t i;

	fsx_symbol(&s, sym);
	if (bpf_map_lookup_elem(x->subs_fd[x->bank & 1], &s, &sub) ||
	    bpf_map_delete_elem(x->subs_fd[x->bank & 1], &s))
		return -errno;
	for (i = 0; i < N_LOCATES + id_slots_used(x); i++)
		if (x->instruments[i].sub[x->bank & 1] == sub.slot + 1)
			x->instruments[i].sub[x->bank & 1] = FS_INST_NOT_SUBSCRIBED;
	return 0;
}

int fsx_order_put(struct fsx *x, __u64 id, __u8 channel, const char *sym, __u32 remaining,
		  __u16 gen)
{
	struct fs_order_key key = {.order_id = id, .channel = channel};
	struct fs_order o = {.remaining = remaining, .gen = gen};

	fsx_symbol(&o.symbol, sym);
	return bpf_map_update_elem(x->orders_fd, &key, &o, BPF_NOEXIST) ? -errno : 0;
}

int fsx_add_server(struct fsx *x, __u32 srv_addr, __u16 srv_port, __u32 group_addr,
		   __u16 group_port)
{
	struct fs_group_key srv = {.addr = htonl(srv_addr), .port = htons(srv_port)};
	struct fs_group_key grp = {.addr = htonl(group_addr), .port = htons(group_port)};

	return bpf_map_update_elem(x->servers_fd, &srv, &grp, BPF_ANY) ? -errno : 0;
}

int fsx_add_req_port(struct fsx *x, __u16 port_host, __u32 queue)
{
	struct fs_req_port v = {.queue = queue, .pid = (__u32)getpid()};
	__u32 key = htons(port_host);

	return bpf_map_update_elem(x->req_ports_fd, &key, &v, BPF_ANY) ? -errno : 0;
}

int fsx_orders_fill(struct fsx *x, __u8 channel)
{
	__u64 id;
	int ret;

	for (id = 1;; id++) {
		ret = fsx_order_put(x, id, channel, "FILL", 1, 0);
		if (ret == -E2BIG || ret == -ENOMEM)
			return (int)(id - 1);
		if (ret)
			return ret;
	}
}

size_t fsx_index_entries(struct fsx *x)
{
	struct fs_inst_key key, next;
	int ret = bpf_map_get_next_key(x->inst_index_fd, NULL, &key);
	size_t n = 0;

	while (!ret) {
		n++;
		ret = bpf_map_get_next_key(x->inst_index_fd, &key, &next);
		key = next;
	}
	return n;
}

int fsx_id_slot(struct fsx *x, __u8 proto, __u8 feed, __u32 id, __u32 *slot)
{
	struct fs_inst_key key = {.proto = proto, .feed = feed, .pad = 0, .id = id};

	return bpf_map_lookup_elem(x->inst_index_fd, &key, slot) ? -errno : 0;
}

/* Hand out an id-keyed slot, write ENTRY into it whole, then index it (the order of SEAM.md). */
static int add_id_entry(struct fsx *x, const struct fs_instrument *entry)
{
	struct fs_inst_key key = {.proto = entry->proto, .feed = entry->feed, .id = entry->id};
	__u32 slot =
	    FS_LOCATE_SLOTS + __atomic_fetch_add(&x->bank_state->inst_next, 1, __ATOMIC_ACQ_REL);

	if (slot >= FS_INSTRUMENT_SLOTS)
		return -ENOSPC;
	x->instruments[slot] = *entry;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	if (bpf_map_update_elem(x->inst_index_fd, &key, &slot, BPF_NOEXIST)) {
		int ret = -errno;

		memset(&x->instruments[slot], 0, sizeof(*entry));
		return ret;
	}
	return 0;
}

int fsx_subscribe_id(struct fsx *x, __u8 proto, __u8 feed, __u32 id, __u32 slot)
{
	struct fs_instrument fresh = {
	    .flags = FS_INST_F_ID, .id = id, .proto = proto, .feed = feed};
	struct fs_sub sub = {.slot = slot};
	size_t i, n = id_slots_used(x);
	bool found = false;

	if (bpf_map_update_elem(x->ids_fd[x->bank & 1], &id, &sub, BPF_ANY))
		return -errno;
	for (i = N_LOCATES; i < N_LOCATES + n; i++) {
		struct fs_instrument *e = &x->instruments[i];

		if ((e->flags & FS_INST_F_ID) && e->proto == proto && e->id == id) {
			e->sub[x->bank & 1] = slot + 1;
			found |= e->feed == feed;
		}
	}
	if (found)
		return 0;
	fresh.sub[x->bank & 1] = slot + 1;
	return add_id_entry(x, &fresh);
}

int fsx_define(struct fsx *x, __u8 proto, __u8 feed, __u32 id, const char *sym)
{
	struct fs_instrument e = {
	    .flags = FS_INST_F_ID | FS_INST_F_KNOWN, .id = id, .proto = proto, .feed = feed};

	fsx_symbol(&e.symbol, sym);
	return add_id_entry(x, &e);
}

int fsx_learn(struct fsx *x, __u8 feed, __u16 locate, const char *sym)
{
	struct fs_instrument *e;

	if (feed >= FS_MAX_FEEDS)
		return -EINVAL;
	e = &x->instruments[(size_t)feed * FS_LOCATES_PER_FEED + locate];
	fsx_symbol(&e->symbol, sym);
	memset(e->sub, 0, sizeof(e->sub));
	e->flags = FS_INST_F_KNOWN;
	return 0;
}

int fsx_set_active_bank(struct fsx *x, __u32 bank)
{
	if (bank >= FS_BANKS)
		return -EINVAL;
	__atomic_store_n(&x->bank_state->commits, bank, __ATOMIC_RELEASE);
	return 0;
}

int fsx_set_xsk(struct fsx *x, __u32 queue, int xsk_fd)
{
	return bpf_map_update_elem(x->xsks_fd, &queue, &xsk_fd, BPF_ANY) ? -errno : 0;
}

/* The clock of bpf_ktime_get_coarse_ns(), which stamps fs_windows.last_rx_ns: it advances once
 * per tick, so a row is bracketed with it, not with the precise clock. */
__u64 fsx_now_coarse_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + (__u64)ts.tv_nsec;
}

__u64 fsx_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + (__u64)ts.tv_nsec;
}

/*
 * How the metadata comes back on this kernel (6.18's XDP test run, checked by experiment):
 * data_out is copied from xdp.data_meta, not xdp.data, so it holds the 32 bytes of metadata the
 * program wrote followed by the frame (data_size_out = 32 + frame length). That is so with or
 * without a context, but only ctx_out says where the frame starts: ctx_out.data is the metadata
 * length (data - data_meta) and ctx_out.data_end the end of the linear area, both counted from
 * data_meta. So a context is always passed; ctx_in must have data_end equal to the frame length
 * and data/data_meta 0 (we supply no metadata). The kernel refuses frames shorter than 14 bytes
 * (EINVAL), and puts only the first 3520 bytes in the linear area the program reads.
 */
int fsx_run(struct fsx *x, const void *frame, __u32 len, struct fsx_result *r)
{
	static __u8 out[OUT_CAP];
	struct xdp_md ctx_in = {.data = 0, .data_end = len}, ctx_out = {0};
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame, .data_size_in = len, .data_out = out,
		    .data_size_out = sizeof(out), .ctx_in = &ctx_in, .ctx_size_in = sizeof(ctx_in),
		    .ctx_out = &ctx_out, .ctx_size_out = sizeof(ctx_out), .repeat = 1);
	int ret;

	memset(r, 0, sizeof(*r));
	r->t_before = fsx_now_ns();
	ret = bpf_prog_test_run_opts(x->prog_fd, &opts);
	r->t_after = fsx_now_ns();
	if (ret)
		return -errno;
	r->retval = opts.retval;
	r->meta_len = ctx_out.data;
	if (opts.data_size_out != r->meta_len + len || ctx_out.data_end < r->meta_len)
		return -EPROTO;
	r->linear_len = ctx_out.data_end - r->meta_len;
	if (r->meta_len == sizeof(r->meta))
		memcpy(&r->meta, out, sizeof(r->meta));
	r->frame_intact = !memcmp(out + r->meta_len, frame, len);
	return 0;
}

/* Sum N entries of a per-CPU array of counters, read in batches. */
static int read_percpu(struct fsx *x, int fd, __u32 n, size_t vsz, void *sums,
		       void (*add)(void *sum, const void *v))
{
	__u32 *keys = x->batch_keys, batch = 0, got = 0, count;
	bool first = true;
	int ret = 0, c;

	while (got < n) {
		count = n - got;
		ret = bpf_map_lookup_batch(fd, first ? NULL : &batch, &batch, keys + got,
					   (char *)x->batch_vals + (size_t)got * x->ncpus * vsz,
					   &count, NULL);
		first = false;
		got += count;
		if (ret) {
			ret = errno == ENOENT ? 0 : -errno;
			break;
		}
	}
	if (ret)
		return ret;
	if (got != n)
		return -EIO;
	memset(sums, 0, (size_t)n * vsz);
	for (__u32 i = 0; i < n; i++)
		for (c = 0; c < x->ncpus; c++)
			add((char *)sums + (size_t)keys[i] * vsz,
			    (char *)x->batch_vals + ((size_t)i * x->ncpus + c) * vsz);
	return 0;
}

#define ADD_FIELD_(name, desc) s->name += v->name;

static void add_counters(void *sum, const void *val)
{
	struct fs_counters *s = sum;
	const struct fs_counters *v = val;

	FS_COUNTER_FIELDS(ADD_FIELD_)
}

static void add_sym_counters(void *sum, const void *val)
{
	struct fs_sym_counters *s = sum;
	const struct fs_sym_counters *v = val;

	FS_SYM_COUNTER_FIELDS(ADD_FIELD_)
}

int fsx_global_counters(struct fsx *x, struct fs_counters *out)
{
	return read_percpu(x, x->stats_fd, 1, sizeof(*out), out, add_counters);
}

int fsx_group_counters(struct fsx *x, struct fs_counters *out)
{
	return read_percpu(x, x->gstats_fd, FS_MAX_GROUPS, sizeof(*out), out, add_counters);
}

int fsx_sym_counters(struct fsx *x, struct fs_sym_counters *out)
{
	return read_percpu(x, x->sym_fd, FS_MAX_SUBS, sizeof(*out), out, add_sym_counters);
}

/* ---- AF_XDP socket ---- */

#define XSK_FRAMES 64

struct fsx_xsk {
	void *area;
	struct xsk_umem *umem;
	struct xsk_socket *xsk;
	struct xsk_ring_prod fq;
	struct xsk_ring_cons cq, rx;
};

static int lo_up(void)
{
	struct ifreq ifr = {0};
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), ret = 0;

	if (fd < 0)
		return -errno;
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr))
		ret = -errno;
	ifr.ifr_flags |= IFF_UP;
	if (!ret && ioctl(fd, SIOCSIFFLAGS, &ifr))
		ret = -errno;
	close(fd);
	return ret;
}

int fsx_xsk_open(struct fsx_xsk **out, char *err, size_t errlen)
{
	struct xsk_umem_config ucfg = {
	    .fill_size = XSK_FRAMES,
	    .comp_size = XSK_FRAMES,
	    .frame_size = XSK_UMEM__DEFAULT_FRAME_SIZE,
	    .frame_headroom = 0,
	};
	struct xsk_socket_config scfg = {
	    .rx_size = XSK_FRAMES,
	    .tx_size = XSK_FRAMES,
	    .libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD,
	    .bind_flags = XDP_COPY,
	};
	size_t size = (size_t)XSK_FRAMES * XSK_UMEM__DEFAULT_FRAME_SIZE;
	struct fsx_xsk *s;
	int ret;

	*out = NULL;
	/* A private network namespace: its lo is ours, and it vanishes with the process. */
	if (unshare(CLONE_NEWNET)) {
		ret = -errno;
		snprintf(err, errlen, "unshare(CLONE_NEWNET): %s", strerror(-ret));
		return ret;
	}
	ret = lo_up();
	if (ret) {
		snprintf(err, errlen, "bringing lo up: %s", strerror(-ret));
		return ret;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	s->area = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (s->area == MAP_FAILED) {
		ret = -errno;
		s->area = NULL;
		snprintf(err, errlen, "mmap UMEM: %s", strerror(-ret));
		goto fail;
	}
	ret = xsk_umem__create(&s->umem, s->area, size, &s->fq, &s->cq, &ucfg);
	if (ret) {
		s->umem = NULL;
		snprintf(err, errlen, "xsk_umem__create: %s", strerror(-ret));
		goto fail;
	}
	ret = xsk_socket__create(&s->xsk, "lo", 0, s->umem, &s->rx, NULL, &scfg);
	if (ret) {
		s->xsk = NULL;
		snprintf(err, errlen, "xsk_socket__create(lo, queue 0, XDP_COPY): %s",
			 strerror(-ret));
		goto fail;
	}
	*out = s;
	return 0;
fail:
	fsx_xsk_close(s);
	return ret;
}

int fsx_xsk_install(const struct fsx_xsk *s, struct fsx *x)
{
	return xsk_socket__update_xskmap(s->xsk, x->xsks_fd);
}

int fsx_xsk_fd(const struct fsx_xsk *s)
{
	return xsk_socket__fd(s->xsk);
}

void fsx_xsk_close(struct fsx_xsk *s)
{
	if (!s)
		return;
	if (s->xsk)
		xsk_socket__delete(s->xsk);
	if (s->umem)
		xsk_umem__delete(s->umem);
	if (s->area)
		munmap(s->area, (size_t)XSK_FRAMES * XSK_UMEM__DEFAULT_FRAME_SIZE);
	free(s);
}
