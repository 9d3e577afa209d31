// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * NYSE XDP Integrated Feed (message-sequenced): a 16-byte packet header (PktSize, DeliveryFlag,
 * NumberMsgs, SeqNum, SendTime), then NumberMsgs messages, each walked by its MsgSize. One
 * instrument key per message (metadata match bit i = message i), as ITCH: its SymbolIndex where
 * the type has one (feedsieve/wire_nyse.h). Retransmission, refresh and unavailable packets are
 * out of band: handed over, never sequenced.
 */
#include <string.h>

#include "feedsieve/parse.h"
#include "feedsieve/seqwin.h"
#include "feedsieve/symbol.h"
#include "feedsieve/wire_nyse.h"
#include "proto.h"

/* Which DeliveryFlag values are live, out of band (and why), or neither (malformed). */
static bool delivery_kind(__u8 flag, __u8 *oob)
{
	*oob = FS_OOB_NONE;
	switch (flag) {
	case NYSE_DF_HEARTBEAT:
	case NYSE_DF_FAILOVER:
	case NYSE_DF_ORIGINAL:
	case NYSE_DF_SEQ_RESET:
		return true;
	case NYSE_DF_RETRANS_ONE:
	case NYSE_DF_RETRANS_PART:
		*oob = FS_OOB_RETRANSMITTED;
		return true;
	case NYSE_DF_REFRESH_ONE:
	case NYSE_DF_REFRESH_START:
	case NYSE_DF_REFRESH_PART:
	case NYSE_DF_REFRESH_END:
		*oob = FS_OOB_REFRESH;
		return true;
	case NYSE_DF_UNAVAILABLE:
		*oob = FS_OOB_UNAVAILABLE;
		return true;
	default:
		return false; /* cannot tell live from repeated */
	}
}

/* Is the message at OFF (of a packet ending at END) well formed? *SIZE: its MsgSize. */
static bool msg_ok(const __u8 *d, __u32 off, __u32 end, __u16 *size)
{
	__u16 type;
	__u32 idx_off;

	if (end - off < NYSE_MSG_HDR_LEN)
		return false;
	*size = fs_le16(d + off + NYSE_OFF_MSG_SIZE);
	type = fs_le16(d + off + NYSE_OFF_MSG_TYPE);
	if (*size < NYSE_MSG_HDR_LEN || *size > end - off)
		return false;
	idx_off = nyse_symbol_index_off(type);
	if (idx_off != NYSE_KEY_NONE && *size < idx_off + 4)
		return false;
	return type != NYSE_T_SYMBOL_MAPPING || *size >= NYSE_MAP_MIN_LEN;
}

static void nyse_decode(struct fs_frame *f)
{
	const __u8 *hdr = f->data + f->payload_off_;
	__u32 len = f->payload_end_ - f->payload_off_, off, i;
	__u8 nmsgs;

	if (len < NYSE_PKT_HDR_LEN || fs_le16(hdr + NYSE_OFF_PKT_SIZE) != len ||
	    !delivery_kind(hdr[NYSE_OFF_DELIVERY_FLAG], &f->out_of_band)) {
		f->malformed = true;
		return;
	}
	f->delivery_flag = hdr[NYSE_OFF_DELIVERY_FLAG];
	nmsgs = hdr[NYSE_OFF_NUM_MSGS];
	f->seq = fs_le32(hdr + NYSE_OFF_SEQ);
	f->nmsgs_ = nmsgs;
	/* A sequence number reset names the session by its send time; every other packet belongs
	 * to the channel's current one (as MDP3's packets past MsgSeqNum 1). */
	f->session_named = f->delivery_flag == NYSE_DF_SEQ_RESET;
	if (f->session_named)
		f->session_hash = fs_session_hash(hdr + NYSE_OFF_SEND_TIME, 8);
	f->payload_off_ += NYSE_PKT_HDR_LEN;
	if (!nmsgs) {
		/* A live one is a heartbeat; seq: its SeqNum never raises the mark too far,
		 * whichever of last sent or next it means. An out-of-band one (the program's rule
		 * too) says nothing of the live sequence: nothing to hand over, nothing sequenced. */
		f->kind = f->out_of_band == FS_OOB_NONE ? FS_FRAME_HEARTBEAT : FS_FRAME_OUT_OF_BAND;
		f->malformed = f->payload_off_ != f->payload_end_;
		return;
	}
	if (f->out_of_band != FS_OOB_NONE)
		f->kind = FS_FRAME_OUT_OF_BAND;
	else
		f->seq_count = nmsgs;
	for (i = 0, off = f->payload_off_; i < nmsgs; i++) {
		__u16 size;

		if (!msg_ok(f->data, off, f->payload_end_, &size)) {
			f->malformed = true;
			return;
		}
		off += size;
	}
	f->malformed = off != f->payload_end_;
}

/* Is message INDEX of F (of TYPE, SymbolIndex IDX where IDX_OFF) to be handed over? */
static bool wanted(const struct fs_frame *f, __u32 index, __u16 type, __u32 idx_off, __u32 idx)
{
	enum fsi_want w = fsi_frame__wants(f, index);
	struct fs_symbol sym;
	bool subscribed, known;
	int err;

	if (w != FSI_WANT_UNDECIDED)
		return w == FSI_WANT_YES;
	if (nyse_is_control(type))
		return true;
	if (idx_off == NYSE_KEY_NONE)
		return false; /* unknown, or about no instrument: all-symbols groups only */
	if (fsi_inst__lookup_id(f->groups_, FS_PROTO_NYSE_XDP, f->feed, idx, &subscribed, &sym,
				&known, &err))
		return subscribed;
	return err != 0; /* an index in no directory is not subscribed; a failed lookup hands over */
}

static void resolve_symbol(const struct fs_frame *f, struct fs_msg *msg)
{
	bool subscribed;

	if (msg->type == NYSE_T_SYMBOL_MAPPING) {
		fs_symbol_from_wire(&msg->symbol, msg->body + NYSE_MAP_OFF_SYMBOL, NYSE_SYMBOL_LEN);
		msg->symbol_known = true;
	} else if (f->groups_ && f->groups_->iface && f->feed_known) {
		fsi_inst__lookup_id(f->groups_, FS_PROTO_NYSE_XDP, f->feed, msg->key, &subscribed,
				    &msg->symbol, &msg->symbol_known, NULL);
	}
}

static bool nyse_next(struct fs_msg_iter *it, struct fs_msg *msg)
{
	const struct fs_frame *f = it->frame;

	while (it->index < f->nmsgs_) {
		const __u8 *body = f->data + it->off;
		__u32 index = it->index++;
		__u16 size = fs_le16(body + NYSE_OFF_MSG_SIZE);
		__u16 type = fs_le16(body + NYSE_OFF_MSG_TYPE);
		__u32 idx_off = nyse_symbol_index_off(type);
		__u32 idx = idx_off != NYSE_KEY_NONE ? fs_le32(body + idx_off) : 0;

		it->off += size;
		it->key = it->index;
		if (!wanted(f, index, type, idx_off, idx))
			continue;
		memset(msg, 0, sizeof(*msg));
		msg->body = body;
		msg->len = size;
		msg->type = type;
#ifdef FEEDSIEVE_CONSUMER_MUTANT
		/* tests/fuzz's self-test only (never in the library): the deliberate mistake of
		 * giving every message its packet's sequence number (MDP3's rule), which the
		 * fuzzer must catch */
		msg->seq = f->seq;
#else
		msg->seq = f->seq + index;
#endif
		msg->frame_ = f;
		msg->first_key_ = index;
		msg->nkeys_ = 1;
		if (idx_off != NYSE_KEY_NONE) {
			msg->has_key = true;
			msg->key = idx;
			resolve_symbol(f, msg);
		}
		return true;
	}
	return false;
}

const struct fsi_proto_ops fsi_proto_nyse = {
	.decode = nyse_decode,
	.next = nyse_next,
	.next_entry = NULL, /* the message's one key is its own */
};
