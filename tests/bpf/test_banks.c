// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Configuration banks, through BPF_PROG_TEST_RUN: the program judges each frame by the bank
 * fs_bank.active names, and by nothing of the other bank; a Stock Directory writes a locate's
 * mark in both banks from fs_subs, and an MDP3 definition its id's marks from fs_ids, then
 * fs_subs. Together with user/lib/commit.c (which only writes the idle bank) this is what makes a
 * configuration change atomic for the data path.
 */
#include <arpa/inet.h>
#include <string.h>

#include <criterion/criterion.h>
#include <linux/bpf.h>

#include "frame_builder.h"
#include "xdp_harness.h"

#define GROUP_ADDR 0xEF010101 /* 239.1.1.1 */
#define GROUP_PORT 26400
#define SLOT_AAPL  3
#define SLOT_MSFT  7
#define SLOT_NVDA  9

static struct fsx x;

static void setup(void)
{
	char err[512];
	int ret = fsx_load(&x, err, sizeof(err));

	cr_assert_eq(ret, 0, "cannot load the program: %s", err);
	cr_assert_eq(fsx_reset(&x), 0);
}

static void teardown(void)
{
	fsx_close(&x);
}

static void add_group_in(__u32 bank, __u8 flags)
{
	struct fs_group g = {.id = 1, .proto = FS_PROTO_MOLD_ITCH, .flags = flags, .channel = 2};

	x.bank = bank;
	cr_assert_eq(fsx_add_group(&x, GROUP_ADDR, GROUP_PORT, &g), 0);
}

static void subscribe_in(__u32 bank, const char *sym, __u32 slot)
{
	x.bank = bank;
	cr_assert_eq(fsx_subscribe(&x, sym, slot), 0);
}

/* Run a frame of two Add Orders (locates 1 and 2), sequence SEQ, and return the result. */
static struct fsx_result run_two(__u64 seq)
{
	static const struct fb_msg msgs[] = {{.type = 'A', .locate = 1},
					     {.type = 'A', .locate = 2}};
	struct fb_frame f = {.daddr = GROUP_ADDR,
			     .dport = GROUP_PORT,
			     .set_seq = true,
			     .seq = seq,
			     .msgs = msgs,
			     .n_msgs = 2};
	__u8 buf[FB_MAX_FRAME];
	size_t len = fb_build(&f, buf, sizeof(buf), NULL);
	struct fsx_result r;

	cr_assert_gt(len, 0);
	cr_assert_eq(fsx_run(&x, buf, (__u32)len, &r), 0);
	return r;
}

TestSuite(banks, .init = setup, .fini = teardown);

Test(banks, group_of_the_idle_bank_is_not_ours)
{
	struct fs_counters c;
	struct fsx_result r;

	add_group_in(1, 0);
	r = run_two(1);
	cr_expect_eq(r.retval, XDP_PASS, "a group configured only in the idle bank is passed");
	cr_expect_eq(r.meta_len, 0, "and left without metadata");
	cr_assert_eq(fsx_global_counters(&x, &c), 0);
	cr_expect_eq(c.frames_passed, 1);
	cr_expect_eq(c.msgs_walked, 0, "its payload is not even walked");

	cr_assert_eq(fsx_set_active_bank(&x, 1), 0);
	r = run_two(1);
	cr_expect_eq(r.retval, XDP_DROP,
		     "once its bank is live it is filtered (nothing subscribed)");
	cr_assert_eq(fsx_global_counters(&x, &c), 0);
	cr_expect_eq(c.frames_filtered, 1);
}

Test(banks, each_frame_matches_the_symbols_of_one_bank)
{
	struct fsx_result r;

	cr_assert_eq(fsx_learn(&x, 0, 1, "AAPL"), 0);
	cr_assert_eq(fsx_learn(&x, 0, 2, "MSFT"), 0);
	add_group_in(0, 0);
	add_group_in(1, 0);
	subscribe_in(0, "AAPL", SLOT_AAPL);
	subscribe_in(1, "MSFT", SLOT_MSFT);

	r = run_two(10);
	cr_expect_eq(r.meta_len, sizeof(r.meta));
	cr_expect_eq(r.meta.match_bits[0], 1, "bank 0 live: AAPL (message 0) only, got %#llx",
		     (unsigned long long)r.meta.match_bits[0]);
	cr_assert_eq(fsx_set_active_bank(&x, 1), 0);
	r = run_two(12);
	cr_expect_eq(r.meta.match_bits[0], 2, "bank 1 live: MSFT (message 1) only, got %#llx",
		     (unsigned long long)r.meta.match_bits[0]);
	cr_assert_eq(fsx_set_active_bank(&x, 0), 0);
	r = run_two(14);
	cr_expect_eq(r.meta.match_bits[0], 1, "and back: AAPL only, got %#llx",
		     (unsigned long long)r.meta.match_bits[0]);
}

Test(banks, group_settings_come_from_the_live_bank)
{
	struct fsx_result r;

	add_group_in(0, FS_GROUP_F_ALL_SYMBOLS);
	add_group_in(1, 0);
	r = run_two(20);
	cr_expect(r.meta.flags & FS_META_F_ALL_SYMBOLS, "bank 0: all symbols");
	cr_expect_eq(r.meta.match_bits[0], 3);
	cr_assert_eq(fsx_set_active_bank(&x, 1), 0);
	r = run_two(22);
	cr_expect_eq(r.retval, XDP_DROP, "bank 1: symbol filter, nothing subscribed");
}

Test(banks, directory_marks_both_banks)
{
	static const struct fb_msg dir[] = {{.type = 'R', .locate = 5, .symbol = "NVDA"}};
	struct fb_frame f = {.daddr = GROUP_ADDR, .dport = GROUP_PORT, .msgs = dir, .n_msgs = 1};
	const struct fs_instrument *e = &x.instruments[5];
	__u8 buf[FB_MAX_FRAME];
	size_t len = fb_build(&f, buf, sizeof(buf), NULL);
	struct fsx_result r;

	add_group_in(0, 0);
	subscribe_in(1, "NVDA", SLOT_NVDA); /* subscribed in the idle bank only */
	cr_assert_gt(len, 0);
	cr_assert_eq(fsx_run(&x, buf, (__u32)len, &r), 0);
	cr_expect_eq(r.retval, XDP_DROP, "NVDA is not subscribed in the live bank");
	cr_expect(e->flags & FS_INST_F_KNOWN, "the locate is learned");
	cr_expect_eq(e->sub[0], FS_INST_NOT_SUBSCRIBED, "bank 0 mark: none, got %u", e->sub[0]);
	cr_expect_eq(e->sub[1], SLOT_NVDA + 1, "bank 1 mark: slot + 1, got %u", e->sub[1]);
}

/* An MDP3 definitions group in bank 0 (live), feed 1, and one future definition of ES. */
#define ID_ES 170506

static struct fsx_result run_definition(void)
{
	static const struct fb_mdp3_msg def[] = {{.tid = 54, .id = ID_ES, .symbol = "ESZ6"}};
	struct fs_group g = {.id = 1,
			     .proto = FS_PROTO_MDP3,
			     .feed = 1,
			     .flags = FS_GROUP_F_DEFINITIONS,
			     .channel = 2};
	struct fb_frame f = {
	    .daddr = GROUP_ADDR, .dport = GROUP_PORT, .payload = FB_MDP3, .mdp3 = def, .n_mdp3 = 1};
	__u8 buf[FB_MAX_FRAME];
	size_t len = fb_build(&f, buf, sizeof(buf), NULL);
	struct fsx_result r;

	x.bank = 0;
	cr_assert_eq(fsx_add_group(&x, GROUP_ADDR, GROUP_PORT, &g), 0);
	cr_assert_gt(len, 0);
	cr_assert_eq(fsx_run(&x, buf, (__u32)len, &r), 0);
	return r;
}

static const struct fs_instrument *es_entry(void)
{
	__u32 slot;

	cr_assert_eq(fsx_id_slot(&x, FS_PROTO_MDP3, 1, ID_ES, &slot), 0, "ES is indexed");
	cr_assert(slot >= FS_LOCATE_SLOTS && slot < FS_INSTRUMENT_SLOTS, "slot %u", slot);
	return &x.instruments[slot];
}

Test(banks, definition_marks_both_banks)
{
	const struct fs_instrument *e;
	struct fsx_result r;

	subscribe_in(1, "ESZ6", SLOT_NVDA); /* subscribed in the idle bank only */
	r = run_definition();
	cr_expect_eq(r.retval, XDP_DROP, "ESZ6 is not subscribed in the live bank");
	e = es_entry();
	cr_expect_eq(e->flags, FS_INST_F_ID | FS_INST_F_KNOWN, "a new id entry, named");
	cr_expect_eq(e->sub[0], FS_INST_NOT_SUBSCRIBED, "bank 0 mark: none, got %u", e->sub[0]);
	cr_expect_eq(e->sub[1], SLOT_NVDA + 1, "bank 1 mark: slot + 1, got %u", e->sub[1]);
}

Test(banks, definition_marks_by_id_first_then_by_name)
{
	const struct fs_instrument *e;
	struct fsx_result r;

	subscribe_in(1, "ESZ6", SLOT_NVDA);
	x.bank = 0;
	cr_assert_eq(fsx_subscribe_id(&x, FS_PROTO_MDP3, 1, ID_ES, SLOT_AAPL), 0);
	r = run_definition();
	cr_expect_eq(r.retval, XDP_PASS, "ES is subscribed by id in the live bank: delivered");
	cr_expect_eq(r.meta.match_bits[0], 1);
	e = es_entry();
	cr_expect_eq(e->flags, FS_INST_F_ID | FS_INST_F_KNOWN, "the id's entry, now named");
	cr_expect_eq(e->sub[0], SLOT_AAPL + 1, "bank 0 mark: the id's slot + 1, got %u", e->sub[0]);
	cr_expect_eq(e->sub[1], SLOT_NVDA + 1, "bank 1 mark: the name's slot + 1, got %u",
		     e->sub[1]);
}
