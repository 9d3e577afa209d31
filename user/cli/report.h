/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * One-line error reports, "PROG: MESSAGE", shared by the feedsieve CLI and the tools that parse
 * their options with options.c (the benchmarks), so neither carries its own copy.
 */
#ifndef FEEDSIEVE_CLI_REPORT_H
#define FEEDSIEVE_CLI_REPORT_H

/* Exit codes: a command that could not run as asked because of its arguments exits 2. */
#define EXIT_USAGE 2

/* The name errors, usage lines and --help start with; "feedsieve" unless a tool sets its own. */
extern const char *cli_prog;

/* Print "PROG: MESSAGE" on stderr, one line. Returns EXIT_FAILURE. */
int cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Same, for a wrong command line: returns EXIT_USAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* FEEDSIEVE_CLI_REPORT_H */
