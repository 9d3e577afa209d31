// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Byte-level tests of feedgen's wire encoders, symbol table and PRNG. Expected frames are written
 * out by hand from the ITCH 5.0 and MoldUDP64 specifications (docs/wire/), not produced by the
 * code under test, so a wrong offset, byte order or length fails here.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "itch_encode.h"
#include "prng.h"
#include "symbols.h"

/* A header whose bytes are all distinct, so a field written at a wrong offset shows. */
static const struct itch_hdr hdr = {
    .locate = 0x1234,
    .tracking = 0x5678,
    .timestamp = 0xA1B2C3D4E5F6ULL,
};

#define HDR_BYTES 0x12, 0x34, 0x56, 0x78, 0xA1, 0xB2, 0xC3, 0xD4, 0xE5, 0xF6

static int enc_system_event(void *buf, size_t cap)
{
	return itch_encode_system_event(buf, cap, &hdr, 'O');
}

static int enc_stock_directory(void *buf, size_t cap)
{
	const struct itch_stock_directory r = {
	    .stock = {'A', 'A', 'P', 'L', ' ', ' ', ' ', ' '},
	    .market_category = 'Q',
	    .financial_status = 'N',
	    .round_lot_size = 100,
	    .round_lots_only = 'N',
	    .issue_classification = 'C',
	    .issue_sub_type = {'Z', ' '},
	    .authenticity = 'P',
	    .short_sale_threshold = 'N',
	    .ipo_flag = ' ',
	    .luld_tier = '1',
	    .etp_flag = 'N',
	    .etp_leverage = 0x01020304,
	    .inverse = 'N',
	};

	return itch_encode_stock_directory(buf, cap, &hdr, &r);
}

static int enc_add_order(void *buf, size_t cap)
{
	const struct itch_add_order a = {
	    .order_ref = 0x0102030405060708ULL,
	    .side = 'B',
	    .shares = 300,
	    .stock = {'M', 'S', 'F', 'T', ' ', ' ', ' ', ' '},
	    .price = 1234500, /* $123.45 */
	};

	return itch_encode_add_order(buf, cap, &hdr, &a);
}

static int enc_order_executed(void *buf, size_t cap)
{
	return itch_encode_order_executed(buf, cap, &hdr, 0x1112131415161718ULL, 0x00010203,
					  0x2122232425262728ULL);
}

static int enc_order_cancel(void *buf, size_t cap)
{
	return itch_encode_order_cancel(buf, cap, &hdr, 0x1112131415161718ULL, 70000);
}

static int enc_order_delete(void *buf, size_t cap)
{
	return itch_encode_order_delete(buf, cap, &hdr, 0x00000000DEADBEEFULL);
}

static int enc_trade(void *buf, size_t cap)
{
	const struct itch_trade t = {
	    .order_ref = 0,
	    .side = 'B',
	    .shares = 1,
	    .stock = {'G', 'O', 'O', 'G', 'L', ' ', ' ', ' '},
	    .price = 0xFFFFFFFF,
	    .match = 0x0A0B0C0D0E0F1011ULL,
	};

	return itch_encode_trade(buf, cap, &hdr, &t);
}

struct encode_case {
	const char *desc;
	int (*encode)(void *buf, size_t cap);
	int wire_len; /* the length wire_itch.h says the type has */
	size_t len;
	unsigned char bytes[ITCH_MSG_MAX];
};

static const struct encode_case encode_cases[] = {
    {
	"System Event 'S': 12 bytes, event code at 11",
	enc_system_event,
	ITCH_S_LEN,
	12,
	{'S', HDR_BYTES, 'O'},
    },
    {
	"Stock Directory 'R': 39 bytes, padded stock at 11, round lot and leverage BE",
	enc_stock_directory,
	ITCH_R_LEN,
	39,
	{'R',  HDR_BYTES, 'A', 'A', 'P', 'L', ' ', ' ', ' ', ' ', 'Q',	'N',  0x00, 0x00, 0x00,
	 0x64, 'N',	  'C', 'Z', ' ', 'P', 'N', ' ', '1', 'N', 0x01, 0x02, 0x03, 0x04, 'N'},
    },
    {
	"Add Order 'A': 36 bytes, ref/side/shares/stock/price at 11/19/20/24/32",
	enc_add_order,
	ITCH_A_LEN,
	36,
	{'A',  HDR_BYTES, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 'B',	0x00, 0x00, 0x01,
	 0x2C, 'M',	  'S',	'F',  'T',  ' ',  ' ',	' ',  ' ',  0x00, 0x12, 0xD6, 0x44},
    },
    {
	"Order Executed 'E': 31 bytes, ref/shares/match at 11/19/23",
	enc_order_executed,
	ITCH_E_LEN,
	31,
	{'E',  HDR_BYTES, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x00,
	 0x01, 0x02,	  0x03, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28},
    },
    {
	"Order Cancel 'X': 23 bytes, ref/shares at 11/19",
	enc_order_cancel,
	ITCH_X_LEN,
	23,
	{'X', HDR_BYTES, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x00, 0x01, 0x11, 0x70},
    },
    {
	"Order Delete 'D': 19 bytes, ref at 11",
	enc_order_delete,
	ITCH_D_LEN,
	19,
	{'D', HDR_BYTES, 0x00, 0x00, 0x00, 0x00, 0xDE, 0xAD, 0xBE, 0xEF},
    },
    {
	"Trade 'P': 44 bytes, ref/side/shares/stock/price/match at 11/19/20/24/32/36",
	enc_trade,
	ITCH_P_LEN,
	44,
	{'P',  HDR_BYTES, 0,	0,    0,    0,	  0,	0,    0,    0,	  'B', 0x00,
	 0x00, 0x00,	  0x01, 'G',  'O',  'O',  'G',	'L',  ' ',  ' ',  ' ', 0xFF,
	 0xFF, 0xFF,	  0xFF, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0x10, 0x11},
    },
};

#define N_ENCODE_CASES (sizeof(encode_cases) / sizeof(encode_cases[0]))

Test(itch_encode, layouts,
     .description = "every message type encodes to the hand-written bytes and its wire_itch.h length")
{
	unsigned char buf[ITCH_MSG_MAX];
	size_t i, j;

	for (i = 0; i < N_ENCODE_CASES; i++) {
		const struct encode_case *c = &encode_cases[i];
		int len;

		memset(buf, 0xAA, sizeof(buf));
		len = c->encode(buf, sizeof(buf));
		cr_assert_eq(len, c->wire_len, "%s: returned %d, wire_itch.h says %d", c->desc, len,
			     c->wire_len);
		cr_assert_eq((size_t)len, c->len, "%s: length %d, spec says %zu", c->desc, len,
			     c->len);
		for (j = 0; j < c->len; j++)
			cr_expect_eq(buf[j], c->bytes[j], "%s: byte %zu is 0x%02x, want 0x%02x",
				     c->desc, j, buf[j], c->bytes[j]);
		cr_expect_eq(buf[c->len], 0xAA, "%s: wrote past its length", c->desc);
	}
}

Test(itch_encode, symbol_offsets,
     .description = "A, P and R put the stock where itch_symbol_offset() says readers look")
{
	unsigned char buf[ITCH_MSG_MAX];

	cr_assert_eq(enc_add_order(buf, sizeof(buf)), ITCH_A_LEN);
	cr_expect_arr_eq(buf + itch_symbol_offset(buf[0]), "MSFT    ", ITCH_SYMBOL_LEN);
	cr_assert_eq(enc_trade(buf, sizeof(buf)), ITCH_P_LEN);
	cr_expect_arr_eq(buf + itch_symbol_offset(buf[0]), "GOOGL   ", ITCH_SYMBOL_LEN);
	cr_assert_eq(enc_stock_directory(buf, sizeof(buf)), ITCH_R_LEN);
	cr_expect_arr_eq(buf + itch_symbol_offset(buf[0]), "AAPL    ", ITCH_SYMBOL_LEN);
}

Test(itch_encode, too_small,
     .description = "a buffer one byte short gives -ENOSPC and is left untouched")
{
	unsigned char buf[ITCH_MSG_MAX];
	size_t i, j;

	for (i = 0; i < N_ENCODE_CASES; i++) {
		const struct encode_case *c = &encode_cases[i];

		memset(buf, 0xAA, sizeof(buf));
		cr_expect_eq(c->encode(buf, c->len - 1), -ENOSPC, "%s", c->desc);
		for (j = 0; j < sizeof(buf); j++)
			cr_expect_eq(buf[j], 0xAA, "%s: byte %zu written", c->desc, j);
	}
}

Test(itch_encode, timestamp_range,
     .description = "timestamps are 48 bits: 2^48 - 1 encodes, 2^48 is refused")
{
	struct itch_hdr h = {.timestamp = (1ULL << 48) - 1};
	unsigned char buf[ITCH_MSG_MAX];
	const unsigned char ff[6] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};

	cr_assert_eq(itch_encode_system_event(buf, sizeof(buf), &h, 'C'), ITCH_S_LEN);
	cr_expect_arr_eq(buf + ITCH_OFF_TIMESTAMP, ff, 6);
	h.timestamp = 1ULL << 48;
	cr_expect_eq(itch_encode_system_event(buf, sizeof(buf), &h, 'C'), -EINVAL);
}

struct pad_case {
	const char *desc;
	const char *name;
	size_t len;
	int ret;
	const char *want;
};

Test(itch_encode, pad_field, .description = "names are space padded; empty, long, spaced refused")
{
	static const struct pad_case cases[] = {
	    {"short symbol padded to 8", "AMD", ITCH_SYMBOL_LEN, 0, "AMD     "},
	    {"8-char symbol needs no padding", "ABCDEFGH", ITCH_SYMBOL_LEN, 0, "ABCDEFGH"},
	    {"9-char symbol refused", "ABCDEFGHI", ITCH_SYMBOL_LEN, -EINVAL, NULL},
	    {"empty symbol refused", "", ITCH_SYMBOL_LEN, -EINVAL, NULL},
	    {"inner space refused", "BRK A", ITCH_SYMBOL_LEN, -EINVAL, NULL},
	    {"control character refused", "A\tB", ITCH_SYMBOL_LEN, -EINVAL, NULL},
	    {"session padded to 10", "FSGEN1", MOLD_SESSION_LEN, 0, "FSGEN1    "},
	    {"11-char session refused", "FSGEN000001", MOLD_SESSION_LEN, -EINVAL, NULL},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[16];

		memset(out, '#', sizeof(out));
		cr_assert_eq(itch_pad_field(out, cases[i].len, cases[i].name), cases[i].ret, "%s",
			     cases[i].desc);
		if (cases[i].want)
			cr_expect_arr_eq(out, cases[i].want, cases[i].len, "%s", cases[i].desc);
		cr_expect_eq(out[cases[i].len], '#', "%s: wrote past the field", cases[i].desc);
	}
}

static const char session[MOLD_SESSION_LEN] = {'F', 'S', 'G', 'E', 'N', '0', '0', '0', '0', '1'};

Test(mold_pkt, header_and_blocks,
     .description = "header is session/seq/count big-endian; each message gets a BE length")
{
	static const unsigned char want[] = {
	    'F',  'S',	'G',  'E',  'N',  '0',	'0',  '0',  '0', '1', /* session */
	    0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,	      /* sequence */
	    0x00, 0x02,						      /* count */
	    0x00, 0x03, 'a',  'b',  'c',			      /* block 1 */
	    0x01, 0x02,						      /* block 2: 258 bytes */
	};
	unsigned char big[258];
	struct mold_pkt p;

	memset(big, 'z', sizeof(big));
	cr_assert_eq(mold_pkt__init(&p, session, 0x0102030405060708ULL, MOLD_PAYLOAD_MAX), 0);
	cr_assert_eq(p.len, MOLD_HDR_LEN);
	cr_assert_eq(mold_pkt__append(&p, "abc", 3), 0);
	cr_assert_eq(mold_pkt__append(&p, big, sizeof(big)), 0);
	cr_assert_eq(p.len, MOLD_HDR_LEN + 2 + 3 + 2 + 258);
	cr_expect_arr_eq(p.buf, want, sizeof(want));
	cr_expect_arr_eq(p.buf + sizeof(want), big, sizeof(big));
	cr_expect_eq(mold_pkt__next_seq(&p), 0x0102030405060708ULL + 2);
}

Test(mold_pkt, heartbeat, .description = "an empty packet is a heartbeat: count 0, 20 bytes")
{
	static const unsigned char want[] = {
	    'F', 'S', 'G', 'E', 'N', '0', '0', '0', '0', '1', 0, 0, 0, 0, 0, 0, 0, 42, 0x00, 0x00,
	};
	struct mold_pkt p;

	cr_assert_eq(mold_pkt__init(&p, session, 42, MOLD_PAYLOAD_MAX), 0);
	cr_assert_eq(p.len, sizeof(want));
	cr_expect_arr_eq(p.buf, want, sizeof(want));
	cr_expect_eq(mold_pkt__next_seq(&p), 42);
}

Test(mold_pkt, end_of_session,
     .description = "end of session is count 0xFFFF, and only on a packet with no messages")
{
	struct mold_pkt p;

	cr_assert_eq(mold_pkt__init(&p, session, 7, MOLD_PAYLOAD_MAX), 0);
	cr_assert_eq(mold_pkt__mark_end_of_session(&p), 0);
	cr_expect_eq(p.buf[MOLD_OFF_COUNT], 0xFF);
	cr_expect_eq(p.buf[MOLD_OFF_COUNT + 1], 0xFF);
	cr_expect_eq(p.len, MOLD_HDR_LEN);

	cr_assert_eq(mold_pkt__init(&p, session, 7, MOLD_PAYLOAD_MAX), 0);
	cr_assert_eq(mold_pkt__append(&p, "S", 1), 0);
	cr_expect_eq(mold_pkt__mark_end_of_session(&p), -EBUSY);
	cr_expect_eq(p.buf[MOLD_OFF_COUNT + 1], 1);
}

Test(mold_pkt, capacity,
     .description = "1400-byte packets take 33 directory messages; the 34th is refused intact")
{
	unsigned char msg[ITCH_MSG_MAX];
	unsigned char before[MOLD_PAYLOAD_MAX];
	struct mold_pkt p;
	int n = 0;

	cr_assert_eq(enc_stock_directory(msg, sizeof(msg)), ITCH_R_LEN);
	cr_assert_eq(mold_pkt__init(&p, session, 1, MOLD_PAYLOAD_MAX), 0);
	while (mold_pkt__append(&p, msg, ITCH_R_LEN) == 0)
		n++;
	/* (1400 - 20) / (2 + 39) = 33.6 */
	cr_expect_eq(n, 33);
	cr_expect_eq(p.len, (size_t)(MOLD_HDR_LEN + 33 * (MOLD_BLOCK_HDR + ITCH_R_LEN)));
	cr_expect_eq(p.buf[MOLD_OFF_COUNT + 1], 33);
	cr_expect_not(mold_pkt__fits(&p, ITCH_R_LEN));
	cr_expect(mold_pkt__fits(&p, p.cap - p.len - MOLD_BLOCK_HDR));
	cr_expect_not(mold_pkt__fits(&p, p.cap - p.len - MOLD_BLOCK_HDR + 1));

	memcpy(before, p.buf, sizeof(before));
	cr_expect_eq(mold_pkt__append(&p, msg, ITCH_R_LEN), -ENOSPC);
	cr_expect_arr_eq(p.buf, before, sizeof(before));
	cr_expect_eq(mold_pkt__append(&p, msg, 0), -EINVAL);
	cr_expect_eq(mold_pkt__init(&p, session, 1, MOLD_PAYLOAD_MAX + 1), -EINVAL);
}

Test(symbols, first_ten,
     .description = "locates 1..10 are the well-known tickers, padded, in popularity order")
{
	static const char *const want[] = {"AAPL", "MSFT", "NVDA", "AMZN", "GOOGL",
					   "META", "TSLA", "AVGO", "GOOG", "COST"};
	char name[ITCH_SYMBOL_LEN + 1], padded[ITCH_SYMBOL_LEN];
	struct symtab *t;
	__u16 i;

	cr_assert_eq(symtab__new(&t, 10), 0);
	cr_expect_eq(symtab__count(t), 10);
	for (i = 1; i <= 10; i++) {
		cr_assert_eq(symtab__name(t, i, name), 0);
		cr_expect_str_eq(name, want[i - 1], "locate %u", i);
		cr_assert_eq(itch_pad_field(padded, ITCH_SYMBOL_LEN, want[i - 1]), 0);
		cr_expect_arr_eq(symtab__padded(t, i), padded, ITCH_SYMBOL_LEN, "locate %u", i);
	}
	cr_expect_null(symtab__padded(t, 0), "locate 0 is no stock");
	cr_expect_null(symtab__padded(t, 11));
	cr_expect_eq(symtab__name(t, 11, name), -ENOENT);
	symtab__free(t);
}

static int cmp_sym(const void *a, const void *b)
{
	return memcmp(a, b, ITCH_SYMBOL_LEN);
}

Test(symbols, all_unique_and_padded,
     .description = "all 65535 symbols are distinct, 1-8 uppercase letters, space padded to 8")
{
	struct symtab *t;
	char(*all)[ITCH_SYMBOL_LEN];
	__u32 i, j, n = SYMTAB_MAX;

	cr_assert_eq(symtab__new(&t, n), 0);
	all = calloc(n, sizeof(*all));
	cr_assert_not_null(all);
	for (i = 0; i < n; i++) {
		const char *p = symtab__padded(t, (__u16)(i + 1));
		bool pad = false;

		cr_assert_not_null(p, "locate %u", i + 1);
		cr_assert(p[0] >= 'A' && p[0] <= 'Z', "locate %u starts with '%c'", i + 1, p[0]);
		for (j = 1; j < ITCH_SYMBOL_LEN; j++) {
			if (p[j] == ' ')
				pad = true;
			else
				cr_assert(!pad && p[j] >= 'A' && p[j] <= 'Z',
					  "locate %u: bad byte 0x%02x at %u", i + 1, p[j], j);
		}
		memcpy(all[i], p, ITCH_SYMBOL_LEN);
	}
	qsort(all, n, sizeof(*all), cmp_sym);
	for (i = 1; i < n; i++)
		cr_assert(memcmp(all[i - 1], all[i], ITCH_SYMBOL_LEN), "duplicate symbol %.8s",
			  all[i]);
	free(all);
	symtab__free(t);
}

Test(symbols, size_independent,
     .description = "a symbol's name depends only on its locate, not on the table size")
{
	struct symtab *small, *big;
	__u16 i;

	cr_assert_eq(symtab__new(&small, 300), 0);
	cr_assert_eq(symtab__new(&big, SYMTAB_MAX), 0);
	for (i = 1; i <= 300; i++)
		cr_expect_arr_eq(symtab__padded(small, i), symtab__padded(big, i), ITCH_SYMBOL_LEN,
				 "locate %u", i);
	symtab__free(small);
	symtab__free(big);
}

Test(symbols, bad_sizes, .description = "0 and 65536 symbols are refused: locates are 1..65535")
{
	struct symtab *t = NULL;

	cr_expect_eq(symtab__new(&t, 0), -EINVAL);
	cr_expect_eq(symtab__new(&t, SYMTAB_MAX + 1), -EINVAL);
	cr_expect_null(t);
}

Test(symbols, zipf_skew,
     .description = "picks follow 1/rank^1.1: rank 0 about 2.14x rank 1, 12.6x rank 9")
{
	enum { N = 500, DRAWS = 400000 };
	static unsigned int hits[N + 1];
	struct symtab *t;
	struct prng r;
	double r01, r09;
	int i;

	cr_assert_eq(symtab__new(&t, N), 0);
	prng__seed(&r, 12345);
	for (i = 0; i < DRAWS; i++) {
		__u16 loc = symtab__pick(t, &r);

		cr_assert(loc >= 1 && loc <= N, "locate %u out of range", loc);
		hits[loc]++;
	}
	r01 = (double)hits[1] / hits[2];
	r09 = (double)hits[1] / hits[10];
	/* 2^1.1 = 2.144, 10^1.1 = 12.59; bounds allow sampling noise at 400k draws. */
	cr_expect(r01 > 2.0 && r01 < 2.3, "rank0/rank1 = %.3f", r01);
	cr_expect(r09 > 11.5 && r09 < 13.8, "rank0/rank9 = %.3f", r09);
	cr_expect(hits[N] > 0, "the coldest symbol is still drawn sometimes");
	symtab__free(t);
}

Test(symbols, pick_deterministic, .description = "the same seed draws the same locates")
{
	struct symtab *t;
	struct prng a, b;
	int i, differ = 0;

	cr_assert_eq(symtab__new(&t, 1000), 0);
	prng__seed(&a, 7);
	prng__seed(&b, 7);
	for (i = 0; i < 1000; i++)
		cr_assert_eq(symtab__pick(t, &a), symtab__pick(t, &b), "draw %d", i);
	prng__seed(&b, 8);
	for (i = 0; i < 1000; i++)
		differ += symtab__pick(t, &a) != symtab__pick(t, &b);
	cr_expect_gt(differ, 100, "seeds 7 and 8 should give different draws");
	symtab__free(t);
}

Test(prng, reference_values,
     .description = "SplitMix64 from seed 0 gives the published reference outputs")
{
	static const __u64 want[] = {0xe220a8397b1dcdafULL, 0x6e789e6aa1b965f4ULL,
				     0x06c45d188009454fULL};
	struct prng r;
	size_t i;

	prng__seed(&r, 0);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		cr_expect_eq(prng__next(&r), want[i], "output %zu", i);
}

Test(prng, below_bounds, .description = "below(n) stays in [0, n) and reaches both ends")
{
	struct prng r;
	bool seen[7] = {};
	int i;

	prng__seed(&r, 99);
	for (i = 0; i < 10000; i++) {
		__u64 v = prng__below(&r, 7);

		cr_assert_lt(v, 7);
		seen[v] = true;
	}
	for (i = 0; i < 7; i++)
		cr_expect(seen[i], "value %d never drawn", i);
	cr_expect_eq(prng__below(&r, 1), 0);
}
