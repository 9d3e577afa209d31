// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Interface errors, signal and JSON helpers of the CLI (report.c prints the lines). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

/* An interface name as typed, with anything unprintable shown as '?', so errors stay one line. */
static const char *shown(const char *ifname)
{
	static char buf[64];
	size_t i;

	for (i = 0; i < sizeof(buf) - 1 && ifname[i]; i++)
		buf[i] = (ifname[i] < ' ' || ifname[i] > '~') ? '?' : ifname[i];
	buf[i] = '\0';
	return buf;
}

int cli_iface_error(const char *name, int err)
{
	const char *ifname = shown(name);

	switch (err) {
	case -ENODEV:
		return cli_error("%s: no such interface", ifname);
	case -ENOENT:
		return cli_error("%s: feedsieve is not attached (run 'feedsieve attach %s')",
				 ifname, ifname);
	case -EPERM:
	case -EACCES:
		return cli_error("%s: permission denied: needs CAP_BPF and CAP_NET_ADMIN (or root)",
				 ifname);
	case -EXDEV:
		return cli_error(
		    "%s: /sys/fs/bpf is not bpffs here (a private mount namespace, as "
		    "'ip netns exec' makes): run under 'nsenter --net=/run/netns/NAME'",
		    ifname);
	case -EPROTO:
		return cli_error(
		    "%s: pinned maps come from another feedsieve build (run 'feedsieve "
		    "detach %s' and attach again)",
		    ifname, ifname);
	default:
		return cli_error("%s: %s", ifname, strerror(-err));
	}
}

struct fs_iface *cli_open_iface(const char *ifname)
{
	struct fs_iface *iface = NULL;
	int err = fs_iface__open(ifname, &iface);

	if (err) {
		cli_iface_error(ifname, err);
		return NULL;
	}
	return iface;
}

#define JSON_FIELD(name, desc)                                                                     \
	fprintf(out, "%s\"" #name "\":%llu", sep, (unsigned long long)c->name), sep = ",";

void cli_print_counters_json(FILE *out, const struct fs_counters *c)
{
	const char *sep = "";

	fputc('{', out);
	FS_COUNTER_FIELDS(JSON_FIELD)
	fputc('}', out);
}

void cli_print_chan_events_json(FILE *out, const struct fs_chan_events *c)
{
	const char *sep = "";

	fputc('{', out);
	FS_CHAN_EVENT_FIELDS(JSON_FIELD)
	fputc('}', out);
}

void cli_print_sym_counters_json(FILE *out, const struct fs_sym_counters *c)
{
	const char *sep = "";

	fputc('{', out);
	FS_SYM_COUNTER_FIELDS(JSON_FIELD)
	fputc('}', out);
}

volatile sig_atomic_t cli_stop;

static void on_stop_signal(int sig)
{
	(void)sig;
	cli_stop = 1;
}

void cli_catch_stop_signals(void)
{
	struct sigaction sa = {.sa_handler = on_stop_signal}; /* no SA_RESTART: sleeps end */

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* Milliseconds into nanoseconds; 0 into 1 ns, as the library's 0 means its default. */
int cli_parse_ms(const struct cli_opt *opt, const char *what, const char *text, void *field)
{
	__u64 *ns = field;

	if (cli_parse_uint(opt, what, text, ns))
		return -EINVAL;
	*ns = *ns ? *ns * 1000000 : 1;
	return 0;
}
