// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Logging: nothing is printed unless the application installs a print function. libbpf's and
 * libxdp's own messages are routed through it only at FS_DEBUG, so a failing attach shows one
 * clear line by default instead of a verifier dump.
 */
#include <stdarg.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

#include "log.h"

static fs_print_fn print_fn;
static enum fs_print_level print_max = FS_WARN;

void fsi_log(enum fs_print_level level, const char *fmt, ...)
{
	va_list args;

	if (!print_fn || level > print_max)
		return;
	va_start(args, fmt);
	print_fn(level, fmt, args);
	va_end(args);
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	(void)level;
	if (!print_fn || print_max < FS_DEBUG)
		return 0;
	return print_fn(FS_DEBUG, fmt, args);
}

static int libxdp_print(enum libxdp_print_level level, const char *fmt, va_list args)
{
	(void)level;
	if (!print_fn || print_max < FS_DEBUG)
		return 0;
	return print_fn(FS_DEBUG, fmt, args);
}

fs_print_fn fs_set_print(fs_print_fn fn, enum fs_print_level max_level)
{
	fs_print_fn old = print_fn;

	print_fn = fn;
	print_max = max_level;
	libbpf_set_print(libbpf_print);
	libxdp_set_print(libxdp_print);
	return old;
}

/* Silence libbpf and libxdp even when the application never calls fs_set_print(). */
__attribute__((constructor)) static void log_init(void)
{
	libbpf_set_print(libbpf_print);
	libxdp_set_print(libxdp_print);
}
