// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Sleep/spin hybrid pacing against CLOCK_MONOTONIC. */
#include <errno.h>
#include <sys/prctl.h>
#include <time.h>

#include "pace.h"

#define NS_PER_SEC 1000000000ULL

/*
 * Sleep until this close to the deadline, then spin. Wakeups from a sleep arrive tens of
 * microseconds late; spinning the rest keeps each packet close to its slot.
 */
#define PACE_SPIN_NS 20000

/* The default 50 us timer slack would make every sleep that much late; 1 us is plenty. */
#define PACE_TIMER_SLACK_NS 1000

int pace_now_ns(__u64 *ns)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts))
		return -errno;
	*ns = (__u64)ts.tv_sec * NS_PER_SEC + (__u64)ts.tv_nsec;
	return 0;
}

__u64 pace_slot_ns(__u64 k, __u64 rate)
{
	/* Split so k * 1e9 cannot overflow, however long the run. */
	return k / rate * NS_PER_SEC + k % rate * NS_PER_SEC / rate;
}

int pacer__init(struct pacer *p, __u64 rate)
{
	p->rate = rate;
	p->next = 0;
	if (rate && prctl(PR_SET_TIMERSLACK, PACE_TIMER_SLACK_NS, 0, 0, 0))
		return -errno;
	return pace_now_ns(&p->start_ns);
}

static int sleep_until(__u64 deadline_ns)
{
	struct timespec ts = {
	    .tv_sec = (time_t)(deadline_ns / NS_PER_SEC),
	    .tv_nsec = (long)(deadline_ns % NS_PER_SEC),
	};
	int err;

	/* Absolute time, so an interrupted sleep simply resumes toward the same deadline. */
	do {
		err = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
	} while (err == EINTR);
	return -err;
}

__u64 pacer__due_ns(const struct pacer *p)
{
	return p->rate ? p->start_ns + pace_slot_ns(p->next, p->rate) : 0;
}

int pacer__wait(struct pacer *p)
{
	__u64 due, now = 0;
	int err;

	if (!p->rate) {
		p->next++;
		return 0;
	}
	due = pacer__due_ns(p);
	p->next++;
	err = pace_now_ns(&now);
	if (err)
		return err;
	if (due > now + PACE_SPIN_NS) {
		err = sleep_until(due - PACE_SPIN_NS);
		if (err)
			return err;
	}
	do {
		err = pace_now_ns(&now);
		if (err)
			return err;
	} while (now < due);
	return 0;
}
