/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The program's maps. Keys, values and names come from include/feedsieve/maps.h. */
#ifndef FEEDSIEVE_MAPS_BPF_H
#define FEEDSIEVE_MAPS_BPF_H

#include "feedsieve/maps.h"

/* Which bank of fs_groups, fs_subs and fs_locates the program uses. Mmapable: user space flips
 * the bank with one atomic store, and consumers poll the commit count without a syscall. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, struct fs_bank_state);
} FS_MAP_BANK SEC(".maps");

/*
 * Not preallocated: an update then replaces the element with a new one and frees the old one only
 * after an RCU grace period, so a run that looked the old one up never sees it rewritten (with
 * preallocation the element can be reused at once, and a reader could see half of each value).
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, FS_MAX_GROUPS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct fs_group_key);
	__type(value, struct fs_group_banks);
} FS_MAP_GROUPS SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, FS_MAX_SUBS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct fs_symbol);
	__type(value, struct fs_sub);
} FS_MAP_SUBS SEC(".maps");

/* Mmapable so user space can scan and print the whole learned directory without a syscall per
 * entry. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, FS_MAX_FEEDS * FS_LOCATES_PER_FEED);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, struct fs_locate);
} FS_MAP_LOCATES SEC(".maps");

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

#endif /* FEEDSIEVE_MAPS_BPF_H */
