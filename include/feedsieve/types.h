/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The one place that decides where the basic kernel types come from, so every other shared header
 * compiles unchanged in the BPF program (CO-RE types from vmlinux.h) and in user space (UAPI
 * headers). Nothing here is feedsieve-specific.
 */
#ifndef FEEDSIEVE_TYPES_H
#define FEEDSIEVE_TYPES_H

#ifdef __bpf__
#include "vmlinux.h"
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
/* Packet helpers must be inlined: the verifier tracks packet bounds per function. */
#define FS_INLINE static __always_inline
#else
#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#define FS_INLINE static inline
#endif

/* The layout checks compile in a C++ application including feedsieve.h too. */
#if defined(__cplusplus) && !defined(_Static_assert)
#define _Static_assert static_assert
#endif

#define FS_STR_(x) #x
#define FS_STR(x)  FS_STR_(x)

#endif /* FEEDSIEVE_TYPES_H */
