// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * feedsieve replay CONFIG CAPTURE [--json] [-w OUT.pcap] [--stats] [--gap-grace-ms MS]
 * [--stale-ms MS]: what feedsieve would deliver
 * from a capture, offline (docs/replay.md). The capture is read twice: once to check every
 * record, so that bad input fails before anything is printed as a result, and once to replay.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <pcap/pcap.h>

#include "cli.h"

struct replay_opts {
	const char *config, *capture, *write;
	bool json, stats;
	__u64 gap_grace_ns, stale_ns; /* the sequencer's times, as consume takes them */
};

struct replay_state {
	const struct replay_opts *o;
	__u64 frames, delivered, passed, dropped, not_run;
	__u64 msgs, gaps, lost, malformed;
	pcap_dumper_t *dump;
};

/* CAPTURE opened with nanosecond timestamps (libpcap scales microsecond files), or NULL after
 * the one-line error. */
static pcap_t *open_capture(const char *path)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	FILE *f = fopen(path, "rb");
	pcap_t *p;

	if (!f) {
		cli_usage_error("replay: cannot read %s: %s", path, strerror(errno));
		return NULL;
	}
	/* Large reads: stdio's default buffer costs a read() every few frames. */
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	p = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (!p) {
		fclose(f);
		cli_usage_error("replay: %s: %s", path, errbuf);
		return NULL;
	}
	if (pcap_datalink(p) != DLT_EN10MB) {
		cli_usage_error("replay: %s: link type %s, not Ethernet: feedsieve sees Ethernet frames",
				path, pcap_datalink_val_to_name(pcap_datalink(p)) ?: "unknown");
		pcap_close(p);
		return NULL;
	}
	return p;
}

/* Read every record of CAPTURE; a one-line error and false for the first bad one. */
static bool check_capture(const char *path)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *p = open_capture(path);
	__u64 n = 0;
	int rc;

	if (!p)
		return false;
	while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
		n++;
		if (h->caplen < h->len) {
			cli_usage_error("replay: %s: record %llu holds %u of its %u bytes (snap "
					"length): the program would not see the frame it saw live",
					path, (unsigned long long)n, h->caplen, h->len);
			break;
		}
	}
	if (rc == PCAP_ERROR)
		cli_usage_error("replay: %s: after record %llu: %s", path, (unsigned long long)n,
				pcap_geterr(p));
	pcap_close(p);
	return rc == PCAP_ERROR_BREAK;
}

static int on_event(const struct fs_event *ev, void *ctx)
{
	struct replay_state *st = ctx;

	switch (ev->type) {
	case FS_EV_MESSAGE:
		st->msgs++;
		break;
	case FS_EV_GAP:
		st->gaps++;
		st->lost += ev->count;
		break;
	case FS_EV_MALFORMED:
		st->malformed++;
		break;
	default:
		break;
	}
	if (st->o->json)
		consume_print_json(ev);
	else
		consume_print_text(ev);
	return 0;
}

static int replay_error(const struct replay_opts *o, int err)
{
	if (err == -EPERM || err == -EACCES)
		return cli_error("replay: permission denied: loading the XDP program needs CAP_BPF "
				 "and CAP_NET_ADMIN (or root)");
	if (err == -ENOSPC)
		return cli_error("replay: %s: more than %d groups or %d subscriptions", o->config,
				 FS_MAX_GROUPS, FS_MAX_SUBS);
	return cli_error("replay: cannot load the XDP program with %s: %s", o->config,
			 strerror(-err));
}

/* -w must not name the capture or CONFIG: opening it for writing would empty what is being read
 * (after the check passed), and replay would report success on nothing. False after the error. */
static bool output_is_not_input(const char *out, const char *capture, const char *config)
{
	const char *in[] = {capture, config};
	struct stat so, si;
	size_t i;

	if (!out || stat(out, &so))
		return true; /* a new file */
	for (i = 0; i < 2; i++) {
		if (!stat(in[i], &si) && si.st_dev == so.st_dev && si.st_ino == so.st_ino) {
			cli_usage_error("replay: -w %s is the %s being read", out,
					i ? "CONFIG" : "capture");
			return false;
		}
	}
	return true;
}

static pcap_dumper_t *open_output(const char *path, pcap_t **dead)
{
	pcap_dumper_t *d;

	*dead = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 65535,
						     PCAP_TSTAMP_PRECISION_NANO);
	if (!*dead) {
		cli_error("replay: %s: out of memory", path);
		return NULL;
	}
	d = pcap_dump_open(*dead, path);
	if (!d)
		cli_usage_error("replay: %s", pcap_geterr(*dead));
	return d;
}

/* Every frame of P through R, in capture order. Returns 0 or -errno, and the record number. */
static int run(struct fs_replay *r, pcap_t *p, struct replay_state *st)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc;

	while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
		__u64 ts = (__u64)h->ts.tv_sec * 1000000000ULL + (__u64)h->ts.tv_usec;
		enum fs_replay_verdict v;
		int err;

		st->frames++;
		err = fs_replay__frame(r, data, h->caplen, ts, on_event, st, &v);
		if (err)
			return err;
		if (v == FS_REPLAY_DELIVERED) {
			st->delivered++;
			if (st->dump)
				pcap_dump((u_char *)st->dump, h, data);
		} else if (v == FS_REPLAY_DROPPED) {
			st->dropped++;
		} else if (v == FS_REPLAY_NOT_RUN) {
			st->not_run++;
		} else {
			st->passed++;
		}
	}
	if (rc == PCAP_ERROR)
		return -EIO; /* the check read it whole: the file changed under us */
	return fs_replay__finish(r, on_event, st);
}

static int do_replay(const void *opts, char **args)
{
	struct replay_opts o = *(const struct replay_opts *)opts;
	struct replay_state st = {.o = &o};
	FS_OPTS(fs_consumer_opts, copts, .gap_grace_ns = o.gap_grace_ns, .stale_ns = o.stale_ns);
	struct fs_config *cfg = NULL;
	struct fs_replay *r = NULL;
	pcap_t *p = NULL, *dead = NULL;
	__u64 start;
	int err, rc = EXIT_FAILURE;

	o.config = args[0];
	o.capture = args[1];
	cfg = cli_load_config("replay", o.config);
	if (!cfg)
		return EXIT_USAGE;
	if (!check_capture(o.capture) || !output_is_not_input(o.write, o.capture, o.config)) {
		rc = EXIT_USAGE;
		goto out;
	}
	err = fs_replay__create(cfg, &copts, &r);
	if (err) {
		replay_error(&o, err);
		goto out;
	}
	p = open_capture(o.capture);
	if (!p) {
		rc = EXIT_USAGE;
		goto out;
	}
	if (o.write) {
		st.dump = open_output(o.write, &dead);
		if (!st.dump)
			goto out;
	}
	/* Whole lines, in large writes: a day's capture prints millions of them. */
	setvbuf(stdout, NULL, _IOFBF, 1 << 20);
	start = fsi_now_ns();
	err = run(r, p, &st);
	if (err) {
		cli_error("replay: %s: frame %llu: %s", o.capture, (unsigned long long)st.frames,
			  strerror(-err));
		goto out;
	}
	if (o.stats && stats_print_json(fs_replay__iface(r), fs_config__ifname(cfg)[0] ?
							      fs_config__ifname(cfg) :
							      "replay")) {
		cli_error("replay: cannot read the program's counters");
		goto out;
	}
	if (fflush(stdout)) {
		cli_error("replay: standard output: %s", strerror(errno));
		goto out;
	}
	if (st.dump && (pcap_dump_flush(st.dump) || ferror(pcap_dump_file(st.dump)))) {
		cli_error("replay: %s: write failed", o.write);
		goto out;
	}
	fprintf(stderr,
		"replay: %s: %llu frames (%llu delivered, %llu passed, %llu dropped, %llu not run: "
		"runts or over 3520 bytes): %llu messages, %llu malformed frames, %llu gaps of %llu "
		"messages, in %.3f s\n",
		o.capture, (unsigned long long)st.frames, (unsigned long long)st.delivered,
		(unsigned long long)st.passed, (unsigned long long)st.dropped,
		(unsigned long long)st.not_run,
		(unsigned long long)st.msgs, (unsigned long long)st.malformed,
		(unsigned long long)st.gaps, (unsigned long long)st.lost,
		(double)(fsi_now_ns() - start) / 1e9);
	rc = 0;
out:
	if (st.dump)
		pcap_dump_close(st.dump);
	if (rc && o.write && st.dump)
		unlink(o.write); /* no half output that looks like a result */
	if (dead)
		pcap_close(dead);
	if (p)
		pcap_close(p);
	fs_replay__destroy(r);
	fs_config__free(cfg);
	return rc;
}

#define F(field) CLI_FIELD(struct replay_opts, field)
const struct cli_cmd cli_cmd_replay = {
	.name = "replay",
	.args = "CONFIG CAPTURE",
	.opts = (const struct cli_opt[]){
		{.name = "json", F(json), .help = "one JSON object a line, as consume --json prints"},
		{.name = "write", .short_name = 'w', .metavar = "OUT.pcap", .parse = cli_parse_str,
		 F(write), .help = "write the delivered frames to a pcap"},
		{.name = "stats", F(stats), .help = "then the program's counters, as stats --json"},
		CLI_SEQUENCER_OPTS(struct replay_opts, gap_grace_ns, stale_ns),
		{},
	},
	.opts_size = sizeof(struct replay_opts),
	.run = do_replay,
	.help = "Run the XDP program on every frame of a capture, offline, and print what consume "
		"would.",
};
#undef F
