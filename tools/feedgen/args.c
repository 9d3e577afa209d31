// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Argument parsing and validation for feedgen. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "symbols.h"

/* The usage text spells these out (a format argument of their own would not merge well). */
_Static_assert(FEEDGEN_MAX_REFUSE == 8 && FEEDGEN_DEFAULT_LINGER_MS == 2000,
	       "feedgen_usage() names 8 refused ranges and a 2000 ms linger");

enum {
	OPT_GROUP = 256,
	OPT_IFACE,
	OPT_SYMBOLS,
	OPT_PACKETS,
	OPT_DURATION,
	OPT_RATE,
	OPT_SEED,
	OPT_SESSION,
	OPT_MAX_MSGS,
	OPT_PCAP,
	OPT_LOG,
	OPT_NO_SEND,
	OPT_END_SESSION,
	OPT_LIST_SYMBOLS,
	OPT_HELP,
	OPT_LINE_B,
	OPT_LOSS_A,
	OPT_LOSS_B,
	OPT_LOSS_LOG,
	OPT_LOG_SYMBOLS,
	/* gap recovery (parse_recovery_opt) */
	OPT_SERVE_RETRANSMIT,
	OPT_RETRANSMIT_DELAY_MS,
	OPT_RETRANSMIT_MAX_MSGS,
	OPT_RETRANSMIT_REFUSE,
	OPT_RETRANSMIT_SILENT,
	OPT_SERVE_LINGER_MS,
	OPT_LATE_COPY_MS,
	OPT_TAP,
	OPT_PROTO,
	OPT_DEFINITIONS,
	OPT_RESET_AT,
	OPT_REFRESH_AT,
	OPT_RETRANS_AT,
	OPT_UNITS,
	OPT_UNSEQUENCED_AT,
	/* mdp3 snapshot loop */
	OPT_SNAPSHOT,
	OPT_SNAPSHOT_INTERVAL,
	OPT_SNAPSHOT_LAG,
};

static const struct option long_opts[] = {
    {"group", required_argument, NULL, OPT_GROUP},
    {"iface", required_argument, NULL, OPT_IFACE},
    {"symbols", required_argument, NULL, OPT_SYMBOLS},
    {"packets", required_argument, NULL, OPT_PACKETS},
    {"duration", required_argument, NULL, OPT_DURATION},
    {"rate", required_argument, NULL, OPT_RATE},
    {"seed", required_argument, NULL, OPT_SEED},
    {"session", required_argument, NULL, OPT_SESSION},
    {"max-msgs", required_argument, NULL, OPT_MAX_MSGS},
    {"pcap", required_argument, NULL, OPT_PCAP},
    {"log", required_argument, NULL, OPT_LOG},
    {"no-send", no_argument, NULL, OPT_NO_SEND},
    {"end-session", no_argument, NULL, OPT_END_SESSION},
    {"list-symbols", no_argument, NULL, OPT_LIST_SYMBOLS},
    {"help", no_argument, NULL, OPT_HELP},
    {"line-b", required_argument, NULL, OPT_LINE_B},
    {"loss-a", required_argument, NULL, OPT_LOSS_A},
    {"loss-b", required_argument, NULL, OPT_LOSS_B},
    {"loss-log", required_argument, NULL, OPT_LOSS_LOG},
    {"log-symbols", required_argument, NULL, OPT_LOG_SYMBOLS},
    /* gap recovery */
    {"serve-retransmit", required_argument, NULL, OPT_SERVE_RETRANSMIT},
    {"retransmit-delay-ms", required_argument, NULL, OPT_RETRANSMIT_DELAY_MS},
    {"retransmit-max-msgs", required_argument, NULL, OPT_RETRANSMIT_MAX_MSGS},
    {"retransmit-refuse", required_argument, NULL, OPT_RETRANSMIT_REFUSE},
    {"retransmit-silent", no_argument, NULL, OPT_RETRANSMIT_SILENT},
    {"serve-linger-ms", required_argument, NULL, OPT_SERVE_LINGER_MS},
    {"late-copy-ms", required_argument, NULL, OPT_LATE_COPY_MS},
    {"tap", required_argument, NULL, OPT_TAP},
    {"proto", required_argument, NULL, OPT_PROTO},
    {"definitions", required_argument, NULL, OPT_DEFINITIONS},
    {"reset-at", required_argument, NULL, OPT_RESET_AT},
    {"refresh-at", required_argument, NULL, OPT_REFRESH_AT},
    {"retrans-at", required_argument, NULL, OPT_RETRANS_AT},
    {"units", required_argument, NULL, OPT_UNITS},
    {"unsequenced-at", required_argument, NULL, OPT_UNSEQUENCED_AT},
    /* mdp3 snapshot loop */
    {"snapshot", required_argument, NULL, OPT_SNAPSHOT},
    {"snapshot-interval-ms", required_argument, NULL, OPT_SNAPSHOT_INTERVAL},
    {"snapshot-lag", required_argument, NULL, OPT_SNAPSHOT_LAG},
    {},
};

void feedgen_usage(FILE *f)
{
	fprintf(
	    f,
	    "Usage: feedgen --group ADDR:PORT [options]\n"
	    "Send a synthetic Nasdaq TotalView-ITCH 5.0 session over MoldUDP64 multicast, a\n"
	    "CME MDP 3.0 incremental channel with its instrument definitions (--proto mdp3),\n"
	    "an NYSE XDP Integrated Feed channel (--proto nyse-xdp) or a Cboe Multicast PITCH\n"
	    "group of one or more units (--proto pitch).\n"
	    "\n"
	    "  --proto itch|mdp3|nyse-xdp|pitch  the feed to generate (default itch)\n"
	    "  --group ADDR:PORT   multicast group and UDP port (required unless --list-symbols)\n"
	    "  --iface IFNAME      send out of this interface (default: per routing table)\n"
	    "  --tap IFNAME        write the packets as Ethernet frames into this existing tap\n"
	    "                      (it receives them as from a wire) instead of sending them\n"
	    "  --symbols N         symbols in the directory, 1..65535 (default %d)\n"
	    "  --packets N         traffic packets after the directory (default %d)\n"
	    "  --duration SECONDS  send traffic for this long instead of --packets\n"
	    "  --rate PPS          packets per second, 0 = as fast as possible (default %d)\n"
	    "  --seed S            PRNG seed; same arguments give identical output (default %d)\n"
	    "  --session NAME      itch: MoldUDP64 session, 1..10 characters (default %s)\n"
	    "  --max-msgs N        at most N messages per traffic packet, 1..%d (default %d)\n"
	    "  --pcap FILE         also write the packets to FILE as Ethernet pcap\n"
	    "  --log FILE          write one JSON line per message (mdp3: per instrument key)\n"
	    "                      sent to FILE\n"
	    "  --no-send           do not open a socket (for --pcap/--log only)\n"
	    "  --end-session       itch: finish with a MoldUDP64 end-of-session packet\n"
	    "  --definitions ADDR:PORT  mdp3: send the instrument definitions to this group\n"
	    "  --reset-at N        mdp3: traffic packet N is a ChannelReset, MsgSeqNum 1 again;\n"
	    "                      nyse-xdp: a Sequence Number Reset (flag 12), SeqNum 1 again;\n"
	    "                      pitch: the first unit restarts at sequence 1 (Unit Clear)\n"
	    "  --refresh-at N      nyse-xdp: a refresh burst (flags 17-20) before traffic packet N\n"
	    "  --retrans-at N      nyse-xdp: before traffic packet N, the packet before it again\n"
	    "                      as a retransmission (flag 13)\n"
	    "  --units FIRST[-LAST]  pitch: the units on the group, 1..255 (default 1)\n"
	    "  --unsequenced-at N  pitch: an unsequenced packet (sequence 0) before traffic\n"
	    "                      packet N\n"
	    "  --snapshot ADDR:PORT  mdp3: send the Market Recovery feed (a loop of every\n"
	    "                      instrument's SnapshotFullRefresh) to this group\n"
	    "  --snapshot-interval-ms MS  mdp3: time between two snapshot packets, 1..%d\n"
	    "                      (default %d)\n"
	    "  --snapshot-lag N    mdp3: send each snapshot N snapshot packets after it was\n"
	    "                      taken, 0..%d (default 0: at once)\n"
	    "  --line-b ADDR:PORT  also send every packet to this group (line B of the channel)\n"
	    "  --loss-a PCT        lose this percentage of traffic packets on line A (seeded)\n"
	    "  --loss-b PCT        the same on line B\n"
	    "  --loss-log FILE     one JSON line per traffic packet lost on a line\n"
	    "  --log-symbols S,..  --log only the messages of these symbols\n"
	    "  --serve-retransmit PORT  itch: answer MoldUDP64 re-requests for the session on\n"
	    "                      this UDP port, by unicast to the requester\n"
	    "  --retransmit-delay-ms MS  answer MS milliseconds late\n"
	    "  --retransmit-max-msgs N   at most N messages per answer\n"
	    "  --retransmit-refuse FIRST-LAST  never serve these sequence numbers (up to 8)\n"
	    "  --retransmit-silent never answer\n"
	    "  --serve-linger-ms MS  keep serving MS after the last packet (default 2000)\n"
	    "  --late-copy-ms MS   send a packet lost on both lines again on line A, MS later\n"
	    "  --list-symbols      print \"id symbol\" (locate or SecurityID) for the N symbols\n"
	    "                      and exit\n"
	    "  --help              print this help and exit\n",
	    FEEDGEN_DEFAULT_SYMBOLS, FEEDGEN_DEFAULT_PACKETS, FEEDGEN_DEFAULT_RATE,
	    FEEDGEN_DEFAULT_SEED, FEEDGEN_DEFAULT_SESSION, FEEDGEN_MAX_MAX_MSGS,
	    FEEDGEN_DEFAULT_MAX_MSGS, FEEDGEN_MAX_SNAPSHOT_INTERVAL_MS,
	    FEEDGEN_DEFAULT_SNAPSHOT_INTERVAL_MS, FEEDGEN_MAX_SNAPSHOT_LAG);
}

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Decimal only, whole string, within [MIN, MAX]; strtoull alone accepts "-1" and "12abc". */
static int parse_u64(const char *s, __u64 min, __u64 max, __u64 *out)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

static int parse_group(const char *arg, struct feedgen_cfg *cfg)
{
	char addr[INET_ADDRSTRLEN];
	const char *colon = strrchr(arg, ':');
	size_t alen;
	__u64 port;

	if (!colon)
		return -EINVAL;
	alen = (size_t)(colon - arg);
	if (alen == 0 || alen >= sizeof(addr))
		return -EINVAL;
	memcpy(addr, arg, alen);
	addr[alen] = '\0';
	memset(&cfg->group, 0, sizeof(cfg->group));
	cfg->group.sin_family = AF_INET;
	if (inet_pton(AF_INET, addr, &cfg->group.sin_addr) != 1)
		return -EINVAL;
	if (!IN_MULTICAST(ntohl(cfg->group.sin_addr.s_addr)))
		return -EINVAL;
	if (parse_u64(colon + 1, 1, 65535, &port))
		return -EINVAL;
	cfg->group.sin_port = htons((__u16)port);
	/* Normalized, so the log names the group the same way however it was typed. */
	if (!inet_ntop(AF_INET, &cfg->group.sin_addr, addr, sizeof(addr)))
		return -EINVAL;
	snprintf(cfg->group_str, sizeof(cfg->group_str), "%s:%u", addr, (unsigned int)port);
	cfg->have_group = true;
	return 0;
}

/* A group other than --group (line B, definitions, snapshot): into ADDR, STR and *HAVE. */
static int parse_other_group(const char *arg, struct sockaddr_in *addr, char str[32], bool *have)
{
	struct feedgen_cfg tmp;

	if (parse_group(arg, &tmp))
		return -EINVAL;
	*addr = tmp.group;
	memcpy(str, tmp.group_str, sizeof(tmp.group_str));
	*have = true;
	return 0;
}

/* "0.5" (percent) -> 5000 parts per million. */
static int parse_percent(const char *arg, __u32 *ppm)
{
	char *end;
	double pct;

	errno = 0;
	pct = strtod(arg, &end);
	if (errno || *end || end == arg || !isfinite(pct) || pct < 0 || pct > 100)
		return -EINVAL;
	*ppm = (__u32)(pct * 10000.0 + 0.5);
	return 0;
}

/* "3" or "1-3": PITCH unit numbers are one byte, 0 is not a unit. */
static int parse_units(const char *arg, struct feedgen_cfg *cfg)
{
	const char *dash = strchr(arg, '-');
	char first[4];
	__u64 a, b;

	if (!dash)
		dash = arg + strlen(arg);
	if (dash == arg || (size_t)(dash - arg) >= sizeof(first))
		return -EINVAL;
	memcpy(first, arg, (size_t)(dash - arg));
	first[dash - arg] = '\0';
	if (parse_u64(first, 1, 255, &a))
		return -EINVAL;
	b = a;
	if (*dash && parse_u64(dash + 1, a, 255, &b))
		return -EINVAL;
	cfg->unit_first = (__u32)a;
	cfg->unit_last = (__u32)b;
	return 0;
}

/* "FIRST-LAST" (or "N"): sequence numbers from 1, FIRST <= LAST. */
static int parse_seq_range(const char *arg, __u64 *first, __u64 *last)
{
	const char *dash = strchr(arg, '-');
	char head[24];

	if (!dash)
		dash = arg + strlen(arg);
	if (dash == arg || (size_t)(dash - arg) >= sizeof(head))
		return -EINVAL;
	memcpy(head, arg, (size_t)(dash - arg));
	head[dash - arg] = '\0';
	if (parse_u64(head, 1, UINT64_MAX, first))
		return -EINVAL;
	*last = *first;
	if (*dash && parse_u64(dash + 1, *first, UINT64_MAX, last))
		return -EINVAL;
	return 0;
}

/* The gap recovery options, kept apart from the rest; 0 or -EINVAL with ERR. */
static int parse_recovery_opt(int opt, const char *arg, struct feedgen_recovery *rec, char *err,
			      size_t errlen)
{
	__u64 v;

	switch (opt) {
	case OPT_SERVE_RETRANSMIT:
		if (parse_u64(arg, 1, 65535, &v))
			return fail(err, errlen,
				    "--serve-retransmit wants a UDP port 1..65535, got '%s'", arg);
		rec->serve_port = (__u16)v;
		return 0;
	case OPT_RETRANSMIT_DELAY_MS:
	case OPT_SERVE_LINGER_MS:
	case OPT_LATE_COPY_MS:
		/* 0 is the linger's default, and a delay or a copy of 0 ms would be pointless. */
		if (parse_u64(arg, 1, FEEDGEN_MAX_DELAY_MS, &v))
			return fail(err, errlen, "%s must be 1..%d milliseconds, got '%s'",
				    opt == OPT_RETRANSMIT_DELAY_MS ? "--retransmit-delay-ms"
				    : opt == OPT_SERVE_LINGER_MS   ? "--serve-linger-ms"
								   : "--late-copy-ms",
				    FEEDGEN_MAX_DELAY_MS, arg);
		if (opt == OPT_RETRANSMIT_DELAY_MS)
			rec->delay_ms = v;
		else if (opt == OPT_SERVE_LINGER_MS)
			rec->linger_ms = v;
		else
			rec->late_copy_ms = v;
		return 0;
	case OPT_RETRANSMIT_MAX_MSGS:
		if (parse_u64(arg, 1, 65534, &v))
			return fail(err, errlen, "--retransmit-max-msgs must be 1..65534, got '%s'",
				    arg);
		rec->max_msgs = (__u32)v;
		return 0;
	case OPT_RETRANSMIT_REFUSE:
		if (rec->nrefuse == FEEDGEN_MAX_REFUSE)
			return fail(err, errlen, "--retransmit-refuse: at most %d ranges",
				    FEEDGEN_MAX_REFUSE);
		if (parse_seq_range(arg, &rec->refuse[rec->nrefuse].first,
				    &rec->refuse[rec->nrefuse].last))
			return fail(err, errlen,
				    "--retransmit-refuse wants FIRST-LAST sequence numbers, "
				    "1 <= FIRST <= LAST, got '%s'",
				    arg);
		rec->nrefuse++;
		return 0;
	case OPT_RETRANSMIT_SILENT:
		rec->silent = true;
		return 0;
	}
	return fail(err, errlen, "internal: option %d is no recovery option", opt);
}

/* The recovery options make sense together and with the rest; 0 or -EINVAL with ERR. */
static int check_recovery(const struct feedgen_cfg *cfg, char *err, size_t errlen)
{
	const struct feedgen_recovery *rec = &cfg->rec;

	if (!rec->serve_port &&
	    (rec->delay_ms || rec->max_msgs || rec->nrefuse || rec->silent || rec->linger_ms))
		return fail(err, errlen,
			    "the --retransmit-* and --serve-linger-ms options need "
			    "--serve-retransmit PORT");
	if ((rec->serve_port || rec->late_copy_ms) && cfg->proto != FEEDGEN_ITCH)
		return fail(err, errlen, "%s is for --proto itch (MoldUDP64)",
			    rec->serve_port ? "--serve-retransmit" : "--late-copy-ms");
	if (rec->late_copy_ms && !cfg->have_group_b)
		return fail(err, errlen,
			    "--late-copy-ms needs --line-b (a copy of a packet lost on "
			    "both lines)");
	if ((rec->serve_port || rec->late_copy_ms) && (cfg->no_send || cfg->tap[0]))
		return fail(err, errlen,
			    "%s sends through a socket: it excludes --no-send and --tap",
			    rec->serve_port ? "--serve-retransmit" : "--late-copy-ms");
	return 0;
}

static void set_defaults(struct feedgen_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->nsyms = FEEDGEN_DEFAULT_SYMBOLS;
	cfg->packets = FEEDGEN_DEFAULT_PACKETS;
	cfg->rate = FEEDGEN_DEFAULT_RATE;
	cfg->seed = FEEDGEN_DEFAULT_SEED;
	cfg->max_msgs = FEEDGEN_DEFAULT_MAX_MSGS;
	cfg->snapshot_interval_ms = FEEDGEN_DEFAULT_SNAPSHOT_INTERVAL_MS; /* mdp3 snapshot loop */
	cfg->unit_first = cfg->unit_last = 1;
	itch_pad_field(cfg->session, MOLD_SESSION_LEN, FEEDGEN_DEFAULT_SESSION);
}

int feedgen_parse_args(int argc, char **argv, struct feedgen_cfg *cfg, char *err, size_t errlen)
{
	bool have_packets = false, have_session = false, have_units = false;
	const char *snapshot_opt = NULL; /* mdp3 snapshot loop: an option that needs --snapshot */
	char *end;
	__u64 v;
	int opt;

	set_defaults(cfg);
	/* Our own one-line messages, not getopt's; ":" makes a missing argument ':' not '?'. */
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":", long_opts, NULL)) != -1) {
		switch (opt) {
		case OPT_GROUP:
			if (parse_group(optarg, cfg))
				return fail(
				    err, errlen,
				    "--group wants MULTICAST_ADDR:PORT (e.g. 239.1.1.1:26400), "
				    "got '%s'",
				    optarg);
			break;
		case OPT_IFACE:
			if (!*optarg || strlen(optarg) >= sizeof(cfg->iface))
				return fail(err, errlen, "--iface: bad interface name '%s'",
					    optarg);
			strcpy(cfg->iface, optarg);
			break;
		case OPT_TAP:
			if (!*optarg || strlen(optarg) >= sizeof(cfg->tap))
				return fail(err, errlen, "--tap: bad interface name '%s'", optarg);
			strcpy(cfg->tap, optarg);
			break;
		case OPT_SYMBOLS:
			if (parse_u64(optarg, 1, SYMTAB_MAX, &v))
				return fail(err, errlen, "--symbols must be 1..%d, got '%s'",
					    SYMTAB_MAX, optarg);
			cfg->nsyms = (__u32)v;
			break;
		case OPT_PACKETS:
			if (parse_u64(optarg, 0, UINT64_MAX, &cfg->packets))
				return fail(err, errlen, "--packets must be a count, got '%s'",
					    optarg);
			have_packets = true;
			break;
		case OPT_DURATION:
			errno = 0;
			cfg->duration = strtod(optarg, &end);
			if (errno || *end || end == optarg || !isfinite(cfg->duration) ||
			    cfg->duration <= 0 || cfg->duration > FEEDGEN_MAX_DURATION)
				return fail(err, errlen,
					    "--duration must be 0 < SECONDS <= %.0f, got '%s'",
					    FEEDGEN_MAX_DURATION, optarg);
			break;
		case OPT_RATE:
			if (parse_u64(optarg, 0, FEEDGEN_MAX_RATE, &cfg->rate))
				return fail(err, errlen, "--rate must be 0..%llu, got '%s'",
					    FEEDGEN_MAX_RATE, optarg);
			break;
		case OPT_SEED:
			if (parse_u64(optarg, 0, UINT64_MAX, &cfg->seed))
				return fail(err, errlen,
					    "--seed must be an unsigned integer, got '%s'", optarg);
			break;
		case OPT_SESSION:
			have_session = true;
			if (itch_pad_field(cfg->session, MOLD_SESSION_LEN, optarg))
				return fail(err, errlen,
					    "--session must be 1..%d printable characters without "
					    "spaces, got '%s'",
					    MOLD_SESSION_LEN, optarg);
			break;
		case OPT_MAX_MSGS:
			if (parse_u64(optarg, 1, FEEDGEN_MAX_MAX_MSGS, &v))
				return fail(err, errlen, "--max-msgs must be 1..%d, got '%s'",
					    FEEDGEN_MAX_MAX_MSGS, optarg);
			cfg->max_msgs = (__u32)v;
			break;
		case OPT_PCAP:
			cfg->pcap_path = optarg;
			break;
		case OPT_LOG:
			cfg->log_path = optarg;
			break;
		case OPT_NO_SEND:
			cfg->no_send = true;
			break;
		case OPT_END_SESSION:
			cfg->end_session = true;
			break;
		case OPT_LIST_SYMBOLS:
			cfg->list_symbols = true;
			break;
		case OPT_HELP:
			cfg->help = true;
			break;
		case OPT_LINE_B:
			if (parse_other_group(optarg, &cfg->group_b, cfg->group_b_str,
					      &cfg->have_group_b))
				return fail(err, errlen,
					    "--line-b wants MULTICAST_ADDR:PORT, got '%s'", optarg);
			break;
		case OPT_LOSS_A:
		case OPT_LOSS_B:
			if (parse_percent(optarg, opt == OPT_LOSS_A ? &cfg->loss_a_ppm
								    : &cfg->loss_b_ppm))
				return fail(err, errlen, "%s must be a percentage 0..100, got '%s'",
					    argv[optind - 1], optarg);
			break;
		case OPT_LOSS_LOG:
			cfg->loss_log_path = optarg;
			break;
		case OPT_LOG_SYMBOLS:
			cfg->log_symbols = optarg;
			break;
		case OPT_SERVE_RETRANSMIT:
		case OPT_RETRANSMIT_DELAY_MS:
		case OPT_RETRANSMIT_MAX_MSGS:
		case OPT_RETRANSMIT_REFUSE:
		case OPT_RETRANSMIT_SILENT:
		case OPT_SERVE_LINGER_MS:
		case OPT_LATE_COPY_MS:
			if (parse_recovery_opt(opt, optarg, &cfg->rec, err, errlen))
				return -EINVAL;
			break;
		case OPT_PROTO:
			if (!strcmp(optarg, "itch"))
				cfg->proto = FEEDGEN_ITCH;
			else if (!strcmp(optarg, "mdp3"))
				cfg->proto = FEEDGEN_MDP3;
			else if (!strcmp(optarg, "nyse-xdp"))
				cfg->proto = FEEDGEN_NYSE;
			else if (!strcmp(optarg, "pitch"))
				cfg->proto = FEEDGEN_PITCH;
			else
				return fail(err, errlen,
					    "--proto must be itch, mdp3, nyse-xdp or pitch, got '%s'",
					    optarg);
			break;
		case OPT_DEFINITIONS:
			if (parse_other_group(optarg, &cfg->defs, cfg->defs_str, &cfg->have_defs))
				return fail(err, errlen,
					    "--definitions wants MULTICAST_ADDR:PORT, got '%s'",
					    optarg);
			break;
		case OPT_RESET_AT:
			if (parse_u64(optarg, 1, UINT64_MAX, &cfg->reset_at))
				return fail(err, errlen,
					    "--reset-at must be a traffic packet number >= 1, got '%s'",
					    optarg);
			break;
		case OPT_REFRESH_AT:
		case OPT_RETRANS_AT:
		case OPT_UNSEQUENCED_AT:
			if (parse_u64(optarg, 1, UINT64_MAX,
				      opt == OPT_REFRESH_AT   ? &cfg->refresh_at
				      : opt == OPT_RETRANS_AT ? &cfg->retrans_at
							      : &cfg->unsequenced_at))
				return fail(err, errlen,
					    "%s must be a traffic packet number >= 1, got '%s'",
					    opt == OPT_REFRESH_AT   ? "--refresh-at"
					    : opt == OPT_RETRANS_AT ? "--retrans-at"
								    : "--unsequenced-at",
					    optarg);
			break;
		case OPT_UNITS:
			if (parse_units(optarg, cfg))
				return fail(err, errlen,
					    "--units wants FIRST[-LAST] within 1..255, got '%s'",
					    optarg);
			have_units = true;
			break;
		/* mdp3 snapshot loop */
		case OPT_SNAPSHOT:
			if (parse_other_group(optarg, &cfg->snapshot, cfg->snapshot_str,
					      &cfg->have_snapshot))
				return fail(err, errlen,
					    "--snapshot wants MULTICAST_ADDR:PORT, got '%s'", optarg);
			break;
		case OPT_SNAPSHOT_INTERVAL:
			if (parse_u64(optarg, 1, FEEDGEN_MAX_SNAPSHOT_INTERVAL_MS,
				      &cfg->snapshot_interval_ms))
				return fail(err, errlen,
					    "--snapshot-interval-ms must be 1..%d, got '%s'",
					    FEEDGEN_MAX_SNAPSHOT_INTERVAL_MS, optarg);
			snapshot_opt = "--snapshot-interval-ms";
			break;
		case OPT_SNAPSHOT_LAG:
			if (parse_u64(optarg, 0, FEEDGEN_MAX_SNAPSHOT_LAG, &v))
				return fail(err, errlen, "--snapshot-lag must be 0..%d, got '%s'",
					    FEEDGEN_MAX_SNAPSHOT_LAG, optarg);
			cfg->snapshot_lag = (__u32)v;
			snapshot_opt = "--snapshot-lag";
			break;
		case ':':
			return fail(err, errlen, "%s needs an argument", argv[optind - 1]);
		default:
			return fail(err, errlen, "unknown option '%s' (see --help)",
				    argv[optind - 1]);
		}
	}
	if (optind < argc)
		return fail(err, errlen, "unexpected argument '%s' (see --help)", argv[optind]);
	if (cfg->proto != FEEDGEN_MDP3 && cfg->have_defs)
		return fail(err, errlen, "--definitions needs --proto mdp3");
	/* mdp3 snapshot loop */
	if (cfg->proto != FEEDGEN_MDP3 && (cfg->have_snapshot || snapshot_opt))
		return fail(err, errlen, "%s needs --proto mdp3",
			    cfg->have_snapshot ? "--snapshot" : snapshot_opt);
	if (snapshot_opt && !cfg->have_snapshot)
		return fail(err, errlen, "%s needs --snapshot", snapshot_opt);
	if (cfg->proto == FEEDGEN_ITCH && cfg->reset_at)
		return fail(err, errlen, "--reset-at needs --proto mdp3, nyse-xdp or pitch");
	if (cfg->proto != FEEDGEN_ITCH && (have_session || cfg->end_session))
		return fail(err, errlen, "%s is for --proto itch",
			    have_session ? "--session" : "--end-session");
	if (cfg->proto != FEEDGEN_NYSE && (cfg->refresh_at || cfg->retrans_at))
		return fail(err, errlen, "%s needs --proto nyse-xdp",
			    cfg->refresh_at ? "--refresh-at" : "--retrans-at");
	if (cfg->proto != FEEDGEN_PITCH && (have_units || cfg->unsequenced_at))
		return fail(err, errlen, "%s needs --proto pitch",
			    have_units ? "--units" : "--unsequenced-at");
	if (check_recovery(cfg, err, errlen))
		return -EINVAL;
	if (cfg->help || cfg->list_symbols)
		return 0;
	if (!cfg->have_group)
		return fail(err, errlen, "--group ADDR:PORT is required (see --help)");
	if (have_packets && cfg->duration > 0)
		return fail(err, errlen, "--packets and --duration are mutually exclusive");
	if (cfg->tap[0] && (cfg->iface[0] || cfg->no_send))
		return fail(err, errlen, "--tap excludes --iface and --no-send");
	return 0;
}
