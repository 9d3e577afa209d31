/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* IPv4 multicast memberships of one interface that follow a set of group addresses. Internal. */
#ifndef FEEDSIEVE_MEMBERSHIP_H
#define FEEDSIEVE_MEMBERSHIP_H

#include <linux/types.h>

struct fsi_membership;

struct fsi_membership_counters {
	__u64 joins;         /* IP_ADD_MEMBERSHIP done, repairs included */
	__u64 leaves;        /* IP_DROP_MEMBERSHIP of groups no longer configured */
	__u64 drift_repairs; /* memberships we held that the kernel had lost, joined again */
};

int fsi_membership__create(int ifindex, const char *ifname, struct fsi_membership **out);
/* Drops every membership (closing the sockets). */
void fsi_membership__destroy(struct fsi_membership *m);
/* Hold a membership of each of the N addresses of WANTED (network order, no duplicates) and of
 * nothing else, repairing memberships the kernel lost. 0, or the first join error (the other
 * addresses are still joined); the next call retries what failed. */
int fsi_membership__sync(struct fsi_membership *m, const __be32 *wanted, int n);
/* Hold, besides the synced addresses, the N addresses of WANT (network order, no duplicates)
 * and no other temporary one: joins and leaves at once (no drift repair: sync does that). 0 or
 * the first join error. */
int fsi_membership__set_extra(struct fsi_membership *m, const __be32 *want, int n);
void fsi_membership__counters(const struct fsi_membership *m, struct fsi_membership_counters *out);

#endif /* FEEDSIEVE_MEMBERSHIP_H */
