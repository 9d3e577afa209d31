// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The consumer's re-request socket. Requests leave by sendto() from one UDP socket per consumer
 * (non-blocking: a full socket buffer makes the recovery engine try again later, never stalls
 * the data path), bound to an ephemeral port. The servers answer by unicast to that port; the
 * XDP program sees the answer before the kernel's stack does, and takes it only when the port is
 * in fs_req_ports (key: the port in network order, zero-extended; value: this consumer's queue
 * and pid, for `bpftool map dump`), so the socket itself never receives anything. The entry is
 * removed when the consumer goes; one left by a consumer that was killed names a port nobody
 * listens on, and is replaced by the next consumer the kernel gives that port.
 */
#include <errno.h>
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
	int fd;
	int map_fd; /* fs_req_ports, -1 when the program has none */
	__u32 key;  /* our entry in it */
	__u16 port; /* host order */
	bool registered;
	__u32 syncs; /* fsi_requests__servers() calls: the first one's error is the caller's */
	bool warned; /* said once that servers are named but the map is missing */
	struct server servers[FS_MAX_CHANNELS];
};

static int open_map(struct fsi_requests *q)
{
	char path[256];
	int err =
	    fsi_pin_path(path, sizeof(path), fs_iface__name(q->iface), FS_STR(FS_MAP_REQ_PORTS));

	if (err)
		return err;
	q->map_fd = bpf_obj_get(path);
	if (q->map_fd < 0) {
		q->map_fd = -1;
		return errno == ENOENT ? 0 : -errno; /* a program from before gap recovery */
	}
	return 0;
}

int fsi_requests__create(struct fs_iface *iface, __u32 queue, struct fsi_requests **out)
{
	struct sockaddr_in sin = {.sin_family = AF_INET};
	socklen_t len = sizeof(sin);
	struct fsi_requests *q = calloc(1, sizeof(*q));
	struct fs_req_port v = {.queue = queue, .pid = (__u32)getpid()};
	int err;

	if (!q)
		return -ENOMEM;
	q->iface = iface;
	q->map_fd = -1;
	q->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (q->fd < 0 || bind(q->fd, (struct sockaddr *)&sin, sizeof(sin)) ||
	    getsockname(q->fd, (struct sockaddr *)&sin, &len)) {
		err = -errno;
		goto fail;
	}
	q->port = ntohs(sin.sin_port);
	q->key = sin.sin_port; /* network order, zero-extended */
	err = open_map(q);
	if (err)
		goto fail;
	if (q->map_fd >= 0) {
		if (bpf_map_update_elem(q->map_fd, &q->key, &v, BPF_ANY)) {
			err = -errno;
			goto fail;
		}
		q->registered = true;
	}
	*out = q;
	return 0;
fail:
	fsi_requests__destroy(q);
	return err;
}

void fsi_requests__destroy(struct fsi_requests *q)
{
	if (!q)
		return;
	if (q->registered)
		bpf_map_delete_elem(q->map_fd, &q->key);
	if (q->map_fd >= 0)
		close(q->map_fd);
	if (q->fd >= 0)
		close(q->fd);
	free(q);
}

int fsi_requests__servers(struct fsi_requests *q, const struct fs_group_info *infos, size_t n)
{
	bool named = false;
	size_t i;

	memset(q->servers, 0, sizeof(q->servers));
	for (i = 0; i < n; i++) {
		const struct fs_group *g = &infos[i].value;
		enum fs_proto proto = g->proto != FS_PROTO_NONE ? g->proto : FS_PROTO_MOLD_ITCH;
		const struct fsi_proto_ops *ops = fsi_proto_ops(proto);
		struct server *s = &q->servers[g->channel];

		if (!g->retrans_addr || !g->retrans_port || !ops || !ops->encode_request)
			continue;
		named = true;
		if (!q->registered)
			continue;
		s->addr.sin_family = AF_INET;
		s->addr.sin_addr.s_addr = g->retrans_addr;
		s->addr.sin_port = g->retrans_port;
		s->proto = proto;
	}
	if (!named || q->registered)
		return 0;
	if (q->syncs++ && !q->warned) {
		q->warned = true;
		pr_warn("%s: a channel names a re-request server, but the attached program has no "
			"%s map (attached before gap recovery: detach and attach again); its holes "
			"are reported as gaps\n",
			fs_iface__name(q->iface), FS_STR(FS_MAP_REQ_PORTS));
	}
	return -EPROTO;
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
	return q->port;
}
