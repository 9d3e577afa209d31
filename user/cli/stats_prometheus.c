// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * `feedsieve stats IFNAME --prometheus`: the counters in the Prometheus text exposition format,
 * for node_exporter's textfile collector. One family per counter and scope (interface, group,
 * channel, socket, symbol), each with its HELP and TYPE lines and all its samples together, as
 * the format requires. Names and help texts come from the same X-macros as the maps.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* A label value: backslash, double quote and newline escaped. */
static void label(const char *name, const char *value, const char *sep)
{
	printf("%s%s=\"", sep, name);
	for (; *value; value++) {
		if (*value == '\\' || *value == '"')
			printf("\\%c", *value);
		else if (*value == '\n')
			printf("\\n");
		else
			putchar(*value);
	}
	putchar('"');
}

static void family(const char *scope, const char *name, const char *help, const char *type)
{
	printf("# HELP feedsieve_%s%s_total %s\n", scope, name, help);
	printf("# TYPE feedsieve_%s%s_total %s\n", scope, name, type);
}

struct snapshot {
	const char *ifname;
	struct fs_counters global;
	struct fs_group_info groups[FS_MAX_GROUPS];
	struct fs_counters group_stats[FS_MAX_GROUPS];
	int ngroups;
	struct fs_chan_events chan[FS_MAX_CHANNELS];
	char chan_name[FS_MAX_CHANNELS][FS_CHANNEL_NAME_LEN];
	bool chan_used[FS_MAX_CHANNELS];
	struct fs_sock_counters sock[FS_MAX_QUEUES];
	struct fs_sub_info *subs;
	struct fs_sym_counters *sym;
	int nsubs;
};

static int take_snapshot(struct fs_iface *iface, struct snapshot *s)
{
	int i, err;
	__u32 q;

	err = fs_stats__global(iface, &s->global);
	if (err)
		return err;
	s->ngroups = fs_group__list(iface, s->groups, FS_MAX_GROUPS);
	if (s->ngroups < 0)
		return s->ngroups;
	for (i = 0; i < s->ngroups && i < FS_MAX_GROUPS; i++) {
		__u8 ch = s->groups[i].value.channel;

		err = fs_stats__group(iface, s->groups[i].value.id, &s->group_stats[i]);
		if (err)
			return err;
		if (!s->chan_used[ch]) {
			s->chan_used[ch] = true;
			fs_channel__name(iface, ch, s->chan_name[ch]);
			fs_stats__channel(iface, ch, &s->chan[ch]);
		}
	}
	for (q = 0; q < FS_MAX_QUEUES; q++) {
		err = fs_stats__socket(iface, q, &s->sock[q]);
		if (err)
			return err;
	}
	s->subs = calloc(FS_MAX_SUBS, sizeof(*s->subs));
	if (!s->subs)
		return -ENOMEM;
	s->nsubs = fs_sub__list(iface, s->subs, FS_MAX_SUBS);
	if (s->nsubs < 0)
		return s->nsubs;
	s->sym = calloc((size_t)s->nsubs + 1, sizeof(*s->sym));
	if (!s->sym)
		return -ENOMEM;
	for (i = 0; i < s->nsubs; i++) {
		err = fs_stats__symbol(iface, s->subs[i].slot, &s->sym[i]);
		if (err)
			return err;
	}
	return 0;
}

static void group_labels(const struct snapshot *s, int i)
{
	char group[FS_GROUP_STR_LEN];
	__u8 ch = s->groups[i].value.channel;

	fs_group_str(&s->groups[i].key, group);
	printf("{");
	label("interface", s->ifname, "");
	label("group", group, ",");
	label("channel", s->chan_name[ch], ",");
	label("line", fs_line_str(s->groups[i].value.line), ",");
	label("proto", fs_proto_str(s->groups[i].value.proto), ",");
	printf("}");
}

#define GLOBAL_FAMILY(name, help)                                                                  \
	family("", #name, help, "counter");                                                        \
	printf("feedsieve_" #name "_total{");                                                      \
	label("interface", s->ifname, "");                                                         \
	printf("} %llu\n", (unsigned long long)s->global.name);

#define GROUP_FAMILY(name, help)                                                                   \
	family("group_", #name, help, "counter");                                                  \
	for (i = 0; i < s->ngroups && i < FS_MAX_GROUPS; i++) {                                   \
		printf("feedsieve_group_" #name "_total");                                         \
		group_labels(s, i);                                                                \
		printf(" %llu\n", (unsigned long long)s->group_stats[i].name);                     \
	}

#define CHANNEL_FAMILY(name, help)                                                                 \
	family("channel_", #name, help, "counter");                                                \
	for (c = 0; c < FS_MAX_CHANNELS; c++) {                                                    \
		if (!s->chan_used[c])                                                              \
			continue;                                                                  \
		printf("feedsieve_channel_" #name "_total{");                                      \
		label("interface", s->ifname, "");                                                 \
		label("channel", s->chan_name[c], ",");                                            \
		printf("} %llu\n", (unsigned long long)s->chan[c].name);                           \
	}

/* The socket snapshot's fields; zero_copy and published_ns are state, not counters. */
static bool sock_counter(const char *name)
{
	return strcmp(name, "zero_copy") != 0 && strcmp(name, "published_ns") != 0;
}

#define SOCKET_FAMILY(name, help)                                                                  \
	if (sock_counter(#name))                                                                   \
		family("socket_", #name, help, "counter");                                         \
	for (q = 0; q < FS_MAX_QUEUES && sock_counter(#name); q++) {                               \
		if (!s->sock[q].published_ns)                                                      \
			continue;                                                                  \
		printf("feedsieve_socket_" #name "_total{");                                       \
		label("interface", s->ifname, "");                                                 \
		printf(",queue=\"%u\"} %llu\n", q, (unsigned long long)s->sock[q].name);           \
	}

#define SYMBOL_FAMILY(name, help)                                                                  \
	family("symbol_", #name, help, "counter");                                                 \
	for (i = 0; i < s->nsubs; i++) {                                                           \
		char sym[FS_SYMBOL_LEN + 1];                                                       \
                                                                                                   \
		fs_symbol_str(&s->subs[i].symbol, sym);                                            \
		if (s->subs[i].kind == FS_SUB_ID)                                                  \
			snprintf(sym, sizeof(sym), "%d", (int)(__s32)s->subs[i].id);               \
		printf("feedsieve_symbol_" #name "_total{");                                       \
		label("interface", s->ifname, "");                                                 \
		label(s->subs[i].kind == FS_SUB_ID ? "id" : "symbol", sym, ",");                   \
		printf("} %llu\n", (unsigned long long)s->sym[i].name);                            \
	}

int stats_print_prometheus(struct fs_iface *iface, const char *ifname)
{
	struct snapshot *s = calloc(1, sizeof(*s));
	int i, c, err;
	__u32 q;

	if (!s)
		return -ENOMEM;
	s->ifname = ifname;
	err = take_snapshot(iface, s);
	if (!err) {
		FS_COUNTER_FIELDS(GLOBAL_FAMILY)
		FS_COUNTER_FIELDS(GROUP_FAMILY)
		FS_CHAN_EVENT_FIELDS(CHANNEL_FAMILY)
		FS_SOCK_STAT_FIELDS(SOCKET_FAMILY)
		FS_SYM_COUNTER_FIELDS(SYMBOL_FAMILY)
	}
	free(s->subs);
	free(s->sym);
	free(s);
	return err;
}
