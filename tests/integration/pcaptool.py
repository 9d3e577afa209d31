"""Captures for the replay tests, written byte by byte so the tests do not trust the reader
under test: read a pcap (either timestamp precision), write it again as microsecond or
nanosecond pcap or as pcapng, with 802.1Q tags inserted, with another link type, or cut short.

    pcaptool.py read IN                      one line per record: ts_ns caplen len hex
    pcaptool.py convert IN OUT FORMAT [--vlan VID] [--linktype N] [--snap N]
        FORMAT: us | ns | pcapng
    pcaptool.py cut IN OUT            IN without the last 10 bytes (a record cut short)
"""
import argparse
import struct
import sys

MAGIC_US, MAGIC_NS = 0xA1B2C3D4, 0xA1B23C4D
LINKTYPE_ETHERNET = 1


def read(path):
    """(linktype, [(ts_ns, orig_len, bytes)]) of a little-endian pcap."""
    with open(path, "rb") as f:
        data = f.read()
    magic, _, _, _, _, _, linktype = struct.unpack_from("<IHHiIII", data, 0)
    if magic not in (MAGIC_US, MAGIC_NS):
        sys.exit(f"{path}: not a little-endian pcap (magic {magic:#x})")
    scale = 1000 if magic == MAGIC_US else 1
    off, recs = 24, []
    while off + 16 <= len(data):
        sec, frac, incl, orig = struct.unpack_from("<IIII", data, off)
        recs.append((sec * 10**9 + frac * scale, orig, data[off + 16 : off + 16 + incl]))
        off += 16 + incl
    return linktype, recs


def vlan(frame, vid):
    """FRAME with an 802.1Q tag (VID, priority 0) after the MAC addresses."""
    return frame[:12] + struct.pack(">HH", 0x8100, vid) + frame[12:]


def write_pcap(path, recs, linktype, ns):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", MAGIC_NS if ns else MAGIC_US, 2, 4, 0, 0, 65535,
                            linktype))
        for ts, orig, frame in recs:
            frac = ts % 10**9 if ns else ts % 10**9 // 1000
            f.write(struct.pack("<IIII", ts // 10**9, frac, len(frame), orig) + frame)


def block(btype, body):
    body += b"\0" * (-len(body) % 4)
    n = 12 + len(body)
    return struct.pack("<II", btype, n) + body + struct.pack("<I", n)


def write_pcapng(path, recs, linktype):
    """Section header, one interface (if_tsresol 9: nanoseconds), one enhanced packet each."""
    shb = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    opts = struct.pack("<HHB3x", 9, 1, 9) + struct.pack("<HH", 0, 0)
    idb = block(1, struct.pack("<HHI", linktype, 0, 65535) + opts)
    with open(path, "wb") as f:
        f.write(shb + idb)
        for ts, orig, frame in recs:
            f.write(block(6, struct.pack("<IIIII", 0, ts >> 32, ts & 0xFFFFFFFF, len(frame),
                                         orig) + frame))


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("read")
    r.add_argument("path")
    c = sub.add_parser("convert")
    c.add_argument("src")
    c.add_argument("dst")
    c.add_argument("format", choices=["us", "ns", "pcapng"])
    c.add_argument("--vlan", type=int)
    c.add_argument("--linktype", type=int)
    c.add_argument("--snap", type=int, help="keep only this many bytes of the last record")
    c.add_argument("--odd", action="store_true",
                   help="add a 10-byte runt and a 4000-byte frame after the first record")
    t = sub.add_parser("cut")
    t.add_argument("src")
    t.add_argument("dst")
    a = ap.parse_args()
    if a.cmd == "read":
        for ts, orig, frame in read(a.path)[1]:
            print(ts, len(frame), orig, frame.hex())
        return
    if a.cmd == "cut":
        with open(a.src, "rb") as f:
            data = f.read()
        with open(a.dst, "wb") as f:
            f.write(data[:-10])
        return
    linktype, recs = read(a.src)
    linktype = a.linktype if a.linktype is not None else linktype
    if a.vlan is not None:
        recs = [(ts, orig + 4, vlan(fr, a.vlan)) for ts, orig, fr in recs]
    if a.odd:
        ts = recs[0][0]
        recs[1:1] = [(ts, 10, b"\x01" * 10), (ts, 4000, b"\x02" * 4000)]
    if a.snap is not None:
        ts, orig, frame = recs[-1]
        recs[-1] = (ts, orig, frame[: a.snap])
    if a.format == "pcapng":
        write_pcapng(a.dst, recs, linktype)
    else:
        write_pcap(a.dst, recs, linktype, a.format == "ns")


if __name__ == "__main__":
    main()
