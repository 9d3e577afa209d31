// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * consume --json's objects for NYSE XDP and PITCH messages, PITCH gap events and MDP3
 * snapshots and gaps (user/cli/consume_print.c, compiled in here): frames decoded from packets
 * written by hand, the events built as the sequencer builds them, and the printed lines compared
 * key by key and in order with the contract (ISSUE 12: common keys, then the protocol's own).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "../../user/cli/consume_print.c"
#include "frame_builder.h"
#include "udp_packet.h"

/* What PRINT prints for EV, without its newline. */
static char *printed_by(void (*print)(const struct fs_event *), const struct fs_event *ev)
{
	static char line[4096];
	FILE *saved = stdout, *tmp = tmpfile();
	size_t n;

	cr_assert_not_null(tmp);
	fflush(stdout);
	stdout = tmp;
	print(ev);
	fflush(tmp);
	stdout = saved;
	rewind(tmp);
	n = fread(line, 1, sizeof(line) - 1, tmp);
	fclose(tmp);
	cr_assert(n > 0 && line[n - 1] == '\n', "one line");
	line[n - 1] = '\0';
	return line;
}

static char *printed(const struct fs_event *ev)
{
	return printed_by(consume_print_json, ev);
}

/* The JSON of every message of frame F, "|"-separated. */
static void messages_json(const struct fs_frame *f, char *out, size_t cap)
{
	struct fs_msg_iter it;
	struct fs_event ev;
	struct fs_msg m;
	size_t n = 0;

	memset(&ev, 0, sizeof(ev));
	ev.type = FS_EV_MESSAGE;
	ev.channel_name = "chan";
	ev.proto = f->proto;
	ev.frame = f;
	ev.msg = &m;
	ev.retransmitted = f->retransmitted; /* as the sequencer hands them over */
	out[0] = '\0';
	fs_msg_iter__init(&it, f);
	while (fs_msg_iter__next(&it, &m))
		n += (size_t)snprintf(out + n, cap - n, "%s%s", n ? "|" : "", printed(&ev));
}

Test(consume_json, nyse)
{
	struct fs_xdp_meta m = up_meta(FS_PROTO_NYSE_XDP, 3, 7, 0);
	struct up_packet p;
	struct fs_frame f;
	char got[2048];
	__u8 *b;
	int flag;

	for (flag = 0; flag < 2; flag++) {
		up_begin(&p, 0xE0003B4C, 11076);
		up_put(&p, 16 + 44 + 39 + 16, 2);
		up_put(&p, flag ? 17 : 11, 1);
		up_put(&p, 3, 1);
		up_put(&p, 900, 4);
		up_put(&p, 0, 4);
		up_put(&p, 0, 4);
		up_put(&p, 44, 2); /* Symbol Index Mapping of 12 -> "BRK A" */
		up_put(&p, 3, 2);
		up_put(&p, 12, 4);
		up_text(&p, "BRK A", 11, '\0');
		up_text(&p, "", 25, '\0');
		up_put(&p, 39, 2); /* Add Order about 12 */
		up_put(&p, 100, 2);
		up_put(&p, 0, 4);
		up_put(&p, 12, 4);
		up_text(&p, "", 27, '\0');
		up_put(&p, 16, 2); /* Source Time Reference */
		up_put(&p, 2, 2);
		up_text(&p, "", 12, '\0');
		up_finish(&p);
		b = malloc(p.n);
		memcpy(b, p.b, p.n);
		memset(&f, 0, sizeof(f));
		cr_assert_eq(fs_frame__decode(&f, b, (__u32)p.n, &m), 0);
		cr_assert(!f.malformed);
		messages_json(&f, got, sizeof(got));
		if (!flag)
			cr_assert_str_eq(
			    got,
			    "{\"group\":\"224.0.59.76:11076\",\"channel\":\"chan\",\"line\":\"A\","
			    "\"proto\":\"nyse-xdp\",\"seq\":900,\"type\":3,\"symbol_index\":12,"
			    "\"symbol\":\"BRK A\",\"delivery_flag\":11}|"
			    "{\"group\":\"224.0.59.76:11076\",\"channel\":\"chan\",\"line\":\"A\","
			    "\"proto\":\"nyse-xdp\",\"seq\":901,\"type\":100,\"symbol_index\":12,"
			    "\"delivery_flag\":11}|"
			    "{\"group\":\"224.0.59.76:11076\",\"channel\":\"chan\",\"line\":\"A\","
			    "\"proto\":\"nyse-xdp\",\"seq\":902,\"type\":2,\"delivery_flag\":11}");
		else
			cr_assert(strstr(got, "\"seq\":901,\"type\":100,\"symbol_index\":12,"
					      "\"delivery_flag\":17,\"refresh\":true}"),
				  "%s", got);
		free(b);
	}
}

Test(consume_json, pitch_and_its_gaps)
{
	struct fs_xdp_meta m = up_meta(FS_PROTO_PITCH, 2, 3, FS_META_F_ORDERS_FULL);
	struct up_packet p;
	struct fs_frame f;
	struct fs_event ev;
	char got[2048];
	__u8 *b;
	int seq;

	for (seq = 0; seq < 2; seq++) {
		up_begin(&p, 0xE0003E02, 30001);
		up_put(&p, 8 + 34 + 14, 2);
		up_put(&p, 2, 1);
		up_put(&p, 3, 1); /* unit */
		up_put(&p, seq ? 70 : 0, 4);
		up_put(&p, 34, 1); /* Add Order Long, order 4711, AAPL */
		up_put(&p, 0x21, 1);
		up_put(&p, 0, 4);
		up_put(&p, 4711, 8);
		up_put(&p, 'B', 1);
		up_put(&p, 100, 4);
		up_text(&p, "AAPL", 6, ' ');
		up_text(&p, "", 9, '\0');
		up_put(&p, 14, 1); /* Delete Order 99: not known, the program's map overflowed */
		up_put(&p, 0x29, 1);
		up_put(&p, 0, 4);
		up_put(&p, 99, 8);
		up_finish(&p);
		b = malloc(p.n);
		memcpy(b, p.b, p.n);
		memset(&f, 0, sizeof(f));
		cr_assert_eq(fs_frame__decode(&f, b, (__u32)p.n, &m), 0);
		cr_assert(!f.malformed);
		messages_json(&f, got, sizeof(got));
		if (seq)
			cr_assert_str_eq(
			    got,
			    "{\"group\":\"224.0.62.2:30001\",\"channel\":\"chan\",\"line\":\"A\","
			    "\"proto\":\"pitch\",\"unit\":3,\"seq\":70,\"type\":33,\"order_id\":4711,"
			    "\"symbol\":\"AAPL\"}|"
			    "{\"group\":\"224.0.62.2:30001\",\"channel\":\"chan\",\"line\":\"A\","
			    "\"proto\":\"pitch\",\"unit\":3,\"seq\":71,\"type\":41,\"order_id\":99,"
			    "\"order_unknown\":true}");
		else
			cr_assert(strstr(got, "\"unit\":3,\"seq\":0,\"type\":33,\"order_id\":4711,"
					      "\"symbol\":\"AAPL\",\"unsequenced\":true}"),
				  "%s", got);
		free(b);
	}
	memset(&ev, 0, sizeof(ev));
	ev.type = FS_EV_GAP;
	ev.channel_name = "bzx";
	ev.proto = FS_PROTO_PITCH;
	ev.has_unit = true;
	ev.unit = 3;
	ev.from = 72;
	ev.count = 2;
	cr_assert_str_eq(printed(&ev), "{\"gap\":{\"channel\":\"bzx\",\"unit\":3,\"from\":72,\"count\":2}}");
	cr_assert_str_eq(printed_by(consume_print_text, &ev), "bzx unit=3 GAP: 2 messages from seq 72",
			 "a text gap line names the unit");
	ev.has_unit = false;
	ev.proto = FS_PROTO_MOLD_ITCH;
	cr_assert_str_eq(printed(&ev), "{\"gap\":{\"channel\":\"bzx\",\"from\":72,\"count\":2}}",
			 "ITCH gap events keep their form");
}

/* A PITCH channel's heartbeat, session start and stale events name their unit, as its gaps do
 * (the channel's name is every unit's); other protocols' keep their form. */
Test(consume_json, pitch_channel_events_name_the_unit)
{
	struct fs_frame f;
	struct fs_event ev;

	memset(&f, 0, sizeof(f));
	f.group.addr = htonl(0xE0003E02);
	f.group.port = htons(30001);
	f.line = FS_LINE_B;
	memset(&ev, 0, sizeof(ev));
	ev.channel_name = "bzx";
	ev.proto = FS_PROTO_PITCH;
	ev.has_unit = true;
	ev.unit = 3;
	ev.frame = &f;

	ev.type = FS_EV_HEARTBEAT;
	ev.from = 80;
	cr_assert_str_eq(printed(&ev), "{\"group\":\"224.0.62.2:30001\",\"channel\":\"bzx\","
				       "\"line\":\"B\",\"proto\":\"pitch\",\"unit\":3,"
				       "\"heartbeat\":true,\"next_seq\":80}");
	cr_assert_str_eq(printed_by(consume_print_text, &ev), "bzx unit=3 heartbeat next_seq=80");
	ev.type = FS_EV_SESSION;
	ev.from = 1;
	cr_assert_str_eq(printed(&ev), "{\"session_start\":{\"channel\":\"bzx\",\"unit\":3,"
				       "\"session\":\"\",\"from\":1}}");
	cr_assert_str_eq(printed_by(consume_print_text, &ev), "bzx unit=3 session start next_seq=1");
	ev.type = FS_EV_STALE;
	ev.idle_ns = 2500000000ULL;
	cr_assert_str_eq(printed(&ev), "{\"stale\":{\"channel\":\"bzx\",\"unit\":3,\"idle_ms\":2500}}");
	cr_assert_str_eq(printed_by(consume_print_text, &ev), "bzx unit=3 STALE: no packet for 2500 ms");
	ev.has_unit = false;
	ev.proto = FS_PROTO_MOLD_ITCH;
	cr_assert_str_eq(printed(&ev), "{\"stale\":{\"channel\":\"bzx\",\"idle_ms\":2500}}",
			 "ITCH channel events keep their form");
}

/* Gap recovery (ISSUE 13): a settled re-request is one "recovery" object, its time in ms to the
 * microsecond; a message the server brought is marked retransmitted. */
Test(consume_json, recovery_and_retransmitted)
{
	struct fb_msg blocks[1] = {{.type = 'E', .locate = 7}};
	struct fb_frame d = {.daddr = 0xEF010101, .dport = 26400, .set_seq = true, .seq = 41,
			     .msgs = blocks, .n_msgs = 1};
	struct fb_layout l;
	struct fs_event ev;
	struct fs_frame f;
	char got[2048];
	__u8 b[512];
	size_t n = fb_build(&d, b, sizeof(b), &l);

	memset(&ev, 0, sizeof(ev));
	ev.type = FS_EV_RECOVERY;
	ev.channel_name = "itch1";
	ev.proto = FS_PROTO_MOLD_ITCH;
	ev.from = 40;
	ev.count = 5;
	ev.filled = 3;
	ev.elapsed_ns = 12345678;
	cr_assert_str_eq(printed(&ev), "{\"recovery\":{\"channel\":\"itch1\",\"from\":40,"
				       "\"count\":5,\"filled\":3,\"ms\":12.345}}");
	cr_assert_str_eq(printed_by(consume_print_text, &ev),
			 "itch1 recovery: 3 of 5 messages from seq 40 filled in 12.346 ms");

	cr_assert(n);
	memset(&f, 0, sizeof(f));
	cr_assert_eq(fs_frame__decode(&f, b, (__u32)n, NULL), 0);
	f.retransmitted = true;
	messages_json(&f, got, sizeof(got));
	cr_assert(strstr(got, "\"seq\":41,") && strstr(got, ",\"retransmitted\":true}"), "%s", got);
	f.retransmitted = false;
	messages_json(&f, got, sizeof(got));
	cr_assert_null(strstr(got, "retransmitted"), "%s", got);
}

static void le(__u8 *p, unsigned long long v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		p[i] = (__u8)(v >> (8 * i));
}

/* MDP3 recovery: a snapshot event prints the SnapshotFullRefresh's root fields and its book
 * entries (null fields left out); a gap event lists its instruments (an empty list too). */
Test(consume_json, mdp3_snapshot_and_gap_instruments)
{
	__u8 b[10 + 59 + 3 + 2 * 22] = {};
	__u8 *root = b + 10, *g = root + 59, *e = g + 3;
	__s32 ids[] = {262806, -7};
	struct fs_event ev;
	struct fs_msg m;

	le(b, sizeof(b), 2);
	le(b + 2, 59, 2);
	le(b + 4, 52, 2);
	le(b + 6, 1, 2);
	le(b + 8, 13, 2);
	le(root + 0, 351, 4);
	le(root + 4, 20, 4);
	le(root + 8, 262806, 4);
	le(root + 12, 14, 4);
	le(g, 22, 2);
	g[2] = 2;
	le(e, 838500000000ULL, 8);
	le(e + 8, 407, 4);
	le(e + 12, 9, 4);
	e[16] = 6;
	e[21] = '0';
	e += 22;
	le(e, 0x7FFFFFFFFFFFFFFFULL, 8);
	le(e + 8, 0x7FFFFFFF, 4);
	le(e + 12, 0x7FFFFFFF, 4);
	e[16] = 0x7F;
	e[21] = 'J';
	memset(&m, 0, sizeof(m));
	m.type = 52;
	m.body = b;
	m.len = sizeof(b);
	m.symbol_known = true;
	memcpy(m.symbol.name, "ZNH7", 4);
	memset(&ev, 0, sizeof(ev));
	ev.type = FS_EV_SNAPSHOT;
	ev.channel_name = "cme";
	ev.proto = FS_PROTO_MDP3;
	ev.msg = &m;
	ev.instruments = ids;
	ev.ninstruments = 1;
	cr_assert_str_eq(printed(&ev),
			 "{\"snapshot\":{\"channel\":\"cme\",\"security_id\":262806,\"symbol\":\"ZNH7\","
			 "\"rpt_seq\":14,\"last_msg_seq_num_processed\":351,\"entries\":["
			 "{\"type\":\"0\",\"level\":6,\"px\":838500000000,\"size\":407,\"orders\":9},"
			 "{\"type\":\"J\"}]}}");
	cr_assert_str_eq(printed_by(consume_print_text, &ev),
			 "cme snapshot security_id=262806 symbol=ZNH7 rpt_seq=14 "
			 "last_msg_seq_num_processed=351 entries=[0 level=6 px=838500000000 size=407 "
			 "orders=9][J]");
	memset(&ev, 0, sizeof(ev));
	ev.type = FS_EV_GAP;
	ev.channel_name = "cme";
	ev.proto = FS_PROTO_MDP3;
	ev.from = 169;
	ev.count = 2;
	ev.instruments = ids;
	ev.ninstruments = 2;
	cr_assert_str_eq(printed(&ev), "{\"gap\":{\"channel\":\"cme\",\"from\":169,\"count\":2,"
				       "\"instruments\":[262806,-7]}}");
	cr_assert_str_eq(printed_by(consume_print_text, &ev),
			 "cme GAP: 2 packets from seq 169 instruments=[262806,-7]");
	ev.ninstruments = 0;
	cr_assert_str_eq(printed(&ev), "{\"gap\":{\"channel\":\"cme\",\"from\":169,\"count\":2,"
				       "\"instruments\":[]}}",
			 "none known affected: an empty list");
}
