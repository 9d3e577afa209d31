// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* feedsieve consume: a busy-polling AF_XDP consumer that prints every delivered message. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>

#include "cli.h"

/* Queue or CPU numbers: --queue Q, --queues LIST, --cpus LIST. */
struct id_list {
	__u32 v[FS_MAX_QUEUES];
	size_t n;
};

struct consume_opts {
	const char *ifname;
	struct fs_consumer_opts copts;
	struct id_list queues, cpus;
	__u64 duration; /* seconds, 0 = until interrupted */
	__u64 count;	/* messages, 0 = no limit */
	bool json;
	bool drop_caps; /* keep only FS_CAP_CONSUMER once the sockets are set up */
};

/* Shared by the consumer threads: counted with atomics. */
struct consume_state {
	const struct consume_opts *o;
	__u64 msgs, malformed, heartbeats, end_of_session, gaps, lost, recovered, stale;
	__u64 recoveries, rec_count, rec_filled; /* holes asked of servers, their numbers, filled */
	int done;
};

static double now_s(void)
{
	return (double)fsi_now_ns() / 1e9;
}

#define ADD(field, n) __atomic_fetch_add(&st->field, (n), __ATOMIC_RELAXED)

static int on_event(const struct fs_event *ev, void *ctx)
{
	struct consume_state *st = ctx;
	__u64 nth = 0;

	if (__atomic_load_n(&st->done, __ATOMIC_RELAXED))
		return 0;
	switch (ev->type) {
	case FS_EV_MESSAGE:
		nth = ADD(msgs, 1) + 1;
		if (st->o->count && nth > st->o->count)
			return 0; /* another thread printed the last one */
		break;
	case FS_EV_MALFORMED:
		ADD(malformed, 1);
		break;
	case FS_EV_HEARTBEAT:
		ADD(heartbeats, 1);
		break;
	case FS_EV_END_OF_SESSION:
		ADD(end_of_session, 1);
		break;
	case FS_EV_GAP:
		ADD(gaps, 1);
		ADD(lost, ev->count);
		break;
	case FS_EV_GAP_RECOVERED:
		ADD(recovered, ev->count);
		break;
	case FS_EV_STALE:
		ADD(stale, 1);
		break;
	case FS_EV_RECOVERY: /* its filled numbers arrive as messages, the rest as gaps */
		ADD(recoveries, 1);
		ADD(rec_count, ev->count);
		ADD(rec_filled, ev->filled);
		break;
	case FS_EV_SESSION:
	case FS_EV_SNAPSHOT:
		break;
	}
	/* Whole lines: the stdio lock is recursive, so the printf()s inside nest in it. */
	flockfile(stdout);
	if (st->o->json)
		consume_print_json(ev);
	else
		consume_print_text(ev);
	funlockfile(stdout);
	if (st->o->count && nth == st->o->count)
		__atomic_store_n(&st->done, 1, __ATOMIC_RELAXED);
	return 0;
}

/* "0-3,6" -> {0,1,2,3,6}; each value <= opt->max. */
static int parse_list(const struct cli_opt *opt, const char *what, const char *text, void *field)
{
	struct id_list *l = field;
	const char *p = text;

	l->n = 0;
	while (*p) {
		unsigned long lo, hi;
		char *end;

		lo = hi = strtoul(p, &end, 10);
		if (end == p)
			break;
		if (*end == '-') {
			p = end + 1;
			hi = strtoul(p, &end, 10);
			if (end == p)
				break;
		}
		if (lo > hi || hi > opt->max || l->n + (hi - lo + 1) > FS_MAX_QUEUES)
			break;
		for (; lo <= hi; lo++)
			l->v[l->n++] = (__u32)lo;
		p = end;
		if (*p == ',')
			p++;
		else if (*p)
			break;
	}
	if (*p || !l->n) {
		cli_usage_error("%s: '%s' is not a list like 0-3,6 of numbers up to %llu", what, text,
				(unsigned long long)opt->max);
		return -EINVAL;
	}
	return 0;
}

/* --queue Q: the list of one queue. */
static int parse_queue(const struct cli_opt *opt, const char *what, const char *text, void *field)
{
	struct id_list *l = field;

	if (cli_parse_uint(opt, what, text, &l->v[0]))
		return -EINVAL;
	l->n = 1;
	return 0;
}

/* A ring size the kernel accepts: a power of two. */
static int parse_ring(const struct cli_opt *opt, const char *what, const char *text, void *field)
{
	__u32 *v = field;

	if (cli_parse_uint(opt, what, text, v))
		return -EINVAL;
	if (*v < 64 || (*v & (*v - 1))) {
		cli_usage_error("%s: %u is not a power of two from 64 to 1048576", what, *v);
		return -EINVAL;
	}
	return 0;
}

static int parse_frame_size(const struct cli_opt *opt, const char *what, const char *text,
			    void *field)
{
	__u32 *v = field;

	if (cli_parse_uint(opt, what, text, v))
		return -EINVAL;
	if (*v != 2048 && *v != 4096) {
		cli_usage_error("%s must be 2048 or 4096", what);
		return -EINVAL;
	}
	return 0;
}

/* What the table cannot say: how the options go together. */
static int check_args(struct consume_opts *o)
{
	__u32 fill;

	if (o->cpus.n && o->cpus.n != (o->queues.n ? o->queues.n : 1))
		return cli_usage_error("consume: --cpus names %zu CPUs for %zu queues", o->cpus.n,
				       o->queues.n ? o->queues.n : (size_t)1);
	if (o->copts.fill_size && o->copts.rx_size && o->copts.fill_size < o->copts.rx_size)
		return cli_usage_error("consume: --fill-ring must be at least --rx-ring");
	/* Every UMEM frame must fit the fill ring at once (the library's default ring sizes: an
	 * RX ring of 2048, a fill ring twice the RX ring). */
	fill = o->copts.fill_size ? o->copts.fill_size
				  : 2 * (o->copts.rx_size ? o->copts.rx_size : 2048);
	if (o->copts.num_frames > fill)
		return cli_usage_error("consume: --frames %u must be at most --fill-ring (%u)",
				       o->copts.num_frames, fill);
	if (!o->queues.n)
		o->queues.n = 1; /* queue 0 */
	return 0;
}

static void print_summary(const struct consume_opts *o, const struct consume_state *st,
			  struct fs_consumer_set *set, double secs)
{
	__u64 lost = 0, full = 0, nobuf = 0;
	size_t i;

	for (i = 0; i < fs_consumer_set__count(set); i++) {
		struct fs_socket_stats sock = {};

		fs_consumer__socket_stats(fs_consumer_set__consumer(set, i), &sock);
		/* a frame without a buffer is counted in rx_dropped and as a fill-ring miss */
		lost += sock.rx_ring_full + sock.rx_dropped;
		full += sock.rx_ring_full;
		nobuf += sock.rx_dropped;
	}
	fprintf(
	    stderr,
	    "consume: %s %zu queue%s: %llu messages delivered (%llu malformed frames, %llu "
	    "heartbeats, %llu end-of-session, %llu gaps of %llu messages, %llu recovered, %llu "
	    "recoveries filling %llu of %llu, %llu stale) in %.2f s; the socket%s lost %llu frames "
	    "(RX ring full %llu, no free buffer %llu)\n",
	    o->ifname, o->queues.n, o->queues.n > 1 ? "s" : "",
	    (unsigned long long)(o->count && st->msgs > o->count ? o->count : st->msgs),
	    (unsigned long long)st->malformed, (unsigned long long)st->heartbeats,
	    (unsigned long long)st->end_of_session, (unsigned long long)st->gaps,
	    (unsigned long long)st->lost, (unsigned long long)st->recovered,
	    (unsigned long long)st->recoveries, (unsigned long long)st->rec_filled,
	    (unsigned long long)st->rec_count, (unsigned long long)st->stale, secs, o->queues.n > 1 ? "s" : "",
	    (unsigned long long)lost, (unsigned long long)full, (unsigned long long)nobuf);
}

/* RX queues of IFNAME as its driver reports them (ETHTOOL_GCHANNELS), or a negative errno. */
static int rx_queues(const char *ifname)
{
	struct ethtool_channels ch = {.cmd = ETHTOOL_GCHANNELS};
	struct ifreq ifr = {.ifr_data = (void *)&ch};
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), err = 0;

	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, SIOCETHTOOL, &ifr))
		err = -errno;
	close(fd);
	return err ? err : (int)(ch.rx_count + ch.combined_count);
}

/* The kernel refuses to bind an AF_XDP socket to a queue the interface does not have (EINVAL):
 * name the queue, when the driver tells how many it has. */
static int socket_error(const struct consume_opts *o, int err)
{
	int n = err == -EINVAL ? rx_queues(o->ifname) : 0;
	size_t i;

	for (i = 0; n > 0 && i < o->queues.n; i++)
		if (o->queues.v[i] >= (__u32)n)
			return cli_error("%s: queue %u does not exist: the interface has %d RX "
					 "queue%s",
					 o->ifname, o->queues.v[i], n, n > 1 ? "s" : "");
	return cli_error("%s: cannot create the AF_XDP socket%s: %s", o->ifname,
			 o->queues.n > 1 ? "s" : "", strerror(-err));
}

/* Why the consumer threads stopped on their own, as one line. */
static int stop_error(const struct consume_opts *o, int err)
{
	switch (err) {
	case -ENETDOWN:
	case -ENODEV:
		return cli_error(
		    "%s: the interface went away; consumer stopped (its pins stay under "
		    "%s/%s until 'feedsieve detach %s')",
		    o->ifname, FS_PIN_ROOT, o->ifname, o->ifname);
	case -ESTALE:
		return cli_error("%s: feedsieve was detached from the interface; consumer stopped",
				 o->ifname);
	default:
		return cli_error("%s: consume failed: %s", o->ifname, strerror(-err));
	}
}

static int do_consume(const void *opts, char **args)
{
	struct consume_opts o = *(const struct consume_opts *)opts;
	o.copts.sz = sizeof(o.copts); /* the table filled the fields; this library's size */
	struct consume_state st = {.o = &o};
	struct fs_consumer_set *set = NULL;
	double start;
	size_t i;
	int err;

	o.ifname = args[0];
	err = check_args(&o);
	if (err)
		return err;
	err = fs_consumer_set__create(o.ifname, o.queues.v,
				      o.cpus.n ? (const int *)o.cpus.v : NULL, o.queues.n,
				      &o.copts, &set);
	if (err == -ENODEV || err == -ENOENT || err == -EPERM || err == -EACCES || err == -EPROTO)
		return cli_iface_error(o.ifname, err);
	if (err == -EBUSY)
		return cli_error("%s: a queue of %s already has a consumer", o.ifname,
				 o.queues.n > 1 ? "those" : "that");
	if (err == -ENOMEM && o.copts.hugepages)
		return cli_error("%s: not enough huge pages for the UMEM (raise vm.nr_hugepages)",
				 o.ifname);
	if (err)
		return socket_error(&o, err);
	/* Set up: from here on the consumer only reads rings and mmapped maps. Before the threads
	 * start, because capabilities are per thread and new threads inherit them. */
	if (o.drop_caps) {
		err = fs_drop_capabilities(FS_CAP_CONSUMER);
		if (err) {
			fs_consumer_set__destroy(set);
			return cli_error("%s: cannot drop capabilities: %s", o.ifname,
					 strerror(-err));
		}
	}
	/* A line is out once its message is handed over: a consumer killed (SIGKILL) loses no
	 * message it reported, and its successor resumes right after it (docs/integrity.md). */
	setvbuf(stdout, NULL, _IOLBF, 0);
	cli_catch_stop_signals();
	/* Scripts wait for this line: from here on the sockets are in the XSKMAP. */
	for (i = 0; i < o.queues.n; i++)
		fprintf(stderr, "consume: %s queue %u: ready (%s mode%s%s)\n", o.ifname,
			o.queues.v[i],
			fs_consumer__zero_copy(fs_consumer_set__consumer(set, i)) ? "zero-copy"
										  : "copy",
			o.cpus.n ? ", pinned" : "",
			o.drop_caps ? ", capabilities dropped but CAP_BPF" : "");

	start = now_s();
	err = fs_consumer_set__start(set, on_event, &st);
	while (!err && !cli_stop && !__atomic_load_n(&st.done, __ATOMIC_RELAXED) &&
	       !fs_consumer_set__error(set) && !(o.duration && now_s() - start >= o.duration)) {
		struct timespec nap = {.tv_nsec = 2 * 1000 * 1000};

		nanosleep(&nap, NULL);
	}
	if (!err)
		err = fs_consumer_set__stop(set);
	fflush(stdout);
	print_summary(&o, &st, set, now_s() - start);
	fs_consumer_set__destroy(set);
	return err < 0 ? stop_error(&o, err) : 0;
}

#define F(field) CLI_FIELD(struct consume_opts, field)
const struct cli_cmd cli_cmd_consume = {
	.name = "consume",
	.args = "IFNAME",
	.opts = (const struct cli_opt[]){
		{.name = "queue", .metavar = "Q", .parse = parse_queue, F(queues),
		 .max = FS_MAX_QUEUES - 1, .help = "the RX queue to read (default 0)"},
		{.name = "queues", .metavar = "LIST", .parse = parse_list, F(queues),
		 .max = FS_MAX_QUEUES - 1, .help = "RX queues, as in 0-3,6: a socket and thread each"},
		{.name = "cpus", .metavar = "LIST", .parse = parse_list, F(cpus), .max = 4095,
		 .help = "pin the thread of each queue to the matching CPU"},
		{.name = "duration", .metavar = "SECONDS", .parse = cli_parse_uint, F(duration),
		 .max = 86400 * 365, .help = "stop after this many seconds"},
		{.name = "count", .metavar = "N", .parse = cli_parse_uint, F(count), .max = ~0ULL,
		 .help = "stop after N messages"},
		{.name = "json", F(json), .help = "one JSON object a line"},
		{.name = "sleep", F(copts.sleep), .help = "wait in poll(2) when idle"},
		{.name = "batch", .metavar = "N", .parse = cli_parse_uint, F(copts.batch), .min = 1,
		 .max = 4096, .below_min = "must be 1 to 4096",
		 .help = "descriptors taken per poll (default 64)"},
		CLI_SEQUENCER_OPTS(struct consume_opts, copts.gap_grace_ns, copts.stale_ns),
		{.name = "recovery-deadline-ms", .metavar = "MS", .parse = cli_parse_ms,
		 F(copts.recovery_deadline_ns), .min = 1, .max = 60000,
		 .below_min = "must be at least 1",
		 .help = "how long a hole waits for its channel's re-request server (default 1000; "
			 "sooner when the window passes it, 32768 numbers on)"},
		{.name = "rx-ring", .metavar = "N", .parse = parse_ring, F(copts.rx_size),
		 .max = 1 << 20, .help = "RX ring entries, a power of two (default 2048)"},
		{.name = "fill-ring", .metavar = "N", .parse = parse_ring, F(copts.fill_size),
		 .max = 1 << 20, .help = "fill ring entries (default twice the RX ring)"},
		{.name = "frames", .metavar = "N", .parse = cli_parse_uint, F(copts.num_frames),
		 .min = 64, .max = 1 << 20, .below_min = "must be at least 64",
		 .help = "UMEM frames (default one per fill ring entry)"},
		{.name = "frame-size", .metavar = "2048|4096", .parse = parse_frame_size,
		 F(copts.frame_size), .max = 4096, .help = "UMEM frame size (default 4096)"},
		{.name = "hugepages", F(copts.hugepages), .help = "back the UMEM with huge pages"},
		{.name = "copy", F(copts.xsk_mode), .max = FS_XSK_COPY, .help = "force copy mode"},
		{.name = "zero-copy", F(copts.xsk_mode), .max = FS_XSK_ZEROCOPY,
		 .help = "force zero-copy mode"},
		{.name = "busy-poll-us", .metavar = "US", .parse = cli_parse_uint,
		 F(copts.busy_poll_us), .max = 1000000, .help = "set SO_BUSY_POLL on the sockets"},
		{.name = "busy-poll-budget", .metavar = "N", .parse = cli_parse_uint,
		 F(copts.busy_poll_budget), .max = 65535,
		 .help = "SO_BUSY_POLL_BUDGET (default the batch size)"},
		{.name = "no-prefer-busy-poll", F(copts.no_prefer_busy_poll),
		 .help = "do not set SO_PREFER_BUSY_POLL"},
		{.name = "drop-caps", F(drop_caps),
		 .help = "once set up, drop every capability but CAP_BPF"},
		{},
	},
	.opts_size = sizeof(struct consume_opts),
	.run = do_consume,
	.help = "Read the delivered frames from AF_XDP sockets and print each subscribed message.",
	.synopsis = "[--queue Q | --queues LIST] [--cpus LIST] [--duration SECONDS] [--count N] "
		    "[--json] ...",
};
#undef F
