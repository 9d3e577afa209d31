// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* filter_cost's outputs: the table and the two ratios of issue 4 on stdout, JSON, and a TSV for
 * gnuplot (bench/filter_cost.gp). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/utsname.h>
#include <bpf/libbpf.h>

#include "bench.h"

#define RATIO_ONE_MSG_TARGET 1.5  /* 1-message frame / empty floor */
#define RATIO_SUBS_TARGET    1.10 /* 65 536 subscribed symbols / 1 */

static const bool matched_order[2] = {false, true};

const char *path_name(enum path p)
{
	return p == PATH_FIRST ? "first" : "duplicate";
}

const struct row *find_row(const struct row *rows, __u32 msgs, __u32 subs, bool matched,
			   enum path path)
{
	int i;

	for (i = 0; i < N_ROWS; i++)
		if (rows[i].msgs == msgs && rows[i].subs == subs &&
		    rows[i].matched == matched && rows[i].path == path)
			return &rows[i];
	return NULL;
}

/* feedsieve over the empty floor for a 1-message frame. */
static double ratio_one_msg(const struct row *rows, enum path path, bool matched, __u32 subs)
{
	const struct row *r = find_row(rows, 1, subs, matched, path);

	return r->med[BX_REAL] / r->med[BX_EMPTY];
}

/*
 * The same for path first with what a one-run call adds to every program (the clock read of the
 * kernel's timer, measured as empty floor of path first minus that of duplicate) taken out of
 * both: the ratio as it would be for frames run back to back.
 */
static double ratio_one_msg_net(const struct row *rows, bool matched, __u32 subs)
{
	const struct row *f = find_row(rows, 1, subs, matched, PATH_FIRST);
	const struct row *d = find_row(rows, 1, subs, matched, PATH_DUPLICATE);

	return (f->med[BX_REAL] - f->med[BX_EMPTY] + d->med[BX_EMPTY]) / d->med[BX_EMPTY];
}

static double ratio_subs(const struct row *rows, enum path path, bool matched, __u32 msgs)
{
	const struct row *hi = find_row(rows, msgs, subs_grid[N_SUBS - 1], matched, path);
	const struct row *lo = find_row(rows, msgs, subs_grid[0], matched, path);

	return hi->med[BX_REAL] / lo->med[BX_REAL];
}

void report_table(FILE *out, const struct row *rows)
{
	int p, t, s, m;

	fprintf(out, "ns per frame, medians of the repetitions (feedsieve range: min-max)\n");
	fprintf(out, "%-9s %-7s %7s %4s %5s | %9s %13s | %7s %7s | %9s\n", "path", "matched",
		"symbols", "msgs", "bytes", "feedsieve", "range", "empty", "parse", "-empty");
	for (p = 0; p < PATHS; p++)
		for (t = 0; t < 2; t++)
			for (s = 0; s < N_SUBS; s++)
				for (m = 0; m < N_MSGS; m++) {
					const struct row *r = find_row(rows, msgs_grid[m],
								       subs_grid[s],
								       matched_order[t], p);
					char range[32];

					snprintf(range, sizeof(range), "%.0f-%.0f",
						 r->min[BX_REAL], r->max[BX_REAL]);
					fprintf(out,
						"%-9s %-7s %7u %4u %5u | %9.1f %13s | %7.1f %7.1f "
						"| %9.1f\n",
						path_name(r->path), r->matched ? "yes" : "no",
						r->subs, r->msgs, r->frame_len, r->med[BX_REAL],
						range, r->med[BX_EMPTY], r->med[BX_PARSE],
						r->med[BX_REAL] - r->med[BX_EMPTY]);
				}
}

void report_ratios(FILE *out, const struct row *rows)
{
	int p, t, i;

	fprintf(out, "\nratio 1: 1-message frame / empty floor (target <= %.2f), by symbols\n",
		RATIO_ONE_MSG_TARGET);
	fprintf(out, "%-22s %-7s", "path", "matched");
	for (i = 0; i < N_SUBS; i++)
		fprintf(out, " %7u", subs_grid[i]);
	fprintf(out, "\n");
	for (p = 0; p <= PATHS; p++)
		for (t = 0; t < 2; t++) {
			fprintf(out, "%-22s %-7s",
				p == PATHS ? "first, back-to-back" : path_name(p),
				matched_order[t] ? "yes" : "no");
			for (i = 0; i < N_SUBS; i++)
				fprintf(out, " %7.2f",
					p == PATHS
						? ratio_one_msg_net(rows, matched_order[t], subs_grid[i])
						: ratio_one_msg(rows, p, matched_order[t], subs_grid[i]));
			fprintf(out, "\n");
		}
	fprintf(out, "\nratio 2: %u symbols / %u symbol (target <= %.2f), by messages per frame\n",
		subs_grid[N_SUBS - 1], subs_grid[0], RATIO_SUBS_TARGET);
	fprintf(out, "%-22s %-7s", "path", "matched");
	for (i = 0; i < N_MSGS; i++)
		fprintf(out, " %7u", msgs_grid[i]);
	fprintf(out, "\n");
	for (p = 0; p < PATHS; p++)
		for (t = 0; t < 2; t++) {
			fprintf(out, "%-22s %-7s", path_name(p), matched_order[t] ? "yes" : "no");
			for (i = 0; i < N_MSGS; i++)
				fprintf(out, " %7.3f", ratio_subs(rows, p, matched_order[t], msgs_grid[i]));
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

static void json_conditions(FILE *f, const struct opts *o, const struct conditions *c)
{
	char cpu[128], clock[64], jit[16], stats[16], date[32];
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

	fprintf(f, "\"conditions\": {\n  \"date\": \"%s\",\n  \"kernel\": ", date);
	json_str(f, u.release);
	fprintf(f, ",\n  \"kernel_version\": ");
	json_str(f, u.version);
	fprintf(f, ",\n  \"machine\": ");
	json_str(f, u.machine);
	fprintf(f, ",\n  \"cpu_model\": ");
	json_str(f, cpu);
	fprintf(f, ",\n  \"cpus_online\": %ld,\n  \"pinned_cpu\": %d,\n  \"clocksource\": ",
		sysconf(_SC_NPROCESSORS_ONLN), c->cpu);
	json_str(f, clock);
	fprintf(f, ",\n  \"bpf_jit_enable\": ");
	json_str(f, jit);
	fprintf(f, ",\n  \"bpf_stats_enabled\": ");
	json_str(f, stats);
	fprintf(f, ",\n  \"libbpf\": \"%u.%u\",\n  \"loadavg_before\": ", libbpf_major_version(),
		libbpf_minor_version());
	json_str(f, c->load_before);
	fprintf(f, ",\n  \"loadavg_after\": ");
	json_str(f, c->load_after);
	fprintf(f,
		",\n  \"seconds\": %.1f,\n  \"quick\": %s,\n  \"repeats\": %d,\n"
		"  \"first_calls\": %u,\n  \"duplicate_batches\": %u,\n"
		"  \"duplicate_runs_per_batch\": %u,\n  \"seed\": %llu,\n",
		c->seconds, o->quick ? "true" : "false", o->repeats, o->calls, o->batches,
		o->batch_runs, (unsigned long long)o->seed);
	fprintf(f,
		"  \"frames\": \"Ethernet/IPv4/UDP to one group, MoldUDP64, N ITCH Add Orders (36 "
		"bytes); locates drawn at random per frame: matched = message 0 of a subscribed "
		"symbol (feed 0), the others among %u learned unsubscribed symbols\",\n",
		BX_OTHERS);
	fprintf(f,
		"  \"path_first\": \"every message new; one BPF_PROG_TEST_RUN call (.repeat=1) per "
		"frame, each frame with the next sequence numbers (the window slides as on a live "
		"feed); ns includes the kernel timer's own clock read, as do both floors; estimate "
		"per repetition: interquartile mean of the calls\",\n");
	fprintf(f,
		"  \"path_duplicate\": \"every message already claimed (the slower line): "
		".repeat=duplicate_runs_per_batch on one frame, the first run of which claims it; "
		"estimate per repetition: interquartile mean of the batches' kernel means (integers, "
		"truncated)\",\n");
	fprintf(f, "  \"ns\": \"median over the repetitions; programs interleaved call by call "
		   "(first) or batch by batch (duplicate)\"\n},\n");
}

static void json_ratios(FILE *f, const struct row *rows)
{
	int p, t, i;
	const char *sep = "";

	fprintf(f, "\"ratios\": {\n  \"one_msg_over_empty\": {\"target\": %.2f, \"values\": [",
		RATIO_ONE_MSG_TARGET);
	for (p = 0; p < PATHS; p++)
		for (t = 0; t < 2; t++)
			for (i = 0; i < N_SUBS; i++) {
				fprintf(f,
					"%s\n    {\"path\": \"%s\", \"matched\": %s, "
					"\"subscribed_symbols\": %u, \"ratio\": %.3f",
					sep, path_name(p), matched_order[t] ? "true" : "false",
					subs_grid[i], ratio_one_msg(rows, p, matched_order[t], subs_grid[i]));
				if (p == PATH_FIRST)
					fprintf(f, ", \"ratio_back_to_back\": %.3f",
						ratio_one_msg_net(rows, matched_order[t], subs_grid[i]));
				fprintf(f, "}");
				sep = ",";
			}
	fprintf(f, "]},\n  \"max_subs_over_one_sub\": {\"target\": %.2f, \"values\": [",
		RATIO_SUBS_TARGET);
	sep = "";
	for (p = 0; p < PATHS; p++)
		for (t = 0; t < 2; t++)
			for (i = 0; i < N_MSGS; i++) {
				fprintf(f,
					"%s\n    {\"path\": \"%s\", \"matched\": %s, "
					"\"msgs_per_frame\": %u, \"ratio\": %.3f}",
					sep, path_name(p), matched_order[t] ? "true" : "false",
					msgs_grid[i], ratio_subs(rows, p, matched_order[t], msgs_grid[i]));
				sep = ",";
			}
	fprintf(f, "]}\n},\n");
}

int report_json(const char *path, const struct opts *o, const struct conditions *c,
		const struct row *rows)
{
	FILE *f = fopen(path, "w");
	int i, err;

	if (!f) {
		err = -errno;
		fprintf(stderr, "filter_cost: %s: %s\n", path, strerror(-err));
		return err;
	}
	fprintf(f, "{\n");
	json_conditions(f, o, c);
	json_ratios(f, rows);
	fprintf(f, "\"filter_cost\": [");
	for (i = 0; i < N_ROWS; i++) {
		const struct row *r = &rows[i];

		fprintf(f,
			"%s\n  {\"msgs_per_frame\": %u, \"subscribed_symbols\": %u, \"matched\": %s, "
			"\"path\": \"%s\", \"frame_bytes\": %u, \"ns\": %.1f, \"ns_min\": %.1f, "
			"\"ns_max\": %.1f, \"floor_empty_ns\": %.1f, \"floor_parse_ns\": %.1f}",
			i ? "," : "", r->msgs, r->subs, r->matched ? "true" : "false",
			path_name(r->path), r->frame_len, r->med[BX_REAL], r->min[BX_REAL],
			r->max[BX_REAL], r->med[BX_EMPTY], r->med[BX_PARSE]);
	}
	fprintf(f, "\n]\n}\n");
	if (fclose(f)) {
		err = -errno;
		fprintf(stderr, "filter_cost: %s: %s\n", path, strerror(-err));
		return err;
	}
	return 0;
}

/* One gnuplot data block per (path, matched, symbols), in that order: index
 * = path * 2 * N_SUBS + matched * N_SUBS + symbols' rank. */
int report_tsv(const char *path, const struct row *rows)
{
	FILE *f = fopen(path, "w");
	int p, t, s, m, err;

	if (!f) {
		err = -errno;
		fprintf(stderr, "filter_cost: %s: %s\n", path, strerror(-err));
		return err;
	}
	for (p = 0; p < PATHS; p++)
		for (t = 0; t < 2; t++)
			for (s = 0; s < N_SUBS; s++) {
				fprintf(f, "# path %s matched %s symbols %u\n", path_name(p),
					matched_order[t] ? "yes" : "no", subs_grid[s]);
				fprintf(f, "# msgs\tns\tfloor_empty_ns\tfloor_parse_ns\n");
				for (m = 0; m < N_MSGS; m++) {
					const struct row *r = find_row(rows, msgs_grid[m],
								       subs_grid[s],
								       matched_order[t], p);

					fprintf(f, "%u\t%.1f\t%.1f\t%.1f\n", r->msgs, r->med[BX_REAL],
						r->med[BX_EMPTY], r->med[BX_PARSE]);
				}
				fprintf(f, "\n\n");
			}
	if (fclose(f)) {
		err = -errno;
		fprintf(stderr, "filter_cost: %s: %s\n", path, strerror(-err));
		return err;
	}
	return 0;
}
