/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The programs under measurement and the map state they run against: BX_INSTANCES copies of
 * feedsieve_xdp loaded from its skeleton (private maps, nothing pinned, no interface), so every
 * number of subscribed symbols has its own maps and all of them run side by side; the floors and
 * the path-first wrappers (bench/floors.bpf.c). Each instance gets one group, a learned directory
 * and its subscriptions, written straight into its maps as tests/bpf/xdp_harness.c does.
 *
 * Directory of every instance (the group is feed 0):
 *   subscription slot s < BX_SUBS_PER_FEED  feed 0, locate 1 + s, symbol "S<s>"
 *   subscription slot s >= BX_SUBS_PER_FEED feed 1, locate 1 + s - BX_SUBS_PER_FEED
 *   BX_OTHERS learned, unsubscribed         feed 0, locates BX_OTHER_BASE.., symbol "U<j>"
 * FS_MAX_SUBS (65 536) symbols cannot all be learned in feed 0 and still leave it unsubscribed
 * locates, so half of them are learned in a second feed, as a symbol listed on two markets is.
 *
 * An MDP3 fixture (bx_open with FS_PROTO_MDP3) has one MDP3 group (feed 0) instead, and
 * SecurityIDs instead of locates, in id-keyed slots (FS_LOCATE_SLOTS + n) named by fs_inst_index:
 *   subscription slot s   id BX_SUB_ID_BASE + s, in fs_ids (bank 0), its slot marked s + 1, as
 *                         the commit writes an id subscribed before its definition was seen
 *   BX_OTHERS unsubscribed id BX_OTHER_ID_BASE + j, symbol "U<j>", as the program writes a
 *                         definition it learned on a definitions group
 * The unsubscribed ones are indexed first, so every instance gives them the same slots. That is
 * also the dearer order: a hash chain of fs_inst_index holds its newest entry first, so the
 * subscribed ids indexed later sit in front of the unsubscribed ones the frames name, and with
 * 65 536 of them in its 131 072 buckets about half the lookups step over one more entry (64-key
 * packets: 65 536 ids / 1 at about 1.07-1.12; indexing the unsubscribed ones last, 0.92-1.01).
 *
 * An NYSE fixture (FS_PROTO_NYSE_XDP) has one NYSE group, and SymbolIndexes in id-keyed slots as
 * the program writes them when a Symbol Index Mapping passes (any NYSE group learns them):
 *   subscription slot s   SymbolIndex BX_SUB_ID_BASE + s, symbol "S<s>" subscribed by name in
 *                         fs_subs, its slot marked s + 1 as the commit re-marks a learned name
 *   BX_OTHERS unsubscribed SymbolIndex BX_OTHER_ID_BASE + j, symbol "U<j>", indexed first as
 *                         MDP3's are
 * A PITCH fixture (FS_PROTO_PITCH) has one PITCH group (its channel binds the first unit it sees)
 * and no directory: symbols are inline, 6 characters ("S" or "U" and 5 digits), subscribed by
 * name in fs_subs; fs_orders fills as matched Add Orders pass (bx_clear_orders() empties it).
 */
#ifndef FEEDSIEVE_BENCH_FIXTURE_H
#define FEEDSIEVE_BENCH_FIXTURE_H

#include <stddef.h>

#include "feedsieve/maps.h"
#include "slots.h"

#define BX_SUBS_PER_FEED 32768
#define BX_OTHER_BASE	 40000
/* Unsubscribed symbols the messages of a frame are drawn from: the order of Nasdaq's directory
 * (about 11 000 instruments). */
#define BX_OTHERS 8192
#define BX_SUB_ID_BASE	 100000
#define BX_OTHER_ID_BASE 900000

struct bx_instance {
	struct feedsieve_bpf *skel;
	int subs_fd, stats_fd;
	int ids_fd, index_fd, bank_fd; /* MDP3: fs_ids_0, fs_inst_index, fs_bank */
	int orders_fd;		       /* PITCH: fs_orders */
	__u32 inst_next;	       /* MDP3: id-keyed slots handed out */
	struct fs_instrument *instruments; /* fs_instruments, mmapped */
	size_t instruments_len;
	struct fs_channel_window *window; /* fs_windows[0], the group's channel, mmapped */
	size_t window_len;
	__u32 subscribed; /* fs_subs holds slots [0, subscribed) */
};

struct bx {
	__u8 proto; /* enum fs_proto of the group every instance has */
	struct bx_instance inst[BX_INSTANCES];
	struct floors_bpf *floors;
	int prog_fd[BX_PROGS];	    /* by slot (slots.h) */
	int first_fd[BX_PROGS];	    /* the same behind the wrapper that makes every run new */
	struct fs_counters *percpu; /* one fs_stats value per possible CPU */
	int ncpus;
};

/* A map as the kernel loaded it. */
struct bx_map_size {
	__u32 max_entries, key_size, value_size;
	long long memlock; /* bytes charged for it (fdinfo), -1: unknown */
};

/* Load everything for frames of PROTO; on failure, -errno and the reason in ERR. */
int bx_open(struct bx *x, __u8 proto, char *err, size_t errlen);
void bx_close(struct bx *x);

/* Give instance I subscription slots [0, N), with their learned locates (MDP3: their id-keyed
 * slots) marked. */
int bx_subscribe(struct bx *x, int i, __u32 n);
/* Forget every sequence number instance I's channel has seen (between runs only). */
void bx_reset_window(struct bx *x, int i);
/* Empty instance I's fs_orders (between runs only); returns the entries removed or -errno. */
long bx_clear_orders(struct bx *x, int i);
/* Put N orders of CHANNEL, Order IDs 1..N, into instance I's fs_orders, as the program writes
 * them (between runs only). */
int bx_fill_orders(struct bx *x, int i, __u8 channel, __u32 n);
/* Instance I's fs_orders. */
int bx_orders_size(struct bx *x, int i, struct bx_map_size *out);
/* fs_stats of instance I, summed over the CPUs. */
int bx_counters(struct bx *x, int i, struct fs_counters *sum);

/* Locate of subscription SLOT, in feed SLOT / BX_SUBS_PER_FEED. */
__u16 bx_sub_locate(__u32 slot);
/* Locate (feed 0) of unsubscribed symbol J < BX_OTHERS. */
__u16 bx_other_locate(__u32 j);
/* Their symbols, as the directory learned them (PROTO's width: 6 characters for PITCH, else 8). */
void bx_sub_symbol(__u8 proto, __u32 slot, char out[FS_SYMBOL_LEN + 1]);
void bx_other_symbol(__u8 proto, __u32 j, char out[FS_SYMBOL_LEN + 1]);
/* SecurityIDs (MDP3) or SymbolIndexes (NYSE) of subscription SLOT and of unsubscribed
 * instrument J < BX_OTHERS. */
__s32 bx_sub_id(__u32 slot);
__s32 bx_other_id(__u32 j);

#endif /* FEEDSIEVE_BENCH_FIXTURE_H */
