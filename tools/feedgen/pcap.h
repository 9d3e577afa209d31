/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A classic pcap file (LINKTYPE_ETHERNET, nanosecond timestamps) of the generated packets, with
 * the Ethernet, IPv4 and UDP headers the kernel would have put in front of them. Written with
 * libpcap, as `feedsieve replay` reads it.
 */
#ifndef FEEDGEN_PCAP_H
#define FEEDGEN_PCAP_H

#include <netinet/in.h>
#include <stddef.h>
#include <linux/types.h>

/* Documentation addresses (RFC 5737, locally administered MAC) for the synthesized sender. */
#define PCAP_SRC_IP   "192.0.2.1"
#define PCAP_SRC_PORT 50000

/* Ethernet + IPv4 (no options) + UDP in front of the payload. */
#define PCAP_HDRS_LEN (14 + 20 + 8)

struct pcap_writer;

/* Create PATH and write the file header; -errno. Frames go to GROUP (a multicast address). */
int pcap_writer__open(struct pcap_writer **out, const char *path, const struct sockaddr_in *group);

/* Append one frame carrying PAYLOAD as UDP to the group, stamped TS_NS after the Unix epoch. */
int pcap_writer__write(struct pcap_writer *w, __u64 ts_ns, const void *payload, size_t len);

/* The same, to DST instead of the group the writer was opened with. */
int pcap_writer__write_to(struct pcap_writer *w, const struct sockaddr_in *dst, __u64 ts_ns,
			  const void *payload, size_t len);

/* Flush and close; -errno if anything written was lost. Frees W in every case. */
int pcap_writer__close(struct pcap_writer *w);

/*
 * Build the frame into FRAME (room for PCAP_HDRS_LEN + LEN bytes): multicast MAC of the group,
 * IPv4 with a correct header checksum and identification IP_ID, UDP with its checksum. Returns
 * the frame length.
 */
size_t pcap_build_frame(__u8 *frame, const struct sockaddr_in *src, const struct sockaddr_in *dst,
			__u16 ip_id, const void *payload, size_t len);

#endif /* FEEDGEN_PCAP_H */
