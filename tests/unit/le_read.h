/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Little-endian reads of unaligned wire fields for the encoder tests, written independently of
 * the parse.h readers the code under test uses.
 */
#ifndef FEEDSIEVE_TESTS_LE_READ_H
#define FEEDSIEVE_TESTS_LE_READ_H

#include <linux/types.h>

static inline __u64 rd(const __u8 *p, int n)
{
	__u64 v = 0;
	int i;

	for (i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

#define RD16(p) ((__u16)rd((p), 2))
#define RD32(p) ((__u32)rd((p), 4))
#define RD64(p) (rd((p), 8))

#endif /* FEEDSIEVE_TESTS_LE_READ_H */
