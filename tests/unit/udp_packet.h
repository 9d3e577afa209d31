/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A UDP datagram writer for the unit tests of the little-endian feeds (NYSE XDP, PITCH; MDP3's
 * writer uses its envelope): an Ethernet/IPv4/UDP envelope to a multicast group, then the
 * payload written field by field.
 * Offsets of the feeds' fields are written in each test from the wire facts
 * (/work/shared/protocols/), not taken from the shared wire headers the decoders read.
 */
#ifndef FEEDSIEVE_TESTS_UDP_PACKET_H
#define FEEDSIEVE_TESTS_UDP_PACKET_H

#include <stddef.h>
#include <string.h>
#include <linux/types.h>

#include "feedsieve/maps.h"

#define UP_PAYLOAD 42 /* Ethernet 14 + IPv4 20 + UDP 8 */

struct up_packet {
	__u8 b[2048];
	size_t n;
};

static inline void up_put_be(__u8 *at, __u32 v, int bytes)
{
	int i;

	for (i = 0; i < bytes; i++)
		at[i] = (__u8)(v >> (8 * (bytes - 1 - i)));
}

/* Little-endian V of BYTES bytes at the end. */
static inline void up_put(struct up_packet *p, __u64 v, int bytes)
{
	int i;

	for (i = 0; i < bytes; i++)
		p->b[p->n++] = (__u8)(v >> (8 * i));
}

static inline void up_put_at(struct up_packet *p, size_t off, __u64 v, int bytes)
{
	int i;

	for (i = 0; i < bytes; i++)
		p->b[off + i] = (__u8)(v >> (8 * i));
}

/* TEXT in a field of WIDTH bytes, padded with PAD. */
static inline void up_text(struct up_packet *p, const char *text, size_t width, char pad)
{
	size_t len = strlen(text);

	memset(p->b + p->n, pad, width);
	memcpy(p->b + p->n, text, len < width ? len : width);
	p->n += width;
}

/* The UP_PAYLOAD bytes of the envelope at B (lengths left for up_lengths()). */
static inline void up_envelope(__u8 *b, __u32 group, __u16 port)
{
	static const __u8 eth[14] = {0x01, 0x00, 0x5e, 0x00, 0x00, 0x01, 0x02, 0, 0, 0, 0, 1,
				     0x08, 0x00};

	memset(b, 0, UP_PAYLOAD);
	memcpy(b, eth, sizeof(eth));
	b[14] = 0x45;    /* IPv4, 5 words */
	b[14 + 8] = 1;   /* TTL */
	b[14 + 9] = 17;  /* UDP */
	up_put_be(b + 14 + 12, 0x0A000001, 4);
	up_put_be(b + 14 + 16, group, 4);
	up_put_be(b + 34, 40000, 2);
	up_put_be(b + 36, port, 2);
}

/* The IPv4 and UDP lengths of the envelope at B for a frame of END bytes. */
static inline void up_lengths(__u8 *b, size_t end)
{
	up_put_be(b + 14 + 2, (__u32)(end - 14), 2);
	up_put_be(b + 38, (__u32)(end - 34), 2);
}

static inline void up_begin(struct up_packet *p, __u32 group, __u16 port)
{
	memset(p, 0, sizeof(*p));
	up_envelope(p->b, group, port);
	p->n = UP_PAYLOAD;
}

static inline void up_finish(struct up_packet *p)
{
	up_lengths(p->b, p->n);
}

/* Metadata as the program writes it for a PROTO group: WALKED keys examined, BITS wanted. */
static inline struct fs_xdp_meta up_meta(__u8 proto, __u8 walked, __u64 bits, __u8 flags)
{
	struct fs_xdp_meta m;

	memset(&m, 0, sizeof(m));
	m.magic = FS_META_MAGIC;
	m.proto = proto;
	m.msgs_walked = walked;
	m.match_bits[0] = bits;
	m.flags = flags;
	return m;
}

#endif /* FEEDSIEVE_TESTS_UDP_PACKET_H */
