#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Record every UDP datagram to A.B.0.0/16 seen on an interface, until the wire has been quiet
for a second (ten seconds before the first).

    mcast_rx.py IFNAME OUT READY A.B

Writes "ready" to READY once listening, then one line per datagram to OUT: "dst:port hexpayload".
"""
import socket
import struct
import sys

ifname, out_path, ready, prefix = sys.argv[1:]
a, b = (int(x) for x in prefix.split("."))
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800))
s.bind((ifname, 0))
s.settimeout(10)
open(ready, "w").write("ready\n")
out = open(out_path, "w")
while True:
    try:
        f = s.recv(65535)
    except socket.timeout:
        break
    s.settimeout(1)
    ihl = (f[14] & 15) * 4
    if f[23] != 17 or f[30] != a or f[31] != b:
        continue
    port, ulen = struct.unpack(">HH", f[14 + ihl + 2:14 + ihl + 6])
    dst = socket.inet_ntoa(f[30:34])
    out.write(f"{dst}:{port} {f[14 + ihl + 8:14 + ihl + ulen].hex()}\n")
