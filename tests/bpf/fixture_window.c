// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The channels' sequence windows after a row, read through the mmapped fs_windows, and the
 * consumer-only fs_chan_events, which the program must never touch.
 *
 * The expected window is built from the row's ranges with the encoding written out here from the
 * design of issue 3 (session word, tags, 2-bit states), not through the helpers of
 * feedsieve/seqwin.h, so a wrong shift or mask there cannot hide in both the program and its
 * fixtures.
 */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "fixture.h"
#include "xdp_harness.h"

#define W_PER_WORD   16 /* sequence numbers per window word */
#define W_WORDS	     (FS_SEQ_WINDOW / W_PER_WORD)
#define W_MAX_REPORT 8 /* differing words reported one by one; the rest only counted */

_Static_assert(W_WORDS == ARRAY_SIZE(((struct fs_channel_window *)0)->words),
	       "one window word per 16 sequence numbers of the window");

/* gen << 48 | the low 48 bits of the FNV-1a hash of the space-padded 10-byte session name. */
static __u64 session_word(__u16 gen, const char *name)
{
	__u8 padded[FB_SESSION_LEN];
	__u64 h = 0xcbf29ce484222325ULL;
	size_t i;

	memset(padded, ' ', sizeof(padded));
	memcpy(padded, name, strnlen(name, sizeof(padded)));
	for (i = 0; i < sizeof(padded); i++)
		h = (h ^ padded[i]) * 0x100000001b3ULL;
	return (__u64)gen << 48 | (h & ((1ULL << 48) - 1));
}

/* Upper half of a window word: the generation's low byte, then the 24-bit block number. */
/* gen << 48 | the low 48 bits of the FNV-1a hash of SendingTime as 8 little-endian bytes. */
static __u64 mdp3_session_word(__u16 gen, __u64 sending_time)
{
	__u64 h = 0xcbf29ce484222325ULL;
	int i;

	for (i = 0; i < 8; i++)
		h = (h ^ ((sending_time >> (8 * i)) & 0xff)) * 0x100000001b3ULL;
	return (__u64)gen << 48 | (h & ((1ULL << 48) - 1));
}

/* gen << 48 | the low 48 bits of the FNV-1a hash of 8 bytes (PITCH: the first message's first 8
 * bytes of the packet that restarted the unit at 1, zero padded; zeros: joined mid-stream). */
static __u64 pitch_session_word(__u16 gen, const __u8 *first8)
{
	__u64 h = 0xcbf29ce484222325ULL;
	int i;

	for (i = 0; i < 8; i++)
		h = (h ^ (first8 ? first8[i] : 0)) * 0x100000001b3ULL;
	return (__u64)gen << 48 | (h & ((1ULL << 48) - 1));
}

static __u32 word_tag(__u16 gen, __u64 seq)
{
	return (__u32)(gen & 0xff) << 24 | (__u32)((seq / W_PER_WORD) & 0xffffff);
}

static void expected_window(const struct window_spec *ws, struct fs_channel_window *want)
{
	const struct range_spec *r;
	__u64 seq;

	memset(want, 0, sizeof(*want));
	want->unit = ws->unit; /* bound, and marked, whether or not a session started */
	want->orders_full_gen = ws->orders_full_gen;
	if (!ws->gen)
		return;
	want->session = ws->restarted ? (__u64)ws->gen << 48 | ((1ULL << 48) - 1)
			: ws->mdp3    ? mdp3_session_word(ws->gen, ws->sending_time)
			: ws->pitch   ? pitch_session_word(ws->gen, ws->first8)
				      : session_word(ws->gen, ws->session ? ws->session : FB_SESSION);
	want->high = ws->high ? (__u64)ws->gen << 48 | ws->high : 0;
	want->ended_gen = ws->ended_gen;

	for (r = ws->ranges; r < ws->ranges + ROW_RANGES && r->state != FS_SEQ_UNSEEN; r++) {
		for (seq = r->first; seq <= r->last; seq++) {
			__u64 *w = &want->words[(seq / W_PER_WORD) % W_WORDS];
			__u64 tag = word_tag(r->gen ? r->gen : ws->gen, seq);
			unsigned int shift = 2 * (seq % W_PER_WORD);

			if (*w >> 32 != tag) /* the window slides over the word */
				*w = tag << 32;
			*w = (*w & ~(3ULL << shift)) | (__u64)r->state << shift;
		}
	}
}

/* "gen G block B [....CCFFDD......]": one letter per sequence number, lowest first. */
static void describe_word(__u64 w, char *out, size_t len)
{
	static const char letter[] = {'.', 'C', 'F', 'D'};
	char states[W_PER_WORD + 1];
	int i;

	for (i = 0; i < W_PER_WORD; i++)
		states[i] = letter[(w >> (2 * i)) & 3];
	states[W_PER_WORD] = '\0';
	snprintf(out, len, "gen %u block %u [%s]", (unsigned int)(w >> 56),
		 (unsigned int)(w >> 32) & 0xffffff, states);
}

static void check_words(const struct fs_channel_window *got, const struct fs_channel_window *want,
			const char *tag, unsigned int ch)
{
	char g[64], w[64];
	unsigned int k, bad = 0;

	for (k = 0; k < W_WORDS; k++) {
		if (got->words[k] == want->words[k])
			continue;
		if (++bad > W_MAX_REPORT)
			continue;
		describe_word(got->words[k], g, sizeof(g));
		describe_word(want->words[k], w, sizeof(w));
		cr_expect_fail("%s: fs_windows[%u].words[%u] = %s, expected %s", tag, ch, k, g, w);
	}
	cr_expect(bad <= W_MAX_REPORT, "%s: fs_windows[%u]: %u window words differ in all", tag, ch,
		  bad);
}

static void check_window(const struct fsx *x, const struct row *r, const char *tag, __u64 t0,
			 __u64 t1)
{
	static struct fs_channel_window want;
	unsigned int ch = r->groups[r->win.group].g.channel + r->win.chan_off;
	const struct fs_channel_window *got = &x->windows[ch];

	expected_window(&r->win, &want);
	cr_expect_eq(got->session, want.session,
		     "%s: fs_windows[%u].session = 0x%016llx (gen %u), expected 0x%016llx (gen %u)",
		     tag, ch, (unsigned long long)got->session, (unsigned int)(got->session >> 48),
		     (unsigned long long)want.session, (unsigned int)(want.session >> 48));
	cr_expect_eq(
	    got->high, want.high,
	    "%s: fs_windows[%u].high = gen %u seq %llu, expected gen %u seq %llu", tag, ch,
	    (unsigned int)(got->high >> 48), (unsigned long long)(got->high & ((1ULL << 48) - 1)),
	    (unsigned int)(want.high >> 48), (unsigned long long)(want.high & ((1ULL << 48) - 1)));
	cr_expect(got->unit == want.unit && got->orders_full_gen == want.orders_full_gen,
		  "%s: fs_windows[%u].unit = %llu, orders_full_gen = %llu, expected %llu, %llu", tag,
		  ch, (unsigned long long)got->unit, (unsigned long long)got->orders_full_gen,
		  (unsigned long long)want.unit, (unsigned long long)want.orders_full_gen);
	cr_expect_eq(got->ended_gen, want.ended_gen,
		     "%s: fs_windows[%u].ended_gen = %llu, expected %llu", tag, ch,
		     (unsigned long long)got->ended_gen, (unsigned long long)want.ended_gen);
	if (r->win.gen)
		cr_expect(got->last_rx_ns >= t0 && got->last_rx_ns <= t1,
			  "%s: fs_windows[%u].last_rx_ns %llu outside the row [%llu, %llu]", tag,
			  ch, (unsigned long long)got->last_rx_ns, (unsigned long long)t0,
			  (unsigned long long)t1);
	else
		cr_expect_eq(got->last_rx_ns, 0,
			     "%s: fs_windows[%u].last_rx_ns = %llu without a session", tag, ch,
			     (unsigned long long)got->last_rx_ns);
	check_words(got, &want, tag, ch);
}

void check_windows(const struct fsx *x, const struct row *r, const char *tag, __u64 t0, __u64 t1)
{
	static const struct fs_channel_window zero_win;
	static const struct fs_chan_events zero_ev;
	bool used[FS_MAX_CHANNELS] = {0};
	unsigned int ch;
	size_t i;

	for (i = 0; i < ROW_GROUPS; i++) {
		const struct fs_group *g = &r->groups[i].g;
		unsigned int k;

		if (!r->groups[i].addr)
			continue;
		used[g->channel] = true;
		for (k = 1; k < g->unit_count && g->channel + k < FS_MAX_CHANNELS; k++)
			used[g->channel + k] = true; /* the channels of its units */
	}
	for (ch = 0; ch < FS_MAX_CHANNELS; ch++) {
		cr_expect(used[ch] || !memcmp(&x->windows[ch], &zero_win, sizeof(zero_win)),
			  "%s: fs_windows[%u] changed, no group of the row is in that channel", tag,
			  ch);
		cr_expect(!memcmp(&x->chan_events[ch], &zero_ev, sizeof(zero_ev)),
			  "%s: fs_chan_events[%u] changed: only consumers write it", tag, ch);
	}
	if (r->win.check)
		check_window(x, r, tag, t0, t1);
}
