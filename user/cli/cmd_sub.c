// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* feedsieve sub add | del | list */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct sub_opts {
	bool id; /* the keys are numeric instrument ids, not symbols */
};

/* Parse every key (a symbol, or with BY_ID an id) before anything changes: one bad key rejects
 * the whole command. Returns an array of N symbols or ids, or NULL after the error. */
static void *parse_keys(char **texts, int n, bool by_id)
{
	void *keys = calloc((size_t)n, by_id ? sizeof(__u32) : sizeof(struct fs_symbol));
	char err_text[FS_ERR_LEN];
	int i, bad = 0;

	if (!keys) {
		cli_error("out of memory");
		return NULL;
	}
	for (i = 0; i < n && !bad; i++)
		bad = by_id ? fs_parse_id(texts[i], (__u32 *)keys + i, err_text)
			    : fs_parse_symbol(texts[i], (struct fs_symbol *)keys + i, err_text);
	if (bad) {
		cli_usage_error("%s; nothing changed", err_text);
		free(keys);
		return NULL;
	}
	return keys;
}

static int sub_change(const struct sub_opts *o, char **args, bool add)
{
	const char *ifname = args[0];
	struct fs_iface *iface;
	size_t missing = 0;
	int n = 1, err; /* keys: the command takes one at least */
	void *keys;

	while (args[n + 1])
		n++;

	keys = parse_keys(args + 1, n, o->id);
	if (!keys)
		return EXIT_USAGE;
	iface = cli_open_iface(ifname);
	if (!iface) {
		free(keys);
		return EXIT_FAILURE;
	}

	if (o->id)
		err = add ? fs_sub__add_ids(iface, keys, (size_t)n)
			  : fs_sub__del_ids(iface, keys, (size_t)n, &missing);
	else
		err = add ? fs_sub__add(iface, keys, (size_t)n)
			  : fs_sub__del(iface, keys, (size_t)n, &missing);
	if (err == -ENOSPC && o->id)
		cli_error("%s: subscription table full (%d symbols and ids) or instrument directory "
			  "full (%d ids); nothing changed",
			  ifname, FS_MAX_SUBS, FS_MAX_INSTRUMENTS);
	else if (err == -ENOSPC)
		cli_error("%s: subscription table full (%d symbols); nothing changed", ifname,
			  FS_MAX_SUBS);
	else if (err == -ENOENT && !add)
		cli_error("%s: %s '%s' is not subscribed; nothing changed", ifname,
			  o->id ? "id" : "symbol", args[1 + missing]);
	else if (err)
		cli_iface_error(ifname, err);
	fs_iface__close(iface);
	free(keys);
	return err ? EXIT_FAILURE : 0;
}

static int sub_add(const void *opts, char **args)
{
	return sub_change(opts, args, true);
}

static int sub_del(const void *opts, char **args)
{
	return sub_change(opts, args, false);
}

static const struct cli_opt sub_opts[] = {
    {.name = "id", CLI_FIELD(struct sub_opts, id),
     .help = "the words are numeric instrument ids (MDP3 SecurityID, NYSE SymbolIndex; "
	     "32-bit signed)"},
    {},
};

const struct cli_cmd cli_cmd_sub_add = {
	.name = "sub add",
	.args = "IFNAME SYMBOL [SYMBOL...]",
	.opts = sub_opts,
	.opts_size = sizeof(struct sub_opts),
	.run = sub_add,
	.help = "Subscribe the symbols (with --id, the ids): all of them, or none.",
	.negative_args = true,
};

const struct cli_cmd cli_cmd_sub_del = {
	.name = "sub del",
	.args = "IFNAME SYMBOL [SYMBOL...]",
	.opts = sub_opts,
	.opts_size = sizeof(struct sub_opts),
	.run = sub_del,
	.help = "Unsubscribe the symbols (with --id, the ids); if one is not subscribed, nothing "
		"changes.",
	.negative_args = true,
};

/* Subscribed directory entries, sorted by symbol, so each subscription finds its locates by
 * binary search after a single pass over the directory. */
struct sub_locates {
	struct fs_dir_entry *e;
	size_t n, cap;
};

/* The subscribed ITCH locates into CTX[0], the subscribed id-keyed instruments whose symbol is
 * known into CTX[1]. */
static int collect_subscribed(const struct fs_dir_entry *e, void *ctx)
{
	struct sub_locates *l = (struct sub_locates *)ctx + (e->proto != FS_PROTO_MOLD_ITCH);

	if (!e->subscribed || !e->symbol_known)
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

/* The entries of L named SYM, as JSON objects or as HEAD then "feed:key" words (nothing when
 * there are none); returns how many. */
static int print_locates(const struct sub_locates *l, const struct fs_symbol *sym, bool json,
			 const char *head)
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
		const struct fs_dir_entry *e = &l->e[i];

		if (json && e->proto == FS_PROTO_MOLD_ITCH)
			printf("%s{\"feed\":%u,\"locate\":%u}", printed ? "," : "", e->feed,
			       e->locate);
		else if (json)
			printf("%s{\"proto\":\"%s\",\"feed\":%u,\"id\":%d}", printed ? "," : "",
			       fs_proto_str(e->proto), e->feed, (int)(__s32)e->id);
		else if (e->proto == FS_PROTO_MOLD_ITCH)
			printf("%s%s%u:%u", printed ? "" : head, printed ? "," : " ", e->feed,
			       e->locate);
		else
			printf("%s%s%u:%d", printed ? "" : head, printed ? "," : " ", e->feed,
			       (int)(__s32)e->id);
	}
	return printed;
}

static int sub_list(const void *opts, char **args)
{
	bool json = ((const struct cli_json_opts *)opts)->json;
	struct sub_locates located[2] = {}; /* ITCH locates, id-keyed instruments */
	struct fs_sub_info *subs;
	struct fs_iface *iface;
	int n, i;

	iface = cli_open_iface(args[0]);
	if (!iface)
		return EXIT_FAILURE;
	subs = calloc(FS_MAX_SUBS, sizeof(*subs));
	n = subs ? fs_sub__list(iface, subs, FS_MAX_SUBS) : -ENOMEM;
	if (n >= 0) {
		int err = fs_directory__foreach(iface, collect_subscribed, located);

		if (err)
			n = err;
	}
	if (n < 0) {
		free(located[0].e);
		free(located[1].e);
		free(subs);
		fs_iface__close(iface);
		return cli_iface_error(args[0], n);
	}
	for (i = 0; i < 2; i++)
		if (located[i].n)
			qsort(located[i].e, located[i].n, sizeof(*located[i].e), cmp_entry_symbol);
	if (json)
		putchar('[');
	for (i = 0; i < n && i < FS_MAX_SUBS; i++) {
		const struct fs_sub_info *sub = &subs[i];
		struct fs_sym_counters c = {};
		char name[FS_SYMBOL_LEN + 1];

		fs_symbol_str(&sub->symbol, name);
		fs_stats__symbol(iface, sub->slot, &c);
		if (json) {
			printf("%s{", i ? "," : "");
			if (sub->kind == FS_SUB_ID) {
				printf("\"id\":%d,\"slot\":%u", (int)(__s32)sub->id, sub->slot);
			} else {
				printf("\"symbol\":");
				fs_json_str(stdout, name);
				printf(",\"slot\":%u,\"locates\":[", sub->slot);
				print_locates(&located[0], &sub->symbol, true, "");
				printf("],\"ids\":[");
				print_locates(&located[1], &sub->symbol, true, "");
				putchar(']');
			}
			printf(",\"counters\":");
			cli_print_sym_counters_json(stdout, &c);
			putchar('}');
		} else if (sub->kind == FS_SUB_ID) {
			printf("id:%d msgs_matched %llu\n", (int)(__s32)sub->id,
			       (unsigned long long)c.msgs_matched);
		} else {
			printf("%-8s msgs_matched %-10llu locates(feed:locate)", name,
			       (unsigned long long)c.msgs_matched);
			if (!print_locates(&located[0], &sub->symbol, false, ""))
				printf(" (not seen yet)");
			/* learned from MDP3 definitions: the name's ids */
			print_locates(&located[1], &sub->symbol, false, " ids(feed:id)");
			putchar('\n');
		}
	}
	if (json)
		puts("]");
	free(located[0].e);
	free(located[1].e);
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
