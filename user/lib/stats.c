// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Counters, summed over CPUs. The counter structs are all __u64 fields (see maps.h). */
#include <errno.h>
#include <bpf/bpf.h>

#include "internal.h"

#define NFIELDS(type) (sizeof(type) / sizeof(__u64))

int fs_stats__global(struct fs_iface *iface, struct fs_counters *out)
{
	return fsi_percpu_sum(iface, FS_M_STATS, 0, (__u64 *)out, NFIELDS(*out));
}

int fs_stats__group(struct fs_iface *iface, __u8 group_id, struct fs_counters *out)
{
	return fsi_percpu_sum(iface, FS_M_GROUP_STATS, group_id, (__u64 *)out, NFIELDS(*out));
}

int fs_stats__channel(struct fs_iface *iface, __u8 id, struct fs_chan_events *out)
{
	const __u64 *src = (const __u64 *)&iface->chan_events[id];
	__u64 *dst = (__u64 *)out;
	size_t i;

	for (i = 0; i < NFIELDS(*out); i++)
		dst[i] = __atomic_load_n(&src[i], __ATOMIC_RELAXED);
	return 0;
}

int fs_stats__socket(struct fs_iface *iface, __u32 queue, struct fs_sock_counters *out)
{
	if (queue >= FS_MAX_QUEUES)
		return -EINVAL;
	if (bpf_map_lookup_elem(iface->fds[FS_M_SOCK_STATS], &queue, out))
		return -errno;
	return 0;
}

int fs_stats__symbol(struct fs_iface *iface, __u32 slot, struct fs_sym_counters *out)
{
	return fsi_percpu_sum(iface, FS_M_SYM_STATS, slot, (__u64 *)out, NFIELDS(*out));
}
