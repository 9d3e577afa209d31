#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Check the wire facts of docs/wire/*.md against an independent decoder (tshark).

    wire_decoder.py PCAP LOG PORT [--itch-lua FILE] [--mdp3 PCAP LOG [--mdp3-lua FILE]]

Every table row of docs/wire/*.md that names a decoder field is checked twice: its offset and
size against where tshark found that field in feedgen's PCAP, and its feedsieve constant against
include/feedsieve/*.h. The decoded values are compared with feedgen's LOG (one JSON line per
message): group, session, sequence number and, with an ITCH 5.0 decoder (--itch-lua, a Wireshark
Lua dissector kept outside the repository), type, locate and symbol of every message. VLAN rows
are checked on copies of the first frame with one and two tags added. With --mdp3, feedgen's MDP3
capture and log are checked too when --mdp3-lua names a CME MDP 3.0 SBE Lua dissector of the
version feedgen writes (mdp3_check.py). Exit 0, or 1 and one line per difference.
"""
import argparse
import glob
import json
import os
import re
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
ITCH_PREFIX = "nasdaq.nsmequities.totalview.itch.v5.0.2017."
ITCH_PROTO = "omi.nasdaq.nsmequities.totalview.itch.v5.0.2017"
ROW = re.compile(r"^\|\s*([^|]+?)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*`?([A-Z0-9_]*)`?\s*\|"
                 r"\s*`([a-z0-9_.:]+)`\s*\|")
ITCH_HEADING = re.compile(r"^#+ .*'(\w)'.*?(\d+) bytes")
failures = []


def fail(msg):
    if msg not in failures:  # one line per difference, not one per message that shows it
        failures.append(msg)
        print("FAIL: " + msg)


def constants():
    out = {}
    for h in glob.glob(os.path.join(ROOT, "include/feedsieve/*.h")):
        for m in re.finditer(r"^#define (\w+)\s+(0x[0-9a-fA-F]+|\d+)\b", open(h).read(), re.M):
            out[m.group(1)] = int(m.group(2), 0)
    return out


def doc_rows():
    """(page, ITCH type or None, length or None, field, offset, size, constant, decoder field)."""
    rows = []
    for page in sorted(glob.glob(os.path.join(ROOT, "docs/wire/*.md"))):
        itype = ilen = None
        for line in open(page):
            h = ITCH_HEADING.match(line)
            if h:
                itype, ilen = h.group(1), int(h.group(2))
            elif line.startswith("#") and "Every message" in line:
                itype, ilen = "*", None
            elif line.startswith("#"):
                itype = ilen = None
            m = ROW.match(line)
            if m:
                rows.append((os.path.basename(page), itype, ilen, m.group(1), int(m.group(2)),
                             int(m.group(3)), m.group(4), m.group(5)))
    return rows


def pdml(pcap, args):
    out = subprocess.run(["tshark", "-r", pcap, "-T", "pdml"] + args, check=True,
                         capture_output=True, text=True).stdout
    packets = []
    for p in ET.fromstring(out).iter("packet"):
        packets.append([(f.get("name"), int(f.get("pos") or 0), int(f.get("size") or 0),
                         f.get("show"), f.get("value")) for f in p.iter("field")])
    return packets


def first(fields, name):
    return next((f for f in fields if f[0] == name), None)


def check_rows(rows, consts, where, bases):
    """Check each row whose decoder field the packet has: BASES maps a prefix to its offset 0."""
    seen = set()
    for page, _, _, name, off, size, const, dfield in rows:
        prefix = dfield.split(".")[0]
        if prefix not in bases or dfield in seen:
            continue
        f = first(where, dfield)
        if f is None:
            continue
        seen.add(dfield)
        if (f[1] - bases[prefix], f[2]) != (off, size):
            fail(f"{page}: {name}: offset {off} size {size}, tshark's {dfield} is at "
                 f"{f[1] - bases[prefix]} size {f[2]}")
        if const and consts.get(const) != off:
            fail(f"{page}: {name}: {const} is {consts.get(const)}, the page says {off}")
    return seen


def vlan_copies(pcap, tmp):
    """PCAP's first frame with an 802.1Q tag, and with 802.1ad + 802.1Q tags, as a new pcap."""
    data = open(pcap, "rb").read()
    head, rec = data[:24], data[24:]
    ts_s, ts_us, incl, orig = struct.unpack("<IIII", rec[:16])
    frame = rec[16:16 + incl]
    out = head
    for tags in ([(0x8100, 100)], [(0x88A8, 200), (0x8100, 100)]):
        f = frame[:12] + b"".join(struct.pack(">HH", tpid, vid) for tpid, vid in tags) + frame[12:]
        out += struct.pack("<IIII", ts_s, ts_us, len(f), len(f)) + f
    path = os.path.join(tmp, "vlan.pcap")
    open(path, "wb").write(out)
    return path


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pcap")
    ap.add_argument("log")
    ap.add_argument("port", type=int)
    ap.add_argument("--itch-lua")
    ap.add_argument("--mdp3", nargs=2, metavar=("PCAP", "LOG"))
    ap.add_argument("--mdp3-lua")
    a = ap.parse_args()
    rows, consts = doc_rows(), constants()
    checked = set()
    log = [json.loads(l) for l in open(a.log)]

    # Ethernet, IPv4, UDP and MoldUDP64 with tshark's own dissectors.
    msgs = []
    for fields in pdml(a.pcap, ["-d", f"udp.port=={a.port},moldudp64"]):
        ip = first(fields, "ip.version")[1]
        udp = ip + int(first(fields, "ip.hdr_len")[3])
        mold = udp + 8
        checked |= check_rows(rows, consts, fields, {"eth": 0, "ip": ip, "udp": udp,
                                                     "moldudp64": mold})
        group = "%s:%s" % (first(fields, "ip.dst")[3], first(fields, "udp.dstport")[3])
        session = first(fields, "moldudp64.session")[3]
        seq = int(first(fields, "moldudp64.sequence")[3])
        count = int(first(fields, "moldudp64.count")[3])
        blocks = [f for f in fields if f[0] == "moldudp64.msgseq"]
        if count not in (0, 0xFFFF) and len(blocks) != count:
            fail(f"packet of sequence {seq}: count {count}, {len(blocks)} blocks")
        for i, b in enumerate(blocks):
            if int(b[3]) != seq + i:
                fail(f"block {i} of packet {seq}: sequence {b[3]}, want {seq + i}")
            msgs.append((group, session, int(b[3])))
    got = [(m["group"], m["session"], m["seq"]) for m in log]
    if msgs != got:
        fail(f"MoldUDP64: tshark decoded {len(msgs)} messages, feedgen logged {len(got)}; first "
             f"difference: {next((x for x in zip(msgs, got) if x[0] != x[1]), None)}")
    print(f"MoldUDP64: {len(msgs)} messages decoded by tshark's moldudp64 dissector, "
          "group, session and sequence numbers equal feedgen's log")

    with tempfile.TemporaryDirectory() as tmp:
        # One 802.1Q tag at 12; then an 802.1ad tag at 12 with the 802.1Q tag behind it at 16.
        for (tpid, inner), fields in zip(((0x8100, 12), (0x88A8, 16)),
                                         pdml(vlan_copies(a.pcap, tmp), [])):
            eth = first(fields, "eth.type")
            if int(eth[3], 16) != tpid:
                fail(f"VLAN copy: tshark read TPID {eth[3]} at 12, want {tpid:#06x}")
            checked |= check_rows(rows, consts, fields, {"vlan": inner})
            etype = first(fields, "vlan.etype")
            if etype is None or int(etype[3], 16) != 0x0800 or first(fields, "ip.version") is None:
                fail(f"VLAN copy with TPID {tpid:#06x}: the inner EtherType is not IPv4")

    if a.itch_lua:
        decoded = []
        for fields in pdml(a.pcap, ["-X", "lua_script:" + a.itch_lua, "-d",
                                    f"udp.port=={a.port},{ITCH_PROTO}"]):
            starts = [i for i, f in enumerate(fields) if f[0] == ITCH_PREFIX + "messagetype"]
            for k, i in enumerate(starts):
                body = fields[i:starts[k + 1] if k + 1 < len(starts) else len(fields)]
                mtype, base = body[0][3], body[0][1]
                length = int(fields[i - 1][3])
                for page, itype, ilen, name, off, size, const, dfield in rows:
                    if itype not in (mtype, "*") or not dfield.startswith("itch:"):
                        continue
                    f = first(body, ITCH_PREFIX + dfield[5:])
                    if f is None:
                        fail(f"{page}: '{itype}' {name}: the decoder has no {dfield}")
                        continue
                    checked.add(f"{itype}:{dfield}")
                    if (f[1] - base, f[2]) != (off, size):
                        fail(f"{page}: '{itype}' {name}: offset {off} size {size}, decoder "
                             f"{f[1] - base} size {f[2]}")
                    if const and consts.get(const) != off:
                        fail(f"{page}: '{itype}' {name}: {const} is {consts.get(const)}, "
                             f"the page says {off}")
                    if ilen is not None and ilen != length:
                        fail(f"{page}: '{itype}' is {ilen} bytes, the decoder read {length}")
                stock = first(body, ITCH_PREFIX + "stock")
                decoded.append((mtype, int(first(body, ITCH_PREFIX + "stocklocate")[3]),
                                stock[3].strip() if stock else None))
        want = [(m["type"], m["locate"], m.get("symbol") if d[2] is not None else None)
                for m, d in zip(log, decoded)]
        if decoded != want or len(decoded) != len(log):
            fail(f"ITCH 5.0: decoded {len(decoded)} messages, logged {len(log)}; first "
                 f"difference: {next((x for x in zip(decoded, want) if x[0] != x[1]), None)}")
        types = sorted({d[0] for d in decoded})
        print(f"ITCH 5.0: {len(decoded)} messages of types {' '.join(types)} decoded by "
              f"{os.path.basename(a.itch_lua)}: type, locate and symbol equal feedgen's log")
    else:
        print("ITCH 5.0: no decoder given (--itch-lua): message offsets not checked")

    if a.mdp3 and a.mdp3_lua:
        import mdp3_check
        for msg in mdp3_check.check(a.mdp3[0], a.mdp3[1], a.mdp3_lua, ROOT):
            fail(msg)
    elif a.mdp3:
        print("MDP3: no decoder given (--mdp3-lua): feedgen's MDP3 capture not checked")

    for page, itype, _, name, _, _, _, dfield in rows:
        key = f"{itype}:{dfield}" if dfield.startswith("itch:") else dfield
        if dfield.split(":")[0] in ("mdp3", "nyse", "pitch"):
            continue  # mdp3_check.py and nyse_pitch_check.py report their own rows
        if key not in checked and (a.itch_lua or not dfield.startswith("itch:")):
            print(f"note: {page}: {name} ({dfield}) not in the decoded frames")
    print(f"rows checked: {len(checked)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
