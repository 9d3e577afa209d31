/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The bottom of the data path (frame decode and message iteration, frame.c). It knows the group
 * table a frame without metadata is judged by, and nothing of who delivered the frame: the
 * sequencer and the consumer sit above it. Internal.
 */
#ifndef FEEDSIEVE_FRAME_H
#define FEEDSIEVE_FRAME_H

#include "internal.h"

struct group_slot {
	struct fs_group_key key;
	struct fs_group value;
	bool valid;
};

/* What user space decides with when the driver kept no metadata: the interface's groups (by
 * group id) and its learned directory. */
struct fsi_group_table {
	struct fs_iface *iface;
	struct group_slot groups[FS_MAX_GROUPS];
};

/* T holds the N groups of INFOS (as fs_group__list() gives them), and no other. */
void fsi_group_table__fill(struct fsi_group_table *t, const struct fs_group_info *infos, size_t n);
/* The entry of F's group, or NULL when T does not know it (yet). */
const struct group_slot *fsi_group_table__find(const struct fsi_group_table *t,
					      const struct fs_frame *f);

#endif /* FEEDSIEVE_FRAME_H */
