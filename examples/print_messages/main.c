// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * print_messages: the smallest complete libfeedsieve application, to start from.
 *
 *   print_messages IFNAME [QUEUE]
 *
 * It reads what feedsieve delivers on one RX queue of IFNAME and prints one line per subscribed
 * message and one line per gap, until SIGINT or SIGTERM. The interface is configured beforehand
 * with the feedsieve CLI (attach, group add, sub add, or apply), which can change groups and
 * symbols while this runs.
 *
 * Replace the printf()s in on_event() with your own handling.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <feedsieve.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

struct tally {
	unsigned long long msgs, gaps;
};

/* An MDP3 message: its template, then the subscribed instruments it updates (one per entry of
 * its keyed group, or the one in its root; none for ChannelReset and AdminHeartbeat). */
static void print_mdp3(const struct fs_event *ev)
{
	char sym[FS_SYMBOL_LEN + 1];
	struct fs_entry_iter it;
	struct fs_entry e;

	printf("msg channel=%s seq=%llu template=%u", ev->channel_name,
	       (unsigned long long)ev->msg->seq, ev->msg->type);
	fs_entry_iter__init(&it, ev->msg);
	while (fs_entry_iter__next(&it, &e)) {
		strcpy(sym, "?"); /* unknown until the instrument's definition passed */
		if (e.symbol_known)
			fs_symbol_str(&e.symbol, sym);
		printf(" security_id=%d symbol=%s", e.security_id, sym);
	}
	printf("%s\n", ev->late ? " late" : "");
}

/*
 * Called on the polling thread for every event, in sequence order within each channel. It
 * delays the next poll of the ring for as long as it runs: do the minimum here and hand heavy
 * work to another thread. A non-zero return would stop the batch and be returned by
 * fs_consumer__poll_events().
 */
static int on_event(const struct fs_event *ev, void *ctx)
{
	struct tally *t = ctx;
	char sym[FS_SYMBOL_LEN + 1] = "?"; /* unknown until the Stock Directory entry passed */

	switch (ev->type) {
	case FS_EV_MESSAGE: /* subscribed, exactly once, whichever line brought it first */
		t->msgs++;
		if (ev->proto == FS_PROTO_MDP3) {
			print_mdp3(ev);
			break;
		}
		if (ev->msg->symbol_known)
			fs_symbol_str(&ev->msg->symbol, sym);
		printf("msg channel=%s seq=%llu type=%c symbol=%s%s\n", ev->channel_name,
		       (unsigned long long)ev->msg->seq, ev->msg->type, sym,
		       ev->late ? " late" : "");
		break;
	case FS_EV_GAP: /* [from, from + count) came on no line: ask for a retransmission */
		printf("gap channel=%s from=%llu count=%llu\n", ev->channel_name,
		       (unsigned long long)ev->from, (unsigned long long)ev->count);
		t->gaps++;
		break;
	default: /* recovered gaps, heartbeats, session starts, stale channels, malformed frames */
		break;
	}
	return 0;
}

static int parse_queue(const char *text, __u32 *queue)
{
	unsigned long q;
	char *end;

	errno = 0;
	q = strtoul(text, &end, 10);
	if (errno || end == text || *end || q >= FS_MAX_QUEUES)
		return -EINVAL;
	*queue = (__u32)q;
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts); /* no system call: cheap enough per poll */
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	FS_OPTS(fs_consumer_opts, opts); /* zeros are the defaults: busy-polling, queue 0 */
	struct sigaction sa = {.sa_handler = on_signal};
	struct fs_consumer *c = NULL;
	struct tally t = {0};
	const char *ifname;
	double last_sync;
	int err;

	if (argc < 2 || argc > 3 || (argc == 3 && parse_queue(argv[2], &opts.queue))) {
		fprintf(stderr, "usage: print_messages IFNAME [QUEUE]\n");
		return 2;
	}
	ifname = argv[1];

	/* The socket on IFNAME's queue, registered with the XDP program; joins the groups. */
	err = fs_consumer__create(ifname, &opts, &c);
	if (err) {
		fprintf(stderr, "print_messages: %s queue %u: %s\n", ifname, opts.queue,
			err == -ENOENT  ? "feedsieve is not attached (feedsieve attach IFNAME)"
			: err == -EBUSY ? "the queue already has a consumer"
					: strerror(-err));
		return 1;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	fprintf(stderr, "print_messages: %s queue %u: ready\n", ifname, opts.queue);

	last_sync = now_s();
	while (!stop) {
		err = fs_consumer__poll_events(c, on_event, &t);
		if (err < 0)
			break;
		/* Follow groups added or removed with the CLI meanwhile. */
		if (now_s() - last_sync >= 1.0) {
			last_sync = now_s();
			fs_consumer__sync_groups(c);
		}
	}
	fflush(stdout);
	if (err < 0)
		fprintf(stderr, "print_messages: %s: %s\n", ifname, strerror(-err));
	fprintf(stderr, "print_messages: %llu messages, %llu gaps\n", t.msgs, t.gaps);
	fs_consumer__destroy(c);
	return err < 0 ? 1 : 0;
}
