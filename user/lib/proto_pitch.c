// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Cboe Multicast PITCH (message-sequenced per unit): an 8-byte Sequenced Unit Header (HdrLength,
 * HdrCount, HdrUnit, HdrSequence), then HdrCount messages, each walked by its Length. One
 * instrument key per message (metadata match bit i = message i): its inline symbol, the symbol
 * of the order it names, or none (feedsieve/wire_pitch.h). HdrSequence 0 is unsequenced: out of
 * band, handed over, never sequenced.
 *
 * Messages naming only an Order ID get their symbol from the consumer's own order map
 * (orders.h), updated from the live messages handed over with the program's rules
 * (ISSUE12.md): Add Order inserts, executions and reductions take off the remaining quantity,
 * Modify sets it, Delete and a remaining 0 forget the order.
 */
#include <string.h>

#include "feedsieve/parse.h"
#include "feedsieve/seqwin.h"
#include "feedsieve/symbol.h"
#include "feedsieve/wire_pitch.h"
#include "orders.h"
#include "proto.h"

static void pitch_decode(struct fs_frame *f)
{
	const __u8 *hdr = f->data + f->payload_off_;
	__u32 len = f->payload_end_ - f->payload_off_, off, i;
	__u8 count;

	if (len < PITCH_HDR_LEN) {
		f->malformed = true;
		return;
	}
	/* The unit is known even when the rest is not (the program counts per unit too). */
	f->has_unit = true;
	f->unit = hdr[PITCH_OFF_HDR_UNIT];
	if (fs_le16(hdr + PITCH_OFF_HDR_LENGTH) != len) {
		f->malformed = true;
		return;
	}
	count = hdr[PITCH_OFF_HDR_COUNT];
	f->seq = fs_le32(hdr + PITCH_OFF_HDR_SEQ);
	f->nmsgs_ = count;
	f->payload_off_ += PITCH_HDR_LEN;
	if (!count) {
		f->kind = FS_FRAME_HEARTBEAT;
		f->malformed = f->payload_off_ != f->payload_end_;
		return;
	}
	if (!f->seq) {
		f->kind = FS_FRAME_OUT_OF_BAND;
		f->out_of_band = FS_OOB_UNSEQUENCED;
	} else {
		f->seq_count = count;
	}
	for (i = 0, off = f->payload_off_; i < count; i++) {
		__u8 mlen;

		if (f->payload_end_ - off < PITCH_MSG_HDR_LEN) {
			f->malformed = true;
			return;
		}
		mlen = f->data[off + PITCH_OFF_MSG_LENGTH];
		if (mlen < PITCH_MSG_HDR_LEN || mlen > f->payload_end_ - off ||
		    mlen < pitch_type_info(f->data[off + PITCH_OFF_MSG_TYPE]).min_len) {
			f->malformed = true;
			return;
		}
		off += mlen;
	}
	if (off != f->payload_end_) {
		f->malformed = true;
		return;
	}
	/* PITCH names no session: the first message of a packet at 1 stands for it (the program
	 * hashes the same bytes). */
	f->session_named = f->seq == 1;
	if (f->session_named) {
		__u8 first[8] = {0};
		__u8 flen = f->data[f->payload_off_ + PITCH_OFF_MSG_LENGTH];

		memcpy(first, f->data + f->payload_off_, flen < 8 ? flen : 8);
		f->session_hash = fs_session_hash(first, 8);
	}
}

static struct fsi_orders *orders_of(const struct fs_frame *f)
{
	return f->groups_ ? f->groups_->orders : NULL;
}

static __u32 quantity(const __u8 *body, const struct pitch_type_info *t)
{
	return t->qty_len == 2 ? fs_le16(body + t->qty_off) : fs_le32(body + t->qty_off);
}

static bool has_order_id(__u8 type, const struct pitch_type_info *t)
{
	return t->kind == PITCH_KEY_ADD || t->kind == PITCH_KEY_ORDER ||
	       type == PITCH_T_TRADE_LONG || type == PITCH_T_TRADE_SHORT ||
	       type == PITCH_T_TRADE_EXPANDED;
}

/* Is message INDEX of F, of type info T, to be handed over? SYM and KNOWN: its symbol. */
static bool wanted(const struct fs_frame *f, __u32 index, const __u8 *body,
		   const struct pitch_type_info *t, struct fs_symbol *sym, bool *known)
{
	enum fsi_want w;
	struct fsi_orders *orders = orders_of(f);

	*known = false;
	if (t->kind == PITCH_KEY_SYMBOL || t->kind == PITCH_KEY_ADD) {
		fs_symbol_from_wire(sym, body + t->sym_off, t->sym_len);
		*known = true;
	} else if (t->kind == PITCH_KEY_ORDER && orders) {
		*known = fsi_orders__find(orders, f->channel, fs_le64(body + PITCH_OFF_ORDER_ID), sym);
	}
	w = fsi_frame__wants(f, index);
	/* The program did not decide the order messages it left without a match bit in such a
	 * frame (their Add may have been in flight): our map, fed in sequence order, knows. */
	if (w == FSI_WANT_NO && t->kind == PITCH_KEY_ORDER &&
	    (f->meta_flags & FS_META_F_ORDERS_UNDECIDED))
		w = fsi_frame__user_decides(f);
	if (w != FSI_WANT_UNDECIDED)
		return w == FSI_WANT_YES;
	switch (t->kind) {
	case PITCH_KEY_CONTROL:
		return true;
	case PITCH_KEY_SYMBOL:
	case PITCH_KEY_ADD:
		return fsi_name__subscribed(f->groups_, sym);
	case PITCH_KEY_ORDER:
		/* The program's order map in our place: the orders we were handed. Unknown:
		 * wanted only when the program said its map overflowed. */
		return *known ? fsi_name__subscribed(f->groups_, sym)
			      : (f->meta_flags & FS_META_F_ORDERS_FULL) != 0;
	default:
		return false; /* unknown types: all-symbols groups only */
	}
}

/* The order map follows the live messages handed over (never out-of-band ones, which repeat),
 * once each and in sequence order: the sequencer tells (fsi_msg__handed()), not the iterator,
 * which may walk a frame more than once. */
static void pitch_handed(const struct fs_msg *msg)
{
	const struct fs_frame *f = msg->frame_;
	struct fsi_orders *orders = orders_of(f);
	struct pitch_type_info ti = pitch_type_info((__u8)msg->type), *t = &ti;
	__u64 id = msg->order_id;

	if (!orders || f->kind != FS_FRAME_DATA || !msg->has_order_id)
		return;
	switch (msg->type) {
	case PITCH_T_ADD_LONG:
	case PITCH_T_ADD_SHORT:
	case PITCH_T_ADD_EXPANDED:
		fsi_orders__add(orders, f->channel, id, &msg->symbol, quantity(msg->body, t));
		break;
	case PITCH_T_EXECUTED:
	case PITCH_T_REDUCE_LONG:
	case PITCH_T_REDUCE_SHORT:
		fsi_orders__reduce(orders, f->channel, id, quantity(msg->body, t));
		break;
	case PITCH_T_EXECUTED_AT_PRICE:
	case PITCH_T_MODIFY_LONG:
	case PITCH_T_MODIFY_SHORT:
		fsi_orders__set(orders, f->channel, id, quantity(msg->body, t));
		break;
	case PITCH_T_DELETE:
#ifndef FEEDSIEVE_CONSUMER_MUTANT
		fsi_orders__remove(orders, f->channel, id);
#endif
		/* (tests/fuzz's self-test builds this file with the deliberate mistake of not
		 * forgetting a deleted order, which the fuzzer must catch) */
		break;
	default:
		break; /* trades name orders that may not be on the book */
	}
}

static bool pitch_next(struct fs_msg_iter *it, struct fs_msg *msg)
{
	const struct fs_frame *f = it->frame;
	struct fsi_orders *orders = orders_of(f);

	/* A session starting here: the orders of the channel's previous one are gone. */
	if (it->index == 0 && orders && f->kind == FS_FRAME_DATA && f->session_named)
		fsi_orders__session(orders, f->channel, f->session_hash);
	while (it->index < f->nmsgs_) {
		const __u8 *body = f->data + it->off;
		__u32 index = it->index++;
		__u8 len = body[PITCH_OFF_MSG_LENGTH], type = body[PITCH_OFF_MSG_TYPE];
		struct pitch_type_info t = pitch_type_info(type);
		struct fs_symbol sym;
		bool known;

		it->off += len;
		it->key = it->index;
		if (!wanted(f, index, body, &t, &sym, &known))
			continue;
		memset(msg, 0, sizeof(*msg));
		msg->body = body;
		msg->len = len;
		msg->type = type;
		msg->seq = f->kind == FS_FRAME_OUT_OF_BAND ? 0 : f->seq + index;
		msg->frame_ = f;
		msg->first_key_ = index;
		msg->nkeys_ = 1;
		msg->symbol_known = known;
		if (known)
			msg->symbol = sym;
		msg->has_order_id = has_order_id(type, &t);
		if (msg->has_order_id)
			msg->order_id = fs_le64(body + PITCH_OFF_ORDER_ID);
		msg->order_unknown = t.kind == PITCH_KEY_ORDER && !known &&
				     (f->meta_flags & FS_META_F_ORDERS_FULL);
		return true;
	}
	return false;
}

const struct fsi_proto_ops fsi_proto_pitch = {
	.decode = pitch_decode,
	.next = pitch_next,
	.next_entry = NULL, /* the message's one key is its own */
	.handed = pitch_handed,
};
