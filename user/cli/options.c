// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The option engine: parsing, usage lines, --help and the option listing, from one table. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "report.h"

#define CLI_MAX_OPTS 32	 /* options of one command (consume has 21); more are not parsed */
#define LONG_ONLY    256 /* getopt's value of an option without a short name: LONG_ONLY + index */

const struct cli_opt cli_json_only[] = {
    {.name = "json", CLI_FIELD(struct cli_json_opts, json), .help = "as one JSON array"},
    {},
};

static void store(void *field, size_t size, __u64 v)
{
	switch (size) {
	case 1:
		*(__u8 *)field = (__u8)v;
		break;
	case 2:
		*(__u16 *)field = (__u16)v;
		break;
	case 4:
		*(__u32 *)field = (__u32)v;
		break;
	default:
		*(__u64 *)field = v;
	}
}

bool cli_parse_u64(const char *opt, const char *text, __u64 max, __u64 *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(text, &end, 10);
	if (!*text || *end || errno || text[0] == '-' || v > max) {
		cli_usage_error("%s: '%s' is not a number from 0 to %llu", opt, text,
				(unsigned long long)max);
		return false;
	}
	*out = v;
	return true;
}

int cli_parse_uint(const struct cli_opt *opt, const char *what, const char *arg, void *field)
{
	__u64 v;

	if (!cli_parse_u64(what, arg, opt->max, &v))
		return -EINVAL;
	if (v < opt->min) {
		cli_usage_error("%s %s", what, opt->below_min);
		return -EINVAL;
	}
	store(field, opt->size, v);
	return 0;
}

int cli_parse_double(const struct cli_opt *opt, const char *what, const char *arg, void *field)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	/* v == v: not a NaN, which every comparison lets through */
	if (!*arg || *end || errno || v != v || v < (double)opt->min || v > (double)opt->max) {
		cli_usage_error("%s: '%s' is not a number from %llu to %llu", what, arg,
				(unsigned long long)opt->min, (unsigned long long)opt->max);
		return -EINVAL;
	}
	*(double *)field = v;
	return 0;
}

int cli_parse_enum(const struct cli_opt *opt, const char *what, const char *arg, void *field)
{
	const char *word = opt->metavar, *sep;
	char words[128] = "";
	int i;

	for (i = 0;; i++, word = sep + 1) {
		size_t len = strcspn(word, "|");

		sep = word + len;
		if (len == strlen(arg) && !strncmp(word, arg, len)) {
			*(int *)field = (int)opt->min + i;
			return 0;
		}
		/* 'a', 'b' or 'c' */
		snprintf(words + strlen(words), sizeof(words) - strlen(words), "%s'%.*s'",
			 !i	? ""
			 : *sep ? ", "
				: " or ",
			 (int)len, word);
		if (!*sep)
			break;
	}
	cli_usage_error("%s must be %s, not '%s'", what, words, arg);
	return -EINVAL;
}

int cli_parse_str(const struct cli_opt *opt, const char *what, const char *arg, void *field)
{
	(void)opt;
	(void)what;
	*(const char **)field = arg;
	return 0;
}

/* How an option is written: "--name", "--name VALUE" or "--name [VALUE]"; with its short name
 * first in --help ("-w, --write FILE"), alone in usage lines ("-w FILE"). */
static void opt_text(char *buf, size_t size, const struct cli_opt *o, bool in_help)
{
	size_t at = 0;

	if (o->short_name)
		at = (size_t)snprintf(buf, size, in_help ? "-%c, " : "-%c", o->short_name);
	if ((!o->short_name || in_help) && at < size)
		at += (size_t)snprintf(buf + at, size - at, "--%s", o->name);
	if (o->metavar && at < size)
		snprintf(buf + at, size - at, o->optional ? " [%s]" : " %s", o->metavar);
}

void cli_print_synopsis(FILE *out, const struct cli_cmd *cmd)
{
	const struct cli_opt *o;
	char text[64];

	if (cmd->name)
		fprintf(out, "%s %s", cmd->name, cmd->args);
	else if (*cmd->args) /* a program of one command: after its own name */
		fprintf(out, " %s", cmd->args);
	if (cmd->synopsis) {
		fprintf(out, " %s", cmd->synopsis);
		return;
	}
	for (o = cmd->opts; o && o->name; o++) {
		opt_text(text, sizeof(text), o, false);
		fprintf(out, " [%s]", text);
	}
}

static void print_help(const struct cli_cmd *cmd)
{
	const struct cli_opt *o;
	char head[64];

	printf("usage: %s%s", cli_prog, cmd->name ? " " : "");
	cli_print_synopsis(stdout, cmd);
	printf("\n%s\n", cmd->help);
	if (cmd->opts && cmd->opts->name)
		printf("\noptions:\n");
	for (o = cmd->opts; o && o->name; o++) {
		opt_text(head, sizeof(head), o, true);
		printf("  %-24s  %s\n", head, o->help);
	}
}

/* How many positional arguments CMD takes: *MAX -1 for any number. */
static void count_args(const struct cli_cmd *cmd, int *min, int *max)
{
	const char *w;

	*min = *max = 0;
	for (w = cmd->args; *w; w += strcspn(w, " "), w += strspn(w, " ")) {
		*min += *w != '[';
		*max += 1;
	}
	if (strstr(cmd->args, "..."))
		*max = -1;
}

/* --symbols LIST: the word after an option whose value is optional is its value when the command
 * has one positional argument too many otherwise. GNU getopt has permuted ARGV by now, moving
 * the positional arguments to its end; AFTER is still the same pointer. */
static void take_optional_value(int max_args, int argc, char **argv, struct cli_optional *f,
				const char *after)
{
	int i;

	if (!f || f->value || !after || argc - optind != max_args + 1)
		return;
	for (i = optind; i < argc && argv[i] != after; i++)
		;
	if (i == argc)
		return;
	f->value = after;
	memmove(&argv[optind + 1], &argv[optind], (size_t)(i - optind) * sizeof(*argv));
	optind++;
}

/*
 * getopt reads "-7" as an option. For a command whose arguments may be negative numbers, such
 * words (before any "--") have their minus sign swapped for a byte no option starts with while
 * getopt runs; cli_parse puts it back among the arguments it hands over.
 */
#define NEGATIVE_MARK '\x01'

static void hide_negative_args(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (argv[i][0] == '-' && argv[i][1] &&
		    strspn(argv[i] + 1, "0123456789") == strlen(argv[i] + 1))
			argv[i][0] = NEGATIVE_MARK;
}

int cli_parse(const struct cli_cmd *cmd, int argc, char **argv, void *opts, char ***args)
{
	static const struct cli_opt none[] = {{}};
	const struct cli_opt *table = cmd->opts ? cmd->opts : none;
	struct option longopts[CLI_MAX_OPTS + 2] = {};
	char shorts[3 * CLI_MAX_OPTS + 1] = "", *s = shorts;
	struct cli_optional *optional = NULL;
	const char *after = NULL;
	char what[64], head[32] = "";
	int n = 0, i, c, min_args, max_args, nargs;

	if (cmd->name) /* errors name the command; a program of one command has only cli_prog */
		snprintf(head, sizeof(head), "%s: ", cmd->name);
	for (; n < CLI_MAX_OPTS && table[n].name; n++) {
		const struct cli_opt *o = &table[n];
		int has = !o->metavar	? no_argument
			  : o->optional ? optional_argument
					: required_argument;

		/* Not 0: getopt reports a missing value in optopt, 0 for an unknown option. */
		longopts[n] = (struct option){o->name, has, NULL,
					      o->short_name ? o->short_name : LONG_ONLY + n};
		if (o->short_name) /* "w:" for a value, "w::" for an optional one */
			s += sprintf(s, "%c%.*s", o->short_name, has, "::");
	}
	if (table[n].name)
		return cli_error("%smore than %d options: raise CLI_MAX_OPTS", head,
				 CLI_MAX_OPTS);
	longopts[n] = (struct option){"help", no_argument, NULL, LONG_ONLY + n};
	if (cmd->negative_args)
		hide_negative_args(argc, argv);
	opterr = 0;
	optind = 0; /* GNU getopt: full re-initialisation */
	while ((c = getopt_long(argc, argv, shorts, longopts, NULL)) != -1) {
		const struct cli_opt *o;
		void *field;

		if (c == '?') {
			const char *w = argv[optind - 1];
			char short_opt[3] = {'-', (char)optopt, '\0'};

			/* Inside a cluster ("-7x") getopt has not moved past the word yet: name the
			 * option character itself, not the word before. */
			if (optopt > 0 && optopt < 128 && (w[0] != '-' || !strchr(w + 1, optopt)))
				w = short_opt;
			/* "-7": a negative number, read as an option: say how to write it */
			const char *hint = w != short_opt && w[1] &&
						   strspn(w + 1, "0123456789") == strlen(w + 1)
					       ? " (put negative numbers after '--')"
					       : "";

			if (optopt)
				return cli_usage_error(
				    "%soption '%s' is unknown or needs a value%s", head, w, hint);
			return cli_usage_error("%sunknown option '%s'%s", head, w, hint);
		}
		if (c == LONG_ONLY + n) {
			print_help(cmd);
			return 0;
		}
		for (i = 0; i < n - 1 && longopts[i].val != c; i++)
			;
		o = &table[i];
		field = (char *)opts + o->off;
		if (!o->metavar) { /* a flag */
			store(field, o->size, o->max ? o->max : 1);
		} else if (o->optional) {
			optional = field;
			optional->given = true;
			optional->value = optarg;
			after = optarg || optind >= argc ? NULL : argv[optind];
		} else {
			snprintf(what, sizeof(what), "%s--%s", head, o->name);
			if (o->parse(o, what, optarg, field))
				return EXIT_USAGE;
		}
	}
	count_args(cmd, &min_args, &max_args);
	take_optional_value(max_args, argc, argv, optional, after);
	nargs = argc - optind;
	*args = argv + optind;
	if (cmd->negative_args)
		for (i = optind; i < argc; i++)
			if (argv[i][0] == NEGATIVE_MARK)
				argv[i][0] = '-';
	if (nargs < min_args || (max_args >= 0 && nargs > max_args)) {
		fprintf(stderr, "%s: usage: %s%s", cli_prog, cli_prog, cmd->name ? " " : "");
		cli_print_synopsis(stderr, cmd);
		fputc('\n', stderr);
		return EXIT_USAGE;
	}
	return CLI_RUN;
}

int cli_parse_program(const char *prog, const struct cli_cmd *cmd, int argc, char **argv,
		      void *opts)
{
	char **args;

	cli_prog = prog;
	return cli_parse(cmd, argc, argv, opts, &args);
}

/* One line of the listing: the option spelled NAME ("--write" or "-w"). */
static void print_option(FILE *out, const char *cmd, const char *name, const struct cli_opt *o)
{
	__u64 v;

	fprintf(out, "opt\t%s\t%s\t%s%s%s\t", cmd, name, o->optional ? "[" : "",
		o->metavar ? o->metavar : "", o->optional ? "]" : "");
	if (o->metavar && strchr(o->metavar, '|'))
		for (const char *p = o->metavar; *p; p++)
			fputc(*p == '|' ? ' ' : *p, out);
	else if (o->parse == cli_parse_uint && o->max - o->min < 8)
		for (v = o->min; v <= o->max; v++)
			fprintf(out, "%s%llu", v > o->min ? " " : "", (unsigned long long)v);
	fputc('\n', out);
}

void cli_print_options(FILE *out, const struct cli_cmd *const *cmds, size_t n)
{
	const struct cli_opt *o;
	char name[64];
	size_t i;

	for (i = 0; i < n; i++) {
		fprintf(out, "cmd\t%s\t%s\n", cmds[i]->name, cmds[i]->args);
		for (o = cmds[i]->opts; o && o->name; o++) {
			snprintf(name, sizeof(name), "--%s", o->name);
			print_option(out, cmds[i]->name, name, o);
			if (o->short_name) {
				snprintf(name, sizeof(name), "-%c", o->short_name);
				print_option(out, cmds[i]->name, name, o);
			}
		}
	}
}
