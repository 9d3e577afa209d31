// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* libfeedsieve's decoder over the harness's maps; see lib_check.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "feedsieve.h"
#include "feedsieve.skel.h"
#include "frame.h"
#include "lib_check.h"
#include "xdp_harness.h"

struct fz_lib {
	struct fs_iface *iface;
	/* No id cache: the harness empties the maps between programs, and a cached slot would
	 * outlive them. */
	struct fsi_group_table groups;
};

int fz_lib_open(struct fz_lib **out, struct fsx *x)
{
	struct fz_lib *l = calloc(1, sizeof(*l));
	int fds[FS_M_COUNT], i, err;

	*out = NULL;
	if (!l)
		return -ENOMEM;
	for (i = 0; i < FS_M_COUNT; i++) {
		struct bpf_map *m = bpf_object__find_map_by_name(x->skel->obj, fsi_maps[i].name);

		if (!m) {
			free(l);
			return -ENOENT;
		}
		fds[i] = bpf_map__fd(m);
	}
	err = fsi_iface__open_private("fuzz", fds, &l->iface);
	if (err) {
		free(l);
		return err;
	}
	l->groups.iface = l->iface;
	*out = l;
	return 0;
}

void fz_lib_close(struct fz_lib *l)
{
	if (!l)
		return;
	fs_iface__close(l->iface);
	free(l);
}

int fz_lib_sync(struct fz_lib *l)
{
	struct fs_group_info infos[FS_MAX_GROUPS];
	int n = fs_group__list(l->iface, infos, FS_MAX_GROUPS);

	if (n < 0)
		return n;
	fsi_group_table__fill(&l->groups, infos, (size_t)n);
	return 0;
}

int fz_lib_collect(struct fz_lib *l, const __u8 *frame, size_t len,
		   const struct fs_xdp_meta *meta, struct ref_app *out)
{
	struct fs_frame f = {.groups_ = &l->groups};
	struct fs_msg_iter it;
	struct fs_msg msg;
	int err;

	out->malformed = out->overfull = false;
	out->n_msgs = out->n_entries = 0;
	err = fs_frame__decode(&f, frame, (__u32)len, meta);
	if (err)
		return err;
	out->malformed = f.malformed;
	fs_msg_iter__init(&it, &f);
	while (fs_msg_iter__next(&it, &msg)) {
		struct ref_app_msg *m = &out->msgs[out->n_msgs];
		struct fs_entry_iter ei;
		struct fs_entry e;

		if (out->n_msgs == REF_APP_MSGS) {
			out->overfull = true;
			return 0;
		}
		*m = (struct ref_app_msg){.off = (size_t)(msg.body - frame), .len = (__u16)msg.len,
					  .tid = msg.type, .first = out->n_entries};
		out->n_msgs++;
		fs_entry_iter__init(&ei, &msg);
		while (fs_entry_iter__next(&ei, &e)) {
			if (out->n_entries == REF_APP_KEYS) {
				out->overfull = true;
				return 0;
			}
			struct ref_app_entry *ent = &out->entries[out->n_entries++];

			*ent = (struct ref_app_entry){.index = e.index,
						      .id = e.security_id,
						      .has_rpt_seq = e.has_rpt_seq,
						      .rpt_seq = e.has_rpt_seq ? e.rpt_seq : 0,
						      .symbol_known = e.symbol_known};
			if (e.symbol_known)
				ent->symbol = e.symbol;
			m->n++;
		}
	}
	return 0;
}
