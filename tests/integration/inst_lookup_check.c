// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * inst_lookup_check IFNAME: the consumer deciding MDP3 keys the program did not examine, from
 * the real pinned directory of an attached interface (fs_inst_index and the mmapped
 * fs_instruments). Instruments are entered as SEAM.md's allocation protocol says (a slot from
 * fs_bank.inst_next, the whole entry, the index entry with BPF_NOEXIST, then inst_indexed), a packet is decoded
 * without metadata against a group table naming an MDP3 group, and the subscribed entries that
 * come out are printed, one decode per line:
 *   1: entries 1001 (subscribed, "ESZ6"), 1002 (defined, not subscribed), 1003 and 1004 (unknown)
 *   2: after 1003 is subscribed by id (no symbol): the absence cached for 1003 must not hide it
 *   3: with metadata: the program examined key 0 (1001) and did not want it; the rest is ours
 * Exit 1 with one line on stderr when a step fails.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>

#include "frame.h"
#include "../unit/mdp3_packet.h"

static int define(struct fs_iface *iface, __s32 id, const char *sym, bool subscribed)
{
	__u32 slot = FS_LOCATE_SLOTS + __atomic_fetch_add(&iface->bank->inst_next, 1,
							 __ATOMIC_ACQ_REL);
	struct fs_inst_key key = {.proto = FS_PROTO_MDP3, .feed = 0, .id = (__u32)id};
	struct fs_instrument *e = &iface->instruments[slot];
	__u32 bank = fsi_iface__live_bank(iface);

	memset(e, 0, sizeof(*e));
	e->id = (__u32)id;
	e->proto = FS_PROTO_MDP3;
	e->flags = FS_INST_F_ID;
	if (sym) {
		strncpy(e->symbol.name, sym, FS_SYMBOL_LEN);
		e->flags |= FS_INST_F_KNOWN;
	}
	e->sub[bank] = subscribed ? 1 : FS_INST_NOT_SUBSCRIBED;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	if (bpf_map_update_elem(iface->fds[FS_M_INST_INDEX], &key, &slot, BPF_NOEXIST))
		return -errno;
	__atomic_fetch_add(&iface->bank->inst_indexed, 1, __ATOMIC_ACQ_REL); /* then announced */
	return 0;
}

static void print_entries(const struct fs_frame *f)
{
	struct fs_msg_iter it;
	struct fs_msg m;

	fs_msg_iter__init(&it, f);
	while (fs_msg_iter__next(&it, &m)) {
		struct fs_entry_iter ei;
		struct fs_entry e;

		printf("%u[", m.type);
		fs_entry_iter__init(&ei, &m);
		while (fs_entry_iter__next(&ei, &e)) {
			char sym[FS_SYMBOL_LEN + 1] = "";

			if (e.symbol_known)
				fs_symbol_str(&e.symbol, sym);
			printf(" %d%s%s", e.security_id, e.symbol_known ? "=" : "", sym);
		}
		printf(" ] ");
	}
	printf("\n");
}

int main(int argc, char **argv)
{
	static const __s32 book[] = {1001, 1002, 1003, 1004}, vol[] = {1004, 1001};
	static const __u32 rpts[] = {1, 2, 3, 4};
	struct fs_group_info info = {0};
	struct fsi_group_table *t;
	struct fs_xdp_meta meta = {0};
	struct fs_iface *iface;
	struct mp_packet p;
	struct fs_frame f;
	int err, round;

	if (argc != 2) {
		fprintf(stderr, "usage: inst_lookup_check IFNAME\n");
		return 2;
	}
	err = fs_iface__open(argv[1], &iface);
	if (err) {
		fprintf(stderr, "inst_lookup_check: open %s: %s\n", argv[1], strerror(-err));
		return 1;
	}
	t = calloc(1, sizeof(*t));
	if (!t || fsi_id_cache__create(&t->ids)) {
		fprintf(stderr, "inst_lookup_check: out of memory\n");
		return 1;
	}
	t->iface = iface;
	info.key.addr = htonl(MP_GROUP_ADDR);
	info.key.port = htons(MP_GROUP_PORT);
	info.value.proto = FS_PROTO_MDP3;
	fsi_group_table__fill(t, &info, 1);
	err = define(iface, 1001, "ESZ6", true);
	if (!err)
		err = define(iface, 1002, "NQZ6", false);
	if (err) {
		fprintf(stderr, "inst_lookup_check: define: %s\n", strerror(-err));
		return 1;
	}
	mp_begin(&p, 9, 1700000000000000000ULL);
	mp_book(&p, book, rpts, 4, 0, 0);
	mp_volume(&p, vol, rpts, 2);
	mp_finish(&p);
	meta.magic = FS_META_MAGIC;
	meta.proto = FS_PROTO_MDP3;
	meta.msgs_walked = 1;
	meta.flags = FS_META_F_OVERFLOW;
	for (round = 1; round <= 3; round++) {
		if (round == 2 && (err = define(iface, 1003, NULL, true))) {
			fprintf(stderr, "inst_lookup_check: define 1003: %s\n", strerror(-err));
			return 1;
		}
		memset(&f, 0, sizeof(f));
		f.groups_ = t;
		if (fs_frame__decode(&f, p.b, (__u32)p.n, round == 3 ? &meta : NULL) ||
		    f.proto != FS_PROTO_MDP3 || f.malformed) {
			fprintf(stderr, "inst_lookup_check: round %d: not decoded as MDP3\n", round);
			return 1;
		}
		printf("%d: ", round);
		print_entries(&f);
	}
	fsi_id_cache__destroy(t->ids);
	free(t);
	fs_iface__close(iface);
	return 0;
}
