// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Multicast groups: the fs_groups map. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <bpf/bpf.h>

#include "internal.h"

/* Visit every configured group; FN returning non-zero stops the walk with that value. */
static int for_each_group(struct fs_iface *iface,
			  int (*fn)(const struct fs_group_info *g, void *ctx), void *ctx)
{
	struct fs_group_key key, next;
	struct fs_group_info info;
	void *prev = NULL;
	int err;

	while (bpf_map_get_next_key(iface->fds[FS_M_GROUPS], prev, &next) == 0) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(iface->fds[FS_M_GROUPS], &key, &info.value))
			continue; /* deleted meanwhile */
		info.key = key;
		err = fn(&info, ctx);
		if (err)
			return err;
	}
	return errno == ENOENT ? 0 : -errno;
}

struct usage {
	bool id_used[FS_MAX_GROUPS];
	int count;
	int channel_groups[FS_MAX_CHANNELS]; /* groups per channel */
	struct fs_group_info line_of[FS_MAX_CHANNELS][2];
	bool has_line[FS_MAX_CHANNELS][2];
};

static int mark_usage(const struct fs_group_info *g, void *ctx)
{
	struct usage *u = ctx;

	u->id_used[g->value.id] = true;
	u->count++;
	u->channel_groups[g->value.channel]++;
	if (g->value.line <= FS_LINE_B) {
		u->has_line[g->value.channel][g->value.line] = true;
		u->line_of[g->value.channel][g->value.line] = *g;
	}
	return 0;
}

const char *fs_line_str(enum fs_line line)
{
	return line == FS_LINE_B ? "B" : "A";
}

void fs_channel__name(const struct fs_iface *iface, __u8 id, char *out)
{
	struct fs_channel ch = {};
	__u32 key = id;

	bpf_map_lookup_elem(iface->fds[FS_M_CHANNELS], &key, &ch);
	memcpy(out, ch.name, FS_CHANNEL_NAME_LEN);
	out[FS_CHANNEL_NAME_LEN - 1] = '\0';
}

/* Channel id named NAME, or -1. */
static int find_channel(struct fs_iface *iface, const char *name)
{
	char cur[FS_CHANNEL_NAME_LEN];
	int id;

	for (id = 0; id < FS_MAX_CHANNELS; id++) {
		fs_channel__name(iface, (__u8)id, cur);
		if (cur[0] && !strcmp(cur, name))
			return id;
	}
	return -1;
}

/* A fresh channel id for NAME with an empty window and zero counters, or -ENOSPC. */
static int new_channel(struct fs_iface *iface, const struct usage *u, const char *name)
{
	struct fs_channel ch = {};
	char cur[FS_CHANNEL_NAME_LEN];
	__u32 id;

	for (id = 0; id < FS_MAX_CHANNELS; id++) {
		fs_channel__name(iface, (__u8)id, cur);
		if (!cur[0] && !u->channel_groups[id])
			break;
	}
	if (id == FS_MAX_CHANNELS)
		return -ENOSPC;
	/* No group refers to the channel yet, so the program does not touch its window. */
	memset(&iface->windows[id], 0, sizeof(iface->windows[id]));
	memset(&iface->chan_events[id], 0, sizeof(iface->chan_events[id]));
	snprintf(ch.name, sizeof(ch.name), "%s", name);
	if (bpf_map_update_elem(iface->fds[FS_M_CHANNELS], &id, &ch, BPF_ANY))
		return -errno;
	return (int)id;
}

static void free_channel(struct fs_iface *iface, __u8 id)
{
	struct fs_channel ch = {};
	__u32 key = id;

	bpf_map_update_elem(iface->fds[FS_M_CHANNELS], &key, &ch, BPF_ANY);
}

int fs_group__add(struct fs_iface *iface, const struct fs_group_key *key,
		  const struct fs_group_opts *opts)
{
	struct fs_group value = {.proto = FS_PROTO_MOLD_ITCH, .feed = opts->feed, .line = opts->line};
	char own_name[FS_GROUP_STR_LEN];
	const char *name = opts->channel;
	struct usage *u;
	int id, channel, err;
	bool fresh_channel = false;

	if (opts->feed >= FS_MAX_FEEDS || opts->line > FS_LINE_B)
		return -EINVAL;
	if (!name) {
		fs_group_str(key, own_name);
		name = own_name;
	}
	if (opts->all_symbols)
		value.flags |= FS_GROUP_F_ALL_SYMBOLS;
	if (opts->drop_malformed)
		value.flags |= FS_GROUP_F_DROP_MALFORMED;
	u = calloc(1, sizeof(*u));
	if (!u)
		return -ENOMEM;

	err = fs_iface__lock(iface);
	if (err)
		goto out_free;
	if (bpf_map_lookup_elem(iface->fds[FS_M_GROUPS], key, &value.id) == 0) {
		err = -EEXIST;
		goto out;
	}
	err = for_each_group(iface, mark_usage, u);
	if (err)
		goto out;
	for (id = 0; id < FS_MAX_GROUPS && u->id_used[id]; id++)
		;
	if (id == FS_MAX_GROUPS) {
		err = -ENOSPC;
		goto out;
	}
	channel = find_channel(iface, name);
	if (channel >= 0 && u->has_line[channel][opts->line]) {
		err = -EBUSY;
		goto out;
	}
	if (channel >= 0 && u->channel_groups[channel] &&
	    u->line_of[channel][!opts->line].value.feed != opts->feed) {
		err = -EINVAL;
		goto out;
	}
	if (channel < 0) {
		channel = new_channel(iface, u, name);
		if (channel < 0) {
			err = channel;
			goto out;
		}
		fresh_channel = true;
	}
	value.id = (__u8)id;
	value.channel = (__u8)channel;
	/* The id may have served a deleted group: its counters start again from zero. */
	err = fs_percpu_zero(iface, FS_M_GROUP_STATS, (__u32)id, sizeof(struct fs_counters));
	if (!err && bpf_map_update_elem(iface->fds[FS_M_GROUPS], key, &value, BPF_NOEXIST))
		err = errno == E2BIG ? -ENOSPC : -errno;
	if (err && fresh_channel)
		free_channel(iface, (__u8)channel);
out:
	fs_iface__unlock(iface);
out_free:
	free(u);
	return err;
}

int fs_group__del(struct fs_iface *iface, const struct fs_group_key *key)
{
	struct fs_group value;
	struct usage *u = calloc(1, sizeof(*u));
	int err = u ? fs_iface__lock(iface) : -ENOMEM;

	if (err)
		goto out_free;
	if (bpf_map_lookup_elem(iface->fds[FS_M_GROUPS], key, &value) ||
	    bpf_map_delete_elem(iface->fds[FS_M_GROUPS], key)) {
		err = -errno;
		goto out;
	}
	/* Let runs that still use the group finish before its id or channel can be reused. */
	err = fs_iface__wait_programs(iface);
	/* The last group of a channel takes the channel with it. */
	if (!err)
		err = for_each_group(iface, mark_usage, u);
	if (!err && !u->channel_groups[value.channel])
		free_channel(iface, value.channel);
out:
	fs_iface__unlock(iface);
out_free:
	free(u);
	return err;
}

struct group_list {
	struct fs_group_info *out;
	size_t max, n;
};

static int collect_group(const struct fs_group_info *g, void *ctx)
{
	struct group_list *l = ctx;

	if (l->n < l->max)
		l->out[l->n] = *g;
	l->n++;
	return 0;
}

static int cmp_group(const void *a, const void *b)
{
	const struct fs_group_key *x = &((const struct fs_group_info *)a)->key;
	const struct fs_group_key *y = &((const struct fs_group_info *)b)->key;
	__u32 xa = ntohl(x->addr), ya = ntohl(y->addr);

	if (xa != ya)
		return xa < ya ? -1 : 1;
	return (int)ntohs(x->port) - (int)ntohs(y->port);
}

int fs_group__list(struct fs_iface *iface, struct fs_group_info *out, size_t max)
{
	struct group_list l = {.out = out, .max = max};
	int err = for_each_group(iface, collect_group, &l);

	if (err)
		return err;
	qsort(out, l.n < max ? l.n : max, sizeof(*out), cmp_group);
	return (int)l.n;
}
