// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Options structs that carry their size (sz): a caller built against an older feedsieve.h (a
 * shorter struct) gets the defaults for the fields it lacks, one built against a newer header is
 * accepted while it leaves the fields this library does not know zero, and a struct whose sz was
 * never set is refused before anything changes.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <criterion/criterion.h>

#include "internal.h"

/* Three releases of one options struct; the library in these tests knows "lib". */
struct old_opts {
	size_t sz;
	__u64 a;
};
struct lib_opts {
	size_t sz;
	__u64 a;
	__u64 b;
};
struct new_opts {
	size_t sz;
	__u64 a;
	__u64 b;
	__u64 c;
};

#define LIB_KNOWN offsetofend(struct lib_opts, b)

static int copy(struct lib_opts *out, const void *opts)
{
	memset(out, 0xa5, sizeof(*out)); /* whatever was there must not leak through */
	return fsi_opts_copy(out, sizeof(*out), LIB_KNOWN, opts, "lib_opts");
}

Test(opts, null_means_every_default)
{
	struct lib_opts o;

	cr_assert_eq(copy(&o, NULL), 0);
	cr_assert_eq(o.sz, sizeof(o));
	cr_assert_eq(o.a, 0);
	cr_assert_eq(o.b, 0);
}

Test(opts, same_release_copied_field_by_field)
{
	struct lib_opts in = {.sz = sizeof(in), .a = 7, .b = 9}, o;

	cr_assert_eq(copy(&o, &in), 0);
	cr_assert_eq(o.a, 7);
	cr_assert_eq(o.b, 9);
}

Test(opts, older_caller_gets_defaults_for_missing_fields)
{
	/* The caller's struct ends before b: b must read as 0, not as the bytes after it. Its
	 * padding is zero, as FS_OPTS() leaves it. */
	struct {
		struct old_opts o;
		__u32 after;
	} in;
	struct lib_opts o;

	memset(&in, 0, sizeof(in));
	in.o.sz = sizeof(struct old_opts);
	in.o.a = 3;
	in.after = 0xdeadbeef;

	cr_assert_eq(copy(&o, &in.o), 0);
	cr_assert_eq(o.a, 3);
	cr_assert_eq(o.b, 0, "b read past the caller's struct: %#llx", (unsigned long long)o.b);
}

Test(opts, newer_caller_accepted_when_unknown_fields_are_zero)
{
	struct new_opts in = {.sz = sizeof(in), .a = 1, .b = 2};
	struct lib_opts o;

	cr_assert_eq(copy(&o, &in), 0);
	cr_assert_eq(o.a, 1);
	cr_assert_eq(o.b, 2);
}

Test(opts, newer_caller_refused_when_it_sets_an_unknown_field)
{
	struct new_opts in = {.sz = sizeof(in), .a = 1, .c = 1};
	struct lib_opts o;

	cr_assert_eq(copy(&o, &in), -EINVAL);
}

Test(opts, unset_sz_refused)
{
	struct lib_opts in = {.a = 1}, o;

	cr_assert_eq(copy(&o, &in), -EINVAL);
}

Test(opts, fs_opts_sets_sz_and_zeroes_the_rest)
{
	FS_OPTS(fs_consumer_opts, o, .queue = 3);
	FS_OPTS(fs_group_opts, g);

	cr_assert_eq(o.sz, sizeof(struct fs_consumer_opts));
	cr_assert_eq(o.queue, 3);
	cr_assert_eq(o.batch, 0);
	cr_assert_eq(g.sz, sizeof(struct fs_group_opts));
	cr_assert_null(g.channel);
}

/* The public entry points refuse bad structs before touching the system (no root needed). The
 * interface does not exist: a regression returns -ENODEV instead of attaching to a real one. */
Test(opts, fs_attach_refuses_bad_opts_before_any_change)
{
	struct fs_attach_opts no_sz = {.mode = FS_MODE_SKB};
	FS_OPTS(fs_attach_opts, bad_flag, .flags = 1U << 31);
	FS_OPTS(fs_attach_opts, ok);
	struct fs_attach_info no_sz_info = {};

	cr_assert_eq(fs_attach("fs-nosuch0", &no_sz, NULL), -EINVAL);
	cr_assert_eq(fs_attach("fs-nosuch0", &bad_flag, NULL), -EINVAL);
	cr_assert_eq(fs_attach("fs-nosuch0", &ok, &no_sz_info), -EINVAL);
}

Test(opts, fs_consumer_create_refuses_unset_sz)
{
	struct fs_consumer_opts no_sz = {.queue = 0};
	struct fs_consumer *c = NULL;

	cr_assert_eq(fs_consumer__create("fs-nosuch0", &no_sz, &c), -EINVAL);
	cr_assert_null(c);
}

Test(opts, info_filled_up_to_the_callers_size)
{
	struct lib_opts got = {.sz = sizeof(got), .a = 5, .b = 6};
	struct old_opts info = {.sz = sizeof(info)};
	struct {
		struct old_opts o;
		__u32 after;
	} guard = {.o = {.sz = sizeof(struct old_opts)}, .after = 0x5a5a5a5a};

	cr_assert_eq(fsi_info_copy(&info, &got, LIB_KNOWN, "lib_opts"), 0);
	cr_assert_eq(info.a, 5);
	cr_assert_eq(info.sz, sizeof(info));
	cr_assert_eq(fsi_info_copy(&guard.o, &got, LIB_KNOWN, "lib_opts"), 0);
	cr_assert_eq(guard.after, 0x5a5a5a5a, "wrote past the caller's info struct");
}
