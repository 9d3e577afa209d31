// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Multicast memberships that follow the configured groups. NICs and IGMP-snooping switches
 * deliver a group only to hosts that joined it. The kernel keeps memberships per socket, at most
 * net.ipv4.igmp_max_memberships of them (20 by default), so groups are spread over as many
 * sockets as they need. Every sync also reads the interface's memberships as the kernel has them
 * (/proc/net/igmp) and joins again any it lost while we still held it.
 *
 * Two sets are followed: the configured groups (sync), and groups held only for a while
 * (set_extra: an MDP3 channel's snapshot group, joined while an instrument waits for its
 * snapshot). A membership is held while either set has its address.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "internal.h"
#include "log.h"
#include "membership.h"

#define MAX_PER_SOCKET_PATH    "/proc/sys/net/ipv4/igmp_max_memberships"
#define DEFAULT_MAX_PER_SOCKET 20
/* One membership per socket is the worst case, so this many sockets always suffice. */
#define MAX_SOCKETS FS_MAX_GROUPS

struct held {
	__be32 addr;
	int sock; /* index into fds */
};

struct fsi_membership {
	int ifindex;
	char ifname[IF_NAMESIZE];
	int per_socket;
	int fds[MAX_SOCKETS];
	int used[MAX_SOCKETS]; /* memberships held on each socket */
	bool full[MAX_SOCKETS]; /* refused a join with ENOBUFS (the limit was lowered) */
	int nsocks;
	struct held held[FS_MAX_GROUPS];
	int nheld;
	__be32 base[FS_MAX_GROUPS];  /* the last sync's addresses */
	__be32 extra[FS_MAX_GROUPS]; /* held for a while (set_extra) */
	int nbase, nextra;
	struct fsi_membership_counters cnt;
};

static int read_per_socket(void)
{
	long v;

	if (fsi_read_long_file(MAX_PER_SOCKET_PATH, &v) || v <= 0 || v > FS_MAX_GROUPS)
		return DEFAULT_MAX_PER_SOCKET;
	return (int)v;
}

int fsi_membership__create(int ifindex, const char *ifname, struct fsi_membership **out)
{
	struct fsi_membership *m = calloc(1, sizeof(*m));

	if (!m)
		return -ENOMEM;
	m->ifindex = ifindex;
	snprintf(m->ifname, sizeof(m->ifname), "%s", ifname);
	m->per_socket = read_per_socket();
	*out = m;
	return 0;
}

void fsi_membership__destroy(struct fsi_membership *m)
{
	int i;

	if (!m)
		return;
	for (i = 0; i < m->nsocks; i++)
		close(m->fds[i]); /* the kernel drops the socket's memberships */
	free(m);
}

void fsi_membership__counters(const struct fsi_membership *m, struct fsi_membership_counters *out)
{
	*out = m->cnt;
}

static int setmember(struct fsi_membership *m, int sock, __be32 addr, int optname)
{
	struct ip_mreqn mreq = {.imr_multiaddr.s_addr = addr, .imr_ifindex = m->ifindex};

	if (setsockopt(m->fds[sock], IPPROTO_IP, optname, &mreq, sizeof(mreq)))
		return -errno;
	return 0;
}

/* A socket with room for one more membership, opened when none has. */
static int socket_with_room(struct fsi_membership *m)
{
	int i;

	for (i = 0; i < m->nsocks; i++)
		if (!m->full[i] && m->used[i] < m->per_socket)
			return i;
	if (m->nsocks == MAX_SOCKETS)
		return -ENOBUFS;
	m->fds[m->nsocks] = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (m->fds[m->nsocks] < 0)
		return -errno;
	m->used[m->nsocks] = 0;
	m->full[m->nsocks] = false;
	return m->nsocks++;
}

static int join(struct fsi_membership *m, __be32 addr)
{
	for (;;) {
		int sock = socket_with_room(m), err;

		if (sock < 0)
			return sock;
		err = setmember(m, sock, addr, IP_ADD_MEMBERSHIP);
		if (err == -ENOBUFS) {
			m->full[sock] = true; /* the limit is lower than we read: next socket */
			continue;
		}
		if (err && err != -EADDRINUSE)
			return err;
		m->used[sock]++;
		m->held[m->nheld].addr = addr;
		m->held[m->nheld++].sock = sock;
		m->cnt.joins++;
		return 0;
	}
}

/* Drop held[I], whether or not the kernel still had it. */
static void drop(struct fsi_membership *m, int i)
{
	int sock = m->held[i].sock;

	setmember(m, sock, m->held[i].addr, IP_DROP_MEMBERSHIP);
	m->used[sock]--;
	m->full[sock] = false;
	m->held[i] = m->held[--m->nheld];
}

static bool contains(const __be32 *set, int n, __be32 addr)
{
	int i;

	for (i = 0; i < n; i++)
		if (set[i] == addr)
			return true;
	return false;
}

/*
 * Mark in FOUND which held addresses the kernel has on our interface. /proc/net/igmp has a line
 * per device ("IDX\tNAME : COUNT QUERIER") followed by a tab-indented line per group whose first
 * field is the group as the kernel's __be32 printed with %08X: the number read back with %x is
 * the same __be32, on either byte order (239.1.2.3 shows as 030201EF on little-endian).
 */
static int kernel_memberships(const struct fsi_membership *m, bool *found)
{
	FILE *f = fopen("/proc/net/igmp", "re");
	char line[256];
	int dev = -1, i;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		unsigned long group;
		char *end;

		if (line[0] >= '0' && line[0] <= '9') {
			dev = (int)strtol(line, &end, 10);
			continue;
		}
		if (line[0] != '\t' || dev != m->ifindex)
			continue;
		group = strtoul(line + 1, &end, 16);
		if (end == line + 1 || group > 0xffffffffUL)
			continue;
		for (i = 0; i < m->nheld; i++)
			if (m->held[i].addr == (__be32)group)
				found[i] = true;
	}
	fclose(f);
	return 0;
}

static void repair_drift(struct fsi_membership *m)
{
	bool found[FS_MAX_GROUPS] = {};
	int i;

	if (kernel_memberships(m, found))
		return; /* no /proc: nothing to compare with */
	/* Backwards: drop() moves the last entry into the freed slot. */
	for (i = m->nheld - 1; i >= 0; i--) {
		char text[INET_ADDRSTRLEN];
		__be32 addr = m->held[i].addr;

		if (found[i])
			continue;
		inet_ntop(AF_INET, &addr, text, sizeof(text));
		pr_warn("%s: the kernel lost our membership of %s: joining it again\n", m->ifname,
			text);
		drop(m, i); /* clears the socket's own record, if it still has one */
		if (!join(m, addr))
			m->cnt.drift_repairs++;
	}
}

static bool wanted(const struct fsi_membership *m, __be32 addr)
{
	return contains(m->base, m->nbase, addr) || contains(m->extra, m->nextra, addr);
}

/* Join what either set has and we do not hold. */
static int join_missing(struct fsi_membership *m, const __be32 *want, int n)
{
	int i, err, first_err = 0;

	for (i = 0; i < n; i++) {
		int j;

		for (j = 0; j < m->nheld && m->held[j].addr != want[i]; j++)
			;
		if (j < m->nheld)
			continue;
		err = join(m, want[i]);
		if (err) {
			char text[INET_ADDRSTRLEN];

			inet_ntop(AF_INET, &want[i], text, sizeof(text));
			pr_warn("%s: cannot join %s: %s\n", m->ifname, text, strerror(-err));
			first_err = first_err ?: err;
		}
	}
	return first_err;
}

/* Leave what neither set has, then join what is missing. */
static int apply(struct fsi_membership *m, bool repair)
{
	int i, err;

	for (i = m->nheld - 1; i >= 0; i--) {
		if (!wanted(m, m->held[i].addr)) {
			drop(m, i);
			m->cnt.leaves++;
		}
	}
	if (repair)
		repair_drift(m);
	err = join_missing(m, m->base, m->nbase);
	return join_missing(m, m->extra, m->nextra) ?: err;
}

/* One of the two sets becomes WANT (N addresses); REPAIR: also repair drift. */
static int set_and_apply(struct fsi_membership *m, __be32 *set, int *nset, const __be32 *want,
			 int n, bool repair)
{
	if (n > FS_MAX_GROUPS)
		return -EINVAL;
	memcpy(set, want, (size_t)n * sizeof(*want));
	*nset = n;
	return apply(m, repair);
}

int fsi_membership__sync(struct fsi_membership *m, const __be32 *want, int n)
{
	return set_and_apply(m, m->base, &m->nbase, want, n, true);
}

int fsi_membership__set_extra(struct fsi_membership *m, const __be32 *want, int n)
{
	return set_and_apply(m, m->extra, &m->nextra, want, n, false);
}
