/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Helpers shared by the feedsieve subcommands. */
#ifndef FEEDSIEVE_CLI_H
#define FEEDSIEVE_CLI_H

#include <getopt.h>
#include <signal.h>
#include <stdlib.h>

#include "clock.h" /* fs_now_ns(), the library's own */
#include "feedsieve.h"

/* Exit codes: a command that could not run as asked because of its arguments exits 2. */
#define EXIT_USAGE 2

struct cli_cmd {
	const char *name;
	int (*run)(int argc, char **argv); /* argv[0] is the command name */
	const char *usage;
};

/* Print "feedsieve: MESSAGE" on stderr, one line. Returns EXIT_FAILURE. */
int cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Same, for a wrong command line: returns EXIT_USAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* getopt_long over ARGV with error messages of our own; returns the option, -1 at the end, or
 * '?' after printing the one-line error. */
int cli_getopt(int argc, char **argv, const char *cmd, const struct option *longopts);

/* Open an attached interface, turning the usual failures into one clear line. NULL on error. */
struct fs_iface *cli_open_iface(const char *ifname);
/* The one-line explanation of ERR (negative errno) about interface IFNAME. */
int cli_iface_error(const char *ifname, int err);

/* Set once SIGINT or SIGTERM arrived, after cli_catch_stop_signals(). */
extern volatile sig_atomic_t cli_stop;
void cli_catch_stop_signals(void);

/* Parse a non-negative integer option; false (after printing an error) if it is not one. */
bool cli_parse_u64(const char *opt, const char *text, __u64 max, __u64 *out);
/* The sequencer's times of consume and replay (CMD): --gap-grace-ms (0: decide at once) and
 * --stale-ms (positive), into O. False after the one-line error. */
bool cli_parse_gap_grace(const char *cmd, const char *text, struct fs_consumer_opts *o);
bool cli_parse_stale(const char *cmd, const char *text, struct fs_consumer_opts *o);

void cli_print_counters_json(FILE *out, const struct fs_counters *c);
void cli_print_sym_counters_json(FILE *out, const struct fs_sym_counters *c);
void cli_print_chan_events_json(FILE *out, const struct fs_chan_events *c);

int do_attach(int argc, char **argv);
int do_detach(int argc, char **argv);
int do_apply(int argc, char **argv);
int do_show(int argc, char **argv);
int do_batch(int argc, char **argv);
int do_group(int argc, char **argv);
int do_sub(int argc, char **argv);
int do_directory(int argc, char **argv);
int do_stats(int argc, char **argv);
int do_consume(int argc, char **argv);
int do_replay(int argc, char **argv);
/* CONFIG's text ("-": standard input) in the apply format, or NULL after a one-line error that
 * CMD starts. */
struct fs_config *cli_load_config(const char *cmd, const char *path);
/* What 'stats IFNAME --json' prints, for IFACE, named IFNAME. */
int stats_print_json(struct fs_iface *iface, const char *ifname);
/* Print one event as a whole line (callers hold the stdout lock: consumers run in threads). */
void consume_print_json(const struct fs_event *ev);
void consume_print_text(const struct fs_event *ev);
/* All counters of IFACE in the Prometheus text exposition format. */
int stats_print_prometheus(struct fs_iface *iface, const char *ifname);
/* stats --watch: rates every INTERVAL_S seconds, COUNT times (0: until SIGINT/SIGTERM). */
struct stats_watch_opts {
	double interval_s;
	__u64 count;
	bool json;
};
int stats_watch(struct fs_iface *iface, const char *ifname, const struct stats_watch_opts *o);

#endif /* FEEDSIEVE_CLI_H */
