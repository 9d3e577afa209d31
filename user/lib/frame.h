/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The bottom of the data path (frame decode and message iteration: frame.c, generic, and one
 * decoder per protocol behind proto.h). It knows the group table a frame without metadata is
 * judged by, and nothing of who delivered the frame: the sequencer and the consumer sit above
 * it. Internal.
 */
#ifndef FEEDSIEVE_FRAME_H
#define FEEDSIEVE_FRAME_H

#include "internal.h"

struct group_slot {
	struct fs_group_key key;
	struct fs_group value;
	bool valid;
};

struct fsi_id_cache;
struct fsi_orders;

/* What user space decides with when the driver kept no metadata (or the program stopped
 * walking): the interface's groups (by group id) and its instrument directory. */
struct fsi_group_table {
	struct fs_iface *iface;
	struct fsi_id_cache *ids; /* id -> fs_instruments slot, may be NULL (inst_lookup.c) */
	struct fsi_orders *orders; /* PITCH orders handed over, may be NULL (orders.c) */
	struct group_slot groups[FS_MAX_GROUPS];
	__u64 fills; /* times __fill() ran: readers of groups[] know when to look again */
};

/* T decides for IFACE: its id cache and order map are created when missing. 0 or -ENOMEM. */
int fsi_group_table__prepare(struct fsi_group_table *t, struct fs_iface *iface);
/* Free what __prepare() created. */
void fsi_group_table__release(struct fsi_group_table *t);
/* T holds the N groups of INFOS (as fs_group__list() gives them), and no other. */
void fsi_group_table__fill(struct fsi_group_table *t, const struct fs_group_info *infos, size_t n);
/* The entry of F's group, or NULL when T does not know it (yet). */
const struct group_slot *fsi_group_table__find(const struct fsi_group_table *t,
					      const struct fs_frame *f);

/*
 * Id-keyed instruments (inst_lookup.c): fs_inst_index finds an id's fs_instruments slot, and a
 * slot, once given, never changes, so the consumer remembers the slots it found (a cache of
 * fixed size, per consumer: one thread) and reads the entry itself from the mmapped table.
 */
int fsi_id_cache__create(struct fsi_id_cache **out);
void fsi_id_cache__destroy(struct fsi_id_cache *c);
/* The live entry of instrument ID of (PROTO, FEED) in T's interface: true and *SUBSCRIBED (in
 * the live bank) and *SYM (*SYM_KNOWN false when no definition was seen), or false when the
 * directory has no such id (never subscribed, never defined). -errno of the index lookup other
 * than -ENOENT: false with *ERR set (ERR may be NULL). */
bool fsi_inst__lookup_id(const struct fsi_group_table *t, __u8 proto, __u8 feed, __u32 id,
			 bool *subscribed, struct fs_symbol *sym, bool *sym_known, int *err);

/* MSG was handed over to the application, once and in sequence order: its protocol learns from
 * it (proto.h, fsi_proto_ops.handed). Called by the sequencer. */
void fsi_msg__handed(const struct fs_msg *msg);

/* Is name SYM subscribed in the live bank of T's interface? A failed lookup other than
 * -ENOENT answers true (hand over rather than lose). A syscall: only for what the program did
 * not decide. */
bool fsi_name__subscribed(const struct fsi_group_table *t, const struct fs_symbol *sym);

#endif /* FEEDSIEVE_FRAME_H */
