#!/usr/bin/env python3
"""Check what `feedsieve consume --json` (or `replay --json`) printed for one NYSE XDP or PITCH
channel against feedgen's log, message by message.

feedgen's log has one line per message (and one per heartbeat) in send order, with the lines
("A", "B", "AB" or "") its packet went out on. Packet k of the log was scheduled k / RATE seconds
after feedgen started (its pcap's schedule; it sends on an absolute schedule, so never earlier).

Subscriptions: --symbols for the whole run; --added SYM@T0@T1 for a symbol added live, whose
`sub add` was started T0 ns and returned T1 ns after feedgen was launched; --removed SYM@T0@T1
likewise for one removed live. With --margin M (feedgen starts after its launch and never sends
early, so a packet scheduled at T went out after T; M covers its lateness):
  - an added symbol's messages are forbidden in packets scheduled before T0 - M and required in
    packets scheduled at or after T1 + M (PITCH order messages: see below);
  - a removed symbol's messages are required in packets scheduled before T0 - M and forbidden
    in packets scheduled at or after T1 + M;
  - between those bounds a message may or may not be delivered, but at most once and in order.
So, per channel (and PITCH unit), the live messages delivered must be, in order, a subsequence
of the received messages that may be delivered, containing every required one: control messages
(NYSE 1, 2, 31, 35; PITCH Time, Unit Clear, End of Session, Trade Break) and those of symbols
subscribed for the whole run included, i.e. exactly once and in order with the right keys.

PITCH order messages (executions, reduce, modify, delete) carry only an Order ID: they are
wanted when the kernel knows the order, i.e. its Add Order was received on some line in the same
session of the unit while its symbol was subscribed (requirement of the add's packet), and the
order is still open; and its symbol is subscribed now (the message's own packet). An order added
before its symbol was subscribed stays unknown: its later messages must not be delivered. Once a
message about an order was lost on both lines, the kernel's remaining quantity is not what the
log proves (the log has no quantities; a lost Modify may have raised it, and a later execution
then empties the order early): its later messages may or may not be delivered.

Out-of-band packets (NYSE retransmission/refresh, PITCH unsequenced) are never arbitrated: each
copy received is delivered with its wanted messages, marked, on its own line.

Gap events: per session (and PITCH unit), one per run of consecutive sequence numbers no line
brought, a received packet or heartbeat ending the run; a run after which the session brought
nothing more may or may not be reported. Nothing else.

--counters STATS checks the channel's kernel counters (exact where the run had no live change of
the quantity, bounds otherwise); see counters().
"""
import argparse
import json
import sys
from collections import Counter, defaultdict

from feedcheck import failed

NYSE_CONTROL = {1, 2, 31, 35}
NYSE_SEQ_RESET_FLAG = 12
NYSE_OOB = {13: "retransmitted", 15: "retransmitted", 17: "refresh", 18: "refresh",
            19: "refresh", 20: "refresh", 21: "unavailable"}
PITCH_CONTROL = {0x20, 0x97, 0x2D, 0x2C}
PITCH_ADD = {0x21, 0x22, 0x2F}
PITCH_ORDER = set(range(0x23, 0x2A))

REQ, MAY, NO = 2, 1, 0


def load_packets(path, group):
    """The group's packets in send order (index k over the whole log: the schedule)."""
    packets = []
    k = -1
    for line in open(path):
        m = json.loads(line)
        if "msg" not in m or m["msg"] == 0:
            k += 1
            if m["group"] == group:
                packets.append({"k": k, "lines": m["lines"], "msgs": [],
                                "flag": m.get("delivery_flag"), "unit": m.get("unit"),
                                "seq": m["seq"] - m.get("msg", 0),
                                "unsequenced": m.get("unsequenced", False)})
        if m["group"] == group and "msg" in m:
            packets[-1]["msgs"].append(m)
    return packets


class Subs:
    """Whether a symbol's message in a packet scheduled at T ns is REQ, MAY or NO."""

    def __init__(self, a):
        self.whole = set(a.symbols)
        self.ids = set(a.ids)
        self.added = {}
        self.removed = {}
        for s in a.added:
            sym, t0, t1 = s.rsplit("@", 2)
            self.added[sym] = (int(t0), int(t1))
        for s in a.removed:
            sym, t0, t1 = s.rsplit("@", 2)
            self.removed[sym] = (int(t0), int(t1))
        self.margin = a.margin

    def at(self, sym, t):
        if sym in self.whole:
            return REQ
        if sym in self.added:
            t0, t1 = self.added[sym]
            return NO if t < t0 - self.margin else REQ if t >= t1 + self.margin else MAY
        if sym in self.removed:
            t0, t1 = self.removed[sym]
            return REQ if t < t0 - self.margin else NO if t >= t1 + self.margin else MAY
        return NO


def nyse_key(m):
    return (m["seq"], m["type"], m.get("symbol_index"), m.get("symbol"))


def pitch_key(m):
    return (m["seq"], m["type"], m.get("order_id"), m.get("symbol"))


def nyse_expect(packets, subs, ns_per_pkt, all_received):
    """(live [(key, want)], oob [(line, mark, key, want)], sessions [[packet...]])

    A name matches once its Symbol Index Mapping was received on some line (live or refresh);
    a SymbolIndex subscribed by number matches from the start, its symbol printed once mapped."""
    live, oob, sessions = [], [], []
    mapped = set()

    def want(m, t):
        if m["type"] in NYSE_CONTROL:
            return REQ, nyse_key(m)
        if "symbol_index" not in m:
            return NO, None
        if m["type"] == 3:
            mapped.add(m["symbol_index"])
        known = m["symbol_index"] in mapped
        key = nyse_key(m) if known else nyse_key(dict(m, symbol=None))
        if m["symbol_index"] in subs.ids:
            return REQ, key
        return (subs.at(m.get("symbol"), t) if known else NO), key

    for p in packets:
        t = p["k"] * ns_per_pkt
        got_it = all_received or p["lines"] != ""
        if p["flag"] in NYSE_OOB:
            for m in p["msgs"] if got_it else []:
                w, key = want(m, t)
                if w != NO:
                    for line in ("A" if all_received else p["lines"]):
                        oob.append((line, NYSE_OOB[p["flag"]], key, w))
            continue
        if p["flag"] == NYSE_SEQ_RESET_FLAG or not sessions:
            sessions.append([])
        sessions[-1].append(dict(p, received=got_it))
        if not got_it:
            continue
        for m in p["msgs"]:
            w, key = want(m, t)
            if w != NO:
                live.append((key, w))
    return live, oob, sessions


class Orders:
    """The kernel's order map as the log proves it, per unit and session."""

    def __init__(self):
        self.known = {}  # (unit, session, order_id) -> (symbol, REQ|MAY)
        self.added = [0, 0]  # [required, possible] inserts
        self.removed = [0, 0]
        self.unknown = [0, 0]  # order messages found absent: [surely, possibly]
        # order messages of a symbol added live, in packets after the add, whose order was
        # added before (or whose add no line brought): never to be delivered
        self.before_sub = 0

    def lost(self, u, s, msgs):
        """Messages no line brought: the kernel's remaining quantity of an order they name is
        no longer what the log proves (a lost Modify may have raised it, so a later execution
        may empty it early): its later messages may or may not be delivered."""
        for m in msgs:
            key = (u, s, m.get("order_id"))
            if m["type"] in PITCH_ORDER and key in self.known:
                if m.get("open", True):
                    self.known[key] = (self.known[key][0], MAY)
                else:
                    del self.known[key]  # never named again


def pitch_expect(packets, subs, ns_per_pkt, all_received):
    live, oob, sessions = defaultdict(list), [], defaultdict(list)
    orders = Orders()
    sess_no = defaultdict(int)
    for p in packets:
        t = p["k"] * ns_per_pkt
        u = p["unit"]
        got_it = all_received or p["lines"] != ""
        if p["unsequenced"]:
            for m in p["msgs"]:
                w = REQ if m["type"] in PITCH_CONTROL else subs.at(m.get("symbol"), t)
                if w != NO:
                    for line in ("A" if all_received else p["lines"]):
                        oob.append((line, "unsequenced", (u,) + pitch_key(m), w))
            continue
        if p["seq"] == 1 and p["msgs"] or not sessions[u]:
            sess_no[u] += 1
            sessions[u].append([])
        sessions[u][-1].append(dict(p, received=got_it))
        s = sess_no[u]
        if not got_it:
            orders.lost(u, s, p["msgs"])
            continue
        for m in p["msgs"]:
            ty = m["type"]
            if ty in PITCH_CONTROL:
                w = REQ
            elif ty in PITCH_ORDER:
                key = (u, s, m["order_id"])
                entry = orders.known.get(key)
                if entry is None:
                    w = NO
                    orders.unknown[0] += 1
                    if m["symbol"] in subs.added and subs.at(m["symbol"], t) == REQ:
                        orders.before_sub += 1
                else:
                    w = min(entry[1], subs.at(entry[0], t))
                    if entry[1] == MAY:
                        orders.unknown[1] += 1
                    if not m.get("open", True):
                        del orders.known[key]
                        orders.removed[0 if entry[1] == REQ else 1] += 1
            else:
                w = subs.at(m.get("symbol"), t)
                if ty in PITCH_ADD and w != NO and m.get("open", True):
                    orders.known[(u, s, m["order_id"])] = (m["symbol"], w)
                    orders.added[0 if w == REQ else 1] += 1
            if w != NO:
                live[u].append(((u,) + pitch_key(m), w))
    return live, oob, sessions, orders


def match(name, have, want):
    """have: keys delivered in order; want: [(key, REQ|MAY)] in order. None when fine."""
    j = 0
    for i, (key, w) in enumerate(want):
        if j < len(have) and have[j] == key:
            j += 1
        elif w == REQ:
            near = have[j] if j < len(have) else "nothing more"
            return f"{name}: required message {key} (expected item {i}) not delivered; " \
                   f"delivered {j} in order, then {near}"
    if j < len(have):
        return f"{name}: delivered message {j} {have[j]} is not (or not there) among what " \
               f"may be delivered"
    return None


def gap_runs(session, seq_count):
    """Required and optional gap runs (from, count) of one session's packets."""
    want, run = [], None
    for p in session:
        n = seq_count(p)
        if not p["received"]:
            if n:
                run = (run[0], run[1] + n) if run else (p["seq"], n)
        elif run:
            want.append(run)
            run = None
    return want, [run] if run else []


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--proto", required=True, choices=("nyse-xdp", "pitch"))
    ap.add_argument("--log", required=True)
    ap.add_argument("--got", required=True, help="consume --json or replay --json output")
    ap.add_argument("--channel", required=True, help="NAME=GROUP: the channel, its line-A group")
    ap.add_argument("--rate", type=float, required=True, help="feedgen's --rate")
    ap.add_argument("--symbols", nargs="*", default=[])
    ap.add_argument("--ids", nargs="*", type=int, default=[], help="NYSE SymbolIndexes")
    ap.add_argument("--added", action="append", default=[], help="SYM@NS0@NS1")
    ap.add_argument("--removed", action="append", default=[], help="SYM@NS0@NS1")
    ap.add_argument("--margin", type=int, default=300_000_000)
    ap.add_argument("--all-received", action="store_true",
                    help="every packet was received once, on line A (replay of feedgen's pcap)")
    ap.add_argument("--stats", help="stats --json after the run: check the counters")
    ap.add_argument("--bind-first", action="store_true",
                    help="PITCH: the channel takes no --units: it binds the first unit received")
    a = ap.parse_args()
    name, group = a.channel.split("=", 1)
    subs = Subs(a)
    packets = load_packets(a.log, group)
    if not packets:
        print(f"FAIL: no packet of {group} in the log")
        return 1
    ns_per_pkt = 1e9 / a.rate
    nyse = a.proto == "nyse-xdp"
    all_packets, bound = packets, None
    if a.bind_first:
        bound = next(p["unit"] for p in packets if p["lines"] or a.all_received)
        packets = [p for p in packets if p["unit"] == bound]

    got_live, got_oob, gaps = defaultdict(list), [], defaultdict(list)
    errors = []
    for line in open(a.got):
        o = json.loads(line)
        if "gap" in o:
            if o["gap"]["channel"] == name:
                gaps[o["gap"].get("unit")].append((o["gap"]["from"], o["gap"]["count"]))
            continue
        if "type" not in o or o.get("channel") != name:
            continue
        if o.get("proto") != a.proto:
            errors.append(f"a message without \"proto\":\"{a.proto}\": {line.strip()}")
            continue
        if o.get("late") or o.get("order_unknown"):
            errors.append(f"unexpected mark: {line.strip()}")
        key = nyse_key(o) if nyse else (o.get("unit"),) + pitch_key(o)
        marks = [k for k in ("retransmitted", "refresh", "unavailable", "unsequenced") if o.get(k)]
        if marks:
            got_oob.append((o["line"], marks[0], key))
        else:
            got_live[None if nyse else o.get("unit")].append(key)

    if nyse:
        live, oob, sessions = nyse_expect(packets, subs, ns_per_pkt, a.all_received)
        live, sessions, orders = {None: live}, {None: sessions}, None
        seq_count = lambda p: len(p["msgs"])  # noqa: E731
    else:
        live, oob, sessions, orders = pitch_expect(packets, subs, ns_per_pkt, a.all_received)
        seq_count = lambda p: len(p["msgs"])  # noqa: E731

    delivered = 0
    for u in sorted(set(live) | set(got_live), key=lambda x: x or 0):
        err = match(f"{name} unit {u}" if u else name, got_live[u], live.get(u, []))
        if err:
            errors.append(err)
        delivered += len(got_live[u])
    if orders and subs.added and not orders.before_sub:
        errors.append("no order message of an order added before its symbol's live "
                      "subscription: the documented limit is not exercised")
    if not any(w == REQ for ms in live.values() for _, w in ms):
        errors.append("nothing required: the check would be empty")

    # Out of band: as multisets, per line.
    have = Counter(got_oob)
    need = Counter((l, mk, k) for l, mk, k, w in oob if w == REQ)
    may = Counter((l, mk, k) for l, mk, k, w in oob)
    if need - have:
        errors.append(f"out-of-band messages missing: {list((need - have).elements())[:5]}")
    if have - may:
        errors.append(f"out-of-band messages not expected: {list((have - may).elements())[:5]}")

    ngaps = 0
    lost = 0
    for u, sess_list in sessions.items():
        want, optional = [], []
        for sess in sess_list:
            w, o = gap_runs(sess, seq_count)
            want += w
            optional += o
        hv = [g for g in gaps[u] if g not in optional]
        if hv != want:
            errors.append(f"{name} unit {u}: gap events {hv}, want {want} (optional {optional})")
        ngaps += len(want)
        lost += sum(c for _, c in want)
    for u in gaps:
        if u not in sessions:
            errors.append(f"{name}: gap events of unit {u}, which is not the channel's")

    figures = ""
    if a.stats:
        figures, errs = counters(a, name, packets, all_packets, orders, gaps,
                                {u: len(v) for u, v in got_live.items()}, bound)
        errors += errs
    if errors:
        return failed(errors)
    print(f"ok: {name}: {delivered} live messages delivered once and in order (units "
          f"{sorted(u for u in got_live if u) or '-'}), {sum(have.values())} out-of-band "
          f"messages marked; {ngaps} gap events for the {lost} sequence numbers no line "
          f"brought{figures}")
    return 0


def counters(a, name, packets, all_packets, orders, gaps, delivered, bound):
    """The kernel's counters of the channel's groups (both lines summed):
    - frames_first = live data packets received on some line (each first copy counted once);
    - frames_out_of_band = out-of-band packet copies received;
    - frames_other_unit = copies of packets of units the channel does not take;
    - frames_redirected + frames_filtered = frames_first + heartbeat copies + out-of-band copies
      (every first copy, heartbeat and out-of-band copy is delivered or filtered), filtered > 0;
    - PITCH: orders_added, orders_removed within the bounds the log proves (exact without live
      changes), orders_unknown >= the order messages whose add no line brought or was of an
      unsubscribed symbol, and exact when no subscription changed live;
    - the consumer's events per channel (and unit): its gaps and messages delivered are what it
      printed."""
    errors = []
    stats = json.load(open(a.stats))
    chans = [c for c in stats["channels"] if c["channel"] == name]
    # A PITCH channel of several units is listed once per unit, with the same groups.
    groups = list({g["group"]: g for c in chans for g in c["lines"]}.values())
    if not groups:
        return "", [f"stats: no channel {name}"]
    if any(g.get("proto") != a.proto for g in groups):
        errors.append(f"stats: groups without proto {a.proto}")
    c = Counter()
    for g in groups:
        c.update(g["counters"])
    nyse = a.proto == "nyse-xdp"
    data = [p for p in packets if p["msgs"] and not p["unsequenced"] and
            (not nyse or p["flag"] not in NYSE_OOB)]
    oob = [p for p in packets if p["msgs"] and (p["unsequenced"] or nyse and p["flag"] in NYSE_OOB)]
    hb = [p for p in packets if not p["msgs"]]
    first = sum(1 for p in data if p["lines"])
    oob_copies = sum(len(p["lines"]) for p in oob)
    hb_copies = sum(len(p["lines"]) for p in hb)
    if c["frames_first"] != first:
        errors.append(f"frames_first {c['frames_first']}, live packets received {first}")
    if c["frames_out_of_band"] != oob_copies:
        errors.append(f"frames_out_of_band {c['frames_out_of_band']}, copies sent {oob_copies}")
    if c["frames_redirected"] + c["frames_filtered"] != first + hb_copies + oob_copies:
        errors.append(f"redirected {c['frames_redirected']} + filtered {c['frames_filtered']} != "
                      f"first {first} + heartbeats {hb_copies} + out of band {oob_copies}")
    other = sum(len(p["lines"]) for p in all_packets) - sum(len(p["lines"]) for p in packets)
    if c["frames_other_unit"] != other:
        errors.append(f"frames_other_unit {c['frames_other_unit']}, copies of other units {other}")
    if not c["frames_filtered"] or not c["frames_redirected"]:
        errors.append(f"filtered {c['frames_filtered']}, redirected {c['frames_redirected']}")
    # The consumer's per channel (and unit) events: what it reported.
    for ch in chans:
        u = ch.get("unit", bound)  # a channel bound to the first unit seen lists none
        ev, hv = ch["events"], gaps.get(u, [])
        if (ev["gaps"], ev["msgs_lost"]) != (len(hv), sum(n for _, n in hv)):
            errors.append(f"stats of {name} unit {u}: {ev['gaps']} gaps of {ev['msgs_lost']}, "
                          f"consume printed {len(hv)} of {sum(n for _, n in hv)}")
        if ev["msgs_delivered"] != delivered.get(u, 0):
            errors.append(f"stats of {name} unit {u}: msgs_delivered {ev['msgs_delivered']}, "
                          f"consume printed {delivered.get(u, 0)}")
    fig = (f"; counters: frames_first {c['frames_first']}, filtered {c['frames_filtered']}, "
           f"redirected {c['frames_redirected']}, out_of_band {c['frames_out_of_band']}, "
           f"duplicate {c['frames_duplicate']}, other_unit {c['frames_other_unit']}")
    if orders:
        for k, (lo_hi) in (("orders_added", orders.added), ("orders_removed", orders.removed)):
            lo, hi = lo_hi[0], lo_hi[0] + lo_hi[1]
            if not lo <= c[k] <= hi:
                errors.append(f"{k} {c[k]}, want {lo}..{hi}")
        lo, hi = orders.unknown[0], orders.unknown[0] + orders.unknown[1]
        if not lo <= c["orders_unknown"] <= hi:
            errors.append(f"orders_unknown {c['orders_unknown']}, want {lo}..{hi}")
        if c["orders_full"]:
            errors.append(f"orders_full {c['orders_full']}")
        fig += (f", orders added {c['orders_added']} (log {lo_hi_s(orders.added)}), removed "
                f"{c['orders_removed']} (log {lo_hi_s(orders.removed)}), unknown "
                f"{c['orders_unknown']} (log {lo_hi_s(orders.unknown)}, of which "
                f"{orders.before_sub} of an added symbol's orders added before it)")
    return fig, errors


def lo_hi_s(v):
    return f"{v[0]}" if not v[1] else f"{v[0]}..{v[0] + v[1]}"


if __name__ == "__main__":
    sys.exit(main())
