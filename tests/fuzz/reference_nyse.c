// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The reference model of a NYSE XDP Integrated Feed frame (see reference.h), written from the
 * design of issue 12 (ISSUE12.md, "NYSE XDP Integrated") and the wire facts of
 * docs/wire/nyse-xdp.md, not from bpf/proto_nyse.bpf.h. Every rule cites the sentence it
 * implements; offsets are written out here.
 */
#include <string.h>

#include <linux/bpf.h>

#include "reference_int.h"

/* Where a message type keeps its SymbolIndex (docs/wire "Where SymbolIndex sits"), 0: none. */
static unsigned int symbol_index_at(unsigned int type)
{
	if (type == 3)
		return 4;
	if ((type >= 100 && type <= 104) || (type >= 110 && type <= 114))
		return 8;
	if (type == 32 || type == 34 || type == 105 || type == 106 || type == 223)
		return 12;
	return 0;
}

/* "control (nyse_is_control: 1, 2, 31, 35: every subscriber needs them)" */
static bool control(unsigned int type)
{
	return type == 1 || type == 2 || type == 31 || type == 35;
}

enum flag_class { F_BAD, F_LIVE, F_OUT_OF_BAND };

/* "DeliveryFlag: 1, 10, 11, 12 are live. 13, 15, 17-21 are not live ... Any other value:
 * malformed (we cannot tell live from replay)." */
static enum flag_class flag_class(unsigned int flag)
{
	if (flag == 1 || flag == 10 || flag == 11 || flag == 12)
		return F_LIVE;
	if (flag == 13 || flag == 15 || (flag >= 17 && flag <= 21))
		return F_OUT_OF_BAND;
	return F_BAD;
}

struct nyse {
	unsigned int flag, count; /* DeliveryFlag, NumberMsgs */
	__u32 seq;
	const __u8 *time;	 /* SendTime and SendTimeNS: 8 bytes */
	unsigned int walked; /* messages examined (<= the bound, FS_MAX_WALK for the program) */
	size_t msg[255];     /* offset of each examined message */
	bool malformed, overflow;
};

/* "Validate (no lookups): the 16-byte header; PktSize must equal the UDP payload length;
 * NumberMsgs messages, each MsgSize >= 4 and inside the packet, and at least
 * nyse_symbol_index_off(type) + 4 when the type has a SymbolIndex, at least NYSE_MAP_MIN_LEN
 * [8 + 11] for type 3; bytes after the last message: malformed. Unknown types: stepped over by
 * MsgSize." All of them are validated; the first MAX are recorded (FS_MAX_WALK, the program's
 * walk; 255 for the library, which reads the whole packet), and more than MAX well-formed
 * messages are an "overflow, as ITCH". */
static void nyse_frame(const __u8 *f, size_t pos, size_t end, unsigned int max, struct nyse *p)
{
	memset(p, 0, sizeof(*p));
	if (end - pos < 16 || ref_le16(f + pos) != end - pos) {
		p->malformed = true;
		return;
	}
	p->flag = f[pos + 2];
	p->count = f[pos + 3];
	p->seq = ref_le32(f + pos + 4);
	p->time = f + pos + 8;
	if (flag_class(p->flag) == F_BAD) {
		p->malformed = true;
		return;
	}
	/* All NumberMsgs messages are checked, those past the bound too: a packet is malformed
	 * whatever its length, for the program as for the library. */
	pos += 16;
	for (unsigned int i = 0; i < p->count; i++) {
		unsigned int size, type, at;

		if (pos + 4 > end) {
			p->malformed = true;
			return;
		}
		size = ref_le16(f + pos);
		type = ref_le16(f + pos + 2);
		at = symbol_index_at(type);
		if (size < 4 || pos + size > end || (at && size < at + 4) ||
		    (type == 3 && size < 8 + 11)) {
			p->malformed = true;
			return;
		}
		if (i < max)
			p->msg[p->walked++] = pos;
		pos += size;
	}
	/* "bytes after the last message: malformed"; a well-formed packet of more than MAX
	 * messages is an overflow, "as ITCH". */
	if (pos != end)
		p->malformed = true;
	else
		p->overflow = p->count > max;
}

/*
 * "message i is wanted when the group takes all symbols; or its type is control ...; or it has a
 * SymbolIndex whose mark is wanted"; a Symbol Index Mapping is learned first, "so the mapping of
 * a subscribed symbol is delivered". Only the messages this frame brought first (NEW[i]) are
 * examined. Returns the wanted count; their bits go into the metadata.
 */
static unsigned int nyse_match(struct ref_state *s, const struct ref_group *g, const __u8 *f,
			       const struct nyse *p, const bool *fresh, struct ref_result *r,
			       struct fs_counters *d)
{
	unsigned int matched = 0;

	for (unsigned int i = 0; i < p->walked; i++) {
		const __u8 *m = f + p->msg[i];
		unsigned int type = ref_le16(m + 2), at = symbol_index_at(type);
		bool want;

		if (!fresh[i])
			continue;
		if (type == 3) {
			struct fs_symbol sym;

			/* "sym = fs_symbol_from_wire(msg + 8, NYSE_SYMBOL_LEN) (NUL padded, inner
			 * spaces kept)", on "ANY nyse-xdp group", "live and out-of-band alike" */
			ref_wire_symbol(&sym, m + 8, 11);
			ref_learn_id(s, FS_PROTO_NYSE_XDP, g->g.feed, ref_le32(m + 4), &sym, d);
		}
		if (at)
			want = ref_wanted_id(s, &g->g, FS_PROTO_NYSE_XDP, ref_le32(m + at));
		else
			want = control(type) || (g->g.flags & FS_GROUP_F_ALL_SYMBOLS);
		if (want) {
			r->m.match_bits[i / 64] |= 1ULL << (i % 64);
			matched++;
		}
	}
	return matched;
}

/* An out-of-band frame: every walked message is matched (none is claimed); no session, no
 * window, no stamp. */
static void out_of_band(struct ref_state *s, const struct ref_group *g, const __u8 *f,
			const struct nyse *p, __u8 flags, struct fs_counters *d,
			struct ref_result *r)
{
	bool fresh[FS_MAX_WALK];

	memset(fresh, 1, sizeof(fresh));
	ref_settle_out_of_band(s, g, p->walked, nyse_match(s, g, f, p, fresh, r, d), p->overflow,
			       flags, d, r);
}

void ref_nyse_group_frame(struct ref_state *s, const struct ref_group *g, const __u8 *f,
			  size_t payload, size_t end, __u8 flags, struct fs_counters *d,
			  struct ref_result *r)
{
	struct ref_channel *c = &s->channels[g->g.channel];
	bool fresh[FS_MAX_WALK] = {0};
	unsigned int matched;
	struct nyse p;

	nyse_frame(f, payload, end, FS_MAX_WALK, &p);
	if (p.malformed) {
		ref_malformed(s, g, p.walked, flags, d, r);
		return;
	}
	if (flag_class(p.flag) == F_OUT_OF_BAND) {
		out_of_band(s, g, f, &p, flags, d, r);
		return;
	}
	/* "a packet with DeliveryFlag 12 (sequence number reset) may start a session ...
	 * session_hash = fs_session_hash(SendTime and SendTimeNS: the 8 bytes at offset 8). Every
	 * other live packet joins_session with the hash of 8 zero bytes (as MDP3 does)." */
	ref_join_session(c, p.flag == 12, p.seq, p.time, d);
	r->stamped = true;
	/* "NumberMsgs 0 ...: FS_FRAME_HEARTBEAT with seq_next = SeqNum" */
	if (!p.count) {
		ref_heartbeat(s, g, c, p.seq, flags, d, r);
		return;
	}
	/* "seq = the packet's first sequence number, seq_count = walked, seq_next = seq + count
	 * (message-sequenced, as Mold)"; "A packet is redirected when one bit is set, otherwise it
	 * is dropped and its sequence numbers are FILTERED (never a gap)". */
	if (!ref_claim_messages(c, p.seq, p.walked, p.count, p.overflow, fresh, d, r))
		return;
	matched = nyse_match(s, g, f, &p, fresh, r, d);
	ref_settle_messages(s, g, c, fresh, matched, p.overflow, flags, d, r);
}

/* ---- What the application gets (ref_nyse_app) ---- */

/* Why an out-of-band flag is one (libfeedsieve's fs_out_of_band: "retransmitted" 13 and 15,
 * "refresh" 17-20, "unavailable" 21). */
static __u8 out_of_band_kind(unsigned int flag)
{
	if (flag == 13 || flag == 15)
		return REF_OOB_RETRANSMITTED;
	if (flag >= 17 && flag <= 20)
		return REF_OOB_REFRESH;
	return flag == 21 ? REF_OOB_UNAVAILABLE : REF_OOB_NONE;
}

/* "same wanted rules for frames without metadata or past the walk" (ISSUE12.md, user space): the
 * metadata bit where the program examined the message; otherwise every message of an
 * all-symbols group or of one without a feed to look up in, control types, and a SymbolIndex
 * the directory marks subscribed. */
static bool app_wants(const struct ref_state *s, const struct ref_group *g,
		      const struct fs_xdp_meta *m, unsigned int k, unsigned int type, __u32 idx)
{
	int decided = ref_app_decided(g, m, k);
	const struct ref_id *e;

	if (decided >= 0)
		return decided;
	if (control(type))
		return true;
	if (!symbol_index_at(type))
		return false;
	e = ref_find_id((struct ref_state *)s, FS_PROTO_NYSE_XDP, g->g.feed, idx);
	return e && e->sub != FS_INST_NOT_SUBSCRIBED;
}

void ref_nyse_app(const struct ref_state *s, const __u8 *f, size_t len,
		  const struct fs_xdp_meta *meta, struct ref_app *out)
{
	size_t payload, end;
	const struct ref_group *g = ref_app_group(s, f, len, out, &payload, &end);
	struct nyse p;

	if (!g)
		return;
	out->per_msg = true;
	nyse_frame(f, payload, end, 255, &p);
	if (p.malformed || (meta && (meta->flags & FS_META_F_MALFORMED))) {
		out->malformed = true;
		return;
	}
	out->out_of_band = out_of_band_kind(p.flag);
	/* "NumberMsgs 0: FS_FRAME_HEARTBEAT" when live; out of band it is an empty such frame */
	if (out->out_of_band != REF_OOB_NONE || (meta && (meta->flags & FS_META_F_OUT_OF_BAND)))
		out->kind = REF_FRAME_OUT_OF_BAND;
	else
		out->kind = p.count ? REF_FRAME_DATA : REF_FRAME_HEARTBEAT;
	for (unsigned int k = 0; k < p.walked; k++) {
		const __u8 *m = f + p.msg[k];
		unsigned int type = ref_le16(m + 2), at = symbol_index_at(type);
		__u32 idx = at ? ref_le32(m + at) : 0;
		struct ref_app_msg *msg = &out->msgs[out->n_msgs];
		const struct ref_id *e;

		if (!app_wants(s, g, meta, k, type, idx))
			continue;
		if (out->n_msgs == REF_APP_MSGS) {
			out->overfull = true;
			return;
		}
		out->n_msgs++;
		/* "seq is the message's own sequence number (packet seq + i)" */
		*msg = (struct ref_app_msg){.off = p.msg[k], .len = (__u16)ref_le16(m),
					    .tid = (__u16)type, .seq = (__u64)p.seq + k,
					    .has_key = at != 0, .key = idx};
		/* "symbol when the mapping was seen": a mapping's own, else the directory's */
		if (type == 3) {
			ref_wire_symbol(&msg->symbol, m + 8, 11);
			msg->symbol_known = true;
		} else if (at && g->g.feed < FS_MAX_FEEDS) {
			e = ref_find_id((struct ref_state *)s, FS_PROTO_NYSE_XDP, g->g.feed, idx);
			if (e && e->known) {
				msg->symbol = e->symbol;
				msg->symbol_known = true;
			}
		}
	}
}
