/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What the reference model's per-protocol files (reference_nyse.c, reference_pitch.c) share with
 * reference.c: the
 * generic parts of the program's decision, written once. Not for the runner: it sees the model
 * through reference.h only.
 */
#ifndef FEEDSIEVE_TESTS_FUZZ_REFERENCE_INT_H
#define FEEDSIEVE_TESTS_FUZZ_REFERENCE_INT_H

#include "reference.h"

#define WINDOW	    65536ULL /* FS_SEQ_WINDOW: messages remembered, and the session-start bound */
#define RESTARTED   ((1ULL << 48) - 1) /* identity of a session started without its named packet */
#define RESTART_MAX (WINDOW / 4)

enum claim { C_NEW, C_DUPLICATE, C_TOO_LATE };

unsigned int ref_le16(const __u8 *p);
__u32 ref_le32(const __u8 *p);
/* The low 48 bits of the FNV-1a hash of LEN bytes: a session's identity. */
__u64 ref_session_hash(const __u8 *name, int len);
/* The session of a packet that names one (NAMED, by the 8 bytes NAME8) or joins the channel's;
 * a new session counts as a reset, also a restart found without the named packet. */
void ref_join_session(struct ref_channel *c, bool named, __u64 seq, const __u8 *name8,
		      struct fs_counters *d);
void ref_raise_high(struct ref_channel *c, __u64 seq_end);
/* A heartbeat of sequence number SEQ (the REFERENCE_MUTANT self-test's mistake is made here). */
void ref_raise_heartbeat(struct ref_channel *c, __u64 seq);
/* A heartbeat packet without messages: the mark raised to SEQ, counted and delivered. */
void ref_heartbeat(struct ref_state *s, const struct ref_group *g, struct ref_channel *c,
		   __u64 seq, __u8 flags, struct fs_counters *d, struct ref_result *r);
/* Claim SEQ in the channel's window; once the frame is decided, finish it. */
enum claim ref_claim_one(struct ref_channel *c, __u64 seq);
void ref_finish_one(struct ref_channel *c, __u64 seq, bool delivered);
/* Is SEQ of the channel's current generation settled: brought, and its frame decided? */
bool ref_settled(const struct ref_channel *c, __u64 seq);
/* The frame is delivered: metadata of WALKED keys with FLAGS, to the socket or the kernel. */
void ref_deliver(struct ref_state *s, const struct ref_group *g, unsigned int walked, __u8 flags,
		 struct fs_counters *d, struct ref_result *r);
/* A malformed frame of WALKED whole keys: flagged and delivered, or dropped. */
void ref_malformed(struct ref_state *s, const struct ref_group *g, unsigned int walked, __u8 flags,
		   struct fs_counters *d, struct ref_result *r);
/* Message-sequenced frames: claim [SEQ, SEQ + WALKED) (FRESH[i]: new), raise the mark to
 * SEQ + COUNT; false when the frame was a duplicate (decided). After the match (MATCHED wanted,
 * bits in R), settle them: delivered or filtered. */
bool ref_claim_messages(struct ref_channel *c, __u64 seq, unsigned int walked, __u64 count,
			bool overflow, bool *fresh, struct fs_counters *d, struct ref_result *r);
void ref_settle_messages(struct ref_state *s, const struct ref_group *g, struct ref_channel *c,
			 const bool *fresh, unsigned int matched, bool overflow, __u8 flags,
			 struct fs_counters *d, struct ref_result *r);
/* An out-of-band frame (never claimed) of WALKED messages, MATCHED of them wanted: delivered
 * flagged or filtered. */
void ref_settle_out_of_band(struct ref_state *s, const struct ref_group *g, unsigned int walked,
			    unsigned int matched, bool overflow, __u8 flags, struct fs_counters *d,
			    struct ref_result *r);
/* A symbol field of LEN bytes in its canonical form (feedsieve/symbol.h). */
void ref_wire_symbol(struct fs_symbol *sym, const __u8 *src, int len);
/* The id-keyed directory: learn that ID of PROTO and FEED is NAME; is key ID of group G wanted? */
void ref_learn_id(struct ref_state *s, __u8 proto, __u8 feed, __u32 id,
		  const struct fs_symbol *name, struct fs_counters *d);
bool ref_wanted_id(struct ref_state *s, const struct fs_group *g, __u8 proto, __u32 id);
/* The id-keyed directory's entry of ID, NULL when none. */
struct ref_id *ref_find_id(struct ref_state *s, __u8 proto, __u8 feed, __u32 id);
/* The group a delivered frame went to (NULL, OUT malformed: none, or not UDP), its UDP payload
 * [*PAYLOAD, *END); clears OUT's header fields. */
const struct ref_group *ref_app_group(const struct ref_state *s, const __u8 *f, size_t len,
				      struct ref_app *out, size_t *payload, size_t *end);
/* Is key K of a delivered frame to group G handed over, as far as the metadata M (NULL: none)
 * and the group say: 1 or 0, or -1 when user space decides by the protocol's rules (the program
 * did not examine it, the group does not take everything, and it has a feed to look up in). */
int ref_app_decided(const struct ref_group *g, const struct fs_xdp_meta *m, unsigned int k);
/* The subscription of a symbol (NULL: none); is a key whose entry carries MARK wanted? */
const struct ref_sub *ref_find_sub(const struct ref_state *s, const struct fs_symbol *sym);
bool ref_want_mark(struct ref_state *s, const struct fs_group *g, __u32 mark);

/* reference_nyse.c: a UDP frame (payload [PAYLOAD, END) of F) to NYSE XDP group G. */
void ref_nyse_group_frame(struct ref_state *s, const struct ref_group *g, const __u8 *f,
			  size_t payload, size_t end, __u8 flags, struct fs_counters *d,
			  struct ref_result *r);
/* reference_pitch.c: the same for a Cboe PITCH group (its units, sessions and order map). */
void ref_pitch_group_frame(struct ref_state *s, const struct ref_group *g, const __u8 *f,
			   size_t payload, size_t end, __u8 flags, struct fs_counters *d,
			   struct ref_result *r);

#endif /* FEEDSIEVE_TESTS_FUZZ_REFERENCE_INT_H */
