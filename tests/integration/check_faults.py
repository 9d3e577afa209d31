#!/usr/bin/env python3
"""Checks of the consumer fault tests (test_faults_consumer.sh), from what feedgen sent.

stall:  an all-symbols group, one consumer stopped (SIGSTOP) for a while. Every sequence number
        feedgen sent is either delivered once or inside a gap event, the gap events are exactly
        the runs of what is missing, and the socket's drop counters account exactly for the
        frames the program redirected but the consumer never took:
            frames_redirected = frames + rx_dropped + rx_ring_full   (summed over queues)
resume: a subscribed group, consumer 1 killed (SIGKILL), consumer 2 started later. Consumer 2
        starts where consumer 1 stopped handing messages over, and reports as gaps exactly the
        sequence numbers of the delivered (not filtered) datagrams from there that it never got.
Exits 1 with one line per violation.
"""
import argparse
import json
import struct
import sys

from feedcheck import failed, load_jsonl, runs, udp_payloads


def gaps_of(events):
    return [(o["gap"]["from"], o["gap"]["count"]) for o in events if "gap" in o]


def seqs(events):
    return [o["seq"] for o in events if "seq" in o]


def check_stall(a, errors):
    sent = {m["seq"] for m in load_jsonl(a.sent)}
    got = load_jsonl(a.got)
    delivered = seqs(got)
    if len(delivered) != len(set(delivered)):
        errors.append(f"{len(delivered) - len(set(delivered))} messages delivered twice")
    if delivered != sorted(delivered):
        errors.append("messages delivered out of order")
    missing = sent - set(delivered)
    gaps = gaps_of(got)
    if not missing:
        errors.append("nothing was lost: the stall did not overflow the socket (test too weak)")
    if gaps != runs(missing):
        errors.append(f"gap events {gaps[:5]}... != missing runs {runs(missing)[:5]}...")
    lost = sum(c for _, c in gaps)
    if lost != len(missing):
        errors.append(f"gap events total {lost} messages, {len(missing)} were not delivered")
    if max(delivered, default=0) != max(sent):
        errors.append(f"delivery did not resume to the end: last {max(delivered, default=0)}, "
                      f"sent up to {max(sent)}")
    stats = json.load(open(a.stats))
    red = stats["global"]["frames_redirected"]
    socks = [s["counters"] for s in stats["sockets"]]
    took = sum(s["frames"] for s in socks)
    full = sum(s["rx_ring_full"] for s in socks)
    nobuf = sum(s["rx_dropped"] for s in socks)
    if red != took + full + nobuf:
        errors.append(f"frames_redirected {red} != frames taken {took} + rx_ring_full {full} "
                      f"+ rx_dropped {nobuf}")
    if a.expect_drop == "ring_full" and not full:
        errors.append("no rx_ring_full drop counted")
    if a.expect_drop == "fill_empty" and not (nobuf and
                                              sum(s["rx_fill_ring_empty"] for s in socks)):
        errors.append("no fill-ring-empty drop counted (rx_dropped, rx_fill_ring_empty)")
    ev = [c["events"] for c in stats["channels"]]
    if sum(e["msgs_lost"] for e in ev) != lost or sum(e["gaps"] for e in ev) != len(gaps):
        errors.append(f"fs_chan_events {ev} disagree with the gap events")
    return (f"{len(sent)} messages sent, {len(delivered)} delivered, {len(gaps)} gap events "
            f"of {lost} messages = exactly the missing ones; redirected {red} = taken {took} + "
            f"ring full {full} + no buffer {nobuf}")


def check_resume(a, errors):
    sent = load_jsonl(a.sent)
    subs = set(a.symbols)
    wanted = {m["seq"] for m in sent if m.get("symbol") in subs}
    # Datagrams (seq, count) from the pcap; those carrying a wanted message were delivered by
    # the program (their window states say DELIVERED), the others filtered.
    delivered_dgrams = []
    for p in udp_payloads(a.pcap):
        if len(p) < 20:
            continue
        seq, count = struct.unpack_from(">QH", p, 10)
        if count in (0, 0xFFFF):
            continue
        if any(s in wanted for s in range(seq, seq + count)):
            delivered_dgrams.append((seq, count))
    got1, got2 = load_jsonl(a.got1), load_jsonl(a.got2)
    d1, d2 = seqs(got1), seqs(got2)
    starts = [o["session_start"]["from"] for o in got2 if "session_start" in o]
    if not d1 or not starts:
        errors.append(f"consumer 1 delivered {len(d1)}, consumer 2 started {starts}")
        return ""
    resume = starts[0]
    # Consumer 1 handed over everything below the resume point; at most the one message in
    # flight at the kill is at or above it.
    ahead = sum(1 for s in d1 if s >= resume)
    if ahead > 1:
        errors.append(f"resume point {resume}, but consumer 1 delivered {ahead} messages "
                      "from there")
    below = {s for s in wanted if s < resume} - set(d1)
    if below:
        errors.append(f"{len(below)} wanted messages below the resume point {resume} were "
                      f"never delivered by consumer 1, first {min(below)}")
    if set(d1) & set(d2):
        errors.append(f"{len(set(d1) & set(d2))} messages delivered by both consumers")
    if len(d2) != len(set(d2)) or d2 != sorted(d2):
        errors.append("consumer 2 delivered a message twice or out of order")
    received2 = set(d2)
    expect = set()
    for seq, count in delivered_dgrams:
        rng = range(seq, seq + count)
        if seq + count <= resume or any(s in received2 for s in rng):
            continue
        expect |= {s for s in rng if s >= resume}
    gaps = gaps_of(got2)
    if not expect:
        errors.append("consumer 2 missed nothing: the kill did not open a gap (test too weak)")
    if gaps != runs(expect):
        errors.append(f"consumer 2 gaps {gaps[:5]} != expected {runs(expect)[:5]}")
    lost_wanted = wanted - set(d1) - received2
    outside = {s for s in lost_wanted if not any(f <= s < f + c for f, c in gaps)}
    if outside:
        errors.append(f"{len(outside)} wanted messages neither delivered nor in a gap, first "
                      f"{min(outside)}")
    if max(d2, default=0) < max(wanted):
        errors.append("consumer 2 did not deliver to the end of the feed")
    return (f"consumer 1 delivered {len(d1)} messages up to seq {max(d1)}, consumer 2 resumed "
            f"at {resume} and reported {len(gaps)} gap(s) of {sum(c for _, c in gaps)} "
            f"sequence numbers ({len(lost_wanted)} wanted messages), then delivered {len(d2)}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=("stall", "resume"))
    ap.add_argument("--sent", required=True)
    ap.add_argument("--got")
    ap.add_argument("--stats")
    ap.add_argument("--expect-drop", choices=("ring_full", "fill_empty"))
    ap.add_argument("--pcap")
    ap.add_argument("--got1")
    ap.add_argument("--got2")
    ap.add_argument("--symbols", nargs="*", default=[])
    a = ap.parse_args()
    errors = []
    summary = check_stall(a, errors) if a.mode == "stall" else check_resume(a, errors)
    if errors:
        return failed([f"{a.mode}: {e}" for e in errors])
    print(f"ok: {a.mode}: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
