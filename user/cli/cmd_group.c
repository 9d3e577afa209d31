// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* feedsieve group add | del | list */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static int group_add(int argc, char **argv)
{
	static const struct option opts[] = {
		{"all-symbols", no_argument, NULL, 'a'},
		{"drop-malformed", no_argument, NULL, 'd'},
		{"feed", required_argument, NULL, 'f'},
		{"channel", required_argument, NULL, 'c'},
		{"line", required_argument, NULL, 'l'},
		{},
	};
	bool line_given = false;
	FS_OPTS(fs_group_opts, gopts);
	struct fs_group_key key;
	struct fs_iface *iface;
	char err_text[FS_ERR_LEN];
	__u64 feed;
	int opt, err;

	optind = 0; /* GNU getopt: full re-initialisation */
	while ((opt = cli_getopt(argc, argv, "group add", opts)) != -1) {
		switch (opt) {
		case 'a':
			gopts.all_symbols = true;
			break;
		case 'd':
			gopts.drop_malformed = true;
			break;
		case 'f':
			if (!cli_parse_u64("group add: --feed", optarg, FS_MAX_FEEDS - 1, &feed))
				return EXIT_USAGE;
			gopts.feed = (__u8)feed;
			break;
		case 'c':
			if (fs_parse_channel(optarg, err_text))
				return cli_usage_error("group add: %s", err_text);
			gopts.channel = optarg;
			break;
		case 'l':
			if (fs_parse_line(optarg, &gopts.line, err_text))
				return cli_usage_error("group add: %s", err_text);
			line_given = true;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 2)
		return cli_usage_error("usage: feedsieve group add IFNAME GROUP:PORT "
				       "[--channel NAME --line A|B] [--all-symbols] "
				       "[--drop-malformed] [--feed N]");
	if (line_given && !gopts.channel)
		return cli_usage_error("group add: --line needs --channel (a group without a "
				       "channel is a channel of its own, line A)");
	if (fs_parse_group(argv[optind + 1], &key, err_text))
		return cli_usage_error("%s", err_text);
	iface = cli_open_iface(argv[optind]);
	if (!iface)
		return EXIT_FAILURE;

	err = fs_group__add(iface, &key, &gopts, err_text);
	/* The configuration's own reason; a full table or a taken line is also said to have
	 * changed nothing, as this command always has. Without a reason a system call failed. */
	if (err && err_text[0])
		cli_error("%s: %s%s", argv[optind], err_text,
			  err == -ENOSPC || err == -EBUSY ? "; nothing changed" : "");
	else if (err)
		cli_iface_error(argv[optind], err);
	fs_iface__close(iface);
	return err ? EXIT_FAILURE : 0;
}

static int group_del(int argc, char **argv)
{
	static const struct option opts[] = {{}};
	struct fs_group_key key;
	struct fs_iface *iface;
	char err_text[FS_ERR_LEN];
	int err;

	optind = 0; /* GNU getopt: full re-initialisation */
	if (cli_getopt(argc, argv, "group del", opts) != -1)
		return EXIT_USAGE;
	if (argc - optind != 2)
		return cli_usage_error("usage: feedsieve group del IFNAME GROUP:PORT");
	if (fs_parse_group(argv[optind + 1], &key, err_text))
		return cli_usage_error("%s", err_text);
	iface = cli_open_iface(argv[optind]);
	if (!iface)
		return EXIT_FAILURE;
	err = fs_group__del(iface, &key);
	if (err == -ENOENT)
		cli_error("%s: group %s is not configured", argv[optind], argv[optind + 1]);
	else if (err)
		cli_iface_error(argv[optind], err);
	fs_iface__close(iface);
	return err ? EXIT_FAILURE : 0;
}

static void print_group(FILE *out, struct fs_iface *iface, const struct fs_group_info *g,
			bool json)
{
	struct fs_counters c = {};
	char name[FS_GROUP_STR_LEN], channel[FS_CHANNEL_NAME_LEN];

	fs_group_str(&g->key, name);
	fs_channel__name(iface, g->value.channel, channel);
	fs_stats__group(iface, g->value.id, &c);
	if (!json) {
		printf("%-22s channel %s line %s id %-3u feed %u %-12s %-16s frames %llu redirected "
		       "%llu filtered %llu duplicate %llu malformed %llu\n",
		       name, channel, fs_line_str(g->value.line), g->value.id, g->value.feed,
		       g->value.flags & FS_GROUP_F_ALL_SYMBOLS ? "all-symbols" : "subscribed",
		       g->value.flags & FS_GROUP_F_DROP_MALFORMED ? "drop-malformed"
								  : "deliver-malformed",
		       (unsigned long long)c.frames_seen, (unsigned long long)c.frames_redirected,
		       (unsigned long long)c.frames_filtered, (unsigned long long)c.frames_duplicate,
		       (unsigned long long)c.frames_malformed);
		return;
	}
	fprintf(out, "{\"group\":\"%s\",\"channel\":", name);
	fs_json_str(out, channel);
	fprintf(out, ",\"line\":\"%s\",\"id\":%u,\"feed\":%u,\"all_symbols\":%s,"
		     "\"drop_malformed\":%s,\"counters\":",
		fs_line_str(g->value.line), g->value.id, g->value.feed,
		g->value.flags & FS_GROUP_F_ALL_SYMBOLS ? "true" : "false",
		g->value.flags & FS_GROUP_F_DROP_MALFORMED ? "true" : "false");
	cli_print_counters_json(out, &c);
	fputc('}', out);
}

static int group_list(int argc, char **argv)
{
	static const struct option opts[] = {{"json", no_argument, NULL, 'j'}, {}};
	struct fs_group_info groups[FS_MAX_GROUPS];
	struct fs_iface *iface;
	bool json = false;
	int opt, n, i;

	optind = 0; /* GNU getopt: full re-initialisation */
	while ((opt = cli_getopt(argc, argv, "group list", opts)) != -1) {
		if (opt != 'j')
			return EXIT_USAGE;
		json = true;
	}
	if (argc - optind != 1)
		return cli_usage_error("usage: feedsieve group list IFNAME [--json]");
	iface = cli_open_iface(argv[optind]);
	if (!iface)
		return EXIT_FAILURE;
	n = fs_group__list(iface, groups, FS_MAX_GROUPS);
	if (n < 0) {
		fs_iface__close(iface);
		return cli_iface_error(argv[optind], n);
	}
	if (json)
		putchar('[');
	for (i = 0; i < n && i < FS_MAX_GROUPS; i++) {
		if (json && i)
			putchar(',');
		print_group(stdout, iface, &groups[i], json);
	}
	if (json)
		puts("]");
	fs_iface__close(iface);
	return 0;
}

int do_group(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error("usage: feedsieve group add|del|list IFNAME ...");
	if (!strcmp(argv[1], "add"))
		return group_add(argc - 1, argv + 1);
	if (!strcmp(argv[1], "del"))
		return group_del(argc - 1, argv + 1);
	if (!strcmp(argv[1], "list"))
		return group_list(argc - 1, argv + 1);
	return cli_usage_error("group: unknown subcommand '%s' (add, del or list)", argv[1]);
}
