// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Byte-level tests of feedgen's CME MDP 3.0 encoders, packet builder, instrument table and
 * generator. Expected offsets are the numbers of docs/wire/mdp3.md written out here, not the
 * encoder's constants, so a wrong constant, byte order or length fails; the template table of
 * wire_mdp3.h is checked against the same numbers.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"
#include "mdp3_encode.h"
#include "symbols.h"
#include "le_read.h"

/* MsgSize, BlockLength, TemplateID, SchemaID 1, Version 13 at 0, 2, 4, 6, 8. */
static void expect_header(const __u8 *m, int len, __u16 block, __u16 template_id)
{
	cr_expect_eq(RD16(m + 0), len, "MsgSize");
	cr_expect_eq(RD16(m + 2), block, "BlockLength");
	cr_expect_eq(RD16(m + 4), template_id, "TemplateID");
	cr_expect_eq(RD16(m + 6), 1, "SchemaID");
	cr_expect_eq(RD16(m + 8), 13, "Version");
}

/*
 * Walk a message as a reader would, by the sizes on the wire and the group headers the table
 * names: the end must be MsgSize. Returns the offset of group G's header.
 */
static size_t walk(const __u8 *m, unsigned int g_want)
{
	const struct mdp3_template *t = mdp3_template(RD16(m + 4));
	size_t off = 10 + RD16(m + 2), at = 0;
	unsigned int g;

	cr_assert_not_null(t, "template %u in the table", RD16(m + 4));
	for (g = 0; g < t->groups; g++) {
		__u8 hdr = t->group_hdr[g];
		unsigned int num = hdr == 8 ? m[off + 7] : m[off + 2];

		cr_assert(hdr == 3 || hdr == 8, "group %u header size %u", g, hdr);
		if (g == g_want)
			at = off;
		off += hdr + (size_t)RD16(m + off) * num;
	}
	cr_expect_eq(off, RD16(m), "MsgSize %u, the groups end at %zu", RD16(m), off);
	return at;
}

static const struct mdp3_entry entries[] = {
    {.security_id = 0x01020304,
     .rpt_seq = 0x0A0B0C0D,
     .px = 0x1112131415161718LL,
     .size = 0x21222324,
     .orders = 0x31323334,
     .level = 5,
     .action = 1,
     .type = '1'},
    {.security_id = 112345,
     .rpt_seq = 7,
     .px = -250000000LL,
     .size = 3,
     .orders = 1,
     .level = 1,
     .action = 2,
     .type = 2},
    {.security_id = 2147483646, .rpt_seq = 0xFFFFFFFE, .px = 1, .size = 1, .orders = 1},
};

static const struct mdp3_order orders[] = {
    {.id = 0x4142434445464748ULL,
     .priority = 0x5152535455565758ULL,
     .qty = 0x61626364,
     .ref = 2,
     .action = 1},
    {.id = 9, .priority = 10, .qty = 11, .ref = 1, .action = 0},
};

Test(mdp3_encode, heartbeat, .description = "AdminHeartbeat 12: the 10-byte header alone")
{
	const __u8 want[] = {10, 0, 0, 0, 12, 0, 1, 0, 13, 0};
	__u8 buf[64];

	cr_assert_eq(mdp3_encode_heartbeat(buf, sizeof(buf)), 10);
	cr_expect_arr_eq(buf, want, sizeof(want));
	walk(buf, 0);
}

Test(mdp3_encode, channel_reset,
     .description = "ChannelReset 4: root 9 (TransactTime, MEI), one 2-byte ApplID entry")
{
	__u8 buf[64];

	cr_assert_eq(mdp3_encode_channel_reset(buf, sizeof(buf), 0x0102030405060708ULL, 0x80, 310),
		     24);
	expect_header(buf, 24, 9, 4);
	cr_expect_eq(RD64(buf + 10), 0x0102030405060708ULL, "TransactTime at root 0");
	cr_expect_eq(buf[18], 0x80, "MatchEventIndicator at root 8");
	cr_expect_eq(RD16(buf + 19), 2, "group blockLength");
	cr_expect_eq(buf[21], 1, "numInGroup");
	cr_expect_eq(RD16(buf + 22), 310, "ApplID");
	walk(buf, 0);
}

Test(mdp3_encode, book, .description = "46: root 11, 32-byte entries, 24-byte orders (8-byte hdr)")
{
	__u8 buf[256], *e0 = buf + 24, *e1 = buf + 56, *o = buf + 96;

	cr_assert_eq(mdp3_encode_book(buf, sizeof(buf), 42, 0x04, entries, 2, orders, 1), 120);
	expect_header(buf, 120, 11, 46);
	cr_expect_eq(RD64(buf + 10), 42);
	cr_expect_eq(buf[18], 0x04);
	cr_expect_eq(RD16(buf + 19), 0, "2 padding bytes");
	cr_expect_eq(RD16(buf + 21), 32, "group 0 blockLength");
	cr_expect_eq(buf[23], 2, "group 0 numInGroup");
	cr_expect_eq(RD64(e0 + 0), 0x1112131415161718ULL, "MDEntryPx");
	cr_expect_eq(RD32(e0 + 8), 0x21222324, "MDEntrySize");
	cr_expect_eq(RD32(e0 + 12), 0x01020304, "SecurityID");
	cr_expect_eq(RD32(e0 + 16), 0x0A0B0C0D, "RptSeq");
	cr_expect_eq(RD32(e0 + 20), 0x31323334, "NumberOfOrders");
	cr_expect_eq(e0[24], 5, "MDPriceLevel");
	cr_expect_eq(e0[25], 1, "MDUpdateAction");
	cr_expect_eq(e0[26], '1', "MDEntryType");
	cr_expect_eq(RD32(e0 + 27), 0x7FFFFFFF, "TradeableSize null");
	cr_expect_eq(e0[31], 0, "padding");
	cr_expect_eq((__s64)RD64(e1 + 0), -250000000LL, "a negative price");
	cr_expect_eq(RD32(e1 + 12), 112345);
	cr_expect_eq(RD16(buf + 88), 24, "group 1 blockLength");
	cr_expect_eq(RD32(buf + 90) | buf[94], 0, "5 padding bytes");
	cr_expect_eq(buf[95], 1, "group 1 numInGroup at 7");
	cr_expect_eq(RD64(o + 0), 0x4142434445464748ULL, "OrderID");
	cr_expect_eq(RD64(o + 8), 0x5152535455565758ULL, "MDOrderPriority");
	cr_expect_eq(RD32(o + 16), 0x61626364, "MDDisplayQty");
	cr_expect_eq(o[20], 2, "ReferenceID");
	cr_expect_eq(o[21], 1, "OrderUpdateAction");
	cr_expect_eq(walk(buf, 1), 88);
}

Test(mdp3_encode, book_no_orders, .description = "46 with an empty OrderID group: 8-byte header")
{
	__u8 buf[256];

	cr_assert_eq(mdp3_encode_book(buf, sizeof(buf), 1, 0, entries, 1, NULL, 0), 64);
	cr_expect_eq(RD16(buf + 56), 24);
	cr_expect_eq(buf[63], 0, "numInGroup 0");
	cr_expect_eq(walk(buf, 1), 56);
}

Test(mdp3_encode, trade, .description = "48: 32-byte entries, 16-byte orders (8-byte hdr)")
{
	__u8 buf[256], *e = buf + 24;

	cr_assert_eq(mdp3_encode_trade(buf, sizeof(buf), 7, 0x81, entries + 1, 1, orders, 2), 96);
	expect_header(buf, 96, 11, 48);
	cr_expect_eq(buf[18], 0x81);
	cr_expect_eq(RD16(buf + 21), 32);
	cr_expect_eq(buf[23], 1);
	cr_expect_eq((__s64)RD64(e + 0), -250000000LL, "MDEntryPx");
	cr_expect_eq(RD32(e + 8), 3, "MDEntrySize");
	cr_expect_eq(RD32(e + 12), 112345, "SecurityID");
	cr_expect_eq(RD32(e + 16), 7, "RptSeq");
	cr_expect_eq(RD32(e + 20), 1, "NumberOfOrders");
	cr_expect_eq(e[24], 2, "AggressorSide");
	cr_expect_eq(e[25], 2, "MDUpdateAction");
	cr_expect_eq(RD32(e + 26), 0xFFFFFFFF, "MDTradeEntryID null");
	cr_expect_eq(RD16(buf + 56), 16, "group 1 blockLength");
	cr_expect_eq(buf[63], 2, "group 1 numInGroup");
	cr_expect_eq(RD64(buf + 64), 0x4142434445464748ULL, "OrderID");
	cr_expect_eq(RD32(buf + 72), 0x61626364, "LastQty");
	cr_expect_eq(RD64(buf + 80), 9);
	cr_expect_eq(RD32(buf + 88), 11);
	cr_expect_eq(walk(buf, 1), 56);
}

Test(mdp3_encode, volume, .description = "37: root 11, 16-byte entries, key at 4, RptSeq at 8")
{
	__u8 buf[256];
	int i;

	cr_assert_eq(mdp3_encode_volume(buf, sizeof(buf), 1, 0x02, entries, 3), 72);
	expect_header(buf, 72, 11, 37);
	cr_expect_eq(RD16(buf + 21), 16);
	cr_expect_eq(buf[23], 3);
	for (i = 0; i < 3; i++) {
		const __u8 *e = buf + 24 + 16 * i;

		cr_expect_eq(RD32(e + 0), (__u32)entries[i].size, "MDEntrySize %d", i);
		cr_expect_eq(RD32(e + 4), (__u32)entries[i].security_id, "SecurityID %d", i);
		cr_expect_eq(RD32(e + 8), entries[i].rpt_seq, "RptSeq %d", i);
		cr_expect_eq(e[12], entries[i].action, "MDUpdateAction %d", i);
	}
	walk(buf, 0);
}

Test(mdp3_encode, table_offsets,
     .description = "MDP3_TEMPLATES puts SecurityID and RptSeq where mdp3.md does")
{
	static const struct {
		__u16 id;
		__u8 place, key, rpt, def, groups, hdr1;
	} want[] = {
	    {4, MDP3_KEY_NONE, 0, MDP3_NO_FIELD, 0, 1, 0},
	    {12, MDP3_KEY_NONE, 0, MDP3_NO_FIELD, 0, 0, 0},
	    {37, MDP3_KEY_ENTRY, 4, 8, 0, 1, 0},
	    {46, MDP3_KEY_ENTRY, 12, 16, 0, 2, 8},
	    {48, MDP3_KEY_ENTRY, 12, 16, 0, 2, 8},
	    {54, MDP3_KEY_ROOT, 55, MDP3_NO_FIELD, 1, 4, 3},
	    {56, MDP3_KEY_ROOT, 55, MDP3_NO_FIELD, 1, 5, 3},
	};
	size_t i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct mdp3_template *t = mdp3_template(want[i].id);

		cr_assert_not_null(t, "template %u", want[i].id);
		cr_expect_eq(t->key_place, want[i].place, "%u key place", want[i].id);
		cr_expect_eq(t->key_off, want[i].key, "%u key offset", want[i].id);
		cr_expect_eq(t->rpt_seq_off, want[i].rpt, "%u RptSeq offset", want[i].id);
		cr_expect_eq(t->definition, want[i].def, "%u definition", want[i].id);
		cr_expect_eq(t->groups, want[i].groups, "%u groups", want[i].id);
		if (want[i].groups > 1)
			cr_expect_eq(t->group_hdr[1], want[i].hdr1, "%u group 1 header",
				     want[i].id);
	}
	cr_expect_null(mdp3_template(13), "13 is not in the table");
}

static struct mdp3_definition definition(__u16 template_id, const char *symbol)
{
	struct mdp3_definition d = {
	    .template_id = template_id,
	    .security_id = 0x00112233,
	    .group = "ES",
	    .asset = "ES",
	    .tot_num_reports = 60,
	    .last_update = 0x0102030405060708ULL,
	    .year = 2026,
	    .month = 12,
	};

	memcpy(d.symbol, symbol, strlen(symbol));
	return d;
}

Test(mdp3_encode, definition_future,
     .description = "54: root 224, Symbol at 35 NUL padded, SecurityID at 55, 4 groups")
{
	struct mdp3_definition d = definition(MDP3_T_DEF_FUTURE, "ESZ6");
	const __u8 sym[20] = {'E', 'S', 'Z', '6'};
	__u8 buf[512], *r = buf + 10;

	cr_assert_eq(mdp3_encode_definition(buf, sizeof(buf), &d), 259);
	expect_header(buf, 259, 224, 54);
	cr_expect_eq(r[0], 0, "MatchEventIndicator");
	cr_expect_eq(RD32(r + 1), 60, "TotNumReports");
	cr_expect_eq(r[5], 'A', "SecurityUpdateAction");
	cr_expect_eq(RD64(r + 6), 0x0102030405060708ULL, "LastUpdateTime");
	cr_expect_arr_eq(r + 19, "XCME", 4, "SecurityExchange");
	cr_expect_arr_eq(r + 23, "ES\0\0\0\0", 6, "SecurityGroup");
	cr_expect_arr_eq(r + 35, sym, 20, "Symbol");
	cr_expect_eq(RD32(r + 55), 0x00112233, "SecurityID");
	cr_expect_arr_eq(r + 59, "FUT\0\0\0", 6, "SecurityType");
	cr_expect_eq(RD16(r + 71), 2026, "MaturityMonthYear year");
	cr_expect_eq(r[73], 12, "month");
	cr_expect_arr_eq(r + 76, "USD", 3, "Currency");
	cr_expect_eq(RD16(buf + 234), 9, "Events blockLength");
	cr_expect_eq(buf[236], 1, "one event");
	cr_expect_eq(RD16(buf + 246), 4, "FeedTypes blockLength");
	cr_expect_arr_eq(buf + 249, "GBX", 3, "MDFeedType");
	cr_expect_eq(buf[255], 0, "no InstAttrib");
	cr_expect_eq(RD16(buf + 256), 5, "LotTypeRules blockLength");
	cr_expect_eq(buf[258], 0, "no LotTypeRules");
	walk(buf, 0);
}

Test(mdp3_encode, definition_spread,
     .description = "56: root 255, a 20-character Symbol with spaces, two 18-byte legs")
{
	struct mdp3_definition d = definition(MDP3_T_DEF_SPREAD, "UD:1V: VT 0123456789");
	__u8 buf[512], *r = buf + 10;

	d.leg_ids[0] = 111;
	d.leg_ids[1] = 222;
	cr_assert_eq(mdp3_encode_definition(buf, sizeof(buf), &d), 329);
	expect_header(buf, 329, 255, 56);
	cr_expect_arr_eq(r + 35, "UD:1V: VT 0123456789", 20, "Symbol fills its 20 bytes");
	cr_expect_eq(RD32(r + 55), 0x00112233, "SecurityID");
	cr_expect_eq(RD16(buf + 290), 18, "Legs blockLength");
	cr_expect_eq(buf[292], 2, "two legs");
	cr_expect_eq(RD32(buf + 293), 111, "first LegSecurityID");
	cr_expect_eq(buf[297], 1, "first LegSide buy");
	cr_expect_eq(RD32(buf + 311), 222, "second LegSecurityID");
	cr_expect_eq(buf[315], 2, "second LegSide sell");
	cr_expect_eq(walk(buf, 4), 290);
	d.leg_ids[0] = 0;
	cr_expect_eq(mdp3_encode_definition(buf, sizeof(buf), &d), 293, "no legs: empty group");
	cr_expect_eq(buf[292], 0);
}

Test(mdp3_encode, room, .description = "too little room: -ENOSPC, nothing written; >255: -EINVAL")
{
	__u8 buf[256], zero[256] = {0};
	struct mdp3_entry many[256] = {{0}};

	memset(buf, 0, sizeof(buf));
	cr_expect_eq(mdp3_encode_book(buf, 119, 0, 0, entries, 2, orders, 1), -ENOSPC);
	cr_expect_eq(mdp3_encode_volume(buf, 71, 0, 0, entries, 3), -ENOSPC);
	cr_expect_eq(mdp3_encode_heartbeat(buf, 9), -ENOSPC);
	cr_expect_arr_eq(buf, zero, sizeof(buf), "nothing written");
	cr_expect_eq(mdp3_encode_volume(buf, sizeof(buf), 0, 0, many, 256), -EINVAL);
}

Test(mdp3_pkt, build, .description = "packet header, whole messages, EndOfEvent on the last one")
{
	struct mdp3_pkt p;
	__u8 msg[128];
	int len;

	cr_assert_eq(mdp3_pkt__init(&p, 0x01020304, 0x1112131415161718ULL, FG_PAYLOAD_MAX), 0);
	cr_expect_eq(p.len, 12);
	cr_expect_eq(RD32(p.buf), 0x01020304, "MsgSeqNum at 0");
	cr_expect_eq(RD64(p.buf + 4), 0x1112131415161718ULL, "SendingTime at 4");
	cr_expect_eq(mdp3_pkt__mark_last(&p, 8, 0x80), -EINVAL, "no message yet");
	len = mdp3_encode_volume(msg, sizeof(msg), 0, 0, entries, 1);
	cr_assert_eq(mdp3_pkt__append(&p, msg, (size_t)len), 0);
	cr_assert_eq(mdp3_pkt__append(&p, msg, (size_t)len), 0);
	cr_expect_eq(p.count, 2);
	cr_expect_eq(p.len, 12 + 2 * (size_t)len);
	cr_expect_eq(mdp3_pkt__mark_last(&p, 8, 0x80), 0);
	cr_expect_eq(p.buf[12 + 18], 0, "first message untouched");
	cr_expect_eq(p.buf[12 + len + 18], 0x80, "MatchEventIndicator of the last");
	cr_expect_eq(mdp3_pkt__mark_last(&p, 11, 0x80), -EINVAL, "past the root block");
	cr_expect_eq(mdp3_pkt__init(&p, 1, 0, FG_PAYLOAD_MAX + 1), -EINVAL);
	cr_assert_eq(mdp3_pkt__init(&p, 1, 0, 12 + (size_t)len), 0);
	cr_expect_eq(mdp3_pkt__append(&p, msg, (size_t)len), 0);
	cr_expect_eq(mdp3_pkt__append(&p, msg, (size_t)len), -ENOSPC, "full");
}

Test(mdp3_symbols, table, .description = "CME names: unique, 1..20 chars, spaces, spreads, ids")
{
	struct symtab *t;
	bool space = false, spread = false, twenty = false;
	__u32 k, j, n = 2000;

	cr_assert_eq(symtab__new_style(&t, n, SYMTAB_MDP3), 0);
	for (k = 1; k <= n; k++) {
		const char *s = symtab__str(t, k);
		size_t len = strlen(s);

		cr_assert(len >= 1 && len <= 20, "key %u: '%s'", k, s);
		space |= strchr(s, ' ') != NULL;
		spread |= strchr(s, '-') != NULL;
		twenty |= len == 20;
		cr_assert(symtab__id(t, k) > 0 && symtab__id(t, k) < 0x7FFFFFFF);
		cr_assert_eq(symtab__key_of_id(t, symtab__id(t, k)), k, "id of key %u", k);
		cr_assert_eq(symtab__key_of_name(t, s), k, "name '%s' unique", s);
	}
	cr_expect(space && spread && twenty);
	cr_expect_str_eq(symtab__str(t, 1), "ESZ6");
	for (k = 1; k <= 40; k++)
		for (j = k + 1; j <= 40; j++)
			cr_expect_neq(symtab__id(t, k), symtab__id(t, j));
	cr_expect_eq(symtab__key_of_id(t, 1), 0, "no such id");
	cr_expect_eq(symtab__key_of_name(t, "NOPE"), 0);
	symtab__free(t);
}

/* Run the MDP3 generator and append every packet, with its channel, to OUT. */
static size_t generate(const struct symtab *syms, __u64 seed, __u64 reset_at, __u8 *out, size_t cap)
{
	struct feedgen_cfg cfg = {
	    .seed = seed, .max_msgs = 8, .have_defs = true, .reset_at = reset_at};
	struct fg_gen_opts o = {.cfg = &cfg, .syms = syms, .tick_ns = 50000, .epoch_ns = 1};
	struct fg_pkt pkt;
	size_t len = 0;
	__u64 traffic = 0;
	void *g;

	cr_assert_eq(fg_proto_mdp3.open(&g, &o), 0);
	for (;;) {
		if (traffic == 200)
			fg_proto_mdp3.stop_traffic(g);
		if (fg_proto_mdp3.next(g, &pkt) == -ENODATA)
			break;
		traffic += pkt.traffic;
		/* A record: channel, length (big-endian u16), the packet. */
		cr_assert(len + 3 + pkt.len <= cap);
		out[len++] = (__u8)pkt.chan;
		out[len++] = (__u8)(pkt.len >> 8);
		out[len++] = (__u8)pkt.len;
		memcpy(out + len, pkt.buf, pkt.len);
		len += pkt.len;
	}
	fg_proto_mdp3.close(g);
	return len;
}

Test(mdp3_gen, deterministic, .description = "the same seed gives the same bytes; another does not")
{
	static __u8 a[1 << 20], b[1 << 20];
	struct symtab *t;
	size_t la, lb;

	cr_assert_eq(symtab__new_style(&t, 60, SYMTAB_MDP3), 0);
	la = generate(t, 7, 0, a, sizeof(a));
	lb = generate(t, 7, 0, b, sizeof(b));
	cr_expect_eq(la, lb);
	cr_expect(la == lb && !memcmp(a, b, la), "seed 7 twice");
	lb = generate(t, 8, 0, b, sizeof(b));
	cr_expect(la != lb || memcmp(a, b, la), "seeds 7 and 8");
	symtab__free(t);
}

Test(mdp3_gen, sequences,
     .description = "MsgSeqNum +1 per packet, 1 at the reset and at every definitions loop; "
		    "RptSeq +1 per instrument across templates, restarting after the reset")
{
	static __u8 buf[1 << 20];
	static __u32 rpt[1000000];
	__u32 seq[FG_CHANS] = {0}, resets = 0, entries_seen = 0, loops = 0;
	struct symtab *t;
	size_t len, off = 0;

	cr_assert_eq(symtab__new_style(&t, 60, SYMTAB_MDP3), 0);
	len = generate(t, 3, 100, buf, sizeof(buf));
	while (off < len) {
		unsigned int chan = buf[off], plen = (unsigned int)buf[off + 1] << 8 | buf[off + 2];
		const __u8 *p = buf + off + 3;
		size_t m = 12;

		off += 3 + plen;
		if (RD16(p + 12 + 4) == 4) {
			cr_expect_eq(RD32(p), 1, "a channel reset is MsgSeqNum 1");
			memset(rpt, 0, sizeof(rpt));
			resets++;
		} else if (chan == FG_CHAN_DEFS && RD32(p) == 1) {
			/* a new loop of definitions starts again at 1: its first is the first id */
			cr_expect_eq(RD32(p + 12 + 10 + MDP3_DEF_OFF_SECURITY_ID),
				     symtab__id(t, 1), "a definitions loop starts at its first instrument");
			loops++;
		} else {
			cr_expect_eq(RD32(p), seq[chan] + 1, "channel %u MsgSeqNum", chan);
		}
		seq[chan] = RD32(p);
		for (; m < plen; m += RD16(p + m)) {
			const struct mdp3_template *tp = mdp3_template(RD16(p + m + 4));
			size_t g = m + 10 + RD16(p + m + 2);
			unsigned int i;

			if (!tp || tp->key_place != MDP3_KEY_ENTRY)
				continue;
			for (i = 0; i < p[g + 2]; i++) {
				const __u8 *e = p + g + 3 + i * RD16(p + g);
				__u32 id = RD32(e + tp->key_off);

				cr_assert_lt(id, 1000000);
				cr_expect_eq(RD32(e + tp->rpt_seq_off), rpt[id] + 1, "RptSeq of %u",
					     id);
				rpt[id] = RD32(e + tp->rpt_seq_off);
				entries_seen++;
			}
		}
		cr_expect_eq(m, plen, "messages fill the packet");
	}
	cr_expect_eq(resets, 1);
	cr_expect_gt(entries_seen, 500);
	cr_expect_gt(seq[FG_CHAN_DEFS], 1, "definitions repeated");
	cr_expect_gt(loops, 0, "a second definitions loop, back at MsgSeqNum 1");
	symtab__free(t);
}
