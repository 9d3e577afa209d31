// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Runs fuzz programs through the XDP program and the reference model; see runner.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <linux/bpf.h>

#include "feedsieve/wire_itch.h"
#include "frame_builder.h"
#include "lib_check.h"
#include "program.h"
#include "reference.h"
#include "runner.h"
#include "xdp_harness.h"

#define RECENT	   8
#define MAX_MSGS   136
#define NO_CHANNEL 256 /* cursor of frames to no configured group */
#define DIFF_WORDS 6   /* differing window words shown one by one */
/* The vDSO's coarse clock may trail the kernel's by up to a tick (tests/bpf does the same). */
#define COARSE_SLACK_NS (20ULL * 1000 * 1000)

const char *const fz_outcome_names[FZ_OUTCOMES] = {
    "passed", "fragment", "malformed", "other session", "heartbeat/end", "duplicate",
    "filtered", "delivered"};

/* A built frame kept for RESEND: its description, re-pointed at its own copies. */
struct recent {
	struct fb_frame f;
	struct fb_msg msgs[MAX_MSGS];
	struct fb_mdp3_msg mdp3[MAX_MSGS];
	struct fb_nyse_msg nyse[MAX_MSGS];
	struct fb_pitch_msg pitch[MAX_MSGS];
	__s32 ids[MAX_MSGS][FZ_MAX_ENTRIES];
	struct fb_msg pad_msg;
	char session[FB_SESSION_LEN + 1];
	char symbols[MAX_MSGS + 1][9];
	bool flip;
	__u16 flip_pos;
	__u8 flip_xor;
};

struct reader {
	const __u8 *p;
	size_t n, off;
};

struct fz_runner {
	struct fsx x;
	struct ref_state ref;
	struct fsx_xsk *xsk;
	struct fz_counts counts;
	struct fs_counters *got_groups;	   /* FS_MAX_GROUPS */
	struct fs_sym_counters *got_syms;  /* FS_MAX_SUBS */
	struct fs_channel_window want_win; /* scratch */
	struct fz_lib *lib;
	struct ref_app *app_want, *app_got; /* scratch */
	/* per program */
	__u64 cursor[NO_CHANNEL + 1];
	__u8 session[NO_CHANNEL + 1];
	struct recent recent[RECENT];
	unsigned int n_recent, next_recent;
	struct recent scratch;
	size_t frame_no, op_off;
	bool failed;
	__u8 failed_proto; /* protocol of the group of the first frame that differed */
	char *diff;
	size_t diff_len;
	FILE *out; /* diff lines of the current frame */
};

/* ---- Reading the program ---- */

static unsigned int get8(struct reader *rd)
{
	return rd->off < rd->n ? rd->p[rd->off++] : 0;
}

static unsigned int get16(struct reader *rd)
{
	unsigned int v = get8(rd) << 8;

	return v | get8(rd);
}

static __u32 get32(struct reader *rd)
{
	__u32 v = (__u32)get16(rd) << 16;

	return v | get16(rd);
}

static void get_symbol(struct reader *rd, char out[9])
{
	for (int i = 0; i < 8; i++)
		out[i] = (char)get8(rd);
	out[8] = '\0';
}

/* ---- Diffs ---- */

static void diff_begin(struct fz_runner *r)
{
	free(r->diff);
	r->diff = NULL;
	r->diff_len = 0;
	r->out = open_memstream(&r->diff, &r->diff_len);
	if (!r->out)
		r->out = stderr;
}

static void hexdump(FILE *o, const __u8 *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		fprintf(o, "%s%02x", i % 32 ? (i % 8 ? "" : " ") : (i ? "\n    " : "    "), p[i]);
	fputc('\n', o);
}

/* Print what differed in the current frame, if anything; returns true if something did. */
static bool diff_end(struct fz_runner *r, const char *what, const __u8 *frame, size_t len,
		     const struct ref_result *want)
{
	bool differs;

	if (r->out == stderr)
		return false;
	fclose(r->out);
	r->out = NULL;
	differs = r->diff_len > 0;
	if (differs) {
		if (!r->failed && want && want->group >= 0)
			r->failed_proto = r->ref.groups[want->group].g.proto;
		fprintf(stderr, "MISMATCH: %s %zu (program byte %zu)", what, r->frame_no, r->op_off);
		if (want)
			fprintf(stderr, ", reference says: %s (group index %d)",
				want->why ? want->why : "-", want->group);
		fprintf(stderr, "\n%s", r->diff);
		if (frame) {
			fprintf(stderr, "  frame, %zu bytes:\n", len);
			hexdump(stderr, frame, len);
		}
		r->failed = true;
	}
	free(r->diff);
	r->diff = NULL;
	return differs;
}

#define DIFF(r, ...) fprintf((r)->out, "  " __VA_ARGS__)

FZ_NO_COVERAGE static void diff_counters(struct fz_runner *r, const char *name, const struct fs_counters *got,
			  const struct fs_counters *want)
{
#define CMP_(f, desc)                                                                              \
	if (got->f != want->f)                                                                     \
		DIFF(r, "%s." #f ": reference %llu, program %llu\n", name,                         \
		     (unsigned long long)want->f, (unsigned long long)got->f);
	FS_COUNTER_FIELDS(CMP_)
#undef CMP_
}

FZ_NO_COVERAGE static void diff_word(struct fz_runner *r, unsigned int ch, size_t i, __u64 want, __u64 got)
{
	DIFF(r,
	     "window %u word %zu: reference gen %u block %u states 0x%08x, program gen %u block "
	     "%u states 0x%08x\n",
	     ch, i, (unsigned int)(want >> 56), (unsigned int)(want >> 32) & 0xffffff,
	     (unsigned int)want, (unsigned int)(got >> 56), (unsigned int)(got >> 32) & 0xffffff,
	     (unsigned int)got);
}

/* The channel's session, high-water mark and ended generation, and either the words of the
 * sequence numbers [SEQ, SEQ + N) or (ALL) every word. */
FZ_NO_COVERAGE static void diff_window(struct fz_runner *r, unsigned int ch, bool all, __u64 seq, unsigned int n)
{
	const struct fs_channel_window *got = &r->x.windows[ch];
	struct fs_channel_window *want = &r->want_win;
	unsigned int shown = 0, differ = 0;

	ref_window_head(&r->ref, (__u8)ch, want);
	if (got->session != want->session)
		DIFF(r, "window %u session word: reference 0x%016llx, program 0x%016llx\n", ch,
		     (unsigned long long)want->session, (unsigned long long)got->session);
	if (got->high != want->high)
		DIFF(r, "window %u high: reference gen %llu seq %llu, program gen %llu seq %llu\n",
		     ch, (unsigned long long)(want->high >> 48),
		     (unsigned long long)(want->high & ((1ULL << 48) - 1)),
		     (unsigned long long)(got->high >> 48),
		     (unsigned long long)(got->high & ((1ULL << 48) - 1)));
	if (got->ended_gen != want->ended_gen)
		DIFF(r, "window %u ended_gen: reference %llu, program %llu\n", ch,
		     (unsigned long long)want->ended_gen, (unsigned long long)got->ended_gen);
	if (got->unit != want->unit || got->orders_full_gen != want->orders_full_gen)
		DIFF(r, "window %u unit/orders_full_gen: reference %llu/%llu, program %llu/%llu\n",
		     ch, (unsigned long long)want->unit, (unsigned long long)want->orders_full_gen,
		     (unsigned long long)got->unit, (unsigned long long)got->orders_full_gen);
	if (!all) {
		/* the words the frame claimed in (at most 9), in the window's slot order */
		for (unsigned int k = 0; n && k <= (seq % 16 + n - 1) / 16; k++) {
			size_t i = (size_t)((seq / 16 + k) % FS_SEQ_WORDS);
			__u64 w = ref_window_word(&r->ref, (__u8)ch, i);

			if (got->words[i] != w)
				diff_word(r, ch, i, w, got->words[i]);
		}
		return;
	}
	for (size_t i = 0; i < FS_SEQ_WORDS; i++) {
		__u64 w = ref_window_word(&r->ref, (__u8)ch, i);

		if (got->words[i] == w)
			continue;
		differ++;
		if (shown++ < DIFF_WORDS)
			diff_word(r, ch, i, w, got->words[i]);
	}
	if (differ)
		DIFF(r, "window %u: %u words differ\n", ch, differ);
}

/* fs_orders (PITCH) against the reference's order map: the same keys, symbols, quantities and
 * generations. */
FZ_NO_COVERAGE static void diff_orders(struct fz_runner *r)
{
	struct fs_order_key key, next;
	struct fs_order got;
	size_t n = 0;
	int ret = bpf_map_get_next_key(r->x.orders_fd, NULL, &key);

	for (; !ret; ret = bpf_map_get_next_key(r->x.orders_fd, &key, &next), key = next) {
		const struct ref_order *w = NULL;

		if (bpf_map_lookup_elem(r->x.orders_fd, &key, &got))
			continue;
		n++;
		for (size_t i = 0; i < r->ref.n_orders && !w; i++)
			if (r->ref.orders[i].id == key.order_id &&
			    r->ref.orders[i].channel == key.channel)
				w = &r->ref.orders[i];
		if (!w)
			DIFF(r, "fs_orders[%llu, channel %u] = '%.8s' %u gen %u: not in the "
				"reference\n",
			     (unsigned long long)key.order_id, key.channel, got.symbol.name,
			     got.remaining, got.gen);
		else if (memcmp(&got.symbol, &w->symbol, sizeof(got.symbol)) ||
			 got.remaining != w->remaining || got.gen != w->gen)
			DIFF(r, "fs_orders[%llu, channel %u]: reference '%.8s' %u gen %u, program "
				"'%.8s' %u gen %u\n",
			     (unsigned long long)key.order_id, key.channel, w->symbol.name,
			     w->remaining, w->gen, got.symbol.name, got.remaining, got.gen);
	}
	if (n != r->ref.n_orders)
		DIFF(r, "fs_orders: reference %zu orders, program %zu\n", r->ref.n_orders, n);
}

/* Everything not compared per frame: every group's and symbol's counters, directory, windows. */
FZ_NO_COVERAGE static int diff_everything(struct fz_runner *r)
{
	static const struct fs_channel_window zero_window;
	size_t n = (size_t)FS_MAX_FEEDS * FS_LOCATES_PER_FEED;
	char name[40];
	int ret;

	ret = fsx_group_counters(&r->x, r->got_groups);
	if (ret)
		return ret;
	for (size_t id = 0; id < FS_MAX_GROUPS; id++) {
		if (!memcmp(&r->got_groups[id], &r->ref.group_stats[id], sizeof(struct fs_counters)))
			continue;
		snprintf(name, sizeof(name), "fs_group_stats[%zu]", id);
		diff_counters(r, name, &r->got_groups[id], &r->ref.group_stats[id]);
	}
	ret = fsx_sym_counters(&r->x, r->got_syms);
	if (ret)
		return ret;
	for (size_t s = 0; s < FS_MAX_SUBS; s++) {
		const struct fs_sym_counters *g = &r->got_syms[s], *w = &r->ref.sym_stats[s];

		if (g->msgs_matched != w->msgs_matched || g->dir_seen != w->dir_seen)
			DIFF(r,
			     "fs_sym_stats[%zu]: reference {msgs_matched %llu, dir_seen %llu}, "
			     "program {%llu, %llu}\n",
			     s, (unsigned long long)w->msgs_matched, (unsigned long long)w->dir_seen,
			     (unsigned long long)g->msgs_matched, (unsigned long long)g->dir_seen);
	}
	for (size_t i = 0; i < n; i++) {
		const struct fs_instrument *g = &r->x.instruments[i];
		const struct ref_locate *w = &r->ref.locates[i];
		__u32 flags = w->known ? FS_INST_F_KNOWN : 0;

		/* The subscription marks are not read here: their layout is the configuration
		 * banks' business (maps.h), and what they do shows in every later match. */
		if (g->flags == flags &&
		    !memcmp(g->symbol.name, w->symbol.name, sizeof(g->symbol.name)))
			continue;
		DIFF(r,
		     "directory feed %zu locate %zu: reference '%.20s' flags %u, program '%.20s' "
		     "flags %u\n",
		     i / FS_LOCATES_PER_FEED, i % FS_LOCATES_PER_FEED, w->symbol.name, flags,
		     g->symbol.name, g->flags);
	}
	/* The id-keyed directory: every entry the reference holds is indexed, and nothing else. */
	for (size_t i = 0; i < r->ref.n_ids; i++) {
		const struct ref_id *w = &r->ref.ids[i];
		__u32 flags = FS_INST_F_ID | (w->known ? FS_INST_F_KNOWN : 0), slot;
		const struct fs_instrument *g;

		if (fsx_id_slot(&r->x, w->proto, w->feed, w->id, &slot) ||
		    slot >= FS_INSTRUMENT_SLOTS) {
			DIFF(r, "id %d of proto %u feed %u: in the reference's directory, not indexed\n",
			     (int)w->id, w->proto, w->feed);
			continue;
		}
		g = &r->x.instruments[slot];
		if (g->flags == flags && g->id == w->id && g->feed == w->feed &&
		    g->proto == w->proto &&
		    !memcmp(g->symbol.name, w->symbol.name, sizeof(g->symbol.name)))
			continue;
		DIFF(
		    r,
		    "id %d of feed %u (slot %u): reference '%.20s' flags %u, program '%.20s' flags "
		    "%u id %d feed %u proto %u\n",
		    (int)w->id, w->feed, slot, w->symbol.name, flags, g->symbol.name, g->flags,
		    (int)g->id, g->feed, g->proto);
	}
	if (fsx_index_entries(&r->x) != r->ref.n_ids)
		DIFF(r, "fs_inst_index: reference %zu entries, program %zu\n", r->ref.n_ids,
		     fsx_index_entries(&r->x));
	diff_orders(r);
	/* Only a configured group's channel (or its units') may change: the others stay zero. */
	for (unsigned int ch = 0; ch < FS_MAX_CHANNELS; ch++) {
		bool used = false;

		for (size_t i = 0; i < r->ref.n_groups; i++) {
			const struct fs_group *g = &r->ref.groups[i].g;

			used |= g->channel == ch ||
				(ch > g->channel && ch - g->channel < g->unit_count);
		}
		if (used)
			diff_window(r, ch, true, 0, 0);
		else if (memcmp(&r->x.windows[ch], &zero_window, sizeof(zero_window)))
			DIFF(r, "window %u of no configured group changed\n", ch);
	}
	return 0;
}

/* ---- What the application gets: reference against libfeedsieve ---- */

FZ_NO_COVERAGE static void diff_entry(struct fz_runner *r, const char *how, const char *who,
				      const struct ref_app_entry *e)
{
	DIFF(r, "  %s: %s entry %u id %d rpt_seq %s%u symbol %s%.20s\n", how, who, e->index,
	     (int)e->id, e->has_rpt_seq ? "" : "none ", e->rpt_seq,
	     e->symbol_known ? "" : "unknown", e->symbol_known ? e->symbol.name : "");
}

/* NYSE XDP and PITCH: what fs_frame and fs_msg tell besides the message's place. */
FZ_NO_COVERAGE static void diff_app_msg(struct fz_runner *r, const char *who,
					const struct ref_app_msg *m)
{
	DIFF(r, "    %s: seq %llu key %s%u order_id %s%llu symbol %s%.20s%s\n", who,
	     (unsigned long long)m->seq, m->has_key ? "" : "none ", m->key,
	     m->has_order_id ? "" : "none ", (unsigned long long)m->order_id,
	     m->symbol_known ? "" : "unknown", m->symbol_known ? m->symbol.name : "",
	     m->order_unknown ? " order_unknown" : "");
}

static bool same_app_msg(const struct ref_app_msg *w, const struct ref_app_msg *g)
{
	return w->seq == g->seq && w->has_key == g->has_key && w->key == g->key &&
	       w->has_order_id == g->has_order_id && w->order_id == g->order_id &&
	       w->symbol_known == g->symbol_known && w->order_unknown == g->order_unknown &&
	       (!w->symbol_known || !memcmp(&w->symbol, &g->symbol, sizeof(w->symbol)));
}

/* The first message (and its entries) that differ, and the message counts. */
FZ_NO_COVERAGE static void diff_app(struct fz_runner *r, const char *how,
				    const struct ref_app *want, const struct ref_app *got)
{
	unsigned int n = want->n_msgs < got->n_msgs ? want->n_msgs : got->n_msgs;

	if (want->malformed != got->malformed) {
		DIFF(r, "library %s: reference %s, library %s\n", how,
		     want->malformed ? "malformed" : "not malformed",
		     got->malformed ? "malformed" : "not malformed");
		return;
	}
	if (want->per_msg && want->has_unit != got->has_unit)
		DIFF(r, "library %s: unit: reference %s, library %s\n", how,
		     want->has_unit ? "one" : "none", got->has_unit ? "one" : "none");
	if (want->per_msg && want->has_unit && got->has_unit && want->unit != got->unit)
		DIFF(r, "library %s: unit: reference %u, library %u\n", how, want->unit, got->unit);
	if (want->overfull || got->overfull || want->malformed)
		return;
	if (want->per_msg && (want->kind != got->kind || want->out_of_band != got->out_of_band))
		DIFF(r, "library %s: frame kind %u out of band %u, library kind %u out of band %u\n",
		     how, want->kind, want->out_of_band, got->kind, got->out_of_band);
	for (unsigned int i = 0; i < n; i++) {
		const struct ref_app_msg *w = &want->msgs[i], *g = &got->msgs[i];
		bool same = w->off == g->off && w->len == g->len && w->tid == g->tid && w->n == g->n &&
			    (!want->per_msg || same_app_msg(w, g));

		for (unsigned int e = 0; same && e < w->n; e++) {
			const struct ref_app_entry *we = &want->entries[w->first + e],
						   *ge = &got->entries[g->first + e];

			same = we->index == ge->index && we->id == ge->id &&
			       we->has_rpt_seq == ge->has_rpt_seq && we->rpt_seq == ge->rpt_seq &&
			       we->symbol_known == ge->symbol_known &&
			       !memcmp(&we->symbol, &ge->symbol, sizeof(we->symbol));
		}
		if (same)
			continue;
		DIFF(r,
		     "library %s: delivered message %u: reference type %u at %zu (%u bytes, "
		     "%u entries), library type %u at %zu (%u bytes, %u entries)\n",
		     how, i, w->tid, w->off, w->len, w->n, g->tid, g->off, g->len, g->n);
		if (want->per_msg) {
			diff_app_msg(r, "reference", w);
			diff_app_msg(r, "library", g);
		}
		for (unsigned int e = 0; e < w->n; e++)
			diff_entry(r, how, "reference", &want->entries[w->first + e]);
		for (unsigned int e = 0; e < g->n; e++)
			diff_entry(r, how, "library", &got->entries[g->first + e]);
		return;
	}
	if (want->n_msgs != got->n_msgs)
		DIFF(r, "library %s: reference %u messages delivered, library %u\n", how,
		     want->n_msgs, got->n_msgs);
}

/*
 * A frame the program delivered to an MDP3, NYSE XDP or PITCH group, through libfeedsieve twice:
 * without metadata (the library decides from the maps as they are after the frame) against what
 * the reference's directory says, then with the program's metadata against what the reference's
 * metadata says.
 *
 * PITCH order messages: the library judges the ones it must decide (no metadata, or past the
 * walk), and names the symbol of every one, by its own order map, learned only from what is
 * handed over. The comparison is exact because both sides keep that map from the same history:
 * after the pass with metadata, each message the library yielded is handed over
 * (fsi_msg__handed(), as the sequencer does), and the reference applies the messages it says
 * are yielded to its model of the consumer's map (ref_pitch_app, HAND); the pass without
 * metadata hands nothing over, so a frame teaches once. The history is that of delivered frames
 * in delivery order (the harness has no sequencer to reorder or drop duplicates past the walk):
 * the same on both sides, which is what the comparison needs.
 */
static void check_library(struct fz_runner *r, __u8 proto, const __u8 *frame, size_t len,
			  const struct ref_result *want, const struct fsx_result *got)
{
	static const char *const how[2] = {"without metadata", "with metadata"};
	size_t before;

	fflush(r->out);
	before = r->diff_len;
	for (int pass = 0; pass < 2; pass++) {
		const struct fs_xdp_meta *m = pass ? &want->m : NULL;
		int ret;

		if (proto == FS_PROTO_MDP3)
			ref_mdp3_app(&r->ref, frame, len, m, r->app_want);
		else if (proto == FS_PROTO_NYSE_XDP)
			ref_nyse_app(&r->ref, frame, len, m, r->app_want);
		else
			ref_pitch_app(&r->ref, frame, len, m, pass == 1, r->app_want);
		ret = fz_lib_collect(r->lib, frame, len, pass ? &got->meta : NULL, pass == 1,
				     r->app_got);
		if (ret) {
			DIFF(r, "library %s: fs_frame__decode: %s\n", how[pass], strerror(-ret));
			continue;
		}
		r->counts.lib_decodes[proto]++;
		r->counts.lib_msgs[proto] += r->app_got->n_msgs;
		r->counts.lib_entries += r->app_got->n_entries;
		diff_app(r, how[pass], r->app_want, r->app_got);
	}
	fflush(r->out);
	if (r->diff_len != before)
		r->counts.lib_mismatches[proto]++;
}

/* ---- One frame through both ---- */

FZ_NO_COVERAGE static unsigned int outcome_of(const struct ref_result *w)
{
	static const char *const by_why[][2] = {
	    {"not UDP over IPv4", "passed"}, {"not a configured group", "passed"},
	    {"first fragment", "fragment"},   {"malformed", "malformed"},
	    {"other session", "other session"}, {"heartbeat", "heartbeat/end"},
	    {"end of session", "heartbeat/end"}, {"duplicate", "duplicate"},
	    {"filtered", "filtered"},	    {"wanted", "delivered"},
	    {"walk overflow", "delivered"}, {"out of band: filtered", "filtered"},
	    {"out of band: wanted", "delivered"}, {"out of band: walk overflow", "delivered"},
	    {"other unit", "passed"}, {"no channel", "passed"}};

	for (size_t i = 0; i < sizeof(by_why) / sizeof(by_why[0]); i++)
		if (!strcmp(w->why, by_why[i][0]))
			for (unsigned int k = 0; k < FZ_OUTCOMES; k++)
				if (!strcmp(fz_outcome_names[k], by_why[i][1]))
					return k;
	return 0;
}

static int run_frame(struct fz_runner *r, const __u8 *frame, size_t len, bool strict)
{
	__u64 last_rx[FS_MAX_CHANNELS], t0, t1;
	const struct fs_xdp_meta *gm;
	struct fs_counters got_global;
	struct ref_result want;
	struct fsx_result got;
	int ret;

	/* BPF_PROG_TEST_RUN refuses XDP frames under 14 bytes; beyond FB_MAX_FRAME bytes the
	 * program would see only the linear part. */
	if (len < 14 || len > FB_MAX_FRAME)
		return 0;
	r->frame_no++;
	for (unsigned int ch = 0; ch < FS_MAX_CHANNELS; ch++)
		last_rx[ch] = r->x.windows[ch].last_rx_ns;
	t0 = fsx_now_coarse_ns();
	ret = fsx_run(&r->x, frame, (__u32)len, &got);
	t1 = fsx_now_coarse_ns() + COARSE_SLACK_NS;
	if (ret) {
		fprintf(stderr, "fuzz: BPF_PROG_TEST_RUN: %s\n", strerror(-ret));
		return ret;
	}
	{
		struct fs_counters before = r->ref.global;
		__u8 proto;

		ref_frame(&r->ref, frame, len, &want);
		r->counts.orders_added += r->ref.global.orders_added - before.orders_added;
		r->counts.orders_removed += r->ref.global.orders_removed - before.orders_removed;
		r->counts.orders_full += r->ref.global.orders_full - before.orders_full;
		r->counts.orders_unknown += r->ref.global.orders_unknown - before.orders_unknown;
		r->counts.frames++;
		r->counts.outcomes[outcome_of(&want)]++;
		proto = want.group >= 0 ? r->ref.groups[want.group].g.proto : FS_PROTO_NONE;
		if (want.group >= 0 && proto < FS_PROTO_COUNT) {
			r->counts.proto_frames[proto]++;
			r->counts.proto_outcomes[proto][outcome_of(&want)]++;
			r->counts.proto_out_of_band[proto] +=
			    r->ref.global.frames_out_of_band - before.frames_out_of_band;
		}
	}

	diff_begin(r);
	if (got.retval != want.action)
		DIFF(r, "verdict: reference %u, program %u (0 ABORTED 1 DROP 2 PASS 4 REDIRECT)\n",
		     want.action, got.retval);
	if (got.linear_len != len)
		DIFF(r, "the program saw %u of %zu bytes\n", got.linear_len, len);
	if (!got.frame_intact)
		DIFF(r, "the program modified the frame\n");
	if (got.meta_len != (want.meta ? sizeof(struct fs_xdp_meta) : 0))
		DIFF(r, "metadata length: reference %zu, program %u\n",
		     want.meta ? sizeof(struct fs_xdp_meta) : 0, got.meta_len);
	gm = &got.meta;
	if (want.meta && got.meta_len == sizeof(*gm)) {
		const struct fs_xdp_meta *wm = &want.m;

		for (int i = 0; i < FS_MAX_WALK / 64; i++)
			if (gm->match_bits[i] != wm->match_bits[i])
				DIFF(r, "meta match_bits[%d]: reference 0x%016llx, program 0x%016llx\n",
				     i, (unsigned long long)wm->match_bits[i],
				     (unsigned long long)gm->match_bits[i]);
#define META_(f)                                                                                   \
	if (gm->f != wm->f)                                                                        \
		DIFF(r, "meta " #f ": reference %u, program %u\n", (unsigned int)wm->f,            \
		     (unsigned int)gm->f);
		META_(magic)
		META_(group_id)
		META_(flags)
		META_(msgs_walked)
		META_(channel)
		META_(line)
		META_(feed)
#undef META_
		if (gm->rx_ts_ns < got.t_before || gm->rx_ts_ns > got.t_after)
			DIFF(r, "meta rx_ts_ns %llu outside the run [%llu, %llu]\n",
			     (unsigned long long)gm->rx_ts_ns, (unsigned long long)got.t_before,
			     (unsigned long long)got.t_after);
	}
	ret = fsx_global_counters(&r->x, &got_global);
	if (ret)
		return ret;
	diff_counters(r, "fs_stats", &got_global, &r->ref.global);
	for (unsigned int ch = 0; ch < FS_MAX_CHANNELS; ch++) {
		__u64 now = r->x.windows[ch].last_rx_ns;
		bool stamped = want.stamped && want.channel == (int)ch;

		if (!stamped && now != last_rx[ch])
			DIFF(r, "window %u last_rx_ns changed by a frame that stamps no channel\n", ch);
		if (stamped && (now < t0 || now > t1))
			DIFF(r, "window %u last_rx_ns %llu outside the run [%llu, %llu]\n", ch,
			     (unsigned long long)now, (unsigned long long)t0, (unsigned long long)t1);
	}
	if (want.channel >= 0)
		diff_window(r, (unsigned int)want.channel, false, want.seq, want.walked);
	if (want.group >= 0 && r->ref.groups[want.group].g.proto == FS_PROTO_PITCH)
		diff_orders(r);
	if (want.meta && got.meta_len == sizeof(got.meta) &&
	    (r->ref.groups[want.group].g.proto == FS_PROTO_MDP3 ||
	     r->ref.groups[want.group].g.proto == FS_PROTO_NYSE_XDP ||
	     r->ref.groups[want.group].g.proto == FS_PROTO_PITCH))
		check_library(r, r->ref.groups[want.group].g.proto, frame, len, &want, &got);
	if (strict) {
		ret = diff_everything(r);
		if (ret)
			return ret;
	}
	diff_end(r, "frame", frame, len, &want);
	return 0;
}

/* ---- Building frames ---- */

/* A type ITCH 5.0 does not define gets 12 bytes: the program must not care. */
static __u16 itch_len(char type)
{
	return itch_msg_len((__u8)type) ? itch_msg_len((__u8)type) : 12;
}

/* Point a recent frame's description at its own arrays (after a copy). */
static void repoint(struct recent *k)
{
	k->f.msgs = k->msgs;
	k->f.mdp3 = k->mdp3;
	k->f.nyse = k->nyse;
	k->f.pitch = k->pitch;
	for (size_t i = 0; i < k->f.n_pitch; i++)
		k->pitch[i].symbol = k->symbols[i];
	for (size_t i = 0; i < k->f.n_mdp3; i++)
		k->mdp3[i].ids = k->ids[i];
	k->f.session = k->session;
	if (k->f.n_pad_msgs)
		k->f.pad_msgs = &k->pad_msg;
	for (size_t i = 0; i < k->f.n_msgs; i++)
		k->msgs[i].symbol = k->symbols[i];
	k->pad_msg.symbol = k->symbols[MAX_MSGS];
}

static void destination(struct fz_runner *r, unsigned int gi, struct fb_frame *f, unsigned int *ch)
{
	if (gi < r->ref.n_groups) {
		f->daddr = r->ref.groups[gi].addr;
		f->dport = r->ref.groups[gi].port;
		*ch = r->ref.groups[gi].g.channel;
	} else {
		f->daddr = 0xE931C463u; /* 233.49.196.99 */
		f->dport = 18001;
		*ch = NO_CHANNEL;
	}
}

static void mutate(struct recent *k, unsigned int kind, unsigned int v)
{
	struct fb_frame *f = &k->f;
	static const __u16 eth[] = {FB_ETH_ARP, FB_ETH_IPV6, 0x88B5, 0x0800};

	switch (kind % FZ_MUT_N) {
	case FZ_MUT_VLAN:
		for (unsigned int t = 0; t < FB_MAX_TAGS; t++)
			f->tags[t] = t < v % 4 ? (v >> (2 + t) & 1 ? FB_TPID_AD : FB_TPID_Q) : 0;
		break;
	case FZ_MUT_IHL:
		f->set_ihl = true;
		f->ihl = (__u8)(v % 16);
		break;
	case FZ_MUT_FRAG: {
		static const __u16 frag[] = {FB_IP_MF, FB_IP_DF, FB_IP_MF | 185, 185};

		f->frag = v & 0x8000 ? (__u16)v : frag[v % 4];
		break;
	}
	case FZ_MUT_PROTO:
		f->ip_proto = (__u8)v;
		break;
	case FZ_MUT_ETH_TYPE:
		f->eth_type = eth[v % 4];
		break;
	case FZ_MUT_IP_VERSION:
		f->ip_version = (__u8)(v % 16);
		break;
	case FZ_MUT_UDP_DELTA:
		f->udp_len_delta = (__s8)v;
		break;
	case FZ_MUT_IP_DELTA:
		f->ip_len_delta = (__s8)v;
		break;
	case FZ_MUT_UDP_LEN:
		f->set_udp_len = true;
		f->udp_len = (__u16)v;
		break;
	case FZ_MUT_IP_LEN:
		f->set_ip_len = true;
		f->ip_len = (__u16)v;
		break;
	case FZ_MUT_TRAILING:
		f->trailing = (__u16)(v % 8);
		break;
	case FZ_MUT_PAD:
		f->pad = (__u16)(v % 64);
		break;
	case FZ_MUT_CUT:
		f->cut = (__u16)(14 + v % 256);
		break;
	case FZ_MUT_SHORT:
		f->short_payload = true;
		f->payload_len = (__u16)(v % 40);
		break;
	case FZ_MUT_PAD_MSG:
		k->pad_msg = (struct fb_msg){.type = fz_types[v % FZ_TYPES],
					     .locate = fz_locates[(v >> 4) % FZ_LOCATES]};
		f->n_pad_msgs = 1;
		break;
	case FZ_MUT_FLIP:
		k->flip = true;
		k->flip_pos = (__u16)(v >> 8);
		k->flip_xor = (__u8)(v | 1);
		break;
	}
}

/* Message I of an MDP3 packet from its four bytes (program.h). */
static void decode_mdp3_msg(struct recent *k, size_t i, unsigned int t, unsigned int loc,
			    unsigned int sym, unsigned int lm)
{
	struct fb_mdp3_msg *m = &k->mdp3[i];

	memset(m, 0, sizeof(*m));
	m->tid = fz_templates[t % FZ_TEMPLATES];
	m->id = fz_ids[sym % FZ_IDS];
	m->symbol = fz_mdp3_symbols[(sym / FZ_IDS) % FZ_MDP3_SYMBOLS];
	m->n_ids = (__u8)(loc % FZ_MAX_ENTRIES);
	for (unsigned int e = 0; e < m->n_ids; e++)
		k->ids[i][e] = fz_ids[(sym + e * 3 + (loc >> 2)) % FZ_IDS];
	m->later = (__u8)((loc >> 2) % 3);
	if (m->tid == 0 || m->tid == 99 || m->tid == 200) { /* unknown: any root */
		m->set_root = true;
		m->root = (__u16)(loc % 24);
	}
	if (lm >= 240 && lm < 244) {
		m->set_blen = true;
		m->blen = (__u16)((lm - 240) * 7);
	} else if (lm >= 244 && lm < 248) {
		m->set_entry = true;
		m->entry = (__u16)(4 + (lm - 244) * 6);
	} else if (lm >= 248 && lm < 252) {
		m->set_num = true;
		m->num = (__u8)(m->n_ids + 1 + (lm - 248));
	} else if (lm >= 252 && lm < 254) {
		m->set_groups = true;
		m->groups = (__u8)(lm - 252);
	} else if (lm >= 254) {
		m->extra = (__u16)(lm - 250);
	}
	if (lm >= 232 && lm < 240) {
		m->set_size = true;
		m->size = (__u16)(fb_mdp3_msg_len(m) + lm - 236);
	}
}

/* Message I of a PITCH unit from its four bytes (program.h): type, Order ID and symbol from
 * small pools (so orders added are executed and deleted), quantity, and a length fault. */
static void decode_pitch_msg(struct recent *k, size_t i, unsigned int t, unsigned int loc,
			     unsigned int sym, unsigned int lm, bool many)
{
	struct fb_pitch_msg *m = &k->pitch[i];

	memset(m, 0, sizeof(*m));
	m->type = many ? (t & 1 ? 0x20 : 0x29) : fz_pitch_types[t % FZ_PITCH_TYPES];
	m->order_id = fz_order_ids[loc % FZ_ORDER_IDS];
	m->qty = (sym >> 3) % 40 + (loc >> 6) * 20;
	snprintf(k->symbols[i], sizeof(k->symbols[i]), "%s", fz_symbols[sym % FZ_SYMBOLS]);
	if (lm >= 232 && lm < 240) {
		m->len = (__u8)(fb_pitch_msg_len(m) + lm - 236); /* too short, or longer */
	} else if (lm >= 240 && lm < 248) {
		m->set_lfield = true;
		m->lfield = (__u8)(lm - 240);
	} else if (lm >= 248) {
		m->set_lfield = true;
		m->lfield = (__u8)(fb_pitch_msg_len(m) + lm - 247); /* past the message */
	}
}

/* Message I of a NYSE XDP packet from its four bytes (program.h). */
static void decode_nyse_msg(struct recent *k, size_t i, unsigned int t, unsigned int loc,
			    unsigned int sym, unsigned int lm)
{
	struct fb_nyse_msg *m = &k->nyse[i];
	size_t at, least;

	memset(m, 0, sizeof(*m));
	m->type = fz_nyse_types[t % FZ_NYSE_TYPES];
	m->index = fz_nyse_indexes[loc % FZ_NYSE_INDEXES];
	m->symbol = fz_nyse_symbols[sym % FZ_NYSE_SYMBOLS];
	/* the shortest length that holds what the type carries: length faults around it */
	at = fb_nyse_index_offset(m->type);
	least = m->type == 3 ? 8 + 11 : at ? at + 4 : 4;
	if (lm >= 232 && lm < 240) {
		m->set_size = true;
		m->size = (__u16)(fb_nyse_msg_len(m) + lm - 236);
	} else if (lm >= 240 && lm < 248) {
		m->set_len = true;
		m->len = (__u16)(least + lm - 244);
	} else if (lm >= 248) {
		m->set_len = true;
		m->len = (__u16)(4 + (lm - 248) * 9);
	}
}

/* Decode a FZ_OP_FRAME into r->scratch; returns the group index it goes to. */
static unsigned int decode_frame(struct fz_runner *r, struct reader *rd)
{
	struct recent *k = &r->scratch;
	unsigned int gi, ch, sess, mode, cmode, n, nmut, i;
	bool mdp3, nyse, pitch, oob = false;
	__u32 param;
	__s8 delta;
	__u64 seq;

	memset(k, 0, sizeof(*k));
	gi = get8(rd) % (unsigned int)(r->ref.n_groups + 1);
	destination(r, gi, &k->f, &ch);
	mdp3 = gi < r->ref.n_groups && r->ref.groups[gi].g.proto == FS_PROTO_MDP3;
	nyse = gi < r->ref.n_groups && r->ref.groups[gi].g.proto == FS_PROTO_NYSE_XDP;
	pitch = gi < r->ref.n_groups && r->ref.groups[gi].g.proto == FS_PROTO_PITCH;
	sess = get8(rd);
	mode = get8(rd) % 8;
	param = get32(rd);
	cmode = get8(rd) % 16;
	delta = (__s8)get8(rd);
	n = get8(rd);
	n = n < 208 ? n % 9 : n < 240 ? 9 + (n - 208) * 4 : 120 + (n - 240);
	for (i = 0; i < n; i++) {
		struct fb_msg *m = &k->msgs[i];
		unsigned int t = get8(rd), loc = get8(rd), sym = get8(rd), lm = get8(rd);

		if (mdp3) {
			decode_mdp3_msg(k, i, t, loc, sym, lm);
			continue;
		}
		if (nyse) {
			decode_nyse_msg(k, i, t, loc, sym, lm);
			continue;
		}
		if (pitch) {
			decode_pitch_msg(k, i, t, loc, sym, lm, n > 8);
			continue;
		}
		m->type = t < 240 ? fz_types[t % FZ_TYPES] : (char)t;
		m->locate = fz_locates[loc % FZ_LOCATES];
		snprintf(k->symbols[i], sizeof(k->symbols[i]), "%s", fz_symbols[sym % FZ_SYMBOLS]);
		if (!itch_msg_len((__u8)m->type)) {
			m->set_len = true;
			m->len = itch_len(m->type);
		}
		if (lm >= 232 && lm < 240) {
			m->set_len = true;
			m->len = (__u16)(lm - 232);
		} else if (lm >= 240 && lm < 244) {
			m->set_blen = true;
			m->blen = (__u16)(itch_len(m->type) + lm - 242);
		} else if (lm >= 244 && lm < 248) {
			m->set_len = true;
			m->len = (__u16)(18 + lm - 244);
		} else if (lm >= 248) {
			m->set_len = true;
			m->len = (__u16)(3 + (lm - 248) * 8);
		}
	}
	if (cmode == 13 || (cmode == 14 && !nyse))
		n = 0; /* a heartbeat or end of session: the blocks read above are not sent */
	if (mdp3) {
		k->f.payload = FB_MDP3;
		k->f.n_mdp3 = n;
	} else if (nyse) {
		k->f.payload = FB_NYSE;
		k->f.n_nyse = n;
	} else if (pitch) {
		const struct fs_group *g = &r->ref.groups[gi].g;
		unsigned int ub = param >> 24;

		k->f.payload = FB_PITCH;
		k->f.n_pitch = n;
		/* mostly a unit of the group (or its first), sometimes any */
		k->f.unit = (__u8)(ub < 224 ? g->unit_first + ub % (g->unit_count ? g->unit_count : 1)
				   : ub);
	} else {
		k->f.n_msgs = n;
	}
	/* the session: the channel's own, a restart at sequence 1, or a stray other one */
	if (sess >= 224 && sess < 240) {
		r->session[ch] = (__u8)(sess % FZ_SESSIONS);
		r->cursor[ch] = 1;
	}
	memcpy(k->session, fz_sessions[sess >= 240 ? sess % FZ_SESSIONS : r->session[ch]], 10);
	/* MDP3: the session's SendingTime rides on every packet; a restart is MsgSeqNum 1 */
	k->f.sending_time = fz_times[(sess >= 240 ? sess : r->session[ch]) % FZ_TIMES];
	switch (mode) {
	case 4: /* a late or repeated range */
		seq = r->cursor[ch] > param % 256 + 1 ? r->cursor[ch] - param % 256 - 1 : 0;
		break;
	case 5: /* a gap */
		seq = r->cursor[ch] + param % 4096;
		break;
	case 6:
		seq = param;
		break;
	case 7:
		seq = fz_edges[param % FZ_EDGES];
		break;
	default:
		seq = r->cursor[ch];
	}
	k->f.set_seq = true;
	k->f.seq = seq;
	if (nyse) {
		/* a restart is a Sequence Number Reset packet; retransmissions and refresh repeat
		 * numbers the live stream used: the cursor stays */
		k->f.set_flag = true;
		k->f.flag = sess >= 224 && sess < 240 ? 12 : fz_nyse_flags[(__u8)delta % FZ_NYSE_FLAGS];
		oob = k->f.flag == 13 || k->f.flag == 15 || (k->f.flag >= 17 && k->f.flag <= 21);
		if (cmode == 14)
			k->f.pkt_size_delta = (int)((__u8)delta % 7) - 3;
	}
	if (mdp3 && mode != 4)
		r->cursor[ch] = seq + 1; /* one sequence number per packet */
	else if (mode != 4 && cmode != 13 && cmode != 14 && !oob)
		r->cursor[ch] = seq + n;
	/* count faults (NYSE NumberMsgs and PITCH HdrCount: the low 8 bits); ITCH's modes 13 and
	 * 14 are a heartbeat and an end of session */
	if (!mdp3 && (cmode == 15 || (!nyse && !pitch && (cmode == 13 || cmode == 14)))) {
		k->f.set_count = true;
		k->f.count = cmode == 13 ? 0 : cmode == 14 ? 0xFFFF : (__u16)((int)n + delta);
	}
	nmut = get8(rd);
	nmut = nmut < 176 ? 0 : (nmut - 176) % 4;
	for (i = 0; i < nmut; i++) {
		unsigned int kind = get8(rd);

		mutate(k, kind, get16(rd));
	}
	repoint(k);
	return gi;
}

static int send_built(struct fz_runner *r, struct recent *k, bool strict)
{
	static __u8 frame[FB_MAX_FRAME];
	size_t len = fb_build(&k->f, frame, sizeof(frame), NULL);

	if (!len)
		return 0; /* does not fit a frame */
	if (k->flip)
		frame[k->flip_pos % len] ^= k->flip_xor;
	return run_frame(r, frame, len, strict);
}

static void remember(struct fz_runner *r, const struct recent *k)
{
	struct recent *slot = &r->recent[r->next_recent];

	*slot = *k;
	repoint(slot);
	r->next_recent = (r->next_recent + 1) % RECENT;
	if (r->n_recent < RECENT)
		r->n_recent++;
}

/* ---- Programs ---- */

/*
 * A subscription: by name, or by MDP3 SecurityID when the symbol reads "#", fz_ids index, feed
 * (user space indexes an id subscribed before its definition for the feed it names), or by a
 * NYSE name when it reads "%", fz_nyse_symbols index.
 */
static int subscribe(struct fz_runner *r, const char *sym, __u32 slot)
{
	__u8 feed;
	__u32 id;

	if (sym[0] == FZ_NYSE_SUB) /* a NYSE name: up to 11 characters */
		sym = fz_nyse_symbols[(__u8)sym[1] % FZ_NYSE_SYMBOLS];
	if (sym[0] != FZ_ID_SUB)
		return ref_subscribe(&r->ref, sym, slot) ? 0 : fsx_subscribe(&r->x, sym, slot);
	id = (__u32)fz_ids[(__u8)sym[1] % FZ_IDS];
	feed = (__u8)((__u8)sym[2] % FS_MAX_FEEDS);
	if (ref_subscribe_id(&r->ref, feed, id, slot))
		return 0;
	return fsx_subscribe_id(&r->x, FS_PROTO_MDP3, feed, id, slot);
}

static bool group_id_used(const struct ref_state *s, __u8 id)
{
	for (size_t i = 0; i < s->n_groups; i++)
		if (s->groups[i].g.id == id)
			return true;
	return false;
}

static int configure(struct fz_runner *r, struct reader *rd)
{
	unsigned int n, n_subs, i;
	char subs[8][9];
	__u32 slots[8];
	int ret;

	n = get8(rd) % (REF_MAX_GROUPS + 1);
	for (i = 0; i < n; i++) {
		__u32 addr = get32(rd);
		__u16 port = (__u16)get16(rd);
		struct fs_group g = {0};

		g.id = (__u8)get8(rd);
		g.proto = (__u8)get8(rd);
		g.feed = (__u8)get8(rd);
		/* Snapshot groups (issue 13: every frame out of band, line FS_LINE_SNAPSHOT, which
		 * libfeedsieve reads as such) are the fixture rows' business, not the reference's:
		 * never one here, and a line is A or B. */
		g.flags = (__u8)(get8(rd) & ~FS_GROUP_F_SNAPSHOT);
		g.channel = (__u8)get8(rd);
		g.line = (__u8)(get8(rd) & 1);
		/* PITCH: the units, from the feed byte (PITCH has no directory to name) */
		if (g.proto == FS_PROTO_PITCH) {
			g.unit_count = (__u8)((g.feed >> 2) % 4);
			g.unit_first = (__u8)(g.feed >> 4);
		}
		/* FS_PROTO_NONE marks a group absent from a configuration bank: not a group user
		 * space adds; nor is a second group with an id already given (commit hands every
		 * group its own id, and libfeedsieve's group table is indexed by it) */
		if (g.proto == FS_PROTO_NONE || group_id_used(&r->ref, g.id) ||
		    ref_add_group(&r->ref, addr, port, &g))
			continue;
		ret = fsx_add_group(&r->x, addr, port, &g);
		if (ret) {
			fprintf(stderr, "fuzz: fsx_add_group: %s\n", strerror(-ret));
			return ret;
		}
	}
	/* Subscriptions are applied after the directory entries, as user space would find them
	 * learned (fsx_learn() writes an entry as the program does: unmarked). */
	n_subs = get8(rd) % 9;
	for (i = 0; i < n_subs; i++) {
		get_symbol(rd, subs[i]);
		slots[i] = get16(rd);
	}
	n = get8(rd) % 9;
	for (i = 0; i < n; i++) {
		__u8 feed = (__u8)get8(rd);
		__u16 locate = (__u16)get16(rd);
		char sym[9];

		get_symbol(rd, sym);
		if (ref_learn(&r->ref, feed, locate, sym))
			continue;
		ret = fsx_learn(&r->x, feed, locate, sym);
		if (ret)
			return ret;
	}
	for (i = 0; i < n_subs; i++) {
		ret = subscribe(r, subs[i], slots[i]);
		if (ret)
			return ret;
	}
	n = get8(rd) % 4;
	if (r->xsk && (n == 1 || n == 2)) {
		ret = n == 1 ? fsx_xsk_install(r->xsk, &r->x)
			     : fsx_set_xsk(&r->x, 1, fsx_xsk_fd(r->xsk));
		if (ret)
			return ret;
		ref_set_xsk(&r->ref, n == 1 ? 0 : 1);
	}
	return 0;
}

static int run_ops(struct fz_runner *r, struct reader *rd, bool strict)
{
	int ret = 0;

	while (!ret && !r->failed && rd->off < rd->n) {
		unsigned int op;

		r->op_off = rd->off;
		op = get8(rd) % 8;
		if (op == FZ_OP_RAW) {
			size_t len = get16(rd);

			if (len > rd->n - rd->off)
				len = rd->n - rd->off;
			ret = run_frame(r, rd->p + rd->off, len, strict);
			rd->off += len;
		} else if (op == FZ_OP_SUBSCRIBE) {
			char sym[9];
			__u32 slot;

			get_symbol(rd, sym);
			slot = get16(rd);
			ret = subscribe(r, sym, slot);
		} else if (op == FZ_OP_RESEND) {
			unsigned int back = get8(rd), gi = get8(rd), ch;

			if (!r->n_recent)
				continue;
			r->scratch = r->recent[(r->next_recent + RECENT - 1 - back % r->n_recent) %
					       RECENT];
			repoint(&r->scratch);
			destination(r, gi % (unsigned int)(r->ref.n_groups + 1), &r->scratch.f, &ch);
			ret = send_built(r, &r->scratch, strict);
		} else {
			decode_frame(r, rd);
			remember(r, &r->scratch);
			ret = send_built(r, &r->scratch, strict);
		}
	}
	return ret;
}

static int run_once(struct fz_runner *r, const __u8 *data, size_t size, bool strict)
{
	struct reader rd = {.p = data, .n = size};
	int ret;

	r->failed = false;
	r->failed_proto = FS_PROTO_NONE;
	r->frame_no = 0;
	r->n_recent = r->next_recent = 0;
	memset(r->cursor, 0, sizeof(r->cursor));
	for (size_t i = 0; i <= NO_CHANNEL; i++)
		r->cursor[i] = 1;
	memset(r->session, 0, sizeof(r->session));
	ret = fsx_reset(&r->x);
	if (ret) {
		fprintf(stderr, "fuzz: fsx_reset: %s\n", strerror(-ret));
		return ret;
	}
	ref_reset(&r->ref);
	ret = configure(r, &rd);
	if (!ret)
		ret = fz_lib_sync(r->lib);
	if (!ret)
		ret = run_ops(r, &rd, strict);
	if (ret)
		return ret;
	if (!strict && !r->failed) {
		diff_begin(r);
		ret = diff_everything(r);
		if (ret)
			return ret;
		diff_end(r, "after the last frame, frames run:", NULL, 0, NULL);
	}
	return 0;
}

int fz_run(struct fz_runner *r, const __u8 *data, size_t size, bool strict)
{
	struct fz_counts keep;
	int ret = run_once(r, data, size, strict);

	if (ret)
		return ret;
	r->counts.programs++;
	if (!r->failed)
		return 0;
	r->counts.mismatches++;
	if (!strict) {
		/* find the first frame after which anything differs */
		fprintf(stderr, "fuzz: running the program again, comparing everything after "
				"every frame:\n");
		keep = r->counts;
		ret = run_once(r, data, size, true);
		r->counts = keep;
		if (ret)
			return ret;
	}
	if (r->failed_proto < FS_PROTO_COUNT)
		r->counts.proto_mismatches[r->failed_proto]++;
	return 1;
}

const struct fz_counts *fz_counts(const struct fz_runner *r)
{
	return &r->counts;
}

bool fz_runner_has_xsk(const struct fz_runner *r)
{
	return r->xsk != NULL;
}

int fz_runner_open(struct fz_runner **out, char *err, size_t errlen)
{
	struct fz_runner *r = calloc(1, sizeof(*r));
	char xerr[256];
	int ret;

	*out = NULL;
	if (!r)
		return -ENOMEM;
	r->got_groups = calloc(FS_MAX_GROUPS, sizeof(*r->got_groups));
	r->got_syms = calloc(FS_MAX_SUBS, sizeof(*r->got_syms));
	ret = r->got_groups && r->got_syms ? ref_init(&r->ref) : -ENOMEM;
	if (ret) {
		snprintf(err, errlen, "out of memory");
		free(r->got_groups);
		free(r->got_syms);
		free(r);
		return ret;
	}
	r->app_want = malloc(sizeof(*r->app_want));
	r->app_got = malloc(sizeof(*r->app_got));
	ret = r->app_want && r->app_got ? fsx_load_orders(&r->x, REF_MAX_ORDERS, err, errlen)
					: -ENOMEM;
	if (!ret) {
		ret = fz_lib_open(&r->lib, &r->x);
		if (ret) {
			snprintf(err, errlen, "libfeedsieve cannot open the harness's maps: %s",
				 strerror(-ret));
			fsx_close(&r->x);
		}
	}
	if (ret) {
		ref_free(&r->ref);
		free(r->app_want);
		free(r->app_got);
		free(r->got_groups);
		free(r->got_syms);
		free(r);
		return ret;
	}
	if (fsx_xsk_open(&r->xsk, xerr, sizeof(xerr))) {
		fprintf(stderr, "fuzz: WARNING: no AF_XDP socket (%s): programs run without one\n",
			xerr);
		r->xsk = NULL;
	}
	*out = r;
	return 0;
}

void fz_runner_close(struct fz_runner *r)
{
	if (!r)
		return;
	fsx_xsk_close(r->xsk);
	fz_lib_close(r->lib);
	fsx_close(&r->x);
	free(r->app_want);
	free(r->app_got);
	ref_free(&r->ref);
	free(r->got_groups);
	free(r->got_syms);
	free(r);
}
