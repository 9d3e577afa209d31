// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The instrument directory the program learned (and the ids subscribed before their definition),
 * read from the mmapped fs_instruments table. */
#include <string.h>
#include <bpf/bpf.h>

#include "internal.h"

static bool read_entry(const struct fs_instrument *e, __u32 bank, struct fs_symbol *sym,
		       bool *subscribed)
{
	if (!(__atomic_load_n(&e->flags, __ATOMIC_ACQUIRE) & FS_INST_F_KNOWN))
		return false;
	memcpy(sym, &e->symbol, sizeof(*sym));
	if (subscribed)
		*subscribed = __atomic_load_n(&e->sub[bank], __ATOMIC_RELAXED) != FS_INST_NOT_SUBSCRIBED;
	return true;
}

bool fsi_directory__lookup(const struct fs_iface *iface, __u8 feed, __u16 locate,
			 struct fs_symbol *sym, bool *subscribed)
{
	if (feed >= FS_MAX_FEEDS)
		return false;
	return read_entry(fsi_locate_entry(iface, feed, locate), fsi_iface__live_bank(iface), sym,
			  subscribed);
}

/* The id-keyed entries, in slot order: an entry is complete once FS_INST_F_ID is seen. */
static int foreach_id(struct fs_iface *iface, __u32 bank,
		      int (*fn)(const struct fs_dir_entry *e, void *ctx), void *ctx)
{
	__u32 used = __atomic_load_n(&iface->bank->inst_next, __ATOMIC_ACQUIRE), i;
	struct fs_dir_entry d;
	int ret;

	if (used > FS_MAX_INSTRUMENTS)
		used = FS_MAX_INSTRUMENTS; /* counted on past the end once full */
	for (i = 0; i < used; i++) {
		const struct fs_instrument *e = &iface->instruments[FS_LOCATE_SLOTS + i];
		__u32 flags = __atomic_load_n(&e->flags, __ATOMIC_ACQUIRE);

		if (!(flags & FS_INST_F_ID))
			continue; /* not written yet, or lost its index insert to another */
		memset(&d, 0, sizeof(d));
		d.proto = (enum fs_proto)e->proto;
		d.feed = e->feed;
		d.id = e->id;
		d.symbol_known = flags & FS_INST_F_KNOWN;
		if (d.symbol_known)
			memcpy(&d.symbol, &e->symbol, sizeof(d.symbol));
		d.subscribed =
		    __atomic_load_n(&e->sub[bank], __ATOMIC_RELAXED) != FS_INST_NOT_SUBSCRIBED;
		ret = fn(&d, ctx);
		if (ret)
			return ret;
	}
	return 0;
}

int fs_directory__foreach(struct fs_iface *iface,
			  int (*fn)(const struct fs_dir_entry *e, void *ctx), void *ctx)
{
	__u32 bank = fsi_iface__live_bank(iface);
	struct fs_dir_entry d = {.proto = FS_PROTO_MOLD_ITCH, .symbol_known = true};
	__u32 feed, locate;
	int ret;

	for (feed = 0; feed < FS_MAX_FEEDS; feed++) {
		for (locate = 0; locate < FS_LOCATES_PER_FEED; locate++) {
			if (!read_entry(fsi_locate_entry(iface, (__u8)feed, (__u16)locate), bank,
					&d.symbol, &d.subscribed))
				continue;
			d.feed = (__u8)feed;
			d.locate = (__u16)locate;
			d.id = locate;
			ret = fn(&d, ctx);
			if (ret)
				return ret;
		}
	}
	return foreach_id(iface, bank, fn, ctx);
}
