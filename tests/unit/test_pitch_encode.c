// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Byte-level tests of feedgen's Cboe PITCH encoders and Sequenced Unit builder. Expected offsets
 * are the numbers of docs/wire/pitch.md written out here, not the encoder's constants.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "pitch_encode.h"
#include "le_read.h"

static struct pitch_order order(const char *sym, __u32 qty, __u64 price)
{
	return (struct pitch_order){.ts_ns = 4242,
				    .order_id = 0x0102030405060708ULL,
				    .side = 'B',
				    .qty = qty,
				    .symbol = sym,
				    .price = price};
}

Test(pitch_encode, header)
{
	struct pitch_pkt p;

	pitch_pkt__init(&p, 3, 0x0A0B0C0D);
	cr_expect_eq(p.len, 8);
	cr_expect_eq(RD16(p.buf), 8, "HdrLength");
	cr_expect_eq(p.buf[2], 0, "HdrCount");
	cr_expect_eq(p.buf[3], 3, "HdrUnit");
	cr_expect_eq(RD32(p.buf + 4), 0x0A0B0C0D, "HdrSequence");
	cr_assert_eq(pitch_put_time(&p, 52200), 0);
	cr_expect_eq(RD16(p.buf), 14);
	cr_expect_eq(p.buf[2], 1);
	cr_expect_eq(p.buf[8], 6, "Length");
	cr_expect_eq(p.buf[9], 0x20, "Type");
	cr_expect_eq(RD32(p.buf + 10), 52200, "Time");
}

Test(pitch_encode, adds)
{
	struct pitch_order o = order("AAPL", 300, 1234500);
	struct pitch_pkt p;
	const __u8 *m;

	pitch_pkt__init(&p, 1, 1);
	m = p.buf + p.len;
	cr_assert_eq(pitch_put_add(&p, 0x22, &o), 0);
	cr_expect_eq(m[0], 26);
	cr_expect_eq(m[1], 0x22);
	cr_expect_eq(RD32(m + 2), 4242, "Time Offset");
	cr_expect_eq(RD64(m + 6), o.order_id, "Order ID");
	cr_expect_eq(m[14], 'B', "Side");
	cr_expect_eq(RD16(m + 15), 300, "Quantity (2)");
	cr_expect_eq(memcmp(m + 17, "AAPL  ", 6), 0, "Symbol space padded");
	cr_expect_eq(RD16(m + 23), 12345, "Price in cents");
	m = p.buf + p.len;
	cr_assert_eq(pitch_put_add(&p, 0x21, &o), 0);
	cr_expect_eq(m[0], 34);
	cr_expect_eq(RD32(m + 15), 300, "Quantity (4)");
	cr_expect_eq(memcmp(m + 19, "AAPL  ", 6), 0);
	cr_expect_eq(RD64(m + 25), 1234500, "Price, 4 decimals");
	o.symbol = "ZVZZTPRA";
	cr_expect_eq(pitch_put_add(&p, 0x21, &o), -EINVAL, "8 characters in a long add");
	m = p.buf + p.len;
	cr_assert_eq(pitch_put_add(&p, 0x2F, &o), 0);
	cr_expect_eq(m[0], 41);
	cr_expect_eq(m[1], 0x2F);
	cr_expect_eq(memcmp(m + 19, "ZVZZTPRA", 8), 0);
	cr_expect_eq(RD64(m + 27), 1234500);
	o = order("AAPL", 70000, 1234500);
	cr_expect(!pitch_fits_short(&o), "a quantity over 65535 is not short");
	o = order("AAPL", 100, 1234567);
	cr_expect(!pitch_fits_short(&o), "a price finer than a cent is not short");
	cr_expect_eq(p.buf[2], 3);
	cr_expect_eq(RD16(p.buf), p.len);
}

Test(pitch_encode, order_messages)
{
	struct pitch_order o = order("SPY", 500, 4000000);
	struct pitch_pkt p;
	const __u8 *m;

	pitch_pkt__init(&p, 1, 1);
	m = p.buf + p.len;
	cr_assert_eq(pitch_put_executed(&p, &o, 200, 99), 0);
	cr_expect_eq(m[0], 26);
	cr_expect_eq(RD64(m + 6), o.order_id);
	cr_expect_eq(RD32(m + 14), 200, "Executed Quantity");
	cr_expect_eq(RD64(m + 18), 99, "Execution ID");
	m = p.buf + p.len;
	cr_assert_eq(pitch_put_executed_at_price(&p, &o, 200, 300, 98), 0);
	cr_expect_eq(m[0], 38);
	cr_expect_eq(RD32(m + 18), 300, "Remaining Quantity");
	cr_expect_eq(RD64(m + 30), 4000000, "Price");
	m = p.buf + p.len;
	cr_assert_eq(pitch_put_reduce(&p, true, &o, 100), 0);
	cr_expect_eq(m[0], 16);
	cr_expect_eq(m[1], 0x26);
	cr_expect_eq(RD16(m + 14), 100);
	m = p.buf + p.len;
	cr_assert_eq(pitch_put_reduce(&p, false, &o, 100), 0);
	cr_expect_eq(m[0], 18);
	cr_expect_eq(RD32(m + 14), 100);
	m = p.buf + p.len;
	cr_assert_eq(pitch_put_modify(&p, true, &o), 0);
	cr_expect_eq(m[0], 19);
	cr_expect_eq(RD16(m + 14), 500);
	cr_expect_eq(RD16(m + 16), 40000);
	m = p.buf + p.len;
	cr_assert_eq(pitch_put_modify(&p, false, &o), 0);
	cr_expect_eq(m[0], 27);
	cr_expect_eq(RD32(m + 14), 500);
	cr_expect_eq(RD64(m + 18), 4000000);
	m = p.buf + p.len;
	cr_assert_eq(pitch_put_delete(&p, &o), 0);
	cr_expect_eq(m[0], 14);
	cr_expect_eq(m[1], 0x29);
	cr_expect_eq(RD64(m + 6), o.order_id);
}

Test(pitch_encode, trades_status_clear)
{
	struct pitch_order o = order("SPY", 500, 4000000);
	struct pitch_pkt p;
	const __u8 *m;

	pitch_pkt__init(&p, 2, 0);
	m = p.buf + p.len;
	cr_assert_eq(pitch_put_trade(&p, 0x2B, &o, 7), 0);
	cr_expect_eq(m[0], 33);
	cr_expect_eq(memcmp(m + 17, "SPY   ", 6), 0);
	cr_expect_eq(RD64(m + 25), 7, "Execution ID");
	m = p.buf + p.len;
	cr_assert_eq(pitch_put_trade(&p, 0x2A, &o, 8), 0);
	cr_expect_eq(m[0], 41);
	cr_expect_eq(RD64(m + 33), 8);
	o.symbol = "ZWZZTWS";
	m = p.buf + p.len;
	cr_assert_eq(pitch_put_trade(&p, 0x30, &o, 9), 0);
	cr_expect_eq(m[0], 43);
	cr_expect_eq(memcmp(m + 19, "ZWZZTWS ", 8), 0);
	cr_expect_eq(RD64(m + 35), 9);
	m = p.buf + p.len;
	cr_assert_eq(pitch_put_status(&p, 5, "SPY", 'T'), 0);
	cr_expect_eq(m[0], 18);
	cr_expect_eq(m[1], 0x31);
	cr_expect_eq(memcmp(m + 6, "SPY     ", 8), 0);
	cr_expect_eq(m[14], 'T');
	m = p.buf + p.len;
	cr_assert_eq(pitch_put_unit_clear(&p, 6), 0);
	cr_expect_eq(m[0], 6);
	cr_expect_eq(m[1], 0x97);
	cr_expect_eq(RD32(p.buf + 4), 0, "unsequenced");
}
