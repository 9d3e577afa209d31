#!/usr/bin/env python3
"""Check what `feedsieve consume --json` (or `replay --json`) printed for MDP3 channels against
feedgen's log, entry by entry.

feedgen's log has one line per instrument key of every packet it made (and one per message about
no instrument), with the lines ("A", "B", "AB" or "") the packet went out on. From it and the
subscriptions this computes, per channel and in sequence order, what the application must get:
  - every message about no instrument (ChannelReset, AdminHeartbeat) with "entries":[];
  - every other message that has at least one subscribed key, with exactly its subscribed
    entries (security_id, rpt_seq where logged, symbol);
  - for every run of consecutive sequence numbers lost on both lines, one gap event, unless the
    run ends its session (then nothing later in the session reveals it: it may or may not be
    reported), and nothing else.
A name subscription applies to an instrument once its definition has passed on the definitions
group, which feedgen sends in full before any incremental packet, so here: from the start.
"""
import argparse
import json
import sys
from collections import defaultdict


def fail(msg):
    print(f"FAIL: {msg}")
    return 1


def load_log(path):
    """Packets by group, each a dict: seq, sending_time, lines, messages [(template, [key...])]."""
    packets = defaultdict(dict)  # group -> (seq, sending_time) -> packet
    order = defaultdict(list)
    for line in open(path):
        m = json.loads(line)
        k = (m["seq"], m["sending_time"])
        p = packets[m["group"]].get(k)
        if p is None:
            p = {"seq": m["seq"], "sending_time": m["sending_time"], "lines": m["lines"],
                 "msgs": {}}
            packets[m["group"]][k] = p
            order[m["group"]].append(k)
        msg = p["msgs"].setdefault(m["msg"], {"template": m["template"], "keys": []})
        if "security_id" in m:
            msg["keys"].append({"security_id": m["security_id"], "rpt_seq": m.get("rpt_seq"),
                                "symbol": m.get("symbol")})
    return {g: [packets[g][k] for k in order[g]] for g in packets}


def expected(packets, subscribed, all_received):
    """Per packet in send order: (seq, sending_time, received, [message objects])."""
    out = []
    for p in packets:
        msgs = []
        for i in sorted(p["msgs"]):
            m = p["msgs"][i]
            if not m["keys"]:
                msgs.append((p["seq"], m["template"], []))
                continue
            keys = [k for k in m["keys"] if k["security_id"] in subscribed]
            if keys:
                msgs.append((p["seq"], m["template"],
                             [(k["security_id"], k["rpt_seq"], k["symbol"]) for k in keys]))
        out.append((p["seq"], p["sending_time"], all_received or p["lines"] != "", msgs))
    return out


def sessions(exp):
    """Split packets at every MsgSeqNum 1 (a reset starts a new session)."""
    cur = []
    for p in exp:
        if p[0] == 1 and cur:
            yield cur
            cur = []
        cur.append(p)
    if cur:
        yield cur


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--log", required=True)
    ap.add_argument("--got", required=True, help="consume --json output")
    ap.add_argument("--channel", action="append", required=True,
                    help="NAME=GROUP: a channel and the line-A group feedgen logs it under")
    ap.add_argument("--ids", nargs="*", type=int, default=[])
    ap.add_argument("--symbols", nargs="*", default=[])
    ap.add_argument("--all-received", action="store_true",
                    help="every packet was received (replay of feedgen's pcap)")
    a = ap.parse_args()

    log = load_log(a.log)
    names = set(a.symbols)
    subscribed = set(a.ids)
    for packets in log.values():
        for p in packets:
            for m in p["msgs"].values():
                for k in m["keys"]:
                    if m["template"] in (54, 55, 56) and k["symbol"] in names:
                        subscribed.add(k["security_id"])
    if not subscribed:
        return fail("no subscribed instrument appears in the log: the check would be empty")

    got = defaultdict(list)
    gaps = defaultdict(list)
    for line in open(a.got):
        o = json.loads(line)
        if "gap" in o:
            gaps[o["gap"]["channel"]].append((o["gap"]["from"], o["gap"]["count"]))
        elif "template" in o:
            if o.get("proto") != "mdp3":
                return fail(f"an MDP3 message without \"proto\":\"mdp3\": {line.strip()}")
            got[o["channel"]].append(o)

    rc = 0
    for spec in a.channel:
        name, group = spec.split("=", 1)
        exp = expected(log.get(group, []), subscribed, a.all_received)
        want_msgs = [m for p in exp if p[2] for m in p[3]]
        have = [(o["seq"], o["template"],
                 [(e["security_id"], e.get("rpt_seq"), e.get("symbol")) for e in o["entries"]])
                for o in got[name]]
        if have != want_msgs:
            for i, (h, w) in enumerate(zip(have, want_msgs)):
                if h != w:
                    rc |= fail(f"{name}: message {i}: got {h}, want {w}")
                    break
            else:
                rc |= fail(f"{name}: got {len(have)} messages, want {len(want_msgs)}")
        entries = sum(len(m[2]) for m in want_msgs)
        # Gap events: runs lost on both lines, per session.
        want_gaps, optional = [], []
        for sess in sessions(exp):
            run = None
            for seq, _, received, _ in sess:
                if not received:
                    run = (run[0], run[1] + 1) if run else (seq, 1)
                elif run:
                    want_gaps.append(run)
                    run = None
            if run:
                optional.append(run)
        have_gaps = [g for g in gaps[name] if g not in optional]
        if have_gaps != want_gaps:
            rc |= fail(f"{name}: gap events {have_gaps}, want {want_gaps}")
        lost = sum(c for _, c in want_gaps)
        if rc == 0:
            print(f"ok: {name}: {len(have)} messages ({entries} subscribed entries) delivered "
                  f"exactly once and in order; {len(want_gaps)} gap events for the {lost} "
                  f"packets no line brought")
    return rc


if __name__ == "__main__":
    sys.exit(main())
