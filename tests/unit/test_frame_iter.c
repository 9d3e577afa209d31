// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * fs_frame__decode() and the message iterator, without a consumer: frames come from the tests'
 * frame builder (one 802.1Q tag, IPv4, UDP, MoldUDP64, ITCH 5.0 with the offsets of the public
 * specifications, docs/wire/)
 * and handed over in a buffer that ends exactly where the frame does, so AddressSanitizer catches
 * any read past it. What is asserted is what a consumer sees: which messages come out, with which
 * sequence number, type, locate and symbol, and whether the frame is flagged malformed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "feedsieve.h"
#include "frame_builder.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define GROUP_ADDR 0xE931C401 /* 233.49.196.1 */
#define GROUP_PORT 26477
#define SESSION	   "TESTSESS01"
#define SEQ	   0x0123456789ABCD00ULL
#define RX_TS	   123456789ULL

/* ---- Building frames ---- */

/* ITCH 5.0 message lengths (wire_itch.h) and Stock field offsets (the frame builder's own table). */
static __u16 itch_len(char type)
{
	__u16 len = itch_msg_len((__u8)type);

	cr_assert(len, "no length for message type %c in the test", type);
	return len;
}

/* One message block. */
struct msg_spec {
	char type;
	__u16 locate;
	char sym[FS_SYMBOL_LEN + 1]; /* "" for none; written padded at the Stock offset */
	bool len_set;		     /* block length given (else the type's length) */
	__u16 len;
};
#define LEN(n) .len_set = true, .len = (n)

static __u16 msg_len(const struct msg_spec *m)
{
	return m->len_set ? m->len : itch_len(m->type);
}

/* Would a reader find the symbol in the body? Only if the type has a Stock field and the block
 * holds all 8 bytes of it. */
static bool symbol_in_body(const struct msg_spec *m)
{
	__u32 off = (__u32)fb_stock_offset(m->type);

	return m->sym[0] && off && msg_len(m) >= off + ITCH_SYMBOL_LEN;
}

/* How the Ethernet/IPv4/UDP envelope deviates from a good datagram. */
struct envelope {
	__u16 ethertype; /* after the 802.1Q tag; 0: IPv4 */
	__u8 ip_proto;	 /* 0: UDP */
	__u16 frag;
	int udp_len_adj;
	bool udp_len_set; /* UDP length given */
	__u16 udp_len;
	__u16 pad; /* bytes after the datagram (Ethernet padding) */
};

/* MoldUDP64 payload. */
struct mold_spec {
	char session[MOLD_SESSION_LEN + 1];
	__u64 seq;
	bool count_set; /* count given (else the number of blocks) */
	__u16 count;
	struct msg_spec msgs[6];
	__u8 n;
	__u16 fill;    /* then this many 'E' messages, locate = their index */
	__u8 extra;    /* then this many stray bytes */
	__u16 cut;     /* finally, drop this many bytes from the end of the payload */
	__u16 eth_pad; /* Ethernet padding after the UDP datagram */
};

struct built {
	struct fb_buf f;
	size_t block_off[160]; /* where each message body starts in the frame */
	size_t n_blocks;
};

/* The frame ENV and M describe, from the tests' frame builder: one 802.1Q tag, IPv4, UDP,
 * MoldUDP64; then M's blocks, M->fill 'E' blocks (locate = their index), M->extra stray zero
 * bytes, the last M->cut bytes of the payload dropped (the lengths agree with what is left). */
static void build(const struct envelope *env, const struct mold_spec *m, struct built *out)
{
	static struct fb_msg blocks[ARRAY_SIZE(out->block_off)];
	size_t n = m->n + m->fill, payload = MOLD_HDR_LEN + m->extra, off, i;
	struct fb_frame d = {
	    .eth_type = env->ethertype,
	    .tags = {FB_TPID_Q},
	    .ip_proto = env->ip_proto,
	    .frag = env->frag,
	    .daddr = GROUP_ADDR,
	    .dport = GROUP_PORT,
	    .set_udp_len = env->udp_len_set,
	    .udp_len = env->udp_len,
	    .udp_len_delta = env->udp_len_adj,
	    .set_count = m->count_set,
	    .count = m->count,
	    .set_seq = true,
	    .seq = m->seq,
	    .session = m->session,
	    .msgs = blocks,
	    .n_msgs = n,
	    .trailing = m->extra,
	    .pad = (__u16)(env->pad + m->eth_pad),
	};
	struct fb_layout l;

	memset(out, 0, sizeof(*out));
	cr_assert_leq(n, ARRAY_SIZE(blocks));
	for (i = 0; i < n; i++) {
		const struct msg_spec *s = i < m->n ? &m->msgs[i] : NULL;

		if (s)
			blocks[i] = (struct fb_msg){.type = s->type, .locate = s->locate,
						    .symbol = s->sym[0] ? s->sym : NULL,
						    .set_len = s->len_set, .len = s->len};
		else
			blocks[i] = (struct fb_msg){.type = 'E', .locate = (__u16)i};
		payload += MOLD_BLOCK_HDR + (s ? msg_len(s) : itch_len('E'));
	}
	cr_assert_leq(m->cut, payload);
	if (m->cut) {
		d.short_payload = true;
		d.payload_len = (__u16)(payload - m->cut);
	}
	out->f.n = fb_build(&d, out->f.b, sizeof(out->f.b), &l);
	cr_assert(out->f.n, "frame does not fit");
	off = l.payload_off + MOLD_HDR_LEN;
	for (i = 0; i < n; i++) {
		out->block_off[i] = off + MOLD_BLOCK_HDR;
		off += MOLD_BLOCK_HDR + (i < m->n ? msg_len(&m->msgs[i]) : itch_len('E'));
	}
	out->n_blocks = n;
}

/*
 * A copy of the frame in a buffer that ends where the frame ends. It starts 2 bytes in, as NIC
 * drivers place frames (NET_IP_ALIGN), so the IPv4 header is 4-byte aligned.
 */
struct owned {
	__u8 *buf;
	__u8 *data;
};

static struct owned own(const struct fb_buf *f)
{
	struct owned o = {.buf = malloc(f->n + 2)};

	cr_assert_not_null(o.buf);
	o.data = o.buf + 2;
	memcpy(o.data, f->b, f->n);
	return o;
}

enum meta_kind {
	META_NONE,	/* the driver kept no metadata area */
	META_OK,	/* the program's metadata */
	META_BAD_MAGIC, /* stale bytes in front of a recycled frame */
};

struct meta_spec {
	enum meta_kind kind;
	__u8 flags;
	__u8 walked;
	__u64 bits[2];
};

static const struct fs_xdp_meta *make_meta(const struct meta_spec *s, struct fs_xdp_meta *m)
{
	if (s->kind == META_NONE)
		return NULL;
	memset(m, 0, sizeof(*m));
	m->rx_ts_ns = RX_TS;
	m->match_bits[0] = s->bits[0];
	m->match_bits[1] = s->bits[1];
	m->magic = s->kind == META_OK ? FS_META_MAGIC : (__u16)~FS_META_MAGIC;
	m->group_id = 3;
	m->flags = s->flags;
	m->msgs_walked = s->walked;
	return m;
}

/* clang-format off */
#define MOLD(...) {.session = SESSION, .seq = SEQ, __VA_ARGS__}
#define A(loc, s) {.type = 'A', .locate = (loc), .sym = (s)}
#define E(loc)    {.type = 'E', .locate = (loc)}
/* clang-format on */

/* ---- Which messages come out ---- */

struct iter_case {
	char desc[120];
	struct mold_spec mold;
	struct meta_spec meta;
	bool malformed;
	__u16 yields[8]; /* message indexes expected, in order */
	__u8 n_yields;
};

/* clang-format off */
/* Metadata in front of the frame. */
#define NO_META            {META_NONE}
#define STALE_META(...)    {META_BAD_MAGIC, __VA_ARGS__}
#define META(walked_, ...) {META_OK, .walked = (walked_), __VA_ARGS__}
/* What the consumer sees. */
#define YIELDS(...) \
	.yields = {__VA_ARGS__}, .n_yields = sizeof((__u16[]){__VA_ARGS__}) / sizeof(__u16)
#define YIELDS_NOTHING .n_yields = 0
#define MALFORMED      .malformed = true, .n_yields = 0

#define THREE_ADDS .msgs = {A(1, "AAPL"), A(2, "MSFT"), A(3, "GOOG")}, .n = 3
#define FIVE_EXECS .msgs = {E(1), E(2), E(3), E(4), E(5)}, .n = 5
/* clang-format on */

ParameterizedTestParameters(frame_iter, yields)
{
	static struct iter_case cases[] = {
	    /* The program's decisions, read from the metadata bits. */
	    {"first of three subscribed", MOLD(THREE_ADDS), META(3, .bits = {0x1}), YIELDS(0)},
	    {"middle of three subscribed", MOLD(THREE_ADDS), META(3, .bits = {0x2}), YIELDS(1)},
	    {"last of three subscribed", MOLD(THREE_ADDS), META(3, .bits = {0x4}), YIELDS(2)},
	    {"first and last subscribed, middle skipped", MOLD(THREE_ADDS), META(3, .bits = {0x5}),
	     YIELDS(0, 2)},
	    {"all walked, none subscribed", MOLD(THREE_ADDS), META(3, .bits = {0}), YIELDS_NOTHING},
	    {"a lone message, subscribed", MOLD(.msgs = {E(9)}, .n = 1), META(1, .bits = {0x1}),
	     YIELDS(0)},

	    /* User space deciding: without a consumer it hands over all it decides on. */
	    {"no metadata: every message", MOLD(THREE_ADDS), NO_META, YIELDS(0, 1, 2)},
	    {"stale metadata (wrong magic) is ignored: every message", MOLD(THREE_ADDS),
	     STALE_META(.walked = 3, .bits = {0x2}), YIELDS(0, 1, 2)},
	    {"stale metadata's malformed flag is ignored too", MOLD(THREE_ADDS),
	     STALE_META(.flags = FS_META_F_MALFORMED), YIELDS(0, 1, 2)},
	    {"overflow: walked 2 of 5, bit 1 set; the unwalked rest is handed over",
	     MOLD(FIVE_EXECS), META(2, .flags = FS_META_F_OVERFLOW, .bits = {0x2}),
	     YIELDS(1, 2, 3, 4)},
	    {"overflow with nothing walked", MOLD(FIVE_EXECS), META(0, .flags = FS_META_F_OVERFLOW),
	     YIELDS(0, 1, 2, 3, 4)},
	    {"all-symbols group: walked bits all set, the rest follows", MOLD(FIVE_EXECS),
	     META(2, .flags = FS_META_F_ALL_SYMBOLS | FS_META_F_OVERFLOW, .bits = {0x3}),
	     YIELDS(0, 1, 2, 3, 4)},
	    {"walk bound: bits in both words, then the 2 unwalked blocks",
	     MOLD(.fill = FS_MAX_WALK + 2),
	     META(FS_MAX_WALK, .flags = FS_META_F_OVERFLOW,
		  .bits = {1ULL << 5, (1ULL << (70 - 64)) | (1ULL << (127 - 64))}),
	     YIELDS(5, 70, 127, 128, 129)},

	    /* Block shapes that are well formed. */
	    {"3-byte block, the shortest that holds type and locate",
	     MOLD(.msgs = {{.type = 'A', .locate = 4, LEN(3)}}, .n = 1), NO_META, YIELDS(0)},
	    {"Stock Directory of exactly 19 bytes still holds its symbol",
	     MOLD(.msgs = {{.type = 'R', .locate = 4, .sym = "ZVZZT", LEN(19)}}, .n = 1), NO_META,
	     YIELDS(0)},
	    {"Add Order cut before its Stock field: delivered, symbol unknown",
	     MOLD(.msgs = {{.type = 'A', .locate = 4, .sym = "AAPL", LEN(30)}}, .n = 1), NO_META,
	     YIELDS(0)},
	    {"bytes after the UDP datagram are Ethernet padding, not blocks",
	     MOLD(.msgs = {E(1)}, .n = 1, .eth_pad = 6), NO_META, YIELDS(0)},

	    /* Heartbeat and end of session carry no messages. */
	    {"heartbeat", MOLD(.count_set = true, .count = 0), NO_META, YIELDS_NOTHING},
	    {"heartbeat with metadata", MOLD(.count_set = true, .count = 0), META(0),
	     YIELDS_NOTHING},
	    {"end of session", MOLD(.count_set = true, .count = 0xFFFF), NO_META, YIELDS_NOTHING},

	    /* Malformed: nothing is yielded, whatever the metadata says. */
	    {"MoldUDP64 header one byte short", MOLD(.count_set = true, .count = 0, .cut = 1),
	     NO_META, MALFORMED},
	    {"empty UDP payload", MOLD(.count_set = true, .count = 0, .cut = 20), NO_META,
	     MALFORMED},
	    {"zero-length block", MOLD(.msgs = {{.type = 'E', LEN(0)}}, .n = 1), NO_META,
	     MALFORMED},
	    {"2-byte block: no room for the locate", MOLD(.msgs = {{.type = 'E', LEN(2)}}, .n = 1),
	     NO_META, MALFORMED},
	    {"last block runs past the payload", MOLD(.msgs = {A(1, "AAPL")}, .n = 1, .cut = 10),
	     NO_META, MALFORMED},
	    {"block length field cut in half",
	     MOLD(.msgs = {A(1, "AAPL"), E(2)}, .n = 2, .cut = 31 + 1), NO_META, MALFORMED},
	    {"count larger than the blocks present",
	     MOLD(.msgs = {A(1, "AAPL"), E(2)}, .n = 2, .count_set = true, .count = 3), NO_META,
	     MALFORMED},
	    {"count smaller than the blocks present",
	     MOLD(.msgs = {A(1, "AAPL"), E(2)}, .n = 2, .count_set = true, .count = 1), NO_META,
	     MALFORMED},
	    {"a stray byte after the last block", MOLD(.msgs = {A(1, "AAPL")}, .n = 1, .extra = 1),
	     NO_META, MALFORMED},
	    {"Stock Directory too short for its symbol (18 bytes)",
	     MOLD(.msgs = {{.type = 'R', .locate = 4, .sym = "ZVZZT", LEN(18)}}, .n = 1), NO_META,
	     MALFORMED},
	    {"a short Stock Directory spoils the good messages around it",
	     MOLD(.msgs = {A(1, "AAPL"), {.type = 'R', .locate = 4, LEN(12)}, A(1, "AAPL")},
		  .n = 3),
	     NO_META, MALFORMED},
	    {"heartbeat followed by a block",
	     MOLD(.msgs = {A(1, "AAPL")}, .n = 1, .count_set = true, .count = 0), NO_META,
	     MALFORMED},
	    {"end of session followed by a block",
	     MOLD(.msgs = {A(1, "AAPL")}, .n = 1, .count_set = true, .count = 0xFFFF), NO_META,
	     MALFORMED},
	    {"the program's malformed flag on a well-formed frame",
	     MOLD(.msgs = {A(1, "AAPL"), E(2)}, .n = 2), META(0, .flags = FS_META_F_MALFORMED),
	     MALFORMED},
	    {"malformed even though metadata marks message 0 subscribed",
	     MOLD(.msgs = {A(1, "AAPL"), E(2)}, .n = 2, .count_set = true, .count = 3),
	     META(1, .bits = {0x1}), MALFORMED},
	};
	return cr_make_param_array(struct iter_case, cases, ARRAY_SIZE(cases));
}

ParameterizedTest(struct iter_case *c, frame_iter, yields)
{
	struct envelope env = {0};
	struct fs_xdp_meta meta_buf;
	const struct fs_xdp_meta *meta = make_meta(&c->meta, &meta_buf);
	struct fs_frame frame = {0};
	struct fs_msg_iter it;
	struct fs_msg msg;
	struct built *b = malloc(sizeof(*b));
	struct owned o;
	__u8 got = 0;
	int rc;

	cr_assert_not_null(b);
	build(&env, &c->mold, b);
	o = own(&b->f);
	rc = fs_frame__decode(&frame, o.data, (__u32)b->f.n, meta);
	cr_assert_eq(rc, 0, "%s: decode returned %d", c->desc, rc);
	cr_assert_eq(frame.malformed, c->malformed, "%s: malformed is %d, want %d", c->desc,
		     frame.malformed, c->malformed);

	fs_msg_iter__init(&it, &frame);
	while (fs_msg_iter__next(&it, &msg)) {
		__u64 index = msg.seq - SEQ;
		const struct msg_spec *spec;
		struct msg_spec filler = {.type = 'E', .locate = (__u16)index};

		cr_assert_lt(got, c->n_yields, "%s: message %d yielded beyond the %u expected",
			     c->desc, (int)index, c->n_yields);
		cr_assert_eq(index, c->yields[got], "%s: yield %u is message %lld, want %u",
			     c->desc, got, (long long)index, c->yields[got]);
		spec = index < c->mold.n ? &c->mold.msgs[index] : &filler;
		cr_assert_eq(msg.body, o.data + b->block_off[index],
			     "%s: message %u body is not its block in the frame", c->desc,
			     (unsigned)index);
		cr_assert_eq(msg.len, msg_len(spec), "%s: message %u len %u, want %u", c->desc,
			     (unsigned)index, msg.len, msg_len(spec));
		cr_assert_eq(msg.type, (__u8)spec->type, "%s: message %u type '%c', want '%c'",
			     c->desc, (unsigned)index, msg.type, spec->type);
		cr_assert(msg.has_key, "%s: message %u has no key", c->desc, (unsigned)index);
		cr_assert_eq(msg.key, spec->locate, "%s: message %u locate %u, want %u", c->desc,
			     (unsigned)index, msg.key, spec->locate);
		cr_assert_eq(msg.symbol_known, symbol_in_body(spec),
			     "%s: message %u symbol_known %d, want %d", c->desc, (unsigned)index,
			     msg.symbol_known, symbol_in_body(spec));
		if (msg.symbol_known) {
			char want[sizeof(msg.symbol.name)];

			memset(want, 0, sizeof(want));
			memcpy(want, spec->sym, strlen(spec->sym));
			cr_assert_arr_eq(msg.symbol.name, want, sizeof(want),
					 "%s: message %u symbol \"%.8s\", want \"%.8s\"", c->desc,
					 (unsigned)index, msg.symbol.name, want);
		}
		got++;
	}
	cr_assert_eq(got, c->n_yields, "%s: %u messages yielded, want %u", c->desc, got,
		     c->n_yields);
	cr_assert_not(fs_msg_iter__next(&it, &msg), "%s: iterator yields again after the end",
		      c->desc);
	free(o.buf);
	free(b);
}

/* ---- What decode exposes ---- */

Test(frame_decode, header_fields_and_metadata)
{
	struct mold_spec m = MOLD(.msgs = {A(1, "AAPL"), E(2)}, .n = 2);
	struct meta_spec ms = {META_OK, .flags = FS_META_F_ALL_SYMBOLS, .walked = 2, .bits = {3}};
	struct envelope env = {0};
	struct fs_xdp_meta meta_buf;
	struct fs_frame frame = {0};
	struct built *b = malloc(sizeof(*b));
	struct owned o;

	cr_assert_not_null(b);
	build(&env, &m, b);
	o = own(&b->f);
	cr_assert_eq(fs_frame__decode(&frame, o.data, (__u32)b->f.n, make_meta(&ms, &meta_buf)), 0);
	cr_assert_eq(frame.data, o.data, "data is the frame");
	cr_assert_eq(frame.len, b->f.n, "len is the frame length");
	cr_assert_eq(frame.group.addr, htonl(GROUP_ADDR), "group address");
	cr_assert_eq(frame.group.port, htons(GROUP_PORT), "group port");
	cr_assert_arr_eq(frame.session, SESSION, MOLD_SESSION_LEN, "session copied");
	cr_assert_eq(frame.seq, SEQ, "seq 0x%llx, want 0x%llx", (unsigned long long)frame.seq, SEQ);
	cr_assert_eq(frame.seq_count, 2, "count");
	cr_assert_eq(frame.kind, FS_FRAME_DATA, "kind");
	cr_assert_eq(frame.session_len, MOLD_SESSION_LEN, "session length");
	cr_assert(frame.session_named, "a Mold frame names its session");
	cr_assert_eq(frame.session_hash, fs_session_hash((const __u8 *)SESSION, MOLD_SESSION_LEN),
		     "session identity");
	cr_assert_eq(frame.proto, FS_PROTO_MOLD_ITCH, "proto %d", (int)frame.proto);
	cr_assert(frame.has_meta, "metadata with the right magic is used");
	cr_assert_eq(frame.meta_flags, FS_META_F_ALL_SYMBOLS, "meta flags passed through");
	cr_assert_eq(frame.rx_ts_ns, RX_TS, "rx timestamp from the metadata");
	cr_assert_not(frame.malformed);

	/* The same frame again without metadata: nothing of the last decode survives. */
	cr_assert_eq(fs_frame__decode(&frame, o.data, (__u32)b->f.n, NULL), 0);
	cr_assert_not(frame.has_meta, "no metadata");
	cr_assert_eq(frame.meta_flags, 0, "no flags without metadata");
	cr_assert_eq(frame.rx_ts_ns, 0, "no timestamp without metadata");
	free(o.buf);
	free(b);
}

/* Heartbeat and end of session: no messages, but count and seq are what a consumer tracks gaps
 * with, and the session name tells it which session they belong to. */
struct ctrl_case {
	char desc[64];
	char session[MOLD_SESSION_LEN + 1];
	__u64 seq;
	__u16 count;
};

ParameterizedTestParameters(frame_decode, control_packets)
{
	static struct ctrl_case cases[] = {
	    {"heartbeat: seq is the next one to come", "SESS1     ", 1001, 0},
	    {"heartbeat before the first message", "0000000001", 1, 0},
	    {"end of session", "SESS1     ", 5000000000ULL, 0xFFFF},
	    {"end of session with the highest seq", "ZZZZZZZZZZ", ~0ULL, 0xFFFF},
	};
	return cr_make_param_array(struct ctrl_case, cases, ARRAY_SIZE(cases));
}

ParameterizedTest(struct ctrl_case *c, frame_decode, control_packets)
{
	struct mold_spec m = {.seq = c->seq, .count_set = true, .count = c->count};
	struct envelope env = {0};
	struct fs_frame frame = {0};
	struct fs_msg_iter it;
	struct fs_msg msg;
	struct built *b = malloc(sizeof(*b));
	struct owned o;

	cr_assert_not_null(b);
	memcpy(m.session, c->session, sizeof(m.session));
	build(&env, &m, b);
	o = own(&b->f);
	cr_assert_eq(fs_frame__decode(&frame, o.data, (__u32)b->f.n, NULL), 0, "%s", c->desc);
	cr_assert_not(frame.malformed, "%s: flagged malformed", c->desc);
	cr_assert_eq(frame.kind, c->count ? FS_FRAME_END_OF_SESSION : FS_FRAME_HEARTBEAT,
		     "%s: kind %d", c->desc, (int)frame.kind);
	cr_assert_eq(frame.seq_count, 0, "%s: seq_count %u", c->desc, frame.seq_count);
	cr_assert_eq(frame.seq, c->seq, "%s: seq %llu, want %llu", c->desc,
		     (unsigned long long)frame.seq, (unsigned long long)c->seq);
	cr_assert_arr_eq(frame.session, c->session, MOLD_SESSION_LEN, "%s: session", c->desc);
	fs_msg_iter__init(&it, &frame);
	cr_assert_not(fs_msg_iter__next(&it, &msg), "%s: a message was yielded", c->desc);
	free(o.buf);
	free(b);
}

/* Frames that are not MoldUDP64 over UDP/IPv4 at all, and UDP datagrams whose lengths lie. */
struct envelope_case {
	char desc[80];
	struct envelope env;
	int rc;
	bool malformed; /* when rc is 0 */
};

ParameterizedTestParameters(frame_decode, envelope)
{
	static struct envelope_case cases[] = {
	    {"TCP", {.ip_proto = IPPROTO_TCP}, -EINVAL, false},
	    {"ARP behind the tag", {.ethertype = 0x0806}, -EINVAL, false},
	    {"IPv6 behind the tag", {.ethertype = 0x86DD}, -EINVAL, false},
	    {"first fragment: reassembled by the kernel, not decoded here",
	     {.frag = 0x2000},
	     -EINVAL,
	     false},
	    {"later fragment", {.frag = 100}, -EINVAL, false},
	    {"UDP length beyond the frame: decoded, flagged", {.udp_len_adj = 1}, 0, true},
	    {"UDP length 7, below its own header: decoded, flagged",
	     {.udp_len_set = true, .udp_len = 7},
	     0,
	     true},
	    {"UDP length leaving a 19-byte payload: decoded, flagged",
	     {.udp_len_set = true, .udp_len = 8 + 19},
	     0,
	     true},
	    {"Don't Fragment is fine", {.frag = 0x4000}, 0, false},
	    {"padding after the datagram is fine", {.pad = 18}, 0, false},
	};
	return cr_make_param_array(struct envelope_case, cases, ARRAY_SIZE(cases));
}

ParameterizedTest(struct envelope_case *c, frame_decode, envelope)
{
	struct mold_spec m = MOLD(.msgs = {A(1, "AAPL")}, .n = 1);
	struct fs_frame frame = {0};
	struct fs_msg_iter it;
	struct fs_msg msg;
	struct built *b = malloc(sizeof(*b));
	struct owned o;
	int rc;

	cr_assert_not_null(b);
	build(&c->env, &m, b);
	o = own(&b->f);
	rc = fs_frame__decode(&frame, o.data, (__u32)b->f.n, NULL);
	cr_assert_eq(rc, c->rc, "%s: decode returned %d, want %d", c->desc, rc, c->rc);
	if (rc == 0) {
		cr_assert_eq(frame.malformed, c->malformed, "%s: malformed %d, want %d", c->desc,
			     frame.malformed, c->malformed);
		cr_assert_eq(frame.group.addr, htonl(GROUP_ADDR), "%s: group address", c->desc);
		cr_assert_eq(frame.group.port, htons(GROUP_PORT), "%s: group port", c->desc);
		fs_msg_iter__init(&it, &frame);
		cr_assert_eq(fs_msg_iter__next(&it, &msg), !c->malformed, "%s: the one message %s",
			     c->desc, c->malformed ? "was yielded" : "was not yielded");
	}
	free(o.buf);
	free(b);
}

Test(frame_decode, truncated_ethernet_is_not_ours)
{
	static const __u8 runt[10] = {0x01, 0x00, 0x5e};
	__u8 *buf = malloc(sizeof(runt));
	struct fs_frame frame = {0};

	cr_assert_not_null(buf);
	memcpy(buf, runt, sizeof(runt));
	cr_assert_eq(fs_frame__decode(&frame, buf, sizeof(runt), NULL), -EINVAL);
	free(buf);
}

/* Iterating twice gives the same messages: the iterator, not the frame, holds the position. */
Test(frame_iter, restartable)
{
	struct mold_spec m = MOLD(.msgs = {A(1, "AAPL"), E(2), A(3, "MSFT")}, .n = 3);
	struct meta_spec ms = {META_OK, .walked = 3, .bits = {0x5}};
	struct envelope env = {0};
	struct fs_xdp_meta meta_buf;
	struct fs_frame frame = {0};
	struct fs_msg_iter it;
	struct fs_msg msg;
	struct built *b = malloc(sizeof(*b));
	struct owned o;
	int pass;

	cr_assert_not_null(b);
	build(&env, &m, b);
	o = own(&b->f);
	cr_assert_eq(fs_frame__decode(&frame, o.data, (__u32)b->f.n, make_meta(&ms, &meta_buf)), 0);
	for (pass = 0; pass < 2; pass++) {
		fs_msg_iter__init(&it, &frame);
		cr_assert(fs_msg_iter__next(&it, &msg), "pass %d: first", pass);
		cr_assert_eq(msg.seq, SEQ, "pass %d: first is message 0", pass);
		cr_assert(fs_msg_iter__next(&it, &msg), "pass %d: second", pass);
		cr_assert_eq(msg.seq, SEQ + 2, "pass %d: second is message 2", pass);
		cr_assert_not(fs_msg_iter__next(&it, &msg), "pass %d: only two", pass);
	}
	free(o.buf);
	free(b);
}
