// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Fixture rows about Cboe PITCH groups: the framing checks of the Sequenced Unit Header and of
 * every message (HdrLength, Length, each type's minimum length, trailing bytes), heartbeats,
 * unsequenced units (out of band), the walk bound, units and their channels, which messages
 * match (control, inline symbols of 6 and 8 bytes, Order IDs through the order map), the order
 * map's life (add, executions, reduce, modify, delete, full), lines A and B, and restarts. The
 * vocabulary is fixture_pitch.h.
 */
#include "fixture_pitch.h"

/* First 8 bytes of a Time message sent first in a unit: Length 6, type, Time 1000 (the
 * builder's TimeOffset of message 0), then 2 zero bytes of padding. */
static const __u8 time0_first8[8] = {6, PT_TIME, 0xE8, 0x03, 0, 0, 0, 0};

const struct row fx_rows_pitch[] = {
    /* -- Framing: the Sequenced Unit Header -- */
    P_MALFORMED_ROW("PITCH: HdrLength one more than the UDP payload: malformed", 0,
		    PITCH(P_TIME), .hdr_len_delta = 1),
    P_MALFORMED_ROW("PITCH: HdrLength one less than the UDP payload: malformed", 0,
		    PITCH(P_TIME), .hdr_len_delta = -1),
    P_MALFORMED_ROW("PITCH: a payload of 7 bytes, shorter than the header: malformed", 0,
		    PITCH(P_TIME), .short_payload = true, .payload_len = 7),
    P_MALFORMED_ROW("PITCH: HdrCount one more than the messages present: malformed after them",
		    1, PITCH(P_TIME), COUNT(2)),
    P_MALFORMED_ROW("PITCH: HdrCount one less than the messages present (bytes after the last "
		    "one counted): malformed",
		    1, PITCH(P_TIME, P_TIME), COUNT(1)),
    P_MALFORMED_ROW("PITCH: one byte after the last message, inside HdrLength: malformed", 1,
		    PITCH(P_TIME), .trailing = 1),
    P_MALFORMED_ROW("PITCH: a heartbeat (HdrCount 0) with a byte after its header: malformed", 0,
		    HEARTBEAT_UNIT, .trailing = 1),

    /* -- Framing: each message's Length -- */
    P_MALFORMED_ROW("PITCH: a message Length 0 (would never advance): malformed", 1,
		    PITCH(P_TIME, {.type = PT_TIME, .set_lfield = true, .lfield = 0})),
    P_MALFORMED_ROW("PITCH: a message Length 1, shorter than its own header: malformed", 0,
		    PITCH({.type = PT_TIME, .set_lfield = true, .lfield = 1})),
    P_MALFORMED_ROW("PITCH: the last message's Length one past the datagram: malformed", 1,
		    PITCH(P_TIME, {.type = PT_TIME, .set_lfield = true, .lfield = 7})),
    P_MALFORMED_ROW("PITCH: a Length one short (5 of a Time's 6): the next message is read "
		    "from its last byte, Length 0: malformed after 2",
		    2, PITCH(P_TIME, {.type = PT_TIME, .set_lfield = true, .lfield = 5}, P_TIME)),
    P_MALFORMED_ROW("PITCH: 129 messages, the last with Length 1, past the walk bound: the whole "
		    "count is checked, malformed",
		    128,
		    PITCH({.type = PT_TIME, .repeat = 128},
			  {.type = PT_TIME, .set_lfield = true, .lfield = 1})),

    /* -- Heartbeats and unsequenced units -- */
    {
	.desc = "PITCH: a heartbeat (HdrCount 0, HdrSequence 1000): delivered, no message, the "
		"high-water mark at 1000, the unit bound",
	.groups = {PA},
	AAPL_SUB,
	.steps = {{.f = {HEARTBEAT_UNIT}, .out = OUT_NO_SOCKET, .meta = P_META(0, 0)}},
	.gstats = {{.frames_seen = 1, .frames_no_socket = 1, .heartbeats = 1}},
	.win = P_WIN(1000),
    },
    {
	.desc = "PITCH: an unsequenced unit (HdrSequence 0) adding an AAPL order: delivered "
		"flagged out of band, never claimed, no session, the order not remembered",
	.groups = {PA},
	AAPL_SUB,
	.steps = {{.f = {PITCH(P_ADD_L(ORD, "AAPL", 100)), SEQ(0)},
		   .out = OUT_NO_SOCKET,
		   .meta = P_META_F(0x1, 1, FS_META_F_OUT_OF_BAND)}},
	.gstats = {{.frames_seen = 1, .frames_no_socket = 1, .frames_out_of_band = 1,
		    .msgs_matched = 1}},
	.sym = {{S_AAPL, 1, 0}},
	.win = {.check = true, .group = 0, .unit = 1},
    },
    {
	.desc = "PITCH: an unsequenced unit of unsubscribed messages: filtered, never claimed",
	.groups = {PA},
	AAPL_SUB,
	.steps = {{.f = {PITCH(P_ADD_S(ORD, "MSFT", 5), P_SYM(PT_STATUS, "MSFT")), SEQ(0)},
		   .out = OUT_FILTERED}},
	.gstats = {{.frames_seen = 1, .frames_filtered = 1, .frames_out_of_band = 1}},
	.win = {.check = true, .group = 0, .unit = 1},
    },
    {
	.desc = "PITCH: an unsequenced execution of a remembered AAPL order, in the channel's "
		"session: delivered flagged, the order map left as it was",
	.groups = {PA},
	AAPL_SUB,
	.orders = {ORD_AAPL(100)},
	.steps = {{.f = {PITCH(P_TIME)}, .out = OUT_NO_SOCKET, .meta = P_META(0x1, 1)},
		  {.f = {PITCH(P_EXEC(ORD, 40)), SEQ(0)},
		   .out = OUT_NO_SOCKET,
		   .meta = P_META_F(0x1, 1, FS_META_F_OUT_OF_BAND)}},
	.gstats = {{.frames_seen = 2, .frames_no_socket = 2, .frames_first = 1,
		    .frames_out_of_band = 1, .msgs_walked = 1, .msgs_new = 1, .msgs_delivered = 1,
		    .msgs_matched = 2}},
	.sym = {{S_AAPL, 1, 0}},
	.win = P_WIN(1001, .ranges = {{1000, 1000, FS_SEQ_DELIVERED}}),
    },

    /* -- The walk bound -- */
    {
	.desc = "PITCH: 130 unsubscribed adds: 128 walked, none marked, delivered whole as an "
		"overflow; the mark at 1130",
	.groups = {PA},
	AAPL_SUB,
	.steps = {{.f = {PITCH({.type = PT_ADD_S, .order_id = ORD, .symbol = "MSFT", .qty = 1,
				.repeat = 130})},
		   .out = OUT_NO_SOCKET,
		   .meta = P_META_F(0, 128, FS_META_F_OVERFLOW)}},
	.gstats = {{.frames_seen = 1, .frames_no_socket = 1, .frames_first = 1,
		    .frames_walk_overflow = 1, .msgs_walked = 128, .msgs_new = 128,
		    .msgs_delivered = 128}},
	.win = P_WIN(1130, .ranges = {{1000, 1127, FS_SEQ_DELIVERED}}),
    },

    {
	.desc = "PITCH: an unsequenced unit of 130 unsubscribed adds: past the walk bound, "
		"delivered whole, flagged out of band and overflow, nothing claimed",
	.groups = {PA},
	AAPL_SUB,
	.steps = {{.f = {PITCH({.type = PT_ADD_S, .order_id = ORD, .symbol = "MSFT", .qty = 1,
				.repeat = 130}),
			 SEQ(0)},
		   .out = OUT_NO_SOCKET,
		   .meta = P_META_F(0, 128, FS_META_F_OVERFLOW | FS_META_F_OUT_OF_BAND)}},
	.gstats = {{.frames_seen = 1, .frames_no_socket = 1, .frames_out_of_band = 1,
		    .frames_walk_overflow = 1}},
	.win = {.check = true, .group = 0, .unit = 1},
    },

    /* -- Units and channels -- */
    {
	.desc = "PITCH: a group of units 2-4: unit 3 is on the channel after the group's, its "
		"order remembered there",
	.groups = {PU},
	AAPL_SUB,
	.steps = {{.f = {PITCH(P_ADD_L(ORD, "AAPL", 100)), UNIT(3)},
		   .out = OUT_NO_SOCKET,
		   .meta = P_META(0x1, 1),
		   .chan_off = 1}},
	.gstats = P_DELIVERED(1, 1, .orders_added = 1),
	.sym = {{S_AAPL, 1, 0}},
	.orders_change = true,
	.orders_after = {ORDER_(ORD, GA_CH + 1, "AAPL", 100, 1)},
	.win = {.check = true, .group = 0, .chan_off = 1, .gen = 1, .pitch = true, .unit = 4,
		.high = 1001, .ranges = {{1000, 1000, FS_SEQ_DELIVERED}}},
    },
    {
	.desc = "PITCH: a group of units 2-4: units 5 and 1 are passed and counted, nothing bound",
	.groups = {PU},
	AAPL_SUB,
	.steps = {{.f = {PITCH(P_ADD_L(ORD, "AAPL", 100)), UNIT(5)}, .out = OUT_OTHER_UNIT},
		  {.f = {PITCH(P_TIME), UNIT(1)}, .out = OUT_OTHER_UNIT}},
	.gstats = {{.frames_seen = 2, .frames_passed = 2, .frames_other_unit = 2}},
    },
    {
	.desc = "PITCH: a group naming no units binds the first unit it sees (7); unit 8 is then "
		"passed and counted",
	.groups = {PA},
	AAPL_SUB,
	.steps = {{.f = {PITCH(P_TIME), UNIT(7)}, .out = OUT_NO_SOCKET, .meta = P_META(0x1, 1)},
		  {.f = {PITCH(P_TIME), UNIT(8), SEQ(1001)}, .out = OUT_OTHER_UNIT}},
	.gstats = {{.frames_seen = 2, .frames_no_socket = 1, .frames_first = 1, .msgs_walked = 1,
		    .msgs_new = 1, .msgs_delivered = 1, .msgs_matched = 1, .frames_passed = 1,
		    .frames_other_unit = 1}},
	.win = {.check = true, .group = 0, .gen = 1, .pitch = true, .unit = 8, .high = 1001,
		.ranges = {{1000, 1000, FS_SEQ_DELIVERED}}},
    },

    /* -- The order map -- */
    {
	.desc = "PITCH: an AAPL order's life: added (remembered), executed 30, reduced 20, "
		"modified to 45, executed at price leaving 5, deleted (forgotten): all delivered",
	.groups = {PA},
	AAPL_SUB,
	.steps = {{.f = {PITCH(P_ADD_L(ORD, "AAPL", 100))}, .out = OUT_NO_SOCKET,
		   .meta = P_META(0x1, 1)},
		  {.f = {PITCH(P_EXEC(ORD, 30)), SEQ(1001)}, .out = OUT_NO_SOCKET,
		   .meta = P_META(0x1, 1)},
		  {.f = {PITCH(P_ORDER(PT_REDUCE_S, ORD, 20)), SEQ(1002)}, .out = OUT_NO_SOCKET,
		   .meta = P_META(0x1, 1)},
		  {.f = {PITCH(P_ORDER(PT_MODIFY_L, ORD, 45)), SEQ(1003)}, .out = OUT_NO_SOCKET,
		   .meta = P_META(0x1, 1)},
		  {.f = {PITCH(P_ORDER(PT_EXEC_P, ORD, 5)), SEQ(1004)}, .out = OUT_NO_SOCKET,
		   .meta = P_META(0x1, 1)},
		  {.f = {PITCH(P_DELETE(ORD)), SEQ(1005)}, .out = OUT_NO_SOCKET,
		   .meta = P_META(0x1, 1)}},
	.gstats = {{.frames_seen = 6, .frames_no_socket = 6, .frames_first = 6, .msgs_walked = 6,
		    .msgs_new = 6, .msgs_delivered = 6, .msgs_matched = 6, .orders_added = 1,
		    .orders_removed = 1}},
	.sym = {{S_AAPL, 6, 0}},
	.win = P_WIN(1006, .ranges = {{1000, 1005, FS_SEQ_DELIVERED}}),
    },
    {
	.desc = "PITCH: remaining quantities per type: reduce long 30, modify short to 60, "
		"execute 15 of a remembered order (100): 45 left",
	.groups = {PA},
	AAPL_SUB,
	.orders = {ORD_AAPL(100)},
	.steps = {{.f = {PITCH(P_ORDER(PT_REDUCE_L, ORD, 30), P_ORDER(PT_MODIFY_S, ORD, 60),
			       P_EXEC(ORD, 15))},
		   .out = OUT_NO_SOCKET,
		   .meta = P_META(0x7, 3)}},
	.gstats = P_DELIVERED(3, 3),
	.sym = {{S_AAPL, 3, 0}},
	.orders_change = true,
	.orders_after = {ORD_AAPL(45)},
    },
    {
	.desc = "PITCH: a full execution forgets the order; its later delete is unknown, filtered",
	.groups = {PA},
	AAPL_SUB,
	.orders = {ORD_AAPL(50)},
	.steps = {{.f = {PITCH(P_EXEC(ORD, 50))}, .out = OUT_NO_SOCKET, .meta = P_META(0x1, 1)},
		  {.f = {PITCH(P_DELETE(ORD)), SEQ(1001)}, .out = OUT_FILTERED}},
	.gstats = {{.frames_seen = 2, .frames_no_socket = 1, .frames_filtered = 1,
		    .frames_first = 2, .msgs_walked = 2, .msgs_new = 2, .msgs_delivered = 1,
		    .msgs_filtered = 1, .msgs_matched = 1, .orders_removed = 1,
		    .orders_unknown = 1}},
	.sym = {{S_AAPL, 1, 0}},
	.orders_change = true,
	.win = P_WIN(1002, .ranges = {{1000, 1000, FS_SEQ_DELIVERED},
				      {1001, 1001, FS_SEQ_FILTERED}}),
    },
    {
	.desc = "PITCH: an execution larger than the remaining quantity leaves 0 (not a wrap): "
		"forgotten; a modify to 0 forgets another",
	.groups = {PA},
	AAPL_SUB,
	.orders = {ORD_AAPL(50), ORDER_(ORD2, GA_CH, "AAPL", 7, 1)},
	.steps = {{.f = {PITCH(P_EXEC(ORD, 80), P_ORDER(PT_MODIFY_L, ORD2, 0))},
		   .out = OUT_NO_SOCKET,
		   .meta = P_META(0x3, 2)}},
	.gstats = P_DELIVERED(2, 2, .orders_removed = 2),
	.sym = {{S_AAPL, 2, 0}},
	.orders_change = true,
    },
    {
	.desc = "PITCH: an execution of an order never added: dropped, counted orders_unknown, "
		"FILTERED in the window (never a gap)",
	.groups = {PA},
	AAPL_SUB,
	.steps = {{.f = {PITCH(P_EXEC(ORD, 10))}, .out = OUT_FILTERED}},
	.gstats = P_FILTERED(1, .orders_unknown = 1),
	.win = P_WIN(1001, .ranges = {{1000, 1000, FS_SEQ_FILTERED}}),
    },
    {
	.desc = "PITCH: an order of an unsubscribed symbol is not remembered: its add and its "
		"execution are filtered",
	.groups = {PA},
	AAPL_SUB,
	.steps = {{.f = {PITCH(P_ADD_S(ORD, "MSFT", 10), P_EXEC(ORD, 10))}, .out = OUT_FILTERED}},
	.gstats = P_FILTERED(2, .orders_unknown = 1),
    },
    {
	.desc = "PITCH: MSFT subscribed after its order was added: the order is not known, its "
		"execution filtered and counted (the documented limit)",
	.groups = {PA},
	AAPL_SUB,
	.steps = {{.f = {PITCH(P_ADD_S(ORD, "MSFT", 10))}, .out = OUT_FILTERED},
		  {.f = {PITCH(P_EXEC(ORD, 5)), SEQ(1001)},
		   .subscribe = {"MSFT", S_MSFT},
		   .out = OUT_FILTERED}},
	.gstats = {{.frames_seen = 2, .frames_filtered = 2, .frames_first = 2, .msgs_walked = 2,
		    .msgs_new = 2, .msgs_filtered = 2, .orders_unknown = 1}},
    },
    {
	.desc = "PITCH: AAPL unsubscribed after its order was added: the execution is dropped, "
		"the map still follows it (90 left)",
	.groups = {PA},
	AAPL_SUB,
	.steps = {{.f = {PITCH(P_ADD_L(ORD, "AAPL", 100))}, .out = OUT_NO_SOCKET,
		   .meta = P_META(0x1, 1)},
		  {.f = {PITCH(P_EXEC(ORD, 10)), SEQ(1001)}, .unsubscribe = "AAPL",
		   .out = OUT_FILTERED}},
	.gstats = {{.frames_seen = 2, .frames_no_socket = 1, .frames_filtered = 1,
		    .frames_first = 2, .msgs_walked = 2, .msgs_new = 2, .msgs_delivered = 1,
		    .msgs_filtered = 1, .msgs_matched = 1, .orders_added = 1}},
	.sym = {{S_AAPL, 1, 0}},
	.orders_change = true,
	.orders_after = {ORD_AAPL(90)},
    },
    {
	.desc = "PITCH: an entry of another session generation (2; the channel joins in 1) is "
		"absent: the execution filtered, the stale entry deleted (it would hold its slot "
		"for ever)",
	.groups = {PA},
	AAPL_SUB,
	.orders = {ORDER_(ORD, GA_CH, "AAPL", 100, 2), ORDER_(ORD2, GA_CH, "AAPL", 5, 2)},
	.steps = {{.f = {PITCH(P_EXEC(ORD, 10))}, .out = OUT_FILTERED}},
	.gstats = P_FILTERED(1, .orders_unknown = 1),
	.orders_change = true,
	.orders_after = {ORDER_(ORD2, GA_CH, "AAPL", 5, 2)},
    },
    {
	.desc = "PITCH: an entry of another channel is absent: keyed by channel and Order ID",
	.groups = {PA},
	AAPL_SUB,
	.orders = {ORDER_(ORD, GB_CH, "AAPL", 100, 1)},
	.steps = {{.f = {PITCH(P_DELETE(ORD))}, .out = OUT_FILTERED}},
	.gstats = P_FILTERED(1, .orders_unknown = 1),
    },
    {
	.desc = "PITCH: the order map full: an AAPL add is delivered, not remembered, counted "
		"orders_full and marks the session; then executions of unknown orders are delivered "
		"flagged FS_META_F_ORDERS_FULL, next to a known one",
	.groups = {PA},
	AAPL_SUB,
	.orders_fill = true,
	.steps = {{.f = {PITCH(P_ADD_L(ORD, "AAPL", 100))}, .out = OUT_NO_SOCKET,
		   .meta = P_META(0x1, 1)},
		  {.f = {PITCH(P_TIME, P_EXEC(ORD, 10), P_DELETE(ORD2)), SEQ(1001)},
		   .out = OUT_NO_SOCKET,
		   .meta = P_META_F(0x7, 3, FS_META_F_ORDERS_FULL)}},
	.gstats = {{.frames_seen = 2, .frames_no_socket = 2, .frames_first = 2, .msgs_walked = 4,
		    .msgs_new = 4, .msgs_delivered = 4, .msgs_matched = 4, .orders_full = 1,
		    .orders_unknown = 2}},
	.sym = {{S_AAPL, 1, 0}},
	.win = P_WIN(1004, .orders_full_gen = 2, .ranges = {{1000, 1003, FS_SEQ_DELIVERED}}),
    },
    {
	.desc = "PITCH: the order map full, but an unsubscribed add: nothing to remember, no mark",
	.groups = {PA},
	AAPL_SUB,
	.orders_fill = true,
	.steps = {{.f = {PITCH(P_ADD_L(ORD, "MSFT", 100), P_EXEC(ORD, 1))}, .out = OUT_FILTERED}},
	.gstats = P_FILTERED(2, .orders_unknown = 1),
	.win = P_WIN(1002, .ranges = {{1000, 1001, FS_SEQ_FILTERED}}),
    },

    /* -- Symbols inline, control, unknown types -- */
    {
	.desc = "PITCH: 6- and 8-byte symbols: AAPL in a short add (padded), LONGNAME in an "
		"expanded add and trade, ABCDEF filling a long add; LONGNAME remembered",
	.groups = {PA},
	.subs = {{"AAPL", S_AAPL}, {"LONGNAME", S_LONG}},
	.steps = {{.f = {PITCH(P_ADD_S(ORD, "AAPL", 3), P_ADD_X(ORD2, "LONGNAME", 8),
			       P_SYM(PT_TRADE_X, "LONGNAME"), P_ADD_L(ORD + 5, "ABCDEF", 1),
			       P_ADD_L(ORD + 6, "LONGNA", 1))},
		   .out = OUT_NO_SOCKET,
		   .meta = P_META(0x7, 5)}},
	.gstats = P_DELIVERED(5, 3, .orders_added = 2),
	.sym = {{S_AAPL, 1, 0}, {S_LONG, 2, 0}},
	.orders_change = true,
	.orders_after = {ORDER_(ORD, GA_CH, "AAPL", 3, 1), ORDER_(ORD2, GA_CH, "LONGNAME", 8, 1)},
    },
    {
	.desc = "PITCH: trades (long, short, expanded) of AAPL delivered; their Order IDs are not "
		"learned, so an execution naming one is unknown",
	.groups = {PA},
	AAPL_SUB,
	.steps = {{.f = {PITCH({.type = PT_TRADE_L, .order_id = ORD, .symbol = "AAPL", .qty = 5},
			       {.type = PT_TRADE_S, .order_id = ORD, .symbol = "AAPL", .qty = 5},
			       {.type = PT_TRADE_X, .order_id = ORD, .symbol = "AAPL", .qty = 5},
			       P_EXEC(ORD, 5))},
		   .out = OUT_NO_SOCKET,
		   .meta = P_META(0x7, 4)}},
	.gstats = P_DELIVERED(4, 3, .orders_unknown = 1),
	.sym = {{S_AAPL, 3, 0}},
    },
    {
	.desc = "PITCH: trading status, auction update and summary, RPI (8-byte symbols at 6): "
		"AAPL's marked, MSFT's not",
	.groups = {PA},
	AAPL_SUB,
	.steps = {{.f = {PITCH(P_SYM(PT_STATUS, "AAPL"), P_SYM(PT_STATUS, "MSFT"),
			       P_SYM(PT_AUCTION_U, "AAPL"), P_SYM(PT_AUCTION_S, "AAPL"),
			       P_SYM(PT_RPI, "AAPL"), P_SYM(PT_RPI, "MSFT"))},
		   .out = OUT_NO_SOCKET,
		   .meta = P_META(0x1D, 6)}},
	.gstats = P_DELIVERED(6, 4),
	.sym = {{S_AAPL, 4, 0}},
    },
    {
	.desc = "PITCH: Time, Unit Clear, End of Session and Trade Break, nothing subscribed: "
		"all delivered",
	.groups = {PA},
	.steps = {{.f = {PITCH(P_TIME, {.type = PT_UNIT_CLEAR}, {.type = PT_EOS},
			       {.type = PT_BREAK})},
		   .out = OUT_NO_SOCKET,
		   .meta = P_META(0xF, 4)}},
	.gstats = P_DELIVERED(4, 4),
    },
    {
	.desc = "PITCH: an unknown type (stepped over by its Length) beside an unsubscribed add: "
		"filtered",
	.groups = {PA},
	AAPL_SUB,
	.steps = {{.f = {PITCH({.type = PT_UNKNOWN, .len = 3}, P_ADD_S(ORD, "MSFT", 1))},
		   .out = OUT_FILTERED}},
	.gstats = P_FILTERED(2),
    },
    {
	.desc = "PITCH: an all-symbols group wants every message (unknown type, unsubscribed add, "
		"unknown order) and keeps no order map",
	.groups = {PA_F(FS_GROUP_F_ALL_SYMBOLS)},
	AAPL_SUB,
	.steps = {{.f = {PITCH({.type = PT_UNKNOWN, .len = 2}, P_ADD_S(ORD, "MSFT", 1),
			       P_ADD_S(ORD2, "AAPL", 1), P_EXEC(ORD2, 1))},
		   .out = OUT_NO_SOCKET,
		   .meta = P_META_F(0xF, 4, FS_META_F_ALL_SYMBOLS)}},
	.gstats = P_DELIVERED(4, 4),
	.sym = {{S_AAPL, 1, 0}},
    },
    {
	.desc = "PITCH: match bits exact: Time, MSFT add, AAPL add, MSFT status, unknown order, "
		"LONGNAME trade -> bits 0, 2, 5",
	.groups = {PA},
	.subs = {{"AAPL", S_AAPL}, {"LONGNAME", S_LONG}},
	.steps = {{.f = {PITCH(P_TIME, P_ADD_S(ORD, "MSFT", 1), P_ADD_L(ORD2, "AAPL", 9),
			       P_SYM(PT_STATUS, "MSFT"), P_EXEC(ORD + 9, 1),
			       P_SYM(PT_TRADE_X, "LONGNAME"))},
		   .out = OUT_NO_SOCKET,
		   .meta = P_META(0x25, 6)}},
	.gstats = P_DELIVERED(6, 3, .orders_added = 1, .orders_unknown = 1),
	.sym = {{S_AAPL, 1, 0}, {S_LONG, 1, 0}},
	.orders_change = true,
	.orders_after = {ORDER_(ORD2, GA_CH, "AAPL", 9, 1)},
    },
    {
	.desc = "PITCH: a unit whose messages are all unsubscribed: filtered, FILTERED in the "
		"window, never a gap",
	.groups = {PA},
	AAPL_SUB,
	.steps = {{.f = {PITCH(P_ADD_S(ORD, "MSFT", 1), P_SYM(PT_TRADE_S, "MSFT"),
			       P_SYM(PT_STATUS, "IBM"))},
		   .out = OUT_FILTERED}},
	.gstats = P_FILTERED(3),
	.win = P_WIN(1003, .ranges = {{1000, 1002, FS_SEQ_FILTERED}}),
    },

    /* -- Lines A and B, restarts -- */
    {
	.desc = "PITCH A/B: an add on A (remembered once), its copy on B a duplicate; an "
		"execution on B first (applied once), its copy on A a duplicate",
	.groups = PLINES,
	AAPL_SUB,
	.steps = {{.f = {PITCH(P_ADD_L(ORD, "AAPL", 100))}, .to = TO_A, .out = OUT_NO_SOCKET,
		   .meta = P_META(0x1, 1)},
		  {.f = {PITCH(P_ADD_L(ORD, "AAPL", 100))}, .to = TO_B, .out = OUT_DUPLICATE},
		  {.f = {PITCH(P_EXEC(ORD, 30)), SEQ(1001)}, .to = TO_B, .out = OUT_NO_SOCKET,
		   .meta = P_META(0x1, 1)},
		  {.f = {PITCH(P_EXEC(ORD, 30)), SEQ(1001)}, .to = TO_A, .out = OUT_DUPLICATE}},
	.gstats = {{.frames_seen = 2, .frames_no_socket = 1, .frames_duplicate = 1,
		    .frames_first = 1, .msgs_walked = 2, .msgs_new = 1, .msgs_duplicate = 1,
		    .msgs_delivered = 1, .msgs_matched = 1, .orders_added = 1},
		   {.frames_seen = 2, .frames_no_socket = 1, .frames_duplicate = 1,
		    .frames_first = 1, .msgs_walked = 2, .msgs_new = 1, .msgs_duplicate = 1,
		    .msgs_delivered = 1, .msgs_matched = 1}},
	.sym = {{S_AAPL, 2, 0}},
	.orders_change = true,
	.orders_after = {ORDER_(ORD, AB_CH, "AAPL", 70, 1)},
	.win = {.check = true, .group = TO_A, .gen = 1, .pitch = true, .unit = 1, .high = 1002,
		.ranges = {{1000, 1001, FS_SEQ_DELIVERED}}},
    },
    {
	.desc = "PITCH A/B out of step: A loses 1001 (an AAPL add) and brings the execution 1002 "
		"first: the order is unknown and 1001 unsettled, so the program does not decide: "
		"delivered with FS_META_F_ORDERS_UNDECIDED and no match bit; B's 1001 adds the "
		"order, B's 1002 is a duplicate",
	.groups = PLINES,
	AAPL_SUB,
	.steps = {{.f = {PITCH(P_TIME)}, .to = TO_A, .out = OUT_NO_SOCKET, .meta = P_META(0x1, 1)},
		  {.f = {PITCH(P_EXEC(ORD, 30)), SEQ(1002)}, .to = TO_A, .out = OUT_NO_SOCKET,
		   .meta = P_META_F(0, 1, FS_META_F_ORDERS_UNDECIDED)},
		  {.f = {PITCH(P_ADD_L(ORD, "AAPL", 100)), SEQ(1001)}, .to = TO_B,
		   .out = OUT_NO_SOCKET, .meta = P_META(0x1, 1)},
		  {.f = {PITCH(P_EXEC(ORD, 30)), SEQ(1002)}, .to = TO_B, .out = OUT_DUPLICATE}},
	.gstats = {{.frames_seen = 2, .frames_no_socket = 2, .frames_first = 2, .msgs_walked = 2,
		    .msgs_new = 2, .msgs_delivered = 2, .msgs_matched = 1, .orders_unknown = 1},
		   {.frames_seen = 2, .frames_no_socket = 1, .frames_duplicate = 1,
		    .frames_first = 1, .msgs_walked = 2, .msgs_new = 1, .msgs_duplicate = 1,
		    .msgs_delivered = 1, .msgs_matched = 1, .orders_added = 1}},
	.sym = {{S_AAPL, 1, 0}},
	.orders_change = true,
	.orders_after = {ORDER_(ORD, AB_CH, "AAPL", 100, 1)},
	.win = {.check = true, .group = TO_A, .gen = 1, .pitch = true, .unit = 1, .high = 1003,
		.ranges = {{1000, 1002, FS_SEQ_DELIVERED}}},
    },
    {
	.desc = "PITCH: every sequence number before an unknown order's execution settled (one "
		"filtered, one delivered, from the session's first): filtered as before",
	.groups = {PA},
	AAPL_SUB,
	.steps = {{.f = {PITCH(P_ADD_S(ORD2, "MSFT", 5))}, .out = OUT_FILTERED},
		  {.f = {PITCH(P_TIME), SEQ(1001)}, .out = OUT_NO_SOCKET, .meta = P_META(0x1, 1)},
		  {.f = {PITCH(P_EXEC(ORD, 10)), SEQ(1002)}, .out = OUT_FILTERED}},
	.gstats = {{.frames_seen = 3, .frames_no_socket = 1, .frames_filtered = 2,
		    .frames_first = 3, .msgs_walked = 3, .msgs_new = 3, .msgs_delivered = 1,
		    .msgs_filtered = 2, .msgs_matched = 1, .orders_unknown = 1}},
	.win = P_WIN(1003, .ranges = {{1000, 1000, FS_SEQ_FILTERED},
				      {1001, 1001, FS_SEQ_DELIVERED},
				      {1002, 1002, FS_SEQ_FILTERED}}),
    },
    {
	.desc = "PITCH: an unknown order's execution after a hole (1001 unseen) within the "
		"lookback: undecided, delivered flagged; an add of the same frame is still matched",
	.groups = {PA},
	AAPL_SUB,
	.steps = {{.f = {PITCH(P_TIME)}, .out = OUT_NO_SOCKET, .meta = P_META(0x1, 1)},
		  {.f = {PITCH(P_ADD_S(ORD2, "AAPL", 5), P_DELETE(ORD)), SEQ(1002)},
		   .out = OUT_NO_SOCKET,
		   .meta = P_META_F(0x1, 2, FS_META_F_ORDERS_UNDECIDED)}},
	.gstats = {{.frames_seen = 2, .frames_no_socket = 2, .frames_first = 2, .msgs_walked = 3,
		    .msgs_new = 3, .msgs_delivered = 3, .msgs_matched = 2, .orders_added = 1,
		    .orders_unknown = 1}},
	.sym = {{S_AAPL, 1, 0}},
	.orders_change = true,
	.orders_after = {ORDER_(ORD2, GA_CH, "AAPL", 5, 1)},
	.win = P_WIN(1004, .ranges = {{1000, 1000, FS_SEQ_DELIVERED},
				      {1002, 1003, FS_SEQ_DELIVERED}}),
    },
    {
	.desc = "PITCH: the unit restarts at sequence 1 (a new session, named by its first "
		"message): an order remembered before is of the old generation, its execution "
		"filtered and the stale entry deleted",
	.groups = {PA},
	AAPL_SUB,
	.steps = {{.f = {PITCH(P_ADD_L(ORD, "AAPL", 100))}, .out = OUT_NO_SOCKET,
		   .meta = P_META(0x1, 1)},
		  {.f = {PITCH(P_TIME), SEQ(1)}, .out = OUT_NO_SOCKET, .meta = P_META(0x1, 1)},
		  {.f = {PITCH(P_EXEC(ORD, 10)), SEQ(2)}, .out = OUT_FILTERED}},
	.gstats = {{.frames_seen = 3, .frames_no_socket = 2, .frames_filtered = 1,
		    .frames_first = 3, .msgs_walked = 3, .msgs_new = 3, .msgs_delivered = 2,
		    .msgs_filtered = 1, .msgs_matched = 2, .sessions_reset = 1,
		    .orders_added = 1, .orders_unknown = 1}},
	.sym = {{S_AAPL, 1, 0}},
	.orders_change = true,
	.win = {.check = true, .group = 0, .gen = 2, .pitch = true, .first8 = time0_first8,
		.unit = 1, .high = 3,
		.ranges = {{1000, 1000, FS_SEQ_DELIVERED, 1}, {1, 1, FS_SEQ_DELIVERED},
			   {2, 2, FS_SEQ_FILTERED}}},
    },
    {
	.desc = "PITCH: the unit restarts and its packet 1 is lost: a packet near the start, more "
		"than half a window behind, starts a session all the same, counted in "
		"sessions_reset (as MDP3 and NYSE)",
	.groups = {PA},
	AAPL_SUB,
	.steps = {{.f = {PITCH(P_TIME), SEQ(40000)}, .out = OUT_NO_SOCKET, .meta = P_META(0x1, 1)},
		  {.f = {PITCH(P_TIME), SEQ(5)}, .out = OUT_NO_SOCKET, .meta = P_META(0x1, 1)}},
	.gstats = {{.frames_seen = 2, .frames_no_socket = 2, .frames_first = 2, .msgs_walked = 2,
		    .msgs_new = 2, .msgs_delivered = 2, .msgs_matched = 2, .sessions_reset = 1}},
    },
};

const size_t fx_rows_pitch_n = ARRAY_SIZE(fx_rows_pitch);

/* The length each type needs for what the program reads (symbol, Order ID, quantity), from the
 * specification's offsets; KIND: 0 order only, 1 symbol, 2 symbol and an order to remember. */
static const struct {
	__u8 type, min, kind;
} min_lens[] = {
    {PT_ADD_L, 25, 2},	  {PT_ADD_S, 23, 2},	{PT_ADD_X, 27, 2},     {PT_TRADE_L, 25, 1},
    {PT_TRADE_S, 23, 1},  {PT_TRADE_X, 27, 1},	{PT_STATUS, 14, 1},    {PT_AUCTION_U, 14, 1},
    {PT_AUCTION_S, 14, 1}, {PT_RPI, 14, 1},	{PT_EXEC, 18, 0},      {PT_EXEC_P, 22, 0},
    {PT_REDUCE_L, 18, 0}, {PT_REDUCE_S, 16, 0}, {PT_MODIFY_L, 18, 0}, {PT_MODIFY_S, 16, 0},
    {PT_DELETE, 14, 0},
};

size_t fx_rows_pitch_generated(struct row *out, size_t max)
{
	static struct fb_pitch_msg msgs[ARRAY_SIZE(min_lens)][2];
	size_t i, n = 0;

	for (i = 0; i < ARRAY_SIZE(min_lens) && n + 2 <= max; i++) {
		__u8 t = min_lens[i].type, min = min_lens[i].min;
		struct row *r;

		msgs[i][0] = (struct fb_pitch_msg)P_LEN(t, min - 1);
		msgs[i][1] = (struct fb_pitch_msg)P_LEN(t, min);
		r = &out[n++];
		*r = (struct row){.groups = {PA}, AAPL_SUB};
		r->desc = fx_fmt("PITCH: type 0x%02X with Length %u, one short of what is read: "
				 "malformed", t, min - 1);
		r->steps[0] = (struct step){.f = {.payload = FB_PITCH, .pitch = &msgs[i][0],
						  .n_pitch = 1},
					    .out = OUT_NO_SOCKET, .meta = P_META_MAL(0)};
		r->gstats[0] = (struct fs_counters){.frames_seen = 1, .frames_no_socket = 1,
						    .frames_malformed = 1};
		r = &out[n++];
		*r = (struct row){.groups = {PA}, AAPL_SUB};
		r->desc = fx_fmt("PITCH: type 0x%02X with Length %u, just what is read: %s", t, min,
				 min_lens[i].kind ? "AAPL's, delivered" : "an unknown order, filtered");
		r->steps[0] = (struct step){.f = {.payload = FB_PITCH, .pitch = &msgs[i][1],
						  .n_pitch = 1}};
		if (min_lens[i].kind) {
			r->steps[0].out = OUT_NO_SOCKET;
			r->steps[0].meta = (struct meta_expect)P_META(0x1, 1);
			r->gstats[0] = (struct fs_counters){
			    .frames_seen = 1, .frames_no_socket = 1, .frames_first = 1,
			    .msgs_walked = 1, .msgs_new = 1, .msgs_delivered = 1, .msgs_matched = 1,
			    .orders_added = min_lens[i].kind == 2};
			r->sym[0] = (struct sym_spec){S_AAPL, 1, 0};
			if (min_lens[i].kind == 2) {
				r->orders_change = true;
				r->orders_after[0] = (struct order_spec)ORD_AAPL(0);
			}
		} else {
			r->steps[0].out = OUT_FILTERED;
			r->gstats[0] = (struct fs_counters){
			    .frames_seen = 1, .frames_filtered = 1, .frames_first = 1,
			    .msgs_walked = 1, .msgs_new = 1, .msgs_filtered = 1, .orders_unknown = 1};
		}
	}
	return n;
}
