// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * `feedsieve stats IFNAME --watch`: per-second rates from two snapshots of the counters and the
 * CLOCK_MONOTONIC time between them. On a terminal the screen is redrawn like top; otherwise
 * (a pipe, a file, or --json) each refresh is one line, so scripts can read it.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* The interface totals shown, and where each comes from: the program's counters (G), what the
 * consumers decided per channel (C, summed over channels) or their sockets (S, summed over
 * queues). */
#define WATCH_TOTALS(X)                                                                            \
	X(G, frames_seen, "frames the program ran on")                                             \
	X(G, frames_passed, "not a configured group: passed")                                      \
	X(G, frames_filtered, "no subscribed message: dropped in the driver")                      \
	X(G, frames_redirected, "delivered to AF_XDP sockets")                                     \
	X(G, frames_duplicate, "already brought by the other line: dropped")                       \
	X(C, msgs_delivered, "messages handed to the application")                                 \
	X(C, gaps, "gap events")                                                                   \
	X(C, msgs_lost, "messages in gaps")                                                        \
	X(S, rx_ring_full, "socket RX ring full")                                                  \
	X(S, rx_dropped, "socket dropped (no buffer)")                                             \
	X(S, rx_fill_ring_empty, "fill ring found empty")

/* Per group: the program's counters of that group. */
#define WATCH_GROUP(X)                                                                             \
	X(frames_seen)                                                                             \
	X(frames_filtered)                                                                         \
	X(frames_redirected)                                                                       \
	X(frames_duplicate)                                                                        \
	X(msgs_matched)

#define ONE_(...) 1,
static const char ones_totals_[] = {WATCH_TOTALS(ONE_)}, ones_group_[] = {WATCH_GROUP(ONE_)};
enum { NTOTALS = sizeof(ones_totals_), NGROUP = sizeof(ones_group_) };

#define NAME_T(src, name, desc) #name,
#define NAME_G(name)		#name,
static const char *const total_names[NTOTALS] = {WATCH_TOTALS(NAME_T)};
static const char *const group_names[NGROUP] = {WATCH_GROUP(NAME_G)};

struct watch_group {
	struct fs_group_info info;
	char name[FS_GROUP_STR_LEN];
	__u64 v[NGROUP];
};

struct watch_snap {
	__u64 t_ns;
	__u64 v[NTOTALS];
	int ngroups;
	struct watch_group g[FS_MAX_GROUPS];
};

/* Sums of the consumers' channel events and socket counters over channels and queues. */
static int consumer_sums(struct fs_iface *iface, struct fs_chan_events *ev,
			 struct fs_sock_counters *sock)
{
	__u32 q;
	int id;

	for (id = 0; id < FS_MAX_CHANNELS; id++) {
		struct fs_chan_events e;

		fs_stats__channel(iface, (__u8)id, &e);
#define ADD_EV(name, desc) ev->name += e.name;
		FS_CHAN_EVENT_FIELDS(ADD_EV)
	}
	for (q = 0; q < FS_MAX_QUEUES; q++) {
		struct fs_sock_counters s;
		int err = fs_stats__socket(iface, q, &s);

		if (err)
			return err;
#define ADD_SOCK(name, desc) sock->name += s.name;
		FS_SOCK_STAT_FIELDS(ADD_SOCK)
	}
	return 0;
}

static int take(struct fs_iface *iface, struct watch_snap *s)
{
	struct fs_group_info infos[FS_MAX_GROUPS];
	struct fs_chan_events C = {};
	struct fs_sock_counters S = {};
	struct fs_counters G = {};
	int i, k = 0, err;

	s->t_ns = fsi_now_ns();
	err = fs_stats__global(iface, &G) ?: consumer_sums(iface, &C, &S);
	if (err)
		return err;
#define FILL_T(src, name, desc) s->v[k++] = (src).name;
	WATCH_TOTALS(FILL_T)
	s->ngroups = fs_group__list(iface, infos, FS_MAX_GROUPS);
	if (s->ngroups < 0)
		return s->ngroups;
	if (s->ngroups > FS_MAX_GROUPS)
		s->ngroups = FS_MAX_GROUPS;
	for (i = 0; i < s->ngroups; i++) {
		struct watch_group *g = &s->g[i];
		struct fs_counters c = {};

		g->info = infos[i];
		fs_group_str(&infos[i].key, g->name);
		err = fs_stats__group(iface, infos[i].value.id, &c);
		if (err)
			return err;
		k = 0;
#define FILL_G(name) g->v[k++] = c.name;
		WATCH_GROUP(FILL_G)
	}
	return 0;
}

/* Per second; 0 when a counter went back (a group deleted and added again in between). */
static double rate(__u64 now, __u64 before, double secs)
{
	return now >= before ? (double)(now - before) / secs : 0.0;
}

/* The same group in the previous snapshot (same key, same id), or NULL for a new one. */
static const struct watch_group *prev_group(const struct watch_snap *prev,
					    const struct watch_group *g)
{
	int i;

	for (i = 0; i < prev->ngroups; i++)
		if (!memcmp(&prev->g[i].info.key, &g->info.key, sizeof(g->info.key)) &&
		    prev->g[i].info.value.id == g->info.value.id)
			return &prev->g[i];
	return NULL;
}

static void print_json(const char *ifname, const struct watch_snap *a, const struct watch_snap *b,
		       double secs)
{
	int i, k;

	printf("{\"interface\":");
	fs_json_str(stdout, ifname);
	printf(",\"elapsed_s\":%.6f,\"rates\":{", secs);
	for (k = 0; k < NTOTALS; k++)
		printf("%s\"%s\":%.1f", k ? "," : "", total_names[k], rate(b->v[k], a->v[k], secs));
	printf("},\"totals\":{");
	for (k = 0; k < NTOTALS; k++)
		printf("%s\"%s\":%llu", k ? "," : "", total_names[k], (unsigned long long)b->v[k]);
	printf("},\"groups\":[");
	for (i = 0; i < b->ngroups; i++) {
		const struct watch_group *g = &b->g[i], *p = prev_group(a, g);

		printf("%s{\"group\":\"%s\",\"line\":\"%s\",\"proto\":\"%s\",\"rates\":{",
		       i ? "," : "", g->name, fs_line_str(g->info.value.line),
		       fs_proto_str(g->info.value.proto));
		for (k = 0; k < NGROUP; k++)
			printf("%s\"%s\":%.1f", k ? "," : "", group_names[k],
			       p ? rate(g->v[k], p->v[k], secs) : 0.0);
		printf("}}");
	}
	printf("]}\n");
}

static void print_line(const char *ifname, const struct watch_snap *a, const struct watch_snap *b,
		       double secs)
{
	int k;

	printf("%s elapsed_s=%.3f", ifname, secs);
	for (k = 0; k < NTOTALS; k++)
		printf(" %s/s=%.1f", total_names[k], rate(b->v[k], a->v[k], secs));
	putchar('\n');
}

static void print_screen(const char *ifname, const struct watch_snap *a, const struct watch_snap *b,
			 double secs)
{
	static const char *const desc[NTOTALS] = {
#define DESC_T(src, name, d) d,
	    WATCH_TOTALS(DESC_T)};
	int i, k;

	/* Home and clear: the terminal shows only the latest refresh, as top does. */
	printf("\033[H\033[2J");
	printf("feedsieve stats %s: per second over the last %.2f s (Ctrl-C to quit)\n\n", ifname,
	       secs);
	printf("  %-20s %14s %16s\n", "", "per second", "total");
	for (k = 0; k < NTOTALS; k++)
		printf("  %-20s %14.1f %16llu  %s\n", total_names[k], rate(b->v[k], a->v[k], secs),
		       (unsigned long long)b->v[k], desc[k]);
	printf("\n  %-22s %-4s %-8s", "group (per second)", "line", "proto");
	for (k = 0; k < NGROUP; k++)
		printf(" %17s", group_names[k]);
	putchar('\n');
	for (i = 0; i < b->ngroups; i++) {
		const struct watch_group *g = &b->g[i], *p = prev_group(a, g);

		printf("  %-22s %-4s %-8s", g->name, fs_line_str(g->info.value.line),
		       fs_proto_str(g->info.value.proto));
		for (k = 0; k < NGROUP; k++)
			printf(" %17.1f", p ? rate(g->v[k], p->v[k], secs) : 0.0);
		putchar('\n');
	}
}

/* Sleep until DEADLINE_NS on CLOCK_MONOTONIC; false when a signal asked us to stop. */
static bool sleep_until(__u64 deadline_ns)
{
	struct timespec ts = {.tv_sec = (time_t)(deadline_ns / 1000000000ULL),
			      .tv_nsec = (long)(deadline_ns % 1000000000ULL)};

	while (!cli_stop) {
		int err = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);

		if (!err)
			return !cli_stop;
		if (err != EINTR)
			return false;
	}
	return false;
}

int stats_watch(struct fs_iface *iface, const char *ifname, const struct stats_watch_opts *o)
{
	struct watch_snap *snap = calloc(2, sizeof(*snap)), *a, *b, *t;
	bool screen = !o->json && isatty(STDOUT_FILENO);
	__u64 step = (__u64)(o->interval_s * 1e9), deadline, n;
	int err;

	if (!snap)
		return -ENOMEM;
	cli_catch_stop_signals();
	a = &snap[0];
	b = &snap[1];
	err = take(iface, a);
	deadline = a->t_ns;
	for (n = 0; !err && (!o->count || n < o->count); n++) {
		double secs;

		deadline += step;
		if (!sleep_until(deadline))
			break;
		err = take(iface, b);
		if (err)
			break;
		secs = (double)(b->t_ns - a->t_ns) / 1e9;
		if (o->json)
			print_json(ifname, a, b, secs);
		else if (screen)
			print_screen(ifname, a, b, secs);
		else
			print_line(ifname, a, b, secs);
		fflush(stdout);
		t = a;
		a = b;
		b = t;
	}
	free(snap);
	return err;
}
