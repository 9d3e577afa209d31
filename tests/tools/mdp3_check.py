# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""feedgen's CME MDP 3.0 capture against an independent decoder (a Wireshark Lua dissector).

check(PCAP, LOG, LUA, ROOT) decodes PCAP with tshark and the dissector LUA, then compares:
- every row of docs/wire/mdp3.md (`| field | offset | size | constant | decoder field |`) with
  where the decoder found that field (packet header, message header, group dimension headers,
  each template's root block and group entries), its constant with include/feedsieve/wire_mdp3.h
  or tools/feedgen/mdp3_encode.h, and each section's block length with the decoded BlockLength;
- SecurityID and RptSeq positions with the template table (MDP3_TEMPLATES) of wire_mdp3.h;
- schema id, version, the sum of MsgSize with the UDP payload, numInGroup with the entries decoded;
- every decoded packet, message and instrument key (group, MsgSeqNum, SendingTime, message index,
  template, entry index, SecurityID, RptSeq, definition Symbol; a snapshot's
  LastMsgSeqNumProcessed and number of entries) with feedgen's LOG, line by line,
  and the Symbol the log gives each incremental entry with the decoded definition of its id.
Returns the list of disagreements and prints the counts.
"""
import glob
import json
import os
import re
import subprocess
import xml.etree.ElementTree as ET

MDP3_VERSION = 13
P = f"cme.globex.mdp3.sbe.v1.{MDP3_VERSION}."
ROW = re.compile(r"^\|\s*([^|]+?)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*`?([A-Z0-9_]*)`?\s*\|"
                 r"\s*`mdp3:([a-z0-9]+)`\s*\|")
SECTION = re.compile(r"^### .*template (\d+), (root block|entry of group (\d))\s*\((\d+) bytes\)")
TEMPLATE_ROW = re.compile(r"X\((\d+),\s*(MDP3_KEY_\w+),\s*(\d+),\s*(\w+),\s*(\d)")


def constants(root):
    out = {}
    for h in glob.glob(os.path.join(root, "include/feedsieve/*.h")) + \
            [os.path.join(root, "tools/feedgen/mdp3_encode.h")]:
        for m in re.finditer(r"^#define (\w+)\s+(0x[0-9a-fA-F]+|\d+)\b", open(h).read(), re.M):
            out[m.group(1)] = int(m.group(2), 0)
    return out


def template_table(root):
    """{id: (key_place, key_off, rpt_seq_off or None, definition)} from MDP3_TEMPLATES."""
    text = open(os.path.join(root, "include/feedsieve/wire_mdp3.h")).read()
    out = {}
    for m in TEMPLATE_ROW.finditer(text):
        rpt = None if m.group(4) == "MDP3_NO_FIELD" else int(m.group(4))
        out[int(m.group(1))] = (m.group(2), int(m.group(3)), rpt, m.group(5) == "1")
    return out


def doc_rows(root):
    """[(context, name, offset, size, constant, decoder field)]; context names the base."""
    rows, ctx = [], None
    for line in open(os.path.join(root, "docs/wire/mdp3.md")):
        if line.startswith("#"):
            m = SECTION.match(line)
            if m:
                ctx = ("root", int(m.group(1)), int(m.group(4))) if m.group(2) == "root block" \
                    else ("entry", int(m.group(1)), int(m.group(3)), int(m.group(4)))
            elif "groupSize8Byte" in line:
                ctx = ("grp", 8)
            elif "groupSize" in line:
                ctx = ("grp", 3)
            elif "packet header" in line.lower():
                ctx = ("pkt",)
            elif "message header" in line.lower():
                ctx = ("msg",)
            else:
                ctx = None
        m = ROW.match(line)
        if m and ctx:
            rows.append((ctx, m.group(1), int(m.group(2)), int(m.group(3)), m.group(4),
                         m.group(5)))
    return rows


def pdml(pcap, lua):
    out = subprocess.run(["tshark", "-r", pcap, "-T", "pdml", "-X", "lua_script:" + lua],
                         check=True, capture_output=True, text=True).stdout
    for p in ET.fromstring(out).iter("packet"):
        yield [(f.get("name"), int(f.get("pos") or 0), int(f.get("size") or 0), f.get("show"),
                f.get("value") or "") for f in p.iter("field")]


def le(f):
    return int.from_bytes(bytes.fromhex(f[4]), "little")


def field_in(fields, name, lo, hi):
    return next((f for f in fields if f[0] == P + name and lo <= f[1] < hi), None)


class Checker:
    def __init__(self, root):
        self.rows, self.consts = doc_rows(root), constants(root)
        self.table = template_table(root)
        self.errors, self.compared, self.rows_seen = [], 0, set()

    def fail(self, msg):
        if msg not in self.errors:
            self.errors.append(msg)

    def expect(self, what, got, want):
        self.compared += 1
        if got != want:
            self.fail(f"{what}: decoder {got}, want {want}")

    def rows_at(self, fields, ctx, base, end):
        """Check the rows of section CTX against the fields decoded in [BASE, END)."""
        for i, (rctx, name, off, size, const, dfield) in enumerate(self.rows):
            if rctx != ctx:
                continue
            f = field_in(fields, dfield, base, end)
            if f is None:
                continue
            self.rows_seen.add(i)
            self.expect(f"mdp3.md {ctx}: {name} offset/size", (f[1] - base, f[2]), (off, size))
            if const:
                self.compared += 1
                if self.consts.get(const) != off:
                    self.fail(f"mdp3.md {ctx}: {name}: {const} is {self.consts.get(const)}, "
                              f"the page says {off}")

    def message(self, fields, start, size, pkt, lines, defs):
        """Check one message decoded from FIELDS; append its key lines to LINES."""
        body = [f for f in fields if start <= f[1] < start + size]
        self.rows_at(body, ("msg",), start, start + 10)
        blen = le(field_in(body, "blocklength", start, start + 10))
        tid = le(field_in(body, "templateid", start, start + 10))
        self.expect("schema id", le(field_in(body, "schemaid", start, start + 10)), 1)
        self.expect("version", le(field_in(body, "version", start, start + 10)), MDP3_VERSION)
        root = start + 10
        for ctx in {r[0] for r in self.rows if r[0][0] == "root" and r[0][1] == tid}:
            self.expect(f"template {tid} BlockLength", blen, ctx[2])
            self.rows_at(body, ctx, root, root + blen)
        groups = []
        for f in body:
            if f[0] in (P + "groupsize", P + "groupsize8byte"):
                hdr = 8 if f[0].endswith("8byte") else 3
                self.rows_at(body, ("grp", hdr), f[1], f[1] + hdr)
                gb = le(field_in(body, "blocklength", f[1], f[1] + hdr))
                num = le(field_in(body, "numingroup", f[1], f[1] + hdr))
                groups.append((f[1] + hdr, gb, num))
        for g, (first, gb, num) in enumerate(groups):
            for ctx in {r[0] for r in self.rows if r[0][0] == "entry" and r[0][1:3] == (tid, g)}:
                self.expect(f"template {tid} group {g} blockLength", gb, ctx[3])
                for j in range(num):
                    self.rows_at(body, ctx, first + j * gb, first + (j + 1) * gb)
        end = groups[-1][0] + groups[-1][1] * groups[-1][2] if groups else root + blen
        self.expect(f"template {tid}: MsgSize against the decoded layout", size, end - start)
        base = dict(pkt, msg=pkt["msg"], template=tid)
        place, key_off, rpt_off, definition = self.table.get(tid, ("MDP3_KEY_NONE", 0, None, 0))
        if place == "MDP3_KEY_ROOT":
            sid = field_in(body, "securityid", root, root + blen)
            self.expect(f"template {tid} SecurityID offset", sid[1] - root, key_off)
            sym = None
            if definition:
                symf = field_in(body, "symbol", root, root + blen)
                self.expect(f"template {tid} Symbol offset", symf[1] - root,
                            self.consts["MDP3_DEF_OFF_SYMBOL"])
                sym = bytes.fromhex(symf[4]).rstrip(b"\0").decode()
                defs[le(sid)] = sym
            else:
                sym = defs.get(le(sid))  # the log names it from the table: the definition's
            line = dict(base, security_id=le(sid), symbol=sym)
            if rpt_off is not None:
                rpt = field_in(body, "rptseq", root, root + blen)
                self.expect(f"template {tid} RptSeq offset", rpt[1] - root, rpt_off)
                line["rpt_seq"] = le(rpt)
            last = field_in(body, "lastmsgseqnumprocessed", root, root + blen)
            if last is not None:
                line["last_msg_seq_num_processed"] = le(last)
                line["md_entries"] = groups[0][2] if groups else None
            lines.append(line)
            return 0
        if place != "MDP3_KEY_ENTRY" or not groups or groups[0][2] == 0:
            lines.append(base)
            return 0
        first, gb, num = groups[0]
        for j in range(num):
            lo = first + j * gb
            sid = field_in(body, "securityid", lo, lo + gb)
            self.expect(f"template {tid} SecurityID offset", sid[1] - lo, key_off)
            line = dict(base, entry=j, security_id=le(sid))
            if rpt_off is not None:
                rpt = field_in(body, "rptseq", lo, lo + gb)
                self.expect(f"template {tid} RptSeq offset", rpt[1] - lo, rpt_off)
                line["rpt_seq"] = le(rpt)
            lines.append(line)
        return num

    def packet(self, fields, lines, defs, counts):
        ip = next(f for f in fields if f[0] == "ip.version")[1]
        udp = ip + int(next(f for f in fields if f[0] == "ip.hdr_len")[3])
        payload, plen = udp + 8, int(next(f for f in fields if f[0] == "udp.length")[3]) - 8
        group = "%s:%s" % (next(f for f in fields if f[0] == "ip.dst")[3],
                           next(f for f in fields if f[0] == "udp.dstport")[3])
        seq = field_in(fields, "packetsequencenumber", payload, payload + 12)
        if seq is None:
            self.fail(f"a packet to {group} was not decoded as MDP3")
            return
        counts["packets"] += 1
        self.rows_at(fields, ("pkt",), payload, payload + 12)
        pkt = {"group": group, "seq": le(seq),
               "sending_time": le(field_in(fields, "sendingtime", payload, payload + 12))}
        off = payload + 12
        sizes = [f for f in fields if f[0] == P + "messagesize"]
        for k, f in enumerate(sizes):
            self.expect(f"packet {pkt['seq']}: message {k} starts after the previous", f[1], off)
            pkt["msg"] = k
            counts["entries"] += self.message(fields, f[1], le(f), pkt, lines, defs)
            counts["messages"] += 1
            off = f[1] + le(f)
        self.expect(f"packet {pkt['seq']}: header and MsgSizes against the UDP payload",
                    off - payload, plen)


def check(pcap, log, lua, root):
    c = Checker(root)
    counts = {"packets": 0, "messages": 0, "entries": 0}
    lines, defs = [], {}
    for fields in pdml(pcap, lua):
        c.packet(fields, lines, defs, counts)
    keys = ("group", "seq", "sending_time", "msg", "template", "entry", "security_id", "rpt_seq",
            "last_msg_seq_num_processed", "md_entries")
    logged = [json.loads(x) for x in open(log)]
    want = [tuple(m.get(k) for k in keys) + (m.get("symbol") if "entry" not in m else None,)
            for m in logged]
    got = [tuple(m.get(k) for k in keys) + (m.get("symbol"),) for m in lines]
    c.compared += sum(len(x) for x in got)
    if got != want:
        c.fail(f"decoded {len(got)} keys, logged {len(want)}; first difference (decoder, log): "
               f"{next((x for x in zip(got, want) if x[0] != x[1]), None)}")
    for m in logged:
        if "entry" in m and "symbol" in m:
            c.expect(f"symbol of SecurityID {m['security_id']} (log against decoded definition)",
                     defs.get(m["security_id"]), m["symbol"])
    for i, r in enumerate(c.rows):
        if i not in c.rows_seen:
            print(f"note: mdp3.md: {r[0]} {r[1]} (mdp3:{r[5]}) not in the decoded frames")
    templates = sorted({m["template"] for m in logged})
    print(f"MDP3: {counts['packets']} packets, {counts['messages']} messages, "
          f"{counts['entries']} entries, {len(got)} keys of templates "
          f"{' '.join(map(str, templates))} decoded by {os.path.basename(lua)}; "
          f"{len(c.rows_seen)} of {len(c.rows)} mdp3.md rows found; {c.compared} fields "
          f"compared, {len(c.errors)} disagreements")
    return c.errors
