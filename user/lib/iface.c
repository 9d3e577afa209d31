// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Opening the pinned maps of an attached interface, locking, and per-CPU map helpers. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <linux/magic.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "internal.h"
#include "log.h"

#define MAP(idx, ident, type, entries) [idx] = {FS_STR(ident), sizeof(type), (entries)}
const struct fsi_map_desc fsi_maps[FS_M_COUNT] = {
	MAP(FS_M_BANK, FS_MAP_BANK, struct fs_bank_state, 1),
	MAP(FS_M_GROUPS_0, FS_MAP_GROUPS_0, struct fs_group, FS_MAX_GROUPS),
	MAP(FS_M_GROUPS_1, FS_MAP_GROUPS_1, struct fs_group, FS_MAX_GROUPS),
	MAP(FS_M_SUBS_0, FS_MAP_SUBS_0, struct fs_sub, FS_SUBS_MAP_ENTRIES),
	MAP(FS_M_SUBS_1, FS_MAP_SUBS_1, struct fs_sub, FS_SUBS_MAP_ENTRIES),
	MAP(FS_M_INSTRUMENTS, FS_MAP_INSTRUMENTS, struct fs_instrument, FS_INSTRUMENT_SLOTS),
	MAP(FS_M_INST_INDEX, FS_MAP_INST_INDEX, __u32, FS_INST_INDEX_ENTRIES),
	MAP(FS_M_IDS_0, FS_MAP_IDS_0, struct fs_sub, FS_MAX_SUBS),
	MAP(FS_M_IDS_1, FS_MAP_IDS_1, struct fs_sub, FS_MAX_SUBS),
	MAP(FS_M_STATS, FS_MAP_STATS, struct fs_counters, 1),
	MAP(FS_M_GROUP_STATS, FS_MAP_GROUP_STATS, struct fs_counters, FS_MAX_GROUPS),
	MAP(FS_M_SYM_STATS, FS_MAP_SYM_STATS, struct fs_sym_counters, FS_MAX_SUBS),
	MAP(FS_M_XSKS, FS_MAP_XSKS, __u32, FS_MAX_QUEUES),
	MAP(FS_M_CHANNELS, FS_MAP_CHANNELS, struct fs_channel, FS_MAX_CHANNELS),
	MAP(FS_M_WINDOWS, FS_MAP_WINDOWS, struct fs_channel_window, FS_MAX_CHANNELS),
	MAP(FS_M_CHAN_EVENTS, FS_MAP_CHAN_EVENTS, struct fs_chan_events, FS_MAX_CHANNELS),
	MAP(FS_M_SOCK_STATS, FS_MAP_SOCK_STATS, struct fs_sock_counters, FS_MAX_QUEUES),
	MAP(FS_M_ORDERS, FS_MAP_ORDERS, struct fs_order, FS_MAX_ORDERS),
	MAP(FS_M_SERVERS, FS_MAP_SERVERS, struct fs_group_key, FS_SERVERS_ENTRIES),
	MAP(FS_M_REQ_PORTS, FS_MAP_REQ_PORTS, struct fs_req_port, FS_MAX_REQ_PORTS),
};
#undef MAP

int fsi_pin_path(char *buf, size_t len, const char *ifname, const char *name)
{
	int n = name ? snprintf(buf, len, "%s/%s/%s", FS_PIN_ROOT, ifname, name)
		     : snprintf(buf, len, "%s/%s", FS_PIN_ROOT, ifname);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* Are we in the mount namespace of init? 'ip netns exec' gives commands a private one, where a
 * bpffs mounted now would vanish with the command, and the pins with it. */
static bool in_init_mount_ns(void)
{
	char self[64] = "", init[64] = "";

	if (readlink("/proc/self/ns/mnt", self, sizeof(self) - 1) < 0 ||
	    readlink("/proc/1/ns/mnt", init, sizeof(init) - 1) < 0)
		return true; /* cannot tell: assume the common case */
	return !strcmp(self, init);
}

int fsi_pin_root_prepare(void)
{
	/* "return XDP_PASS": loading an XDP program needs CAP_BPF and CAP_NET_ADMIN, whatever
	 * kernel.unprivileged_bpf_disabled says. Only such a caller goes on: an unprivileged attach
	 * would otherwise leave a FS_PIN_ROOT of its own (where /sys/fs/bpf is world-writable)
	 * for root's pins to go in later. */
	const struct bpf_insn pass[] = {
		{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = XDP_PASS},
		{.code = BPF_JMP | BPF_EXIT},
	};
	struct statfs st;
	int fd = bpf_prog_load(BPF_PROG_TYPE_XDP, NULL, "GPL", pass, 2, NULL);

	if (fd < 0)
		return -errno;
	close(fd);
	if (statfs("/sys/fs/bpf", &st) || st.f_type != BPF_FS_MAGIC) {
		if (!in_init_mount_ns()) {
			pr_warn("/sys/fs/bpf is not bpffs in this private mount namespace (ip netns "
				"exec?): use 'nsenter --net=/run/netns/NAME' instead\n");
			return -EXDEV;
		}
		if (mount("bpf", "/sys/fs/bpf", "bpf", 0, "mode=0700")) {
			int err = -errno;

			pr_warn("cannot mount bpffs on /sys/fs/bpf: %s\n", strerror(-err));
			return err;
		}
	}
	if (mkdir(FS_PIN_ROOT, 0700) && errno != EEXIST)
		return -errno;
	/* 0700 whatever the umask, and also when an older version made the directory: the pins
	 * below hold subscriptions and counters that only root may read or change. */
	if (chmod(FS_PIN_ROOT, 0700))
		return -errno;
	return 0;
}

/* A pinned map made by another build (other limits) must not be used with this one's layout. */
static int check_shape(int fd, const struct fsi_map_desc *d)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	if (info.value_size != d->value_size || info.max_entries != d->max_entries) {
		pr_warn("pinned map %s has another shape (value %u, entries %u): detach and attach "
			"again\n",
			d->name, info.value_size, info.max_entries);
		return -EPROTO;
	}
	return 0;
}

/* Map the whole of an mmapable array map (value sizes are multiples of 8, the kernel's stride). */
static int map_array(struct fs_iface *iface, enum fsi_map_idx idx, int prot, void **out,
		     size_t *out_len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t len = (size_t)fsi_maps[idx].value_size * fsi_maps[idx].max_entries;
	void *p;

	len = (len + page - 1) / page * page;
	p = mmap(NULL, len, prot, MAP_SHARED, iface->fds[idx], 0);
	if (p == MAP_FAILED)
		return -errno;
	*out = p;
	*out_len = len;
	return 0;
}

static int map_tables(struct fs_iface *iface)
{
	int err;

	err = map_array(iface, FS_M_INSTRUMENTS, PROT_READ | PROT_WRITE, (void **)&iface->instruments,
			&iface->instruments_len);
	if (!err)
		err = map_array(iface, FS_M_WINDOWS, PROT_READ | PROT_WRITE,
				(void **)&iface->windows, &iface->windows_len);
	if (!err)
		err = map_array(iface, FS_M_CHAN_EVENTS, PROT_READ | PROT_WRITE,
				(void **)&iface->chan_events, &iface->chan_events_len);
	if (!err)
		err = map_array(iface, FS_M_BANK, PROT_READ | PROT_WRITE, (void **)&iface->bank,
				&iface->bank_len);
	return err;
}

/* A view named NAME with no map open yet. */
static struct fs_iface *iface_new(const char *name)
{
	struct fs_iface *iface = calloc(1, sizeof(*iface));
	int i;

	if (!iface)
		return NULL;
	snprintf(iface->name, sizeof(iface->name), "%s", name);
	iface->dir_fd = iface->barrier_fd = iface->barrier_inner_fd = -1;
	for (i = 0; i < FS_M_COUNT; i++)
		iface->fds[i] = -1;
	return iface;
}

/* Every map fd is open: map the tables and hand IFACE out, or close it. */
static int iface_ready(struct fs_iface *iface, struct fs_iface **out)
{
	int err = map_tables(iface);

	if (!err) {
		iface->ncpus = libbpf_num_possible_cpus();
		if (iface->ncpus <= 0)
			err = iface->ncpus ? iface->ncpus : -EINVAL;
	}
	if (err) {
		fs_iface__close(iface);
		return err;
	}
	*out = iface;
	return 0;
}

int fs_iface__open(const char *ifname, struct fs_iface **out)
{
	struct fs_iface *iface;
	char path[256];
	int i, err;

	if (strlen(ifname) >= IF_NAMESIZE)
		return -ENODEV;
	iface = iface_new(ifname);
	if (!iface)
		return -ENOMEM;
	iface->ifindex = (int)if_nametoindex(ifname);
	if (!iface->ifindex) {
		err = -ENODEV;
		goto fail;
	}
	err = fsi_pin_path(path, sizeof(path), ifname, NULL);
	if (err)
		goto fail;
	iface->dir_fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (iface->dir_fd < 0) {
		err = errno == ENOENT ? -ENOENT : -errno;
		goto fail;
	}
	for (i = 0; i < FS_M_COUNT; i++) {
		err = fsi_pin_path(path, sizeof(path), ifname, fsi_maps[i].name);
		if (err)
			goto fail;
		iface->fds[i] = bpf_obj_get(path);
		if (iface->fds[i] < 0) {
			err = errno == ENOENT ? -ENOENT : -errno;
			goto fail;
		}
		err = check_shape(iface->fds[i], &fsi_maps[i]);
		if (err)
			goto fail;
	}
	return iface_ready(iface, out);
fail:
	fs_iface__close(iface);
	return err;
}

int fsi_iface__open_private(const char *name, const int fds[FS_M_COUNT], struct fs_iface **out)
{
	struct fs_iface *iface = iface_new(name);
	int i;

	if (!iface)
		return -ENOMEM;
	for (i = 0; i < FS_M_COUNT; i++) {
		iface->fds[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, 0);
		if (iface->fds[i] < 0) {
			int err = -errno;

			fs_iface__close(iface);
			return err;
		}
	}
	return iface_ready(iface, out);
}

void fs_iface__close(struct fs_iface *iface)
{
	int i;

	if (!iface)
		return;
	if (iface->instruments)
		munmap(iface->instruments, iface->instruments_len);
	if (iface->windows)
		munmap(iface->windows, iface->windows_len);
	if (iface->chan_events)
		munmap(iface->chan_events, iface->chan_events_len);
	if (iface->bank)
		munmap(iface->bank, iface->bank_len);
	for (i = 0; i < FS_M_COUNT; i++)
		if (iface->fds[i] >= 0)
			close(iface->fds[i]);
	if (iface->barrier_fd >= 0)
		close(iface->barrier_fd);
	if (iface->barrier_inner_fd >= 0)
		close(iface->barrier_inner_fd);
	if (iface->dir_fd >= 0)
		close(iface->dir_fd); /* also drops the flock */
	free(iface);
}

const char *fs_iface__name(const struct fs_iface *iface)
{
	return iface->name;
}

int fsi_iface__ifindex(const struct fs_iface *iface)
{
	return iface->ifindex;
}

int fs_iface__lock(struct fs_iface *iface)
{
	/* Private maps (fsi_iface__open_private()) have no pin directory: no other process can
	 * reach them, so there is nothing to lock against. */
	if (iface->lock_depth == 0 && iface->dir_fd >= 0 && flock(iface->dir_fd, LOCK_EX))
		return -errno;
	iface->lock_depth++;
	return 0;
}

void fs_iface__unlock(struct fs_iface *iface)
{
	if (iface->lock_depth > 0 && --iface->lock_depth == 0 && iface->dir_fd >= 0)
		flock(iface->dir_fd, LOCK_UN);
}

/*
 * Updating a map-in-map makes the kernel wait for an RCU grace period (so that callers know no
 * program still uses the old inner map), and XDP programs run inside RCU read-side sections. A
 * private, never-attached ARRAY_OF_MAPS is therefore a cheap, exact "wait for running programs".
 */
int fsi_iface__wait_programs(struct fs_iface *iface)
{
	__u32 zero = 0;

	if (iface->barrier_fd < 0) {
		LIBBPF_OPTS(bpf_map_create_opts, opts);

		iface->barrier_inner_fd =
			bpf_map_create(BPF_MAP_TYPE_ARRAY, "fs_barrier_in", 4, 4, 1, NULL);
		if (iface->barrier_inner_fd < 0)
			return -errno;
		opts.inner_map_fd = iface->barrier_inner_fd;
		iface->barrier_fd =
			bpf_map_create(BPF_MAP_TYPE_ARRAY_OF_MAPS, "fs_barrier", 4, 4, 1, &opts);
		if (iface->barrier_fd < 0)
			return -errno;
	}
	if (bpf_map_update_elem(iface->barrier_fd, &zero, &iface->barrier_inner_fd, BPF_ANY))
		return -errno;
	return 0;
}

int fsi_percpu_sum(struct fs_iface *iface, enum fsi_map_idx map, __u32 key, __u64 *out,
		  size_t nfields)
{
	size_t stride = fsi_maps[map].value_size; /* all-__u64 structs: already 8-byte aligned */
	__u64 *vals = calloc((size_t)iface->ncpus, stride);
	int cpu;
	size_t f;

	if (!vals)
		return -ENOMEM;
	if (bpf_map_lookup_elem(iface->fds[map], &key, vals)) {
		int err = -errno;

		free(vals);
		return err;
	}
	memset(out, 0, nfields * sizeof(*out));
	for (cpu = 0; cpu < iface->ncpus; cpu++)
		for (f = 0; f < nfields; f++)
			out[f] += vals[cpu * (stride / sizeof(__u64)) + f];
	free(vals);
	return 0;
}

int fsi_percpu_zero(struct fs_iface *iface, enum fsi_map_idx map, __u32 key, size_t value_size)
{
	void *zeros = calloc((size_t)iface->ncpus, (value_size + 7) & ~(size_t)7);
	int err = 0;

	if (!zeros)
		return -ENOMEM;
	if (bpf_map_update_elem(iface->fds[map], &key, zeros, BPF_ANY))
		err = -errno;
	free(zeros);
	return err;
}
