// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Fixture rows about line arbitration (issue 3): channel AB_CH carried by LINE_A (row group 0)
 * and LINE_B (row group 1). Each row is a sequence of frames run against the same maps, each on
 * the line its step names; the row checks every frame's verdict and metadata, each line's
 * counters, and the channel's sequence window (session, high-water mark, and the tag and 2-bit
 * state of every window word) as the consumer reads it through the mmapped fs_windows.
 *
 * AAPL is subscribed and its directory entry known (AAPL_LIVE); 'E' messages of MSFT's locate are
 * not subscribed. No row has a socket unless it says so, so wanted frames go to the kernel
 * (OUT_NO_SOCKET) with their metadata, and the rows run even where AF_XDP is unavailable.
 */
#include "fixture.h"

#define AAPL_N(n)                                                                                  \
	{                                                                                          \
		.type = 'A', .locate = L_AAPL, .symbol = "AAPL", .repeat = (n)                     \
	}
#define E_MSFT	 MSG('E', L_MSFT)
#define SESSION2 "FSTEST0002"
#define DELIVERED(a, b)                                                                            \
	{                                                                                          \
		(a), (b), FS_SEQ_DELIVERED                                                         \
	}
#define FILTERED(a, b)                                                                             \
	{                                                                                          \
		(a), (b), FS_SEQ_FILTERED                                                          \
	}
/* A range left by generation GEN, older than the window's. */
#define DELIVERED_GEN(a, b, gen)                                                                   \
	{                                                                                          \
		(a), (b), FS_SEQ_DELIVERED, (gen)                                                  \
	}
/*
 * The window size (FS_SEQ_WINDOW) is also the session-start bound: a new session name is taken
 * for a restart only below it. HI is a sequence number well past it; LATE(n) is N one window
 * later, so the window word of N is the word of LATE(N), re-tagged.
 */
#define HI	(3ULL * FS_SEQ_WINDOW + 1000)
#define LATE(n) ((n) + (__u64)FS_SEQ_WINDOW)
/* The first sequence number of block 2^24 - 1: block numbers in window tags wrap after it. */
#define WRAP ((1ULL << 28) - 16)
/* Short subscribed messages ('D', 21 bytes a block), so 128 of them fit a frame. */
#define D_AAPL_N(n)                                                                                \
	{                                                                                          \
		.type = 'D', .locate = L_AAPL, .repeat = (n)                                       \
	}
#define WIN_AB(...)                                                                                \
	{                                                                                          \
		.check = true, .group = TO_A, __VA_ARGS__                                          \
	}

const struct row fx_rows_arb[] = {
    /* -- The same messages on both lines -- */
    {
	.desc = "the same frame on line A, then on line B: A's copy delivered (frames_first on "
		"A), B's a duplicate, dropped (frames_duplicate on B); both messages DELIVERED in "
		"the window",
	.groups = LINES,
	AAPL_LIVE,
	.steps = {{.f = {MSGS(AAPL_N(2))},
		   .to = TO_A,
		   .out = OUT_NO_SOCKET,
		   .meta = {.bits = {0x3}, .walked = 2}},
		  {.f = {MSGS(AAPL_N(2))}, .to = TO_B, .out = OUT_DUPLICATE}},
	.gstats =
	    {{.frames_seen = 1,
	      .frames_no_socket = 1,
	      .frames_first = 1,
	      .msgs_walked = 2,
	      .msgs_new = 2,
	      .msgs_delivered = 2,
	      .msgs_matched = 2},
	     {.frames_seen = 1, .frames_duplicate = 1, .msgs_walked = 2, .msgs_duplicate = 2}},
	.sym = {{S_AAPL, 2, 0}},
	.win = WIN_AB(.gen = 1, .high = 1002, .ranges = {DELIVERED(1000, 1001)}),
    },
    {
	.desc = "the same frame on line B first, then on line A: B's copy redirected to the "
		"socket (metadata says line B), A's a duplicate",
	.groups = LINES,
	AAPL_LIVE,
	.xsk_queues = XSK_Q0,
	.steps = {{.f = {MSGS(AAPL_N(2))},
		   .to = TO_B,
		   .out = OUT_REDIRECT,
		   .meta = {.bits = {0x3}, .walked = 2}},
		  {.f = {MSGS(AAPL_N(2))}, .to = TO_A, .out = OUT_DUPLICATE}},
	.gstats = {{.frames_seen = 1, .frames_duplicate = 1, .msgs_walked = 2, .msgs_duplicate = 2},
		   {.frames_seen = 1,
		    .frames_redirected = 1,
		    .frames_first = 1,
		    .msgs_walked = 2,
		    .msgs_new = 2,
		    .msgs_delivered = 2,
		    .msgs_matched = 2}},
	.sym = {{S_AAPL, 2, 0}},
	.win = WIN_AB(.gen = 1, .high = 1002, .ranges = {DELIVERED(1000, 1001)}),
    },
    {
	.desc = "overlapping copies (A 10-14, then B 12-16, across a window word): B delivered "
		"with only 15-16 new, match bits only for them, 12-14 counted as duplicates",
	.groups = LINES,
	AAPL_LIVE,
	.steps = {{.f = {MSGS(AAPL_N(5)), SEQ(10)},
		   .to = TO_A,
		   .out = OUT_NO_SOCKET,
		   .meta = {.bits = {0x1f}, .walked = 5}},
		  {.f = {MSGS(AAPL_N(5)), SEQ(12)},
		   .to = TO_B,
		   .out = OUT_NO_SOCKET,
		   .meta = {.bits = {0x18}, .walked = 5}}},
	.gstats = {{.frames_seen = 1,
		    .frames_no_socket = 1,
		    .frames_first = 1,
		    .msgs_walked = 5,
		    .msgs_new = 5,
		    .msgs_delivered = 5,
		    .msgs_matched = 5},
		   {.frames_seen = 1,
		    .frames_no_socket = 1,
		    .frames_first = 1,
		    .msgs_walked = 5,
		    .msgs_new = 2,
		    .msgs_duplicate = 3,
		    .msgs_delivered = 2,
		    .msgs_matched = 2}},
	.sym = {{S_AAPL, 7, 0}},
	.win = WIN_AB(.gen = 1, .high = 17, .ranges = {DELIVERED(10, 16)}),
    },
    {
	.desc = "a hole filled late: A brings 1-5 and 11-15, then B's 6-10 are all new and "
		"delivered",
	.groups = LINES,
	AAPL_LIVE,
	.steps = {{.f = {MSGS(AAPL_N(5)), SEQ(1)},
		   .to = TO_A,
		   .out = OUT_NO_SOCKET,
		   .meta = {.bits = {0x1f}, .walked = 5}},
		  {.f = {MSGS(AAPL_N(5)), SEQ(11)},
		   .to = TO_A,
		   .out = OUT_NO_SOCKET,
		   .meta = {.bits = {0x1f}, .walked = 5}},
		  {.f = {MSGS(AAPL_N(5)), SEQ(6)},
		   .to = TO_B,
		   .out = OUT_NO_SOCKET,
		   .meta = {.bits = {0x1f}, .walked = 5}}},
	.gstats = {{.frames_seen = 2,
		    .frames_no_socket = 2,
		    .frames_first = 2,
		    .msgs_walked = 10,
		    .msgs_new = 10,
		    .msgs_delivered = 10,
		    .msgs_matched = 10},
		   {.frames_seen = 1,
		    .frames_no_socket = 1,
		    .frames_first = 1,
		    .msgs_walked = 5,
		    .msgs_new = 5,
		    .msgs_delivered = 5,
		    .msgs_matched = 5}},
	.sym = {{S_AAPL, 15, 0}},
	.win = WIN_AB(.gen = 1, .high = 16, .ranges = {DELIVERED(1, 15)}),
    },

    /* -- What the window says about each message -- */
    {
	.desc = "unsubscribed messages on A: filtered, the window says FILTERED; the same "
		"frame on B is a duplicate, dropped as such (not filtered again)",
	.groups = LINES,
	AAPL_LIVE,
	.steps = {{.f = {MSGS(E_MSFT, E_MSFT)}, .to = TO_A, .out = OUT_FILTERED},
		  {.f = {MSGS(E_MSFT, E_MSFT)}, .to = TO_B, .out = OUT_DUPLICATE}},
	.gstats =
	    {{.frames_seen = 1,
	      .frames_filtered = 1,
	      .frames_first = 1,
	      .msgs_walked = 2,
	      .msgs_new = 2,
	      .msgs_filtered = 2},
	     {.frames_seen = 1, .frames_duplicate = 1, .msgs_walked = 2, .msgs_duplicate = 2}},
	.win = WIN_AB(.gen = 1, .high = 1002, .ranges = {FILTERED(1000, 1001)}),
    },
    {
	.desc = "a delivered frame marks all its new messages DELIVERED, its unsubscribed one "
		"too; the filtered frame after it FILTERED; B's copy of both is one duplicate",
	.groups = LINES,
	AAPL_LIVE,
	.steps = {{.f = {MSGS(A_AAPL, E_MSFT, A_AAPL)},
		   .to = TO_A,
		   .out = OUT_NO_SOCKET,
		   .meta = {.bits = {0x5}, .walked = 3}},
		  {.f = {MSGS(E_MSFT, E_MSFT), SEQ(1003)}, .to = TO_A, .out = OUT_FILTERED},
		  {.f = {MSGS(A_AAPL, E_MSFT, A_AAPL, E_MSFT, E_MSFT)},
		   .to = TO_B,
		   .out = OUT_DUPLICATE}},
	.gstats =
	    {{.frames_seen = 2,
	      .frames_filtered = 1,
	      .frames_no_socket = 1,
	      .frames_first = 2,
	      .msgs_walked = 5,
	      .msgs_new = 5,
	      .msgs_delivered = 3,
	      .msgs_filtered = 2,
	      .msgs_matched = 2},
	     {.frames_seen = 1, .frames_duplicate = 1, .msgs_walked = 5, .msgs_duplicate = 5}},
	.sym = {{S_AAPL, 2, 0}},
	.win =
	    WIN_AB(.gen = 1, .high = 1005, .ranges = {DELIVERED(1000, 1002), FILTERED(1003, 1004)}),
    },
    {
	.desc = "a heartbeat raises the high-water mark (to its sequence number) and claims "
		"nothing: B's 1000-1001 after it are new; a later heartbeat at 1003 does not "
		"lower the mark",
	.groups = LINES,
	AAPL_LIVE,
	.steps = {{.f = {COUNT(0), SEQ(1005)}, .to = TO_A, .out = OUT_NO_SOCKET},
		  {.f = {MSGS(AAPL_N(2))},
		   .to = TO_B,
		   .out = OUT_NO_SOCKET,
		   .meta = {.bits = {0x3}, .walked = 2}},
		  {.f = {COUNT(0), SEQ(1003)}, .to = TO_A, .out = OUT_NO_SOCKET}},
	.gstats = {{.frames_seen = 2, .frames_no_socket = 2, .heartbeats = 2},
		   {.frames_seen = 1,
		    .frames_no_socket = 1,
		    .frames_first = 1,
		    .msgs_walked = 2,
		    .msgs_new = 2,
		    .msgs_delivered = 2,
		    .msgs_matched = 2}},
	.sym = {{S_AAPL, 2, 0}},
	.win = WIN_AB(.gen = 1, .high = 1005, .ranges = {DELIVERED(1000, 1001)}),
    },

    /* -- Sessions -- */
    {
	.desc = "end of session, then a new session name at a high sequence number: accepted "
		"as generation 2, its HI new although the old session's HI was delivered "
		"(old words stale); the old name after that is another session",
	.groups = LINES,
	AAPL_LIVE,
	.steps = {{.f = {MSGS(AAPL_N(2)), SEQ(HI)},
		   .to = TO_A,
		   .out = OUT_NO_SOCKET,
		   .meta = {.bits = {0x3}, .walked = 2}},
		  {.f = {COUNT(0xFFFF), SEQ(HI + 2)}, .to = TO_A, .out = OUT_NO_SOCKET},
		  {.f = {MSGS(A_AAPL), SEQ(HI), SESSION(SESSION2)},
		   .to = TO_B,
		   .out = OUT_NO_SOCKET,
		   .meta = META_ONE},
		  {.f = {MSGS(A_AAPL), SEQ(HI + 2)}, .to = TO_A, .out = OUT_OTHER_SESSION}},
	.gstats = {{.frames_seen = 3,
		    .frames_no_socket = 2,
		    .end_of_session = 1,
		    .frames_first = 1,
		    .frames_other_session = 1,
		    .msgs_walked = 2,
		    .msgs_new = 2,
		    .msgs_delivered = 2,
		    .msgs_matched = 2},
		   {.frames_seen = 1,
		    .frames_no_socket = 1,
		    .frames_first = 1,
		    .msgs_walked = 1,
		    .msgs_new = 1,
		    .msgs_delivered = 1,
		    .msgs_matched = 1}},
	.sym = {{S_AAPL, 3, 0}},
	.win = WIN_AB(.gen = 2, .session = SESSION2, .high = HI + 1, .ended_gen = 2,
		      .ranges = {DELIVERED_GEN(HI, HI + 1, 1), DELIVERED(HI, HI)}),
    },
    {
	.desc = "another session name mid-session at HI + 1 (past the session-start bound), "
		"no end of session: "
		"dropped as frames_other_session, nothing claimed; B's copy in the channel's "
		"session then brings HI + 1 as new",
	.groups = LINES,
	AAPL_LIVE,
	.steps =
	    {{.f = {MSGS(A_AAPL), SEQ(HI)}, .to = TO_A, .out = OUT_NO_SOCKET, .meta = META_ONE},
	     {.f = {MSGS(A_AAPL), SEQ(HI + 1), SESSION(SESSION2)},
	      .to = TO_B,
	      .out = OUT_OTHER_SESSION},
	     {.f = {MSGS(A_AAPL), SEQ(HI + 1)},
	      .to = TO_B,
	      .out = OUT_NO_SOCKET,
	      .meta = META_ONE}},
	.gstats = {{.frames_seen = 1,
		    .frames_no_socket = 1,
		    .frames_first = 1,
		    .msgs_walked = 1,
		    .msgs_new = 1,
		    .msgs_delivered = 1,
		    .msgs_matched = 1},
		   {.frames_seen = 2,
		    .frames_no_socket = 1,
		    .frames_first = 1,
		    .frames_other_session = 1,
		    .msgs_walked = 1,
		    .msgs_new = 1,
		    .msgs_delivered = 1,
		    .msgs_matched = 1}},
	.sym = {{S_AAPL, 2, 0}},
	.win = WIN_AB(.gen = 1, .high = HI + 2, .ranges = {DELIVERED(HI, HI + 1)}),
    },
    {
	.desc = "another session name at sequence 1 (< FS_SEQ_WINDOW), no end of session: "
		"accepted as "
		"a restart (generation 2); then the old name is another session, and A's copy of "
		"the new session a duplicate",
	.groups = LINES,
	AAPL_LIVE,
	.steps =
	    {{.f = {MSGS(A_AAPL), SEQ(HI)}, .to = TO_A, .out = OUT_NO_SOCKET, .meta = META_ONE},
	     {.f = {MSGS(AAPL_N(2)), SEQ(1), SESSION(SESSION2)},
	      .to = TO_B,
	      .out = OUT_NO_SOCKET,
	      .meta = {.bits = {0x3}, .walked = 2}},
	     {.f = {MSGS(A_AAPL), SEQ(HI + 1)}, .to = TO_A, .out = OUT_OTHER_SESSION},
	     {.f = {MSGS(AAPL_N(2)), SEQ(1), SESSION(SESSION2)}, .to = TO_A, .out = OUT_DUPLICATE}},
	.gstats = {{.frames_seen = 3,
		    .frames_no_socket = 1,
		    .frames_duplicate = 1,
		    .frames_first = 1,
		    .frames_other_session = 1,
		    .msgs_walked = 3,
		    .msgs_new = 1,
		    .msgs_duplicate = 2,
		    .msgs_delivered = 1,
		    .msgs_matched = 1},
		   {.frames_seen = 1,
		    .frames_no_socket = 1,
		    .frames_first = 1,
		    .msgs_walked = 2,
		    .msgs_new = 2,
		    .msgs_delivered = 2,
		    .msgs_matched = 2}},
	.sym = {{S_AAPL, 3, 0}},
	.win = WIN_AB(.gen = 2, .session = SESSION2, .high = 3,
		      .ranges = {DELIVERED_GEN(HI, HI, 1), DELIVERED(1, 2)}),
    },
    {
	.desc = "the session-start bound: another session name at FS_SEQ_WINDOW is another "
		"session, at FS_SEQ_WINDOW - 1 a new one",
	.groups = LINES,
	AAPL_LIVE,
	.steps =
	    {{.f = {MSGS(A_AAPL), SEQ(HI)}, .to = TO_A, .out = OUT_NO_SOCKET, .meta = META_ONE},
	     {.f = {MSGS(A_AAPL), SEQ(FS_SEQ_WINDOW), SESSION(SESSION2)},
	      .to = TO_B,
	      .out = OUT_OTHER_SESSION},
	     {.f = {MSGS(A_AAPL), SEQ(FS_SEQ_WINDOW - 1), SESSION(SESSION2)},
	      .to = TO_B,
	      .out = OUT_NO_SOCKET,
	      .meta = META_ONE}},
	.gstats = {{.frames_seen = 1,
		    .frames_no_socket = 1,
		    .frames_first = 1,
		    .msgs_walked = 1,
		    .msgs_new = 1,
		    .msgs_delivered = 1,
		    .msgs_matched = 1},
		   {.frames_seen = 2,
		    .frames_no_socket = 1,
		    .frames_first = 1,
		    .frames_other_session = 1,
		    .msgs_walked = 1,
		    .msgs_new = 1,
		    .msgs_delivered = 1,
		    .msgs_matched = 1}},
	.sym = {{S_AAPL, 2, 0}},
	.win = WIN_AB(.gen = 2, .session = SESSION2, .high = FS_SEQ_WINDOW,
		      .ranges = {DELIVERED_GEN(HI, HI, 1),
				 DELIVERED(FS_SEQ_WINDOW - 1, FS_SEQ_WINDOW - 1)}),
    },

    {
	.desc = "a 128-message copy on B whose first 60 A brought: 60-127 new, the window "
		"word of 56-71 split across the two halves of the match bitmap",
	.groups = LINES,
	AAPL_LIVE,
	.steps = {{.f = {MSGS(D_AAPL_N(60))},
		   .to = TO_A,
		   .out = OUT_NO_SOCKET,
		   .meta = {.bits = {(1ULL << 60) - 1}, .walked = 60}},
		  {.f = {MSGS(D_AAPL_N(128))},
		   .to = TO_B,
		   .out = OUT_NO_SOCKET,
		   .meta = {.bits = {0xfULL << 60, ~0ULL}, .walked = 128}}},
	.gstats = {{.frames_seen = 1,
		    .frames_no_socket = 1,
		    .frames_first = 1,
		    .msgs_walked = 60,
		    .msgs_new = 60,
		    .msgs_delivered = 60,
		    .msgs_matched = 60},
		   {.frames_seen = 1,
		    .frames_no_socket = 1,
		    .frames_first = 1,
		    .msgs_walked = 128,
		    .msgs_new = 68,
		    .msgs_duplicate = 60,
		    .msgs_delivered = 68,
		    .msgs_matched = 68}},
	.sym = {{S_AAPL, 128, 0}},
	.win = WIN_AB(.gen = 1, .high = 1128, .ranges = {DELIVERED(1000, 1127)}),
    },

    /* -- The reorder window -- */
    {
	.desc = "too late: once LATE(1000) reuses the window word of 1000 (a window behind), "
		"B's 1000 "
		"is msgs_too_late and its frame a duplicate; B's 1006-1009 has 1006-1007 too "
		"late and 1008-1009 (another word) new",
	.groups = LINES,
	AAPL_LIVE,
	.steps =
	    {{.f = {MSGS(A_AAPL), SEQ(1000)}, .to = TO_A, .out = OUT_NO_SOCKET, .meta = META_ONE},
	     {.f = {MSGS(A_AAPL), SEQ(LATE(1000))},
	      .to = TO_A,
	      .out = OUT_NO_SOCKET,
	      .meta = META_ONE},
	     {.f = {MSGS(A_AAPL), SEQ(1000)}, .to = TO_B, .out = OUT_DUPLICATE},
	     {.f = {MSGS(AAPL_N(4)), SEQ(1006)},
	      .to = TO_B,
	      .out = OUT_NO_SOCKET,
	      .meta = {.bits = {0xc}, .walked = 4}}},
	.gstats = {{.frames_seen = 2,
		    .frames_no_socket = 2,
		    .frames_first = 2,
		    .msgs_walked = 2,
		    .msgs_new = 2,
		    .msgs_delivered = 2,
		    .msgs_matched = 2},
		   {.frames_seen = 2,
		    .frames_no_socket = 1,
		    .frames_duplicate = 1,
		    .frames_first = 1,
		    .msgs_walked = 5,
		    .msgs_new = 2,
		    .msgs_too_late = 3,
		    .msgs_delivered = 2,
		    .msgs_matched = 2}},
	.sym = {{S_AAPL, 4, 0}},
	.win = WIN_AB(.gen = 1, .high = LATE(1000) + 1,
		      .ranges = {DELIVERED(1000, 1000), DELIVERED(LATE(1000), LATE(1000)),
				 DELIVERED(1008, 1009)}),
    },
    {
	.desc = "129 blocks (past the walk bound) on A, then on B: B's copy is delivered whole "
		"again (its unexamined tail cannot be arbitrated), its 128 walked counted as "
		"duplicates; the high-water mark counts all 129",
	.groups = LINES,
	.steps = {{.f = {MSGS({.type = 'S', .repeat = 129})},
		   .to = TO_A,
		   .out = OUT_NO_SOCKET,
		   .meta = {.walked = 128, .flags = FS_META_F_OVERFLOW}},
		  {.f = {MSGS({.type = 'S', .repeat = 129})},
		   .to = TO_B,
		   .out = OUT_NO_SOCKET,
		   .meta = {.walked = 128, .flags = FS_META_F_OVERFLOW}}},
	.gstats = {{.frames_seen = 1,
		    .frames_no_socket = 1,
		    .frames_walk_overflow = 1,
		    .frames_first = 1,
		    .msgs_walked = 128,
		    .msgs_new = 128,
		    .msgs_delivered = 128},
		   {.frames_seen = 1,
		    .frames_no_socket = 1,
		    .frames_walk_overflow = 1,
		    .frames_first = 1,
		    .msgs_walked = 128,
		    .msgs_duplicate = 128}},
	.win = WIN_AB(.gen = 1, .high = 1129, .ranges = {DELIVERED(1000, 1127)}),
    },

    {
	.desc = "block numbers in window tags wrap at 2^24: across the wrap, B's copy of a "
		"message a window behind is still too late, and of the newest a duplicate",
	.groups = LINES,
	AAPL_LIVE,
	.steps =
	    {{.f = {MSGS(A_AAPL), SEQ(WRAP)}, .to = TO_A, .out = OUT_NO_SOCKET, .meta = META_ONE},
	     {.f = {MSGS(A_AAPL), SEQ(LATE(WRAP))},
	      .to = TO_A,
	      .out = OUT_NO_SOCKET,
	      .meta = META_ONE},
	     {.f = {MSGS(A_AAPL), SEQ(WRAP)}, .to = TO_B, .out = OUT_DUPLICATE},
	     {.f = {MSGS(A_AAPL), SEQ(LATE(WRAP))}, .to = TO_B, .out = OUT_DUPLICATE}},
	.gstats = {{.frames_seen = 2,
		    .frames_no_socket = 2,
		    .frames_first = 2,
		    .msgs_walked = 2,
		    .msgs_new = 2,
		    .msgs_delivered = 2,
		    .msgs_matched = 2},
		   {.frames_seen = 2,
		    .frames_duplicate = 2,
		    .msgs_walked = 2,
		    .msgs_duplicate = 1,
		    .msgs_too_late = 1}},
	.sym = {{S_AAPL, 2, 0}},
	.win = WIN_AB(.gen = 1, .high = LATE(WRAP) + 1,
		      .ranges = {DELIVERED(WRAP, WRAP), DELIVERED(LATE(WRAP), LATE(WRAP))}),
    },

    /* -- What is learned and counted from a copy -- */
    {
	.desc = "directory and symbol counters only from new messages: A's 'R' is learned "
		"and counted, B's copy of it is not counted again; B's 1001-1002 counts only "
		"1002",
	.groups = LINES,
	.subs = {{"AAPL", S_AAPL}},
	.steps = {{.f = {MSGS(R_(L_AAPL, "AAPL"), A_AAPL)},
		   .to = TO_A,
		   .out = OUT_NO_SOCKET,
		   .meta = {.bits = {0x3}, .walked = 2}},
		  {.f = {MSGS(R_(L_AAPL, "AAPL"), A_AAPL)}, .to = TO_B, .out = OUT_DUPLICATE},
		  {.f = {MSGS(AAPL_N(2)), SEQ(1001)},
		   .to = TO_B,
		   .out = OUT_NO_SOCKET,
		   .meta = {.bits = {0x2}, .walked = 2}}},
	.gstats = {{.frames_seen = 1,
		    .frames_no_socket = 1,
		    .frames_first = 1,
		    .msgs_walked = 2,
		    .msgs_new = 2,
		    .msgs_delivered = 2,
		    .msgs_matched = 2,
		    .dir_learned = 1},
		   {.frames_seen = 2,
		    .frames_no_socket = 1,
		    .frames_duplicate = 1,
		    .frames_first = 1,
		    .msgs_walked = 4,
		    .msgs_new = 1,
		    .msgs_duplicate = 3,
		    .msgs_delivered = 1,
		    .msgs_matched = 1}},
	.sym = {{S_AAPL, 3, 1}},
	.dir_changes = true,
	.dir = {{0, L_AAPL, "AAPL", S_AAPL + 1}},
	.win = WIN_AB(.gen = 1, .high = 1003, .ranges = {DELIVERED(1000, 1002)}),
    },

    /* -- Malformed copies are not arbitrated -- */
    {
	.desc = "a malformed copy on A (3 trailing bytes), A dropping malformed frames, does "
		"not shadow the good copy on B: B's is delivered as new",
	.groups = {LINE_A_F(FS_GROUP_F_DROP_MALFORMED), LINE_B_F(0)},
	AAPL_LIVE,
	.steps = {{.f = {MSGS(AAPL_N(2)), .trailing = 3}, .to = TO_A, .out = OUT_DROP_MALFORMED},
		  {.f = {MSGS(AAPL_N(2))},
		   .to = TO_B,
		   .out = OUT_NO_SOCKET,
		   .meta = {.bits = {0x3}, .walked = 2}}},
	.gstats = {{.frames_seen = 1, .frames_malformed = 1, .frames_malformed_dropped = 1},
		   {.frames_seen = 1,
		    .frames_no_socket = 1,
		    .frames_first = 1,
		    .msgs_walked = 2,
		    .msgs_new = 2,
		    .msgs_delivered = 2,
		    .msgs_matched = 2}},
	.sym = {{S_AAPL, 2, 0}},
	.win = WIN_AB(.gen = 1, .high = 1002, .ranges = {DELIVERED(1000, 1001)}),
    },
    {
	.desc = "a malformed copy on A delivered flagged (count 3, 2 blocks) claims nothing "
		"and starts no session: B's good copy is delivered as new",
	.groups = LINES,
	AAPL_LIVE,
	.steps = {{.f = {MSGS(AAPL_N(2)), COUNT(3)},
		   .to = TO_A,
		   .out = OUT_NO_SOCKET,
		   .meta = META_MALFORMED_AFTER(2)},
		  {.f = {MSGS(AAPL_N(2))},
		   .to = TO_B,
		   .out = OUT_NO_SOCKET,
		   .meta = {.bits = {0x3}, .walked = 2}}},
	.gstats = {{.frames_seen = 1, .frames_no_socket = 1, .frames_malformed = 1},
		   {.frames_seen = 1,
		    .frames_no_socket = 1,
		    .frames_first = 1,
		    .msgs_walked = 2,
		    .msgs_new = 2,
		    .msgs_delivered = 2,
		    .msgs_matched = 2}},
	.sym = {{S_AAPL, 2, 0}},
	.win = WIN_AB(.gen = 1, .high = 1002, .ranges = {DELIVERED(1000, 1001)}),
    },
    {
	.desc = "a malformed frame alone leaves the channel's window untouched (no session, "
		"no mark, no claim)",
	.groups = LINES,
	AAPL_LIVE,
	.steps = {{.f = {MSGS(AAPL_N(2)), COUNT(3), SESSION(SESSION2)},
		   .to = TO_B,
		   .out = OUT_NO_SOCKET,
		   .meta = META_MALFORMED_AFTER(2)}},
	.gstats = {{0}, {.frames_seen = 1, .frames_no_socket = 1, .frames_malformed = 1}},
	.win = WIN_AB(.gen = 0),
    },
};

const size_t fx_rows_arb_n = ARRAY_SIZE(fx_rows_arb);
