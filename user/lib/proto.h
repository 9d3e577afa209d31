/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The protocol seam of the data path: what frame.c (generic: envelope, metadata, group table)
 * asks of each protocol's decoder (proto_itch.c, proto_mdp3.c), and what the decoders share
 * from frame.c to decide what the program did not. Internal.
 */
#ifndef FEEDSIEVE_PROTO_H
#define FEEDSIEVE_PROTO_H

#include "frame.h"

struct fsi_proto_ops {
	/* Read F's protocol header and validate its messages: F has data, len, payload_off_ (the
	 * UDP payload) and payload_end_ set, its metadata fields too. Sets seq, seq_count, kind,
	 * the session fields, malformed, and moves payload_off_ to the first message. */
	void (*decode)(struct fs_frame *f);
	/* The next delivered message of a well-formed frame of this protocol. */
	bool (*next)(struct fs_msg_iter *it, struct fs_msg *msg);
	/* The next subscribed instrument of MSG; NULL: the protocol has no entries. */
	bool (*next_entry)(struct fs_entry_iter *it, struct fs_entry *entry);
	/* MSG was handed over to the application (once, in sequence order): what the consumer
	 * learns from it (PITCH: its order map). NULL: nothing. */
	void (*handed)(const struct fs_msg *msg);
	/* A re-request for [FROM, FROM + COUNT) of the session named SESSION (LEN bytes, as in
	 * fs_frame.session), as the channel's server takes it, into BUF of SIZE bytes: its length,
	 * or -EINVAL (a count or session the protocol cannot say), -ENOSPC. NULL: the protocol's
	 * re-request service is not covered (no recovery on its channels). */
	int (*encode_request)(__u8 *buf, size_t size, const char *session, __u8 len, __u64 from,
			      __u32 count);
};

extern const struct fsi_proto_ops fsi_proto_itch;
extern const struct fsi_proto_ops fsi_proto_mdp3;
extern const struct fsi_proto_ops fsi_proto_nyse;
extern const struct fsi_proto_ops fsi_proto_pitch;

/* The decoder of PROTO, NULL for one not known. */
const struct fsi_proto_ops *fsi_proto_ops(enum fs_proto proto);

/* Is instrument key KEY (its index in the frame, counted in wire order) of F wanted? The
 * program's answer when it examined the key, else DECIDE's (user space, below); true when
 * neither can say (hand over rather than lose). */
enum fsi_want {
	FSI_WANT_NO = 0,
	FSI_WANT_YES,
	FSI_WANT_UNDECIDED, /* the program did not examine it: user space decides */
};
enum fsi_want fsi_frame__program_wants(const struct fs_frame *f, __u32 key);
/* Does F's group take every message (metadata flag, or the group table without metadata)? */
bool fsi_frame__all_symbols(const struct fs_frame *f);
/* Key KEY of F as far as the program and the group table say: FSI_WANT_UNDECIDED only when the
 * program did not examine it, the group does not take everything, and there is a table (group
 * known, feed known) for the protocol to look the key up in; without one, FSI_WANT_YES. */
enum fsi_want fsi_frame__wants(const struct fs_frame *f, __u32 key);
/* A key of F the program left to user space: FSI_WANT_UNDECIDED when there is a table to decide
 * with, else FSI_WANT_YES (as fsi_frame__wants() for a key the program did not examine). */
enum fsi_want fsi_frame__user_decides(const struct fs_frame *f);

#endif /* FEEDSIEVE_PROTO_H */
