// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Frames into a tap interface through /dev/net/tun. */
#include <arpa/inet.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <feedsieve/types.h>

#include "pcap.h"
#include "pkt.h"
#include "send.h"
#include "tap.h"

struct tap_tx {
	int fd;
	struct sockaddr_in src;
	struct sockaddr_in dst;
	__u16 ip_id;
	__u8 frame[PCAP_HDRS_LEN + FG_PAYLOAD_MAX];
};

static struct tap_tx *tap_tx__new(const struct sockaddr_in *group)
{
	struct tap_tx *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->fd = -1;
	t->dst = *group;
	t->src.sin_family = AF_INET;
	t->src.sin_port = htons(PCAP_SRC_PORT);
	inet_pton(AF_INET, PCAP_SRC_IP, &t->src.sin_addr);
	return t;
}

int tap_tx__open(struct tap_tx **out, const char *ifname, const struct sockaddr_in *group)
{
	/* No packet-information header: what is written is the Ethernet frame itself. */
	struct ifreq ifr = {.ifr_flags = IFF_TAP | IFF_NO_PI};
	struct tap_tx *t;
	int err;

	if (strlen(ifname) >= sizeof(ifr.ifr_name))
		return -EINVAL;
	/* TUNSETIFF would create a missing tap; feedgen writes only into one that exists. */
	if (!if_nametoindex(ifname))
		return -errno;
	strcpy(ifr.ifr_name, ifname);
	t = tap_tx__new(group);
	if (!t)
		return -ENOMEM;
	/*
	 * Non-blocking on purpose: tun runs a native XDP program on a written frame (tun_build_skb)
	 * only for non-blocking writers; a blocking write takes the generic (skb) XDP path.
	 */
	t->fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (t->fd < 0 || ioctl(t->fd, TUNSETIFF, &ifr)) {
		err = -errno;
		tap_tx__close(t);
		return err;
	}
	*out = t;
	return 0;
}

int tap_tx__peer(struct tap_tx **out, const struct tap_tx *t, const struct sockaddr_in *group)
{
	struct tap_tx *p = tap_tx__new(group);
	int err;

	if (!p)
		return -ENOMEM;
	/* The same open file: a single-queue tap takes one attachment only. */
	p->fd = fcntl(t->fd, F_DUPFD_CLOEXEC, 0);
	if (p->fd < 0) {
		err = -errno;
		tap_tx__close(p);
		return err;
	}
	*out = p;
	return 0;
}

int tap_tx__send(struct tap_tx *t, const void *payload, size_t len)
{
	unsigned int tries = 0;
	size_t flen;
	ssize_t n;
	int err;

	if (len > FG_PAYLOAD_MAX)
		return -EMSGSIZE;
	flen = pcap_build_frame(t->frame, &t->src, &t->dst, t->ip_id++, payload, len);
	for (;;) {
		n = write(t->fd, t->frame, flen);
		if (n >= 0)
			return (size_t)n == flen ? 0 : -EIO;
		err = send_busy_wait(&tries);
		if (err)
			return err;
	}
}

void tap_tx__close(struct tap_tx *t)
{
	if (!t)
		return;
	if (t->fd >= 0)
		close(t->fd);
	free(t);
}
