#!/usr/bin/env python3
"""Check one channel of a gap recovery run against what feedgen lost, was asked and served.

Inputs: feedgen's --log (every message: seq -> symbol), its --loss-log (the packets each line
lost, the re-requests it took, the answers it sent and the late copies, in feedgen's clock: ms
since the first packet), the consumer's --json output, `stats --json`, and the consumer's
deadline and grace time.

From feedgen's log alone: the holes are the maximal runs of sequence numbers lost on both lines;
a number is filled when an answer carrying it left the server within the deadline of its hole
(counted from the first request for the hole, plus the grace time the consumer waited before
asking); every other number of a hole must be reported as a gap. So, for the channel:
- every subscribed message not left unfilled is delivered exactly once, in order; those of holes
  marked "retransmitted":true, the others not; an unfilled one may only come afterwards, marked
  late (an answer after the deadline);
- no message of another symbol is delivered, although answers carried such messages;
- exactly one {"recovery"} per hole, {from, count} the hole, filled as computed;
- exactly one {"gap"} per maximal run of unfilled numbers, and no other;
- each event where its numbers are in the stream: a gap after every in-time message below it,
  before every one above it and before its hole's recovery event; a recovery event after every
  in-time message of its hole and below it (docs/integrity.md: it comes when `next` passes the
  hole); a hole that left numbers to a gap ends no earlier than the deadline (its "ms" runs
  from when the hole was seen, as the deadline does);
- the channel's counters agree: recovery_ranges, recovery_filled, recovery_unfilled with the
  events, recovery_requests with the requests feedgen took, gaps and msgs_lost with the gaps,
  msgs_delivered with the messages printed;
- with --late-copies: every late live copy left feedgen after the answer that filled it, and
  the lines counted it a duplicate (frames_duplicate of A + B >= one per message packet sent on
  both lines + one per late copy; more only if an answer came twice).
"""
import argparse
import bisect
import json
import re
import sys

from feedcheck import failed, load_jsonl, runs

# feedgen's ITCH session ends with one heartbeat (no --end-session here): sent on both lines, it
# carries no message, so the lines count it a heartbeat, never a duplicate.
CLOSING_HEARTBEATS = 1


def misplaced(got, channel, deadline_ms):
    """The channel's gap and recovery events out of place among its in-time messages (GOT in
    output order), and recovery events with unfilled numbers that ended before the deadline."""
    seqs, where, gaps, recs, errors = [], [], [], [], []
    for i, o in enumerate(got):
        if "seq" in o and o.get("channel") == channel and not o.get("late"):
            seqs.append(o["seq"])
            where.append(i)
        for key, out in (("gap", gaps), ("recovery", recs)):
            if key in o and o[key].get("channel") == channel:
                out.append((o[key]["from"], o[key]["count"], i, o[key]))
    if seqs != sorted(seqs):
        return errors  # reported as out of order already

    def last_below(n):  # output index of the last in-time message below N, or -1
        k = bisect.bisect_left(seqs, n)
        return where[k - 1] if k else -1

    def first_from(n):  # output index of the first in-time message from N on, or len(got)
        k = bisect.bisect_left(seqs, n)
        return where[k] if k < len(seqs) else len(got)

    for f, c, i, _ in gaps:
        if not last_below(f) < i < first_from(f + c):
            errors.append(f"gap {f}+{c} out of place among the messages (output line {i + 1})")
        rec = [j for rf, rc, j, _ in recs if rf <= f < rf + rc]
        if rec and rec[0] < i:
            errors.append(f"gap {f}+{c} after its hole's recovery event")
    for f, c, i, r in recs:
        if last_below(f + c) > i:
            errors.append(f"recovery {f}+{c} before messages of its hole or below it "
                          f"(output line {i + 1})")
        if r["filled"] < c and r["ms"] < deadline_ms - 1:
            errors.append(f"recovery {f}+{c} left {c - r['filled']} numbers to a gap after "
                          f"{r['ms']} ms, before the {deadline_ms:g} ms deadline")
    return errors


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sent", required=True, help="feedgen --log")
    ap.add_argument("--losses", required=True, help="feedgen --loss-log")
    ap.add_argument("--feedgen-err", required=True, help="feedgen's stderr (packets sent)")
    ap.add_argument("--got", required=True, help="consume --json")
    ap.add_argument("--stats", required=True, help="stats --json")
    ap.add_argument("--channel", required=True)
    ap.add_argument("--symbols", nargs="+", required=True)
    ap.add_argument("--deadline-ms", type=float, required=True)
    ap.add_argument("--grace-ms", type=float, required=True)
    ap.add_argument("--late-copies", action="store_true",
                    help="feedgen ran with --late-copy-ms")
    ap.add_argument("--expect", choices=["filled", "unfilled", "mixed"], required=True,
                    help="what the scenario must produce, so that it cannot pass vacuously")
    a = ap.parse_args()

    symbol_of = {m["seq"]: m.get("symbol") for m in load_jsonl(a.sent)}
    log = load_jsonl(a.losses)
    got = load_jsonl(a.got)
    stats = json.load(open(a.stats))
    symbols = set(a.symbols)
    errors = []

    # --- what feedgen did
    both = set()
    lost_packets = 0
    for e in log:
        if "lost" in e:
            lost_packets += 1
            if e["lost"] == "both":
                both.update(range(e["seq"], e["seq"] + e["count"]))
    holes = runs(both)
    hole_of = {s: h for h in holes for s in range(h[0], h[0] + h[1])}
    requests = [e["request"] for e in log if "request" in e]
    served = [e["served"] for e in log if "served" in e]
    late_copies = [e["late_copy"] for e in log if "late_copy" in e]
    first_req = {}
    for r in requests:
        h = hole_of.get(r.get("from"))
        if h and h not in first_req:
            first_req[h] = r["ms"]
    filled, filled_at, borderline = set(), {}, []
    for sv in served:
        h = hole_of.get(sv["from"])
        if h is None:
            continue  # an answer for a number no line lost: a live copy was slow, not the server
        waited = sv["ms"] - first_req[h] + a.grace_ms
        if abs(waited - a.deadline_ms) < 0.25 * a.deadline_ms:
            borderline.append((sv["from"], round(waited, 1)))
        if waited < a.deadline_ms:
            for s in range(sv["from"], sv["from"] + sv["count"]):
                if s not in filled:
                    filled.add(s)
                    filled_at[s] = sv["ms"]
    if borderline:
        errors.append(f"answers too close to the deadline to tell in time or not (seq, ms "
                      f"waited): {borderline[:5]}: the scenario's delays are wrong for it")
    unfilled = both - filled
    if not holes:
        errors.append("feedgen lost no packet on both lines: nothing to recover")
    if a.expect == "filled" and unfilled:
        errors.append(f"the scenario expects every hole filled, feedgen's log leaves "
                      f"{runs(unfilled)[:5]} unfilled")
    if a.expect == "unfilled" and filled:
        errors.append(f"the scenario expects nothing filled in time, feedgen served "
                      f"{runs(filled)[:5]}")
    if a.expect == "mixed" and not (filled and unfilled):
        errors.append(f"the scenario expects holes partly filled: filled {runs(filled)[:5]}, "
                      f"unfilled {runs(unfilled)[:5]}")
    served_other = {s for sv in served for s in range(sv["from"], sv["from"] + sv["count"])
                    if symbol_of.get(s) not in symbols}
    if a.expect != "unfilled" and not served_other:
        errors.append("no answer carried a message of an unsubscribed symbol: the filter on "
                      "answers is not exercised")

    # --- what the consumer printed for this channel
    def mine(o, key):
        return key in o and o[key].get("channel") == a.channel

    msgs = [o for o in got if "seq" in o and o.get("channel") == a.channel]
    gaps = sorted((o["gap"]["from"], o["gap"]["count"]) for o in got if mine(o, "gap"))
    recs = sorted((o["recovery"]["from"], o["recovery"]["count"], o["recovery"]["filled"])
                  for o in got if mine(o, "recovery"))
    rec_ms = [o["recovery"]["ms"] for o in got if mine(o, "recovery")]

    wanted = {s for s, sym in symbol_of.items() if sym in symbols}
    seqs = [m["seq"] for m in msgs]
    dups = sorted({s for s in seqs if seqs.count(s) > 1})
    if dups:
        errors.append(f"delivered more than once: {dups[:10]}")
    on_time = [m for m in msgs if not m.get("late")]
    late = [m for m in msgs if m.get("late")]
    missing = sorted(wanted - unfilled - {m["seq"] for m in on_time})
    if missing:
        errors.append(f"{len(missing)} subscribed messages not delivered in time: {missing[:10]}")
    ghost = sorted({m["seq"] for m in on_time} & unfilled)
    if ghost:
        errors.append(f"delivered in time although the server did not serve them in time: "
                      f"{ghost[:10]}")
    bad_late = [m["seq"] for m in late if m["seq"] not in unfilled or not m.get("retransmitted")]
    if bad_late:
        errors.append(f"late messages outside the unfilled numbers or not retransmitted: "
                      f"{bad_late[:10]}")
    other = [m for m in msgs if m.get("symbol") not in symbols]
    if other:
        errors.append(f"{len(other)} messages of unsubscribed symbols delivered, first {other[0]}")
    order = [m["seq"] for m in on_time]
    if order != sorted(order):
        bad = next(i for i in range(1, len(order)) if order[i] < order[i - 1])
        errors.append(f"out of order at {order[bad - 1]} -> {order[bad]}")
    marked = {m["seq"] for m in on_time if m.get("retransmitted")}
    if marked != wanted & filled:
        errors.append(f"retransmitted marks on {runs(marked)[:6]}, want on the filled "
                      f"subscribed {runs(wanted & filled)[:6]}")

    want_recs = sorted((f, c, len(filled & set(range(f, f + c)))) for f, c in holes)
    if recs != want_recs:
        errors.append(f"recovery events {recs[:8]} (from, count, filled), want exactly "
                      f"{want_recs[:8]}")
    want_gaps = runs(unfilled)
    if gaps != want_gaps:
        errors.append(f"gap events {gaps[:8]}, want exactly {want_gaps[:8]}")

    errors += misplaced(got, a.channel, a.deadline_ms)

    chan = next((c for c in stats["channels"] if c["channel"] == a.channel), None)
    if chan is None:
        errors.append(f"channel {a.channel} missing from stats")
    else:
        ev = chan["events"]
        want = {
            "recovery_ranges": len(want_recs),
            "recovery_filled": len(filled),
            "recovery_unfilled": len(unfilled),
            "recovery_requests": len(requests),
            "gaps": len(want_gaps),
            "msgs_lost": len(unfilled),
            "msgs_delivered": len(msgs),
        }
        for k, v in want.items():
            if ev.get(k) != v:
                errors.append(f"channel counter {k} {ev.get(k)}, want {v}")
        if a.late_copies:
            total = int(re.search(r"feedgen: (\d+) packets", open(a.feedgen_err).read()).group(1))
            dup = sum(l["counters"]["frames_duplicate"] for l in chan["lines"])
            on_both = total - lost_packets - CLOSING_HEARTBEATS
            if dup < on_both + len(late_copies):
                errors.append(f"frames_duplicate A+B {dup}, want at least {on_both} (message "
                              f"packets on both lines) + {len(late_copies)} (late copies)")
    if a.late_copies:
        if not late_copies:
            errors.append("feedgen sent no late copy")
        early = [c["seq"] for c in late_copies
                 if any(s not in filled_at or filled_at[s] >= c["ms"]
                        for s in range(c["seq"], c["seq"] + c["count"]))]
        if early:
            errors.append(f"late copies of {early[:5]} left before the answers that filled "
                          f"them: the test proves nothing about them")

    if errors:
        return failed(errors)
    rec_ms.sort()
    print(f"ok: {a.channel}: {len(holes)} holes ({len(both)} numbers lost on both lines), "
          f"{len(filled)} filled, {len(unfilled)} reported in {len(want_gaps)} gaps; "
          f"{len(msgs)} messages delivered once and in order, {len(marked)} retransmitted"
          f"{f', {len(late)} late' if late else ''}; {len(requests)} requests, "
          f"{len(served)} answers ({len(served_other)} unsubscribed messages in them, none "
          f"delivered)"
          f"{f'; {len(late_copies)} late copies dropped' if a.late_copies else ''}; "
          f"recovery ms {rec_ms[0] if rec_ms else '-'}..{rec_ms[-1] if rec_ms else '-'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
