// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The symbol directory the program learned, read from the mmapped fs_instruments table. */
#include <string.h>

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

int fs_directory__foreach(struct fs_iface *iface,
			  int (*fn)(const struct fs_dir_entry *e, void *ctx), void *ctx)
{
	__u32 bank = fsi_iface__live_bank(iface);
	struct fs_dir_entry d;
	__u32 feed, locate;
	int ret;

	for (feed = 0; feed < FS_MAX_FEEDS; feed++) {
		for (locate = 0; locate < FS_LOCATES_PER_FEED; locate++) {
			if (!read_entry(fsi_locate_entry(iface, (__u8)feed, (__u16)locate), bank,
					&d.symbol, &d.subscribed))
				continue;
			d.feed = (__u8)feed;
			d.locate = (__u16)locate;
			ret = fn(&d, ctx);
			if (ret)
				return ret;
		}
	}
	return 0;
}
