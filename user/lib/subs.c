// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Subscriptions: the fs_subs map (symbol -> slot) and the subscription marks in fs_locates that
 * the program tests per message.
 *
 * The program writes a locate's mark when a Stock Directory passes, from what fs_subs says at
 * that moment; user space writes the marks of already-learned locates when a subscription
 * changes. To keep both writers consistent, a change goes: update fs_subs, wait until every
 * program run that could have read the old fs_subs has finished, then rewrite the marks. Any
 * program run after the wait reads the new fs_subs and writes the same mark user space writes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>

#include "internal.h"

#define SLOT_WORDS (FS_MAX_SUBS / 64)

static int cmp_symbol(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct fs_symbol));
}

/* Sorted, duplicate-free copy of SYMS; returns the count or -ENOMEM. */
static int sorted_unique(const struct fs_symbol *syms, size_t n, struct fs_symbol **out)
{
	struct fs_symbol *s = malloc((n ? n : 1) * sizeof(*s));
	size_t i, u = 0;

	if (!s)
		return -ENOMEM;
	memcpy(s, syms, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_symbol);
	for (i = 0; i < n; i++)
		if (u == 0 || cmp_symbol(&s[u - 1], &s[i]))
			s[u++] = s[i];
	*out = s;
	return (int)u;
}

/* Mark the slots in use and count the subscriptions. */
static int used_slots(struct fs_iface *iface, __u64 used[SLOT_WORDS], size_t *count)
{
	struct fs_symbol key, next;
	struct fs_sub sub;
	void *prev = NULL;

	memset(used, 0, SLOT_WORDS * sizeof(__u64));
	*count = 0;
	while (bpf_map_get_next_key(iface->fds[FS_M_SUBS], prev, &next) == 0) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(iface->fds[FS_M_SUBS], &key, &sub) || sub.slot >= FS_MAX_SUBS)
			continue;
		used[sub.slot / 64] |= 1ULL << (sub.slot % 64);
		(*count)++;
	}
	return errno == ENOENT ? 0 : -errno;
}

static bool slot_used(const __u64 used[SLOT_WORDS], __u32 slot)
{
	return used[slot / 64] & (1ULL << (slot % 64));
}

/* The mark a locate showing SYM must carry according to fs_subs now. */
static __u32 mark_for(struct fs_iface *iface, const struct fs_symbol *sym)
{
	struct fs_sub sub;

	if (bpf_map_lookup_elem(iface->fds[FS_M_SUBS], sym, &sub))
		return FS_LOCATE_NOT_SUBSCRIBED;
	return sub.slot + 1;
}

/*
 * Rewrite the marks of every learned locate whose symbol is in CHANGED (sorted), then check them
 * once more after another wait: a Stock Directory that re-assigned a locate to another symbol
 * while we wrote must not keep our mark.
 */
static int remark_locates(struct fs_iface *iface, const struct fs_symbol *changed, size_t n)
{
	size_t total = (size_t)FS_MAX_FEEDS * FS_LOCATES_PER_FEED, i;
	int err, pass;

	for (pass = 0; pass < 2; pass++) {
		err = fs_iface__wait_programs(iface);
		if (err)
			return err;
		for (i = 0; i < total; i++) {
			struct fs_locate *e = &iface->locates[i];
			struct fs_symbol sym;
			__u32 mark;

			if (!(__atomic_load_n(&e->flags, __ATOMIC_ACQUIRE) & FS_LOCATE_F_KNOWN))
				continue;
			memcpy(&sym, &e->symbol, sizeof(sym));
			if (!bsearch(&sym, changed, n, sizeof(*changed), cmp_symbol))
				continue;
			mark = mark_for(iface, &sym);
			if (__atomic_load_n(&e->sub, __ATOMIC_RELAXED) != mark)
				__atomic_store_n(&e->sub, mark, __ATOMIC_RELEASE);
		}
	}
	return 0;
}

/* Lock, and set up the RCU wait before changing anything so it cannot fail halfway. */
static int begin_change(struct fs_iface *iface)
{
	int err = fs_iface__lock(iface);

	if (err)
		return err;
	err = fs_iface__wait_programs(iface);
	if (err)
		fs_iface__unlock(iface);
	return err;
}

int fs_sub__add(struct fs_iface *iface, const struct fs_symbol *syms, size_t n)
{
	__u64 used[SLOT_WORDS];
	struct fs_symbol *uniq = NULL, *fresh = NULL;
	size_t count, nfresh = 0, inserted = 0, i;
	__u32 slot = 0;
	struct fs_sub sub;
	int nuniq, err;

	err = begin_change(iface);
	if (err)
		return err;
	nuniq = sorted_unique(syms, n, &uniq);
	if (nuniq < 0) {
		err = nuniq;
		goto out;
	}
	fresh = malloc((size_t)(nuniq ? nuniq : 1) * sizeof(*fresh));
	if (!fresh) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < (size_t)nuniq; i++)
		if (bpf_map_lookup_elem(iface->fds[FS_M_SUBS], &uniq[i], &sub))
			fresh[nfresh++] = uniq[i];
	if (nfresh == 0)
		goto out;

	err = used_slots(iface, used, &count);
	if (err)
		goto out;
	if (count + nfresh > FS_MAX_SUBS) {
		err = -ENOSPC;
		goto out;
	}
	for (i = 0; i < nfresh; i++, inserted++) {
		while (slot_used(used, slot))
			slot++;
		sub.slot = slot++;
		/* A slot freed by an earlier unsubscribe starts counting from zero. */
		err = fs_percpu_zero(iface, FS_M_SYM_STATS, sub.slot, sizeof(struct fs_sym_counters));
		if (!err && bpf_map_update_elem(iface->fds[FS_M_SUBS], &fresh[i], &sub, BPF_NOEXIST))
			err = errno == E2BIG ? -ENOSPC : -errno;
		if (err)
			goto rollback;
	}
	err = remark_locates(iface, fresh, nfresh);
	goto out;

rollback:
	/* The program may already have marked a locate of an inserted symbol (a Stock Directory
	 * passed meanwhile): remove them, then bring the marks back in line. */
	for (i = 0; i < inserted; i++)
		bpf_map_delete_elem(iface->fds[FS_M_SUBS], &fresh[i]);
	remark_locates(iface, fresh, inserted);
out:
	free(uniq);
	free(fresh);
	fs_iface__unlock(iface);
	return err;
}

int fs_sub__del(struct fs_iface *iface, const struct fs_symbol *syms, size_t n, size_t *missing)
{
	struct fs_symbol *uniq = NULL;
	struct fs_sub *subs = NULL;
	size_t deleted = 0, i;
	int nuniq, err;

	err = begin_change(iface);
	if (err)
		return err;
	for (i = 0; i < n; i++) {
		struct fs_sub sub;

		if (bpf_map_lookup_elem(iface->fds[FS_M_SUBS], &syms[i], &sub)) {
			if (missing)
				*missing = i;
			err = -ENOENT;
			goto out;
		}
	}
	nuniq = sorted_unique(syms, n, &uniq);
	subs = calloc((size_t)(nuniq > 0 ? nuniq : 1), sizeof(*subs));
	if (nuniq < 0 || !subs) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < (size_t)nuniq; i++, deleted++) {
		if (bpf_map_lookup_elem(iface->fds[FS_M_SUBS], &uniq[i], &subs[i]) ||
		    bpf_map_delete_elem(iface->fds[FS_M_SUBS], &uniq[i])) {
			err = -errno;
			goto rollback;
		}
	}
	err = remark_locates(iface, uniq, (size_t)nuniq);
	goto out;

rollback:
	for (i = 0; i < deleted; i++)
		bpf_map_update_elem(iface->fds[FS_M_SUBS], &uniq[i], &subs[i], BPF_NOEXIST);
	remark_locates(iface, uniq, deleted);
out:
	free(uniq);
	free(subs);
	fs_iface__unlock(iface);
	return err;
}

int fs_sub__list(struct fs_iface *iface, struct fs_sub_info *out, size_t max)
{
	struct fs_symbol key, next;
	void *prev = NULL;
	size_t n = 0;

	while (bpf_map_get_next_key(iface->fds[FS_M_SUBS], prev, &next) == 0) {
		struct fs_sub sub;

		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(iface->fds[FS_M_SUBS], &key, &sub))
			continue;
		if (n < max) {
			out[n].symbol = key;
			out[n].slot = sub.slot;
		}
		n++;
	}
	if (errno != ENOENT)
		return -errno;
	qsort(out, n < max ? n : max, sizeof(*out), cmp_symbol);
	return (int)n;
}
