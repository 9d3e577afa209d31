// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* UDP multicast sender. */
#include <sys/socket.h>
#include <netinet/in.h>
#include <errno.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "send.h"

/* Pause between attempts while the queue is full, and how many before giving up (~1 s). */
#define SEND_RETRY_PAUSE_NS 20000
#define SEND_RETRY_MAX	    50000

struct mcast_tx {
	int fd;
	struct sockaddr_in dst;
};

static int set_int_opt(int fd, int level, int name, int val)
{
	if (setsockopt(fd, level, name, &val, sizeof(val)))
		return -errno;
	return 0;
}

int mcast_tx__open(struct mcast_tx **out, const struct sockaddr_in *group, unsigned int ifindex)
{
	struct mcast_tx *t;
	int err;

	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->dst = *group;
	t->fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (t->fd < 0) {
		err = -errno;
		free(t);
		return err;
	}
	if (ifindex) {
		struct ip_mreqn mr = {.imr_ifindex = (int)ifindex};

		if (setsockopt(t->fd, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof(mr))) {
			err = -errno;
			goto err_close;
		}
	}
	err = set_int_opt(t->fd, IPPROTO_IP, IP_MULTICAST_TTL, 1);
	if (err)
		goto err_close;
	err = set_int_opt(t->fd, IPPROTO_IP, IP_MULTICAST_LOOP, 0);
	if (err)
		goto err_close;
	*out = t;
	return 0;

err_close:
	close(t->fd);
	free(t);
	return err;
}

int send_busy_wait(unsigned int *tries)
{
	const struct timespec pause = {.tv_nsec = SEND_RETRY_PAUSE_NS};

	if (errno == EINTR)
		return 0;
	if ((errno != ENOBUFS && errno != EAGAIN) || ++*tries > SEND_RETRY_MAX)
		return -errno;
	/* An interrupted pause is only a shorter pause. */
	if (nanosleep(&pause, NULL) && errno != EINTR)
		return -errno;
	return 0;
}

int mcast_tx__send(struct mcast_tx *t, const void *buf, size_t len)
{
	unsigned int tries = 0;
	ssize_t n;
	int err;

	for (;;) {
		n = sendto(t->fd, buf, len, 0, (const struct sockaddr *)&t->dst, sizeof(t->dst));
		if (n >= 0)
			return (size_t)n == len ? 0 : -EIO;
		err = send_busy_wait(&tries);
		if (err)
			return err;
	}
}

void mcast_tx__close(struct mcast_tx *t)
{
	if (!t)
		return;
	/* Nothing is buffered on a UDP socket, so a failing close loses nothing. */
	close(t->fd);
	free(t);
}
