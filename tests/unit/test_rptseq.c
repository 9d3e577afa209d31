// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The per-instrument RptSeq state machine of MDP3 recovery (user/lib/rptseq.c): which updates
 * are handed over, dropped or held, which instruments a packet gap touched, and which snapshot
 * an instrument takes. Pure logic: no consumer, no frames.
 */
#include <criterion/criterion.h>

#include "rptseq.h"

#define ES 170506
#define NQ 42001
#define CL (-7)

static struct fsi_rpt_chan c;

static void setup(void)
{
	memset(&c, 0, sizeof(c));
	fsi_rpt__reset(&c, false);
}

static void teardown(void)
{
	fsi_rpt__free(&c);
}

TestSuite(rptseq, .init = setup, .fini = teardown);

/* Hand over updates of ID from RPT to LAST, each expected to be VERDICT. */
static void run(__s32 id, __u32 from, __u32 to, enum fsi_rpt_verdict want)
{
	__u32 r;

	for (r = from; r <= to; r++)
		cr_assert_eq(fsi_rpt__entry(&c, id, r, true, NULL), want, "id %d rpt %u", id, r);
}

Test(rptseq, live_updates_flow_and_covered_ones_are_dropped)
{
	run(ES, 5, 9, FSI_RPT_DELIVER); /* joined mid-session: the first update is where it stands */
	cr_assert_eq(fsi_rpt__entry(&c, ES, 9, true, NULL), FSI_RPT_DROP);
	cr_assert_eq(fsi_rpt__entry(&c, ES, 3, true, NULL), FSI_RPT_DROP);
	cr_assert_eq(fsi_rpt__state(&c, ES), FSI_RPT_LIVE);
	cr_assert_eq(c.nwaiting, 0);
}

Test(rptseq, a_gap_makes_instruments_pending_their_next_update_decides)
{
	int newly;

	run(ES, 1, 4, FSI_RPT_DELIVER);
	run(NQ, 1, 2, FSI_RPT_DELIVER);
	fsi_rpt__gap(&c, 100, 3); /* packets 100..102 lost */
	cr_assert_eq(fsi_rpt__state(&c, ES), FSI_RPT_PENDING);
	cr_assert_eq(fsi_rpt__state(&c, NQ), FSI_RPT_PENDING);
	/* ES continues at 5: it lost nothing, and flows at once. */
	cr_assert_eq(fsi_rpt__peek(&c, ES, 5, 102), 0);
	cr_assert_eq(fsi_rpt__entry(&c, ES, 5, true, &newly), FSI_RPT_DELIVER);
	cr_assert_eq(newly, 0);
	cr_assert_eq(fsi_rpt__state(&c, ES), FSI_RPT_LIVE);
	/* NQ jumps from 2 to 5: 3 and 4 were in the lost packets. */
	cr_assert_eq(fsi_rpt__peek(&c, NQ, 5, 102), 1);
	cr_assert_eq(fsi_rpt__state(&c, NQ), FSI_RPT_PENDING, "peek changes nothing");
	cr_assert_eq(fsi_rpt__entry(&c, NQ, 5, true, &newly), FSI_RPT_HOLD);
	cr_assert_eq(newly, 1);
	cr_assert_eq(fsi_rpt__state(&c, NQ), FSI_RPT_WAITING);
	cr_assert_eq(c.nwaiting, 1);
	/* A waiting instrument's updates are all held, a decided one's are not decided again. */
	run(NQ, 6, 8, FSI_RPT_HOLD);
	cr_assert_eq(fsi_rpt__entry(&c, ES, 6, true, &newly), FSI_RPT_DELIVER);
	cr_assert_eq(newly, -1);
}

Test(rptseq, without_a_snapshot_group_an_affected_instrument_flows_on)
{
	int newly;

	run(ES, 1, 4, FSI_RPT_DELIVER);
	fsi_rpt__gap(&c, 10, 1);
	cr_assert_eq(fsi_rpt__entry(&c, ES, 7, false, &newly), FSI_RPT_DELIVER);
	cr_assert_eq(newly, 1, "still known affected");
	cr_assert_eq(fsi_rpt__state(&c, ES), FSI_RPT_LIVE);
	cr_assert_eq(c.nwaiting, 0);
	cr_assert_eq(fsi_rpt__entry(&c, ES, 8, false, NULL), FSI_RPT_DELIVER);
}

Test(rptseq, the_snapshot_must_reflect_the_gap_then_held_updates_above_it_follow)
{
	run(ES, 1, 4, FSI_RPT_DELIVER);
	fsi_rpt__gap(&c, 100, 3);
	run(ES, 7, 9, FSI_RPT_HOLD); /* 5 and 6 were lost */
	/* A snapshot from before the lost packets (loop position 101) cannot be used. */
	cr_assert_eq(fsi_rpt__snapshot(&c, ES, 6, 101), FSI_SNAP_IGNORE);
	cr_assert_eq(fsi_rpt__state(&c, ES), FSI_RPT_WAITING);
	/* As of packet 104: RptSeq 8. 7 and 8 (held) are in it, 9 (held) follows it. */
	cr_assert_eq(fsi_rpt__snapshot(&c, ES, 8, 104), FSI_SNAP_APPLY);
	cr_assert_eq(fsi_rpt__state(&c, ES), FSI_RPT_LIVE);
	cr_assert_eq(c.nwaiting, 0);
	cr_assert_eq(fsi_rpt__entry(&c, ES, 7, true, NULL), FSI_RPT_DROP);
	cr_assert_eq(fsi_rpt__entry(&c, ES, 8, true, NULL), FSI_RPT_DROP);
	run(ES, 9, 12, FSI_RPT_DELIVER);
	/* A later copy of the loop changes nothing. */
	cr_assert_eq(fsi_rpt__snapshot(&c, ES, 12, 200), FSI_SNAP_IGNORE);
}

Test(rptseq, updates_the_snapshot_covered_that_come_after_it_are_dropped)
{
	/* The snapshot loop may run ahead of the incrementals handed over: what it covered and
	 * arrives afterwards is not handed over again. */
	run(ES, 1, 2, FSI_RPT_DELIVER);
	fsi_rpt__gap(&c, 50, 1);
	run(ES, 4, 4, FSI_RPT_HOLD);
	cr_assert_eq(fsi_rpt__snapshot(&c, ES, 9, 60), FSI_SNAP_APPLY);
	run(ES, 4, 9, FSI_RPT_DROP);
	run(ES, 10, 10, FSI_RPT_DELIVER);
}

Test(rptseq, an_instrument_pending_since_an_earlier_gap_is_not_put_on_the_later_one)
{
	run(ES, 1, 4, FSI_RPT_DELIVER);
	run(NQ, 1, 2, FSI_RPT_DELIVER);
	fsi_rpt__gap(&c, 10, 1);
	fsi_rpt__gap(&c, 20, 2);
	/* ES had no update between the gaps: which of them took update 5 cannot be told. */
	cr_assert_eq(fsi_rpt__peek(&c, ES, 6, 21), -1);
	cr_assert_eq(fsi_rpt__peek(&c, ES, 6, 10), 1, "it is pending since the first");
	cr_assert_eq(fsi_rpt__entry(&c, ES, 6, true, NULL), FSI_RPT_HOLD, "still affected");
	/* NQ, live again between the gaps, is pending since the second. */
	cr_assert_eq(fsi_rpt__entry(&c, NQ, 3, true, NULL), FSI_RPT_DELIVER);
	fsi_rpt__gap(&c, 30, 1);
	cr_assert_eq(fsi_rpt__peek(&c, NQ, 5, 30), 1);
	cr_assert_eq(fsi_rpt__peek(&c, NQ, 5, 21), -1);
}

Test(rptseq, a_second_gap_while_waiting_needs_a_later_snapshot)
{
	run(ES, 1, 4, FSI_RPT_DELIVER);
	fsi_rpt__gap(&c, 100, 1);
	run(ES, 6, 6, FSI_RPT_HOLD);
	fsi_rpt__gap(&c, 120, 2);
	cr_assert_eq(fsi_rpt__state(&c, ES), FSI_RPT_WAITING);
	cr_assert_eq(fsi_rpt__snapshot(&c, ES, 7, 110), FSI_SNAP_IGNORE, "before the 2nd gap");
	cr_assert_eq(fsi_rpt__snapshot(&c, ES, 9, 121), FSI_SNAP_APPLY);
}

Test(rptseq, a_snapshot_decides_a_pending_instrument_that_had_no_update)
{
	run(ES, 1, 4, FSI_RPT_DELIVER);
	run(NQ, 1, 2, FSI_RPT_DELIVER);
	run(CL, 1, 1, FSI_RPT_DELIVER);
	fsi_rpt__gap(&c, 30, 1);
	/* ES: the snapshot at or past the gap says 4: nothing lost. */
	cr_assert_eq(fsi_rpt__snapshot(&c, ES, 4, 30), FSI_SNAP_UNAFFECTED);
	cr_assert_eq(fsi_rpt__state(&c, ES), FSI_RPT_LIVE);
	run(ES, 5, 5, FSI_RPT_DELIVER);
	/* NQ: the snapshot says 3: update 3 was lost; the snapshot is handed over. */
	cr_assert_eq(fsi_rpt__snapshot(&c, NQ, 3, 31), FSI_SNAP_APPLY);
	run(NQ, 4, 4, FSI_RPT_DELIVER);
	/* CL: a snapshot older than the gap decides nothing. */
	cr_assert_eq(fsi_rpt__snapshot(&c, CL, 5, 29), FSI_SNAP_IGNORE);
	cr_assert_eq(fsi_rpt__state(&c, CL), FSI_RPT_PENDING);
	cr_assert_eq(c.nwaiting, 0);
}

Test(rptseq, live_instruments_ignore_snapshots)
{
	run(ES, 1, 4, FSI_RPT_DELIVER);
	cr_assert_eq(fsi_rpt__snapshot(&c, ES, 9, 1000), FSI_SNAP_IGNORE);
	run(ES, 5, 5, FSI_RPT_DELIVER);
}

Test(rptseq, seen_from_the_session_start_an_unseen_instrument_stands_at_zero)
{
	fsi_rpt__reset(&c, true);
	cr_assert_eq(fsi_rpt__state(&c, ES), FSI_RPT_LIVE);
	run(NQ, 1, 3, FSI_RPT_DELIVER);
	fsi_rpt__gap(&c, 8, 1);
	/* ES had no update before the gap: the gap decides it from RptSeq 0. */
	cr_assert_eq(fsi_rpt__state(&c, ES), FSI_RPT_PENDING);
	cr_assert_eq(fsi_rpt__peek(&c, ES, 1, 8), 0);
	cr_assert_eq(fsi_rpt__peek(&c, ES, 2, 8), 1);
	cr_assert_eq(fsi_rpt__entry(&c, ES, 2, true, NULL), FSI_RPT_HOLD);
	/* CL, never updated: its snapshot (RptSeq 0) says it lost nothing. */
	cr_assert_eq(fsi_rpt__snapshot(&c, CL, 0, 8), FSI_SNAP_UNAFFECTED);
	cr_assert_eq(fsi_rpt__entry(&c, CL, 1, true, NULL), FSI_RPT_DELIVER);
}

Test(rptseq, joined_mid_session_an_unseen_instrument_starts_where_its_first_update_is)
{
	run(NQ, 1, 3, FSI_RPT_DELIVER);
	fsi_rpt__gap(&c, 8, 1);
	cr_assert_eq(fsi_rpt__peek(&c, ES, 40, 8), -1, "nothing to compare with");
	cr_assert_eq(fsi_rpt__entry(&c, ES, 40, true, NULL), FSI_RPT_DELIVER);
	cr_assert_eq(fsi_rpt__snapshot(&c, CL, 3, 9), FSI_SNAP_IGNORE);
	cr_assert_eq(c.nwaiting, 0);
}

Test(rptseq, a_new_session_forgets_everything)
{
	run(ES, 1, 4, FSI_RPT_DELIVER);
	fsi_rpt__gap(&c, 5, 1);
	run(ES, 6, 6, FSI_RPT_HOLD);
	fsi_rpt__reset(&c, true);
	cr_assert_eq(c.nwaiting, 0);
	cr_assert_eq(fsi_rpt__state(&c, ES), FSI_RPT_LIVE);
	run(ES, 1, 2, FSI_RPT_DELIVER);
}

Test(rptseq, an_instrument_that_gives_up_flows_on_from_its_held_updates)
{
	run(ES, 1, 4, FSI_RPT_DELIVER);
	fsi_rpt__gap(&c, 5, 1);
	run(ES, 7, 8, FSI_RPT_HOLD);
	fsi_rpt__abandon(&c, ES, 6);
	cr_assert_eq(c.nwaiting, 0);
	run(ES, 7, 9, FSI_RPT_DELIVER);
}

Test(rptseq, many_instruments_keep_their_own_state)
{
	__s32 id;

	for (id = 1; id <= 5000; id++)
		run(id * 7, 1, (__u32)(id % 3) + 1, FSI_RPT_DELIVER);
	fsi_rpt__gap(&c, 77, 1);
	for (id = 1; id <= 5000; id++) {
		__u32 last = (__u32)(id % 3) + 1;

		cr_assert_eq(fsi_rpt__entry(&c, id * 7, last + 1 + (id % 2), true, NULL),
			     id % 2 ? FSI_RPT_HOLD : FSI_RPT_DELIVER, "id %d", id * 7);
	}
	cr_assert_eq(c.nwaiting, 2500);
	cr_assert_eq(c.n, 5000);
}

Test(rptseq, a_forgotten_instrument_stops_waiting_at_what_was_handed_over)
{
	__s32 ids[4];

	run(ES, 1, 4, FSI_RPT_DELIVER);
	run(NQ, 1, 2, FSI_RPT_DELIVER);
	fsi_rpt__gap(&c, 10, 1);
	cr_assert_eq(fsi_rpt__entry(&c, NQ, 5, true, NULL), FSI_RPT_HOLD);
	cr_assert_eq(fsi_rpt__waiting(&c, ids, 4), 1);
	cr_assert_eq(ids[0], NQ);
	fsi_rpt__forget(&c, ES); /* not waiting: nothing changes */
	cr_assert_eq(fsi_rpt__state(&c, ES), FSI_RPT_PENDING);
	fsi_rpt__forget(&c, NQ);
	cr_assert_eq(c.nwaiting, 0);
	cr_assert_eq(fsi_rpt__waiting(&c, ids, 4), 0);
	/* Live at 2: a later update is where it stands, an old one covered. */
	cr_assert_eq(fsi_rpt__entry(&c, NQ, 2, true, NULL), FSI_RPT_DROP);
	cr_assert_eq(fsi_rpt__entry(&c, NQ, 9, true, NULL), FSI_RPT_DELIVER);
}
