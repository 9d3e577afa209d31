// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Consumers on several RX queues, one busy-polling thread each. Once a second each thread also
 * follows the groups, publishes its socket counters and checks that its interface and attachment
 * are still there: a socket whose interface was deleted, or whose program was detached, receives
 * nothing ever again, and a consumer waiting on it forever would look like a quiet feed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "clock.h"
#include "consumer.h"
#include "log.h"

#define HOUSEKEEPING_NS (1000ULL * 1000 * 1000) /* group sync and stats, once a second */

struct worker {
	struct fs_consumer_set *set;
	struct fs_consumer *c;
	int cpu; /* -1: not pinned */
	ino_t pin_ino; /* inode of the fs_xsks pin the socket was registered in */
	pthread_t thread;
	bool started;
	int err;
};

struct fs_consumer_set {
	struct worker *w;
	size_t n;
	fs_event_fn fn;
	void *ctx;
	volatile int stop;
	int error; /* why the threads stopped on their own */
};

static ino_t xsks_pin_ino(const struct fs_consumer *c)
{
	char path[256];
	struct stat st;

	if (fsi_pin_path(path, sizeof(path), fs_iface__name(c->iface), fsi_maps[FS_M_XSKS].name) ||
	    stat(path, &st))
		return 0;
	return st.st_ino;
}

/* Is the socket still fed? -ENETDOWN/-ENODEV: the interface went away (the kernel unbinds the
 * socket and sets its error); -ESTALE: feedsieve was detached, or detached and attached again
 * (the pinned XSKMAP is another one, which does not hold this socket). No bpf() call here: it
 * must work after the capabilities were dropped. */
static int check_alive(const struct worker *w)
{
	int fd = xsk_socket__fd(w->c->xsk), soerr = 0;
	socklen_t len = sizeof(soerr);

	if (!getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) && soerr)
		return -soerr;
	if ((int)if_nametoindex(fs_iface__name(w->c->iface)) != fsi_iface__ifindex(w->c->iface))
		return -ENODEV;
	if (xsks_pin_ino(w->c) != w->pin_ino)
		return -ESTALE;
	return 0;
}

/* Stop every thread of the set because of ERR (the first reason wins). */
static void fail_all(struct fs_consumer_set *s, int err)
{
	int none = 0;

	__atomic_compare_exchange_n(&s->error, &none, err, false, __ATOMIC_RELAXED,
				    __ATOMIC_RELAXED);
	__atomic_store_n(&s->stop, 1, __ATOMIC_RELAXED);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	__u64 last = fsi_now_ns();

	while (!__atomic_load_n(&w->set->stop, __ATOMIC_RELAXED)) {
		int ret = fs_consumer__poll_events(w->c, w->set->fn, w->set->ctx);
		__u64 now;

		if (ret < 0) {
			w->err = ret;
			fail_all(w->set, ret);
			break;
		}
		now = fsi_now_ns();
		if (now - last >= HOUSEKEEPING_NS) {
			int err = check_alive(w);

			if (err) {
				w->err = err;
				fail_all(w->set, err);
				break;
			}
			fs_consumer__sync_groups(w->c);
			fsi_consumer__publish_stats(w->c);
			last = now;
		}
	}
	fsi_consumer__publish_stats(w->c);
	return NULL;
}

int fs_consumer_set__create(const char *ifname, const __u32 *queues, const int *cpus, size_t n,
			    const struct fs_consumer_opts *opts, struct fs_consumer_set **out)
{
	struct fs_consumer_set *s;
	size_t i;
	int err = 0;

	if (!n)
		return -EINVAL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->w = calloc(n, sizeof(*s->w));
	if (!s->w) {
		free(s);
		return -ENOMEM;
	}
	s->n = n;
	for (i = 0; i < n && !err; i++) {
		struct fs_consumer_opts o;

		err = FSI_OPTS_COPY(fs_consumer_opts, &o, opts, recovery_deadline_ns);
		if (err)
			break;
		o.queue = queues[i];
		s->w[i].set = s;
		s->w[i].cpu = cpus ? cpus[i] : -1;
		err = fs_consumer__create(ifname, &o, &s->w[i].c);
		if (!err)
			s->w[i].pin_ino = xsks_pin_ino(s->w[i].c);
	}
	if (err) {
		fs_consumer_set__destroy(s);
		return err;
	}
	*out = s;
	return 0;
}

int fs_consumer_set__start(struct fs_consumer_set *s, fs_event_fn fn, void *ctx)
{
	size_t i;

	s->fn = fn;
	s->ctx = ctx;
	for (i = 0; i < s->n; i++) {
		struct worker *w = &s->w[i];
		pthread_attr_t attr;
		int err;

		pthread_attr_init(&attr);
		if (w->cpu >= 0) {
			cpu_set_t set;

			CPU_ZERO(&set);
			CPU_SET(w->cpu, &set);
			pthread_attr_setaffinity_np(&attr, sizeof(set), &set);
		}
		err = pthread_create(&w->thread, &attr, worker_main, w);
		pthread_attr_destroy(&attr);
		if (err) {
			pr_warn("cannot start the thread of queue %u: %s\n", fsi_consumer__queue(w->c),
				strerror(err));
			fs_consumer_set__stop(s);
			return -err;
		}
		w->started = true;
	}
	return 0;
}

int fs_consumer_set__stop(struct fs_consumer_set *s)
{
	int first = 0;
	size_t i;

	__atomic_store_n(&s->stop, 1, __ATOMIC_RELAXED);
	for (i = 0; i < s->n; i++) {
		if (!s->w[i].started)
			continue;
		pthread_join(s->w[i].thread, NULL);
		s->w[i].started = false;
		if (!first)
			first = s->w[i].err;
	}
	return first;
}

void fs_consumer_set__destroy(struct fs_consumer_set *s)
{
	size_t i;

	if (!s)
		return;
	fs_consumer_set__stop(s);
	for (i = 0; i < s->n; i++)
		fs_consumer__destroy(s->w[i].c);
	free(s->w);
	free(s);
}

size_t fs_consumer_set__count(const struct fs_consumer_set *s)
{
	return s->n;
}

struct fs_consumer *fs_consumer_set__consumer(struct fs_consumer_set *s, size_t i)
{
	return i < s->n ? s->w[i].c : NULL;
}

int fs_consumer_set__error(const struct fs_consumer_set *s)
{
	return __atomic_load_n(&s->error, __ATOMIC_RELAXED);
}
