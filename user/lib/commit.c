// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Making a configuration live, atomically, through the two configuration banks.
 *
 * Every entry of fs_groups, fs_subs and fs_locates holds one value per bank, and the program reads
 * the bank fs_bank.active names, once per frame. A commit, under the interface lock:
 *
 *   1. writes the new subscriptions into the idle bank of fs_subs;
 *   2. waits until every program run that started before has finished. After that no run still
 *      judges a frame by the idle bank (it was last live before the previous commit's switch),
 *      and no run still holds an fs_subs value read before step 1;
 *   3. gives new group ids, subscription slots and channels fresh counters and windows, writes the
 *      idle bank of fs_groups, and re-marks the learned locates of fs_locates for the idle bank;
 *   4. switches: one atomic store to fs_bank.active.
 *
 * Until step 4 the live bank is untouched, so a commit killed at any point leaves the old
 * configuration live, and the next commit rewrites the whole idle bank whatever state it was left
 * in. Group ids, slots and channel ids still live in the old configuration are never reused by
 * the new one, so their counters and windows carry on (or start from zero) cleanly.
 *
 * The program learns Stock Directory entries while we work and writes a locate's mark in both
 * banks from fs_subs (bpf/mold_itch.bpf.h). Step 2 makes every such write after it agree with the
 * new fs_subs; the re-marking in step 3 handles a locate re-assigned to another symbol meanwhile
 * (see remark_locates()).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>

#include "config.h"
#include "log.h"

struct live_group {
	struct fs_group_key key;
	struct fs_group_banks v;
};

struct live_sub {
	struct fs_symbol sym;
	struct fs_sub v;
};

/* What the maps hold now, both banks. */
struct live {
	__u32 bank; /* the live one */
	size_t ngroups;
	struct live_group groups[FS_MAX_GROUPS];
	size_t nsubs;
	struct live_sub *subs; /* sorted by symbol */
	char names[FS_MAX_CHANNELS][FS_CHANNEL_NAME_LEN];
};

static int read_groups(struct fs_iface *iface, struct live *l)
{
	struct fs_group_key key, next;
	void *prev = NULL;

	l->ngroups = 0;
	while (bpf_map_get_next_key(iface->fds[FS_M_GROUPS], prev, &next) == 0) {
		key = next;
		prev = &key;
		if (l->ngroups == FS_MAX_GROUPS)
			return -E2BIG;
		if (bpf_map_lookup_elem(iface->fds[FS_M_GROUPS], &key, &l->groups[l->ngroups].v))
			continue; /* deleted meanwhile: only by a commit, which we exclude */
		l->groups[l->ngroups++].key = key;
	}
	return errno == ENOENT ? 0 : -errno;
}

static int cmp_live_sub(const void *a, const void *b)
{
	return fs_config_cmp_symbol(&((const struct live_sub *)a)->sym,
				    &((const struct live_sub *)b)->sym);
}

/* The whole of fs_subs, in batches of many entries per system call. */
static int read_subs(struct fs_iface *iface, struct live *l)
{
	size_t max = FS_MAX_SUBS;
	struct fs_symbol *keys = calloc(max, sizeof(*keys));
	struct fs_sub *vals = calloc(max, sizeof(*vals));
	__u64 in_batch = 0, out_batch = 0; /* hash maps: a bucket cursor */
	bool first = true;
	size_t n = 0, i;
	int err = 0;

	l->subs = calloc(max, sizeof(*l->subs));
	if (!keys || !vals || !l->subs) {
		err = -ENOMEM;
		goto out;
	}
	for (;;) {
		__u32 count = (__u32)(max - n);

		if (!count)
			break;
		err = bpf_map_lookup_batch(iface->fds[FS_M_SUBS], first ? NULL : &in_batch,
					   &out_batch, keys + n, vals + n, &count, NULL);
		if (err)
			err = -errno;
		n += count;
		if (err == -ENOENT) {
			err = 0;
			break;
		}
		if (err)
			goto out;
		in_batch = out_batch;
		first = false;
	}
	for (i = 0; i < n; i++) {
		l->subs[i].sym = keys[i];
		l->subs[i].v = vals[i];
	}
	l->nsubs = n;
	qsort(l->subs, n, sizeof(*l->subs), cmp_live_sub);
out:
	free(keys);
	free(vals);
	return err;
}

static int read_live(struct fs_iface *iface, struct live *l)
{
	__u32 id;
	int err;

	l->bank = fs_iface__live_bank(iface);
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
		const struct fs_group *g = &l->groups[i].v.bank[l->bank];
		struct fs_config_group *c = &cfg->groups[cfg->ngroups];

		if (g->proto == FS_PROTO_NONE)
			continue;
		c->key = l->groups[i].key;
		memcpy(c->channel, l->names[g->channel], FS_CHANNEL_NAME_LEN);
		c->line = g->line;
		c->feed = g->feed;
		c->flags = g->flags;
		cfg->ngroups++;
	}
	for (i = 1; i < cfg->ngroups; i++) { /* insertion sort: at most 256 */
		struct fs_config_group t = cfg->groups[i];
		size_t j = i;

		for (; j > 0 && fs_config_cmp_key(&cfg->groups[j - 1].key, &t.key) > 0; j--)
			cfg->groups[j] = cfg->groups[j - 1];
		cfg->groups[j] = t;
	}
	free(cfg->symbols);
	cfg->symbols = malloc((l->nsubs + 1) * sizeof(*cfg->symbols));
	if (!cfg->symbols)
		return -ENOMEM;
	cfg->cap = l->nsubs + 1;
	cfg->nsymbols = 0;
	for (i = 0; i < l->nsubs; i++) /* already sorted */
		if (l->subs[i].v.mark[l->bank] != FS_LOCATE_NOT_SUBSCRIBED)
			cfg->symbols[cfg->nsymbols++] = l->subs[i].sym;
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
	bool id_live[FS_MAX_GROUPS];	 /* used by the live bank */
	bool id_fresh[FS_MAX_GROUPS];	 /* newly given: counters start from zero */
	bool chan_live[FS_MAX_CHANNELS]; /* used by the live bank */
	bool chan_used[FS_MAX_CHANNELS]; /* used by the new configuration */
	bool chan_fresh[FS_MAX_CHANNELS];
	__u32 *slot;	   /* per configuration symbol */
	__u64 *slot_live;  /* bitmap: used by the live bank */
	__u64 *slot_fresh; /* bitmap: newly given */
};

#define BIT_SET(map, i)	 ((map)[(i) / 64] |= 1ULL << ((i) % 64))
#define BIT_TEST(map, i) (((map)[(i) / 64] >> ((i) % 64)) & 1)

static const struct live_group *live_group_of(const struct live *l, const struct fs_group_key *k)
{
	size_t i;

	for (i = 0; i < l->ngroups; i++)
		if (!fs_config_cmp_key(&l->groups[i].key, k))
			return &l->groups[i];
	return NULL;
}

static const struct live_sub *live_sub_of(const struct live *l, const struct fs_symbol *sym)
{
	struct live_sub k = {.sym = *sym};

	return l->nsubs ? bsearch(&k, l->subs, l->nsubs, sizeof(k), cmp_live_sub) : NULL;
}

static int plan_groups(const struct live *l, const struct fs_config *cfg, struct plan *p)
{
	bool id_taken[FS_MAX_GROUPS] = {}, chan_taken[FS_MAX_CHANNELS] = {};
	size_t i, j;
	__u32 next_id = 0, next_chan = 0;

	for (i = 0; i < l->ngroups; i++) {
		const struct fs_group *g = &l->groups[i].v.bank[l->bank];

		if (g->proto == FS_PROTO_NONE)
			continue;
		p->id_live[g->id] = id_taken[g->id] = true;
		p->chan_live[g->channel] = chan_taken[g->channel] = true;
	}
	/* Groups and channels that stay keep their ids. */
	for (i = 0; i < cfg->ngroups; i++) {
		const struct live_group *lg = live_group_of(l, &cfg->groups[i].key);
		const struct fs_group *g = lg ? &lg->v.bank[l->bank] : NULL;
		int chan = -1;

		if (g && g->proto != FS_PROTO_NONE) {
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
			if (p->chan_live[j] && !strcmp(l->names[j], cfg->groups[i].channel))
				chan = (int)j;
		for (j = 0; j < i && chan < 0; j++) /* a fresh channel given to an earlier group */
			if (!strcmp(cfg->groups[j].channel, cfg->groups[i].channel))
				chan = p->channel_id[j];
		if (chan < 0) {
			while (next_chan < FS_MAX_CHANNELS && chan_taken[next_chan])
				next_chan++;
			if (next_chan == FS_MAX_CHANNELS)
				return -ENOSPC;
			chan = (int)next_chan;
			chan_taken[chan] = p->chan_fresh[chan] = true;
		}
		p->channel_id[i] = (__u8)chan;
		p->chan_used[chan] = true;
	}
	return 0;
}

static int plan_slots(const struct live *l, const struct fs_config *cfg, struct plan *p)
{
	size_t words = FS_MAX_SUBS / 64, i;
	__u64 *taken = calloc(words, sizeof(__u64));
	__u32 next = 0;

	p->slot = calloc(cfg->nsymbols + 1, sizeof(*p->slot));
	p->slot_live = calloc(words, sizeof(__u64));
	p->slot_fresh = calloc(words, sizeof(__u64));
	if (!taken || !p->slot || !p->slot_live || !p->slot_fresh) {
		free(taken);
		return -ENOMEM;
	}
	for (i = 0; i < l->nsubs; i++) {
		__u32 m = l->subs[i].v.mark[l->bank];

		if (m != FS_LOCATE_NOT_SUBSCRIBED && m <= FS_MAX_SUBS) {
			BIT_SET(p->slot_live, m - 1);
			BIT_SET(taken, m - 1);
		}
	}
	for (i = 0; i < cfg->nsymbols; i++) {
		const struct live_sub *ls = live_sub_of(l, &cfg->symbols[i]);
		__u32 m = ls ? ls->v.mark[l->bank] : FS_LOCATE_NOT_SUBSCRIBED;

		if (m != FS_LOCATE_NOT_SUBSCRIBED && m <= FS_MAX_SUBS) {
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
	free(p->slot);
	free(p->slot_live);
	free(p->slot_fresh);
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
	if (cur->ngroups != cfg->ngroups || cur->nsymbols != cfg->nsymbols)
		goto out;
	for (i = 0; i < cfg->ngroups; i++) {
		const struct fs_config_group *a = &cur->groups[i], *b = &cfg->groups[i];

		if (fs_config_cmp_key(&a->key, &b->key) || strcmp(a->channel, b->channel) != 0 ||
		    a->line != b->line || a->feed != b->feed || a->flags != b->flags)
			goto out;
	}
	same = !cfg->nsymbols ||
	       !memcmp(cur->symbols, cfg->symbols, cfg->nsymbols * sizeof(*cfg->symbols));
out:
	fs_config__free(cur);
	return same;
}

/* ---- Writing the idle bank ---- */

static int put_sub(struct fs_iface *iface, const struct fs_symbol *sym, const struct fs_sub *v)
{
	if (bpf_map_update_elem(iface->fds[FS_M_SUBS], sym, v, BPF_ANY))
		return errno == E2BIG ? -ENOSPC : -errno;
	return 0;
}

/* Step 1: fs_subs[*].mark[idle] for the new symbols; entries used by no bank are removed. */
static int write_subs(struct fs_iface *iface, const struct live *l, const struct fs_config *cfg,
		      const struct plan *p, __u32 idle)
{
	size_t i = 0, j = 0;
	int err = 0;

	while (!err && (i < l->nsubs || j < cfg->nsymbols)) {
		int c = i == l->nsubs ? 1
			: j == cfg->nsymbols
			    ? -1
			    : fs_config_cmp_symbol(&l->subs[i].sym, &cfg->symbols[j]);
		struct fs_sub v = {};

		if (c < 0) { /* leaves the configuration */
			v = l->subs[i].v;
			v.mark[idle] = FS_LOCATE_NOT_SUBSCRIBED;
			if (v.mark[!idle] == FS_LOCATE_NOT_SUBSCRIBED) {
				if (bpf_map_delete_elem(iface->fds[FS_M_SUBS], &l->subs[i].sym) &&
				    errno != ENOENT)
					err = -errno;
			} else if (l->subs[i].v.mark[idle] != FS_LOCATE_NOT_SUBSCRIBED) {
				err = put_sub(iface, &l->subs[i].sym, &v);
			}
			i++;
			continue;
		}
		if (c == 0)
			v = l->subs[i].v;
		v.mark[idle] = p->slot[j] + 1;
		if (c > 0 || l->subs[i].v.mark[idle] != v.mark[idle])
			err = put_sub(iface, &cfg->symbols[j], &v);
		if (c == 0)
			i++;
		j++;
	}
	return err;
}

/* Step 3a: counters, windows and names for what is new, names of channels now unused cleared. */
static int prepare_fresh(struct fs_iface *iface, const struct live *l, const struct fs_config *cfg,
			 const struct plan *p)
{
	__u32 id;
	size_t i;
	int err = 0;

	for (id = 0; !err && id < FS_MAX_GROUPS; id++)
		if (p->id_fresh[id])
			err =
			    fs_percpu_zero(iface, FS_M_GROUP_STATS, id, sizeof(struct fs_counters));
	for (id = 0; !err && id < FS_MAX_SUBS; id++)
		if (BIT_TEST(p->slot_fresh, id))
			err = fs_percpu_zero(iface, FS_M_SYM_STATS, id,
					     sizeof(struct fs_sym_counters));
	for (id = 0; !err && id < FS_MAX_CHANNELS; id++) {
		struct fs_channel ch = {};

		if (p->chan_live[id] || (!p->chan_fresh[id] && !l->names[id][0]))
			continue; /* in use (its name and window stay), or already unnamed */
		if (p->chan_fresh[id]) {
			/* No live group refers to it and no run still uses an older bank. */
			memset(&iface->windows[id], 0, sizeof(iface->windows[id]));
			memset(&iface->chan_events[id], 0, sizeof(iface->chan_events[id]));
			for (i = 0; i < cfg->ngroups; i++)
				if (p->channel_id[i] == id)
					snprintf(ch.name, sizeof(ch.name), "%s",
						 cfg->groups[i].channel);
		}
		if (bpf_map_update_elem(iface->fds[FS_M_CHANNELS], &id, &ch, BPF_ANY))
			err = -errno;
	}
	return err;
}

/* Step 3b: fs_groups[*].bank[idle]; entries used by no bank are removed. */
static int write_groups(struct fs_iface *iface, const struct live *l, const struct fs_config *cfg,
			const struct plan *p, __u32 idle)
{
	size_t i;
	int err = 0;

	for (i = 0; !err && i < l->ngroups; i++) {
		const struct live_group *lg = &l->groups[i];

		if (fs_config_find_group(cfg, &lg->key))
			continue; /* written below */
		if (lg->v.bank[!idle].proto == FS_PROTO_NONE) {
			if (bpf_map_delete_elem(iface->fds[FS_M_GROUPS], &lg->key) &&
			    errno != ENOENT)
				err = -errno;
		} else if (lg->v.bank[idle].proto != FS_PROTO_NONE) {
			struct fs_group_banks v = lg->v;

			memset(&v.bank[idle], 0, sizeof(v.bank[idle]));
			if (bpf_map_update_elem(iface->fds[FS_M_GROUPS], &lg->key, &v, BPF_ANY))
				err = -errno;
		}
	}
	for (i = 0; !err && i < cfg->ngroups; i++) {
		const struct fs_config_group *c = &cfg->groups[i];
		const struct live_group *lg = live_group_of(l, &c->key);
		struct fs_group_banks v = {};
		struct fs_group g = {
		    .id = p->group_id[i],
		    .proto = FS_PROTO_MOLD_ITCH,
		    .feed = c->feed,
		    .flags = c->flags,
		    .channel = p->channel_id[i],
		    .line = c->line,
		};

		if (lg)
			v = lg->v;
		if (lg && !memcmp(&v.bank[idle], &g, sizeof(g)))
			continue;
		v.bank[idle] = g;
		if (bpf_map_update_elem(iface->fds[FS_M_GROUPS], &c->key, &v, BPF_ANY))
			err = errno == E2BIG ? -ENOSPC : -errno;
	}
	return err;
}

/* The mark SYM must carry in the new configuration. */
static __u32 new_mark(const struct fs_config *cfg, const struct plan *p,
		      const struct fs_symbol *sym)
{
	const struct fs_symbol *hit;

	if (!cfg->nsymbols)
		return FS_LOCATE_NOT_SUBSCRIBED;
	hit = bsearch(sym, cfg->symbols, cfg->nsymbols, sizeof(*sym), fs_config_cmp_symbol);
	return hit ? p->slot[hit - cfg->symbols] + 1 : FS_LOCATE_NOT_SUBSCRIBED;
}

/*
 * Step 3c: every learned locate gets the mark of its symbol in the idle bank. The program may
 * re-assign a locate to another symbol while we read it: it writes the symbol, then exchanges the
 * marks (a full barrier). We write the mark, then (after a full barrier) read the symbol again,
 * and go round once more if it changed. Either the program's exchange comes after our write (its
 * mark, from the new fs_subs since step 2, is right), or we see its new symbol.
 */
static void remark_locates(struct fs_iface *iface, const struct fs_config *cfg,
			   const struct plan *p, __u32 idle)
{
	size_t total = (size_t)FS_MAX_FEEDS * FS_LOCATES_PER_FEED, i;

	for (i = 0; i < total; i++) {
		struct fs_locate *e = &iface->locates[i];
		struct fs_symbol before, after;

		if (!(__atomic_load_n(&e->flags, __ATOMIC_ACQUIRE) & FS_LOCATE_F_KNOWN))
			continue;
		memcpy(&after, &e->symbol, sizeof(after));
		do {
			__u32 mark;

			before = after;
			mark = new_mark(cfg, p, &before);
			if (__atomic_load_n(&e->sub[idle], __ATOMIC_RELAXED) != mark)
				__atomic_exchange_n(&e->sub[idle], mark, __ATOMIC_SEQ_CST);
			__atomic_thread_fence(__ATOMIC_SEQ_CST);
			memcpy(&after, &e->symbol, sizeof(after));
		} while (memcmp(&before, &after, sizeof(after)) != 0);
	}
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
	err = plan_groups(l, cfg, p);
	if (!err)
		err = plan_slots(l, cfg, p);
	if (!err)
		err = write_subs(iface, l, cfg, p, idle);
	if (!err)
		err = fs_iface__wait_programs(iface);
	if (!err)
		err = prepare_fresh(iface, l, cfg, p);
	if (!err)
		err = write_groups(iface, l, cfg, p, idle);
	if (err)
		goto out; /* the live bank is untouched; the next commit rewrites the idle one */
	remark_locates(iface, cfg, p, idle);
	__atomic_store_n(&iface->bank->active, idle, __ATOMIC_SEQ_CST);
	__atomic_fetch_add(&iface->bank->commits, 1, __ATOMIC_SEQ_CST);
	pr_info("%s: configuration %llu live (bank %u): %zu groups, %zu symbols\n", iface->name,
		(unsigned long long)fs_iface__commits(iface), idle, cfg->ngroups, cfg->nsymbols);
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
