// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* feedsieve directory: the instrument directory the program learned from the feed (ITCH
 * locates, MDP3 SecurityIDs), with the ids subscribed before their definition was seen. */
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
	if (p->json && e->proto == FS_PROTO_MOLD_ITCH) {
		printf("%s{\"proto\":\"itch\",\"feed\":%u,\"locate\":%u,\"symbol\":",
		       p->n ? "," : "", e->feed, e->locate);
		fs_json_str(stdout, name);
		printf(",\"subscribed\":%s}", e->subscribed ? "true" : "false");
	} else if (p->json) { /* "symbol" only once a definition named it */
		printf("%s{\"proto\":\"%s\",\"feed\":%u,\"id\":%d", p->n ? "," : "",
		       fs_proto_str(e->proto), e->feed, (int)(__s32)e->id);
		if (e->symbol_known) {
			printf(",\"symbol\":");
			fs_json_str(stdout, name);
		}
		printf(",\"subscribed\":%s}", e->subscribed ? "true" : "false");
	} else if (e->proto == FS_PROTO_MOLD_ITCH) {
		printf("%-4u %-6u %-8s %s\n", e->feed, e->locate, name,
		       e->subscribed ? "subscribed" : "");
	} else { /* the locate column holds the id, "id:N" */
		char id[16];

		snprintf(id, sizeof(id), "id:%d", (int)(__s32)e->id);
		printf("%-4u %-6s %-8s %s%s%s\n", e->feed, id, e->symbol_known ? name : "?",
		       e->subscribed ? "subscribed " : "", "proto ", fs_proto_str(e->proto));
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
	.help = "Print the instrument directory the program learned from the feed.",
};
