// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * fs_frame__decode() on the frames gap recovery brings (issue 13): a MoldUDP64 re-request
 * response (FS_META_F_RETRANSMITTED, sent to the consumer's request port, not to its group) and a
 * packet of an MDP3 snapshot group (line FS_LINE_SNAPSHOT, in the metadata or, without it, in
 * the group table). Frames come from the one frame builder; the group table is filled as the
 * consumer fills it from fs_group__list().
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "feedsieve.h"
#include "frame.h"
#include "frame_builder.h"

#define GROUP_ADDR  0xE931C40Au /* 233.49.196.10 */
#define GROUP_PORT  18001
#define GROUP_ID    3
#define SRV_ADDR    0x0A000063u /* 10.0.0.99 */
#define SRV_PORT    9000
#define CLIENT_ADDR 0x0A000002u
#define REQ_PORT    41000
#define ID_ES       170506

static const struct fb_msg add_aapl[] = {{.type = 'A', .locate = 13, .symbol = "AAPL"}};
static const __s32 es[] = {ID_ES};
static const struct fb_mdp3_msg book_es[] = {{.tid = 46, .ids = es, .n_ids = 1}};

/* The table a consumer holds: one group, naming server SRV_PORT@SRV_ADDR (0: none), of LINE. */
static void table(struct fsi_group_table *t, __u8 proto, __u32 srv_addr, __u8 line)
{
	struct fs_group_info info = {
	    .key = {.addr = htonl(GROUP_ADDR), .port = htons(GROUP_PORT)},
	    .value = {.id = GROUP_ID,
		      .proto = proto,
		      .channel = 9,
		      .line = line,
		      .retrans_addr = htonl(srv_addr),
		      .retrans_port = srv_addr ? htons(SRV_PORT) : 0},
	};

	memset(t, 0, sizeof(*t));
	cr_assert_eq(fsi_group_table__prepare(t, NULL), 0);
	fsi_group_table__fill(t, &info, 1);
}

static struct fs_xdp_meta meta(__u8 proto, __u8 flags, __u8 line)
{
	struct fs_xdp_meta m;

	memset(&m, 0, sizeof(m));
	m.magic = FS_META_MAGIC;
	m.proto = proto;
	m.group_id = GROUP_ID;
	m.flags = flags;
	m.channel = 9;
	m.line = line;
	m.msgs_walked = 1;
	m.match_bits[0] = 1;
	return m;
}

/* Build F into a buffer of exactly its size (AddressSanitizer sees reads past it); *LEN. */
static __u8 *build(const struct fb_frame *f, size_t *len)
{
	__u8 tmp[FB_MAX_FRAME], *b;

	*len = fb_build(f, tmp, sizeof(tmp), NULL);
	cr_assert_gt(*len, 0, "the frame does not build");
	b = malloc(*len);
	cr_assert_not_null(b);
	memcpy(b, tmp, *len);
	return b;
}

static size_t count_msgs(const struct fs_frame *f)
{
	struct fs_msg_iter it;
	struct fs_msg m;
	size_t n = 0;

	for (fs_msg_iter__init(&it, f); fs_msg_iter__next(&it, &m);)
		n++;
	return n;
}

static const struct fb_frame response = {
    .saddr = SRV_ADDR,
    .sport = SRV_PORT,
    .daddr = CLIENT_ADDR,
    .dport = REQ_PORT,
    .set_seq = true,
    .seq = 1001,
    .msgs = add_aapl,
    .n_msgs = 1,
};

Test(frame_recovery, response_is_its_groups_frame_marked_retransmitted)
{
	struct fs_xdp_meta m = meta(FS_PROTO_MOLD_ITCH, FS_META_F_RETRANSMITTED, FS_LINE_A);
	struct fsi_group_table t;
	struct fs_frame f = {0};
	size_t len;
	__u8 *b = build(&response, &len);

	table(&t, FS_PROTO_MOLD_ITCH, SRV_ADDR, FS_LINE_A);
	f.groups_ = &t;
	cr_assert_eq(fs_frame__decode(&f, b, (__u32)len, &m), 0);
	cr_assert(f.retransmitted, "FS_META_F_RETRANSMITTED: the frame is marked retransmitted");
	cr_assert_eq(f.kind, FS_FRAME_DATA, "a response is sequenced like a live frame");
	cr_assert_eq(f.seq, 1001);
	cr_assert_eq(f.seq_count, 1);
	cr_assert(f.group.addr == htonl(GROUP_ADDR) && f.group.port == htons(GROUP_PORT),
		  "the frame's group is the one naming the server, not the request port (%08x:%u)",
		  ntohl(f.group.addr), ntohs(f.group.port));
	cr_assert_not_null(fsi_group_table__find(&t, &f), "the table finds the response's group");
	cr_assert_eq(count_msgs(&f), 1);

	/* The table's group names another server: the frame keeps the address it came to. */
	fsi_group_table__release(&t);
	table(&t, FS_PROTO_MOLD_ITCH, SRV_ADDR + 1, FS_LINE_A);
	f.groups_ = &t;
	cr_assert_eq(fs_frame__decode(&f, b, (__u32)len, &m), 0);
	cr_assert(f.retransmitted);
	cr_assert(f.group.addr == htonl(CLIENT_ADDR) && f.group.port == htons(REQ_PORT),
		  "not the group's server: the group is not taken from the table");

	/* The same datagram without the flag is no response. */
	m.flags = 0;
	cr_assert_eq(fs_frame__decode(&f, b, (__u32)len, &m), 0);
	cr_assert_not(f.retransmitted, "no flag, no mark");
	fsi_group_table__release(&t);
	free(b);
}

Test(frame_recovery, live_frame_is_not_retransmitted)
{
	struct fs_xdp_meta m = meta(FS_PROTO_MOLD_ITCH, 0, FS_LINE_B);
	struct fb_frame live = {.daddr = GROUP_ADDR, .dport = GROUP_PORT, .msgs = add_aapl,
				.n_msgs = 1};
	struct fs_frame f = {0};
	size_t len;
	__u8 *b = build(&live, &len);

	cr_assert_eq(fs_frame__decode(&f, b, (__u32)len, &m), 0);
	cr_assert_not(f.retransmitted);
	cr_assert_eq(f.line, FS_LINE_B);
	cr_assert_eq(f.kind, FS_FRAME_DATA);
	cr_assert_eq(f.out_of_band, FS_OOB_NONE);
	free(b);
}

static const struct fb_frame snapshot_pkt = {
    .daddr = GROUP_ADDR,
    .dport = GROUP_PORT,
    .payload = FB_MDP3,
    .set_seq = true,
    .seq = 77,
    .mdp3 = book_es,
    .n_mdp3 = 1,
};

Test(frame_recovery, snapshot_group_packet_is_out_of_band)
{
	struct fs_xdp_meta m = meta(FS_PROTO_MDP3, FS_META_F_OUT_OF_BAND, FS_LINE_SNAPSHOT);
	struct fsi_group_table t;
	struct fs_frame f = {0};
	size_t len;
	__u8 *b = build(&snapshot_pkt, &len);

	/* With the program's metadata. */
	cr_assert_eq(fs_frame__decode(&f, b, (__u32)len, &m), 0);
	cr_assert_eq(f.kind, FS_FRAME_OUT_OF_BAND, "kind %d", f.kind);
	cr_assert_eq(f.out_of_band, FS_OOB_SNAPSHOT, "out_of_band %d", f.out_of_band);
	cr_assert_eq(f.seq_count, 0, "never sequenced");
	cr_assert_eq(f.line, FS_LINE_SNAPSHOT);
	cr_assert_eq(count_msgs(&f), 1, "its messages are handed over");

	/* Without metadata the group table says the same. */
	table(&t, FS_PROTO_MDP3, 0, FS_LINE_SNAPSHOT);
	memset(&f, 0, sizeof(f));
	f.groups_ = &t;
	cr_assert_eq(fs_frame__decode(&f, b, (__u32)len, NULL), 0);
	cr_assert_eq(f.proto, FS_PROTO_MDP3);
	cr_assert_eq(f.kind, FS_FRAME_OUT_OF_BAND);
	cr_assert_eq(f.out_of_band, FS_OOB_SNAPSHOT);
	cr_assert_eq(f.seq_count, 0);

	/* The same packet on a line of the channel is live. */
	fsi_group_table__release(&t);
	table(&t, FS_PROTO_MDP3, 0, FS_LINE_A);
	memset(&f, 0, sizeof(f));
	f.groups_ = &t;
	cr_assert_eq(fs_frame__decode(&f, b, (__u32)len, NULL), 0);
	cr_assert_eq(f.kind, FS_FRAME_DATA);
	cr_assert_eq(f.out_of_band, FS_OOB_NONE);
	cr_assert_eq(f.seq, 77);
	cr_assert_eq(f.seq_count, 1);
	fsi_group_table__release(&t);
	free(b);
}

Test(frame_recovery, malformed_snapshot_packet_stays_malformed)
{
	struct fs_xdp_meta m =
	    meta(FS_PROTO_MDP3, FS_META_F_OUT_OF_BAND | FS_META_F_MALFORMED, FS_LINE_SNAPSHOT);
	struct fs_frame f = {0};
	size_t len;
	__u8 *b = build(&snapshot_pkt, &len);

	cr_assert_eq(fs_frame__decode(&f, b, (__u32)len, &m), 0);
	cr_assert(f.malformed);
	cr_assert_neq(f.kind, FS_FRAME_OUT_OF_BAND, "a malformed frame is not handed over as one");
	cr_assert_eq(count_msgs(&f), 0);
	free(b);
}
