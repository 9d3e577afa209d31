// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Decoding a delivered frame and iterating its subscribed messages. Headers are parsed with the
 * same code the XDP program runs (feedsieve/parse.h); the program's per-message decisions come
 * from the metadata, and user space decides only what the program could not (blocks past the walk
 * bound, or a driver without a metadata area).
 */
#include <errno.h>
#include <string.h>

#include "feedsieve/parse.h"
#include "feedsieve/symbol.h"
#include "frame.h"

/* Every block must fit the payload and hold type and locate; the blocks must fill it exactly.
 * Checked in user space too, so nothing is read on the word of the metadata alone. */
static bool blocks_well_formed(const __u8 *data, __u32 off, __u32 end, __u16 count)
{
	__u32 i;

	if (count == MOLD_COUNT_HEARTBEAT || count == MOLD_COUNT_END_OF_SESSION)
		return off == end;
	for (i = 0; i < count; i++) {
		__u32 blen;

		if (off + MOLD_BLOCK_HDR > end)
			return false;
		blen = fs_be16(data + off);
		if (blen < ITCH_MIN_READ_LEN || off + MOLD_BLOCK_HDR + blen > end)
			return false;
		if (data[off + MOLD_BLOCK_HDR] == ITCH_STOCK_DIRECTORY &&
		    blen < ITCH_R_OFF_STOCK + ITCH_SYMBOL_LEN)
			return false;
		off += MOLD_BLOCK_HDR + blen;
	}
	return off == end;
}

void fsi_group_table__fill(struct fsi_group_table *t, const struct fs_group_info *infos, size_t n)
{
	size_t i;

	memset(t->groups, 0, sizeof(t->groups));
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

int fs_frame__decode(struct fs_frame *f, const __u8 *data, __u32 len,
		     const struct fs_xdp_meta *meta)
{
	const struct fsi_group_table *groups = f->groups_;
	enum fs_pkt_kind kind;
	struct fs_pkt pkt;
	const __u8 *mold;

	memset(f, 0, sizeof(*f));
	f->groups_ = groups;
	f->data = data;
	f->len = len;
	kind = fs_parse_frame((void *)data, (void *)(data + len), &pkt);
	if (kind != FS_PKT_UDP && kind != FS_PKT_UDP_BAD_LENGTH)
		return -EINVAL;
	f->group = pkt.key;
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
	}
	if (kind == FS_PKT_UDP_BAD_LENGTH || pkt.payload_end - pkt.payload_off < MOLD_HDR_LEN) {
		f->malformed = true;
		return 0;
	}
	mold = data + pkt.payload_off;
	f->proto = FS_PROTO_MOLD_ITCH; /* the one framing decoded so far */
	memcpy(f->session, mold + MOLD_OFF_SESSION, MOLD_SESSION_LEN);
	f->seq = fs_be64(mold + MOLD_OFF_SEQ);
	f->count = fs_be16(mold + MOLD_OFF_COUNT);
	f->payload_off_ = pkt.payload_off + MOLD_HDR_LEN;
	f->payload_end_ = pkt.payload_end;
	f->malformed = (f->meta_flags & FS_META_F_MALFORMED) ||
		       !blocks_well_formed(data, f->payload_off_, f->payload_end_, f->count);
	return 0;
}

void fs_msg_iter__init(struct fs_msg_iter *it, const struct fs_frame *frame)
{
	it->frame = frame;
	it->off = frame->payload_off_;
	it->index = 0;
}

/* Is message INDEX (about LOCATE) of F subscribed? */
static bool wanted(const struct fs_frame *f, __u32 index, __u16 locate)
{
	const struct fs_xdp_meta *m = f->meta_;
	const struct group_slot *g;
	struct fs_symbol sym;
	bool subscribed = false;

	if (m && index < m->msgs_walked)
		return m->match_bits[index / 64] & (1ULL << (index % 64));
	if (f->meta_flags & FS_META_F_ALL_SYMBOLS)
		return true;
	if (!f->groups_)
		return true; /* no table to decide with: hand everything over */
	g = fsi_group_table__find(f->groups_, f);
	if (g && (g->value.flags & FS_GROUP_F_ALL_SYMBOLS))
		return true;
	if (!f->feed_known)
		return true; /* cannot decide: hand it over rather than lose it */
	return fsi_directory__lookup(f->groups_->iface, f->feed, locate, &sym, &subscribed) &&
	       subscribed;
}

static void resolve_symbol(const struct fs_frame *f, struct fs_msg *msg)
{
	__u32 off = itch_symbol_offset(msg->type);

	if (off && msg->len >= off + ITCH_SYMBOL_LEN) {
		fs_symbol_from_wire(&msg->symbol, msg->body + off, ITCH_SYMBOL_LEN);
		msg->symbol_known = true;
	} else if (f->groups_ && f->feed_known) {
		msg->symbol_known = fsi_directory__lookup(f->groups_->iface, f->feed, msg->locate,
							&msg->symbol, NULL);
	} else {
		msg->symbol_known = false;
	}
}

bool fs_msg_iter__next(struct fs_msg_iter *it, struct fs_msg *msg)
{
	const struct fs_frame *f = it->frame;

	if (f->malformed || f->count == MOLD_COUNT_HEARTBEAT ||
	    f->count == MOLD_COUNT_END_OF_SESSION)
		return false;
	while (it->index < f->count) {
		const __u8 *block = f->data + it->off;
		__u32 index = it->index++;
		__u16 blen = fs_be16(block);

		it->off += MOLD_BLOCK_HDR + blen;
		msg->body = block + MOLD_BLOCK_HDR;
		msg->len = blen;
		msg->type = msg->body[ITCH_OFF_TYPE];
		msg->locate = fs_be16(msg->body + ITCH_OFF_LOCATE);
		if (!wanted(f, index, msg->locate))
			continue;
		msg->seq = f->seq + index;
		resolve_symbol(f, msg);
		return true;
	}
	return false;
}
