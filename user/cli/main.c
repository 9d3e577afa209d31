// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* feedsieve: command-line front end of libfeedsieve. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#ifndef FEEDSIEVE_VERSION
#define FEEDSIEVE_VERSION "0.1.0"
#endif

static const struct cli_cmd *const commands[] = {
	&cli_cmd_attach,    &cli_cmd_detach,	 &cli_cmd_apply,     &cli_cmd_show,
	&cli_cmd_batch,	    &cli_cmd_group_add,	 &cli_cmd_group_del, &cli_cmd_group_list,
	&cli_cmd_sub_add,   &cli_cmd_sub_del,	 &cli_cmd_sub_list,  &cli_cmd_directory,
	&cli_cmd_stats,	    &cli_cmd_consume,
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

/* Is CMD the subcommand SUB of FAMILY ("group")? Any of its subcommands when SUB is NULL. */
static bool is_sub(const struct cli_cmd *cmd, const char *family, const char *sub)
{
	size_t len = strlen(family);

	return !strncmp(cmd->name, family, len) && cmd->name[len] == ' ' &&
	       (!sub || !strcmp(cmd->name + len + 1, sub));
}

/* FAMILY without a subcommand, or with one it does not have: the error lists them. */
static int subcommand_error(const char *family, const char *given)
{
	const char *subs[NCOMMANDS];
	char names[128] = "";
	size_t i, n = 0, at = 0;

	for (i = 0; i < NCOMMANDS; i++)
		if (is_sub(commands[i], family, NULL))
			subs[n++] = commands[i]->name + strlen(family) + 1;
	for (i = 0; i < n && at < sizeof(names); i++) /* "add|del|list", "add, del or list" */
		at += (size_t)snprintf(names + at, sizeof(names) - at, "%s%s",
				       !i ? "" : !given ? "|" : i + 1 < n ? ", " : " or ", subs[i]);
	if (!given)
		return cli_usage_error("usage: feedsieve %s %s IFNAME ...", family, names);
	return cli_usage_error("%s: unknown subcommand '%s' (%s)", family, given, names);
}

/* The command ARGV[0], or its subcommand ARGV[1]; NULL after the one-line error in *RC. */
static const struct cli_cmd *find(int argc, char **argv, int *rc)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (!strcmp(commands[i]->name, argv[0]))
			return commands[i];
	for (i = 0; i < NCOMMANDS; i++)
		if (is_sub(commands[i], argv[0], NULL))
			break;
	if (i == NCOMMANDS) {
		*rc = cli_usage_error("unknown command (see 'feedsieve --help')");
		return NULL;
	}
	for (i = 0; argc > 1 && i < NCOMMANDS; i++)
		if (is_sub(commands[i], argv[0], argv[1]))
			return commands[i];
	*rc = subcommand_error(argv[0], argc > 1 ? argv[1] : NULL);
	return NULL;
}

static int run(int argc, char **argv)
{
	const struct cli_cmd *cmd;
	int rc, nargs;
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
	rc = cli_parse(cmd, argc, argv, opts, &nargs, &args);
	if (rc == CLI_RUN)
		rc = cmd->run(opts, nargs, args);
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
