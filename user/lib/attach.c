// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Attaching and detaching the XDP program through libxdp. libxdp uses its multi-program
 * dispatcher where the kernel allows it and falls back to attaching the program alone where it
 * does not; feedsieve finds its program by name either way.
 *
 * Other XDP programs: behind a dispatcher, ours is added next to them and detach removes only
 * ours. A program attached alone (no dispatcher, as `ip link set dev IF xdp obj ...` or a kernel
 * that refuses freplace leaves it) cannot be shared: attach refuses to replace it unless forced.
 *
 * Pins left behind (the program removed with `ip link set dev IF xdp off`, the interface deleted
 * and created again): maps of this build's layout are reused, groups and subscriptions included;
 * maps of another layout (another build) are refused unless forced, which replaces them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

#include "feedsieve.skel.h"

/* Device-bound XDP program (kernel 6.3+); the distribution's UAPI header may predate it. */
#ifndef BPF_F_XDP_DEV_BOUND_ONLY
#define BPF_F_XDP_DEV_BOUND_ONLY (1U << 6)
#endif
#include "internal.h"
#include "log.h"

const char *fs_attach_mode_str(enum fs_attach_mode mode)
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

/*
 * Another program attached alone on IFINDEX (not through a dispatcher, so not shareable): its
 * name and id go to INFO. With FORCE it is detached; otherwise -EBUSY.
 */
static int handle_foreign(int ifindex, bool force, struct fs_attach_info *info)
{
	struct xdp_multiprog *mp = xdp_multiprog__get_from_ifindex(ifindex);
	struct xdp_program *p;
	int err = 0;

	if (!mp || libxdp_get_error(mp))
		return 0; /* nothing attached */
	p = xdp_multiprog__main_prog(mp);
	if (xdp_multiprog__is_legacy(mp) && p && !is_ours(p)) {
		snprintf(info->foreign, sizeof(info->foreign), "%s", xdp_program__name(p));
		info->foreign_id = xdp_program__id(p);
		if (!force) {
			err = -EBUSY;
		} else {
			err = xdp_multiprog__detach(mp);
			info->replaced_foreign = !err;
		}
	} else if (!xdp_multiprog__is_legacy(mp)) {
		info->shared = true; /* libxdp adds ours to the dispatcher */
	}
	xdp_multiprog__close(mp);
	return err;
}

static bool is_pinned_map(const char *name)
{
	int i;

	for (i = 0; i < FS_M_COUNT; i++)
		if (!strcmp(name, fsi_maps[i].name))
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
		err = fsi_pin_path(path, sizeof(path), ifname, bpf_map__name(map));
		if (!err)
			err = bpf_map__set_pin_path(map, path);
		if (err)
			return err;
	}
	return 0;
}

/* Does the map pinned at PATH have the layout this build's program declares for MAP? libbpf
 * would refuse to reuse it ("parameter mismatch"), which says nothing a user can act on. */
static bool pin_fits(const char *path, const struct bpf_map *map)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);
	int fd = bpf_obj_get(path);
	bool fits;

	if (fd < 0)
		return errno == ENOENT; /* not pinned yet: it will be created */
	fits = !bpf_obj_get_info_by_fd(fd, &info, &len) && info.type == bpf_map__type(map) &&
	       info.key_size == bpf_map__key_size(map) &&
	       info.value_size == bpf_map__value_size(map) &&
	       info.max_entries == bpf_map__max_entries(map);
	if (!fits)
		pr_warn("pinned map %s has another layout (value %u bytes, %u entries; this build: "
			"%u, %u)\n",
			path, info.value_size, info.max_entries, bpf_map__value_size(map),
			bpf_map__max_entries(map));
	close(fd);
	return fits;
}

/* Check the pins an earlier attachment left under IFNAME's directory: 0 when there are none or
 * all fit this build (*REUSED says whether there were any), -EPROTO otherwise. */
static int check_pins(const char *ifname, bool *reused)
{
	struct feedsieve_bpf *skel = feedsieve_bpf__open();
	struct bpf_map *map;
	char path[256];
	int err = 0;

	*reused = false;
	if (!skel)
		return -errno;
	bpf_object__for_each_map(map, skel->obj) {
		if (!is_pinned_map(bpf_map__name(map)))
			continue;
		if (fsi_pin_path(path, sizeof(path), ifname, bpf_map__name(map))) {
			err = -ENAMETOOLONG;
			break;
		}
		if (!access(path, F_OK))
			*reused = true;
		if (!pin_fits(path, map))
			err = -EPROTO; /* go on: every misfit is named */
	}
	feedsieve_bpf__destroy(skel);
	return err;
}

static void unpin_maps(const char *ifname)
{
	char path[256];
	int i;

	for (i = 0; i < FS_M_COUNT; i++)
		if (!fsi_pin_path(path, sizeof(path), ifname, fsi_maps[i].name))
			unlink(path);
	if (!fsi_pin_path(path, sizeof(path), ifname, NULL))
		rmdir(path);
}

/* The interface's pin directory 0700 and its pins 0600 whatever the umask (libbpf pins with
 * 0600 & ~umask, and a directory kept from an earlier attachment may have another mode). */
static int restrict_pins(const char *ifname)
{
	char path[256];
	int i;

	if (fsi_pin_path(path, sizeof(path), ifname, NULL) || chmod(path, 0700))
		return -errno;
	for (i = 0; i < FS_M_COUNT; i++)
		if (!fsi_pin_path(path, sizeof(path), ifname, fsi_maps[i].name) &&
		    chmod(path, 0600) && errno != ENOENT)
			return -errno;
	return 0;
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
	err = fsi_pin_root_prepare();
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

int fs_attach(const char *ifname, const struct fs_attach_opts *opts, struct fs_attach_info *info)
{
	struct fs_attach_info got = {};
	struct fs_attach_opts o;
	enum fs_attach_mode mode;
	char dir[256];
	int ifindex, lock_fd, err;
	bool new_dir = false, force;

	if (FSI_OPTS_COPY(fs_attach_opts, &o, opts, flags) || o.flags & ~FS_ATTACH_F_FORCE ||
	    o.mode > FS_MODE_SKB)
		return -EINVAL;
	if (info && *(const size_t *)info < sizeof(size_t)) /* checked before anything changes */
		return -EINVAL;
	mode = o.mode;
	force = o.flags & FS_ATTACH_F_FORCE;
	got.mode = mode == FS_MODE_SKB ? FS_MODE_SKB : FS_MODE_NATIVE;
	lock_fd = begin_change(ifname, &ifindex);
	if (lock_fd < 0)
		return lock_fd;
	if (is_attached(ifindex)) {
		err = -EEXIST;
		goto out;
	}
	err = fsi_pin_path(dir, sizeof(dir), ifname, NULL);
	if (err)
		goto out;
	new_dir = mkdir(dir, 0700) == 0;
	if (!new_dir && errno != EEXIST) {
		err = -errno;
		goto out;
	}
	err = check_pins(ifname, &got.reused_pins);
	if (err == -EPROTO && force) {
		unpin_maps(ifname);
		got.reused_pins = false;
		got.replaced_pins = true;
		new_dir = mkdir(dir, 0700) == 0;
		err = new_dir ? 0 : -errno;
	}
	if (!err)
		err = handle_foreign(ifindex, force, &got);
	if (err)
		goto out;

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
	if (!err && restrict_pins(ifname))
		pr_warn("%s: cannot restrict the pins to root (0700/0600): %s\n", ifname,
			strerror(errno));
out:
	if (info) /* on -EBUSY it names the other program */
		fsi_info_copy(info, &got, offsetofend(struct fs_attach_info, foreign_id),
			      "fs_attach_info");
	/* Pins that existed before (a previous attachment's subscriptions) are kept. */
	if (err && new_dir)
		unpin_maps(ifname);
	close(lock_fd);
	return err;
}

/* The interface is gone, and its program with it: remove the pins it left. Still -ENODEV; the
 * caller tells "removed" from "there were none" by the directory. */
static int detach_gone(const char *ifname)
{
	int lock_fd = lock_root();

	if (lock_fd < 0)
		return lock_fd;
	unpin_maps(ifname);
	close(lock_fd);
	return -ENODEV;
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
	if (lock_fd == -ENODEV && !fsi_pin_path(dir, sizeof(dir), ifname, NULL) &&
	    !stat(dir, &st))
		return detach_gone(ifname);
	if (lock_fd < 0)
		return lock_fd;

	err = fsi_pin_path(dir, sizeof(dir), ifname, NULL);
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
