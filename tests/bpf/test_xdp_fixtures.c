// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The feedsieve XDP program, loaded into the kernel, run over a fixture table with
 * BPF_PROG_TEST_RUN. Each row says what it proves, sets up groups / subscriptions / learned
 * directory entries / AF_XDP sockets the way user space does, runs a sequence of frames against
 * the same state (each on the group, and so the line, it names), and checks for each frame the
 * verdict, the XDP metadata (match bits, flags, walked count, group, channel, line, feed,
 * timestamp) and that the frame itself is untouched; then, for the whole row, every field of the
 * global and every group's counters, every symbol slot's counters, the whole learned directory,
 * and the sequence windows of the channels (fixture_window.c). Anything the row does not mention
 * must stay zero (or, for the directory, unchanged).
 *
 * Loading the program costs about half a second (most of it the verifier), so the rows share one
 * loaded copy per Criterion test and every map is emptied before each row; rows stay independent.
 * Rows that need an AF_XDP socket run in their own test. main.c runs none of the tests where the
 * program cannot be loaded or no AF_XDP socket can be made (the suite exits 77, skipped); a
 * socket that cannot be made after that check passed fails the test.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <criterion/criterion.h>
#include <linux/bpf.h>

#include "fixture.h"
#include "xdp_harness.h"

#define MAX_GENERATED	   80
#define MAX_GENERATED_MDP3 80
#define MAX_GENERATED_PITCH 40

/* The whole table: the fixed rows, then the generated ones. */
static struct row *build_table(size_t *n_out)
{
	size_t max = fx_rows_frames_n + fx_rows_mold_n + fx_rows_arb_n + fx_rows_mdp3_n +
		     fx_rows_nyse_n + fx_rows_pitch_n + fx_rows_recovery_n + MAX_GENERATED + MAX_GENERATED_MDP3 +
		     MAX_GENERATED_PITCH,
	       n = 0, i, gen_itch, gen_mdp3, gen_pitch;
	struct row *t = calloc(max, sizeof(*t));

	cr_assert_not_null(t, "out of memory");
	for (i = 0; i < fx_rows_frames_n; i++)
		t[n++] = fx_rows_frames[i];
	for (i = 0; i < fx_rows_mold_n; i++)
		t[n++] = fx_rows_mold[i];
	for (i = 0; i < fx_rows_arb_n; i++)
		t[n++] = fx_rows_arb[i];
	for (i = 0; i < fx_rows_mdp3_n; i++)
		t[n++] = fx_rows_mdp3[i];
	for (i = 0; i < fx_rows_nyse_n; i++)
		t[n++] = fx_rows_nyse[i];
	for (i = 0; i < fx_rows_pitch_n; i++)
		t[n++] = fx_rows_pitch[i];
	for (i = 0; i < fx_rows_recovery_n; i++)
		t[n++] = fx_rows_recovery[i];
	gen_itch = fx_rows_generated(t + n, MAX_GENERATED);
	cr_assert(gen_itch <= MAX_GENERATED, "MAX_GENERATED too small for %zu rows", gen_itch);
	n += gen_itch;
	gen_mdp3 = fx_rows_mdp3_generated(t + n, MAX_GENERATED_MDP3);
	cr_assert(gen_mdp3 <= MAX_GENERATED_MDP3, "MAX_GENERATED_MDP3 too small for %zu rows",
		  gen_mdp3);
	n += gen_mdp3;
	gen_pitch = fx_rows_pitch_generated(t + n, MAX_GENERATED_PITCH);
	cr_assert(gen_pitch <= MAX_GENERATED_PITCH, "MAX_GENERATED_PITCH too small for %zu rows",
		  gen_pitch);
	*n_out = n + gen_pitch;
	/* By the table a row comes from (a table may hold a row of another protocol's group). */
	cr_log_info("fixture rows by table: ITCH %zu, MDP3 %zu, NYSE XDP %zu, PITCH %zu "
		    "(recovery rows, ITCH and MDP3: %zu)",
		    fx_rows_frames_n + fx_rows_mold_n + fx_rows_arb_n + gen_itch,
		    fx_rows_mdp3_n + gen_mdp3, fx_rows_nyse_n, fx_rows_pitch_n + gen_pitch,
		    fx_rows_recovery_n);
	return t;
}

/* ---- Running a row ---- */

static bool needs_socket(const struct row *r)
{
	return r->xsk_queues != 0;
}

static __u32 xdp_action(enum outcome o)
{
	switch (o) {
	case OUT_FILTERED:
	case OUT_DROP_MALFORMED:
	case OUT_DUPLICATE:
	case OUT_OTHER_SESSION:
	case OUT_REFUSED:
		return XDP_DROP;
	case OUT_REDIRECT:
		return XDP_REDIRECT;
	default:
		return XDP_PASS;
	}
}

static bool delivered(enum outcome o)
{
	return o == OUT_REDIRECT || o == OUT_NO_SOCKET;
}

static const char *outcome_name(enum outcome o)
{
	static const char *const names[OUT_N_] = {
	    [OUT_END] = "end",
	    [OUT_PASS] = "passed",
	    [OUT_FRAGMENT] = "fragment",
	    [OUT_FILTERED] = "filtered",
	    [OUT_REDIRECT] = "redirected",
	    [OUT_NO_SOCKET] = "no socket",
	    [OUT_DROP_MALFORMED] = "malformed dropped",
	    [OUT_DUPLICATE] = "duplicate",
	    [OUT_OTHER_SESSION] = "other session",
	    [OUT_OTHER_UNIT] = "other unit",
	    [OUT_REFUSED] = "response refused",
	    [OUT_REFUSED_PASS] = "response refused, passed",
	};

	return o < ARRAY_SIZE(names) ? names[o] : "?";
}

/* Compare every counter field; NAME says which counter set. */
static void expect_counters(const char *tag, const char *name, const struct fs_counters *got,
			    const struct fs_counters *want)
{
#define EXPECT_FIELD_(f, desc)                                                                     \
	cr_expect_eq(got->f, want->f, "%s: %s." #f " = %llu, expected %llu", tag, name,            \
		     (unsigned long long)got->f, (unsigned long long)want->f);
	FS_COUNTER_FIELDS(EXPECT_FIELD_)
#undef EXPECT_FIELD_
}

static void add_counters(struct fs_counters *sum, const struct fs_counters *v)
{
#define ADD_FIELD_(f, desc) sum->f += v->f;
	FS_COUNTER_FIELDS(ADD_FIELD_)
#undef ADD_FIELD_
}

static bool group_used(const struct group_spec *g)
{
	return g->addr != 0;
}

/* Set up what the row needs, as user space would. */
static bool setup_row(struct fsx *x, const struct row *r, const struct fsx_xsk *xsk,
		      const char *tag)
{
	size_t i;
	int ret;

	ret = fsx_reset(x);
	cr_expect_eq(ret, 0, "%s: resetting the maps: %s", tag, strerror(-ret));
	for (i = 0; !ret && i < ROW_GROUPS && group_used(&r->groups[i]); i++) {
		struct fs_group g = r->groups[i].g;

		g.retrans_addr = htonl(r->groups[i].srv_addr);
		g.retrans_port = htons(r->groups[i].srv_port);
		ret = fsx_add_group(x, r->groups[i].addr, r->groups[i].port, &g);
	}
	for (i = 0; !ret && i < ROW_SERVERS && r->servers[i].addr; i++) {
		const struct group_spec *g = &r->groups[r->servers[i].group % ROW_GROUPS];

		ret = fsx_add_server(x, r->servers[i].addr, r->servers[i].port, g->addr, g->port);
	}
	for (i = 0; !ret && i < ROW_SERVERS && r->req_ports[i]; i++)
		ret = fsx_add_req_port(x, r->req_ports[i], r->req_queue);
	for (i = 0; !ret && i < ROW_LOCS && r->learned[i].sym; i++)
		ret = fsx_learn(x, r->learned[i].feed, r->learned[i].locate, r->learned[i].sym);
	if (r->inst_next)
		x->bank_state->inst_next = r->inst_next;
	for (i = 0; !ret && i < ROW_IDS && r->defs[i].set; i++)
		ret = fsx_define(x, row_id_proto(r), r->defs[i].feed, (__u32)r->defs[i].id,
				 r->defs[i].sym);
	for (i = 0; !ret && i < ROW_SUBS && r->subs[i].sym; i++)
		ret = fsx_subscribe(x, r->subs[i].sym, r->subs[i].slot);
	for (i = 0; !ret && i < ROW_SUBS && r->id_subs[i].set; i++)
		ret = fsx_subscribe_id(x, row_id_proto(r), r->id_subs[i].feed,
				       (__u32)r->id_subs[i].id, r->id_subs[i].slot);
	for (i = 0; !ret && i < ROW_ORDERS && r->orders[i].set; i++)
		ret = fsx_order_put(x, r->orders[i].id, r->orders[i].channel, r->orders[i].sym,
				    r->orders[i].remaining, r->orders[i].gen);
	if (!ret && r->orders_fill) {
		ret = fsx_orders_fill(x, FX_FILL_CH);
		ret = ret < 0 ? ret : 0;
	}
	for (i = 0; !ret && i < 32 && i < FS_MAX_QUEUES; i++) { /* xsk_queues is 32 bits */
		if (!(r->xsk_queues & (1u << i)))
			continue;
		ret = i == 0 ? fsx_xsk_install(xsk, x) : fsx_set_xsk(x, (__u32)i, fsx_xsk_fd(xsk));
	}
	cr_expect_eq(ret, 0, "%s: setting up the row: %s", tag, strerror(-ret));
	return ret == 0;
}

static void check_meta(const char *tag, size_t s, const struct step *st, const struct row *r,
		       const struct fsx_result *res)
{
	const struct fs_xdp_meta *m = &res->meta;
	const struct group_spec *g = &r->groups[st->to];
	size_t w;

	if (!delivered(st->out)) {
		cr_expect_eq(res->meta_len, 0,
			     "%s: frame %zu: %u bytes of metadata on a frame "
			     "that is not delivered",
			     tag, s, res->meta_len);
		return;
	}
	cr_expect_eq(res->meta_len, sizeof(*m), "%s: frame %zu: metadata length %u, expected %zu",
		     tag, s, res->meta_len, sizeof(*m));
	if (res->meta_len != sizeof(*m))
		return;
	cr_expect_eq(m->magic, FS_META_MAGIC, "%s: frame %zu: meta magic 0x%x", tag, s, m->magic);
	cr_expect_eq(m->group_id, g->g.id, "%s: frame %zu: meta group_id %u, expected %u", tag, s,
		     m->group_id, g->g.id);
	cr_expect_eq(m->flags, st->meta.flags, "%s: frame %zu: meta flags 0x%x, expected 0x%x", tag,
		     s, m->flags, st->meta.flags);
	cr_expect_eq(m->msgs_walked, st->meta.walked,
		     "%s: frame %zu: meta msgs_walked %u, "
		     "expected %u",
		     tag, s, m->msgs_walked, st->meta.walked);
	for (w = 0; w < FS_MAX_WALK / 64; w++)
		cr_expect_eq(m->match_bits[w], st->meta.bits[w],
			     "%s: frame %zu: meta match_bits[%zu] = 0x%016llx, expected 0x%016llx",
			     tag, s, w, (unsigned long long)m->match_bits[w],
			     (unsigned long long)st->meta.bits[w]);
	cr_expect(m->channel == g->g.channel + st->chan_off && m->line == g->g.line &&
		      m->feed == g->g.feed,
		  "%s: frame %zu: meta channel %u line %u feed %u, expected %u %u %u", tag, s,
		  m->channel, m->line, m->feed, g->g.channel + st->chan_off, g->g.line, g->g.feed);
	cr_expect(m->rx_ts_ns >= res->t_before && m->rx_ts_ns <= res->t_after,
		  "%s: frame %zu: meta rx_ts_ns %llu outside the run [%llu, %llu]", tag, s,
		  (unsigned long long)m->rx_ts_ns, (unsigned long long)res->t_before,
		  (unsigned long long)res->t_after);
}

static void run_step(struct fsx *x, const struct row *r, size_t s, const char *tag)
{
	const struct step *st = &r->steps[s];
	const struct group_spec *g = &r->groups[st->to];
	struct fb_frame f = st->f;
	struct fsx_result res;
	__u8 frame[FB_MAX_FRAME];
	size_t len;
	int ret;

	if (st->subscribe.sym) {
		ret = fsx_subscribe(x, st->subscribe.sym, st->subscribe.slot);
		cr_expect_eq(ret, 0, "%s: frame %zu: subscribing %s: %s", tag, s, st->subscribe.sym,
			     strerror(-ret));
	}
	if (st->unsubscribe) {
		ret = fsx_unsubscribe(x, st->unsubscribe);
		cr_expect_eq(ret, 0, "%s: frame %zu: unsubscribing %s: %s", tag, s, st->unsubscribe,
			     strerror(-ret));
	}
	if (st->subscribe_id.set) {
		ret = fsx_subscribe_id(x, row_id_proto(r), st->subscribe_id.feed,
				       (__u32)st->subscribe_id.id, st->subscribe_id.slot);
		cr_expect_eq(ret, 0, "%s: frame %zu: subscribing id %d: %s", tag, s,
			     st->subscribe_id.id, strerror(-ret));
	}
	if (!f.daddr)
		f.daddr = group_used(g) ? g->addr : GA_ADDR;
	if (!f.dport)
		f.dport = group_used(g) ? g->port : GA_PORT;
	len = fb_build(&f, frame, sizeof(frame), NULL);
	cr_expect(len > 0, "%s: frame %zu does not build", tag, s);
	if (!len)
		return;
	ret = fsx_run(x, frame, (__u32)len, &res);
	cr_expect_eq(ret, 0, "%s: frame %zu: BPF_PROG_TEST_RUN: %s", tag, s, strerror(-ret));
	if (ret)
		return;
	cr_expect_eq(res.linear_len, len, "%s: frame %zu: program saw %u of %zu bytes", tag, s,
		     res.linear_len, len);
	cr_expect_eq(res.retval, xdp_action(st->out), "%s: frame %zu: verdict %u, expected %u (%s)",
		     tag, s, res.retval, xdp_action(st->out), outcome_name(st->out));
	cr_expect(res.frame_intact, "%s: frame %zu: the frame was modified", tag, s);
	check_meta(tag, s, st, r, &res);
}

static void check_counters(struct fsx *x, const struct row *r, const char *tag)
{
	static struct fs_counters groups[FS_MAX_GROUPS];
	struct fs_counters global, want_global = {0}, zero = {0};
	char name[32];
	size_t i, id;
	int ret;

	for (i = 0; i < ROW_GROUPS; i++)
		add_counters(&want_global, &r->gstats[i]);
	want_global.frames_seen += r->not_ours;
	want_global.frames_passed += r->not_ours;

	ret = fsx_global_counters(x, &global);
	cr_expect_eq(ret, 0, "%s: reading fs_stats: %s", tag, strerror(-ret));
	if (!ret)
		expect_counters(tag, "fs_stats", &global, &want_global);

	ret = fsx_group_counters(x, groups);
	cr_expect_eq(ret, 0, "%s: reading fs_group_stats: %s", tag, strerror(-ret));
	if (ret)
		return;
	for (id = 0; id < FS_MAX_GROUPS; id++) {
		const struct fs_counters *want = &zero;

		for (i = 0; i < ROW_GROUPS; i++)
			if (group_used(&r->groups[i]) && r->groups[i].g.id == id)
				want = &r->gstats[i];
		snprintf(name, sizeof(name), "fs_group_stats[%zu]", id);
		if (memcmp(&groups[id], want, sizeof(*want)))
			expect_counters(tag, name, &groups[id], want);
	}
}

static void check_sym_counters(struct fsx *x, const struct row *r, const char *tag)
{
	static struct fs_sym_counters got[FS_MAX_SUBS];
	__u32 slot;
	size_t i;
	int ret = fsx_sym_counters(x, got);

	cr_expect_eq(ret, 0, "%s: reading fs_sym_stats: %s", tag, strerror(-ret));
	if (ret)
		return;
	for (slot = 0; slot < FS_MAX_SUBS; slot++) {
		struct fs_sym_counters want = {0};

		for (i = 0; i < ROW_SYMS; i++)
			if (r->sym[i].slot == slot &&
			    (r->sym[i].msgs_matched || r->sym[i].dir_seen))
				want = (struct fs_sym_counters){r->sym[i].msgs_matched,
								r->sym[i].dir_seen};
		cr_expect(got[slot].msgs_matched == want.msgs_matched &&
			      got[slot].dir_seen == want.dir_seen,
			  "%s: fs_sym_stats[%u] = {msgs_matched %llu, dir_seen %llu}, expected "
			  "{%llu, %llu}",
			  tag, slot, (unsigned long long)got[slot].msgs_matched,
			  (unsigned long long)got[slot].dir_seen,
			  (unsigned long long)want.msgs_matched, (unsigned long long)want.dir_seen);
	}
}

/* The directory must equal the row's list exactly (or the set-up state when it lists none). */
static void check_directory(struct fsx *x, const struct row *r, struct fs_instrument *before,
			    const char *tag)
{
	size_t n = (size_t)FS_MAX_FEEDS * FS_LOCATES_PER_FEED, i;
	struct fs_instrument zero = {0};

	if (!r->dir_changes) {
		for (i = 0; i < n; i++)
			if (memcmp(&x->instruments[i], &before[i], sizeof(zero)))
				break;
		cr_expect_eq(i, n,
			     "%s: directory entry feed %zu locate %zu changed: '%.8s' sub %u "
			     "flags %u, was '%.8s' sub %u flags %u",
			     tag, i / FS_LOCATES_PER_FEED, i % FS_LOCATES_PER_FEED,
			     i < n ? x->instruments[i].symbol.name : "", i < n ? x->instruments[i].sub[0] : 0,
			     i < n ? x->instruments[i].flags : 0, i < n ? before[i].symbol.name : "",
			     i < n ? before[i].sub[0] : 0, i < n ? before[i].flags : 0);
		return;
	}
	memcpy(before, x->instruments, n * sizeof(*before));
	for (i = 0; i < ROW_LOCS && r->dir[i].sym; i++) {
		const struct loc_spec *l = &r->dir[i];
		size_t k = (size_t)l->feed * FS_LOCATES_PER_FEED + l->locate;
		struct fs_instrument want = {.sub = {l->sub, 0}, .flags = FS_INST_F_KNOWN};

		fsx_symbol(&want.symbol, l->sym);
		cr_expect(!memcmp(&before[k], &want, sizeof(want)),
			  "%s: directory feed %u locate %u = '%.8s' sub %u flags %u, expected "
			  "'%.8s' sub %u flags %u",
			  tag, l->feed, l->locate, before[k].symbol.name, before[k].sub[0],
			  before[k].flags, want.symbol.name, want.sub[0], want.flags);
		before[k] = zero;
	}
	for (i = 0; i < n; i++)
		if (memcmp(&before[i], &zero, sizeof(zero)))
			break;
	cr_expect_eq(i, n,
		     "%s: unexpected directory entry feed %zu locate %zu: '%.8s' sub %u "
		     "flags %u",
		     tag, i / FS_LOCATES_PER_FEED, i % FS_LOCATES_PER_FEED,
		     i < n ? before[i].symbol.name : "", i < n ? before[i].sub[0] : 0,
		     i < n ? before[i].flags : 0);
}

/* Id-keyed slots in use: fs_bank.inst_next, bounded by the directory's size. */
static size_t id_slots(const struct fsx *x)
{
	return x->bank_state->inst_next < FS_MAX_INSTRUMENTS ? x->bank_state->inst_next
							     : FS_MAX_INSTRUMENTS;
}

/*
 * The id-keyed part of the directory: every entry the row lists is indexed, and its slot holds
 * exactly {symbol, marks (bank 0: the row's, bank 1: none), flags, id, proto, feed}; the index
 * holds nothing else, and every other id-keyed slot handed out is all zero (unused). Without a
 * list, the slots must be as set up (SNAPSHOT) and no slot handed out.
 */
static void check_id_directory(struct fsx *x, const struct row *r,
			       const struct fs_instrument *snapshot, __u32 next_before,
			       const char *tag)
{
	const struct fs_instrument *ids = x->instruments + FS_LOCATE_SLOTS, zero = {0};
	static bool listed[FS_MAX_INSTRUMENTS];
	size_t n = id_slots(x), i, want_n = 0;

	if (!r->id_dir_changes) {
		cr_expect_eq(x->bank_state->inst_next, next_before,
			     "%s: fs_bank.inst_next %u, was %u: the row expects no id slot handed "
			     "out",
			     tag, x->bank_state->inst_next, next_before);
		for (i = 0; i < n; i++)
			if (memcmp(&ids[i], &snapshot[FS_LOCATE_SLOTS + i], sizeof(zero)))
				break;
		cr_expect_eq(i, n, "%s: id-keyed slot %zu (id %u '%.20s' flags %u) changed", tag, i,
			     i < n ? ids[i].id : 0, i < n ? ids[i].symbol.name : "",
			     i < n ? ids[i].flags : 0);
		return;
	}
	memset(listed, 0, sizeof(bool) * n);
	for (i = 0; i < ROW_IDS && r->id_dir[i].set; i++) {
		const struct id_spec *l = &r->id_dir[i];
		struct fs_instrument want = {.sub = {l->sub, 0},
					     .flags = FS_INST_F_ID | (l->sym ? FS_INST_F_KNOWN : 0),
					     .id = (__u32)l->id,
					     .proto = row_id_proto(r),
					     .feed = l->feed};
		__u32 slot;
		int ret = fsx_id_slot(x, row_id_proto(r), l->feed, (__u32)l->id, &slot);

		want_n++;
		cr_expect_eq(ret, 0, "%s: id %d of feed %u not in fs_inst_index", tag, l->id,
			     l->feed);
		if (ret)
			continue;
		cr_expect(slot >= FS_LOCATE_SLOTS && slot - FS_LOCATE_SLOTS < n,
			  "%s: id %d indexed to slot %u, outside the %zu handed out", tag, l->id,
			  slot, n);
		if (slot < FS_LOCATE_SLOTS || slot - FS_LOCATE_SLOTS >= n)
			continue;
		listed[slot - FS_LOCATE_SLOTS] = true;
		if (l->sym)
			fsx_symbol(&want.symbol, l->sym);
		cr_expect(
		    !memcmp(&x->instruments[slot], &want, sizeof(want)),
		    "%s: id %d (slot %u) = '%.20s' sub %u/%u flags %u id %u proto %u feed %u, "
		    "expected '%.20s' sub %u/0 flags %u id %d proto %u feed %u",
		    tag, l->id, slot, x->instruments[slot].symbol.name, x->instruments[slot].sub[0],
		    x->instruments[slot].sub[1], x->instruments[slot].flags,
		    x->instruments[slot].id, x->instruments[slot].proto, x->instruments[slot].feed,
		    want.symbol.name, want.sub[0], want.flags, l->id, want.proto, want.feed);
	}
	cr_expect_eq(fsx_index_entries(x), want_n,
		     "%s: fs_inst_index holds %zu entries, expected %zu", tag, fsx_index_entries(x),
		     want_n);
	for (i = 0; i < n; i++)
		if (!listed[i] && memcmp(&ids[i], &zero, sizeof(zero)))
			break;
	cr_expect_eq(i, n, "%s: id-keyed slot %zu (id %u '%.20s' flags %u) not in the row's list",
		     tag, i, i < n ? ids[i].id : 0, i < n ? ids[i].symbol.name : "",
		     i < n ? ids[i].flags : 0);
}

/* Does fs_orders hold exactly the row's orders (LIST), and FILLERS entries of FX_FILL_CH? */
static void check_orders(struct fsx *x, const struct row *r, int fillers, const char *tag)
{
	const struct order_spec *list = r->orders_change ? r->orders_after : r->orders;
	struct fs_order_key key, next;
	struct fs_order got;
	int ret = bpf_map_get_next_key(x->orders_fd, NULL, &key), n = 0, want_n = 0, filled = 0;
	size_t i;

	for (i = 0; i < ROW_ORDERS && list[i].set; i++)
		want_n++;
	while (!ret) {
		bool found = false;

		if (bpf_map_lookup_elem(x->orders_fd, &key, &got))
			break;
		if (key.channel == FX_FILL_CH) {
			filled++;
		} else {
			n++;
			for (i = 0; i < ROW_ORDERS && list[i].set; i++) {
				struct fs_order want = {.remaining = list[i].remaining,
							.gen = list[i].gen};

				if (list[i].id != key.order_id || list[i].channel != key.channel)
					continue;
				found = true;
				fsx_symbol(&want.symbol, list[i].sym);
				cr_expect(!memcmp(&want, &got, sizeof(want)),
					  "%s: fs_orders[%llu, channel %u] = {'%.8s', %u, gen %u}, "
					  "expected {'%s', %u, gen %u}",
					  tag, (unsigned long long)key.order_id, key.channel,
					  got.symbol.name, got.remaining, got.gen, list[i].sym,
					  list[i].remaining, list[i].gen);
			}
			cr_expect(found, "%s: fs_orders holds order %llu of channel %u ('%.8s', %u), "
				  "not in the row's list", tag, (unsigned long long)key.order_id,
				  key.channel, got.symbol.name, got.remaining);
		}
		ret = bpf_map_get_next_key(x->orders_fd, &key, &next);
		key = next;
	}
	cr_expect_eq(n, want_n, "%s: fs_orders holds %d orders, expected %d", tag, n, want_n);
	cr_expect_eq(filled, fillers, "%s: fs_orders holds %d fillers, set up %d", tag, filled,
		     fillers);
}

/* Entries of FX_FILL_CH in fs_orders. */
static int count_fillers(struct fsx *x)
{
	struct fs_order_key key, next;
	int ret = bpf_map_get_next_key(x->orders_fd, NULL, &key), n = 0;

	while (!ret) {
		n += key.channel == FX_FILL_CH;
		ret = bpf_map_get_next_key(x->orders_fd, &key, &next);
		key = next;
	}
	return n;
}

static void run_row(struct fsx *x, const struct row *r, size_t idx, const struct fsx_xsk *xsk,
		    struct fs_instrument *snapshot)
{
	char tag[512];
	__u64 t_start, t_end;
	__u32 next_before;
	int fillers;
	size_t s;

	snprintf(tag, sizeof(tag), "row %zu (%s)", idx, r->desc);
	if (!setup_row(x, r, xsk, tag))
		return;
	memcpy(snapshot, x->instruments, x->instruments_len);
	next_before = x->bank_state->inst_next;
	fillers = count_fillers(x);
	t_start = fsx_now_coarse_ns(); /* brackets last_rx_ns, stamped with the coarse clock */
	for (s = 0; s < ROW_STEPS && r->steps[s].out != OUT_END; s++)
		run_step(x, r, s, tag);
	/* + 20 ms: the vDSO's copy of the coarse time may trail the kernel's by up to a tick */
	t_end = fsx_now_coarse_ns() + 20 * 1000 * 1000;
	check_counters(x, r, tag);
	check_sym_counters(x, r, tag);
	check_id_directory(x, r, snapshot, next_before, tag);
	check_directory(x, r, snapshot, tag);
	check_windows(x, r, tag, t_start, t_end);
	check_orders(x, r, fillers, tag);
}

/* Load the program or fail with libbpf's account (the verifier log's last lines). */
static void load_or_fail(struct fsx *x)
{
	static char err[10000];
	int ret = fsx_load_orders(x, FX_MAX_ORDERS, err, sizeof(err));

	cr_assert_eq(ret, 0, "the XDP program did not load: %s", err);
}

static void run_rows(bool with_socket, const struct fsx_xsk *xsk)
{
	struct fs_instrument *snapshot;
	struct fsx x;
	size_t n, i, ran = 0;
	struct row *t = build_table(&n);

	load_or_fail(&x);
	snapshot = malloc(x.instruments_len);
	cr_assert_not_null(snapshot, "out of memory");
	for (i = 0; i < n; i++) {
		if (needs_socket(&t[i]) != with_socket)
			continue;
		run_row(&x, &t[i], i, xsk, snapshot);
		ran++;
	}
	cr_log_info("%zu fixture rows run %s an AF_XDP socket", ran,
		    with_socket ? "with" : "without");
	cr_expect(ran > 0, "no rows run");
	free(snapshot);
	fsx_close(&x);
	free(t);
}

/* ---- Tests ---- */

/*
 * The identities every group's counters obey (maps.h and the program's flow): each frame has one
 * outcome; each walked message of an arbitrated frame is new, a duplicate or too late; each new
 * one is delivered or filtered; a delivered frame is malformed, a heartbeat, an end of session,
 * the first to bring a message (or an overflow), or out of band (never arbitrated).
 */
static void expect_identities(size_t i, const struct row *r, size_t g)
{
	const struct fs_counters *c = &r->gstats[g];

	cr_expect_eq(c->frames_seen,
		     c->frames_fragment + c->frames_filtered + c->frames_redirected +
			 c->frames_no_socket + c->frames_malformed_dropped + c->frames_duplicate +
			 c->frames_other_session + c->frames_retrans_refused + c->frames_passed,
		     "row %zu (%s): group %zu breaks the outcome identity", i, r->desc, g);
	cr_expect_eq(c->frames_passed, c->frames_other_unit,
		     "row %zu: groups count passed only for other units", i);
	cr_expect_eq(c->msgs_walked, c->msgs_new + c->msgs_duplicate + c->msgs_too_late,
		     "row %zu (%s): group %zu: walked != new + duplicate + too late", i, r->desc,
		     g);
	cr_expect_eq(c->msgs_new, c->msgs_delivered + c->msgs_filtered,
		     "row %zu (%s): group %zu: new != delivered + filtered", i, r->desc, g);
	/* An out-of-band frame is delivered or filtered, never first. */
	cr_expect_eq(c->frames_redirected + c->frames_no_socket,
		     c->frames_malformed - c->frames_malformed_dropped + c->heartbeats +
			 c->end_of_session + c->frames_first + c->frames_out_of_band -
			 c->frames_filtered,
		     "row %zu (%s): group %zu: delivered frames do not add up", i, r->desc, g);
	cr_expect(c->frames_filtered <= c->frames_first + c->frames_out_of_band,
		  "row %zu (%s): group %zu: a filtered frame is a first one or out of band", i,
		  r->desc, g);
}

/* The group counter each outcome of a frame adds one to (OUT_PASS: the row's not_ours). */
struct outcome_counter {
	enum outcome out;
	size_t off; /* in struct fs_counters */
	const char *what;
};

static const struct outcome_counter outcome_counters[] = {
    {OUT_FRAGMENT, offsetof(struct fs_counters, frames_fragment), "fragments"},
    {OUT_FILTERED, offsetof(struct fs_counters, frames_filtered), "filtered"},
    {OUT_REDIRECT, offsetof(struct fs_counters, frames_redirected), "redirected"},
    {OUT_NO_SOCKET, offsetof(struct fs_counters, frames_no_socket), "no socket"},
    {OUT_DROP_MALFORMED, offsetof(struct fs_counters, frames_malformed_dropped),
     "malformed dropped"},
    {OUT_DUPLICATE, offsetof(struct fs_counters, frames_duplicate), "duplicates"},
    {OUT_OTHER_SESSION, offsetof(struct fs_counters, frames_other_session), "other session"},
    {OUT_OTHER_UNIT, offsetof(struct fs_counters, frames_other_unit), "other unit"},
    {OUT_REFUSED, offsetof(struct fs_counters, frames_retrans_refused), "responses refused"},
    {OUT_REFUSED_PASS, offsetof(struct fs_counters, frames_retrans_refused), "responses refused"},
};

/* Frames of the row's outcomes that add to the counter at OFF (two outcomes may share one). */
static __u64 outcomes_counted_at(const __u64 *by_outcome, size_t off)
{
	__u64 n = 0;
	size_t k;

	for (k = 0; k < ARRAY_SIZE(outcome_counters); k++)
		if (outcome_counters[k].off == off)
			n += by_outcome[outcome_counters[k].out];
	return n;
}

/* Checked without the kernel: a typo in an expectation must not look like a program bug. */
Test(xdp_fixtures, table_obeys_the_outcome_identity)
{
	size_t n, i, s, g, k;
	struct row *t = build_table(&n);

	for (i = 0; i < n; i++) {
		const struct row *r = &t[i];
		__u64 by_outcome[OUT_N_] = {0};
		struct fs_counters sum = {0};

		for (s = 0; s < ROW_STEPS && r->steps[s].out != OUT_END; s++) {
			by_outcome[r->steps[s].out]++;
			cr_expect(r->steps[s].to < ROW_GROUPS, "row %zu: bad group index", i);
			if (r->steps[s].out != OUT_PASS)
				cr_expect(
				    group_used(&r->groups[r->steps[s].to]),
				    "row %zu (%s): frame %zu has a group outcome but no group", i,
				    r->desc, s);
			cr_expect(!(r->steps[s].out == OUT_REDIRECT && !(r->xsk_queues & 1)),
				  "row %zu (%s): redirect expected without a socket on queue 0", i,
				  r->desc);
		}
		for (g = 0; g < ROW_GROUPS; g++) {
			expect_identities(i, r, g);
			add_counters(&sum, &r->gstats[g]);
		}
		cr_expect(!r->win.check ||
			      (r->win.group < ROW_GROUPS && group_used(&r->groups[r->win.group])),
			  "row %zu (%s): the window of a group the row does not have", i, r->desc);
		cr_expect_eq(by_outcome[OUT_PASS], r->not_ours, "row %zu (%s): passed frames", i,
			     r->desc);
		for (k = 0; k < ARRAY_SIZE(outcome_counters); k++) {
			const struct outcome_counter *oc = &outcome_counters[k];
			__u64 counted;

			memcpy(&counted, (const char *)&sum + oc->off, sizeof(counted));
			cr_expect_eq(outcomes_counted_at(by_outcome, oc->off), counted,
				     "row %zu (%s): %s", i, r->desc, oc->what);
		}
	}
	free(t);
}

Test(xdp_fixtures, rows_without_socket, .timeout = 60)
{
	run_rows(false, NULL);
}

Test(xdp_fixtures, rows_with_socket, .timeout = 60)
{
	static char err[512];
	struct fsx_xsk *xsk;
	size_t n, i, need = 0;
	struct row *t = build_table(&n);
	int ret;

	for (i = 0; i < n; i++)
		need += needs_socket(&t[i]);
	free(t);
	ret = fsx_xsk_open(&xsk, err, sizeof(err));
	cr_assert_eq(ret, 0, "%zu fixture rows need an AF_XDP socket, none could be made: %s", need,
		     err);
	run_rows(true, xsk);
	fsx_xsk_close(xsk);
}
