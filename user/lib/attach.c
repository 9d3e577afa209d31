// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Attaching and detaching the XDP program through libxdp. libxdp uses its multi-program
 * dispatcher where the kernel allows it and falls back to attaching the program alone where it
 * does not; feedsieve finds its program by name either way.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

#include "feedsieve.skel.h"

/* Device-bound XDP program (kernel 6.3+); the distribution's UAPI header may predate it. */
#ifndef BPF_F_XDP_DEV_BOUND_ONLY
#define BPF_F_XDP_DEV_BOUND_ONLY (1U << 6)
#endif
#include "internal.h"
#include "log.h"

const char *fs_mode_str(enum fs_attach_mode mode)
{
	switch (mode) {
	case FS_MODE_NATIVE:
		return "native";
	case FS_MODE_SKB:
		return "skb";
	default:
		return "auto";
	}
}

/* feedsieve_xdp or its device-bound twin feedsieve_xdp_hwts (the kernel keeps 15 characters). */
static bool is_ours(struct xdp_program *p)
{
	return !strncmp(xdp_program__name(p), FS_PROG_NAME, strlen(FS_PROG_NAME));
}

/* Our program on IFINDEX, or NULL. The caller closes *MP when it is set. */
static struct xdp_program *find_ours(int ifindex, struct xdp_multiprog **mp_out)
{
	struct xdp_multiprog *mp = xdp_multiprog__get_from_ifindex(ifindex);
	struct xdp_program *p;

	*mp_out = NULL;
	if (!mp || libxdp_get_error(mp))
		return NULL;
	*mp_out = mp;
	if (xdp_multiprog__is_legacy(mp)) {
		p = xdp_multiprog__main_prog(mp);
		return p && is_ours(p) ? p : NULL;
	}
	for (p = xdp_multiprog__next_prog(NULL, mp); p; p = xdp_multiprog__next_prog(p, mp))
		if (is_ours(p))
			return p;
	return NULL;
}

static bool is_attached(int ifindex)
{
	struct xdp_multiprog *mp;
	bool found = find_ours(ifindex, &mp) != NULL;

	xdp_multiprog__close(mp);
	return found;
}

static bool is_pinned_map(const char *name)
{
	int i;

	for (i = 0; i < FS_M_COUNT; i++)
		if (!strcmp(name, fs_maps[i].name))
			return true;
	return false;
}

static int pin_maps_by_name(struct feedsieve_bpf *skel, const char *ifname)
{
	struct bpf_map *map;
	char path[256];
	int err;

	bpf_object__for_each_map(map, skel->obj) {
		if (!is_pinned_map(bpf_map__name(map)))
			continue; /* internal (.rodata, .bss) or private (scratch) */
		err = fs_pin_path(path, sizeof(path), ifname, bpf_map__name(map));
		if (!err)
			err = bpf_map__set_pin_path(map, path);
		if (err)
			return err;
	}
	return 0;
}

static void unpin_maps(const char *ifname)
{
	char path[256];
	int i;

	for (i = 0; i < FS_M_COUNT; i++)
		if (!fs_pin_path(path, sizeof(path), ifname, fs_maps[i].name))
			unlink(path);
	if (!fs_pin_path(path, sizeof(path), ifname, NULL))
		rmdir(path);
}

/* Exclusive lock on the pin root: attach and detach of any interface are serialised. */
static int lock_root(void)
{
	int fd = open(FS_PIN_ROOT, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_EX)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/* What attach and detach start with: the interface's index, bpffs, and the root lock (returned
 * as an fd, or a negative errno). */
static int begin_change(const char *ifname, int *ifindex)
{
	int err;

	*ifindex = (int)if_nametoindex(ifname);
	if (!*ifindex)
		return -ENODEV;
	err = fs_pin_root_prepare();
	if (err)
		return err;
	return lock_root();
}

/*
 * Load one variant of the program with its maps pinned under IFNAME's directory and attach it.
 * HW_TS picks the device-bound variant that reads the NIC's RX timestamp.
 */
static int attach_variant(const char *ifname, int ifindex, enum fs_attach_mode mode, bool hw_ts)
{
	enum xdp_attach_mode xmode = mode == FS_MODE_SKB ? XDP_MODE_SKB : XDP_MODE_NATIVE;
	struct feedsieve_bpf *skel = feedsieve_bpf__open();
	struct xdp_program *prog = NULL;
	struct bpf_program *use, *other;
	int err;

	if (!skel)
		return -errno;
	use = hw_ts ? skel->progs.feedsieve_xdp_hwts : skel->progs.feedsieve_xdp;
	other = hw_ts ? skel->progs.feedsieve_xdp : skel->progs.feedsieve_xdp_hwts;
	bpf_program__set_autoload(use, true);
	bpf_program__set_autoload(other, false);
	if (hw_ts) {
		bpf_program__set_ifindex(use, (__u32)ifindex);
		bpf_program__set_flags(use, bpf_program__flags(use) | BPF_F_XDP_DEV_BOUND_ONLY);
	}
	err = pin_maps_by_name(skel, ifname);
	if (!err) {
		/* cppcheck-suppress unknownMacro */
		DECLARE_LIBXDP_OPTS(xdp_program_opts, opts, .obj = skel->obj,
				    .prog_name = bpf_program__name(use));

		prog = xdp_program__create(&opts);
		err = libxdp_get_error(prog);
		if (err)
			prog = NULL;
	}
	if (!err)
		err = xdp_program__attach(prog, ifindex, xmode, 0);
	xdp_program__close(prog);
	feedsieve_bpf__destroy(skel);
	return err;
}

int fs_attach(const char *ifname, enum fs_attach_mode mode, struct fs_attach_info *info)
{
	struct fs_attach_info got = {.mode = mode == FS_MODE_SKB ? FS_MODE_SKB : FS_MODE_NATIVE};
	char dir[256];
	int ifindex, lock_fd, err;
	bool new_dir = false;

	lock_fd = begin_change(ifname, &ifindex);
	if (lock_fd < 0)
		return lock_fd;
	if (is_attached(ifindex)) {
		err = -EEXIST;
		goto out;
	}
	err = fs_pin_path(dir, sizeof(dir), ifname, NULL);
	if (err)
		goto out;
	new_dir = mkdir(dir, 0700) == 0;
	if (!new_dir && errno != EEXIST) {
		err = -errno;
		goto out;
	}

	if (got.mode == FS_MODE_NATIVE) {
		/* Device-bound first: the NIC's RX timestamps where the driver has XDP metadata. */
		err = attach_variant(ifname, ifindex, FS_MODE_NATIVE, true);
		got.device_bound = !err;
		if (err) {
			pr_info("%s: no device-bound XDP (%s): timestamps from bpf_ktime_get_ns()\n",
				ifname, strerror(-err));
			err = attach_variant(ifname, ifindex, FS_MODE_NATIVE, false);
		}
		if (err && mode == FS_MODE_AUTO) {
			pr_info("%s: native XDP failed (%s), falling back to skb mode\n", ifname,
				strerror(-err));
			got.mode = FS_MODE_SKB;
		}
	}
	if (got.mode == FS_MODE_SKB)
		err = attach_variant(ifname, ifindex, FS_MODE_SKB, false);
	if (!err && info)
		*info = got;
out:
	/* Pins that existed before (a previous attachment's subscriptions) are kept. */
	if (err && new_dir)
		unpin_maps(ifname);
	close(lock_fd);
	return err;
}

int fs_detach(const char *ifname)
{
	struct xdp_multiprog *mp = NULL;
	struct xdp_program *prog;
	char dir[256];
	struct stat st;
	int ifindex, lock_fd, dir_fd = -1, err = 0;
	bool had_pins;

	lock_fd = begin_change(ifname, &ifindex);
	if (lock_fd < 0)
		return lock_fd;

	err = fs_pin_path(dir, sizeof(dir), ifname, NULL);
	if (err)
		goto out;
	had_pins = stat(dir, &st) == 0;
	/* Wait for a change in progress on this interface (root lock first, always). */
	if (had_pins) {
		dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dir_fd >= 0)
			flock(dir_fd, LOCK_EX);
	}
	prog = find_ours(ifindex, &mp);
	if (prog) {
		err = xdp_program__detach(prog, ifindex, xdp_multiprog__attach_mode(mp), 0);
		if (err)
			goto out;
	} else if (!had_pins) {
		err = -ENOENT;
		goto out;
	}
	unpin_maps(ifname);
out:
	if (dir_fd >= 0)
		close(dir_fd);
	xdp_multiprog__close(mp);
	close(lock_fd);
	return err;
}
