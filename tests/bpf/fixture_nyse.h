/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The vocabulary of the NYSE XDP fixture rows (fixture_rows_nyse.c). Packets are built by the
 * frame builder from the wire facts (docs/wire/nyse-xdp.md), independently of the tables of
 * include/feedsieve/wire_nyse.h the program reads.
 *
 * NYSE groups are of feed 2 (ITCH rows use feed 0, MDP3 rows feed 1), so a lookup with the wrong
 * feed shows. Unless a row says otherwise, packets carry DeliveryFlag 11 (original) and SeqNum
 * 1000 (FB_DEFAULT_SEQ): the channel joins mid-stream (a session named by 8 zero bytes).
 */
#ifndef FEEDSIEVE_TESTS_FIXTURE_NYSE_H
#define FEEDSIEVE_TESTS_FIXTURE_NYSE_H

#include "fixture.h"

#define N_FEED	 2
#define IX_AAPL	 1001 /* SymbolIndex values; mapped to the names below by the rows */
#define IX_BRK	 77
#define IX_LONG	 0x7ffffff3
#define IX_IBM	 5 /* never subscribed */
#define S_BRK	 9
#define S_LONG	 11
#define SYM_LONG "ABCDEFGHIJK" /* 11 characters: the whole field */
/* SendTime (low 32 bits: seconds) and SendTimeNS (high 32) of reset packets. */
#define NT1 (5ULL << 32 | 1700000000ULL)
#define NT2 (6ULL << 32 | 1700000099ULL)

/* Message types (docs/wire/nyse-xdp.md), written out here. */
#define NT_RESET     1
#define NT_TIME_REF  2
#define NT_MAPPING   3
#define NT_UNAVAIL   31
#define NT_CLEAR     32
#define NT_STATUS    34
#define NT_REFRESH   35
#define NT_ADD	     100
#define NT_IMBALANCE 105

// clang-format off
#define NGROUP(addr_, port_, id_, flags_, chan_, line_) \
	{.addr = (addr_), .port = (port_), \
	 .g = {.id = (id_), .proto = FS_PROTO_NYSE_XDP, .feed = N_FEED, .flags = (flags_), \
	       .channel = (chan_), .line = (line_)}}
#define NA          NGROUP(GA_ADDR, GA_PORT, GA_ID, 0, GA_CH, FS_LINE_A)
#define NA_F(flags) NGROUP(GA_ADDR, GA_PORT, GA_ID, (flags), GA_CH, FS_LINE_A)
#define NLINES      {NGROUP(GA_ADDR, GA_PORT, GA_ID, 0, AB_CH, FS_LINE_A), \
		     NGROUP(GB_ADDR, GB_PORT, GB_ID, 0, AB_CH, FS_LINE_B)}

#define NYSE(...) .payload = FB_NYSE, \
	.nyse = LIST_(struct fb_nyse_msg, __VA_ARGS__), .n_nyse = NLIST_(struct fb_nyse_msg, __VA_ARGS__)
#define NYSE_EMPTY    .payload = FB_NYSE
#define FLAG(f)       .set_flag = true, .flag = (f)
#define NMSG(t, ix)   {.type = (t), .index = (ix)}
#define NADD(ix)      NMSG(NT_ADD, (ix))
#define NMAP(ix, s)   {.type = NT_MAPPING, .index = (ix), .symbol = (s)}
#define NCTL(t)       {.type = (t)}
/* A message of LEN bytes (MsgSize LEN). */
#define NLEN(t, ix, n) {.type = (t), .index = (ix), .set_len = true, .len = (n)}

/* Every row's ids are NYSE SymbolIndex values; AAPL's mapping seen before, AAPL subscribed. */
#define N_IDS        .id_proto = FS_PROTO_NYSE_XDP
#define NID(i, s, m) {.set = true, .feed = N_FEED, .id = (i), .sym = (s), .sub = (m)}
#define AAPL_MAPPED  N_IDS, .defs = {NID(IX_AAPL, "AAPL", 0)}, .subs = {{"AAPL", S_AAPL}}

/* One new packet of N messages, delivered to the kernel (no socket) / filtered; MATCHED wanted,
 * LEARNED mappings new. */
#define N_DELIVERED_L(n, matched_, learned_) \
	{{.frames_seen = 1, .frames_no_socket = 1, .frames_first = 1, .msgs_walked = (n), \
	  .msgs_new = (n), .msgs_delivered = (n), .msgs_matched = (matched_), \
	  .dir_learned = (learned_)}}
#define N_DELIVERED(n, matched_) N_DELIVERED_L(n, matched_, 0)
#define N_FILTERED_L(n, learned_) \
	{{.frames_seen = 1, .frames_filtered = 1, .frames_first = 1, .msgs_walked = (n), \
	  .msgs_new = (n), .msgs_filtered = (n), .dir_learned = (learned_)}}
#define N_FILTERED(n) N_FILTERED_L(n, 0)
#define N_MALFORMED ONE_MALFORMED(frames_no_socket)
/* One out-of-band packet (retransmission, refresh): never claimed, delivered or filtered. */
#define N_OOB_DELIVERED(matched_, learned_) \
	{{.frames_seen = 1, .frames_no_socket = 1, .frames_out_of_band = 1, \
	  .msgs_matched = (matched_), .dir_learned = (learned_)}}
#define N_OOB_FILTERED {{.frames_seen = 1, .frames_filtered = 1, .frames_out_of_band = 1}}
/* The window of a channel that joined mid-stream and saw messages 1000 .. 1000 + N - 1. */
#define N_WIN(n, state_) \
	{.check = true, .group = 0, .gen = 1, .mdp3 = true, .high = 1000 + (n), \
	 .ranges = {{1000, 1000 + (n) - 1, (state_)}}}
/* The channel of group 0 never had a session: its whole window is zero. */
#define N_WIN_NONE {.check = true, .group = 0}
#define N_WIN_AB(...) {.check = true, .group = TO_A, .mdp3 = true, __VA_ARGS__}
#define META(bits_, walked_) {.bits = {(bits_)}, .walked = (walked_)}
#define META_OOB(bits_, walked_) {.bits = {(bits_)}, .walked = (walked_), .flags = FS_META_F_OUT_OF_BAND}
#define META_MAL(walked_) {.flags = FS_META_F_MALFORMED, .walked = (walked_)}
/* A row of one malformed packet (frame fields ...) to NA, AAPL mapped and subscribed, after
 * WALKED whole messages: nothing learned, no session started, nothing claimed. */
#define N_MALFORMED_ROW(desc_, walked_, ...) \
	{.desc = desc_, .groups = {NA}, AAPL_MAPPED, \
	 .steps = {{.f = {__VA_ARGS__}, .out = OUT_NO_SOCKET, .meta = META_MAL(walked_)}}, \
	 .gstats = N_MALFORMED, .win = N_WIN_NONE}
// clang-format on

#endif /* FEEDSIEVE_TESTS_FIXTURE_NYSE_H */
