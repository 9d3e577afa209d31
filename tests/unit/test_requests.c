// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The consumer's re-request socket (user/lib/requests.c) with real parts: a BPF hash map pinned
 * where an attached interface's fs_req_ports would be (the interface is lo: the socket is bound
 * to it, and the "server" is a UDP socket on 127.0.0.1). The socket's port is registered with the
 * consumer's queue and pid only while a channel names a server, and removed at destroy; a
 * request for a channel that names a server reaches it as a MoldUDP64 request from that port; a
 * channel of a protocol without a re-request service, or without a server, asks nothing; a full
 * map is cleared of dead consumers' entries, and one full of live ones turns recovery off
 * rather than fail. Skipped without CAP_BPF or bpffs.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <net/if.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <criterion/criterion.h>

#include "feedsieve/wire_itch.h"
#include "internal.h"
#include "requests.h"

#define IFNAME "lo"

static char dir[256], pin[256];

/* A hash map shaped as the program's fs_req_ports, pinned where IFNAME's would be. */
static int pin_map(void)
{
	int fd = bpf_map_create(BPF_MAP_TYPE_HASH, "fs_req_ports", sizeof(__u32),
				sizeof(struct fs_req_port), 64, NULL);

	if (fd < 0)
		cr_skip_test("a BPF hash map needs CAP_BPF");
	if (fsi_pin_root_prepare())
		cr_skip_test("no bpffs to pin in");
	cr_assert_eq(fsi_pin_path(dir, sizeof(dir), IFNAME, NULL), 0);
	cr_assert_eq(fsi_pin_path(pin, sizeof(pin), IFNAME, FS_STR(FS_MAP_REQ_PORTS)), 0);
	unlink(pin);
	cr_assert(!mkdir(dir, 0700) || errno == EEXIST);
	cr_assert_eq(bpf_obj_pin(fd, pin), 0, "pin %s: %s", pin, strerror(errno));
	return fd;
}

static void unpin(void)
{
	unlink(pin);
	rmdir(dir);
}

/* A UDP socket on 127.0.0.1 standing for the server; *PORT its port (network order). */
static int server_socket(__be16 *port)
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct timeval tv = {.tv_sec = 2};

	cr_assert(fd >= 0);
	cr_assert_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	cr_assert_eq(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	*port = sin.sin_port;
	return fd;
}

static struct fs_group_info group(__u8 channel, __u8 proto, __be32 addr, __be16 port)
{
	struct fs_group_info g;

	memset(&g, 0, sizeof(g));
	g.value.channel = channel;
	g.value.proto = proto;
	g.value.retrans_addr = addr;
	g.value.retrans_port = port;
	return g;
}

Test(requests, registered_asks_the_server_and_deregisters)
{
	struct fs_iface iface = {.name = IFNAME};
	struct fsi_request_sink sink;
	struct fsi_requests *q;
	struct fs_req_port v;
	struct sockaddr_in from;
	socklen_t flen = sizeof(from);
	__be16 sport;
	__u32 key;
	__u8 buf[64];
	int map = pin_map(), srv = server_socket(&sport);
	struct fs_group_info infos[3];

	cr_assert_eq(fsi_requests__create(&iface, 3, &q), 0);
	infos[0] = group(5, FS_PROTO_MOLD_ITCH, htonl(INADDR_LOOPBACK), sport);
	infos[1] = group(6, FS_PROTO_MDP3, htonl(INADDR_LOOPBACK), sport); /* no service */
	infos[2] = group(7, FS_PROTO_MOLD_ITCH, 0, 0);			   /* no server */
	fsi_requests__servers(q, infos, 3);
	key = htons(fsi_requests__port(q));
	cr_assert_eq(bpf_map_lookup_elem(map, &key, &v), 0, "port %u registered",
		     fsi_requests__port(q));
	cr_assert_eq(v.queue, 3);
	cr_assert_eq(v.pid, (__u32)getpid());
	fsi_requests__sink(q, &sink);
	cr_assert(sink.has_server(sink.ctx, 5));
	cr_assert_not(sink.has_server(sink.ctx, 6), "MDP3 has no re-request service here");
	cr_assert_not(sink.has_server(sink.ctx, 7));

	cr_assert_eq(
	    sink.send(sink.ctx, 5, FS_PROTO_MOLD_ITCH, "SESSION001", 10, 0x0102030405ULL, 258), 0);
	cr_assert_eq(recvfrom(srv, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen),
		     MOLD_REQUEST_LEN);
	cr_assert_eq(ntohs(from.sin_port), fsi_requests__port(q), "from the registered port");
	cr_assert_eq(memcmp(buf, "SESSION001", 10), 0);
	cr_assert_eq(memcmp(buf + 10, "\0\0\0\x01\x02\x03\x04\x05\x01\x02", 10), 0);
	cr_assert_eq(sink.send(sink.ctx, 7, FS_PROTO_MOLD_ITCH, "SESSION001", 10, 1, 1),
		     -EOPNOTSUPP);

	fsi_requests__destroy(q);
	cr_assert_neq(bpf_map_lookup_elem(map, &key, &v), 0, "deregistered");
	close(srv);
	close(map);
	unpin();
}

static int map_entries(int map)
{
	__u32 key, *prev = NULL;
	int n = 0;

	while (!bpf_map_get_next_key(map, prev, &key)) {
		n++;
		prev = &key;
	}
	return n;
}

/* The map full: entries 1 .. 64 with PID (a pid past pid_max names no process). */
static void fill(int map, __u32 pid)
{
	struct fs_req_port v = {.queue = 0, .pid = pid};
	__u32 key;

	for (key = 1; key <= 64; key++)
		cr_assert_eq(bpf_map_update_elem(map, &key, &v, BPF_ANY), 0);
}

#define NO_PID 0x7ffffff0U

/* A consumer on a channel without a server registers nothing (a full map is then no matter);
 * the port comes and goes with the channels' servers. */
Test(requests, registered_only_while_a_channel_names_a_server)
{
	struct fs_iface iface = {.name = IFNAME};
	struct fsi_requests *q;
	struct fs_group_info g;
	int map = pin_map();

	cr_assert_eq(fsi_requests__create(&iface, 0, &q), 0);
	g = group(2, FS_PROTO_MOLD_ITCH, 0, 0);
	fsi_requests__servers(q, &g, 1);
	cr_assert_eq(map_entries(map), 0, "nothing registered without a server");
	cr_assert_eq(fsi_requests__fd(q), -1, "no socket either");
	g = group(2, FS_PROTO_MOLD_ITCH, htonl(INADDR_LOOPBACK), htons(9000));
	fsi_requests__servers(q, &g, 1);
	cr_assert_eq(map_entries(map), 1);
	g = group(2, FS_PROTO_MOLD_ITCH, 0, 0);
	fsi_requests__servers(q, &g, 1);
	cr_assert_eq(map_entries(map), 0, "removed with the last server");
	fsi_requests__destroy(q);
	close(map);
	unpin();
}

/* Requests leave by the consumer's interface, where the answers must come back. */
Test(requests, the_socket_is_bound_to_the_interface)
{
	struct fs_iface iface = {.name = IFNAME};
	struct fsi_requests *q;
	struct fs_group_info g;
	char dev[IFNAMSIZ] = "";
	socklen_t len = sizeof(dev);
	int map = pin_map();

	cr_assert_eq(fsi_requests__create(&iface, 0, &q), 0);
	g = group(2, FS_PROTO_MOLD_ITCH, htonl(INADDR_LOOPBACK), htons(9000));
	fsi_requests__servers(q, &g, 1);
	cr_assert_geq(fsi_requests__fd(q), 0);
	cr_assert_eq(getsockopt(fsi_requests__fd(q), SOL_SOCKET, SO_BINDTODEVICE, dev, &len), 0);
	cr_assert_str_eq(dev, IFNAME);
	fsi_requests__destroy(q);
	close(map);
	unpin();
}

/* Entries of killed consumers fill the map: they are deleted, the live ones kept. */
Test(requests, a_full_map_is_cleared_of_dead_consumers)
{
	struct fs_iface iface = {.name = IFNAME};
	struct fs_req_port v = {.queue = 1, .pid = (__u32)getpid()};
	struct fsi_request_sink sink;
	struct fsi_requests *q;
	struct fs_group_info g;
	__u32 live = 1;
	int map = pin_map();

	fill(map, NO_PID);
	cr_assert_eq(bpf_map_update_elem(map, &live, &v, BPF_ANY), 0);
	cr_assert_eq(fsi_requests__create(&iface, 0, &q), 0);
	g = group(2, FS_PROTO_MOLD_ITCH, htonl(INADDR_LOOPBACK), htons(9000));
	fsi_requests__servers(q, &g, 1);
	fsi_requests__sink(q, &sink);
	cr_assert(sink.has_server(sink.ctx, 2));
	cr_assert_eq(map_entries(map), 2, "the live entry and ours");
	cr_assert_eq(bpf_map_lookup_elem(map, &live, &v), 0, "the live one kept");
	fsi_requests__destroy(q);
	close(map);
	unpin();
}

/* A map full of live consumers' ports: recovery is off, the consumer runs. */
Test(requests, a_map_full_of_live_consumers_turns_recovery_off)
{
	struct fs_iface iface = {.name = IFNAME};
	struct fsi_request_sink sink;
	struct fsi_requests *q;
	struct fs_group_info g;
	int map = pin_map();

	fill(map, (__u32)getpid());
	cr_assert_eq(fsi_requests__create(&iface, 0, &q), 0);
	g = group(2, FS_PROTO_MOLD_ITCH, htonl(INADDR_LOOPBACK), htons(9000));
	fsi_requests__servers(q, &g, 1);
	fsi_requests__sink(q, &sink);
	cr_assert_not(sink.has_server(sink.ctx, 2), "its answers could never reach us");
	cr_assert_eq(fsi_requests__port(q), 0);
	cr_assert_eq(fsi_requests__fd(q), -1);
	fsi_requests__destroy(q);
	close(map);
	unpin();
}
