// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The MoldUDP64 re-request server: the session's history, the judging of a request, answers. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <feedsieve/parse.h>
#include <feedsieve/wire_itch.h>

#include "fifo.h"
#include "itch_encode.h"
#include "retransmit.h"
#include "send.h"

/* Every message of the session, back to back, and where each starts: message i has sequence
 * number first_seq + i and ends where message i + 1 starts (the last one at nbytes). */
struct history {
	__u8 *bytes;
	__u64 nbytes, bytes_cap;
	__u64 *off;
	__u64 nmsgs, off_cap;
	__u64 first_seq;
};

/* An answer decided on arrival, sent when due. */
struct pending {
	__u64 due_ns;
	__u64 from;
	__u32 count;
	struct sockaddr_in peer;
};

struct retrans {
	const struct feedgen_recovery *rec;
	char session[MOLD_SESSION_LEN]; /* space padded, as on the wire */
	int fd;
	FILE *log;
	__u64 start_ns; /* origin of the log's "ms" */
	struct history h;
	struct fg_fifo delayed; /* of struct pending */
	struct mold_pkt pkt;	/* the answer being built */
	__u64 requests, answers, msgs_served;
};

/* Double *BUF (of *CAP elements of ESZ bytes) until it holds NEED; -ENOMEM. */
static int reserve(void *bufp, size_t esz, __u64 *cap, __u64 need)
{
	void **buf = bufp;
	__u64 ncap = *cap ? *cap : 1024;
	void *nbuf;

	if (need <= *cap)
		return 0;
	while (ncap < need)
		ncap *= 2;
	nbuf = realloc(*buf, ncap * esz);
	if (!nbuf)
		return -ENOMEM;
	*buf = nbuf;
	*cap = ncap;
	return 0;
}

int retrans__record(struct retrans *s, const void *payload, size_t len)
{
	struct history *h = &s->h;
	const __u8 *p = payload;
	__u16 count, i, blen;
	__u64 seq;
	size_t off;
	int err;

	if (len < MOLD_HDR_LEN)
		return -EINVAL;
	count = fs_be16(p + MOLD_OFF_COUNT);
	seq = fs_be64(p + MOLD_OFF_SEQ);
	if (count == MOLD_COUNT_HEARTBEAT || count == MOLD_COUNT_END_OF_SESSION)
		return 0;
	if (h->nmsgs == 0)
		h->first_seq = seq;
	else if (seq != h->first_seq + h->nmsgs)
		return -EINVAL;
	err = reserve(&h->off, sizeof(*h->off), &h->off_cap, h->nmsgs + count);
	if (!err)
		err = reserve(&h->bytes, 1, &h->bytes_cap, h->nbytes + len);
	if (err)
		return err;
	for (i = 0, off = MOLD_HDR_LEN; i < count; i++) {
		const __u8 *msg;

		if (mold_next_block(p, len, &off, &msg, &blen) < 0 || blen == 0)
			return -EINVAL;
		h->off[h->nmsgs++] = h->nbytes;
		memcpy(h->bytes + h->nbytes, msg, blen);
		h->nbytes += blen;
	}
	return 0;
}

static __u64 msg_len(const struct history *h, __u64 i)
{
	return (i + 1 < h->nmsgs ? h->off[i + 1] : h->nbytes) - h->off[i];
}

static double ms_since(const struct retrans *s, __u64 now_ns)
{
	return (double)(now_ns - s->start_ns) / 1e6;
}

static void peer_str(const struct sockaddr_in *peer, char *buf, size_t len)
{
	char addr[INET_ADDRSTRLEN] = "?";

	inet_ntop(AF_INET, &peer->sin_addr, addr, sizeof(addr));
	snprintf(buf, len, "%s:%u", addr, ntohs(peer->sin_port));
}

/* A session as JSON: padding stripped, anything but printable ASCII as \u00XX. */
static int put_session(FILE *f, const __u8 *raw)
{
	size_t len = MOLD_SESSION_LEN, i;
	int n = 0;

	while (len > 0 && raw[len - 1] == ' ')
		len--;
	for (i = 0; i < len && n >= 0; i++) {
		if (raw[i] < ' ' || raw[i] > '~' || raw[i] == '"' || raw[i] == '\\')
			n = fprintf(f, "\\u%04x", raw[i]);
		else
			n = fputc(raw[i], f) == EOF ? -1 : 0;
	}
	return n < 0 ? -EIO : 0;
}

/* The first refused number in [FROM, FROM + COUNT), or FROM + COUNT when none is. */
static __u64 first_refused(const struct feedgen_recovery *rec, __u64 from, __u64 count)
{
	__u64 end = from + count, i;

	for (i = 0; i < rec->nrefuse; i++) {
		if (rec->refuse[i].last >= from && rec->refuse[i].first < end)
			end = rec->refuse[i].first > from ? rec->refuse[i].first : from;
	}
	return end;
}

/* How many of the N messages from FROM fit in one packet. */
static __u64 fitting(const struct history *h, __u64 from, __u64 n)
{
	size_t room = MOLD_PAYLOAD_MAX - MOLD_HDR_LEN;
	__u64 i = from - h->first_seq, k;

	for (k = 0; k < n && k < MOLD_COUNT_END_OF_SESSION - 1; k++) {
		if (MOLD_BLOCK_HDR + msg_len(h, i + k) > room)
			break;
		room -= MOLD_BLOCK_HDR + msg_len(h, i + k);
	}
	return k;
}

/* How many messages from FROM the server sends for a request of COUNT, 0 with *WHY. */
static __u32 judge(const struct retrans *s, const __u8 *session, __u64 from, __u16 count,
		   const char **why)
{
	const struct history *h = &s->h;
	__u64 n;

	if (s->rec->silent)
		*why = "silent";
	else if (memcmp(session, s->session, MOLD_SESSION_LEN) != 0)
		*why = "other-session";
	else if (count == 0 || from < h->first_seq || from - h->first_seq >= h->nmsgs)
		*why = "beyond";
	else if (first_refused(s->rec, from, count) == from)
		*why = "refused";
	else
		*why = NULL;
	if (*why)
		return 0;
	n = h->first_seq + h->nmsgs - from; /* sent so far from FROM on */
	if (n > count)
		n = count;
	if (s->rec->max_msgs && n > s->rec->max_msgs)
		n = s->rec->max_msgs;
	return (__u32)fitting(h, from, first_refused(s->rec, from, n) - from);
}

/* One packet with as many of the COUNT messages from FROM as fit, to PEER; logged. */
static int answer(struct retrans *s, const struct pending *a, __u64 now_ns)
{
	const struct history *h = &s->h;
	unsigned int tries = 0;
	__u64 i = a->from - h->first_seq, end = i + a->count;
	char peer[32];
	int err;

	/* judge() counted what fits, so every append succeeds. */
	err = mold_pkt__init(&s->pkt, s->session, a->from, MOLD_PAYLOAD_MAX);
	for (; !err && i < end; i++)
		err = mold_pkt__append(&s->pkt, h->bytes + h->off[i], msg_len(h, i));
	if (err)
		return err;
	while (sendto(s->fd, s->pkt.buf, s->pkt.len, 0, (const struct sockaddr *)&a->peer,
		      sizeof(a->peer)) < 0) {
		err = send_busy_wait(&tries);
		if (err)
			return err;
	}
	s->answers++;
	s->msgs_served += s->pkt.count;
	if (!s->log)
		return 0;
	peer_str(&a->peer, peer, sizeof(peer));
	if (fprintf(s->log,
		    "{\"served\":{\"peer\":\"%s\",\"from\":%" PRIu64
		    ",\"count\":%u,\"ms\":%.3f}}\n",
		    peer, (uint64_t)a->from, s->pkt.count, ms_since(s, now_ns)) < 0)
		return -EIO;
	return 0;
}

/* Judge one request, log it, answer now or queue the answer. */
static int take_request(struct retrans *s, const __u8 *req, ssize_t len,
			const struct sockaddr_in *peer, __u64 now_ns)
{
	struct pending a = {.peer = *peer}, *slot;
	const char *why = "malformed";
	char pstr[32];
	__u16 count = 0;

	s->requests++;
	if (len == MOLD_REQUEST_LEN) {
		a.from = fs_be64(req + MOLD_OFF_SEQ);
		count = fs_be16(req + MOLD_OFF_COUNT);
		a.count = judge(s, req + MOLD_OFF_SESSION, a.from, count, &why);
	}
	if (s->log) {
		peer_str(peer, pstr, sizeof(pstr));
		if (fprintf(s->log, "{\"request\":{\"peer\":\"%s\"", pstr) < 0)
			return -EIO;
		if (len == MOLD_REQUEST_LEN &&
		    (fputs(",\"session\":\"", s->log) == EOF || put_session(s->log, req) ||
		     fprintf(s->log, "\",\"from\":%" PRIu64 ",\"count\":%u", (uint64_t)a.from,
			     count) < 0))
			return -EIO;
		if (fprintf(s->log, ",\"ms\":%.3f}", ms_since(s, now_ns)) < 0 ||
		    (why ? fprintf(s->log, ",\"none\":\"%s\"}\n", why)
			 : fprintf(s->log, ",\"answer\":%u}\n", a.count)) < 0)
			return -EIO;
	}
	if (why)
		return 0;
	if (!s->rec->delay_ms)
		return answer(s, &a, now_ns);
	a.due_ns = now_ns + s->rec->delay_ms * 1000000ULL;
	slot = fg_fifo__push(&s->delayed);
	if (!slot)
		return -ENOMEM;
	*slot = a;
	return 0;
}

int retrans__work(struct retrans *s, __u64 now_ns)
{
	__u8 req[MOLD_PAYLOAD_MAX];
	struct sockaddr_in peer;
	struct pending *a;
	socklen_t plen;
	ssize_t n;
	int err;

	for (;;) {
		plen = sizeof(peer);
		n = recvfrom(s->fd, req, sizeof(req), MSG_TRUNC, (struct sockaddr *)&peer, &plen);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			if (errno == EINTR)
				continue;
			return -errno;
		}
		err = take_request(s, req, n, &peer, now_ns);
		if (err)
			return err;
	}
	while ((a = fg_fifo__head(&s->delayed)) && a->due_ns <= now_ns) {
		err = answer(s, a, now_ns);
		if (err)
			return err;
		fg_fifo__pop(&s->delayed);
	}
	return 0;
}

__u64 retrans__next_due(const struct retrans *s)
{
	const struct pending *a = fg_fifo__head(&s->delayed);

	return a ? a->due_ns : UINT64_MAX;
}

void retrans__print_summary(const struct retrans *s)
{
	fprintf(stderr,
		"feedgen: re-requests %" PRIu64 ", answered %" PRIu64 " with %" PRIu64
		" messages, %zu answers still delayed at exit\n",
		(uint64_t)s->requests, (uint64_t)s->answers, (uint64_t)s->msgs_served,
		s->delayed.n);
}

int retrans__fd(const struct retrans *s)
{
	return s->fd;
}

int retrans__open(struct retrans **out, const struct feedgen_cfg *cfg, FILE *log, __u64 start_ns)
{
	struct sockaddr_in addr = {
	    .sin_family = AF_INET,
	    .sin_port = htons(cfg->rec.serve_port),
	    .sin_addr.s_addr = htonl(INADDR_ANY),
	};
	struct retrans *s;
	int err;

	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->rec = &cfg->rec;
	memcpy(s->session, cfg->session, MOLD_SESSION_LEN);
	s->log = log;
	s->start_ns = start_ns;
	fg_fifo__init(&s->delayed, sizeof(struct pending));
	s->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0 || bind(s->fd, (const struct sockaddr *)&addr, sizeof(addr))) {
		err = -errno;
		retrans__close(s);
		return err;
	}
	*out = s;
	return 0;
}

void retrans__close(struct retrans *s)
{
	if (!s)
		return;
	if (s->fd >= 0)
		close(s->fd);
	fg_fifo__free(&s->delayed);
	free(s->h.bytes);
	free(s->h.off);
	free(s);
}
