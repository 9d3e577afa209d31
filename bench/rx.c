// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Shared by the load benchmarks' receivers; see rx.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>

#include "rx.h"

volatile int rx_stop;

static void on_signal(int sig)
{
	(void)sig;
	rx_stop = 1;
}

void rx_signals(void)
{
	struct sigaction sa = {.sa_handler = on_signal};

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int rx_pin(int cpu)
{
	cpu_set_t set;
	int err;

	if (cpu < 0)
		return 0;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	err = pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	return -err;
}

static __u64 clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + (__u64)ts.tv_nsec;
}

__u64 rx_now_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

/* Nanoseconds this thread has waited on a run queue (/proc/thread-self/schedstat). */
static __u64 runqueue_wait_ns(void)
{
	unsigned long long run = 0, wait = 0;
	FILE *f = fopen("/proc/thread-self/schedstat", "r");

	if (!f)
		return 0;
	if (fscanf(f, "%llu %llu", &run, &wait) != 2)
		wait = 0;
	fclose(f);
	return wait;
}

static __u64 involuntary_switches(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_THREAD, &ru))
		return 0;
	return (__u64)ru.ru_nivcsw;
}

void rx_meter_init(struct rx_meter *m)
{
	memset(m, 0, sizeof(*m));
	hist_init(&m->lat);
}

void rx_meter_frame(struct rx_meter *m, __u64 now)
{
	if (!m->started) {
		m->started = true;
		m->t_first = m->t_last = now;
		m->cpu_first = m->cpu_last = clock_ns(CLOCK_THREAD_CPUTIME_ID);
		m->msgs_first = m->msgs_last = m->msgs;
		m->wait_first = runqueue_wait_ns();
		m->nivcsw_first = involuntary_switches();
	} else if (now - m->t_last >= RX_CPU_SAMPLE_NS) {
		m->t_last = now;
		m->cpu_last = clock_ns(CLOCK_THREAD_CPUTIME_ID);
		m->msgs_last = m->msgs;
	}
}

void rx_meter_json(const struct rx_meter *m, FILE *out)
{
	const struct hist *h = &m->lat;
	__u64 cpu = m->cpu_last - m->cpu_first, msgs = m->msgs_last - m->msgs_first;
	double wall = (double)(m->t_last - m->t_first);

	fprintf(out,
		"\"msgs\":%llu,\"frames\":%llu,\"other_msgs\":%llu,\"order_errors\":%llu,"
		"\"gaps\":%llu,\"gap_msgs\":%llu,",
		(unsigned long long)m->msgs, (unsigned long long)m->frames,
		(unsigned long long)m->other_msgs, (unsigned long long)m->order_errors,
		(unsigned long long)m->gaps, (unsigned long long)m->gap_msgs);
	fprintf(
	    out,
	    "\"lat\":{\"count\":%llu,\"min_ns\":%llu,\"p50_ns\":%llu,\"p90_ns\":%llu,"
	    "\"p99_ns\":%llu,\"p999_ns\":%llu,\"max_ns\":%llu,\"mean_ns\":%.0f},",
	    (unsigned long long)h->count, (unsigned long long)(h->count ? h->min : 0),
	    (unsigned long long)hist_quantile(h, 0.50), (unsigned long long)hist_quantile(h, 0.90),
	    (unsigned long long)hist_quantile(h, 0.99), (unsigned long long)hist_quantile(h, 0.999),
	    (unsigned long long)h->max, h->count ? (double)h->sum / (double)h->count : 0.0);
	fprintf(out,
		"\"cpu_window_s\":%.6f,\"cpu_ns\":%llu,\"cpu_msgs\":%llu,\"cpu_ns_per_msg\":%.1f,"
		"\"cpu_util\":%.3f,",
		wall / 1e9, (unsigned long long)cpu, (unsigned long long)msgs,
		msgs ? (double)cpu / (double)msgs : 0.0, wall > 0 ? (double)cpu / wall : 0.0);
	fprintf(out, "\"runqueue_wait_ns\":%llu,\"involuntary_switches\":%llu",
		(unsigned long long)(m->started ? runqueue_wait_ns() - m->wait_first : 0),
		(unsigned long long)(m->started ? involuntary_switches() - m->nivcsw_first : 0));
}

int rx_meter_write_hist(const struct rx_meter *m, const char *path)
{
	FILE *f;
	int err = 0;

	if (!path)
		return 0;
	f = fopen(path, "w");
	if (!f)
		return -errno;
	if (hist_write_tsv(&m->lat, f))
		err = -EIO;
	if (fclose(f) && !err)
		err = -errno;
	return err;
}
