// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Multicast groups and subscriptions of an attached interface: changes are configuration commits
 * (commit.c), lists read the live bank. Layered over config.c and commit.c, never under them. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>

#include "config.h"

void fs_channel__name(const struct fs_iface *iface, __u8 id, char *out)
{
	struct fs_channel ch = {};
	__u32 key = id;

	bpf_map_lookup_elem(iface->fds[FS_M_CHANNELS], &key, &ch);
	memcpy(out, ch.name, FS_CHANNEL_NAME_LEN);
	out[FS_CHANNEL_NAME_LEN - 1] = '\0';
}

/* Read the live configuration, let EDIT change it, and commit it, all under the lock. */
static int edit_live(struct fs_iface *iface, int (*edit)(struct fs_config *cfg, void *ctx),
		     void *ctx)
{
	struct fs_config *cfg = NULL;
	int err = fs_iface__lock(iface);

	if (err)
		return err;
	err = fs_config__read(iface, &cfg);
	if (!err)
		err = edit(cfg, ctx);
	if (!err)
		err = fs_config__commit(iface, cfg);
	fs_config__free(cfg);
	fs_iface__unlock(iface);
	return err;
}

struct group_edit {
	const struct fs_group_key *key;
	const struct fs_group_opts *opts;
	char *err;
};

static int add_group(struct fs_config *cfg, void *ctx)
{
	const struct group_edit *e = ctx;

	return fsi_config__add_group(cfg, e->key, e->opts, e->err);
}

static int del_group(struct fs_config *cfg, void *ctx)
{
	const struct group_edit *e = ctx;

	return fsi_config__del_group(cfg, e->key);
}

int fs_group__add(struct fs_iface *iface, const struct fs_group_key *key,
		  const struct fs_group_opts *opts, char err[FS_ERR_LEN])
{
	struct group_edit e = {.key = key, .opts = opts, .err = err};

	if (err)
		err[0] = '\0'; /* stays empty unless the configuration refuses the group */
	return edit_live(iface, add_group, &e);
}

int fs_group__del(struct fs_iface *iface, const struct fs_group_key *key)
{
	struct group_edit e = {.key = key};

	return edit_live(iface, del_group, &e);
}

struct sub_edit {
	bool by_id; /* IDS, else SYMS */
	const struct fs_symbol *syms;
	const __u32 *ids;
	size_t n;
	size_t *missing;
};

static int add_subs(struct fs_config *cfg, void *ctx)
{
	const struct sub_edit *e = ctx;

	return e->by_id ? fsi_config__add_ids(cfg, e->ids, e->n)
		      : fsi_config__add_symbols(cfg, e->syms, e->n);
}

static int del_subs(struct fs_config *cfg, void *ctx)
{
	const struct sub_edit *e = ctx;

	return e->by_id ? fsi_config__del_ids(cfg, e->ids, e->n, e->missing)
		      : fsi_config__del_symbols(cfg, e->syms, e->n, e->missing);
}

int fs_sub__add(struct fs_iface *iface, const struct fs_symbol *syms, size_t n)
{
	struct sub_edit e = {.syms = syms, .n = n};

	return edit_live(iface, add_subs, &e);
}

int fs_sub__del(struct fs_iface *iface, const struct fs_symbol *syms, size_t n, size_t *missing)
{
	struct sub_edit e = {.syms = syms, .n = n, .missing = missing};

	return edit_live(iface, del_subs, &e);
}

int fs_sub__add_ids(struct fs_iface *iface, const __u32 *ids, size_t n)
{
	struct sub_edit e = {.by_id = true, .ids = ids, .n = n};

	return edit_live(iface, add_subs, &e);
}

int fs_sub__del_ids(struct fs_iface *iface, const __u32 *ids, size_t n, size_t *missing)
{
	struct sub_edit e = {.by_id = true, .ids = ids, .n = n, .missing = missing};

	return edit_live(iface, del_subs, &e);
}

static int cmp_group_info(const void *a, const void *b)
{
	return fsi_config_cmp_key(&((const struct fs_group_info *)a)->key,
				 &((const struct fs_group_info *)b)->key);
}

/*
 * Lists read the live bank without the lock (consumers list groups from their polling thread).
 * A bank is written only after it stopped being live and a grace period passed, so a listing
 * that saw the same commit count before and after read one live bank, unchanged. Otherwise it
 * is read again.
 */
#define LIST_TRIES 8

static int list_groups_once(struct fs_iface *iface, __u64 commits, void *outp, size_t max)
{
	struct fs_group_info *out = outp;
	int fd = iface->fds[FS_M_GROUPS_0 + (commits & 1)];
	struct fs_group_key key, next;
	struct fs_group v;
	void *prev = NULL;
	size_t n = 0;

	while (bpf_map_get_next_key(fd, prev, &next) == 0) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &v))
			continue; /* the bank stopped being live and is being rewritten: retried */
		if (n < max) {
			out[n].key = key;
			out[n].value = v;
		}
		n++;
	}
	return errno == ENOENT ? (int)n : -errno;
}

/* The subscriptions of KIND in the bank COMMITS makes live, from OUT[*N] on. */
static int list_kind(struct fs_iface *iface, __u64 commits, enum fs_sub_kind kind,
		     struct fs_sub_info *out, size_t max, size_t *n)
{
	int fd = iface->fds[(kind == FS_SUB_ID ? FS_M_IDS_0 : FS_M_SUBS_0) + (commits & 1)];
	struct fs_symbol key, next; /* the larger key */
	void *prev = NULL;

	while (bpf_map_get_next_key(fd, prev, &next) == 0) {
		struct fs_sub sub;

		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &sub))
			continue;
		if (*n < max) {
			memset(&out[*n], 0, sizeof(out[*n]));
			out[*n].kind = kind;
			out[*n].slot = sub.slot;
			if (kind == FS_SUB_ID)
				memcpy(&out[*n].id, &key, sizeof(out[*n].id));
			else
				out[*n].symbol = key;
		}
		(*n)++;
	}
	return errno == ENOENT ? 0 : -errno;
}

static int list_subs_once(struct fs_iface *iface, __u64 commits, void *outp, size_t max)
{
	size_t n = 0;
	int err = list_kind(iface, commits, FS_SUB_SYMBOL, outp, max, &n);

	err = err ?: list_kind(iface, commits, FS_SUB_ID, outp, max, &n);
	return err ?: (int)n;
}

/* Names by symbol, then ids as signed numbers. */
static int cmp_sub_info(const void *a, const void *b)
{
	const struct fs_sub_info *x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind == FS_SUB_SYMBOL ? -1 : 1;
	return x->kind == FS_SUB_ID ? fsi_config_cmp_id(&x->id, &y->id)
				    : fsi_config_cmp_symbol(&x->symbol, &y->symbol);
}

/* ONCE over the live bank until no commit happened meanwhile; sorted with CMP. */
static int list_live(struct fs_iface *iface,
		     int (*once)(struct fs_iface *iface, __u64 commits, void *out, size_t max),
		     void *out, size_t max, size_t size, int (*cmp)(const void *, const void *))
{
	int n = -EAGAIN, tries;

	for (tries = 0; tries < LIST_TRIES; tries++) {
		__u64 commits = fs_iface__commits(iface);

		n = once(iface, commits, out, max);
		if (n < 0 || fs_iface__commits(iface) == commits)
			break;
		n = -EAGAIN;
	}
	if (n > 0)
		qsort(out, (size_t)n < max ? (size_t)n : max, size, cmp);
	return n;
}

int fs_group__list(struct fs_iface *iface, struct fs_group_info *out, size_t max)
{
	return list_live(iface, list_groups_once, out, max, sizeof(*out), cmp_group_info);
}

int fs_sub__list(struct fs_iface *iface, struct fs_sub_info *out, size_t max)
{
	return list_live(iface, list_subs_once, out, max, sizeof(*out), cmp_sub_info);
}
