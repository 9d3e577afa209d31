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
#include <getopt.h>
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
	bool spin, xdp_pass;
	__u32 busy_poll_us, batch;
	int rcvbuf;
	char (*subs)[FS_SYMBOL_LEN]; /* sorted, space-padded */
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
	return memcmp(a, b, FS_SYMBOL_LEN);
}

static bool is_subscribed(const struct rxs_opts *o, const __u8 *sym)
{
	return bsearch(sym, o->subs, o->nsubs, FS_SYMBOL_LEN, cmp_sym) != NULL;
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
	o->subs = calloc(MAX_SUBS, FS_SYMBOL_LEN);
	if (!o->subs) {
		free(copy);
		return -ENOMEM;
	}
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		size_t len = strlen(tok);

		if (!len || len > FS_SYMBOL_LEN || o->nsubs == MAX_SUBS) {
			free(copy);
			return -EINVAL;
		}
		memset(o->subs[o->nsubs], ' ', FS_SYMBOL_LEN);
		memcpy(o->subs[o->nsubs++], tok, len);
	}
	free(copy);
	qsort(o->subs, o->nsubs, FS_SYMBOL_LEN, cmp_sym);
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: rx_socket --iface IFNAME --group ADDR:PORT --subs SYM[,SYM...] [--cpu C]\n"
		"                 [--duration S] [--hist FILE] [--wait block|spin]\n"
		"                 [--busy-poll-us US] [--batch B] [--rcvbuf BYTES] [--xdp-pass]\n");
}

static int parse_args(int argc, char **argv, struct rxs_opts *o)
{
	static const struct option opts[] = {
	    {"iface", required_argument, NULL, 'i'},
	    {"group", required_argument, NULL, 'g'},
	    {"subs", required_argument, NULL, 's'},
	    {"cpu", required_argument, NULL, 'c'},
	    {"duration", required_argument, NULL, 'd'},
	    {"hist", required_argument, NULL, 'H'},
	    {"wait", required_argument, NULL, 'w'},
	    {"busy-poll-us", required_argument, NULL, 'u'},
	    {"batch", required_argument, NULL, 'b'},
	    {"rcvbuf", required_argument, NULL, 'r'},
	    {"xdp-pass", no_argument, NULL, 'x'},
	    {},
	};
	char *colon;
	int opt;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'i':
			o->ifname = optarg;
			break;
		case 'g':
			colon = strchr(optarg, ':');
			if (!colon)
				goto bad;
			*colon = '\0';
			if (inet_pton(AF_INET, optarg, &o->group) != 1)
				goto bad;
			o->port = (__u16)strtoul(colon + 1, NULL, 10);
			break;
		case 's':
			if (parse_subs(optarg, o))
				goto bad;
			break;
		case 'c':
			o->cpu = (int)strtol(optarg, NULL, 10);
			break;
		case 'd':
			o->duration = strtod(optarg, NULL);
			break;
		case 'H':
			o->hist = optarg;
			break;
		case 'w':
			if (strcmp(optarg, "block") && strcmp(optarg, "spin"))
				goto bad;
			o->spin = !strcmp(optarg, "spin");
			break;
		case 'u':
			o->busy_poll_us = (__u32)strtoul(optarg, NULL, 10);
			break;
		case 'b':
			o->batch = (__u32)strtoul(optarg, NULL, 10);
			break;
		case 'r':
			o->rcvbuf = (int)strtol(optarg, NULL, 10);
			break;
		case 'x':
			o->xdp_pass = true;
			break;
		default:
			goto bad;
		}
	}
	if (!o->ifname || !o->port || !o->subs || optind != argc || o->batch < 1 ||
	    o->batch > MAX_BATCH || o->rcvbuf < 1)
		goto bad;
	return 0;
bad:
	usage();
	return -EINVAL;
}

int main(int argc, char **argv)
{
	struct rxs_opts o = {.cpu = -1, .batch = 64, .rcvbuf = 64 << 20};
	int err;

	if (parse_args(argc, argv, &o))
		return 2;
	rx_signals();
	err = run(&o);
	free(o.subs);
	return err ? 1 : 0;
}
