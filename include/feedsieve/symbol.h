/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The one canonical form of an instrument name (struct fs_symbol), built from whatever a wire
 * carries, and compared, the same way in the XDP program and in user space.
 */
#ifndef FEEDSIEVE_SYMBOL_H
#define FEEDSIEVE_SYMBOL_H

#include "types.h"
#include "maps.h"

/*
 * SYM = the LEN bytes of SRC (LEN a compile-time constant <= FS_SYMBOL_LEN) without their
 * trailing padding, spaces (ITCH, NYSE) or NULs (MDP3), and NUL up to the end. A NUL inside
 * the field ends the name. The loops have constant bounds so the verifier sees them unrolled.
 */
FS_INLINE void fs_symbol_from_wire(struct fs_symbol *sym, const __u8 *src, const int len)
{
	int i, end = 0;

	__builtin_memset(sym, 0, sizeof(*sym));
	for (i = 0; i < len && i < FS_SYMBOL_LEN; i++) {
		if (!src[i])
			break;
		sym->name[i] = (char)src[i];
		if (src[i] != ' ')
			end = i + 1;
	}
	for (i = 0; i < len && i < FS_SYMBOL_LEN; i++)
		if (i >= end)
			sym->name[i] = '\0';
}

/* Names are compared as words: BPF has no memcmp. */
FS_INLINE bool fs_symbol_eq(const struct fs_symbol *a, const struct fs_symbol *b)
{
	int i;

	for (i = 0; i < (int)(sizeof(*a) / 8); i++) {
		__u64 x, y;

		__builtin_memcpy(&x, a->name + 8 * i, 8);
		__builtin_memcpy(&y, b->name + 8 * i, 8);
		if (x != y)
			return false;
	}
	return true;
}

#endif /* FEEDSIEVE_SYMBOL_H */
