// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* One-line error reports of the CLI and of the tools sharing its option parser. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "report.h"

const char *cli_prog = "feedsieve";

static int vreport(int code, const char *fmt, va_list args)
{
	fprintf(stderr, "%s: ", cli_prog);
	vfprintf(stderr, fmt, args);
	fputc('\n', stderr);
	return code;
}

int cli_error(const char *fmt, ...)
{
	va_list args;
	int code;

	va_start(args, fmt);
	code = vreport(EXIT_FAILURE, fmt, args);
	va_end(args);
	return code;
}

int cli_usage_error(const char *fmt, ...)
{
	va_list args;
	int code;

	va_start(args, fmt);
	code = vreport(EXIT_USAGE, fmt, args);
	va_end(args);
	return code;
}
