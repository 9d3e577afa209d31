// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Text forms: parsing groups and symbols the way a user types them on the command line (with a
 * one-line reason naming the input when refused), printing them back, session names and JSON
 * string literals.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "feedsieve.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The reason is a single, terminated, non-empty line of FS_ERR_LEN bytes at most. */
static void assert_one_line(const char *desc, const char err[FS_ERR_LEN])
{
	size_t len = strnlen(err, FS_ERR_LEN);

	cr_assert_lt(len, FS_ERR_LEN, "%s: error text is not NUL-terminated within FS_ERR_LEN",
		     desc);
	cr_assert_gt(len, 0, "%s: error text is empty", desc);
	cr_assert_null(strpbrk(err, "\n\r"), "%s: error text is not one line: \"%s\"", desc, err);
}

/* The error must quote the input, with bytes outside printable ASCII written as \xNN (so a
 * newline or control byte in the input cannot break the one-line rule). */
static void assert_names_input(const char *desc, const char *err, const char *input)
{
	char shown[256];
	size_t n = 0;

	for (; *input && n + 5 < sizeof(shown); input++) {
		unsigned char ch = (unsigned char)*input;

		if (ch < ' ' || ch > '~')
			n += (size_t)snprintf(shown + n, sizeof(shown) - n, "\\x%02x", ch);
		else
			shown[n++] = (char)ch;
	}
	shown[n] = '\0';
	cr_assert_not_null(strstr(err, shown),
			   "%s: error text \"%s\" does not name the input as \"%s\"", desc, err,
			   shown);
}

/* ---- fs_parse_group: accepted ---- */

struct group_ok {
	char desc[96];
	char text[48];
	char addr[16]; /* dotted form of the expected address */
	__u16 port;
};

ParameterizedTestParameters(parse_group, accepted)
{
	static struct group_ok cases[] = {
	    {"a typical feed group", "239.1.1.1:26400", "239.1.1.1", 26400},
	    {"lowest multicast address and lowest port", "224.0.0.0:1", "224.0.0.0", 1},
	    {"highest multicast address and highest port", "239.255.255.255:65535",
	     "239.255.255.255", 65535},
	    {"a Nasdaq BX group (233.49.196.0/24)", "233.49.196.73:18000", "233.49.196.73", 18000},
	    {"leading zeros in the port are still decimal", "239.1.1.1:08080", "239.1.1.1", 8080},
	};
	return cr_make_param_array(struct group_ok, cases, ARRAY_SIZE(cases));
}

ParameterizedTest(struct group_ok *c, parse_group, accepted)
{
	struct fs_group_key key;
	char err[FS_ERR_LEN] = "";
	struct in_addr want;
	int rc;

	memset(&key, 0xAA, sizeof(key)); /* pad must be cleared, not left as found */
	cr_assert_eq(inet_pton(AF_INET, c->addr, &want), 1);
	rc = fs_parse_group(c->text, &key, err);
	cr_assert_eq(rc, 0, "%s: '%s' refused (%d): %s", c->desc, c->text, rc, err);
	cr_assert_eq(key.addr, want.s_addr, "%s: address 0x%08x, want 0x%08x (network order)",
		     c->desc, key.addr, want.s_addr);
	cr_assert_eq(key.port, htons(c->port), "%s: port %u, want %u (network order)", c->desc,
		     ntohs(key.port), c->port);
	cr_assert_eq(key.pad, 0, "%s: pad 0x%x, want 0 (it is hashed as part of the key)", c->desc,
		     key.pad);
}

/* ---- fs_parse_group: refused ---- */

struct group_bad {
	char desc[96];
	char text[48];
};

ParameterizedTestParameters(parse_group, refused)
{
	static struct group_bad cases[] = {
	    {"just below 224.0.0.0/4 is unicast", "223.255.255.255:26400"},
	    {"just above 224.0.0.0/4 is reserved, not multicast", "240.0.0.0:26400"},
	    {"broadcast", "255.255.255.255:26400"},
	    {"a unicast address", "10.0.0.1:26400"},
	    {"port missing", "239.1.1.1"},
	    {"colon without a port", "239.1.1.1:"},
	    {"address missing", ":26400"},
	    {"port 0", "239.1.1.1:0"},
	    {"port 65536", "239.1.1.1:65536"},
	    {"port far beyond 32 bits", "239.1.1.1:99999999999999999999"},
	    {"port with a plus sign", "239.1.1.1:+1"},
	    {"negative port", "239.1.1.1:-1"},
	    {"hex port", "239.1.1.1:0x6720"},
	    {"letters after the port", "239.1.1.1:26400x"},
	    {"letters before the address", "x239.1.1.1:26400"},
	    {"leading space", " 239.1.1.1:26400"},
	    {"trailing space", "239.1.1.1:26400 "},
	    {"space before the colon", "239.1.1.1 :26400"},
	    {"space after the colon", "239.1.1.1: 26400"},
	    {"trailing newline, as fgets leaves it", "239.1.1.1:26400\n"},
	    {"hex address", "0xef010101:26400"},
	    {"three-part address (inet_aton shorthand)", "239.1.1:26400"},
	    {"octet above 255", "239.256.1.1:26400"},
	    {"two ports", "239.1.1.1:26400:26401"},
	    {"empty string", ""},
	    {"IPv6 multicast address", "ff02::1:26400"},
	    {"bracketed IPv6 address", "[ff02::1]:26400"},
	    {"address longer than any IPv4 address", "239.1.1.1.1.1.1.1.1:26400"},
	    {"a printf conversion in the input is printed, not interpreted", "%s%n:%d"},
	};
	return cr_make_param_array(struct group_bad, cases, ARRAY_SIZE(cases));
}

ParameterizedTest(struct group_bad *c, parse_group, refused)
{
	struct fs_group_key key = {0};
	char err[FS_ERR_LEN];
	int rc;

	memset(err, 'X', sizeof(err));
	rc = fs_parse_group(c->text, &key, err);
	cr_assert_eq(rc, -EINVAL, "%s: '%s' returned %d, want -EINVAL", c->desc, c->text, rc);
	assert_one_line(c->desc, err);
	assert_names_input(c->desc, err, c->text);
}

Test(parse_group, long_input_error_is_truncated_to_one_line)
{
	char text[400], err[FS_ERR_LEN];
	struct fs_group_key key;

	memset(text, '9', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	text[200] = ':';
	cr_assert_eq(fs_parse_group(text, &key, err), -EINVAL);
	assert_one_line("400-byte input", err);
}

/* ---- fs_group_str ---- */

struct group_text {
	char text[FS_GROUP_STR_LEN];
};

ParameterizedTestParameters(group_str, round_trip)
{
	static struct group_text cases[] = {
	    {"239.1.1.1:26400"},     {"224.0.0.0:1"},	   {"239.255.255.255:65535"},
	    {"233.49.196.73:18000"}, {"224.0.0.251:5353"},
	};
	return cr_make_param_array(struct group_text, cases, ARRAY_SIZE(cases));
}

/* Printing a parsed group gives back the text the user typed (in canonical form). */
ParameterizedTest(struct group_text *c, group_str, round_trip)
{
	struct fs_group_key key;
	char err[FS_ERR_LEN], out[FS_GROUP_STR_LEN];

	cr_assert_eq(fs_parse_group(c->text, &key, err), 0, "'%s': %s", c->text, err);
	fs_group_str(&key, out);
	cr_assert_str_eq(out, c->text, "'%s' printed back as '%s'", c->text, out);
}

Test(group_str, longest_form_fits)
{
	struct fs_group_key key = {.addr = 0xFFFFFFFF, .port = 0xFFFF};
	char out[FS_GROUP_STR_LEN];

	fs_group_str(&key, out);
	cr_assert_str_eq(out, "255.255.255.255:65535");
}

/* ---- fs_parse_symbol ---- */

struct symbol_ok {
	char desc[96];
	char text[48];
	const char padded[FS_SYMBOL_LEN + 4]; /* the canonical form: NUL after the name */
};

ParameterizedTestParameters(parse_symbol, accepted)
{
	static struct symbol_ok cases[] = {
	    {"one character", "A", "A"},
	    {"a four-letter ticker", "AAPL", "AAPL"},
	    {"exactly eight characters", "ABCDEFGH", "ABCDEFGH"},
	    {"class share with a dot", "BRK.A", "BRK.A"},
	    {"an inner space (NYSE)", "BRK A", "BRK A"},
	    {"an MDP3 spread", "ESM6-ESU6", "ESM6-ESU6"},
	    {"twenty characters, the widest (MDP3)", "ABCDEFGHIJKLMNOPQRST", "ABCDEFGHIJKLMNOPQRST"},
	    {"punctuation at the printable edges ('!' and '~')", "!$%&~", "!$%&~"},
	    {"lower case is kept as typed", "zvzzt", "zvzzt"},
	    {"digits", "1234", "1234"},
	};
	return cr_make_param_array(struct symbol_ok, cases, ARRAY_SIZE(cases));
}

ParameterizedTest(struct symbol_ok *c, parse_symbol, accepted)
{
	struct fs_symbol sym;
	char err[FS_ERR_LEN] = "";
	char out[FS_SYMBOL_LEN + 1];
	int rc;

	memset(&sym, 'X', sizeof(sym)); /* every byte must be written */
	rc = fs_parse_symbol(c->text, &sym, err);
	cr_assert_eq(rc, 0, "%s: '%s' refused (%d): %s", c->desc, c->text, rc, err);
	cr_assert_arr_eq(sym.name, c->padded, sizeof(sym.name),
			 "%s: '%s' stored as \"%.20s\", want \"%.20s\"", c->desc, c->text, sym.name,
			 c->padded);
	fs_symbol_str(&sym, out);
	cr_assert_str_eq(out, c->text, "%s: printed back as '%s', want '%s'", c->desc, out,
			 c->text);
}

struct symbol_bad {
	char desc[96];
	char text[48];
};

ParameterizedTestParameters(parse_symbol, refused)
{
	static struct symbol_bad cases[] = {
	    {"empty", ""},
	    {"twenty-one characters", "ABCDEFGHIJKLMNOPQRSTU"},
	    {"far too long", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"},
	    {"only a space", " "},
	    {"leading space", " AAPL"},
	    {"trailing space (would be ambiguous with the padding)", "AAPL "},
	    {"tab", "AA\tPL"},
	    {"DEL 0x7f", "AA\x7fPL"},
	    {"control byte 0x01", "\x01"},
	    {"non-ASCII byte (UTF-8 e-acute)", "CAF\xc3\xa9"},
	    {"byte 0xff", "\xff"},
	    {"trailing newline, as fgets leaves it", "AAPL\n"},
	    {"'#', which starts a comment in configuration files", "AB#C"},
	    {"'\"', which quotes a name with spaces in configuration files", "BRK\"A"},
	};
	return cr_make_param_array(struct symbol_bad, cases, ARRAY_SIZE(cases));
}

ParameterizedTest(struct symbol_bad *c, parse_symbol, refused)
{
	struct fs_symbol sym;
	char err[FS_ERR_LEN];
	int rc;

	memset(err, 'X', sizeof(err));
	rc = fs_parse_symbol(c->text, &sym, err);
	cr_assert_eq(rc, -EINVAL, "%s: returned %d, want -EINVAL", c->desc, rc);
	assert_one_line(c->desc, err);
	assert_names_input(c->desc, err, c->text);
}

/* ---- fs_symbol_str / fs_session_str: padding stripped ---- */

struct unpad_case {
	char desc[96];
	const char raw[MOLD_SESSION_LEN];
	char want[16];
};

ParameterizedTestParameters(symbol_str, strips_padding)
{
	static struct unpad_case cases[] = {
	    {"space padding", {'M', 'S', 'F', 'T', ' ', ' ', ' ', ' '}, "MSFT"},
	    {"full width, nothing to strip", {'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'}, "ABCDEFGH"},
	    {"NUL padding from a sloppy publisher", {'Q', 'Q', 'Q', 0, 0, 0, 0, 0}, "QQQ"},
	    {"an inner space is kept", {'B', 'R', 'K', ' ', 'A', ' ', ' ', ' '}, "BRK A"},
	    {"all spaces", {' ', ' ', ' ', ' ', ' ', ' ', ' ', ' '}, ""},
	};
	return cr_make_param_array(struct unpad_case, cases, ARRAY_SIZE(cases));
}

ParameterizedTest(struct unpad_case *c, symbol_str, strips_padding)
{
	struct fs_symbol sym;
	char *out = malloc(FS_SYMBOL_LEN + 1); /* exact size: ASan sees any overrun */

	cr_assert_not_null(out);
	memset(&sym, 0, sizeof(sym));
	memcpy(sym.name, c->raw, 8); /* as a sloppy writer may have left it */
	fs_symbol_str(&sym, out);
	cr_assert_str_eq(out, c->want, "%s: got '%s', want '%s'", c->desc, out, c->want);
	free(out);
}

ParameterizedTestParameters(session_str, strips_padding)
{
	static struct unpad_case cases[] = {
	    {"space padding", {'S', 'E', 'S', 'S', '1', ' ', ' ', ' ', ' ', ' '}, "SESS1"},
	    {"full ten characters",
	     {'0', '0', '0', '0', '0', '1', '2', '3', '4', '5'},
	     "0000012345"},
	    {"NUL padding", {'A', 'B', 'C', 0, 0, 0, 0, 0, 0, 0}, "ABC"},
	    {"mixed trailing spaces and NULs", {'A', 'B', ' ', 0, ' ', 0, ' ', 0, 0, ' '}, "AB"},
	    {"an inner space is kept", {'A', 'B', ' ', 'C', ' ', ' ', ' ', ' ', ' ', ' '}, "AB C"},
	    {"leading spaces are not padding",
	     {' ', ' ', 'X', ' ', ' ', ' ', ' ', ' ', ' ', ' '},
	     "  X"},
	    {"all spaces", {' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' '}, ""},
	    {"all NULs", {0}, ""},
	};
	return cr_make_param_array(struct unpad_case, cases, ARRAY_SIZE(cases));
}

ParameterizedTest(struct unpad_case *c, session_str, strips_padding)
{
	char *out = malloc(MOLD_SESSION_LEN + 1); /* the documented size, exactly */

	cr_assert_not_null(out);
	fs_session_str(c->raw, out);
	cr_assert_str_eq(out, c->want, "%s: got '%s', want '%s'", c->desc, out, c->want);
	free(out);
}

/* ---- fs_json_str ---- */

static char *json_of(const char *s)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	cr_assert_not_null(f);
	fs_json_str(f, s);
	cr_assert_eq(fclose(f), 0);
	return buf;
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/*
 * Read LIT as a JSON string literal the way a JSON parser would, with \u00XX taken as the byte
 * XX (the writer's documented reading of wire bytes). Returns the decoded bytes (malloc'd) or NULL
 * with WHY set when LIT is not a valid JSON string literal.
 */
static char *json_decode(const char *lit, const char **why)
{
	size_t n = strlen(lit), i, o = 0;
	char *out = malloc(n + 1);

	cr_assert_not_null(out);
	*why = NULL;
	if (n < 2 || lit[0] != '"' || lit[n - 1] != '"') {
		*why = "not enclosed in double quotes";
		goto bad;
	}
	for (i = 1; i < n - 1; i++) {
		unsigned char ch = (unsigned char)lit[i];
		int cp, k;

		if (ch < 0x20) {
			*why = "raw control byte";
			goto bad;
		}
		if (ch == '"') {
			*why = "unescaped quote inside";
			goto bad;
		}
		if (ch != '\\') {
			out[o++] = (char)ch;
			continue;
		}
		if (++i >= n - 1) {
			*why = "backslash at the end";
			goto bad;
		}
		switch (lit[i]) {
		case '"':
			out[o++] = '"';
			break;
		case '\\':
			out[o++] = '\\';
			break;
		case '/':
			out[o++] = '/';
			break;
		case 'b':
			out[o++] = '\b';
			break;
		case 'f':
			out[o++] = '\f';
			break;
		case 'n':
			out[o++] = '\n';
			break;
		case 'r':
			out[o++] = '\r';
			break;
		case 't':
			out[o++] = '\t';
			break;
		case 'u':
			if (i + 4 >= n - 1) {
				*why = "short \\u escape";
				goto bad;
			}
			for (cp = 0, k = 1; k <= 4; k++) {
				int h = hexval(lit[i + k]);

				if (h < 0) {
					*why = "bad hex digit in \\u escape";
					goto bad;
				}
				cp = cp * 16 + h;
			}
			if (cp > 0xff) {
				*why = "\\u escape beyond one byte";
				goto bad;
			}
			out[o++] = (char)cp;
			i += 4;
			break;
		default:
			*why = "unknown escape";
			goto bad;
		}
	}
	out[o] = '\0';
	return out;
bad:
	free(out);
	return NULL;
}

struct json_case {
	char desc[96];
	char in[24];
	char exact[48]; /* "": any valid spelling that decodes back to IN */
};

ParameterizedTestParameters(json_str, escapes)
{
	static struct json_case cases[] = {
	    {"plain text is quoted, nothing else", "AAPL", "\"AAPL\""},
	    {"empty string", "", "\"\""},
	    {"double quote is escaped", "a\"b", "\"a\\\"b\""},
	    {"backslash is escaped", "a\\b", "\"a\\\\b\""},
	    {"quote and backslash together", "\\\"", "\"\\\\\\\"\""},
	    {"newline", "line1\nline2", ""},
	    {"tab and carriage return", "\t\r", ""},
	    {"control byte 0x01", "\x01", ""},
	    {"control byte 0x1f, the last one", "\x1f", ""},
	    {"DEL", "\x7f", ""},
	    {"space and printable punctuation pass through", " !#/~", ""},
	    {"bytes outside ASCII come out as \\u00XX (one code point per byte)", "\xc3\xa9\xff",
	     "\"\\u00c3\\u00a9\\u00ff\""},
	};
	return cr_make_param_array(struct json_case, cases, ARRAY_SIZE(cases));
}

ParameterizedTest(struct json_case *c, json_str, escapes)
{
	char *lit = json_of(c->in), *back;
	const char *why;
	size_t i;

	if (c->exact[0])
		cr_assert_str_eq(lit, c->exact, "%s: wrote %s, want %s", c->desc, lit, c->exact);
	/* Whatever the input, the literal is plain printable ASCII: valid JSON on any terminal. */
	for (i = 0; lit[i]; i++)
		cr_assert(lit[i] >= 0x20 && lit[i] <= 0x7e,
			  "%s: raw byte 0x%02x at %zu of the literal", c->desc,
			  (unsigned char)lit[i], i);
	back = json_decode(lit, &why);
	cr_assert_not_null(back, "%s: %s is not a JSON string literal: %s", c->desc, lit, why);
	cr_assert_str_eq(back, c->in, "%s: %s reads back as something else", c->desc, lit);
	free(back);
	free(lit);
}

/* ---- fs_parse_id: 32-bit signed integers, kept as their bits ---- */

struct id_case {
	char desc[96];
	char text[48];
	int rc;
	__u32 id;
};

ParameterizedTestParameters(parse_id, table)
{
	static struct id_case cases[] = {
	    {"zero", "0", 0, 0},
	    {"a SecurityID", "42", 0, 42},
	    {"the largest Int32", "2147483647", 0, 0x7fffffff},
	    {"a negative id keeps its bits", "-1", 0, 0xffffffff},
	    {"the smallest Int32", "-2147483648", 0, 0x80000000},
	    {"one past the largest", "2147483648", -EINVAL, 0},
	    {"one below the smallest", "-2147483649", -EINVAL, 0},
	    {"an unsigned 32-bit value past Int32", "4294967295", -EINVAL, 0},
	    {"far too large", "99999999999999999999999", -EINVAL, 0},
	    {"empty", "", -EINVAL, 0},
	    {"a letter after the digits", "12x", -EINVAL, 0},
	    {"hexadecimal", "0x10", -EINVAL, 0},
	    {"a leading plus (never printed so)", "+5", -EINVAL, 0},
	    {"a leading space", " 5", -EINVAL, 0},
	    {"a trailing space", "5 ", -EINVAL, 0},
	    {"a fraction", "1.5", -EINVAL, 0},
	};
	return cr_make_param_array(struct id_case, cases, ARRAY_SIZE(cases));
}

ParameterizedTest(struct id_case *c, parse_id, table)
{
	char err[FS_ERR_LEN] = "";
	__u32 id = 0xdeadbeef;
	int rc = fs_parse_id(c->text, &id, err);

	cr_assert_eq(rc, c->rc, "%s: '%s' gave %d (%s), want %d", c->desc, c->text, rc, err, c->rc);
	if (rc) {
		assert_one_line(c->desc, err);
		assert_names_input(c->desc, err, c->text);
		cr_assert_not_null(strstr(err, "32-bit signed integer"), "%s: reason '%s'", c->desc,
				   err);
		cr_assert_eq(id, 0xdeadbeef, "%s: the id was written on error", c->desc);
	} else {
		cr_assert_eq(id, c->id, "%s: '%s' is 0x%08x, want 0x%08x", c->desc, c->text, id,
			     c->id);
	}
}

/* ---- fs_parse_proto / fs_proto_str ---- */

Test(parse_proto, names_round_trip)
{
	static const struct {
		const char *text;
		enum fs_proto proto;
	} ok[] = {{"itch", FS_PROTO_MOLD_ITCH}, {"mdp3", FS_PROTO_MDP3}};
	static const char *const bad[] = {"", "ITCH", "mdp", "none", "nyse", "itch "};
	char err[FS_ERR_LEN];
	enum fs_proto p;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		cr_assert_eq(fs_parse_proto(ok[i].text, &p, err), 0, "'%s' refused: %s", ok[i].text,
			     err);
		cr_assert_eq(p, ok[i].proto, "'%s' parsed as %d", ok[i].text, p);
		cr_assert_str_eq(fs_proto_str(p), ok[i].text);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		cr_assert_eq(fs_parse_proto(bad[i], &p, err), -EINVAL, "'%s' accepted", bad[i]);
		assert_one_line(bad[i], err);
		assert_names_input(bad[i], err, bad[i]);
	}
	cr_assert_str_eq(fs_proto_str(FS_PROTO_NONE), "none");
	cr_assert_str_eq(fs_proto_str(FS_PROTO_COUNT), "none");
}

/* ---- fs_parse_server: a re-request server, unicast ---- */

struct server_case {
	char desc[96];
	char text[48];
	char addr[16]; /* dotted form of the expected address; "" when refused */
	__u16 port;
	char reason[FS_ERR_LEN]; /* refused: the whole reason */
};

ParameterizedTestParameters(parse_server, table)
{
	static struct server_case cases[] = {
	    {"a typical server", "10.0.0.1:9000", "10.0.0.1", 9000, ""},
	    {"the lowest unicast address and port", "0.0.0.1:1", "0.0.0.1", 1, ""},
	    {"just below multicast", "223.255.255.255:65535", "223.255.255.255", 65535, ""},
	    {"just above multicast (240/4 is not multicast)", "240.0.0.1:9000", "240.0.0.1",
	     9000, ""},
	    {"a multicast address", "239.1.1.1:9000", "", 0,
	     "server '239.1.1.1:9000': address must be a unicast IPv4 address"},
	    {"0.0.0.0", "0.0.0.0:9000", "", 0,
	     "server '0.0.0.0:9000': address must be a unicast IPv4 address"},
	    {"broadcast", "255.255.255.255:9000", "", 0,
	     "server '255.255.255.255:9000': address must be a unicast IPv4 address"},
	    {"port 0", "10.0.0.1:0", "", 0,
	     "server '10.0.0.1:0': port must be a number from 1 to 65535"},
	    {"port 65536", "10.0.0.1:65536", "", 0,
	     "server '10.0.0.1:65536': port must be a number from 1 to 65535"},
	    {"no port", "10.0.0.1", "", 0,
	     "server '10.0.0.1': expected ADDRESS:PORT, e.g. 10.0.0.1:9000"},
	    {"a host name", "server:9000", "", 0,
	     "server 'server:9000': address is not a dotted IPv4 address"},
	    {"empty", "", "", 0, "server '': expected ADDRESS:PORT, e.g. 10.0.0.1:9000"},
	};
	return cr_make_param_array(struct server_case, cases, ARRAY_SIZE(cases));
}

ParameterizedTest(struct server_case *c, parse_server, table)
{
	struct fs_group_key key;
	char err[FS_ERR_LEN] = "";
	struct in_addr want;
	int rc;

	memset(&key, 0xAA, sizeof(key));
	rc = fs_parse_server(c->text, &key, err);
	if (!c->addr[0]) {
		cr_assert_eq(rc, -EINVAL, "%s: '%s' returned %d, want -EINVAL", c->desc, c->text,
			     rc);
		assert_one_line(c->desc, err);
		cr_assert_str_eq(err, c->reason, "%s: reason '%s'", c->desc, err);
		return;
	}
	cr_assert_eq(rc, 0, "%s: '%s' refused: %s", c->desc, c->text, err);
	cr_assert_eq(inet_pton(AF_INET, c->addr, &want), 1);
	cr_assert_eq(key.addr, want.s_addr, "%s: address (network order)", c->desc);
	cr_assert_eq(key.port, htons(c->port), "%s: port %u", c->desc, ntohs(key.port));
	cr_assert_eq(key.pad, 0, "%s: pad 0x%x", c->desc, key.pad);
}

/* The line names: a snapshot group's FS_LINE_SNAPSHOT is shown, never parsed. */
Test(parse_line, snapshot_is_shown_not_parsed)
{
	char err[FS_ERR_LEN];
	enum fs_line l;

	cr_assert_str_eq(fs_line_str(FS_LINE_A), "A");
	cr_assert_str_eq(fs_line_str(FS_LINE_B), "B");
	cr_assert_str_eq(fs_line_str(FS_LINE_SNAPSHOT), "snapshot");
	cr_assert_eq(fs_parse_line("snapshot", &l, err), -EINVAL, "a snapshot group is no line");
	assert_one_line("snapshot", err);
}
