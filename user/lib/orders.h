/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The consumer's own PITCH order map: Order ID -> {symbol, remaining} per channel, built from the
 * Add Orders it hands over, so that the messages naming only an Order ID get their symbol (the
 * program's fs_orders answers "is it subscribed", not "which symbol" to user space). One per
 * consumer (one thread); bounded by FS_MAX_ORDERS entries: past that, new orders are not
 * remembered and their later messages come without symbol. Internal.
 */
#ifndef FEEDSIEVE_ORDERS_H
#define FEEDSIEVE_ORDERS_H

#include "internal.h"

struct fsi_orders;

int fsi_orders__create(struct fsi_orders **out);
void fsi_orders__destroy(struct fsi_orders *m); /* NULL is a no-op */
/* A frame naming session HASH arrived on CHANNEL: when that is not the channel's session, a new
 * one starts and the orders so far count as absent (as the program's generation check makes
 * them). Idempotent: the same frame seen twice starts nothing more. */
void fsi_orders__session(struct fsi_orders *m, __u8 channel, __u64 hash);
/* Remember order ID of CHANNEL (replacing one of the same id). -ENOSPC when full, -ENOMEM. */
int fsi_orders__add(struct fsi_orders *m, __u8 channel, __u64 id, const struct fs_symbol *sym,
		    __u32 remaining);
/* The symbol of order ID of CHANNEL, false when not remembered. */
bool fsi_orders__find(const struct fsi_orders *m, __u8 channel, __u64 id, struct fs_symbol *sym);
/* Set its remaining quantity (SET) or take BY off it (saturating); at 0 it is forgotten.
 * Nothing happens for an order not remembered. */
void fsi_orders__set(struct fsi_orders *m, __u8 channel, __u64 id, __u32 remaining);
void fsi_orders__reduce(struct fsi_orders *m, __u8 channel, __u64 id, __u32 by);
void fsi_orders__remove(struct fsi_orders *m, __u8 channel, __u64 id);
/* Orders remembered (of current sessions or not). */
size_t fsi_orders__count(const struct fsi_orders *m);

#endif /* FEEDSIEVE_ORDERS_H */
