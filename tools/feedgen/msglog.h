/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The message log: one JSON object per ITCH message sent, one per line, in sequence order.
 * It is the ground truth tests compare a receiver against, so it is derived from the bytes of
 * each packet as sent, not from the generator's intentions:
 *   {"group":"239.1.1.1:26400","session":"FSGEN00001","seq":17,"type":"A","locate":5,"symbol":"AAPL"}
 * Session and symbol lose their padding; "symbol" is left out for locate 0. Heartbeats and the
 * end-of-session marker carry no messages and add no lines.
 */
#ifndef FEEDGEN_MSGLOG_H
#define FEEDGEN_MSGLOG_H

#include <stddef.h>

#include "symbols.h"

struct msglog;

/* Create PATH; GROUP is written as given ("ADDR:PORT"), SYMS names the locates. -errno. */
int msglog__open(struct msglog **out, const char *path, const char *group,
		 const struct symtab *syms);

/* Log every message of one MoldUDP64 packet; -EINVAL if the packet is malformed. */
int msglog__write_packet(struct msglog *l, const void *payload, size_t len);

/* Flush and close; -errno if anything written was lost. Frees L in every case. */
int msglog__close(struct msglog *l);
/* Log only the messages of the comma-separated symbols in LIST; -ENOENT: unknown symbol. */
int msglog__only_symbols(struct msglog *l, const char *list);

#endif /* FEEDGEN_MSGLOG_H */
