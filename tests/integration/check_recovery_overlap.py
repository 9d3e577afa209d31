#!/usr/bin/env python3
"""Check the overlap case of gap recovery: a hole asked as one request, a live copy of its
middle packet arriving after the request and before the answer (overlap_replay.py's plan).

From the plan and feedgen's --log alone: the scenario happened as meant (the first request asks
the whole hole, the middle copy left after it, the first answer spans the whole hole and left
after the middle copy), so the answer overlaps a live frame already held. Then the consumer must
deliver every subscribed message once and in order, the middle packet's unmarked (they came
live), the rest of the hole's marked retransmitted; one {"recovery"} {hole, filled: all}, no
gap; the channel's counters agree (recovery_filled the hole, recovery_unfilled, gaps and
msgs_lost 0, msgs_delivered the messages printed).
"""
import argparse
import json
import sys

from feedcheck import failed, load_jsonl, runs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sent", required=True, help="feedgen --log of the replayed pcap")
    ap.add_argument("--plan", required=True, help="overlap_replay.py --plan")
    ap.add_argument("--got", required=True, help="consume --json")
    ap.add_argument("--stats", required=True, help="stats --json")
    ap.add_argument("--channel", required=True)
    ap.add_argument("--symbols", nargs="+", required=True)
    a = ap.parse_args()

    symbols = set(a.symbols)
    wanted = [m["seq"] for m in load_jsonl(a.sent) if m.get("symbol") in symbols]
    plan = json.load(open(a.plan))
    got = load_jsonl(a.got)
    stats = json.load(open(a.stats))
    errors = []

    hole_from, hole_count = plan["hole"]
    hole = set(range(hole_from, hole_from + hole_count))
    mid_from, mid_count = plan["middle"]
    middle = set(range(mid_from, mid_from + mid_count))
    reqs, answers = plan["requests"], plan["answers"]
    # --- the scenario, or the test proves nothing
    if not reqs or (reqs[0]["from"], reqs[0]["count"]) != (hole_from, hole_count):
        errors.append(f"first request {reqs[:1]}, want the whole hole {hole_from}+{hole_count}")
    if plan["middle_sent"] is None:
        errors.append("the middle packet's live copy was never sent")
    if not answers or (answers[0]["from"], answers[0]["count"]) != (hole_from, hole_count):
        errors.append(f"first answer {answers[:1]}, want the whole hole {hole_from}+"
                      f"{hole_count} in one packet")
    elif plan["middle_sent"] is not None and answers[0]["ms"] <= plan["middle_sent"]:
        errors.append("the answer left before the middle copy: no overlap")
    if not (middle & set(wanted)) or not ((hole - middle) & set(wanted)):
        errors.append("no subscribed message in the middle packet or in the rest of the hole")
    if errors:
        return failed(["scenario: " + e for e in errors])

    # --- the consumer
    def mine(o, key):
        return key in o and o[key].get("channel") == a.channel

    msgs = [o for o in got if "seq" in o and o.get("channel") == a.channel]
    seqs = [m["seq"] for m in msgs]
    if seqs != wanted:
        missing = sorted(set(wanted) - set(seqs))
        dups = sorted({s for s in seqs if seqs.count(s) > 1})
        errors.append(f"delivered {len(seqs)} messages, want {len(wanted)} once and in order; "
                      f"missing {runs(set(missing))[:6]}, twice {dups[:6]}, in order "
                      f"{seqs == sorted(seqs)}")
    late = [m["seq"] for m in msgs if m.get("late")]
    if late:
        errors.append(f"messages marked late: {late[:10]}")
    marked = {m["seq"] for m in msgs if m.get("retransmitted")}
    want_marked = (hole - middle) & set(wanted)
    if marked != want_marked:
        errors.append(f"retransmitted marks on {runs(marked)}, want on {runs(want_marked)} (the "
                      f"hole but its middle packet, which came live)")
    recs = [(o["recovery"]["from"], o["recovery"]["count"], o["recovery"]["filled"])
            for o in got if mine(o, "recovery")]
    if recs != [(hole_from, hole_count, hole_count)]:
        errors.append(f"recovery events {recs}, want [({hole_from}, {hole_count}, "
                      f"{hole_count})]")
    gaps = [(o["gap"]["from"], o["gap"]["count"]) for o in got if mine(o, "gap")]
    if gaps:
        errors.append(f"gap events {gaps}, want none")
    chan = next((c for c in stats["channels"] if c["channel"] == a.channel), None)
    if chan is None:
        errors.append(f"channel {a.channel} missing from stats")
    else:
        want = {"recovery_ranges": 1, "recovery_filled": hole_count, "recovery_unfilled": 0,
                "recovery_requests": len(reqs), "gaps": 0, "msgs_lost": 0,
                "msgs_delivered": len(msgs)}
        for k, v in want.items():
            if chan["events"].get(k) != v:
                errors.append(f"channel counter {k} {chan['events'].get(k)}, want {v}")
    if errors:
        return failed(errors)
    print(f"ok: hole {hole_from}+{hole_count} asked at {reqs[0]['ms']} ms, middle "
          f"{mid_from}+{mid_count} live at {plan['middle_sent']} ms, answered at "
          f"{answers[0]['ms']} ms: {len(seqs)} messages once and in order, "
          f"{len(marked)} retransmitted, recovery filled {hole_count}/{hole_count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
