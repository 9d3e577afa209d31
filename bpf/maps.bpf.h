/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The program's maps. Keys, values and names come from include/feedsieve/maps.h. */
#ifndef FEEDSIEVE_MAPS_BPF_H
#define FEEDSIEVE_MAPS_BPF_H

#include "feedsieve/maps.h"

/* Which bank the program uses (fs_bank.commits & 1). Mmapable: user space makes a configuration
 * live with one atomic increment, and consumers poll the count without a system call. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, struct fs_bank_state);
} FS_MAP_BANK SEC(".maps");

/*
 * One map per bank, not one map with a value per bank: updating any element of a hash map
 * replaces it, and the kernel may hand the old element's memory to the next update at once. A
 * run still reading it would then see another key's value. The live bank's maps are never
 * written, so the program's lookups in them are always stable.
 */
#define FS_GROUPS_MAP(name)                                                                        \
	struct {                                                                                   \
		__uint(type, BPF_MAP_TYPE_HASH);                                                   \
		__uint(max_entries, FS_MAX_GROUPS);                                                \
		__type(key, struct fs_group_key);                                                  \
		__type(value, struct fs_group);                                                    \
	} name SEC(".maps")
#define FS_SUBS_MAP(name)                                                                          \
	struct {                                                                                   \
		__uint(type, BPF_MAP_TYPE_HASH);                                                   \
		__uint(max_entries, FS_SUBS_MAP_ENTRIES);                                          \
		__uint(map_flags, BPF_F_NO_PREALLOC);                                              \
		__type(key, struct fs_symbol);                                                     \
		__type(value, struct fs_sub);                                                      \
	} name SEC(".maps")

FS_GROUPS_MAP(FS_MAP_GROUPS_0);
FS_GROUPS_MAP(FS_MAP_GROUPS_1);
FS_SUBS_MAP(FS_MAP_SUBS_0);
FS_SUBS_MAP(FS_MAP_SUBS_1);

#define FS_IDS_MAP(name)                                                                           \
	struct {                                                                                   \
		__uint(type, BPF_MAP_TYPE_HASH);                                                   \
		__uint(max_entries, FS_MAX_SUBS);                                                  \
		__type(key, __u32);                                                                \
		__type(value, struct fs_sub);                                                      \
	} name SEC(".maps")

FS_IDS_MAP(FS_MAP_IDS_0);
FS_IDS_MAP(FS_MAP_IDS_1);

/* Mmapable so user space can scan, print and re-mark the whole directory without a syscall per
 * entry. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, FS_INSTRUMENT_SLOTS);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, struct fs_instrument);
} FS_MAP_INSTRUMENTS SEC(".maps");

/* Id-keyed instruments -> their fs_instruments slot. Only ever added to, never updated or
 * deleted, so a value the program has looked up never changes under it. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, FS_INST_INDEX_ENTRIES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct fs_inst_key);
	__type(value, __u32);
} FS_MAP_INST_INDEX SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct fs_counters);
} FS_MAP_STATS SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, FS_MAX_GROUPS);
	__type(key, __u32);
	__type(value, struct fs_counters);
} FS_MAP_GROUP_STATS SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, FS_MAX_SUBS);
	__type(key, __u32);
	__type(value, struct fs_sym_counters);
} FS_MAP_SYM_STATS SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, FS_MAX_QUEUES);
	__type(key, __u32);
	__type(value, __u32);
} FS_MAP_XSKS SEC(".maps");

/* Written by user space only; here so it is created and pinned with the others. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, FS_MAX_CHANNELS);
	__type(key, __u32);
	__type(value, struct fs_channel);
} FS_MAP_CHANNELS SEC(".maps");

/* Sequence windows, mmapped by consumers (see feedsieve/seqwin.h). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, FS_MAX_CHANNELS);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, struct fs_channel_window);
} FS_MAP_WINDOWS SEC(".maps");

/* Written by consumers only. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, FS_MAX_CHANNELS);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, struct fs_chan_events);
} FS_MAP_CHAN_EVENTS SEC(".maps");

/* Written by consumers only. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, FS_MAX_QUEUES);
	__type(key, __u32);
	__type(value, struct fs_sock_counters);
} FS_MAP_SOCK_STATS SEC(".maps");

/* PITCH orders of subscribed symbols (struct fs_order). Preallocated: an insert in the data path
 * never allocates, and a full map fails the insert, which is counted (orders_full). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, FS_MAX_ORDERS);
	__type(key, struct fs_order_key);
	__type(value, struct fs_order);
} FS_MAP_ORDERS SEC(".maps");

/* Re-request servers -> the group naming each (written by user space at commit). Not banked: the
 * program trusts an entry only when the live bank's group names that server. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, FS_SERVERS_ENTRIES);
	__type(key, struct fs_group_key);
	__type(value, struct fs_group_key);
} FS_MAP_SERVERS SEC(".maps");

/* Consumers' request ports (written by consumers only). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, FS_MAX_REQ_PORTS);
	__type(key, __u32);
	__type(value, struct fs_req_port);
} FS_MAP_REQ_PORTS SEC(".maps");

#endif /* FEEDSIEVE_MAPS_BPF_H */
