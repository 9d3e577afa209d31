// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Fixture rows about frames: which frames are ours at all, the headers in front of the payload
 * (VLAN tags, IPv4 options, fragments), and the lengths the payload is read by. Plus the rows
 * generated from a rule: every IHL value, every short payload length, every truncation point.
 */
#define _GNU_SOURCE /* vasprintf */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <criterion/criterion.h>

#include "fixture.h"

const struct row fx_rows_frames[] = {
    /* -- Frames that are not ours: passed untouched, no group counter moves -- */
    {
	.desc = "ARP request: not IPv4, passed",
	.groups = {GA},
	AAPL_LIVE,
	.steps = {{.f = {.eth_type = FB_ETH_ARP}, .out = OUT_PASS}},
	.not_ours = 1,
    },
    {
	.desc = "IPv6 UDP to the group's port carrying a subscribed message: passed",
	.groups = {GA},
	AAPL_LIVE,
	.steps = {{.f = {.eth_type = FB_ETH_IPV6, MSGS(A_AAPL)}, .out = OUT_PASS}},
	.not_ours = 1,
    },
    {
	.desc = "TCP to the group's address and port, bytes otherwise a wanted datagram: passed",
	.groups = {GA},
	AAPL_LIVE,
	.steps = {{.f = {.ip_proto = 6, MSGS(A_AAPL)}, .out = OUT_PASS}},
	.not_ours = 1,
    },
    {
	.desc = "ICMP to the group's address, bytes otherwise a wanted datagram: passed",
	.groups = {GA},
	AAPL_LIVE,
	.steps = {{.f = {.ip_proto = 1, MSGS(A_AAPL)}, .out = OUT_PASS}},
	.not_ours = 1,
    },
    {
	.desc = "UDP to an unconfigured group with a subscribed message: passed, symbol not "
		"counted",
	.groups = {GA},
	AAPL_LIVE,
	.steps = {{.f = {.daddr = UNK_ADDR, MSGS(A_AAPL)}, .out = OUT_PASS}},
	.not_ours = 1,
    },
    {
	.desc = "configured address, unconfigured port: passed",
	.groups = {GA},
	AAPL_LIVE,
	.steps = {{.f = {.dport = GA_PORT + 8, MSGS(A_AAPL)}, .out = OUT_PASS}},
	.not_ours = 1,
    },
    {
	.desc = "IPv4 EtherType with IP version 6 in the header: passed",
	.groups = {GA},
	AAPL_LIVE,
	.steps = {{.f = {.ip_version = 6, MSGS(A_AAPL)}, .out = OUT_PASS}},
	.not_ours = 1,
    },
    {
	.desc = "three VLAN tags (802.1ad, 802.1Q, 802.1Q): more than parsed, passed",
	.groups = {GA},
	AAPL_LIVE,
	.steps = {{.f = {.tags = {FB_TPID_AD, FB_TPID_Q, FB_TPID_Q}, MSGS(A_AAPL)},
		   .out = OUT_PASS}},
	.not_ours = 1,
    },
    {
	.desc = "non-first fragment (offset 1480) whose data looks like UDP + Mold to the "
		"group with a Stock Directory and a subscribed message: passed, nothing learned",
	.groups = {GA},
	AAPL_LIVE,
	.steps = {{.f = {.frag = 185, MSGS(R_(L_NVDA, "NVDA"), A_AAPL)}, .out = OUT_PASS}},
	.not_ours = 1,
    },
    {
	.desc = "middle fragment (MF and offset) that looks like a wanted datagram: passed",
	.groups = {GA},
	AAPL_LIVE,
	.steps = {{.f = {.frag = FB_IP_MF | 185, MSGS(A_AAPL)}, .out = OUT_PASS}},
	.not_ours = 1,
    },

    {
	.desc = "IHL 4 where a 16-byte header would put the UDP destination port on the low "
		"half of the address, a configured group: still passed",
	.groups = {GROUP(GA_ADDR, GA_ADDR & 0xffff, GA_ID, 0, 0, GA_CH, FS_LINE_A)},
	AAPL_LIVE,
	.steps = {{.f = {.set_ihl = true, .ihl = 4, MSGS(A_AAPL)}, .out = OUT_PASS}},
	.not_ours = 1,
    },

    /* -- Fragments and the DF bit -- */
    {
	.desc = "first fragment (MF, offset 0) of a group: passed for reassembly, counted as "
		"fragment, its Stock Directory not learned",
	.groups = {GA},
	AAPL_LIVE,
	.steps = {{.f = {.frag = FB_IP_MF, MSGS(R_(L_NVDA, "NVDA"), A_AAPL)}, .out = OUT_FRAGMENT}},
	.gstats = {{.frames_seen = 1, .frames_fragment = 1}},
    },
    {
	.desc = "DF set, MF clear, offset 0: a whole datagram, subscribed message delivered",
	.groups = {GA},
	AAPL_LIVE,
	.xsk_queues = XSK_Q0,
	.steps = {{.f = {.frag = FB_IP_DF, MSGS(A_AAPL)}, .out = OUT_REDIRECT, .meta = META_ONE}},
	.gstats = ONE_WANTED(frames_redirected),
	.sym = SYM_AAPL_1,
    },

    /* -- VLAN tags that are parsed -- */
    {
	.desc = "one 802.1Q tag: subscribed message delivered",
	.groups = {GA},
	AAPL_LIVE,
	.xsk_queues = XSK_Q0,
	.steps = {{.f = {.tags = {FB_TPID_Q}, MSGS(A_AAPL)},
		   .out = OUT_REDIRECT,
		   .meta = META_ONE}},
	.gstats = ONE_WANTED(frames_redirected),
	.sym = SYM_AAPL_1,
    },
    {
	.desc = "one 802.1ad tag: subscribed message delivered",
	.groups = {GA},
	AAPL_LIVE,
	.xsk_queues = XSK_Q0,
	.steps = {{.f = {.tags = {FB_TPID_AD}, MSGS(A_AAPL)},
		   .out = OUT_REDIRECT,
		   .meta = META_ONE}},
	.gstats = ONE_WANTED(frames_redirected),
	.sym = SYM_AAPL_1,
    },
    {
	.desc = "802.1ad + 802.1Q (Q-in-Q): subscribed message delivered",
	.groups = {GA},
	AAPL_LIVE,
	.xsk_queues = XSK_Q0,
	.steps = {{.f = {.tags = {FB_TPID_AD, FB_TPID_Q}, MSGS(A_AAPL)},
		   .out = OUT_REDIRECT,
		   .meta = META_ONE}},
	.gstats = ONE_WANTED(frames_redirected),
	.sym = SYM_AAPL_1,
    },
    {
	.desc = "802.1Q + 802.1Q (old-style double tag): subscribed message delivered",
	.groups = {GA},
	AAPL_LIVE,
	.xsk_queues = XSK_Q0,
	.steps = {{.f = {.tags = {FB_TPID_Q, FB_TPID_Q}, MSGS(A_AAPL)},
		   .out = OUT_REDIRECT,
		   .meta = META_ONE}},
	.gstats = ONE_WANTED(frames_redirected),
	.sym = SYM_AAPL_1,
    },

    /* -- Lengths: read by the UDP length, never by the frame length -- */
    {
	.desc = "Ethernet padding after the datagram: read by UDP length, not trailing bytes",
	.groups = {GA},
	AAPL_LIVE,
	.xsk_queues = XSK_Q0,
	.steps = {{.f = {MSGS(A_AAPL), .pad = 6}, .out = OUT_REDIRECT, .meta = META_ONE}},
	.gstats = ONE_WANTED(frames_redirected),
	.sym = SYM_AAPL_1,
    },
    {
	.desc = "heartbeat followed by 24 bytes of Ethernet padding: a heartbeat",
	.groups = {GA},
	.xsk_queues = XSK_Q0,
	.steps = {{.f = {COUNT(0), .pad = 24}, .out = OUT_REDIRECT}},
	.gstats = {{.frames_seen = 1, .frames_redirected = 1, .heartbeats = 1}},
    },
    {
	.desc = "count 2, the second block only in the padding after the UDP length: "
		"malformed (the padding is not read as a block), the subscribed first block "
		"not matched",
	.groups = {GA},
	AAPL_LIVE,
	.xsk_queues = XSK_Q0,
	.steps = {{.f = {MSGS(A_AAPL), COUNT(2), PAD_MSGS(A_AAPL)},
		   .out = OUT_REDIRECT,
		   .meta = META_MALFORMED_AFTER(1)}},
	.gstats = ONE_MALFORMED(frames_redirected),
    },
    {
	.desc = "UDP length 3 short of the IP payload (3 bytes after it inside the IP "
		"datagram): read by UDP length like the kernel's udp_rcv, delivered",
	.groups = {GA},
	AAPL_LIVE,
	.xsk_queues = XSK_Q0,
	.steps = {{.f = {MSGS(A_AAPL), .trailing = 3, .udp_len_delta = -3},
		   .out = OUT_REDIRECT,
		   .meta = META_ONE}},
	.gstats = ONE_WANTED(frames_redirected),
	.sym = SYM_AAPL_1,
    },
    {
	.desc = "UDP length 4 past the IP payload (the 4 bytes exist as padding): malformed",
	.groups = {GA},
	AAPL_LIVE,
	.steps = {{.f = {MSGS(A_AAPL), .udp_len_delta = 4, .pad = 4},
		   .out = OUT_NO_SOCKET,
		   .meta = META_MALFORMED}},
	.gstats = ONE_MALFORMED(frames_no_socket),
    },
    {
	.desc = "UDP and IP lengths agree but both claim 4 bytes past the frame: malformed",
	.groups = {GA},
	AAPL_LIVE,
	.steps = {{.f = {MSGS(A_AAPL), .udp_len_delta = 4, .ip_len_delta = 4},
		   .out = OUT_NO_SOCKET,
		   .meta = META_MALFORMED}},
	.gstats = ONE_MALFORMED(frames_no_socket),
    },
    {
	.desc = "UDP length 7, shorter than the UDP header: malformed",
	.groups = {GA},
	AAPL_LIVE,
	.steps = {{.f = {MSGS(A_AAPL), .set_udp_len = true, .udp_len = 7},
		   .out = OUT_NO_SOCKET,
		   .meta = META_MALFORMED}},
	.gstats = ONE_MALFORMED(frames_no_socket),
    },
    {
	.desc = "UDP length 0: malformed",
	.groups = {GA},
	AAPL_LIVE,
	.steps = {{.f = {MSGS(A_AAPL), .set_udp_len = true, .udp_len = 0},
		   .out = OUT_NO_SOCKET,
		   .meta = META_MALFORMED}},
	.gstats = ONE_MALFORMED(frames_no_socket),
    },
    {
	.desc = "IPv4 total length 8 bytes past the frame, UDP length fits the frame: "
		"malformed (a truncated IP datagram; parse.h: 'IPv4 length disagrees with the "
		"frame')",
	.groups = {GA},
	AAPL_LIVE,
	.steps = {{.f = {MSGS(A_AAPL), .ip_len_delta = 8},
		   .out = OUT_NO_SOCKET,
		   .meta = META_MALFORMED}},
	.gstats = ONE_MALFORMED(frames_no_socket),
    },
    {
	.desc = "IPv4 total length 24, too short for the UDP header it carries: malformed",
	.groups = {GA},
	AAPL_LIVE,
	.steps = {{.f = {MSGS(A_AAPL), .set_ip_len = true, .ip_len = 24},
		   .out = OUT_NO_SOCKET,
		   .meta = META_MALFORMED}},
	.gstats = ONE_MALFORMED(frames_no_socket),
    },

};

const size_t fx_rows_frames_n = ARRAY_SIZE(fx_rows_frames);

/* ---- Rows generated from a rule: IHL values, short payloads, truncation points ---- */

static const struct fb_msg one_aapl[] = {A_AAPL};

static struct row generated_row(const char *desc)
{
	struct row r = {
	    .desc = desc,
	    .groups = {GA},
	    AAPL_LIVE,
	};

	r.steps[0].f.msgs = one_aapl;
	r.steps[0].f.n_msgs = 1;
	return r;
}

char *fx_fmt(const char *f, ...)
{
	va_list ap;
	char *s;

	va_start(ap, f);
	if (vasprintf(&s, f, ap) < 0)
		s = NULL;
	va_end(ap);
	cr_assert_not_null(s, "vasprintf failed");
	return s;
}

static void set_not_ours(struct row *r)
{
	r->steps[0].out = OUT_PASS;
	r->not_ours = 1;
}

static void set_malformed_no_socket(struct row *r)
{
	r->steps[0].out = OUT_NO_SOCKET;
	r->steps[0].meta.flags = FS_META_F_MALFORMED;
	r->gstats[0] =
	    (struct fs_counters){.frames_seen = 1, .frames_no_socket = 1, .frames_malformed = 1};
}

struct cut_point {
	size_t at;
	const char *where;
	bool udp_complete;
};

/*
 * Every header boundary of a Q-in-Q, IHL 6 frame, plus points inside each header. The shortest is
 * the bare Ethernet header: BPF_PROG_TEST_RUN refuses XDP frames under 14 bytes (EINVAL).
 */
static size_t cut_points(struct cut_point *out)
{
	static const struct fb_msg msgs[] = {A_AAPL};
	struct fb_frame f = {.tags = {FB_TPID_AD, FB_TPID_Q}, .set_ihl = true, .ihl = 6};
	struct fb_layout l;
	__u8 buf[FB_MAX_FRAME];
	size_t n = 0;

	f.msgs = msgs;
	f.n_msgs = 1;
	cr_assert(fb_build(&f, buf, sizeof(buf), &l), "base frame of the cut rows does not build");
#define CUT(at_, where_, udp_)                                                                     \
	out[n++] = (struct cut_point){.at = (at_), .where = (where_), .udp_complete = (udp_)}
	CUT(l.tags_off[0], "Ethernet header only, the 802.1ad tag missing", false);
	CUT(l.tags_off[0] + 2, "inside the 802.1ad tag", false);
	CUT(l.tags_off[1], "after the 802.1ad tag, the 802.1Q tag missing", false);
	CUT(l.tags_off[1] + 3, "inside the 802.1Q tag", false);
	CUT(l.l3_off, "after both tags, the IPv4 header missing", false);
	CUT(l.l3_off + 10, "inside the IPv4 header", false);
	CUT(l.ip_opts_off - 1, "one byte short of the fixed IPv4 header", false);
	CUT(l.ip_opts_off, "fixed IPv4 header, its options missing", false);
	CUT(l.ip_opts_off + 2, "inside the IPv4 options", false);
	CUT(l.l4_off, "IPv4 header with options, the UDP header missing", false);
	CUT(l.l4_off + 4, "inside the UDP header", false);
	CUT(l.l4_off + 7, "one byte short of the UDP header", false);
	CUT(l.payload_off, "UDP header, no payload", true);
	CUT(l.payload_off + 10, "inside the Mold session", true);
	CUT(l.payload_off + 19, "one byte short of the Mold header", true);
	CUT(l.payload_off + 20, "Mold header, the block missing", true);
	CUT(l.payload_off + 21, "inside the block length", true);
	CUT(l.payload_off + 30, "inside the message", true);
	CUT(l.len - 1, "one byte short of the datagram", true);
#undef CUT
	return n;
}

/* Every IHL below 5 and with options, every Mold payload shorter than its header, and a cut at
 * every header boundary of a Q-in-Q frame with IPv4 options (and inside each header). */
size_t fx_rows_generated(struct row *out, size_t max)
{
	struct cut_point cuts[32];
	size_t n = 0, ncuts, i;
	unsigned int v;

	for (v = 0; v < 5; v++) {
		struct row r = generated_row(
		    fx_fmt("IPv4 IHL %u (less than 5): not a valid IPv4 header, passed", v));

		r.steps[0].f.set_ihl = true;
		r.steps[0].f.ihl = (__u8)v;
		set_not_ours(&r);
		if (n < max)
			out[n] = r;
		n++;
	}
	for (v = 6; v <= 15; v++) {
		struct row r =
		    generated_row(fx_fmt("IPv4 IHL %u (%u option bytes) to a group: UDP found "
				      "after the options, subscribed message delivered",
				      v, (v - 5) * 4));

		r.steps[0].f.set_ihl = true;
		r.steps[0].f.ihl = (__u8)v;
		r.steps[0].out = OUT_NO_SOCKET;
		r.steps[0].meta = (struct meta_expect)META_ONE;
		r.gstats[0] = (struct fs_counters){.frames_seen = 1,
						   .frames_no_socket = 1,
						   .frames_first = 1,
						   .msgs_walked = 1,
						   .msgs_new = 1,
						   .msgs_delivered = 1,
						   .msgs_matched = 1};
		r.sym[0] = (struct sym_spec){S_AAPL, 1, 0};
		if (n < max)
			out[n] = r;
		n++;
	}
	for (v = 0; v < 20; v++) {
		struct row r = generated_row(
		    fx_fmt("UDP payload of %u bytes (lengths consistent), shorter than the 20-byte "
			"Mold header: malformed",
			v));

		r.steps[0].f.short_payload = true;
		r.steps[0].f.payload_len = (__u16)v;
		set_malformed_no_socket(&r);
		if (n < max)
			out[n] = r;
		n++;
	}
	ncuts = cut_points(cuts);
	for (i = 0; i < ncuts; i++) {
		struct row r = generated_row(
		    fx_fmt("Q-in-Q IHL 6 frame cut at %zu bytes (%s), headers claiming the rest: %s",
			cuts[i].at, cuts[i].where,
			cuts[i].udp_complete ? "ports readable, lengths past the frame: malformed"
					     : "destination unreadable, passed"));

		r.steps[0].f.tags[0] = FB_TPID_AD;
		r.steps[0].f.tags[1] = FB_TPID_Q;
		r.steps[0].f.set_ihl = true;
		r.steps[0].f.ihl = 6;
		r.steps[0].f.cut = (__u16)cuts[i].at;
		if (cuts[i].udp_complete)
			set_malformed_no_socket(&r);
		else
			set_not_ours(&r);
		if (n < max)
			out[n] = r;
		n++;
	}
	return n;
}
