// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * MoldUDP64 carrying TotalView-ITCH 5.0 (message-sequenced): the session name, sequence number
 * and count of the Mold header, then count message blocks, one instrument key (Stock Locate)
 * each.
 */
#include <errno.h>
#include <string.h>

#include "feedsieve/parse.h"
#include "feedsieve/seqwin.h"
#include "feedsieve/symbol.h"
#include "proto.h"

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

static void itch_decode(struct fs_frame *f)
{
	const __u8 *mold = f->data + f->payload_off_;
	__u16 count;

	if (f->payload_end_ - f->payload_off_ < MOLD_HDR_LEN) {
		f->malformed = true;
		return;
	}
	memcpy(f->session, mold + MOLD_OFF_SESSION, MOLD_SESSION_LEN);
	f->session_len = MOLD_SESSION_LEN;
	f->session_named = true;
	f->session_hash = fs_session_hash(mold + MOLD_OFF_SESSION, MOLD_SESSION_LEN);
	f->seq = fs_be64(mold + MOLD_OFF_SEQ);
	count = fs_be16(mold + MOLD_OFF_COUNT);
	if (count == MOLD_COUNT_HEARTBEAT)
		f->kind = FS_FRAME_HEARTBEAT;
	else if (count == MOLD_COUNT_END_OF_SESSION)
		f->kind = FS_FRAME_END_OF_SESSION;
	else
		f->seq_count = count;
	f->payload_off_ += MOLD_HDR_LEN;
	f->malformed = !blocks_well_formed(f->data, f->payload_off_, f->payload_end_, count);
}

/* Is message INDEX (about LOCATE) of F subscribed? */
static bool wanted(const struct fs_frame *f, __u32 index, __u16 locate)
{
	enum fsi_want w = fsi_frame__program_wants(f, index);
	struct fs_symbol sym;
	bool subscribed = false;

	if (w != FSI_WANT_UNDECIDED)
		return w == FSI_WANT_YES;
	if (!f->groups_)
		return true; /* no table to decide with: hand everything over */
	if (fsi_frame__all_symbols(f))
		return true;
	if (!f->feed_known)
		return true; /* cannot decide: hand it over rather than lose it */
	return fsi_directory__lookup(f->groups_->iface, f->feed, locate, &sym, &subscribed) &&
	       subscribed;
}

static void resolve_symbol(const struct fs_frame *f, struct fs_msg *msg)
{
	__u32 off = itch_symbol_offset((__u8)msg->type);

	if (off && msg->len >= off + ITCH_SYMBOL_LEN) {
		fs_symbol_from_wire(&msg->symbol, msg->body + off, ITCH_SYMBOL_LEN);
		msg->symbol_known = true;
	} else if (f->groups_ && f->feed_known) {
		msg->symbol_known = fsi_directory__lookup(f->groups_->iface, f->feed,
							  (__u16)msg->key, &msg->symbol, NULL);
	} else {
		msg->symbol_known = false;
	}
}

static bool itch_next(struct fs_msg_iter *it, struct fs_msg *msg)
{
	const struct fs_frame *f = it->frame;

	while (it->index < f->seq_count) {
		const __u8 *block = f->data + it->off;
		__u32 index = it->index++;
		__u16 blen = fs_be16(block);
		__u16 locate = fs_be16(block + MOLD_BLOCK_HDR + ITCH_OFF_LOCATE);

		it->off += MOLD_BLOCK_HDR + blen;
		it->key = it->index;
		if (!wanted(f, index, locate))
			continue;
		memset(msg, 0, sizeof(*msg));
		msg->body = block + MOLD_BLOCK_HDR;
		msg->len = blen;
		msg->type = msg->body[ITCH_OFF_TYPE];
		msg->has_key = true;
		msg->key = locate;
		msg->seq = f->seq + index;
		msg->frame_ = f;
		msg->first_key_ = index;
		msg->nkeys_ = 1;
		resolve_symbol(f, msg);
		return true;
	}
	return false;
}

/* A MoldUDP64 request is a downstream header alone: session, first sequence number, count
 * (big-endian). The count is a message count, never the heartbeat's 0 or the end of session's
 * 0xFFFF. */
static int itch_encode_request(__u8 *buf, size_t size, const char *session, __u8 len, __u64 from,
			       __u32 count)
{
	int i;

	if (len != MOLD_SESSION_LEN || count == MOLD_COUNT_HEARTBEAT ||
	    count >= MOLD_COUNT_END_OF_SESSION)
		return -EINVAL;
	if (size < MOLD_REQUEST_LEN)
		return -ENOSPC;
	memcpy(buf + MOLD_OFF_SESSION, session, MOLD_SESSION_LEN);
	for (i = 0; i < 8; i++)
		buf[MOLD_OFF_SEQ + i] = (__u8)(from >> (56 - 8 * i));
	buf[MOLD_OFF_COUNT] = (__u8)(count >> 8);
	buf[MOLD_OFF_COUNT + 1] = (__u8)count;
	return MOLD_REQUEST_LEN;
}

const struct fsi_proto_ops fsi_proto_itch = {
	.decode = itch_decode,
	.next = itch_next,
	.next_entry = NULL, /* the message's one key is the message's own */
	.encode_request = itch_encode_request,
};
