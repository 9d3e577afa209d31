// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* feedsieve sub add | del | list */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Parse every symbol before anything changes: one bad symbol rejects the whole command. */
static struct fs_symbol *parse_symbols(char **texts, int n)
{
	struct fs_symbol *syms = calloc((size_t)n, sizeof(*syms));
	char err_text[FS_ERR_LEN];
	int i;

	if (!syms) {
		cli_error("out of memory");
		return NULL;
	}
	for (i = 0; i < n; i++) {
		if (fs_parse_symbol(texts[i], &syms[i], err_text)) {
			cli_usage_error("%s; nothing changed", err_text);
			free(syms);
			return NULL;
		}
	}
	return syms;
}

static int sub_change(char **args, bool add)
{
	const char *ifname = args[0];
	struct fs_symbol *syms;
	struct fs_iface *iface;
	size_t missing = 0;
	int n = 1, err; /* symbols: the command takes one at least */

	while (args[n + 1])
		n++;

	syms = parse_symbols(args + 1, n);
	if (!syms)
		return EXIT_USAGE;
	iface = cli_open_iface(ifname);
	if (!iface) {
		free(syms);
		return EXIT_FAILURE;
	}

	err = add ? fs_sub__add(iface, syms, (size_t)n)
		  : fs_sub__del(iface, syms, (size_t)n, &missing);
	if (err == -ENOSPC)
		cli_error("%s: subscription table full (%d symbols); nothing changed", ifname,
			  FS_MAX_SUBS);
	else if (err == -ENOENT && !add)
		cli_error("%s: symbol '%s' is not subscribed; nothing changed", ifname,
			  args[1 + missing]);
	else if (err)
		cli_iface_error(ifname, err);
	fs_iface__close(iface);
	free(syms);
	return err ? EXIT_FAILURE : 0;
}

static int sub_add(const void *opts, char **args)
{
	(void)opts;
	return sub_change(args, true);
}

static int sub_del(const void *opts, char **args)
{
	(void)opts;
	return sub_change(args, false);
}

const struct cli_cmd cli_cmd_sub_add = {
	.name = "sub add",
	.args = "IFNAME SYMBOL [SYMBOL...]",
	.run = sub_add,
	.help = "Subscribe the symbols: all of them, or none.",
};

const struct cli_cmd cli_cmd_sub_del = {
	.name = "sub del",
	.args = "IFNAME SYMBOL [SYMBOL...]",
	.run = sub_del,
	.help = "Unsubscribe the symbols; if one is not subscribed, nothing changes.",
};

/* Subscribed directory entries, sorted by symbol, so each subscription finds its locates by
 * binary search after a single pass over the directory. */
struct sub_locates {
	struct fs_dir_entry *e;
	size_t n, cap;
};

static int collect_subscribed(const struct fs_dir_entry *e, void *ctx)
{
	struct sub_locates *l = ctx;

	if (!e->subscribed)
		return 0;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 256;
		struct fs_dir_entry *grown = realloc(l->e, cap * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		l->e = grown;
		l->cap = cap;
	}
	l->e[l->n++] = *e;
	return 0;
}

static int cmp_entry_symbol(const void *a, const void *b)
{
	return memcmp(&((const struct fs_dir_entry *)a)->symbol,
		      &((const struct fs_dir_entry *)b)->symbol, sizeof(struct fs_symbol));
}

static void print_locates(const struct sub_locates *l, const struct fs_symbol *sym, bool json)
{
	size_t lo = 0, hi = l->n, i;
	int printed = 0;

	while (lo < hi) { /* first entry >= SYM */
		size_t mid = (lo + hi) / 2;

		if (memcmp(&l->e[mid].symbol, sym, sizeof(*sym)) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < l->n && !memcmp(&l->e[i].symbol, sym, sizeof(*sym)); i++, printed++) {
		if (json)
			printf("%s{\"feed\":%u,\"locate\":%u}", printed ? "," : "", l->e[i].feed,
			       l->e[i].locate);
		else
			printf("%s%u:%u", printed ? "," : " ", l->e[i].feed, l->e[i].locate);
	}
	if (!json && !printed)
		printf(" (not seen yet)");
}

static int sub_list(const void *opts, char **args)
{
	bool json = ((const struct cli_json_opts *)opts)->json;
	struct sub_locates located = {};
	struct fs_sub_info *subs;
	struct fs_iface *iface;
	int n, i;

	iface = cli_open_iface(args[0]);
	if (!iface)
		return EXIT_FAILURE;
	subs = calloc(FS_MAX_SUBS, sizeof(*subs));
	n = subs ? fs_sub__list(iface, subs, FS_MAX_SUBS) : -ENOMEM;
	if (n >= 0) {
		int err = fs_directory__foreach(iface, collect_subscribed, &located);

		if (err)
			n = err;
	}
	if (n < 0) {
		free(located.e);
		free(subs);
		fs_iface__close(iface);
		return cli_iface_error(args[0], n);
	}
	if (located.n)
		qsort(located.e, located.n, sizeof(*located.e), cmp_entry_symbol);
	if (json)
		putchar('[');
	for (i = 0; i < n && i < FS_MAX_SUBS; i++) {
		struct fs_sym_counters c = {};
		char name[FS_SYMBOL_LEN + 1];

		fs_symbol_str(&subs[i].symbol, name);
		fs_stats__symbol(iface, subs[i].slot, &c);
		if (json) {
			printf("%s{\"symbol\":", i ? "," : "");
			fs_json_str(stdout, name);
			printf(",\"slot\":%u,\"locates\":[", subs[i].slot);
			print_locates(&located, &subs[i].symbol, true);
			printf("],\"counters\":");
			cli_print_sym_counters_json(stdout, &c);
			putchar('}');
		} else {
			printf("%-8s msgs_matched %-10llu locates(feed:locate)", name,
			       (unsigned long long)c.msgs_matched);
			print_locates(&located, &subs[i].symbol, false);
			putchar('\n');
		}
	}
	if (json)
		puts("]");
	free(located.e);
	free(subs);
	fs_iface__close(iface);
	return 0;
}

const struct cli_cmd cli_cmd_sub_list = {
	.name = "sub list",
	.args = "IFNAME",
	.opts = cli_json_only,
	.opts_size = sizeof(struct cli_json_opts),
	.run = sub_list,
	.help = "List the subscriptions with their learned locates and counters.",
};
