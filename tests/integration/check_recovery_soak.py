#!/usr/bin/env python3
"""Check a gap recovery soak and print its figures.

Inputs: feedgen's --log restricted to the subscribed symbols, its --loss-log (losses per line,
the re-requests it took, the answers it sent), the consumer's --json output, `stats --json` and
feedgen's stderr. Must hold: no gap event and no unfilled number; one recovery event per hole
(maximal run of numbers lost on both lines), filled == count; every subscribed message delivered
exactly once and in order, those of holes marked retransmitted; the channel's recovery counters
equal to the events, recovery_requests to the requests feedgen logged.

Prints `recovery-soak: {...}` (one JSON object on one line): the conditions (seconds, rate asked
and rate_achieved by feedgen, loss_pct, grace_ms and deadline_ms of the consumer, cpus,
loadavg_1m at the start and the end), packets, both_lost_packets, holes, msgs_recovered, gaps,
unfilled, requests, requests_per_recovered_msg, requests_per_hole, and the recovery latency:
latency_samples (recovery events), latency_ms_p50, _p90, _p99, _max. The latency is the events'
ms: from when the hole was seen to when the consumer passed it, the grace time included.
"""
import argparse
import json
import os
import re
import sys

from feedcheck import failed, load_jsonl, runs


def percentile(sorted_vals, p):
    """Nearest rank: the smallest value with at least p % of the values at or below it."""
    if not sorted_vals:
        return None
    k = max(1, -(-len(sorted_vals) * p // 100))
    return sorted_vals[int(k) - 1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sent", required=True)
    ap.add_argument("--losses", required=True)
    ap.add_argument("--got", required=True)
    ap.add_argument("--stats", required=True)
    ap.add_argument("--feedgen-err", required=True)
    ap.add_argument("--channel", required=True)
    ap.add_argument("--seconds", type=float, required=True)
    ap.add_argument("--rate", type=int, required=True)
    ap.add_argument("--loss-pct", type=float, required=True)
    ap.add_argument("--grace-ms", type=float, required=True)
    ap.add_argument("--deadline-ms", type=float, required=True)
    ap.add_argument("--load", type=float, nargs=2, required=True, metavar=("START", "END"),
                    help="1 min load average at the start and the end of the traffic")
    a = ap.parse_args()

    wanted = [m["seq"] for m in load_jsonl(a.sent)]
    log = load_jsonl(a.losses)
    both, both_packets = set(), 0
    for e in log:
        if e.get("lost") == "both":
            both_packets += 1
            both.update(range(e["seq"], e["seq"] + e["count"]))
    holes = runs(both)
    requests = sum(1 for e in log if "request" in e)
    summary = re.search(r"feedgen: (\d+) packets, .* \((\d+) packets/s\)",
                        open(a.feedgen_err).read())
    packets, achieved = int(summary.group(1)), int(summary.group(2))
    got = load_jsonl(a.got)
    mine = [o for o in got if o.get("channel") == a.channel and "seq" in o]
    gaps = [o["gap"] for o in got if "gap" in o]
    recs = [o["recovery"] for o in got if "recovery" in o]
    stats = json.load(open(a.stats))
    errors = []

    if not holes:
        errors.append("feedgen lost no packet on both lines: nothing was recovered")
    if gaps:
        errors.append(f"{len(gaps)} gap events (unrecovered), first {gaps[:3]}")
    seqs = [m["seq"] for m in mine]
    if len(seqs) != len(set(seqs)):
        errors.append(f"{len(seqs) - len(set(seqs))} messages delivered twice")
    if seqs != sorted(seqs):
        errors.append("delivered out of order")
    if seqs != wanted:
        missing = sorted(set(wanted) - set(seqs))
        errors.append(f"delivered {len(seqs)} subscribed messages, feedgen sent {len(wanted)}; "
                      f"missing {missing[:10]}")
    marked = {m["seq"] for m in mine if m.get("retransmitted")}
    if marked != set(wanted) & both:
        errors.append(f"retransmitted marks on {len(marked)} messages, want the "
                      f"{len(set(wanted) & both)} subscribed ones of holes")
    got_recs = sorted((r["from"], r["count"], r["filled"]) for r in recs)
    want_recs = sorted((f, c, c) for f, c in holes)
    if got_recs != want_recs:
        errors.append(f"recovery events {got_recs[:6]}, want one per hole, filled: "
                      f"{want_recs[:6]}")
    chan = next((c for c in stats["channels"] if c["channel"] == a.channel), None)
    ev = chan["events"] if chan else {}
    want = {"recovery_ranges": len(holes), "recovery_filled": len(both),
            "recovery_unfilled": 0, "recovery_requests": requests, "gaps": 0}
    for k, v in want.items():
        if ev.get(k) != v:
            errors.append(f"channel counter {k} {ev.get(k)}, want {v}")

    ms = sorted(r["ms"] for r in recs)
    figures = {
        "seconds": a.seconds, "rate": a.rate, "rate_achieved": achieved, "loss_pct": a.loss_pct,
        "grace_ms": a.grace_ms, "deadline_ms": a.deadline_ms, "cpus": os.cpu_count(),
        "loadavg_1m_start": a.load[0], "loadavg_1m_end": a.load[1], "packets": packets,
        "both_lost_packets": both_packets, "holes": len(holes), "msgs_recovered": len(both),
        "gaps": len(gaps), "unfilled": ev.get("recovery_unfilled"),
        "requests": ev.get("recovery_requests"),
        "requests_per_recovered_msg": round(ev["recovery_requests"] / len(both), 4)
        if both and ev.get("recovery_requests") is not None else None,
        "requests_per_hole": round(ev["recovery_requests"] / len(holes), 4)
        if holes and ev.get("recovery_requests") is not None else None,
        "latency_samples": len(ms), "latency_ms_p50": percentile(ms, 50),
        "latency_ms_p90": percentile(ms, 90), "latency_ms_p99": percentile(ms, 99),
        "latency_ms_max": ms[-1] if ms else None,
    }
    print("recovery-soak: " + json.dumps(figures, separators=(",", ":")))
    if errors:
        return failed(errors)
    print(f"ok: {len(holes)} holes ({both_packets} packets lost on both lines) all filled, no "
          f"gap; {len(seqs)} subscribed messages delivered once and in order, "
          f"{len(marked)} of them retransmitted")
    return 0


if __name__ == "__main__":
    sys.exit(main())
