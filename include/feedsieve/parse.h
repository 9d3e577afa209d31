/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Ethernet / VLAN / IPv4 / UDP parsing shared by the XDP program and user space. Every read is
 * bounds-checked against data_end in the form the verifier understands, and the same code runs in
 * the consumer, so kernel and user space can never disagree on where a payload starts.
 */
#ifndef FEEDSIEVE_PARSE_H
#define FEEDSIEVE_PARSE_H

#include "types.h"
#include "limits.h"
#include "maps.h"

/* EtherTypes and fragment bits: macros in the kernel, so vmlinux.h does not carry them. */
#define FS_ETH_P_IP     0x0800
#define FS_ETH_P_8021Q  0x8100
#define FS_ETH_P_8021AD 0x88A8
#define FS_IP_MF        0x2000
#define FS_IP_OFFSET    0x1FFF

struct fs_vlan_hdr {
	__be16 tci;
	__be16 encap_proto;
};

/*
 * The IPv4 header follows a 14-byte Ethernet header, so it is only 2-byte aligned. BPF loads do
 * not care; in user space, reading it through a 4-aligned struct type would be undefined
 * behaviour, so there the type is declared as 1-aligned (a typedef may lower alignment).
 */
#ifdef __bpf__
#define fs_iphdr struct iphdr /* a typedef would become a CO-RE relocation of its own name */
#else
typedef struct iphdr __attribute__((aligned(1))) fs_iphdr;
#endif

enum fs_pkt_kind {
	FS_PKT_OTHER = 0,      /* not a UDP datagram we can read: never ours */
	FS_PKT_UDP,            /* whole UDP datagram, payload bounds valid */
	FS_PKT_UDP_FRAGMENT,   /* first fragment: destination known, payload incomplete */
	FS_PKT_UDP_BAD_LENGTH, /* UDP or IPv4 length disagrees with the frame */
};

/* Where a frame's UDP payload is; offsets are from the start of the frame. */
struct fs_pkt {
	struct fs_group_key key; /* destination: the group, or a consumer's request port */
	struct fs_group_key src; /* source: a re-request server's responses are known by it */
	__u32 payload_off;
	__u32 payload_end; /* one past the last payload byte, from the UDP length */
};

/*
 * Classify a frame and, for UDP over IPv4, fill PKT. A non-first fragment is FS_PKT_OTHER: it
 * carries no UDP header, and reading its first bytes as one would misread payload as ports.
 */
FS_INLINE enum fs_pkt_kind fs_parse_frame(void *data, void *data_end, struct fs_pkt *pkt)
{
	struct ethhdr *eth = data;
	fs_iphdr *ip;
	struct udphdr *udp;
	void *pos;
	__u32 ihl, ip_end, udp_off, udp_len;
	__u16 proto;
	int i;

	if ((void *)(eth + 1) > data_end)
		return FS_PKT_OTHER;
	proto = eth->h_proto;
	pos = eth + 1;

#ifdef __bpf__
#pragma unroll
#endif
	for (i = 0; i < FS_MAX_VLAN_TAGS; i++) {
		struct fs_vlan_hdr *vlan = pos;

		if (proto != bpf_htons(FS_ETH_P_8021Q) && proto != bpf_htons(FS_ETH_P_8021AD))
			break;
		if ((void *)(vlan + 1) > data_end)
			return FS_PKT_OTHER;
		proto = vlan->encap_proto;
		pos = vlan + 1;
	}
	if (proto != bpf_htons(FS_ETH_P_IP))
		return FS_PKT_OTHER;

	ip = pos;
	if ((void *)(ip + 1) > data_end)
		return FS_PKT_OTHER;
	if (ip->version != 4 || ip->ihl < 5)
		return FS_PKT_OTHER;
	if (ip->protocol != IPPROTO_UDP)
		return FS_PKT_OTHER;
	if (ip->frag_off & bpf_htons(FS_IP_OFFSET))
		return FS_PKT_OTHER;

	ihl = ip->ihl * 4;
	udp = (void *)((__u8 *)pos + ihl);
	if ((void *)(udp + 1) > data_end)
		return FS_PKT_OTHER;

	pkt->key.addr = ip->daddr;
	pkt->key.port = udp->dest;
	pkt->key.pad = 0;
	pkt->src.addr = ip->saddr;
	pkt->src.port = udp->source;
	pkt->src.pad = 0;
	if (ip->frag_off & bpf_htons(FS_IP_MF))
		return FS_PKT_UDP_FRAGMENT;

	/*
	 * Lengths come from the headers, not the frame: short frames carry Ethernet padding. A
	 * datagram longer than the frame was truncated; one whose UDP length is shorter than the IP
	 * payload is read by its UDP length, as the kernel's UDP receive path does.
	 */
	udp_off = (__u32)((__u8 *)udp - (__u8 *)data);
	ip_end = (__u32)((__u8 *)pos - (__u8 *)data) + bpf_ntohs(ip->tot_len);
	udp_len = bpf_ntohs(udp->len);
	if (ip_end > (__u32)(data_end - data) || udp_len < sizeof(*udp) || udp_off + udp_len > ip_end)
		return FS_PKT_UDP_BAD_LENGTH;

	pkt->payload_off = udp_off + sizeof(*udp);
	pkt->payload_end = udp_off + udp_len;
	return FS_PKT_UDP;
}

/* Field readers for byte pointers the caller has bounds-checked, byte by byte: the wire's order
 * whatever the host's, and no alignment assumed. Big-endian (MoldUDP64, ITCH, IP) and
 * little-endian (MDP3). */
FS_INLINE __u16 fs_be16(const __u8 *p)
{
	return (__u16)((p[0] << 8) | p[1]);
}

FS_INLINE __u64 fs_be64(const __u8 *p)
{
	__u64 v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return v;
}

FS_INLINE __u16 fs_le16(const __u8 *p)
{
	return (__u16)(p[0] | p[1] << 8);
}

FS_INLINE __u32 fs_le32(const __u8 *p)
{
	return (__u32)p[0] | (__u32)p[1] << 8 | (__u32)p[2] << 16 | (__u32)p[3] << 24;
}

FS_INLINE __u64 fs_le64(const __u8 *p)
{
	return (__u64)fs_le32(p) | (__u64)fs_le32(p + 4) << 32;
}

#endif /* FEEDSIEVE_PARSE_H */
