/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The message log: JSON lines of what was sent, the ground truth tests compare a receiver
 * against. This file holds what every protocol shares (the file, the symbol filter) and the
 * ITCH writer; mdp3_log.c, nyse_log.c and pitch_log.c write the other protocols' packets. ITCH: one JSON object per message, in sequence
 * order.
 * It is the ground truth tests compare a receiver against, so it is derived from the bytes of
 * each packet as sent, not from the generator's intentions:
 *   {"group":"239.1.1.1:26400","session":"FSGEN00001","seq":17,"type":"A","locate":5,"symbol":"AAPL"}
 * Session and symbol lose their padding; "symbol" is left out for locate 0. Heartbeats and the
 * end-of-session marker carry no messages and add no lines.
 */
#ifndef FEEDGEN_MSGLOG_H
#define FEEDGEN_MSGLOG_H

#include <stdbool.h>
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

/* For the protocols' writers: whether the instrument of table key KEY is to be logged. */
bool msglog__wants(const struct msglog *l, __u32 key);
const struct symtab *msglog__syms(const struct msglog *l);
/* ,"symbol":"NAME" for the first MAX (<= FS_SYMBOL_LEN) bytes of NAME up to a NUL: printable
 * ASCII, spaces kept, quote and backslash escaped; -EINVAL for other bytes. */
int msglog__put_symbol(struct msglog *l, const char *name, size_t max);
/* printf into the log; 0 or -errno. */
int msglog__printf(struct msglog *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif /* FEEDGEN_MSGLOG_H */
