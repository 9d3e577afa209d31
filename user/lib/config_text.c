// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The text form of a configuration: parsing, printing, and the difference between two. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

#define MAX_LINE      4096
#define SYMS_PER_LINE 10
#define IDS_PER_LINE  10

static const char *const mode_names[] = {
    [FS_MODE_AUTO] = "auto",
    [FS_MODE_NATIVE] = "native",
    [FS_MODE_SKB] = "skb",
};

/* Everything after "group" on a group's line, defaults left out. */
static void group_text(const struct fsi_config_group *g, char *out, size_t len)
{
	char key[FS_GROUP_STR_LEN];
	size_t n;

	fs_group_str(&g->key, key);
	n = (size_t)snprintf(out, len, "%s", key);
	if (g->proto != FS_PROTO_MOLD_ITCH && n < len)
		n += (size_t)snprintf(out + n, len - n, " proto %s", fs_proto_str(g->proto));
	/* The channel is the group's own by default, but line B needs it named. */
	if ((strcmp(g->channel, key) != 0 || g->line != FS_LINE_A) && n < len)
		n += (size_t)snprintf(out + n, len - n, " channel %s", g->channel);
	if (g->line == FS_LINE_B && n < len)
		n += (size_t)snprintf(out + n, len - n, " line %s", fs_line_str(g->line));
	if (g->feed && n < len)
		n += (size_t)snprintf(out + n, len - n, " feed %u", g->feed);
	if ((g->flags & FS_GROUP_F_ALL_SYMBOLS) && n < len)
		n += (size_t)snprintf(out + n, len - n, " all-symbols");
	if ((g->flags & FS_GROUP_F_DROP_MALFORMED) && n < len)
		n += (size_t)snprintf(out + n, len - n, " drop-malformed");
	if ((g->flags & FS_GROUP_F_DEFINITIONS) && n < len)
		n += (size_t)snprintf(out + n, len - n, " definitions");
	if (g->unit_count && n < len)
		n += (size_t)snprintf(out + n, len - n, " units %s",
				      fsi_config_units_str(g, (char[8]){0}));
	if (g->retransmit.addr && n < len) {
		fs_group_str(&g->retransmit, key);
		n += (size_t)snprintf(out + n, len - n, " retransmit %s", key);
	}
	if (fsi_config_is_snapshot(g) && n < len)
		snprintf(out + n, len - n, " snapshot");
}

/* Print SYMS as "PREFIXsymbols A B C" lines of SYMS_PER_LINE. A name with a space is written in
 * double quotes, which no symbol holds (fs_parse_symbol), so it reads back unchanged. */
static void print_symbols(FILE *out, const char *prefix, const struct fs_symbol *syms, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char s[FS_SYMBOL_LEN + 1];

		fs_symbol_str(&syms[i], s);
		if (i % SYMS_PER_LINE == 0)
			fprintf(out, "%s%ssymbols", i ? "\n" : "", prefix);
		fprintf(out, strchr(s, ' ') ? " \"%s\"" : " %s", s);
	}
	if (n)
		fputc('\n', out);
}

/* Print IDS as "PREFIXids 1 -2 3" lines of IDS_PER_LINE, as the signed numbers they are. */
static void print_ids(FILE *out, const char *prefix, const __u32 *ids, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i % IDS_PER_LINE == 0)
			fprintf(out, "%s%sids", i ? "\n" : "", prefix);
		fprintf(out, " %d", (int)(__s32)ids[i]);
	}
	if (n)
		fputc('\n', out);
}

int fs_config__print(const struct fs_config *cfg, FILE *out)
{
	char line[192];
	size_t i;

	fprintf(out, "# feedsieve configuration: %zu groups, %zu symbols", cfg->ngroups,
		cfg->nsymbols);
	if (cfg->nids)
		fprintf(out, ", %zu ids", cfg->nids);
	fputc('\n', out);
	if (cfg->ifname[0])
		fprintf(out, "interface %s\n", cfg->ifname);
	if (cfg->mode != FS_MODE_AUTO)
		fprintf(out, "mode %s\n", mode_names[cfg->mode]);
	for (i = 0; i < cfg->ngroups; i++) {
		group_text(&cfg->groups[i], line, sizeof(line));
		fprintf(out, "group %s\n", line);
	}
	print_symbols(out, "", cfg->symbols, cfg->nsymbols);
	print_ids(out, "", cfg->ids, cfg->nids);
	return ferror(out) ? -EIO : 0;
}

int fs_config__print_diff(const struct fs_config *from, const struct fs_config *to, FILE *out)
{
	char a[192], b[192];
	struct fs_symbol *only = malloc((from->nsymbols + to->nsymbols + 1) * sizeof(*only));
	__u32 *only_ids = malloc((from->nids + to->nids + 1) * sizeof(*only_ids));
	size_t i, j, n;
	int changes = 0;

	if (!only || !only_ids) {
		free(only);
		free(only_ids);
		return -ENOMEM;
	}
	if (strcmp(from->ifname, to->ifname) != 0) {
		fprintf(out, "~ interface %s (was %s)\n", to->ifname, from->ifname);
		changes++;
	}
	for (i = 0; i < from->ngroups; i++) {
		const struct fsi_config_group *o = &from->groups[i];
		const struct fsi_config_group *g = fsi_config_find_group(to, &o->key);

		group_text(o, a, sizeof(a));
		if (!g) {
			fprintf(out, "- group %s\n", a);
			changes++;
			continue;
		}
		group_text(g, b, sizeof(b));
		if (strcmp(a, b) != 0) {
			fprintf(out, "~ group %s (was: %s)\n", b, a);
			changes++;
		}
	}
	for (i = 0; i < to->ngroups; i++) {
		if (fsi_config_find_group(from, &to->groups[i].key))
			continue;
		group_text(&to->groups[i], b, sizeof(b));
		fprintf(out, "+ group %s\n", b);
		changes++;
	}
	for (j = 0; j < 2; j++) {
		const struct fs_config *x = j ? to : from, *y = j ? from : to;

		for (i = 0, n = 0; i < x->nsymbols; i++)
			if (!fsi_config_has_symbol(y, &x->symbols[i]))
				only[n++] = x->symbols[i];
		print_symbols(out, j ? "+ " : "- ", only, n);
		changes += (int)n;
	}
	for (j = 0; j < 2; j++) {
		const struct fs_config *x = j ? to : from, *y = j ? from : to;

		for (i = 0, n = 0; i < x->nids; i++)
			if (!fsi_config_has_id(y, x->ids[i]))
				only_ids[n++] = x->ids[i];
		print_ids(out, j ? "+ " : "- ", only_ids, n);
		changes += (int)n;
	}
	free(only);
	free(only_ids);
	if (!changes)
		fprintf(out, "no change\n");
	return changes;
}

/* ---- Parsing ---- */

/* A subscription as the file names it: a symbol, or an id (then sym is zero). */
struct parsed_symbol {
	bool is_id;
	__u32 id;
	struct fs_symbol sym;
	unsigned lineno;
};

struct parser {
	const char *name;
	struct parsed_symbol *syms;
	size_t nsyms, cap;
	unsigned lineno;
	char *err;
	struct fs_config *cfg;
	bool have_ifname, have_mode;
};

static int perr(struct parser *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int perr(struct parser *ps, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(ps->err, FS_ERR_LEN, "%s:%u: ", ps->name, ps->lineno);

	if (n >= 0 && n < FS_ERR_LEN) {
		va_start(ap, fmt);
		vsnprintf(ps->err + n, FS_ERR_LEN - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

int fsi_config_group_args(char **tok, int ntok, struct fs_group_key *key, struct fs_group_opts *o,
			 char err[FS_ERR_LEN])
{
	bool line_given = false;
	int i;

	memset(o, 0, sizeof(*o));
	o->sz = sizeof(*o);
	if (ntok < 1)
		return fsi_config_fail(err, -EINVAL, "group needs ADDR:PORT");
	if (fs_parse_group(tok[0], key, err))
		return -EINVAL;
	for (i = 1; i < ntok; i++) {
		const char *w = tok[i], *v = i + 1 < ntok ? tok[i + 1] : NULL;

		if (!strcmp(w, "all-symbols")) {
			o->all_symbols = true;
		} else if (!strcmp(w, "drop-malformed")) {
			o->drop_malformed = true;
		} else if (!strcmp(w, "definitions")) {
			o->definitions = true;
		} else if (!strcmp(w, "snapshot")) {
			o->snapshot = true;
		} else if (!strcmp(w, "retransmit")) {
			if (!v)
				return fsi_config_fail(err, -EINVAL, "%s needs a value", w);
			i++;
			if (fs_parse_server(v, &o->retransmit, err))
				return -EINVAL;
		} else if (!strcmp(w, "units")) {
			if (!v)
				return fsi_config_fail(err, -EINVAL, "%s needs a value", w);
			i++;
			if (fs_parse_units(v, &o->unit_first, &o->unit_count, err))
				return -EINVAL;
		} else if (!strcmp(w, "proto")) {
			if (!v)
				return fsi_config_fail(err, -EINVAL, "%s needs a value", w);
			i++;
			if (fs_parse_proto(v, &o->proto, err))
				return -EINVAL;
		} else if (!strcmp(w, "channel") || !strcmp(w, "line") || !strcmp(w, "feed")) {
			if (!v)
				return fsi_config_fail(err, -EINVAL, "%s needs a value", w);
			i++;
			if (w[0] == 'c') {
				if (fs_parse_channel(v, err))
					return -EINVAL;
				o->channel = v;
			} else if (w[0] == 'l') {
				if (fs_parse_line(v, &o->line, err))
					return -EINVAL;
				line_given = true;
			} else {
				char *end;
				unsigned long f = strtoul(v, &end, 10);

				if (*end || end == v || f >= FS_MAX_FEEDS)
					return fsi_config_fail(err, -EINVAL, "feed '%s' is not 0-%d",
							      v, FS_MAX_FEEDS - 1);
				o->feed = (__u8)f;
			}
		} else {
			return fsi_config_fail(err, -EINVAL,
					      "unknown group option '%s' (proto, channel, line, feed, "
					      "all-symbols, drop-malformed, definitions, units, "
					      "retransmit, snapshot)",
					      w);
		}
	}
	if (line_given && o->snapshot)
		return fsi_config_fail(err, -EINVAL,
				      "snapshot takes no line (a snapshot group is not a line of its "
				      "channel)");
	if (line_given && !o->channel)
		return fsi_config_fail(
		    err, -EINVAL,
		    "line needs channel (a group without a channel is a channel of its "
		    "own, line A)");
	return 0;
}

static int parse_group(struct parser *ps, char **tok, int ntok)
{
	struct fs_group_opts o;
	struct fs_group_key key;
	char err[FS_ERR_LEN];

	if (fsi_config_group_args(tok + 1, ntok - 1, &key, &o, err) ||
	    fsi_config__add_group(ps->cfg, &key, &o, err))
		return perr(ps, "%s", err);
	return 0;
}

/* Symbols and ids are collected with their line numbers and added all at once at the end. */
static int parse_symbols(struct parser *ps, char **tok, int ntok)
{
	bool ids = !strcmp(tok[0], "ids");
	char err[FS_ERR_LEN];
	int i;

	if (ntok < 2)
		return perr(ps, "%s needs at least one %s", tok[0], ids ? "id" : "symbol");
	for (i = 1; i < ntok; i++) {
		struct parsed_symbol *k;

		if (ps->nsyms == ps->cap) {
			size_t cap = ps->cap ? ps->cap * 2 : 256;
			struct parsed_symbol *p = realloc(ps->syms, cap * sizeof(*p));

			if (!p)
				return perr(ps, "out of memory");
			ps->syms = p;
			ps->cap = cap;
		}
		k = &ps->syms[ps->nsyms];
		memset(k, 0, sizeof(*k));
		k->is_id = ids;
		if (ids ? fs_parse_id(tok[i], &k->id, err) : fs_parse_symbol(tok[i], &k->sym, err))
			return perr(ps, "%s", err);
		if (ps->nsyms == FS_MAX_SUBS)
			return perr(ps, "more than %d symbols and ids", FS_MAX_SUBS);
		k->lineno = ps->lineno;
		ps->nsyms++;
	}
	return 0;
}

/* Symbols, then ids; equal ones by line. */
static int cmp_parsed_key(const struct parsed_symbol *x, const struct parsed_symbol *y)
{
	if (x->is_id != y->is_id)
		return x->is_id ? 1 : -1;
	return x->is_id ? fsi_config_cmp_id(&x->id, &y->id)
			: fsi_config_cmp_symbol(&x->sym, &y->sym);
}

static int cmp_parsed(const void *a, const void *b)
{
	const struct parsed_symbol *x = a, *y = b;
	int c = cmp_parsed_key(x, y);

	return c ? c : (x->lineno > y->lineno) - (x->lineno < y->lineno);
}

static int add_parsed_symbols(struct parser *ps)
{
	struct fs_symbol *syms;
	__u32 *ids;
	size_t i, nsyms = 0, nids = 0;
	int rc;

	if (!ps->nsyms)
		return 0;
	qsort(ps->syms, ps->nsyms, sizeof(*ps->syms), cmp_parsed);
	for (i = 1; i < ps->nsyms; i++) {
		const struct parsed_symbol *k = &ps->syms[i];
		char s[FS_SYMBOL_LEN + 1];

		if (cmp_parsed_key(&ps->syms[i - 1], k))
			continue;
		if (k->is_id)
			snprintf(s, sizeof(s), "%d", (int)(__s32)k->id);
		else
			fs_symbol_str(&k->sym, s);
		ps->lineno = k->lineno;
		return perr(ps, "%s %s listed twice (also on line %u)", k->is_id ? "id" : "symbol",
			    s, ps->syms[i - 1].lineno);
	}
	syms = malloc(ps->nsyms * sizeof(*syms));
	ids = malloc(ps->nsyms * sizeof(*ids));
	if (!syms || !ids) {
		free(syms);
		free(ids);
		return perr(ps, "out of memory");
	}
	for (i = 0; i < ps->nsyms; i++) {
		if (ps->syms[i].is_id)
			ids[nids++] = ps->syms[i].id;
		else
			syms[nsyms++] = ps->syms[i].sym;
	}
	rc = fsi_config__add_symbols(ps->cfg, syms, nsyms);
	if (!rc)
		rc = fsi_config__add_ids(ps->cfg, ids, nids);
	free(syms);
	free(ids);
	return rc;
}

#define SPACE " \t\r\n"

int fsi_config_tokens(char *line, char **tok, int max)
{
	char *hash = strchr(line, '#'), *t = line;
	int ntok = 0;

	if (hash) /* no word holds '#', quoted or not */
		*hash = '\0';
	for (t += strspn(t, SPACE); *t; t += strspn(t, SPACE)) {
		char *end;

		if (ntok == max)
			return -E2BIG;
		if (*t == '"') { /* "BRK A": to the next quote, which ends the word */
			end = strchr(++t, '"');
			if (!end || (end[1] && !strchr(SPACE, end[1])))
				return -EINVAL;
		} else {
			end = t + strcspn(t, SPACE);
		}
		tok[ntok++] = t;
		t = end + (*end != '\0');
		*end = '\0';
	}
	return ntok;
}

int fsi_config_tokens_fail(int rc, int max, char err[FS_ERR_LEN])
{
	if (rc == -E2BIG)
		return fsi_config_fail(err, -EINVAL, "more than %d words", max);
	return fsi_config_fail(err, -EINVAL,
			      "a quoted word must end with '\"' before a space or the line's end");
}

static int parse_line(struct parser *ps, char *line)
{
	char *tok[MAX_LINE / 2 + 1]; /* a line of MAX_LINE characters holds at most this many */
	int ntok = fsi_config_tokens(line, tok, MAX_LINE / 2 + 1);
	char err[FS_ERR_LEN];
	size_t m;

	if (ntok < 0) {
		fsi_config_tokens_fail(ntok, MAX_LINE / 2 + 1, err);
		return perr(ps, "%s", err);
	}
	if (!ntok)
		return 0;
	if (!strcmp(tok[0], "group"))
		return parse_group(ps, tok, ntok);
	if (!strcmp(tok[0], "symbols") || !strcmp(tok[0], "ids"))
		return parse_symbols(ps, tok, ntok);
	if (!strcmp(tok[0], "interface")) {
		if (ntok != 2)
			return perr(ps, "interface takes one name");
		if (ps->have_ifname)
			return perr(ps, "interface given twice");
		if (fs_config__set_ifname(ps->cfg, tok[1]))
			return perr(ps, "interface name '%s' is not valid", tok[1]);
		ps->have_ifname = true;
		return 0;
	}
	if (!strcmp(tok[0], "mode")) {
		if (ntok != 2)
			return perr(ps, "mode takes one of auto, native, skb");
		if (ps->have_mode)
			return perr(ps, "mode given twice");
		for (m = 0; m < sizeof(mode_names) / sizeof(mode_names[0]); m++)
			if (!strcmp(tok[1], mode_names[m]))
				break;
		if (m == sizeof(mode_names) / sizeof(mode_names[0]))
			return perr(ps, "mode '%s' is not auto, native or skb", tok[1]);
		ps->cfg->mode = (enum fs_attach_mode)m;
		ps->have_mode = true;
		return 0;
	}
	return perr(ps, "unknown directive '%s' (interface, mode, group, symbols, ids)", tok[0]);
}

int fs_config__parse(FILE *in, const char *name, struct fs_config **out, char err[FS_ERR_LEN])
{
	struct parser ps = {.name = name, .err = err};
	char line[MAX_LINE + 2]; /* the line, its newline and the NUL */
	int rc = 0;

	ps.cfg = fs_config__new();
	if (!ps.cfg) {
		snprintf(err, FS_ERR_LEN, "%s: out of memory", name);
		return -ENOMEM;
	}
	while (!rc && fgets(line, sizeof(line), in)) {
		ps.lineno++;
		if (!strchr(line, '\n') && !feof(in))
			rc = perr(&ps, "line longer than %d characters", MAX_LINE);
		else
			rc = parse_line(&ps, line);
	}
	if (!rc && ferror(in)) {
		snprintf(err, FS_ERR_LEN, "%s: read error", name);
		rc = -EIO;
	}
	if (!rc)
		rc = add_parsed_symbols(&ps);
	free(ps.syms);
	if (rc) {
		fs_config__free(ps.cfg);
		return rc;
	}
	*out = ps.cfg;
	return 0;
}
