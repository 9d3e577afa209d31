/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Appending big-endian fields to a test frame, for the unit tests that build frames byte by
 * byte. A frame that outgrows the buffer fails the test. */
#ifndef FEEDSIEVE_TESTS_FRAME_BYTES_H
#define FEEDSIEVE_TESTS_FRAME_BYTES_H

#include <stddef.h>
#include <linux/types.h>
#include <criterion/criterion.h>

struct fb {
	__u8 b[8192];
	size_t n;
};

static inline void put8(struct fb *f, __u8 v)
{
	cr_assert_lt(f->n, sizeof(f->b), "test frame buffer too small");
	f->b[f->n++] = v;
}

static inline void put16(struct fb *f, __u16 v)
{
	put8(f, (__u8)(v >> 8));
	put8(f, (__u8)v);
}

static inline void put32(struct fb *f, __u32 v)
{
	put16(f, (__u16)(v >> 16));
	put16(f, (__u16)v);
}

static inline void put64(struct fb *f, __u64 v)
{
	put32(f, (__u32)(v >> 32));
	put32(f, (__u32)v);
}

#endif /* FEEDSIEVE_TESTS_FRAME_BYTES_H */
