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
#include "orders.h"
#include "xdp_harness.h"

struct fz_lib {
	struct fs_iface *iface;
	/* No id cache: the harness empties the maps between programs, and a cached slot would
	 * outlive them. */
	struct fsi_group_table groups; /* .orders: the consumer's PITCH order map */
};

/* The reference's frame kinds are libfeedsieve's public values. */
#define SAME_(a, b) ((int)(a) == (int)(b))
_Static_assert(SAME_(REF_FRAME_DATA, FS_FRAME_DATA) &&
		   SAME_(REF_FRAME_HEARTBEAT, FS_FRAME_HEARTBEAT) &&
		   SAME_(REF_FRAME_END_OF_SESSION, FS_FRAME_END_OF_SESSION) &&
		   SAME_(REF_FRAME_OUT_OF_BAND, FS_FRAME_OUT_OF_BAND),
	       "fs_frame_kind");
_Static_assert(SAME_(REF_OOB_NONE, FS_OOB_NONE) && SAME_(REF_OOB_UNSEQUENCED, FS_OOB_UNSEQUENCED) &&
		   SAME_(REF_OOB_RETRANSMITTED, FS_OOB_RETRANSMITTED) &&
		   SAME_(REF_OOB_REFRESH, FS_OOB_REFRESH) &&
		   SAME_(REF_OOB_UNAVAILABLE, FS_OOB_UNAVAILABLE),
	       "fs_out_of_band");
#undef SAME_

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
	fsi_orders__destroy(l->groups.orders);
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
	/* A new program, a consumer that has been handed nothing yet. */
	fsi_orders__destroy(l->groups.orders);
	return fsi_orders__create(&l->groups.orders);
}

int fz_lib_collect(struct fz_lib *l, const __u8 *frame, size_t len,
		   const struct fs_xdp_meta *meta, bool hand, struct ref_app *out)
{
	struct fs_frame f = {.groups_ = &l->groups};
	struct fs_msg_iter it;
	struct fs_msg msg;
	int err;

	memset(out, 0, offsetof(struct ref_app, msgs));
	err = fs_frame__decode(&f, frame, (__u32)len, meta);
	if (err)
		return err;
	out->malformed = f.malformed;
	out->kind = (__u8)f.kind;
	out->out_of_band = f.out_of_band;
	out->has_unit = f.has_unit;
	out->unit = f.unit;
	fs_msg_iter__init(&it, &f);
	while (fs_msg_iter__next(&it, &msg)) {
		struct ref_app_msg *m = &out->msgs[out->n_msgs];
		struct fs_entry_iter ei;
		struct fs_entry e;

		if (out->n_msgs == REF_APP_MSGS) {
			out->overfull = true;
			return 0;
		}
		*m = (struct ref_app_msg){.off = (size_t)(msg.body - frame),
					  .len = (__u16)msg.len,
					  .tid = msg.type,
					  .first = out->n_entries,
					  .seq = msg.seq,
					  .has_key = msg.has_key,
					  .key = msg.key,
					  .has_order_id = msg.has_order_id,
					  .order_id = msg.order_id,
					  .symbol_known = msg.symbol_known,
					  .order_unknown = msg.order_unknown};
		if (msg.symbol_known)
			m->symbol = msg.symbol;
		out->n_msgs++;
		/* as the sequencer, once a message is handed over */
		if (hand)
			fsi_msg__handed(&msg);
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
