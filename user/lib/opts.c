// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Options and info structs that carry their own size (sz, their first field), so that either
 * side may be built against an older or newer feedsieve.h than the other: a field the caller's
 * struct lacks reads as 0 (every field's default), and a newer caller's struct is accepted as
 * long as all it sets beyond what this library knows is zero.
 */
#include <errno.h>
#include <string.h>

#include "internal.h"
#include "log.h"

/* Is every byte of P[FROM, TO) zero? */
static bool all_zero(const void *p, size_t from, size_t to)
{
	const char *b = p;

	for (; from < to; from++)
		if (b[from])
			return false;
	return true;
}

int fsi_opts_copy(void *out, size_t out_sz, size_t known_sz, const void *opts, const char *type)
{
	size_t sz = opts ? *(const size_t *)opts : 0;

	memset(out, 0, out_sz);
	*(size_t *)out = out_sz;
	if (!opts)
		return 0; /* NULL: every default */
	if (sz < sizeof(size_t)) {
		pr_warn("struct %s: sz is %zu: declare it with FS_OPTS()\n", type, sz);
		return -EINVAL;
	}
	if (sz > known_sz && !all_zero(opts, known_sz, sz)) {
		pr_warn("struct %s: fields this library (%zu bytes) does not know are set\n", type,
			known_sz);
		return -EINVAL;
	}
	memcpy((char *)out + sizeof(size_t), (const char *)opts + sizeof(size_t),
	       (sz < known_sz ? sz : known_sz) - sizeof(size_t));
	return 0;
}

int fsi_info_copy(void *info, const void *got, size_t got_sz, const char *type)
{
	size_t sz = *(const size_t *)info;

	if (sz < sizeof(size_t)) {
		pr_warn("struct %s: sz is %zu: declare it with FS_OPTS()\n", type, sz);
		return -EINVAL;
	}
	/* A newer caller's fields this library does not fill stay as the caller set them: 0. */
	memcpy((char *)info + sizeof(size_t), (const char *)got + sizeof(size_t),
	       (sz < got_sz ? sz : got_sz) - sizeof(size_t));
	return 0;
}
