// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * feedsieve batch IFNAME [FILE]: changes, one per line ("sub add AAPL", "group del ..."), read
 * from FILE or standard input and made live in group commits. Whatever lines have arrived when
 * the previous commit ends go into the next one, so a script writing thousands of changes a
 * second gets them applied at the rate commits go (one RCU grace period each), every commit
 * atomic. Each commit re-reads the live configuration under the interface lock, so changes other
 * processes make in between are kept.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#define LINE_MAX_LEN 4096
#define MAX_PENDING  100000 /* lines in one commit at most */

struct pending {
	char **lines;
	unsigned *linenos;
	size_t n;
};

struct batch {
	struct fs_iface *iface;
	const char *name; /* FILE, for messages */
	struct pending p;
	unsigned long changes, commits;
};

static int add_pending(struct pending *p, const char *line, unsigned lineno)
{
	if (p->n == MAX_PENDING)
		return -ENOSPC;
	if (!p->lines) {
		p->lines = calloc(MAX_PENDING, sizeof(*p->lines));
		p->linenos = calloc(MAX_PENDING, sizeof(*p->linenos));
		if (!p->lines || !p->linenos)
			return -ENOMEM;
	}
	p->lines[p->n] = strdup(line);
	if (!p->lines[p->n])
		return -ENOMEM;
	p->linenos[p->n++] = lineno;
	return 0;
}

static void clear_pending(struct pending *p)
{
	while (p->n)
		free(p->lines[--p->n]);
}

/* Commit the pending lines as one change of the live configuration. Returns an exit code. */
static int commit_pending(struct batch *b)
{
	const char *ifname = fs_iface__name(b->iface);
	struct fs_config *cfg = NULL;
	char err[FS_ERR_LEN];
	unsigned long changes = 0;
	size_t i;
	int rc = 0, e;

	if (!b->p.n)
		return 0;
	e = fs_iface__lock(b->iface);
	if (!e)
		e = fs_config__read(b->iface, &cfg);
	for (i = 0; !e && i < b->p.n; i++) {
		int r = fs_config__edit(cfg, b->p.lines[i], err);

		if (r < 0) {
			rc = cli_usage_error("%s:%u: %s; its commit (%zu lines) not applied, %lu "
					     "commits before it are live",
					     b->name, b->p.linenos[i], err, b->p.n, b->commits);
			break;
		}
		changes += (unsigned long)r;
	}
	if (!e && !rc)
		e = fs_config__commit(b->iface, cfg);
	if (e)
		rc = cli_iface_error(ifname, e);
	if (!rc) {
		b->commits++;
		b->changes += changes;
	}
	fs_iface__unlock(b->iface);
	fs_config__free(cfg);
	clear_pending(&b->p);
	return rc;
}

/* Only spaces, or a comment: nothing to apply, and no place taken in a commit. */
static bool blank(const char *line)
{
	line += strspn(line, " \t\r");
	return !*line || *line == '#';
}

static bool more_ready(int fd)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};

	return poll(&pfd, 1, 0) > 0;
}

static int run(struct batch *b, int fd)
{
	static char buf[2 * LINE_MAX_LEN];
	size_t have = 0;
	unsigned lineno = 0;
	int rc = 0;

	for (;;) {
		ssize_t got = read(fd, buf + have, sizeof(buf) - have - 1);
		char *start = buf, *nl;

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return cli_error("batch: cannot read %s: %s", b->name, strerror(errno));
		if (got == 0 && have) /* a last line without its newline */
			buf[have++] = '\n';
		have += (size_t)got;
		buf[have] = '\0';
		while ((nl = memchr(start, '\n', have - (size_t)(start - buf)))) {
			*nl = '\0';
			lineno++;
			if (b->p.n == MAX_PENDING) /* a full commit first */
				rc = commit_pending(b);
			if (rc)
				return rc;
			if (!blank(start) && add_pending(&b->p, start, lineno))
				return cli_error("batch: out of memory");
			start = nl + 1;
		}
		have -= (size_t)(start - buf);
		memmove(buf, start, have);
		if (have > LINE_MAX_LEN) /* no newline within a line's length */
			return cli_usage_error("%s:%u: line longer than %d characters", b->name,
					       lineno + 1, LINE_MAX_LEN);
		/* Commit what has come when nothing more is waiting, and at the end. */
		if (got == 0 || !more_ready(fd))
			rc = commit_pending(b);
		if (rc || got == 0)
			return rc;
	}
}

static int do_batch(const void *opts, char **args)
{
	const char *path = args[1] ? args[1] : "-";
	struct batch b = {0};
	struct timespec t0, t1;
	int fd, rc;

	(void)opts;
	b.name = strcmp(path, "-") ? path : "<stdin>";
	fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
	if (fd < 0)
		return cli_usage_error("batch: cannot read %s: %s", path, strerror(errno));
	b.iface = cli_open_iface(args[0]);
	if (!b.iface) {
		if (fd != STDIN_FILENO)
			close(fd);
		return EXIT_FAILURE;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = run(&b, fd);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%s: %lu changes in %lu commits in %.2f s\n", args[0], b.changes, b.commits,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	clear_pending(&b.p);
	free(b.p.lines);
	free(b.p.linenos);
	fs_iface__close(b.iface);
	if (fd != STDIN_FILENO)
		close(fd);
	return rc;
}

const struct cli_cmd cli_cmd_batch = {
	.name = "batch",
	.args = "IFNAME [FILE]",
	.run = do_batch,
	.help = "Apply changes read one a line ('sub add|del SYMBOL...', 'group add|del GROUP:PORT "
		"...') from FILE or standard input, in atomic group commits.",
};
