/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What the frame iterator needs from the consumer. Internal. */
#ifndef FEEDSIEVE_CONSUMER_H
#define FEEDSIEVE_CONSUMER_H

#include "internal.h"

/* Does the group of F deliver all symbols? (Decided from the consumer's group table.) */
bool fs_consumer__group_all_symbols(const struct fs_consumer *c, const struct fs_frame *f);

#endif /* FEEDSIEVE_CONSUMER_H */
