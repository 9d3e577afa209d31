// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The NYSE XDP and PITCH type tables of include/feedsieve (what feedsieve itself reads) as JSON,
 * for nyse_pitch_check.py to hold against an independent decoder:
 *   {"nyse_map_min_len":N,"nyse":{"TYPE":[symbol_index_off,is_control],...},
 *    "pitch":{"TYPE":[kind,sym_off,sym_len,min_len,qty_off,qty_len],...}}
 */
#include <stdbool.h>
#include <stdio.h>

#include <feedsieve/wire_nyse.h>
#include <feedsieve/wire_pitch.h>

int main(void)
{
	const char *sep = "";
	unsigned int t;

	printf("{\"nyse_map_min_len\":%d,\"nyse\":{", NYSE_MAP_MIN_LEN);
	for (t = 0; t < 256; t++, sep = ",")
		printf("%s\"%u\":[%u,%d]", sep, t, nyse_symbol_index_off((__u16)t),
		       nyse_is_control((__u16)t));
	printf("},\"pitch\":{");
	for (sep = "", t = 0; t < 256; t++, sep = ",") {
		struct pitch_type_info i = pitch_type_info((__u8)t);

		printf("%s\"%u\":[%u,%u,%u,%u,%u,%u]", sep, t, i.kind, i.sym_off, i.sym_len, i.min_len,
		       i.qty_off, i.qty_len);
	}
	printf("}}\n");
	return ferror(stdout) ? 1 : 0;
}
