/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Line arbitration: of the copies of a sequence number (an ITCH message, an MDP3 packet) that
 * line A and line B bring, the first claims it in the channel's sequence window and the others
 * are duplicates. Claims are compare-and-swap on the window words, so both lines may be processed
 * on two CPUs at the same time. The encoding is
 * in feedsieve/seqwin.h, shared with the consumer.
 */
#ifndef FEEDSIEVE_ARBITRATE_BPF_H
#define FEEDSIEVE_ARBITRATE_BPF_H

#include "feedsieve/seqwin.h"
#include "maps.bpf.h"
#include "walk.bpf.h"

/* A frame claims at most FS_MAX_WALK sequence numbers, so touches at most this many words. */
#define FS_CLAIM_WORDS (FS_MAX_WALK / FS_SEQ_PER_WORD + 1)
_Static_assert(FS_CLAIM_WORDS <= 16, "claimed[] holds 16 words");
/* Compare-and-swap attempts per word before giving up on arbitration for it. */
#define FS_CLAIM_RETRIES 8
/* The low bit of every 2-bit state. */
#define FS_PAIR_LOW 0x55555555ULL

struct fs_claim {
	struct fs_channel_window *win;
	__u32 gen;
	__u64 claimed[16]; /* CLAIMED bits this frame set, per word (FS_CLAIM_WORDS used) */
};

static __always_inline struct fs_channel_window *channel_window(__u8 channel)
{
	__u32 key = channel;

	return bpf_map_lookup_elem(&FS_MAP_WINDOWS, &key);
}

enum arb_session_verdict {
	ARB_OTHER_SESSION = 0, /* of a session the channel has left: not arbitrated */
	ARB_SAME_SESSION,      /* of the channel's current session */
	ARB_NEW_SESSION,       /* started the channel's first session */
	ARB_SESSION_RESET,     /* started a new session over the channel's previous one */
};

/*
 * Is the frame of the channel's current session? A frame that joins whatever session the channel
 * is in (w->joins_session) is, when there is one. A different session identity starts a new
 * session (a new generation: every window word of the old one becomes stale) when the channel has
 * none yet, when its session ended, or when the frame may start one (w->may_start). Otherwise the
 * frame belongs to a session the channel has left, and is not arbitrated.
 */
static __always_inline enum arb_session_verdict
arb_session(struct fs_channel_window *win, const struct fs_walk *w, __u32 *gen)
{
	__u64 cur = win->session, next, seen, hash = w->session_hash;
	__u64 high = cur ? fs_high_seq(win->high, fs_sess_gen(cur)) : 0;

	/* The stream restarted and both lines lost the packet that named the new session. */
	if (cur && w->joins_session && w->seq < FS_RESTART_SEQ_MAX &&
	    high > w->seq + FS_SEQ_WINDOW / 2) {
		next = ((__u64)((fs_sess_gen(cur) + 1) & 0xffff) << 48) | FS_SESS_RESTARTED;
		seen = __sync_val_compare_and_swap(&win->session, cur, next);
		*gen = fs_sess_gen(seen == cur ? next : seen);
		return seen == cur ? ARB_SESSION_RESET : ARB_SAME_SESSION;
	}
	/* The named packet of such a session, late: it names the session, no new one starts. */
	if (cur && w->names_restart && (cur & FS_SESS_HASH_MASK) == FS_SESS_RESTARTED &&
	    hash != FS_SESS_RESTARTED && high < FS_SEQ_WINDOW / 2) {
		next = (cur & ~FS_SESS_HASH_MASK) | hash;
		seen = __sync_val_compare_and_swap(&win->session, cur, next);
		if (seen == cur || seen == next) {
			*gen = fs_sess_gen(cur);
			return ARB_SAME_SESSION;
		}
		cur = seen; /* the channel moved on meanwhile: judge the frame against where it is */
	}
	if (cur && (w->joins_session || (cur & FS_SESS_HASH_MASK) == w->session_hash)) {
		*gen = fs_sess_gen(cur);
		return ARB_SAME_SESSION;
	}
	if (cur && win->ended_gen != (__u64)fs_sess_gen(cur) + 1 && !w->may_start)
		return ARB_OTHER_SESSION;
	next = ((__u64)((fs_sess_gen(cur) + 1) & 0xffff) << 48) | w->session_hash;
	seen = __sync_val_compare_and_swap(&win->session, cur, next);
	if (seen == cur) {
		*gen = fs_sess_gen(next);
		return cur ? ARB_SESSION_RESET : ARB_NEW_SESSION;
	}
	/* The other line switched first: to this session, or to yet another one. */
	*gen = fs_sess_gen(seen);
	return w->joins_session || (seen & FS_SESS_HASH_MASK) == w->session_hash ? ARB_SAME_SESSION
										  : ARB_OTHER_SESSION;
}

/* Is the frame of the channel's current session (and the channel in one)? Nothing changes: for
 * frames that may never start or reset a session (re-request responses). */
static __always_inline bool arb_current_session(struct fs_channel_window *win,
						const struct fs_walk *w, __u32 *gen)
{
	__u64 cur = win->session;

	if (!cur || (cur & FS_SESS_HASH_MASK) != w->session_hash)
		return false;
	*gen = fs_sess_gen(cur);
	return true;
}

/* OR MASK16 (16 per-sequence bits, bit 0 = the frame's sequence number OFFSET) into BITS. */
static __always_inline void or_frame_bits(__u64 *bits, int offset, __u64 mask16)
{
	if (offset < 0) {
		mask16 >>= -offset;
		offset = 0;
	}
	if (offset < 64) {
		bits[0] |= mask16 << offset;
		if (offset > 48)
			bits[1] |= mask16 >> (64 - offset);
	} else if (offset < 128) {
		bits[1] |= mask16 << (offset - 64);
	}
}

/* One bit per 2-bit pair: the low bits of PAIRS packed into 16 bits. */
static __always_inline __u64 pack_pairs(__u64 pairs)
{
	__u64 x = pairs & FS_PAIR_LOW;

	x = (x | (x >> 1)) & 0x33333333ULL;
	x = (x | (x >> 2)) & 0x0f0f0f0fULL;
	x = (x | (x >> 4)) & 0x00ff00ffULL;
	x = (x | (x >> 8)) & 0x0000ffffULL;
	return x;
}

static __always_inline __u32 popcount64(__u64 x)
{
	x = x - ((x >> 1) & 0x5555555555555555ULL);
	x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
	return (__u32)((x * 0x0101010101010101ULL) >> 56);
}

struct fs_claim_ctx {
	struct fs_claim *c;
	struct fs_walk *w;
};

/* Claim our sequence numbers in window word K of the frame; a bpf_loop() step. */
static long arb_claim_word(__u32 k, void *arg)
{
	struct fs_claim_ctx *cc = arg;
	struct fs_claim *c = cc->c;
	struct fs_walk *w = cc->w;
	__u64 block = fs_seq_block(w->seq) + k, lo, want, *word;
	/* Frame indexes of the word's first sequence number and of one past its last: taken as
	 * differences, which stay right where a frame's sequence numbers wrap at 2^64 (comparing
	 * the sequence numbers themselves claimed nothing there, and dropped the frame). */
	__s64 first = (__s64)(block * FS_SEQ_PER_WORD - w->seq), end = first + FS_SEQ_PER_WORD;
	int offset = (int)first;
	__u32 tag, r, n;

	if (k >= FS_CLAIM_WORDS)
		return 1;
	if (first < 0)
		first = 0;
	if (end > w->seq_count)
		end = w->seq_count;
	if (end <= first)
		return 1;
	lo = w->seq + (__u64)first;
	n = (__u32)(end - first);
	/* CLAIMED (01) for each of our sequence numbers in this word */
	want = ((1ULL << (2 * n)) - 1) << (2 * (lo % FS_SEQ_PER_WORD));
	want &= FS_PAIR_LOW;
	tag = fs_seq_tag(c->gen, lo);
	word = &c->win->words[fs_seq_slot(lo) & (FS_SEQ_WORDS - 1)];

	for (r = 0; r < FS_CLAIM_RETRIES; r++) {
		__u64 old = *word, fresh, updated;
		__u32 old_tag = fs_word_tag(old);

		if (old_tag != tag && fs_tag_newer(old_tag, c->gen, lo)) {
			w->too_late += n; /* slid out of the window */
			return 0;
		}
		if (old_tag != tag) {
			fresh = want; /* a stale word: the window slides over it */
			updated = ((__u64)tag << 32) | want;
		} else {
			__u64 states = old & 0xffffffffULL;

			fresh = want & ~(states | (states >> 1));
			if (!fresh)
				return 0; /* all already brought by a line */
			updated = old | fresh;
		}
		if (__sync_val_compare_and_swap(word, old, updated) == old) {
			c->claimed[k & 15] = fresh;
			or_frame_bits(w->new_bits, offset, pack_pairs(fresh));
			return 0;
		}
	}
	/* Contended beyond reason: deliver rather than risk dropping a first copy. */
	or_frame_bits(w->new_bits, offset, pack_pairs(want));
	return 0;
}

/*
 * Claim sequence numbers [w->seq, w->seq + w->seq_count) for this frame: w->new_bits gets the
 * ones no line had brought. A word that cannot be swapped after FS_CLAIM_RETRIES attempts is treated as
 * new without claiming it: the consumer drops a second copy by sequence number, so delivering
 * twice is safe where dropping would not be.
 */
static __always_inline void arb_claim(struct fs_claim *c, struct fs_walk *w)
{
	struct fs_claim_ctx cc = {.c = c, .w = w};
	__u32 words = (__u32)((w->seq % FS_SEQ_PER_WORD + w->seq_count + FS_SEQ_PER_WORD - 1) /
			      FS_SEQ_PER_WORD);

	if (w->seq_count)
		bpf_loop(words < FS_CLAIM_WORDS ? words : FS_CLAIM_WORDS, arb_claim_word, &cc, 0);
	w->new_count = popcount64(w->new_bits[0]) + popcount64(w->new_bits[1]);
}

/* The claiming frame's fate is now known: CLAIMED becomes DELIVERED or FILTERED. */
static __always_inline void arb_finish(struct fs_claim *c, const struct fs_walk *w, bool delivered)
{
	__u64 first_block = fs_seq_block(w->seq);
	__u32 k;

	for (k = 0; k < FS_CLAIM_WORDS; k++) {
		__u64 *word, bits = c->claimed[k];

		if (!bits)
			continue;
		word = &c->win->words[fs_seq_slot((first_block + k) * FS_SEQ_PER_WORD) &
				      (FS_SEQ_WORDS - 1)];
		if (delivered)
			__sync_fetch_and_or(word, bits << 1); /* 01 -> 11 */
		else
			__sync_fetch_and_xor(word, bits | (bits << 1)); /* 01 -> 10 */
	}
}

/*
 * Note SEQ as the session's first sequence number when the channel has none of this generation
 * yet (tagged as the high-water mark). One compare-and-swap: when both lines race, either first
 * number will do (PITCH's order lookback only needs to know where the session's numbers begin).
 */
static __always_inline void arb_note_start(struct fs_claim *c, __u64 seq)
{
	__u64 old = c->win->start;

	if (old && (__u32)(old >> 48) == (c->gen & 0xffff))
		return;
	__sync_val_compare_and_swap(&c->win->start, old,
				    ((__u64)(c->gen & 0xffff) << 48) | (seq & FS_HIGH_SEQ_MASK));
}

/* Raise the channel's high-water mark to SEQ_END (one past the highest sequence known). */
static __always_inline void arb_raise_high(struct fs_claim *c, __u64 seq_end)
{
	__u64 want;
	__u32 r;

	/* The mark holds 48 bits: compare what it can hold, or a sequence number past 2^48 would
	 * pass the test and store its low bits, lowering the mark. */
	seq_end &= FS_HIGH_SEQ_MASK;
	want = ((__u64)(c->gen & 0xffff) << 48) | seq_end;
	for (r = 0; r < FS_CLAIM_RETRIES; r++) {
		__u64 old = c->win->high;

		if (fs_high_seq(old, c->gen) >= seq_end)
			return;
		if (__sync_val_compare_and_swap(&c->win->high, old, want) == old)
			return;
	}
}

#endif /* FEEDSIEVE_ARBITRATE_BPF_H */
