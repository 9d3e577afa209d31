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

struct consume_opts {
	const char *ifname;
	struct fs_consumer_opts copts;
	__u32 queues[FS_MAX_QUEUES];
	int cpus[FS_MAX_QUEUES];
	size_t nqueues, ncpus;
	double duration; /* seconds, 0 = until interrupted */
	__u64 count;	 /* messages, 0 = no limit */
	bool json;
	bool drop_caps; /* keep only FS_CAP_CONSUMER once the sockets are set up */
};

/* Shared by the consumer threads: counted with atomics. */
struct consume_state {
	const struct consume_opts *o;
	__u64 msgs, malformed, heartbeats, end_of_session, gaps, lost, recovered, stale;
	int done;
};

static double now_s(void)
{
	return (double)cli_now_ns() / 1e9;
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
	case FS_EV_SESSION:
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

/* "0-3,6" -> {0,1,2,3,6}; each value <= MAX. */
static bool parse_list(const char *opt, const char *text, unsigned int max, unsigned int *out,
		       size_t *n)
{
	const char *p = text;

	*n = 0;
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
		if (lo > hi || hi > max || *n + (hi - lo + 1) > FS_MAX_QUEUES)
			break;
		for (; lo <= hi; lo++)
			out[(*n)++] = (unsigned int)lo;
		p = end;
		if (*p == ',')
			p++;
		else if (*p)
			break;
	}
	if (*p || !*n) {
		cli_usage_error("%s: '%s' is not a list like 0-3,6 of numbers up to %u", opt, text,
				max);
		return false;
	}
	return true;
}

/* A ring size the kernel accepts: a power of two. */
static bool parse_ring(const char *opt, const char *text, __u32 *out)
{
	__u64 v;

	if (!cli_parse_u64(opt, text, 1 << 20, &v))
		return false;
	if (v < 64 || (v & (v - 1))) {
		cli_usage_error("%s: %llu is not a power of two from 64 to 1048576", opt,
				(unsigned long long)v);
		return false;
	}
	*out = (__u32)v;
	return true;
}

enum {
	OPT_QUEUE = 'q',
	OPT_DURATION = 'd',
	OPT_COUNT = 'c',
	OPT_JSON = 'j',
	OPT_SLEEP = 's',
	OPT_BATCH = 'b',
	OPT_GRACE = 256,
	OPT_STALE,
	OPT_QUEUES,
	OPT_CPUS,
	OPT_RX_RING,
	OPT_FILL_RING,
	OPT_FRAMES,
	OPT_FRAME_SIZE,
	OPT_HUGEPAGES,
	OPT_COPY,
	OPT_ZEROCOPY,
	OPT_BUSY_US,
	OPT_BUSY_BUDGET,
	OPT_NO_PREFER,
	OPT_DROP_CAPS,
};

static int parse_args(int argc, char **argv, struct consume_opts *o)
{
	static const struct option opts[] = {
	    {"queue", required_argument, NULL, OPT_QUEUE},
	    {"queues", required_argument, NULL, OPT_QUEUES},
	    {"cpus", required_argument, NULL, OPT_CPUS},
	    {"duration", required_argument, NULL, OPT_DURATION},
	    {"count", required_argument, NULL, OPT_COUNT},
	    {"json", no_argument, NULL, OPT_JSON},
	    {"sleep", no_argument, NULL, OPT_SLEEP},
	    {"batch", required_argument, NULL, OPT_BATCH},
	    {"gap-grace-ms", required_argument, NULL, OPT_GRACE},
	    {"stale-ms", required_argument, NULL, OPT_STALE},
	    {"rx-ring", required_argument, NULL, OPT_RX_RING},
	    {"fill-ring", required_argument, NULL, OPT_FILL_RING},
	    {"frames", required_argument, NULL, OPT_FRAMES},
	    {"frame-size", required_argument, NULL, OPT_FRAME_SIZE},
	    {"hugepages", no_argument, NULL, OPT_HUGEPAGES},
	    {"copy", no_argument, NULL, OPT_COPY},
	    {"zero-copy", no_argument, NULL, OPT_ZEROCOPY},
	    {"busy-poll-us", required_argument, NULL, OPT_BUSY_US},
	    {"busy-poll-budget", required_argument, NULL, OPT_BUSY_BUDGET},
	    {"no-prefer-busy-poll", no_argument, NULL, OPT_NO_PREFER},
	    {"drop-caps", no_argument, NULL, OPT_DROP_CAPS},
	    {},
	};
	unsigned int list[FS_MAX_QUEUES];
	__u32 fill;
	size_t i;
	__u64 v;
	int opt;

	optind = 0; /* GNU getopt: full re-initialisation */
	while ((opt = cli_getopt(argc, argv, "consume", opts)) != -1) {
		switch (opt) {
		case OPT_QUEUE:
			if (!cli_parse_u64("consume: --queue", optarg, FS_MAX_QUEUES - 1, &v))
				return EXIT_USAGE;
			o->queues[0] = (__u32)v;
			o->nqueues = 1;
			break;
		case OPT_QUEUES:
			if (!parse_list("consume: --queues", optarg, FS_MAX_QUEUES - 1, list,
					&o->nqueues))
				return EXIT_USAGE;
			for (i = 0; i < o->nqueues; i++)
				o->queues[i] = list[i];
			break;
		case OPT_CPUS:
			if (!parse_list("consume: --cpus", optarg, 4095, list, &o->ncpus))
				return EXIT_USAGE;
			for (i = 0; i < o->ncpus; i++)
				o->cpus[i] = (int)list[i];
			break;
		case OPT_DURATION:
			if (!cli_parse_u64("consume: --duration", optarg, 86400 * 365, &v))
				return EXIT_USAGE;
			o->duration = (double)v;
			break;
		case OPT_COUNT:
			if (!cli_parse_u64("consume: --count", optarg, ~0ULL, &o->count))
				return EXIT_USAGE;
			break;
		case OPT_BATCH:
			if (!cli_parse_u64("consume: --batch", optarg, 4096, &v))
				return EXIT_USAGE;
			if (v == 0)
				return cli_usage_error("consume: --batch must be 1 to 4096");
			o->copts.batch = (__u32)v;
			break;
		case OPT_GRACE:
			if (!cli_parse_u64("consume: --gap-grace-ms", optarg, 60000, &v))
				return EXIT_USAGE;
			o->copts.gap_grace_ns = v ? v * 1000000 : 1; /* 0: decide at once */
			break;
		case OPT_STALE:
			if (!cli_parse_u64("consume: --stale-ms", optarg, 86400000, &v))
				return EXIT_USAGE;
			if (!v)
				return cli_usage_error("consume: --stale-ms must be positive");
			o->copts.stale_ns = v * 1000000;
			break;
		case OPT_RX_RING:
			if (!parse_ring("consume: --rx-ring", optarg, &o->copts.rx_size))
				return EXIT_USAGE;
			break;
		case OPT_FILL_RING:
			if (!parse_ring("consume: --fill-ring", optarg, &o->copts.fill_size))
				return EXIT_USAGE;
			break;
		case OPT_FRAMES:
			if (!cli_parse_u64("consume: --frames", optarg, 1 << 20, &v))
				return EXIT_USAGE;
			if (v < 64)
				return cli_usage_error("consume: --frames must be at least 64");
			o->copts.num_frames = (__u32)v;
			break;
		case OPT_FRAME_SIZE:
			if (!cli_parse_u64("consume: --frame-size", optarg, 4096, &v))
				return EXIT_USAGE;
			if (v != 2048 && v != 4096)
				return cli_usage_error(
				    "consume: --frame-size must be 2048 or 4096");
			o->copts.frame_size = (__u32)v;
			break;
		case OPT_HUGEPAGES:
			o->copts.hugepages = true;
			break;
		case OPT_COPY:
			o->copts.xsk_mode = FS_XSK_COPY;
			break;
		case OPT_ZEROCOPY:
			o->copts.xsk_mode = FS_XSK_ZEROCOPY;
			break;
		case OPT_BUSY_US:
			if (!cli_parse_u64("consume: --busy-poll-us", optarg, 1000000, &v))
				return EXIT_USAGE;
			o->copts.busy_poll_us = (__u32)v;
			break;
		case OPT_BUSY_BUDGET:
			if (!cli_parse_u64("consume: --busy-poll-budget", optarg, 65535, &v))
				return EXIT_USAGE;
			o->copts.busy_poll_budget = (__u32)v;
			break;
		case OPT_NO_PREFER:
			o->copts.no_prefer_busy_poll = true;
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case OPT_SLEEP:
			o->copts.sleep = true;
			break;
		case OPT_DROP_CAPS:
			o->drop_caps = true;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(
		    "usage: feedsieve consume IFNAME [--queue Q | --queues LIST] "
		    "[--cpus LIST] [--duration SECONDS] [--count N] [--json] ...");
	if (o->ncpus && o->ncpus != (o->nqueues ? o->nqueues : 1))
		return cli_usage_error("consume: --cpus names %zu CPUs for %zu queues", o->ncpus,
				       o->nqueues ? o->nqueues : (size_t)1);
	if (o->copts.fill_size && o->copts.rx_size && o->copts.fill_size < o->copts.rx_size)
		return cli_usage_error("consume: --fill-ring must be at least --rx-ring");
	/* Every UMEM frame must fit the fill ring at once (the library's default ring sizes: an
	 * RX ring of 2048, a fill ring twice the RX ring). */
	fill = o->copts.fill_size ? o->copts.fill_size
				  : 2 * (o->copts.rx_size ? o->copts.rx_size : 2048);
	if (o->copts.num_frames > fill)
		return cli_usage_error("consume: --frames %u must be at most --fill-ring (%u)",
				       o->copts.num_frames, fill);
	if (!o->nqueues)
		o->nqueues = 1; /* queue 0 */
	o->ifname = argv[optind];
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
	    "stale) in %.2f s; the socket%s lost %llu frames (RX ring full %llu, no free buffer "
	    "%llu)\n",
	    o->ifname, o->nqueues, o->nqueues > 1 ? "s" : "",
	    (unsigned long long)(o->count && st->msgs > o->count ? o->count : st->msgs),
	    (unsigned long long)st->malformed, (unsigned long long)st->heartbeats,
	    (unsigned long long)st->end_of_session, (unsigned long long)st->gaps,
	    (unsigned long long)st->lost, (unsigned long long)st->recovered,
	    (unsigned long long)st->stale, secs, o->nqueues > 1 ? "s" : "",
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

	for (i = 0; n > 0 && i < o->nqueues; i++)
		if (o->queues[i] >= (__u32)n)
			return cli_error("%s: queue %u does not exist: the interface has %d RX "
					 "queue%s",
					 o->ifname, o->queues[i], n, n > 1 ? "s" : "");
	return cli_error("%s: cannot create the AF_XDP socket%s: %s", o->ifname,
			 o->nqueues > 1 ? "s" : "", strerror(-err));
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

int do_consume(int argc, char **argv)
{
	struct consume_opts o = {.copts = {.sz = sizeof(o.copts)}};
	struct consume_state st = {.o = &o};
	struct fs_consumer_set *set = NULL;
	double start;
	size_t i;
	int err;

	err = parse_args(argc, argv, &o);
	if (err)
		return err;
	err = fs_consumer_set__create(o.ifname, o.queues, o.ncpus ? o.cpus : NULL, o.nqueues,
				      &o.copts, &set);
	if (err == -ENODEV || err == -ENOENT || err == -EPERM || err == -EACCES || err == -EPROTO)
		return cli_iface_error(o.ifname, err);
	if (err == -EBUSY)
		return cli_error("%s: a queue of %s already has a consumer", o.ifname,
				 o.nqueues > 1 ? "those" : "that");
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
	for (i = 0; i < o.nqueues; i++)
		fprintf(stderr, "consume: %s queue %u: ready (%s mode%s%s)\n", o.ifname,
			o.queues[i],
			fs_consumer__zero_copy(fs_consumer_set__consumer(set, i)) ? "zero-copy"
										  : "copy",
			o.ncpus ? ", pinned" : "",
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
