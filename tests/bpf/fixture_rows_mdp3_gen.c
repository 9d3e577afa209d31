// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * MDP3 fixture rows made from a rule: a packet cut at every boundary of its headers, blocks and
 * entries (and inside each), every kind of inconsistent MsgSize, and the walk bound of
 * FS_MAX_WALK keys. The offsets the rows assume are checked against the built packet's length.
 */
#include <criterion/criterion.h>

#include "fixture_mdp3.h"

/* One frame to MA (ES subscribed by id), its outcome still to be said. */
static struct row mdp3_row(const char *desc, const struct fb_mdp3_msg *msgs, size_t n)
{
	struct row r = {.desc = desc, .groups = {MA}, ES_BY_ID};

	r.steps[0].f.payload = FB_MDP3;
	r.steps[0].f.mdp3 = msgs;
	r.steps[0].f.n_mdp3 = n;
	return r;
}

static void set_malformed(struct row *r, __u8 walked)
{
	r->steps[0].out = OUT_NO_SOCKET;
	r->steps[0].meta = (struct meta_expect){.flags = FS_META_F_MALFORMED, .walked = walked};
	r->gstats[0] =
	    (struct fs_counters){.frames_seen = 1, .frames_no_socket = 1, .frames_malformed = 1};
}

static void set_delivered(struct row *r, __u64 bits0, __u64 bits1, __u8 walked, __u64 matched)
{
	r->steps[0].out = OUT_NO_SOCKET;
	r->steps[0].meta = (struct meta_expect){.bits = {bits0, bits1}, .walked = walked};
	r->gstats[0] = (struct fs_counters){.frames_seen = 1,
					    .frames_no_socket = 1,
					    .frames_first = 1,
					    .msgs_walked = 1,
					    .msgs_new = 1,
					    .msgs_delivered = 1,
					    .msgs_matched = matched};
	r->sym[0] = (struct sym_spec){S_ES, matched, 0};
}

static void set_filtered(struct row *r)
{
	r->steps[0].out = OUT_FILTERED;
	r->gstats[0] = (struct fs_counters){.frames_seen = 1,
					    .frames_filtered = 1,
					    .frames_first = 1,
					    .msgs_walked = 1,
					    .msgs_new = 1,
					    .msgs_filtered = 1};
}

static void add(struct row *out, size_t max, size_t *n, const struct row *r)
{
	if (*n < max)
		out[*n] = *r;
	(*n)++;
}

/* The payload length the builder gives MSGS, checked against the offsets the rows assume. */
static size_t payload_len(const struct fb_mdp3_msg *msgs, size_t n)
{
	struct fb_frame f = {.payload = FB_MDP3, .mdp3 = msgs, .n_mdp3 = n};
	__u8 buf[FB_MAX_FRAME];
	struct fb_layout l;

	cr_assert(fb_build(&f, buf, sizeof(buf), &l), "an MDP3 base frame does not build");
	return l.dgram_end - l.payload_off;
}

struct cut {
	__u16 at;
	const char *where;
};

/*
 * A 46 with ES and CL entries, then a 37 with NQ, cut (lengths agreeing) at every boundary of the
 * packet header, MsgSize, SBE header, root, group headers and each entry, and inside each. A cut
 * at a message boundary leaves a valid packet of fewer messages; any other is malformed, with the
 * keys of the whole messages before it examined.
 */
static const struct fb_mdp3_msg book_vol[] = {BOOK(ID_ES, ID_CL), VOL(ID_NQ)};

static void truncated_book(struct row *out, size_t max, size_t *n)
{
	const struct fb_mdp3_msg *msgs = book_vol;
	static const struct cut cuts[] = {
	    {0, "no packet header"},
	    {2, "inside MsgSeqNum"},
	    {4, "MsgSeqNum only"},
	    {8, "inside SendingTime"},
	    {11, "one byte short of the packet header"},
	    {13, "inside the first MsgSize"},
	    {14, "MsgSize only"},
	    {18, "inside the SBE header"},
	    {21, "one byte short of the SBE header"},
	    {22, "SBE header, the root missing"},
	    {30, "inside the root"},
	    {32, "one byte short of the root"},
	    {33, "root, the group header missing"},
	    {35, "inside the group header"},
	    {36, "group header, the entries missing"},
	    {50, "inside entry 0"},
	    {67, "one byte short of entry 0"},
	    {68, "entry 0, entry 1 missing"},
	    {84, "inside entry 1"},
	    {99, "one byte short of entry 1"},
	    {100, "both entries, the 8-byte group header missing"},
	    {104, "inside the 8-byte group header"},
	    {107, "one byte short of the first message's end"},
	    {109, "inside the second MsgSize"},
	    {110, "the second MsgSize only"},
	    {117, "inside the second SBE header"},
	    {118, "the second SBE header, its root missing"},
	    {128, "one byte short of the second root"},
	    {129, "the second root, its group header missing"},
	    {131, "inside the second group header"},
	    {132, "the second group header, its entry missing"},
	    {140, "inside the second message's entry"},
	    {147, "one byte short of the end"},
	};
	size_t i;

	cr_assert_eq(payload_len(msgs, 2), 148, "the truncation rows assume a 148-byte packet");
	for (i = 0; i < ARRAY_SIZE(cuts); i++) {
		struct row r =
		    mdp3_row(fx_fmt("MDP3: 46 (ES, CL) + 37 (NQ) cut at payload byte %u (%s): "
				    "malformed",
				    cuts[i].at, cuts[i].where),
			     msgs, 2);

		r.steps[0].f.short_payload = true;
		r.steps[0].f.payload_len = cuts[i].at;
		set_malformed(&r, cuts[i].at > 108 ? 2 : 0);
		add(out, max, n, &r);
	}
	{
		struct row r = mdp3_row("MDP3: 46 + 37 cut after the packet header: no message, "
					"filtered",
					msgs, 2);

		r.steps[0].f.short_payload = true;
		r.steps[0].f.payload_len = 12;
		set_filtered(&r);
		add(out, max, n, &r);
	}
	{
		struct row r = mdp3_row("MDP3: 46 + 37 cut after the 46: a valid packet of one "
					"message, ES marked",
					msgs, 2);

		r.steps[0].f.short_payload = true;
		r.steps[0].f.payload_len = 108;
		set_delivered(&r, 0x1, 0, 2, 1);
		add(out, max, n, &r);
	}
	{
		struct row r = mdp3_row("MDP3: 46 + 37 whole: ES marked, 3 keys walked", msgs, 2);

		set_delivered(&r, 0x1, 0, 3, 1);
		add(out, max, n, &r);
	}
}

/* A future definition (groups of one entry each) on a definitions group, NQZ6 subscribed by
 * name, cut inside its root and groups: malformed, and nothing learned. */
static void truncated_definition(struct row *out, size_t max, size_t *n)
{
	static const struct fb_mdp3_msg msgs[] = {
	    {.tid = T_FUT, .id = ID_NQ, .symbol = "NQZ6", .later = 1}};
	static const struct cut cuts[] = {
	    {13, "inside MsgSize"},
	    {22, "the SBE header, the root missing"},
	    {57, "the root up to its Symbol"},
	    {67, "inside the Symbol"},
	    {77, "the Symbol, the SecurityID missing"},
	    {79, "inside the SecurityID"},
	    {81, "the SecurityID, the rest of the root missing"},
	    {245, "one byte short of the root"},
	    {246, "the root, its groups missing"},
	    {248, "inside the first group header"},
	    {249, "the first group header, its entry missing"},
	    {257, "one byte short of the first group's entry"},
	    {264, "one byte short of the second group"},
	    {279, "one byte short of the last group"},
	};
	size_t i;

	cr_assert_eq(payload_len(msgs, 1), 280, "the definition rows assume a 280-byte packet");
	for (i = 0; i < ARRAY_SIZE(cuts); i++) {
		struct row r =
		    mdp3_row(fx_fmt("MDP3: a definition on a definitions group cut at byte "
				    "%u (%s): malformed, not learned",
				    cuts[i].at, cuts[i].where),
			     msgs, 1);

		r.groups[0] = (struct group_spec)MDEFS;
		r.subs[0] = (struct sub_spec){"NQZ6", S_NQ};
		r.steps[0].f.short_payload = true;
		r.steps[0].f.payload_len = cuts[i].at;
		set_malformed(&r, 0);
		add(out, max, n, &r);
	}
	{
		struct row r = mdp3_row("MDP3: the same definition whole: learned, marked, "
					"delivered",
					msgs, 1);

		r.groups[0] = (struct group_spec)MDEFS;
		r.subs[0] = (struct sub_spec){"NQZ6", S_NQ};
		set_delivered(&r, 0x1, 0, 1, 1);
		r.gstats[0].dir_learned = 1;
		r.sym[0] = (struct sym_spec){S_NQ, 1, 1};
		r.id_dir_changes = true;
		r.id_dir[0] = (struct id_spec)ID_(M_FEED, ID_NQ, "NQZ6", S_NQ + 1);
		r.id_dir[1] = (struct id_spec)ID_(M_FEED, ID_ES, NULL, S_ES + 1);
		add(out, max, n, &r);
	}
}

/* A lone 37 (40 bytes) whose MsgSize says V: only 40 is consistent. */
static void msg_sizes(struct row *out, size_t max, size_t *n)
{
	static const __u16 sizes[] = {0, 1, 9, 10, 11, 20, 21, 23, 24, 39, 40, 41, 0xFFFF};
	static struct fb_mdp3_msg msgs[ARRAY_SIZE(sizes)];
	static const __s32 es[] = {ID_ES};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		struct row r;

		msgs[i] = (struct fb_mdp3_msg){
		    .tid = T_VOL, .ids = es, .n_ids = 1, .set_size = true, .size = sizes[i]};
		r = mdp3_row(fx_fmt("MDP3: a 40-byte 37 whose MsgSize says %u: %s", sizes[i],
				    sizes[i] < 10    ? "less than its header, malformed"
				    : sizes[i] < 21  ? "BlockLength past it, malformed"
				    : sizes[i] < 24  ? "no room for the group header, malformed"
				    : sizes[i] < 40  ? "the entry past it, malformed"
				    : sizes[i] == 40 ? "consistent, matched"
						     : "past the end of the packet, malformed"),
			     &msgs[i], 1);
		if (sizes[i] == 40)
			set_delivered(&r, 0x1, 0, 1, 1);
		else
			set_malformed(&r, 0);
		add(out, max, n, &r);
	}
}

/*
 * The walk bound: two 37s of A and B entries. ES at entry positions ES_AT (global key numbers);
 * past FS_MAX_WALK keys the frame is delivered whole and flagged, its later keys unexamined.
 */
static void overflow(struct row *out, size_t max, size_t *n)
{
	static __s32 ids[4][256];
	static struct fb_mdp3_msg msgs[4][2];
	static const struct {
		__u8 a, b;
		short es1, es2;
	} shapes[] = {{64, 64, 3, 127}, {100, 100, 5, 150}, {64, 65, 128, -1}, {100, 100, 5, 150}};
	size_t s, k;

	for (s = 0; s < ARRAY_SIZE(shapes); s++) {
		unsigned int keys = shapes[s].a + shapes[s].b;
		bool over = keys > FS_MAX_WALK;
		__u64 b0 = 0, b1 = 0, matched = 0;
		struct row r;

		for (k = 0; k < keys; k++)
			ids[s][k] = ID_CL;
		ids[s][shapes[s].es1] = ID_ES;
		if (shapes[s].es2 >= 0)
			ids[s][shapes[s].es2] = ID_ES;
		msgs[s][0] =
		    (struct fb_mdp3_msg){.tid = T_VOL, .ids = ids[s], .n_ids = shapes[s].a};
		msgs[s][1] = (struct fb_mdp3_msg){
		    .tid = T_VOL, .ids = ids[s] + shapes[s].a, .n_ids = shapes[s].b};
		for (k = 0; k < keys && k < FS_MAX_WALK; k++) {
			if (ids[s][k] != ID_ES)
				continue;
			matched++;
			if (k < 64)
				b0 |= 1ULL << k;
			else
				b1 |= 1ULL << (k - 64);
		}
		if (s == 3) {
			r = mdp3_row("MDP3 A/B: a 200-key packet on A (delivered whole, flagged), "
				     "then on B: B's a duplicate, its one sequence number claimed",
				     msgs[s], 2);
			r.groups[0] =
			    (struct group_spec)MGROUP(GA_ADDR, GA_PORT, GA_ID, 0, AB_CH, FS_LINE_A);
			r.groups[1] =
			    (struct group_spec)MGROUP(GB_ADDR, GB_PORT, GB_ID, 0, AB_CH, FS_LINE_B);
			r.steps[1] = r.steps[0];
			r.steps[1].to = TO_B;
			r.steps[1].out = OUT_DUPLICATE;
			r.gstats[1] = (struct fs_counters){.frames_seen = 1,
							   .frames_duplicate = 1,
							   .msgs_walked = 1,
							   .msgs_duplicate = 1};
		} else {
			r = mdp3_row(
			    fx_fmt("MDP3: %u keys in two 37s (ES at keys %d, %d): %s", keys,
				   shapes[s].es1,
				   shapes[s].es2 >= 0 ? shapes[s].es2 : shapes[s].es1,
				   over ? "past the walk bound, delivered whole and flagged, "
					  "the keys past it unexamined"
					: "every key examined"),
			    msgs[s], 2);
		}
		set_delivered(&r, b0, b1, keys < FS_MAX_WALK ? keys : FS_MAX_WALK, matched);
		if (over) {
			r.steps[0].meta.flags = FS_META_F_OVERFLOW;
			r.gstats[0].frames_walk_overflow = 1;
		}
		add(out, max, n, &r);
	}
}

size_t fx_rows_mdp3_generated(struct row *out, size_t max)
{
	size_t n = 0;

	truncated_book(out, max, &n);
	truncated_definition(out, max, &n);
	msg_sizes(out, max, &n);
	overflow(out, max, &n);
	return n;
}
