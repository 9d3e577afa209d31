// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Writes the seed corpus of the fuzzers (make fuzz-corpus; the files are checked in):
 *   fixture-*.bin  every row of the BPF_PROG_TEST_RUN fixture table (tests/bpf/), ITCH, MDP3,
 *                  NYSE XDP and PITCH (a PITCH group's units in its feed byte, as program.h
 *                  spells them), its set-up and its frames byte for byte (raw frames: the
 *                  malformed ones stay malformed)
 *   feed-*.bin     clean feed sessions on two lines: directory, orders, executions, copies,
 *                  heartbeat, end of session
 *   gen-*.bin      short programs of the replay pass's generator, fixed seeds
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "fixture.h"
#include "program.h"

#define CAP (1 << 16)

static int write_file(const char *dir, const char *name, const struct fz_buf *b)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.bin", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(b->p, 1, b->len, f) != b->len || fclose(f)) {
		fprintf(stderr, "gen_corpus: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* A subscription by id in the program's spelling (program.h), if fz_ids holds the id. */
static bool put_id_sub(struct fz_buf *b, const struct id_sub_spec *s)
{
	for (unsigned int k = 0; k < FZ_IDS; k++) {
		if (fz_ids[k] != s->id)
			continue;
		fz_put_bytes(b, (__u8[8]){FZ_ID_SUB, (__u8)k, s->feed}, 8);
		fz_put16(b, s->slot);
		return true;
	}
	return false;
}

/* A subscription by name: a NYSE name longer than the 8-byte field in the program's spelling. */
static void put_sub_name(struct fz_buf *b, const char *sym)
{
	for (unsigned int k = 0; strlen(sym) > 8 && k < FZ_NYSE_SYMBOLS; k++) {
		if (strcmp(fz_nyse_symbols[k], sym))
			continue;
		fz_put_bytes(b, (__u8[8]){FZ_NYSE_SUB, (__u8)k}, 8);
		return;
	}
	fz_put_symbol(b, sym);
}

/*
 * A fixture row as a program: its set-up, then each frame as the fixture test builds it.
 * Definitions learned before the row and fs_bank.inst_next have no spelling in a program: such a
 * row makes a seed that starts from an empty id directory.
 */
static void put_row(struct fz_buf *b, const struct row *r)
{
	__u8 frame[FB_MAX_FRAME];
	unsigned int n = 0, ids;
	size_t i;

	for (i = 0; i < ROW_GROUPS; i++)
		n += r->groups[i].addr != 0;
	fz_put8(b, n);
	for (i = 0; i < n; i++) {
		const struct group_spec *g = &r->groups[i];
		__u8 feed = g->g.feed;

		if (g->g.proto == FS_PROTO_PITCH)
			feed = (__u8)((feed & 3) | (g->g.unit_count % 4) << 2 | g->g.unit_first << 4);
		fz_put32(b, g->addr);
		fz_put16(b, g->port);
		fz_put_bytes(b, (__u8[]){g->g.id, g->g.proto, feed, g->g.flags, g->g.channel,
					 g->g.line},
			     6);
	}
	for (n = 0; n < ROW_SUBS && r->subs[n].sym; n++)
		;
	for (i = 0, ids = 0; i < ROW_SUBS && r->id_subs[i].set; i++)
		ids++;
	fz_put8(b, n + ids);
	for (i = 0; i < n; i++) {
		put_sub_name(b, r->subs[i].sym);
		fz_put16(b, r->subs[i].slot);
	}
	for (i = 0; i < ids; i++)
		if (!put_id_sub(b, &r->id_subs[i])) /* keep the count: a harmless name instead */
			fz_put_bytes(b, (__u8[10]){0}, 10);
	for (n = 0; n < ROW_LOCS && r->learned[n].sym; n++)
		;
	fz_put8(b, n);
	for (i = 0; i < n; i++) {
		fz_put8(b, r->learned[i].feed);
		fz_put16(b, r->learned[i].locate);
		fz_put_symbol(b, r->learned[i].sym);
	}
	fz_put8(b, r->xsk_queues & 1 ? 1 : r->xsk_queues & 2 ? 2 : 0);
	for (i = 0; i < ROW_STEPS && r->steps[i].out != OUT_END; i++) {
		const struct step *st = &r->steps[i];
		const struct group_spec *g = &r->groups[st->to];
		struct fb_frame f = st->f;
		size_t len;

		if (st->subscribe.sym) {
			fz_put8(b, FZ_OP_SUBSCRIBE);
			put_sub_name(b, st->subscribe.sym);
			fz_put16(b, st->subscribe.slot);
		}
		if (st->subscribe_id.set) {
			fz_put8(b, FZ_OP_SUBSCRIBE);
			if (!put_id_sub(b, &st->subscribe_id))
				fz_put_bytes(b, (__u8[10]){0}, 10);
		}
		if (!f.daddr)
			f.daddr = g->addr ? g->addr : GA_ADDR;
		if (!f.dport)
			f.dport = g->addr ? g->port : GA_PORT;
		len = fb_build(&f, frame, sizeof(frame), NULL);
		if (!len)
			continue;
		fz_put8(b, FZ_OP_RAW);
		fz_put16(b, (unsigned int)len);
		fz_put_bytes(b, frame, len);
	}
}

/* A frame op of the runner's vocabulary: N messages of the given type, locate, symbol indexes. */
static void put_frame_at(struct fz_buf *b, unsigned int group, unsigned int seqmode,
			 __u32 param, unsigned int cmode, unsigned int n, const __u8 (*msgs)[3])
{
	fz_put8(b, FZ_OP_FRAME);
	fz_put8(b, group);
	fz_put8(b, 0); /* the channel's session */
	fz_put8(b, seqmode);
	fz_put32(b, param);
	fz_put8(b, cmode); /* 0 blocks, 13 heartbeat, 14 end of session */
	fz_put8(b, 0);
	fz_put8(b, n);
	for (unsigned int i = 0; i < n; i++) {
		fz_put_bytes(b, msgs[i], 3);
		fz_put8(b, 0);
	}
	fz_put8(b, 0); /* no mutation */
}

/* At the channel's next sequence number. */
static void put_frame(struct fz_buf *b, unsigned int group, unsigned int cmode, unsigned int n,
		      const __u8 (*msgs)[3])
{
	put_frame_at(b, group, 0, 0, cmode, n, msgs);
}

static void put_resend(struct fz_buf *b, unsigned int back, unsigned int group)
{
	fz_put8(b, FZ_OP_RESEND);
	fz_put8(b, back);
	fz_put8(b, group);
}

/* A clean session on lines A (group 0) and B (group 1) of one channel, B a frame behind. */
static void put_feed(struct fz_buf *b, unsigned int variant)
{
	static const __u8 dir[6][3] = {{2, 0, 0}, {2, 1, 1}, {2, 2, 2},
				       {2, 3, 3}, {2, 4, 4}, {2, 5, 5}};
	static const __u8 sys[1][3] = {{4, 6, 0}};
	struct fz_rng rng = {.s = 0x5eed + variant};

	fz_put8(b, 2);
	for (unsigned int i = 0; i < 2; i++) {
		fz_put32(b, 0xE931C40Au + i);
		fz_put16(b, 18001 + i);
		fz_put_bytes(b, (__u8[]){3 + 4 * i, FS_PROTO_MOLD_ITCH, variant % 4,
					 variant == 2 ? FS_GROUP_F_ALL_SYMBOLS : 0, 9, i},
			     6);
	}
	fz_put8(b, 2);
	fz_put_symbol(b, "AAPL");
	fz_put16(b, 5);
	fz_put_symbol(b, "MSFT");
	fz_put16(b, 9);
	fz_put8(b, 0);
	fz_put8(b, variant == 1 ? 0 : 1);
	put_frame(b, 0, 0, 1, sys);
	put_frame(b, 0, 0, 6, dir);
	put_resend(b, 1, 1);
	put_resend(b, 0, 1);
	for (unsigned int k = 0; k < 24; k++) {
		__u8 msgs[8][3];
		unsigned int n = 1 + fz_below(&rng, 8);

		for (unsigned int i = 0; i < n; i++) {
			static const __u8 types[] = {0, 1, 3, 5, 6, 7};

			msgs[i][0] = types[fz_below(&rng, sizeof(types))];
			msgs[i][1] = (__u8)fz_below(&rng, 6);
			msgs[i][2] = msgs[i][1];
		}
		put_frame(b, 0, 0, n, (const __u8(*)[3])msgs);
		put_resend(b, 1, 1);
	}
	put_resend(b, 0, 1);
	put_frame(b, 0, 13, 0, NULL);
	put_resend(b, 0, 1);
	put_frame(b, 0, 14, 0, NULL);
	put_resend(b, 0, 1);
}

/*
 * The frames of the two arbitration bugs the fuzzer found, as regression seeds: wanted messages
 * whose sequence numbers wrap at 2^64 (were dropped as duplicates), and a sequence number past
 * 2^48 after a lower one (lowered the high-water mark). AAPL (locate 13) is subscribed.
 */
static void put_regression(struct fz_buf *b, unsigned int edge)
{
	static const __u8 aapl[6][3] = {{0, 3, 0}, {0, 3, 0}, {0, 3, 0},
					{0, 3, 0}, {0, 3, 0}, {0, 3, 0}};

	fz_put8(b, 2);
	for (unsigned int i = 0; i < 2; i++) {
		fz_put32(b, 0xE931C40Au + i);
		fz_put16(b, 18001 + i);
		fz_put_bytes(b, (__u8[]){3 + 4 * i, FS_PROTO_MOLD_ITCH, 0, 0, 9, i}, 6);
	}
	fz_put8(b, 1);
	fz_put_symbol(b, "AAPL");
	fz_put16(b, 5);
	fz_put8(b, 1);
	fz_put8(b, 0);
	fz_put16(b, 13);
	fz_put_symbol(b, "AAPL");
	fz_put8(b, 1);
	put_frame_at(b, 0, 6, 5000, 0, 2, aapl); /* an ordinary start at 5000 */
	put_frame_at(b, 0, 7, edge, 0, 6, aapl);
	put_resend(b, 0, 1);
	put_frame(b, 0, 13, 0, NULL);
}

/*
 * A libFuzzer find, as a seed: an MDP3 packet of its 12-byte header only (no message) to an
 * all-symbols group, which the program delivers and libfeedsieve must decode as well formed with
 * nothing to hand over. The input that found it gave this group the id of the NYSE group before
 * it (the harness now skips such a group, as user space never makes one); here it has its own.
 */
static const __u8 regress_mdp3_header_only[] = {
	    0x02, 0xe9, 0x31, 0xc4, 0x0a, 0x46, 0x51, 0x03, 0x03, 0x02, 0x00, 0x09,
	    0x00, 0xe9, 0x31, 0x0b, 0x46, 0x52, 0x07, 0x04, 0x02, 0x00, 0x09, 0x01,
	    0x01, 0x41, 0x41, 0x50, 0x4c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00,
	    0x00, 0x05, 0x00, 0x66, 0x01, 0x00, 0x5e, 0x31, 0xc4, 0x0a, 0x02, 0x00,
	    0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x45, 0x00, 0x00, 0x58, 0x12, 0x34,
	    0x00, 0x00, 0x20, 0x11, 0xd1, 0x24, 0x0a, 0x00, 0x00, 0x01, 0xe9, 0x31,
	    0xc4, 0x1a, 0x9c, 0x40, 0x46, 0x51, 0x00, 0x44, 0x00, 0x00, 0x3c, 0x00,
	    0xd1, 0x24, 0x0a, 0x00, 0x00, 0x01, 0xe9, 0x31, 0xc4, 0x1a, 0x9c, 0x40,
	    0x46, 0x51, 0x00, 0x44, 0x00, 0x00, 0x3c, 0x00, 0x0b, 0x01, 0xe8, 0x03,
	    0x00, 0x00, 0xa7, 0x56, 0xce, 0x59, 0x15, 0xcd, 0x5b, 0x07, 0x2c, 0x00,
	    0x03, 0x00, 0xe9, 0x03, 0x00, 0x00, 0x41, 0x41, 0x50, 0x40, 0x40, 0x40,
	    0x40, 0x40, 0x40, 0x40, 0x40, 0x40, 0x40, 0x40, 0x40, 0x40, 0x05, 0x00,
	    0x66, 0x01, 0x00, 0x5e, 0x31, 0xc4, 0x0a, 0x02, 0x00, 0x00, 0x00, 0x00,
	    0x01, 0x08, 0x00, 0x45, 0x00, 0x00, 0x58, 0x40, 0x40, 0x40, 0x40, 0x40,
	    0x40, 0x40, 0x40, 0x40, 0x40, 0x40, 0x40, 0x40, 0x40, 0x40, 0x40, 0x40,
	    0x40, 0x40, 0x40,
};

/*
 * Another: an ITCH group of feed 4 (past FS_MAX_FEEDS, which user space refuses) and a Stock
 * Directory: the program wrote the locate into the id-keyed slots that follow the locate slots;
 * a feed out of range has no directory.
 */
static const __u8 regress_itch_feed_past_max[] = {
	    0x2a, 0xe9, 0x31, 0xc4, 0x0a, 0x6f, 0x46, 0x51, 0x01, 0x04, 0x02, 0x00,
	    0x02, 0x00, 0x01, 0x41, 0x41, 0x50, 0x4c, 0x00, 0x00, 0x00, 0x00, 0x00,
	    0x05, 0x00, 0x00, 0x05, 0x00, 0x39, 0x01, 0x00, 0x5e, 0x31, 0xc4, 0x0a,
	    0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x45, 0x00, 0x00, 0x2a,
	    0x12, 0x34, 0x00, 0x00, 0x20, 0x11, 0xd1, 0x52, 0x0a, 0x00, 0x00, 0x01,
	    0xe9, 0x31, 0xc4, 0x0a, 0x9c, 0x40, 0x46, 0x51, 0x00, 0x16, 0x01, 0x00,
	    0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0xac, 0x0a, 0x01, 0x00, 0xd0, 0x60,
	    0x00, 0x00, 0x05, 0x00, 0x38, 0x01, 0x00, 0x5e, 0x31, 0xc4, 0x0a, 0x02,
	    0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x45, 0x00, 0x00, 0x2a, 0x12,
	    0x34, 0x00, 0x00, 0x20, 0x11, 0xd1, 0x52, 0x0a, 0x00, 0x00, 0x01, 0xe9,
	    0x31, 0xc4, 0x0a, 0x9c, 0x40, 0x46, 0x51, 0x00, 0x16, 0x00, 0x00, 0x0e,
	    0x00, 0x01, 0x00, 0x05, 0x00, 0x00, 0x00, 0x06, 0x20, 0xe8, 0x03, 0x00,
	    0x00,
};

/* Each of the N rows as the seed "fixture-NAME-<index>" in DIR; returns how many, or -1. */
static int write_rows(const char *dir, const char *name, const struct row *rows, size_t n)
{
	static __u8 mem[CAP];
	char file[64];

	for (size_t i = 0; i < n; i++) {
		struct fz_buf b = {.p = mem, .cap = CAP};

		put_row(&b, &rows[i]);
		snprintf(file, sizeof(file), "fixture-%s-%03zu", name, i);
		if (write_file(dir, file, &b))
			return -1;
	}
	return (int)n;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		const struct row *rows;
		const size_t *n;
	} tables[] = {{"frames", fx_rows_frames, &fx_rows_frames_n},
		      {"mold", fx_rows_mold, &fx_rows_mold_n},
		      {"arb", fx_rows_arb, &fx_rows_arb_n},
		      {"mdp3", fx_rows_mdp3, &fx_rows_mdp3_n},
		      {"nyse", fx_rows_nyse, &fx_rows_nyse_n},
		      {"pitch", fx_rows_pitch, &fx_rows_pitch_n}};
	/* the generated rows of each table */
	static const struct {
		const char *name;
		size_t (*make)(struct row *out, size_t max);
	} made[] = {{"generated", fx_rows_generated},
		    {"mdp3-generated", fx_rows_mdp3_generated},
		    {"pitch-generated", fx_rows_pitch_generated}};
	/* libFuzzer's finds, as they were */
	static const struct {
		const char *name;
		const __u8 *bytes;
		size_t len;
	} found[] = {{"regress-mdp3-header-only", regress_mdp3_header_only,
		      sizeof(regress_mdp3_header_only)},
		     {"regress-itch-feed-past-max", regress_itch_feed_past_max,
		      sizeof(regress_itch_feed_past_max)}};
	static struct row generated[128];
	static __u8 mem[CAP];
	char name[64];
	size_t i, t;
	unsigned int files = 0;
	int ret;

	if (argc != 2) {
		fprintf(stderr, "gen_corpus: usage: gen_corpus DIR\n");
		return 2;
	}
	for (t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
		ret = write_rows(argv[1], tables[t].name, tables[t].rows, *tables[t].n);
		if (ret < 0)
			return 1;
		files += (unsigned int)ret;
	}
	for (t = 0; t < sizeof(made) / sizeof(made[0]); t++) {
		ret = write_rows(argv[1], made[t].name, generated,
				 made[t].make(generated, sizeof(generated) / sizeof(generated[0])));
		if (ret < 0)
			return 1;
		files += (unsigned int)ret;
	}
	for (i = 0; i < 3; i++, files++) {
		struct fz_buf b = {.p = mem, .cap = CAP};

		put_feed(&b, (unsigned int)i);
		snprintf(name, sizeof(name), "feed-%zu", i);
		if (write_file(argv[1], name, &b))
			return 1;
	}
	for (i = 0; i < 2; i++, files++) {
		struct fz_buf b = {.p = mem, .cap = CAP};

		put_regression(&b, i ? 10 : 11); /* fz_edges: 2^63, 2^64 - 3 */
		if (write_file(argv[1], i ? "regress-high-48" : "regress-seq-wrap", &b))
			return 1;
	}
	for (i = 0; i < sizeof(found) / sizeof(found[0]); i++, files++) {
		struct fz_buf b = {.p = mem, .cap = CAP};

		fz_put_bytes(&b, found[i].bytes, found[i].len);
		if (write_file(argv[1], found[i].name, &b))
			return 1;
	}
	for (i = 0; i < 8; i++, files++) {
		struct fz_buf b = {.p = mem, .cap = CAP};
		struct fz_rng rng = {.s = 1000 + i};

		fz_generate(&rng, &b, 40);
		snprintf(name, sizeof(name), "gen-%zu", i);
		if (write_file(argv[1], name, &b))
			return 1;
	}
	printf("gen_corpus: %u files in %s\n", files, argv[1]);
	return 0;
}
