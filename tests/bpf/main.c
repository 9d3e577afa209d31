// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Criterion's main for the BPF suite, behind a check of what every test in it needs: a copy of
 * the XDP program the kernel loads (BTF, and root or CAP_BPF) and an AF_XDP socket. Where the
 * machine lacks one, the suite as a whole exits 77 and run.sh counts it as skipped, never as
 * passed with its tests skipped one by one. A load that fails for any other reason (the verifier
 * refusing the program) is no missing prerequisite: the tests run and fail with it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "xdp_harness.h"

#define EXIT_SKIP 77

/* EPERM always means missing privilege; the verifier uses EACCES for bad programs, so EACCES
 * counts as missing privilege only when not running as root. */
static bool denied(int ret)
{
	return ret == -EPERM || (ret == -EACCES && geteuid() != 0);
}

/* 0, or the exit code to leave with (EXIT_SKIP), after saying why on stderr. */
static int check_prerequisites(void)
{
	static char err[2048];
	struct fsx x;
	int ret, status;
	pid_t pid;

	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		fprintf(stderr, "SKIP: no kernel BTF (/sys/kernel/btf/vmlinux): %s\n", strerror(errno));
		return EXIT_SKIP;
	}
	ret = fsx_load(&x, err, sizeof(err));
	if (denied(ret)) {
		fprintf(stderr, "SKIP: the XDP program cannot be loaded here (needs root or CAP_BPF): %s\n",
			strerror(-ret));
		return EXIT_SKIP;
	}
	if (!ret)
		fsx_close(&x);
	/* fsx_xsk_open moves its caller into a network namespace of its own: try it in a child. */
	pid = fork();
	if (pid == 0) {
		struct fsx_xsk *xsk;

		ret = fsx_xsk_open(&xsk, err, sizeof(err));
		if (ret)
			fprintf(stderr, "SKIP: no AF_XDP socket can be made here: %s\n", err);
		_exit(ret == -EPERM || ret == -EACCES || ret == -EAFNOSUPPORT ? EXIT_SKIP : 0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return 0; /* no verdict: the tests themselves will say */
	return WIFEXITED(status) && WEXITSTATUS(status) == EXIT_SKIP ? EXIT_SKIP : 0;
}

int main(int argc, char *argv[])
{
	struct criterion_test_set *tests;
	int ret = check_prerequisites();

	if (ret)
		return ret;
	tests = criterion_initialize();
	ret = 0;
	if (criterion_handle_args(argc, argv, true))
		ret = !criterion_run_all_tests(tests);
	criterion_finalize(tests);
	return ret;
}
