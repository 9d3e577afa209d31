// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* One change to a configuration, in the words of the CLI: what `feedsieve batch` reads. */
#include <errno.h>
#include <string.h>

#include "config.h"

#define MAX_LINE  4096
#define MAX_WORDS (MAX_LINE / 2 + 1) /* the most a line of MAX_LINE characters holds */

/* "sub add|del SYMBOL..." or "sub add|del --id ID...". */
static int edit_symbols(struct fs_config *cfg, bool add, char **tok, int ntok, char *err)
{
	struct fs_symbol syms[MAX_WORDS];
	__u32 ids[MAX_WORDS];
	bool by_id = ntok > 0 && !strcmp(tok[0], "--id");
	size_t missing = 0, n;
	int i, rc;

	tok += by_id;
	ntok -= by_id;
	n = (size_t)(ntok > 0 ? ntok : 0);
	if (ntok < 1)
		return fsi_config_fail(err, -EINVAL, "sub %s needs at least one %s",
				      add ? "add" : "del", by_id ? "id" : "symbol");
	for (i = 0; i < ntok; i++)
		if (by_id ? fs_parse_id(tok[i], &ids[i], err) : fs_parse_symbol(tok[i], &syms[i], err))
			return -EINVAL;
	if (by_id)
		rc = add ? fsi_config__add_ids(cfg, ids, n) : fsi_config__del_ids(cfg, ids, n, &missing);
	else
		rc = add ? fsi_config__add_symbols(cfg, syms, n)
			 : fsi_config__del_symbols(cfg, syms, n, &missing);
	if (rc == -ENOENT)
		return fsi_config_fail(err, rc, "%s%s is not subscribed", by_id ? "id " : "",
				      tok[missing]);
	if (rc == -ENOSPC)
		return fsi_config_fail(err, rc, "more than %d %s", FS_MAX_SUBS,
				      by_id ? "symbols and ids" : "symbols");
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
		return fsi_config_tokens_fail(ntok, MAX_WORDS, err);
	if (ntok == 0)
		return 0;
	if (ntok < 2 || (strcmp(tok[0], "sub") != 0 && strcmp(tok[0], "group") != 0) ||
	    (strcmp(tok[1], "add") != 0 && strcmp(tok[1], "del") != 0))
		return fsi_config_fail(err, -EINVAL,
				      "expected 'sub add|del SYMBOL...', 'sub add|del --id ID...' or "
				      "'group add|del ADDR:PORT [options]'");
	add = !strcmp(tok[1], "add");
	rc = tok[0][0] == 's' ? edit_symbols(cfg, add, tok + 2, ntok - 2, err)
			      : edit_group(cfg, add, tok + 2, ntok - 2, err);
	return rc ? rc : 1;
}
