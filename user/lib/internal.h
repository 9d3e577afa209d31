/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* libfeedsieve internals shared between its source files. Not installed. */
#ifndef FEEDSIEVE_INTERNAL_H
#define FEEDSIEVE_INTERNAL_H

#include <net/if.h>
#include <stddef.h>

#include "feedsieve.h"

/* The pinned maps, in one table so attach (pinning) and open (finding) use the same names. */
enum fsi_map_idx {
	FS_M_BANK,
	FS_M_GROUPS_0, /* FS_M_GROUPS_0 + bank */
	FS_M_GROUPS_1,
	FS_M_SUBS_0, /* FS_M_SUBS_0 + bank */
	FS_M_SUBS_1,
	FS_M_INSTRUMENTS,
	FS_M_INST_INDEX,
	FS_M_IDS_0, /* FS_M_IDS_0 + bank */
	FS_M_IDS_1,
	FS_M_STATS,
	FS_M_GROUP_STATS,
	FS_M_SYM_STATS,
	FS_M_XSKS,
	FS_M_CHANNELS,
	FS_M_WINDOWS,
	FS_M_CHAN_EVENTS,
	FS_M_SOCK_STATS,
	FS_M_ORDERS,
	FS_M_SERVERS,
	FS_M_REQ_PORTS,
	FS_M_COUNT,
};

struct fsi_map_desc {
	const char *name;
	__u32 value_size;
	__u32 max_entries;
};
extern const struct fsi_map_desc fsi_maps[FS_M_COUNT];

struct fs_iface {
	char name[IF_NAMESIZE];
	int ifindex;
	int dir_fd; /* pin directory; flock()ed by fs_iface__lock() */
	int lock_depth;
	int fds[FS_M_COUNT];
	struct fs_instrument *instruments; /* mmapped FS_MAP_INSTRUMENTS */
	size_t instruments_len;
	struct fs_channel_window *windows; /* mmapped FS_MAP_WINDOWS, read-only */
	size_t windows_len;
	struct fs_chan_events *chan_events; /* mmapped FS_MAP_CHAN_EVENTS */
	size_t chan_events_len;
	struct fs_bank_state *bank; /* mmapped FS_MAP_BANK: which bank is live */
	size_t bank_len;
	int ncpus;
	int barrier_fd, barrier_inner_fd; /* see fsi_iface__wait_programs() */
};

/* The maps of a program that is neither attached nor pinned (replay's private copy), by
 * enum fsi_map_idx: the same view as fs_iface__open() gives of pinned ones, named NAME, with no
 * interface (ifindex 0) and no lock to take. The fds are duplicated. */
int fsi_iface__open_private(const char *name, const int fds[FS_M_COUNT], struct fs_iface **out);

#ifndef offsetofend
#define offsetofend(TYPE, FIELD) (offsetof(TYPE, FIELD) + sizeof(((TYPE *)0)->FIELD))
#endif

/* Copy the caller's OPTS (NULL: every default) into OUT, the library's own struct of OUT_SZ
 * bytes, whose fields end at KNOWN_SZ: fields an older caller's struct lacks read as 0, and
 * OUT's sz becomes OUT_SZ. -EINVAL: sz unset, or a newer caller's struct sets a field this
 * library does not know (it would be silently ignored). TYPE names the struct in the warning. */
int fsi_opts_copy(void *out, size_t out_sz, size_t known_sz, const void *opts, const char *type);
/* The same for struct TYPE, whose last field is LAST; OPTS must be a const struct TYPE *. */
#define FSI_OPTS_COPY(TYPE, OUT, OPTS, LAST)                                                      \
	((void)sizeof((OPTS) == (const struct TYPE *)NULL),                                       \
	 fsi_opts_copy((struct TYPE *)(OUT), sizeof(struct TYPE), offsetofend(struct TYPE, LAST), \
		       (OPTS), #TYPE))
/* Hand GOT (GOT_SZ bytes, the library's struct) to the caller's INFO: as many bytes as both know
 * of. -EINVAL when INFO's sz is unset. */
int fsi_info_copy(void *info, const void *got, size_t got_sz, const char *type);

int fsi_iface__ifindex(const struct fs_iface *iface);
/* Symbol of LOCATE in FEED (directory.c), or false when no directory entry was seen. Lock-free
 * read of the mmapped table, usable on the consumer's hot path. */
bool fsi_directory__lookup(const struct fs_iface *iface, __u8 feed, __u16 locate,
			 struct fs_symbol *sym, bool *subscribed);
/* FS_PIN_ROOT "/" IFNAME [ "/" NAME ]. -ENAMETOOLONG if it does not fit. */
int fsi_pin_path(char *buf, size_t len, const char *ifname, const char *name);
/* Mount bpffs on /sys/fs/bpf when it is missing and create FS_PIN_ROOT (mode 0700). */
int fsi_pin_root_prepare(void);
/* Return once every XDP program run that started before the call has finished. */
int fsi_iface__wait_programs(struct fs_iface *iface);
/* The decimal number a /proc or /sys file holds. -EINVAL if it holds something else. */
int fsi_read_long_file(const char *path, long *out);
/* Per-CPU map read, summed over CPUs: the values are arrays of __u64. */
int fsi_percpu_sum(struct fs_iface *iface, enum fsi_map_idx map, __u32 key, __u64 *out,
		  size_t nfields);
/* Zero one per-CPU entry (a reused group id or subscription slot starts from zero). */
int fsi_percpu_zero(struct fs_iface *iface, enum fsi_map_idx map, __u32 key, size_t value_size);
/* The bank the program reads now (fs_bank.commits & 1). Changes only under the lock
 * (user/lib/commit.c). */
static inline __u32 fsi_iface__live_bank(const struct fs_iface *iface)
{
	return (__u32)(__atomic_load_n(&iface->bank->commits, __ATOMIC_ACQUIRE) & 1);
}

/* Address of the fs_instruments entry of (FEED, LOCATE) in the mmapped table. */
static inline struct fs_instrument *fsi_locate_entry(const struct fs_iface *iface, __u8 feed,
						__u16 locate)
{
	return &iface->instruments[(size_t)feed * FS_LOCATES_PER_FEED + locate];
}

#endif /* FEEDSIEVE_INTERNAL_H */
