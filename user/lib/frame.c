// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Decoding a delivered frame and iterating its messages, the generic part: the Ethernet, IPv4
 * and UDP headers (parsed with the code the XDP program runs, feedsieve/parse.h), the metadata,
 * which protocol the frame carries, and the dispatch to that protocol's decoder (proto.h). The
 * program's per-key decisions come from the metadata; user space decides only what the program
 * could not (keys past the walk bound, or a driver without a metadata area).
 */
#include <errno.h>
#include <string.h>

#include "feedsieve/parse.h"
#include "orders.h"
#include "proto.h"

const struct fsi_proto_ops *fsi_proto_ops(enum fs_proto proto)
{
	switch (proto) {
	case FS_PROTO_MOLD_ITCH:
		return &fsi_proto_itch;
	case FS_PROTO_MDP3:
		return &fsi_proto_mdp3;
	case FS_PROTO_NYSE_XDP:
		return &fsi_proto_nyse;
	case FS_PROTO_PITCH:
		return &fsi_proto_pitch;
	default:
		return NULL;
	}
}

int fsi_group_table__prepare(struct fsi_group_table *t, struct fs_iface *iface)
{
	int err = 0;

	t->iface = iface;
	if (!t->ids)
		err = fsi_id_cache__create(&t->ids);
	if (!err && !t->orders)
		err = fsi_orders__create(&t->orders);
	return err;
}

void fsi_group_table__release(struct fsi_group_table *t)
{
	fsi_id_cache__destroy(t->ids);
	fsi_orders__destroy(t->orders);
	t->ids = NULL;
	t->orders = NULL;
}

void fsi_group_table__fill(struct fsi_group_table *t, const struct fs_group_info *infos, size_t n)
{
	size_t i;

	memset(t->groups, 0, sizeof(t->groups));
	t->fills++;
	for (i = 0; i < n; i++) {
		struct group_slot *g = &t->groups[infos[i].value.id];

		g->key = infos[i].key;
		g->value = infos[i].value;
		g->valid = true;
	}
}

const struct group_slot *fsi_group_table__find(const struct fsi_group_table *t,
					      const struct fs_frame *f)
{
	int id;

	if (f->meta_) {
		const struct group_slot *g = &t->groups[f->meta_->group_id];

		if (g->valid && !memcmp(&g->key, &f->group, sizeof(g->key)))
			return g;
		return NULL;
	}
	for (id = 0; id < FS_MAX_GROUPS; id++)
		if (t->groups[id].valid && !memcmp(&t->groups[id].key, &f->group, sizeof(f->group)))
			return &t->groups[id];
	return NULL;
}

enum fsi_want fsi_frame__program_wants(const struct fs_frame *f, __u32 key)
{
	const struct fs_xdp_meta *m = f->meta_;

	if (m && key < m->msgs_walked)
		return (m->match_bits[key / 64] & (1ULL << (key % 64))) ? FSI_WANT_YES
									: FSI_WANT_NO;
	if (f->meta_flags & FS_META_F_ALL_SYMBOLS)
		return FSI_WANT_YES;
	return FSI_WANT_UNDECIDED;
}

bool fsi_frame__all_symbols(const struct fs_frame *f)
{
	const struct group_slot *g;

	if (f->meta_flags & FS_META_F_ALL_SYMBOLS)
		return true;
	if (!f->groups_)
		return false;
	g = fsi_group_table__find(f->groups_, f);
	return g && (g->value.flags & FS_GROUP_F_ALL_SYMBOLS);
}

enum fsi_want fsi_frame__wants(const struct fs_frame *f, __u32 key)
{
	enum fsi_want w = fsi_frame__program_wants(f, key);

	if (w != FSI_WANT_UNDECIDED)
		return w;
	return fsi_frame__user_decides(f);
}

enum fsi_want fsi_frame__user_decides(const struct fs_frame *f)
{
	if (fsi_frame__all_symbols(f) || !f->groups_ || !f->groups_->iface || !f->feed_known)
		return FSI_WANT_YES; /* everything, or nothing to decide with: hand it over */
	return FSI_WANT_UNDECIDED;
}

/* Without metadata, the group table says what the program would have: protocol, feed, channel
 * and line of the frame's group. */
static void from_group_table(struct fs_frame *f)
{
	const struct group_slot *g = f->groups_ ? fsi_group_table__find(f->groups_, f) : NULL;

	if (!g)
		return;
	if (g->value.proto != FS_PROTO_NONE)
		f->proto = g->value.proto;
	f->feed = g->value.feed;
	f->feed_known = g->value.feed < FS_MAX_FEEDS;
	f->channel = g->value.channel;
	f->line = g->value.line;
}

/* Without metadata, the channel of a unit as the program chooses it: a group that names its units
 * puts unit u on channel + (u - unit_first); one that does not has one channel. */
static void unit_channel(struct fs_frame *f)
{
	const struct group_slot *g = f->groups_ ? fsi_group_table__find(f->groups_, f) : NULL;
	__u8 rel;

	if (!g || !g->value.unit_count)
		return;
	rel = (__u8)(f->unit - g->value.unit_first);
	if (rel < g->value.unit_count)
		f->channel = (__u8)(g->value.channel + rel);
}

/* A re-request response comes to the consumer's request port, not to its group: its group is the
 * one the metadata names, when the table has that group naming the server it came from. */
static void response_group(struct fs_frame *f, const struct fs_pkt *pkt)
{
	const struct group_slot *g;

	if (!f->groups_ || !f->meta_)
		return;
	g = &f->groups_->groups[f->meta_->group_id];
	if (g->valid && g->value.retrans_addr == pkt->src.addr &&
	    g->value.retrans_port == pkt->src.port)
		f->group = g->key;
}

int fs_frame__decode(struct fs_frame *f, const __u8 *data, __u32 len,
		     const struct fs_xdp_meta *meta)
{
	const struct fsi_group_table *groups = f->groups_;
	enum fs_proto proto = f->proto;
	const struct fsi_proto_ops *ops;
	enum fs_pkt_kind kind;
	struct fs_pkt pkt = {0};

	memset(f, 0, sizeof(*f));
	f->groups_ = groups;
	f->data = data;
	f->len = len;
	kind = fs_parse_frame((void *)data, (void *)(data + len), &pkt);
	if (kind != FS_PKT_UDP && kind != FS_PKT_UDP_BAD_LENGTH)
		return -EINVAL;
	f->group = pkt.key;
	f->proto = proto;
	if (meta && meta->magic == FS_META_MAGIC) {
		f->has_meta = true;
		f->meta_ = meta;
		f->meta_flags = meta->flags;
		f->rx_ts_ns = meta->rx_ts_ns;
		f->rx_ts_hw = meta->flags & FS_META_F_HW_TS;
		f->feed = meta->feed;
		f->feed_known = meta->feed < FS_MAX_FEEDS;
		f->channel = meta->channel;
		f->line = meta->line;
		if (meta->proto != FS_PROTO_NONE)
			f->proto = meta->proto;
		f->retransmitted = meta->flags & FS_META_F_RETRANSMITTED;
		if (f->retransmitted)
			response_group(f, &pkt);
	} else {
		from_group_table(f);
	}
	if (f->proto == FS_PROTO_NONE)
		f->proto = FS_PROTO_MOLD_ITCH; /* what frames were before there was a choice */
	ops = fsi_proto_ops(f->proto);
	if (kind == FS_PKT_UDP_BAD_LENGTH || !ops) {
		f->malformed = true;
		return 0;
	}
	f->payload_off_ = pkt.payload_off;
	f->payload_end_ = pkt.payload_end;
	ops->decode(f);
	if (f->meta_flags & FS_META_F_MALFORMED)
		f->malformed = true;
	/* A snapshot group's line (from the metadata, or the group table without it): a snapshot
	 * loop repeats the channel's state, never its sequence. */
	if (f->line == FS_LINE_SNAPSHOT && !f->malformed) {
		f->kind = FS_FRAME_OUT_OF_BAND;
		f->out_of_band = FS_OOB_SNAPSHOT;
		f->seq_count = 0;
	}
	if ((f->meta_flags & FS_META_F_OUT_OF_BAND) && !f->malformed &&
	    f->kind != FS_FRAME_OUT_OF_BAND) {
		/* The program's word: never in the live sequence. */
		f->kind = FS_FRAME_OUT_OF_BAND;
		f->seq_count = 0;
	}
	if (!f->has_meta && f->has_unit)
		unit_channel(f);
	return 0;
}

void fs_msg_iter__init(struct fs_msg_iter *it, const struct fs_frame *frame)
{
	it->frame = frame;
	it->off = frame->payload_off_;
	it->index = 0;
	it->key = 0;
}

bool fs_msg_iter__next(struct fs_msg_iter *it, struct fs_msg *msg)
{
	const struct fs_frame *f = it->frame;
	const struct fsi_proto_ops *ops = fsi_proto_ops(f->proto);

	if (f->malformed || (f->kind != FS_FRAME_DATA && f->kind != FS_FRAME_OUT_OF_BAND) || !ops)
		return false;
	return ops->next(it, msg);
}

void fsi_msg__handed(const struct fs_msg *msg)
{
	const struct fsi_proto_ops *ops = msg->frame_ ? fsi_proto_ops(msg->frame_->proto) : NULL;

	if (ops && ops->handed)
		ops->handed(msg);
}

void fs_entry_iter__init(struct fs_entry_iter *it, const struct fs_msg *msg)
{
	it->msg = msg;
	it->index = 0;
}

bool fs_entry_iter__next(struct fs_entry_iter *it, struct fs_entry *entry)
{
	const struct fs_frame *f = it->msg->frame_;
	const struct fsi_proto_ops *ops = f ? fsi_proto_ops(f->proto) : NULL;

	return ops && ops->next_entry && ops->next_entry(it, entry);
}
