// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Text forms of groups, symbols and sessions: parsing with one-line reasons, and printing. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feedsieve.h"

/* Format a one-line reason quoting WHAT, with control and non-ASCII bytes shown as \xNN so the
 * reason stays one printable line whatever the input held. */
static int fail(char err[FS_ERR_LEN], const char *fmt, const char *what)
{
	char shown[64];
	size_t i, n = 0;

	for (i = 0; what[i] && n + 5 < sizeof(shown); i++) {
		unsigned char ch = (unsigned char)what[i];

		if (ch < ' ' || ch > '~')
			n += (size_t)snprintf(shown + n, sizeof(shown) - n, "\\x%02x", ch);
		else
			shown[n++] = (char)ch;
	}
	shown[n] = '\0';
	snprintf(err, FS_ERR_LEN, fmt, shown);
	return -EINVAL;
}

/* "ADDRESS:PORT" into KEY; WHAT names the value in errors ("group", "server") and EXAMPLE shows
 * one. The address's kind is the caller's to check. */
static int parse_addr_port(const char *text, const char *what, const char *example,
			   struct fs_group_key *key, char err[FS_ERR_LEN])
{
	char addr[INET_ADDRSTRLEN], fmt[96];
	const char *colon = strrchr(text, ':');
	struct in_addr in;
	unsigned long port;
	size_t alen;
	char *end;

	snprintf(fmt, sizeof(fmt), "%s '%%s': expected ADDRESS:PORT, e.g. %s", what, example);
	if (!colon)
		return fail(err, fmt, text);
	alen = (size_t)(colon - text);
	if (alen == 0 || alen >= sizeof(addr))
		return fail(err, fmt, text);
	memcpy(addr, text, alen);
	addr[alen] = '\0';
	snprintf(fmt, sizeof(fmt), "%s '%%s': address is not a dotted IPv4 address", what);
	if (inet_pton(AF_INET, addr, &in) != 1)
		return fail(err, fmt, text);
	snprintf(fmt, sizeof(fmt), "%s '%%s': port must be a number from 1 to 65535", what);
	if (!isdigit((unsigned char)colon[1]))
		return fail(err, fmt, text);
	errno = 0;
	port = strtoul(colon + 1, &end, 10);
	if (errno || *end || port < 1 || port > 65535)
		return fail(err, fmt, text);

	key->addr = in.s_addr;
	key->port = htons((__u16)port);
	key->pad = 0;
	return 0;
}

int fs_parse_group(const char *text, struct fs_group_key *key, char err[FS_ERR_LEN])
{
	int ret = parse_addr_port(text, "group", "239.1.1.1:26400", key, err);

	if (ret)
		return ret;
	if ((ntohl(key->addr) >> 28) != 0xE)
		return fail(err, "group '%s': address is not IPv4 multicast (224.0.0.0/4)", text);
	return 0;
}

int fs_parse_server(const char *text, struct fs_group_key *key, char err[FS_ERR_LEN])
{
	int ret = parse_addr_port(text, "server", "10.0.0.1:9000", key, err);
	__u32 a;

	if (ret)
		return ret;
	a = ntohl(key->addr);
	if (!a || a == 0xFFFFFFFFU || (a >> 28) == 0xE)
		return fail(err, "server '%s': address must be a unicast IPv4 address", text);
	return 0;
}

int fs_parse_symbol(const char *text, struct fs_symbol *sym, char err[FS_ERR_LEN])
{
	size_t len = strlen(text), i;

	if (len == 0)
		return fail(err, "symbol '%s': empty", text);
	if (len > FS_SYMBOL_LEN)
		return fail(err, "symbol '%s': longer than " FS_STR(FS_SYMBOL_LEN) " characters",
			    text);
	if (text[0] == ' ' || text[len - 1] == ' ')
		return fail(err, "symbol '%s': starts or ends with a space", text);
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)text[i];

		/* Inner spaces exist (NYSE "BRK A", MDP3 spreads); padding does not, on any wire.
		 * '#' starts a comment in configuration files, which must be able to name the
		 * symbol, and '"' quotes a name with spaces there. */
		if (ch < ' ' || ch > '~' || ch == '#' || ch == '"')
			return fail(err, "symbol '%s': only printable ASCII without '#' or '\"'",
				    text);
	}
	memset(sym, 0, sizeof(*sym));
	memcpy(sym->name, text, len);
	return 0;
}

int fs_parse_id(const char *text, __u32 *id, char err[FS_ERR_LEN])
{
	long long v;
	char *end;

	errno = 0;
	v = strtoll(text, &end, 10);
	/* strtoll takes leading spaces and a '+'; an id is written as printed */
	if (!*text || *end || errno || isspace((unsigned char)text[0]) || text[0] == '+' ||
	    v < INT32_MIN || v > INT32_MAX)
		return fail(err,
			    "id '%s': not a 32-bit signed integer (-2147483648 to 2147483647)",
			    text);
	*id = (__u32)(__s32)v;
	return 0;
}

static const char *const proto_names[FS_PROTO_COUNT] = {
    [FS_PROTO_MOLD_ITCH] = "itch",
    [FS_PROTO_MDP3] = "mdp3",
    [FS_PROTO_NYSE_XDP] = "nyse-xdp",
    [FS_PROTO_PITCH] = "pitch",
};

const char *fs_proto_str(enum fs_proto proto)
{
	return (unsigned)proto < FS_PROTO_COUNT && proto_names[proto] ? proto_names[proto]
									: "none";
}

int fs_parse_proto(const char *text, enum fs_proto *proto, char err[FS_ERR_LEN])
{
	int p;

	for (p = 0; p < FS_PROTO_COUNT; p++) {
		if (proto_names[p] && !strcmp(text, proto_names[p])) {
			*proto = (enum fs_proto)p;
			return 0;
		}
	}
	return fail(err, "protocol '%s': must be itch, mdp3, nyse-xdp or pitch", text);
}

/* One unit number, 1-255, written as printed (no sign, no leading spaces). */
static bool parse_unit(const char *text, size_t len, unsigned long *out)
{
	size_t i;

	if (!len || len > 3)
		return false;
	*out = 0;
	for (i = 0; i < len; i++) {
		if (text[i] < '0' || text[i] > '9')
			return false;
		*out = *out * 10 + (unsigned long)(text[i] - '0');
	}
	return *out >= 1 && *out <= 255;
}

int fs_parse_units(const char *text, __u8 *first, __u8 *count, char err[FS_ERR_LEN])
{
	const char *dash = strchr(text, '-');
	size_t len = dash ? (size_t)(dash - text) : strlen(text);
	unsigned long a, b;

	if (!parse_unit(text, len, &a) || (dash && !parse_unit(dash + 1, strlen(dash + 1), &b)))
		return fail(err, "units '%s': must be FIRST or FIRST-LAST, units 1 to 255", text);
	if (!dash)
		b = a;
	if (b < a)
		return fail(err, "units '%s': the last unit is below the first", text);
	*first = (__u8)a;
	*count = (__u8)(b - a + 1);
	return 0;
}

int fs_parse_channel(const char *text, char err[FS_ERR_LEN])
{
	size_t len = strlen(text), i;

	if (len == 0 || len >= FS_CHANNEL_NAME_LEN)
		return fail(err, "channel '%s': must be 1 to 31 characters", text);
	for (i = 0; i < len; i++)
		if (text[i] <= ' ' || text[i] > '~' || text[i] == '#')
			return fail(err, "channel '%s': only printable ASCII without spaces or '#'",
				    text);
	return 0;
}

const char *fs_line_str(enum fs_line line)
{
	return line == FS_LINE_B ? "B" : line == FS_LINE_SNAPSHOT ? "snapshot" : "A";
}

int fs_parse_line(const char *text, enum fs_line *line, char err[FS_ERR_LEN])
{
	if (!strcmp(text, "A") || !strcmp(text, "a"))
		*line = FS_LINE_A;
	else if (!strcmp(text, "B") || !strcmp(text, "b"))
		*line = FS_LINE_B;
	else
		return fail(err, "line '%s': must be A or B", text);
	return 0;
}

void fs_group_str(const struct fs_group_key *key, char out[FS_GROUP_STR_LEN])
{
	char addr[INET_ADDRSTRLEN];
	struct in_addr in = {.s_addr = key->addr};

	inet_ntop(AF_INET, &in, addr, sizeof(addr));
	snprintf(out, FS_GROUP_STR_LEN, "%s:%u", addr, ntohs(key->port));
}

/* Copy a space-padded wire field and strip the padding. */
static void unpad(const char *src, size_t len, char *out)
{
	memcpy(out, src, len);
	out[len] = '\0';
	while (len > 0 && (out[len - 1] == ' ' || out[len - 1] == '\0'))
		out[--len] = '\0';
}

void fs_symbol_str(const struct fs_symbol *sym, char out[FS_SYMBOL_LEN + 1])
{
	unpad(sym->name, FS_SYMBOL_LEN, out); /* canonical: only NULs follow the name */
}

void fs_session_str(const char session[MOLD_SESSION_LEN], char *out)
{
	unpad(session, MOLD_SESSION_LEN, out);
}

void fs_json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(out, "\\%c", ch);
		else if (ch < 0x20 || ch > 0x7e)
			fprintf(out, "\\u%04x", ch);
		else
			fputc(ch, out);
	}
	fputc('"', out);
}
