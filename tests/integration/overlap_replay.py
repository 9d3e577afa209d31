#!/usr/bin/env python3
"""Replay a feedgen pcap as lines A and B with one hole, and serve its MoldUDP64 re-requests so
that a live copy of the hole's middle lands between the request and the answer.

feedgen's --late-copy-ms cannot do this: it repeats every packet lost on both lines after one
delay, so the hole's first packet always comes back before its middle one. Here the packets
--hole FIRST..LAST (pcap indices, at least 3) are sent on no line; the first request received
for the hole makes the middle packet go out on line A at once (so it left after the request,
by construction), and each request is answered --delay-ms later from --server, unicast to the
requester: the session's messages from the asked number, as many as asked and as fit in one
packet (the answer spans the whole hole). The plan actually executed is written as JSON
(--plan): the hole, the requests, the middle copy and the answers, in ms since the first packet.
"""
import argparse
import json
import select
import socket
import struct
import time

from feedcheck import line_sender, udp_payloads

PAYLOAD_MAX = 1400  # feedgen's largest UDP payload: an answer is no larger than a live packet


def mold(p):
    """(session, seq, count) of a MoldUDP64 packet."""
    seq, count = struct.unpack_from(">QH", p, 10)
    return p[:10], seq, count


def messages(payloads):
    """seq -> message block (length prefix included) of every message of the session."""
    out = {}
    for p in payloads:
        _, seq, count = mold(p)
        if count in (0, 0xFFFF):
            continue
        off = 20
        for i in range(count):
            (n,) = struct.unpack_from(">H", p, off)
            out[seq + i] = p[off : off + 2 + n]
            off += 2 + n
    return out


def answer(session, msgs, first, count):
    """The answer to a request: messages from FIRST, at most COUNT, as many as fit."""
    body, n = b"", 0
    while n < count and first + n in msgs and 20 + len(body) + len(msgs[first + n]) <= PAYLOAD_MAX:
        body += msgs[first + n]
        n += 1
    return session + struct.pack(">QH", first, n) + body, n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pcap", required=True)
    ap.add_argument("--line-a", required=True)
    ap.add_argument("--line-b", required=True)
    ap.add_argument("--source", required=True, help="local address of the sending interface")
    ap.add_argument("--server", required=True, help="ADDR:PORT answering re-requests")
    ap.add_argument("--rate", type=float, default=1000.0, help="packets per second")
    ap.add_argument("--hole", required=True, help="FIRST-LAST pcap indices lost on both lines")
    ap.add_argument("--delay-ms", type=float, required=True)
    ap.add_argument("--linger-ms", type=float, default=1500)
    ap.add_argument("--plan", required=True)
    a = ap.parse_args()

    payloads = udp_payloads(a.pcap)
    lo, hi = (int(x) for x in a.hole.split("-"))
    if hi - lo < 2:
        raise SystemExit("overlap_replay: the hole needs 3 packets or more")
    mid = (lo + hi) // 2
    msgs = messages(payloads)
    session, hole_from, _ = mold(payloads[lo])
    _, last_seq, last_count = mold(payloads[hi])
    hole = (hole_from, last_seq + last_count - hole_from)
    for i in (lo, mid, hi):
        if mold(payloads[i])[2] in (0, 0xFFFF):
            raise SystemExit(f"overlap_replay: packet {i} carries no message")

    tx, groups = line_sender(a.source, a.line_a, a.line_b)
    host, port = a.server.rsplit(":", 1)
    srv = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    srv.bind((host, int(port)))
    srv.setblocking(False)

    start = time.monotonic()
    ms = lambda: round((time.monotonic() - start) * 1000, 3)  # noqa: E731
    plan = {"hole": hole, "middle": list(mold(payloads[mid])[1:]), "requests": [],
            "middle_sent": None, "answers": []}
    pending = []  # (due, peer, first, count)

    def serve(until):
        """Take requests and send what falls due until UNTIL (monotonic seconds)."""
        while True:
            now = time.monotonic()
            while pending and pending[0][0] <= now:
                _, peer, first, count = pending.pop(0)
                pkt, n = answer(session, msgs, first, count)
                srv.sendto(pkt, peer)
                plan["answers"].append({"from": first, "count": n, "ms": ms()})
            if now >= until:
                return
            due = min([until] + [p[0] for p in pending[:1]])
            if not select.select([srv], [], [], max(0.0, due - now))[0]:
                continue
            req, peer = srv.recvfrom(2048)
            if len(req) != 20 or req[:10] != session:
                continue
            _, first, count = mold(req)
            plan["requests"].append({"from": first, "count": count, "ms": ms()})
            if plan["middle_sent"] is None and first <= plan["middle"][0] < first + count:
                tx.sendto(payloads[mid], groups["A"])
                plan["middle_sent"] = ms()
            pending.append((time.monotonic() + a.delay_ms / 1000, peer, first, count))

    for i, p in enumerate(payloads):
        serve(start + i / a.rate)
        if not lo <= i <= hi:
            tx.sendto(p, groups["A"])
            tx.sendto(p, groups["B"])
    serve(time.monotonic() + a.linger_ms / 1000)
    with open(a.plan, "w") as f:
        json.dump(plan, f)
    first = lambda k: plan[k][0]["ms"] if plan[k] else None  # noqa: E731
    print(f"overlap_replay: {len(payloads)} packets, hole {hole}: {len(plan['requests'])} "
          f"requests (first at {first('requests')} ms), middle copy at {plan['middle_sent']} "
          f"ms, {len(plan['answers'])} answers (first at {first('answers')} ms)")


if __name__ == "__main__":
    main()
