// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* feedsieve consume: a busy-polling AF_XDP consumer that prints every delivered message. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"

struct consume_opts {
	const char *ifname;
	struct fs_consumer_opts copts;
	double duration; /* seconds, 0 = until interrupted */
	__u64 count;     /* messages, 0 = no limit */
	bool json;
};

struct consume_state {
	const struct consume_opts *o;
	__u64 msgs, malformed, heartbeats, end_of_session, gaps, lost, recovered, stale;
	bool done;
};

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* {"group":"239.1.1.1:26400","channel":"X","line":"A","session":"S", -- the common head */
static void print_head(const struct fs_event *ev)
{
	char group[FS_GROUP_STR_LEN], session[MOLD_SESSION_LEN + 1];

	fs_group_str(&ev->frame->group, group);
	fs_session_str(ev->session, session);
	printf("{\"group\":\"%s\",\"channel\":", group);
	fs_json_str(stdout, ev->channel_name);
	printf(",\"line\":\"%s\",\"session\":", fs_line_str(ev->frame->line));
	fs_json_str(stdout, session);
}

static void print_msg_json(const struct fs_event *ev)
{
	const struct fs_msg *m = ev->msg;
	char sym[FS_SYMBOL_LEN + 1], type[2] = {(char)m->type, '\0'};

	print_head(ev);
	printf(",\"seq\":%llu,\"type\":", (unsigned long long)m->seq);
	fs_json_str(stdout, type);
	printf(",\"locate\":%u", m->locate);
	if (m->symbol_known) {
		fs_symbol_str(&m->symbol, sym);
		printf(",\"symbol\":");
		fs_json_str(stdout, sym);
	}
	printf("%s}\n", ev->late ? ",\"late\":true" : "");
}

static void print_range_json(const char *what, const struct fs_event *ev)
{
	printf("{\"%s\":{\"channel\":", what);
	fs_json_str(stdout, ev->channel_name);
	printf(",\"from\":%llu,\"count\":%llu}}\n", (unsigned long long)ev->from,
	       (unsigned long long)ev->count);
}

static void print_json(const struct fs_event *ev)
{
	char session[MOLD_SESSION_LEN + 1];

	switch (ev->type) {
	case FS_EV_MESSAGE:
		print_msg_json(ev);
		break;
	case FS_EV_GAP:
		print_range_json("gap", ev);
		break;
	case FS_EV_GAP_RECOVERED:
		print_range_json("gap_recovered", ev);
		break;
	case FS_EV_HEARTBEAT:
	case FS_EV_END_OF_SESSION:
		print_head(ev);
		printf(",\"%s\":true,\"next_seq\":%llu}\n",
		       ev->type == FS_EV_HEARTBEAT ? "heartbeat" : "end_of_session",
		       (unsigned long long)ev->from);
		break;
	case FS_EV_SESSION:
		fs_session_str(ev->session, session);
		printf("{\"session_start\":{\"channel\":");
		fs_json_str(stdout, ev->channel_name);
		printf(",\"session\":");
		fs_json_str(stdout, session);
		printf(",\"from\":%llu}}\n", (unsigned long long)ev->from);
		break;
	case FS_EV_STALE:
		printf("{\"stale\":{\"channel\":");
		fs_json_str(stdout, ev->channel_name);
		printf(",\"idle_ms\":%llu}}\n", (unsigned long long)(ev->idle_ns / 1000000));
		break;
	case FS_EV_MALFORMED: {
		char group[FS_GROUP_STR_LEN];

		fs_group_str(&ev->frame->group, group);
		printf("{\"group\":\"%s\",\"malformed\":true,\"len\":%u}\n", group,
		       ev->frame->len);
		break;
	}
	}
}

static void print_text(const struct fs_event *ev)
{
	char session[MOLD_SESSION_LEN + 1], sym[FS_SYMBOL_LEN + 1];
	const struct fs_msg *m = ev->msg;

	fs_session_str(ev->session, session);
	switch (ev->type) {
	case FS_EV_MESSAGE:
		if (m->symbol_known)
			fs_symbol_str(&m->symbol, sym);
		printf("%s %s seq=%llu type=%c locate=%u symbol=%s%s\n", ev->channel_name, session,
		       (unsigned long long)m->seq, m->type, m->locate, m->symbol_known ? sym : "?",
		       ev->late ? " (late)" : "");
		break;
	case FS_EV_GAP:
	case FS_EV_GAP_RECOVERED:
		printf("%s %s %s: %llu messages from seq %llu\n", ev->channel_name, session,
		       ev->type == FS_EV_GAP ? "GAP" : "gap recovered",
		       (unsigned long long)ev->count, (unsigned long long)ev->from);
		break;
	case FS_EV_HEARTBEAT:
	case FS_EV_END_OF_SESSION:
	case FS_EV_SESSION:
		printf("%s %s %s next_seq=%llu\n", ev->channel_name, session,
		       ev->type == FS_EV_HEARTBEAT	   ? "heartbeat"
		       : ev->type == FS_EV_END_OF_SESSION ? "end of session"
							  : "session start",
		       (unsigned long long)ev->from);
		break;
	case FS_EV_STALE:
		printf("%s STALE: no packet for %llu ms\n", ev->channel_name,
		       (unsigned long long)(ev->idle_ns / 1000000));
		break;
	case FS_EV_MALFORMED:
		printf("%s malformed frame, %u bytes\n", ev->channel_name, ev->frame->len);
		break;
	}
}

static int on_event(const struct fs_event *ev, void *ctx)
{
	struct consume_state *st = ctx;

	if (st->done)
		return 0;
	switch (ev->type) {
	case FS_EV_MESSAGE:
		st->msgs++;
		break;
	case FS_EV_MALFORMED:
		st->malformed++;
		break;
	case FS_EV_HEARTBEAT:
		st->heartbeats++;
		break;
	case FS_EV_END_OF_SESSION:
		st->end_of_session++;
		break;
	case FS_EV_GAP:
		st->gaps++;
		st->lost += ev->count;
		break;
	case FS_EV_GAP_RECOVERED:
		st->recovered += ev->count;
		break;
	case FS_EV_STALE:
		st->stale++;
		break;
	case FS_EV_SESSION:
		break;
	}
	if (st->o->json)
		print_json(ev);
	else
		print_text(ev);
	if (ev->type == FS_EV_MESSAGE && st->o->count && st->msgs >= st->o->count)
		st->done = true;
	return 0;
}

static int parse_args(int argc, char **argv, struct consume_opts *o)
{
	static const struct option opts[] = {
		{"queue", required_argument, NULL, 'q'}, {"duration", required_argument, NULL, 'd'},
		{"count", required_argument, NULL, 'c'}, {"json", no_argument, NULL, 'j'},
		{"sleep", no_argument, NULL, 's'},       {"batch", required_argument, NULL, 'b'},
		{"gap-grace-ms", required_argument, NULL, 'g'},
		{"stale-ms", required_argument, NULL, 't'},
		{},
	};
	__u64 v;
	int opt;

	optind = 0; /* GNU getopt: full re-initialisation */
	while ((opt = cli_getopt(argc, argv, "consume", opts)) != -1) {
		switch (opt) {
		case 'q':
			if (!cli_parse_u64("consume: --queue", optarg, FS_MAX_QUEUES - 1, &v))
				return EXIT_USAGE;
			o->copts.queue = (__u32)v;
			break;
		case 'd':
			if (!cli_parse_u64("consume: --duration", optarg, 86400 * 365, &v))
				return EXIT_USAGE;
			o->duration = (double)v;
			break;
		case 'c':
			if (!cli_parse_u64("consume: --count", optarg, ~0ULL, &o->count))
				return EXIT_USAGE;
			break;
		case 'b':
			if (!cli_parse_u64("consume: --batch", optarg, 4096, &v))
				return EXIT_USAGE;
			if (v == 0)
				return cli_usage_error("consume: --batch must be 1 to 4096");
			o->copts.batch = (__u32)v;
			break;
		case 'g':
			if (!cli_parse_u64("consume: --gap-grace-ms", optarg, 60000, &v))
				return EXIT_USAGE;
			o->copts.gap_grace_ns = v ? v * 1000000 : 1; /* 0: decide at once */
			break;
		case 't':
			if (!cli_parse_u64("consume: --stale-ms", optarg, 86400000, &v))
				return EXIT_USAGE;
			if (!v)
				return cli_usage_error("consume: --stale-ms must be positive");
			o->copts.stale_ns = v * 1000000;
			break;
		case 'j':
			o->json = true;
			break;
		case 's':
			o->copts.sleep = true;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("usage: feedsieve consume IFNAME [--queue Q] "
				       "[--duration SECONDS] [--count N] [--json] [--sleep]");
	o->ifname = argv[optind];
	return 0;
}

int do_consume(int argc, char **argv)
{
	struct consume_opts o = {};
	struct consume_state st = {.o = &o};
	struct fs_consumer *c = NULL;
	struct fs_socket_stats sock = {};
	double start, last_sync, now;
	int err;

	err = parse_args(argc, argv, &o);
	if (err)
		return err;
	err = fs_consumer__create(o.ifname, &o.copts, &c);
	if (err == -ENODEV || err == -ENOENT || err == -EPERM || err == -EPROTO)
		return cli_iface_error(o.ifname, err);
	if (err == -EBUSY)
		return cli_error("%s: queue %u already has a consumer", o.ifname, o.copts.queue);
	if (err)
		return cli_error("%s: cannot create the AF_XDP socket on queue %u: %s", o.ifname,
				 o.copts.queue, strerror(-err));
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	/* Scripts wait for this line: from here on the socket is in the XSKMAP. */
	fprintf(stderr, "consume: %s queue %u: ready\n", o.ifname, o.copts.queue);

	start = last_sync = now_s();
	while (!interrupted && !st.done) {
		err = fs_consumer__poll_events(c, on_event, &st);
		if (err < 0)
			break;
		now = now_s();
		if (o.duration && now - start >= o.duration)
			break;
		if (now - last_sync >= 1.0) {
			fs_consumer__sync_groups(c); /* follow groups added or removed meanwhile */
			last_sync = now;
		}
	}
	fflush(stdout);
	fs_consumer__socket_stats(c, &sock);
	fprintf(stderr,
		"consume: %s queue %u: %llu messages delivered (%llu malformed frames, %llu "
		"heartbeats, %llu end-of-session, %llu gaps of %llu messages, %llu recovered, %llu "
		"stale) in %.2f s; the socket lost %llu frames (RX ring full %llu, no free buffer "
		"%llu)\n",
		o.ifname, o.copts.queue, (unsigned long long)st.msgs, (unsigned long long)st.malformed,
		(unsigned long long)st.heartbeats, (unsigned long long)st.end_of_session,
		(unsigned long long)st.gaps, (unsigned long long)st.lost,
		(unsigned long long)st.recovered, (unsigned long long)st.stale, now_s() - start,
		/* a frame without a buffer is counted in rx_dropped and as a fill-ring miss */
		(unsigned long long)(sock.rx_ring_full + sock.rx_dropped),
		(unsigned long long)sock.rx_ring_full, (unsigned long long)sock.rx_dropped);
	fs_consumer__destroy(c);
	return err < 0 ? cli_error("%s: consume failed: %s", o.ifname, strerror(-err)) : 0;
}
