// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Configuration text: what `apply` reads, `show` prints and `batch` edits. A configuration with
 * every kind of group (ITCH, MDP3, definitions) and subscription (names with spaces, numeric ids)
 * prints in one canonical form that parses back to itself; bad lines are refused with one line
 * naming file and line; edits change all or nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "feedsieve.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Parse TEXT as the file "t.conf"; the return code, *CFG on success, the reason in ERR. */
static int parse(const char *text, struct fs_config **cfg, char err[FS_ERR_LEN])
{
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	int rc;

	cr_assert_not_null(in, "fmemopen");
	err[0] = '\0';
	rc = fs_config__parse(in, "t.conf", cfg, err);
	fclose(in);
	return rc;
}

/* CFG's canonical text without its first line (a comment that counts groups and symbols). */
static char *print_body(const struct fs_config *cfg)
{
	char *buf = NULL, *body;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	cr_assert_not_null(out, "open_memstream");
	cr_assert_eq(fs_config__print(cfg, out), 0, "fs_config__print");
	fclose(out);
	cr_assert_eq(buf[0], '#', "the canonical form starts with its comment: %s", buf);
	body = strdup(strchr(buf, '\n') + 1);
	free(buf);
	return body;
}

static char *diff(const struct fs_config *a, const struct fs_config *b, int *changes)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	cr_assert_not_null(out, "open_memstream");
	*changes = fs_config__print_diff(a, b, out);
	fclose(out);
	return buf;
}

/* Every new form at once, written untidily: out of order, defaults spelt out, quotes. */
static const char *const every_form =
    "interface eth1\n"
    "group 239.1.1.2:26400 channel ndq line B\n"
    "group 224.0.31.1:14310 proto mdp3 channel cme310 feed 1\n"
    "group 224.0.31.2:14310 proto mdp3 channel cme310 line B feed 1 drop-malformed\n"
    "group 224.0.32.1:15310 proto mdp3 definitions all-symbols\n"
    "group 239.1.1.1:26400 proto itch channel ndq  # proto itch is the default\n"
    "symbols MSFT \"BRK A\" \"UD:1V: VT 1215965433\" AAPL\n"
    "ids 42 -7 2147483647\n"
    "ids -2147483648 0\n";

static const char *const every_form_canonical =
    "interface eth1\n"
    "group 224.0.31.1:14310 proto mdp3 channel cme310 feed 1\n"
    "group 224.0.31.2:14310 proto mdp3 channel cme310 line B feed 1 drop-malformed\n"
    "group 224.0.32.1:15310 proto mdp3 all-symbols definitions\n"
    "group 239.1.1.1:26400 channel ndq\n"
    "group 239.1.1.2:26400 channel ndq line B\n"
    "symbols AAPL \"BRK A\" MSFT \"UD:1V: VT 1215965433\"\n"
    "ids -2147483648 -7 0 42 2147483647\n";

Test(config_text, canonical_round_trip)
{
	struct fs_config *a = NULL, *b = NULL;
	char err[FS_ERR_LEN], *body_a, *body_b;
	struct fs_symbol sym;
	int changes;
	char *d;

	cr_assert_eq(parse(every_form, &a, err), 0, "every form refused: %s", err);
	body_a = print_body(a);
	cr_assert_str_eq(body_a, every_form_canonical, "canonical form:\n%s", body_a);
	cr_assert_eq(parse(body_a, &b, err), 0, "canonical form refused: %s", err);
	body_b = print_body(b);
	cr_assert_str_eq(body_b, body_a, "printed again:\n%s", body_b);
	d = diff(a, b, &changes);
	cr_assert_eq(changes, 0, "a configuration differs from its own text: %s", d);
	cr_assert_str_eq(d, "no change\n");

	cr_assert_eq(fs_parse_symbol("UD:1V: VT 1215965433", &sym, err), 0, "%s", err);
	cr_assert(fs_config__has_symbol(a, &sym), "the quoted symbol is a subscription");
	cr_assert(fs_config__has_id(a, (__u32)-7), "id -7 is subscribed");
	cr_assert(fs_config__has_id(a, 0x80000000u), "id -2147483648 is subscribed");
	cr_assert_not(fs_config__has_id(a, 7), "id 7 is not subscribed");
	free(body_a);
	free(body_b);
	free(d);
	fs_config__free(a);
	fs_config__free(b);
}

/* TEXT reads as CANONICAL, which reads back as itself; with DEL and ADD edited in, the one
 * difference from TEXT is WANT_DIFF. */
static void expect_round_trip(const char *text, const char *canonical, const char *del,
			      const char *add, const char *want_diff)
{
	struct fs_config *a = NULL, *b = NULL;
	char err[FS_ERR_LEN], *body_a, *body_b, *d;
	int changes;

	cr_assert_eq(parse(text, &a, err), 0, "refused: %s", err);
	body_a = print_body(a);
	cr_assert_str_eq(body_a, canonical, "canonical form:\n%s", body_a);
	cr_assert_eq(parse(body_a, &b, err), 0, "canonical form refused: %s", err);
	body_b = print_body(b);
	cr_assert_str_eq(body_b, body_a);
	cr_assert_eq(fs_config__edit(b, del, err), 1, "%s", err);
	cr_assert_eq(fs_config__edit(b, add, err), 1, "%s", err);
	d = diff(a, b, &changes);
	cr_assert_eq(changes, 1, "%s", d);
	cr_assert_str_eq(d, want_diff);
	free(body_a);
	free(body_b);
	free(d);
	fs_config__free(a);
	fs_config__free(b);
}

/* NYSE XDP and PITCH groups, PITCH units, written untidily and read back canonical. */
Test(config_text, nyse_and_pitch_round_trip)
{
	static const char *const text =
	    "interface eth1\n"
	    "group 224.0.62.3:30001 proto pitch channel bzx line B units 1-4\n"
	    "group 224.0.62.2:30001 units 1-4 channel bzx proto pitch\n"
	    "group 224.0.62.9:30009 proto pitch units 7-7\n"
	    "group 224.0.62.8:30008 proto pitch all-symbols\n"
	    "group 224.0.59.76:11076 proto nyse-xdp channel nyse feed 2\n"
	    "group 224.0.59.77:11076 proto nyse-xdp channel nyse line B feed 2\n"
	    "symbols \"BRK A\" ZVZZT\n";
	static const char *const canonical =
	    "interface eth1\n"
	    "group 224.0.59.76:11076 proto nyse-xdp channel nyse feed 2\n"
	    "group 224.0.59.77:11076 proto nyse-xdp channel nyse line B feed 2\n"
	    "group 224.0.62.2:30001 proto pitch channel bzx units 1-4\n"
	    "group 224.0.62.3:30001 proto pitch channel bzx line B units 1-4\n"
	    "group 224.0.62.8:30008 proto pitch all-symbols\n"
	    "group 224.0.62.9:30009 proto pitch units 7\n"
	    "symbols \"BRK A\" ZVZZT\n";

	expect_round_trip(text, canonical, "group del 224.0.62.9:30009",
			  "group add 224.0.62.9:30009 proto pitch units 7-9",
			  "~ group 224.0.62.9:30009 proto pitch units 7-9 (was: "
			  "224.0.62.9:30009 proto pitch units 7)\n");
}

/* Re-request servers and snapshot groups, written untidily and read back canonical; a changed
 * server is a changed group in the difference. */
Test(config_text, recovery_round_trip)
{
	static const char *const text =
	    "interface eth1\n"
	    "group 239.1.1.2:26400 channel ndq line B retransmit 10.0.0.9:9000\n"
	    "group 239.1.1.1:26400 retransmit 10.0.0.9:9000 channel ndq\n"
	    "group 239.1.1.3:26400 retransmit 10.0.0.10:9001\n"
	    "group 224.0.28.1:14310 snapshot proto mdp3 channel cme310 feed 1\n"
	    "group 224.0.31.1:14310 proto mdp3 channel cme310 feed 1\n"
	    "group 224.0.31.2:14310 proto mdp3 channel cme310 line B feed 1\n";
	static const char *const canonical =
	    "interface eth1\n"
	    "group 224.0.28.1:14310 proto mdp3 channel cme310 feed 1 snapshot\n"
	    "group 224.0.31.1:14310 proto mdp3 channel cme310 feed 1\n"
	    "group 224.0.31.2:14310 proto mdp3 channel cme310 line B feed 1\n"
	    "group 239.1.1.1:26400 channel ndq retransmit 10.0.0.9:9000\n"
	    "group 239.1.1.2:26400 channel ndq line B retransmit 10.0.0.9:9000\n"
	    "group 239.1.1.3:26400 retransmit 10.0.0.10:9001\n";

	expect_round_trip(text, canonical, "group del 239.1.1.3:26400",
			  "group add 239.1.1.3:26400 retransmit 10.0.0.10:9002",
			  "~ group 239.1.1.3:26400 retransmit 10.0.0.10:9002 (was: "
			  "239.1.1.3:26400 retransmit 10.0.0.10:9001)\n");
}

Test(config_text, diff_of_every_kind)
{
	struct fs_config *a = NULL, *b = NULL;
	char err[FS_ERR_LEN], *d;
	int changes;

	cr_assert_eq(parse("interface eth1\n"
			   "group 224.0.31.1:14310 proto mdp3\n"
			   "group 239.1.1.1:26400\n"
			   "symbols \"BRK A\" AAPL\n"
			   "ids 1 2\n",
			   &a, err),
		     0, "%s", err);
	cr_assert_eq(parse("interface eth1\n"
			   "group 224.0.31.1:14310 proto mdp3 definitions\n"
			   "group 239.1.1.1:26400\n"
			   "symbols AAPL \"ES Z6\"\n"
			   "ids 2 -3\n",
			   &b, err),
		     0, "%s", err);
	d = diff(a, b, &changes);
	cr_assert_str_eq(d,
			 "~ group 224.0.31.1:14310 proto mdp3 definitions (was: 224.0.31.1:14310 "
			 "proto mdp3)\n"
			 "- symbols \"BRK A\"\n"
			 "+ symbols \"ES Z6\"\n"
			 "- ids 1\n"
			 "+ ids -3\n",
			 "difference:\n%s", d);
	cr_assert_eq(changes, 5);
	free(d);
	fs_config__free(a);
	fs_config__free(b);
}

struct bad_text {
	char desc[96];
	char text[160];
	char reason[FS_ERR_LEN]; /* the whole one-line reason */
};

ParameterizedTestParameters(config_text, refused)
{
	static struct bad_text cases[] = {
	    {"unknown protocol", "group 239.1.1.1:1 proto ouch\n",
	     "t.conf:1: protocol 'ouch': must be itch, mdp3, nyse-xdp or pitch"},
	    {"protocol without a value", "group 239.1.1.1:1 proto\n",
	     "t.conf:1: proto needs a value"},
	    {"definitions on an ITCH group", "group 239.1.1.1:1 definitions\n",
	     "t.conf:1: group 239.1.1.1:1: definitions needs proto mdp3 (an ITCH group learns its "
	     "Stock Directory without it)"},
	    {"the lines of a channel on two protocols",
	     "group 239.1.1.1:1 channel c\ngroup 239.1.1.2:1 proto mdp3 channel c line B\n",
	     "t.conf:2: channel c carries itch; both lines must use the same protocol"},
	    {"an id past 2^31 - 1", "ids 2147483648\n",
	     "t.conf:1: id '2147483648': not a 32-bit signed integer (-2147483648 to 2147483647)"},
	    {"an id below -2^31", "ids -2147483649\n",
	     "t.conf:1: id '-2147483649': not a 32-bit signed integer (-2147483648 to "
	     "2147483647)"},
	    {"an id with a letter", "ids 12x\n",
	     "t.conf:1: id '12x': not a 32-bit signed integer (-2147483648 to 2147483647)"},
	    {"an id listed twice", "ids 5\nids 7 5\n", "t.conf:2: id 5 listed twice (also on line 1)"},
	    {"an empty ids line", "ids\n", "t.conf:1: ids needs at least one id"},
	    {"a quote left open", "symbols \"BRK A\n",
	     "t.conf:1: a quoted word must end with '\"' before a space or the line's end"},
	    {"text glued to a closing quote", "symbols \"BRK A\"B\n",
	     "t.conf:1: a quoted word must end with '\"' before a space or the line's end"},
	    {"a quoted symbol with a trailing space", "symbols \"BRK \"\n",
	     "t.conf:1: symbol 'BRK ': starts or ends with a space"},
	    {"a quoted symbol too long", "symbols \"A B C D E F G H I J K\"\n",
	     "t.conf:1: symbol 'A B C D E F G H I J K': longer than 20 characters"},
	    {"an empty quoted symbol", "symbols \"\"\n", "t.conf:1: symbol '': empty"},
	    {"units on an ITCH group", "group 239.1.1.1:1 units 1-4\n",
	     "t.conf:1: group 239.1.1.1:1: units needs proto pitch"},
	    {"units on a NYSE group", "group 239.1.1.1:1 proto nyse-xdp units 2\n",
	     "t.conf:1: group 239.1.1.1:1: units needs proto pitch"},
	    {"units backwards", "group 239.1.1.1:1 proto pitch units 4-1\n",
	     "t.conf:1: units '4-1': the last unit is below the first"},
	    {"unit 0", "group 239.1.1.1:1 proto pitch units 0-3\n",
	     "t.conf:1: units '0-3': must be FIRST or FIRST-LAST, units 1 to 255"},
	    {"unit 256", "group 239.1.1.1:1 proto pitch units 256\n",
	     "t.conf:1: units '256': must be FIRST or FIRST-LAST, units 1 to 255"},
	    {"units with a sign", "group 239.1.1.1:1 proto pitch units +1\n",
	     "t.conf:1: units '+1': must be FIRST or FIRST-LAST, units 1 to 255"},
	    {"units without a value", "group 239.1.1.1:1 proto pitch units\n",
	     "t.conf:1: units needs a value"},
	    {"the lines of a channel on other units",
	     "group 239.1.1.1:1 proto pitch channel c units 1-4\n"
	     "group 239.1.1.2:1 proto pitch channel c line B units 1-3\n",
	     "t.conf:2: channel c takes units 1-4; both lines must take the same units"},
	    {"one line of a channel without units",
	     "group 239.1.1.1:1 proto pitch channel c\n"
	     "group 239.1.1.2:1 proto pitch channel c line B units 2\n",
	     "t.conf:2: channel c takes units (none); both lines must take the same units"},
	    {"the lines of a PITCH channel disagreeing on all-symbols",
	     "group 239.1.1.1:1 proto pitch channel c all-symbols\n"
	     "group 239.1.1.2:1 proto pitch channel c line B\n",
	     "t.conf:2: channel c: line A takes all symbols; both lines of a PITCH channel must "
	     "agree on all-symbols"},
	    {"line B of a PITCH channel taking all symbols, line A not",
	     "group 239.1.1.1:1 proto pitch channel c\n"
	     "group 239.1.1.2:1 proto pitch channel c line B all-symbols\n",
	     "t.conf:2: channel c: line A does not take all symbols; both lines of a PITCH "
	     "channel must agree on all-symbols"},
	    {"definitions on a NYSE group", "group 239.1.1.1:1 proto nyse-xdp definitions\n",
	     "t.conf:1: group 239.1.1.1:1: definitions needs proto mdp3 (a nyse-xdp group learns "
	     "its Symbol Index Mappings without it)"},
	    {"definitions on a PITCH group", "group 239.1.1.1:1 proto pitch definitions\n",
	     "t.conf:1: group 239.1.1.1:1: definitions needs proto mdp3 (a pitch message carries "
	     "its symbol, or its order's)"},
	    {"a server without a value", "group 239.1.1.1:1 retransmit\n",
	     "t.conf:1: retransmit needs a value"},
	    {"a multicast server", "group 239.1.1.1:1 retransmit 239.1.1.9:9000\n",
	     "t.conf:1: server '239.1.1.9:9000': address must be a unicast IPv4 address"},
	    {"a server on an MDP3 group", "group 239.1.1.1:1 proto mdp3 retransmit 10.0.0.1:9\n",
	     "t.conf:1: group 239.1.1.1:1: retransmit: the re-request service of mdp3 is not "
	     "covered yet (only MoldUDP64, proto itch)"},
	    {"a server on a PITCH group",
	     "group 239.1.1.1:1 proto pitch retransmit 10.0.0.1:9\n",
	     "t.conf:1: group 239.1.1.1:1: retransmit: the re-request service of pitch is not "
	     "covered yet (only MoldUDP64, proto itch)"},
	    {"the lines of a channel naming two servers",
	     "group 239.1.1.1:1 channel c retransmit 10.0.0.1:9000\n"
	     "group 239.1.1.2:1 channel c line B retransmit 10.0.0.1:9001\n",
	     "t.conf:2: channel c: line A names re-request server 10.0.0.1:9000; the lines of a "
	     "channel name the same server"},
	    {"one server for two channels",
	     "group 239.1.1.1:1 channel c retransmit 10.0.0.1:9000\n"
	     "group 239.1.1.2:1 channel d retransmit 10.0.0.1:9000\n",
	     "t.conf:2: re-request server 10.0.0.1:9000 is already channel c's; a server serves "
	     "one channel"},
	    {"a snapshot group of ITCH", "group 239.1.1.1:1 channel c snapshot\n",
	     "t.conf:1: group 239.1.1.1:1: snapshot needs proto mdp3 (the CME Market Recovery "
	     "feed)"},
	    {"a snapshot group without a channel", "group 239.1.1.1:1 proto mdp3 snapshot\n",
	     "t.conf:1: group 239.1.1.1:1: snapshot needs channel (the channel whose snapshot "
	     "feed it is)"},
	    {"a snapshot group with a line",
	     "group 239.1.1.1:1 proto mdp3 channel c line A snapshot\n",
	     "t.conf:1: snapshot takes no line (a snapshot group is not a line of its channel)"},
	    {"a snapshot group of definitions",
	     "group 239.1.1.1:1 proto mdp3 channel c definitions snapshot\n",
	     "t.conf:1: group 239.1.1.1:1: snapshot excludes definitions"},
	    {"two snapshot groups of a channel",
	     "group 239.1.1.1:1 proto mdp3 channel c snapshot\n"
	     "group 239.1.1.2:1 proto mdp3 channel c snapshot\n",
	     "t.conf:2: channel c already has a snapshot group"},
	    {"a snapshot group on another feed than its channel's lines",
	     "group 239.1.1.1:1 proto mdp3 channel c\n"
	     "group 239.1.1.2:1 proto mdp3 channel c feed 1 snapshot\n",
	     "t.conf:2: channel c is on feed 0; both lines must use the same feed"},
	    {"a PITCH channel's units past the channel table",
	     "group 239.1.1.1:1 proto pitch units 1-255\n"
	     "group 239.1.1.2:1 proto pitch units 1-2\n",
	     "t.conf:2: channel table full (256 channels)"},
	};
	return cr_make_param_array(struct bad_text, cases, ARRAY_SIZE(cases));
}

ParameterizedTest(struct bad_text *c, config_text, refused)
{
	struct fs_config *cfg = NULL;
	char err[FS_ERR_LEN];
	int rc = parse(c->text, &cfg, err);

	cr_assert_eq(rc, -EINVAL, "%s: parsed (%d) instead of refused", c->desc, rc);
	cr_assert_null(cfg, "%s: a configuration came out of a refused text", c->desc);
	cr_assert_str_eq(err, c->reason, "%s: reason '%s', want '%s'", c->desc, err, c->reason);
}

/* ---- fs_config__edit: the lines batch reads ---- */

struct edit_case {
	char desc[96];
	char line[120];
	int rc;
	char after[400]; /* the canonical body after the edit (all of it: unchanged on error) */
	char reason[120];
};

#define BASE "group 239.1.1.1:26400\nsymbols AAPL\nids 5\n"

ParameterizedTestParameters(config_edit, lines)
{
	static struct edit_case cases[] = {
	    {"subscribe ids, one already there", "sub add --id 7 -1 5", 1,
	     "group 239.1.1.1:26400\nsymbols AAPL\nids -1 5 7\n", ""},
	    {"unsubscribe an id", "sub del --id 5", 1, "group 239.1.1.1:26400\nsymbols AAPL\n",
	     ""},
	    {"a symbol with a space, quoted", "sub add \"BRK A\" MSFT", 1,
	     "group 239.1.1.1:26400\nsymbols AAPL \"BRK A\" MSFT\nids 5\n", ""},
	    {"an MDP3 definitions group", "group add 224.0.32.1:15310 proto mdp3 definitions", 1,
	     "group 224.0.32.1:15310 proto mdp3 definitions\n" BASE, ""},
	    {"an id not subscribed: nothing removed", "sub del --id 5 6", -ENOENT, BASE,
	     "id 6 is not subscribed"},
	    {"a bad id: nothing added", "sub add --id 8 x9", -EINVAL, BASE,
	     "id 'x9': not a 32-bit signed integer (-2147483648 to 2147483647)"},
	    {"--id without ids", "sub add --id", -EINVAL, BASE, "sub add needs at least one id"},
	    {"definitions on an ITCH group", "group add 239.1.1.9:1 definitions", -EINVAL, BASE,
	     "group 239.1.1.9:1: definitions needs proto mdp3 (an ITCH group learns its Stock "
	     "Directory without it)"},
	    {"an unknown protocol", "group add 239.1.1.9:1 proto nyse", -EINVAL, BASE,
	     "protocol 'nyse': must be itch, mdp3, nyse-xdp or pitch"},
	    {"a group naming its server", "group add 239.1.1.9:1 retransmit 10.0.0.1:9000", 1,
	     "group 239.1.1.1:26400\ngroup 239.1.1.9:1 retransmit 10.0.0.1:9000\nsymbols "
	     "AAPL\nids 5\n",
	     ""},
	    {"a snapshot group next to the channel's line A",
	     "group add 239.1.1.9:1 channel 239.1.1.1:26400 snapshot", -EINVAL, BASE,
	     "group 239.1.1.9:1: snapshot needs proto mdp3 (the CME Market Recovery feed)"},
	    {"a server on a NYSE group", "group add 239.1.1.9:1 proto nyse-xdp retransmit "
	     "10.0.0.1:9000", -EOPNOTSUPP, BASE,
	     "group 239.1.1.9:1: retransmit: the re-request service of nyse-xdp is not covered "
	     "yet (only MoldUDP64, proto itch)"},
	    {"a quote left open", "sub add \"BRK A", -EINVAL, BASE,
	     "a quoted word must end with '\"' before a space or the line's end"},
	};
	return cr_make_param_array(struct edit_case, cases, ARRAY_SIZE(cases));
}

ParameterizedTest(struct edit_case *c, config_edit, lines)
{
	struct fs_config *cfg = NULL;
	char err[FS_ERR_LEN] = "", *body;
	int rc;

	cr_assert_eq(parse(BASE, &cfg, err), 0, "%s", err);
	rc = fs_config__edit(cfg, c->line, err);
	cr_assert_eq(rc, c->rc, "%s: '%s' returned %d (%s), want %d", c->desc, c->line, rc, err,
		     c->rc);
	if (rc < 0)
		cr_assert_str_eq(err, c->reason, "%s: reason '%s', want '%s'", c->desc, err,
				 c->reason);
	body = print_body(cfg);
	cr_assert_str_eq(body, c->after, "%s: configuration after the edit:\n%s", c->desc, body);
	free(body);
	fs_config__free(cfg);
}

/* Names and ids share FS_MAX_SUBS slots: with one left, two ids are refused, one is taken. */
Test(config_edit, names_and_ids_share_the_slots)
{
	size_t len = (size_t)FS_MAX_SUBS * 24 + 64, at = 0, i; /* 17 a line */
	char *text = malloc(len), err[FS_ERR_LEN] = "";
	struct fs_config *cfg = NULL;
	int rc;

	cr_assert_not_null(text);
	for (i = 0; i < FS_MAX_SUBS - 1; i++)
		at += (size_t)snprintf(text + at, len - at, "symbols S%07zu\n", i);
	cr_assert_eq(parse(text, &cfg, err), 0, "%s", err);
	rc = fs_config__edit(cfg, "sub add --id 1 2", err);
	cr_assert_eq(rc, -ENOSPC, "two ids with one slot left: %d (%s)", rc, err);
	cr_assert_str_eq(err, "more than 65536 symbols and ids");
	cr_assert_not(fs_config__has_id(cfg, 1), "a refused id was added");
	cr_assert_eq(fs_config__edit(cfg, "sub add --id 2", err), 1, "the last slot: %s", err);
	cr_assert(fs_config__has_id(cfg, 2));
	rc = fs_config__edit(cfg, "sub add ZZZ", err);
	cr_assert_eq(rc, -ENOSPC, "a symbol when ids took the last slot: %d (%s)", rc, err);
	free(text);
	fs_config__free(cfg);
}
