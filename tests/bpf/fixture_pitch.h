/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The vocabulary of the Cboe PITCH fixture rows (fixture_rows_pitch.c). Units are built by the
 * frame builder from the wire facts (docs/wire/pitch.md), independently of the type table the
 * program reads (feedsieve/wire_pitch.h).
 *
 * PITCH groups are of feed 2 (nothing of PITCH is per feed: a feed mix-up cannot show, but a
 * feed read where the channel is meant would). Unless a row says otherwise, AAPL is subscribed
 * in slot S_AAPL, units carry HdrSequence 1000 (FB_DEFAULT_SEQ: the channel joins mid-stream, a
 * session named by 8 zero bytes) and unit 0, which a group naming no units binds (window unit 1).
 */
#ifndef FEEDSIEVE_TESTS_FIXTURE_PITCH_H
#define FEEDSIEVE_TESTS_FIXTURE_PITCH_H

#include "fixture.h"

#define P_FEED 2
#define S_LONG 9 /* "LONGNAME": 8 characters, only in expanded and 8-byte-symbol messages */
#define ORD    0x0102030405060708ULL /* Order IDs: 64 bits, so a truncation to 32 shows */
#define ORD2   (ORD + 0x100000000ULL)

/* Message types, from the specification (not wire_pitch.h). */
#define PT_TIME	       0x20
#define PT_ADD_L       0x21
#define PT_ADD_S       0x22
#define PT_EXEC	       0x23
#define PT_EXEC_P      0x24
#define PT_REDUCE_L    0x25
#define PT_REDUCE_S    0x26
#define PT_MODIFY_L    0x27
#define PT_MODIFY_S    0x28
#define PT_DELETE      0x29
#define PT_TRADE_L     0x2A
#define PT_TRADE_S     0x2B
#define PT_BREAK       0x2C
#define PT_EOS	       0x2D
#define PT_ADD_X       0x2F
#define PT_TRADE_X     0x30
#define PT_STATUS      0x31
#define PT_AUCTION_U   0x95
#define PT_AUCTION_S   0x96
#define PT_UNIT_CLEAR  0x97
#define PT_RPI	       0x98
#define PT_UNKNOWN     0x77

// clang-format off
#define PGROUP(addr_, port_, id_, flags_, chan_, line_, first_, count_) \
	{.addr = (addr_), .port = (port_), \
	 .g = {.id = (id_), .proto = FS_PROTO_PITCH, .feed = P_FEED, .flags = (flags_), \
	       .channel = (chan_), .line = (line_), .unit_first = (first_), .unit_count = (count_)}}
#define PA          PGROUP(GA_ADDR, GA_PORT, GA_ID, 0, GA_CH, FS_LINE_A, 0, 0)
#define PA_F(flags) PGROUP(GA_ADDR, GA_PORT, GA_ID, (flags), GA_CH, FS_LINE_A, 0, 0)
/* Units 2-4 on channels GA_CH, GA_CH + 1, GA_CH + 2. */
#define PU          PGROUP(GA_ADDR, GA_PORT, GA_ID, 0, GA_CH, FS_LINE_A, 2, 3)
#define PLINES      {PGROUP(GA_ADDR, GA_PORT, GA_ID, 0, AB_CH, FS_LINE_A, 0, 0), \
		     PGROUP(GB_ADDR, GB_PORT, GB_ID, 0, AB_CH, FS_LINE_B, 0, 0)}

#define PITCH(...) .payload = FB_PITCH, \
	.pitch = LIST_(struct fb_pitch_msg, __VA_ARGS__), \
	.n_pitch = NLIST_(struct fb_pitch_msg, __VA_ARGS__)
#define HEARTBEAT_UNIT .payload = FB_PITCH
#define UNIT(u)        .unit = (u)

#define P_TIME            {.type = PT_TIME}
#define P_ADD_L(id, s, q) {.type = PT_ADD_L, .order_id = (id), .symbol = (s), .qty = (q)}
#define P_ADD_S(id, s, q) {.type = PT_ADD_S, .order_id = (id), .symbol = (s), .qty = (q)}
#define P_ADD_X(id, s, q) {.type = PT_ADD_X, .order_id = (id), .symbol = (s), .qty = (q)}
#define P_ORDER(t, id, q) {.type = (t), .order_id = (id), .qty = (q)}
#define P_EXEC(id, q)     P_ORDER(PT_EXEC, (id), (q))
#define P_DELETE(id)      P_ORDER(PT_DELETE, (id), 0)
#define P_SYM(t, s)       {.type = (t), .order_id = ORD2 + 99, .symbol = (s), .qty = 100}
#define P_LEN(t, n)       {.type = (t), .order_id = ORD, .symbol = "AAPL", .len = (n)}

#define AAPL_SUB  .subs = {{"AAPL", S_AAPL}}
#define ORDER_(id_, ch_, s_, rem_, gen_) \
	{.set = true, .id = (id_), .channel = (ch_), .sym = (s_), .remaining = (rem_), .gen = (gen_)}
/* AAPL order ORD of 100 shares, remembered in generation 1 of GA_CH. */
#define ORD_AAPL(rem_) ORDER_(ORD, GA_CH, "AAPL", (rem_), 1)

/* One new unit of N messages, M wanted (counters of group 0), delivered to the kernel / filtered;
 * more counters (the order map's) follow in ... */
#define P_DELIVERED(n_, m_, ...) \
	{{.frames_seen = 1, .frames_no_socket = 1, .frames_first = 1, .msgs_walked = (n_), \
	  .msgs_new = (n_), .msgs_delivered = (n_), .msgs_matched = (m_), __VA_ARGS__}}
#define P_FILTERED(n_, ...) \
	{{.frames_seen = 1, .frames_filtered = 1, .frames_first = 1, .msgs_walked = (n_), \
	  .msgs_new = (n_), .msgs_filtered = (n_), __VA_ARGS__}}
#define P_MALFORMED ONE_MALFORMED(frames_no_socket)
#define P_META(bits_, walked_) {.bits = {(bits_)}, .walked = (walked_)}
#define P_META_F(bits_, walked_, flags_) {.bits = {(bits_)}, .walked = (walked_), .flags = (flags_)}
#define P_META_MAL(walked_) {.flags = FS_META_F_MALFORMED, .walked = (walked_)}
/* The window of a channel that joined mid-stream at 1000 on unit 0. */
#define P_WIN(high_, ...) \
	{.check = true, .group = 0, .gen = 1, .pitch = true, .unit = 1, .high = (high_), __VA_ARGS__}
/* A row of one malformed unit (frame fields ...) to PA, after WALKED whole messages. */
#define P_MALFORMED_ROW(desc_, walked_, ...) \
	{.desc = desc_, .groups = {PA}, AAPL_SUB, \
	 .steps = {{.f = {__VA_ARGS__}, .out = OUT_NO_SOCKET, .meta = P_META_MAL(walked_)}}, \
	 .gstats = P_MALFORMED}
// clang-format on

#endif /* FEEDSIEVE_TESTS_FIXTURE_PITCH_H */
