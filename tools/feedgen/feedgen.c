// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * feedgen: a synthetic, spec-conformant feed over multicast (Nasdaq TotalView-ITCH 5.0 over
 * MoldUDP64, CME MDP 3.0, NYSE XDP Integrated Feed or Cboe Multicast PITCH), reproducible from its arguments, with an optional pcap and a JSON
 * log of every message sent. main() parses, opens the outputs and runs the loop, which knows no
 * protocol: the protocols (proto.h) make the packets and write their log lines.
 */
#define _GNU_SOURCE /* ppoll() */
#include <net/if.h>
#include <netinet/in.h>
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "latecopy.h"
#include "msglog.h"
#include "pace.h"
#include "pcap.h"
#include "proto.h"
#include "send.h"
#include "prng.h"
#include "retransmit.h"
#include "symbols.h"
#include "tap.h"

/* Exit status for bad arguments, as getopt-style tools use. */
#define EXIT_USAGE 2

/*
 * Pcap timestamps follow the ideal send schedule from a fixed instant, not the wall clock, so the
 * same arguments give the same file: 2024-01-02 14:30:00 UTC, the 09:30 ET market open.
 */
#define PCAP_EPOCH_NS (1704205800ULL * 1000000000ULL)

/* Re-requests are served until this long before the next packet is due; the pacer spins the
 * rest, so serving never makes a packet late. */
#define SERVE_MARGIN_NS 50000

/* Spacing of packets in simulated time when sending is unpaced. */
#define UNPACED_RATE FEEDGEN_DEFAULT_RATE

/* Set by SIGINT/SIGTERM: stop the traffic and send the closing, so the session still ends well. */
static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* Lines of a channel: A, and B in two-line mode. */
enum { LINE_A, LINE_B, LINES };

/* Where one line of one channel goes: its group, and its socket or (--tap) tap writer. */
struct line_out {
	const struct sockaddr_in *addr; /* NULL: the channel has no such line */
	const char *name;		/* "ADDR:PORT" */
	struct mcast_tx *tx;
	struct tap_tx *tap;
};

struct outputs {
	struct line_out line[FG_CHANS][LINES];
	struct tap_tx *tap_first; /* the tap's first writer; the others are its peers */
	FILE *loss_log;
	struct pcap_writer *pcap;
	struct msglog *log;
};

struct run_stats {
	__u64 packets;
	__u64 messages;
	__u64 bytes; /* UDP payload */
	__u64 start_ns;
	__u64 end_ns;
};

struct run {
	const struct feedgen_cfg *cfg;
	const struct fg_proto *proto;
	void *gen;
	struct outputs out;
	struct pacer pacer;
	__u64 sim_rate; /* schedule the pcap timestamps follow */
	struct run_stats st;
	struct prng loss_rng; /* its own stream: losses never change the feed's content */
	__u64 lost_a, lost_b, lost_both;
	/* Gap recovery: the re-request server (NULL: none) and the late copies to send. */
	struct retrans *srv;
	struct late_copies late;
};

/* Which lines lose this traffic packet; logged when any does. */
static int decide_loss(struct run *r, const struct fg_pkt *pkt, bool *drop_a, bool *drop_b)
{
	*drop_a = prng__below(&r->loss_rng, 1000000) < r->cfg->loss_a_ppm;
	*drop_b = prng__below(&r->loss_rng, 1000000) < r->cfg->loss_b_ppm;
	r->lost_a += *drop_a && !*drop_b;
	r->lost_b += *drop_b && !*drop_a;
	r->lost_both += *drop_a && *drop_b;
	if ((*drop_a || *drop_b) && r->out.loss_log &&
	    fprintf(r->out.loss_log, "{\"seq\":%llu,\"count\":%u,\"lost\":\"%s\"}\n",
		    (unsigned long long)pkt->seq, pkt->seq_count,
		    *drop_a && *drop_b ? "both" : *drop_a ? "A" : "B") < 0)
		return -EIO;
	return 0;
}

/* One line's copy of PKT, through its socket or into the tap (neither with --no-send). */
static int send_line(const struct line_out *l, const struct fg_pkt *pkt)
{
	int err = 0;

	if (l->tx)
		err = mcast_tx__send(l->tx, pkt->buf, pkt->len);
	else if (l->tap)
		err = tap_tx__send(l->tap, pkt->buf, pkt->len);
	if (err)
		fprintf(stderr, "feedgen: send to %s: %s\n", l->name, strerror(-err));
	return err;
}

/* Send the late copies due by NOW on line A, and log them. */
static int send_late_copies(struct run *r, __u64 now)
{
	const struct line_out *a = &r->out.line[FG_CHAN_MAIN][LINE_A];
	const struct late_copy *c;
	struct fg_pkt pkt;
	int err;

	while ((c = late_copies__due(&r->late, now))) {
		pkt = (struct fg_pkt){.buf = c->buf, .len = c->len};
		err = send_line(a, &pkt);
		if (err)
			return err;
		if (r->out.loss_log &&
		    fprintf(
			r->out.loss_log,
			"{\"late_copy\":{\"seq\":%llu,\"count\":%u,\"line\":\"A\",\"ms\":%.3f}}\n",
			(unsigned long long)c->seq, c->count,
			(double)(now - r->st.start_ns) / 1e6) < 0) {
			fprintf(stderr, "feedgen: write %s: %s\n", r->cfg->loss_log_path,
				strerror(EIO));
			return -EIO;
		}
		late_copies__pop(&r->late);
	}
	return 0;
}

static bool serving(const struct run *r)
{
	return r->srv || r->cfg->rec.late_copy_ms;
}

/*
 * Until UNTIL_NS (CLOCK_MONOTONIC; one pass at least): answer re-requests and send what falls
 * due (delayed answers, late copies), waiting in poll() on the server's socket in between.
 */
static int serve_until(struct run *r, __u64 until_ns)
{
	struct pollfd pfd = {.fd = r->srv ? retrans__fd(r->srv) : -1, .events = POLLIN};
	struct timespec ts;
	__u64 now, next;
	int err;

	for (;;) {
		err = pace_now_ns(&now);
		if (!err)
			err = send_late_copies(r, now);
		if (err)
			return err;
		if (r->srv) {
			err = retrans__work(r->srv, now);
			if (err) {
				fprintf(stderr, "feedgen: re-request server: %s\n", strerror(-err));
				return err;
			}
		}
		if (now >= until_ns || stop_requested)
			return 0;
		next = until_ns;
		if (r->srv && retrans__next_due(r->srv) < next)
			next = retrans__next_due(r->srv);
		if (late_copies__next_due(&r->late) < next)
			next = late_copies__next_due(&r->late);
		if (next <= now)
			continue;
		ts.tv_sec = (time_t)((next - now) / 1000000000ULL);
		ts.tv_nsec = (long)((next - now) % 1000000000ULL);
		if (ppoll(&pfd, 1, &ts, NULL) < 0 && errno != EINTR)
			return -errno;
	}
}

/* After the last packet: the late copies still waiting, then --serve-linger-ms of serving. */
static int linger(struct run *r)
{
	__u64 now, linger_ms;
	int err;

	while (!stop_requested && late_copies__next_due(&r->late) != UINT64_MAX) {
		err = serve_until(r, late_copies__next_due(&r->late));
		if (err)
			return err;
	}
	if (!r->srv)
		return 0;
	linger_ms = r->cfg->rec.linger_ms ? r->cfg->rec.linger_ms : FEEDGEN_DEFAULT_LINGER_MS;
	err = pace_now_ns(&now);
	return err ? err : serve_until(r, now + linger_ms * 1000000ULL);
}

/* What the server keeps and what the late copies repeat, for one packet about to go out. */
static int keep_for_recovery(struct run *r, const struct fg_pkt *pkt, bool lost_on_both)
{
	__u64 now;
	int err;

	if (r->srv && pkt->chan == FG_CHAN_MAIN) {
		err = retrans__record(r->srv, pkt->buf, pkt->len);
		if (err) {
			fprintf(stderr, "feedgen: re-request server history: %s\n", strerror(-err));
			return err;
		}
	}
	if (!lost_on_both || !r->cfg->rec.late_copy_ms)
		return 0;
	err = pace_now_ns(&now);
	if (!err)
		err = late_copies__push(&r->late, pkt, now);
	if (err)
		fprintf(stderr, "feedgen: late copy: %s\n", strerror(-err));
	return err;
}

/* Send, capture and log one packet, in that order: only what went out is recorded. */
static int emit(struct run *r, const struct fg_pkt *pkt)
{
	__u64 ts = PCAP_EPOCH_NS + pace_slot_ns(r->st.packets, r->sim_rate);
	const struct line_out *line = r->out.line[pkt->chan];
	bool drop_a = false, drop_b = false;
	char lines[LINES + 1], *l = lines;
	__u64 due;
	int err;

	if (serving(r)) {
		due = pacer__due_ns(&r->pacer);
		err = serve_until(r, due > SERVE_MARGIN_NS ? due - SERVE_MARGIN_NS : 0);
		if (err)
			return err;
	}
	err = pacer__wait(&r->pacer);
	if (err) {
		fprintf(stderr, "feedgen: pacing clock: %s\n", strerror(-err));
		return err;
	}
	if (pkt->lossy && (r->cfg->loss_a_ppm || r->cfg->loss_b_ppm)) {
		err = decide_loss(r, pkt, &drop_a, &drop_b);
		if (err) {
			fprintf(stderr, "feedgen: write %s: %s\n", r->cfg->loss_log_path,
				strerror(-err));
			return err;
		}
	}
	if (serving(r)) {
		err = keep_for_recovery(r, pkt, drop_a && drop_b);
		if (err)
			return err;
	}
	if (!drop_a && line[LINE_A].addr) {
		err = send_line(&line[LINE_A], pkt);
		if (err)
			return err;
		*l++ = 'A';
	}
	if (!drop_b && line[LINE_B].addr) {
		err = send_line(&line[LINE_B], pkt);
		if (err)
			return err;
		*l++ = 'B';
	}
	*l = '\0';
	if (r->out.pcap) {
		err = pcap_writer__write_to(r->out.pcap, line[LINE_A].addr, ts, pkt->buf, pkt->len);
		if (err) {
			fprintf(stderr, "feedgen: write %s: %s\n", r->cfg->pcap_path,
				strerror(-err));
			return err;
		}
	}
	if (r->out.log) {
		err = r->proto->log(r->out.log, pkt, line[LINE_A].name, lines);
		if (err) {
			fprintf(stderr, "feedgen: write %s: %s\n", r->cfg->log_path,
				strerror(-err));
			return err;
		}
	}
	r->st.packets++;
	r->st.messages += pkt->msgs;
	r->st.bytes += pkt->len;
	return 0;
}

static int traffic_over(struct run *r, __u64 traffic_pkts, bool *over)
{
	__u64 now;
	int err;

	if (stop_requested) {
		*over = true;
		return 0;
	}
	if (r->cfg->duration <= 0) {
		*over = traffic_pkts >= r->cfg->packets;
		return 0;
	}
	err = pace_now_ns(&now);
	if (err)
		return err;
	*over = (double)(now - r->st.start_ns) >= r->cfg->duration * 1e9;
	return 0;
}

static int run_session(struct run *r)
{
	__u64 traffic_pkts = 0;
	struct fg_pkt pkt;
	bool over;
	int err;

	for (;;) {
		err = traffic_over(r, traffic_pkts, &over);
		if (err)
			return err;
		if (over)
			r->proto->stop_traffic(r->gen);
		err = r->proto->next(r->gen, &pkt);
		if (err == -ENODATA)
			return 0;
		if (err)
			return err;
		err = emit(r, &pkt);
		if (err)
			return err;
		if (pkt.traffic)
			traffic_pkts++;
	}
}

/* The groups of every line of every channel, from the options. */
static void plan_lines(const struct feedgen_cfg *cfg, struct outputs *out)
{
	out->line[FG_CHAN_MAIN][LINE_A] =
	    (struct line_out){.addr = &cfg->group, .name = cfg->group_str};
	if (cfg->have_group_b)
		out->line[FG_CHAN_MAIN][LINE_B] =
		    (struct line_out){.addr = &cfg->group_b, .name = cfg->group_b_str};
	if (cfg->have_defs)
		out->line[FG_CHAN_DEFS][LINE_A] =
		    (struct line_out){.addr = &cfg->defs, .name = cfg->defs_str};
	if (cfg->have_snapshot)
		out->line[FG_CHAN_SNAPSHOT][LINE_A] =
		    (struct line_out){.addr = &cfg->snapshot, .name = cfg->snapshot_str};
}

/* A socket, or a writer into the tap, for line L; nothing with --no-send. */
static int open_line(const struct feedgen_cfg *cfg, unsigned int ifindex, struct outputs *out,
		     struct line_out *l)
{
	int err;

	if (cfg->tap[0]) {
		if (out->tap_first) {
			err = tap_tx__peer(&l->tap, out->tap_first, l->addr);
		} else {
			err = tap_tx__open(&out->tap_first, cfg->tap, l->addr);
			l->tap = out->tap_first;
		}
		if (err)
			fprintf(stderr, "feedgen: tap %s: %s%s\n", cfg->tap, strerror(-err),
				err == -EBUSY ? " (another process holds it)" : "");
		return err;
	}
	if (cfg->no_send)
		return 0;
	err = mcast_tx__open(&l->tx, l->addr, ifindex);
	if (err)
		fprintf(stderr, "feedgen: socket for %s%s%s: %s\n", l->name, ifindex ? " on " : "",
			cfg->iface, strerror(-err));
	return err;
}

static int open_outputs(const struct feedgen_cfg *cfg, const struct symtab *syms,
			unsigned int ifindex, struct outputs *out)
{
	int err, c, l;

	plan_lines(cfg, out);
	for (c = 0; c < FG_CHANS; c++) {
		for (l = 0; l < LINES; l++) {
			if (!out->line[c][l].addr)
				continue;
			err = open_line(cfg, ifindex, out, &out->line[c][l]);
			if (err)
				return err;
		}
	}
	if (cfg->loss_log_path) {
		out->loss_log = fopen(cfg->loss_log_path, "w");
		if (!out->loss_log) {
			fprintf(stderr, "feedgen: create %s: %s\n", cfg->loss_log_path,
				strerror(errno));
			return -errno;
		}
	}
	if (cfg->pcap_path) {
		err = pcap_writer__open(&out->pcap, cfg->pcap_path, &cfg->group);
		if (err) {
			fprintf(stderr, "feedgen: create %s: %s\n", cfg->pcap_path, strerror(-err));
			return err;
		}
	}
	if (cfg->log_path) {
		err = msglog__open(&out->log, cfg->log_path, cfg->group_str, syms);
		if (err) {
			fprintf(stderr, "feedgen: create %s: %s\n", cfg->log_path, strerror(-err));
			return err;
		}
		if (cfg->log_symbols) {
			err = msglog__only_symbols(out->log, cfg->log_symbols);
			if (err) {
				fprintf(stderr, "feedgen: --log-symbols '%s': %s\n",
					cfg->log_symbols,
					err == -ENOENT ? "a symbol not in the table" : strerror(-err));
				return err;
			}
		}
	}
	return 0;
}

/* Close everything; a lost write at close time is an error like any other. */
static int close_outputs(const struct feedgen_cfg *cfg, struct outputs *out)
{
	int ret = 0, err;

	int c, l;

	for (c = 0; c < FG_CHANS; c++) {
		for (l = 0; l < LINES; l++) {
			mcast_tx__close(out->line[c][l].tx);
			if (out->line[c][l].tap != out->tap_first)
				tap_tx__close(out->line[c][l].tap);
		}
	}
	tap_tx__close(out->tap_first);
	if (out->loss_log && fclose(out->loss_log)) {
		fprintf(stderr, "feedgen: close %s: %s\n", cfg->loss_log_path, strerror(errno));
		ret = -EIO;
	}
	err = pcap_writer__close(out->pcap);
	if (err) {
		fprintf(stderr, "feedgen: close %s: %s\n", cfg->pcap_path, strerror(-err));
		ret = err;
	}
	err = msglog__close(out->log);
	if (err) {
		fprintf(stderr, "feedgen: close %s: %s\n", cfg->log_path, strerror(-err));
		ret = err;
	}
	memset(out, 0, sizeof(*out));
	return ret;
}

static int install_signals(void)
{
	struct sigaction sa = {.sa_handler = on_signal};

	if (sigemptyset(&sa.sa_mask) || sigaction(SIGINT, &sa, NULL) ||
	    sigaction(SIGTERM, &sa, NULL))
		return -errno;
	return 0;
}

static void print_summary(const struct run_stats *st)
{
	double secs = (double)(st->end_ns - st->start_ns) / 1e9;

	fprintf(stderr,
		"feedgen: %" PRIu64 " packets, %" PRIu64 " messages, %" PRIu64
		" bytes in %.3f s (%.0f packets/s)\n",
		(uint64_t)st->packets, (uint64_t)st->messages, (uint64_t)st->bytes, secs,
		secs > 0 ? (double)st->packets / secs : 0.0);
}

static int list_symbols(const struct symtab *syms)
{
	__u32 i;

	for (i = 1; i <= symtab__count(syms); i++)
		printf("%u %s\n", symtab__id(syms, i), symtab__str(syms, i));
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "feedgen: write symbols: %s\n", strerror(errno));
		return EXIT_FAILURE;
	}
	return EXIT_SUCCESS;
}

static int do_run(const struct feedgen_cfg *cfg, const struct fg_proto *proto,
		  const struct symtab *syms, unsigned int ifindex)
{
	struct run r = {
	    .cfg = cfg,
	    .proto = proto,
	    .sim_rate = cfg->rate ? cfg->rate : UNPACED_RATE,
	};
	struct fg_gen_opts go = {
	    .cfg = cfg,
	    .syms = syms,
	    .tick_ns = pace_slot_ns(1, r.sim_rate),
	    .epoch_ns = PCAP_EPOCH_NS,
	};
	int err, cerr;

	prng__seed(&r.loss_rng, cfg->seed ^ 0x6c6f7373ULL); /* "loss" */
	err = proto->open(&r.gen, &go);
	if (err) {
		fprintf(stderr, "feedgen: session: %s\n", strerror(-err));
		return EXIT_FAILURE;
	}
	err = install_signals();
	if (err) {
		fprintf(stderr, "feedgen: signal handlers: %s\n", strerror(-err));
		goto out;
	}
	late_copies__init(&r.late, cfg->rec.late_copy_ms * 1000000ULL);
	err = open_outputs(cfg, syms, ifindex, &r.out);
	if (err)
		goto out;

	err = pacer__init(&r.pacer, cfg->rate);
	if (!err)
		err = pace_now_ns(&r.st.start_ns);
	if (err) {
		fprintf(stderr, "feedgen: clock: %s\n", strerror(-err));
		goto out;
	}
	if (cfg->rec.serve_port) {
		err = retrans__open(&r.srv, cfg, r.out.loss_log, r.st.start_ns);
		if (err) {
			fprintf(stderr, "feedgen: --serve-retransmit %u: %s\n", cfg->rec.serve_port,
				strerror(-err));
			goto out;
		}
	}
	err = run_session(&r);
	if (pace_now_ns(&r.st.end_ns))
		r.st.end_ns = r.st.start_ns;
	print_summary(&r.st);
	if (cfg->loss_a_ppm || cfg->loss_b_ppm)
		fprintf(stderr,
			"feedgen: traffic packets lost on A only %llu, on B only %llu, on both %llu\n",
			(unsigned long long)r.lost_a, (unsigned long long)r.lost_b,
			(unsigned long long)r.lost_both);
	if (!err && serving(&r))
		err = linger(&r);
	if (r.srv)
		retrans__print_summary(r.srv);
out:
	retrans__close(r.srv);
	late_copies__free(&r.late);
	cerr = close_outputs(cfg, &r.out);
	proto->close(r.gen);
	return err || cerr ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* Indexed by enum feedgen_proto. */
static const struct fg_proto *const protos[] = {
    [FEEDGEN_ITCH] = &fg_proto_itch,
    [FEEDGEN_MDP3] = &fg_proto_mdp3,
    [FEEDGEN_NYSE] = &fg_proto_nyse,
    [FEEDGEN_PITCH] = &fg_proto_pitch,
};

int main(int argc, char **argv)
{
	const struct fg_proto *proto;
	struct symtab *syms = NULL;
	unsigned int ifindex = 0;
	struct feedgen_cfg cfg;
	char msg[256];
	int err, ret;

	if (feedgen_parse_args(argc, argv, &cfg, msg, sizeof(msg))) {
		fprintf(stderr, "feedgen: %s\n", msg);
		return EXIT_USAGE;
	}
	if (cfg.help) {
		feedgen_usage(stdout);
		return EXIT_SUCCESS;
	}
	if (cfg.iface[0] && !cfg.no_send) {
		ifindex = if_nametoindex(cfg.iface);
		if (!ifindex) {
			fprintf(stderr, "feedgen: --iface %s: %s\n", cfg.iface, strerror(errno));
			return EXIT_USAGE;
		}
	}
	proto = protos[cfg.proto];
	err = symtab__new_style(&syms, cfg.nsyms, proto->style);
	if (err) {
		fprintf(stderr, "feedgen: symbol table: %s\n", strerror(-err));
		return EXIT_FAILURE;
	}
	if (cfg.list_symbols)
		ret = list_symbols(syms);
	else
		ret = do_run(&cfg, proto, syms, ifindex);
	symtab__free(syms);
	return ret;
}
