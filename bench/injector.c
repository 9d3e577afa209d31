// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * injector: drive an ITCH 5.0 / MoldUDP64 feed into a veth at a chosen frame rate.
 *
 * It runs inside the sender's network namespace. Each BPF_PROG_TEST_RUN call with
 * BPF_F_TEST_XDP_LIVE_FRAMES runs inject.bpf.c on the template frame `repeat` times; the program
 * stamps and numbers every copy and returns XDP_TX, so the copies leave through the sender veth
 * and reach its peer, where the receiver under test sits. A session starts with a Stock Directory
 * for every locate and ends with a heartbeat, whose sequence number (the next one) lets a
 * sequencing receiver see a loss at the tail.
 *
 * Pacing is the program's: frame n waits for t0 + n / rate (see inject.bpf.c), and the kernel
 * transmits each frame as soon as it is stamped up to 125 k frames/s; above, every --flush frames
 * (default 1 + rate / 125 000: a frame waits at most about 8 us for its batch), because a receive
 * NAPI poll per frame costs more than the 1 us a frame has at 1 M frames/s. Calls carry
 * --batch frames (default: 2 ms worth, 1024 when unpaced), so there are few of them: every call
 * sets up and tears down a page pool, and a pool whose pages are still held (by skbs queued on
 * a socket, say) is released a second later, each release walking the kernel's table of every
 * such pool (mem_allocator_disconnect). Thousands of calls a second against a receiver that
 * queues pages make that walk the sender's main cost, and exhaust the pool ids (ENOSPC).
 *
 * It prints one JSON object: frames and messages sent, how many of those messages are of
 * subscribed locates (--sub-every), the rate achieved, and where the CPUs' time went meanwhile.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "byteorder.h"
#include "injector.h"
#include "inject.skel.h"
#include "options.h"
#include "report.h"

#define ETH_HLEN_	   14
#define IP_HLEN		   20
#define UDP_HLEN	   8
#define MAX_FRAME	   1514 /* the peer's MTU bounds what veth forwards */
#define TEST_RUN_MAX_BATCH 256	/* the kernel's limit on batch_size in live-frames mode */
#define R_PER_PACKET	   ((MAX_FRAME - INJ_MOLD_OFF - MOLD_HDR_LEN) / (MOLD_BLOCK_HDR + ITCH_R_LEN))
#define LOOPBACK_IFINDEX   1	    /* in every network namespace */
#define FLUSH_EVERY_FPS	   125000   /* paced: one more frame per transmission per this rate */
#define PACE_START_NS	   50000ULL /* the first frame leaves this long after the first call */

struct inj_opts {
	const char *ifname;
	const char *group_arg, *session_arg; /* as typed; turned into group, port and session */
	struct in_addr group;
	__u16 port;
	char session[MOLD_SESSION_LEN + 1];
	__u32 msgs, locates, sub_every, batch, flush;
	bool mix;
	double rate;	 /* frames per second, 0: as fast as possible */
	double duration; /* seconds */
	int cpu;	 /* -1: not pinned */
};

#define MAX_CPUS 64

/* One CPU's line of /proc/stat, in USER_HZ ticks. */
struct cpu_ticks {
	__u64 user, nice, sys, idle, iowait, irq, softirq, steal;
};

struct inj_result {
	__u64 frames, calls, late;
	__u64 control_frames; /* Stock Directory packets and the closing heartbeat */
	__u32 batch, flush;   /* in effect */
	double seconds;
	__u64 cpu_ns;
	int ncpus;
	struct cpu_ticks before[MAX_CPUS], after[MAX_CPUS];
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + (__u64)ts.tv_nsec;
}

static void symbol_of(__u32 locate, char out[ITCH_SYMBOL_LEN])
{
	char s[16];

	snprintf(s, sizeof(s), INJ_SYMBOL_FMT, locate % 10000);
	memset(out, ' ', ITCH_SYMBOL_LEN);
	memcpy(out, s, strlen(s));
}

/* Ethernet, IPv4 and UDP headers for a MoldUDP64 payload of PAYLOAD bytes; returns the frame
 * length. The IPv4 checksum is valid (the kernel stack checks it for the socket baseline); the
 * UDP checksum is 0 (none). */
static __u32 build_headers(__u8 *f, const struct inj_opts *o, const __u8 src_mac[6],
			   __be32 src_addr, __u32 payload)
{
	__u32 group = ntohl(o->group.s_addr);
	__u8 *ip = f + ETH_HLEN_, *udp = ip + IP_HLEN;

	/* 01:00:5e + the low 23 bits of the group (RFC 1112). */
	f[0] = 0x01, f[1] = 0x00, f[2] = 0x5e;
	f[3] = (__u8)((group >> 16) & 0x7f), f[4] = (__u8)(group >> 8), f[5] = (__u8)group;
	memcpy(f + 6, src_mac, 6);
	put_be16(f + 12, 0x0800);
	ip[0] = 0x45;
	put_be16(ip + 2, (__u16)(IP_HLEN + UDP_HLEN + payload));
	ip[6] = 0x40; /* DF */
	ip[8] = 1;    /* TTL, as a multicast sender on the LAN */
	ip[9] = IPPROTO_UDP;
	memcpy(ip + 12, &src_addr, 4);
	memcpy(ip + 16, &o->group.s_addr, 4);
	put_be16(ip + 10, 0); /* the buffer may hold an earlier frame */
	put_be16(ip + 10, ip_checksum(ip, IP_HLEN));
	put_be16(udp + 0, o->port);
	put_be16(udp + 2, o->port);
	put_be16(udp + 4, (__u16)(UDP_HLEN + payload));
	return INJ_MOLD_OFF + payload;
}

static void mold_header(__u8 *mold, const struct inj_opts *o, __u64 seq, __u16 count)
{
	memset(mold, ' ', MOLD_SESSION_LEN);
	memcpy(mold, o->session, strlen(o->session));
	put_be64(mold + MOLD_OFF_SEQ, seq);
	put_be16(mold + MOLD_OFF_COUNT, count);
}

/* The traffic template: MSGS Add Orders whose locate, stock and timestamp the program fills. */
static __u32 build_traffic(__u8 *f, const struct inj_opts *o, const __u8 mac[6], __be32 src)
{
	__u8 *mold = f + INJ_MOLD_OFF;
	__u32 i;

	mold_header(mold, o, 0, (__u16)o->msgs);
	for (i = 0; i < o->msgs; i++) {
		__u8 *b = mold + MOLD_HDR_LEN + i * INJ_BLOCK_LEN, *m = b + MOLD_BLOCK_HDR;

		put_be16(b, INJ_MSG_LEN);
		m[ITCH_OFF_TYPE] = INJ_MSG_TYPE;
		put_be16(m + ITCH_OFF_TRACKING, 0);
		put_be64(m + ITCH_A_OFF_ORDER, 1000000 + i);
		m[ITCH_A_OFF_SIDE] = (i & 1) ? 'S' : 'B';
		put_be32(m + ITCH_A_OFF_SHARES, 100);
		memset(m + ITCH_A_OFF_STOCK, ' ', ITCH_SYMBOL_LEN);
		put_be32(m + ITCH_A_OFF_PRICE, 1000000);
	}
	return build_headers(f, o, mac, src, MOLD_HDR_LEN + o->msgs * INJ_BLOCK_LEN);
}

/* A Stock Directory packet for locates FIRST..FIRST+N-1, sequence numbers from SEQ. */
static __u32 build_directory(__u8 *f, const struct inj_opts *o, const __u8 mac[6], __be32 src,
			     __u64 seq, __u32 first, __u32 n)
{
	__u8 *mold = f + INJ_MOLD_OFF;
	__u32 i;

	mold_header(mold, o, seq, (__u16)n);
	for (i = 0; i < n; i++) {
		__u8 *b = mold + MOLD_HDR_LEN + i * (MOLD_BLOCK_HDR + ITCH_R_LEN);
		__u8 *m = b + MOLD_BLOCK_HDR;

		memset(b, 0, MOLD_BLOCK_HDR + ITCH_R_LEN);
		put_be16(b, ITCH_R_LEN);
		m[ITCH_OFF_TYPE] = ITCH_STOCK_DIRECTORY;
		put_be16(m + ITCH_OFF_LOCATE, (__u16)(first + i));
		symbol_of(first + i, (char *)m + ITCH_R_OFF_STOCK);
		m[ITCH_R_OFF_MARKET_CAT] = 'Q';
		m[ITCH_R_OFF_FIN_STATUS] = 'N';
		put_be32(m + ITCH_R_OFF_ROUND_LOT, 100);
		m[ITCH_R_OFF_ROUND_ONLY] = 'N';
		m[ITCH_R_OFF_ISSUE_CLASS] = 'C';
		memcpy(m + ITCH_R_OFF_ISSUE_SUB, "Z ", 2);
		m[ITCH_R_OFF_AUTHENTIC] = 'P';
		m[ITCH_R_OFF_SHORT_SALE] = 'N';
		m[ITCH_R_OFF_IPO_FLAG] = 'N';
		m[ITCH_R_OFF_LULD_TIER] = '1';
		m[ITCH_R_OFF_ETP_FLAG] = 'N';
		m[ITCH_R_OFF_INVERSE] = 'N';
	}
	return build_headers(f, o, mac, src, MOLD_HDR_LEN + n * (MOLD_BLOCK_HDR + ITCH_R_LEN));
}

static __u32 build_heartbeat(__u8 *f, const struct inj_opts *o, const __u8 mac[6], __be32 src,
			     __u64 next_seq)
{
	mold_header(f + INJ_MOLD_OFF, o, next_seq, MOLD_COUNT_HEARTBEAT);
	return build_headers(f, o, mac, src, MOLD_HDR_LEN);
}

/* Run PROG REPEAT times on FRAME in live-frames mode: the copies leave through IFINDEX. */
static int send_frames(int prog, int ifindex, __u8 *frame, __u32 len, __u32 repeat, __u32 flush)
{
	struct xdp_md ctx = {.data_end = len, .ingress_ifindex = (__u32)ifindex};
	LIBBPF_OPTS(bpf_test_run_opts, t, .data_in = frame, .data_size_in = len, .ctx_in = &ctx,
		    .ctx_size_in = sizeof(ctx), .repeat = repeat,
		    .flags = BPF_F_TEST_XDP_LIVE_FRAMES,
		    .batch_size = repeat < flush ? repeat : flush);

	if (bpf_prog_test_run_opts(prog, &t))
		return -errno;
	return 0;
}

/* Messages among the first FRAMES frames whose locate is subscribed: (locate - 1) % sub_every
 * == 0. The pattern repeats every LOCATES messages (mix) or frames. */
static __u64 subscribed_msgs(const struct inj_opts *o, __u64 frames)
{
	__u64 units = o->mix ? frames * o->msgs : frames, per_cycle = 0, whole, rest, i, n;

	for (i = 0; i < o->locates; i++)
		per_cycle += i % o->sub_every == 0;
	whole = units / o->locates;
	rest = units % o->locates;
	n = whole * per_cycle;
	for (i = 0; i < rest; i++)
		n += i % o->sub_every == 0;
	return o->mix ? n : n * o->msgs;
}

static int iface_addrs(const char *ifname, __u8 mac[6], __be32 *addr)
{
	struct ifreq ifr = {};
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), err = 0;

	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr)) {
		err = -errno;
		goto out;
	}
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	if (ioctl(fd, SIOCGIFADDR, &ifr)) {
		err = -errno;
		goto out;
	}
	*addr = ((struct sockaddr_in *)&ifr.ifr_addr)->sin_addr.s_addr;
out:
	close(fd);
	return err;
}

/* Per-CPU times of /proc/stat, to show where the CPUs went while the traffic ran. */
static int read_cpu_ticks(struct cpu_ticks *t, int max)
{
	char line[512];
	FILE *f = fopen("/proc/stat", "r");
	int n = 0;

	if (!f)
		return 0;
	while (n < max && fgets(line, sizeof(line), f)) {
		unsigned long long v[8];
		int cpu;

		if (strncmp(line, "cpu", 3) || line[3] == ' ')
			continue;
		if (sscanf(line, "cpu%d %llu %llu %llu %llu %llu %llu %llu %llu", &cpu, &v[0],
			   &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) != 9 ||
		    cpu != n)
			break;
		t[n++] = (struct cpu_ticks){v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]};
	}
	fclose(f);
	return n;
}

/* Send RATE x DURATION frames (or as many as DURATION allows when unpaced). */
static int pace(const struct inj_opts *o, struct inject_bpf *skel, int ifindex, __u8 *frame,
		__u32 len, struct inj_result *r)
{
	int prog = bpf_program__fd(skel->progs.inject_feed);
	struct inj_state *st = &skel->bss->state;
	__u64 total = o->rate > 0 ? (__u64)(o->rate * o->duration + 0.5) : ~0ULL;
	__u64 t0 = now_ns() + PACE_START_NS, end = t0 + (__u64)(o->duration * 1e9);
	__u32 batch = o->batch, flush = o->flush;
	int err = 0;

	if (!batch)
		batch = o->rate > 0 ? (__u32)(o->rate * 0.002) + 1 : 1024;
	/* Transmitting every frame alone costs a receive NAPI poll per frame: above 125 k frames/s,
	 * batches of up to 1 frame per 8 us, so a frame waits at most 8 us for its batch. */
	if (!flush)
		flush = o->rate > 0 ? (__u32)(o->rate / FLUSH_EVERY_FPS) + 1 : 64;
	if (flush > TEST_RUN_MAX_BATCH)
		flush = TEST_RUN_MAX_BATCH;
	r->batch = batch;
	r->flush = flush;
	st->t0_ns = t0;
	st->interval_ps = o->rate > 0 ? (__u64)(1e12 / o->rate + 0.5) : 0;
	/* The program counts the frames: a signal can cut a call short. */
	while (!stop && st->frames < total && (o->rate > 0 || now_ns() < end)) {
		__u64 n = total - st->frames < batch ? total - st->frames : batch;

		err = send_frames(prog, ifindex, frame, len, (__u32)n, flush);
		if (err && err != -EINTR)
			break;
		err = 0;
		r->calls++;
	}
	r->frames = st->frames;
	r->late = st->late;
	r->seconds = (double)(now_ns() - t0) / 1e9;
	return err;
}

static int run(const struct inj_opts *o, struct inj_result *r)
{
	__u8 frame[MAX_FRAME] = {}, mac[6];
	struct inject_bpf *skel;
	struct rusage ru0, ru1;
	__be32 src = 0;
	__u64 seq = 1;
	__u32 len, first, i;
	int ifindex, err;

	ifindex = (int)if_nametoindex(o->ifname);
	if (!ifindex)
		return -errno;
	err = iface_addrs(o->ifname, mac, &src);
	if (err)
		return err;
	skel = inject_bpf__open();
	if (!skel)
		return -errno;
	skel->rodata->msgs = o->msgs;
	skel->rodata->locates = o->locates;
	skel->rodata->mix = o->mix;
	skel->rodata->ifindex = (__u32)ifindex;
	for (i = 0; i < o->locates; i++)
		symbol_of(i + 1, (char *)skel->rodata->symbols[i].name);
	err = inject_bpf__load(skel);
	if (err)
		goto out;
	/*
	 * A test run of more than one repetition puts its program in the kernel's XDP dispatcher
	 * and takes it out afterwards, each change waiting for an RCU grace period (about 12 ms
	 * here): 40 calls a second at most. A program attached to an interface stays in the
	 * dispatcher, so those changes become reference counts. The namespace's loopback carries
	 * nothing (the program passes whatever it would), and the link goes with the process.
	 */
	skel->links.inject_feed =
	    bpf_program__attach_xdp(skel->progs.inject_feed, LOOPBACK_IFINDEX);
	if (!skel->links.inject_feed) {
		err = -errno;
		fprintf(stderr, "injector: attach to the loopback: %s\n", strerror(-err));
		goto out;
	}

	/* The directory first, then the traffic right behind it in sequence. */
	for (first = 1; first <= o->locates; first += R_PER_PACKET) {
		__u32 n =
		    o->locates - first + 1 < R_PER_PACKET ? o->locates - first + 1 : R_PER_PACKET;

		len = build_directory(frame, o, mac, src, seq, first, n);
		err =
		    send_frames(bpf_program__fd(skel->progs.inject_raw), ifindex, frame, len, 1, 1);
		if (err)
			goto out;
		seq += n;
		r->control_frames++;
	}
	skel->bss->state.seq_base = seq;
	skel->bss->state.frames = 0;

	len = build_traffic(frame, o, mac, src);
	getrusage(RUSAGE_SELF, &ru0);
	r->ncpus = read_cpu_ticks(r->before, MAX_CPUS);
	err = pace(o, skel, ifindex, frame, len, r);
	if (read_cpu_ticks(r->after, MAX_CPUS) != r->ncpus)
		r->ncpus = 0;
	getrusage(RUSAGE_SELF, &ru1);
	if (err)
		goto out;
	r->cpu_ns = (__u64)((ru1.ru_utime.tv_sec - ru0.ru_utime.tv_sec + ru1.ru_stime.tv_sec -
			     ru0.ru_stime.tv_sec) *
				1000000000LL +
			    (ru1.ru_utime.tv_usec - ru0.ru_utime.tv_usec + ru1.ru_stime.tv_usec -
			     ru0.ru_stime.tv_usec) *
				1000LL);
	len = build_heartbeat(frame, o, mac, src, seq + r->frames * o->msgs);
	err = send_frames(bpf_program__fd(skel->progs.inject_raw), ifindex, frame, len, 1, 1);
	if (!err)
		r->control_frames++;
out:
	inject_bpf__destroy(skel);
	return err;
}

/* "cpus":[{"cpu":0,"user":12.5,...}]: percent of each CPU's time while the traffic ran. */
static void print_cpus(const struct inj_result *r)
{
	int i;

	printf(",\"cpus\":[");
	for (i = 0; i < r->ncpus; i++) {
		const struct cpu_ticks *a = &r->before[i], *b = &r->after[i];
		double user = (double)(b->user + b->nice - a->user - a->nice);
		double sys = (double)(b->sys - a->sys), irq = (double)(b->irq - a->irq);
		double softirq = (double)(b->softirq - a->softirq),
		       steal = (double)(b->steal - a->steal);
		double idle = (double)(b->idle + b->iowait - a->idle - a->iowait);
		double all = user + sys + irq + softirq + steal + idle;

		if (all <= 0)
			all = 1;
		printf("%s{\"cpu\":%d,\"user\":%.1f,\"sys\":%.1f,\"irq\":%.1f,\"softirq\":%.1f,"
		       "\"steal\":%.1f,\"idle\":%.1f}",
		       i ? "," : "", i, 100 * user / all, 100 * sys / all, 100 * irq / all,
		       100 * softirq / all, 100 * steal / all, 100 * idle / all);
	}
	printf("]");
}

static void print_result(const struct inj_opts *o, const struct inj_result *r)
{
	__u64 msgs = r->frames * o->msgs;

	printf("{\"frames\":%llu,\"msgs\":%llu,\"subscribed_msgs\":%llu,\"seconds\":%.6f,"
	       "\"offered_fps\":%.0f,\"achieved_fps\":%.0f,\"achieved_msgs_per_s\":%.0f,"
	       "\"control_frames\":%llu,\"msgs_per_frame\":%u,\"locates\":%u,\"sub_every\":%u,"
	       "\"mix\":%s,"
	       "\"calls\":%llu,\"frames_per_call\":%.2f,\"flush\":%u,\"late_frames\":%llu,"
	       "\"injector_cpu_ns\":%llu",
	       (unsigned long long)r->frames, (unsigned long long)msgs,
	       (unsigned long long)subscribed_msgs(o, r->frames), r->seconds, o->rate,
	       (double)r->frames / r->seconds, (double)msgs / r->seconds,
	       (unsigned long long)r->control_frames, o->msgs, o->locates, o->sub_every,
	       o->mix ? "true" : "false", (unsigned long long)r->calls,
	       r->calls ? (double)r->frames / (double)r->calls : 0.0, r->flush,
	       (unsigned long long)r->late, (unsigned long long)r->cpu_ns);
	print_cpus(r);
	printf("}\n");
}

#define OPT(field) CLI_FIELD(struct inj_opts, field)
/* Ranges: what the program's maps hold (INJ_MAX_*), what one test run call transmits
 * (TEST_RUN_MAX_BATCH), 100 M frames/s and a day, far above what a step asks for. */
static const struct cli_opt inj_opts_table[] = {
    {"iface", 0, "IFNAME", "the sending interface; run in its network namespace (required)",
     cli_parse_str, OPT(ifname)},
    {"group", 0, "ADDR:PORT", "the multicast group to send to (required)", cli_parse_str,
     OPT(group_arg)},
    {"session", 0, "NAME", "MoldUDP64 session, 1 to 10 characters (default BENCH00001)",
     cli_parse_str, OPT(session_arg)},
    {"msgs", 0, "M", "Add Orders per frame (default 4)", cli_parse_uint, OPT(msgs), 1,
     INJ_MAX_MSGS, "must be at least 1"},
    {"locates", 0, "L", "locates the traffic cycles through (default 100)", cli_parse_uint,
     OPT(locates), 1, INJ_MAX_LOCATES, "must be at least 1"},
    {"sub-every", 0, "S", "locate l counts as subscribed when (l - 1) % S == 0 (default 1)",
     cli_parse_uint, OPT(sub_every), 1, 1000000, "must be at least 1"},
    {"mix", 0, NULL, "mix locates within a frame (default: one locate per frame)", NULL, OPT(mix)},
    {"rate", 0, "FPS", "frames per second; 0 (default): as fast as it can", cli_parse_double,
     OPT(rate), 0, 100000000},
    {"duration", 0, "SECONDS", "how long to send (default 1)", cli_parse_double,
     OPT(duration), 0, 86400},
    {"batch", 0, "B", "frames per test run call (default 2 ms worth; unpaced 1024)",
     cli_parse_uint, OPT(batch), 0, 1000000},
    {"flush", 0, "F", "frames per transmission (default 1 + rate / 125000; unpaced 64)",
     cli_parse_uint, OPT(flush), 0, TEST_RUN_MAX_BATCH},
    {"cpu", 0, "C", "pin to CPU C", cli_parse_uint, OPT(cpu), 0, 4095},
    {},
};

static const struct cli_cmd inj_cmd = {
    .args = "",
    .opts = inj_opts_table,
    .help = "sends ITCH 5.0 / MoldUDP64 frames with BPF_PROG_TEST_RUN live frames (XDP_TX)",
    .synopsis = "--iface IFNAME --group ADDR:PORT [--session NAME] [--msgs M] [--locates L] "
		"[--sub-every S] [--mix] [--rate FPS] [--duration SECONDS] [--batch B] "
		"[--flush F] [--cpu C]",
};

static int parse_group(const char *text, struct in_addr *addr, __u16 *port)
{
	char buf[32], *colon;
	long p;

	snprintf(buf, sizeof(buf), "%s", text);
	colon = strchr(buf, ':');
	if (!colon)
		return -EINVAL;
	*colon = '\0';
	p = strtol(colon + 1, NULL, 10);
	if (inet_pton(AF_INET, buf, addr) != 1 || p < 1 || p > 65535 ||
	    (ntohl(addr->s_addr) >> 28) != 0xe)
		return -EINVAL;
	*port = (__u16)p;
	return 0;
}

/* The required options, --group and --session: 0 or EXIT_USAGE after a one-line error. */
static int check_args(struct inj_opts *o)
{
	if (!o->ifname || !o->group_arg)
		return cli_usage_error("--iface and --group are required");
	if (parse_group(o->group_arg, &o->group, &o->port))
		return cli_usage_error("--group: '%s' is not a multicast ADDR:PORT", o->group_arg);
	if (o->session_arg) {
		if (!*o->session_arg || strlen(o->session_arg) > MOLD_SESSION_LEN)
			return cli_usage_error("--session: 1 to %d characters", MOLD_SESSION_LEN);
		snprintf(o->session, sizeof(o->session), "%s", o->session_arg);
	}
	if (o->duration <= 0)
		return cli_usage_error("--duration must be more than 0");
	return 0;
}

int main(int argc, char **argv)
{
	struct inj_opts o = {
	    .session = "BENCH00001",
	    .msgs = 4,
	    .locates = 100,
	    .sub_every = 1,
	    .batch = 0, /* see pace() */
	    .flush = 0,
	    .duration = 1,
	    .cpu = -1,
	};
	struct inj_result r = {};
	int err;

	err = cli_parse_program("injector", &inj_cmd, argc, argv, &o);
	if (err != CLI_RUN)
		return err;
	err = check_args(&o);
	if (err)
		return err;
	if (o.cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(o.cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set)) {
			fprintf(stderr, "injector: pin to CPU %d: %s\n", o.cpu, strerror(errno));
			return 1;
		}
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	err = run(&o, &r);
	if (err) {
		fprintf(stderr, "injector: %s: %s\n", o.ifname, strerror(-err));
		return 1;
	}
	print_result(&o, &r);
	return 0;
}
