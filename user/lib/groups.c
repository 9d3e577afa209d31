// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Multicast groups: the fs_groups map. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
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

struct id_usage {
	bool used[FS_MAX_GROUPS];
	int count;
};

static int mark_id(const struct fs_group_info *g, void *ctx)
{
	struct id_usage *u = ctx;

	u->used[g->value.id] = true;
	u->count++;
	return 0;
}

int fs_group__add(struct fs_iface *iface, const struct fs_group_key *key,
		  const struct fs_group_opts *opts)
{
	struct fs_group value = {.proto = FS_PROTO_MOLD_ITCH, .feed = opts->feed};
	struct id_usage usage = {};
	int id, err;

	if (opts->feed >= FS_MAX_FEEDS)
		return -EINVAL;
	if (opts->all_symbols)
		value.flags |= FS_GROUP_F_ALL_SYMBOLS;
	if (opts->drop_malformed)
		value.flags |= FS_GROUP_F_DROP_MALFORMED;

	err = fs_iface__lock(iface);
	if (err)
		return err;
	if (bpf_map_lookup_elem(iface->fds[FS_M_GROUPS], key, &value.id) == 0) {
		err = -EEXIST;
		goto out;
	}
	err = for_each_group(iface, mark_id, &usage);
	if (err)
		goto out;
	for (id = 0; id < FS_MAX_GROUPS && usage.used[id]; id++)
		;
	if (id == FS_MAX_GROUPS) {
		err = -ENOSPC;
		goto out;
	}
	value.id = (__u8)id;
	/* The id may have served a deleted group: its counters start again from zero. */
	err = fs_percpu_zero(iface, FS_M_GROUP_STATS, (__u32)id, sizeof(struct fs_counters));
	if (err)
		goto out;
	if (bpf_map_update_elem(iface->fds[FS_M_GROUPS], key, &value, BPF_NOEXIST))
		err = errno == E2BIG ? -ENOSPC : -errno;
out:
	fs_iface__unlock(iface);
	return err;
}

int fs_group__del(struct fs_iface *iface, const struct fs_group_key *key)
{
	int err = fs_iface__lock(iface);

	if (err)
		return err;
	if (bpf_map_delete_elem(iface->fds[FS_M_GROUPS], key))
		err = -errno;
	fs_iface__unlock(iface);
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
