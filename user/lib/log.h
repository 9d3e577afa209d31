/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Internal logging of libfeedsieve; routed to the function installed with fs_set_print(). */
#ifndef FEEDSIEVE_LOG_H
#define FEEDSIEVE_LOG_H

#include "feedsieve.h"

void fsi_log(enum fs_print_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define pr_warn(fmt, ...)  fsi_log(FS_WARN, "feedsieve: " fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...)  fsi_log(FS_INFO, "feedsieve: " fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...) fsi_log(FS_DEBUG, "feedsieve: " fmt, ##__VA_ARGS__)

#endif /* FEEDSIEVE_LOG_H */
