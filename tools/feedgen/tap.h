/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The packets as Ethernet frames written into a tap interface: the kernel receives each frame
 * on the tap as if it came from a wire, so an XDP program attached to the tap runs on it. This
 * tests a second driver (tun/tap) where a veth needs no help.
 */
#ifndef FEEDGEN_TAP_H
#define FEEDGEN_TAP_H

#include <netinet/in.h>
#include <stddef.h>

struct tap_tx;

/*
 * Attach to the existing tap IFNAME (of this network namespace; 'ip tuntap add mode tap'), for
 * frames to GROUP from the pcap's documentation source address. -errno; -EBUSY if another
 * process holds the tap.
 */
int tap_tx__open(struct tap_tx **out, const char *ifname, const struct sockaddr_in *group);

/* A second writer into the same tap, for frames to GROUP (line B); -errno. */
int tap_tx__peer(struct tap_tx **out, const struct tap_tx *t, const struct sockaddr_in *group);

/* Write one frame carrying PAYLOAD as UDP to the group; -errno. */
int tap_tx__send(struct tap_tx *t, const void *payload, size_t len);

void tap_tx__close(struct tap_tx *t);

#endif /* FEEDGEN_TAP_H */
