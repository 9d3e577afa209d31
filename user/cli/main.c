// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* feedsieve: command-line front end of libfeedsieve. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#ifndef FEEDSIEVE_VERSION
#define FEEDSIEVE_VERSION "0.5.0"
#endif

static const struct cli_cmd *const commands[] = {
    &cli_cmd_attach,	&cli_cmd_detach,    &cli_cmd_apply,	 &cli_cmd_show,	   &cli_cmd_batch,
    &cli_cmd_group_add, &cli_cmd_group_del, &cli_cmd_group_list, &cli_cmd_sub_add, &cli_cmd_sub_del,
    &cli_cmd_sub_list,	&cli_cmd_directory, &cli_cmd_stats,	 &cli_cmd_consume,
    &cli_cmd_replay,
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static int verbosity;

static int print_stderr(enum fs_print_level level, const char *fmt, va_list args)
{
	(void)level;
	return vfprintf(stderr, fmt, args);
}

static void usage(void)
{
	size_t i;

	printf("usage: feedsieve [-v|-vv] COMMAND ...\n");
	for (i = 0; i < NCOMMANDS; i++) {
		printf("  ");
		cli_print_synopsis(stdout, commands[i]);
		putchar('\n');
	}
	printf("  --version\n'feedsieve COMMAND --help' describes a command and its options.\n");
}

/* The command ARGV[0], or its subcommand ARGV[1] ("group add"); NULL after the one-line error
 * in *RC, which lists the subcommands of a family: "add|del|list", "add, del or list". */
static const struct cli_cmd *find(int argc, char **argv, int *rc)
{
	const char *sub = argc > 1 ? argv[1] : NULL, *subs[NCOMMANDS];
	size_t i, n = 0, at = 0, len = strlen(argv[0]);
	char names[128] = "";

	for (i = 0; i < NCOMMANDS; i++) {
		const char *name = commands[i]->name;
		bool in_family = !strncmp(name, argv[0], len) && name[len] == ' ';

		if (!strcmp(name, argv[0]) || (in_family && sub && !strcmp(name + len + 1, sub)))
			return commands[i];
		if (in_family)
			subs[n++] = name + len + 1;
	}
	for (i = 0; i < n && at < sizeof(names); i++)
		at += (size_t)snprintf(names + at, sizeof(names) - at, "%s%s",
				       !i	   ? ""
				       : !sub	   ? "|"
				       : i + 1 < n ? ", "
						   : " or ",
				       subs[i]);
	if (!n)
		*rc = cli_usage_error("unknown command (see 'feedsieve --help')");
	else if (!sub)
		*rc = cli_usage_error("usage: feedsieve %s %s IFNAME ...", argv[0], names);
	else
		*rc = cli_usage_error("%s: unknown subcommand '%s' (%s)", argv[0], sub, names);
	return NULL;
}

static int run(int argc, char **argv)
{
	const struct cli_cmd *cmd;
	int rc;
	char **args;
	void *opts;

	if (!strcmp(argv[0], "__options")) { /* for the bash completion and the tests */
		cli_print_options(stdout, commands, NCOMMANDS);
		return 0;
	}
	cmd = find(argc, argv, &rc);
	if (!cmd)
		return rc;
	if (strchr(cmd->name, ' ')) /* the subcommand's word is its argv[0] */
		argc--, argv++;
	opts = calloc(1, cmd->opts_size ? cmd->opts_size : 1);
	if (!opts)
		return cli_error("out of memory");
	rc = cli_parse(cmd, argc, argv, opts, &args);
	if (rc == CLI_RUN)
		rc = cmd->run(opts, args);
	free(opts);
	return rc;
}

int main(int argc, char **argv)
{
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
			usage();
			return 0;
		} else {
			return cli_usage_error("unknown option (see 'feedsieve --help')");
		}
	}
	if (verbosity)
		fs_set_print(print_stderr, verbosity > 1 ? FS_DEBUG : FS_INFO);
	if (arg >= argc)
		return cli_usage_error("no command (see 'feedsieve --help')");
	return run(argc - arg, argv + arg);
}
