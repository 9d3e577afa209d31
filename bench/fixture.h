/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The programs under measurement and the map state they run against: feedsieve_xdp loaded from
 * its skeleton (private maps, nothing pinned, no interface), the two floors, one group, a learned
 * directory and a chosen number of subscriptions, written straight into the maps the way
 * tests/bpf/xdp_harness.c does.
 *
 * Directory layout (the group is feed 0):
 *   subscription slot s < BX_SUBS_PER_FEED  feed 0, locate 1 + s, symbol "S<s>"
 *   subscription slot s >= BX_SUBS_PER_FEED feed 1, locate 1 + s - BX_SUBS_PER_FEED
 *   BX_OTHERS learned, unsubscribed         feed 0, locates BX_OTHER_BASE.., symbol "U<j>"
 * FS_MAX_SUBS (65 536) symbols cannot all be learned in feed 0 and still leave it unsubscribed
 * locates, so half of them are learned in a second feed, as a symbol listed on two markets is.
 */
#ifndef FEEDSIEVE_BENCH_FIXTURE_H
#define FEEDSIEVE_BENCH_FIXTURE_H

#include <stddef.h>

#include "feedsieve/maps.h"

#define BX_SUBS_PER_FEED 32768
#define BX_OTHER_BASE	 40000
/* Unsubscribed symbols the messages of a frame are drawn from: the order of Nasdaq's directory
 * (about 11 000 instruments) and more than the L1 cache holds (8192 entries x 24 bytes). */
#define BX_OTHERS 8192

enum bx_prog {
	BX_REAL,  /* feedsieve_xdp */
	BX_EMPTY, /* floors: xdp_empty */
	BX_PARSE, /* floors: xdp_parse */
	BX_PROGS,
};

struct bx {
	struct feedsieve_bpf *skel;
	struct floors_bpf *floors;
	int prog_fd[BX_PROGS];
	int subs_fd, stats_fd;
	struct fs_locate *locates; /* fs_locates, mmapped */
	size_t locates_len;
	struct fs_counters *percpu; /* one fs_stats value per possible CPU */
	int ncpus;
	__u32 subscribed; /* fs_subs holds slots [0, subscribed) */
};

/* Load both objects and set up the group and the unsubscribed directory; on failure, -errno
 * and the reason in ERR. */
int bx_open(struct bx *x, char *err, size_t errlen);
void bx_close(struct bx *x);

/* Make fs_subs hold exactly slots [0, N), with their learned locates marked. */
int bx_subscribe(struct bx *x, __u32 n);

/* Locate of subscription SLOT, in feed SLOT / BX_SUBS_PER_FEED. */
__u16 bx_sub_locate(__u32 slot);
/* Locate (feed 0) of unsubscribed symbol J < BX_OTHERS. */
__u16 bx_other_locate(__u32 j);
/* Their symbols, as the directory learned them. */
void bx_sub_symbol(__u32 slot, char out[FS_SYMBOL_LEN + 1]);
void bx_other_symbol(__u32 j, char out[FS_SYMBOL_LEN + 1]);

/* fs_stats summed over the CPUs. */
int bx_counters(struct bx *x, struct fs_counters *sum);

#endif /* FEEDSIEVE_BENCH_FIXTURE_H */
