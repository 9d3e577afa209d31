/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A consumer's re-request socket (requests.c): one UDP socket, its port registered in the pinned
 * fs_req_ports map so that the program takes the servers' answers to it as frames of their
 * channels, and the channels' servers as the group table names them. It is the sequencer's
 * request sink (sequencer.h). Internal.
 */
#ifndef FEEDSIEVE_REQUESTS_H
#define FEEDSIEVE_REQUESTS_H

#include "sequencer.h"

struct fsi_requests;

/* The re-request socket of QUEUE's consumer on IFACE, none yet: fsi_requests__servers() opens
 * it when a channel names a server. -ENOMEM. */
int fsi_requests__create(struct fs_iface *iface, __u32 queue, struct fsi_requests **out);
/* Deregister the port and close the socket. */
void fsi_requests__destroy(struct fsi_requests *q);
/* The channels' servers from the N groups of INFOS (fs_group__list()). While some channel names
 * one, a non-blocking UDP socket bound to port 0 and to IFACE (SO_BINDTODEVICE) has its port
 * registered for QUEUE in IFACE's fs_req_ports; once none does, they go. When they cannot be
 * had (the map full of live consumers' ports, say), it says why once and every channel is
 * sequenced as without a server; the next call tries again. */
void fsi_requests__servers(struct fsi_requests *q, const struct fs_group_info *infos, size_t n);
/* The sink the sequencer asks through (fsi_sequencer__recover()). */
void fsi_requests__sink(struct fsi_requests *q, struct fsi_request_sink *sink);
/* The UDP port requests leave from and answers come to (host order), 0: none registered. */
__u16 fsi_requests__port(const struct fsi_requests *q);
/* The socket, -1: none (for tests). */
int fsi_requests__fd(const struct fsi_requests *q);

#endif /* FEEDSIEVE_REQUESTS_H */
