#!/usr/bin/env python3
"""Replay a feedgen pcap as two lines (A and B) of one channel, with faults.

Every UDP payload of the pcap is sent to group A and to group B through one multicast socket,
B lagging A by --lag-ms. Faults are given by packet index (0-based, in pcap order):
  --drop-a / --drop-b / --drop-both I[-J] ...   not sent on that line / on either
  --dup-a I[-J] ...                              sent twice on A
  --swap-a I ...                                 A sends I+1 before I
  --late-b I[-J] ...                             dropped on A, sent on B --late-ms after its time
The plan actually executed is written as JSON (--plan) for the checker.
"""
import argparse
import json
import time

from feedcheck import line_sender, udp_payloads


def indices(specs):
    out = set()
    for spec in specs or []:
        lo, _, hi = spec.partition("-")
        out.update(range(int(lo), int(hi or lo) + 1))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pcap", required=True)
    ap.add_argument("--line-a", required=True)
    ap.add_argument("--line-b", required=True)
    ap.add_argument("--source", required=True, help="local address of the sending interface")
    ap.add_argument("--rate", type=float, default=2000.0, help="packets per second per line")
    ap.add_argument("--lag-ms", type=float, default=2.0)
    ap.add_argument("--late-ms", type=float, default=300.0)
    ap.add_argument("--plan", required=True)
    for name in ("drop-a", "drop-b", "drop-both", "dup-a", "late-b"):
        ap.add_argument("--" + name, nargs="*")
    ap.add_argument("--swap-a", nargs="*", type=int, default=[])
    a = ap.parse_args()

    payloads = udp_payloads(a.pcap)
    drop_a, drop_b, drop_both = indices(a.drop_a), indices(a.drop_b), indices(a.drop_both)
    dup_a, late_b = indices(a.dup_a), indices(a.late_b)
    swaps = set(a.swap_a)
    events = []  # (time, order, line, index)
    for i in range(len(payloads)):
        t = i / a.rate
        if i not in drop_a and i not in drop_both and i not in late_b:
            ta = t
            if i in swaps:
                ta = t + 1.5 / a.rate  # after I+1
            elif i - 1 in swaps:
                ta = t - 1.5 / a.rate
            events.append((ta, 0, "A", i))
            if i in dup_a:
                events.append((ta + 0.2 / a.rate, 1, "A", i))
        if i not in drop_b and i not in drop_both:
            tb = t + a.lag_ms / 1000 + (a.late_ms / 1000 if i in late_b else 0)
            events.append((tb, 2, "B", i))
    events.sort()

    s, groups = line_sender(a.source, a.line_a, a.line_b)
    sent = []
    start = time.monotonic()
    for t, _, line, i in events:
        delay = start + t - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        s.sendto(payloads[i], groups[line])
        sent.append([line, i])
    with open(a.plan, "w") as f:
        json.dump({"packets": len(payloads), "sent": sent, "drop_both": sorted(drop_both),
                   "late_b": sorted(late_b), "drop_a": sorted(drop_a), "drop_b": sorted(drop_b)}, f)
    print(f"abreplay: {len(payloads)} packets, {len(sent)} sends")


if __name__ == "__main__":
    main()
