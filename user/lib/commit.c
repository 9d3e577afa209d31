// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Making a configuration live, atomically, through the two configuration banks.
 *
 * Bank 0 is fs_groups_0, fs_subs_0 and fs_ids_0, bank 1 fs_groups_1, fs_subs_1 and fs_ids_1;
 * every fs_instruments entry has one subscription mark per bank. The program reads
 * fs_bank.commits once per frame and judges the frame by bank commits & 1. A commit, under the
 * interface lock:
 *
 *   1. waits until every program run that started before has finished: none still judges a frame
 *      by the idle bank, which was live until the previous commit;
 *   2. gives new group ids, subscription slots and channels fresh counters and windows, and writes
 *      the idle bank's maps (removals first, so a full map never refuses an insert), and
 *      fs_servers (not banked: an index the program checks against the group it names);
 *   3. waits again: no run still holds an fs_subs or fs_ids value of the idle bank read before
 *      step 2 (the program's directory learning writes both banks' marks, from both banks' maps);
 *   4. re-marks the learned locates and the id-keyed instruments for the idle bank;
 *   5. makes it live: one atomic increment of fs_bank.commits; then removes the fs_servers
 *      entries of servers no group names any more.
 *
 * The live bank's maps are never written, so a commit killed at any point (even by SIGKILL)
 * leaves the old configuration live and intact, and the next commit rewrites the whole idle bank
 * whatever state it was left in. Group ids, slots and channel ids used by the live bank are never
 * given to anything new, so their counters and windows carry on, and new ones start from zero.
 * Each wait is one RCU grace period (a map-in-map update, see fsi_iface__wait_programs()).
 *
 * Ids subscribed before any definition named them get their fs_instruments slot and
 * fs_inst_index entry before step 1, one per protocol and feed of the groups that key by id, with
 * the live bank's mark: index entries are never removed, and one that agrees with the live bank
 * changes nothing the program decides. Whether the directory has room is known before anything
 * is written (-ENOSPC, nothing changed).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>

#include "config.h"
#include "log.h"

struct live_group {
	struct fs_group_key key;
	struct fs_group bank[FS_BANKS]; /* proto FS_PROTO_NONE: not in that bank */
};

/* A subscription of either kind, compared with memcmp: the fields its kind does not use are 0. */
struct sub_key {
	__u32 kind; /* enum fs_sub_kind */
	__u32 id;   /* FS_SUB_ID */
	struct fs_symbol sym; /* FS_SUB_SYMBOL */
};

struct live_sub {
	struct sub_key k;
	__u32 mark[FS_BANKS]; /* slot + 1 in that bank, or FS_INST_NOT_SUBSCRIBED */
};

/* Both kinds in both banks: at most this many distinct subscriptions. */
#define LIVE_SUBS_MAX (2 * FS_BANKS * FS_MAX_SUBS)

/* What the maps of both banks hold now. */
struct live {
	__u32 bank; /* the live one */
	size_t ngroups;
	struct live_group groups[FS_BANKS * FS_MAX_GROUPS];
	size_t nsubs;
	struct live_sub *subs; /* sorted by key */
	char names[FS_MAX_CHANNELS][FS_CHANNEL_NAME_LEN];
};

/* Index of group K in L, or L->ngroups. */
static size_t live_group_index(const struct live *l, const struct fs_group_key *k)
{
	size_t i;

	for (i = 0; i < l->ngroups && fsi_config_cmp_key(&l->groups[i].key, k) != 0; i++)
		;
	return i;
}

static const struct live_group *live_group_of(const struct live *l, const struct fs_group_key *k)
{
	size_t i = live_group_index(l, k);

	return i < l->ngroups ? &l->groups[i] : NULL;
}

static int read_groups(struct fs_iface *iface, struct live *l)
{
	__u32 bank;

	l->ngroups = 0;
	for (bank = 0; bank < FS_BANKS; bank++) {
		int fd = iface->fds[FS_M_GROUPS_0 + bank];
		struct fs_group_key key, next;
		void *prev = NULL;

		while (bpf_map_get_next_key(fd, prev, &next) == 0) {
			struct live_group *lg;
			struct fs_group g;
			size_t at;

			key = next;
			prev = &key;
			if (bpf_map_lookup_elem(fd, &key, &g))
				continue; /* deleted meanwhile: only by a commit, which we exclude
					   */
			at = live_group_index(l, &key);
			lg = &l->groups[at];
			if (at == l->ngroups) {
				if (l->ngroups == FS_BANKS * FS_MAX_GROUPS)
					return -E2BIG;
				l->ngroups++;
				memset(lg, 0, sizeof(*lg));
				lg->key = key;
			}
			lg->bank[bank] = g;
			if (g.proto == FS_PROTO_NONE) /* it is in this bank: proto marks that */
				lg->bank[bank].proto = FS_PROTO_MOLD_ITCH;
		}
		if (errno != ENOENT)
			return -errno;
	}
	return 0;
}

static int cmp_sub_key(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct sub_key));
}

/* live_sub starts with its key */
#define cmp_live_sub cmp_sub_key

/* The map of KIND in BANK, and where K's key for it is. */
static int sub_map(const struct fs_iface *iface, __u32 kind, __u32 bank, const struct sub_key *k,
		   const void **key)
{
	if (key)
		*key = kind == FS_SUB_ID ? (const void *)&k->id : (const void *)&k->sym;
	return iface->fds[(kind == FS_SUB_ID ? FS_M_IDS_0 : FS_M_SUBS_0) + bank];
}

/* The whole of hash map FD, in batches of many entries per call: at most FS_MAX_SUBS keys of
 * KEY_SIZE bytes into KEYS, their values into VALS. Returns how many, or a negative errno. */
static int read_all(int fd, void *keys, size_t key_size, struct fs_sub *vals)
{
	__u64 in_batch = 0, out_batch = 0; /* hash maps: a bucket cursor */
	size_t n = 0;
	bool first = true;

	while (n < FS_MAX_SUBS) {
		__u32 count = (__u32)(FS_MAX_SUBS - n);
		int err = bpf_map_lookup_batch(fd, first ? NULL : &in_batch, &out_batch,
					       (char *)keys + n * key_size, vals + n, &count, NULL);

		err = err ? -errno : 0;
		n += count;
		if (err == -ENOENT) /* the last batch */
			break;
		if (err)
			return err;
		in_batch = out_batch;
		first = false;
	}
	return (int)n;
}

/* One bank's subscriptions of KIND into L's sorted table. */
static int read_subs_bank(struct fs_iface *iface, struct live *l, __u32 bank, __u32 kind,
			  void *keys, struct fs_sub *vals)
{
	size_t key_size = kind == FS_SUB_ID ? sizeof(__u32) : sizeof(struct fs_symbol);
	int n = read_all(sub_map(iface, kind, bank, NULL, NULL), keys, key_size, vals), i;
	size_t before = l->nsubs;

	for (i = 0; i < n; i++) {
		struct live_sub k = {.k.kind = kind}, *hit = NULL;

		memcpy(kind == FS_SUB_ID ? (void *)&k.k.id : (void *)&k.k.sym,
		       (const char *)keys + (size_t)i * key_size, key_size);
		if (before)
			hit = bsearch(&k, l->subs, before, sizeof(k), cmp_live_sub);
		if (!hit) {
			if (l->nsubs == LIVE_SUBS_MAX)
				return -E2BIG;
			hit = &l->subs[l->nsubs++];
			*hit = k;
		}
		hit->mark[bank] = vals[i].slot + 1;
	}
	qsort(l->subs, l->nsubs, sizeof(*l->subs), cmp_live_sub);
	return n < 0 ? n : 0;
}

static int read_subs(struct fs_iface *iface, struct live *l)
{
	struct fs_symbol *keys = calloc(FS_MAX_SUBS, sizeof(*keys)); /* the larger key */
	struct fs_sub *vals = calloc(FS_MAX_SUBS, sizeof(*vals));
	int err = -ENOMEM;
	__u32 bank, kind;

	l->nsubs = 0;
	l->subs = calloc(LIVE_SUBS_MAX, sizeof(*l->subs));
	if (keys && vals && l->subs)
		for (bank = 0, err = 0; !err && bank < FS_BANKS; bank++)
			for (kind = FS_SUB_SYMBOL; !err && kind <= FS_SUB_ID; kind++)
				err = read_subs_bank(iface, l, bank, kind, keys, vals);
	free(keys);
	free(vals);
	return err;
}

static int read_live(struct fs_iface *iface, struct live *l)
{
	__u32 id;
	int err;

	l->bank = fsi_iface__live_bank(iface);
	err = read_groups(iface, l);
	if (!err)
		err = read_subs(iface, l);
	for (id = 0; !err && id < FS_MAX_CHANNELS; id++) {
		struct fs_channel ch = {};

		if (bpf_map_lookup_elem(iface->fds[FS_M_CHANNELS], &id, &ch))
			err = -errno;
		memcpy(l->names[id], ch.name, FS_CHANNEL_NAME_LEN);
		l->names[id][FS_CHANNEL_NAME_LEN - 1] = '\0';
	}
	return err;
}

static struct live *live_new(void)
{
	return calloc(1, sizeof(struct live));
}

static void live_free(struct live *l)
{
	if (l)
		free(l->subs);
	free(l);
}

/* The live configuration as a struct fs_config (groups sorted, symbols sorted). */
static int live_to_config(const struct live *l, struct fs_config *cfg)
{
	size_t i;

	cfg->ngroups = 0;
	for (i = 0; i < l->ngroups; i++) {
		const struct fs_group *g = &l->groups[i].bank[l->bank];
		struct fsi_config_group *c = &cfg->groups[cfg->ngroups];

		if (g->proto == FS_PROTO_NONE)
			continue;
		c->key = l->groups[i].key;
		memcpy(c->channel, l->names[g->channel], FS_CHANNEL_NAME_LEN);
		c->line = g->line;
		c->feed = g->feed;
		c->flags = g->flags;
		c->proto = g->proto;
		c->unit_first = g->unit_first;
		c->unit_count = g->unit_count;
		c->retransmit = (struct fs_group_key){.addr = g->retrans_addr,
						      .port = g->retrans_port};
		cfg->ngroups++;
	}
	for (i = 1; i < cfg->ngroups; i++) { /* insertion sort: at most 256 */
		struct fsi_config_group t = cfg->groups[i];
		size_t j = i;

		for (; j > 0 && fsi_config_cmp_key(&cfg->groups[j - 1].key, &t.key) > 0; j--)
			cfg->groups[j] = cfg->groups[j - 1];
		cfg->groups[j] = t;
	}
	free(cfg->symbols);
	free(cfg->ids);
	cfg->symbols = malloc((l->nsubs + 1) * sizeof(*cfg->symbols));
	cfg->ids = malloc((l->nsubs + 1) * sizeof(*cfg->ids));
	cfg->nsymbols = cfg->nids = 0;
	if (!cfg->symbols || !cfg->ids)
		return -ENOMEM;
	for (i = 0; i < l->nsubs; i++) { /* the symbols already sorted */
		const struct live_sub *ls = &l->subs[i];

		if (ls->mark[l->bank] == FS_INST_NOT_SUBSCRIBED)
			continue;
		if (ls->k.kind == FS_SUB_ID)
			cfg->ids[cfg->nids++] = ls->k.id;
		else
			cfg->symbols[cfg->nsymbols++] = ls->k.sym;
	}
	qsort(cfg->ids, cfg->nids, sizeof(*cfg->ids), fsi_config_cmp_id);
	return 0;
}

int fs_config__read(struct fs_iface *iface, struct fs_config **out)
{
	struct fs_config *cfg = fs_config__new();
	struct live *l = live_new();
	int err = cfg && l ? fs_iface__lock(iface) : -ENOMEM;

	if (!err) {
		err = read_live(iface, l);
		if (!err)
			err = live_to_config(l, cfg);
		fs_iface__unlock(iface);
	}
	if (!err)
		err = fs_config__set_ifname(cfg, iface->name);
	live_free(l);
	if (err) {
		fs_config__free(cfg);
		return err;
	}
	*out = cfg;
	return 0;
}

__u64 fs_iface__commits(const struct fs_iface *iface)
{
	return __atomic_load_n(&iface->bank->commits, __ATOMIC_ACQUIRE);
}

/* ---- Planning: which ids, channels and slots the new configuration uses ---- */

struct plan {
	__u8 group_id[FS_MAX_GROUPS];	 /* per configuration group */
	__u8 channel_id[FS_MAX_GROUPS];	 /* per configuration group */
	bool id_fresh[FS_MAX_GROUPS];	 /* newly given: counters start from zero */
	bool chan_live[FS_MAX_CHANNELS]; /* used by the live bank */
	bool chan_fresh[FS_MAX_CHANNELS];
	struct sub_key *keys; /* the configuration's symbols and ids, sorted */
	size_t nkeys;
	__u32 *slot;	   /* per key */
	__u64 *slot_fresh; /* bitmap: newly given */
	struct fs_inst_key *dir_missing; /* id-keyed instruments to add to the directory */
	size_t ndir_missing;
};

#define BIT_SET(map, i)	 ((map)[(i) / 64] |= 1ULL << ((i) % 64))
#define BIT_TEST(map, i) (((map)[(i) / 64] >> ((i) % 64)) & 1)

static const struct live_sub *live_sub_of(const struct live *l, const struct sub_key *k)
{
	return l->nsubs ? bsearch(k, l->subs, l->nsubs, sizeof(*l->subs), cmp_live_sub) : NULL;
}

/* CFG's symbols and ids as one sorted table of keys. */
static int plan_keys(const struct fs_config *cfg, struct plan *p)
{
	size_t i;

	p->keys = calloc(cfg->nsymbols + cfg->nids + 1, sizeof(*p->keys));
	if (!p->keys)
		return -ENOMEM;
	for (i = 0; i < cfg->nsymbols; i++)
		p->keys[p->nkeys++].sym = cfg->symbols[i];
	for (i = 0; i < cfg->nids; i++) {
		p->keys[p->nkeys].kind = FS_SUB_ID;
		p->keys[p->nkeys++].id = cfg->ids[i];
	}
	qsort(p->keys, p->nkeys, sizeof(*p->keys), cmp_sub_key);
	return 0;
}

/* Channel ids live group G's channel takes: one per unit it names, else one. */
static unsigned live_span(const struct fs_group *g)
{
	return g->unit_count ? g->unit_count : 1;
}

/*
 * A live channel carries on (same id, window, session and counters) only when the new
 * configuration keeps one of its groups in it under the same name and feed (and, for PITCH, the
 * same units: each unit's id keeps its place). A channel that only keeps its name, for a
 * different stream, gets a fresh id: its old window would make the program drop the new
 * stream's frames as another session's. CARRY_ON marks the first id of such a channel.
 */
static void continuing_channels(const struct live *l, const struct fs_config *cfg,
				bool carry_on[FS_MAX_CHANNELS])
{
	size_t i;

	for (i = 0; i < l->ngroups; i++) {
		const struct fs_group *g = &l->groups[i].bank[l->bank];
		const struct fsi_config_group *c;

		if (g->proto == FS_PROTO_NONE)
			continue;
		c = fsi_config_find_group(cfg, &l->groups[i].key);
		if (c && c->feed == g->feed && !strcmp(c->channel, l->names[g->channel]) &&
		    c->unit_first == g->unit_first && c->unit_count == g->unit_count)
			carry_on[g->channel] = true;
	}
}

/* Are the SPAN ids from FIRST free (none past the table: unit channels never wrap)? */
static bool chans_free(const bool taken[FS_MAX_CHANNELS], __u32 first, size_t span)
{
	size_t k;

	if (first + span > FS_MAX_CHANNELS)
		return false;
	for (k = 0; k < span; k++)
		if (taken[first + k])
			return false;
	return true;
}

/*
 * Group ids and channel ids of the new configuration. Fresh channel ids are handed out round
 * robin (fs_bank.next_channel), so an id is reused as late as possible: consumers keep per-channel
 * state, and learn of a change only at their next sync.
 */
static int plan_groups(struct fs_iface *iface, const struct live *l, const struct fs_config *cfg,
		       struct plan *p)
{
	bool id_taken[FS_MAX_GROUPS] = {}, chan_taken[FS_MAX_CHANNELS] = {};
	bool carry_on[FS_MAX_CHANNELS] = {};
	__u32 next_id = 0, next_chan = iface->bank->next_channel % FS_MAX_CHANNELS, tried;
	size_t i, j;

	for (i = 0; i < l->ngroups; i++) {
		const struct fs_group *g = &l->groups[i].bank[l->bank];

		if (g->proto == FS_PROTO_NONE)
			continue;
		id_taken[g->id] = true;
		for (j = 0; j < live_span(g) && g->channel + j < FS_MAX_CHANNELS; j++)
			p->chan_live[g->channel + j] = chan_taken[g->channel + j] = true;
	}
	continuing_channels(l, cfg, carry_on);
	for (i = 0; i < cfg->ngroups; i++) {
		const struct fsi_config_group *c = &cfg->groups[i];
		const struct live_group *lg = live_group_of(l, &c->key);
		const struct fs_group *g = lg ? &lg->bank[l->bank] : NULL;
		size_t span = fsi_config_group_span(c);
		int chan = -1;

		if (g && g->proto != FS_PROTO_NONE) { /* a group that stays keeps its id */
			p->group_id[i] = g->id;
		} else {
			while (next_id < FS_MAX_GROUPS && id_taken[next_id])
				next_id++;
			if (next_id == FS_MAX_GROUPS)
				return -ENOSPC;
			p->group_id[i] = (__u8)next_id;
			id_taken[next_id] = p->id_fresh[next_id] = true;
		}
		for (j = 0; j < FS_MAX_CHANNELS && chan < 0; j++)
			if (carry_on[j] && !strcmp(l->names[j], c->channel))
				chan = (int)j;
		for (j = 0; j < i && chan < 0; j++) /* a fresh channel given to an earlier group */
			if (!strcmp(cfg->groups[j].channel, c->channel))
				chan = p->channel_id[j];
		for (tried = 0; chan < 0 && tried < FS_MAX_CHANNELS; tried++) {
			if (chans_free(chan_taken, next_chan, span))
				chan = (int)next_chan;
			next_chan = (next_chan + (chan < 0 ? 1 : (__u32)span)) % FS_MAX_CHANNELS;
		}
		if (chan < 0)
			return -ENOSPC;
		for (j = 0; j < span; j++)
			if (!chan_taken[chan + j])
				chan_taken[chan + j] = p->chan_fresh[chan + j] = true;
		p->channel_id[i] = (__u8)chan;
	}
	iface->bank->next_channel = next_chan; /* a hint: harmless if the commit stops here */
	return 0;
}

static int plan_slots(const struct live *l, struct plan *p)
{
	size_t words = FS_MAX_SUBS / 64, i;
	__u64 *taken = calloc(words, sizeof(__u64));
	__u32 next = 0;

	p->slot = calloc(p->nkeys + 1, sizeof(*p->slot));
	p->slot_fresh = calloc(words, sizeof(__u64));
	if (!taken || !p->slot || !p->slot_fresh) {
		free(taken);
		return -ENOMEM;
	}
	for (i = 0; i < l->nsubs; i++) {
		__u32 m = l->subs[i].mark[l->bank];

		if (m != FS_INST_NOT_SUBSCRIBED && m <= FS_MAX_SUBS)
			BIT_SET(taken, m - 1);
	}
	for (i = 0; i < p->nkeys; i++) {
		const struct live_sub *ls = live_sub_of(l, &p->keys[i]);
		__u32 m = ls ? ls->mark[l->bank] : FS_INST_NOT_SUBSCRIBED;

		if (m != FS_INST_NOT_SUBSCRIBED && m <= FS_MAX_SUBS) {
			p->slot[i] = m - 1;
			continue;
		}
		while (next < FS_MAX_SUBS && BIT_TEST(taken, next))
			next++;
		if (next == FS_MAX_SUBS) {
			free(taken);
			return -ENOSPC;
		}
		p->slot[i] = next;
		BIT_SET(taken, next);
		BIT_SET(p->slot_fresh, next);
	}
	free(taken);
	return 0;
}

static void plan_free(struct plan *p)
{
	if (!p)
		return;
	free(p->keys);
	free(p->slot);
	free(p->slot_fresh);
	free(p->dir_missing);
	free(p);
}

/* Does CFG equal the live configuration exactly (then there is nothing to commit)? */
static bool same_as_live(const struct live *l, const struct fs_config *cfg)
{
	struct fs_config *cur = fs_config__new();
	bool same = false;
	size_t i;

	if (!cur || live_to_config(l, cur))
		goto out;
	if (cur->ngroups != cfg->ngroups || cur->nsymbols != cfg->nsymbols ||
	    cur->nids != cfg->nids)
		goto out;
	for (i = 0; i < cfg->ngroups; i++) {
		const struct fsi_config_group *a = &cur->groups[i], *b = &cfg->groups[i];

		if (fsi_config_cmp_key(&a->key, &b->key) || strcmp(a->channel, b->channel) != 0 ||
		    a->line != b->line || a->feed != b->feed || a->flags != b->flags ||
		    a->proto != b->proto || a->unit_first != b->unit_first ||
		    a->unit_count != b->unit_count ||
		    memcmp(&a->retransmit, &b->retransmit, sizeof(a->retransmit)) != 0)
			goto out;
	}
	same = (!cfg->nsymbols ||
		!memcmp(cur->symbols, cfg->symbols, cfg->nsymbols * sizeof(*cfg->symbols))) &&
	       (!cfg->nids || !memcmp(cur->ids, cfg->ids, cfg->nids * sizeof(*cfg->ids)));
out:
	fs_config__free(cur);
	return same;
}

/* ---- Writing the idle bank ---- */

/* The mark key K carries in the new configuration. */
static __u32 new_mark(const struct plan *p, const struct sub_key *k)
{
	const struct sub_key *hit =
	    p->nkeys ? bsearch(k, p->keys, p->nkeys, sizeof(*k), cmp_sub_key) : NULL;

	return hit ? p->slot[hit - p->keys] + 1 : FS_INST_NOT_SUBSCRIBED;
}

/* Step 2b: the idle bank's fs_subs and fs_ids: removals first, then what is new or changed. */
static int write_subs(struct fs_iface *iface, const struct live *l, const struct plan *p,
		      __u32 idle)
{
	const void *key;
	size_t i;

	for (i = 0; i < l->nsubs; i++) {
		const struct sub_key *k = &l->subs[i].k;
		int fd = sub_map(iface, k->kind, idle, k, &key);

		if (l->subs[i].mark[idle] != FS_INST_NOT_SUBSCRIBED &&
		    new_mark(p, k) == FS_INST_NOT_SUBSCRIBED && bpf_map_delete_elem(fd, key) &&
		    errno != ENOENT)
			return -errno;
	}
	for (i = 0; i < p->nkeys; i++) {
		const struct live_sub *ls = live_sub_of(l, &p->keys[i]);
		int fd = sub_map(iface, p->keys[i].kind, idle, &p->keys[i], &key);
		struct fs_sub v = {.slot = p->slot[i]};

		if (ls && ls->mark[idle] == v.slot + 1)
			continue;
		if (bpf_map_update_elem(fd, key, &v, BPF_ANY))
			return errno == E2BIG ? -ENOSPC : -errno;
	}
	return 0;
}

/* Step 2c: the idle bank's fs_groups, the same way. */
static int write_groups(struct fs_iface *iface, const struct live *l, const struct fs_config *cfg,
			const struct plan *p, __u32 idle)
{
	int fd = iface->fds[FS_M_GROUPS_0 + idle];
	size_t i;

	for (i = 0; i < l->ngroups; i++)
		if (l->groups[i].bank[idle].proto != FS_PROTO_NONE &&
		    !fsi_config_find_group(cfg, &l->groups[i].key) &&
		    bpf_map_delete_elem(fd, &l->groups[i].key) && errno != ENOENT)
			return -errno;
	for (i = 0; i < cfg->ngroups; i++) {
		const struct fsi_config_group *c = &cfg->groups[i];
		const struct live_group *lg = live_group_of(l, &c->key);
		struct fs_group g = {
		    .id = p->group_id[i],
		    .proto = c->proto,
		    .feed = c->feed,
		    .flags = c->flags,
		    .channel = p->channel_id[i],
		    .line = c->line,
		    .unit_first = c->unit_first,
		    .unit_count = c->unit_count,
		    .retrans_addr = c->retransmit.addr,
		    .retrans_port = c->retransmit.port,
		};

		if (lg && !memcmp(&lg->bank[idle], &g, sizeof(g)))
			continue;
		if (bpf_map_update_elem(fd, &c->key, &g, BPF_ANY))
			return errno == E2BIG ? -ENOSPC : -errno;
	}
	return 0;
}

/* ---- fs_servers: the index from a re-request server to a group naming it ---- */

/* The first group of CFG that names server SRV, or NULL. */
static const struct fsi_config_group *server_group(const struct fs_config *cfg,
						  const struct fs_group_key *srv)
{
	size_t i;

	for (i = 0; i < cfg->ngroups; i++)
		if (cfg->groups[i].retransmit.addr &&
		    !memcmp(&cfg->groups[i].retransmit, srv, sizeof(*srv)))
			return &cfg->groups[i];
	return NULL;
}

/* Does the group the fs_servers entry SRV points at, in the bank whose groups map is GROUPS_FD,
 * name SRV? Then the program takes that server's answers by this entry. */
static bool server_in_bank(int servers_fd, int groups_fd, const struct fs_group_key *srv)
{
	struct fs_group_key gk;
	struct fs_group g;

	return !bpf_map_lookup_elem(servers_fd, srv, &gk) &&
	       !bpf_map_lookup_elem(groups_fd, &gk, &g) && g.retrans_addr == srv->addr &&
	       g.retrans_port == srv->port;
}

/*
 * Remove the fs_servers entries that CFG does not name and, when LIVE_GROUPS_FD >= 0 (before
 * the flip), that the live bank does not use either: after the flip, the servers the old
 * configuration named; before it, what a commit that stopped halfway left, so that the new
 * servers find room. Failing here changes nothing the program decides, so it is only said.
 */
static void remove_stale_servers(struct fs_iface *iface, const struct fs_config *cfg,
				 int live_groups_fd)
{
	int fd = iface->fds[FS_M_SERVERS];
	struct fs_group_key k, next, stale[FS_SERVERS_ENTRIES];
	size_t n = 0, i;
	int ret = bpf_map_get_next_key(fd, NULL, &k);

	while (!ret && n < FS_SERVERS_ENTRIES) {
		if (!server_group(cfg, &k) &&
		    (live_groups_fd < 0 || !server_in_bank(fd, live_groups_fd, &k)))
			stale[n++] = k;
		ret = bpf_map_get_next_key(fd, &k, &next);
		k = next;
	}
	for (i = 0; i < n; i++)
		if (bpf_map_delete_elem(fd, &stale[i]) && errno != ENOENT)
			pr_warn("%s: cannot remove a stale fs_servers entry: %s\n", iface->name,
				strerror(errno));
}

/*
 * Before the flip: every server CFG names points at a group of CFG that names it. An entry that
 * already does is left alone; the program checks the group it finds against the server, so an
 * entry pointing at a group the live bank does not have yet only passes a response until the
 * flip. Not banked, and it needs no wait: a stale or half-seen entry can only fail that check.
 * The map holds the live configuration's servers and a new one's (FS_SERVERS_ENTRIES); entries
 * neither uses are removed first. LIVE is the live bank.
 */
static int write_servers(struct fs_iface *iface, const struct fs_config *cfg, __u32 live)
{
	int fd = iface->fds[FS_M_SERVERS];
	size_t i;

	remove_stale_servers(iface, cfg, iface->fds[live ? FS_M_GROUPS_1 : FS_M_GROUPS_0]);

	for (i = 0; i < cfg->ngroups; i++) {
		const struct fsi_config_group *c = &cfg->groups[i], *cur;
		struct fs_group_key got;

		if (!c->retransmit.addr || server_group(cfg, &c->retransmit) != c)
			continue; /* none, or not the first group naming it */
		if (!bpf_map_lookup_elem(fd, &c->retransmit, &got)) {
			cur = fsi_config_find_group(cfg, &got);
			if (cur && !memcmp(&cur->retransmit, &c->retransmit, sizeof(got)))
				continue;
		}
		if (bpf_map_update_elem(fd, &c->retransmit, &c->key, BPF_ANY))
			return errno == E2BIG ? -ENOSPC : -errno;
	}
	return 0;
}

/*
 * Zero the consumers' record of channel ID for a new channel, and give it a new incarnation
 * (never 0, never one used before, even by a commit that stopped halfway): a consumer that knew
 * the id by its old channel forgets it (user/lib/sequencer.c). Consumers update these fields
 * with atomic operations, so they are cleared one by one, the incarnation last and only once.
 */
static void fresh_chan_events(struct fs_iface *iface, __u32 id)
{
	struct fs_chan_events *ev = &iface->chan_events[id];
	__u32 inc = ++iface->bank->incarnations;

#define ZERO_(name, desc) __atomic_store_n(&ev->name, 0, __ATOMIC_RELAXED);
	FS_CHAN_EVENT_FIELDS(ZERO_)
#undef ZERO_
	__atomic_store_n(&ev->resume_next, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&ev->resume_session, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&ev->incarnation, inc ? inc : ++iface->bank->incarnations,
			 __ATOMIC_RELEASE);
}

/* Step 2a: counters, windows and names for what is new, names of channels now unused cleared. */
static int prepare_fresh(struct fs_iface *iface, const struct live *l, const struct fs_config *cfg,
			 const struct plan *p)
{
	__u32 id;
	size_t i;
	int err = 0;

	for (id = 0; !err && id < FS_MAX_GROUPS; id++)
		if (p->id_fresh[id])
			err =
			    fsi_percpu_zero(iface, FS_M_GROUP_STATS, id, sizeof(struct fs_counters));
	for (id = 0; !err && id < FS_MAX_SUBS; id++)
		if (BIT_TEST(p->slot_fresh, id))
			err = fsi_percpu_zero(iface, FS_M_SYM_STATS, id,
					     sizeof(struct fs_sym_counters));
	for (id = 0; !err && id < FS_MAX_CHANNELS; id++) {
		struct fs_channel ch = {};

		if (p->chan_live[id] || (!p->chan_fresh[id] && !l->names[id][0]))
			continue; /* in use (its name and window stay), or already unnamed */
		if (p->chan_fresh[id]) {
			/* No live group refers to it and no run still uses an older bank. */
			memset(&iface->windows[id], 0, sizeof(iface->windows[id]));
			fresh_chan_events(iface, id);
			/* Every unit's id is named by its channel's name. */
			for (i = 0; i < cfg->ngroups; i++)
				if (id >= p->channel_id[i] &&
				    id < p->channel_id[i] + fsi_config_group_span(&cfg->groups[i]))
					snprintf(ch.name, sizeof(ch.name), "%s",
						 cfg->groups[i].channel);
		}
		if (bpf_map_update_elem(iface->fds[FS_M_CHANNELS], &id, &ch, BPF_ANY))
			err = -errno;
	}
	return err;
}

/* What an fs_instruments entry's mark depends on, read together. */
struct inst_view {
	__u32 flags;
	struct fs_symbol sym;
};

static void read_view(const struct fs_instrument *e, struct inst_view *v)
{
	v->flags = __atomic_load_n(&e->flags, __ATOMIC_ACQUIRE);
	memcpy(&v->sym, &e->symbol, sizeof(v->sym));
}

/* The mark of entry E as V shows it: its id's subscription wins, then its name's. */
static __u32 entry_mark(const struct plan *p, const struct fs_instrument *e,
			const struct inst_view *v)
{
	struct sub_key k = {.kind = FS_SUB_ID};
	__u32 mark = FS_INST_NOT_SUBSCRIBED;

	if (v->flags & FS_INST_F_ID) {
		k.id = e->id; /* written before the flag, never changed after */
		mark = new_mark(p, &k);
	}
	if (mark == FS_INST_NOT_SUBSCRIBED && (v->flags & FS_INST_F_KNOWN)) {
		memset(&k, 0, sizeof(k));
		k.sym = v->sym;
		mark = new_mark(p, &k);
	}
	return mark;
}

/*
 * Step 4: every learned locate and every id-keyed instrument gets its mark in the idle bank. The
 * program may re-assign a locate to another symbol, or learn the definition of an id, while we
 * read it: it writes the symbol (and the known flag), then exchanges the marks (a full barrier).
 * We write the mark, then (after a full barrier) read flags and symbol again, and go round once
 * more if they changed. Either the program's exchange comes after our write (its mark, from the
 * new fs_subs and fs_ids since step 3, is right), or we see its new symbol.
 */
static void remark_entry(struct fs_instrument *e, const struct plan *p, __u32 idle)
{
	struct inst_view before, after;

	read_view(e, &after);
	if (!(after.flags & (FS_INST_F_KNOWN | FS_INST_F_ID)))
		return;
	do {
		__u32 mark;

		before = after;
		mark = entry_mark(p, e, &before);
		if (__atomic_load_n(&e->sub[idle], __ATOMIC_RELAXED) != mark)
			__atomic_exchange_n(&e->sub[idle], mark, __ATOMIC_SEQ_CST);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		read_view(e, &after);
	} while (memcmp(&before, &after, sizeof(after)) != 0);
}

/* Id-keyed slots handed out so far (the count runs past the end once the directory is full). */
static size_t id_slots_used(const struct fs_iface *iface)
{
	__u32 n = __atomic_load_n(&iface->bank->inst_next, __ATOMIC_ACQUIRE);

	return n < FS_MAX_INSTRUMENTS ? n : FS_MAX_INSTRUMENTS;
}

static void remark_instruments(struct fs_iface *iface, const struct plan *p, __u32 idle)
{
	size_t end = FS_LOCATE_SLOTS + id_slots_used(iface), i;

	for (i = 0; i < end; i++)
		remark_entry(&iface->instruments[i], p, idle);
}

/* ---- Ids subscribed before any definition: their directory entries ---- */

/* ITCH keys instruments by locate (slots of their own), MDP3 and NYSE by id (SecurityID,
 * SymbolIndex); PITCH by the inline symbol's name alone. */
static bool keys_by_id(__u8 proto)
{
	return proto == FS_PROTO_MDP3 || proto == FS_PROTO_NYSE_XDP;
}

static int cmp_inst_key(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct fs_inst_key));
}

/*
 * Which (protocol, feed, id) of the new configuration have no directory entry yet, and whether
 * the directory has room for them. The entries are read from the mmapped table, not looked up
 * one by one: a slot with FS_INST_F_ID set has its index entry, or is about to get it (its
 * writer may lose the insert to another, which has it then).
 */
static int plan_directory(const struct fs_iface *iface, const struct fs_config *cfg,
			  struct plan *p)
{
	struct fs_inst_key ns[FS_PROTO_COUNT * FS_MAX_FEEDS], *have;
	size_t nns = 0, nhave = 0, used = id_slots_used(iface), i, j;

	for (i = 0; i < cfg->ngroups; i++) {
		struct fs_inst_key k = {.proto = cfg->groups[i].proto, .feed = cfg->groups[i].feed};

		for (j = 0; j < nns && cmp_inst_key(&ns[j], &k); j++)
			;
		if (keys_by_id(k.proto) && j == nns)
			ns[nns++] = k;
	}
	if (!nns || !cfg->nids)
		return 0;
	have = calloc(used + 1, sizeof(*have));
	p->dir_missing = calloc(nns * cfg->nids, sizeof(*p->dir_missing));
	if (!have || !p->dir_missing) {
		free(have);
		return -ENOMEM;
	}
	for (i = 0; i < used; i++) {
		const struct fs_instrument *e = &iface->instruments[FS_LOCATE_SLOTS + i];

		if (!(__atomic_load_n(&e->flags, __ATOMIC_ACQUIRE) & FS_INST_F_ID))
			continue;
		have[nhave++] = (struct fs_inst_key){.proto = e->proto, .feed = e->feed, .id = e->id};
	}
	qsort(have, nhave, sizeof(*have), cmp_inst_key);
	for (i = 0; i < nns; i++) {
		for (j = 0; j < cfg->nids; j++) {
			struct fs_inst_key k = ns[i];

			k.id = cfg->ids[j];
			if (!nhave || !bsearch(&k, have, nhave, sizeof(k), cmp_inst_key))
				p->dir_missing[p->ndir_missing++] = k;
		}
	}
	free(have);
	return p->ndir_missing > FS_MAX_INSTRUMENTS - used ? -ENOSPC : 0;
}

/*
 * A slot for K, as the program takes one: the next slot, the whole entry written (the live
 * bank's mark included; step 4 marks the idle bank), then the index entry, BPF_NOEXIST. When the
 * program (or a reader's race) inserted K first, ours stays unused (flags 0).
 */
static int add_dir_entry(struct fs_iface *iface, const struct live *l, const struct fs_inst_key *k)
{
	struct sub_key sk = {.kind = FS_SUB_ID, .id = k->id};
	const struct live_sub *ls = live_sub_of(l, &sk);
	__u32 n, slot;
	struct fs_instrument *e;

	/* As the program does: never add to a counter at its end, or it would wrap. */
	if (__atomic_load_n(&iface->bank->inst_next, __ATOMIC_ACQUIRE) >= FS_MAX_INSTRUMENTS)
		return -ENOSPC;
	n = __atomic_fetch_add(&iface->bank->inst_next, 1, __ATOMIC_SEQ_CST);
	if (n >= FS_MAX_INSTRUMENTS)
		return -ENOSPC; /* the program took the room meanwhile */
	slot = FS_LOCATE_SLOTS + n;
	e = &iface->instruments[slot];
	memset(&e->symbol, 0, sizeof(e->symbol));
	e->id = k->id;
	e->proto = k->proto;
	e->feed = k->feed;
	e->sub[l->bank] = ls ? ls->mark[l->bank] : FS_INST_NOT_SUBSCRIBED;
	e->sub[!l->bank] = FS_INST_NOT_SUBSCRIBED;
	__atomic_store_n(&e->flags, FS_INST_F_ID, __ATOMIC_RELEASE);
	if (bpf_map_update_elem(iface->fds[FS_M_INST_INDEX], k, &slot, BPF_NOEXIST)) {
		int err = errno;

		__atomic_store_n(&e->flags, 0, __ATOMIC_RELEASE);
		return err == EEXIST ? 0 : -err;
	}
	__atomic_fetch_add(&iface->bank->inst_indexed, 1, __ATOMIC_SEQ_CST);
	return 0;
}

static int add_dir_entries(struct fs_iface *iface, const struct live *l, const struct plan *p)
{
	size_t i;
	int err = 0;

	for (i = 0; !err && i < p->ndir_missing; i++)
		err = add_dir_entry(iface, l, &p->dir_missing[i]);
	return err;
}

static int commit_locked(struct fs_iface *iface, const struct fs_config *cfg)
{
	struct live *l = live_new();
	struct plan *p = calloc(1, sizeof(*p));
	__u32 idle;
	int err;

	if (!l || !p) {
		err = -ENOMEM;
		goto out;
	}
	err = read_live(iface, l);
	if (err || same_as_live(l, cfg))
		goto out;
	idle = !l->bank;
	err = plan_groups(iface, l, cfg, p);
	if (!err)
		err = plan_keys(cfg, p);
	if (!err)
		err = plan_slots(l, p);
	if (!err)
		err = plan_directory(iface, cfg, p);
	if (!err)
		err = add_dir_entries(iface, l, p);
	if (!err)
		err = fsi_iface__wait_programs(iface); /* 1 */
	if (!err)
		err = prepare_fresh(iface, l, cfg, p); /* 2 */
	if (!err)
		err = write_subs(iface, l, p, idle);
	if (!err)
		err = write_groups(iface, l, cfg, p, idle);
	if (!err)
		err = write_servers(iface, cfg, l->bank);
	if (!err)
		err = fsi_iface__wait_programs(iface); /* 3 */
	if (err)
		goto out; /* the live bank is untouched; the next commit rewrites the idle one */
	remark_instruments(iface, p, idle);				/* 4 */
	__atomic_fetch_add(&iface->bank->commits, 1, __ATOMIC_SEQ_CST); /* 5 */
	remove_stale_servers(iface, cfg, -1);
	pr_info("%s: configuration %llu live (bank %u): %zu groups, %zu symbols, %zu ids\n",
		iface->name, (unsigned long long)fs_iface__commits(iface), idle, cfg->ngroups,
		cfg->nsymbols, cfg->nids);
out:
	live_free(l);
	plan_free(p);
	return err;
}

int fs_config__commit(struct fs_iface *iface, const struct fs_config *cfg)
{
	int err = fs_iface__lock(iface);

	if (err)
		return err;
	err = commit_locked(iface, cfg);
	fs_iface__unlock(iface);
	return err;
}
