/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The MDP3 lines of the message log (format in mdp3_log.c). */
#ifndef FEEDGEN_MDP3_LOG_H
#define FEEDGEN_MDP3_LOG_H

#include <stddef.h>

#include "msglog.h"

/*
 * Log every instrument key of one MDP3 packet sent to GROUP on LINES ("A", "B", "AB" or "");
 * -EINVAL if the packet is malformed, -errno if the log cannot be written.
 */
int mdp3_log_packet(struct msglog *l, const void *payload, size_t len, const char *group,
		    const char *lines);

#endif /* FEEDGEN_MDP3_LOG_H */
