#!/usr/bin/env python3
"""Check a two-line soak run: zero duplicates delivered, zero messages missing without a gap.

Inputs: feedgen's --log restricted to the subscribed symbols (--log-symbols), its --loss-log
(traffic packets lost on one line or both), the consumer's --json output and its summary line.
Every subscribed message must be delivered once, in order, or lie inside a reported gap; every
message lost on both lines must lie inside a gap. Gaps may cover more than that: a consumer that
falls further behind than the sequence window (starved of CPU on a shared machine, or a socket
that dropped frames) can no longer tell filtered from lost and reports the range conservatively.
How much more is printed, not failed.
"""
import argparse
import bisect
import json
import re
import sys

from feedcheck import failed, runs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sent", required=True)
    ap.add_argument("--losses", required=True)
    ap.add_argument("--got", required=True)
    ap.add_argument("--consume-log", required=True)
    a = ap.parse_args()

    seq_re = re.compile(r'"seq":(\d+)')
    wanted = [int(seq_re.search(l).group(1)) for l in open(a.sent)]
    lost = set()
    for l in open(a.losses):
        p = json.loads(l)
        if p["lost"] == "both":
            lost.update(range(p["seq"], p["seq"] + p["count"]))
    delivered, late, gaps = [], 0, []
    for l in open(a.got):
        if '"seq"' in l:
            m = seq_re.search(l)
            delivered.append(int(m.group(1)))
            late += '"late":true' in l
        elif l.startswith('{"gap":'):
            g = json.loads(l)["gap"]
            gaps.append((g["from"], g["count"]))
    summary = open(a.consume_log).read()
    sock_lost = int(re.search(r"the socket lost (\d+) frames", summary).group(1))
    errors = []

    seen = set()
    dups = [s for s in delivered if s in seen or seen.add(s)]
    if dups:
        errors.append(f"{len(dups)} messages delivered twice, first {dups[:5]}")
    wanted_set = set(wanted)
    extra = seen - wanted_set
    if extra:
        errors.append(f"{len(extra)} delivered messages were not of a subscribed symbol")
    if late == 0 and delivered != sorted(delivered):
        errors.append("delivered out of order")

    gaps.sort()
    starts = [g[0] for g in gaps]

    def in_gap(s):
        i = bisect.bisect_right(starts, s) - 1
        return i >= 0 and s < gaps[i][0] + gaps[i][1]

    silent = [s for s in wanted if s not in seen and not in_gap(s)]
    if silent:
        errors.append(f"{len(silent)} subscribed messages missing without a gap event, "
                      f"first {silent[:5]}")
    unreported = [s for s in lost if not in_gap(s)]
    if unreported:
        errors.append(f"{len(unreported)} messages lost on both lines without a gap event")
    extra = sorted(set(gaps) - set(runs(lost)))
    if extra:
        print(f"note: {len(extra)} gap events are not exactly a run lost on both lines (the "
              f"consumer lagged past the window, or the socket dropped frames): {extra[:10]}")

    if errors:
        return failed(errors)
    print(f"ok: {len(delivered)} subscribed messages delivered once and in order; "
          f"{len(wanted) - len(seen)} missing, all inside the {len(gaps)} gap events; "
          f"{len(lost)} messages lost on both lines, all reported; {len(gaps) - len(extra)} of "
          f"the gaps exactly such runs; socket lost {sock_lost} frames")
    return 0


if __name__ == "__main__":
    sys.exit(main())
