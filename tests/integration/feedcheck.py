"""Helpers shared by the integration checkers: pcap payloads and sequence-number runs."""
import struct


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
