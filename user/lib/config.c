// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Configurations in memory: groups with their channels, and symbols. Every rule a configuration
 * must obey is checked here, when it is built, so that a commit never meets an invalid one.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int fsi_config_fail(char *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		va_start(ap, fmt);
		vsnprintf(err, FS_ERR_LEN, fmt, ap);
		va_end(ap);
	}
	return code;
}

struct fs_config *fs_config__new(void)
{
	return calloc(1, sizeof(struct fs_config));
}

void fs_config__free(struct fs_config *cfg)
{
	if (!cfg)
		return;
	free(cfg->symbols);
	free(cfg->ids);
	free(cfg);
}

const char *fs_config__ifname(const struct fs_config *cfg)
{
	return cfg->ifname;
}

int fs_config__set_ifname(struct fs_config *cfg, const char *ifname)
{
	if (!ifname[0] || strlen(ifname) >= sizeof(cfg->ifname))
		return -EINVAL;
	snprintf(cfg->ifname, sizeof(cfg->ifname), "%s", ifname);
	return 0;
}

enum fs_attach_mode fs_config__mode(const struct fs_config *cfg)
{
	return cfg->mode;
}

int fsi_config_cmp_key(const struct fs_group_key *a, const struct fs_group_key *b)
{
	__u32 x = ntohl(a->addr), y = ntohl(b->addr);

	if (x != y)
		return x < y ? -1 : 1;
	return (int)ntohs(a->port) - (int)ntohs(b->port);
}

int fsi_config_cmp_symbol(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct fs_symbol));
}

int fsi_config_cmp_id(const void *a, const void *b)
{
	__s32 x = *(const __s32 *)a, y = *(const __s32 *)b;

	return (x > y) - (x < y);
}

/* Index of KEY in CFG's sorted groups, or where it would go (then *FOUND is false). */
static size_t group_pos(const struct fs_config *cfg, const struct fs_group_key *key, bool *found)
{
	size_t lo = 0, hi = cfg->ngroups;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = fsi_config_cmp_key(&cfg->groups[mid].key, key);

		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

const struct fsi_config_group *fsi_config_find_group(const struct fs_config *cfg,
						   const struct fs_group_key *key)
{
	bool found;
	size_t i = group_pos(cfg, key, &found);

	return found ? &cfg->groups[i] : NULL;
}

/* How many channel ids CFG's groups use (a PITCH channel naming units takes one per unit),
 * counting NEW's channel as more if it is new. */
static size_t channels_with(const struct fs_config *cfg, const struct fsi_config_group *new)
{
	size_t n = 0, i, j;
	bool seen_name = false;

	for (i = 0; i < cfg->ngroups; i++) {
		for (j = 0; j < i && strcmp(cfg->groups[j].channel, cfg->groups[i].channel) != 0;
		     j++)
			;
		if (j == i)
			n += fsi_config_group_span(&cfg->groups[i]);
		if (!strcmp(cfg->groups[i].channel, new->channel))
			seen_name = true;
	}
	return n + (seen_name ? 0 : fsi_config_group_span(new));
}

const char *fsi_config_units_str(const struct fsi_config_group *g, char *out)
{
	unsigned last = (unsigned)g->unit_first + g->unit_count - 1;

	if (!g->unit_count)
		out[0] = '\0';
	else if (g->unit_count == 1)
		snprintf(out, 8, "%u", g->unit_first);
	else
		snprintf(out, 8, "%u-%u", g->unit_first, last);
	return out;
}

/* Why DEFINITIONS does not apply to a group of PROTO: what it learns from instead. */
static const char *definitions_why(__u8 proto)
{
	switch (proto) {
	case FS_PROTO_NYSE_XDP:
		return "a nyse-xdp group learns its Symbol Index Mappings without it";
	case FS_PROTO_PITCH:
		return "a pitch message carries its symbol, or its order's";
	default:
		return "an ITCH group learns its Stock Directory without it";
	}
}

/* The re-request server and snapshot options of O, for a group of PROTO named GNAME. */
static int check_recovery_opts(const struct fs_group_opts *o, __u8 proto, const char *gname,
			       char *err)
{
	const struct fs_group_key *srv = &o->retransmit;
	__u32 a = ntohl(srv->addr);

	if (srv->addr || srv->port || srv->pad) {
		/* MoldUDP64's request packet is the one the consumer knows how to send. */
		if (proto != FS_PROTO_MOLD_ITCH)
			return fsi_config_fail(err, -EOPNOTSUPP,
					      "group %s: retransmit: the re-request service of %s "
					      "is not covered yet (only MoldUDP64, proto itch)",
					      gname, fs_proto_str(proto));
		if (!a || a == 0xFFFFFFFFU || (a >> 28) == 0xE || !srv->port || srv->pad)
			return fsi_config_fail(err, -EINVAL,
					      "group %s: retransmit server must be a unicast IPv4 "
					      "address and a port 1-65535",
					      gname);
	}
	if (!o->snapshot)
		return 0;
	if (proto != FS_PROTO_MDP3)
		return fsi_config_fail(err, -EINVAL,
				      "group %s: snapshot needs proto mdp3 (the CME Market Recovery "
				      "feed)",
				      gname);
	if (!o->channel)
		return fsi_config_fail(err, -EINVAL,
				      "group %s: snapshot needs channel (the channel whose snapshot "
				      "feed it is)",
				      gname);
	if (o->line != FS_LINE_A)
		return fsi_config_fail(err, -EINVAL,
				      "group %s: snapshot takes no line (a snapshot group is not a "
				      "line of its channel)",
				      gname);
	if (o->definitions || srv->addr)
		return fsi_config_fail(err, -EINVAL, "group %s: snapshot excludes %s", gname,
				      o->definitions ? "definitions" : "retransmit");
	return 0;
}

/*
 * May NEW join channel mate O (another group of its channel)? Both lines, or a line and the
 * channel's snapshot group, share the feed, the protocol and the units; lines are distinct, and
 * the lines that name a re-request server name the same one.
 */
static int check_channel_mate(const struct fsi_config_group *o, const struct fsi_config_group *g,
			      char *err)
{
	char a[FS_GROUP_STR_LEN];

	if (fsi_config_is_snapshot(o) && fsi_config_is_snapshot(g))
		return fsi_config_fail(err, -EBUSY, "channel %s already has a snapshot group",
				      g->channel);
	if (!fsi_config_is_snapshot(o) && !fsi_config_is_snapshot(g) && o->line == g->line)
		return fsi_config_fail(err, -EBUSY, "channel %s already has a line %s", g->channel,
				      fs_line_str(g->line));
	if (o->feed != g->feed)
		return fsi_config_fail(err, -EINVAL,
				      "channel %s is on feed %u; both lines must use the same feed",
				      g->channel, o->feed);
	if (o->proto != g->proto)
		return fsi_config_fail(
		    err, -EINVAL, "channel %s carries %s; both lines must use the same protocol",
		    g->channel, fs_proto_str(o->proto));
	if (o->unit_first != g->unit_first || o->unit_count != g->unit_count)
		return fsi_config_fail(
		    err, -EINVAL, "channel %s takes units %s; both lines must take the same units",
		    g->channel, o->unit_count ? fsi_config_units_str(o, (char[8]){0}) : "(none)");
	/* The program keeps no order map for an all-symbols group: a line that takes everything
	 * would bring Adds first that the other line's executions then miss. */
	if (g->proto == FS_PROTO_PITCH &&
	    (o->flags & FS_GROUP_F_ALL_SYMBOLS) != (g->flags & FS_GROUP_F_ALL_SYMBOLS))
		return fsi_config_fail(
		    err, -EINVAL,
		    "channel %s: line %s %s all symbols; both lines of a PITCH channel must "
		    "agree on all-symbols",
		    g->channel, fs_line_str(o->line),
		    (o->flags & FS_GROUP_F_ALL_SYMBOLS) ? "takes" : "does not take");
	if (o->retransmit.addr && g->retransmit.addr &&
	    memcmp(&o->retransmit, &g->retransmit, sizeof(g->retransmit)) != 0) {
		fs_group_str(&o->retransmit, a);
		return fsi_config_fail(err, -EINVAL,
				      "channel %s: line %s names re-request server %s; the lines of "
				      "a channel name the same server",
				      g->channel, fs_line_str(o->line), a);
	}
	return 0;
}

int fsi_config__add_group(struct fs_config *cfg, const struct fs_group_key *key,
			 const struct fs_group_opts *user_opts, char err[FS_ERR_LEN])
{
	struct fs_group_opts o;
	struct fsi_config_group g = {.key = *key};
	char gname[FS_GROUP_STR_LEN];
	bool found;
	size_t pos, i;
	int ret;

	fs_group_str(key, gname);
	if (FSI_OPTS_COPY(fs_group_opts, &o, user_opts, snapshot))
		return fsi_config_fail(err, -EINVAL, "group %s: bad struct fs_group_opts (sz %zu)",
				      gname, *(const size_t *)user_opts);
	if (o.feed >= FS_MAX_FEEDS)
		return fsi_config_fail(err, -EINVAL, "group %s: feed %u out of range (0-%d)", gname,
				      o.feed, FS_MAX_FEEDS - 1);
	if (o.line > FS_LINE_B)
		return fsi_config_fail(err, -EINVAL, "group %s: line must be A or B", gname);
	if ((unsigned)o.proto >= FS_PROTO_COUNT)
		return fsi_config_fail(err, -EOPNOTSUPP, "group %s: protocol %d not supported", gname,
				      (int)o.proto);
	g.proto = o.proto == FS_PROTO_NONE ? FS_PROTO_MOLD_ITCH : (__u8)o.proto;
	/* ITCH's Stock Directory arrives on the group itself and is always learned. */
	if (o.definitions && g.proto != FS_PROTO_MDP3)
		return fsi_config_fail(err, -EINVAL, "group %s: definitions needs proto mdp3 (%s)",
				      gname, definitions_why(g.proto));
	/* Units split a PITCH group's channel; no other protocol has them. */
	if ((o.unit_first || o.unit_count) && g.proto != FS_PROTO_PITCH)
		return fsi_config_fail(err, -EINVAL, "group %s: units needs proto pitch", gname);
	if (o.unit_count && (!o.unit_first || o.unit_first + o.unit_count - 1 > 255))
		return fsi_config_fail(err, -EINVAL, "group %s: units %u-%u out of range (1-255)",
				      gname, o.unit_first, o.unit_first + o.unit_count - 1);
	if (o.unit_first && !o.unit_count)
		return fsi_config_fail(err, -EINVAL, "group %s: unit_first without unit_count",
				      gname);
	ret = check_recovery_opts(&o, g.proto, gname, err);
	if (ret)
		return ret;
	g.unit_first = o.unit_first;
	g.unit_count = o.unit_count;
	if (o.channel && fs_parse_channel(o.channel, err))
		return -EINVAL;
	snprintf(g.channel, sizeof(g.channel), "%s", o.channel ? o.channel : gname);
	/* A snapshot group is no line; the program hands its line on in the metadata, so that
	 * user space tells its frames apart. */
	g.line = o.snapshot ? FS_LINE_SNAPSHOT : (__u8)o.line;
	g.feed = o.feed;
	g.retransmit = o.retransmit;
	if (o.definitions)
		g.flags |= FS_GROUP_F_DEFINITIONS;
	if (o.all_symbols)
		g.flags |= FS_GROUP_F_ALL_SYMBOLS;
	if (o.drop_malformed)
		g.flags |= FS_GROUP_F_DROP_MALFORMED;
	if (o.snapshot)
		g.flags |= FS_GROUP_F_SNAPSHOT;

	pos = group_pos(cfg, key, &found);
	if (found)
		return fsi_config_fail(err, -EEXIST, "group %s is already configured", gname);
	if (cfg->ngroups == FS_MAX_GROUPS)
		return fsi_config_fail(err, -ENOSPC, "group table full (%d groups)", FS_MAX_GROUPS);
	for (i = 0; i < cfg->ngroups; i++) {
		const struct fsi_config_group *o = &cfg->groups[i];
		char srv[FS_GROUP_STR_LEN];

		/* Responses are told apart by their server alone: one server, one channel. */
		if (g.retransmit.addr && strcmp(o->channel, g.channel) != 0 &&
		    !memcmp(&o->retransmit, &g.retransmit, sizeof(g.retransmit))) {
			fs_group_str(&g.retransmit, srv);
			return fsi_config_fail(err, -EINVAL,
					      "re-request server %s is already channel %s's; a "
					      "server serves one channel",
					      srv, o->channel);
		}
		if (strcmp(o->channel, g.channel) != 0)
			continue;
		ret = check_channel_mate(o, &g, err);
		if (ret)
			return ret;
	}
	if (channels_with(cfg, &g) > FS_MAX_CHANNELS)
		return fsi_config_fail(err, -ENOSPC, "channel table full (%d channels)",
				      FS_MAX_CHANNELS);
	memmove(&cfg->groups[pos + 1], &cfg->groups[pos],
		(cfg->ngroups - pos) * sizeof(cfg->groups[0]));
	cfg->groups[pos] = g;
	cfg->ngroups++;
	return 0;
}

int fsi_config__del_group(struct fs_config *cfg, const struct fs_group_key *key)
{
	bool found;
	size_t pos = group_pos(cfg, key, &found);

	if (!found)
		return -ENOENT;
	cfg->ngroups--;
	memmove(&cfg->groups[pos], &cfg->groups[pos + 1],
		(cfg->ngroups - pos) * sizeof(cfg->groups[0]));
	return 0;
}

bool fsi_config_has_symbol(const struct fs_config *cfg, const struct fs_symbol *sym)
{
	return cfg->nsymbols &&
	       bsearch(sym, cfg->symbols, cfg->nsymbols, sizeof(*sym), fsi_config_cmp_symbol);
}

bool fs_config__has_symbol(const struct fs_config *cfg, const struct fs_symbol *sym)
{
	return fsi_config_has_symbol(cfg, sym);
}

/* Merge the sorted, duplicate-free ADD into CFG's symbols. */
static int merge_symbols(struct fs_config *cfg, const struct fs_symbol *add, size_t n)
{
	struct fs_symbol *out;
	size_t i = 0, j = 0, k = 0;

	out = malloc((cfg->nsymbols + n + 1) * sizeof(*out));
	if (!out)
		return -ENOMEM;
	while (i < cfg->nsymbols || j < n) {
		int c = i == cfg->nsymbols ? 1
			: j == n	   ? -1
					   : fsi_config_cmp_symbol(&cfg->symbols[i], &add[j]);

		if (c <= 0)
			out[k++] = cfg->symbols[i++];
		else
			out[k++] = add[j++];
		if (c == 0)
			j++;
	}
	free(cfg->symbols);
	cfg->symbols = out;
	cfg->nsymbols = k;
	return 0;
}

/* A sorted copy of SYMS (NULL: out of memory). */
static struct fs_symbol *sorted_copy(const struct fs_symbol *syms, size_t n)
{
	struct fs_symbol *sorted = malloc((n ? n : 1) * sizeof(*sorted));

	if (sorted && n) {
		memcpy(sorted, syms, n * sizeof(*sorted));
		qsort(sorted, n, sizeof(*sorted), fsi_config_cmp_symbol);
	}
	return sorted;
}

int fsi_config__add_symbols(struct fs_config *cfg, const struct fs_symbol *syms, size_t n)
{
	struct fs_symbol *sorted = sorted_copy(syms, n);
	size_t i, u = 0, fresh = 0;
	int err;

	if (!sorted)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		if (u == 0 || fsi_config_cmp_symbol(&sorted[u - 1], &sorted[i]))
			sorted[u++] = sorted[i];
	for (i = 0; i < u; i++)
		fresh += !fsi_config_has_symbol(cfg, &sorted[i]);
	err = cfg->nsymbols + cfg->nids + fresh > FS_MAX_SUBS ? -ENOSPC
							       : merge_symbols(cfg, sorted, u);
	free(sorted);
	return err;
}

int fsi_config__del_symbols(struct fs_config *cfg, const struct fs_symbol *syms, size_t n,
			   size_t *missing)
{
	struct fs_symbol *sorted;
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		if (!fsi_config_has_symbol(cfg, &syms[i])) {
			if (missing)
				*missing = i;
			return -ENOENT;
		}
	}
	sorted = sorted_copy(syms, n);
	if (!sorted)
		return -ENOMEM;
	for (i = 0; i < cfg->nsymbols; i++)
		if (!n ||
		    !bsearch(&cfg->symbols[i], sorted, n, sizeof(*sorted), fsi_config_cmp_symbol))
			cfg->symbols[k++] = cfg->symbols[i];
	cfg->nsymbols = k;
	free(sorted);
	return 0;
}

bool fsi_config_has_id(const struct fs_config *cfg, __u32 id)
{
	return cfg->nids && bsearch(&id, cfg->ids, cfg->nids, sizeof(id), fsi_config_cmp_id);
}

bool fs_config__has_id(const struct fs_config *cfg, __u32 id)
{
	return fsi_config_has_id(cfg, id);
}

int fsi_config__add_ids(struct fs_config *cfg, const __u32 *ids, size_t n)
{
	__u32 *out = malloc((cfg->nids + n + 1) * sizeof(*out));
	size_t i, k = cfg->nids;

	if (!out)
		return -ENOMEM;
	if (cfg->nids)
		memcpy(out, cfg->ids, cfg->nids * sizeof(*out));
	for (i = 0; i < n; i++) {
		if (fsi_config_has_id(cfg, ids[i]))
			continue;
		out[k++] = ids[i];
	}
	qsort(out, k, sizeof(*out), fsi_config_cmp_id);
	for (i = 0, n = 0; i < k; i++) /* drop the duplicates IDS itself held */
		if (!n || out[n - 1] != out[i])
			out[n++] = out[i];
	if (cfg->nsymbols + n > FS_MAX_SUBS) {
		free(out);
		return -ENOSPC;
	}
	free(cfg->ids);
	cfg->ids = out;
	cfg->nids = n;
	return 0;
}

int fsi_config__del_ids(struct fs_config *cfg, const __u32 *ids, size_t n, size_t *missing)
{
	__u32 *sorted;
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		if (!fsi_config_has_id(cfg, ids[i])) {
			if (missing)
				*missing = i;
			return -ENOENT;
		}
	}
	sorted = malloc((n ? n : 1) * sizeof(*sorted));
	if (!sorted)
		return -ENOMEM;
	if (n)
		memcpy(sorted, ids, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), fsi_config_cmp_id);
	for (i = 0; i < cfg->nids; i++)
		if (!n || !bsearch(&cfg->ids[i], sorted, n, sizeof(*sorted), fsi_config_cmp_id))
			cfg->ids[k++] = cfg->ids[i];
	cfg->nids = k;
	free(sorted);
	return 0;
}
