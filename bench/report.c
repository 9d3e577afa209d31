// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* filter_cost's outputs: the table and the two ratios of issue 4 on stdout, JSON, and a TSV for
 * gnuplot (bench/filter_cost.gp). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/utsname.h>
#include <bpf/libbpf.h>

#include "bench.h"
#include "fixture.h"
#include "frames.h"
/* Generated from bench/targets.json, which the report that judges the run reads too. */
#include "targets.h"

#define RATIO_ONE_MSG_TARGET TARGET_FILTER_ONE_MSG_OVER_EMPTY /* 1-message frame / empty floor */
#define RATIO_SUBS_TARGET    TARGET_FILTER_MAX_SUBS_OVER_ONE_SUB /* 65 536 symbols / 1 */

static const bool matched_order[2] = {false, true};

/* The names of one protocol's results, in the text and in the JSON. */
struct ratio_names {
	double subs_target;  /* the goal of max_subs_over_one_sub */
	const char *one_key; /* the 1-key frame over the empty floor */
	const char *subs;    /* what is subscribed: "subscribed_symbols" */
	const char *keys;    /* keys per frame: "msgs_per_frame" */
	const char *unit;    /* a key, in the text: "message" */
	const char *what;    /* what is subscribed, in the text: "symbols" */
	const char *rows;    /* the JSON key of the grid's rows */
	const char *ratios;  /* the JSON key of its ratios */
	const char *title;   /* the heading above its table (ITCH: none) */
	const char *label;   /* its name in the per-key TSV's columns */
};

/* By enum fs_proto - 1. */
static const struct ratio_names names[N_PROTOS] = {
    {RATIO_SUBS_TARGET, "one_msg_over_empty", "subscribed_symbols", "msgs_per_frame", "message",
     "symbols", "filter_cost", "ratios", NULL, "itch"},
    {TARGET_FILTER_MDP3_MAX_SUBS_OVER_ONE_SUB, "one_key_over_empty", "subscribed_ids",
     "keys_per_packet", "key", "ids", "filter_mdp3", "ratios_mdp3",
     "MDP3 (" FS_STR(BF_MDP3_ENTRIES) " book entries per message)", "mdp3"},
    {TARGET_FILTER_NYSE_MAX_SUBS_OVER_ONE_SUB, "one_msg_over_empty", "subscribed_symbols",
     "msgs_per_frame", "message", "symbols", "filter_nyse", "ratios_nyse",
     "NYSE XDP Integrated (Add Order, " FS_STR(BF_NYSE_ADD_LEN) " bytes, SymbolIndex keys)",
     "nyse"},
    {TARGET_FILTER_PITCH_MAX_SUBS_OVER_ONE_SUB, "one_msg_over_empty", "subscribed_symbols",
     "msgs_per_frame", "message", "symbols", "filter_pitch", "ratios_pitch",
     "Cboe PITCH (Add Order Short, " FS_STR(BF_PITCH_ADD_LEN) " bytes, symbols inline)",
     "pitch"},
};

/* How the numbers were made, for the JSON's readers. */
#define TEXT_FRAMES                                                                                \
	"Ethernet/IPv4/UDP to one group, MoldUDP64, N ITCH Add Orders (36 bytes); matched: "       \
	"message 0 is of subscription slot 0, the others of " FS_STR(                              \
	    BX_OTHERS) " learned "                                                                 \
		       "unsubscribed symbols drawn once per repetition: the same frames for "      \
		       "every number of "                                                          \
		       "subscribed symbols"
#define TEXT_PATH_FIRST                                                                            \
	"every message new (the line ahead): .repeat runs back to back, each through a wrapper "   \
	"program that moves the MoldUDP64 sequence number past the frame's messages and "          \
	"tail-calls the program; the floors of these rows go through the same wrapper. Not "       \
	"chosen: one .repeat=1 call per frame, whose duration includes a ktime_get_ns() read and " \
	"a cold start after the system call"
#define TEXT_PATH_DUPLICATE                                                                        \
	"every message already claimed (the line behind): .repeat runs of one frame, of which "    \
	"only the first claims it"
#define TEXT_NS                                                                                    \
	"the kernel's mean per run of a call (whole ns, truncated); interquartile mean of the "    \
	"calls of a measurement; median over the repetitions. The six programs of a cell "         \
	"(feedsieve_xdp loaded once per number of subscribed symbols, each with its own maps, "    \
	"and the two floors) interleaved call by call in a rotating order"
#define TEXT_FRAMES_MDP3                                                                           \
	"Ethernet/IPv4/UDP to one MDP3 group, an MDP3 packet (MsgSeqNum, SendingTime) of K "       \
	"book entries (keys) in ceil(K / " FS_STR(BF_MDP3_ENTRIES) ") MDIncrementalRefreshBook "    \
	"(template 46, schema 13) messages of up to " FS_STR(BF_MDP3_ENTRIES) " 32-byte entries "  \
	"each, the last message holding the rest, every message with an empty order-id group; "    \
	"subscriptions by SecurityID (fs_ids and id-keyed directory slots named by "              \
	"fs_inst_index, as the commit writes them); matched: entry 0 is of subscription slot 0, "  \
	"the others of " FS_STR(BX_OTHERS) " indexed unsubscribed ids drawn once per repetition"
#define TEXT_PATH_FIRST_MDP3                                                                       \
	"as path_first, the wrapper moving MsgSeqNum on by one per run (MDP3 is sequenced per "    \
	"packet); path duplicate repeats one MsgSeqNum; the parse floor stops after the MDP3 "     \
	"packet header"
#define TEXT_FRAMES_NYSE                                                                           \
	"Ethernet/IPv4/UDP to one NYSE XDP Integrated group, a packet (16-byte header, "         \
	"DeliveryFlag 11) of N Add Order (type 100, " FS_STR(BF_NYSE_ADD_LEN) "-byte) messages "   \
	"keyed by SymbolIndex; every SymbolIndex learned in an id-keyed directory slot as a "      \
	"Symbol Index Mapping teaches it, the subscriptions by name (fs_subs) with their slots "   \
	"marked as the commit marks them; matched: message 0 is of subscription slot 0, the "    \
	"others of " FS_STR(BX_OTHERS) " learned unsubscribed SymbolIndexes drawn once per "      \
	"repetition"
#define TEXT_FRAMES_PITCH                                                                          \
	"Ethernet/IPv4/UDP to one Cboe PITCH group, a Sequenced Unit (8-byte header, one unit) "  \
	"of N Add Order Short (0x22, " FS_STR(BF_PITCH_ADD_LEN) "-byte) messages with their "    \
	"6-character symbols inline, subscribed by name (fs_subs); matched: message 0 is of "     \
	"subscription slot 0 and, on path first, a new order remembered in fs_orders every run "  \
	"(checked by orders_added; the map is emptied after every measurement, outside the "      \
	"timed calls), the others of " FS_STR(BX_OTHERS) " unsubscribed symbols drawn once per "  \
	"repetition"
#define TEXT_PATH_FIRST_MSG                                                                        \
	"as path_first, the wrapper moving the packet's first sequence number past its messages " \
	"per run (NYSE and PITCH are sequenced per message; PITCH's wrapper also moves the first " \
	"message's Order ID on by one); the parse floors stop after the 16-byte NYSE packet "     \
	"header and the 8-byte PITCH Sequenced Unit Header"
#define TEXT_ORDERS                                                                                \
	"PITCH units of one message on the instance of 1 subscribed symbol, fs_orders holding "  \
	"background_orders orders of another channel (a busy book), each call of .repeat "       \
	"runs through the path-first wrapper (new sequence number and Order ID every run): Add "  \
	"Order Short of the subscribed symbol (insert into fs_orders), Order Executed of one "    \
	"share of those orders (lookup and update), Delete Order of them (lookup and delete), in " \
	"that order in every round so each run finds the state it needs and the round's orders "  \
	"are gone after it; two references at rotating places in the round: baseline, the Add "    \
	"Order Short of an unsubscribed symbol (same bytes, no map operation, dropped), and "     \
	"delivered, the Trade Short of the subscribed symbol (no map operation, delivered as the " \
	"operations are); counters checked after every call. ns: interquartile mean of the "     \
	"calls of a repetition, median over repetitions; ns_over_baseline / ns_over_delivered: "  \
	"median over the repetitions of (operation - reference) within one repetition; over the " \
	"baseline it includes the delivery (metadata, XDP_PASS fallback), over the delivered "    \
	"trade it is about the map operation alone"
#define TEXT_RATIOS                                                                                \
	"median over the repetitions of the ratio of two numbers of the same repetition; "         \
	"ratio_minus_wrapper: path first with the wrapper's cost (its empty floor minus that of "  \
	"path duplicate) taken out of both numbers"

const char *path_name(enum path p)
{
	return p == PATH_FIRST ? "first" : "duplicate";
}

const struct cell *find_cell(const struct cell *cells, __u32 msgs, bool matched, enum path path)
{
	int i;

	for (i = 0; i < N_CELLS; i++)
		if (cells[i].msgs == msgs && cells[i].matched == matched && cells[i].path == path)
			return &cells[i];
	return NULL;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double median(const double *v, int n)
{
	double s[MAX_REPEATS];

	memcpy(s, v, sizeof(*v) * n);
	qsort(s, n, sizeof(*s), cmp_double);
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/*
 * Ratios are medians of the ratios of each repetition, whose two numbers were measured seconds
 * apart, rather than ratios of medians: the speed of this VM changes from one call to the next,
 * and a ratio of numbers measured side by side carries less of that.
 */

/* feedsieve with SUBS_I's symbols over the empty floor, for a 1-message frame. */
static double ratio_one_msg(const struct cell *cells, enum path path, bool matched, int subs_i)
{
	const struct cell *c = find_cell(cells, 1, matched, path);
	double v[MAX_REPEATS];
	int r;

	for (r = 0; r < c->repeats; r++)
		v[r] = c->ns[subs_i][r] / c->ns[BX_EMPTY][r];
	return median(v, c->repeats);
}

/*
 * The same for path first with the wrapper that makes every run new (its empty floor minus that
 * of path duplicate, which has none) taken out of both numbers.
 */
static double ratio_one_msg_net(const struct cell *cells, bool matched, int subs_i)
{
	const struct cell *f = find_cell(cells, 1, matched, PATH_FIRST);
	const struct cell *d = find_cell(cells, 1, matched, PATH_DUPLICATE);
	double v[MAX_REPEATS];
	int r;

	for (r = 0; r < f->repeats; r++)
		v[r] = (f->ns[subs_i][r] - f->ns[BX_EMPTY][r] + d->ns[BX_EMPTY][r]) /
		       d->ns[BX_EMPTY][r];
	return median(v, f->repeats);
}

static double ratio_subs(const struct cell *cells, enum path path, bool matched, __u32 msgs)
{
	const struct cell *c = find_cell(cells, msgs, matched, path);
	double v[MAX_REPEATS];
	int r;

	for (r = 0; r < c->repeats; r++)
		v[r] = c->ns[N_SUBS - 1][r] / c->ns[0][r];
	return median(v, c->repeats);
}

static void report_table(FILE *out, const struct cell *cells, const char *unit, const char *subs)
{
	char by[32];
	int p, t, m, s;

	snprintf(by, sizeof(by), "feedsieve_xdp, by %s", subs);
	fprintf(out, "ns per frame: medians of the repetitions, min-max of feedsieve_xdp\n");
	fprintf(out, "%-9s %-7s %4s %5s | %-31s | %7s %7s | %-23s\n", "path", "matched", unit,
		"bytes", by, "empty", "parse", "feedsieve_xdp range");
	fprintf(out, "%-9s %-7s %4s %5s |", "", "", "", "");
	for (s = 0; s < N_SUBS; s++)
		fprintf(out, " %7u", subs_grid[s]);
	fprintf(out, " | %7s %7s |\n", "", "");
	for (p = 0; p < PATHS; p++)
		for (t = 0; t < 2; t++)
			for (m = 0; m < N_MSGS; m++) {
				const struct cell *c =
				    find_cell(cells, msgs_grid[m], matched_order[t], p);
				double lo = c->min[0], hi = c->max[0];

				fprintf(out, "%-9s %-7s %4u %5u |", path_name(p),
					c->matched ? "yes" : "no", c->msgs, c->frame_len);
				for (s = 0; s < N_SUBS; s++) {
					fprintf(out, " %7.0f", c->med[s]);
					lo = c->min[s] < lo ? c->min[s] : lo;
					hi = c->max[s] > hi ? c->max[s] : hi;
				}
				fprintf(out, " | %7.0f %7.0f | %.0f-%.0f\n", c->med[BX_EMPTY],
					c->med[BX_PARSE], lo, hi);
			}
}

static void report_ratios(FILE *out, const struct cell *cells, const struct ratio_names *n)
{
	const char *unit = n->unit, *subs = n->what;
	int p, t, i;

	fprintf(out, "\nratio 1: 1-%s frame / empty floor (target <= %.2f), by %s\n", unit,
		RATIO_ONE_MSG_TARGET, subs);
	fprintf(out, "%-21s %-7s", "path", "matched");
	for (i = 0; i < N_SUBS; i++)
		fprintf(out, " %7u", subs_grid[i]);
	fprintf(out, "\n");
	for (p = 0; p <= PATHS; p++)
		for (t = 0; t < 2; t++) {
			fprintf(out, "%-21s %-7s",
				p == PATHS ? "first, minus wrapper" : path_name(p),
				matched_order[t] ? "yes" : "no");
			for (i = 0; i < N_SUBS; i++)
				fprintf(out, " %7.2f",
					p == PATHS ? ratio_one_msg_net(cells, matched_order[t], i)
						   : ratio_one_msg(cells, p, matched_order[t], i));
			fprintf(out, "\n");
		}
	fprintf(out, "\nratio 2: %u %s / %u (target <= %.2f), by %ss per frame\n",
		subs_grid[N_SUBS - 1], subs, subs_grid[0], n->subs_target, unit);
	fprintf(out, "%-21s %-7s", "path", "matched");
	for (i = 0; i < N_MSGS; i++)
		fprintf(out, " %7u", msgs_grid[i]);
	fprintf(out, "\n");
	for (p = 0; p < PATHS; p++)
		for (t = 0; t < 2; t++) {
			fprintf(out, "%-21s %-7s", path_name(p), matched_order[t] ? "yes" : "no");
			for (i = 0; i < N_MSGS; i++)
				fprintf(out, " %7.3f",
					ratio_subs(cells, p, matched_order[t], msgs_grid[i]));
			fprintf(out, "\n");
		}
}

/* The first line of FILE, or with PREFIX the value of the first "PREFIX : value" line; without
 * its newline, cut to LEN, or "unknown". */
static void read_line(const char *file, const char *prefix, char *buf, size_t len)
{
	char line[256], *v;
	FILE *f = fopen(file, "r");
	size_t n;

	snprintf(buf, len, "unknown");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (prefix && strncmp(line, prefix, strlen(prefix)))
			continue;
		line[strcspn(line, "\n")] = '\0';
		v = prefix && strchr(line, ':') ? strchr(line, ':') + 1 : line;
		v += strspn(v, " \t");
		n = strnlen(v, len - 1);
		memcpy(buf, v, n);
		buf[n] = '\0';
		break;
	}
	fclose(f);
}

/* S as a JSON string: quotes and backslashes escaped, control characters dropped. */
static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		if ((unsigned char)*s >= 0x20)
			fputc(*s, f);
	}
	fputc('"', f);
}

/* "  KEY": "TEXT"SEP, one line of an object. */
static void json_text(FILE *f, const char *key, const char *text, const char *sep)
{
	fprintf(f, "  \"%s\": ", key);
	json_str(f, text);
	fprintf(f, "%s\n", sep);
}

static void json_conditions(FILE *f, const struct opts *o, const struct conditions *c)
{
	char cpu[128], clock[64], jit[16], stats[16], date[32], lib[16];
	struct utsname u;
	time_t now = time(NULL);

	if (uname(&u))
		memset(&u, 0, sizeof(u));
	read_line("/proc/cpuinfo", "model name", cpu, sizeof(cpu));
	read_line("/sys/devices/system/clocksource/clocksource0/current_clocksource", NULL, clock,
		  sizeof(clock));
	read_line("/proc/sys/net/core/bpf_jit_enable", NULL, jit, sizeof(jit));
	read_line("/proc/sys/kernel/bpf_stats_enabled", NULL, stats, sizeof(stats));
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));

	snprintf(lib, sizeof(lib), "%u.%u", libbpf_major_version(), libbpf_minor_version());

	fprintf(f, "\"conditions\": {\n");
	json_text(f, "date", date, ",");
	json_text(f, "kernel", u.release, ",");
	json_text(f, "kernel_version", u.version, ",");
	json_text(f, "machine", u.machine, ",");
	json_text(f, "cpu_model", cpu, ",");
	fprintf(f, "  \"cpus_online\": %ld,\n  \"pinned_cpu\": %d,\n",
		sysconf(_SC_NPROCESSORS_ONLN), c->cpu);
	json_text(f, "clocksource", clock, ",");
	json_text(f, "bpf_jit_enable", jit, ",");
	json_text(f, "bpf_stats_enabled", stats, ",");
	json_text(f, "libbpf", lib, ",");
	json_text(f, "loadavg_before", c->load_before, ",");
	json_text(f, "loadavg_after", c->load_after, ",");
	fprintf(f,
		"  \"seconds\": %.1f,\n  \"quick\": %s,\n  \"repeats\": %d,\n"
		"  \"runs_per_call\": %u,\n  \"calls_per_measurement\": %u,\n  \"seed\": %llu,\n",
		c->seconds, o->quick ? "true" : "false", o->repeats, o->runs, o->batches,
		(unsigned long long)o->seed);
	json_text(f, "frames", TEXT_FRAMES, ",");
	json_text(f, "path_first", TEXT_PATH_FIRST, ",");
	json_text(f, "path_duplicate", TEXT_PATH_DUPLICATE, ",");
	json_text(f, "frames_mdp3", TEXT_FRAMES_MDP3, ",");
	json_text(f, "path_first_mdp3", TEXT_PATH_FIRST_MDP3, ",");
	json_text(f, "frames_nyse", TEXT_FRAMES_NYSE, ",");
	json_text(f, "frames_pitch", TEXT_FRAMES_PITCH, ",");
	json_text(f, "path_first_nyse_pitch", TEXT_PATH_FIRST_MSG, ",");
	json_text(f, "order_map", TEXT_ORDERS, ",");
	json_text(f, "ns", TEXT_NS, "");
	fprintf(f, "},\n");
}

/* "NAME": {...}, the ratios of CELLS under the JSON names N. */
static void json_ratios(FILE *f, const char *name, const struct cell *cells,
			const struct ratio_names *n)
{
	const char *sep = "";
	int p, t, i;

	fprintf(f, "\"%s\": {\n", name);
	json_text(f, "method", TEXT_RATIOS, ",");
	fprintf(f, "  \"%s\": {\"target\": %.2f, \"values\": [", n->one_key,
		RATIO_ONE_MSG_TARGET);
	for (p = 0; p < PATHS; p++)
		for (t = 0; t < 2; t++)
			for (i = 0; i < N_SUBS; i++) {
				fprintf(f,
					"%s\n    {\"path\": \"%s\", \"matched\": %s, "
					"\"%s\": %u, \"ratio\": %.3f",
					sep, path_name(p), matched_order[t] ? "true" : "false",
					n->subs, subs_grid[i],
					ratio_one_msg(cells, p, matched_order[t], i));
				if (p == PATH_FIRST)
					fprintf(f, ", \"ratio_minus_wrapper\": %.3f",
						ratio_one_msg_net(cells, matched_order[t], i));
				fprintf(f, "}");
				sep = ",";
			}
	fprintf(f, "]},\n  \"max_subs_over_one_sub\": {\"target\": %.2f, \"values\": [",
		n->subs_target);
	sep = "";
	for (p = 0; p < PATHS; p++)
		for (t = 0; t < 2; t++)
			for (i = 0; i < N_MSGS; i++) {
				fprintf(f,
					"%s\n    {\"path\": \"%s\", \"matched\": %s, "
					"\"%s\": %u, \"ratio\": %.3f}",
					sep, path_name(p), matched_order[t] ? "true" : "false",
					n->keys, msgs_grid[i],
					ratio_subs(cells, p, matched_order[t], msgs_grid[i]));
				sep = ",";
			}
	fprintf(f, "]}\n},\n");
}

static int close_file(FILE *f, const char *path)
{
	int err;

	if (!fclose(f))
		return 0;
	err = -errno;
	fprintf(stderr, "filter_cost: %s: %s\n", path, strerror(-err));
	return err;
}

static FILE *open_file(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f)
		fprintf(stderr, "filter_cost: %s: %s\n", path, strerror(errno));
	return f;
}

/* The MDP3 rows: per packet and per key (book entry). */
static void json_mdp3_rows(FILE *f, const struct cell *cells)
{
	const char *sep = "";
	int i, s;

	for (i = 0; i < N_CELLS; i++)
		for (s = 0; s < N_SUBS; s++) {
			const struct cell *x = &cells[i];

			fprintf(f,
				"%s\n  {\"keys_per_packet\": %u, \"msgs_per_packet\": %u, "
				"\"subscribed_ids\": %u, \"matched\": %s, \"path\": \"%s\", "
				"\"frame_bytes\": %u, \"ns\": %.1f, \"ns_per_key\": %.2f, "
				"\"ns_min\": %.1f, \"ns_max\": %.1f, "
				"\"floor_empty_ns\": %.1f, \"floor_parse_ns\": %.1f}",
				sep, x->msgs, (x->msgs + BF_MDP3_ENTRIES - 1) / BF_MDP3_ENTRIES,
				subs_grid[s], x->matched ? "true" : "false", path_name(x->path),
				x->frame_len, x->med[s], x->med[s] / x->msgs, x->min[s], x->max[s],
				x->med[BX_EMPTY], x->med[BX_PARSE]);
			sep = ",";
		}
}

/* The rows of a message-keyed grid (ITCH, NYSE, PITCH): per frame and per message. */
static void json_msg_rows(FILE *f, const struct cell *cells)
{
	const char *sep = "";
	int i, s;

	for (i = 0; i < N_CELLS; i++)
		for (s = 0; s < N_SUBS; s++) {
			const struct cell *x = &cells[i];

			fprintf(f,
				"%s\n  {\"msgs_per_frame\": %u, \"subscribed_symbols\": %u, "
				"\"matched\": %s, \"path\": \"%s\", \"frame_bytes\": %u, "
				"\"ns\": %.1f, \"ns_per_msg\": %.2f, \"ns_min\": %.1f, "
				"\"ns_max\": %.1f, \"floor_empty_ns\": %.1f, \"floor_parse_ns\": %.1f}",
				sep, x->msgs, subs_grid[s], x->matched ? "true" : "false",
				path_name(x->path), x->frame_len, x->med[s], x->med[s] / x->msgs,
				x->min[s], x->max[s], x->med[BX_EMPTY], x->med[BX_PARSE]);
			sep = ",";
		}
}

/* Median over the repetitions of OP's ns minus reference REF's, within each repetition. */
static double order_over(const struct order_cost *oc, enum order_op op, enum order_op ref,
			 double *lo, double *hi)
{
	double v[MAX_REPEATS];
	int r;

	for (r = 0; r < oc->repeats; r++) {
		v[r] = oc->ns[op][r] - oc->ns[ref][r];
		if (!r || v[r] < *lo)
			*lo = v[r];
		if (!r || v[r] > *hi)
			*hi = v[r];
	}
	return median(v, oc->repeats);
}

static void json_orders(FILE *f, const struct order_cost *oc)
{
	double lo = 0, hi = 0, lo2 = 0, hi2 = 0, over, over2;
	const char *sep = "";
	int op;

	fprintf(f,
		"\"order_map\": {\"subscribed_symbols\": %u, \"repeats\": %d, "
		"\"background_orders\": %u, \"capacity\": %u, \"key_bytes\": %u, "
		"\"value_bytes\": %u, \"memlock_bytes\": %lld, \"ops\": [",
		oc->subscribed, oc->repeats, oc->background, oc->map.max_entries, oc->map.key_size,
		oc->map.value_size, oc->map.memlock);
	for (op = 0; op < ORDER_OPS; op++) {
		fprintf(f, "%s\n  {\"op\": \"%s\", \"frame_bytes\": %u, \"ns\": %.1f", sep,
			order_op_name(op), oc->frame_len[op], median(oc->ns[op], oc->repeats));
		sep = ",";
		if (op < OP_REFS) {
			fprintf(f, "}");
			continue;
		}
		over = order_over(oc, op, OP_BASE, &lo, &hi);
		over2 = order_over(oc, op, OP_DELIVER, &lo2, &hi2);
		fprintf(f,
			", \"ns_over_baseline\": %.1f, \"ns_over_baseline_min\": %.1f, "
			"\"ns_over_baseline_max\": %.1f, \"ns_over_delivered\": %.1f, "
			"\"ns_over_delivered_min\": %.1f, \"ns_over_delivered_max\": %.1f}",
			over, lo, hi, over2, lo2, hi2);
	}
	fprintf(f, "\n]},\n");
}

int report_json(const char *path, const struct opts *o, const struct conditions *c,
		const struct cell *const cells[N_PROTOS], const struct order_cost *orders)
{
	FILE *f = open_file(path);
	int k;

	if (!f)
		return -EIO;
	fprintf(f, "{\n");
	json_conditions(f, o, c);
	for (k = 0; k < N_PROTOS; k++)
		if (cells[k])
			json_ratios(f, names[k].ratios, cells[k], &names[k]);
	if (orders)
		json_orders(f, orders);
	/* Every protocol's rows, empty when it was not measured; the last without a comma. */
	for (k = 0; k < N_PROTOS; k++) {
		fprintf(f, "\"%s\": [", names[k].rows);
		if (cells[k] && k + 1 == FS_PROTO_MDP3)
			json_mdp3_rows(f, cells[k]);
		else if (cells[k])
			json_msg_rows(f, cells[k]);
		fprintf(f, "\n]%s\n", k + 1 < N_PROTOS ? "," : "");
	}
	fprintf(f, "}\n");
	return close_file(f, path);
}

void report_proto(FILE *out, __u8 proto, const struct cell *cells, bool heading)
{
	const struct ratio_names *n = &names[proto - 1];

	if (heading)
		fprintf(out, "\n%s:\n", n->title ? n->title : n->rows);
	report_table(out, cells, proto == FS_PROTO_MDP3 ? "keys" : "msgs", n->what);
	report_ratios(out, cells, n);
}

const char *order_op_name(enum order_op op)
{
	static const char *const op_names[ORDER_OPS] = {"baseline", "delivered", "add", "execute",
							"delete"};

	return op < ORDER_OPS ? op_names[op] : "?";
}

void report_orders(FILE *out, const struct order_cost *oc)
{
	static const char *const refs[OP_REFS] = {"unsubscribed Add Order, dropped",
						  "subscribed Trade, delivered"};
	double lo = 0, hi = 0, lo2 = 0, hi2 = 0, over, over2;
	int op;

	fprintf(out,
		"\nPITCH order map (fs_orders: %u entries of %u + %u bytes, %lld bytes charged; "
		"%u other orders in it), %u subscribed symbol:\n",
		oc->map.max_entries, oc->map.key_size, oc->map.value_size, oc->map.memlock,
		oc->background, oc->subscribed);
	fprintf(out, "%-9s %5s %9s | %-25s | %-25s\n", "operation", "bytes", "ns/frame",
		"ns over baseline (min-max)", "over delivered (min-max)");
	for (op = 0; op < ORDER_OPS; op++) {
		fprintf(out, "%-9s %5u %9.1f |", order_op_name(op), oc->frame_len[op],
			median(oc->ns[op], oc->repeats));
		if (op < OP_REFS) {
			fprintf(out, " (reference: %s)\n", refs[op]);
			continue;
		}
		over = order_over(oc, op, OP_BASE, &lo, &hi);
		over2 = order_over(oc, op, OP_DELIVER, &lo2, &hi2);
		fprintf(out, " %7.1f (%.1f-%.1f) | %7.1f (%.1f-%.1f)\n", over, lo, hi, over2, lo2,
			hi2);
	}
}

/* One gnuplot data block per (path, matched), in that order (index = path * 2 + matched): a line
 * per frame size with feedsieve_xdp for each number of symbols, then the floors. */
int report_tsv(const char *path, const struct cell *cells)
{
	FILE *f = open_file(path);
	int p, t, m, s;

	if (!f)
		return -EIO;
	for (p = 0; p < PATHS; p++)
		for (t = 0; t < 2; t++) {
			fprintf(f, "# path %s, matched %s\n# msgs", path_name(p),
				matched_order[t] ? "yes" : "no");
			for (s = 0; s < N_SUBS; s++)
				fprintf(f, "\tsymbols_%u", subs_grid[s]);
			fprintf(f, "\tfloor_empty\tfloor_parse\n");
			for (m = 0; m < N_MSGS; m++) {
				const struct cell *c =
				    find_cell(cells, msgs_grid[m], matched_order[t], p);

				fprintf(f, "%u", c->msgs);
				for (s = 0; s < BX_PROGS; s++)
					fprintf(f, "\t%.1f", c->med[s]);
				fprintf(f, "\n");
			}
			fprintf(f, "\n\n");
		}
	return close_file(f, path);
}

/* PATH with "_protocols" before its extension: filter_cost.tsv -> filter_cost_protocols.tsv. */
static void protocols_path(const char *path, char *out, size_t len)
{
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');

	if (!dot || (slash && dot < slash))
		dot = path + strlen(path);
	snprintf(out, len, "%.*s_protocols%s", (int)(dot - path), path, dot);
}

/*
 * One gnuplot data block per (path, matched), as report_tsv(): a line per number of keys per
 * frame with ns per key of each protocol at 1 and at 65 536 subscriptions (ITCH, MDP3, NYSE,
 * PITCH; "NaN" where one was not measured).
 */
int report_tsv_protocols(const char *path, const struct cell *const cells[N_PROTOS])
{
	char name[4096];
	FILE *f;
	int p, t, m, k;

	protocols_path(path, name, sizeof(name));
	f = open_file(name);
	if (!f)
		return -EIO;
	for (p = 0; p < PATHS; p++)
		for (t = 0; t < 2; t++) {
			fprintf(f, "# path %s, matched %s, ns per key\n# keys", path_name(p),
				matched_order[t] ? "yes" : "no");
			for (k = 0; k < N_PROTOS; k++)
				fprintf(f, "\t%s_%u\t%s_%u", names[k].label, subs_grid[0], names[k].label,
					subs_grid[N_SUBS - 1]);
			fprintf(f, "\n");
			for (m = 0; m < N_MSGS; m++) {
				fprintf(f, "%u", msgs_grid[m]);
				for (k = 0; k < N_PROTOS; k++) {
					const struct cell *c =
					    cells[k] ? find_cell(cells[k], msgs_grid[m],
								 matched_order[t], p)
						     : NULL;

					if (c)
						fprintf(f, "\t%.2f\t%.2f", c->med[0] / c->msgs,
							c->med[N_SUBS - 1] / c->msgs);
					else
						fprintf(f, "\tNaN\tNaN");
				}
				fprintf(f, "\n");
			}
			fprintf(f, "\n\n");
		}
	return close_file(f, name);
}
