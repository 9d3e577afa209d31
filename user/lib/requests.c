// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The consumer's re-request socket. Requests leave by sendto() from one UDP socket per consumer
 * (non-blocking: a full socket buffer makes the recovery engine try again later, never stalls
 * the data path), bound to an ephemeral port and to the consumer's interface (SO_BINDTODEVICE:
 * a request leaves where the answer must come back, through the program; by the routing table
 * it could leave by another interface, and its answer arrive where no program takes it). The
 * servers answer by unicast to that port; the XDP program sees the answer before the kernel's
 * stack does, and takes it only when the port is in fs_req_ports (key: the port in network
 * order, zero-extended; value: this consumer's queue and pid), so the socket itself never
 * receives anything.
 *
 * The socket and its entry exist only while some channel names a server: they follow the group
 * table at every sync. Recovery is never a reason not to consume: when the socket or the entry
 * cannot be had, the consumer says why once and sequences every channel as without a server. The
 * map is bounded (FS_MAX_REQ_PORTS); an entry left by a consumer that was killed is found by its
 * pid (kill(pid, 0): no such process) and deleted when the map is full. A pid of another pid
 * namespace cannot be told from a dead one: consumers that share an interface share one.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <bpf/bpf.h>

#include "log.h"
#include "proto.h"
#include "requests.h"

struct server {
	struct sockaddr_in addr; /* sin_port 0: the channel names none */
	enum fs_proto proto;
};

struct fsi_requests {
	struct fs_iface *iface;
	__u32 queue;
	int fd;	    /* -1 while no channel names a server */
	int map_fd; /* fs_req_ports, -1 until first needed */
	__u32 key;  /* our entry in it */
	__u16 port; /* host order */
	bool registered;
	bool warned; /* said once that recovery is off */
	struct server servers[FS_MAX_CHANNELS];
};

int fsi_requests__create(struct fs_iface *iface, __u32 queue, struct fsi_requests **out)
{
	struct fsi_requests *q = calloc(1, sizeof(*q));

	if (!q)
		return -ENOMEM;
	q->iface = iface;
	q->queue = queue;
	q->fd = -1;
	q->map_fd = -1;
	*out = q;
	return 0;
}

/* Delete the entries of consumers that are gone (their pid names no process). The number. */
static int purge_dead(int map_fd)
{
	struct fs_req_port v;
	__u32 key, next, *prev = NULL;
	int n = 0;

	while (!bpf_map_get_next_key(map_fd, prev, &next)) {
		key = next;
		if (!bpf_map_lookup_elem(map_fd, &key, &v) && v.pid && kill((pid_t)v.pid, 0) &&
		    errno == ESRCH && !bpf_map_delete_elem(map_fd, &key)) {
			n++;
			prev = NULL; /* the walk's position is gone: start over */
			continue;
		}
		prev = &key;
	}
	return n;
}

static int register_port(struct fsi_requests *q)
{
	struct fs_req_port v = {.queue = q->queue, .pid = (__u32)getpid()};
	char path[256];
	int err;

	if (q->map_fd < 0) {
		err = fsi_pin_path(path, sizeof(path), fs_iface__name(q->iface),
				   FS_STR(FS_MAP_REQ_PORTS));
		if (err)
			return err;
		err = bpf_obj_get(path);
		if (err < 0)
			return -errno;
		q->map_fd = err;
	}
	if (!bpf_map_update_elem(q->map_fd, &q->key, &v, BPF_ANY))
		return 0;
	err = -errno;
	if (err != -E2BIG || !purge_dead(q->map_fd))
		return err;
	return bpf_map_update_elem(q->map_fd, &q->key, &v, BPF_ANY) ? -errno : 0;
}

static void disable(struct fsi_requests *q)
{
	if (q->registered)
		bpf_map_delete_elem(q->map_fd, &q->key);
	q->registered = false;
	if (q->fd >= 0)
		close(q->fd);
	q->fd = -1;
}

/* The socket, bound to an ephemeral port and the interface, and its port registered. */
static int enable(struct fsi_requests *q, const char **what)
{
	struct sockaddr_in sin = {.sin_family = AF_INET};
	const char *ifname = fs_iface__name(q->iface);
	socklen_t len = sizeof(sin);
	int err;

	*what = "cannot open the request socket";
	q->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (q->fd < 0)
		return -errno;
	*what = "cannot bind the request socket to the interface";
	if (setsockopt(q->fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t)strlen(ifname)))
		return -errno;
	*what = "cannot bind the request socket";
	if (bind(q->fd, (struct sockaddr *)&sin, sizeof(sin)) ||
	    getsockname(q->fd, (struct sockaddr *)&sin, &len))
		return -errno;
	q->port = ntohs(sin.sin_port);
	q->key = sin.sin_port; /* network order, zero-extended */
	*what = "cannot register the request port in " FS_STR(FS_MAP_REQ_PORTS);
	err = register_port(q);
	if (err)
		return err;
	q->registered = true;
	return 0;
}

void fsi_requests__destroy(struct fsi_requests *q)
{
	if (!q)
		return;
	disable(q);
	if (q->map_fd >= 0)
		close(q->map_fd);
	free(q);
}

void fsi_requests__servers(struct fsi_requests *q, const struct fs_group_info *infos, size_t n)
{
	struct server servers[FS_MAX_CHANNELS];
	const char *what;
	bool named = false;
	size_t i;
	int err;

	memset(servers, 0, sizeof(servers));
	for (i = 0; i < n; i++) {
		const struct fs_group *g = &infos[i].value;
		enum fs_proto proto = g->proto != FS_PROTO_NONE ? g->proto : FS_PROTO_MOLD_ITCH;
		const struct fsi_proto_ops *ops = fsi_proto_ops(proto);
		struct server *s = &servers[g->channel];

		if (!g->retrans_addr || !g->retrans_port || !ops || !ops->encode_request)
			continue;
		named = true;
		s->addr.sin_family = AF_INET;
		s->addr.sin_addr.s_addr = g->retrans_addr;
		s->addr.sin_port = g->retrans_port;
		s->proto = proto;
	}
	if (!named) {
		disable(q);
	} else if (!q->registered) {
		err = enable(q, &what);
		if (err) {
			disable(q);
			if (!q->warned)
				pr_warn("%s queue %u: %s: %s%s; gap recovery is off (holes are "
					"reported as gaps) until it can be had\n",
					fs_iface__name(q->iface), q->queue, what, strerror(-err),
					err == -E2BIG ? " (the map is full, every entry held by a "
							"running consumer)"
						      : "");
			q->warned = true;
		}
	}
	/* Without a registered port the program would not take an answer: ask nothing. */
	if (q->registered)
		memcpy(q->servers, servers, sizeof(servers));
	else
		memset(q->servers, 0, sizeof(q->servers));
}

static bool has_server(void *ctx, __u8 chan)
{
	const struct fsi_requests *q = ctx;

	return q->servers[chan].addr.sin_port != 0;
}

static int send_request(void *ctx, __u8 chan, enum fs_proto proto, const char *session, __u8 len,
			__u64 from, __u32 count)
{
	struct fsi_requests *q = ctx;
	const struct server *s = &q->servers[chan];
	const struct fsi_proto_ops *ops = fsi_proto_ops(proto);
	__u8 buf[64];
	int n;

	if (!s->addr.sin_port || proto != s->proto || !ops || !ops->encode_request)
		return -EOPNOTSUPP; /* the channel moved under us: the hole times out */
	n = ops->encode_request(buf, sizeof(buf), session, len, from, count);
	if (n < 0)
		return n;
	if (sendto(q->fd, buf, (size_t)n, MSG_DONTWAIT, (const struct sockaddr *)&s->addr,
		   sizeof(s->addr)) < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	return 0;
}

void fsi_requests__sink(struct fsi_requests *q, struct fsi_request_sink *sink)
{
	memset(sink, 0, sizeof(*sink));
	sink->has_server = has_server;
	sink->send = send_request;
	sink->ctx = q;
}

__u16 fsi_requests__port(const struct fsi_requests *q)
{
	return q->registered ? q->port : 0;
}

int fsi_requests__fd(const struct fsi_requests *q)
{
	return q->fd;
}
