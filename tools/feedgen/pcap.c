// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Ethernet pcap of the generated packets through libpcap, with synthesized Ethernet/IPv4/UDP
 * headers. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pcap/pcap.h>

#include <feedsieve/types.h>

#include "pcap.h"
#include "pkt.h"

#define PCAP_SNAPLEN 65535

/* The kernel sends our multicast with TTL 1 too (see send.c). */
#define FRAME_TTL 1

static const __u8 src_mac[ETH_ALEN] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};

struct pcap_writer {
	pcap_t *dead; /* no capture: what pcap_dump_open() needs to know (link type, precision) */
	pcap_dumper_t *dump;
	struct sockaddr_in src;
	struct sockaddr_in dst;
	__u16 ip_id;
	__u8 frame[PCAP_HDRS_LEN + FG_PAYLOAD_MAX];
};

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

int pcap_writer__open(struct pcap_writer **out, const char *path, const struct sockaddr_in *group)
{
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
	w->dead = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, PCAP_SNAPLEN,
						       PCAP_TSTAMP_PRECISION_NANO);
	if (!w->dead) {
		free(w);
		return -ENOMEM;
	}
	errno = 0;
	w->dump = pcap_dump_open(w->dead, path);
	if (!w->dump) {
		err = errno ? -errno : -EIO; /* libpcap's fopen() leaves errno set */
		pcap_close(w->dead);
		free(w);
		return err;
	}
	*out = w;
	return 0;
}

int pcap_writer__write(struct pcap_writer *w, __u64 ts_ns, const void *payload, size_t len)
{
	return pcap_writer__write_to(w, &w->dst, ts_ns, payload, len);
}

int pcap_writer__write_to(struct pcap_writer *w, const struct sockaddr_in *dst, __u64 ts_ns,
			  const void *payload, size_t len)
{
	struct pcap_pkthdr h = {};

	if (len > FG_PAYLOAD_MAX)
		return -EMSGSIZE;
	h.caplen = h.len =
	    (bpf_u_int32)pcap_build_frame(w->frame, &w->src, dst, w->ip_id++, payload, len);
	h.ts.tv_sec = (time_t)(ts_ns / 1000000000ULL);
	h.ts.tv_usec = (suseconds_t)(ts_ns % 1000000000ULL); /* nanoseconds: the dump's precision */
	pcap_dump((u_char *)w->dump, &h, w->frame);
	/* pcap_dump() returns nothing: a failed write shows in the stream. */
	return ferror(pcap_dump_file(w->dump)) ? -EIO : 0;
}

int pcap_writer__close(struct pcap_writer *w)
{
	int err = 0;

	if (!w)
		return 0;
	errno = 0;
	if (pcap_dump_flush(w->dump) || ferror(pcap_dump_file(w->dump)))
		err = errno ? -errno : -EIO;
	pcap_dump_close(w->dump);
	pcap_close(w->dead);
	free(w);
	return err;
}
