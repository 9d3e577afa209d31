// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* feedsieve stats: the counters of the interface, its groups and its subscribed symbols. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
			printf("%s{\"group\":\"%s\",\"proto\":\"%s\",\"counters\":", i ? "," : "",
			       name, fs_proto_str(groups[i].value.proto));
			cli_print_counters_json(stdout, &c);
			putchar('}');
		} else {
			printf("group %s proto %s\n", name, fs_proto_str(groups[i].value.proto));
			print_counters_text(&c);
		}
	}
	return 0;
}

#define TEXT_EVENT(name, desc)                                                                     \
	printf("  %-26s %14llu  %s\n", #name, (unsigned long long)ev.name, desc);

/* Is channel id ID group G's (one of its unit channels, for a PITCH group naming units)? */
static bool on_channel(const struct fs_group *g, int id)
{
	return id >= g->channel && id < g->channel + (g->unit_count ? g->unit_count : 1);
}

/* Channels: the counters of each line, and what consumers decided about the channel. A PITCH
 * channel naming units is one channel per unit, each with its own events (and the lines'
 * counters, which are per group). */
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
		int nlines = 0, unit;

		for (i = 0; i < n && !on_channel(&groups[i].value, id); i++)
			;
		if (i == n)
			continue; /* no group on this channel */
		fs_channel__name(iface, (__u8)id, name);
		fs_stats__channel(iface, (__u8)id, &ev);
		unit = groups[i].value.unit_count
			   ? groups[i].value.unit_first + (id - groups[i].value.channel)
			   : 0;
		if (json) {
			printf("%s{\"channel\":", printed ? "," : "");
			fs_json_str(stdout, name);
			if (unit)
				printf(",\"unit\":%d", unit);
			printf(",\"lines\":[");
		} else if (unit) {
			printf("channel %s unit %d\n", name, unit);
		} else {
			printf("channel %s\n", name);
		}
		for (i = 0; i < n; i++) {
			struct fs_counters c = {};
			char group[FS_GROUP_STR_LEN];

			if (!on_channel(&groups[i].value, id))
				continue;
			fs_stats__group(iface, groups[i].value.id, &c);
			fs_group_str(&groups[i].key, group);
			if (json) {
				printf("%s{\"line\":\"%s\",\"group\":\"%s\",\"proto\":\"%s\","
				       "\"counters\":",
				       nlines ? "," : "", fs_line_str(groups[i].value.line), group,
				       fs_proto_str(groups[i].value.proto));
				cli_print_counters_json(stdout, &c);
				putchar('}');
			} else {
				printf("  line %s %-22s proto %s frames %llu first %llu duplicate "
				       "%llu msgs_delivered %llu msgs_filtered %llu heartbeats %llu\n",
				       fs_line_str(groups[i].value.line), group,
				       fs_proto_str(groups[i].value.proto),
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

/* Is SUB one of the N subscriptions of WANT (all of them when WANT is NULL)? Marks it seen. */
static bool wanted(const struct fs_sub_info *sub, const struct fs_sub_info *want, bool *seen, int n)
{
	int i;

	if (!want)
		return true;
	for (i = 0; i < n; i++)
		if (want[i].kind == sub->kind &&
		    (sub->kind == FS_SUB_ID ? want[i].id == sub->id
					    : !memcmp(&want[i].symbol, &sub->symbol, sizeof(sub->symbol))))
			return seen[i] = true;
	return false;
}

/* At most this many symbols in one --symbols=LIST. */
#define FS_MAX_STATS_SYMBOLS 256

/* The subscribed symbols (sorted by name, as fs_sub__list gives them), or only those of WANT;
 * *MISSING is then the index of one that is not subscribed (-ENOENT, nothing printed). */
static int print_symbols(struct fs_iface *iface, bool json, const struct fs_sub_info *want,
			 int nwant, int *missing, const char *head_ifname)
{
	struct fs_sub_info *subs = calloc(FS_MAX_SUBS, sizeof(*subs));
	bool seen[FS_MAX_STATS_SYMBOLS] = {};
	int n = subs ? fs_sub__list(iface, subs, FS_MAX_SUBS) : -ENOMEM, i, printed = 0, err = 0;

	if (n > FS_MAX_SUBS)
		n = FS_MAX_SUBS;
	for (i = 0; i < n; i++)
		wanted(&subs[i], want, seen, nwant);
	for (i = 0; i < nwant; i++) {
		if (!seen[i]) {
			*missing = i;
			n = -ENOENT;
		}
	}
	if (json && head_ifname && n >= 0) {
		printf("{\"interface\":");
		fs_json_str(stdout, head_ifname);
		printf(",\"symbols\":[");
	}
	if (!json && n > 0)
		printf("symbols (msgs_matched, dir_seen)\n");
	for (i = 0; i < n && !err; i++) {
		struct fs_sym_counters c = {};
		char name[FS_SYMBOL_LEN + 1];

		if (!wanted(&subs[i], want, seen, nwant))
			continue;
		err = fs_stats__symbol(iface, subs[i].slot, &c);
		fs_symbol_str(&subs[i].symbol, name);
		if (subs[i].kind == FS_SUB_ID) /* "id:N" in text, an "id" key in JSON */
			snprintf(name, sizeof(name), "id:%d", (int)(__s32)subs[i].id);
		if (json && subs[i].kind == FS_SUB_ID) {
			printf("%s{\"id\":%d,\"counters\":", printed ? "," : "",
			       (int)(__s32)subs[i].id);
			cli_print_sym_counters_json(stdout, &c);
			putchar('}');
		} else if (json) {
			printf("%s{\"symbol\":", printed ? "," : "");
			fs_json_str(stdout, name);
			printf(",\"counters\":");
			cli_print_sym_counters_json(stdout, &c);
			putchar('}');
		} else {
			printf("  %-8s %14llu %10llu\n", name, (unsigned long long)c.msgs_matched,
			       (unsigned long long)c.dir_seen);
		}
		printed++;
	}
	free(subs);
	return n < 0 ? n : err;
}

int stats_print_json(struct fs_iface *iface, const char *ifname)
{
	struct fs_counters global;
	int err = fs_stats__global(iface, &global);

	if (err)
		return err;
	printf("{\"interface\":");
	fs_json_str(stdout, ifname);
	printf(",\"global\":");
	cli_print_counters_json(stdout, &global);
	printf(",\"groups\":[");
	err = print_groups(iface, true);
	printf("],\"channels\":[");
	err = err ?: print_channels(iface, true);
	printf("],\"sockets\":[");
	err = err ?: print_sockets(iface, true);
	printf("],\"symbols\":[");
	err = err ?: print_symbols(iface, true, NULL, 0, NULL, NULL);
	puts("]}");
	return err;
}

/* --symbols [LIST]: the per-subscription counters alone, by name (or id:N, as the text names an
 * id). LIST is comma-separated. With --json, the head names the interface (printed only once
 * LIST is known to be subscribed). */
static int show_symbols(struct fs_iface *iface, const char *ifname, const char *list, bool json)
{
	struct fs_sub_info want[FS_MAX_STATS_SYMBOLS] = {};
	char *copy = list ? strdup(list) : NULL, *tok, *save = NULL;
	int nwant = 0, missing = -1, err;

	if (list && !copy)
		return cli_iface_error(ifname, -ENOMEM);
	for (tok = copy ? strtok_r(copy, ",", &save) : NULL; tok; tok = strtok_r(NULL, ",", &save)) {
		char why[FS_ERR_LEN];

		if (nwant == FS_MAX_STATS_SYMBOLS) {
			free(copy);
			return cli_usage_error("stats: --symbols: at most %d symbols",
					       FS_MAX_STATS_SYMBOLS);
		}
		want[nwant].kind = strncmp(tok, "id:", 3) ? FS_SUB_SYMBOL : FS_SUB_ID;
		if (want[nwant].kind == FS_SUB_ID ? fs_parse_id(tok + 3, &want[nwant++].id, why)
						  : fs_parse_symbol(tok, &want[nwant++].symbol, why)) {
			free(copy);
			return cli_usage_error("stats: --symbols: %s", why);
		}
	}
	free(copy);
	if (list && !nwant)
		return cli_usage_error("stats: --symbols: empty symbol list");
	/* Nothing is printed before the check of LIST, so an error leaves stdout empty. */
	err = print_symbols(iface, json, list ? want : NULL, nwant, &missing, ifname);
	if (err == -ENOENT && missing >= 0 && want[missing].kind == FS_SUB_ID)
		return cli_error("%s: id %d is not subscribed", ifname, (int)(__s32)want[missing].id);
	if (err == -ENOENT && missing >= 0) {
		char name[FS_SYMBOL_LEN + 1];

		fs_symbol_str(&want[missing].symbol, name);
		return cli_error("%s: symbol '%s' is not subscribed", ifname, name);
	}
	if (json)
		puts("]}");
	return err ? cli_iface_error(ifname, err) : 0;
}

struct stats_opts {
	bool json, prometheus, watch;
	struct cli_optional symbols;
	struct stats_watch_opts w;
};

static int parse_interval(const struct cli_opt *opt, const char *what, const char *arg,
			  void *field)
{
	double *s = field;
	char *end;

	(void)opt;
	errno = 0;
	*s = strtod(arg, &end);
	if (!*arg || *end || errno || !(*s >= 0.1) || *s > 3600) {
		cli_usage_error("%s: '%s' is not a number of seconds from 0.1 to 3600", what, arg);
		return -EINVAL;
	}
	return 0;
}

static int do_stats(const void *opts, char **args)
{
	const struct stats_opts *o = opts;
	struct stats_watch_opts wopts = o->w;
	const char *list = o->symbols.value, *ifname = args[0];
	bool json = o->json, prometheus = o->prometheus, watch = o->watch;
	bool symbols = o->symbols.given;
	struct fs_counters global = {};
	struct fs_iface *iface;
	int err;

	if (json && prometheus)
		return cli_usage_error("stats: --json and --prometheus exclude each other");
	if ((watch || symbols) && prometheus)
		return cli_usage_error("stats: --prometheus prints every counter once; it does not "
				       "go with --%s",
				       watch ? "watch" : "symbols");
	if (watch && symbols)
		return cli_usage_error("stats: --watch and --symbols exclude each other");
	if ((wopts.interval_s || wopts.count) && !watch)
		return cli_usage_error("stats: --%s needs --watch",
				       wopts.interval_s ? "interval" : "count");
	if (!wopts.interval_s)
		wopts.interval_s = 1.0;
	iface = cli_open_iface(ifname);
	if (!iface)
		return EXIT_FAILURE;

	if (symbols) {
		err = show_symbols(iface, ifname, list, json);
		fs_iface__close(iface);
		return err;
	}
	if (watch || prometheus) {
		wopts.json = json;
		err = watch ? stats_watch(iface, ifname, &wopts) : stats_print_prometheus(iface, ifname);
		fs_iface__close(iface);
		return err ? cli_iface_error(ifname, err) : 0;
	}
	if (json) {
		err = stats_print_json(iface, ifname);
		fs_iface__close(iface);
		return err ? cli_iface_error(ifname, err) : 0;
	}
	err = fs_stats__global(iface, &global);
	if (!err) {
		printf("interface %s\n", ifname);
		print_counters_text(&global);
		err = print_groups(iface, false) ?: print_channels(iface, false)
						 ?: print_sockets(iface, false)
						 ?: print_symbols(iface, false, NULL, 0, NULL, NULL);
	}
	fs_iface__close(iface);
	return err ? cli_iface_error(ifname, err) : 0;
}

#define F(field) CLI_FIELD(struct stats_opts, field)
const struct cli_cmd cli_cmd_stats = {
	.name = "stats",
	.args = "IFNAME",
	.opts = (const struct cli_opt[]){
		{.name = "json", F(json), .help = "as one JSON document (one per refresh with --watch)"},
		{.name = "prometheus", F(prometheus),
		 .help = "in the Prometheus text exposition format"},
		{.name = "watch", F(watch), .help = "per-second rates, refreshed"},
		{.name = "interval", .metavar = "S", .parse = parse_interval, F(w.interval_s),
		 .help = "seconds between refreshes, 0.1 to 3600 (default 1)"},
		{.name = "count", .metavar = "N", .parse = cli_parse_uint, F(w.count), .min = 1,
		 .max = 1000000000, .below_min = "must be at least 1",
		 .help = "stop after N refreshes (default: at SIGINT or SIGTERM)"},
		{.name = "symbols", .metavar = "LIST", .optional = true, F(symbols),
		 .help = "only the per-subscription counters, of all or of the comma-separated LIST "
			 "(id:N for an id)"},
		{},
	},
	.opts_size = sizeof(struct stats_opts),
	.run = do_stats,
	.help = "Print every counter: global, per group, channel, socket and symbol.",
	.synopsis = "[--json | --prometheus | --watch [--interval S] [--count N] [--json] | "
		    "--symbols [LIST] [--json]]",
};
#undef F
