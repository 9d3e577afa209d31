/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Helpers shared by the feedsieve subcommands. */
#ifndef FEEDSIEVE_CLI_H
#define FEEDSIEVE_CLI_H

#include <signal.h>
#include <stdlib.h>

#include "clock.h" /* fsi_now_ns(), the library's own */
#include "feedsieve.h"
#include "options.h"
#include "report.h" /* cli_error(), cli_usage_error(), EXIT_USAGE */

/* Open an attached interface, turning the usual failures into one clear line. NULL on error. */
struct fs_iface *cli_open_iface(const char *ifname);
/* The one-line explanation of ERR (negative errno) about interface IFNAME. */
int cli_iface_error(const char *ifname, int err);

/* Set once SIGINT or SIGTERM arrived, after cli_catch_stop_signals(). */
extern volatile sig_atomic_t cli_stop;
void cli_catch_stop_signals(void);

void cli_print_counters_json(FILE *out, const struct fs_counters *c);
void cli_print_sym_counters_json(FILE *out, const struct fs_sym_counters *c);
void cli_print_chan_events_json(FILE *out, const struct fs_chan_events *c);

/* The commands, each defined next to its code; main.c lists them. */
extern const struct cli_cmd cli_cmd_attach, cli_cmd_detach, cli_cmd_apply, cli_cmd_show,
    cli_cmd_batch, cli_cmd_group_add, cli_cmd_group_del, cli_cmd_group_list, cli_cmd_sub_add,
    cli_cmd_sub_del, cli_cmd_sub_list, cli_cmd_directory, cli_cmd_stats, cli_cmd_consume,
    cli_cmd_replay;
/* CONFIG's text ("-": standard input) in the apply format, or NULL after a one-line error that
 * CMD starts. */
struct fs_config *cli_load_config(const char *cmd, const char *path);
/* What 'stats IFNAME --json' prints, for IFACE, named IFNAME. */
int stats_print_json(struct fs_iface *iface, const char *ifname);
/* A value in milliseconds stored as nanoseconds (a __u64), in cli_parse_uint's range; 0 is
 * stored as 1 ns: "decide at once" (consume's and replay's --gap-grace-ms, --stale-ms). */
int cli_parse_ms(const struct cli_opt *opt, const char *what, const char *arg, void *field);
/* The sequencer's two times, as consume and replay both take them, into the __u64 nanosecond
 * fields GRACE and STALE of TYPE. */
#define CLI_SEQUENCER_OPTS(TYPE, GRACE, STALE)                                                     \
	{.name = "gap-grace-ms", .metavar = "MS", .parse = cli_parse_ms, CLI_FIELD(TYPE, GRACE),   \
	 .max = 60000, .help = "how long a hole waits for the other line (default 5)"},            \
	{                                                                                          \
		.name = "stale-ms", .metavar = "MS", .parse = cli_parse_ms, CLI_FIELD(TYPE, STALE), \
		.min = 1, .max = 86400000, .below_min = "must be positive",                         \
		.help = "a channel without packets this long is stale (default 2000)"               \
	}
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
