// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Fixture rows about gap recovery (issue 13). MoldUDP64 re-request responses: unicast datagrams
 * from the channel's server (SRV) to a consumer's request port (REQ_PORT), taken as frames of the
 * group that names the server only when fs_servers, the live group and fs_req_ports all agree,
 * then judged like a live copy of the channel's current session; every other unicast datagram
 * passes untouched. MDP3 snapshot groups: every packet out of band, never claimed.
 *
 * The ITCH rows use channel AB_CH (LINE_A and LINE_B), AAPL subscribed and known (AAPL_LIVE), and
 * no socket, so wanted frames go to the kernel (OUT_NO_SOCKET) with their metadata.
 */
#include "fixture.h"
#include "fixture_mdp3.h"

#define SRV_ADDR    0x0A000063u /* 10.0.0.99: the re-request server */
#define SRV_PORT    9000
#define OTHER_ADDR  0x0A000062u /* 10.0.0.98: not a server */
#define CLIENT_ADDR 0x0A000002u /* 10.0.0.2: the consumer's host */
#define REQ_PORT    41000	/* the consumer's request port */
#define SESSION2    "FSTEST0002"
#define E_MSFT	    MSG('E', L_MSFT)

// clang-format off
/* LINE_A and LINE_B of AB_CH, both naming SRV as the channel's server. */
#define SRV_LINES \
	{{.addr = GA_ADDR, .port = GA_PORT, .srv_addr = SRV_ADDR, .srv_port = SRV_PORT, \
	  .g = {.id = GA_ID, .proto = FS_PROTO_MOLD_ITCH, .channel = AB_CH, .line = FS_LINE_A}}, \
	 {.addr = GB_ADDR, .port = GB_PORT, .srv_addr = SRV_ADDR, .srv_port = SRV_PORT, \
	  .g = {.id = GB_ID, .proto = FS_PROTO_MOLD_ITCH, .channel = AB_CH, .line = FS_LINE_B}}}
/* What commit writes for them, and one consumer's request port. */
#define SRV_MAPS .servers = {{SRV_ADDR, SRV_PORT, TO_A}}, .req_ports = {REQ_PORT}
/* A response's addressing: from SRV to the consumer's request port. */
#define RESP_(sa, sp, da, dp) .saddr = (sa), .sport = (sp), .daddr = (da), .dport = (dp)
#define RESP RESP_(SRV_ADDR, SRV_PORT, CLIENT_ADDR, REQ_PORT)
#define WIN_SRV(...) {.check = true, .group = TO_A, .gen = 1, __VA_ARGS__}
#define DELIV(a, b) {(a), (b), FS_SEQ_DELIVERED}
#define FILT(a, b)  {(a), (b), FS_SEQ_FILTERED}
#define META_RT     {.bits = {1}, .walked = 1, .flags = FS_META_F_RETRANSMITTED}
/* Live AAPL at 1000 and 1002 on line A: 1001 is the hole a response fills. */
#define HOLE_AT_1001 \
	{.f = {MSGS(A_AAPL)}, .to = TO_A, .out = OUT_NO_SOCKET, .meta = META_ONE}, \
	{.f = {MSGS(A_AAPL), SEQ(1002)}, .to = TO_A, .out = OUT_NO_SOCKET, .meta = META_ONE}
/* What HOLE_AT_1001 leaves when nothing else is taken: the hole is still UNSEEN. */
#define HOLE_LEFT \
	.gstats = {A_DELIVERED(0, 0)}, .sym = {{S_AAPL, 2, 0}}, \
	.win = WIN_SRV(.high = 1003, .ranges = {DELIV(1000, 1000), DELIV(1002, 1002)})
/* Line A's counters after HOLE_AT_1001 and N more delivered AAPL frames, R of them responses. */
#define A_DELIVERED(n, r) \
	{.frames_seen = 2 + (n), .frames_no_socket = 2 + (n), .frames_first = 2 + (n), \
	 .msgs_walked = 2 + (n), .msgs_new = 2 + (n), .msgs_delivered = 2 + (n), \
	 .msgs_matched = 2 + (n), .frames_retransmitted = (r)}

/* Line A's counters after HOLE_AT_1001 and one response refused. */
#define A_REFUSED_AFTER_HOLE \
	{.frames_seen = 3, .frames_no_socket = 2, .frames_first = 2, .msgs_walked = 2, \
	 .msgs_new = 2, .msgs_delivered = 2, .msgs_matched = 2, .frames_retransmitted = 1, \
	 .frames_retrans_refused = 1}
/* Line B's counters after one live frame that brought a wanted number first. */
#define B_ONE \
	{.frames_seen = 1, .frames_no_socket = 1, .frames_first = 1, .msgs_walked = 1, \
	 .msgs_new = 1, .msgs_delivered = 1, .msgs_matched = 1}

/* MDP3: AB_CH's incremental line A and its snapshot group (not a line). */
#define SNAP_F(flags) MGROUP(GB_ADDR, GB_PORT, GB_ID, FS_GROUP_F_SNAPSHOT | (flags), AB_CH, \
			     FS_LINE_SNAPSHOT)
#define INCR_AND_SNAP {MGROUP(GA_ADDR, GA_PORT, GA_ID, 0, AB_CH, FS_LINE_A), SNAP_F(0)}
#define META_SNAP(bits_, walked_) {.bits = {(bits_)}, .walked = (walked_), \
				   .flags = FS_META_F_OUT_OF_BAND}
// clang-format on

const struct row fx_rows_recovery[] = {
    /* -- Responses recognised -- */
    {
	.desc = "response from the channel's server to a registered request port, filling the "
		"hole at 1001: delivered flagged FS_META_F_RETRANSMITTED as line A's frame (the "
		"group fs_servers names), counted frames_retransmitted, 1001 DELIVERED; the "
		"high-water mark stays where the live lines put it",
	.groups = SRV_LINES,
	AAPL_LIVE,
	SRV_MAPS,
	.steps = {HOLE_AT_1001,
		  {.f = {MSGS(A_AAPL), SEQ(1001), RESP},
		   .to = TO_A,
		   .out = OUT_NO_SOCKET,
		   .meta = META_RT}},
	.gstats = {A_DELIVERED(1, 1)},
	.sym = {{S_AAPL, 3, 0}},
	.win = WIN_SRV(.high = 1003, .ranges = {DELIV(1000, 1002)}),
    },
    {
	.desc = "response for a number past the high-water mark: no request can ask for it (the "
		"live lines have not gone there): refused (frames_retrans_refused), dropped, "
		"nothing claimed, the mark not raised",
	.groups = SRV_LINES,
	AAPL_LIVE,
	SRV_MAPS,
	.steps = {{.f = {MSGS(A_AAPL)}, .to = TO_A, .out = OUT_NO_SOCKET, .meta = META_ONE},
		  {.f = {MSGS(A_AAPL), SEQ(1005), RESP}, .to = TO_A, .out = OUT_REFUSED}},
	.gstats = {{.frames_seen = 2,
		    .frames_no_socket = 1,
		    .frames_first = 1,
		    .msgs_walked = 1,
		    .msgs_new = 1,
		    .msgs_delivered = 1,
		    .msgs_matched = 1,
		    .frames_retransmitted = 1,
		    .frames_retrans_refused = 1}},
	.sym = SYM_AAPL_1,
	.win = WIN_SRV(.high = 1001, .ranges = {DELIV(1000, 1000)}),
    },
    {
	.desc = "response reaching the high-water mark (1002 below it, 1003 at it): refused "
		"whole, so line B's live 1003 after it is the first copy, delivered",
	.groups = SRV_LINES,
	AAPL_LIVE,
	SRV_MAPS,
	.steps = {HOLE_AT_1001,
		  {.f = {MSGS(A_AAPL, A_AAPL), SEQ(1002), RESP}, .to = TO_A, .out = OUT_REFUSED},
		  {.f = {MSGS(A_AAPL), SEQ(1003)},
		   .to = TO_B,
		   .out = OUT_NO_SOCKET,
		   .meta = META_ONE}},
	.gstats = {A_REFUSED_AFTER_HOLE, B_ONE},
	.sym = {{S_AAPL, 3, 0}},
	.win = WIN_SRV(.high = 1004, .ranges = {DELIV(1000, 1000), DELIV(1002, 1003)}),
    },
    {
	.desc = "response a whole window ahead of the hole at 1001: refused, so it does not "
		"overwrite the window word of 1001, and line B's live 1001 is delivered, not too "
		"late",
	.groups = SRV_LINES,
	AAPL_LIVE,
	SRV_MAPS,
	.steps = {HOLE_AT_1001,
		  {.f = {MSGS(A_AAPL), SEQ(1001 + FS_SEQ_WINDOW), RESP},
		   .to = TO_A,
		   .out = OUT_REFUSED},
		  {.f = {MSGS(A_AAPL), SEQ(1001)},
		   .to = TO_B,
		   .out = OUT_NO_SOCKET,
		   .meta = META_ONE}},
	.gstats = {A_REFUSED_AFTER_HOLE, B_ONE},
	.sym = {{S_AAPL, 3, 0}},
	.win = WIN_SRV(.high = 1003, .ranges = {DELIV(1000, 1002)}),
    },
    {
	.desc = "responses against the half-window bound: with the mark at 1003 + W/2, 1002 (mark "
		"- W/2 - 1) is refused, 1003 (mark - W/2, the oldest a hole can be) is taken",
	.groups = SRV_LINES,
	AAPL_LIVE,
	SRV_MAPS,
	.steps = {{.f = {MSGS(A_AAPL)}, .to = TO_A, .out = OUT_NO_SOCKET, .meta = META_ONE},
		  {.f = {MSGS(A_AAPL), SEQ(1002 + FS_SEQ_WINDOW / 2)},
		   .to = TO_A,
		   .out = OUT_NO_SOCKET,
		   .meta = META_ONE},
		  {.f = {MSGS(A_AAPL), SEQ(1002), RESP}, .to = TO_A, .out = OUT_REFUSED},
		  {.f = {MSGS(A_AAPL), SEQ(1003), RESP},
		   .to = TO_A,
		   .out = OUT_NO_SOCKET,
		   .meta = META_RT}},
	.gstats = {{.frames_seen = 4,
		    .frames_no_socket = 3,
		    .frames_first = 3,
		    .msgs_walked = 3,
		    .msgs_new = 3,
		    .msgs_delivered = 3,
		    .msgs_matched = 3,
		    .frames_retransmitted = 2,
		    .frames_retrans_refused = 1}},
	.sym = {{S_AAPL, 3, 0}},
	.win = WIN_SRV(.high = 1003 + FS_SEQ_WINDOW / 2,
		       .ranges = {DELIV(1000, 1000), DELIV(1003, 1003),
				  DELIV(1002 + FS_SEQ_WINDOW / 2, 1002 + FS_SEQ_WINDOW / 2)}),
    },
    {
	.desc = "response arriving on another RX queue than its request port's consumer reads "
		"(registered queue 1, frame on 0): passed untouched, not claimed, counted "
		"refused; line B's live 1001 after it is delivered",
	.groups = SRV_LINES,
	AAPL_LIVE,
	SRV_MAPS,
	.req_queue = 1,
	.steps = {HOLE_AT_1001,
		  {.f = {MSGS(A_AAPL), SEQ(1001), RESP}, .to = TO_A, .out = OUT_REFUSED_PASS},
		  {.f = {MSGS(A_AAPL), SEQ(1001)},
		   .to = TO_B,
		   .out = OUT_NO_SOCKET,
		   .meta = META_ONE}},
	.gstats = {A_REFUSED_AFTER_HOLE, B_ONE},
	.sym = {{S_AAPL, 3, 0}},
	.win = WIN_SRV(.high = 1003, .ranges = {DELIV(1000, 1002)}),
    },
    {
	.desc = "malformed response (zero-length block after a message): dropped, counted "
		"refused (not frames_malformed: the live feed is not malformed), nothing "
		"claimed; line B's live 1001 after it is delivered",
	.groups = SRV_LINES,
	AAPL_LIVE,
	SRV_MAPS,
	.steps = {HOLE_AT_1001,
		  {.f = {MSGS(A_AAPL, BLOCK('A', L_AAPL, 0)), SEQ(1001), RESP},
		   .to = TO_A,
		   .out = OUT_REFUSED},
		  {.f = {MSGS(A_AAPL), SEQ(1001)},
		   .to = TO_B,
		   .out = OUT_NO_SOCKET,
		   .meta = META_ONE}},
	.gstats = {A_REFUSED_AFTER_HOLE, B_ONE},
	.sym = {{S_AAPL, 3, 0}},
	.win = WIN_SRV(.high = 1003, .ranges = {DELIV(1000, 1002)}),
    },
    {
	.desc = "response whose messages are all unsubscribed: dropped, its number FILTERED, "
		"counted as a response (frames_retransmitted) and filtered",
	.groups = SRV_LINES,
	AAPL_LIVE,
	SRV_MAPS,
	.steps = {HOLE_AT_1001,
		  {.f = {MSGS(E_MSFT), SEQ(1001), RESP}, .to = TO_A, .out = OUT_FILTERED}},
	.gstats = {{.frames_seen = 3,
		    .frames_no_socket = 2,
		    .frames_filtered = 1,
		    .frames_first = 3,
		    .msgs_walked = 3,
		    .msgs_new = 3,
		    .msgs_delivered = 2,
		    .msgs_filtered = 1,
		    .msgs_matched = 2,
		    .frames_retransmitted = 1}},
	.sym = {{S_AAPL, 2, 0}},
	.win = WIN_SRV(.high = 1003,
		       .ranges = {DELIV(1000, 1000), FILT(1001, 1001), DELIV(1002, 1002)}),
    },
    {
	.desc = "a late live copy on line B after the response brought 1001: a duplicate, "
		"dropped",
	.groups = SRV_LINES,
	AAPL_LIVE,
	SRV_MAPS,
	.steps = {HOLE_AT_1001,
		  {.f = {MSGS(A_AAPL), SEQ(1001), RESP},
		   .to = TO_A,
		   .out = OUT_NO_SOCKET,
		   .meta = META_RT},
		  {.f = {MSGS(A_AAPL), SEQ(1001)}, .to = TO_B, .out = OUT_DUPLICATE}},
	.gstats =
	    {A_DELIVERED(1, 1),
	     {.frames_seen = 1, .frames_duplicate = 1, .msgs_walked = 1, .msgs_duplicate = 1}},
	.sym = {{S_AAPL, 3, 0}},
	.win = WIN_SRV(.high = 1003, .ranges = {DELIV(1000, 1002)}),
    },
    {
	.desc = "a response after line B's late live copy brought 1001: a duplicate, dropped, "
		"still counted as a response",
	.groups = SRV_LINES,
	AAPL_LIVE,
	SRV_MAPS,
	.steps =
	    {HOLE_AT_1001,
	     {.f = {MSGS(A_AAPL), SEQ(1001)}, .to = TO_B, .out = OUT_NO_SOCKET, .meta = META_ONE},
	     {.f = {MSGS(A_AAPL), SEQ(1001), RESP}, .to = TO_A, .out = OUT_DUPLICATE}},
	.gstats = {{.frames_seen = 3,
		    .frames_no_socket = 2,
		    .frames_duplicate = 1,
		    .frames_first = 2,
		    .msgs_walked = 3,
		    .msgs_new = 2,
		    .msgs_duplicate = 1,
		    .msgs_delivered = 2,
		    .msgs_matched = 2,
		    .frames_retransmitted = 1},
		   {.frames_seen = 1,
		    .frames_no_socket = 1,
		    .frames_first = 1,
		    .msgs_walked = 1,
		    .msgs_new = 1,
		    .msgs_delivered = 1,
		    .msgs_matched = 1}},
	.sym = {{S_AAPL, 3, 0}},
	.win = WIN_SRV(.high = 1003, .ranges = {DELIV(1000, 1002)}),
    },

    /* -- Responses judged by the channel's session -- */
    {
	.desc = "response of another session than the channel's: dropped (frames_other_session), "
		"no session started or reset, nothing claimed",
	.groups = SRV_LINES,
	AAPL_LIVE,
	SRV_MAPS,
	.steps = {{.f = {MSGS(A_AAPL)}, .to = TO_A, .out = OUT_NO_SOCKET, .meta = META_ONE},
		  {.f = {MSGS(A_AAPL), SEQ(1), SESSION(SESSION2), RESP},
		   .to = TO_A,
		   .out = OUT_OTHER_SESSION}},
	.gstats = {{.frames_seen = 2,
		    .frames_no_socket = 1,
		    .frames_other_session = 1,
		    .frames_first = 1,
		    .msgs_walked = 1,
		    .msgs_new = 1,
		    .msgs_delivered = 1,
		    .msgs_matched = 1,
		    .frames_retransmitted = 1}},
	.sym = SYM_AAPL_1,
	.win = WIN_SRV(.high = 1001, .ranges = {DELIV(1000, 1000)}),
    },
    {
	.desc = "response before any live frame: the channel has no session and a response "
		"never starts one: dropped (frames_other_session), the window stays empty",
	.groups = SRV_LINES,
	AAPL_LIVE,
	SRV_MAPS,
	.steps = {{.f = {MSGS(A_AAPL), SEQ(1), RESP}, .to = TO_A, .out = OUT_OTHER_SESSION}},
	.gstats = {{.frames_seen = 1, .frames_other_session = 1, .frames_retransmitted = 1}},
	.win = {.check = true, .group = TO_A},
    },
    {
	.desc = "heartbeat and end-of-session responses (below the mark): not data, refused "
		"(frames_retrans_refused), dropped, not counted as heartbeats or end of "
		"session; the session does not end and the mark does not move",
	.groups = SRV_LINES,
	AAPL_LIVE,
	SRV_MAPS,
	.steps = {{.f = {MSGS(A_AAPL)}, .to = TO_A, .out = OUT_NO_SOCKET, .meta = META_ONE},
		  {.f = {COUNT(0), SEQ(1000), RESP}, .to = TO_A, .out = OUT_REFUSED},
		  {.f = {COUNT(0xFFFF), SEQ(1000), RESP}, .to = TO_A, .out = OUT_REFUSED}},
	.gstats = {{.frames_seen = 3,
		    .frames_no_socket = 1,
		    .frames_retrans_refused = 2,
		    .frames_first = 1,
		    .msgs_walked = 1,
		    .msgs_new = 1,
		    .msgs_delivered = 1,
		    .msgs_matched = 1,
		    .frames_retransmitted = 2}},
	.sym = SYM_AAPL_1,
	.win = WIN_SRV(.high = 1001, .ranges = {DELIV(1000, 1000)}),
    },

    /* -- Unicast that is not a response: passed untouched -- */
    {
	.desc = "unicast like a response but from another source port, from another address, "
		"to a port no consumer registered, or to a multicast address: each passed "
		"untouched (frames_passed), nothing claimed",
	.groups = SRV_LINES,
	AAPL_LIVE,
	SRV_MAPS,
	.steps =
	    {HOLE_AT_1001,
	     {.f = {MSGS(A_AAPL), SEQ(1001), RESP_(SRV_ADDR, SRV_PORT + 1, CLIENT_ADDR, REQ_PORT)},
	      .out = OUT_PASS},
	     {.f = {MSGS(A_AAPL), SEQ(1001), RESP_(OTHER_ADDR, SRV_PORT, CLIENT_ADDR, REQ_PORT)},
	      .out = OUT_PASS},
	     {.f = {MSGS(A_AAPL), SEQ(1001), RESP_(SRV_ADDR, SRV_PORT, CLIENT_ADDR, REQ_PORT + 1)},
	      .out = OUT_PASS},
	     {.f = {MSGS(A_AAPL), SEQ(1001), RESP_(SRV_ADDR, SRV_PORT, UNK_ADDR, REQ_PORT)},
	      .out = OUT_PASS}},
	.not_ours = 4,
	HOLE_LEFT,
    },
    {
	.desc = "like a response but to the limited broadcast 255.255.255.255 or a reserved "
		"address (240.0.0.1): not a unicast answer, passed untouched, nothing claimed",
	.groups = SRV_LINES,
	AAPL_LIVE,
	SRV_MAPS,
	.steps = {HOLE_AT_1001,
		  {.f = {MSGS(A_AAPL), SEQ(1001), RESP_(SRV_ADDR, SRV_PORT, 0xFFFFFFFFu, REQ_PORT)},
		   .out = OUT_PASS},
		  {.f = {MSGS(A_AAPL), SEQ(1001), RESP_(SRV_ADDR, SRV_PORT, 0xF0000001u, REQ_PORT)},
		   .out = OUT_PASS}},
	.not_ours = 2,
	HOLE_LEFT,
    },
    {
	.desc = "stale fs_servers entry: it names line A, which no longer names the server (its "
		"group was changed since): the response is passed untouched",
	.groups = LINES,
	AAPL_LIVE,
	SRV_MAPS,
	.steps = {HOLE_AT_1001,
		  {.f = {MSGS(A_AAPL), SEQ(1001), RESP}, .to = TO_A, .out = OUT_PASS}},
	.not_ours = 1,
	HOLE_LEFT,
    },
    {
	.desc = "fs_servers names line A, which names another server: a datagram from the "
		"indexed address is passed untouched (the group decides, not the index)",
	.groups = {{.addr = GA_ADDR,
		    .port = GA_PORT,
		    .srv_addr = OTHER_ADDR,
		    .srv_port = SRV_PORT,
		    .g = {.id = GA_ID,
			  .proto = FS_PROTO_MOLD_ITCH,
			  .channel = AB_CH,
			  .line = FS_LINE_A}}},
	AAPL_LIVE,
	SRV_MAPS,
	.steps = {HOLE_AT_1001,
		  {.f = {MSGS(A_AAPL), SEQ(1001), RESP}, .to = TO_A, .out = OUT_PASS}},
	.not_ours = 1,
	HOLE_LEFT,
    },

    /* -- MDP3 snapshot groups -- */
    {
	.desc = "snapshot group of channel AB_CH: its packets are out of band (delivered flagged, "
		"metadata line FS_LINE_SNAPSHOT), never claimed: a MsgSeqNum past the live mark "
		"and one of 1 neither claim nor start a session; unsubscribed ones filtered",
	.groups = INCR_AND_SNAP,
	ES_BY_ID,
	.steps =
	    {{.f = {MDP3(BOOK(ID_ES))}, .to = TO_A, .out = OUT_NO_SOCKET, .meta = META(0x1, 1)},
	     {.f = {MDP3(BOOK(ID_ES)), SEQ(1005)},
	      .to = TO_B,
	      .out = OUT_NO_SOCKET,
	      .meta = META_SNAP(0x1, 1)},
	     {.f = {MDP3(BOOK(ID_ES)), SEQ(1), .sending_time = T2},
	      .to = TO_B,
	      .out = OUT_NO_SOCKET,
	      .meta = META_SNAP(0x1, 1)},
	     {.f = {MDP3(BOOK(ID_CL)), SEQ(1006)}, .to = TO_B, .out = OUT_FILTERED}},
	.gstats = {{.frames_seen = 1,
		    .frames_no_socket = 1,
		    .frames_first = 1,
		    .msgs_walked = 1,
		    .msgs_new = 1,
		    .msgs_delivered = 1,
		    .msgs_matched = 1},
		   {.frames_seen = 3,
		    .frames_no_socket = 2,
		    .frames_filtered = 1,
		    .frames_out_of_band = 3,
		    .msgs_matched = 2}},
	.sym = {{S_ES, 3, 0}},
	.win = M_WIN_AB(.gen = 1, .high = 1001, .ranges = {{1000, 1000, FS_SEQ_DELIVERED}}),
    },
    {
	.desc = "snapshot group alone (no live frame yet): out of band, the window stays empty",
	.groups = {SNAP_F(0)},
	ES_BY_ID,
	.steps = {{.f = {MDP3(BOOK(ID_ES))}, .out = OUT_NO_SOCKET, .meta = META_SNAP(0x1, 1)}},
	.gstats =
	    {{.frames_seen = 1, .frames_no_socket = 1, .frames_out_of_band = 1, .msgs_matched = 1}},
	.sym = {{S_ES, 1, 0}},
	.win = {.check = true, .group = 0},
    },
};

const size_t fx_rows_recovery_n = ARRAY_SIZE(fx_rows_recovery);
