// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * fs_parse_frame(), the Ethernet/VLAN/IPv4/UDP classifier the XDP program and user space share.
 * Every frame comes from the tests' frame builder (tests/lib/frame_builder.c, which writes the
 * headers from the specifications, not with the kernel's structs) and is handed over in a heap
 * buffer of exactly its length, so a read past data_end is caught by AddressSanitizer.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "feedsieve/parse.h"
#include "feedsieve/wire_itch.h"
#include "frame_builder.h"

/* Rows start from UDP_FRAME and override what they test; the override is the point. */
#pragma GCC diagnostic ignored "-Woverride-init"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define GROUP_ADDR 0xEF010101 /* 239.1.1.1 */
#define GROUP_PORT 26400
#define SRC_ADDR   0x0A000063 /* 10.0.0.99: a re-request server's responses are known by it */
#define SRC_PORT   9000

struct frame_spec {
	__u8 n_tags;	  /* VLAN tags in front of the inner EtherType */
	__u16 tpid[3];	  /* their TPIDs */
	__u16 ethertype;  /* EtherType after the tags */
	__u8 ip_version;  /* high nibble of the first IPv4 byte */
	__u8 ihl;	  /* low nibble: header length in 32-bit words */
	__u8 ip_proto;	  /* IPv4 protocol */
	__u16 frag;	  /* flags and fragment offset field, host order */
	int tot_len_adj;  /* added to the correct IPv4 total length */
	int udp_len_adj;  /* added to the correct UDP length */
	bool udp_len_abs; /* use udp_len as is */
	__u16 udp_len;
	__u16 payload_len; /* UDP payload bytes present */
	__u16 pad;	   /* Ethernet padding after the IPv4 datagram */
};

#define UDP_FRAME                                                                                  \
	.ethertype = FS_ETH_P_IP, .ip_version = 4, .ihl = 5, .ip_proto = IPPROTO_UDP,              \
	.payload_len = 40

/* Build the frame S describes with the tests' frame builder; *UDP_OFF gets where its UDP header
 * starts. The UDP payload is a MoldUDP64 header and zero bytes after it, or the first
 * PAYLOAD_LEN bytes of that header: the classifier looks no further than UDP. */
static void build(const struct frame_spec *s, struct fb_buf *f, size_t *udp_off)
{
	struct fb_frame d = {
	    .eth_type = s->ethertype,
	    .ip_version = s->ip_version,
	    .set_ihl = true,
	    .ihl = s->ihl,
	    .ip_proto = s->ip_proto,
	    .frag = s->frag,
	    .daddr = GROUP_ADDR,
	    .dport = GROUP_PORT,
	    .saddr = SRC_ADDR,
	    .sport = SRC_PORT,
	    .ip_len_delta = s->tot_len_adj,
	    .udp_len_delta = s->udp_len_adj,
	    .set_udp_len = s->udp_len_abs,
	    .udp_len = s->udp_len,
	    .pad = s->pad,
	};
	struct fb_layout l;
	int i;

	cr_assert(s->ip_proto, "the builder writes UDP for protocol 0");
	for (i = 0; i < s->n_tags; i++)
		d.tags[i] = s->tpid[i];
	if (s->payload_len >= MOLD_HDR_LEN)
		d.trailing = (__u16)(s->payload_len - MOLD_HDR_LEN);
	else
		d.short_payload = true, d.payload_len = s->payload_len;
	f->n = fb_build(&d, f->b, sizeof(f->b), &l);
	cr_assert(f->n, "frame does not fit");
	*udp_off = l.l4_off;
}

/*
 * Classify the first LEN bytes of F from a buffer that ends exactly where the frame does. The
 * frame starts 2 bytes into it (NET_IP_ALIGN) so the IPv4 header is 4-byte aligned: parse.h
 * reads through struct iphdr pointers, which UBSan reports as misaligned otherwise.
 */
static enum fs_pkt_kind classify(const struct fb_buf *f, size_t len, struct fs_pkt *pkt)
{
	__u8 *buf = malloc(len + 2);
	enum fs_pkt_kind kind;

	cr_assert_not_null(buf);
	memcpy(buf + 2, f->b, len);
	memset(pkt, 0xAA, sizeof(*pkt));
	kind = fs_parse_frame(buf + 2, buf + 2 + len, pkt);
	free(buf);
	return kind;
}

static const char *kind_name(enum fs_pkt_kind k)
{
	switch (k) {
	case FS_PKT_OTHER:
		return "OTHER";
	case FS_PKT_UDP:
		return "UDP";
	case FS_PKT_UDP_FRAGMENT:
		return "UDP_FRAGMENT";
	case FS_PKT_UDP_BAD_LENGTH:
		return "UDP_BAD_LENGTH";
	}
	return "?";
}

struct parse_case {
	char desc[112];
	struct frame_spec spec;
	enum fs_pkt_kind kind;
	/* For FS_PKT_UDP, where the payload ends, from the start of the UDP header (so the UDP
	 * length); it always starts 8 bytes after that header. */
	__u32 payload_end_rel;
};

/* clang-format off */
/* Expected outcome; UDP_END is the UDP length (payload_end relative to the UDP header). */
#define UDP_END(n) FS_PKT_UDP, (n)
#define NOT_OURS   FS_PKT_OTHER, 0
#define BAD_LENGTH FS_PKT_UDP_BAD_LENGTH, 0
#define FRAGMENT   FS_PKT_UDP_FRAGMENT, 0
/* clang-format on */

ParameterizedTestParameters(parse_frame, classify)
{
	static struct parse_case cases[] = {
	    /* Plain and tagged. */
	    {"untagged UDP datagram", {UDP_FRAME}, UDP_END(48)},
	    {"one 802.1Q tag", {UDP_FRAME, .n_tags = 1, .tpid = {FS_ETH_P_8021Q}}, UDP_END(48)},
	    {"one 802.1ad tag", {UDP_FRAME, .n_tags = 1, .tpid = {FS_ETH_P_8021AD}}, UDP_END(48)},
	    {"QinQ: 802.1ad outer, 802.1Q inner",
	     {UDP_FRAME, .n_tags = 2, .tpid = {FS_ETH_P_8021AD, FS_ETH_P_8021Q}},
	     UDP_END(48)},
	    {"two 802.1Q tags",
	     {UDP_FRAME, .n_tags = 2, .tpid = {FS_ETH_P_8021Q, FS_ETH_P_8021Q}},
	     UDP_END(48)},
	    {"three tags: beyond FS_MAX_VLAN_TAGS, not ours",
	     {UDP_FRAME, .n_tags = 3, .tpid = {FS_ETH_P_8021AD, FS_ETH_P_8021Q, FS_ETH_P_8021Q}},
	     NOT_OURS},
	    {"VLAN tag around ARP",
	     {UDP_FRAME, .n_tags = 1, .tpid = {FS_ETH_P_8021Q}, .ethertype = 0x0806},
	     NOT_OURS},
	    {"IPv6 EtherType", {UDP_FRAME, .ethertype = 0x86DD}, NOT_OURS},
	    {"old 802.1Q TPID 0x9100 is not a tag we parse",
	     {UDP_FRAME, .n_tags = 1, .tpid = {0x9100}},
	     NOT_OURS},

	    /* IPv4 header. */
	    {"IPv4 with one word of options (IHL 6)", {UDP_FRAME, .ihl = 6}, UDP_END(48)},
	    {"IPv4 with the most options (IHL 15)", {UDP_FRAME, .ihl = 15}, UDP_END(48)},
	    {"options behind two tags",
	     {UDP_FRAME, .n_tags = 2, .tpid = {FS_ETH_P_8021AD, FS_ETH_P_8021Q}, .ihl = 7},
	     UDP_END(48)},
	    {"IHL 4: shorter than an IPv4 header", {UDP_FRAME, .ihl = 4}, NOT_OURS},
	    {"IHL 0", {UDP_FRAME, .ihl = 0}, NOT_OURS},
	    {"version 6 behind the IPv4 EtherType", {UDP_FRAME, .ip_version = 6}, NOT_OURS},
	    {"TCP", {UDP_FRAME, .ip_proto = IPPROTO_TCP}, NOT_OURS},
	    {"ICMP", {UDP_FRAME, .ip_proto = IPPROTO_ICMP}, NOT_OURS},

	    /* Fragments. */
	    {"Don't Fragment set: a whole datagram", {UDP_FRAME, .frag = 0x4000}, UDP_END(48)},
	    {"first fragment (MF, offset 0): destination known",
	     {UDP_FRAME, .frag = FS_IP_MF},
	     FRAGMENT},
	    {"middle fragment (MF, offset 185): no UDP header in it",
	     {UDP_FRAME, .frag = FS_IP_MF | 185},
	     NOT_OURS},
	    {"last fragment (offset 185, no MF)", {UDP_FRAME, .frag = 185}, NOT_OURS},
	    {"smallest non-zero offset (8 bytes)", {UDP_FRAME, .frag = 1}, NOT_OURS},

	    /* Lengths. */
	    {"UDP datagram with no payload", {UDP_FRAME, .payload_len = 0}, UDP_END(8)},
	    {"UDP length beyond the IPv4 payload (frame has the bytes as padding)",
	     {UDP_FRAME, .udp_len_adj = 4, .pad = 16},
	     BAD_LENGTH},
	    {"UDP and IPv4 lengths beyond the frame",
	     {UDP_FRAME, .udp_len_adj = 4, .tot_len_adj = 4},
	     BAD_LENGTH},
	    {"IPv4 total length beyond the frame (truncated datagram)",
	     {UDP_FRAME, .tot_len_adj = 10},
	     BAD_LENGTH},
	    {"IPv4 total length 19: shorter than the headers it carries",
	     {UDP_FRAME, .tot_len_adj = -(8 + 40 + 1)},
	     BAD_LENGTH},
	    {"UDP length 7", {UDP_FRAME, .udp_len_abs = true, .udp_len = 7}, BAD_LENGTH},
	    {"UDP length 0", {UDP_FRAME, .udp_len_abs = true, .udp_len = 0}, BAD_LENGTH},
	    {"UDP length shorter than the IPv4 payload: UDP length wins",
	     {UDP_FRAME, .udp_len_adj = -4},
	     UDP_END(44)},
	    {"short datagram in a 60-byte frame: padding is not payload",
	     {UDP_FRAME, .payload_len = 2, .pad = 16},
	     UDP_END(10)},
	    {"short tagged datagram with padding",
	     {UDP_FRAME, .n_tags = 1, .tpid = {FS_ETH_P_8021Q}, .payload_len = 1, .pad = 13},
	     UDP_END(9)},
	};
	return cr_make_param_array(struct parse_case, cases, ARRAY_SIZE(cases));
}

ParameterizedTest(struct parse_case *c, parse_frame, classify)
{
	struct fs_pkt pkt;
	struct fb_buf f;
	size_t udp_off;
	enum fs_pkt_kind kind;

	build(&c->spec, &f, &udp_off);
	kind = classify(&f, f.n, &pkt);
	cr_assert_eq(kind, c->kind, "%s: classified %s, want %s", c->desc, kind_name(kind),
		     kind_name(c->kind));
	if (kind == FS_PKT_OTHER)
		return;
	/* A group is known for every UDP outcome: counters and the fragment pass rely on it. */
	cr_assert_eq(pkt.key.addr, htonl(GROUP_ADDR), "%s: key address 0x%08x", c->desc,
		     ntohl(pkt.key.addr));
	cr_assert_eq(pkt.key.port, htons(GROUP_PORT), "%s: key port %u", c->desc,
		     ntohs(pkt.key.port));
	cr_assert_eq(pkt.key.pad, 0, "%s: key pad 0x%x, want 0", c->desc, pkt.key.pad);
	cr_assert(pkt.src.addr == htonl(SRC_ADDR) && pkt.src.port == htons(SRC_PORT) &&
		      !pkt.src.pad,
		  "%s: source 0x%08x:%u pad 0x%x", c->desc, ntohl(pkt.src.addr),
		  ntohs(pkt.src.port), pkt.src.pad);
	if (kind != FS_PKT_UDP)
		return;
	cr_assert_eq(pkt.payload_off, udp_off + 8, "%s: payload_off %u, want %zu", c->desc,
		     pkt.payload_off, udp_off + 8);
	cr_assert_eq(pkt.payload_end, udp_off + c->payload_end_rel, "%s: payload_end %u, want %zu",
		     c->desc, pkt.payload_end, udp_off + c->payload_end_rel);
	/* The payload is the bytes the builder wrote, starting with the MoldUDP64 session. */
	if (pkt.payload_end > pkt.payload_off)
		cr_assert_eq(f.b[pkt.payload_off], FB_SESSION[0],
			     "%s: payload does not start with the session", c->desc);
}

/* Absolute offsets for the common shapes, spelled out once rather than derived. */
struct offset_case {
	char desc[64];
	struct frame_spec spec;
	__u32 payload_off, payload_end;
};

ParameterizedTestParameters(parse_frame, absolute_offsets)
{
	static struct offset_case cases[] = {
	    {"untagged: 14 + 20 + 8", {UDP_FRAME}, 42, 82},
	    {"one tag: 18 + 20 + 8", {UDP_FRAME, .n_tags = 1, .tpid = {FS_ETH_P_8021Q}}, 46, 86},
	    {"two tags: 22 + 20 + 8",
	     {UDP_FRAME, .n_tags = 2, .tpid = {FS_ETH_P_8021AD, FS_ETH_P_8021Q}},
	     50,
	     90},
	    {"untagged, IHL 6: 14 + 24 + 8", {UDP_FRAME, .ihl = 6}, 46, 86},
	    {"untagged, IHL 15: 14 + 60 + 8", {UDP_FRAME, .ihl = 15}, 82, 122},
	    {"two tags, IHL 15: 22 + 60 + 8",
	     {UDP_FRAME, .n_tags = 2, .tpid = {FS_ETH_P_8021Q, FS_ETH_P_8021Q}, .ihl = 15},
	     90,
	     130},
	};
	return cr_make_param_array(struct offset_case, cases, ARRAY_SIZE(cases));
}

ParameterizedTest(struct offset_case *c, parse_frame, absolute_offsets)
{
	struct fs_pkt pkt;
	struct fb_buf f;
	size_t udp_off;

	build(&c->spec, &f, &udp_off);
	cr_assert_eq(classify(&f, f.n, &pkt), FS_PKT_UDP, "%s: not classified UDP", c->desc);
	cr_assert_eq(pkt.payload_off, c->payload_off, "%s: payload_off %u, want %u", c->desc,
		     pkt.payload_off, c->payload_off);
	cr_assert_eq(pkt.payload_end, c->payload_end, "%s: payload_end %u, want %u", c->desc,
		     pkt.payload_end, c->payload_end);
}

/*
 * Cut a good frame at every length. Up to the end of the UDP header there is nothing to
 * classify (OTHER, never a read past the cut); past it the UDP length promises bytes the frame
 * does not have (BAD_LENGTH); only the whole frame is UDP. A first fragment is a fragment as
 * soon as its UDP header is complete.
 */
struct cut_case {
	char desc[64];
	struct frame_spec spec;
	enum fs_pkt_kind whole; /* kind of the uncut frame */
};

ParameterizedTestParameters(parse_frame, truncated_at_every_byte)
{
	static struct cut_case cases[] = {
	    {"untagged", {UDP_FRAME}, FS_PKT_UDP},
	    {"two tags and IPv4 options",
	     {UDP_FRAME, .n_tags = 2, .tpid = {FS_ETH_P_8021AD, FS_ETH_P_8021Q}, .ihl = 6},
	     FS_PKT_UDP},
	    {"one tag, first fragment",
	     {UDP_FRAME, .n_tags = 1, .tpid = {FS_ETH_P_8021Q}, .frag = FS_IP_MF},
	     FS_PKT_UDP_FRAGMENT},
	};
	return cr_make_param_array(struct cut_case, cases, ARRAY_SIZE(cases));
}

static const char *where(size_t cut, const struct frame_spec *s, size_t udp_off)
{
	size_t eth_end = 14 + 4u * s->n_tags;

	if (cut < 14)
		return "in the Ethernet header";
	if (cut < eth_end)
		return "in a VLAN tag";
	if (cut < eth_end + 20)
		return "in the IPv4 header";
	if (cut < udp_off)
		return "in the IPv4 options";
	if (cut < udp_off + 8)
		return "in the UDP header";
	return "in the payload";
}

ParameterizedTest(struct cut_case *c, parse_frame, truncated_at_every_byte)
{
	struct fs_pkt pkt;
	struct fb_buf f;
	size_t udp_off, cut;

	build(&c->spec, &f, &udp_off);
	for (cut = 0; cut <= f.n; cut++) {
		enum fs_pkt_kind want, kind = classify(&f, cut, &pkt);

		if (cut == f.n)
			want = c->whole;
		else if (cut < udp_off + 8)
			want = FS_PKT_OTHER;
		else
			want = c->whole == FS_PKT_UDP_FRAGMENT ? FS_PKT_UDP_FRAGMENT
							       : FS_PKT_UDP_BAD_LENGTH;
		cr_assert_eq(kind, want, "%s: cut to %zu of %zu bytes (%s): %s, want %s", c->desc,
			     cut, f.n, where(cut, &c->spec, udp_off), kind_name(kind),
			     kind_name(want));
	}
}
