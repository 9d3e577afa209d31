// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The option engine: parsing, usage lines, --help and the option listing, from one table. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define CLI_MAX_OPTS 32

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

/* How an option is written: "--name", "--name VALUE" or "--name [VALUE]". */
static const char *opt_format(const struct cli_opt *o)
{
	return !o->metavar ? "--%s" : o->optional ? "--%s [%s]" : "--%s %s";
}

void cli_print_synopsis(FILE *out, const struct cli_cmd *cmd)
{
	const struct cli_opt *o;

	fprintf(out, "%s %s", cmd->name, cmd->args);
	if (cmd->synopsis) {
		fprintf(out, " %s", cmd->synopsis);
		return;
	}
	for (o = cmd->opts; o && o->name; o++) {
		fputs(" [", out);
		fprintf(out, opt_format(o), o->name, o->metavar);
		fputc(']', out);
	}
}

static void print_help(const struct cli_cmd *cmd)
{
	const struct cli_opt *o;
	char head[64];

	printf("usage: feedsieve ");
	cli_print_synopsis(stdout, cmd);
	printf("\n%s\n", cmd->help);
	if (cmd->opts && cmd->opts->name)
		printf("\noptions:\n");
	for (o = cmd->opts; o && o->name; o++) {
		snprintf(head, sizeof(head), opt_format(o), o->name, o->metavar);
		printf("  %-26s %s\n", head, o->help);
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

int cli_parse(const struct cli_cmd *cmd, int argc, char **argv, void *opts, char ***args)
{
	static const struct cli_opt none[] = {{}};
	const struct cli_opt *table = cmd->opts ? cmd->opts : none;
	struct option longopts[CLI_MAX_OPTS + 2] = {};
	struct cli_optional *optional = NULL;
	const char *after = NULL;
	char what[64];
	int n = 0, c, min_args, max_args, nargs;

	for (; n < CLI_MAX_OPTS && table[n].name; n++) {
		const struct cli_opt *o = &table[n];

		/* Values start at 1: getopt reports a missing value in optopt, 0 for unknown. */
		longopts[n] = (struct option){o->name,
					      !o->metavar   ? no_argument
					      : o->optional ? optional_argument
							    : required_argument,
					      NULL, n + 1};
	}
	longopts[n] = (struct option){"help", no_argument, NULL, n + 1};
	opterr = 0;
	optind = 0; /* GNU getopt: full re-initialisation */
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		const struct cli_opt *o;
		void *field;

		if (c == '?') {
			if (optopt)
				return cli_usage_error(
				    "%s: option '%s' is unknown or needs a value", cmd->name,
				    argv[optind - 1]);
			return cli_usage_error("%s: unknown option '%s'", cmd->name,
					       argv[optind - 1]);
		}
		if (c == n + 1) {
			print_help(cmd);
			return 0;
		}
		o = &table[c - 1];
		field = (char *)opts + o->off;
		if (!o->metavar) { /* a flag */
			store(field, o->size, o->max ? o->max : 1);
		} else if (o->optional) {
			optional = field;
			optional->given = true;
			optional->value = optarg;
			after = optarg || optind >= argc ? NULL : argv[optind];
		} else {
			snprintf(what, sizeof(what), "%s: --%s", cmd->name, o->name);
			if (o->parse(o, what, optarg, field))
				return EXIT_USAGE;
		}
	}
	count_args(cmd, &min_args, &max_args);
	take_optional_value(max_args, argc, argv, optional, after);
	nargs = argc - optind;
	*args = argv + optind;
	if (nargs < min_args || (max_args >= 0 && nargs > max_args)) {
		fputs("feedsieve: usage: feedsieve ", stderr);
		cli_print_synopsis(stderr, cmd);
		fputc('\n', stderr);
		return EXIT_USAGE;
	}
	return CLI_RUN;
}

void cli_print_options(FILE *out, const struct cli_cmd *const *cmds, size_t n)
{
	const struct cli_opt *o;
	size_t i;
	__u64 v;

	for (i = 0; i < n; i++) {
		fprintf(out, "cmd\t%s\t%s\n", cmds[i]->name, cmds[i]->args);
		for (o = cmds[i]->opts; o && o->name; o++) {
			fprintf(out, "opt\t%s\t--%s\t%s%s%s\t", cmds[i]->name, o->name,
				o->optional ? "[" : "", o->metavar ? o->metavar : "",
				o->optional ? "]" : "");
			if (o->metavar && strchr(o->metavar, '|'))
				for (const char *p = o->metavar; *p; p++)
					fputc(*p == '|' ? ' ' : *p, out);
			else if (o->parse == cli_parse_uint && o->max - o->min < 8)
				for (v = o->min; v <= o->max; v++)
					fprintf(out, "%s%llu", v > o->min ? " " : "",
						(unsigned long long)v);
			fputc('\n', out);
		}
	}
}
