#!/usr/bin/env python3
"""Check a two-line (A/B) run against the faults abreplay.py injected.

From the pcap and the executed plan it derives, message by message: the messages no line
brought (packets dropped on both lines), those brought late by B (after the grace time), and
everything else. The consumer must deliver every subscribed message exactly once, in sequence
order (late ones flagged), report exactly one gap event per maximal run of missing messages and
one recovery per late run, and the counters of both lines and of the channel must agree.
"""
import argparse
import json
import struct
import sys

from feedcheck import failed, load_jsonl, runs, udp_payloads


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pcap", required=True)
    ap.add_argument("--plan", required=True)
    ap.add_argument("--sent", required=True, help="feedgen --log")
    ap.add_argument("--got", required=True, help="consume --json")
    ap.add_argument("--stats", required=True, help="stats --json")
    ap.add_argument("--channel", required=True)
    ap.add_argument("--symbols", nargs="+", required=True)
    a = ap.parse_args()

    plan = json.load(open(a.plan))
    sent = load_jsonl(a.sent)
    got = load_jsonl(a.got)
    stats = json.load(open(a.stats))
    errors = []

    seq_of_packet = {}
    for i, p in enumerate(udp_payloads(a.pcap)):
        seq, count = struct.unpack_from(">QH", p, 10)
        if count not in (0, 0xFFFF):
            seq_of_packet[i] = range(seq, seq + count)
    lost = {s for i in plan["drop_both"] for s in seq_of_packet.get(i, [])}
    late = {s for i in plan["late_b"] for s in seq_of_packet.get(i, [])}
    symbols = set(a.symbols)
    wanted = {m["seq"] for m in sent if m.get("symbol") in symbols}

    msgs = [o for o in got if "seq" in o]
    delivered = [m["seq"] for m in msgs]
    if len(delivered) != len(set(delivered)):
        dups = sorted({s for s in delivered if delivered.count(s) > 1})
        errors.append(f"delivered more than once: {dups[:10]}")
    missing = sorted(wanted - lost - set(delivered))
    if missing:
        errors.append(f"{len(missing)} subscribed messages missing without a gap: {missing[:10]}")
    ghost = sorted(set(delivered) & lost)
    if ghost:
        errors.append(f"messages delivered although no line sent them: {ghost[:10]}")
    other = [m for m in msgs if m.get("symbol") not in symbols]
    if other:
        errors.append(f"{len(other)} messages of unsubscribed symbols, first {other[0]}")
    in_order = [m["seq"] for m in msgs if not m.get("late")]
    if in_order != sorted(in_order):
        bad = next(i for i in range(1, len(in_order)) if in_order[i] < in_order[i - 1])
        errors.append(f"out of order at {in_order[bad - 1]} -> {in_order[bad]}")
    late_flagged = {m["seq"] for m in msgs if m.get("late")}
    if late_flagged != wanted & late:
        errors.append(f"late flags on {sorted(late_flagged)[:10]}, want {sorted(wanted & late)[:10]}")

    gaps = [(o["gap"]["from"], o["gap"]["count"]) for o in got if "gap" in o]
    want_gaps = runs(lost | late)
    if sorted(gaps) != want_gaps:
        errors.append(f"gap events {sorted(gaps)}, want exactly {want_gaps}")
    # Recoveries come per late frame (or per filtered run): compare what they cover.
    rec = [(o["gap_recovered"]["from"], o["gap_recovered"]["count"]) for o in got
           if "gap_recovered" in o]
    covered = [s for f, c in rec for s in range(f, f + c)]
    if len(covered) != len(set(covered)) or set(covered) != late:
        errors.append(f"recoveries {sorted(rec)} do not cover the late messages {runs(late)} "
                      "exactly once")

    stale = [i for i, o in enumerate(got) if "stale" in o]
    last_msg = max(i for i, o in enumerate(got) if "seq" in o)
    if len(stale) != 1 or stale[0] < last_msg:
        errors.append(f"stale events at lines {stale}, want one after the last message "
                      f"(line {last_msg})")

    chan = next((c for c in stats["channels"] if c["channel"] == a.channel), None)
    if chan is None:
        errors.append(f"channel {a.channel} missing from stats")
    else:
        ev, lines = chan["events"], chan["lines"]
        if ev["gaps"] != len(want_gaps) or ev["msgs_lost"] != len(lost | late):
            errors.append(f"channel counters gaps {ev['gaps']} msgs_lost {ev['msgs_lost']}, "
                          f"want {len(want_gaps)} and {len(lost | late)}")
        if ev["msgs_recovered"] != len(late):
            errors.append(f"msgs_recovered {ev['msgs_recovered']}, want {len(late)}")
        if ev["stale_events"] != 1:
            errors.append(f"stale_events {ev['stale_events']}, want 1")
        if ev["msgs_delivered"] != len(msgs):
            errors.append(f"msgs_delivered {ev['msgs_delivered']}, consumer printed {len(msgs)}")
        first = sum(l["counters"]["frames_first"] for l in lines)
        dup = sum(l["counters"]["frames_duplicate"] for l in lines)
        arrivals = sum(1 for line, i in plan["sent"] if i in seq_of_packet)
        want_first = len(set(seq_of_packet) - set(plan["drop_both"]))
        if first != want_first:
            errors.append(f"frames_first A+B {first}, want {want_first}")
        if dup != arrivals - want_first:
            errors.append(f"frames_duplicate A+B {dup}, want {arrivals - want_first}")

    if errors:
        return failed(errors)
    print(f"ok: {len(msgs)} messages of {', '.join(sorted(symbols))} delivered once and in "
          f"order; gaps {want_gaps} reported once each; late runs {runs(late)} recovered; "
          f"counters of both lines and the channel agree")
    return 0


if __name__ == "__main__":
    sys.exit(main())
