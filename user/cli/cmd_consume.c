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
	__u64 frames, msgs, malformed, heartbeats, end_of_session;
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

static void print_frame_event(const struct fs_frame *f, const char *what, bool json)
{
	char group[FS_GROUP_STR_LEN], session[MOLD_SESSION_LEN + 1];

	fs_group_str(&f->group, group);
	fs_session_str(f->session, session);
	if (!json) {
		printf("%s %s session=%s next_seq=%llu\n", group, what, session,
		       (unsigned long long)f->seq);
		return;
	}
	printf("{\"group\":\"%s\",\"session\":", group);
	fs_json_str(stdout, session);
	printf(",\"%s\":true,\"next_seq\":%llu}\n", what, (unsigned long long)f->seq);
}

static void print_malformed(const struct fs_frame *f, bool json)
{
	char group[FS_GROUP_STR_LEN];

	fs_group_str(&f->group, group);
	if (json)
		printf("{\"group\":\"%s\",\"malformed\":true,\"len\":%u}\n", group, f->len);
	else
		printf("%s malformed frame, %u bytes\n", group, f->len);
}

static void print_msg(const struct fs_frame *f, const struct fs_msg *m, bool json)
{
	char group[FS_GROUP_STR_LEN], session[MOLD_SESSION_LEN + 1], sym[FS_SYMBOL_LEN + 1];
	char type[2] = {(char)m->type, '\0'};

	fs_group_str(&f->group, group);
	fs_session_str(f->session, session);
	if (m->symbol_known)
		fs_symbol_str(&m->symbol, sym);
	if (!json) {
		printf("%s session=%s seq=%llu type=%c locate=%u symbol=%s\n", group, session,
		       (unsigned long long)m->seq, m->type, m->locate, m->symbol_known ? sym : "?");
		return;
	}
	printf("{\"group\":\"%s\",\"session\":", group);
	fs_json_str(stdout, session);
	printf(",\"seq\":%llu,\"type\":", (unsigned long long)m->seq);
	fs_json_str(stdout, type);
	printf(",\"locate\":%u", m->locate);
	if (m->symbol_known) {
		printf(",\"symbol\":");
		fs_json_str(stdout, sym);
	}
	printf("}\n");
}

static int on_frame(const struct fs_frame *f, void *ctx)
{
	struct consume_state *st = ctx;
	struct fs_msg_iter it;
	struct fs_msg msg;

	st->frames++;
	if (f->malformed) {
		st->malformed++;
		print_malformed(f, st->o->json);
		return 0;
	}
	if (f->count == MOLD_COUNT_HEARTBEAT) {
		st->heartbeats++;
		print_frame_event(f, "heartbeat", st->o->json);
		return 0;
	}
	if (f->count == MOLD_COUNT_END_OF_SESSION) {
		st->end_of_session++;
		print_frame_event(f, "end_of_session", st->o->json);
		return 0;
	}
	fs_msg_iter__init(&it, f);
	while (!st->done && fs_msg_iter__next(&it, &msg)) {
		print_msg(f, &msg, st->o->json);
		if (st->o->count && ++st->msgs >= st->o->count)
			st->done = true;
		else if (!st->o->count)
			st->msgs++;
	}
	return 0;
}

static int parse_args(int argc, char **argv, struct consume_opts *o)
{
	static const struct option opts[] = {
		{"queue", required_argument, NULL, 'q'}, {"duration", required_argument, NULL, 'd'},
		{"count", required_argument, NULL, 'c'}, {"json", no_argument, NULL, 'j'},
		{"sleep", no_argument, NULL, 's'},       {"batch", required_argument, NULL, 'b'},
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
		err = fs_consumer__poll(c, on_frame, &st);
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
		"consume: %s queue %u: %llu messages delivered in %llu frames (%llu malformed, "
		"%llu heartbeats, %llu end-of-session) in %.2f s; the socket lost %llu frames (RX "
		"ring full %llu, no free buffer %llu)\n",
		o.ifname, o.copts.queue, (unsigned long long)st.msgs, (unsigned long long)st.frames,
		(unsigned long long)st.malformed, (unsigned long long)st.heartbeats,
		(unsigned long long)st.end_of_session, now_s() - start,
		/* a frame without a buffer is counted in rx_dropped and as a fill-ring miss */
		(unsigned long long)(sock.rx_ring_full + sock.rx_dropped),
		(unsigned long long)sock.rx_ring_full, (unsigned long long)sock.rx_dropped);
	fs_consumer__destroy(c);
	return err < 0 ? cli_error("%s: consume failed: %s", o.ifname, strerror(-err)) : 0;
}
