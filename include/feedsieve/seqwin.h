/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The sequence window of a channel: what the XDP program knows about each of the last
 * FS_SEQ_WINDOW message sequence numbers, shared with the consumer through an mmapped array.
 *
 * Each 64-bit word covers FS_SEQ_PER_WORD consecutive sequence numbers (one "block"): the upper
 * 32 bits tag the word with the session generation and the block number, the lower 32 bits hold
 * a 2-bit state per sequence number. The program changes words only with atomic operations, so
 * line A and line B may be processed on two CPUs at once:
 *   UNSEEN -> CLAIMED      compare-and-swap: exactly one copy of a message wins the claim
 *   CLAIMED -> DELIVERED   atomic OR, once the claiming frame is redirected to the consumer
 *   CLAIMED -> FILTERED    atomic XOR, once the claiming frame is dropped as unsubscribed
 * A word whose tag is older than the block being claimed is re-tagged (the window slides); a word
 * of an older session generation is simply stale. The consumer reads the states to tell a range
 * that was filtered on purpose (FILTERED) from one that is still on its way (CLAIMED, DELIVERED)
 * and from one that no line has brought (UNSEEN): only the last can become a gap.
 */
#ifndef FEEDSIEVE_SEQWIN_H
#define FEEDSIEVE_SEQWIN_H

#include "types.h"
#include "limits.h"

#define FS_SEQ_PER_WORD 16
#define FS_SEQ_WORDS    (FS_SEQ_WINDOW / FS_SEQ_PER_WORD)
#define FS_BLOCK_BITS   24 /* block number bits in a tag; blocks compare modulo 2^24 */
#define FS_BLOCK_MASK   ((1U << FS_BLOCK_BITS) - 1)

enum fs_seq_state {
	FS_SEQ_UNSEEN = 0,
	FS_SEQ_CLAIMED = 1,
	FS_SEQ_FILTERED = 2,
	FS_SEQ_DELIVERED = 3,
};

_Static_assert((FS_SEQ_WORDS & (FS_SEQ_WORDS - 1)) == 0, "window words must be a power of two");
_Static_assert(FS_SEQ_WINDOW >= 4096, "the reorder window is at least 4096 messages");

FS_INLINE __u64 fs_seq_block(__u64 seq)
{
	return seq / FS_SEQ_PER_WORD;
}

FS_INLINE __u32 fs_seq_slot(__u64 seq)
{
	return (__u32)(fs_seq_block(seq) % FS_SEQ_WORDS);
}

FS_INLINE __u32 fs_seq_tag(__u32 gen, __u64 seq)
{
	return ((gen & 0xff) << FS_BLOCK_BITS) | (__u32)(fs_seq_block(seq) & FS_BLOCK_MASK);
}

FS_INLINE __u32 fs_word_tag(__u64 word)
{
	return (__u32)(word >> 32);
}

/* State of SEQ in WORD (the caller has checked the word's tag matches SEQ). */
FS_INLINE enum fs_seq_state fs_word_state(__u64 word, __u64 seq)
{
	return (enum fs_seq_state)((word >> (2 * (seq % FS_SEQ_PER_WORD))) & 3);
}

/* The 2-bit field of SEQ within a word, set to STATE. */
FS_INLINE __u64 fs_state_bits(__u64 seq, enum fs_seq_state state)
{
	return (__u64)state << (2 * (seq % FS_SEQ_PER_WORD));
}

/*
 * Does a word tagged TAG hold blocks newer than SEQ's (same generation)? Then SEQ has slid out
 * of the window: it is too late to tell whether it was seen. Block numbers wrap at 2^24, so
 * "newer" is decided by the modular distance.
 */
FS_INLINE bool fs_tag_newer(__u32 tag, __u32 gen, __u64 seq)
{
	__u32 word_block = tag & FS_BLOCK_MASK;
	__u32 block = (__u32)(fs_seq_block(seq) & FS_BLOCK_MASK);

	if ((tag >> FS_BLOCK_BITS) != (gen & 0xff))
		return false;
	return word_block != block && ((word_block - block) & FS_BLOCK_MASK) < (1U << 23);
}

/* Session identity: 48 bits of hash of what names a session in its protocol (MoldUDP64: the
 * session name; MDP3: the SendingTime of the packet that restarted the sequence at 1). The upper
 * 16 bits of the channel's session word carry the generation. */
#define FS_SESS_HASH_MASK ((1ULL << 48) - 1)

FS_INLINE __u64 fs_session_hash(const __u8 *name, int len)
{
	__u64 h = 0xcbf29ce484222325ULL; /* FNV-1a */
	int i;

	for (i = 0; i < len; i++)
		h = (h ^ name[i]) * 0x100000001b3ULL;
	return h & FS_SESS_HASH_MASK;
}

/*
 * The identity of a session the program started for a stream that restarted without the packet
 * that names the new session reaching it (both lines lost MDP3's MsgSeqNum 1): a packet without
 * identity, near the start of a sequence (below FS_RESTART_SEQ_MAX) and more than half a window
 * behind the channel's high-water mark, cannot be a late copy. While such a session is young (its
 * high below half a window), the named packet that arrives late is adopted as its identity
 * instead of starting yet another session. No FNV hash of a real identity is this value but by a
 * 2^-48 chance.
 */
#define FS_SESS_RESTARTED  FS_SESS_HASH_MASK
#define FS_RESTART_SEQ_MAX (FS_SEQ_WINDOW / 4)

FS_INLINE __u32 fs_sess_gen(__u64 sess_word)
{
	return (__u32)(sess_word >> 48);
}

/* The channel's high-water mark is tagged with the generation too, so a session change needs no
 * reset that could race with the other line: a mark of another generation counts as zero. */
#define FS_HIGH_SEQ_MASK ((1ULL << 48) - 1)

FS_INLINE __u64 fs_high_seq(__u64 high_word, __u32 gen)
{
	return (__u32)(high_word >> 48) == (gen & 0xffff) ? (high_word & FS_HIGH_SEQ_MASK) : 0;
}

#endif /* FEEDSIEVE_SEQWIN_H */
