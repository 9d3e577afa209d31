// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* How `feedsieve consume` prints events: one JSON object or one text line each. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "feedsieve/parse.h"
#include "feedsieve/wire_mdp3.h"

/*
 * JSON lines are built in a buffer and written with one fwrite(): printf() was a third of a
 * replay's time when every frame is delivered (docs/replay.md). The escaping is fs_json_str()'s.
 */
struct line {
	/* The longest line: an MDP3 message of 255 entries (the most a group holds), each under
	 * 190 bytes with its symbol escaped, behind a head of under 600. */
	char buf[1024 + 255 * 192];
	size_t n;
};

/* Not zeroed: a kilobyte per line for nothing. Every printer starts with l.n = 0. */
static void put(struct line *l, const char *s)
{
	size_t len = strlen(s);

	memcpy(l->buf + l->n, s, len);
	l->n += len;
}

static void put_u64(struct line *l, unsigned long long v)
{
	char tmp[20];
	int i = 0;

	do
		tmp[i++] = (char)('0' + v % 10);
	while ((v /= 10));
	while (i)
		l->buf[l->n++] = tmp[--i];
}

static void put_json_str(struct line *l, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	l->buf[l->n++] = '"';
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\') {
			l->buf[l->n++] = '\\';
			l->buf[l->n++] = (char)ch;
		} else if (ch < 0x20 || ch > 0x7e) {
			put(l, "\\u00");
			l->buf[l->n++] = hex[ch >> 4];
			l->buf[l->n++] = hex[ch & 15];
		} else {
			l->buf[l->n++] = (char)ch;
		}
	}
	l->buf[l->n++] = '"';
}

static void end_line(struct line *l)
{
	l->buf[l->n++] = '\n';
	fwrite(l->buf, 1, l->n, stdout);
}

/* The group's text, remembered per thread: consecutive frames mostly share their group. */
static const char *group_text(const struct fs_group_key *key)
{
	static __thread struct fs_group_key last;
	static __thread char text[FS_GROUP_STR_LEN];

	if (!text[0] || memcmp(&last, key, sizeof(last)) != 0) {
		last = *key;
		fs_group_str(key, text);
	}
	return text;
}

/* {"group":"239.1.1.1:26400","channel":"X","line":"A","proto":"itch" -- the common head, then
 * ,"session":"S" for a protocol that names its sessions */
static void put_head(struct line *l, const struct fs_event *ev)
{
	char session[MOLD_SESSION_LEN + 1];

	put(l, "{\"group\":\"");
	put(l, group_text(&ev->frame->group));
	put(l, "\",\"channel\":");
	put_json_str(l, ev->channel_name);
	put(l, ",\"line\":\"");
	put(l, fs_line_str(ev->frame->line));
	put(l, "\",\"proto\":\"");
	put(l, fs_proto_str(ev->proto));
	put(l, "\"");
	if (ev->session_len) {
		fs_session_str(ev->session, session);
		put(l, ",\"session\":");
		put_json_str(l, session);
	}
}

static void put_s64(struct line *l, long long v)
{
	if (v < 0)
		l->buf[l->n++] = '-';
	put_u64(l, v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v);
}

/* ,"entries":[{"security_id":N,"rpt_seq":N,"symbol":"S"},...] -- the subscribed ones */
static void put_entries(struct line *l, const struct fs_msg *m)
{
	char sym[FS_SYMBOL_LEN + 1];
	struct fs_entry_iter it;
	struct fs_entry e;
	bool first = true;

	put(l, ",\"entries\":[");
	fs_entry_iter__init(&it, m);
	while (fs_entry_iter__next(&it, &e)) {
		put(l, first ? "{\"security_id\":" : ",{\"security_id\":");
		first = false;
		put_s64(l, e.security_id);
		if (e.has_rpt_seq) {
			put(l, ",\"rpt_seq\":");
			put_u64(l, e.rpt_seq);
		}
		if (e.symbol_known) {
			fs_symbol_str(&e.symbol, sym);
			put(l, ",\"symbol\":");
			put_json_str(l, sym);
		}
		put(l, "}");
	}
	put(l, "]");
}

static void put_symbol(struct line *l, const struct fs_msg *m)
{
	char sym[FS_SYMBOL_LEN + 1];

	if (!m->symbol_known)
		return;
	fs_symbol_str(&m->symbol, sym);
	put(l, ",\"symbol\":");
	put_json_str(l, sym);
}

/* The out-of-band marks, by enum fs_out_of_band. */
static const char *const oob_json[] = {
	[FS_OOB_UNSEQUENCED] = ",\"unsequenced\":true",
	[FS_OOB_RETRANSMITTED] = ",\"retransmitted\":true",
	[FS_OOB_REFRESH] = ",\"refresh\":true",
	[FS_OOB_UNAVAILABLE] = ",\"unavailable\":true",
};

static void put_out_of_band(struct line *l, const struct fs_frame *f)
{
	if (f->kind == FS_FRAME_OUT_OF_BAND && f->out_of_band &&
	    f->out_of_band < sizeof(oob_json) / sizeof(oob_json[0]))
		put(l, oob_json[f->out_of_band]);
}

/* ,"type":N,"symbol_index":N,"symbol":"S","delivery_flag":N -- NYSE XDP */
static void put_nyse(struct line *l, const struct fs_event *ev)
{
	const struct fs_msg *m = ev->msg;

	put(l, ",\"type\":");
	put_u64(l, m->type);
	if (m->has_key) {
		put(l, ",\"symbol_index\":");
		put_u64(l, m->key);
		put_symbol(l, m);
	}
	put(l, ",\"delivery_flag\":");
	put_u64(l, ev->frame->delivery_flag);
	put_out_of_band(l, ev->frame);
}

/* ,"type":N,"order_id":N,"symbol":"S" -- PITCH (the unit goes before the seq) */
static void put_pitch(struct line *l, const struct fs_event *ev)
{
	const struct fs_msg *m = ev->msg;

	put(l, ",\"type\":");
	put_u64(l, m->type);
	if (m->has_order_id) {
		put(l, ",\"order_id\":");
		put_u64(l, m->order_id);
	}
	put_symbol(l, m);
	put_out_of_band(l, ev->frame);
	if (m->order_unknown)
		put(l, ",\"order_unknown\":true");
}

static void print_msg_json(const struct fs_event *ev)
{
	const struct fs_msg *m = ev->msg;
	char sym[FS_SYMBOL_LEN + 1], type[2] = {(char)m->type, '\0'};
	struct line l;

	l.n = 0;
	put_head(&l, ev);
	if (ev->frame->has_unit) {
		put(&l, ",\"unit\":");
		put_u64(&l, ev->frame->unit);
	}
	put(&l, ",\"seq\":");
	put_u64(&l, m->seq);
	if (ev->proto == FS_PROTO_NYSE_XDP) {
		put_nyse(&l, ev);
	} else if (ev->proto == FS_PROTO_PITCH) {
		put_pitch(&l, ev);
	} else if (ev->proto == FS_PROTO_MDP3) {
		put(&l, ",\"sending_time\":");
		put_u64(&l, ev->frame->sending_time);
		put(&l, ",\"template\":");
		put_u64(&l, m->type);
		put_entries(&l, m);
	} else {
		put(&l, ",\"type\":");
		put_json_str(&l, type);
		put(&l, ",\"locate\":");
		put_u64(&l, m->key);
		if (m->symbol_known) {
			fs_symbol_str(&m->symbol, sym);
			put(&l, ",\"symbol\":");
			put_json_str(&l, sym);
		}
	}
	if (ev->retransmitted)
		put(&l, ",\"retransmitted\":true");
	put(&l, ev->late ? ",\"late\":true}" : "}");
	end_line(&l);
}

/* {"WHAT":{"channel":"X" -- the head of channel events */
static void put_channel_head(struct line *l, const char *what, const struct fs_event *ev)
{
	put(l, "{\"");
	put(l, what);
	put(l, "\":{\"channel\":");
	put_json_str(l, ev->channel_name);
}

/* ,"unit":N -- a PITCH channel's events name their unit (the channel's name is every unit's) */
static void put_unit(struct line *l, const struct fs_event *ev)
{
	if (ev->has_unit) {
		put(l, ",\"unit\":");
		put_u64(l, ev->unit);
	}
}

/* {"recovery":{"channel":"X","from":N,"count":K,"filled":F,"ms":T} -- T to the microsecond */
static void print_recovery_json(const struct fs_event *ev)
{
	struct line l;
	char ms[32];

	l.n = 0;
	put_channel_head(&l, "recovery", ev);
	put_unit(&l, ev);
	put(&l, ",\"from\":");
	put_u64(&l, ev->from);
	put(&l, ",\"count\":");
	put_u64(&l, ev->count);
	put(&l, ",\"filled\":");
	put_u64(&l, ev->filled);
	snprintf(ms, sizeof(ms), ",\"ms\":%llu.%03llu}}",
		 (unsigned long long)(ev->elapsed_ns / 1000000),
		 (unsigned long long)(ev->elapsed_ns / 1000 % 1000));
	put(&l, ms);
	end_line(&l);
}

/* ,"instruments":[N,...] -- an MDP3 gap's instruments known to have lost updates */
static void put_instruments(struct line *l, const struct fs_event *ev)
{
	__u32 i;

	put(l, ",\"instruments\":[");
	for (i = 0; i < ev->ninstruments && ev->instruments; i++) {
		if (i)
			put(l, ",");
		put_s64(l, ev->instruments[i]);
	}
	put(l, "]");
}

static void print_range_json(const char *what, const struct fs_event *ev)
{
	struct line l;

	l.n = 0;
	put_channel_head(&l, what, ev);
	put_unit(&l, ev);
	put(&l, ",\"from\":");
	put_u64(&l, ev->from);
	put(&l, ",\"count\":");
	put_u64(&l, ev->count);
	if (ev->type == FS_EV_GAP && ev->proto == FS_PROTO_MDP3)
		put_instruments(&l, ev);
	put(&l, "}}");
	end_line(&l);
}

/* A SnapshotFullRefresh's root fields and book entries (docs/wire/mdp3.md), from its bytes. */
struct snap_view {
	__s32 id;
	__u32 rpt, last;
	const __u8 *entries;
	__u16 entry_len;
	__u8 n;
};

static bool snap_view(const struct fs_msg *m, struct snap_view *v)
{
	__u16 blen = fs_le16(m->body + MDP3_OFF_BLOCK_LENGTH);
	const __u8 *root = m->body + MDP3_MSG_HDR_LEN, *g = root + blen;

	if (m->len < MDP3_MSG_HDR_LEN + blen + MDP3_GROUP_HDR || blen < MDP3_SNAP_MIN_ROOT)
		return false;
	v->id = (__s32)fs_le32(root + MDP3_SNAP_OFF_SECURITY_ID);
	v->rpt = fs_le32(root + MDP3_SNAP_OFF_RPT_SEQ);
	v->last = fs_le32(root + MDP3_SNAP_OFF_LAST_SEQ);
	v->entry_len = fs_le16(g + MDP3_GROUP_OFF_BLEN);
	v->n = g[MDP3_GROUP_OFF_NUM];
	v->entries = g + MDP3_GROUP_HDR;
	/* The decoder checked the group against MsgSize; an entry too short shows none. */
	if (v->entry_len < MDP3_SNAP_ENTRY_MIN)
		v->n = 0;
	return true;
}

/* One book entry of a snapshot; has_* false where the field is null. */
struct snap_entry {
	char type;
	bool has_level, has_px, has_size, has_orders;
	__s8 level;
	__s64 px;
	__s32 size, orders;
};

static void snap_entry(const __u8 *e, struct snap_entry *out)
{
	out->type = (char)e[MDP3_SNAP_ENTRY_OFF_TYPE];
	out->level = (__s8)e[MDP3_SNAP_ENTRY_OFF_LEVEL];
	out->px = (__s64)fs_le64(e + MDP3_SNAP_ENTRY_OFF_PX);
	out->size = (__s32)fs_le32(e + MDP3_SNAP_ENTRY_OFF_SIZE);
	out->orders = (__s32)fs_le32(e + MDP3_SNAP_ENTRY_OFF_ORDERS);
	out->has_level = out->level != 0x7F;
	out->has_px = out->px != 0x7FFFFFFFFFFFFFFFLL;
	out->has_size = out->size != MDP3_INT32_NULL;
	out->has_orders = out->orders != MDP3_INT32_NULL;
}

/* One book entry's fields, nulls left out: {"type":"0","level":1,"px":M,"size":N,"orders":K} */
static void put_snap_entry(struct line *l, const __u8 *raw)
{
	struct snap_entry e;
	char type[2] = {0};

	snap_entry(raw, &e);
	type[0] = e.type;
	put(l, "{\"type\":");
	put_json_str(l, type);
	if (e.has_level) {
		put(l, ",\"level\":");
		put_s64(l, e.level);
	}
	if (e.has_px) {
		put(l, ",\"px\":");
		put_s64(l, e.px);
	}
	if (e.has_size) {
		put(l, ",\"size\":");
		put_s64(l, e.size);
	}
	if (e.has_orders) {
		put(l, ",\"orders\":");
		put_s64(l, e.orders);
	}
	put(l, "}");
}

/* {"snapshot":{"channel":"X","security_id":N,"symbol":"S","rpt_seq":R,
 *  "last_msg_seq_num_processed":S,"entries":[...]}} */
static void print_snapshot_json(const struct fs_event *ev)
{
	char sym[FS_SYMBOL_LEN + 1];
	struct snap_view v;
	struct line l;
	unsigned int i;

	if (!snap_view(ev->msg, &v))
		return;
	l.n = 0;
	put_channel_head(&l, "snapshot", ev);
	put(&l, ",\"security_id\":");
	put_s64(&l, v.id);
	if (ev->msg->symbol_known) {
		fs_symbol_str(&ev->msg->symbol, sym);
		put(&l, ",\"symbol\":");
		put_json_str(&l, sym);
	}
	put(&l, ",\"rpt_seq\":");
	put_u64(&l, v.rpt);
	put(&l, ",\"last_msg_seq_num_processed\":");
	put_u64(&l, v.last);
	put(&l, ",\"entries\":[");
	for (i = 0; i < v.n; i++) {
		if (i)
			put(&l, ",");
		put_snap_entry(&l, v.entries + (size_t)i * v.entry_len);
	}
	put(&l, "]}}");
	end_line(&l);
}

void consume_print_json(const struct fs_event *ev)
{
	char session[MOLD_SESSION_LEN + 1];
	struct line l;

	l.n = 0;
	switch (ev->type) {
	case FS_EV_MESSAGE:
		print_msg_json(ev);
		return;
	case FS_EV_GAP:
		print_range_json("gap", ev);
		return;
	case FS_EV_GAP_RECOVERED:
		print_range_json("gap_recovered", ev);
		return;
	case FS_EV_RECOVERY:
		print_recovery_json(ev);
		return;
	case FS_EV_SNAPSHOT:
		print_snapshot_json(ev);
		return;
	case FS_EV_HEARTBEAT:
	case FS_EV_END_OF_SESSION:
		put_head(&l, ev);
		put_unit(&l, ev);
		put(&l, ev->type == FS_EV_HEARTBEAT ? ",\"heartbeat\":true,\"next_seq\":"
						    : ",\"end_of_session\":true,\"next_seq\":");
		put_u64(&l, ev->from);
		put(&l, "}");
		break;
	case FS_EV_SESSION:
		fs_session_str(ev->session, session);
		put_channel_head(&l, "session_start", ev);
		put_unit(&l, ev);
		put(&l, ",\"session\":");
		put_json_str(&l, ev->session_len ? session : "");
		put(&l, ",\"from\":");
		put_u64(&l, ev->from);
		put(&l, "}}");
		break;
	case FS_EV_STALE:
		put_channel_head(&l, "stale", ev);
		put_unit(&l, ev);
		put(&l, ",\"idle_ms\":");
		put_u64(&l, ev->idle_ns / 1000000);
		put(&l, "}}");
		break;
	case FS_EV_MALFORMED:
		put(&l, "{\"group\":\"");
		put(&l, group_text(&ev->frame->group));
		put(&l, "\",\"malformed\":true,\"len\":");
		put_u64(&l, ev->frame->len);
		put(&l, "}");
		break;
	}
	end_line(&l);
}

/* " session" after the channel, for a protocol that names its sessions. */
static void session_text(const struct fs_event *ev, char out[MOLD_SESSION_LEN + 2])
{
	out[0] = '\0';
	if (ev->session_len) {
		out[0] = ' ';
		fs_session_str(ev->session, out + 1);
	}
}

static void print_mdp3_text(const struct fs_event *ev)
{
	char sym[FS_SYMBOL_LEN + 1];
	const struct fs_msg *m = ev->msg;
	struct fs_entry_iter it;
	struct fs_entry e;

	printf("%s seq=%llu template=%u sending_time=%llu entries=", ev->channel_name,
	       (unsigned long long)m->seq, m->type,
	       (unsigned long long)ev->frame->sending_time);
	fs_entry_iter__init(&it, m);
	while (fs_entry_iter__next(&it, &e)) {
		if (e.symbol_known)
			fs_symbol_str(&e.symbol, sym);
		printf("[%d", e.security_id);
		if (e.has_rpt_seq)
			printf(" rpt_seq=%u", e.rpt_seq);
		printf(" symbol=%s]", e.symbol_known ? sym : "?");
	}
	printf("%s\n", ev->late ? " (late)" : "");
}

/* NYSE XDP and PITCH: numeric types, the key each names, and the out-of-band mark. */
static void print_keyed_text(const struct fs_event *ev)
{
	static const char *const oob[] = {"", " unsequenced", " retransmitted", " refresh",
					  " unavailable"};
	const struct fs_msg *m = ev->msg;
	const struct fs_frame *f = ev->frame;
	char sym[FS_SYMBOL_LEN + 1] = "?";

	if (m->symbol_known)
		fs_symbol_str(&m->symbol, sym);
	printf("%s", ev->channel_name);
	if (f->has_unit)
		printf(" unit=%u", f->unit);
	printf(" seq=%llu type=%u", (unsigned long long)m->seq, m->type);
	if (ev->proto == FS_PROTO_NYSE_XDP && m->has_key)
		printf(" symbol_index=%u", m->key);
	if (m->has_order_id)
		printf(" order_id=%llu", (unsigned long long)m->order_id);
	printf(" symbol=%s%s%s%s\n", sym,
	       f->kind == FS_FRAME_OUT_OF_BAND && f->out_of_band < 5 ? oob[f->out_of_band] : "",
	       m->order_unknown ? " order_unknown" : "", ev->late ? " (late)" : "");
}

/* " instruments=[N,...]" after an MDP3 gap */
static void print_instruments_text(const struct fs_event *ev)
{
	__u32 i;

	printf(" instruments=[");
	for (i = 0; i < ev->ninstruments && ev->instruments; i++)
		printf(i ? ",%d" : "%d", ev->instruments[i]);
	printf("]");
}

static void print_snapshot_text(const struct fs_event *ev)
{
	char sym[FS_SYMBOL_LEN + 1] = "?";
	struct snap_view v;
	unsigned int i;

	if (!snap_view(ev->msg, &v))
		return;
	if (ev->msg->symbol_known)
		fs_symbol_str(&ev->msg->symbol, sym);
	printf("%s snapshot security_id=%d symbol=%s rpt_seq=%u last_msg_seq_num_processed=%u "
	       "entries=", ev->channel_name, v.id, sym, v.rpt, v.last);
	for (i = 0; i < v.n; i++) {
		struct snap_entry e;

		/* As in JSON, null fields are left out. */
		snap_entry(v.entries + (size_t)i * v.entry_len, &e);
		printf("[%c", e.type);
		if (e.has_level)
			printf(" level=%d", e.level);
		if (e.has_px)
			printf(" px=%lld", (long long)e.px);
		if (e.has_size)
			printf(" size=%d", e.size);
		if (e.has_orders)
			printf(" orders=%d", e.orders);
		printf("]");
	}
	printf("\n");
}

void consume_print_text(const struct fs_event *ev)
{
	char session[MOLD_SESSION_LEN + 2], sym[FS_SYMBOL_LEN + 1];
	const struct fs_msg *m = ev->msg;

	session_text(ev, session);
	if (ev->has_unit) /* PITCH: the channel's name is every unit's */
		snprintf(session, sizeof(session), " unit=%u", ev->unit);
	switch (ev->type) {
	case FS_EV_MESSAGE:
		if (ev->proto == FS_PROTO_MDP3) {
			print_mdp3_text(ev);
			break;
		}
		if (ev->proto == FS_PROTO_NYSE_XDP || ev->proto == FS_PROTO_PITCH) {
			print_keyed_text(ev);
			break;
		}
		if (m->symbol_known)
			fs_symbol_str(&m->symbol, sym);
		printf("%s%s seq=%llu type=%c locate=%u symbol=%s%s%s\n", ev->channel_name,
		       session, (unsigned long long)m->seq, m->type, m->key,
		       m->symbol_known ? sym : "?", ev->retransmitted ? " (retransmitted)" : "",
		       ev->late ? " (late)" : "");
		break;
	case FS_EV_GAP:
	case FS_EV_GAP_RECOVERED:
		printf("%s%s %s: %llu %s from seq %llu", ev->channel_name, session,
		       ev->type == FS_EV_GAP ? "GAP" : "gap recovered",
		       (unsigned long long)ev->count,
		       ev->proto == FS_PROTO_MDP3 ? "packets" : "messages",
		       (unsigned long long)ev->from);
		if (ev->type == FS_EV_GAP && ev->proto == FS_PROTO_MDP3)
			print_instruments_text(ev);
		printf("\n");
		break;
	case FS_EV_HEARTBEAT:
	case FS_EV_END_OF_SESSION:
	case FS_EV_SESSION:
		printf("%s%s %s next_seq=%llu\n", ev->channel_name, session,
		       ev->type == FS_EV_HEARTBEAT	   ? "heartbeat"
		       : ev->type == FS_EV_END_OF_SESSION ? "end of session"
							  : "session start",
		       (unsigned long long)ev->from);
		break;
	case FS_EV_STALE:
		printf("%s%s STALE: no packet for %llu ms\n", ev->channel_name, session,
		       (unsigned long long)(ev->idle_ns / 1000000));
		break;
	case FS_EV_MALFORMED:
		printf("%s malformed frame, %u bytes\n", ev->channel_name, ev->frame->len);
		break;
	case FS_EV_RECOVERY:
		printf("%s%s recovery: %llu of %llu %s from seq %llu filled in %.3f ms\n",
		       ev->channel_name, session, (unsigned long long)ev->filled,
		       (unsigned long long)ev->count,
		       ev->proto == FS_PROTO_MDP3 ? "packets" : "messages",
		       (unsigned long long)ev->from, (double)ev->elapsed_ns / 1e6);
		break;
	case FS_EV_SNAPSHOT:
		print_snapshot_text(ev);
		break;
	}
}
