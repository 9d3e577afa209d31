/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The UDP multicast socket the packets leave through. */
#ifndef FEEDGEN_SEND_H
#define FEEDGEN_SEND_H

#include <netinet/in.h>
#include <stddef.h>

struct mcast_tx;

/*
 * A socket sending to GROUP out of interface IFINDEX (0: wherever the routing table says), TTL 1
 * so the feed never leaves the segment, no loopback to local listeners. -errno.
 */
int mcast_tx__open(struct mcast_tx **out, const struct sockaddr_in *group, unsigned int ifindex);

/*
 * Send one datagram. A full queue (ENOBUFS, EAGAIN) is waited out rather than dropped, because
 * the log must list exactly what went out; -errno if it stays full for about a second or on any
 * other error.
 */
int mcast_tx__send(struct mcast_tx *t, const void *buf, size_t len);

void mcast_tx__close(struct mcast_tx *t);

/*
 * After a failed send, with errno as it left it: 0 to try again (interrupted, or the queue was
 * full and a short pause has passed), -errno for any other error or a queue full for about a
 * second. TRIES counts the pauses; start it at 0.
 */
int send_busy_wait(unsigned int *tries);

#endif /* FEEDGEN_SEND_H */
