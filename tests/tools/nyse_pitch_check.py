# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""feedgen's NYSE XDP and Cboe PITCH captures against independent decoders (Wireshark Lua
dissectors kept outside the repository).

check(PROTO, PCAP, LOG, LUA, ROOT, LAYOUT) decodes PCAP with tshark and the dissector LUA, then
compares:
- every row of docs/wire/nyse-xdp.md or docs/wire/pitch.md (`| field | offset | size | constant |
  decoder field |`) with where the decoder found that field in each packet header, message
  header and message of the documented type, and its constant with include/feedsieve/wire_*.h or
  tools/feedgen/*_encode.h; each message's length with the page's, and the rows of a type with
  its whole length (no byte of a message the page does not describe);
- the project's own type tables (LAYOUT: tests/tools/layout_dump.c's JSON of
  nyse_symbol_index_off(), nyse_is_control() and pitch_type_info()) with where the decoder found
  the SymbolIndex, the symbol, the Order ID and the quantity of each message;
- every decoded packet and message with feedgen's LOG, line by line: NYSE group, DeliveryFlag,
  sequence number, send time, message index, type, SymbolIndex, symbol (of the decoded mapping of
  the index) and Order ID; PITCH group, unit, sequence number, unsequenced, message index, type,
  Order ID, symbol (inline, or of the decoded Add Order the message names) and whether the order
  is still open (from the decoded quantities).
Returns the list of disagreements and prints the counts.
"""
import argparse
import glob
import json
import os
import re
import sys

from mdp3_check import le, pdml  # the same tshark PDML reading and little-endian values

SPECS = {
    "nyse": {
        "name": "NYSE XDP", "page": "nyse-xdp.md",
        "prefix": "nyse.nyseequities.integratedfeed.xdp.v2.1.g.",
        "hdr_len": 16, "msg_hdr": 4, "seq": "sequencenumber", "count": "messagecount",
        "size": "messagesize", "type": "messagetype",
        "consts": ["include/feedsieve/wire_nyse.h", "tools/feedgen/nyse_encode.h"],
    },
    "pitch": {
        "name": "PITCH", "page": "pitch.md",
        "prefix": "cboe.byxequities.multicastdepthofbook.pitch.v2.41.64.",
        "hdr_len": 8, "msg_hdr": 2, "seq": "sequence", "count": "count",
        "size": "messagelength", "type": "messagetype",
        "consts": ["include/feedsieve/wire_pitch.h", "tools/feedgen/pitch_encode.h"],
    },
}
ROW = r"^\|\s*([^|]+?)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*`?([A-Z0-9_]*)`?\s*\|\s*`%s:([a-z0-9]+)`\s*\|"
TYPE_HEADING = re.compile(r"^### Type (0x[0-9A-Fa-f]+|\d+)\b.*?(\d+) bytes")
PITCH_QTY = {"quantitybinary4", "quantitybinary2", "executedquantity", "remainingquantity",
             "canceledquantitybinary4", "canceledquantitybinary2"}
PITCH_KIND_ADD, PITCH_KIND_SYMBOL, PITCH_KIND_ORDER = 3, 2, 4
PITCH_ORDER_ID_OFF = 6
NS = 1000000000


def constants(root, files):
    out = {}
    for h in files:
        for m in re.finditer(r"^#define (\w+)\s+(0x[0-9a-fA-F]+|\d+)\b",
                             open(os.path.join(root, h)).read(), re.M):
            out[m.group(1)] = int(m.group(2), 0)
    return out


def doc_rows(root, proto, page):
    """[(context, name, offset, size, constant, decoder field)]; context: pkt, msg, (type, len)."""
    rows, ctx, row = [], None, re.compile(ROW % proto)
    for line in open(os.path.join(root, "docs/wire", page)):
        if line.startswith("#"):
            m = TYPE_HEADING.match(line)
            low = line.lower()
            ctx = (int(m.group(1), 0), int(m.group(2))) if m else \
                "pkt" if "packet header" in low or "unit header" in low else \
                "msg" if "message header" in low else None
        m = row.match(line)
        if m and ctx:
            rows.append((ctx, m.group(1), int(m.group(2)), int(m.group(3)), m.group(4),
                         m.group(5)))
    return rows


def text(f):
    return bytes.fromhex(f[4]).split(b"\0")[0].decode().rstrip(" ")


class Checker:
    def __init__(self, proto, root, layout, lua):
        self.s = SPECS[proto]
        # The dissector's own field prefix: OMI's dissectors of other venues of the same layout
        # (BZX, EDGX, EDGA; NYSE American) name their fields after the venue.
        m = re.search(r'ProtoField\.new\("[^"]*", "([a-z0-9.]+\.)%s"' % self.s["type"],
                      open(lua).read())
        self.proto, self.P = proto, m.group(1) if m else self.s["prefix"]
        self.rows = doc_rows(root, proto, self.s["page"])
        self.consts = constants(root, self.s["consts"])
        self.layout = {int(k): v for k, v in layout[proto].items()}
        self.map_min_len = layout["nyse_map_min_len"]
        self.errors, self.compared, self.rows_seen, self.tiled = [], 0, set(), set()
        self.counts = {"packets": 0, "messages": 0}
        self.maps, self.book, self.lines = {}, {}, []

    def fail(self, msg):
        if msg not in self.errors:
            self.errors.append(msg)

    def expect(self, what, got, want):
        self.compared += 1
        if got != want:
            self.fail(f"{what}: decoder {got}, want {want}")

    def field(self, fields, name, lo, hi):
        return next((f for f in fields if f[0] == self.P + name and lo <= f[1] < hi), None)

    def rows_at(self, fields, ctx, base, end):
        for i, (rctx, name, off, size, const, dfield) in enumerate(self.rows):
            if rctx != ctx:
                continue
            f = self.field(fields, dfield, base, end)
            if f is None:
                self.fail(f"{self.s['page']} {ctx}: {name}: the decoder has no {dfield} here")
                continue
            self.rows_seen.add(i)
            self.expect(f"{self.s['page']} {ctx}: {name} offset/size", (f[1] - base, f[2]),
                        (off, size))
            if const:
                self.expect(f"{self.s['page']} {ctx}: {name}: {const}", self.consts.get(const),
                            off)

    def tile(self, ctx):
        """The rows of a type cover its bytes after the message header once, in order."""
        if ctx in self.tiled:
            return
        self.tiled.add(ctx)
        at = self.s["msg_hdr"]
        for rctx, name, off, size, _, _ in self.rows:
            if rctx == ctx:
                self.expect(f"{self.s['page']} type {ctx[0]}: {name} follows the previous row",
                            off, at)
                at = off + size
        self.expect(f"{self.s['page']} type {ctx[0]}: rows against its length", at, ctx[1])

    def message(self, fields, s, size, t, base):
        body = [f for f in fields if s <= f[1] < s + size]
        ctx = next((r[0] for r in self.rows if isinstance(r[0], tuple) and r[0][0] == t), None)
        if ctx is None:
            self.fail(f"type {t}: not on {self.s['page']}")
            return dict(base, type=t)
        self.expect(f"type {t} length", size, ctx[1])
        self.tile(ctx)
        self.rows_at(body, ctx, s, s + size)
        return (self.nyse if self.proto == "nyse" else self.pitch)(body, s, size, t, base)

    def nyse(self, body, s, size, t, base):
        idx_off, control = self.layout.get(t, [0, 0])
        line = dict(base, type=t)
        f = self.field(body, "symbolindex", s, s + size)
        self.expect(f"type {t}: nyse_symbol_index_off", f[1] - s if f else 0, idx_off)
        self.expect(f"type {t}: nyse_is_control", bool(control), t in (1, 2, 31, 35))
        if f:
            line["symbol_index"] = le(f)
            sym = self.field(body, "symbol", s, s + size)
            if t == 3 and sym is None:
                self.fail("mapping: the decoder has no symbol")
            elif t == 3:
                self.expect("mapping: NYSE_MAP_MIN_LEN is the symbol's end", self.map_min_len,
                            sym[1] - s + sym[2])
                self.maps[le(f)] = text(sym)
            if le(f) in self.maps:
                line["symbol"] = self.maps[le(f)]
        o = self.field(body, "orderid", s, s + size)
        if o:
            line["order_id"] = le(o)
        return line

    def pitch(self, body, s, size, t, base):
        kind, sym_off, sym_len, min_len, qty_off, qty_len = self.layout.get(t, [0] * 6)
        line = dict(base, type=t)
        self.expect(f"type {t:#x}: pitch_type_info min_len within the message",
                    min_len <= size, True)
        o = self.field(body, "orderid", s, s + size)
        if o:
            self.expect(f"type {t:#x}: Order ID offset", o[1] - s, PITCH_ORDER_ID_OFF)
            line["order_id"] = le(o)
        sym = next((f for f in body if f[0] in (self.P + "symbolprintableascii6",
                                                 self.P + "symbolprintableascii8")), None)
        if kind in (PITCH_KIND_ADD, PITCH_KIND_SYMBOL) or sym:
            self.expect(f"type {t:#x}: pitch_type_info symbol place",
                        (sym[1] - s, sym[2]) if sym else None, (sym_off, sym_len))
            self.expect(f"type {t:#x}: min_len is the symbol's end", min_len, sym_off + sym_len)
        qty = next((f for f in body if f[1] == s + qty_off and f[0][len(self.P):] in PITCH_QTY),
                   None) if qty_off else None
        if kind in (PITCH_KIND_ADD, PITCH_KIND_ORDER) and t != 0x29:
            self.expect(f"type {t:#x}: pitch_type_info quantity place",
                        qty[2] if qty else None, qty_len)
        if sym:
            line["symbol"] = text(sym)
        if kind in (PITCH_KIND_ADD, PITCH_KIND_ORDER) and (
                o is None or (t != 0x29 and qty is None) or (kind == PITCH_KIND_ADD and not sym)):
            self.fail(f"type {t:#x}: the decoder has no Order ID, quantity or symbol where "
                      "pitch_type_info says")
            return line
        if kind == PITCH_KIND_ADD:
            self.book[le(o)] = [line["symbol"], le(qty), base["unit"]]
            line["open"] = True
        elif kind == PITCH_KIND_ORDER:
            order = self.book.get(le(o))
            if order is None:
                self.fail(f"type {t:#x} names order {le(o)}, which is not open")
                return line
            rem = order[1]
            if t == 0x23 or t in (0x25, 0x26):
                rem = max(0, rem - le(qty))
            elif t in (0x24, 0x27, 0x28):
                rem = le(qty)
            elif t == 0x29:
                rem = 0
            order[1] = rem
            line["symbol"], line["open"] = order[0], rem > 0
            if not rem:
                del self.book[le(o)]
        elif t == 0x97:  # Unit Clear: the unit's orders are gone
            self.book = {k: v for k, v in self.book.items() if v[2] != base["unit"]}
        return line

    def packet(self, fields):
        ip = next(f for f in fields if f[0] == "ip.version")[1]
        udp = ip + int(next(f for f in fields if f[0] == "ip.hdr_len")[3])
        payload, plen = udp + 8, int(next(f for f in fields if f[0] == "udp.length")[3]) - 8
        group = "%s:%s" % (next(f for f in fields if f[0] == "ip.dst")[3],
                           next(f for f in fields if f[0] == "udp.dstport")[3])
        hl = self.s["hdr_len"]
        seq = self.field(fields, self.s["seq"], payload, payload + hl)
        if seq is None:
            self.fail(f"a packet to {group} was not decoded as {self.s['name']}")
            return
        self.counts["packets"] += 1
        self.rows_at(fields, "pkt", payload, payload + hl)
        count = le(self.field(fields, self.s["count"], payload, payload + hl))
        base = {"group": group}
        if self.proto == "nyse":
            base["delivery_flag"] = le(self.field(fields, "deliveryflag", payload, payload + hl))
            base["seq"] = le(seq)
            base["send_time"] = le(self.field(fields, "timestamp", payload, payload + hl)) * NS \
                + le(self.field(fields, "nanoseconds", payload, payload + hl))
            self.expect("PktSize against the UDP payload",
                        le(self.field(fields, "packetsize", payload, payload + hl)), plen)
        else:
            base["unit"] = le(self.field(fields, "unit", payload, payload + hl))
            base["seq"] = le(seq)
            self.expect("HdrLength against the UDP payload",
                        le(self.field(fields, "length", payload, payload + hl)), plen)
        if count == 0:
            self.lines.append(base)
        off = payload + hl
        sizes = [f for f in fields if f[0] == self.P + self.s["size"] and f[1] >= off]
        self.expect(f"packet {base['seq']}: message count", len(sizes), count)
        for k, f in enumerate(sizes):
            self.expect(f"packet {base['seq']}: message {k} starts after the previous", f[1], off)
            self.rows_at(fields, "msg", f[1], f[1] + self.s["msg_hdr"])
            t = le(self.field(fields, self.s["type"], f[1], f[1] + self.s["msg_hdr"]))
            mb = dict(base, msg=k)
            if self.proto == "nyse":
                mb["seq"] = base["seq"] + k
            elif base["seq"] == 0:
                mb["unsequenced"] = True
            else:
                mb["seq"] = base["seq"] + k
            self.lines.append(self.message(fields, f[1], le(f), t, mb))
            self.counts["messages"] += 1
            off = f[1] + le(f)
        self.expect(f"packet {base['seq']}: header and message sizes against the UDP payload",
                    off - payload, plen)


def check(proto, pcap, log, lua, root, layout):
    c = Checker(proto, root, layout, lua)
    for fields in pdml(pcap, lua):
        c.packet(fields)
    logged = []
    for m in map(json.loads, open(log)):
        m.pop("lines")
        logged.append(m)
    c.compared += sum(len(x) for x in c.lines)
    if c.lines != logged:
        diff = next(((i, a, b) for i, (a, b) in enumerate(zip(c.lines, logged)) if a != b),
                    None)
        c.fail(f"decoded {len(c.lines)} lines, logged {len(logged)}; first difference "
               f"(index, decoder, log): {diff}")
    for i, r in enumerate(c.rows):
        if i not in c.rows_seen:
            print(f"note: {c.s['page']}: {r[0]} {r[1]} ({proto}:{r[5]}) not in the decoded "
                  "frames")
    types = sorted({m["type"] for m in logged if "type" in m})
    print(f"{c.s['name']}: {c.counts['packets']} packets, {c.counts['messages']} messages of "
          f"types {' '.join(map(str, types))} decoded by {os.path.basename(lua)}; "
          f"{len(c.rows_seen)} of {len(c.rows)} {c.s['page']} rows found; {c.compared} fields "
          f"compared, {len(c.errors)} disagreements")
    return c.errors


def main():
    ap = argparse.ArgumentParser(description="feedgen's NYSE XDP / PITCH capture against a "
                                 "Wireshark Lua dissector")
    ap.add_argument("proto", choices=sorted(SPECS))
    ap.add_argument("pcap")
    ap.add_argument("log")
    ap.add_argument("lua")
    ap.add_argument("layout", help="the JSON tests/tools/layout_dump.c prints")
    a = ap.parse_args()
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    errors = check(a.proto, a.pcap, a.log, a.lua, root, json.load(open(a.layout)))
    for e in errors:
        print("FAIL: " + e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
