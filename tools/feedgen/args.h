/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Command line of feedgen, parsed into a config struct the rest of the program is given. */
#ifndef FEEDGEN_ARGS_H
#define FEEDGEN_ARGS_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "itch_encode.h"

#define FEEDGEN_DEFAULT_SYMBOLS	 500
#define FEEDGEN_DEFAULT_PACKETS	 1000
#define FEEDGEN_DEFAULT_RATE	 20000
#define FEEDGEN_DEFAULT_SEED	 1
#define FEEDGEN_DEFAULT_SESSION	 "FSGEN00001"
#define FEEDGEN_DEFAULT_MAX_MSGS 8

/* Upper bounds that keep the arithmetic simple, far above any sensible use. */
#define FEEDGEN_MAX_RATE     100000000ULL
#define FEEDGEN_MAX_DURATION 86400.0
#define FEEDGEN_MAX_MAX_MSGS 1000
#define FEEDGEN_DEFAULT_SNAPSHOT_INTERVAL_MS 10
#define FEEDGEN_MAX_SNAPSHOT_INTERVAL_MS     60000
#define FEEDGEN_MAX_SNAPSHOT_LAG             1000

/* Gap recovery: the re-request server (retransmit.c) and late live copies. */
#define FEEDGEN_MAX_REFUSE	  8    /* --retransmit-refuse ranges */
#define FEEDGEN_DEFAULT_LINGER_MS 2000 /* --serve-linger-ms */
#define FEEDGEN_MAX_DELAY_MS	  600000

enum feedgen_proto {
	FEEDGEN_ITCH, /* TotalView-ITCH 5.0 over MoldUDP64 */
	FEEDGEN_MDP3, /* CME MDP 3.0 */
	FEEDGEN_NYSE, /* NYSE XDP Integrated Feed */
	FEEDGEN_PITCH, /* Cboe Multicast PITCH */
};

struct feedgen_cfg {
	enum feedgen_proto proto;
	struct sockaddr_in group;
	char group_str[32]; /* "ADDR:PORT", normalized */
	bool have_group;
	char iface[IF_NAMESIZE]; /* empty: let routing choose */
	char tap[IF_NAMESIZE];	 /* non-empty: write frames into this tap instead of sending */
	__u32 nsyms;
	__u64 packets;	 /* traffic packets, used when duration is 0 */
	double duration; /* seconds of traffic, 0 = count packets instead */
	__u64 rate;	 /* packets per second, 0 = unpaced */
	__u64 seed;
	char session[MOLD_SESSION_LEN]; /* space padded */
	__u32 max_msgs;
	const char *pcap_path;
	const char *log_path;
	bool no_send;
	bool end_session;
	bool list_symbols;
	bool help;
	/* Two-line mode: every packet also goes to line B; traffic packets are lost at random on
	 * each line (parts per million), and the losses are logged. */
	struct sockaddr_in group_b;
	char group_b_str[32];
	bool have_group_b;
	__u32 loss_a_ppm, loss_b_ppm;
	const char *loss_log_path;
	const char *log_symbols; /* comma-separated: log only these symbols' messages */
	/* Gap recovery (itch): serve MoldUDP64 re-requests on UDP port serve_port (0: no server),
	 * each answer delay_ms late, at most max_msgs messages (0: as many as fit), never the
	 * numbers of a refused range, or never at all (silent); keep serving linger_ms after the
	 * last packet (0: FEEDGEN_DEFAULT_LINGER_MS). late_copy_ms: a traffic packet lost on both lines goes out on line A again
	 * that much later (0: never). */
	struct feedgen_recovery {
		__u16 serve_port;
		__u64 delay_ms;
		__u32 max_msgs;
		struct {
			__u64 first, last;
		} refuse[FEEDGEN_MAX_REFUSE];
		__u32 nrefuse;
		bool silent;
		__u64 linger_ms;
		__u64 late_copy_ms;
	} rec;
	/* MDP3: the instrument definitions' group. MDP3, NYSE XDP, PITCH: the traffic packet that
	 * resets the channel's sequence to 1 (0: none). */
	struct sockaddr_in defs;
	char defs_str[32];
	bool have_defs;
	__u64 reset_at;
	/* NYSE XDP: before traffic packet N, a refresh burst (0: none) and a retransmission of the
	 * packet before it (0: none). */
	__u64 refresh_at;
	__u64 retrans_at;
	/* PITCH: the units of the group, and before traffic packet N an unsequenced packet. */
	__u32 unit_first, unit_last;
	__u64 unsequenced_at;
	/* MDP3: the Market Recovery feed (the snapshot loop), and the simulated time between two
	 * of its packets. */
	struct sockaddr_in snapshot;
	char snapshot_str[32];
	bool have_snapshot;
	__u64 snapshot_interval_ms;
	__u32 snapshot_lag; /* snapshots sent this many snapshot packets after they were taken */
};

/*
 * Fill CFG from ARGV. On a bad argument returns -EINVAL with a one-line explanation (no
 * program name, no newline) in ERR.
 */
int feedgen_parse_args(int argc, char **argv, struct feedgen_cfg *cfg, char *err, size_t errlen);

void feedgen_usage(FILE *f);

#endif /* FEEDGEN_ARGS_H */
