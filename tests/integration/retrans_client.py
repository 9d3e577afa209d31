#!/usr/bin/env python3
"""A MoldUDP64 re-request client that checks feedgen's server (--serve-retransmit).

Sends the requests of one scenario to SERVER and compares each answer with the session's
messages as feedgen sent them (its pcap): the answer comes from the server's port to ours, is a
downstream packet of the session starting at the asked number, and carries exactly the messages
the scenario's options allow, byte for byte. Requests that must get no answer get none within
--quiet-ms. Then the server's own log (the loss log) must list every request with the same
verdict and every answer sent, and its closing line (--feedgen-err) must count the requests we
sent, the answers we got and the messages in them. Prints "ok: ..." or "FAIL: ..." lines; exit status 1 on failure.

Scenarios (the feedgen options they are run against):
  plain    no option: whole answers up to one packet, the count cap, other session, not sent
           yet, count 0, a malformed request
  partial  --retransmit-max-msgs 3 --retransmit-refuse R --retransmit-delay-ms D
  silent   --retransmit-silent
"""
import argparse
import os
import re
import signal
import socket
import struct
import sys
import time

from feedcheck import failed, load_jsonl, udp_payloads

PAYLOAD_MAX = 1400  # feedgen's largest UDP payload (FG_PAYLOAD_MAX)


def session_messages(pcap):
    """seq -> message bytes, and the session name, from the pcap's MoldUDP64 packets."""
    msgs, session = {}, None
    for p in udp_payloads(pcap):
        session = p[:10]
        seq, count = struct.unpack_from(">QH", p, 10)
        if count in (0, 0xFFFF):
            continue
        off = 20
        for i in range(count):
            (n,) = struct.unpack_from(">H", p, off)
            msgs[seq + i] = p[off + 2 : off + 2 + n]
            off += 2 + n
    return msgs, session


def fits(msgs, first, n):
    """How many of the N messages from FIRST fit in one packet."""
    room, k = PAYLOAD_MAX - 20, 0
    while k < n and first + k in msgs and 2 + len(msgs[first + k]) <= room:
        room -= 2 + len(msgs[first + k])
        k += 1
    return k


class Client:
    def __init__(self, server, quiet_ms):
        self.server = server
        self.quiet = quiet_ms / 1000
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("0.0.0.0", 0))
        self.errors = []
        self.sent = []  # (session, first, count, verdict) in order

    def ask(self, session, first, count, raw=None):
        pkt = raw if raw is not None else session + struct.pack(">QH", first, count)
        t0 = time.monotonic()
        self.sock.sendto(pkt, self.server)
        self.sock.settimeout(self.quiet)
        try:
            data, addr = self.sock.recvfrom(2048)
        except socket.timeout:
            return None, None, time.monotonic() - t0
        return data, addr, time.monotonic() - t0

    def expect_answer(self, desc, session, msgs, first, count, want, min_s=0.0):
        data, addr, took = self.ask(session, first, count)
        self.sent.append((first, count, want))
        if data is None:
            self.errors.append(f"{desc}: no answer within {self.quiet * 1000:.0f} ms")
            return
        if addr != self.server:
            self.errors.append(f"{desc}: answer from {addr}, not the server {self.server}")
        seq, n = struct.unpack_from(">QH", data, 10)
        if data[:10] != session or seq != first or n != want:
            self.errors.append(f"{desc}: answer {data[:10]!r} seq {seq} count {n}, want "
                               f"{session!r} {first} {want}")
            return
        off, body = 20, []
        for i in range(n):
            (ln,) = struct.unpack_from(">H", data, off)
            body.append(data[off + 2 : off + 2 + ln])
            off += 2 + ln
        if off != len(data) or body != [msgs[first + i] for i in range(n)]:
            self.errors.append(f"{desc}: the messages are not those sent as {first}..")
        if took < min_s:
            self.errors.append(f"{desc}: answered after {took * 1000:.0f} ms, want at least "
                               f"{min_s * 1000:.0f}")
        print(f"ok: {desc}: {n} messages from {first} in {took * 1000:.1f} ms")

    def expect_none(self, desc, session, first, count, why, raw=None):
        data, _, _ = self.ask(session, first, count, raw)
        self.sent.append((first, count, why))
        if data is not None:
            seq, n = struct.unpack_from(">QH", data, 10)
            self.errors.append(f"{desc}: answered ({n} messages from {seq}), want none")
        else:
            print(f"ok: {desc}: no answer ({why})")


def check_log(c, log, port):
    """The server's log lists our requests, in order, with the verdicts we saw, and an answer
    line for each answered one."""
    reqs = [e for e in load_jsonl(log) if "request" in e]
    served = [e["served"] for e in load_jsonl(log) if "served" in e]
    if len(reqs) != len(c.sent):
        c.errors.append(f"the server logged {len(reqs)} requests, we sent {len(c.sent)}")
        return
    for e, (first, count, want) in zip(reqs, c.sent):
        r = e["request"]
        if not r["peer"].endswith(f":{port}"):
            c.errors.append(f"logged peer {r['peer']}, our port is {port}")
        got = e.get("answer", e.get("none"))
        if got != want or (isinstance(want, int) and r["from"] != first):
            c.errors.append(f"logged {e}, want verdict {want} for {first}+{count}")
    answered = [(f, w) for f, _, w in c.sent if isinstance(w, int)]
    if [(s["from"], s["count"]) for s in served] != answered:
        c.errors.append(f"logged answers {[(s['from'], s['count']) for s in served]}, "
                        f"want {answered}")
    else:
        print(f"ok: the server's log lists the {len(reqs)} requests and {len(served)} answers")


def check_summary(c, err_path):
    """feedgen's closing line counts what this client sent and received: its requests, the
    answers (each checked above against the pcap) and the messages they carried; nothing is
    still delayed, as the client waited for every answer."""
    text = open(err_path).read()
    m = re.search(r"re-requests (\d+), answered (\d+) with (\d+) messages, "
                  r"(\d+) answers still delayed", text)
    answered = [w for _, _, w in c.sent if isinstance(w, int)]
    want = (len(c.sent), len(answered), sum(answered), 0)
    if not m:
        c.errors.append(f"feedgen's closing line is missing: {text.strip()!r}")
    elif tuple(int(x) for x in m.groups()) != want:
        c.errors.append(f"feedgen's closing line {m.group(0)!r}: want {want[0]} requests, "
                        f"{want[1]} answered with {want[2]} messages, {want[3]} delayed")
    else:
        print(f"ok: feedgen's closing line: {m.group(0)}")


def running(pid):
    """PID has not exited (a zombie, not yet reaped by the shell that started it, has)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True, help="ADDR:PORT")
    ap.add_argument("--pcap", required=True)
    ap.add_argument("--log", required=True, help="feedgen's --loss-log, read at the end")
    ap.add_argument("--scenario", choices=["plain", "partial", "silent"], required=True)
    ap.add_argument("--refuse", help="partial: FIRST-LAST")
    ap.add_argument("--delay-ms", type=float, default=0)
    ap.add_argument("--quiet-ms", type=float, default=300)
    ap.add_argument("--feedgen-pid", type=int, required=True,
                    help="feedgen's pid: stopped (SIGTERM ends its lingering) once every "
                         "request is done, its log read once it has exited")
    ap.add_argument("--feedgen-err", required=True,
                    help="feedgen's stderr, read once it has exited (its closing line)")
    a = ap.parse_args()

    host, port = a.server.rsplit(":", 1)
    c = Client((host, int(port)), a.quiet_ms)
    msgs, session = session_messages(a.pcap)
    last = max(msgs)
    other = b"OTHERSESS "
    if a.scenario == "plain":
        c.expect_answer("5 from the first", session, msgs, 1, 5, 5)
        n = fits(msgs, 100, 1000)
        c.expect_answer("1000 asked: what fits in one packet", session, msgs, 100, 1000, n)
        if not 5 < n < 1000:
            c.errors.append(f"one packet holds {n} messages: the case proves nothing")
        c.expect_answer("up to the last message sent", session, msgs, last - 2, 10, 3)
        c.expect_none("another session", other, 1, 5, "other-session")
        c.expect_none("not sent yet", session, last + 1, 5, "beyond")
        c.expect_none("sequence 0", session, 0, 5, "beyond")
        c.expect_none("count 0", session, 10, 0, "beyond")
        c.expect_none("19 bytes", session, 0, 0, "malformed", raw=session + bytes(9))
    elif a.scenario == "partial":
        r1, r2 = (int(x) for x in a.refuse.split("-"))
        delay = a.delay_ms / 1000
        c.expect_answer("3 at most", session, msgs, 10, 8, 3, delay)
        c.expect_answer("stops before the refused range", session, msgs, r1 - 2, 8, 2, delay)
        c.expect_none("starts inside the refused range", session, r1, 5, "refused")
        c.expect_none("starts on its last number", session, r2, 5, "refused")
        c.expect_answer("right after it", session, msgs, r2 + 1, 2, 2, delay)
    else:
        c.expect_none("silent", session, 1, 5, "silent")
        c.expect_none("silent, another session", other, 1, 5, "silent")
    os.kill(a.feedgen_pid, signal.SIGTERM)
    deadline = time.monotonic() + 20
    while running(a.feedgen_pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    if running(a.feedgen_pid):
        c.errors.append("feedgen still running 20 s after SIGTERM")
    else:
        check_log(c, a.log, c.sock.getsockname()[1])
        check_summary(c, a.feedgen_err)
    return failed(c.errors)


if __name__ == "__main__":
    sys.exit(main())
