#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""What feedgen --proto nyse-xdp / pitch wrote, held against itself and against the wire.

    check_feedgen_np.py shapes nyse|pitch PCAP LOG LOSS_LOG   the capture, its log and losses
    check_feedgen_np.py wire nyse|pitch PCAP LOG RX LINE_A LINE_B   what a receiver got

shapes: the pcap and the log agree packet by packet and message by message (sequence numbers,
units, types, SymbolIndex / Order ID read from the bytes); the loss log names exactly the packets
the log says went out on one line or none; the packets have the shapes feedgen promises (see
the checks below). wire: the datagrams a receiver recorded ("dst:port hex" lines) are exactly
the pcap's packets on the lines the log names. Prints counts; exit 1 with a FAIL line.
"""
import json
import struct
import sys

NS = 1000000000


def fail(msg):
    sys.exit("FAIL: " + msg)


def pcap_packets(path):
    """[(group, payload)] in capture order."""
    data, off, out = open(path, "rb").read(), 24, []
    while off < len(data):
        incl = struct.unpack("<I", data[off + 8:off + 12])[0]
        f = data[off + 16:off + 16 + incl]
        off += 16 + incl
        out.append(("%d.%d.%d.%d:%d" % (*f[30:34], struct.unpack(">H", f[36:38])[0]), f[42:]))
    return out


def nyse_msgs(p):
    """Header and [(type, bytes)] of one NYSE XDP packet."""
    size, flag, count, seq, sec, ns = struct.unpack("<HBBIII", p[:16])
    if size != len(p):
        fail(f"PktSize {size}, payload {len(p)}")
    msgs, off = [], 16
    for _ in range(count):
        msize, mtype = struct.unpack("<HH", p[off:off + 4])
        msgs.append((mtype, p[off:off + msize]))
        off += msize
    if off != len(p):
        fail(f"packet {seq}: {len(p) - off} bytes after the last message")
    return {"delivery_flag": flag, "seq": seq, "send_time": sec * NS + ns}, msgs


def pitch_msgs(p):
    length, count, unit, seq = struct.unpack("<HBBI", p[:8])
    if length != len(p):
        fail(f"HdrLength {length}, payload {len(p)}")
    msgs, off = [], 8
    for _ in range(count):
        msgs.append((p[off + 1], p[off:off + p[off]]))
        off += p[off]
    if off != len(p):
        fail(f"unit {unit} packet {seq}: {len(p) - off} bytes after the last message")
    return {"unit": unit, "seq": seq}, msgs


def pair(proto, pcap, log):
    """[(group, payload, header, msgs, log lines)]: each pcap packet with its log lines."""
    lines, i, out = [json.loads(x) for x in open(log)], 0, []
    parse = nyse_msgs if proto == "nyse" else pitch_msgs
    for group, p in pcap_packets(pcap):
        hdr, msgs = parse(p)
        mine = lines[i:i + max(1, len(msgs))]
        i += len(mine)
        if len(mine) < max(1, len(msgs)):
            fail(f"the log ends before packet {hdr}")
        for k, line in enumerate(mine):
            want = dict(hdr, group=group)
            if msgs:
                mtype, m = msgs[k]
                want.update(msg=k, type=mtype)
                if proto == "nyse":
                    want["seq"] = hdr["seq"] + k
                    if mtype == 3 or mtype >= 100:
                        off = 4 if mtype == 3 else 12 if mtype == 106 else 8
                        want["symbol_index"] = struct.unpack("<I", m[off:off + 4])[0]
                    if 100 <= mtype <= 104 or mtype == 106:
                        off = 20 if mtype == 106 else 16
                        want["order_id"] = struct.unpack("<Q", m[off:off + 8])[0]
                else:
                    want["seq"] = hdr["seq"] + k if hdr["seq"] else 0
                    if 0x21 <= mtype <= 0x2B or mtype in (0x2F, 0x30):
                        want["order_id"] = struct.unpack("<Q", m[6:14])[0]
            got = {key: line.get(key) for key in want}
            if got != want or line["lines"] not in ("AB", "A", "B", ""):
                fail(f"log line {i - len(mine) + k + 1} {line} against the pcap's {want}")
            if mine[0]["lines"] != line["lines"]:
                fail(f"the messages of packet {hdr} name different lines")
        out.append((group, p, hdr, msgs, mine))
    if i != len(lines):
        fail(f"{len(lines) - i} log lines after the last packet of the pcap")
    return out


def check_losses(pkts, loss_log, lossy):
    """The loss log names, in order, exactly the packets that did not go out on both lines."""
    losses = [json.loads(x) for x in open(loss_log)]
    lost = [(p, l[0]["lines"]) for p in pkts for l in [p[4]] if l[0]["lines"] != "AB"]
    if len(lost) != len(losses):
        fail(f"{len(lost)} packets lost on a line, the loss log has {len(losses)}")
    for (p, where), entry in zip(lost, losses):
        if not lossy(p):
            fail(f"a packet that is never lost was lost: {p[2]}")
        name = {"A": "B", "B": "A", "": "both"}[where]
        if (entry["seq"], entry["count"], entry["lost"]) != (p[2]["seq"], len(p[3]), name):
            fail(f"loss log {entry} against packet {p[2]} sent on '{where}'")
    per = {w: sum(1 for _, x in lost if x == w) for w in ("A", "B", "")}
    if not (per["A"] and per["B"]):
        fail(f"want losses on each line: {per}")
    return per


def shapes_nyse(pkts, names):
    flags = [p[2]["delivery_flag"] for p in pkts]
    first = pkts[0]
    if first[2]["seq"] != 1 or flags[0] != 11 or any(t != 3 for t, _ in first[3]):
        fail("the first packet is not Symbol Index Mappings from SeqNum 1")
    mapped, traffic_at = {}, None
    for k, p in enumerate(pkts):
        if all(t == 3 for t, _ in p[3]) and p[3] and traffic_at is None:
            for _, m in p[3]:
                mapped[struct.unpack("<I", m[4:8])[0]] = m[8:19].rstrip(b"\0").decode()
        elif traffic_at is None:
            traffic_at = k
    if len(mapped) != names or not {"BRK A", "ZVZZT PRA W"} <= set(mapped.values()):
        fail(f"{len(mapped)} mappings before traffic, want {names} with 'BRK A' and an "
             "11-character name")
    live = [p for p in pkts if p[2]["delivery_flag"] in (1, 11, 12)]
    seq = None
    for p in live:
        if p[2]["delivery_flag"] == 12:
            if p[2]["seq"] != 1 or [t for t, _ in p[3]] != [1]:
                fail(f"sequence reset packet {p[2]} is not type 1 at SeqNum 1")
            seq = 1
        elif seq is not None and p[2]["seq"] != seq:
            fail(f"live packet {p[2]}: SeqNum {p[2]['seq']}, want {seq}")
        seq = p[2]["seq"] + len(p[3])
    if 12 not in flags or 1 not in flags:
        fail("no sequence reset (12) or no heartbeat (1)")
    types = {t for p in pkts for t, _ in p[3]}
    if not {1, 2, 3, 35, 100, 101, 102, 103, 104, 106, 110, 111, 112} <= types:
        fail(f"types sent: {sorted(types)}")
    # A refresh: 18, 19..., 20, each opening with a Refresh Header k of n.
    ref = [p for p in pkts if p[2]["delivery_flag"] in (17, 18, 19, 20)]
    if [p[2]["delivery_flag"] for p in ref] != [18] + [19] * (len(ref) - 2) + [20]:
        fail(f"refresh flags {[p[2]['delivery_flag'] for p in ref]}")
    for k, p in enumerate(ref):
        t, m = p[3][0]
        if t != 35 or struct.unpack("<HH", m[4:8]) != (k + 1, len(ref)):
            fail(f"refresh packet {k + 1} of {len(ref)} does not open with its Refresh Header")
    # A retransmission repeats an earlier live packet byte for byte, but for the flag.
    rt = [p for p in pkts if p[2]["delivery_flag"] == 13]
    if len(rt) != 1 or not any(q[1][:2] + q[1][3:] == rt[0][1][:2] + rt[0][1][3:] and
                               q[2]["delivery_flag"] == 11 for q in pkts):
        fail("no retransmission (13) of an earlier packet")
    # A Source Time Reference opens the first data packet of each simulated second.
    secs = {}
    for p in pkts[traffic_at:]:
        if p[2]["delivery_flag"] == 11 and p[3]:
            sec = p[2]["send_time"] // NS
            secs.setdefault(sec, p)
    for sec, p in secs.items():
        t, m = p[3][0]
        if t != 2 or struct.unpack("<I", m[12:16])[0] != sec:
            fail(f"second {sec}: the first data packet does not open with its time reference")
    refs = sum(1 for p in live for t, _ in p[3] if t == 2)
    if refs != len(secs) or len(secs) < 2:
        fail(f"{refs} Source Time References for {len(secs)} simulated seconds")
    # SymbolSeqNum counts each symbol's live messages without a hole (a message that did not
    # fit in a packet used none).
    symseq, counted = {}, 0
    for p in live:
        for t, m in p[3]:
            if 100 <= t <= 104 or 110 <= t <= 112:
                idx, n = struct.unpack("<II", m[8:16])
                if n != symseq.get(idx, 0) + 1:
                    fail(f"SymbolIndex {idx}: SymbolSeqNum {n} after {symseq.get(idx, 0)}")
                symseq[idx] = n
                counted += 1
    if not counted:
        fail("no live message carries a SymbolSeqNum")
    multi = sum(1 for p in live if len(p[3]) > 1)
    return f"{len(mapped)} mappings, {len(secs)} seconds, {len(ref)} refresh packets, " \
        f"{multi} packets of several messages, types {sorted(types)}"


def shapes_pitch(pkts, units):
    seq, opened, closed, book = {}, set(), set(), {}
    types, times, multi = set(), {}, 0
    for p in pkts:
        u, s = p[2]["unit"], p[2]["seq"]
        ts = [t for t, _ in p[3]]
        types |= set(ts)
        multi += len(ts) > 1
        if s == 0:
            if not ts:
                fail("an unsequenced heartbeat")
            continue
        if s == 1 and u in seq and ts[:2] == [0x20, 0x97]:
            book = {k: v for k, v in book.items() if v[1] != u}  # the unit restarted
        elif s != seq.get(u, 1):
            fail(f"unit {u}: sequence {s}, want {seq.get(u, 1)}")
        seq[u] = s + len(ts)
        for (t, m), line in zip(p[3], p[4]):
            if t == 0x20:
                times.setdefault(u, set()).add(struct.unpack("<I", m[2:6])[0])
            if t in (0x21, 0x22, 0x2F, 0x2A, 0x2B, 0x30):
                oid = struct.unpack("<Q", m[6:14])[0]
                sym = line["symbol"]
                if oid in opened:
                    fail(f"Order ID {oid} used twice")
                opened.add(oid)
                if (t in (0x2F, 0x30)) != (len(sym) > 6):
                    fail(f"type {t:#x} for symbol {sym!r}")
                if t in (0x21, 0x22, 0x2F):
                    book[oid] = (sym, u)
            elif 0x23 <= t <= 0x29:
                oid = struct.unpack("<Q", m[6:14])[0]
                if oid not in book or book[oid][1] != u or line["symbol"] != book[oid][0]:
                    fail(f"type {t:#x} names order {oid}, not open on unit {u}")
                if not line["open"]:
                    closed.add(t)
                    del book[oid]
    if set(seq) != set(units):
        fail(f"units {sorted(seq)}, want {units}")
    want = {0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2A, 0x2B, 0x2F, 0x30,
            0x31, 0x97}
    if not want <= types or not {0x23, 0x29} <= closed:
        fail(f"types sent {sorted(types)}, orders closed by {sorted(closed)}")
    if any(len(v) < 2 for v in times.values()) or set(times) != set(units):
        fail(f"Time messages per unit: {times}")
    if not any(p[2]["seq"] == 0 for p in pkts) or not any(not p[3] for p in pkts):
        fail("no unsequenced packet or no heartbeat")
    return f"units {sorted(seq)}, {len(opened)} Order IDs, {len(book)} orders open at the " \
        f"end, {multi} packets of several messages, types {sorted(types)}"


def main():
    what, proto = sys.argv[1], sys.argv[2]
    pkts = pair(proto, sys.argv[3], sys.argv[4])
    if what == "shapes":
        if proto == "nyse":
            names = sum(1 for p in pkts for line in p[4] if line.get("type") == 3 and
                        line["delivery_flag"] == 11)
            shape = shapes_nyse(pkts, names)
            lossy = lambda p: p[2]["delivery_flag"] in (1, 11)  # noqa: E731
        else:
            shape = shapes_pitch(pkts, [int(u) for u in sys.argv[6].split(",")])
            lossy = lambda p: p[2]["seq"] != 0 and not (  # noqa: E731
                p[3] and p[3][-1][0] == 0x97)
        per = check_losses(pkts, sys.argv[5], lossy)
        print(f"{len(pkts)} packets, {sum(len(p[4]) for p in pkts)} log lines agree with the "
              f"pcap; lost on A only {per['B']}, on B only {per['A']}, on both {per['']} as "
              f"the loss log says; {shape}")
        return
    rx, line_a, line_b = sys.argv[5:8]
    want = []
    for group, p, _, _, lines in pkts:
        if "A" in lines[0]["lines"]:
            want.append((group, p))
        if "B" in lines[0]["lines"]:
            want.append((line_b if group == line_a else None, p))
    got = [(g, bytes.fromhex(h)) for g, h in (x.split() for x in open(rx))]
    want.sort()
    got.sort()
    if got != want:
        fail(f"received {len(got)} datagrams, feedgen's log and pcap say {len(want)}")
    per = {g: sum(1 for x in got if x[0] == g) for g in (line_a, line_b)}
    if not (per[line_a] and per[line_b]):
        fail(f"want traffic on both lines: {per}")
    print(f"received {len(got)} datagrams (A {per[line_a]}, B {per[line_b]}), each as in "
          "feedgen's pcap on the lines its log names")


if __name__ == "__main__":
    main()
