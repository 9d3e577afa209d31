/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The NYSE XDP lines of the message log (format in nyse_log.c). */
#ifndef FEEDGEN_NYSE_LOG_H
#define FEEDGEN_NYSE_LOG_H

#include <stddef.h>

#include "msglog.h"

/*
 * Log every message of one NYSE XDP packet sent to GROUP on LINES ("A", "B", "AB" or ""), or one
 * line for a packet without messages; -EINVAL if the packet is malformed, -errno if the log
 * cannot be written.
 */
int nyse_log_packet(struct msglog *l, const void *payload, size_t len, const char *group,
		    const char *lines);

#endif /* FEEDGEN_NYSE_LOG_H */
