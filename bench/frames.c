// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Benchmark frames; see frames.h. Built by the tests' frame builder (tests/lib/frame_builder.c). */
#include <errno.h>
#include <string.h>

#include "byteorder.h"
#include "frame_builder.h"
#include "feedsieve/parse.h"
#include "frames.h"

#define BLOCK_LEN (MOLD_BLOCK_HDR + ITCH_A_LEN)

static __u8 *msg_at(struct bf_frame *f, __u32 i)
{
	return f->buf + BF_MOLD_OFF + MOLD_HDR_LEN + (size_t)i * BLOCK_LEN + MOLD_BLOCK_HDR;
}

int bf_build(struct bf_frame *f, __u32 msgs)
{
	const struct fb_msg add = {.type = ITCH_ADD_ORDER, .locate = 1, .symbol = "BENCH",
				   .repeat = (__u16)msgs};
	const struct fb_frame desc = {
	    .frag = FB_IP_DF,
	    .daddr = BF_GROUP_ADDR,
	    .dport = BF_GROUP_PORT,
	    .session = BF_SESSION,
	    .set_seq = true,
	    .seq = 1,
	    .msgs = &add,
	    .n_msgs = 1,
	};
	struct fb_layout l;
	size_t len;

	if (msgs < 1 || msgs > BF_MAX_MSGS)
		return -EINVAL;
	memset(f, 0, sizeof(*f));
	len = fb_build(&desc, f->buf, sizeof(f->buf), &l);
	/* bf_set_msg() and floors.bpf.c find the messages at BF_MOLD_OFF. */
	if (!len || l.payload_off != BF_MOLD_OFF)
		return -EINVAL;
	f->len = (__u32)len;
	f->msgs = msgs;
	return 0;
}

int bf_build_mdp3(struct bf_frame *f, __u32 keys, const __s32 *ids)
{
	struct fb_mdp3_msg msgs[BF_MDP3_MAX_MSGS] = {};
	struct fb_frame desc = {
	    .frag = FB_IP_DF,
	    .daddr = BF_MDP3_GROUP_ADDR,
	    .dport = BF_MDP3_GROUP_PORT,
	    .payload = FB_MDP3,
	    .seq = 1,
	    .mdp3 = msgs,
	};
	struct fb_layout l;
	__u32 i, n;
	size_t len;

	if (keys < 1 || keys > BF_MAX_MSGS)
		return -EINVAL;
	for (i = 0; i < keys; i += n) {
		n = keys - i < BF_MDP3_ENTRIES ? keys - i : BF_MDP3_ENTRIES;
		msgs[desc.n_mdp3].tid = MDP3_T_BOOK;
		msgs[desc.n_mdp3].ids = ids + i;
		msgs[desc.n_mdp3].n_ids = (__u8)n;
		desc.n_mdp3++;
	}
	memset(f, 0, sizeof(*f));
	len = fb_build(&desc, f->buf, sizeof(f->buf), &l);
	if (!len || l.payload_off != BF_MOLD_OFF)
		return -EINVAL;
	f->len = (__u32)len;
	f->msgs = keys;
	return 0;
}

void bf_set_seq_mdp3(struct bf_frame *f, __u32 seq)
{
	put_le32(f->buf + BF_MOLD_OFF + MDP3_OFF_SEQ, seq);
}

void bf_set_seq(struct bf_frame *f, __u64 seq)
{
	put_be64(f->buf + BF_MOLD_OFF + MOLD_OFF_SEQ, seq);
}

void bf_set_msg(struct bf_frame *f, __u32 i, __u16 locate, const char *symbol)
{
	__u8 *m = msg_at(f, i);

	put_be16(m + ITCH_OFF_LOCATE, locate);
	memset(m + ITCH_A_OFF_STOCK, ' ', ITCH_SYMBOL_LEN);
	memcpy(m + ITCH_A_OFF_STOCK, symbol, strnlen(symbol, ITCH_SYMBOL_LEN));
}
