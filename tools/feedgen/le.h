/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Little-endian loads and stores of unaligned wire fields (SBE, for MDP3), byte by byte so the
 * host's byte order does not matter. The big-endian ones are in tools/lib/byteorder.h.
 */
#ifndef FEEDGEN_LE_H
#define FEEDGEN_LE_H

#include <linux/types.h>

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

static inline __u16 get_le16(const __u8 *p)
{
	return (__u16)(p[0] | p[1] << 8);
}

static inline __u32 get_le32(const __u8 *p)
{
	return (__u32)get_le16(p) | (__u32)get_le16(p + 2) << 16;
}

static inline __u64 get_le64(const __u8 *p)
{
	return (__u64)get_le32(p) | (__u64)get_le32(p + 4) << 32;
}

#endif /* FEEDGEN_LE_H */
