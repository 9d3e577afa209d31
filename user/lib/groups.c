// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Multicast groups: changes are configuration commits (commit.c); lists read the live bank. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>

#include "config.h"

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
};

static int add_group(struct fs_config *cfg, void *ctx)
{
	const struct group_edit *e = ctx;

	return fs_config__add_group(cfg, e->key, e->opts, NULL);
}

static int del_group(struct fs_config *cfg, void *ctx)
{
	const struct group_edit *e = ctx;

	return fs_config__del_group(cfg, e->key);
}

int fs_group__add(struct fs_iface *iface, const struct fs_group_key *key,
		  const struct fs_group_opts *opts)
{
	struct group_edit e = {.key = key, .opts = opts};

	return edit_live(iface, add_group, &e);
}

int fs_group__del(struct fs_iface *iface, const struct fs_group_key *key)
{
	struct group_edit e = {.key = key};

	return edit_live(iface, del_group, &e);
}

struct sub_edit {
	const struct fs_symbol *syms;
	size_t n;
	size_t *missing;
};

static int add_symbols(struct fs_config *cfg, void *ctx)
{
	const struct sub_edit *e = ctx;

	return fs_config__add_symbols(cfg, e->syms, e->n);
}

static int del_symbols(struct fs_config *cfg, void *ctx)
{
	const struct sub_edit *e = ctx;

	return fs_config__del_symbols(cfg, e->syms, e->n, e->missing);
}

int fs_sub__add(struct fs_iface *iface, const struct fs_symbol *syms, size_t n)
{
	struct sub_edit e = {.syms = syms, .n = n};

	return edit_live(iface, add_symbols, &e);
}

int fs_sub__del(struct fs_iface *iface, const struct fs_symbol *syms, size_t n, size_t *missing)
{
	struct sub_edit e = {.syms = syms, .n = n, .missing = missing};

	return edit_live(iface, del_symbols, &e);
}

static int cmp_group_info(const void *a, const void *b)
{
	return fs_config_cmp_key(&((const struct fs_group_info *)a)->key,
				 &((const struct fs_group_info *)b)->key);
}

int fs_group__list(struct fs_iface *iface, struct fs_group_info *out, size_t max)
{
	struct fs_group_key key, next;
	struct fs_group_banks v;
	__u32 bank = fs_iface__live_bank(iface);
	void *prev = NULL;
	size_t n = 0;

	while (bpf_map_get_next_key(iface->fds[FS_M_GROUPS], prev, &next) == 0) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(iface->fds[FS_M_GROUPS], &key, &v) ||
		    v.bank[bank].proto == FS_PROTO_NONE)
			continue; /* removed meanwhile, or not in the live configuration */
		if (n < max) {
			out[n].key = key;
			out[n].value = v.bank[bank];
		}
		n++;
	}
	if (errno != ENOENT)
		return -errno;
	qsort(out, n < max ? n : max, sizeof(*out), cmp_group_info);
	return (int)n;
}

int fs_sub__list(struct fs_iface *iface, struct fs_sub_info *out, size_t max)
{
	struct fs_symbol key, next;
	__u32 bank = fs_iface__live_bank(iface);
	void *prev = NULL;
	size_t n = 0;

	while (bpf_map_get_next_key(iface->fds[FS_M_SUBS], prev, &next) == 0) {
		struct fs_sub sub;

		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(iface->fds[FS_M_SUBS], &key, &sub) ||
		    sub.mark[bank] == FS_LOCATE_NOT_SUBSCRIBED)
			continue;
		if (n < max) {
			out[n].symbol = key;
			out[n].slot = sub.mark[bank] - 1;
		}
		n++;
	}
	if (errno != ENOENT)
		return -errno;
	qsort(out, n < max ? n : max, sizeof(*out), fs_config_cmp_symbol);
	return (int)n;
}
