// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* One change to a configuration, in the words of the CLI: what `feedsieve batch` reads. */
#include <errno.h>
#include <string.h>

#include "config.h"

#define MAX_LINE  4096
#define MAX_WORDS (MAX_LINE / 2 + 1) /* the most a line of MAX_LINE characters holds */

static int edit_symbols(struct fs_config *cfg, bool add, char **tok, int ntok, char *err)
{
	struct fs_symbol syms[MAX_WORDS];
	size_t missing = 0;
	int i, rc;

	if (ntok < 1)
		return fsi_config_fail(err, -EINVAL, "sub %s needs at least one symbol",
				      add ? "add" : "del");
	for (i = 0; i < ntok; i++)
		if (fs_parse_symbol(tok[i], &syms[i], err))
			return -EINVAL;
	rc = add ? fsi_config__add_symbols(cfg, syms, (size_t)ntok)
		 : fsi_config__del_symbols(cfg, syms, (size_t)ntok, &missing);
	if (rc == -ENOENT)
		return fsi_config_fail(err, rc, "%s is not subscribed", tok[missing]);
	if (rc == -ENOSPC)
		return fsi_config_fail(err, rc, "more than %d symbols", FS_MAX_SUBS);
	return rc;
}

static int edit_group(struct fs_config *cfg, bool add, char **tok, int ntok, char *err)
{
	struct fs_group_opts o;
	struct fs_group_key key;

	if (!add) {
		if (ntok != 1)
			return fsi_config_fail(err, -EINVAL, "group del takes one ADDR:PORT");
		if (fs_parse_group(tok[0], &key, err))
			return -EINVAL;
		if (fsi_config__del_group(cfg, &key))
			return fsi_config_fail(err, -ENOENT, "group %s is not configured", tok[0]);
		return 0;
	}
	if (fsi_config_group_args(tok, ntok, &key, &o, err))
		return -EINVAL;
	return fsi_config__add_group(cfg, &key, &o, err);
}

int fs_config__edit(struct fs_config *cfg, const char *line, char err[FS_ERR_LEN])
{
	char copy[MAX_LINE + 1], *tok[MAX_WORDS];
	int ntok, rc;
	bool add;

	if (strlen(line) >= sizeof(copy))
		return fsi_config_fail(err, -EINVAL, "line longer than %zu characters",
				      sizeof(copy) - 1);
	strcpy(copy, line);
	ntok = fsi_config_tokens(copy, tok, MAX_WORDS);
	if (ntok < 0)
		return fsi_config_fail(err, -EINVAL, "more than %d words", MAX_WORDS);
	if (ntok == 0)
		return 0;
	if (ntok < 2 || (strcmp(tok[0], "sub") != 0 && strcmp(tok[0], "group") != 0) ||
	    (strcmp(tok[1], "add") != 0 && strcmp(tok[1], "del") != 0))
		return fsi_config_fail(err, -EINVAL,
				      "expected 'sub add|del SYMBOL...' or 'group add|del "
				      "ADDR:PORT [options]'");
	add = !strcmp(tok[1], "add");
	rc = tok[0][0] == 's' ? edit_symbols(cfg, add, tok + 2, ntok - 2, err)
			      : edit_group(cfg, add, tok + 2, ntok - 2, err);
	return rc ? rc : 1;
}
