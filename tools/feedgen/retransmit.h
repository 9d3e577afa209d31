/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A MoldUDP64 re-request server for the session feedgen sends (--serve-retransmit PORT). It keeps
 * every message the session made, whatever the lines lost, and answers a request (a MoldUDP64
 * header alone: session, first sequence number, count) by unicast from PORT to the requester,
 * with one ordinary downstream packet holding as many of the asked messages as fit and no more
 * than asked. No answer for another session, a number not sent yet, or a number the options
 * refuse. The options make it slow (--retransmit-delay-ms), partial (--retransmit-max-msgs,
 * --retransmit-refuse) or silent (--retransmit-silent), for tests of a client's deadline.
 *
 * It runs in feedgen's sending loop: a non-blocking socket read between packets, delayed answers
 * queued. Every request and every answer is logged as a JSON line (the loss log):
 *   {"request":{"peer":"10.0.0.2:40000","session":"FSGEN00001","from":17,"count":5,"ms":12.5},
 *    "answer":5}                      (answer: messages it will send, now or after the delay)
 *   {"request":{...},"none":"refused"}   (none: silent, other-session, beyond, refused,
 *                                          malformed; then there is no "served" line)
 *   {"served":{"peer":"10.0.0.2:40000","from":17,"count":5,"ms":12.6}}
 * "ms" counts from the first packet.
 */
#ifndef FEEDGEN_RETRANSMIT_H
#define FEEDGEN_RETRANSMIT_H

#include <stdio.h>
#include <linux/types.h>

#include "args.h"

struct retrans;

/* The server of CFG's session on CFG's port, logging to LOG (NULL: nowhere) with times since
 * START_NS (CLOCK_MONOTONIC: the first packet). -errno. */
int retrans__open(struct retrans **out, const struct feedgen_cfg *cfg, FILE *log, __u64 start_ns);
void retrans__close(struct retrans *s);

/* The socket, for poll(): readable when a request waits. */
int retrans__fd(const struct retrans *s);

/* Keep the messages of one MoldUDP64 packet the session made (heartbeats add none); -EINVAL
 * for a malformed packet or one that does not follow the last, -ENOMEM. */
int retrans__record(struct retrans *s, const void *payload, size_t len);

/* Take every request waiting on the socket and send every answer due by NOW_NS
 * (CLOCK_MONOTONIC); -errno when the socket or the log fails. */
int retrans__work(struct retrans *s, __u64 now_ns);

/* One line on stderr: requests taken, answers sent, messages in them, answers never sent. */
void retrans__print_summary(const struct retrans *s);

/* When the next delayed answer is due; UINT64_MAX when none is queued. */
__u64 retrans__next_due(const struct retrans *s);

#endif /* FEEDGEN_RETRANSMIT_H */
