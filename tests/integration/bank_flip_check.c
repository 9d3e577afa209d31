// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Atomic configuration changes, checked on the live data path. One thread commits configuration
 * A, then B, then A again, as fast as commits go; the main thread consumes the frames the program
 * delivers on queue 0 and checks every one: the messages it marks as subscribed must all belong
 * to A's symbols or all to B's (A and B share their groups and have disjoint symbols). A frame
 * judged partly by the old and partly by the new subscriptions would carry both.
 *
 *   bank_flip_check IFNAME CONFIG_A CONFIG_B SECONDS
 *
 * Prints one JSON summary line. Exit 0 only if no frame was mixed, frames under both
 * configurations were seen, and enough commits happened for the check to mean something.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "feedsieve.h"

#define MIN_COMMITS 20
#define MIN_FRAMES  1000

struct flipper {
	const char *ifname;
	struct fs_config *cfg[2];
	atomic_bool stop;
	unsigned long commits;
	int err;
};

static struct fs_config *load(const char *path)
{
	char err[FS_ERR_LEN];
	struct fs_config *cfg = NULL;
	FILE *in = fopen(path, "r");

	if (!in || fs_config__parse(in, path, &cfg, err)) {
		fprintf(stderr, "bank_flip_check: %s: %s\n", path, in ? err : strerror(errno));
		cfg = NULL;
	}
	if (in)
		fclose(in);
	return cfg;
}

static void *flip(void *arg)
{
	struct flipper *f = arg;
	struct fs_iface *iface;

	f->err = fs_iface__open(f->ifname, &iface);
	while (!f->err && !atomic_load(&f->stop)) {
		/* The script applied A before: B first. */
		f->err = fs_config__commit(iface, f->cfg[(f->commits + 1) % 2]);
		f->commits++;
	}
	if (!f->err)
		fs_iface__close(iface);
	return NULL;
}

struct tally {
	const struct fs_config *cfg[2];
	unsigned long frames, only[2], mixed, unknown, msgs;
};

static int check_frame(const struct fs_frame *fr, void *ctx)
{
	struct tally *t = ctx;
	struct fs_msg_iter it;
	struct fs_msg m;
	bool in[2] = {};

	if (fr->malformed || fr->kind != FS_FRAME_DATA)
		return 0;
	fs_msg_iter__init(&it, fr);
	while (fs_msg_iter__next(&it, &m)) {
		int k;

		t->msgs++;
		if (!m.symbol_known) {
			t->unknown++;
			continue;
		}
		for (k = 0; k < 2; k++)
			in[k] |= fs_config__has_symbol(t->cfg[k], &m.symbol);
	}
	t->frames++;
	if (in[0] && in[1]) {
		if (t->mixed++ < 5)
			fprintf(stderr,
				"bank_flip_check: frame seq %llu carries symbols of both "
				"configurations\n",
				(unsigned long long)fr->seq);
	} else if (in[0] || in[1]) {
		t->only[in[1]]++;
	}
	return 0;
}

int main(int argc, char **argv)
{
	FS_OPTS(fs_consumer_opts, o, .queue = 0);
	struct flipper f = {0};
	struct tally t = {0};
	struct fs_consumer *c;
	pthread_t th;
	time_t end;
	int err;

	if (argc != 5) {
		fprintf(stderr, "usage: bank_flip_check IFNAME CONFIG_A CONFIG_B SECONDS\n");
		return 2;
	}
	f.ifname = argv[1];
	f.cfg[0] = load(argv[2]);
	f.cfg[1] = load(argv[3]);
	if (!f.cfg[0] || !f.cfg[1])
		return 2;
	t.cfg[0] = f.cfg[0];
	t.cfg[1] = f.cfg[1];
	err = fs_consumer__create(argv[1], &o, &c);
	if (err) {
		fprintf(stderr, "bank_flip_check: consumer on %s: %s\n", argv[1], strerror(-err));
		return 1;
	}
	fprintf(stderr, "bank_flip_check: ready\n");
	if (pthread_create(&th, NULL, flip, &f)) {
		fprintf(stderr, "bank_flip_check: cannot start the flipper thread\n");
		return 1;
	}
	end = time(NULL) + atoi(argv[4]);
	while (time(NULL) < end) {
		err = fs_consumer__poll(c, check_frame, &t);
		if (err < 0) {
			fprintf(stderr, "bank_flip_check: poll: %s\n", strerror(-err));
			break;
		}
	}
	atomic_store(&f.stop, true);
	pthread_join(th, NULL);
	fs_consumer__destroy(c);
	printf("{\"commits\":%lu,\"frames\":%lu,\"frames_a\":%lu,\"frames_b\":%lu,\"mixed\":%lu,"
	       "\"msgs\":%lu,\"unknown_symbol\":%lu,\"commit_error\":%d}\n",
	       f.commits, t.frames, t.only[0], t.only[1], t.mixed, t.msgs, t.unknown, f.err);
	fs_config__free(f.cfg[0]);
	fs_config__free(f.cfg[1]);
	return f.err || err < 0 || t.mixed || t.frames < MIN_FRAMES || !t.only[0] || !t.only[1] ||
		       f.commits < MIN_COMMITS
		   ? 1
		   : 0;
}
