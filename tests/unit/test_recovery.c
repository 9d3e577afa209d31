// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The recovery engine (user/lib/recovery.c) on its own: a channel's missing numbers are a plain
 * array here, and the requests it sends are written to a log, so that what is asked, when, and
 * how often, can be read off exactly. Also the MoldUDP64 request the ITCH decoder encodes,
 * against the wire layout written out here from the MoldUDP64 specification.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "proto.h"
#include "recovery.h"

#define CHAN 7
#define MS   (1000ULL * 1000)
#define N    4096

struct fake {
	bool missing[N];
	char log[4096];
	size_t n;
	int sends, news;
	int fail; /* the error send() returns, 0: sent */
};

static __u64 fake_missing(void *ctx, __u8 chan, __u64 from, __u64 to, __u64 *end)
{
	struct fake *f = ctx;

	cr_assert_eq(chan, CHAN);
	while (from < to && !f->missing[from])
		from++;
	*end = from;
	while (*end < to && f->missing[*end])
		(*end)++;
	return from;
}

static int fake_send(void *ctx, __u8 chan, __u64 from, __u32 count, bool new_range)
{
	struct fake *f = ctx;

	cr_assert_eq(chan, CHAN);
	if (f->fail)
		return f->fail;
	f->n += (size_t)snprintf(f->log + f->n, sizeof(f->log) - f->n, "%llu+%u%s ",
				 (unsigned long long)from, count, new_range ? "*" : "");
	f->sends++;
	f->news += new_range;
	return 0;
}

static struct fsi_recovery *make(struct fake *f, struct fsi_recovery_params *p)
{
	const struct fsi_recovery_ops ops = {.missing = fake_missing, .send = fake_send, .ctx = f};
	struct fsi_recovery *r;

	cr_assert_eq(fsi_recovery__create(p, &ops, &r), 0);
	return r;
}

static void lose(struct fake *f, __u64 from, __u64 to)
{
	for (; from < to; from++)
		f->missing[from] = true;
}

static void bring(struct fake *f, __u64 from, __u64 to)
{
	for (; from < to; from++)
		f->missing[from] = false;
}

#define LOG_IS(f, want) cr_assert_str_eq((f)->log, want, "sent \"%s\", want \"%s\"", (f)->log, want)

static struct fake F;

static void params(struct fsi_recovery_params *p)
{
	memset(&F, 0, sizeof(F));
	fsi_recovery__defaults(p, 5 * MS, 1000 * MS);
}

Test(recovery, asked_after_the_grace_time_only_what_is_still_missing)
{
	struct fsi_recovery_params p;
	struct fsi_recovery *r;

	params(&p);
	r = make(&F, &p);
	lose(&F, 100, 110);
	cr_assert_eq(fsi_recovery__add(r, CHAN, 100, 110, 0), 0);
	fsi_recovery__poll(r, 4 * MS);
	LOG_IS(&F, "");
	/* The slower line brought 100-102 within the grace time: not asked for. */
	bring(&F, 100, 103);
	fsi_recovery__poll(r, 5 * MS);
	LOG_IS(&F, "103+7* ");
	/* Nothing new until an answer or the timeout. */
	fsi_recovery__poll(r, 6 * MS);
	LOG_IS(&F, "103+7* ");
	cr_assert(fsi_recovery__waits(r, CHAN, 105, 6 * MS));
	cr_assert_not(fsi_recovery__waits(r, CHAN, 105, 1000 * MS), "waits until the deadline");
	cr_assert_not(fsi_recovery__waits(r, CHAN, 111, 6 * MS));
	fsi_recovery__destroy(r);
}

Test(recovery, a_hole_filled_within_the_grace_time_is_never_asked)
{
	struct fsi_recovery_params p;
	struct fsi_recovery *r;
	params(&p);
	r = make(&F, &p);
	lose(&F, 10, 20);
	cr_assert_eq(fsi_recovery__add(r, CHAN, 10, 20, 0), 0);
	bring(&F, 10, 20);
	fsi_recovery__poll(r, 10 * MS);
	LOG_IS(&F, "");
	cr_assert_not(fsi_recovery__busy(r, CHAN), "forgotten");
	fsi_recovery__destroy(r);
}

Test(recovery, large_holes_are_split_and_bounded_in_flight)
{
	struct fsi_recovery_params p;
	struct fsi_recovery *r;

	params(&p);
	p.max_count = 100;
	p.max_inflight = 3;
	r = make(&F, &p);
	lose(&F, 1000, 1450);
	cr_assert_eq(fsi_recovery__add(r, CHAN, 1000, 1450, 0), 0);
	fsi_recovery__poll(r, 5 * MS);
	LOG_IS(&F, "1000+100* 1100+100 1200+100 ");
	/* One answer (a whole packet's worth) frees a place: the next part goes at once. */
	bring(&F, 1100, 1200);
	fsi_recovery__poll(r, 6 * MS);
	LOG_IS(&F, "1000+100* 1100+100 1200+100 1300+100 ");
	fsi_recovery__destroy(r);
}

Test(recovery, a_partial_answer_lets_the_rest_be_asked_at_once)
{
	struct fsi_recovery_params p;
	struct fsi_recovery *r;

	params(&p);
	r = make(&F, &p);
	lose(&F, 200, 300);
	cr_assert_eq(fsi_recovery__add(r, CHAN, 200, 300, 0), 0);
	fsi_recovery__poll(r, 5 * MS);
	LOG_IS(&F, "200+100* ");
	/* The server answered with what fits one packet: 200-239. */
	bring(&F, 200, 240);
	fsi_recovery__poll(r, 5 * MS + 1000);
	LOG_IS(&F, "200+100* 240+60 ");
	bring(&F, 240, 280);
	fsi_recovery__poll(r, 5 * MS + 2000);
	LOG_IS(&F, "200+100* 240+60 280+20 ");
	cr_assert_eq(F.news, 1, "one range");
	fsi_recovery__destroy(r);
}

Test(recovery, unanswered_requests_back_off_and_stop_at_the_deadline)
{
	struct fsi_recovery_params p;
	struct fsi_recovery *r;
	__u64 t, sent_at[16];
	int n = 0, i;

	params(&p);
	p.timeout_ns = 20 * MS;
	p.max_timeout_ns = 100 * MS;
	p.deadline_ns = 400 * MS;
	r = make(&F, &p);
	lose(&F, 50, 51);
	cr_assert_eq(fsi_recovery__add(r, CHAN, 50, 51, 0), 0);
	for (t = 0; t < 1000 * MS; t += MS) {
		int before = F.sends;

		fsi_recovery__poll(r, t);
		if (F.sends != before)
			sent_at[n++] = t;
		cr_assert_leq(n, 15);
	}
	/* 5 ms grace, then waits of 20, 40, 80, 100, 100 ms; none at or after 400 ms. */
	{
		static const __u64 want[] = {5, 25, 65, 145, 245, 345};

		cr_assert_eq(n, 6, "%d requests", n);
		for (i = 0; i < n; i++)
			cr_assert_eq(sent_at[i], want[i] * MS, "request %d at %llu ms", i,
				     (unsigned long long)(sent_at[i] / MS));
	}
	cr_assert_eq(fsi_recovery__next_deadline(r), ~0ULL, "nothing more to do: %llu",
		     (unsigned long long)fsi_recovery__next_deadline(r));
	fsi_recovery__destroy(r);
}

Test(recovery, the_rate_limit_holds_across_channels_of_the_consumer)
{
	struct fsi_recovery_params p;
	struct fsi_recovery *r;
	__u64 t;

	params(&p);
	p.rate = 1000; /* one a millisecond */
	p.burst = 4;
	p.max_inflight = 64;
	p.max_count = 1;
	r = make(&F, &p);
	lose(&F, 0, 20);
	cr_assert_eq(fsi_recovery__add(r, CHAN, 0, 20, 0), 0);
	fsi_recovery__poll(r, 5 * MS);
	cr_assert_eq(F.sends, 4, "a burst of 4, then the rate: %d", F.sends);
	cr_assert_eq(fsi_recovery__next_deadline(r), 6 * MS, "the next token: %llu",
		     (unsigned long long)fsi_recovery__next_deadline(r));
	for (t = 5 * MS + MS / 2; t <= 10 * MS; t += MS / 2)
		fsi_recovery__poll(r, t);
	cr_assert_eq(F.sends, 9, "one a millisecond after the burst: %d", F.sends);
	fsi_recovery__destroy(r);
}

Test(recovery, a_full_socket_sends_later_and_costs_nothing)
{
	struct fsi_recovery_params p;
	struct fsi_recovery *r;

	params(&p);
	r = make(&F, &p);
	lose(&F, 10, 12);
	cr_assert_eq(fsi_recovery__add(r, CHAN, 10, 12, 0), 0);
	F.fail = -EAGAIN;
	fsi_recovery__poll(r, 5 * MS);
	LOG_IS(&F, "");
	F.fail = 0;
	fsi_recovery__poll(r, 5 * MS + 1);
	LOG_IS(&F, "10+2* ");
	fsi_recovery__destroy(r);
}

static struct fsi_rec_hole got[4];
static int ngot;

static void collect(void *ctx, __u8 chan, const struct fsi_rec_hole *h)
{
	(void)ctx;
	cr_assert_eq(chan, CHAN);
	cr_assert_lt(ngot, 4);
	got[ngot++] = *h;
}

/* Holes are asked side by side, each with its own clock; below the channel's next nothing is. */
Test(recovery, holes_in_parallel_and_settled_in_order)
{
	struct fsi_recovery_params p;
	struct fsi_recovery *r;

	params(&p);
	r = make(&F, &p);
	lose(&F, 10, 12);
	lose(&F, 20, 25);
	lose(&F, 30, 31);
	cr_assert_eq(fsi_recovery__add(r, CHAN, 10, 12, 0), 0);
	cr_assert_eq(fsi_recovery__add(r, CHAN, 20, 25, 0), 0);
	cr_assert_eq(fsi_recovery__add(r, CHAN, 30, 31, 2 * MS), 0);
	fsi_recovery__poll(r, 5 * MS);
	LOG_IS(&F, "10+2* 20+5* ");
	fsi_recovery__poll(r, 7 * MS);
	LOG_IS(&F, "10+2* 20+5* 30+1* ");
	/* 10-11 filled; 20-24: 22-24 left to a gap at the deadline. */
	bring(&F, 10, 12);
	bring(&F, 20, 22);
	fsi_recovery__unfilled(r, CHAN, 22, 3);
	ngot = 0;
	fsi_recovery__passed(r, CHAN, 26, collect, NULL);
	cr_assert_eq(ngot, 2);
	cr_assert_eq(got[0].from, 10);
	cr_assert_eq(got[0].end, 12);
	cr_assert_eq(got[0].unfilled, 0);
	cr_assert_eq(got[1].from, 20);
	cr_assert_eq(got[1].end, 25);
	cr_assert_eq(got[1].unfilled, 3);
	cr_assert(fsi_recovery__busy(r, CHAN), "30 still followed");
	fsi_recovery__forget(r, CHAN);
	cr_assert_not(fsi_recovery__busy(r, CHAN));
	fsi_recovery__destroy(r);
}

Test(recovery, bounded_holes_per_channel)
{
	struct fsi_recovery_params p;
	struct fsi_recovery *r;

	params(&p);
	p.max_holes = 2;
	r = make(&F, &p);
	cr_assert_eq(fsi_recovery__add(r, CHAN, 1, 2, 0), 0);
	cr_assert_eq(fsi_recovery__add(r, CHAN, 3, 4, 0), 0);
	cr_assert_eq(fsi_recovery__add(r, CHAN, 5, 6, 0), -ENOSPC);
	fsi_recovery__destroy(r);
}

/*
 * MoldUDP64 request (MoldUDP64 Protocol Specification 1.00, "Request Packet"): Session (10
 * bytes alphanumeric), Sequence Number (8 bytes, big-endian), Requested Message Count (2
 * bytes, big-endian); 20 bytes in all.
 */
/* Where the next followed hole starts: a gap reported at a number no hole holds stops there. */
Test(recovery, the_start_of_the_next_hole)
{
	struct fsi_recovery_params p;
	struct fsi_recovery *r;

	params(&p);
	r = make(&F, &p);
	cr_assert_eq(fsi_recovery__hole_after(r, CHAN, 0), ~0ULL, "no channel state yet");
	cr_assert_eq(fsi_recovery__add(r, CHAN, 10, 20, 0), 0);
	cr_assert_eq(fsi_recovery__add(r, CHAN, 30, 40, 0), 0);
	cr_assert_eq(fsi_recovery__hole_after(r, CHAN, 4), 10);
	cr_assert_eq(fsi_recovery__hole_after(r, CHAN, 10), 30, "not the hole it is in");
	cr_assert_eq(fsi_recovery__hole_after(r, CHAN, 25), 30);
	cr_assert_eq(fsi_recovery__hole_after(r, CHAN, 30), ~0ULL);
	fsi_recovery__destroy(r);
}

Test(mold_request, wire_layout)
{
	static const __u8 want[20] = {'S',  'E',  'S',	'S',  'I',  'O',  'N',	'0',  '0',  '1',
				      0x00, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x01, 0x2C};
	__u8 buf[64];

	memset(buf, 0xAA, sizeof(buf));
	cr_assert_eq(fsi_proto_itch.encode_request(buf, sizeof(buf), "SESSION001", 10,
						   0x010203040506ULL, 300),
		     20);
	cr_assert_eq(memcmp(buf, want, sizeof(want)), 0);
	cr_assert_eq(buf[20], 0xAA, "nothing written past the request");
}

Test(mold_request, refuses_what_mold_cannot_say)
{
	__u8 buf[64];

	cr_assert_eq(fsi_proto_itch.encode_request(buf, sizeof(buf), "S", 1, 1, 1), -EINVAL,
		     "a session is 10 bytes");
	cr_assert_eq(fsi_proto_itch.encode_request(buf, sizeof(buf), "SESSION001", 10, 1, 0),
		     -EINVAL, "count 0 is a heartbeat");
	cr_assert_eq(fsi_proto_itch.encode_request(buf, sizeof(buf), "SESSION001", 10, 1, 0xFFFF),
		     -EINVAL, "0xFFFF is the end of session");
	cr_assert_eq(fsi_proto_itch.encode_request(buf, 19, "SESSION001", 10, 1, 5), -ENOSPC);
}

Test(mold_request, only_mold_has_a_request_service)
{
	cr_assert_not_null(fsi_proto_ops(FS_PROTO_MOLD_ITCH)->encode_request);
	cr_assert_null(fsi_proto_ops(FS_PROTO_MDP3)->encode_request);
	cr_assert_null(fsi_proto_ops(FS_PROTO_NYSE_XDP)->encode_request);
	cr_assert_null(fsi_proto_ops(FS_PROTO_PITCH)->encode_request);
}
