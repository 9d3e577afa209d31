/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What feedgen asks of a protocol: a generator of packets, and a writer of their log lines.
 * Pacing, sockets, taps, lines, loss, the pcap and the symbol table are the caller's and know
 * no protocol.
 */
#ifndef FEEDGEN_PROTO_H
#define FEEDGEN_PROTO_H

#include "args.h"
#include "msglog.h"
#include "pkt.h"
#include "symbols.h"

struct fg_gen_opts {
	const struct feedgen_cfg *cfg;
	const struct symtab *syms;
	__u64 tick_ns;	/* simulated time between packets, >= 1 */
	__u64 epoch_ns; /* simulated time of the first packet, ns since the Unix epoch */
};

struct fg_proto {
	const char *name;
	enum symtab_style style;
	/* A generator in *OUT; -errno. */
	int (*open)(void **out, const struct fg_gen_opts *o);
	void (*close)(void *gen);
	/* End the traffic: what follows is the closing. */
	void (*stop_traffic)(void *gen);
	/* The next packet, valid until the next call; -ENODATA once everything was sent. */
	int (*next)(void *gen, struct fg_pkt *pkt);
	/* Log PKT, which went to GROUP on LINES ("A", "B", "AB", ""); -errno. */
	int (*log)(struct msglog *l, const struct fg_pkt *pkt, const char *group,
		   const char *lines);
};

extern const struct fg_proto fg_proto_itch;
extern const struct fg_proto fg_proto_mdp3;
extern const struct fg_proto fg_proto_nyse;
extern const struct fg_proto fg_proto_pitch;

#endif /* FEEDGEN_PROTO_H */
