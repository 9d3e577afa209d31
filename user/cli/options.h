/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Options are data: each command is a table of its options and the shape of its positional
 * arguments. The one parser, the usage lines, --help and the `__options` listing the bash
 * completion and the tests read are all made from these tables, so they cannot drift apart.
 */
#ifndef FEEDSIEVE_CLI_OPTIONS_H
#define FEEDSIEVE_CLI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>

struct cli_opt;

/* Parse ARG, the value of OPT, into FIELD. WHAT ("consume: --batch") starts the one-line error
 * it prints on a bad value. Returns 0 or -EINVAL. */
typedef int (*cli_parse_fn)(const struct cli_opt *opt, const char *what, const char *arg,
			    void *field);

struct cli_opt {
	const char *name; /* long name, without "--" */
	char short_name;  /* -X as well; 0: none */
	/* Its value as usage lines and the man page name it; NULL: a flag, which stores max (1 when
	 * max is 0) into its field: --copy and --zero-copy set one enum field. */
	const char *metavar;
	const char *help;   /* one line for --help */
	cli_parse_fn parse; /* of the value; none for a flag or an optional value (kept as text) */
	size_t off, size;   /* the field it fills in the command's options struct */
	__u64 min, max;	    /* cli_parse_uint's range; cli_parse_enum's first value is min */
	const char *below_min; /* cli_parse_uint: "must be ..." when under min, not the range */
	bool optional;	       /* the value may be left out: the field is a struct cli_optional */
};

/* The field of an option whose value is optional: --symbols, --symbols=LIST, or --symbols LIST
 * when the word after it is one positional argument too many for the command. */
struct cli_optional {
	bool given;
	const char *value; /* NULL when given without one */
};

#define CLI_FIELD(type, field) .off = offsetof(type, field), .size = sizeof(((type *)0)->field)

/* The options of the commands whose only option is --json. */
struct cli_json_opts {
	bool json;
};
extern const struct cli_opt cli_json_only[];

/* Value parsers. Unsigned integers are stored in fields of 1, 2, 4 or 8 bytes. */
int cli_parse_uint(const struct cli_opt *opt, const char *what, const char *arg, void *field);
/* A decimal number (a double) from min to max, fractions allowed: seconds, rates. */
int cli_parse_double(const struct cli_opt *opt, const char *what, const char *arg, void *field);
/* One of the '|'-separated words of the metavar, stored as an int: opt->min for the first. */
int cli_parse_enum(const struct cli_opt *opt, const char *what, const char *arg, void *field);
/* The text itself (a const char *). */
int cli_parse_str(const struct cli_opt *opt, const char *what, const char *arg, void *field);
/* Parse a number from 0 to MAX; false (after printing the error about OPT) if it is not one. */
bool cli_parse_u64(const char *opt, const char *text, __u64 max, __u64 *out);

struct cli_cmd {
	/* "attach", or "group add" for a subcommand; NULL for a program of one command (a bench
	 * tool), whose errors and usage lines name only cli_prog. */
	const char *name;
	/* The positional arguments, as shown and as counted: each word is one, in brackets an
	 * optional one, and "..." repeats it: "IFNAME [FILE]", "IFNAME SYMBOL [SYMBOL...]". */
	const char *args;
	const struct cli_opt *opts; /* ends with an entry without a name */
	size_t opts_size;	    /* of the options struct, zeroed before parsing */
	/* Runs the command on its parsed options and positional arguments (ARGS ends with a
	 * NULL); returns an exit code. */
	int (*run)(const void *opts, char **args);
	const char *help; /* what it does, one line */
	/* The options as usage lines show them, where a plain list of them would not say how
	 * they combine; NULL: every option, each in brackets. */
	const char *synopsis;
	/* Its arguments may be negative numbers (ids: "sub add eth1 --id -7"): a word that is a
	 * minus sign and digits is an argument, never an option. Only for a command none of whose
	 * options takes a value, which such a word could otherwise be. */
	bool negative_args;
};

/* Returned by cli_parse when the command is to run. */
#define CLI_RUN (-1)

/* Parse ARGV (ARGV[0] the command word) by CMD's table into OPTS: CLI_RUN with the positional
 * arguments in *ARGS, or the exit code to leave with, after --help or a one-line error. */
int cli_parse(const struct cli_cmd *cmd, int argc, char **argv, void *opts, char ***args);
/* cli_parse for a program that is one command without positional arguments (a bench tool):
 * its messages start with PROG, which becomes cli_prog. */
int cli_parse_program(const char *prog, const struct cli_cmd *cmd, int argc, char **argv,
		      void *opts);
/* "NAME ARGS SYNOPSIS", as usage errors and the global --help print it (" ARGS SYNOPSIS" when
 * CMD has no name). */
void cli_print_synopsis(FILE *out, const struct cli_cmd *cmd);
/* Every option of every command, a line each, tab-separated, for the bash completion and the
 * tests: "cmd NAME ARGS", then "opt NAME --OPTION METAVAR WORDS" (WORDS: the values there are to
 * offer, when they are few). */
void cli_print_options(FILE *out, const struct cli_cmd *const *cmds, size_t n);

#endif /* FEEDSIEVE_CLI_OPTIONS_H */
