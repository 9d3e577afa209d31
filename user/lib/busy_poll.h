/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The busy-poll socket options, for libc headers older than them (asm-generic/socket.h values).
 * Shared by the consumer and the benchmarks' plain-socket receiver. */
#ifndef FEEDSIEVE_BUSY_POLL_H
#define FEEDSIEVE_BUSY_POLL_H

#include <sys/socket.h>

#ifndef SO_BUSY_POLL
#define SO_BUSY_POLL 46
#endif
#ifndef SO_PREFER_BUSY_POLL
#define SO_PREFER_BUSY_POLL 69
#endif
#ifndef SO_BUSY_POLL_BUDGET
#define SO_BUSY_POLL_BUDGET 70
#endif

#endif /* FEEDSIEVE_BUSY_POLL_H */
