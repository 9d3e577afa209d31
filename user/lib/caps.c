// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Dropping capabilities once a consumer is set up. Creating the AF_XDP socket, registering it in
 * the XSKMAP, mapping the UMEM and the shared maps need CAP_NET_RAW, CAP_BPF and friends; reading
 * the rings afterwards needs none. What a running consumer still asks the kernel through bpf() is
 * the group table (followed once a second) and its socket counters (published once a second):
 * with kernel.unprivileged_bpf_disabled set, as on Debian, every bpf() call needs CAP_BPF, so the
 * consumer keeps that one (FS_CAP_CONSUMER) or, without it, carries on with the groups it read at
 * start and unpublished counters.
 *
 * Capabilities belong to threads: call this before the threads that should lose them start.
 * Raw capset()/prctl(), no libcap: three system calls do not need a library.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include <linux/securebits.h>

#include "internal.h"

/* The highest capability number the kernel knows; unknown ones cannot be held. */
static int last_cap(void)
{
	long n;

	if (fsi_read_long_file("/proc/sys/kernel/cap_last_cap", &n) || n < 0 || n > 63)
		n = 63;
	return (int)n;
}

int fs_drop_capabilities(__u64 keep)
{
	struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
	int cap, last = last_cap(), i;

	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	/* While CAP_SETPCAP is still held: nothing dropped can come back, not through the
	 * bounding set, the ambient set, or root's execve() (secure bits, locked). */
	if (data[0].effective & (1U << CAP_SETPCAP)) {
		for (cap = 0; cap <= last; cap++)
			if (!(keep & (1ULL << cap)) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) &&
			    errno != EINVAL)
				return -errno;
		if (prctl(PR_SET_SECUREBITS, SECBIT_NOROOT | SECBIT_NOROOT_LOCKED |
						     SECBIT_NO_SETUID_FIXUP |
						     SECBIT_NO_SETUID_FIXUP_LOCKED,
			  0, 0, 0))
			return -errno;
	}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) && errno != EINVAL)
		return -errno;
	for (i = 0; i < _LINUX_CAPABILITY_U32S_3; i++) {
		__u32 k = (__u32)(keep >> (32 * i));

		data[i].effective &= k;
		data[i].permitted &= k;
		data[i].inheritable = 0;
	}
	if (syscall(SYS_capset, &hdr, data))
		return -errno;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -errno;
	return 0;
}
