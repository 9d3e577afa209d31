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

/* A non-blocking UDP socket bound to port 0, registered for QUEUE in IFACE's fs_req_ports when
 * the attached program has that map (one attached before gap recovery does not). -errno. */
int fsi_requests__create(struct fs_iface *iface, __u32 queue, struct fsi_requests **out);
/* Deregister the port and close the socket. */
void fsi_requests__destroy(struct fsi_requests *q);
/* The channels' servers from the N groups of INFOS (fs_group__list()). -EPROTO when a channel
 * names a server but the attached program has no fs_req_ports map (a build from before gap
 * recovery: its answers could never reach this consumer); those channels are then sequenced as
 * without one, and every call but the first says so once. */
int fsi_requests__servers(struct fsi_requests *q, const struct fs_group_info *infos, size_t n);
/* The sink the sequencer asks through (fsi_sequencer__recover()). */
void fsi_requests__sink(struct fsi_requests *q, struct fsi_request_sink *sink);
/* The UDP port requests leave from and answers come to (host order). */
__u16 fsi_requests__port(const struct fsi_requests *q);

#endif /* FEEDSIEVE_REQUESTS_H */
