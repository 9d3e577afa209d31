// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The fuzz program's vocabulary and its generator; see program.h (runner.c reads programs). */
#include <string.h>

#include "feedsieve/maps.h"
#include "program.h"

const char *const fz_sessions[FZ_SESSIONS] = {"FSTEST0001", "FSTEST0002", "SESSION003",
					      "          "};
const char *const fz_symbols[FZ_SYMBOLS] = {"AAPL", "MSFT", "NVDA", "TSLA",
					    "GOOG", "AMZN", "",	    "ZZZZZZZZ"};
const __u16 fz_locates[FZ_LOCATES] = {1, 2, 3, 13, 42, 77, 0, 65535};
/* adds and order messages twice as likely as the rest */
const __u8 fz_pitch_types[FZ_PITCH_TYPES] = {0x20, 0x21, 0x22, 0x2F, 0x23, 0x24, 0x25, 0x26,
					     0x27, 0x28, 0x29, 0x2A, 0x2B, 0x30, 0x31, 0x97,
					     0x2D, 0x2C, 0x95, 0x77, 0x21, 0x22, 0x23, 0x29};
const __u64 fz_order_ids[FZ_ORDER_IDS] = {1, 2, 3, 4, 5, 6, 7, 8, 9,
					  0x0102030405060708ULL, 0x8000000000000001ULL,
					  ~0ULL};
const char fz_types[FZ_TYPES] = {'A', 'E', 'R', 'D', 'S', 'P', 'X', 'F', 'C', 'U', 'Q', 'H'};
const __u64 fz_edges[FZ_EDGES] = {
    0,
    1,
    65535,		     /* the last sequence number a new session may start at */
    65536,		     /* FS_SEQ_WINDOW: the first it may not */
    65537,
    (1ULL << 28) - 19,	     /* block numbers in window tags wrap at 2^24 blocks */
    (1ULL << 28) - 1,
    (1ULL << 32) - 3,
    1ULL << 47,
    (1ULL << 48) - 2,	     /* the high-water mark holds 48 bits */
    1ULL << 63,
    ~0ULL - 2,		     /* sequence numbers wrap at 2^64 */
};

/* [3] and [4] are what long frames repeat: keyed by entry, so they reach the walk bound. */
const __u16 fz_templates[FZ_TEMPLATES] = {4,  12, 30, 37, 46, 47, 48, 49, 50, 51, 54,
					  55, 56, 64, 65, 66, 67, 99, 0,  200, 52};
const __s32 fz_ids[FZ_IDS] = {170506, 42001, 99, -7, 0, 0x7FFFFFFF, 1, 65536};
const char *const fz_mdp3_symbols[FZ_MDP3_SYMBOLS] = {"ESZ6", "NQH7", "CLF7",	  "6E Z6",
						      "ES",   "",     "ZZZZZZZZ", "GEZ6-GEH7"};
const __u64 fz_times[FZ_TIMES] = {1536760536330721282ULL, 1700000000000000001ULL,
				  1700000000000000002ULL, 1ULL};
/* [3] and [4] are what long frames repeat: short, so 128+ messages fit in a frame. */
const __u16 fz_nyse_types[FZ_NYSE_TYPES] = {3,	 100, 1,   114, 112, 101, 102, 103,
					    104, 110, 111, 113, 32,  34,  105, 106,
					    223, 2,   31,  35,  3,   0,	  99,  220};
const __u32 fz_nyse_indexes[FZ_NYSE_INDEXES] = {1001, 77, 5, 0, 0x7fffffff, 65536, 170506,
						0xffffffff};
const char *const fz_nyse_symbols[FZ_NYSE_SYMBOLS] = {"AAPL", "BRK A", "ABCDEFGHIJK", "IBM",
						      "AAPL   ", "", "MSFT", "BRK"};
const __u8 fz_nyse_flags[FZ_NYSE_FLAGS] = {11, 11, 11, 11, 10, 1,  11, 11,
					   13, 15, 17, 18, 19, 20, 21, 14};

void fz_put8(struct fz_buf *b, unsigned int v)
{
	if (b->len < b->cap)
		b->p[b->len++] = (__u8)v;
}

void fz_put16(struct fz_buf *b, unsigned int v)
{
	fz_put8(b, v >> 8);
	fz_put8(b, v);
}

void fz_put32(struct fz_buf *b, __u32 v)
{
	fz_put16(b, v >> 16);
	fz_put16(b, v & 0xffff);
}

void fz_put_bytes(struct fz_buf *b, const void *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fz_put8(b, ((const __u8 *)p)[i]);
}

void fz_put_symbol(struct fz_buf *b, const char *sym)
{
	char s[8] = {0};

	memcpy(s, sym, strnlen(sym, 8));
	fz_put_bytes(b, s, 8);
}

__u64 fz_rand(struct fz_rng *r)
{
	__u64 x = r->s ? r->s : 0x9E3779B97F4A7C15ULL;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	r->s = x;
	return x * 0x2545F4914F6CDD1DULL;
}

unsigned int fz_below(struct fz_rng *r, unsigned int n)
{
	return n ? (unsigned int)((fz_rand(r) >> 32) % n) : 0;
}

/* true with probability PCT percent */
static int chance(struct fz_rng *r, unsigned int pct)
{
	return fz_below(r, 100) < pct;
}

/* What the generator remembers of a program's configuration. */
struct gen_cfg {
	unsigned int n_groups, n_mdp3, n_nyse;
	__u8 mdp3_feeds[8]; /* feed of each MDP3 group */
	__u8 proto[8];	    /* of each group */
};

/* A subscription's symbol and slot: by name, or (with MDP3 groups) an MDP3 name or an id, or
 * (with NYSE groups) a NYSE name. */
static void gen_subscription(struct fz_rng *r, struct fz_buf *b, const struct gen_cfg *c)
{
	if (c->n_nyse && chance(r, 60)) {
		__u8 sub[8] = {FZ_NYSE_SUB, (__u8)fz_below(r, FZ_NYSE_SYMBOLS)};

		fz_put_bytes(b, sub, sizeof(sub));
	} else if (c->n_mdp3 && chance(r, 50)) {
		__u8 sub[8] = {FZ_ID_SUB, (__u8)fz_below(r, FZ_IDS),
			       c->mdp3_feeds[fz_below(r, c->n_mdp3)]};

		fz_put_bytes(b, sub, sizeof(sub));
	} else if (c->n_mdp3) {
		fz_put_symbol(b, fz_mdp3_symbols[fz_below(r, FZ_MDP3_SYMBOLS - 1)]);
	} else {
		fz_put_symbol(b, fz_symbols[fz_below(r, 6)]);
	}
}

static void gen_config(struct fz_rng *r, struct fz_buf *b, struct gen_cfg *c)
{
	unsigned int n = 1 + fz_below(r, 4), ids = fz_below(r, 256), i, kind = fz_below(r, 100);
	/* MDP3 programs: mostly MDP3 groups, subscriptions by id and of MDP3 symbols; NYSE ones:
	 * mostly NYSE groups and NYSE symbols; PITCH ones: mostly PITCH groups, some naming units
	 * (in the feed byte); the rest ITCH */
	int mdp3 = kind < 25, nyse = kind >= 25 && kind < 50, pitch = kind >= 50 && kind < 75;
	/* PITCH units, the same for every group (so the two lines of a channel agree) */
	unsigned int units = chance(r, 40) ? fz_below(r, 4) << 2 | fz_below(r, 4) << 4 : 0;
	/* Half the programs make groups 0 and 1 the two lines of one channel, as feeds are. */
	int paired = chance(r, 60);
	unsigned int pair_feed = fz_below(r, 4), pair_ch = fz_below(r, 8);

	if (paired && n < 2)
		n = 2;
	memset(c, 0, sizeof(*c));
	c->n_groups = n;
	fz_put8(b, n);
	for (i = 0; i < n; i++) {
		int line = paired && i < 2;
		unsigned int flags = 0, feed = line ? pair_feed : fz_below(r, 4);
		/* proto: MoldUDP64/ITCH, MDP3, NYSE XDP or PITCH, rarely one the program does not
		 * know */
		unsigned int proto = FS_PROTO_MOLD_ITCH;

		if (chance(r, 3))
			proto = FZ_PROTO_UNKNOWN;
		else if (mdp3 && chance(r, 85))
			proto = FS_PROTO_MDP3;
		else if (nyse && chance(r, 85))
			proto = FS_PROTO_NYSE_XDP;
		else if (pitch && chance(r, 85))
			proto = FS_PROTO_PITCH;
		if (chance(r, 15))
			flags |= 1; /* all symbols */
		if (chance(r, 20))
			flags |= 2; /* drop malformed */
		if (proto == FS_PROTO_MDP3 && chance(r, 40))
			flags |= 4; /* definitions */
		if (proto == FS_PROTO_MDP3)
			c->mdp3_feeds[c->n_mdp3++] = (__u8)feed;
		c->n_nyse += proto == FS_PROTO_NYSE_XDP;
		c->proto[i] = (__u8)proto;
		fz_put32(b, 0xE931C40Au + i);		 /* 233.49.196.10 + i */
		fz_put16(b, 18001 + (i & 1));
		fz_put8(b, (ids + i * 37) & 0xff);	 /* distinct ids, 0 and 255 included */
		fz_put8(b, proto);
		fz_put8(b, proto == FS_PROTO_PITCH ? feed | units : feed);
		fz_put8(b, flags);
		fz_put8(b, line ? pair_ch : (pair_ch + 1 + i) & 0xff);
		fz_put8(b, line ? i : 0);
	}
	n = fz_below(r, 5);
	fz_put8(b, n);
	for (i = 0; i < n; i++) {
		gen_subscription(r, b, c);
		fz_put16(b, chance(r, 90) ? fz_below(r, 24) : 65535 - fz_below(r, 2));
	}
	n = fz_below(r, 6);
	fz_put8(b, n);
	for (i = 0; i < n; i++) {
		fz_put8(b, fz_below(r, 4));
		fz_put16(b, fz_locates[fz_below(r, FZ_LOCATES)]);
		fz_put_symbol(b, fz_symbols[fz_below(r, FZ_SYMBOLS)]);
	}
	fz_put8(b, chance(r, 60) ? 1 : fz_below(r, 4)); /* mostly a socket on queue 0 */
}

static void gen_frame(struct fz_rng *r, struct fz_buf *b, const struct gen_cfg *c)
{
	unsigned int nmsgs, i, nmut, pick = fz_below(r, 100), cmode;
	unsigned int big_type = fz_below(r, 256);
	unsigned int gi = chance(r, 5) ? c->n_groups : fz_below(r, c->n_groups);

	fz_put8(b, FZ_OP_FRAME);
	fz_put8(b, gi);
	/* session: the channel's own mostly; a restart or a stray other session sometimes */
	fz_put8(b, chance(r, 94) ? fz_below(r, 224) : 224 + fz_below(r, 32));
	fz_put8(b, pick < 72 ? 0 : pick < 84 ? 4 : pick < 91 ? 5 : pick < 95 ? 6 : 7);
	fz_put32(b, (__u32)fz_rand(r));
	pick = fz_below(r, 100);
	cmode = pick < 84 ? 0 : pick < 92 ? 13 : pick < 95 ? 14 : 15;
	fz_put8(b, cmode);
	if (gi < c->n_groups && c->proto[gi] == FS_PROTO_NYSE_XDP && cmode != 15)
		fz_put8(b, chance(r, 80) ? fz_below(r, 8) : fz_below(r, 256)); /* flag, mostly live */
	else
		fz_put8(b, chance(r, 50) ? fz_below(r, 5) : 256 - fz_below(r, 5)); /* count delta */
	pick = fz_below(r, 100);
	nmsgs = pick < 88 ? 1 + fz_below(r, 8) : pick < 96 ? 208 + fz_below(r, 32) : 240 + fz_below(r, 16);
	fz_put8(b, nmsgs);
	nmsgs = nmsgs < 208 ? nmsgs % 9 : nmsgs < 240 ? 9 + (nmsgs - 208) * 4 : 120 + (nmsgs - 240);
	for (i = 0; i < nmsgs; i++) {
		/* long frames of one short type, so 128+ blocks fit in a frame */
		fz_put8(b, nmsgs > 8 && !chance(r, 3) ? (big_type & 1 ? 3 : 4) : fz_below(r, 256));
		fz_put8(b, fz_below(r, 256));
		fz_put8(b, fz_below(r, 256));
		fz_put8(b, chance(r, 97) ? 0 : 232 + fz_below(r, 24));
	}
	nmut = chance(r, 80) ? 0 : 1 + fz_below(r, 2);
	fz_put8(b, nmut ? 176 + nmut : 0);
	for (i = 0; i < nmut; i++) {
		fz_put8(b, fz_below(r, FZ_MUT_N));
		fz_put16(b, fz_below(r, 65536));
	}
}

void fz_generate(struct fz_rng *r, struct fz_buf *b, unsigned int n_ops)
{
	struct gen_cfg c;
	unsigned int i;

	gen_config(r, b, &c);
	for (i = 0; i < n_ops; i++) {
		unsigned int pick = fz_below(r, 100);

		if (pick < 74) {
			gen_frame(r, b, &c);
		} else if (pick < 97) {
			/* the other line's copy of a recent frame, or a duplicate */
			fz_put8(b, FZ_OP_RESEND);
			fz_put8(b, fz_below(r, 4));
			fz_put8(b, chance(r, 80) ? fz_below(r, 2) : fz_below(r, c.n_groups + 1));
		} else {
			fz_put8(b, FZ_OP_SUBSCRIBE);
			gen_subscription(r, b, &c);
			fz_put16(b, fz_below(r, 24));
		}
	}
}
