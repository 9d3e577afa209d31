#!/usr/bin/env python3
"""What each interface's driver says it can do with XDP and AF_XDP, from the kernel itself.

The kernel's "netdev" generic netlink family (Linux 6.3 and later) reports, per interface, the
XDP feature flags the driver declared (NETDEV_A_DEV_XDP_FEATURES), how many fragments zero-copy
AF_XDP takes, the XDP RX metadata the driver can give a device-bound program, and the AF_XDP TX
metadata it honours. This reads them with nothing but the standard library (Debian 12 has no ynl
and its libbpf 1.1 predates bpf_xdp_query()'s feature_flags). Run it in the interface's network
namespace. Attribute and flag values are those of the kernel's netdev.yaml spec
(include/uapi/linux/netdev.h).

usage: xdp_features.py [--json] [IFNAME...]     (no IFNAME: every interface)
Exit 77 when the kernel has no netdev family (too old to say).
"""
import array
import fcntl
import json
import os
import socket
import struct
import sys

NETLINK_GENERIC = 16
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY, CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 3, 1, 2
NLM_F_REQUEST, NLM_F_DUMP = 0x1, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
NETDEV_CMD_DEV_GET = 1
SIOCETHTOOL, ETHTOOL_GDRVINFO = 0x8946, 0x3
A_IFINDEX, A_XDP_FEATURES, A_ZC_MAX_SEGS, A_RX_METADATA, A_XSK_FEATURES = 1, 3, 4, 5, 6

XDP_ACT = ["basic", "redirect", "ndo-xmit", "xsk-zerocopy", "hw-offload", "rx-sg", "ndo-xmit-sg"]
RX_METADATA = ["timestamp", "hash", "vlan-tag"]
XSK_FLAGS = ["tx-timestamp", "tx-checksum", "tx-launch-time-fifo"]


def attrs(buf):
    """{type: payload} of a run of netlink attributes."""
    out, off = {}, 0
    while off + 4 <= len(buf):
        length, kind = struct.unpack_from("=HH", buf, off)
        if length < 4:
            break
        out[kind & 0x3FFF] = buf[off + 4:off + length]
        off += (length + 3) & ~3
    return out


def attr(kind, payload):
    return struct.pack("=HH", 4 + len(payload), kind) + payload + b"\0" * (-len(payload) % 4)


def request(sock, family, cmd, payload, flags):
    """Send one genl request; return the attribute payloads of every reply message."""
    body = struct.pack("=BBH", cmd, 1, 0) + payload
    sock.send(struct.pack("=IHHII", 16 + len(body), family, NLM_F_REQUEST | flags, 1, 0) + body)
    replies = []
    while True:
        data, off = sock.recv(1 << 16), 0
        while off + 16 <= len(data):
            length, kind = struct.unpack_from("=IH", data, off)
            msg = data[off + 16:off + length]
            off += (length + 3) & ~3
            if kind == NLMSG_DONE:
                return replies
            if kind == NLMSG_ERROR:
                err = struct.unpack_from("=i", msg)[0]
                if err:
                    raise OSError(-err, os.strerror(-err))
                return replies
            replies.append(msg[4:])  # past the genl header
            if not flags & NLM_F_DUMP:
                return replies


def flag_names(value, names):
    return [n for i, n in enumerate(names) if value >> i & 1] + \
        [f"bit{i}" for i in range(len(names), 64) if value >> i & 1]


def u64(a, kind):
    return struct.unpack("=Q", a[kind])[0] if kind in a else 0


def main(argv):
    as_json = "--json" in argv
    names = [a for a in argv if a != "--json"]
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
    try:
        [ctrl] = request(sock, GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                         attr(CTRL_ATTR_FAMILY_NAME, b"netdev\0"), 0)
    except FileNotFoundError:
        print("SKIP: this kernel has no netdev netlink family (XDP feature flags: 6.3+)",
              file=sys.stderr)
        return 77
    family = struct.unpack("=H", attrs(ctrl)[CTRL_ATTR_FAMILY_ID])[0]
    try:
        wanted = {socket.if_nametoindex(n): n for n in names}
    except OSError:
        print(f"xdp_features: no such interface among {' '.join(names)}", file=sys.stderr)
        return 1
    rows = []
    for msg in request(sock, family, NETDEV_CMD_DEV_GET, b"", NLM_F_DUMP):
        a = attrs(msg)
        ifindex = struct.unpack("=I", a[A_IFINDEX])[0]
        if wanted and ifindex not in wanted:
            continue
        name = socket.if_indextoname(ifindex)
        rows.append({
            "interface": name,
            "driver": driver(name),
            "xdp_features": flag_names(u64(a, A_XDP_FEATURES), XDP_ACT),
            "xdp_zc_max_segs": struct.unpack("=I", a[A_ZC_MAX_SEGS])[0]
            if A_ZC_MAX_SEGS in a else None,
            "xdp_rx_metadata": flag_names(u64(a, A_RX_METADATA), RX_METADATA),
            "xsk_features": flag_names(u64(a, A_XSK_FEATURES), XSK_FLAGS),
        })
    missing = set(wanted.values()) - {r["interface"] for r in rows}
    if missing:
        print(f"xdp_features: the kernel reported nothing for {', '.join(sorted(missing))}",
              file=sys.stderr)
        return 1
    if as_json:
        print(json.dumps(rows))
        return 0
    for r in rows:
        print(f"{r['interface']} ({r['driver']}): xdp {','.join(r['xdp_features']) or '-'}; "
              f"zc-max-segs {r['xdp_zc_max_segs'] or '-'}; rx-metadata "
              f"{','.join(r['xdp_rx_metadata']) or '-'}; xsk {','.join(r['xsk_features']) or '-'}")
    return 0


def driver(name):
    """The driver's name, as ethtool -i gives it (SIOCETHTOOL, ETHTOOL_GDRVINFO)."""
    # struct ethtool_drvinfo: cmd, then driver[32], version[32], ... (196 bytes in all)
    info = array.array("B", struct.pack("=I", ETHTOOL_GDRVINFO) + bytes(192))
    ifreq = struct.pack("16sP", name.encode(), info.buffer_info()[0])
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            fcntl.ioctl(s.fileno(), SIOCETHTOOL, ifreq)
        except OSError:
            return "?"
    return bytes(info[4:36]).split(b"\0")[0].decode()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
