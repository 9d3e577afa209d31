/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The generated trading day: what the next message is, when it happens, and which packet it
 * rides in. Opening (System Event 'O', a Stock Directory per symbol, 'S', 'Q'), random order
 * traffic until the caller stops it, then closing ('M', 'E', 'C'). Everything random comes from
 * one PRNG seeded by the options, so the same options give the same bytes.
 */
#ifndef FEEDGEN_SESSION_H
#define FEEDGEN_SESSION_H

#include "itch_encode.h"
#include "symbols.h"

struct session_opts {
	const struct symtab *syms;
	__u64 seed;
	char name[MOLD_SESSION_LEN]; /* space padded */
	__u32 max_msgs;		     /* per traffic packet, >= 1 */
	size_t payload_max;	     /* UDP payload bytes per packet */
	__u64 tick_ns;		     /* simulated time between traffic packets, >= 1 */
};

enum session_phase {
	SESSION_OPENING,
	SESSION_TRAFFIC,
	SESSION_CLOSING,
	SESSION_DONE,
};

struct session;

int session__new(struct session **out, const struct session_opts *opts);
void session__free(struct session *s);

enum session_phase session__phase(const struct session *s);

/* End the random traffic: the next packet starts the closing. */
void session__stop_traffic(struct session *s);

/*
 * Build the next packet into PKT and tell which phase its messages belong to (a packet never
 * mixes phases). -ENODATA once the closing has been sent.
 */
int session__next_packet(struct session *s, struct mold_pkt *pkt, enum session_phase *phase);

/* A heartbeat: no messages, sequence = the next one to be sent. */
int session__heartbeat(const struct session *s, struct mold_pkt *pkt);

/* The end-of-session marker, sequence = the next one that would have been sent. */
int session__end_of_session(const struct session *s, struct mold_pkt *pkt);

#endif /* FEEDGEN_SESSION_H */
