"""Helpers shared by the integration checkers (check_*.py, abreplay.py, overlap_replay.py):
JSON-lines files, the verdict, pcap payloads, sequence-number runs and the two lines' sender.

    from feedcheck import failed, load_jsonl, runs, udp_payloads
    sent = load_jsonl(a.sent)           # feedgen --log, consume --json
    ...
    if errors:
        return failed(errors)           # one "FAIL: ..." line each, exit status 1
    print("ok: ...")
    return 0
"""
import json
import socket
import struct


def load_jsonl(path):
    """The JSON objects of a file of one object per line (blank lines skipped)."""
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def failed(errors, limit=None):
    """Print one "FAIL: ..." line per error (the first LIMIT of them); the checker's exit status:
    1 if there is any, else 0."""
    for e in errors[:limit]:
        print("FAIL:", e)
    return 1 if errors else 0


def udp_payloads(path):
    """The UDP payloads of a classic pcap of Ethernet/IPv4/UDP frames, in file order."""
    with open(path, "rb") as f:
        data = f.read()
    off, out = 24, []
    while off + 16 <= len(data):
        incl = struct.unpack_from("<I", data, off + 8)[0]
        frame = data[off + 16 : off + 16 + incl]
        off += 16 + incl
        ihl = (frame[14] & 0x0F) * 4
        out.append(frame[14 + ihl + 8 :])
    return out


def runs(seqs):
    """Maximal runs of consecutive numbers, as (first, count), in order."""
    out, start, prev = [], None, None
    for s in sorted(seqs):
        if start is None or s != prev + 1:
            if start is not None:
                out.append((start, prev - start + 1))
            start = s
        prev = s
    if start is not None:
        out.append((start, prev - start + 1))
    return out


def line_sender(source, line_a, line_b):
    """A UDP socket multicasting from the interface of SOURCE (TTL 1: the test's link only),
    and {"A": (addr, port), "B": ...} of the lines given as ADDR:PORT."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(source))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
    groups = {}
    for line, spec in (("A", line_a), ("B", line_b)):
        addr, port = spec.rsplit(":", 1)
        groups[line] = (addr, int(port))
    return s, groups
