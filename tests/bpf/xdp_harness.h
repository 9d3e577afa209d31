/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A private copy of the feedsieve XDP program loaded from its skeleton (maps not pinned), the
 * user-space side of its map protocol written out again (groups, subscriptions, directory), and
 * BPF_PROG_TEST_RUN with the XDP metadata read back. Nothing here calls libfeedsieve.
 */
#ifndef FEEDSIEVE_TESTS_XDP_HARNESS_H
#define FEEDSIEVE_TESTS_XDP_HARNESS_H

#include <stdbool.h>
#include <stddef.h>

#include "feedsieve/maps.h"

struct feedsieve_bpf;

struct fsx {
	struct feedsieve_bpf *skel;
	int prog_fd;
	int groups_fd[FS_BANKS], subs_fd[FS_BANKS]; /* fs_groups_0/1, fs_subs_0/1 */
	int ids_fd[FS_BANKS];			    /* fs_ids_0/1 */
	int locates_fd, stats_fd, gstats_fd, sym_fd, xsks_fd, channels_fd, inst_index_fd;
	int orders_fd; /* fs_orders */
	int servers_fd, req_ports_fd; /* fs_servers, fs_req_ports */
	struct fs_instrument *instruments; /* fs_instruments, mmapped: all FS_INSTRUMENT_SLOTS */
	size_t instruments_len;
	struct fs_channel_window *windows; /* fs_windows, mmapped, FS_MAX_CHANNELS entries */
	size_t windows_len;
	struct fs_chan_events *chan_events; /* fs_chan_events, mmapped, FS_MAX_CHANNELS entries */
	size_t chan_events_len;
	struct fs_bank_state *bank_state; /* fs_bank, mmapped */
	__u32 bank;               /* the bank fsx_add_group() and fsx_subscribe() write (default 0) */
	int ncpus;
	void *batch_keys, *batch_vals; /* scratch for whole-map reads and resets */
};

/*
 * Load the program. On failure returns -errno and leaves in ERR the reason and the last lines of
 * libbpf's output, which carry the verifier log.
 */
int fsx_load(struct fsx *x, char *err, size_t errlen);
/* The same with fs_orders holding MAX_ORDERS entries instead of FS_MAX_ORDERS (0: the
 * default), so that tests can fill it: the program's code does not depend on its size. */
int fsx_load_orders(struct fsx *x, __u32 max_orders, char *err, size_t errlen);
void fsx_close(struct fsx *x);

/* Empty every map: groups, channels and their windows, subscriptions, directory, sockets, and all
 * counters. */
int fsx_reset(struct fsx *x);

/* User space's side of the protocol, as libfeedsieve does it. A group's channel is named in
 * fs_channels when it has no name yet (its window is left as it is: empty after a reset). */
int fsx_add_group(struct fsx *x, __u32 addr_host, __u16 port_host, const struct fs_group *g);
/* fs_subs[SYM] = SLOT, then mark every learned locate showing SYM (in every feed), and every
 * id-keyed instrument known as SYM and not subscribed by id, as SLOT + 1. Writes bank x->bank
 * only. */
int fsx_subscribe(struct fsx *x, const char *sym, __u32 slot);
/* fs_ids[ID] = SLOT, then mark every id-keyed instrument ID of PROTO (any feed) as SLOT + 1, and
 * index one for FEED (unnamed) when there is none yet, as user space does for an id subscribed
 * before its definition was seen. Writes bank x->bank only (the marks of the new entry: both). */
int fsx_subscribe_id(struct fsx *x, __u8 proto, __u8 feed, __u32 id, __u32 slot);
/* Entries in fs_inst_index. */
size_t fsx_index_entries(struct fsx *x);
/* The slot of id-keyed instrument {PROTO, FEED, ID}, or -ENOENT. */
int fsx_id_slot(struct fsx *x, __u8 proto, __u8 feed, __u32 id, __u32 *slot);
/* An id-keyed entry as the program writes it when a definition passes (before any subscription:
 * unmarked), indexed. */
int fsx_define(struct fsx *x, __u8 proto, __u8 feed, __u32 id, const char *sym);
/* A directory entry as the program writes it when a Stock Directory passes (not subscribed). */
int fsx_learn(struct fsx *x, __u8 feed, __u16 locate, const char *sym);
int fsx_set_xsk(struct fsx *x, __u32 queue, int xsk_fd);
/* fs_subs[SYM] deleted from bank x->bank and the marks showing it cleared, as user space does. */
int fsx_unsubscribe(struct fsx *x, const char *sym);
/* fs_orders[{ID, CHANNEL}] = {SYM, REMAINING, GEN}, as the program writes it. */
int fsx_order_put(struct fsx *x, __u64 id, __u8 channel, const char *sym, __u32 remaining,
		  __u16 gen);
/* Fill fs_orders with entries of CHANNEL (ids from 1) until it takes no more; returns how many
 * were added, or -errno. */
int fsx_orders_fill(struct fsx *x, __u8 channel);
/* fs_servers[SERVER] = the key of group GROUP (addresses and ports in host order), as user space
 * writes it at commit. */
int fsx_add_server(struct fsx *x, __u32 srv_addr, __u16 srv_port, __u32 group_addr,
		   __u16 group_port);
/* fs_req_ports[PORT] = {QUEUE, pid}, as a consumer registers its request port. */
int fsx_add_req_port(struct fsx *x, __u16 port_host, __u32 queue);
/* Make BANK the one the program reads (fs_bank.commits & 1), as a configuration commit does. */
int fsx_set_active_bank(struct fsx *x, __u32 bank);

/* "AAPL" -> "AAPL    " as ITCH carries it. */
void fsx_symbol(struct fs_symbol *out, const char *sym);

/* What one BPF_PROG_TEST_RUN returned. */
struct fsx_result {
	__u32 retval;
	__u32 meta_len;		 /* bytes of XDP metadata in front of the frame */
	struct fs_xdp_meta meta; /* valid when meta_len == sizeof(meta) */
	bool frame_intact;	 /* the frame after the metadata equals the input */
	__u32 linear_len;	 /* bytes of the frame the program could read */
	__u64 t_before, t_after; /* CLOCK_MONOTONIC around the run */
};

int fsx_run(struct fsx *x, const void *frame, __u32 len, struct fsx_result *r);

/* CLOCK_MONOTONIC in nanoseconds, the clock of bpf_ktime_get_ns(). */
__u64 fsx_now_ns(void);
__u64 fsx_now_coarse_ns(void);

/* Counters summed over CPUs. */
int fsx_global_counters(struct fsx *x, struct fs_counters *out);
/* All of fs_group_stats summed over CPUs, FS_MAX_GROUPS entries into OUT (indexed by group id). */
int fsx_group_counters(struct fsx *x, struct fs_counters *out);
/* All of fs_sym_stats summed over CPUs, FS_MAX_SUBS entries into OUT. */
int fsx_sym_counters(struct fsx *x, struct fs_sym_counters *out);

/* An AF_XDP socket on lo queue 0 in copy mode, in a private network namespace. */
struct fsx_xsk;
int fsx_xsk_open(struct fsx_xsk **out, char *err, size_t errlen);
/* fs_xsks[queue of S] = S, through libxdp's xsk_socket__update_xskmap(). */
int fsx_xsk_install(const struct fsx_xsk *s, struct fsx *x);
int fsx_xsk_fd(const struct fsx_xsk *s);
void fsx_xsk_close(struct fsx_xsk *s);

#endif /* FEEDSIEVE_TESTS_XDP_HARNESS_H */
