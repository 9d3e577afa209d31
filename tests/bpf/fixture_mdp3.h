/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The vocabulary of the MDP3 fixture rows (fixture_rows_mdp3.c, fixture_rows_mdp3_gen.c). Packets
 * are built by the frame builder from the wire facts (docs/wire/mdp3.md), independently of the
 * template table the program reads.
 *
 * MDP3 groups are of feed 1 (ITCH rows use feed 0), so an index lookup with the wrong feed shows.
 * Unless a row says otherwise, ES is subscribed by id (no definition seen: user space indexed it,
 * unnamed) in slot S_ES, and packets carry MsgSeqNum 1000 (FB_DEFAULT_SEQ): not 1, so the channel
 * joins mid-stream (a session named by 8 zero bytes).
 */
#ifndef FEEDSIEVE_TESTS_FIXTURE_MDP3_H
#define FEEDSIEVE_TESTS_FIXTURE_MDP3_H

#include "fixture.h"

#define M_FEED 1
#define ID_ES  170506
#define ID_NQ  42001
#define ID_CL  99 /* never subscribed */
#define ID_NEG (-7)
#define S_ES   5
#define S_NQ   9
#define T1     1700000000123456789ULL /* SendingTime of a reset packet */
#define T2     1700000099000000001ULL

#define T_RESET	 4
#define T_HB	 12
#define T_STATUS 30
#define T_VOL	 37
#define T_BOOK	 46
#define T_ORDERS 47
#define T_TRADE	 48
#define T_FUT	 54
#define T_OPT	 55
#define T_SPREAD 56
#define T_SNAP	 52

// clang-format off
#define MGROUP(addr_, port_, id_, flags_, chan_, line_) \
	{.addr = (addr_), .port = (port_), \
	 .g = {.id = (id_), .proto = FS_PROTO_MDP3, .feed = M_FEED, .flags = (flags_), \
	       .channel = (chan_), .line = (line_)}}
#define MA          MGROUP(GA_ADDR, GA_PORT, GA_ID, 0, GA_CH, FS_LINE_A)
#define MA_F(flags) MGROUP(GA_ADDR, GA_PORT, GA_ID, (flags), GA_CH, FS_LINE_A)
/* A second channel of the same feed, e.g. the incremental feed next to a definitions feed. */
#define MB          MGROUP(GB_ADDR, GB_PORT, GB_ID, 0, GB_CH, FS_LINE_A)
#define MLINES      {MGROUP(GA_ADDR, GA_PORT, GA_ID, 0, AB_CH, FS_LINE_A), \
		     MGROUP(GB_ADDR, GB_PORT, GB_ID, 0, AB_CH, FS_LINE_B)}
#define MDEFS       MA_F(FS_GROUP_F_DEFINITIONS)

#define MDP3(...) .payload = FB_MDP3, \
	.mdp3 = LIST_(struct fb_mdp3_msg, __VA_ARGS__), .n_mdp3 = NLIST_(struct fb_mdp3_msg, __VA_ARGS__)
#define IDS(...)       .ids = LIST_(__s32, __VA_ARGS__), .n_ids = NLIST_(__s32, __VA_ARGS__)
#define BOOK(...)      {.tid = T_BOOK, IDS(__VA_ARGS__)}
#define VOL(...)       {.tid = T_VOL, IDS(__VA_ARGS__)}
#define BOOK_EMPTY     {.tid = T_BOOK}
#define HEARTBEAT      {.tid = T_HB}
#define CHANNEL_RESET  {.tid = T_RESET, IDS(310)} /* one ApplID entry (no SecurityID) */
#define STATUS(id_)    {.tid = T_STATUS, .id = (id_)}
#define DEF(t, id_, s) {.tid = (t), .id = (id_), .symbol = (s)}
/* A SnapshotFullRefresh of ID_ with N_ book entries (they name no instrument). */
#define SNAP(id_, n_)  {.tid = T_SNAP, .id = (id_), .later = (n_)}
#define UNKNOWN(t, n)  {.tid = (t), .set_root = true, .root = (n)}

#define ES_BY_ID    .id_subs = {{.set = true, .feed = M_FEED, .id = ID_ES, .slot = S_ES}}
#define ES_NQ_BY_ID .id_subs = {{.set = true, .feed = M_FEED, .id = ID_ES, .slot = S_ES}, \
				{.set = true, .feed = M_FEED, .id = ID_NQ, .slot = S_NQ}}
#define ID_(f, i, s, m) {.set = true, .feed = (f), .id = (i), .sym = (s), .sub = (m)}

/* One new packet, delivered to the kernel (no socket) / filtered (with directory entries
 * learned) / malformed. */
#define M_DELIVERED_L(matched_, learned_) \
	{{.frames_seen = 1, .frames_no_socket = 1, .frames_first = 1, .msgs_walked = 1, \
	  .msgs_new = 1, .msgs_delivered = 1, .msgs_matched = (matched_), .dir_learned = (learned_)}}
#define M_DELIVERED(matched_) M_DELIVERED_L(matched_, 0)
#define M_FILTERED_L(learned_) \
	{{.frames_seen = 1, .frames_filtered = 1, .frames_first = 1, .msgs_walked = 1, \
	  .msgs_new = 1, .msgs_filtered = 1, .dir_learned = (learned_)}}
#define M_FILTERED M_FILTERED_L(0)
#define M_MALFORMED ONE_MALFORMED(frames_no_socket)
/* The window of a channel that joined mid-stream and saw packet 1000 only. */
#define M_WIN(state_) \
	{.check = true, .group = 0, .gen = 1, .mdp3 = true, .high = 1001, \
	 .ranges = {{1000, 1000, (state_)}}}
#define M_WIN_AB(...) {.check = true, .group = TO_A, .mdp3 = true, __VA_ARGS__}
#define META(bits_, walked_) {.bits = {(bits_)}, .walked = (walked_)}
#define META_MAL(walked_) {.flags = FS_META_F_MALFORMED, .walked = (walked_)}
/* A row of one malformed packet (frame fields ...) to MA, ES subscribed by id, after WALKED keys
 * of whole messages. */
#define MALFORMED_ROW(desc_, walked_, ...) \
	{.desc = desc_, .groups = {MA}, ES_BY_ID, \
	 .steps = {{.f = {__VA_ARGS__}, .out = OUT_NO_SOCKET, .meta = META_MAL(walked_)}}, \
	 .gstats = M_MALFORMED}
// clang-format on

#endif /* FEEDSIEVE_TESTS_FIXTURE_MDP3_H */
