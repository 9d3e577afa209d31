// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* feedsieve: command-line front end of libfeedsieve. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

#ifndef FEEDSIEVE_VERSION
#define FEEDSIEVE_VERSION "0.2.0"
#endif

static const struct cli_cmd commands[] = {
	{"attach", do_attach, "attach IFNAME [--mode native|skb]"},
	{"detach", do_detach, "detach IFNAME"},
	{"apply", do_apply, "apply CONFIG [--dry-run]   (CONFIG '-': standard input)"},
	{"show", do_show, "show IFNAME"},
	{"batch", do_batch,
	 "batch IFNAME [FILE]   (lines 'sub add|del SYMBOL...', 'group add|del GROUP:PORT ...')"},
	{"group", do_group,
	 "group add IFNAME GROUP:PORT [--channel NAME --line A|B] [--all-symbols]\n"
	 "            [--drop-malformed] [--feed N]\n"
	 "  group del IFNAME GROUP:PORT\n"
	 "  group list IFNAME [--json]"},
	{"sub", do_sub,
	 "sub add IFNAME SYMBOL [SYMBOL...]\n"
	 "  sub del IFNAME SYMBOL [SYMBOL...]\n"
	 "  sub list IFNAME [--json]"},
	{"directory", do_directory, "directory IFNAME [--json]"},
	{"stats", do_stats,
	 "stats IFNAME [--json | --prometheus]\n"
	 "  stats IFNAME --watch [--interval S] [--count N] [--json]\n"
	 "  stats IFNAME --symbols [LIST] [--json]"},
	{"consume", do_consume,
	 "consume IFNAME [--queue Q | --queues LIST [--cpus LIST]] [--duration SECONDS] [--count N]\n"
	 "          [--json] [--sleep] [--rx-ring N] [--fill-ring N] [--frames N] [--frame-size B]\n"
	 "          [--hugepages] [--copy | --zero-copy] [--busy-poll-us US] [--busy-poll-budget N]\n"
	 "          [--gap-grace-ms MS] [--stale-ms MS] [--batch N]"},
};

static int verbosity;

static int print_stderr(enum fs_print_level level, const char *fmt, va_list args)
{
	(void)level;
	return vfprintf(stderr, fmt, args);
}

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: feedsieve [-v|-vv] COMMAND ...\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %s\n", commands[i].usage);
	fprintf(out, "  --version\n");
}

int main(int argc, char **argv)
{
	size_t i;
	int arg = 1;

	for (; arg < argc && argv[arg][0] == '-'; arg++) {
		if (!strcmp(argv[arg], "-v"))
			verbosity = 1;
		else if (!strcmp(argv[arg], "-vv"))
			verbosity = 2;
		else if (!strcmp(argv[arg], "--version")) {
			printf("feedsieve %s\n", FEEDSIEVE_VERSION);
			return 0;
		} else if (!strcmp(argv[arg], "-h") || !strcmp(argv[arg], "--help")) {
			usage(stdout);
			return 0;
		} else {
			return cli_usage_error("unknown option (see 'feedsieve --help')");
		}
	}
	if (verbosity)
		fs_set_print(print_stderr, verbosity > 1 ? FS_DEBUG : FS_INFO);
	if (arg >= argc)
		return cli_usage_error("no command (see 'feedsieve --help')");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[arg], commands[i].name))
			return commands[i].run(argc - arg, argv + arg);
	return cli_usage_error("unknown command (see 'feedsieve --help')");
}
