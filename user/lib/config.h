/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The in-memory configuration behind struct fs_config. Internal. */
#ifndef FEEDSIEVE_CONFIG_H
#define FEEDSIEVE_CONFIG_H

#include "internal.h"

/* One group as a configuration names it: its channel by name, not by id. */
struct fsi_config_group {
	struct fs_group_key key;
	char channel[FS_CHANNEL_NAME_LEN]; /* never empty: defaults to the group's own text */
	__u8 line;			   /* enum fs_line */
	__u8 feed;
	__u8 flags; /* enum fs_group_flags */
	__u8 proto; /* enum fs_proto, never FS_PROTO_NONE */
	__u8 unit_first, unit_count; /* PITCH units, as fs_group's (unit_count 0: one, bound) */
	struct fs_group_key retransmit; /* the channel's re-request server; addr 0: none */
};

/* Is G a snapshot group (FS_GROUP_F_SNAPSHOT: of its channel, but not one of its lines)? */
static inline bool fsi_config_is_snapshot(const struct fsi_config_group *g)
{
	return g->flags & FS_GROUP_F_SNAPSHOT;
}

/* G's units as the configuration writes them, "1-4" or "3" ("" when it names none). OUT has 8
 * bytes. Returns OUT. */
const char *fsi_config_units_str(const struct fsi_config_group *g, char *out);

/* Channel ids group G's channel takes: one per unit it names, else one. */
static inline size_t fsi_config_group_span(const struct fsi_config_group *g)
{
	return g->unit_count ? g->unit_count : 1;
}

struct fs_config {
	char ifname[IF_NAMESIZE];
	enum fs_attach_mode mode;
	size_t ngroups;
	struct fsi_config_group groups[FS_MAX_GROUPS]; /* sorted by address, then port */
	size_t nsymbols;
	struct fs_symbol *symbols; /* sorted, no duplicates */
	size_t nids;		   /* nsymbols + nids <= FS_MAX_SUBS: they share the slots */
	__u32 *ids;		   /* sorted as signed numbers (as printed), no duplicates */
};

int fsi_config_cmp_key(const struct fs_group_key *a, const struct fs_group_key *b);
int fsi_config_cmp_symbol(const void *a, const void *b);
/* Two __u32 ids, as the signed numbers they are printed as. */
int fsi_config_cmp_id(const void *a, const void *b);
/* The group KEY of CFG, or NULL. */
const struct fsi_config_group *fsi_config_find_group(const struct fs_config *cfg,
						   const struct fs_group_key *key);
/* Is SYM one of CFG's symbols? */
bool fsi_config_has_symbol(const struct fs_config *cfg, const struct fs_symbol *sym);
bool fsi_config_has_id(const struct fs_config *cfg, __u32 id);

/* The same rules and errors as fs_group__add() / fs_group__del(); ERR may be NULL. */
int fsi_config__add_group(struct fs_config *cfg, const struct fs_group_key *key,
			 const struct fs_group_opts *opts, char err[FS_ERR_LEN]);
int fsi_config__del_group(struct fs_config *cfg, const struct fs_group_key *key);
/* Already present symbols (ids) are kept; -ENOSPC beyond FS_MAX_SUBS symbols and ids. */
int fsi_config__add_symbols(struct fs_config *cfg, const struct fs_symbol *syms, size_t n);
/* -ENOENT (and *MISSING set to its index) when one of SYMS is absent; then nothing changes. */
int fsi_config__del_symbols(struct fs_config *cfg, const struct fs_symbol *syms, size_t n,
			   size_t *missing);
int fsi_config__add_ids(struct fs_config *cfg, const __u32 *ids, size_t n);
int fsi_config__del_ids(struct fs_config *cfg, const __u32 *ids, size_t n, size_t *missing);

/* Fill ERR (when not NULL) with a one-line reason and return CODE. */
int fsi_config_fail(char *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Split LINE (modified) into at most MAX words, dropping a '#' comment; a word in double quotes
 * ("BRK A") may hold spaces and loses its quotes. Returns the count, -E2BIG beyond MAX, or
 * -EINVAL for a quote left open. */
int fsi_config_tokens(char *line, char **tok, int max);
/* The reason for a negative count of fsi_config_tokens() (MAX as given to it). */
int fsi_config_tokens_fail(int rc, int max, char err[FS_ERR_LEN]);
/* "ADDR:PORT [proto itch|mdp3|nyse-xdp|pitch] [channel NAME] [line A|B] [feed N] [all-symbols]
 * [drop-malformed] [definitions] [units FIRST[-LAST]] [retransmit ADDR:PORT] [snapshot]" as
 * words. O's channel points into TOK. */
int fsi_config_group_args(char **tok, int ntok, struct fs_group_key *key, struct fs_group_opts *o,
			 char err[FS_ERR_LEN]);

#endif /* FEEDSIEVE_CONFIG_H */
