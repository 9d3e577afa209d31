// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* feedsieve group add | del | list */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* --channel and --line are checked as they are parsed, so a bad one is the error reported even
 * when more is wrong later on the line; they are kept as text. The library's reason names the
 * option already: "group add: line 'C': must be A or B". */
static int checked_error(const char *what, const char *why)
{
	cli_usage_error("%.*s: %s", (int)strcspn(what, ":"), what, why);
	return -EINVAL;
}

static int parse_channel(const struct cli_opt *opt, const char *what, const char *arg, void *field)
{
	char err[FS_ERR_LEN];

	if (fs_parse_channel(arg, err))
		return checked_error(what, err);
	return cli_parse_str(opt, what, arg, field);
}

static int parse_line(const struct cli_opt *opt, const char *what, const char *arg, void *field)
{
	char err[FS_ERR_LEN];
	enum fs_line line;

	if (fs_parse_line(arg, &line, err))
		return checked_error(what, err);
	return cli_parse_str(opt, what, arg, field);
}

static int parse_units(const struct cli_opt *opt, const char *what, const char *arg, void *field)
{
	char err[FS_ERR_LEN];
	__u8 first, count;

	if (fs_parse_units(arg, &first, &count, err))
		return checked_error(what, err);
	return cli_parse_str(opt, what, arg, field);
}

/* --retransmit: a unicast server, parsed into the fs_group_key field. */
static int parse_server(const struct cli_opt *opt, const char *what, const char *arg, void *field)
{
	char err[FS_ERR_LEN];

	(void)opt;
	if (fs_parse_server(arg, field, err))
		return checked_error(what, err);
	return 0;
}

struct group_add_opts {
	struct fs_group_opts g;
	const char *line;
	const char *units;
};

/* The recovery options' rules, said before the interface is looked at (the library refuses the
 * same, naming its configuration words instead of the options). */
static int recovery_usage(const struct group_add_opts *o)
{
	const struct fs_group_opts *g = &o->g;
	enum fs_proto proto = g->proto ? g->proto : FS_PROTO_MOLD_ITCH;

	if (g->retransmit.addr && proto != FS_PROTO_MOLD_ITCH)
		return cli_usage_error("group add: --retransmit: the re-request service of %s is "
				       "not covered yet (only MoldUDP64, --proto itch)",
				       fs_proto_str(proto));
	if (!g->snapshot)
		return 0;
	if (proto != FS_PROTO_MDP3)
		return cli_usage_error("group add: --snapshot needs --proto mdp3 (the CME Market "
				       "Recovery feed)");
	if (!g->channel)
		return cli_usage_error("group add: --snapshot needs --channel (the channel whose "
				       "snapshot feed it is)");
	if (o->line || g->definitions || g->retransmit.addr)
		return cli_usage_error("group add: --snapshot excludes --%s%s",
				       o->line ? "line" : g->definitions ? "definitions" : "retransmit",
				       o->line ? " (a snapshot group is not a line of its channel)" : "");
	return 0;
}


static int group_add(const void *opts, char **args)
{
	const struct group_add_opts *o = opts;
	struct fs_group_opts gopts = o->g;
	gopts.sz = sizeof(gopts); /* the table filled the fields; this library's size */
	struct fs_group_key key;
	struct fs_iface *iface;
	char err_text[FS_ERR_LEN];
	int err;

	if (o->line && !gopts.channel)
		return cli_usage_error("group add: --line needs --channel (a group without a "
				       "channel is a channel of its own, line A)");
	/* The library refuses it too; said here, before the interface is looked at. */
	if (gopts.definitions && gopts.proto != FS_PROTO_MDP3)
		return cli_usage_error("group add: --definitions needs --proto mdp3 (%s)",
				       gopts.proto <= FS_PROTO_MOLD_ITCH
					   ? "an ITCH group learns its Stock Directory without it"
					   : "only MDP3 has an instrument definitions feed");
	if (o->units && gopts.proto != FS_PROTO_PITCH)
		return cli_usage_error("group add: --units needs --proto pitch (only PITCH carries "
				       "units)");
	err = recovery_usage(o);
	if (err)
		return err;
	if (o->line) /* checked when parsed */
		fs_parse_line(o->line, &gopts.line, err_text);
	if (o->units) /* likewise */
		fs_parse_units(o->units, &gopts.unit_first, &gopts.unit_count, err_text);
	if (fs_parse_group(args[1], &key, err_text))
		return cli_usage_error("%s", err_text);
	iface = cli_open_iface(args[0]);
	if (!iface)
		return EXIT_FAILURE;

	err = fs_group__add(iface, &key, &gopts, err_text);
	/* The configuration's own reason; a full table or a taken line is also said to have
	 * changed nothing, as this command always has. Without a reason a system call failed. */
	if (err && err_text[0])
		cli_error("%s: %s%s", args[0], err_text,
			  err == -ENOSPC || err == -EBUSY ? "; nothing changed" : "");
	else if (err)
		cli_iface_error(args[0], err);
	fs_iface__close(iface);
	return err ? EXIT_FAILURE : 0;
}

#define F(field) CLI_FIELD(struct group_add_opts, field)
const struct cli_cmd cli_cmd_group_add = {
	.name = "group add",
	.args = "IFNAME GROUP:PORT",
	.opts = (const struct cli_opt[]){
		{.name = "proto", .metavar = "itch|mdp3|nyse-xdp|pitch", .parse = cli_parse_enum,
		 F(g.proto),
		 .min = FS_PROTO_MOLD_ITCH, .help = "the feed's protocol (default itch)"},
		{.name = "channel", .metavar = "NAME", .parse = parse_channel, F(g.channel),
		 .help = "the channel whose line A or B the group is"},
		{.name = "line", .metavar = "A|B", .parse = parse_line, F(line),
		 .help = "which line of --channel (default: a channel of its own, line A)"},
		{.name = "definitions", F(g.definitions),
		 .help = "an MDP3 instrument definitions feed: learn SecurityID -> symbol"},
		{.name = "all-symbols", F(g.all_symbols),
		 .help = "deliver every message of the group, subscribed or not"},
		{.name = "drop-malformed", F(g.drop_malformed),
		 .help = "drop malformed frames in the driver instead of delivering them"},
		{.name = "feed", .metavar = "N", .parse = cli_parse_uint, F(g.feed),
		 .max = FS_MAX_FEEDS - 1,
		 .help = "the instrument namespace the group shares: ITCH locates, MDP3 ids, "
			 "NYSE symbol indexes (default 0)"},
		{.name = "units", .metavar = "FIRST[-LAST]", .parse = parse_units, F(units),
		 .help = "PITCH: the units of the channel, each sequenced on its own (default: the "
			 "first unit seen)"},
		{.name = "retransmit", .metavar = "ADDR:PORT", .parse = parse_server,
		 F(g.retransmit),
		 .help = "the channel's MoldUDP64 re-request server: consumers ask it for what both "
			 "lines lost"},
		{.name = "snapshot", F(g.snapshot),
		 .help = "MDP3: the Market Recovery (snapshot) feed of --channel, not a line of it"},
		{},
	},
	.opts_size = sizeof(struct group_add_opts),
	.run = group_add,
	.help = "Filter the IPv4 multicast group GROUP:PORT.",
	.synopsis = "[--proto itch|mdp3|nyse-xdp|pitch] [--channel NAME --line A|B] [--definitions] "
		    "[--all-symbols] [--drop-malformed] [--feed N] [--units FIRST[-LAST]] "
		    "[--retransmit ADDR:PORT] [--snapshot]",
};
#undef F

static int group_del(const void *opts, char **args)
{
	struct fs_group_key key;
	struct fs_iface *iface;
	char err_text[FS_ERR_LEN];
	int err;

	(void)opts;
	if (fs_parse_group(args[1], &key, err_text))
		return cli_usage_error("%s", err_text);
	iface = cli_open_iface(args[0]);
	if (!iface)
		return EXIT_FAILURE;
	err = fs_group__del(iface, &key);
	if (err == -ENOENT)
		cli_error("%s: group %s is not configured", args[0], args[1]);
	else if (err)
		cli_iface_error(args[0], err);
	fs_iface__close(iface);
	return err ? EXIT_FAILURE : 0;
}

static void print_group(FILE *out, struct fs_iface *iface, const struct fs_group_info *g,
			bool json)
{
	struct fs_counters c = {};
	char name[FS_GROUP_STR_LEN], channel[FS_CHANNEL_NAME_LEN], units[16] = "";
	char server[FS_GROUP_STR_LEN] = "";
	const struct fs_group_key srv = {.addr = g->value.retrans_addr,
					 .port = g->value.retrans_port};

	fs_group_str(&g->key, name);
	if (g->value.unit_count > 1)
		snprintf(units, sizeof(units), "%u-%u", g->value.unit_first,
			 g->value.unit_first + g->value.unit_count - 1);
	else if (g->value.unit_count)
		snprintf(units, sizeof(units), "%u", g->value.unit_first);
	if (srv.addr)
		fs_group_str(&srv, server);
	fs_channel__name(iface, g->value.channel, channel);
	fs_stats__group(iface, g->value.id, &c);
	if (!json) {
		printf("%-22s channel %s line %s proto %s id %-3u feed %u %-12s %-16s%s%s%s%s%s frames "
		       "%llu redirected %llu filtered %llu duplicate %llu malformed %llu\n",
		       name, channel, fs_line_str(g->value.line), fs_proto_str(g->value.proto),
		       g->value.id, g->value.feed,
		       g->value.flags & FS_GROUP_F_ALL_SYMBOLS ? "all-symbols" : "subscribed",
		       g->value.flags & FS_GROUP_F_DROP_MALFORMED ? "drop-malformed"
								  : "deliver-malformed",
		       g->value.flags & FS_GROUP_F_DEFINITIONS ? " definitions" : "",
		       units[0] ? " units " : "", units, server[0] ? " retransmit " : "", server,
		       (unsigned long long)c.frames_seen, (unsigned long long)c.frames_redirected,
		       (unsigned long long)c.frames_filtered, (unsigned long long)c.frames_duplicate,
		       (unsigned long long)c.frames_malformed);
		return;
	}
	fprintf(out, "{\"group\":\"%s\",\"channel\":", name);
	fs_json_str(out, channel);
	fprintf(out, ",\"line\":\"%s\",\"proto\":\"%s\",\"id\":%u,\"feed\":%u,\"all_symbols\":%s,"
		     "\"drop_malformed\":%s,\"definitions\":%s,",
		fs_line_str(g->value.line), fs_proto_str(g->value.proto), g->value.id,
		g->value.feed, g->value.flags & FS_GROUP_F_ALL_SYMBOLS ? "true" : "false",
		g->value.flags & FS_GROUP_F_DROP_MALFORMED ? "true" : "false",
		g->value.flags & FS_GROUP_F_DEFINITIONS ? "true" : "false");
	if (units[0])
		fprintf(out, "\"units\":\"%s\",", units);
	if (server[0])
		fprintf(out, "\"retransmit\":\"%s\",", server);
	if (g->value.flags & FS_GROUP_F_SNAPSHOT)
		fputs("\"snapshot\":true,", out);
	fputs("\"counters\":", out);
	cli_print_counters_json(out, &c);
	fputc('}', out);
}

const struct cli_cmd cli_cmd_group_del = {
	.name = "group del",
	.args = "IFNAME GROUP:PORT",
	.run = group_del,
	.help = "Stop filtering the group: its frames pass to the kernel again.",
};

static int group_list(const void *opts, char **args)
{
	bool json = ((const struct cli_json_opts *)opts)->json;
	struct fs_group_info groups[FS_MAX_GROUPS];
	struct fs_iface *iface;
	int n, i;

	iface = cli_open_iface(args[0]);
	if (!iface)
		return EXIT_FAILURE;
	n = fs_group__list(iface, groups, FS_MAX_GROUPS);
	if (n < 0) {
		fs_iface__close(iface);
		return cli_iface_error(args[0], n);
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

const struct cli_cmd cli_cmd_group_list = {
	.name = "group list",
	.args = "IFNAME",
	.opts = cli_json_only,
	.opts_size = sizeof(struct cli_json_opts),
	.run = group_list,
	.help = "List the groups with their settings and counters.",
};
