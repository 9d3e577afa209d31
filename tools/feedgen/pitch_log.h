/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The PITCH lines of the message log (format in pitch_log.c). */
#ifndef FEEDGEN_PITCH_LOG_H
#define FEEDGEN_PITCH_LOG_H

#include <stddef.h>
#include <linux/types.h>

#include "msglog.h"

/* What the generator knows of a message that the bytes do not say. */
enum pitch_note_order {
	PITCH_NOTE_NONE = 0, /* names no order on the book (trade, status, time, clear) */
	PITCH_NOTE_OPEN,     /* the order it adds or names is still open after it */
	PITCH_NOTE_CLOSED,   /* it took the order off the book (full execution, reduce, delete) */
};

struct pitch_note {
	__u32 key;   /* the symbol's table key, 0: no symbol */
	__u8 order; /* enum pitch_note_order */
};

/*
 * Log every message of one PITCH Sequenced Unit sent to GROUP on LINES ("A", "B", "AB" or ""),
 * NOTES[i] describing message i, or one line for a unit without messages; -EINVAL if the packet
 * is malformed or a note disagrees with it, -errno if the log cannot be written.
 */
int pitch_log_packet(struct msglog *l, const void *payload, size_t len,
		     const struct pitch_note *notes, const char *group, const char *lines);

#endif /* FEEDGEN_PITCH_LOG_H */
