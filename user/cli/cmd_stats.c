// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* feedsieve stats: the counters of the interface, its groups and its subscribed symbols. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

#define TEXT_FIELD(name, desc)                                                                     \
	printf("  %-26s %14llu  %s\n", #name, (unsigned long long)c->name, desc);

static void print_counters_text(const struct fs_counters *c)
{
	FS_COUNTER_FIELDS(TEXT_FIELD)
}

static int print_groups(struct fs_iface *iface, bool json)
{
	struct fs_group_info groups[FS_MAX_GROUPS];
	int n = fs_group__list(iface, groups, FS_MAX_GROUPS), i;

	if (n < 0)
		return n;
	for (i = 0; i < n && i < FS_MAX_GROUPS; i++) {
		struct fs_counters c = {};
		char name[FS_GROUP_STR_LEN];
		int err = fs_stats__group(iface, groups[i].value.id, &c);

		if (err)
			return err;
		fs_group_str(&groups[i].key, name);
		if (json) {
			printf("%s{\"group\":\"%s\",\"counters\":", i ? "," : "", name);
			cli_print_counters_json(stdout, &c);
			putchar('}');
		} else {
			printf("group %s\n", name);
			print_counters_text(&c);
		}
	}
	return 0;
}

#define TEXT_EVENT(name, desc)                                                                     \
	printf("  %-26s %14llu  %s\n", #name, (unsigned long long)ev.name, desc);

/* Channels: the counters of each line, and what consumers decided about the channel. */
static int print_channels(struct fs_iface *iface, bool json)
{
	struct fs_group_info groups[FS_MAX_GROUPS];
	int n = fs_group__list(iface, groups, FS_MAX_GROUPS), printed = 0, id, i;

	if (n < 0)
		return n;
	if (n > FS_MAX_GROUPS)
		n = FS_MAX_GROUPS;
	for (id = 0; id < FS_MAX_CHANNELS; id++) {
		char name[FS_CHANNEL_NAME_LEN];
		struct fs_chan_events ev;
		int nlines = 0;

		for (i = 0; i < n && groups[i].value.channel != id; i++)
			;
		if (i == n)
			continue; /* no group on this channel */
		fs_channel__name(iface, (__u8)id, name);
		fs_stats__channel(iface, (__u8)id, &ev);
		if (json) {
			printf("%s{\"channel\":", printed ? "," : "");
			fs_json_str(stdout, name);
			printf(",\"lines\":[");
		} else {
			printf("channel %s\n", name);
		}
		for (i = 0; i < n; i++) {
			struct fs_counters c = {};
			char group[FS_GROUP_STR_LEN];

			if (groups[i].value.channel != id)
				continue;
			fs_stats__group(iface, groups[i].value.id, &c);
			fs_group_str(&groups[i].key, group);
			if (json) {
				printf("%s{\"line\":\"%s\",\"group\":\"%s\",\"counters\":",
				       nlines ? "," : "", fs_line_str(groups[i].value.line), group);
				cli_print_counters_json(stdout, &c);
				putchar('}');
			} else {
				printf("  line %s %-22s frames %llu first %llu duplicate %llu "
				       "msgs_delivered %llu msgs_filtered %llu heartbeats %llu\n",
				       fs_line_str(groups[i].value.line), group,
				       (unsigned long long)c.frames_seen,
				       (unsigned long long)c.frames_first,
				       (unsigned long long)c.frames_duplicate,
				       (unsigned long long)c.msgs_delivered,
				       (unsigned long long)c.msgs_filtered,
				       (unsigned long long)c.heartbeats);
			}
			nlines++;
		}
		if (json) {
			printf("],\"events\":");
			cli_print_chan_events_json(stdout, &ev);
			putchar('}');
		} else {
			FS_CHAN_EVENT_FIELDS(TEXT_EVENT)
		}
		printed++;
	}
	return 0;
}

#define TEXT_SOCK(name, desc)                                                                      \
	printf("    %-24s %14llu  %s\n", #name, (unsigned long long)c.name, desc);
#define JSON_SOCK(name, desc)                                                                      \
	printf("%s\"" #name "\":%llu", sep, (unsigned long long)c.name), sep = ",";

/* The socket counters consumers published, for the queues that ever had one. */
static int print_sockets(struct fs_iface *iface, bool json)
{
	__u32 q;
	int printed = 0;

	for (q = 0; q < FS_MAX_QUEUES; q++) {
		struct fs_sock_counters c;
		const char *sep = "";
		int err = fs_stats__socket(iface, q, &c);

		if (err)
			return err;
		if (!c.published_ns)
			continue;
		if (json) {
			printf("%s{\"queue\":%u,\"counters\":{", printed ? "," : "", q);
			FS_SOCK_STAT_FIELDS(JSON_SOCK)
			printf("}}");
		} else {
			printf("AF_XDP socket of queue %u (the kernel's XDP_STATISTICS)\n", q);
			FS_SOCK_STAT_FIELDS(TEXT_SOCK)
		}
		printed++;
	}
	return 0;
}

static int print_symbols(struct fs_iface *iface, bool json)
{
	struct fs_sub_info *subs = calloc(FS_MAX_SUBS, sizeof(*subs));
	int n = subs ? fs_sub__list(iface, subs, FS_MAX_SUBS) : -ENOMEM, i, err = 0;

	if (!json && n > 0)
		printf("symbols (msgs_matched, dir_seen)\n");
	for (i = 0; i < n && i < FS_MAX_SUBS && !err; i++) {
		struct fs_sym_counters c = {};
		char name[FS_SYMBOL_LEN + 1];

		err = fs_stats__symbol(iface, subs[i].slot, &c);
		fs_symbol_str(&subs[i].symbol, name);
		if (json) {
			printf("%s{\"symbol\":", i ? "," : "");
			fs_json_str(stdout, name);
			printf(",\"counters\":");
			cli_print_sym_counters_json(stdout, &c);
			putchar('}');
		} else {
			printf("  %-8s %14llu %10llu\n", name, (unsigned long long)c.msgs_matched,
			       (unsigned long long)c.dir_seen);
		}
	}
	free(subs);
	return n < 0 ? n : err;
}

int do_stats(int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", no_argument, NULL, 'j'},
		{"prometheus", no_argument, NULL, 'p'},
		{},
	};
	struct fs_counters global = {};
	struct fs_iface *iface;
	bool json = false, prometheus = false;
	int opt, err;

	optind = 0; /* GNU getopt: full re-initialisation */
	while ((opt = cli_getopt(argc, argv, "stats", opts)) != -1) {
		if (opt == 'j')
			json = true;
		else if (opt == 'p')
			prometheus = true;
		else
			return EXIT_USAGE;
	}
	if (argc - optind != 1)
		return cli_usage_error("usage: feedsieve stats IFNAME [--json | --prometheus]");
	if (json && prometheus)
		return cli_usage_error("stats: --json and --prometheus exclude each other");
	iface = cli_open_iface(argv[optind]);
	if (!iface)
		return EXIT_FAILURE;

	if (prometheus) {
		err = stats_print_prometheus(iface, argv[optind]);
		fs_iface__close(iface);
		return err ? cli_iface_error(argv[optind], err) : 0;
	}
	err = fs_stats__global(iface, &global);
	if (!err && json) {
		printf("{\"interface\":");
		fs_json_str(stdout, argv[optind]);
		printf(",\"global\":");
		cli_print_counters_json(stdout, &global);
		printf(",\"groups\":[");
		err = print_groups(iface, true);
		printf("],\"channels\":[");
		err = err ?: print_channels(iface, true);
		printf("],\"sockets\":[");
		err = err ?: print_sockets(iface, true);
		printf("],\"symbols\":[");
		err = err ?: print_symbols(iface, true);
		puts("]}");
	} else if (!err) {
		printf("interface %s\n", argv[optind]);
		print_counters_text(&global);
		err = print_groups(iface, false) ?: print_channels(iface, false)
								 ?: print_sockets(iface, false)
								 ?: print_symbols(iface, false);
	}
	fs_iface__close(iface);
	return err ? cli_iface_error(argv[optind], err) : 0;
}
