// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Benchmark frames; see frames.h. */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>

#include "byteorder.h"
#include "frames.h"

#define ETH_LEN	 14
#define IP_LEN	 20
#define UDP_LEN	 8
#define MOLD_OFF BF_MOLD_OFF
_Static_assert(BF_MOLD_OFF == ETH_LEN + IP_LEN + UDP_LEN, "frame layout");
#define BLOCK_LEN    (MOLD_BLOCK_HDR + ITCH_A_LEN)
#define BF_TIMESTAMP (34200ULL * 1000000000ULL)

static __u8 *msg_at(struct bf_frame *f, __u32 i)
{
	return f->buf + MOLD_OFF + MOLD_HDR_LEN + (size_t)i * BLOCK_LEN + MOLD_BLOCK_HDR;
}

int bf_build(struct bf_frame *f, __u32 msgs)
{
	static const __u8 mac_dst[6] = {0x01, 0x00, 0x5e, 0x31, 0xc4, 0x0a}; /* of BF_GROUP_ADDR */
	static const __u8 mac_src[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
	__u32 payload = MOLD_HDR_LEN + msgs * BLOCK_LEN, i;
	__u8 *eth = f->buf, *ip = eth + ETH_LEN, *udp = ip + IP_LEN, *mold = udp + UDP_LEN;

	if (msgs < 1 || msgs > BF_MAX_MSGS || MOLD_OFF + payload > sizeof(f->buf))
		return -EINVAL;
	memset(f, 0, sizeof(*f));
	f->len = MOLD_OFF + payload;
	f->msgs = msgs;

	memcpy(eth, mac_dst, 6);
	memcpy(eth + 6, mac_src, 6);
	put_be16(eth + 12, 0x0800);
	ip[0] = 0x45;
	put_be16(ip + 2, (__u16)(IP_LEN + UDP_LEN + payload));
	put_be16(ip + 6, 0x4000); /* DF */
	ip[8] = 32;		  /* TTL */
	ip[9] = IPPROTO_UDP;
	put_be32(ip + 12, 0x0A000001); /* 10.0.0.1 */
	put_be32(ip + 16, BF_GROUP_ADDR);
	put_be16(ip + 10, ip_checksum(ip, IP_LEN));
	put_be16(udp, 40000);
	put_be16(udp + 2, BF_GROUP_PORT);
	put_be16(udp + 4, (__u16)(UDP_LEN + payload)); /* checksum 0: none */

	memcpy(mold + MOLD_OFF_SESSION, BF_SESSION, MOLD_SESSION_LEN);
	put_be16(mold + MOLD_OFF_COUNT, (__u16)msgs);
	for (i = 0; i < msgs; i++) {
		__u8 *m = msg_at(f, i);

		put_be16(m - MOLD_BLOCK_HDR, ITCH_A_LEN);
		m[ITCH_OFF_TYPE] = ITCH_ADD_ORDER;
		put_be16(m + ITCH_OFF_TRACKING, (__u16)i);
		/* 09:30:00 as 48-bit ns since midnight */
		put_be16(m + ITCH_OFF_TIMESTAMP, (__u16)(BF_TIMESTAMP >> 32));
		put_be32(m + ITCH_OFF_TIMESTAMP + 2, (__u32)BF_TIMESTAMP);
		put_be64(m + ITCH_A_OFF_ORDER, 1000000 + i); /* order reference */
		m[ITCH_A_OFF_SIDE] = i & 1 ? 'S' : 'B';
		put_be32(m + ITCH_A_OFF_SHARES, 100);
		put_be32(m + ITCH_A_OFF_PRICE, 1234500); /* 123.45 */
		bf_set_msg(f, i, 1, "BENCH");
	}
	bf_set_seq(f, 1);
	return 0;
}

void bf_set_seq(struct bf_frame *f, __u64 seq)
{
	put_be64(f->buf + MOLD_OFF + MOLD_OFF_SEQ, seq);
}

void bf_set_msg(struct bf_frame *f, __u32 i, __u16 locate, const char *symbol)
{
	__u8 *m = msg_at(f, i);

	put_be16(m + ITCH_OFF_LOCATE, locate);
	memset(m + ITCH_A_OFF_STOCK, ' ', FS_SYMBOL_LEN);
	memcpy(m + ITCH_A_OFF_STOCK, symbol, strnlen(symbol, FS_SYMBOL_LEN));
}
