/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Writing frames by hand: big- and little-endian stores to unaligned wire fields, and the IPv4 header
 * checksum. Shared by the code that builds frames outside the kernel: feedgen, the test frame
 * builder and the benchmarks' frame makers. Header only, nothing to link.
 */
#ifndef FEEDSIEVE_TOOLS_BYTEORDER_H
#define FEEDSIEVE_TOOLS_BYTEORDER_H

#include <stddef.h>
#include <linux/types.h>

static inline void put_be16(__u8 *p, __u16 v)
{
	p[0] = (__u8)(v >> 8);
	p[1] = (__u8)v;
}

static inline void put_be32(__u8 *p, __u32 v)
{
	put_be16(p, (__u16)(v >> 16));
	put_be16(p + 2, (__u16)v);
}

static inline void put_be64(__u8 *p, __u64 v)
{
	put_be32(p, (__u32)(v >> 32));
	put_be32(p + 4, (__u32)v);
}

/* Little-endian stores (SBE, for MDP3); the loads are fs_le16/32/64 of feedsieve/parse.h. */
static inline void put_le16(__u8 *p, __u16 v)
{
	p[0] = (__u8)v;
	p[1] = (__u8)(v >> 8);
}

static inline void put_le32(__u8 *p, __u32 v)
{
	put_le16(p, (__u16)v);
	put_le16(p + 2, (__u16)(v >> 16));
}

static inline void put_le64(__u8 *p, __u64 v)
{
	put_le32(p, (__u32)v);
	put_le32(p + 4, (__u32)(v >> 32));
}

/* The one's-complement sum of RFC 791 over LEN bytes (the checksum field itself zero). */
static inline __u16 ip_checksum(const __u8 *p, size_t len)
{
	__u32 sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (__u32)(p[i] << 8 | p[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

#endif /* FEEDSIEVE_TOOLS_BYTEORDER_H */
