// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * rx_socket: the load benchmarks' baseline, a market-data receiver built the conventional way.
 * One UDP socket bound to the group, IP_ADD_MEMBERSHIP on the receiving interface, a large
 * receive buffer, recvmmsg() in batches, and the same symbol filter as feedsieve's in user space:
 * walk every MoldUDP64 block, learn locate -> symbol from the Stock Directory, and keep a message
 * when subscribed[locate] says so. It also checks the packets' sequence numbers, as any
 * MoldUDP64 consumer must, and counts the ranges it never received.
 *
 * A veth delivers frames sent with XDP_TX or a redirect (as the injector sends them) only when the
 * receiving end runs NAPI, which an XDP program or GRO requested with ethtool turns on. --xdp-pass
 * attaches a program that passes every frame (a few ns per frame; ethtool is not a dependency)
 * and removes it on exit. A real NIC needs neither.
 *
 * Waiting: --wait block (recvmmsg sleeps until a datagram comes), or --wait spin (MSG_DONTWAIT in
 * a loop); --busy-poll-us sets SO_BUSY_POLL (and SO_PREFER_BUSY_POLL, SO_BUSY_POLL_BUDGET) so that
 * the receive call itself runs the interface's NAPI on this CPU.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>

#include "feedsieve/parse.h"
#include "busy_poll.h" /* user/lib */
#include "options.h"
#include "report.h"
#include "rx.h"


#define MAX_BATCH 256
#define DGRAM_MAX 2048
#define MAX_SUBS  INJ_MAX_LOCATES
#define LOCATES	  65536

struct rxs_opts {
	const char *ifname;
	struct in_addr group;
	__u16 port;
	int cpu;
	double duration;
	const char *hist;
	const char *group_arg, *subs_arg; /* as typed; turned into group, port and subs */
	int spin;			  /* --wait: 0 block, 1 spin */
	bool xdp_pass;
	__u32 busy_poll_us, batch;
	int rcvbuf;
	char (*subs)[ITCH_SYMBOL_LEN]; /* sorted, space-padded */
	size_t nsubs;
};

struct rxs_state {
	struct rx_meter m;
	__u64 next_seq; /* 0: nothing received yet */
	__u64 datagrams, bytes, truncated, malformed;
	bool subscribed[LOCATES];
	__u8 bufs[MAX_BATCH][DGRAM_MAX];
	struct iovec iov[MAX_BATCH];
	struct mmsghdr msgs[MAX_BATCH];
};

static int cmp_sym(const void *a, const void *b)
{
	return memcmp(a, b, ITCH_SYMBOL_LEN);
}

static bool is_subscribed(const struct rxs_opts *o, const __u8 *sym)
{
	return bsearch(sym, o->subs, o->nsubs, ITCH_SYMBOL_LEN, cmp_sym) != NULL;
}

/* One MoldUDP64 datagram, received at NOW. */
static void on_datagram(const struct rxs_opts *o, struct rxs_state *st, const __u8 *p, __u32 len,
			__u64 now)
{
	__u32 off = MOLD_HDR_LEN, i, count;
	__u64 seq;
	bool counted = false;

	if (len < MOLD_HDR_LEN) {
		st->malformed++;
		return;
	}
	seq = fs_be64(p + MOLD_OFF_SEQ);
	count = fs_be16(p + MOLD_OFF_COUNT);
	if (count == MOLD_COUNT_END_OF_SESSION)
		count = 0;
	/* A heartbeat carries the next sequence number: it reveals a loss at the tail. */
	if (st->next_seq && seq > st->next_seq) {
		st->m.gaps++;
		st->m.gap_msgs += seq - st->next_seq;
	}
	if (seq + count > st->next_seq)
		st->next_seq = seq + count;
	for (i = 0; i < count; i++) {
		__u32 blen;
		const __u8 *m;
		__u16 locate;

		if (off + MOLD_BLOCK_HDR > len)
			break;
		blen = fs_be16(p + off);
		m = p + off + MOLD_BLOCK_HDR;
		off += MOLD_BLOCK_HDR + blen;
		if (blen < ITCH_MIN_READ_LEN || off > len) {
			st->malformed++;
			break;
		}
		locate = fs_be16(m + ITCH_OFF_LOCATE);
		if (m[ITCH_OFF_TYPE] == ITCH_STOCK_DIRECTORY && blen >= ITCH_R_LEN) {
			st->subscribed[locate] = is_subscribed(o, m + ITCH_R_OFF_STOCK);
			if (st->subscribed[locate])
				st->m.other_msgs++;
			continue;
		}
		if (!st->subscribed[locate])
			continue;
		if (m[ITCH_OFF_TYPE] != INJ_MSG_TYPE || blen < ITCH_COMMON_LEN) {
			st->m.other_msgs++;
			continue;
		}
		if (!counted) {
			counted = true;
			rx_meter_frame(&st->m, now);
			st->m.frames++;
		}
		rx_meter_msg(&st->m, seq + i, rx_stamp(m), now);
	}
}

static int open_socket(const struct rxs_opts *o, int *out)
{
	struct sockaddr_in sa = {
	    .sin_family = AF_INET, .sin_port = htons(o->port), .sin_addr = o->group};
	struct ip_mreqn mreq = {.imr_multiaddr = o->group};
	int fd, one = 1, err;

	mreq.imr_ifindex = (int)if_nametoindex(o->ifname);
	if (!mreq.imr_ifindex)
		return -errno;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* SO_RCVBUFFORCE: above net.core.rmem_max, as root. */
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &o->rcvbuf, sizeof(o->rcvbuf)) ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq, sizeof(mreq)))
		goto fail;
	if (o->busy_poll_us) {
		int us = (int)o->busy_poll_us, budget = (int)o->batch;

		if (setsockopt(fd, SOL_SOCKET, SO_PREFER_BUSY_POLL, &one, sizeof(one)) ||
		    setsockopt(fd, SOL_SOCKET, SO_BUSY_POLL, &us, sizeof(us)) ||
		    setsockopt(fd, SOL_SOCKET, SO_BUSY_POLL_BUDGET, &budget, sizeof(budget)))
			goto fail;
	}
	*out = fd;
	return 0;
fail:
	err = -errno;
	close(fd);
	return err;
}

/* Attach "return XDP_PASS" in native mode to IFINDEX; returns the program fd or -errno. */
static int attach_xdp_pass(int ifindex)
{
	const struct bpf_insn insns[] = {
	    {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = XDP_PASS},
	    {.code = BPF_JMP | BPF_EXIT},
	};
	int fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "rx_socket_pass", "GPL", insns, 2, NULL), err;

	if (fd < 0)
		return fd;
	err = bpf_xdp_attach(ifindex, fd, XDP_FLAGS_DRV_MODE | XDP_FLAGS_UPDATE_IF_NOEXIST, NULL);
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

/* The namespace's UDP receive-buffer and error counters (/proc/net/snmp). */
static void udp_snmp(__u64 *rcvbuf_errors, __u64 *in_errors)
{
	char hdr[512], val[512];
	FILE *f = fopen("/proc/net/snmp", "r");

	*rcvbuf_errors = *in_errors = 0;
	if (!f)
		return;
	while (fgets(hdr, sizeof(hdr), f) && fgets(val, sizeof(val), f)) {
		char *hs, *vs, *h, *v;

		if (strncmp(hdr, "Udp:", 4))
			continue;
		h = strtok_r(hdr, " \n", &hs);
		v = strtok_r(val, " \n", &vs);
		while ((h = strtok_r(NULL, " \n", &hs)) && (v = strtok_r(NULL, " \n", &vs))) {
			if (!strcmp(h, "RcvbufErrors"))
				*rcvbuf_errors = strtoull(v, NULL, 10);
			else if (!strcmp(h, "InErrors"))
				*in_errors = strtoull(v, NULL, 10);
		}
		break;
	}
	fclose(f);
}

static int receive(const struct rxs_opts *o, struct rxs_state *st, int fd)
{
	__u64 end = o->duration > 0 ? rx_now_ns() + (__u64)(o->duration * 1e9) : ~0ULL;
	int flags = o->spin ? MSG_DONTWAIT : MSG_WAITFORONE;
	__u32 i;

	for (i = 0; i < o->batch; i++) {
		st->iov[i].iov_base = st->bufs[i];
		st->iov[i].iov_len = DGRAM_MAX;
		st->msgs[i].msg_hdr.msg_iov = &st->iov[i];
		st->msgs[i].msg_hdr.msg_iovlen = 1;
	}
	while (!rx_stop) {
		int n = recvmmsg(fd, st->msgs, o->batch, flags, NULL);
		__u64 now;

		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR) {
				if (end != ~0ULL && rx_now_ns() >= end)
					break;
				continue;
			}
			return -errno;
		}
		/* One clock read per datagram, as rx_feedsieve reads it once per frame. */
		for (i = 0; i < (__u32)n; i++) {
			now = rx_now_ns();
			st->datagrams++;
			st->bytes += st->msgs[i].msg_len;
			if (st->msgs[i].msg_hdr.msg_flags & MSG_TRUNC)
				st->truncated++;
			on_datagram(o, st, st->bufs[i], st->msgs[i].msg_len, now);
		}
	}
	return 0;
}

static int run(const struct rxs_opts *o)
{
	struct rxs_state *st = calloc(1, sizeof(*st));
	__u64 rcvbuf0, inerr0, rcvbuf1, inerr1;
	struct timeval tv = {.tv_usec = 100000};
	int fd = -1, xdp_fd = -1, ifindex = (int)if_nametoindex(o->ifname), err;

	if (!st)
		return -ENOMEM;
	rx_meter_init(&st->m);
	err = rx_pin(o->cpu);
	if (err) {
		fprintf(stderr, "rx_socket: pin to CPU %d: %s\n", o->cpu, strerror(-err));
		goto out;
	}
	if (o->xdp_pass) {
		xdp_fd = attach_xdp_pass(ifindex);
		if (xdp_fd < 0) {
			err = xdp_fd;
			fprintf(stderr, "rx_socket: %s: attach an XDP_PASS program: %s\n",
				o->ifname, strerror(-err));
			goto out;
		}
	}
	err = open_socket(o, &fd);
	if (err) {
		fprintf(stderr, "rx_socket: %s: socket: %s\n", o->ifname, strerror(-err));
		goto out;
	}
	/* A blocking receive wakes up now and then to see the stop flag and the deadline. */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	udp_snmp(&rcvbuf0, &inerr0);
	fprintf(stderr, "rx_socket: %s: ready\n", o->ifname);
	err = receive(o, st, fd);
	if (err)
		fprintf(stderr, "rx_socket: recvmmsg: %s\n", strerror(-err));
	udp_snmp(&rcvbuf1, &inerr1);
	printf("{\"receiver\":\"kernel-socket\",\"mode\":\"%s\",\"busy_poll_us\":%u,\"batch\":%u,"
	       "\"rcvbuf\":%d,\"cpu\":%d,\"xdp_pass\":%s,",
	       o->spin ? "spin" : "block", o->busy_poll_us, o->batch, o->rcvbuf, o->cpu,
	       o->xdp_pass ? "true" : "false");
	rx_meter_json(&st->m, stdout);
	printf(",\"datagrams\":%llu,\"truncated\":%llu,\"malformed\":%llu,"
	       "\"udp_rcvbuf_errors\":%llu,\"udp_in_errors\":%llu}\n",
	       (unsigned long long)st->datagrams, (unsigned long long)st->truncated,
	       (unsigned long long)st->malformed, (unsigned long long)(rcvbuf1 - rcvbuf0),
	       (unsigned long long)(inerr1 - inerr0));
	fflush(stdout);
	if (!err)
		err = rx_meter_write_hist(&st->m, o->hist);
out:
	if (fd >= 0)
		close(fd);
	if (xdp_fd >= 0) {
		bpf_xdp_detach(ifindex, XDP_FLAGS_DRV_MODE, NULL);
		close(xdp_fd);
	}
	free(st);
	return err;
}

/* "SYM0001,SYM0011,..." -> sorted, space-padded symbols. */
static int parse_subs(const char *text, struct rxs_opts *o)
{
	char *copy = strdup(text), *save, *tok;

	if (!copy)
		return -ENOMEM;
	o->subs = calloc(MAX_SUBS, ITCH_SYMBOL_LEN);
	if (!o->subs) {
		free(copy);
		return -ENOMEM;
	}
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		size_t len = strlen(tok);

		if (!len || len > ITCH_SYMBOL_LEN || o->nsubs == MAX_SUBS) {
			free(copy);
			return -EINVAL;
		}
		memset(o->subs[o->nsubs], ' ', ITCH_SYMBOL_LEN);
		memcpy(o->subs[o->nsubs++], tok, len);
	}
	free(copy);
	qsort(o->subs, o->nsubs, ITCH_SYMBOL_LEN, cmp_sym);
	return 0;
}

#define OPT(field) CLI_FIELD(struct rxs_opts, field)
/* Ranges (RX_OPTS: rx.h): the batch recvmmsg() fills (MAX_BATCH), a
 * receive buffer up to 1 GiB. */
static const struct cli_opt rxs_opts_table[] = {
    {"iface", 0, "IFNAME", "the receiving interface (required)", cli_parse_str, OPT(ifname)},
    {"group", 0, "ADDR:PORT", "the multicast group to join (required)", cli_parse_str,
     OPT(group_arg)},
    {"subs", 0, "SYM[,SYM...]", "the subscribed symbols (required)", cli_parse_str,
     OPT(subs_arg)},
    RX_OPTS(struct rxs_opts),
    {"wait", 0, "block|spin", "block in recvmmsg() or spin on it (default block)",
     cli_parse_enum, OPT(spin)},
    {"busy-poll-us", 0, "US", "SO_BUSY_POLL time", cli_parse_uint, OPT(busy_poll_us), 0,
     1000000},
    {"batch", 0, "B", "datagrams per recvmmsg() (default 64)", cli_parse_uint, OPT(batch), 1,
     MAX_BATCH, "must be at least 1"},
    {"rcvbuf", 0, "BYTES", "SO_RCVBUF(FORCE) size (default 64 MiB)", cli_parse_uint,
     OPT(rcvbuf), 1, 1 << 30, "must be at least 1"},
    {"xdp-pass", 0, NULL, "attach an XDP_PASS program (native mode) to IFNAME", NULL,
     OPT(xdp_pass)},
    {},
};

static const struct cli_cmd rxs_cmd = {
    .args = "",
    .opts = rxs_opts_table,
    .help = "the kernel-socket baseline: a metered UDP multicast receiver, JSON on stdout",
    .synopsis = "--iface IFNAME --group ADDR:PORT --subs SYM[,SYM...] [--cpu C] [--duration S] "
		"[--hist FILE] [--wait block|spin] [--busy-poll-us US] [--batch B] "
		"[--rcvbuf BYTES] [--xdp-pass]",
};

/* The required options, and --group and --subs into their binary form: 0 or EXIT_USAGE. */
static int check_args(struct rxs_opts *o)
{
	char addr[INET_ADDRSTRLEN];
	const char *colon;
	__u64 port;

	if (!o->ifname || !o->group_arg || !o->subs_arg)
		return cli_usage_error("--iface, --group and --subs are required");
	colon = strchr(o->group_arg, ':');
	if (!colon || (size_t)(colon - o->group_arg) >= sizeof(addr))
		return cli_usage_error("--group: '%s' is not ADDR:PORT", o->group_arg);
	snprintf(addr, sizeof(addr), "%.*s", (int)(colon - o->group_arg), o->group_arg);
	if (inet_pton(AF_INET, addr, &o->group) != 1)
		return cli_usage_error("--group: '%s' is not an IPv4 address", addr);
	if (!cli_parse_u64("--group", colon + 1, 65535, &port))
		return EXIT_USAGE;
	if (!port)
		return cli_usage_error("--group: the port must not be 0");
	o->port = (__u16)port;
	if (parse_subs(o->subs_arg, o))
		return cli_usage_error("--subs: '%s' is not a list of at most %d symbols of 1 to %d "
				       "characters", o->subs_arg, MAX_SUBS, ITCH_SYMBOL_LEN);
	return 0;
}

int main(int argc, char **argv)
{
	struct rxs_opts o = {.cpu = -1, .batch = 64, .rcvbuf = 64 << 20};
	int err;

	err = cli_parse_program("rx_socket", &rxs_cmd, argc, argv, &o);
	if (err != CLI_RUN)
		return err;
	err = check_args(&o);
	if (err) {
		free(o.subs);
		return err;
	}
	rx_signals();
	err = run(&o);
	free(o.subs);
	return err ? 1 : 0;
}
