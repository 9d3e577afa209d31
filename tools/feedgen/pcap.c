// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Hand-written classic pcap with synthesized Ethernet/IPv4/UDP headers. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <feedsieve/types.h>

#include "itch_encode.h"
#include "pcap.h"

/* Classic pcap: magic for microsecond timestamps, version 2.4, Ethernet link type. */
#define PCAP_MAGIC_USEC	    0xa1b2c3d4
#define PCAP_VERSION_MAJOR  2
#define PCAP_VERSION_MINOR  4
#define PCAP_SNAPLEN	    65535
#define PCAP_LINKTYPE_ETHER 1
#define PCAP_FILE_HDR_LEN   24
#define PCAP_REC_HDR_LEN    16

/* The kernel sends our multicast with TTL 1 too (see send.c). */
#define FRAME_TTL 1

static const __u8 src_mac[ETH_ALEN] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};

struct pcap_writer {
	FILE *f;
	struct sockaddr_in src;
	struct sockaddr_in dst;
	__u16 ip_id;
	__u8 frame[PCAP_HDRS_LEN + MOLD_PAYLOAD_MAX];
};

/*
 * The file is little-endian whatever the host, so the same run writes the same bytes on every
 * machine; readers detect the order from the magic.
 */
static void put_le16(__u8 *p, __u16 v)
{
	p[0] = (__u8)v;
	p[1] = (__u8)(v >> 8);
}

static void put_le32(__u8 *p, __u32 v)
{
	put_le16(p, (__u16)v);
	put_le16(p + 2, (__u16)(v >> 16));
}

/* RFC 1071 one's-complement sum, continued from SUM; the caller folds and inverts. */
static __u32 csum_add(__u32 sum, const void *data, size_t len)
{
	const __u8 *p = data;

	while (len > 1) {
		/* The headers are fully initialised; the analyzer loses track of struct iphdr's
		 * bitfields, hence the NOLINT. */
		sum += (__u32)(p[0] << 8 | p[1]); // NOLINT(clang-analyzer-core.UndefinedBinaryOperatorResult)
		p += 2;
		len -= 2;
	}
	if (len)
		sum += (__u32)(p[0] << 8);
	return sum;
}

static __u16 csum_fold(__u32 sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

size_t pcap_build_frame(__u8 *frame, const struct sockaddr_in *src, const struct sockaddr_in *dst,
			__u16 ip_id, const void *payload, size_t len)
{
	__u32 group = bpf_ntohl(dst->sin_addr.s_addr);
	struct ethhdr eth = {.h_proto = bpf_htons(ETH_P_IP)};
	struct iphdr ip = {
	    .version = 4,
	    .ihl = sizeof(ip) / 4,
	    .tot_len = bpf_htons((__u16)(sizeof(ip) + sizeof(struct udphdr) + len)),
	    .id = bpf_htons(ip_id),
	    .frag_off = bpf_htons(0x4000), /* DF, as Linux sets it on UDP by default */
	    .ttl = FRAME_TTL,
	    .protocol = IPPROTO_UDP,
	    .saddr = src->sin_addr.s_addr,
	    .daddr = dst->sin_addr.s_addr,
	};
	struct udphdr udp = {
	    .source = src->sin_port,
	    .dest = dst->sin_port,
	    .len = bpf_htons((__u16)(sizeof(udp) + len)),
	};
	__u8 pseudo[12];
	__u32 sum;
	__u16 csum;

	/* RFC 1112: 01:00:5e followed by the low 23 bits of the group address. */
	eth.h_dest[0] = 0x01;
	eth.h_dest[1] = 0x00;
	eth.h_dest[2] = 0x5e;
	eth.h_dest[3] = (__u8)((group >> 16) & 0x7f);
	eth.h_dest[4] = (__u8)(group >> 8);
	eth.h_dest[5] = (__u8)group;
	memcpy(eth.h_source, src_mac, ETH_ALEN);

	ip.check = bpf_htons(csum_fold(csum_add(0, &ip, sizeof(ip))));

	/* UDP checksum over the pseudo header, the UDP header and the payload (RFC 768). */
	memcpy(pseudo, &ip.saddr, 4);
	memcpy(pseudo + 4, &ip.daddr, 4);
	pseudo[8] = 0;
	pseudo[9] = IPPROTO_UDP;
	memcpy(pseudo + 10, &udp.len, 2);
	sum = csum_add(0, pseudo, sizeof(pseudo));
	sum = csum_add(sum, &udp, sizeof(udp));
	sum = csum_add(sum, payload, len);
	csum = csum_fold(sum);
	/* 0 means "no checksum" in UDP over IPv4, so a computed 0 is sent as its complement. */
	udp.check = bpf_htons(csum ? csum : 0xffff);

	memcpy(frame, &eth, sizeof(eth));
	memcpy(frame + sizeof(eth), &ip, sizeof(ip));
	memcpy(frame + sizeof(eth) + sizeof(ip), &udp, sizeof(udp));
	memcpy(frame + PCAP_HDRS_LEN, payload, len);
	return PCAP_HDRS_LEN + len;
}

static int write_all(FILE *f, const void *buf, size_t len)
{
	/* stdio does not always set errno on a short write; EIO then. */
	errno = 0;
	if (fwrite(buf, 1, len, f) != len)
		return errno ? -errno : -EIO;
	return 0;
}

int pcap_writer__open(struct pcap_writer **out, const char *path, const struct sockaddr_in *group)
{
	__u8 hdr[PCAP_FILE_HDR_LEN] = {};
	struct pcap_writer *w;
	int err;

	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->dst = *group;
	w->src.sin_family = AF_INET;
	w->src.sin_port = bpf_htons(PCAP_SRC_PORT);
	if (inet_pton(AF_INET, PCAP_SRC_IP, &w->src.sin_addr) != 1) {
		free(w);
		return -EINVAL;
	}
	w->f = fopen(path, "wb");
	if (!w->f) {
		err = -errno;
		free(w);
		return err;
	}
	put_le32(hdr, PCAP_MAGIC_USEC);
	put_le16(hdr + 4, PCAP_VERSION_MAJOR);
	put_le16(hdr + 6, PCAP_VERSION_MINOR);
	/* thiszone and sigfigs stay 0 */
	put_le32(hdr + 16, PCAP_SNAPLEN);
	put_le32(hdr + 20, PCAP_LINKTYPE_ETHER);
	err = write_all(w->f, hdr, sizeof(hdr));
	if (err) {
		fclose(w->f);
		free(w);
		return err;
	}
	*out = w;
	return 0;
}

int pcap_writer__write(struct pcap_writer *w, __u64 ts_ns, const void *payload, size_t len)
{
	__u8 rec[PCAP_REC_HDR_LEN];
	size_t flen;
	int err;

	if (len > MOLD_PAYLOAD_MAX)
		return -EMSGSIZE;
	flen = pcap_build_frame(w->frame, &w->src, &w->dst, w->ip_id++, payload, len);
	put_le32(rec, (__u32)(ts_ns / 1000000000ULL));
	put_le32(rec + 4, (__u32)(ts_ns % 1000000000ULL / 1000));
	put_le32(rec + 8, (__u32)flen);
	put_le32(rec + 12, (__u32)flen);
	err = write_all(w->f, rec, sizeof(rec));
	if (err)
		return err;
	return write_all(w->f, w->frame, flen);
}

int pcap_writer__close(struct pcap_writer *w)
{
	int err = 0;

	if (!w)
		return 0;
	if (fclose(w->f))
		err = -errno;
	free(w);
	return err;
}
