// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Byte-level tests of feedgen's NYSE XDP Integrated Feed encoders and packet builder. Expected
 * offsets are the numbers of docs/wire/nyse-xdp.md written out here, not the encoder's
 * constants, so a wrong constant, byte order or length fails.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "nyse_encode.h"
#include "le_read.h"

static const struct nyse_order order = {
    .src_sec = 1704205800,
    .src_ns = 123456789,
    .symbol_index = 1006,
    .symbol_seq = 77,
    .order_id = 0x1122334455667788ULL,
    .price = 1234500,
    .volume = 300,
    .side = 'S',
};

Test(nyse_encode, packet_header)
{
	struct nyse_pkt p;

	nyse_pkt__init(&p, 11, 0x01020304, 1704205800ULL * 1000000000ULL + 5);
	cr_expect_eq(p.len, 16);
	cr_expect_eq(RD16(p.buf + 0), 16, "PktSize of a heartbeat-sized packet");
	cr_expect_eq(p.buf[2], 11, "DeliveryFlag");
	cr_expect_eq(p.buf[3], 0, "NumberMsgs");
	cr_expect_eq(RD32(p.buf + 4), 0x01020304, "SeqNum");
	cr_expect_eq(RD32(p.buf + 8), 1704205800, "SendTime");
	cr_expect_eq(RD32(p.buf + 12), 5, "SendTimeNS");
	cr_assert_eq(nyse_put_time_ref(&p, 1704205801), 0);
	cr_expect_eq(RD16(p.buf + 0), 32, "PktSize follows each message");
	cr_expect_eq(p.buf[3], 1, "NumberMsgs follows each message");
}

Test(nyse_encode, mapping_keeps_inner_spaces_nul_padded)
{
	struct nyse_pkt p;
	const __u8 *m;

	nyse_pkt__init(&p, 11, 1, 0);
	cr_assert_eq(nyse_put_mapping(&p, 1006, "BRK A", 3550000), 0);
	m = p.buf + 16;
	cr_expect_eq(RD16(m), 44, "MsgSize");
	cr_expect_eq(RD16(m + 2), 3, "MsgType");
	cr_expect_eq(RD32(m + 4), 1006, "SymbolIndex");
	cr_expect_eq(memcmp(m + 8, "BRK A\0\0\0\0\0\0", 11), 0, "Symbol");
	cr_expect_eq(RD16(m + 20), 1, "MarketID");
	cr_expect_eq(m[23], 'N', "ExchangeCode");
	cr_expect_eq(m[24], 4, "PriceScaleCode");
	cr_expect_eq(RD32(m + 28), 3550000, "PrevClosePrice");
	cr_expect_eq(nyse_put_mapping(&p, 1, "ABCDEFGHIJKL", 1), -EINVAL, "12 characters");
	cr_expect_eq(nyse_put_mapping(&p, 1, "ZVZZT PRA W", 1), 0, "11 characters");
	cr_expect_eq(memcmp(p.buf + 60 + 8, "ZVZZT PRA W", 11), 0);
}

Test(nyse_encode, order_messages)
{
	struct nyse_pkt p;
	const __u8 *m;

	nyse_pkt__init(&p, 11, 1, 0);
	cr_assert_eq(nyse_put_add(&p, &order, false), 0);
	m = p.buf + 16;
	cr_expect_eq(RD16(m), 39);
	cr_expect_eq(RD16(m + 2), 100);
	cr_expect_eq(RD32(m + 4), 123456789, "SourceTimeNS");
	cr_expect_eq(RD32(m + 8), 1006, "SymbolIndex");
	cr_expect_eq(RD32(m + 12), 77, "SymbolSeqNum");
	cr_expect_eq(RD64(m + 16), order.order_id, "OrderID");
	cr_expect_eq(RD32(m + 24), 1234500, "Price");
	cr_expect_eq(RD32(m + 28), 300, "Volume");
	cr_expect_eq(m[32], 'S', "Side");
	cr_expect_eq(memcmp(m + 33, "     ", 5), 0, "FirmID");

	m = p.buf + p.len;
	cr_assert_eq(nyse_put_execution(&p, &order, 9, 100), 0);
	cr_expect_eq(RD16(m), 42);
	cr_expect_eq(RD16(m + 2), 103);
	cr_expect_eq(RD64(m + 16), order.order_id);
	cr_expect_eq(RD32(m + 24), 9, "TradeID");
	cr_expect_eq(RD32(m + 32), 100, "Volume executed");

	m = p.buf + p.len;
	cr_assert_eq(nyse_put_replace(&p, &order, 0xAABB), 0);
	cr_expect_eq(RD16(m), 42);
	cr_expect_eq(RD16(m + 2), 104);
	cr_expect_eq(RD64(m + 24), 0xAABB, "NewOrderID");
	cr_expect_eq(RD32(m + 32), 1234500, "Price");

	m = p.buf + p.len;
	cr_assert_eq(nyse_put_delete(&p, &order), 0);
	cr_expect_eq(RD16(m), 25);
	cr_expect_eq(RD16(m + 2), 102);
	m = p.buf + p.len;
	cr_assert_eq(nyse_put_modify(&p, &order), 0);
	cr_expect_eq(RD16(m), 35);
	cr_expect_eq(RD32(m + 28), 300, "Volume");
	cr_expect_eq(p.buf[3], 5);
	cr_expect_eq(RD16(p.buf), p.len);
}

Test(nyse_encode, refresh_and_trades)
{
	struct nyse_pkt p;
	const __u8 *m;

	nyse_pkt__init(&p, 18, 40, 0);
	cr_assert_eq(nyse_put_refresh_header(&p, 2, 5, 39), 0);
	m = p.buf + 16;
	cr_expect_eq(RD16(m), 16);
	cr_expect_eq(RD16(m + 2), 35);
	cr_expect_eq(RD16(m + 4), 2, "CurrentRefreshPkt");
	cr_expect_eq(RD16(m + 6), 5, "TotalRefreshPkts");
	cr_expect_eq(RD32(m + 8), 39, "LastSeqNum");
	m = p.buf + p.len;
	cr_assert_eq(nyse_put_add(&p, &order, true), 0);
	cr_expect_eq(RD16(m), 43);
	cr_expect_eq(RD16(m + 2), 106);
	cr_expect_eq(RD32(m + 4), 1704205800, "SourceTime");
	cr_expect_eq(RD32(m + 12), 1006, "SymbolIndex at 12");
	cr_expect_eq(RD64(m + 20), order.order_id, "OrderID at 20");
	cr_expect_eq(m[36], 'S', "Side");
	m = p.buf + p.len;
	cr_assert_eq(nyse_put_trade(&p, 110, &order, 7), 0);
	cr_expect_eq(RD16(m), 33);
	cr_expect_eq(RD32(m + 8), 1006);
	cr_expect_eq(RD32(m + 16), 7, "TradeID");
	cr_expect_eq(RD32(m + 20), 1234500, "Price");
	m = p.buf + p.len;
	cr_assert_eq(nyse_put_trade(&p, 111, &order, 8), 0);
	cr_expect_eq(RD16(m), 29);
	cr_expect_eq(m[28], 'O', "CrossType");
	m = p.buf + p.len;
	cr_assert_eq(nyse_put_trade(&p, 112, &order, 7), 0);
	cr_expect_eq(RD16(m), 20);
	cr_expect_eq(RD32(m + 16), 7);
	m = p.buf + p.len;
	cr_assert_eq(nyse_put_seq_reset(&p, 1704205800ULL * 1000000000ULL + 9), 0);
	cr_expect_eq(RD16(m), 14);
	cr_expect_eq(RD32(m + 4), 1704205800);
	cr_expect_eq(RD32(m + 8), 9);
}

Test(nyse_encode, full_packet_refuses)
{
	struct nyse_pkt p;
	int n = 0;

	nyse_pkt__init(&p, 11, 1, 0);
	while (nyse_put_add(&p, &order, false) == 0)
		n++;
	cr_expect_eq(n, (FG_PAYLOAD_MAX - 16) / 39, "as many adds as fit");
	cr_expect_leq(p.len, FG_PAYLOAD_MAX);
	cr_expect_eq(RD16(p.buf), p.len);
}
