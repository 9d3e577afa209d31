// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * fs_frame__decode() and the message iterator on NYSE XDP Integrated packets, without a
 * consumer. Packets are written here from the wire facts (16-byte header; messages of MsgSize,
 * MsgType; Symbol Index Mapping 44 bytes, SymbolIndex at 4, Symbol at 8; Add Order 39 bytes,
 * SymbolIndex at 8; Security Status SymbolIndex at 12) and handed over in a buffer that ends
 * where the frame does, so AddressSanitizer catches any read past it.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "feedsieve.h"
#include "feedsieve/seqwin.h"
#include "udp_packet.h"

#define GROUP 0xE9000001 /* 233.0.0.1 */
#define PORT  11064
#define SEND_TIME    1506694823u
#define SEND_TIME_NS 123456789u

struct nyse {
	struct up_packet p;
	size_t hdr;
	__u8 nmsgs;
};

static void begin(struct nyse *x, __u8 flag, __u32 seq)
{
	up_begin(&x->p, GROUP, PORT);
	x->hdr = x->p.n;
	x->nmsgs = 0;
	up_put(&x->p, 0, 2); /* PktSize, at finish */
	up_put(&x->p, flag, 1);
	up_put(&x->p, 0, 1); /* NumberMsgs, at finish */
	up_put(&x->p, seq, 4);
	up_put(&x->p, SEND_TIME, 4);
	up_put(&x->p, SEND_TIME_NS, 4);
}

/* A message of TYPE and SIZE bytes, zero but for the SymbolIndex IDX at IDX_OFF (0: none). */
static void msg(struct nyse *x, __u16 type, __u16 size, int idx_off, __u32 idx)
{
	size_t at = x->p.n;

	up_put(&x->p, size, 2);
	up_put(&x->p, type, 2);
	memset(x->p.b + x->p.n, 0, size - 4);
	x->p.n = at + size;
	if (idx_off)
		up_put_at(&x->p, at + idx_off, idx, 4);
	x->nmsgs++;
}

static void mapping(struct nyse *x, __u32 idx, const char *sym)
{
	size_t at = x->p.n;

	msg(x, 3, 44, 4, idx);
	memset(x->p.b + at + 8, 0, 11);
	memcpy(x->p.b + at + 8, sym, strlen(sym));
}

static void add_order(struct nyse *x, __u32 idx)
{
	msg(x, 100, 39, 8, idx);
}

static void finish(struct nyse *x)
{
	up_put_at(&x->p, x->hdr, x->p.n - x->hdr, 2);
	x->p.b[x->hdr + 3] = x->nmsgs;
	up_finish(&x->p);
}

/* The frame in a buffer of exactly its size (freed by the caller). */
static __u8 *decode(struct fs_frame *f, const struct nyse *x, const struct fs_xdp_meta *m)
{
	__u8 *b = malloc(x->p.n);

	cr_assert_not_null(b);
	memcpy(b, x->p.b, x->p.n);
	memset(f, 0, sizeof(*f));
	f->proto = FS_PROTO_NYSE_XDP;
	cr_assert_eq(fs_frame__decode(f, b, (__u32)x->p.n, m), 0);
	cr_assert_eq(f->proto, FS_PROTO_NYSE_XDP);
	return b;
}

/* "TYPE@SEQ[:IDX[=SYMBOL]] ..." for every delivered message. */
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
		cr_assert_eq(m.type, m.body[2] | m.body[3] << 8, "type is MsgType");
		n += (size_t)snprintf(out + n, cap - n, "%s%u@%llu", n ? " " : "", m.type,
				      (unsigned long long)m.seq);
		if (m.has_key)
			n += (size_t)snprintf(out + n, cap - n, ":%u", m.key);
		if (m.symbol_known) {
			fs_symbol_str(&m.symbol, sym);
			n += (size_t)snprintf(out + n, cap - n, "=%s", sym);
		}
	}
}

static bool malformed(struct nyse *x)
{
	struct fs_frame f;
	__u8 *b;
	bool bad;

	finish(x);
	b = decode(&f, x, NULL);
	bad = f.malformed;
	free(b);
	return bad;
}

Test(nyse, live_packet_is_message_sequenced)
{
	struct nyse x;
	struct fs_frame f;
	char got[256];
	__u8 *b;

	begin(&x, 11, 500);
	mapping(&x, 7, "BRK A");
	add_order(&x, 7);
	msg(&x, 2, 16, 0, 0);      /* Source Time Reference: control */
	msg(&x, 999, 10, 0, 0);    /* unknown: stepped over */
	msg(&x, 34, 16, 12, 9);    /* Security Status, SymbolIndex at 12 */
	finish(&x);
	b = decode(&f, &x, NULL);
	cr_assert(!f.malformed);
	cr_assert_eq(f.kind, FS_FRAME_DATA);
	cr_assert_eq(f.seq, 500);
	cr_assert_eq(f.seq_count, 5);
	cr_assert_eq(f.delivery_flag, 11);
	cr_assert(!f.session_named, "only a sequence reset names its session");
	cr_assert(!f.has_unit);
	/* No metadata, no group table: nothing to decide with, everything is handed over. */
	collect(&f, got, sizeof(got));
	cr_assert_str_eq(got, "3@500:7=BRK A 100@501:7 2@502 999@503 34@504:9");
	free(b);
}

Test(nyse, match_bits_choose_and_control_needs_its_bit)
{
	struct nyse x;
	struct fs_frame f;
	struct fs_xdp_meta m = up_meta(FS_PROTO_NYSE_XDP, 4, 1u << 1 | 1u << 3, 0);
	char got[256];
	__u8 *b;

	begin(&x, 1, 10);
	add_order(&x, 1);
	add_order(&x, 2);
	msg(&x, 1, 14, 0, 0); /* a Sequence Number Reset, not wanted by the program's bits */
	msg(&x, 102, 25, 8, 4);
	finish(&x);
	b = decode(&f, &x, &m);
	collect(&f, got, sizeof(got));
	cr_assert_str_eq(got, "100@11:2 102@13:4");
	free(b);
}

Test(nyse, past_the_walk_user_space_decides)
{
	struct nyse x;
	struct fs_frame f;
	struct fs_xdp_meta m = up_meta(FS_PROTO_NYSE_XDP, 1, 0, FS_META_F_OVERFLOW);
	char got[256];
	__u8 *b;

	begin(&x, 11, 1);
	add_order(&x, 1);
	add_order(&x, 2);
	finish(&x);
	b = decode(&f, &x, &m);
	collect(&f, got, sizeof(got));
	cr_assert_str_eq(got, "100@2:2", "message 0 refused by its bit, message 1 past the walk");
	free(b);
}

Test(nyse, sequence_reset_names_its_session)
{
	struct nyse x;
	struct fs_frame f;
	__u8 t[8];
	__u8 *b;

	begin(&x, 12, 1);
	msg(&x, 1, 14, 0, 0);
	finish(&x);
	b = decode(&f, &x, NULL);
	cr_assert(f.session_named);
	memcpy(t, x.p.b + UP_PAYLOAD + 8, 8);
	cr_assert_eq(f.session_hash, fs_session_hash(t, 8));
	free(b);
}

Test(nyse, heartbeat)
{
	struct nyse x;
	struct fs_frame f;
	char got[64];
	__u8 *b;

	begin(&x, 1, 77);
	finish(&x);
	b = decode(&f, &x, NULL);
	cr_assert(!f.malformed);
	cr_assert_eq(f.kind, FS_FRAME_HEARTBEAT);
	cr_assert_eq(f.seq, 77);
	cr_assert_eq(f.seq_count, 0);
	free(b);
	/* A refresh packet without messages is no heartbeat: it says nothing of the live sequence
	 * (as the program: out of band, nothing to hand over, nothing sequenced). */
	begin(&x, 18, 78);
	finish(&x);
	b = decode(&f, &x, NULL);
	cr_assert(!f.malformed);
	cr_assert_eq(f.kind, FS_FRAME_OUT_OF_BAND);
	cr_assert_eq(f.out_of_band, FS_OOB_REFRESH);
	cr_assert_eq(f.seq_count, 0);
	collect(&f, got, sizeof(got));
	cr_assert_str_eq(got, "");
	free(b);
	begin(&x, 1, 77);
	up_put(&x.p, 0, 1); /* a byte after a heartbeat */
	cr_assert(malformed(&x));
}

Test(nyse, out_of_band_flags)
{
	static const struct {
		__u8 flag;
		enum fs_out_of_band oob;
	} rows[] = {{13, FS_OOB_RETRANSMITTED}, {15, FS_OOB_RETRANSMITTED}, {17, FS_OOB_REFRESH},
		    {18, FS_OOB_REFRESH},       {19, FS_OOB_REFRESH},       {20, FS_OOB_REFRESH},
		    {21, FS_OOB_UNAVAILABLE}};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct nyse x;
		struct fs_frame f;
		char got[256];
		__u8 *b;

		begin(&x, rows[i].flag, 40);
		mapping(&x, 3, "IBM");
		add_order(&x, 3);
		finish(&x);
		b = decode(&f, &x, NULL);
		cr_assert(!f.malformed, "flag %u", rows[i].flag);
		cr_assert_eq(f.kind, FS_FRAME_OUT_OF_BAND, "flag %u", rows[i].flag);
		cr_assert_eq(f.out_of_band, rows[i].oob, "flag %u", rows[i].flag);
		cr_assert_eq(f.seq_count, 0, "never sequenced");
		collect(&f, got, sizeof(got));
		cr_assert_str_eq(got, "3@40:3=IBM 100@41:3", "flag %u", rows[i].flag);
		free(b);
	}
}

Test(nyse, program_says_out_of_band)
{
	struct nyse x;
	struct fs_frame f;
	struct fs_xdp_meta m = up_meta(FS_PROTO_NYSE_XDP, 1, 1, FS_META_F_OUT_OF_BAND);
	__u8 *b;

	begin(&x, 11, 5);
	add_order(&x, 3);
	finish(&x);
	b = decode(&f, &x, &m);
	cr_assert_eq(f.kind, FS_FRAME_OUT_OF_BAND);
	cr_assert_eq(f.seq_count, 0);
	free(b);
}

Test(nyse, validation_boundaries)
{
	struct nyse x;
	static const __u8 bad_flags[] = {0, 2, 9, 14, 16, 22, 255};
	size_t i;

	for (i = 0; i < sizeof(bad_flags); i++) {
		begin(&x, bad_flags[i], 1);
		add_order(&x, 1);
		cr_assert(malformed(&x), "DeliveryFlag %u", bad_flags[i]);
	}
	/* SymbolIndex exactly at the end of the message: well formed; one byte short: not. */
	begin(&x, 11, 1);
	msg(&x, 100, 12, 8, 1);
	cr_assert(!malformed(&x));
	begin(&x, 11, 1);
	msg(&x, 100, 11, 0, 0);
	cr_assert(malformed(&x));
	begin(&x, 11, 1);
	msg(&x, 34, 15, 0, 0); /* index at 12 */
	cr_assert(malformed(&x));
	/* A mapping must hold its symbol (19 bytes). */
	begin(&x, 11, 1);
	msg(&x, 3, 19, 4, 1);
	cr_assert(!malformed(&x));
	begin(&x, 11, 1);
	msg(&x, 3, 18, 4, 1);
	cr_assert(malformed(&x));
	/* MsgSize below its own header, or past the packet. */
	begin(&x, 11, 1);
	msg(&x, 999, 4, 0, 0);
	cr_assert(!malformed(&x));
	begin(&x, 11, 1);
	msg(&x, 999, 4, 0, 0);
	up_put_at(&x.p, UP_PAYLOAD + 16, 3, 2);
	cr_assert(malformed(&x));
	begin(&x, 11, 1);
	msg(&x, 999, 8, 0, 0);
	x.p.n -= 2;
	cr_assert(malformed(&x));
	/* Bytes after the last message. */
	begin(&x, 11, 1);
	add_order(&x, 1);
	up_put(&x.p, 0, 3);
	cr_assert(malformed(&x));
	/* NumberMsgs saying more than the packet holds. */
	begin(&x, 11, 1);
	add_order(&x, 1);
	x.nmsgs = 2;
	cr_assert(malformed(&x));
	/* PktSize not the payload's length. */
	begin(&x, 11, 1);
	add_order(&x, 1);
	finish(&x);
	up_put_at(&x.p, UP_PAYLOAD, x.p.n - UP_PAYLOAD + 1, 2);
	{
		struct fs_frame f;
		__u8 *b = decode(&f, &x, NULL);

		cr_assert(f.malformed);
		free(b);
	}
	/* Shorter than the header. */
	up_begin(&x.p, GROUP, PORT);
	up_put(&x.p, 15, 2);
	up_put(&x.p, 11, 1);
	up_put(&x.p, 0, 4);
	up_put(&x.p, 0, 4);
	up_put(&x.p, 0, 4);
	up_finish(&x.p);
	{
		struct fs_frame f;
		__u8 *b = decode(&f, &x, NULL);

		cr_assert(f.malformed);
		free(b);
	}
}
