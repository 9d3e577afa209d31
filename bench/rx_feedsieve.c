// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * rx_feedsieve: the load benchmarks' feedsieve receiver. One sequenced AF_XDP consumer
 * (fs_consumer__poll_events) on RX queue 0 of an interface feedsieve is attached to, busy-polling
 * on a pinned CPU. It counts the subscribed traffic messages, their one-way latency (the
 * injector's stamp against CLOCK_MONOTONIC, read once per frame) and the gap events; on SIGTERM
 * or after --duration it prints one JSON object.
 *
 * Besides the end-to-end latency it splits each frame's latency at the moment feedsieve's XDP
 * program ran (the metadata timestamp): before it (the injector's batch, the veth ring) and after
 * it (the AF_XDP copy, the RX ring, the consumer).
 *
 * A spinning consumer uses its whole CPU whatever the load, so it also estimates how busy it
 * really was: empty polls a second while frames arrive, against empty polls a second before the
 * traffic, when it had nothing to do (busy_est, 0 to 1).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feedsieve.h"
#include "options.h"
#include "report.h"
#include "rx.h"

struct rxf_opts {
	const char *ifname;
	struct fs_consumer_opts copts;
	int cpu;
	double duration;
	const char *hist;
};

struct rxf_state {
	struct rx_meter m;
	__u64 frame_seq; /* sequence number of the frame being handed over */
	__u64 now;	 /* clock read when that frame's first message came */
	bool in_frame;
	struct hist to_xdp, after_xdp; /* stamp -> XDP program, XDP program -> consumer */
	__u64 t_ready, empty_polls, empty_first, empty_last; /* for busy_est */
	__u64 recovered, stale, malformed, heartbeats, sessions;
};

static void on_message(struct rxf_state *st, const struct fs_event *ev)
{
	const struct fs_msg *msg = ev->msg;
	const struct fs_frame *f = ev->frame;
	__u64 stamp;

	if (msg->type != INJ_MSG_TYPE || msg->len < ITCH_COMMON_LEN) {
		st->m.other_msgs++;
		return;
	}
	stamp = rx_stamp(msg->body);
	/* A new frame: the events of one frame come together, and sequence numbers identify it. */
	if (!st->in_frame || f->seq != st->frame_seq) {
		st->in_frame = true;
		st->frame_seq = f->seq;
		st->now = rx_now_ns();
		rx_meter_frame(&st->m, st->now);
		if (st->m.t_first == st->now)
			st->empty_first = st->empty_polls;
		if (st->m.t_last == st->now)
			st->empty_last = st->empty_polls;
		st->m.frames++;
		if (f->rx_ts_ns) {
			hist_add(&st->to_xdp, (f->rx_ts_ns - stamp) & INJ_TS_MASK, 1);
			hist_add(&st->after_xdp, st->now - f->rx_ts_ns, 1);
		}
	}
	rx_meter_msg(&st->m, msg->seq, stamp, st->now);
}

static int on_event(const struct fs_event *ev, void *ctx)
{
	struct rxf_state *st = ctx;

	switch (ev->type) {
	case FS_EV_MESSAGE:
		on_message(st, ev);
		break;
	case FS_EV_GAP:
		st->m.gaps++;
		st->m.gap_msgs += ev->count;
		break;
	case FS_EV_GAP_RECOVERED:
		st->recovered += ev->count;
		break;
	case FS_EV_STALE:
		st->stale++;
		break;
	case FS_EV_MALFORMED:
		st->malformed++;
		break;
	case FS_EV_HEARTBEAT:
	case FS_EV_END_OF_SESSION:
		st->heartbeats++;
		break;
	case FS_EV_SESSION:
		st->sessions++;
		break;
	case FS_EV_RECOVERY: /* the load benchmarks name no re-request server nor snapshot group */
	case FS_EV_SNAPSHOT:
		break;
	}
	return 0;
}

static void print_hist_short(const char *name, const struct hist *h)
{
	printf(",\"%s\":{\"count\":%llu,\"p50_ns\":%llu,\"p99_ns\":%llu,\"max_ns\":%llu}", name,
	       (unsigned long long)h->count, (unsigned long long)hist_quantile(h, 0.5),
	       (unsigned long long)hist_quantile(h, 0.99), (unsigned long long)h->max);
}

/* 1 - (empty polls a second in the traffic) / (empty polls a second before it); -1: unknown. */
static double busy_estimate(const struct rxf_state *st)
{
	const struct rx_meter *m = &st->m;
	double idle_rate, rate;

	if (!m->started || m->t_first <= st->t_ready || m->t_last <= m->t_first || !st->empty_first)
		return -1;
	idle_rate = (double)st->empty_first / (double)(m->t_first - st->t_ready);
	rate = (double)(st->empty_last - st->empty_first) / (double)(m->t_last - m->t_first);
	return rate >= idle_rate ? 0.0 : 1.0 - rate / idle_rate;
}

static void print_summary(const struct rxf_opts *o, const struct rxf_state *st,
			  struct fs_consumer *c)
{
	struct fs_socket_stats sock = {};

	fs_consumer__socket_stats(c, &sock);
	printf("{\"receiver\":\"feedsieve\",\"mode\":\"%s\",\"busy_poll_us\":%u,\"batch\":%u,"
	       "\"rx_ring\":%u,\"cpu\":%d,",
	       o->copts.sleep ? "sleep" : "busy-poll", o->copts.busy_poll_us, o->copts.batch,
	       o->copts.rx_size, o->cpu);
	rx_meter_json(&st->m, stdout);
	printf(",\"recovered_msgs\":%llu,\"stale\":%llu,\"malformed\":%llu,\"heartbeats\":%llu,"
	       "\"sessions\":%llu,\"sock_rx_dropped\":%llu,\"sock_rx_ring_full\":%llu,"
	       "\"sock_fill_ring_empty\":%llu,\"busy_est\":%.3f",
	       (unsigned long long)st->recovered, (unsigned long long)st->stale,
	       (unsigned long long)st->malformed, (unsigned long long)st->heartbeats,
	       (unsigned long long)st->sessions, (unsigned long long)sock.rx_dropped,
	       (unsigned long long)sock.rx_ring_full, (unsigned long long)sock.rx_fill_ring_empty,
	       busy_estimate(st));
	print_hist_short("lat_to_xdp", &st->to_xdp);
	print_hist_short("lat_after_xdp", &st->after_xdp);
	printf("}\n");
	fflush(stdout);
}

static int run(const struct rxf_opts *o)
{
	struct rxf_state *st = calloc(1, sizeof(*st));
	struct fs_consumer *c = NULL;
	__u64 end;
	int err;

	if (!st)
		return -ENOMEM;
	rx_meter_init(&st->m);
	hist_init(&st->to_xdp);
	hist_init(&st->after_xdp);
	err = rx_pin(o->cpu);
	if (err) {
		fprintf(stderr, "rx_feedsieve: pin to CPU %d: %s\n", o->cpu, strerror(-err));
		goto out;
	}
	err = fs_consumer__create(o->ifname, &o->copts, &c);
	if (err) {
		fprintf(stderr, "rx_feedsieve: %s: consumer: %s\n", o->ifname, strerror(-err));
		goto out;
	}
	fprintf(stderr, "rx_feedsieve: %s: ready (%s)\n", o->ifname,
		fs_consumer__zero_copy(c) ? "zero-copy" : "copy mode");
	st->t_ready = rx_now_ns();
	end = o->duration > 0 ? st->t_ready + (__u64)(o->duration * 1e9) : ~0ULL;
	while (!rx_stop) {
		int n = fs_consumer__poll_events(c, on_event, st);

		if (n < 0) {
			err = n;
			fprintf(stderr, "rx_feedsieve: poll: %s\n", strerror(-err));
			break;
		}
		if (n > 0)
			continue;
		st->empty_polls++;
		/* Checked only when idle: time is read per frame already, not per empty poll. */
		if (end != ~0ULL && rx_now_ns() >= end)
			break;
	}
	print_summary(o, st, c);
	if (!err)
		err = rx_meter_write_hist(&st->m, o->hist);
out:
	fs_consumer__destroy(c);
	free(st);
	return err;
}

#define OPT(field) CLI_FIELD(struct rxf_opts, field)
/* Ranges (RX_OPTS: rx.h): what the library's rings can be. */
static const struct cli_opt rxf_opts_table[] = {
    {"iface", 0, "IFNAME", "the interface feedsieve is attached to (required)", cli_parse_str,
     OPT(ifname)},
    RX_OPTS(struct rxf_opts),
    {"busy-poll-us", 0, "US", "SO_BUSY_POLL time", cli_parse_uint, OPT(copts.busy_poll_us), 0,
     1000000},
    {"batch", 0, "B", "descriptors per poll (default 64)", cli_parse_uint, OPT(copts.batch), 1,
     65536, "must be at least 1"},
    {"rx-ring", 0, "N", "RX ring size (default 2048)", cli_parse_uint, OPT(copts.rx_size), 1,
     1 << 20, "must be at least 1"},
    {"sleep", 0, NULL, "poll() when idle instead of spinning", NULL, OPT(copts.sleep)},
    {},
};

static const struct cli_cmd rxf_cmd = {
    .args = "",
    .opts = rxf_opts_table,
    .help = "feedsieve's sequenced AF_XDP consumer, metered: a JSON summary on stdout",
    .synopsis = "--iface IFNAME [--cpu C] [--duration S] [--hist FILE] [--busy-poll-us US] "
		"[--batch B] [--rx-ring N] [--sleep]",
};

int main(int argc, char **argv)
{
	struct rxf_opts o = {.cpu = -1,
			     .copts = {.sz = sizeof(o.copts), .batch = 64, .rx_size = 2048}};
	int rc;

	rc = cli_parse_program("rx_feedsieve", &rxf_cmd, argc, argv, &o);
	if (rc != CLI_RUN)
		return rc;
	if (!o.ifname)
		return cli_usage_error("--iface IFNAME is required");
	rx_signals();
	return run(&o) ? 1 : 0;
}
