// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * fs_frame__decode() and the message iterator on Cboe PITCH Sequenced Units, and the consumer's
 * order map (user/lib/orders.c) that gives order messages their symbol. Datagrams are written
 * here from the wire facts (8-byte header: HdrLength, HdrCount, HdrUnit, HdrSequence; messages of
 * Length, Type; Add Order Long 34 bytes, Quantity at 15 (4), Symbol at 19 (6); Add Order Short
 * 26, Quantity at 15 (2), Symbol at 17; Order Executed 26, ExecutedQuantity at 14; Executed at
 * Price/Size 38, RemainingQuantity at 18; Reduce Size Long 18 / Short 16; Modify Order Long 27 /
 * Short 19, Quantity at 14; Delete Order 14; Order ID at 6 in all of them; Trade Long 41;
 * Time 6), in a buffer that ends where the frame does.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "feedsieve.h"
#include "feedsieve/seqwin.h"
#include "frame.h"
#include "orders.h"
#include "udp_packet.h"

#define GROUP 0xE0003E02 /* 224.0.62.2 */
#define PORT  30001

struct pitch {
	struct up_packet p;
	size_t hdr;
	__u8 count;
};

static void begin(struct pitch *x, __u8 unit, __u32 seq)
{
	up_begin(&x->p, GROUP, PORT);
	x->hdr = x->p.n;
	x->count = 0;
	up_put(&x->p, 0, 2);
	up_put(&x->p, 0, 1);
	up_put(&x->p, unit, 1);
	up_put(&x->p, seq, 4);
}

/* A message of TYPE and LEN bytes, zero but for ORDER at 6 (when LEN allows). Returns where. */
static size_t msg(struct pitch *x, __u8 type, __u8 len, __u64 order)
{
	size_t at = x->p.n;

	memset(x->p.b + at, 0, len);
	x->p.b[at] = len;
	x->p.b[at + 1] = type;
	if (len >= 14)
		up_put_at(&x->p, at + 6, order, 8);
	x->p.n = at + len;
	x->count++;
	return at;
}

static void add_long(struct pitch *x, __u64 order, __u32 qty, const char *sym)
{
	size_t at = msg(x, 0x21, 34, order);

	up_put_at(&x->p, at + 15, qty, 4);
	memset(x->p.b + at + 19, ' ', 6);
	memcpy(x->p.b + at + 19, sym, strlen(sym));
}

static void add_short(struct pitch *x, __u64 order, __u16 qty, const char *sym)
{
	size_t at = msg(x, 0x22, 26, order);

	up_put_at(&x->p, at + 15, qty, 2);
	memset(x->p.b + at + 17, ' ', 6);
	memcpy(x->p.b + at + 17, sym, strlen(sym));
}

/* An order message of TYPE (LEN bytes) with QTY of QLEN bytes at QOFF. */
static void order_msg(struct pitch *x, __u8 type, __u8 len, __u64 order, int qoff, int qlen,
		      __u32 qty)
{
	size_t at = msg(x, type, len, order);

	if (qoff)
		up_put_at(&x->p, at + qoff, qty, qlen);
}

#define EXECUTED(x, o, q)      order_msg(x, 0x23, 26, o, 14, 4, q)
#define EXECUTED_AT(x, o, rem) order_msg(x, 0x24, 38, o, 18, 4, rem)
#define REDUCE_LONG(x, o, q)   order_msg(x, 0x25, 18, o, 14, 4, q)
#define REDUCE_SHORT(x, o, q)  order_msg(x, 0x26, 16, o, 14, 2, q)
#define MODIFY_LONG(x, o, q)   order_msg(x, 0x27, 27, o, 14, 4, q)
#define MODIFY_SHORT(x, o, q)  order_msg(x, 0x28, 19, o, 14, 2, q)
#define DELETE(x, o)           order_msg(x, 0x29, 14, o, 0, 0, 0)

static void finish(struct pitch *x)
{
	up_put_at(&x->p, x->hdr, x->p.n - x->hdr, 2);
	x->p.b[x->hdr + 2] = x->count;
	up_finish(&x->p);
}

static struct fs_xdp_meta meta(__u8 walked, __u64 bits, __u8 flags, __u8 channel)
{
	struct fs_xdp_meta m = up_meta(FS_PROTO_PITCH, walked, bits, flags);

	m.channel = channel;
	return m;
}

static __u8 *decode_with(struct fs_frame *f, const struct pitch *x, const struct fs_xdp_meta *m,
			 const struct fsi_group_table *t)
{
	__u8 *b = malloc(x->p.n);

	cr_assert_not_null(b);
	memcpy(b, x->p.b, x->p.n);
	memset(f, 0, sizeof(*f));
	f->proto = FS_PROTO_PITCH;
	f->groups_ = t;
	cr_assert_eq(fs_frame__decode(f, b, (__u32)x->p.n, m), 0);
	cr_assert_eq(f->proto, FS_PROTO_PITCH);
	return b;
}

/* "TYPE@SEQ[#ORDER][=SYMBOL][!] ..." for every delivered message (! : order_unknown), each
 * handed over as the sequencer hands it (fsi_msg__handed(): the order map learns from it). */
static void collect(const struct fs_frame *f, char *out, size_t cap)
{
	struct fs_msg_iter it;
	struct fs_msg m;
	size_t n = 0;

	out[0] = '\0';
	fs_msg_iter__init(&it, f);
	while (fs_msg_iter__next(&it, &m)) {
		char sym[FS_SYMBOL_LEN + 1];

		cr_assert_geq(m.body, f->data);
		cr_assert_leq(m.body + m.len, f->data + f->len);
		cr_assert_eq(m.len, m.body[0]);
		n += (size_t)snprintf(out + n, cap - n, "%s%x@%llu", n ? " " : "", m.type,
				      (unsigned long long)m.seq);
		if (m.has_order_id)
			n += (size_t)snprintf(out + n, cap - n, "#%llu",
					      (unsigned long long)m.order_id);
		if (m.symbol_known) {
			fs_symbol_str(&m.symbol, sym);
			n += (size_t)snprintf(out + n, cap - n, "=%s", sym);
		}
		if (m.order_unknown)
			n += (size_t)snprintf(out + n, cap - n, "!");
		fsi_msg__handed(&m);
	}
}

/* Decode X (finished) and collect what it delivers, with metadata M and table T. */
static void run(struct pitch *x, const struct fs_xdp_meta *m, const struct fsi_group_table *t,
		char *out, size_t cap)
{
	struct fs_frame f;
	__u8 *b;

	finish(x);
	b = decode_with(&f, x, m, t);
	cr_assert(!f.malformed);
	collect(&f, out, cap);
	free(b);
}

static bool malformed(struct pitch *x)
{
	struct fs_frame f;
	__u8 *b;
	bool bad;

	finish(x);
	b = decode_with(&f, x, NULL, NULL);
	bad = f.malformed;
	cr_assert(f.has_unit || x->p.n - UP_PAYLOAD < 8, "the unit is read before validation");
	free(b);
	return bad;
}

Test(pitch, sequenced_unit)
{
	struct pitch x;
	struct fs_frame f;
	char got[512];
	__u8 *b;

	begin(&x, 3, 1000);
	msg(&x, 0x20, 6, 0);
	add_long(&x, 11, 100, "AAPL");
	add_short(&x, 12, 5, "ZVZZT");
	EXECUTED(&x, 11, 10);
	msg(&x, 0x2A, 41, 13); /* Trade Long: carries an Order ID */
	memcpy(x.p.b + x.p.n - 41 + 19, "MSFT  ", 6);
	msg(&x, 0x7F, 4, 0);   /* unknown */
	finish(&x);
	b = decode_with(&f, &x, NULL, NULL);
	cr_assert(!f.malformed);
	cr_assert(f.has_unit);
	cr_assert_eq(f.unit, 3);
	cr_assert_eq(f.kind, FS_FRAME_DATA);
	cr_assert_eq(f.seq, 1000);
	cr_assert_eq(f.seq_count, 6);
	cr_assert(!f.session_named);
	collect(&f, got, sizeof(got));
	/* No table, no metadata: everything; no order map: the execution has no symbol. */
	cr_assert_str_eq(got, "20@1000 21@1001#11=AAPL 22@1002#12=ZVZZT 23@1003#11 2a@1004#13=MSFT "
			      "7f@1005");
	free(b);
}

Test(pitch, heartbeat_unsequenced_and_session)
{
	struct pitch x;
	struct fs_frame f;
	char got[256];
	__u8 first[8] = {0};
	__u8 *b;

	begin(&x, 1, 55);
	finish(&x);
	b = decode_with(&f, &x, NULL, NULL);
	cr_assert_eq(f.kind, FS_FRAME_HEARTBEAT);
	cr_assert_eq(f.seq, 55);
	cr_assert(!f.malformed);
	free(b);

	begin(&x, 1, 0);
	add_long(&x, 5, 10, "IBM");
	finish(&x);
	b = decode_with(&f, &x, NULL, NULL);
	cr_assert_eq(f.kind, FS_FRAME_OUT_OF_BAND);
	cr_assert_eq(f.out_of_band, FS_OOB_UNSEQUENCED);
	cr_assert_eq(f.seq_count, 0);
	collect(&f, got, sizeof(got));
	cr_assert_str_eq(got, "21@0#5=IBM");
	free(b);

	/* Sequence 1 names the session by its first message, zero padded to 8 bytes. */
	begin(&x, 1, 1);
	msg(&x, 0x20, 6, 0);
	x.p.b[x.p.n - 4] = 0x42;
	finish(&x);
	b = decode_with(&f, &x, NULL, NULL);
	cr_assert(f.session_named);
	memcpy(first, x.p.b + UP_PAYLOAD + 8, 6);
	cr_assert_eq(f.session_hash, fs_session_hash(first, 8));
	free(b);
	begin(&x, 1, 1);
	add_long(&x, 5, 10, "IBM");
	finish(&x);
	b = decode_with(&f, &x, NULL, NULL);
	cr_assert_eq(f.session_hash, fs_session_hash(x.p.b + UP_PAYLOAD + 8, 8));
	free(b);
}

Test(pitch, validation_boundaries)
{
	static const struct {
		__u8 type, min;
	} mins[] = {{0x21, 25}, {0x22, 23}, {0x2F, 27}, {0x2A, 25}, {0x2B, 23}, {0x30, 27},
		    {0x31, 14}, {0x23, 18}, {0x24, 22}, {0x25, 18}, {0x26, 16}, {0x27, 18},
		    {0x28, 16}, {0x29, 14}, {0x20, 2},  {0x7F, 2}};
	struct pitch x;
	size_t i;

	for (i = 0; i < sizeof(mins) / sizeof(mins[0]); i++) {
		begin(&x, 1, 1);
		msg(&x, mins[i].type, mins[i].min, 1);
		cr_assert(!malformed(&x), "type %x at its minimum %u", mins[i].type, mins[i].min);
		if (mins[i].min <= 2)
			continue;
		begin(&x, 1, 1);
		msg(&x, mins[i].type, (__u8)(mins[i].min - 1), 1);
		cr_assert(malformed(&x), "type %x one byte short", mins[i].type);
	}
	begin(&x, 1, 1);
	msg(&x, 0x7F, 2, 0);
	x.p.b[x.p.n - 2] = 1; /* Length below its own header */
	cr_assert(malformed(&x));
	begin(&x, 1, 1);
	msg(&x, 0x20, 6, 0);
	x.p.n -= 1; /* past the datagram */
	cr_assert(malformed(&x));
	begin(&x, 1, 1);
	msg(&x, 0x20, 6, 0);
	up_put(&x.p, 0, 1); /* a byte after the last message */
	cr_assert(malformed(&x));
	begin(&x, 1, 1);
	msg(&x, 0x20, 6, 0);
	x.count = 2; /* more messages announced than held */
	cr_assert(malformed(&x));
	begin(&x, 1, 9);
	up_put(&x.p, 0, 1); /* a heartbeat with a byte after it */
	cr_assert(malformed(&x));
	/* HdrLength not the datagram's length: malformed, the unit still read. */
	{
		struct fs_frame f;
		__u8 *b;

		begin(&x, 7, 1);
		msg(&x, 0x20, 6, 0);
		finish(&x);
		up_put_at(&x.p, UP_PAYLOAD, 99, 2);
		b = decode_with(&f, &x, NULL, NULL);
		cr_assert(f.malformed);
		cr_assert(f.has_unit);
		cr_assert_eq(f.unit, 7);
		free(b);
	}
}

Test(pitch, match_bits_and_walk)
{
	struct pitch x;
	struct fs_xdp_meta m = meta(2, 1u << 1, 0, 0);
	char got[256];

	begin(&x, 1, 10);
	add_long(&x, 1, 10, "AAA");
	add_long(&x, 2, 10, "BBB");
	add_long(&x, 3, 10, "CCC"); /* past the walk: handed over, nothing to decide with */
	run(&x, &m, NULL, got, sizeof(got));
	cr_assert_str_eq(got, "21@11#2=BBB 21@12#3=CCC");
}

/* A table with an order map and no interface: the program's bits decide. */
struct table {
	struct fsi_group_table t;
};

static void table_init(struct table *tb)
{
	memset(tb, 0, sizeof(*tb));
	cr_assert_eq(fsi_group_table__prepare(&tb->t, NULL), 0);
}

Test(pitch, order_map_gives_symbols)
{
	struct table tb;
	struct pitch x;
	struct fs_xdp_meta all = meta(8, ~0ULL, 0, 4);
	struct fs_xdp_meta full = meta(8, ~0ULL, FS_META_F_ORDERS_FULL, 4);
	char got[512];

	table_init(&tb);
	begin(&x, 2, 1);
	add_long(&x, 7, 100, "AAPL");
	add_short(&x, 8, 50, "MSFT");
	add_long(&x, 9, 10, "IBM");
	add_long(&x, 10, 10, "TSLA");
	run(&x, &all, &tb.t, got, sizeof(got));
	cr_assert_eq(fsi_orders__count(tb.t.orders), 4);

	/* Iterating a frame learns nothing: only what is handed over counts (the sequencer may
	 * walk a frame twice, for a recovered range and for the rest). */
	begin(&x, 2, 5);
	EXECUTED(&x, 7, 100);
	DELETE(&x, 8);
	finish(&x);
	{
		struct fs_frame f;
		struct fs_msg_iter it;
		struct fs_msg msg;
		__u8 *b = decode_with(&f, &x, &all, &tb.t);
		int pass;

		for (pass = 0; pass < 2; pass++)
			for (fs_msg_iter__init(&it, &f); fs_msg_iter__next(&it, &msg);)
				cr_assert(msg.symbol_known);
		free(b);
	}
	cr_assert_eq(fsi_orders__count(tb.t.orders), 4);

	begin(&x, 2, 5);
	EXECUTED(&x, 7, 40);    /* 100 -> 60 */
	REDUCE_SHORT(&x, 8, 50); /* 50 -> 0: forgotten */
	MODIFY_LONG(&x, 9, 5);  /* 10 -> 5 */
	EXECUTED_AT(&x, 10, 0); /* remaining 0: forgotten */
	run(&x, &all, &tb.t, got, sizeof(got));
	cr_assert_str_eq(got, "23@5#7=AAPL 26@6#8=MSFT 27@7#9=IBM 24@8#10=TSLA");
	cr_assert_eq(fsi_orders__count(tb.t.orders), 2);

	begin(&x, 2, 9);
	REDUCE_LONG(&x, 8, 1);  /* forgotten: no symbol */
	EXECUTED(&x, 9, 99);    /* saturates at 0: forgotten after this message */
	EXECUTED(&x, 9, 1);
	EXECUTED(&x, 7, 60);    /* 60 -> 0 */
	MODIFY_SHORT(&x, 7, 5);
	run(&x, &all, &tb.t, got, sizeof(got));
	cr_assert_str_eq(got, "25@9#8 23@10#9=IBM 23@11#9 23@12#7=AAPL 28@13#7");
	cr_assert_eq(fsi_orders__count(tb.t.orders), 0);

	/* Orders the map lacks, delivered because the program's map overflowed. */
	begin(&x, 2, 14);
	add_long(&x, 20, 10, "NVDA");
	DELETE(&x, 20);
	DELETE(&x, 21);
	run(&x, &full, &tb.t, got, sizeof(got));
	cr_assert_str_eq(got, "21@14#20=NVDA 29@15#20=NVDA 29@16#21!");
	cr_assert_eq(fsi_orders__count(tb.t.orders), 0);
	fsi_group_table__release(&tb.t);
}

Test(pitch, order_map_scope)
{
	struct table tb;
	struct pitch x;
	struct fs_xdp_meta ch4 = meta(8, ~0ULL, 0, 4), ch5 = meta(8, ~0ULL, 0, 5);
	struct fs_xdp_meta oob = meta(8, ~0ULL, FS_META_F_OUT_OF_BAND, 4);
	char got[512];

	table_init(&tb);
	/* Unsequenced adds repeat on both lines: never learned. */
	begin(&x, 2, 0);
	add_long(&x, 1, 10, "AAPL");
	run(&x, &oob, &tb.t, got, sizeof(got));
	cr_assert_eq(fsi_orders__count(tb.t.orders), 0);

	begin(&x, 2, 3);
	add_long(&x, 1, 10, "AAPL");
	run(&x, &ch4, &tb.t, got, sizeof(got));
	/* Per channel: the same Order ID on another channel (unit) is another order. */
	begin(&x, 3, 3);
	DELETE(&x, 1);
	run(&x, &ch5, &tb.t, got, sizeof(got));
	cr_assert_str_eq(got, "29@3#1");
	begin(&x, 2, 4);
	EXECUTED(&x, 1, 1);
	run(&x, &ch4, &tb.t, got, sizeof(got));
	cr_assert_str_eq(got, "23@4#1=AAPL");
	/* A session starting at 1 forgets the channel's orders. */
	begin(&x, 2, 1);
	EXECUTED(&x, 1, 1);
	run(&x, &ch4, &tb.t, got, sizeof(got));
	cr_assert_str_eq(got, "23@1#1");
	fsi_group_table__release(&tb.t);
}

Test(pitch, unit_channel_without_metadata)
{
	struct table tb;
	struct fs_group_info info;
	struct pitch x;
	struct fs_frame f;
	__u8 *b;

	table_init(&tb);
	memset(&info, 0, sizeof(info));
	info.key.addr = htonl(GROUP);
	info.key.port = htons(PORT);
	info.value.id = 3;
	info.value.proto = FS_PROTO_PITCH;
	info.value.channel = 10;
	info.value.unit_first = 3;
	info.value.unit_count = 3;
	fsi_group_table__fill(&tb.t, &info, 1);
	begin(&x, 4, 1);
	msg(&x, 0x20, 6, 0);
	finish(&x);
	b = decode_with(&f, &x, NULL, &tb.t);
	cr_assert_eq(f.channel, 11, "unit 4 of units 3-5 from channel 10");
	free(b);
	begin(&x, 3, 1);
	msg(&x, 0x20, 6, 0);
	finish(&x);
	b = decode_with(&f, &x, NULL, &tb.t);
	cr_assert_eq(f.channel, 10);
	free(b);
	fsi_group_table__release(&tb.t);
}

Test(orders, grow_and_erase)
{
	struct fsi_orders *m;
	struct fs_symbol sym, got;
	__u64 i;

	cr_assert_eq(fsi_orders__create(&m), 0);
	memset(&sym, 0, sizeof(sym));
	memcpy(sym.name, "X", 1);
	for (i = 1; i <= 20000; i++)
		cr_assert_eq(fsi_orders__add(m, (__u8)(i % 3), i * 7919, &sym, 2), 0);
	cr_assert_eq(fsi_orders__count(m), 20000);
	cr_assert(!fsi_orders__find(m, 0, 0, &got));
	cr_assert_eq(fsi_orders__add(m, 0, 99, &sym, 0), 0, "nothing on the book: not kept");
	cr_assert(!fsi_orders__find(m, 0, 99, &got));
	for (i = 1; i <= 20000; i += 2)
		fsi_orders__remove(m, (__u8)(i % 3), i * 7919);
	for (i = 2; i <= 20000; i += 2)
		fsi_orders__reduce(m, (__u8)(i % 3), i * 7919, 1);
	cr_assert_eq(fsi_orders__count(m), 10000);
	for (i = 1; i <= 20000; i++)
		cr_assert_eq(fsi_orders__find(m, (__u8)(i % 3), i * 7919, &got), i % 2 == 0,
			     "order %llu", (unsigned long long)i);
	cr_assert(!fsi_orders__find(m, 1, 2 * 7919, &got), "another channel's id");
	fsi_orders__destroy(m);
}
