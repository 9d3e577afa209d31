// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * fs_frame__decode() and the message and entry iterators on CME MDP 3.0 packets, without a
 * consumer: packets come from mdp3_packet.h (offsets from the wire facts, not from the decoder's
 * table) and are handed over in a buffer that ends exactly where the frame does, so
 * AddressSanitizer catches any read past it. What is asserted is what an application sees: which
 * messages come out, which of their instruments, with which RptSeq and symbol, and whether the
 * packet is flagged malformed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "feedsieve.h"
#include "mdp3_packet.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define SENDING_TIME 1700000000123456789ULL

/* A copy of the first LEN bytes of P in a buffer of exactly that size. */
static __u8 *own(const struct mp_packet *p, size_t len)
{
	__u8 *b = malloc(len);

	cr_assert_not_null(b);
	memcpy(b, p->b, len);
	return b;
}

/* Metadata as the program writes it for an MDP3 group: WALKED keys examined, BITS wanted. */
static struct fs_xdp_meta meta(__u8 walked, __u64 bits0, __u8 flags)
{
	return up_meta(FS_PROTO_MDP3, walked, bits0, flags);
}

/* Decode BUF as an MDP3 frame: with metadata M, or (M NULL) saying the protocol ourselves. */
static void decode(struct fs_frame *f, const __u8 *buf, size_t len, const struct fs_xdp_meta *m)
{
	memset(f, 0, sizeof(*f));
	if (!m)
		f->proto = FS_PROTO_MDP3;
	cr_assert_eq(fs_frame__decode(f, buf, (__u32)len, m), 0, "decode failed");
	cr_assert_eq(f->proto, FS_PROTO_MDP3, "proto %d", (int)f->proto);
}

/*
 * What the iterators yield, as text: "TEMPLATE[ID:RPT=SYMBOL ...] ..." per delivered message,
 * RPT "-" without RptSeq, "=SYMBOL" only when known. Each message must be its bytes in the frame.
 */
static void collect(const struct fs_frame *f, char *out, size_t cap)
{
	struct fs_msg_iter it;
	struct fs_msg m;
	size_t n = 0;

	out[0] = '\0';
	fs_msg_iter__init(&it, f);
	while (fs_msg_iter__next(&it, &m)) {
		struct fs_entry_iter ei;
		struct fs_entry e;
		bool first = true;

		cr_assert_eq(m.seq, f->seq, "a message's seq is its packet's");
		cr_assert_geq(m.body, f->data);
		cr_assert_leq(m.body + m.len, f->data + f->len);
		cr_assert_eq(m.len, m.body[0] | m.body[1] << 8, "len is MsgSize");
		cr_assert_eq(m.type, m.body[4] | m.body[5] << 8, "type is TemplateID");
		n += (size_t)snprintf(out + n, cap - n, "%s%u[", n ? " " : "", m.type);
		fs_entry_iter__init(&ei, &m);
		while (fs_entry_iter__next(&ei, &e)) {
			char sym[FS_SYMBOL_LEN + 1] = "";

			cr_assert_geq(e.body, m.body);
			cr_assert_leq(e.body + e.len, m.body + m.len, "entry outside its message");
			if (e.symbol_known)
				fs_symbol_str(&e.symbol, sym);
			n += (size_t)snprintf(out + n, cap - n, "%s%d:", first ? "" : " ",
					      e.security_id);
			n += (size_t)(e.has_rpt_seq ? snprintf(out + n, cap - n, "%u", e.rpt_seq)
						    : snprintf(out + n, cap - n, "-"));
			if (e.symbol_known)
				n += (size_t)snprintf(out + n, cap - n, "=%s", sym);
			first = false;
		}
		n += (size_t)snprintf(out + n, cap - n, "]");
		cr_assert_lt(n, cap);
	}
	cr_assert_not(fs_msg_iter__next(&it, &m), "the iterator yields again after the end");
}

/* Decode P (whole) with M and compare what comes out with WANT. */
static void expect(const struct mp_packet *p, const struct fs_xdp_meta *m, bool malformed,
		   const char *want, const char *what)
{
	__u8 *buf = own(p, p->n);
	struct fs_frame f;
	char got[1024];

	decode(&f, buf, p->n, m);
	cr_assert_eq(f.malformed, malformed, "%s: malformed %d, want %d", what, f.malformed,
		     malformed);
	collect(&f, got, sizeof(got));
	cr_assert_str_eq(got, want, "%s: yields \"%s\", want \"%s\"", what, got, want);
	free(buf);
}

/* ---- The packet header ---- */

Test(mdp3_decode, header)
{
	struct mp_packet p;
	struct fs_xdp_meta m = meta(0, 0, 0);
	struct fs_frame f;
	__u8 st[8], *buf;
	int i;

	mp_begin(&p, 7, SENDING_TIME);
	mp_heartbeat(&p);
	mp_finish(&p);
	buf = own(&p, p.n);
	decode(&f, buf, p.n, &m);
	cr_assert_not(f.malformed);
	cr_assert_eq(f.kind, FS_FRAME_DATA, "every MDP3 packet is data");
	cr_assert_eq(f.seq, 7, "seq is MsgSeqNum");
	cr_assert_eq(f.seq_count, 1, "one sequence number per packet");
	cr_assert_eq(f.sending_time, SENDING_TIME);
	cr_assert_eq(f.session_len, 0, "MDP3 names no session");
	cr_assert_not(f.session_named, "past MsgSeqNum 1 a packet belongs to the current session");
	free(buf);

	/* MsgSeqNum 1: the session is named by its SendingTime, as 8 little-endian bytes. */
	mp_begin(&p, 1, SENDING_TIME);
	mp_heartbeat(&p);
	mp_finish(&p);
	buf = own(&p, p.n);
	decode(&f, buf, p.n, &m);
	for (i = 0; i < 8; i++)
		st[i] = (__u8)(SENDING_TIME >> (8 * i));
	cr_assert(f.session_named, "MsgSeqNum 1 starts a session");
	cr_assert_eq(f.session_hash, fs_session_hash(st, 8), "identity: hash of SendingTime");
	free(buf);
}

/* Its header only, no message: well formed, one sequence number, nothing to hand over (as the
 * program, which delivers it on an all-symbols group), with metadata and without. */
Test(mdp3_decode, header_only)
{
	struct fs_xdp_meta m = meta(0, 0, FS_META_F_ALL_SYMBOLS);
	struct mp_packet p;

	mp_begin(&p, 9, SENDING_TIME);
	mp_finish(&p);
	cr_assert_eq(p.n, MP_PAYLOAD + MP_HDR_SIZE, "a packet of its header only");
	expect(&p, &m, false, "", "header only, with metadata");
	expect(&p, NULL, false, "", "header only, without metadata");
}

/* ---- Which messages and entries come out ---- */

/*
 * Keys in wire order: book 100 200 300 (keys 0-2), an unknown template (none), volume 200 400
 * (3-4), heartbeat (none), status 500 (5), orders 600 (6), ChannelReset (none), an empty book
 * (none).
 */
static void mixed_packet(struct mp_packet *p)
{
	static const __s32 book_ids[] = {100, 200, 300}, vol_ids[] = {200, 400}, ord_ids[] = {600};
	static const __u32 book_rpt[] = {11, 21, 31}, vol_rpt[] = {22, 41};

	mp_begin(p, 42, SENDING_TIME);
	mp_book(p, book_ids, book_rpt, 3, 0, 0);
	mp_unknown(p, 99, 16);
	mp_volume(p, vol_ids, vol_rpt, 2);
	mp_heartbeat(p);
	mp_status(p, 500);
	mp_orders(p, ord_ids, 1);
	mp_channel_reset(p, 310);
	mp_book(p, NULL, NULL, 0, 0, 0);
	mp_finish(p);
}

Test(mdp3_iter, match_bits_per_key)
{
	struct mp_packet p;
	struct fs_xdp_meta m;

	mixed_packet(&p);
	m = meta(7, 1 << 1 | 1 << 5, 0);
	expect(&p, &m, false, "46[200:21] 12[] 30[500:-] 4[]",
	       "keys 1 and 5 wanted: only those entries; keyless messages always");
	m = meta(7, 1 << 0 | 1 << 2 | 1 << 4 | 1 << 6, 0);
	expect(&p, &m, false, "46[100:11 300:31] 37[400:41] 12[] 47[600:-] 4[]",
	       "keys 0, 2, 4, 6: counted across the unknown template");
	m = meta(7, 0, 0);
	expect(&p, &m, false, "12[] 4[]", "nothing wanted: AdminHeartbeat and ChannelReset only");
	m = meta(7, 0x7f, 0);
	expect(&p, &m, false,
	       "46[100:11 200:21 300:31] 37[200:22 400:41] 12[] 30[500:-] 47[600:-] 4[]",
	       "every key wanted: not the unknown template, not the empty book");
}

Test(mdp3_iter, all_symbols)
{
	struct mp_packet p;
	struct fs_xdp_meta m;

	mixed_packet(&p);
	m = meta(7, 0x7f, FS_META_F_ALL_SYMBOLS);
	expect(&p, &m, false,
	       "46[100:11 200:21 300:31] 99[] 37[200:22 400:41] 12[] 30[500:-] 47[600:-] 4[] 46[]",
	       "all-symbols group: every message, unknown and empty ones too");
}

Test(mdp3_iter, deciding_without_the_program)
{
	struct mp_packet p;
	struct fs_xdp_meta m;

	mixed_packet(&p);
	expect(&p, NULL, false,
	       "46[100:11 200:21 300:31] 99[] 37[200:22 400:41] 12[] 30[500:-] 47[600:-] 4[] 46[]",
	       "no metadata and no directory: everything handed over");
	m = meta(2, 1 << 1, FS_META_F_OVERFLOW);
	/* The metadata says the group does not take everything: the unknown template and the
	 * empty book stay out whatever the walk. */
	expect(&p, &m, false, "46[200:21 300:31] 37[200:22 400:41] 12[] 30[500:-] 47[600:-] 4[]",
	       "2 keys walked: key 0 dropped, key 1 kept, the rest handed over");
	m = meta(2, 0, FS_META_F_OVERFLOW);
	expect(&p, &m, false, "46[300:31] 37[200:22 400:41] 12[] 30[500:-] 47[600:-] 4[]",
	       "a message whose walked keys are unwanted is still delivered for an unwalked one");
}

Test(mdp3_iter, longer_blocks)
{
	static const __s32 ids[] = {7, -8};
	static const __u32 rpts[] = {70, 80};
	struct mp_packet p;
	struct fs_xdp_meta m = meta(4, 0xf, 0);

	mp_begin(&p, 3, SENDING_TIME);
	mp_book(&p, ids, rpts, 2, MP_INCR_ROOT + 8, MP_BOOK_ENTRY + 12);
	/* A newer version's group appended after the known ones, inside MsgSize. */
	mp_volume(&p, ids, rpts, 2);
	p.open = p.msg_off[--p.n_msgs];
	mp_group(&p, 4, 2, false);
	mp_zero(&p, 8);
	mp_msg_end(&p);
	mp_finish(&p);
	expect(&p, &m, false, "46[7:70 -8:80] 37[7:70 -8:80]",
	       "longer root and entries, an appended group: read at the lengths on the wire");
}

Test(mdp3_iter, root_keys_and_definitions)
{
	struct mp_packet p;
	struct fs_xdp_meta m = meta(2, 0x3, 0);
	struct fs_msg_iter it;
	struct fs_frame f;
	struct fs_msg msg;
	char sym[FS_SYMBOL_LEN + 1];
	__u8 *buf;

	mp_begin(&p, 9, SENDING_TIME);
	mp_definition(&p, "ESZ6-ESH7 SPREAD", 123456);
	mp_status(&p, 123456);
	mp_finish(&p);
	expect(&p, &m, false, "54[123456:-=ESZ6-ESH7 SPREAD] 30[123456:-]",
	       "definition: its own symbol; status: symbol unknown without a directory");

	buf = own(&p, p.n);
	decode(&f, buf, p.n, &m);
	fs_msg_iter__init(&it, &f);
	cr_assert(fs_msg_iter__next(&it, &msg));
	cr_assert(msg.has_key, "a root-keyed message has its key");
	cr_assert_eq((__s32)msg.key, 123456);
	cr_assert(msg.symbol_known);
	fs_symbol_str(&msg.symbol, sym);
	cr_assert_str_eq(sym, "ESZ6-ESH7 SPREAD");
	free(buf);
}

Test(mdp3_iter, entry_keyed_message_has_no_single_key)
{
	static const __s32 ids[] = {5};
	static const __u32 rpts[] = {1};
	struct mp_packet p;
	struct fs_xdp_meta m = meta(1, 1, 0);
	struct fs_msg_iter it;
	struct fs_frame f;
	struct fs_msg msg;
	__u8 *buf;

	mp_begin(&p, 9, SENDING_TIME);
	mp_book(&p, ids, rpts, 1, 0, 0);
	mp_finish(&p);
	buf = own(&p, p.n);
	decode(&f, buf, p.n, &m);
	fs_msg_iter__init(&it, &f);
	cr_assert(fs_msg_iter__next(&it, &msg));
	cr_assert_not(msg.has_key, "its instruments are its entries");
	free(buf);
}

/* ---- Malformed packets ---- */

/* Every truncation of a good packet: malformed unless it ends between two messages, and then
 * exactly the messages before the cut come out. */
Test(mdp3_malformed, truncated_at_every_length)
{
	static const __s32 ids[] = {1, 2};
	static const __u32 rpts[] = {10, 20};
	struct mp_packet p;
	struct fs_xdp_meta m = meta(FS_MAX_WALK, ~0ULL, FS_META_F_ALL_SYMBOLS);
	size_t full, cut, i, checked = 0;

	mp_begin(&p, 5, SENDING_TIME);
	mp_book(&p, ids, rpts, 2, 0, 0);
	mp_volume(&p, ids, rpts, 1);
	mp_heartbeat(&p);
	mp_definition(&p, "ESZ6", 1);
	mp_status(&p, 2);
	mp_channel_reset(&p, 310);
	full = p.n;
	for (cut = MP_PAYLOAD; cut < full; cut++) {
		struct mp_packet t = p;
		bool boundary = cut == MP_PAYLOAD + MP_HDR_SIZE;
		size_t kept = 0;
		struct fs_frame f;
		struct fs_msg_iter it;
		struct fs_msg msg;
		__u8 *buf;

		for (i = 0; i < p.n_msgs; i++) {
			if (p.msg_end[i] == cut)
				boundary = true;
			if (p.msg_end[i] <= cut)
				kept++;
		}
		mp_finish_at(&t, cut);
		buf = own(&t, cut);
		decode(&f, buf, cut, &m);
		cr_assert_eq(f.malformed, !boundary, "payload cut to %zu bytes: malformed %d",
			     cut - MP_PAYLOAD, f.malformed);
		fs_msg_iter__init(&it, &f);
		for (i = 0; fs_msg_iter__next(&it, &msg); i++)
			;
		cr_assert_eq(i, boundary ? kept : 0, "payload cut to %zu bytes: %zu messages",
			     cut - MP_PAYLOAD, i);
		free(buf);
		checked++;
	}
	cr_assert_gt(checked, 300, "every length of a packet of %zu bytes", full);
}

struct bad_case {
	const char *desc;
	bool malformed;
	void (*build)(struct mp_packet *p);
};

static const __s32 one_id[] = {77};
static const __u32 one_rpt[] = {7};

/* The message's MsgSize field, the one of message I. */
static void set_size(struct mp_packet *p, size_t i, __u16 v)
{
	mp_put_at(p, p->msg_off[i], v, 2);
}

static void size_9(struct mp_packet *p)
{
	mp_heartbeat(p);
	set_size(p, 0, 9);
}

static void size_0(struct mp_packet *p)
{
	mp_heartbeat(p);
	set_size(p, 0, 0);
}

static void size_past_payload(struct mp_packet *p)
{
	mp_book(p, one_id, one_rpt, 1, 0, 0);
	set_size(p, 0, (__u16)(p->n - p->msg_off[0] + 1));
}

static void block_length_past_size(struct mp_packet *p)
{
	mp_status(p, 1);
	mp_put_at(p, p->msg_off[0] + 2, MP_STATUS_ROOT + 1, 2);
}

static void group_header_past_size(struct mp_packet *p)
{
	mp_msg(p, 46, MP_INCR_ROOT);
	mp_put(p, MP_BOOK_ENTRY, 2); /* 2 of the 3 header bytes */
	mp_msg_end(p);
}

static void entries_past_size(struct mp_packet *p)
{
	mp_book(p, one_id, one_rpt, 1, 0, 0);
	p->b[p->msg_off[0] + MP_MSG_HDR + MP_INCR_ROOT + 2] = 2; /* numInGroup 2, one present */
}

static void entry_too_short_for_id(struct mp_packet *p)
{
	mp_msg(p, 46, MP_INCR_ROOT);
	mp_group(p, 15, 1, false); /* SecurityID at 12 needs 16 */
	mp_zero(p, 15);
	mp_msg_end(p);
}

static void empty_group_short_entries(struct mp_packet *p)
{
	mp_msg(p, 46, MP_INCR_ROOT);
	mp_group(p, 15, 0, false); /* nothing to read in it */
	mp_group(p, 24, 0, true);
	mp_msg_end(p);
}

static void second_group_header_cut(struct mp_packet *p)
{
	mp_msg(p, 46, MP_INCR_ROOT);
	mp_group(p, MP_BOOK_ENTRY, 1, false);
	mp_entry(p, MP_BOOK_ENTRY, 12, 77, 16, 7);
	mp_put(p, 24, 2); /* OrderID header: 3 of its 8 bytes */
	mp_put(p, 0, 1);
	mp_msg_end(p);
}

static void second_group_absent(struct mp_packet *p)
{
	mp_msg(p, 46, MP_INCR_ROOT); /* before version 7 the book had no OrderID group */
	mp_group(p, MP_BOOK_ENTRY, 1, false);
	mp_entry(p, MP_BOOK_ENTRY, 12, 77, 16, 7);
	mp_msg_end(p);
}

static void definition_groups_absent(struct mp_packet *p)
{
	mp_msg(p, 54, 224); /* a definition root, none of its groups */
	mp_msg_end(p);
}

static void channel_reset_group_absent(struct mp_packet *p)
{
	mp_msg(p, 4, 9); /* no key: its one group may be absent like any later one */
	mp_msg_end(p);
}

static void keyed_group_absent(struct mp_packet *p)
{
	mp_msg(p, 46, MP_INCR_ROOT);
	mp_msg_end(p);
}

static void root_too_short_for_id(struct mp_packet *p)
{
	mp_msg(p, 30, 23); /* SecurityID at 20 needs 24 */
	mp_msg_end(p);
}

static void definition_too_short(struct mp_packet *p)
{
	mp_msg(p, 54, 58); /* Symbol 35 + 20, SecurityID 55 + 4: 59 */
	mp_msg_end(p);
}

static void stray_byte(struct mp_packet *p)
{
	mp_heartbeat(p);
	mp_put(p, 0, 1);
}

static void stray_9_bytes(struct mp_packet *p)
{
	mp_heartbeat(p);
	mp_put(p, 9, 2);
	mp_zero(p, 7);
}

static void unknown_template_long(struct mp_packet *p)
{
	mp_unknown(p, 500, 300); /* above every table id: stepped over by MsgSize */
	mp_heartbeat(p);
}

static void unknown_block_past_size(struct mp_packet *p)
{
	mp_unknown(p, 99, 4);
	mp_put_at(p, p->msg_off[0] + 2, 5, 2);
}

Test(mdp3_malformed, shapes)
{
	static const struct bad_case cases[] = {
	    {"MsgSize 9, below the SBE header", true, size_9},
	    {"MsgSize 0", true, size_0},
	    {"MsgSize past the payload", true, size_past_payload},
	    {"BlockLength past MsgSize", true, block_length_past_size},
	    {"group header past MsgSize", true, group_header_past_size},
	    {"numInGroup * blockLength past MsgSize", true, entries_past_size},
	    {"entry blockLength too short for SecurityID", true, entry_too_short_for_id},
	    {"8-byte group header cut by MsgSize", true, second_group_header_cut},
	    {"keyed group missing", true, keyed_group_absent},
	    {"root too short for SecurityID", true, root_too_short_for_id},
	    {"definition root too short for Symbol and SecurityID", true, definition_too_short},
	    {"a stray byte after the last message", true, stray_byte},
	    {"9 bytes after the last message", true, stray_9_bytes},
	    {"unknown template's BlockLength past MsgSize", true, unknown_block_past_size},
	    {"an empty group with short entries is fine", false, empty_group_short_entries},
	    {"a message ending before a later group (older version) is fine", false,
	     second_group_absent},
	    {"a definition ending after its root (older version) is fine", false,
	     definition_groups_absent},
	    {"a ChannelReset without its group is fine", false, channel_reset_group_absent},
	    {"an unknown template is stepped over", false, unknown_template_long},
	};
	struct fs_xdp_meta m = meta(FS_MAX_WALK, ~0ULL, FS_META_F_ALL_SYMBOLS);
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct mp_packet p;
		__u8 *buf;
		struct fs_frame f;
		char got[256];

		mp_begin(&p, 11, SENDING_TIME);
		cases[i].build(&p);
		mp_finish(&p);
		buf = own(&p, p.n);
		decode(&f, buf, p.n, &m);
		cr_assert_eq(f.malformed, cases[i].malformed, "%s: malformed %d", cases[i].desc,
			     f.malformed);
		collect(&f, got, sizeof(got));
		if (cases[i].malformed)
			cr_assert_str_eq(got, "", "%s: a malformed packet yields \"%s\"",
					 cases[i].desc, got);
		else
			cr_assert_str_neq(got, "", "%s: yields nothing", cases[i].desc);
		free(buf);
	}
}

Test(mdp3_malformed, header_short_and_program_flag)
{
	struct mp_packet p;
	struct fs_xdp_meta m = meta(1, 1, FS_META_F_MALFORMED);

	mp_begin(&p, 1, SENDING_TIME);
	mp_status(&p, 1);
	mp_finish(&p);
	expect(&p, &m, true, "", "the program's malformed flag on a good packet");
	mp_finish_at(&p, MP_PAYLOAD + MP_HDR_SIZE - 1);
	expect(&p, NULL, true, "", "packet header one byte short");
	mp_finish_at(&p, MP_PAYLOAD + MP_HDR_SIZE);
	expect(&p, NULL, false, "", "a packet of no message");
}

/*
 * Seeded byte mutations of a good packet: whatever the bytes say, the decoder reads nothing past
 * the frame (AddressSanitizer), and what a well-formed verdict lets through lies inside its
 * message and its message inside the frame (collect() asserts it).
 */
Test(mdp3_malformed, mutations)
{
	static const __s32 ids[] = {1, 2, 3};
	static const __u32 rpts[] = {10, 20, 30};
	struct fs_xdp_meta m = meta(FS_MAX_WALK, ~0ULL, FS_META_F_ALL_SYMBOLS);
	unsigned int seed = 12345, round, malformed = 0;
	struct mp_packet p;

	mp_begin(&p, 5, SENDING_TIME);
	mp_book(&p, ids, rpts, 3, 0, 0);
	mp_volume(&p, ids, rpts, 2);
	mp_definition(&p, "ESZ6", 1);
	mp_status(&p, 2);
	mp_heartbeat(&p);
	mp_finish(&p);
	for (round = 0; round < 20000; round++) {
		struct mp_packet t = p;
		struct fs_frame f;
		char got[1024];
		int flips = 1 + (int)(rand_r(&seed) % 4), i;
		__u8 *buf;

		for (i = 0; i < flips; i++) {
			size_t at = MP_PAYLOAD + (size_t)rand_r(&seed) % (p.n - MP_PAYLOAD);

			t.b[at] = (__u8)(rand_r(&seed) % 3 ? rand_r(&seed) : t.b[at] ^ 0x80);
		}
		buf = own(&t, t.n);
		decode(&f, buf, t.n, &m);
		malformed += f.malformed;
		collect(&f, got, sizeof(got));
		if (f.malformed)
			cr_assert_str_eq(got, "", "round %u: malformed yet yields \"%s\"", round, got);
		free(buf);
	}
	/* Both verdicts must occur, or the mutations test nothing. */
	cr_assert_gt(malformed, 1000, "%u of 20000 mutations malformed", malformed);
	cr_assert_lt(malformed, 19000, "%u of 20000 mutations malformed", malformed);
}
