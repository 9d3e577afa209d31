// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* feedsieve directory: the symbol -> locate table the program learned from the feed. */
#include <stdio.h>

#include "cli.h"

struct dir_print {
	bool json;
	int n;
};

static int print_entry(const struct fs_dir_entry *e, void *ctx)
{
	struct dir_print *p = ctx;
	char name[FS_SYMBOL_LEN + 1];

	fs_symbol_str(&e->symbol, name);
	if (p->json) {
		printf("%s{\"feed\":%u,\"locate\":%u,\"symbol\":", p->n ? "," : "", e->feed,
		       e->locate);
		fs_json_str(stdout, name);
		printf(",\"subscribed\":%s}", e->subscribed ? "true" : "false");
	} else {
		printf("%-4u %-6u %-8s %s\n", e->feed, e->locate, name,
		       e->subscribed ? "subscribed" : "");
	}
	p->n++;
	return 0;
}

static int do_directory(const void *opts, char **args)
{
	struct dir_print p = {.json = ((const struct cli_json_opts *)opts)->json};
	struct fs_iface *iface = cli_open_iface(args[0]);

	if (!iface)
		return EXIT_FAILURE;
	if (p.json)
		putchar('[');
	else
		printf("%-4s %-6s %-8s\n", "feed", "locate", "symbol");
	fs_directory__foreach(iface, print_entry, &p);
	if (p.json)
		puts("]");
	fs_iface__close(iface);
	return 0;
}

const struct cli_cmd cli_cmd_directory = {
	.name = "directory",
	.args = "IFNAME",
	.opts = cli_json_only,
	.opts_size = sizeof(struct cli_json_opts),
	.run = do_directory,
	.help = "Print the symbol directory the program learned from the feed.",
};
