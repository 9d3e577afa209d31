// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * CME MDP 3.0 (packet-sequenced): a binary packet header (MsgSeqNum, SendingTime), then SBE
 * messages back to back, each walked by its MsgSize. The templates are the shared table
 * (feedsieve/wire_mdp3.h): where a template keeps its SecurityID (root, or each entry of its
 * first repeating group) and its RptSeq. Every block is read with the BlockLength and group
 * blockLength on the wire, so a newer schema's longer blocks parse, and no field is read outside
 * its block.
 *
 * Instrument keys are counted over the packet in wire order exactly as the program counts them
 * (docs/datapath.md): one for a root-keyed message, numInGroup for an entry-keyed one, none for
 * the others; metadata match bit i is key i.
 */
#include <string.h>

#include "feedsieve/mdp3_templates.h"
#include "feedsieve/parse.h"
#include "feedsieve/seqwin.h"
#include "feedsieve/symbol.h"
#include "proto.h"


/* One message, as far as the filter reads it. */
struct mdp3_msg {
	__u16 size, block_len, template_id;
	const struct mdp3_template *t; /* NULL: unknown template, stepped over */
	__u32 keys_off;  /* the root (root key) or the keyed group's first entry */
	__u16 key_len;   /* the root's BlockLength or the entries' blockLength */
	__u8 nkeys;
};

/*
 * Read the message at OFF of a payload ending at END into M. False when it is malformed: MsgSize
 * below the SBE header or past the payload, BlockLength past MsgSize, a group header or its
 * entries past MsgSize, a root or keyed entry too short for the SecurityID the table names (or a
 * definition too short for its Symbol and SecurityID). Groups of a known template are walked in
 * schema order; a message may end before a group (an older schema version without it) except
 * the keyed one, and bytes after the last group are left alone (a newer version's).
 */
static bool parse_msg(const __u8 *d, __u32 off, __u32 end, struct mdp3_msg *m)
{
	__u32 p, msg_end;
	int g;

	memset(m, 0, sizeof(*m));
	if (end - off < MDP3_OFF_BLOCK_LENGTH)
		return false;
	m->size = fs_le16(d + off + MDP3_OFF_MSG_SIZE);
	if (m->size < MDP3_MSG_HDR_LEN || m->size > end - off)
		return false;
	m->block_len = fs_le16(d + off + MDP3_OFF_BLOCK_LENGTH);
	m->template_id = fs_le16(d + off + MDP3_OFF_TEMPLATE);
	if (m->block_len > m->size - MDP3_MSG_HDR_LEN)
		return false;
	m->t = mdp3_template(m->template_id);
	if (!m->t)
		return true;
	msg_end = off + m->size;
	p = off + MDP3_MSG_HDR_LEN;
	if (m->t->key_place == MDP3_KEY_ROOT) {
		if (m->block_len < m->t->key_off + 4u ||
		    (m->t->definition && m->block_len < MDP3_DEF_MIN_ROOT))
			return false;
		m->keys_off = p;
		m->key_len = m->block_len;
		m->nkeys = 1;
	}
	p += m->block_len;
	for (g = 0; g < m->t->groups && g < MDP3_MAX_GROUPS; g++) {
		__u8 hdr = m->t->group_hdr[g];
		bool keyed = g == 0 && m->t->key_place == MDP3_KEY_ENTRY;
		__u16 blen;
		__u8 num;

#ifdef FEEDSIEVE_CONSUMER_MUTANT
		/* tests/fuzz's self-test only (never in the library): the deliberate mistake of
		 * letting a message end before its keyed group, which the fuzzer must catch */
		if (p == msg_end)
			break;
#else
		if (p == msg_end && !keyed)
			break;
#endif
		if (msg_end - p < hdr)
			return false;
		blen = fs_le16(d + p + MDP3_GROUP_OFF_BLEN);
		num = d[p + (hdr == MDP3_GROUP_HDR_8 ? MDP3_GROUP8_OFF_NUM : MDP3_GROUP_OFF_NUM)];
		p += hdr;
		if ((__u32)num * blen > msg_end - p)
			return false;
		if (keyed) {
			if (num && blen < m->t->key_off + 4u)
				return false;
			m->keys_off = p;
			m->key_len = blen;
			m->nkeys = num;
		}
		p += (__u32)num * blen;
	}
	return true;
}

static void mdp3_decode(struct fs_frame *f)
{
	const __u8 *hdr = f->data + f->payload_off_;
	__u32 off;

	if (f->payload_end_ - f->payload_off_ < MDP3_PKT_HDR_LEN) {
		f->malformed = true;
		return;
	}
	f->seq = fs_le32(hdr + MDP3_OFF_SEQ);
	f->seq_count = 1;
	f->sending_time = fs_le64(hdr + MDP3_OFF_SENDING_TIME);
	/* Only the packet that starts a sequence names its session (SEAM.md, Sessions). */
	f->session_named = f->seq == 1;
	if (f->session_named)
		f->session_hash = fs_session_hash(hdr + MDP3_OFF_SENDING_TIME, 8);
	f->payload_off_ += MDP3_PKT_HDR_LEN;
	for (off = f->payload_off_; off < f->payload_end_;) {
		struct mdp3_msg m;

		if (!parse_msg(f->data, off, f->payload_end_, &m)) {
			f->malformed = true;
			return;
		}
		off += m.size;
	}
}

/* May the directory decide for F? Not without a group table (unit tests, a bare decode) or
 * without the group's feed: then what the program did not examine is handed over. */
static bool can_look_up(const struct fs_frame *f)
{
	return f->groups_ && f->groups_->iface && f->feed_known;
}

/* Is instrument key KEY (SecurityID ID) of F wanted? */
static bool key_wanted(const struct fs_frame *f, __u32 key, __u32 id)
{
	enum fsi_want w = fsi_frame__program_wants(f, key);
	struct fs_symbol sym;
	bool subscribed, known;
	int err;

	if (w != FSI_WANT_UNDECIDED)
		return w == FSI_WANT_YES;
	if (!can_look_up(f) || fsi_frame__all_symbols(f))
		return true;
	if (fsi_inst__lookup_id(f->groups_, FS_PROTO_MDP3, f->feed, id, &subscribed, &sym, &known,
				&err))
		return subscribed;
	return err != 0; /* an id in no directory is not subscribed; a failed lookup hands over */
}

/* A message about no key at all: delivered when it names no instrument (ChannelReset,
 * AdminHeartbeat: every channel), or, unknown or empty, on an all-symbols group. */
static bool keyless_delivered(const struct fs_frame *f, const struct mdp3_msg *m)
{
	if (m->t && m->t->key_place == MDP3_KEY_NONE)
		return true;
	if (fsi_frame__all_symbols(f))
		return true;
	/* Neither metadata nor a group to say whether the group takes everything: hand over. */
	return !f->has_meta && !(f->groups_ && fsi_group_table__find(f->groups_, f));
}

static bool lookup_symbol(const struct fs_frame *f, __u32 id, struct fs_symbol *sym)
{
	bool subscribed, known = false;

	return can_look_up(f) &&
	       fsi_inst__lookup_id(f->groups_, FS_PROTO_MDP3, f->feed, id, &subscribed, sym, &known,
				   NULL) &&
	       known;
}

static __u32 key_at(const struct fs_msg *msg, __u32 i)
{
	return fs_le32(msg->frame_->data + msg->entries_off_ + i * msg->entry_len_ + msg->key_off_);
}

static void fill_msg(const struct fs_frame *f, __u32 off, __u32 first_key,
		     const struct mdp3_msg *m, struct fs_msg *msg)
{
	memset(msg, 0, sizeof(*msg));
	msg->seq = f->seq;
	msg->type = m->template_id;
	msg->body = f->data + off;
	msg->len = m->size;
	msg->frame_ = f;
	msg->first_key_ = first_key;
	msg->nkeys_ = m->nkeys;
	msg->entries_off_ = m->keys_off;
	msg->entry_len_ = m->key_len;
	if (!m->t)
		return;
	msg->key_off_ = m->t->key_off;
	msg->rpt_seq_off_ = m->t->rpt_seq_off;
	if (m->t->key_place != MDP3_KEY_ROOT)
		return;
	msg->root_key_ = true;
	msg->has_key = true;
	msg->key = key_at(msg, 0);
	if (m->t->definition) {
		fs_symbol_from_wire(&msg->symbol, f->data + m->keys_off + MDP3_DEF_OFF_SYMBOL,
				    MDP3_SYMBOL_LEN);
		msg->symbol_known = true;
	} else {
		msg->symbol_known = lookup_symbol(f, msg->key, &msg->symbol);
	}
}

static bool mdp3_next(struct fs_msg_iter *it, struct fs_msg *msg)
{
	const struct fs_frame *f = it->frame;

	while (it->off < f->payload_end_) {
		__u32 off = it->off, first = it->key, i;
		struct mdp3_msg m;
		bool deliver;

		if (!parse_msg(f->data, off, f->payload_end_, &m))
			return false; /* decode flagged it: not reached */
		it->off += m.size;
		it->index++;
		it->key += m.nkeys;
		fill_msg(f, off, first, &m, msg);
		deliver = !m.nkeys && keyless_delivered(f, &m);
		for (i = 0; i < m.nkeys && !deliver; i++)
			deliver = key_wanted(f, first + i, key_at(msg, i));
		if (deliver)
			return true;
	}
	return false;
}

static bool mdp3_next_entry(struct fs_entry_iter *it, struct fs_entry *e)
{
	const struct fs_msg *msg = it->msg;
	const struct fs_frame *f = msg->frame_;

	while (it->index < msg->nkeys_) {
		__u32 i = it->index++;
		__u32 id = key_at(msg, i);
		const __u8 *body = f->data + msg->entries_off_ + i * msg->entry_len_;

		if (!key_wanted(f, msg->first_key_ + i, id))
			continue;
		memset(e, 0, sizeof(*e));
		e->security_id = (__s32)id;
		e->body = body;
		e->len = msg->entry_len_;
		e->index = (__u8)i;
		if (msg->rpt_seq_off_ != MDP3_NO_FIELD &&
		    msg->rpt_seq_off_ + 4u <= msg->entry_len_) {
			e->has_rpt_seq = true;
			e->rpt_seq = fs_le32(body + msg->rpt_seq_off_);
		}
		if (msg->root_key_) {
			e->symbol_known = msg->symbol_known;
			e->symbol = msg->symbol;
		} else {
			e->symbol_known = lookup_symbol(f, id, &e->symbol);
		}
		return true;
	}
	return false;
}

const struct fsi_proto_ops fsi_proto_mdp3 = {
	.decode = mdp3_decode,
	.next = mdp3_next,
	.next_entry = mdp3_next_entry,
};
