// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Reading a number from a /proc or /sys file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

int fsi_read_long_file(const char *path, long *out)
{
	FILE *f = fopen(path, "re");
	char line[64], *end;
	long v;

	if (!f)
		return -errno;
	if (!fgets(line, sizeof(line), f)) {
		fclose(f);
		return -EIO;
	}
	fclose(f);
	errno = 0;
	v = strtol(line, &end, 10);
	if (end == line || errno || (*end && *end != '\n'))
		return -EINVAL;
	*out = v;
	return 0;
}
